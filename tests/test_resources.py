"""Resources carry typed config fields (what the Dagster UI lists), one per setting, generated from
Settings; a value that comes from a SOTE_* variable is an EnvVar, resolved when a step runs."""

from __future__ import annotations

import dagster as dg

from pipelines.resources import SettingsResource, build_resources
from pipelines.settings import Settings
from tests.conftest import make_settings


def test_every_setting_is_a_typed_field_of_the_settings_resource():
    assert list(SettingsResource.model_fields) == list(Settings.model_fields)
    assert SettingsResource.model_fields["http_concurrency"].annotation is int
    assert SettingsResource.model_fields["warehouse_path"].annotation is str
    assert "Concurrent HTTP requests" in SettingsResource.model_fields["http_concurrency"].description


def test_values_from_the_environment_are_env_vars_resolved_at_run_time(tmp_path, monkeypatch):
    monkeypatch.setenv("SOTE_USER_AGENT", "sote-test/9.9 (+loopback)")
    settings = make_settings(tmp_path, user_agent="sote-test/9.9 (+loopback)", http_concurrency=3)
    resources = build_resources(settings)
    assert isinstance(resources["settings"].user_agent, dg.EnvVar)
    assert resources["settings"].http_concurrency == 3  # not from the environment: the value itself
    assert str(resources["warehouse"].path) == str(settings.warehouse_path)

    @dg.asset(required_resource_keys={"settings"})
    def probe(context) -> dg.MaterializeResult:
        got = context.resources.settings.get()
        return dg.MaterializeResult(metadata={"user_agent": got.user_agent, "http_concurrency": got.http_concurrency})

    result = dg.materialize([probe], resources={"settings": resources["settings"]})
    meta = result.asset_materializations_for_node("probe")[0].metadata
    assert meta["user_agent"].value == "sote-test/9.9 (+loopback)" and meta["http_concurrency"].value == 3


def test_source_clients_are_typed_resources_in_the_definitions(tmp_path):
    from pipelines.definitions import build_defs
    from pipelines.resources import ArchiveResource, SotkanetResource, ThlCubeResource

    settings = make_settings(tmp_path, sotkanet_base_url="http://127.0.0.1:9/rest/1.1")
    resources = build_defs(settings).resources
    assert isinstance(resources["sotkanet"], SotkanetResource) and isinstance(resources["thl_cube"], ThlCubeResource)
    assert resources["sotkanet"].base_url == "http://127.0.0.1:9/rest/1.1"
    assert resources["thl_cube"].base_url == settings.thl_base_url
    for resource in (SotkanetResource, ThlCubeResource):
        assert resource.model_fields["base_url"].annotation is str and resource.model_fields["base_url"].description
        assert resource.model_fields["archive"].annotation is ArchiveResource


def test_the_archive_mode_swaps_a_live_sotkanet_for_the_replay_of_what_it_archived(tmp_path):
    """Live: the resource's base_url is asked over loopback HTTP and every body archived. Replay
    of that archive, with the server gone: the same payloads, no request."""
    from assets.sotkanet import catalogue_indicators, sotkanet_payloads
    from bench.loopback import LoopbackSotkanet, small_state

    def payloads(settings) -> list[tuple[str, str]]:
        result = dg.materialize([sotkanet_payloads], resources=build_resources(settings),
                                instance=dg.DagsterInstance.ephemeral())
        assert result.success
        import duckdb
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            return sorted(con.execute("SELECT kind, sha256 FROM raw.sotkanet_payloads").fetchall())

    state = small_state(indicators=tuple(catalogue_indicators()))
    with LoopbackSotkanet(state) as base:
        live = make_settings(tmp_path / "live", source_mode="live", sotkanet_base_url=base, year_start=2020, year_end=2021)
        fetched = payloads(live)
    assert sum(state.requests.values()) >= len(catalogue_indicators()) + 1
    kinds = {k for k, _ in fetched}
    assert kinds == {"regions", "indicator", "data"}

    asked = sum(state.requests.values())
    replayed = payloads(make_settings(tmp_path / "replay", source_mode="replay", replay_path=live.archive_path,
                                      sotkanet_base_url=base, year_start=2020, year_end=2021))
    assert replayed == fetched and sum(state.requests.values()) == asked
