"""Full replay materialisation (conftest ``full_run``): the seven 2.1.2 measures for all 22
organisers, derived cooperation-area and country figures, small-group suppression, the replaced
delivery, and the template command."""

from __future__ import annotations

from collections import defaultdict

import duckdb
import pytest

from pipelines.cli import main as cli_main
from pipelines.contract import ORGANISER_CODES
from pipelines.sources.personnel import AGE_BANDS, parse_delivery, rows_to_csv
from tests.conftest import failed_checks, materialized

HEADLINES = {
    "2.1.2-01": "person_years_htv2",
    "2.1.2-02": "share_aged_55_plus",
    "2.1.2-03": "permanent_turnover_pct",
    "2.1.2-04": "sickness_absence_days_per_htv",
    "2.1.2-05": "training_days_per_htv",
    "2.1.2-06": "key_shortage_unfilled_positions",
    "2.1.2-07": "agency_labour_share_htv",
}
YEARS = (2023, 2024)


@pytest.fixture(scope="module")
def serving(full_run):
    settings, result = full_run
    assert result.success, failed_checks(result)
    con = duckdb.connect(str(settings.serving_path), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def warehouse(full_run):
    settings, _ = full_run
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    yield con
    con.close()


def test_personnel_assets_and_checks_ran(full_run):
    _, result = full_run
    done = materialized(result)
    assert {"raw/personnel_deliveries", "staging/personnel_report", "fragments/personnel_report",
            "marts/measure_values", "serving/publish"} <= done
    personnel_failures = {k: v for k, v in failed_checks(result).items() if "personnel" in k[0]}
    assert personnel_failures == {}


def test_seven_measures_for_all_22_organisers(serving):
    rows = serving.execute(
        "SELECT measure_key, source_ref, region_code, year, breakdown_detail, value, value_text, is_synthetic "
        "FROM marts.measure_values WHERE source = 'personnel_report' AND region_level = 'wellbeing_area' "
        "AND breakdown = 'total' AND value IS NOT NULL"
    ).fetchall()
    have = defaultdict(set)
    for measure, ref, region, year, detail, value, text, synthetic in rows:
        assert synthetic is True
        if HEADLINES.get(measure) == ref:
            have[(measure, year, detail)].add(region)
    for measure in HEADLINES:
        for year in YEARS:
            details = ["rank_1", "rank_2", "rank_3"] if measure == "2.1.2-06" else ["total"]
            for detail in details:
                assert have[(measure, year, detail)] == set(ORGANISER_CODES), (measure, year, detail)
    # age structure by band and per-1 000 and EUR sub-measures are there too
    counts = dict(serving.execute(
        "SELECT source_ref, count(DISTINCT region_code) FROM marts.measure_values WHERE source = 'personnel_report' "
        "AND region_level = 'wellbeing_area' AND breakdown = 'total' AND value IS NOT NULL GROUP BY 1").fetchall())
    assert counts["age_band_share"] == counts["person_years_htv2_per_1000"] == counts["agency_labour_cost"] == 22
    shortage_text = serving.execute(
        "SELECT DISTINCT value_text FROM marts.measure_values WHERE source_ref = 'key_shortage_unfilled_positions'").fetchall()
    assert {t for (t,) in shortage_text} <= {"nurse", "practical_nurse", "physician", "social_worker", "psychologist"}


def test_small_groups_are_suppressed_and_only_they(warehouse, serving):
    small = set(warehouse.execute(
        "SELECT area_code, year, staff_group FROM staging.personnel_report "
        "WHERE metric = 'headcount' AND breakdown = 'total' AND value < 5").fetchall())
    assert ("20", 2023, "psychologist") in small  # the sample's deliberate small group
    suppressed = serving.execute(
        "SELECT region_code, year, breakdown, value, missing_reason FROM marts.measure_values "
        "WHERE source = 'personnel_report' AND is_suppressed").fetchall()
    assert suppressed
    assert {(r, y, b) for r, y, b, _, _ in suppressed} == small
    assert all(v is None and m == "suppressed: fewer than 5 persons in the group" for *_, v, m in suppressed)
    # not suppressed: the same group in a county where it has 12 persons
    value = serving.execute(
        "SELECT value FROM marts.measure_values WHERE source_ref = 'person_years_htv2' AND region_code = '18' "
        "AND year = 2024 AND breakdown = 'psychologist'").fetchone()[0]
    assert value is not None and value > 5


def _staged(warehouse, metric, breakdown="total", group="all"):
    return dict(((a, y), v) for a, y, v in warehouse.execute(
        "SELECT area_code, year, value FROM staging.personnel_report WHERE metric = ? AND breakdown = ? AND staff_group = ?",
        [metric, breakdown, group]).fetchall())


def _mart(serving, source_ref, level, code, year, breakdown="total", detail="total"):
    return serving.execute(
        "SELECT value, value_origin FROM marts.measure_values WHERE source = 'personnel_report' AND source_ref = ? "
        "AND region_level = ? AND region_code = ? AND year = ? AND breakdown = ? AND breakdown_detail = ?",
        [source_ref, level, code, year, breakdown, detail]).fetchone()


def test_country_and_cooperation_areas_sum_counts_and_recompute_ratios(warehouse, serving):
    htv = _staged(warehouse, "person_years_htv2")
    permanent = _staged(warehouse, "headcount", "permanent")
    leavers = _staged(warehouse, "permanent_leavers")
    turnover = _staged(warehouse, "permanent_turnover_pct")
    members = defaultdict(list)
    for code, area in warehouse.execute(
            "SELECT region_code, cooperation_area_code FROM reference.regions WHERE region_level = 'wellbeing_area' AND is_organiser"
    ).fetchall():
        members[area].append(code)
    for year in YEARS:
        total = sum(htv[(c, year)] for c in ORGANISER_CODES)
        value, origin = _mart(serving, "person_years_htv2", "country", "SSS", year)
        assert value == pytest.approx(total) and origin == "derived"
        # counties that delivered turnover % are turned back into leavers before summing
        left = sum(leavers.get((c, year), turnover.get((c, year), 0) * permanent[(c, year)] / 100) for c in ORGANISER_CODES)
        value, _ = _mart(serving, "permanent_turnover_pct", "country", "SSS", year)
        assert value == pytest.approx(left / sum(permanent[(c, year)] for c in ORGANISER_CODES) * 100)
        for area, codes in members.items():
            value, origin = _mart(serving, "person_years_htv2", "cooperation_area", area, year)
            assert value == pytest.approx(sum(htv[(c, year)] for c in codes)) and origin == "derived"
    population = dict(((c, y), p) for c, y, p in warehouse.execute(
        "SELECT region_code, year, population FROM reference.population WHERE region_level = 'wellbeing_area'").fetchall())
    value, _ = _mart(serving, "person_years_htv2_per_1000", "wellbeing_area", "08", 2023)
    assert value == pytest.approx(htv[("08", 2023)] / population[("08", 2023)] * 1000)


def test_age_structure_shares_add_up_and_match_share_55_plus(serving):
    for level, code in (("wellbeing_area", "05"), ("country", "SSS"), ("cooperation_area", "2")):
        shares = {b: _mart(serving, "age_band_share", level, code, 2024, detail=b)[0] for b in AGE_BANDS}
        assert sum(shares.values()) == pytest.approx(100, abs=0.5)
        share_55, _ = _mart(serving, "share_aged_55_plus", level, code, 2024)
        assert share_55 == pytest.approx(shares["55-64"] + shares["65+"])


def test_corrected_sample_delivery_replaced_the_first(warehouse):
    ledger = warehouse.execute(
        "SELECT file_name, status FROM raw.personnel_deliveries WHERE area_code = '08' AND year = 2024 ORDER BY received_at"
    ).fetchall()
    assert ledger == [("henkilostokertomus_08_2024.csv", "replaced"), ("henkilostokertomus_08_2024_korjattu.csv", "accepted")]
    files = warehouse.execute(
        "SELECT DISTINCT file_name FROM staging.personnel_report WHERE area_code = '08' AND year = 2024").fetchall()
    assert files == [("henkilostokertomus_08_2024_korjattu.csv",)]


def test_template_command_writes_csv_and_xlsx_that_load_once_filled(tmp_path, capsys):
    assert cli_main(["personnel-template", "--county", "8", "--year", "2024", "--out", str(tmp_path)]) == 0
    csv_path, xlsx_path = tmp_path / "personnel_08_2024.csv", tmp_path / "personnel_08_2024.xlsx"
    assert str(csv_path) in capsys.readouterr().out
    assert csv_path.read_bytes().startswith(b"area_code,year,staff_group,metric,breakdown,value,unit")
    import csv as csvlib

    rows = list(csvlib.DictReader(csv_path.read_text(encoding="utf-8").splitlines()))
    assert rows and all(r["area_code"] == "08" and r["year"] == "2024" and r["value"] == "" for r in rows)
    # an analyst fills in the all-staff headcount and person-years: the file then loads
    for r in rows:
        if r["staff_group"] == "all" and r["metric"] == "headcount" and r["breakdown"] == "total":
            r["value"] = "1 200"
        if r["staff_group"] == "all" and r["metric"] == "person_years_htv2":
            r["value"] = "1100,5"
    delivery = parse_delivery(rows_to_csv(rows), "filled.csv", years=range(2015, 2025))
    assert len(delivery.rows) == 2 and len(delivery.blank_rows) == len(rows) - 2
    # the untouched XLSX template is read (sheet 'personnel') but has nothing to load
    from pipelines.sources.files import DeliveryRejected

    with pytest.raises(DeliveryRejected, match="no filled-in data rows"):
        parse_delivery(xlsx_path.read_bytes(), "empty.xlsx", years=range(2015, 2025))
    assert cli_main(["personnel-template", "--county", "99", "--year", "2024", "--out", str(tmp_path)]) == 2
