"""The Sotkanet client in live mode against a loopback server speaking Sotkanet's wire format."""

import json

import httpx
import pytest

from pipelines.archive import RawArchive
from pipelines.sources.http import SourceError
from pipelines.sources.sotkanet import SotkanetClient, SotkanetError, data_params, genders_of
from tests.conftest import make_settings
from bench.loopback import LoopbackSotkanet, small_state

YEARS = list(range(2015, 2025))


def live_client(tmp_path, base_url, **overrides):
    settings = make_settings(tmp_path, sotkanet_base_url=base_url, source_mode="live", http_backoff_s=0.01, **overrides)
    return SotkanetClient(settings, live=True, runtime=RawArchive(settings.archive_path)), settings


def test_years_and_genders_are_repeated_never_comma_joined():
    params = data_params(683, [2022, 2023], ["male", "total"])
    assert params == [("indicator", "683"), ("years", "2022"), ("years", "2023"), ("genders", "male"), ("genders", "total")]
    assert genders_of({"classifications": {"sex": {"values": ["female"]}}}) == ["female"]
    assert genders_of({"classifications": {}}) == ["total"]  # sex absent (e.g. 5051, 5033)


def test_server_enforces_user_agent_and_repeated_years(tmp_path):
    state = small_state()
    with LoopbackSotkanet(state) as base:
        assert httpx.get(f"{base}/regions", headers={"User-Agent": ""}).status_code == 403
        comma = httpx.get(f"{base}/json?indicator=683&years=2015,2016&genders=total", headers={"User-Agent": "t"})
        assert comma.status_code == 400
        client, _ = live_client(tmp_path, base)
        report = client.fetch_all([683], YEARS)
    client_agents = state.user_agents[2:]  # after the two raw probes above
    assert client_agents and all(ua.startswith("sote-indicators/") for ua in client_agents)
    data = next(p for p in report.payloads if p.kind == "data")
    assert len(json.loads(data.path.read_bytes())) == 4 * len(YEARS)


def test_403_without_user_agent_is_a_clear_error(tmp_path):
    with LoopbackSotkanet(small_state()) as base:
        client, _ = live_client(tmp_path, base, user_agent="")
        with pytest.raises(SotkanetError) as err:
            client.fetch_all([683], YEARS)
    message = str(err.value)
    assert "403" in message and "User-Agent" in message and base in message


def test_400_names_indicator_and_url(tmp_path):
    state = small_state()
    state.script["/rest/1.1/json?indicator=683"].append({"status": 400})
    with LoopbackSotkanet(state) as base:
        client, _ = live_client(tmp_path, base)
        with pytest.raises(SotkanetError) as err:
            client.fetch_all([683], YEARS)
    message = str(err.value)
    assert "indicator 683 data" in message and f"{base}/json?indicator=683&years=2015" in message and "400" in message


def test_429_and_500_are_retried_with_backoff_then_succeed(tmp_path):
    state = small_state()
    state.script["/rest/1.1/json?indicator=683"].extend([{"status": 429, "headers": {"Retry-After": "0"}}, {"status": 500}])
    with LoopbackSotkanet(state) as base:
        client, settings = live_client(tmp_path, base)
        report = client.fetch_all([683], YEARS)
    assert report.stats.retries == 2
    assert state.requests["/rest/1.1/json"] == 3
    archive = RawArchive(settings.archive_path)
    ok_data = [e for e in archive.entries("sotkanet") if e.ok and e.meta.get("kind") == "data"]
    assert len(ok_data) == 1 and ok_data[0].status == 200


def test_timeout_is_retried_and_gives_up_with_a_clear_error(tmp_path):
    state = small_state()
    state.script["/rest/1.1/json?indicator=683"].append({"delay": 1.0})
    with LoopbackSotkanet(state) as base:
        client, _ = live_client(tmp_path / "a", base, http_timeout_s=0.3)
        report = client.fetch_all([683], YEARS)
        assert report.stats.retries == 1
        state.script["/rest/1.1/json?indicator=683"].extend([{"delay": 1.0}] * 3)
        client, _ = live_client(tmp_path / "b", base, http_timeout_s=0.3, http_retries=2)
        with pytest.raises(SourceError) as err:
            client.fetch_all([683], YEARS)
    assert "indicator 683 data" in str(err.value) and "no answer after 3 attempts" in str(err.value)


def test_truncated_json_is_rejected_and_never_replayed(tmp_path):
    state = small_state()
    state.script["/rest/1.1/json?indicator=683"].append({"truncate": True})
    with LoopbackSotkanet(state) as base:
        client, settings = live_client(tmp_path, base)
        with pytest.raises(SotkanetError) as err:
            client.fetch_all([683], YEARS)
    assert "invalid JSON" in str(err.value) and "indicator 683" in str(err.value)
    archive = RawArchive(settings.archive_path)
    data_entries = [e for e in archive.entries("sotkanet") if e.meta.get("kind") == "data"]
    assert [e.ok for e in data_entries] == [False]  # kept for inspection, flagged
    assert archive.lookup("GET", f"{base}/json", data_params(683, YEARS, ["total"])) is None


def test_unchanged_data_updated_skips_the_download(tmp_path):
    state = small_state(indicators=(683, 127))
    with LoopbackSotkanet(state) as base:
        first, settings = live_client(tmp_path, base)
        first.fetch_all([683, 127], YEARS)
        assert state.requests["/rest/1.1/json"] == 2
        second = SotkanetClient(settings, live=True, runtime=RawArchive(settings.archive_path))
        report = second.fetch_all([683, 127], YEARS)
        assert state.requests["/rest/1.1/json"] == 2  # nothing downloaded again
        assert report.stats.skipped_unchanged == 2
        assert {p.reused for p in report.payloads if p.kind == "data"} == {True}
        state.indicators[127]["data-updated"] = "2025-06-01"
        third = SotkanetClient(settings, live=True, runtime=RawArchive(settings.archive_path))
        report = third.fetch_all([683, 127], YEARS)
        assert state.requests["/rest/1.1/json"] == 3  # only 127 again
        assert report.stats.skipped_unchanged == 1


def test_concurrency_is_bounded_by_the_setting(tmp_path):
    state = small_state(indicators=tuple(range(1, 9)))
    active = {"now": 0, "max": 0}
    import threading

    lock = threading.Lock()
    original = state.metadata

    def slow_metadata(ind):
        import time

        with lock:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        time.sleep(0.05)
        with lock:
            active["now"] -= 1
        return original(ind)

    state.metadata = slow_metadata
    with LoopbackSotkanet(state) as base:
        client, _ = live_client(tmp_path, base, http_concurrency=2)
        client.fetch_all(list(range(1, 9)), YEARS)
    assert active["max"] <= 2
    assert sum(state.requests.values()) == 1 + 8 + 8  # regions, metadata, data: nothing repeated
