"""THL cube client: URL grammar, JSONP dimension trees, and live mode against a loopback HTTP server
speaking tiku's wire format (scripts/build_sample_thl.py: listing JSON, JSONP dimensions, JSON-stat,
403 with an empty body for any query error, 404 for unknown cubes)."""

import importlib.util
import json
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.archive import RawArchive
from pipelines.resources import build_resources
from pipelines.settings import PROJECT_ROOT
from pipelines.sources.jsonstat import normalise
from pipelines.sources.thl_cube import (
    ThlCubeClient,
    ThlCubeError,
    ThlCubeNotFound,
    ThlQueryRejected,
    fact_params,
    fetch_specs,
    listing_url,
    node_lookup,
    parse_dimensions,
    plan_fact_requests,
    selector,
)
from pipelines.sources.thl_cube_specs import CubeSpec, default_specs, load_spec
from tests.conftest import make_settings


def load_generator():
    spec = importlib.util.spec_from_file_location("build_sample_thl", PROJECT_ROOT / "scripts" / "build_sample_thl.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file executes
    spec.loader.exec_module(module)
    return module


GEN = load_generator()


class CountingTiku(GEN.Tiku):
    """The sample tiku plus scripted failures: path suffix -> list of statuses to answer first."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.fail_first: dict[str, list[int]] = {}

    def handle(self, path, params):
        for suffix, statuses in self.fail_first.items():
            if path.endswith(suffix) and statuses:
                self.requests.append(path)
                return statuses.pop(0), "text/plain", b""
        return super().handle(path, params)


@pytest.fixture
def tiku_server():
    tiku = CountingTiku(GEN.sample_cubes(), base_path="/pivot/prod")
    server = ThreadingHTTPServer(("127.0.0.1", 0), GEN.handler_for(tiku))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield tiku, f"http://127.0.0.1:{server.server_address[1]}/pivot/prod"
    finally:
        server.shutdown()
        server.server_close()


def spec_by_key(key: str) -> CubeSpec:
    return next(s for s in default_specs() if s.key == key)


def live_settings(tmp_path: Path, base_url: str, **kw):
    return make_settings(tmp_path, source_mode="live", thl_base_url=base_url, http_retries=2, http_backoff_s=0.01, **kw)


# -- URL grammar -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dim, sids, mode, expected",
    [
        ("alue", ["445222"], "children", "alue-445222"),
        ("sex", ["444328"], "subset", "sex-444328."),
        ("measure", ["533175"], "list", "measure-533175."),  # a one-node list is a subset
        ("viikko", ["349531", "349478", "349491"], "list", "viikko-349531.349478.349491"),
        ("hcdmunicipality2020", ["445268"], "level", "hcdmunicipality2020-445268L"),
        ("aika", [620022], "children", "aika-620022"),
    ],
)
def test_selector_forms(dim, sids, mode, expected):
    assert selector(dim, sids, mode) == expected


@pytest.mark.parametrize(
    "dim, sids, mode",
    [("alue", [], "list"), ("alue", ["12a"], "subset"), ("alue", ["1", "2"], "children"), ("al-ue", ["1"], "subset"),
     ("alue", ["1"], "bogus")],
)
def test_selector_rejects_bad_input(dim, sids, mode):
    with pytest.raises(ValueError):
        selector(dim, sids, mode)


def test_urls_and_params_follow_the_grammar():
    spec = spec_by_key("pth_access_14d")
    base = "https://sampo.thl.fi/pivot/prod/"
    assert listing_url(base, "avohpaasy") == "https://sampo.thl.fi/pivot/prod/api/avohpaasy.json"
    from pipelines.sources.thl_cube import dimensions_url, fact_url

    assert fact_url(base, spec) == "https://sampo.thl.fi/pivot/prod/fi/avohpaasy/pthhva01/fact_ahil_pthhva01.json"
    assert fact_url(base, spec, lang="sv").startswith("https://sampo.thl.fi/pivot/prod/sv/")
    assert dimensions_url(base, spec).endswith("/fact_ahil_pthhva01.dimensions.json")
    assert fact_params(["a-1"], ["b-2.", "c-3L"], ["d-4."]) == [("row", "a-1"), ("column", "b-2."), ("column", "c-3L"), ("filter", "d-4.")]


def test_plan_resolves_stage_lists_and_one_chunk_per_year_in_the_spec():
    cube = GEN.psychiatry_cube()
    nodes = parse_dimensions(GEN.render_dimensions(cube), context="test")
    spec = spec_by_key("esh_psyk_children_90d")
    plan = plan_fact_requests(spec, nodes)
    assert [r.chunk for r in plan] == ["2022", "2023", "2024", "2025"]
    params = dict(plan[0].params[:1])
    listed = params["row"].split("-", 1)[1].split(".")
    stages = {n.sid: n.stage for n in nodes if n.dimension == "tuottaja"}
    assert {stages[s] for s in listed} == {"root", "hyvinvointialue", "tuottajayksikko"}  # no provider-type nodes
    assert ("column", "time-720022") in plan[0].params
    pth = plan_fact_requests(spec_by_key("pth_access_14d"), parse_dimensions(GEN.render_dimensions(GEN.primary_care_cube()), context="t"))
    assert [r.chunk for r in pth] == ["2022", "2024", "2025"]  # the cube has no 2023 periods


# -- dimension JSONP -------------------------------------------------------------------------------


def test_jsonp_dimension_tree_is_flattened_in_tree_order():
    text = (
        'thl.pivot.loadDimensions(\n[\n{\n\t"id":"alue",\n\t"label":"Alue",\n\t"children": [\n{\n\t"id":"400",\n\t"sid":2079,'
        '\n\t"label":"AVI yhteensä",\n\t"stage":"root",\n\t"code":"Avi_yht",\n\t"sort":1,\n\t"uri":"http://meta.thl.fi/codes/wild/dimension/area/root",'
        '\n\t"properties": {\n\t"is":"area/root"\n\t},\n\t"children": [\n{\n\t"id":"165827",\n\t"sid":210938,\n\t"label":"Uusimaa\ttab",'
        '\n\t"stage":"region",\n\t"code":"01",\n\t"sort":1,\n\t"uri":"u",\n\t"children": []\n}]\n}]},\n{\n\t"id":"measure",\n\t"label":"Mittari",'
        '\n\t"children": [\n{\n\t"id":"m1",\n\t"sid":5,\n\t"label":"Osuus, %",\n\t"stage":"leaf",\n\t"code":"p",\n\t"sort":1,\n\t"decimals":1,'
        '\n\t"uri":"m",\n\t"children": []\n}]}\n]\n);'
    )
    nodes = parse_dimensions(text, context="test cube")
    assert [(n.dimension, n.sid, n.stage, n.parent_sid, n.depth) for n in nodes] == [
        ("alue", "2079", "root", None, 0), ("alue", "210938", "region", "2079", 1), ("measure", "5", "leaf", None, 0)
    ]
    assert nodes[1].label == "Uusimaa\ttab"  # raw control character tolerated (tiku escapes only quotes)
    assert nodes[2].decimals == 1


@pytest.mark.parametrize("text, message", [
    ('{"id": "x"}', "not a dimensions JSONP document"),
    ("thl.pivot.loadDimensions([{]);", "not valid JSON inside the wrapper"),
    ("thl.pivot.loadDimensions([]);", "non-empty list"),
    ('thl.pivot.loadDimensions([{"id":"a","children":[{"label":"no sid"}]}]);', "a node has no 'sid'"),
])
def test_bad_jsonp_errors_name_the_document(text, message):
    with pytest.raises(ThlCubeError) as err:
        parse_dimensions(text, context="cube K dims")
    assert "cube K dims" in str(err.value) and message in str(err.value)


# -- live mode over loopback ----------------------------------------------------------------------


def test_live_fetch_over_loopback_archives_every_body_and_parses(tiku_server, tmp_path):
    tiku, base = tiku_server
    settings = live_settings(tmp_path, base)
    archive = RawArchive(settings.archive_path)
    results, stats = fetch_specs(lambda: ThlCubeClient(settings, live=True, runtime=archive), list(default_specs()))
    by_key = {r.spec.key: r for r in results}
    assert set(by_key) == {"pth_access_14d", "esh_psyk_children_90d"}
    assert all(r.listing.listed for r in results)
    psy = by_key["esh_psyk_children_90d"]
    nodes = parse_dimensions(psy.dimensions.body, context="t")  # real JSONP over HTTP
    assert any(n.stage == "tuottajayksikko" and n.code == "hus" for n in nodes)
    rows = [r for f in psy.facts for r in normalise(f.body, node_lookup(nodes))]
    supp = [r for r in rows if r["is_suppressed"]]
    assert supp and all(r["value"] is None and r["value_text"] == ".." for r in supp)
    assert {r["tuottaja_code"] for r in supp} == {"18"}
    assert any(r["value_text"] and "," in r["value_text"] for r in rows)  # decimal comma on the wire
    entries = archive.entries("thl_cube")
    assert len(entries) == stats.requests == 2 + 2 + 3 + 4  # listing + dims per spec, 3 + 4 year chunks
    assert all(e.ok and e.status == 200 and not e.synthetic for e in entries)
    # bodies are archived byte for byte and the replay of the archive gives the same payloads
    replayed, _ = fetch_specs(lambda: ThlCubeClient(settings, live=False, replay=RawArchive(settings.archive_path, writable=False)),
                              list(default_specs()))
    assert sorted(p.sha256 for r in replayed for p in r.all()) == sorted(e.sha256 for e in entries)


def test_level_selector_over_loopback_gives_the_whole_stage(tiku_server, tmp_path):
    tiku, base = tiku_server
    settings = live_settings(tmp_path, base)
    spec = spec_by_key("pth_access_14d")
    rows = [spec.query.rows[0].model_copy(update={"mode": "level", "sids": ["610019"]}), spec.query.rows[1]]
    level_spec = spec.model_copy(update={"query": spec.query.model_copy(update={"rows": rows})})
    (result,), _ = fetch_specs(lambda: ThlCubeClient(settings, live=True, runtime=RawArchive(settings.archive_path)), [level_spec])
    assert ("row", "palveluntuottaja-610019L") in result.facts[0].params
    nodes = parse_dimensions(result.dimensions.body, context="t")
    cells = normalise(result.facts[0].body, node_lookup(nodes))
    assert {c["palveluntuottaja_stage"] for c in cells} == {"hyvinvointialue"}  # no root total with L
    assert len({c["palveluntuottaja_code"] for c in cells}) == 22


def test_user_agent_and_accept_headers_are_sent(tiku_server, tmp_path):
    tiku, base = tiku_server
    settings = live_settings(tmp_path, base, user_agent="sote-test/1.0")
    fetch_specs(lambda: ThlCubeClient(settings, live=True, runtime=RawArchive(settings.archive_path)),
                [spec_by_key("esh_psyk_children_90d")])
    assert tiku.seen_headers
    assert all(h["user-agent"] == "sote-test/1.0" and h["accept"] == "*/*" for h in tiku.seen_headers)


def test_403_with_empty_body_names_cube_and_selectors_and_is_not_retried(tiku_server, tmp_path):
    tiku, base = tiku_server
    settings = live_settings(tmp_path, base)
    spec = spec_by_key("pth_access_14d")
    bad = spec.model_copy(update={"query": spec.query.model_copy(update={
        "rows": [spec.query.rows[0].model_copy(update={"sids": ["610000"]}), spec.query.rows[1]]})})
    archive = RawArchive(settings.archive_path)

    async def go():
        client = ThlCubeClient(settings, live=True, runtime=archive)
        try:
            await client.fetch(bad, "fact", f"{base}/fi/avohpaasy/pthhva01/fact_ahil_pthhva01.json",
                               [("row", "palveluntuottaja-999999"), ("column", "measure-640002.")], validate=lambda b, w: b)
        finally:
            await client.aclose()

    import asyncio

    before = len(tiku.requests)
    with pytest.raises(ThlQueryRejected) as err:
        asyncio.run(go())
    msg = str(err.value)
    assert "avohpaasy/pthhva01/fact_ahil_pthhva01" in msg and "HTTP 403" in msg and "empty body" in msg
    assert "row=palveluntuottaja-999999" in msg and "column=measure-640002." in msg
    assert len(tiku.requests) - before == 1  # no blind retry
    (entry,) = archive.entries("thl_cube")
    assert entry.ok is False and entry.status == 403 and entry.size == 0 and "403" in entry.error


def test_same_dimension_as_row_and_column_is_a_403_too(tiku_server, tmp_path):
    tiku, base = tiku_server
    status, _, body = tiku.handle("/pivot/prod/fi/avohpaasy/pthhva01/fact_ahil_pthhva01.json",
                                  [("row", "aika-620022"), ("column", "aika-620024")])
    assert (status, body) == (403, b"")


def test_unknown_cube_is_a_404_error(tiku_server, tmp_path):
    tiku, base = tiku_server
    settings = live_settings(tmp_path, base)
    spec = spec_by_key("pth_access_14d").model_copy(update={"hydra": "nosuch01"})
    with pytest.raises(ThlCubeNotFound, match="HTTP 404, unknown cube"):
        fetch_specs(lambda: ThlCubeClient(settings, live=True, runtime=RawArchive(settings.archive_path)), [spec])


def test_503_is_retried_with_backoff_then_succeeds(tiku_server, tmp_path):
    tiku, base = tiku_server
    tiku.fail_first["/fact_esh_psyk.dimensions.json"] = [503, 502]
    settings = live_settings(tmp_path, base)
    archive = RawArchive(settings.archive_path)
    results, stats = fetch_specs(lambda: ThlCubeClient(settings, live=True, runtime=archive), [spec_by_key("esh_psyk_children_90d")])
    assert stats.retries == 2
    assert len(results[0].facts) == 4


def test_malformed_jsonstat_fails_the_raw_asset_with_a_clear_error_and_writes_nothing(tiku_server, tmp_path):
    from assets.thl_cubes import raw_thl_cube

    tiku, base = tiku_server
    broken = b'{"dataset": {"version": "2.0", "class": "dataset", "dimension": {"id": ["a"], "size": [2]}, "value": {}}}'
    tiku.overrides["/fact_esh_psyk.json"] = (200, "application/json;charset=UTF-8", broken)
    settings = live_settings(tmp_path, base)
    result = dg.materialize([raw_thl_cube], resources=build_resources(settings), raise_on_error=False,
                            instance=dg.DagsterInstance.ephemeral())
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    text = failure.event_specific_data.error.to_string()
    assert "esh/psyk01/fact_esh_psyk" in text and "dimension 'a': missing or has no 'category' object" in text
    # nothing written to the warehouse
    if settings.warehouse_path.exists():
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'thl_cube'").fetchone()[0] == 0
    # the rejected body is kept for inspection, flagged, and never replayed
    rejected = [e for e in RawArchive(settings.archive_path).entries("thl_cube") if not e.ok]
    assert rejected and all("fact_esh_psyk" in e.url and "category" in e.error for e in rejected)
    assert RawArchive(settings.archive_path).lookup("GET", rejected[0].url, rejected[0].params) is None


def test_bad_spec_is_reported_with_its_file(tmp_path):
    text = (PROJECT_ROOT / "pipelines" / "cube_specs" / "pth_access_14d.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('dimension = "aika"\nperiod_stage', 'dimension = "nosuch"\nperiod_stage'), encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_spec(bad)
    assert "bad.toml" in str(err.value) and "time dimension 'nosuch' must be a row or column" in str(err.value)


def test_listing_json_matches_the_documented_shape(tiku_server):
    tiku, base = tiku_server
    status, ctype, body = tiku.handle("/pivot/prod/api/avohpaasy.json", [])
    doc = json.loads(body)
    assert status == 200 and doc["class"] == "collection"
    assert {i["href"].split("/pivot/prod/")[1][:3] for i in doc["link"]["item"]} == {"fi/", "sv/", "en/"}
    assert tiku.handle("/pivot/prod/api/nosuch.json", [])[0] == 404


def test_live_materialisation_over_loopback_equals_the_replay(tiku_server, tmp_path, full_run):
    """Live mode end to end (raw -> fragment) against the loopback tiku gives the replay's values."""
    from tests.conftest import run_all

    tiku, base = tiku_server
    settings = live_settings(tmp_path, base)
    keys = [dg.AssetKey(k) for k in (["raw", "thl_cube"], ["staging", "thl_nodes"], ["staging", "thl_cells"],
                                     ["staging", "thl_region_map"], ["staging", "thl_values"], ["fragments", "thl_cube"])]
    result = run_all(settings, selection=keys)
    assert result.success
    assert len(RawArchive(settings.archive_path).entries("thl_cube")) == 11
    cols = "measure_key, region_code, year, breakdown, value, is_suppressed, missing_reason"
    query = f"SELECT {cols} FROM fragments.thl_cube ORDER BY ALL"
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        live = con.execute(query).fetchall()
        assert not con.execute("SELECT bool_or(is_synthetic) FROM fragments.thl_cube").fetchone()[0]
    with duckdb.connect(str(full_run[0].warehouse_path), read_only=True) as con:
        replay = con.execute(query).fetchall()
    assert live == replay and len(live) == 460


def test_an_unroled_dimension_with_several_nodes_fails_the_cell_key_check(tmp_path):
    """If a spec leaves a non-role dimension with several nodes (eala without '.'), cells would merge."""
    from pipelines.sources.thl_cube.normalise import cells_frame
    from pipelines.builds import build
    from quality.gx_bridge import run_suite
    from quality.suites.thl_cube import SUITES

    cube = GEN.psychiatry_cube()
    spec = spec_by_key("esh_psyk_children_90d")
    dims = GEN.render_dimensions(cube)
    params = [("row", "tuottaja-710000"), ("row", "eala-730100"), ("column", "measure-740001.740003"), ("column", "time-720024")]
    body = GEN.render_fact(cube, params)
    nodes = [(spec.key, n.dimension, n.sid, n.code, n.stage, n.label) for n in parse_dimensions(dims, context="t")]
    facts = [(spec.key, "sha", "2024", "u", "p", None, True, body)]
    suite = next(s for s in SUITES if s.table == "staging.thl_cells")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        build(con, "staging.thl_cells", "staging/thl_cells", frames=lambda: {"thl_cells_in": cells_frame([spec], facts, nodes)})
        results = {r.check_name: r for r in run_suite(suite, con)}
    assert not results["one_cell_per_role_coordinate"].passed
    assert results["cell_key_unique"].passed and results["suppressed_is_null"].passed
