"""THL cubes end to end: full replay materialisation on the bundled sample (data/sample), checked
against the archived payloads decoded independently here, plus the configuration files that go
with the specs (caveats, source refs) and the reproducibility of the sample itself."""

import csv
import importlib.util
import json
import shutil
import sys
from collections import defaultdict

import dagster as dg
import duckdb
import pandas as pd
import pytest

from pipelines.sources.thl_cube.normalise import region_rules_frame
from pipelines.builds import build
from pipelines.archive import RawArchive
from pipelines.contract import ORGANISER_CODES
from pipelines.settings import PROJECT_ROOT
from pipelines.sources.thl_cube_specs import default_specs
from quality.gx_bridge import run_suite
from quality.suites.thl_cube import SUITES
from tests.conftest import failed_checks, make_settings, run_all

SAMPLE = PROJECT_ROOT / "data" / "sample"
GAP_2023 = "no data collected: THL did not collect primary-care access data in 2023 (wellbeing-area start-up year)"
ORGANISERS_AND_COUNTRY = set(ORGANISER_CODES) | {"SSS"}
THL_ASSETS = ["raw/thl_cube", "staging/thl_nodes", "staging/thl_cells", "staging/thl_region_map", "staging/thl_values",
              "fragments/thl_cube"]


def mart(settings, sql, params=()):
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute(sql, list(params)).df()


def archived_cells(measure_key: str) -> list[dict]:
    """Decode the sample's JSON-stat facts with plain json (independent of our normaliser)."""
    archive = RawArchive(SAMPLE, writable=False)
    out = []
    for e in archive.entries("thl_cube"):
        if e.meta.get("kind") != "fact" or e.meta.get("measure_key") != measure_key:
            continue
        ds = json.loads(archive.read(e))["dataset"]
        ids, sizes = ds["dimension"]["id"], ds["dimension"]["size"]
        keys = [sorted(ds["dimension"][d]["category"]["index"], key=ds["dimension"][d]["category"]["index"].get) for d in ids]
        for flat, text in (ds["value"] or {}).items():
            rem, coord = int(flat), {}
            for d, n, k in reversed(list(zip(ids, sizes, keys))):
                coord[d] = k[rem % n]
                rem //= n
            out.append({**coord, "text": text})
    return out


def labels_by_code(measure_key: str, dimension: str) -> dict[str, str]:
    """sid -> node code from the archived dimension tree (plain JSONP stripping)."""
    archive = RawArchive(SAMPLE, writable=False)
    (e,) = [e for e in archive.entries("thl_cube") if e.meta.get("kind") == "dimensions" and e.meta.get("measure_key") == measure_key]
    text = archive.read(e).decode()
    tree = json.loads(text[text.index("(") + 1: text.rindex(")")], strict=False)
    out = {}

    def walk(n):
        out[str(n["sid"])] = n["code"]
        for c in n["children"]:
            walk(c)

    for d in tree:
        if d["id"] == dimension:
            for n in d["children"]:
                walk(n)
    return out


@pytest.fixture(scope="module")
def thl_run(full_run):
    settings, result = full_run
    return settings, result


