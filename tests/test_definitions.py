"""The one Definitions loads, and carries what operators see in the UI."""

import dagster as dg

from pipelines.definitions import build_defs, defs
from tests.conftest import make_settings


def test_definitions_load_and_validate(tmp_path):
    built = build_defs(make_settings(tmp_path))
    repo = built.get_repository_def()
    assert repo.get_all_jobs()
    dg.Definitions.validate_loadable(defs)


def test_every_asset_has_a_group_and_a_description():
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.group_name and node.group_name != "default", key
        assert node.description and len(node.description) > 20, key


def test_sources_plug_in_as_fragments_of_measure_values():
    graph = defs.resolve_asset_graph()
    mv = graph.get(dg.AssetKey(["marts", "measure_values"]))
    fragments = {k for k in mv.parent_keys if k.path[0] == "fragments"}
    assert dg.AssetKey(["fragments", "sotkanet"]) in fragments
    publish = graph.get(dg.AssetKey(["serving", "publish"]))
    assert dg.AssetKey(["marts", "measure_values"]) in publish.parent_keys


def test_contract_checks_are_blocking_and_plausibility_checks_warn():
    specs = {(s.asset_key.to_user_string(), s.name): s for s in defs.resolve_asset_graph().asset_check_keys and
             [spec for c in defs.asset_checks for spec in c.check_specs]}
    assert specs[("marts/measure_values", "key_unique")].blocking
    assert specs[("staging/sotkanet_observations", "key_unique")].blocking
    assert not specs[("staging/sotkanet_observations", "region_ids_in_regions_list")].blocking


def test_nightly_schedule_runs_by_default_in_helsinki_time():
    schedule = defs.resolve_schedule_def("nightly_all_assets_0200_helsinki")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Europe/Helsinki"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING


def test_writers_share_the_duckdb_pool():
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        if key.path[0] in ("raw", "staging", "reference", "fragments", "marts", "reports", "serving"):
            assert graph.get(key).pools == {"duckdb_write"}, key
