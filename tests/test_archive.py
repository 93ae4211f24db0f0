"""The raw archive: content addressing, manifests, replay transport."""

import hashlib

import httpx
import pytest

from pipelines.archive import RawArchive, ReplayMissError, ReplayTransport, request_key


def test_put_stores_bytes_under_their_hash_and_appends_the_manifest(tmp_path):
    archive = RawArchive(tmp_path)
    body = b'[{"indicator":1}]'
    entry = archive.put(body, source="sotkanet", url="https://x/json", params=[("years", "2023"), ("years", "2024")])
    assert entry.sha256 == hashlib.sha256(body).hexdigest() and entry.size == len(body)
    assert archive.object_path(entry.sha256).read_bytes() == body
    again = archive.put(body, source="sotkanet", url="https://x/json", params=[("years", "2023"), ("years", "2024")])
    assert again.sha256 == entry.sha256
    assert len(list((tmp_path / "objects").rglob("*"))) == 2  # one folder, one object: deduplicated
    assert len(archive.entries("sotkanet")) == 2  # but both fetches are recorded


def test_lookup_ignores_param_order_prefers_latest_and_skips_rejected(tmp_path):
    archive = RawArchive(tmp_path)
    archive.put(b"old", source="s", url="u", params=[("a", "1"), ("b", "2")])
    archive.put(b"new", source="s", url="u", params=[("b", "2"), ("a", "1")])
    archive.put(b"bad", source="s", url="u", params=[("a", "1"), ("b", "2")], ok=False, error="truncated")
    hit = archive.lookup("GET", "u", [("b", "2"), ("a", "1")])
    assert archive.read(hit) == b"new"
    assert request_key("get", "u", [("b", "2"), ("a", "1")]) == "GET u?a=1&b=2"


def test_replay_archive_is_read_only(tmp_path):
    with pytest.raises(PermissionError, match="read-only"):
        RawArchive(tmp_path, writable=False).put(b"x", source="s", url="u", params=[])


def test_replay_transport_answers_from_the_archive_and_names_misses(tmp_path):
    archive = RawArchive(tmp_path)
    archive.put(b"[1,2]", source="s", url="https://api.example/json", params=[("years", "2023")], content_type="application/json")
    with httpx.Client(transport=ReplayTransport(RawArchive(tmp_path, writable=False))) as client:
        response = client.get("https://api.example/json", params=[("years", "2023")])
        assert response.status_code == 200 and response.json() == [1, 2]
        with pytest.raises(ReplayMissError, match=r"no accepted payload for GET https://api.example/json\?years=2024"):
            client.get("https://api.example/json", params=[("years", "2024")])


def test_a_corrupt_manifest_line_is_reported_with_file_and_line(tmp_path):
    (tmp_path / "manifest").mkdir()
    (tmp_path / "manifest" / "s.jsonl").write_text('{"source": "s"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"s.jsonl, line 1"):
        RawArchive(tmp_path).entries()