def test_thl_assets_materialise_and_no_thl_contract_check_fails(thl_run):
    settings, result = thl_run
    done = {e.asset_key.to_user_string() for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"}
    assert set(THL_ASSETS) <= done
    thl_failures = {k: v for k, v in failed_checks(result).items() if "thl" in k[0]}
    # only the documented plausibility warning: partial years in the sample (empty cells)
    assert thl_failures == {("staging/thl_values", "full_year"): "WARN"}
    assert "marts/measure_values" in done


def test_2_1_1_01_rows_for_every_organiser_year_and_professional_group(thl_run):
    settings, _ = thl_run
    df = mart(settings, "SELECT * FROM marts.measure_values WHERE measure_key = '2.1.1-01'")
    assert set(df.source) == {"thl_cube"} and set(df.source_ref) == {"640002"} and set(df.unit) == {"percent"}
    for (year, breakdown), g in df.groupby(["year", "breakdown"]):
        assert set(g.region_code) == ORGANISERS_AND_COUNTRY, (year, breakdown)
        assert len(g) == 23
    assert set(df.year) == {2022, 2023, 2024, 2025}
    assert set(df.breakdown) == {"total", "physician", "nurse", "other_professional"}
    assert df.is_synthetic.all()


def test_2023_primary_care_gap_is_explicit(thl_run):
    settings, _ = thl_run
    df = mart(settings, "SELECT * FROM marts.measure_values WHERE measure_key = '2.1.1-01' AND year = 2023")
    assert len(df) == 23 * 4
    assert df.value.isna().all()
    assert set(df.missing_reason) == {GAP_2023}
    assert not df.is_suppressed.any()


def test_empty_cells_give_no_value_published(thl_run):
    settings, _ = thl_run
    row = mart(settings, "SELECT * FROM marts.measure_values WHERE measure_key = '2.1.1-01' AND region_code = '20' "
                         "AND year = 2025 AND breakdown = 'other_professional'").iloc[0]
    assert pd.isna(row.value) and row.missing_reason == "no value published" and not row.is_suppressed


def test_suppressed_cell_is_null_and_flagged_not_zero(thl_run):
    settings, _ = thl_run
    df = mart(settings, "SELECT * FROM marts.measure_values WHERE measure_key = '2.1.1-03'")
    for year, g in df.groupby("year"):
        assert set(g.region_code) == ORGANISERS_AND_COUNTRY and len(g) == 23, year
    supp = df[df.is_suppressed]
    assert list(zip(supp.region_code, supp.year)) == [("18", 2024)]
    row = supp.iloc[0]
    assert pd.isna(row.value) and row.missing_reason == "suppressed by source (..)"
    assert (df.value.fillna(-1) != 0).all()  # nothing was turned into 0
    # the raw text is kept in staging
    cells = mart(settings, "SELECT value_text, value FROM staging.thl_cells WHERE is_suppressed")
    assert set(cells.value_text) == {".."} and cells.value.isna().all()


def test_year_values_match_the_archived_months_weighted_by_visits(thl_run):
    """Recompute 2.1.1-01 from the payloads: sum(share * visits) / sum(visits) over the year's months."""
    settings, _ = thl_run
    codes = labels_by_code("2.1.1-01", "palveluntuottaja")
    groups = {"630000": "total", "630001": "physician", "630002": "nurse", "630003": "other_professional"}
    stages = labels_by_code("2.1.1-01", "aika")  # sid -> code: months are 6 digits, years 4
    acc = defaultdict(lambda: [0.0, 0.0])
    by_cell = defaultdict(dict)
    for c in archived_cells("2.1.1-01"):
        month = stages[c["aika"]]
        if len(month) != 6:
            continue  # the year appended as a total
        by_cell[(c["palveluntuottaja"], c["ammatti"], month)][c["measure"]] = c["text"]
    for (prov, grp, month), m in by_cell.items():
        if "640002" in m and "640001" in m:
            a = acc[(codes[prov], groups[grp], int(month[:4]))]
            a[0] += float(m["640002"]) * float(m["640001"])
            a[1] += float(m["640001"])
    df = mart(settings, "SELECT region_code, breakdown, year, value FROM marts.measure_values "
                        "WHERE measure_key = '2.1.1-01' AND value IS NOT NULL")
    assert len(df) == len(acc) > 200
    for r in df.itertuples():
        code = "kaikki" if r.region_code == "SSS" else r.region_code
        s, w = acc[(code, r.breakdown, r.year)]
        assert r.value == pytest.approx(s / w, abs=1e-9), (r.region_code, r.breakdown, r.year)


def test_hus_value_goes_to_each_uusimaa_organiser_flagged_not_comparable(thl_run):
    settings, _ = thl_run
    df = mart(settings, "SELECT region_code, year, value FROM marts.measure_values WHERE measure_key = '2.1.1-03' "
                        "AND region_code IN ('01','02','03','04','90') ORDER BY year, region_code")
    assert len(df) == 20 and df.value.notna().all()
    assert (df.groupby("year").value.nunique() == 1).all()  # one HUS value per year, shared
    flags = mart(settings, "SELECT region_code, is_comparable, caveat_en FROM staging.thl_values "
                           "WHERE spec_key = 'esh_psyk_children_90d' AND region_code IN ('01','02','03','04','90')")
    assert not flags.is_comparable.any() and flags.caveat_en.str.contains("HUS").all()
    other = mart(settings, "SELECT is_comparable FROM staging.thl_values WHERE region_code NOT IN ('01','02','03','04','90')")
    assert other.is_comparable.all()
    # TAYS / OYS provider units map to their organisers, one to one
    m = mart(settings, "SELECT region_label, region_code FROM staging.thl_region_map WHERE matched_by = 'sid' AND is_comparable")
    assert dict(zip(m.region_label, m.region_code)) == {"TAYS, lasten- ja nuorisopsykiatria": "08",
                                                        "OYS, lasten- ja nuorisopsykiatria": "19"}


def test_both_measures_are_queryable_in_serving(thl_run):
    settings, result = thl_run
    published = {e.asset_key.to_user_string() for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"}
    assert "serving/publish" in published, f"serving.duckdb was not published: {failed_checks(result)}"
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        rows = con.execute(
            "SELECT measure_key, count(*), count(value) FROM marts.measure_values WHERE source = 'thl_cube' GROUP BY 1 ORDER BY 1"
        ).fetchall()
    # 2.1.1-01: 23 regions x 4 years x 4 groups; no values for 2023 (92 rows) and one empty cell
    # 2.1.1-03: 23 regions x 4 years; one suppressed year
    assert rows == [("2.1.1-01", 368, 368 - 92 - 1), ("2.1.1-03", 92, 91)]


def test_unmapped_provider_node_fails_the_blocking_check_and_is_listed(thl_run, tmp_path):
    settings, _ = thl_run
    db = tmp_path / "w.duckdb"
    shutil.copy(settings.warehouse_path, db)
    specs = list(default_specs())
    rules = region_rules_frame(specs)
    rules = rules[~((rules.spec_key == "esh_psyk_children_90d") & (rules.sid == "710301"))]  # forget HUS
    suite = next(s for s in SUITES if s.table == "staging.thl_region_map")
    with duckdb.connect(str(db)) as con:
        build(con, "staging.thl_region_map", "staging/thl_region_map", inputs=["staging.thl_cells"],
              frames=lambda: {"thl_region_rules_in": rules}, force=True)
        results = {r.check_name: r for r in run_suite(suite, con)}
    check = results["every_node_mapped"]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
    examples = check.metadata["unexpected_examples"].value
    assert examples == ['spec esh_psyk_children_90d: node sid 710301 "HUS Psykiatria, lapset ja nuoret" '
                        '(stage tuottajayksikko, code hus) has no region mapping']
    assert results["one_node_per_region"].passed


def test_second_run_skips_unchanged_thl_tables(tmp_path):
    settings = make_settings(tmp_path)
    keys = [dg.AssetKey(k.split("/")) for k in THL_ASSETS]
    first = run_all(settings, selection=keys)
    second = run_all(settings, selection=keys)
    assert first.success and second.success

    def rebuilt(result):
        return {e.asset_key.to_user_string(): e.event_specific_data.materialization.metadata["rebuilt"].value
                for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"}

    assert set(rebuilt(first).values()) == {True}
    assert set(rebuilt(second).values()) == {False}


def test_caveats_file_matches_the_specs_many_to_one_rules():
    with (PROJECT_ROOT / "pipelines" / "catalog" / "caveats_thl.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    got = {(r["measure_key"], r["source_ref"], r["region_code"]) for r in rows if r["severity"] == "not_comparable"}
    want = {(s.measure_key, s.source_ref, code) for s in default_specs() for r in s.region.rules if not r.comparable
            for code in r.region_codes}
    assert got == want and want
    gaps = {(r["measure_key"], r["year_from"]) for r in rows if r["severity"] == "info"}
    assert gaps == {(s.measure_key, str(g.year)) for s in default_specs() for g in s.gaps}


def test_source_refs_have_one_headline_per_thl_measure_matching_the_spec():
    with (PROJECT_ROOT / "pipelines" / "catalog" / "source_refs.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["source"] == "thl_cube"]
    headline = {r["measure_key"]: r["source_ref"] for r in rows if r["is_headline"] == "true"}
    assert headline == {s.measure_key: s.source_ref for s in default_specs()}
    assert len(rows) == len(headline)


def test_sample_archive_is_synthetic_and_reproducible(tmp_path):
    entries = RawArchive(SAMPLE, writable=False).entries("thl_cube")
    assert entries and all(e.synthetic and e.ok for e in entries)
    spec = importlib.util.spec_from_file_location("build_sample_thl_repro", PROJECT_ROOT / "scripts" / "build_sample_thl.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.rebuild(tmp_path / "sample")
    regenerated = RawArchive(tmp_path / "sample", writable=False).entries("thl_cube")
    assert sorted((e.request_key, e.sha256) for e in regenerated) == sorted((e.request_key, e.sha256) for e in entries)
