"""The comparable-mart SQL on small hand-made tables with answers worked out by hand.

Reference tables have the columns documented for the lead's reference assets; regions and
measures are the real catalogue (Statistics Finland codes, pipelines/catalog/measures.csv).
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from assets.caveats import CaveatFileError, build_caveats, caveat_files, read_caveat_file
from assets.reference import NEED_COEFFICIENTS_CSV, build_catalog
from assets.marts import build_objective_views, OBJECTIVE_REGION_YEAR_INPUTS, SCORECARD_INPUTS, COVERAGE_INPUTS
from pipelines.builds import build
from pipelines.contract import MEASURE_VALUES_COLUMNS
from pipelines.settings import PROJECT_ROOT
from pipelines.warehouse import execute_file

REGIONS_CSV = PROJECT_ROOT / "data" / "reference" / "regions" / "derived" / "wellbeing_areas_by_year.csv"


def _regions_frame() -> pd.DataFrame:
    """reference.regions as documented: 23 wellbeing areas, SSS, 5 cooperation areas (real 2024 names)."""
    src = REGIONS_CSV
    rows, areas = [], {}
    for r in csv.DictReader(src.open(encoding="utf-8")):
        if r["year"] != "2024":
            continue
        code = f"{int(r['hyvinvointialue_code']):02d}"
        organiser = code != "91"
        rows.append(dict(region_level="wellbeing_area", region_code=code, name_fi=r["hyvinvointialue_name_fi"],
                         name_sv=r["hyvinvointialue_name_sv"].strip(), name_en=r["hyvinvointialue_name_en"],
                         is_organiser=organiser, in_national_objectives=organiser,
                         cooperation_area_code=r["yhteistyoalue_code"] if organiser else None, sotkanet_id=None))
        if organiser:
            areas[r["yhteistyoalue_code"]] = (r["yhteistyoalue_name_fi"], r["yhteistyoalue_name_sv"], r["yhteistyoalue_name_en"])
    rows.append(dict(region_level="country", region_code="SSS", name_fi="Koko maa", name_sv="Hela landet", name_en="Whole country",
                     is_organiser=False, in_national_objectives=True, cooperation_area_code=None, sotkanet_id=None))
    for code, (fi, sv, en) in sorted(areas.items()):
        rows.append(dict(region_level="cooperation_area", region_code=code, name_fi=fi, name_sv=sv, name_en=en,
                         is_organiser=False, in_national_objectives=True, cooperation_area_code=None, sotkanet_id=None))
    return pd.DataFrame(rows)


def _measures_frame() -> pd.DataFrame:
    frame = pd.read_csv(PROJECT_ROOT / "pipelines" / "catalog" / "measures.csv", dtype=str, keep_default_na=False)
    frame["text_sv"] = None
    frame["group_fi"] = frame["group_fi"].replace("", None)
    return frame


def mv_row(measure_key, region_code, year, value, *, source_ref=None, region_level=None, unit=None,
           breakdown="total", breakdown_detail="total", source="sotkanet", missing_reason=None, suppressed=False):
    measures = _MEASURES.set_index("measure_key")
    level = region_level or ("country" if region_code == "SSS" else "wellbeing_area")
    return dict(measure_key=measure_key, objective_key=measures.loc[measure_key, "objective_key"], region_level=level,
                region_code=region_code, year=year, source_ref=source_ref or measure_key, breakdown=breakdown,
                breakdown_detail=breakdown_detail, value=value, value_text=None,
                unit=unit or measures.loc[measure_key, "unit"], is_suppressed=suppressed,
                missing_reason=missing_reason if value is None else None, value_origin="source", is_synthetic=True,
                source=source, payload_sha256="0" * 64, fetched_at=pd.Timestamp("2026-01-01"))


_MEASURES = _measures_frame()


def make_warehouse(path: Path, rows: list[dict], population: dict[tuple[str, int], float] | None = None,
                   sotkanet_decimals: dict[int, int] | None = None,
                   thl_decimals: dict[str, int] | None = None,
                   need_coefficients_csv: Path = NEED_COEFFICIENTS_CSV) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    for schema in ("reference", "marts", "staging"):
        con.execute(f"CREATE SCHEMA {schema}")
    build_catalog(con)
    con.register("f", _regions_frame())
    con.execute("CREATE TABLE reference.regions AS SELECT * FROM f")
    con.unregister("f")
    execute_file(con, "reference/need_coefficients", {"need_coefficients_csv": str(need_coefficients_csv), "year_end": 2026})
    # Published decimals: Sotkanet indicator metadata and THL measure nodes (shapes of the real tables).
    con.execute("CREATE TABLE reference.sotkanet_indicators (indicator_id INTEGER, decimals INTEGER)")
    con.execute("CREATE TABLE staging.thl_nodes (spec_key VARCHAR, dimension VARCHAR, sid VARCHAR, decimals INTEGER)")
    if sotkanet_decimals:
        con.executemany("INSERT INTO reference.sotkanet_indicators VALUES (?, ?)", list(sotkanet_decimals.items()))
    if thl_decimals:
        con.executemany("INSERT INTO staging.thl_nodes VALUES ('cube', 'measure', ?, ?)", list(thl_decimals.items()))
    pop = [dict(region_level="wellbeing_area", region_code=c, year=y, population=p, is_synthetic=True)
           for (c, y), p in (population or {}).items()]
    pop_frame = pd.DataFrame(pop, columns=["region_level", "region_code", "year", "population", "is_synthetic"])
    con.register("f", pop_frame)
    con.execute("CREATE TABLE reference.population AS SELECT region_level, region_code, year::INTEGER AS year, "
                "population::DOUBLE AS population, is_synthetic::BOOLEAN AS is_synthetic FROM f")
    con.unregister("f")
    cols = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t, _ in MEASURE_VALUES_COLUMNS)
    frame = pd.DataFrame(rows, columns=[c for c, _, _ in MEASURE_VALUES_COLUMNS])
    con.register("f", frame)
    con.execute(f"CREATE TABLE marts.measure_values AS SELECT {cols} FROM f")
    con.unregister("f")
    build_caveats(con, caveat_files())
    return con


def build_all(con, baseline_year: int = 2022) -> None:
    build(con, "marts.objective_region_year", "marts/objective_region_year", inputs=OBJECTIVE_REGION_YEAR_INPUTS,
          params={"baseline_year": baseline_year})
    build(con, "marts.region_scorecard", "marts/region_scorecard", inputs=SCORECARD_INPUTS)
    build(con, "marts.measure_coverage", "marts/measure_coverage", inputs=COVERAGE_INPUTS)


def ory(con, measure_key, region_code, year, region_level=None, source_ref=None) -> dict:
    level = region_level or ("country" if region_code == "SSS" else "wellbeing_area")
    frame = con.execute(
        "SELECT * FROM marts.objective_region_year WHERE measure_key = ? AND region_code = ? AND year = ? "
        "AND region_level = ? AND source_ref = ?",
        [measure_key, region_code, year, level, source_ref or measure_key],
    ).df()
    assert len(frame) == 1, f"expected one row for {measure_key} {region_code} {year}, got {len(frame)}"
    return frame.iloc[0].to_dict()


# 2.1.1-01 higher is better, 2.3.1-02 lower is better, 2.2.1-06 neither: same values for each.
VALUES = {"01": 10.0, "02": 20.0, "03": 20.0, "04": 5.0, "90": None}


@pytest.fixture()
def ranked_con(tmp_path):
    rows = []
    for key in ("2.1.1-01", "2.3.1-02", "2.2.1-06"):
        for code, value in VALUES.items():
            rows.append(mv_row(key, code, 2024, value, missing_reason="suppressed"))
        rows.append(mv_row(key, "SSS", 2024, 16.0))
        rows.append(mv_row(key, "01", 2023, 8.0))
        rows.append(mv_row(key, "91", 2024, 1.0))  # Åland: never ranked
    con = make_warehouse(tmp_path / "w.duckdb", rows)
    build_all(con)
    yield con
    con.close()


@pytest.mark.parametrize(
    "measure_key, expected",
    [
        ("2.1.1-01", {"02": 1, "03": 1, "01": 3, "04": 4, "90": None, "91": None}),  # higher: ties share 1, next is 3
        ("2.3.1-02", {"04": 1, "01": 2, "02": 3, "03": 3, "90": None, "91": None}),  # lower
        ("2.2.1-06", {"01": None, "02": None, "03": None, "04": None, "90": None, "91": None}),  # neither
    ],
)
def test_rank_follows_direction_of_good_and_ties_share_a_rank(ranked_con, measure_key, expected):
    got = {code: ory(ranked_con, measure_key, code, 2024)["rank_among_organisers"] for code in expected}
    got = {k: (None if pd.isna(v) else int(v)) for k, v in got.items()}
    assert got == expected
    rank_n = ory(ranked_con, measure_key, "01", 2024)["rank_n"]
    assert (None if pd.isna(rank_n) else int(rank_n)) == (None if measure_key == "2.2.1-06" else 4)


def test_national_reference_join(ranked_con):
    row = ory(ranked_con, "2.1.1-01", "02", 2024)
    assert row["national_value"] == 16.0
    assert row["difference_to_national"] == pytest.approx(4.0)
    assert row["ratio_to_national"] == pytest.approx(1.25)
    missing = ory(ranked_con, "2.1.1-01", "90", 2024)
    assert missing["is_missing"] and missing["national_value"] == 16.0 and missing["missing_reason"] == "suppressed"
    assert pd.isna(missing["difference_to_national"])


def test_previous_year_and_change(ranked_con):
    row = ory(ranked_con, "2.1.1-01", "01", 2024)
    assert row["previous_year_value"] == 8.0
    assert row["change_from_previous_year"] == pytest.approx(2.0)
    assert row["change_pct_from_previous_year"] == pytest.approx(25.0)
    assert pd.isna(ory(ranked_con, "2.1.1-01", "02", 2024)["previous_year_value"])


def test_labels_in_three_languages(ranked_con):
    row = ory(ranked_con, "2.1.1-01", "04", 2024)
    assert row["region_name_fi"] == "Vantaan ja Keravan hyvinvointialue"
    assert row["region_name_sv"] == "Vanda och Kervo välfärdsområde"
    assert row["region_name_en"] == "Vantaa and Kerava wellbeing services county"
    assert row["measure_text_en"].startswith("Realisation of the 14-day maximum time")
    assert row["objective_key"] == "2.1.1"


# Cooperation area 5 (Northern Finland) = 18, 19, 20, 21; area 4 (Western Finland) = 05, 06, 17.
AREA5 = {"18": (10.0, 100.0), "19": (20.0, 300.0), "20": (30.0, 100.0), "21": (40.0, 500.0)}


@pytest.fixture()
def area_con(tmp_path):
    rows, population = [], {}
    for code, (value, pop) in AREA5.items():
        rows.append(mv_row("2.3.1-02", code, 2024, value))  # percent: population-weighted
        rows.append(mv_row("2.1.2-06", code, 2024, value, source="personnel_report"))  # count: summed
        rows.append(mv_row("2.3.1-02", code, 2023, value if code != "21" else None))  # incomplete: no area value
        population[(code, 2024)] = pop
        population[(code, 2023)] = pop
    for code in ("05", "06", "17"):
        rows.append(mv_row("2.3.1-02", code, 2024, 50.0))
        population[(code, 2024)] = 1000.0
    rows.append(mv_row("2.3.1-02", "4", 2024, 99.0, region_level="cooperation_area"))  # the source's own figure
    con = make_warehouse(tmp_path / "w.duckdb", rows, population)
    build_all(con)
    yield con
    con.close()


def test_cooperation_area_population_weighted_for_rates(area_con):
    row = ory(area_con, "2.3.1-02", "19", 2024)
    # (10*100 + 20*300 + 30*100 + 40*500) / 1000 = 30, not the unweighted mean 25
    assert row["cooperation_area_value"] == pytest.approx(30.0)
    assert row["cooperation_area_value_method"] == "population_weighted"
    area = ory(area_con, "2.3.1-02", "5", 2024, region_level="cooperation_area")
    assert area["value"] == pytest.approx(30.0) and area["value_origin"] == "derived"


def test_cooperation_area_sum_for_counts(area_con):
    row = ory(area_con, "2.1.2-06", "18", 2024)
    assert row["cooperation_area_value"] == pytest.approx(100.0)
    assert row["cooperation_area_value_method"] == "sum"


def test_cooperation_area_source_figure_wins(area_con):
    row = ory(area_con, "2.3.1-02", "05", 2024)
    assert row["cooperation_area_value"] == 99.0 and row["cooperation_area_value_method"] == "source"
    n = area_con.execute("SELECT count(*) FROM marts.objective_region_year WHERE region_level = 'cooperation_area' "
                         "AND region_code = '4' AND measure_key = '2.3.1-02' AND year = 2024").fetchone()[0]
    assert n == 1  # no derived duplicate next to the source row


def test_cooperation_area_left_empty_when_a_member_is_missing(area_con):
    row = ory(area_con, "2.3.1-02", "18", 2023)
    assert pd.isna(row["cooperation_area_value"]) and row["cooperation_area_value_method"] is None


def test_key_is_unique(area_con):
    dupes = area_con.execute(
        "SELECT count(*) FROM (SELECT measure_key, source_ref, region_level, region_code, year, breakdown, breakdown_detail "
        "FROM marts.objective_region_year GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()[0]
    assert dupes == 0


def test_not_comparable_caveat_sets_flag_and_skips_rank(tmp_path):
    rows = [mv_row("2.1.1-02", c, y, v, source_ref="3332") for c, v in (("01", 3.0), ("90", 1.0), ("02", 2.0)) for y in (2023, 2025)]
    con = make_warehouse(tmp_path / "w.duckdb", rows)
    build_all(con)
    helsinki = ory(con, "2.1.1-02", "90", 2023, source_ref="3332")
    assert helsinki["is_not_comparable"] and helsinki["caveat_severity"] == "not_comparable"
    assert "Helsinki" in helsinki["caveat_text_en"] and "HUS" in helsinki["caveat_text_en"]
    assert pd.isna(helsinki["rank_among_organisers"])
    assert int(ory(con, "2.1.1-02", "02", 2023, source_ref="3332")["rank_among_organisers"]) == 1
    assert int(ory(con, "2.1.1-02", "01", 2023, source_ref="3332")["rank_n"]) == 2
    later = ory(con, "2.1.1-02", "90", 2025, source_ref="3332")
    assert not later["is_not_comparable"] and later["caveat_severity"] == "info"  # data resumed in 2025
    assert int(later["rank_among_organisers"]) == 1
    vantaa = ory(con, "2.1.1-02", "02", 2025, source_ref="3332")
    assert vantaa["caveat_severity"] == "info" and not vantaa["is_not_comparable"]


def test_scorecard_latest_year_per_measure_and_missing_rows(tmp_path):
    rows = [mv_row("2.3.1-02", "01", 2023, 4.0), mv_row("2.3.1-02", "01", 2024, 5.0),
            mv_row("2.3.1-02", "02", 2023, 7.0),  # no 2024 row: still gets a 2024 scorecard row
            mv_row("2.3.1-02", "SSS", 2024, 6.0),
            mv_row("2.3.1-02", "01", 2024, 99.0, breakdown="gender", breakdown_detail="female")]
    rows = [dict(r, source_ref="404") for r in rows]
    con = make_warehouse(tmp_path / "w.duckdb", rows)
    build_all(con)
    card = con.execute("SELECT * FROM marts.region_scorecard WHERE measure_key = '2.3.1-02' ORDER BY region_code").df()
    assert len(card) == 22 and set(card["latest_year"]) == {2024} and set(card["source_ref"]) == {"404"}
    first = card[card.region_code == "01"].iloc[0]
    assert first["value"] == 5.0 and first["national_value"] == 6.0 and first["change_from_previous_year"] == 1.0
    second = card[card.region_code == "02"].iloc[0]
    assert second["is_missing"] and second["missing_reason"] == "no row for this organiser in the latest year of the measure"
    empty = con.execute("SELECT count(*), count(latest_year), min(missing_reason) FROM marts.region_scorecard "
                        "WHERE measure_key = '2.2.2-01'").fetchone()
    assert empty == (22, 0, "no data loaded for this measure yet")
    assert con.execute("SELECT count(*) FROM marts.region_scorecard").fetchone()[0] == 22 * 31


def test_measure_coverage_lists_every_measure(tmp_path):
    rows = [mv_row("2.3.1-02", c, 2024, 1.0, source_ref="404") for c in ("01", "02", "90")]
    con = make_warehouse(tmp_path / "w.duckdb", rows)
    build_all(con)
    cov = con.execute("SELECT * FROM marts.measure_coverage").df().set_index("measure_key")
    assert len(cov) == 31 and set(cov["status"]) <= {"automated", "curated", "not_available"}
    assert cov.loc["2.3.1-02", "latest_year"] == 2024 and cov.loc["2.3.1-02", "units_covered"] == 3
    assert cov.loc["2.3.1-02", "units_expected"] == 22
    assert cov.loc["2.3.2-02", "reported_level"] == "cooperation_area" and cov.loc["2.3.2-02", "units_expected"] == 5
    assert not cov.loc["2.2.2-01", "has_data"]


def test_objective_views_and_comments(ranked_con):
    views = build_objective_views(ranked_con)
    assert views == [f"marts.objective_{k}" for k in ("2_1_1", "2_1_2", "2_2_1", "2_2_2", "2_3_1", "2_3_2", "2_4_1", "2_4_2")]
    n = ranked_con.execute("SELECT count(*) FROM marts.objective_2_1_1").fetchone()[0]
    assert n == ranked_con.execute("SELECT count(*) FROM marts.objective_region_year WHERE objective_key = '2.1.1'").fetchone()[0] > 0
    undocumented = ranked_con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'marts' AND table_name <> 'measure_values' "
        "AND (comment IS NULL OR comment = '')").fetchall()
    assert undocumented == []


def test_unchanged_inputs_skip_rebuild(ranked_con):
    assert not build(ranked_con, "marts.objective_region_year", "marts/objective_region_year",
                     inputs=OBJECTIVE_REGION_YEAR_INPUTS, params={"baseline_year": 2022}).rebuilt
    ranked_con.execute("UPDATE marts.measure_values SET value = 11 WHERE region_code = '01' AND year = 2024")
    assert build(ranked_con, "marts.objective_region_year", "marts/objective_region_year",
                 inputs=OBJECTIVE_REGION_YEAR_INPUTS, params={"baseline_year": 2022}).rebuilt
    assert ory(ranked_con, "2.1.1-01", "01", 2024)["value"] == 11.0


def test_bad_caveat_file_names_file_line_and_field(tmp_path):
    bad = tmp_path / "caveats_bad.csv"
    bad.write_text("measure_key,source_ref,region_level,region_code,year_from,year_to,severity,text_en,text_fi,source\n"
                   "2.1.1-02,,wellbeing_area,90,2021,2024,not_comparable,ok,,x\n"
                   "2.1.1-02,,wellbeing_area,90,2021,2024,terrible,text,,x\n", encoding="utf-8")
    with pytest.raises(CaveatFileError, match=r"caveats_bad.csv, line 3, field severity"):
        read_caveat_file(bad)
    assert len(read_caveat_file(caveat_files()[0])) >= 1


@pytest.mark.parametrize("table", ["marts.objective_region_year", "marts.region_scorecard", "marts.measure_coverage",
                                   "reference.caveats"])
def test_declared_asset_schema_matches_the_built_table(ranked_con, table):
    """The column schema the Dagster UI shows before a run (from COMMENT ON) is the real one."""
    import assets.caveats as caveats_assets
    import assets.marts as marts_assets

    asset = {"marts.objective_region_year": marts_assets.objective_region_year, "marts.region_scorecard": marts_assets.region_scorecard,
             "marts.measure_coverage": marts_assets.measure_coverage, "reference.caveats": caveats_assets.caveats}[table]
    declared = [c.name for c in asset.specs_by_key[asset.key].metadata["dagster/column_schema"].columns]
    schema, name = table.split(".")
    built = [r[0] for r in ranked_con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? ORDER BY column_index", [schema, name]
    ).fetchall()]
    assert declared == built
