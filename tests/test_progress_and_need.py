"""Progress since the baseline and need-adjusted costs, on hand-made tables with answers worked
out by hand: the real mart SQL (sql/marts/*.sql) and the real need-coefficient SQL
(sql/reference/need_coefficients.sql) over a small coefficient file written here."""

from __future__ import annotations

import math

import pytest

from tests.test_marts_sql import build_all, make_warehouse, mv_row, ory

NEED = "2.2.1-06"


def _null(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _trend(con, measure_key, region_code, year, source_ref=None, region_level=None):
    row = ory(con, measure_key, region_code, year, region_level=region_level, source_ref=source_ref)
    return row["trend_direction"], row["trend_reason"], row


@pytest.fixture(scope="module")
def progress_con(tmp_path_factory):
    rows = [
        # 2.1.1-05: percent, lower is better; 2022 present. Band: 1 percentage point, edge included.
        mv_row("2.1.1-05", "01", 2021, 50.0), mv_row("2.1.1-05", "01", 2022, 45.3),
        mv_row("2.1.1-05", "01", 2023, 46.3), mv_row("2.1.1-05", "01", 2024, 46.4),
        mv_row("2.1.1-05", "02", 2022, 45.3), mv_row("2.1.1-05", "02", 2024, 44.2),
        # 2.1.1-01: percent, higher is better; no 2022 value -> baseline 2023; a series starting in 2024.
        mv_row("2.1.1-01", "03", 2021, 60.0, source="thl_cube"),
        mv_row("2.1.1-01", "03", 2022, None, source="thl_cube", missing_reason="no data collected in 2022"),
        mv_row("2.1.1-01", "03", 2023, 62.0, source="thl_cube"), mv_row("2.1.1-01", "03", 2024, 63.5, source="thl_cube"),
        mv_row("2.1.1-01", "04", 2024, 70.0, source="thl_cube"),
        # 2.1.2-02: no direction of good.
        mv_row("2.1.2-02", "05", 2022, 20.0, source="personnel_report"),
        mv_row("2.1.2-02", "05", 2024, 25.0, source="personnel_report"),
        # 2.1.2-01 person-years: a total.
        mv_row("2.1.2-01", "05", 2022, 1000.0, source_ref="person_years_htv2", source="personnel_report"),
        mv_row("2.1.2-01", "05", 2024, 1200.0, source_ref="person_years_htv2", source="personnel_report"),
        # 2.1.1-02 per 10 000: relative band of 3 % of the baseline value, lower is better.
        mv_row("2.1.1-02", "06", 2022, 100.0, source_ref="3332"), mv_row("2.1.1-02", "06", 2023, 103.0, source_ref="3332"),
        mv_row("2.1.1-02", "06", 2024, 96.9, source_ref="3332"),
        mv_row("2.1.1-02", "07", 2022, 100.0, source_ref="3332"), mv_row("2.1.1-02", "07", 2024, 103.1, source_ref="3332"),
        # 2.3.2-02: a grade reported per cooperation area (Kainuu 20 is in area 5).
        mv_row("2.3.2-02", "5", 2023, 3.0, region_level="cooperation_area", source="curated"),
        mv_row("2.3.2-02", "5", 2024, 2.0, region_level="cooperation_area", source="curated"),
    ]
    con = make_warehouse(tmp_path_factory.mktemp("progress") / "w.duckdb", rows)
    build_all(con)
    yield con
    con.close()


def test_baseline_is_2022_when_present(progress_con):
    row = ory(progress_con, "2.1.1-05", "01", 2024)
    assert (row["baseline_year"], row["baseline_is_later"], row["baseline_value"]) == (2022, False, 45.3)
    assert math.isclose(row["change_since_baseline"], 1.1, abs_tol=1e-9) and row["change_since_baseline_display"] == 1.1
    before = ory(progress_con, "2.1.1-05", "01", 2021)
    assert _null(before["change_since_baseline"])
    assert _trend(progress_con, "2.1.1-05", "01", 2021)[:2] == ("not_assessed", "a year before the baseline (2022)")
    assert _trend(progress_con, "2.1.1-05", "01", 2022)[:2] == ("not_assessed", "the baseline year itself")


def test_baseline_is_the_first_later_year_when_2022_is_missing(progress_con):
    row = ory(progress_con, "2.1.1-01", "03", 2024, source_ref="2.1.1-01")
    assert (row["baseline_year"], row["baseline_is_later"], row["baseline_value"]) == (2023, True, 62.0)
    assert row["trend_direction"] == "improving" and row["change_since_baseline"] == 1.5


def test_a_series_starting_later_with_one_year_is_not_assessed(progress_con):
    direction, reason, row = _trend(progress_con, "2.1.1-01", "04", 2024)
    assert (row["baseline_year"], row["baseline_is_later"]) == (2024, True)
    assert (direction, reason) == ("not_assessed", "fewer than two years with data since the baseline")


def test_lower_is_better_and_the_stable_edge_is_included(progress_con):
    # 46.3 - 45.3 is 0.99999999999999645 in binary: exactly at the 1-point band, so stable
    assert _trend(progress_con, "2.1.1-05", "01", 2023)[0] == "stable"
    assert _trend(progress_con, "2.1.1-05", "01", 2024)[0] == "worsening"  # +1.1 points
    assert _trend(progress_con, "2.1.1-05", "02", 2024)[0] == "improving"  # -1.1 points
    assert "lower is better" in _trend(progress_con, "2.1.1-05", "02", 2024)[1]


def test_higher_is_better(progress_con):
    assert _trend(progress_con, "2.1.1-01", "03", 2024)[0] == "improving"


def test_no_direction_of_good_and_totals_are_not_assessed(progress_con):
    direction, reason, row = _trend(progress_con, "2.1.2-02", "05", 2024, source_ref="2.1.2-02")
    assert (direction, reason) == ("not_assessed", "the measure has no direction of good")
    assert row["change_since_baseline"] == 5.0  # the change is still shown
    direction, reason, _ = _trend(progress_con, "2.1.2-01", "05", 2024, source_ref="person_years_htv2")
    assert direction == "not_assessed" and reason.startswith("a total")


def test_relative_band_at_its_edge(progress_con):
    assert _trend(progress_con, "2.1.1-02", "06", 2023, source_ref="3332")[0] == "stable"  # +3 % exactly
    assert _trend(progress_con, "2.1.1-02", "06", 2024, source_ref="3332")[0] == "improving"  # -3.1 %
    assert _trend(progress_con, "2.1.1-02", "07", 2024, source_ref="3332")[0] == "worsening"  # +3.1 %


def test_scorecard_progress_of_a_measure_reported_per_cooperation_area(progress_con):
    row = progress_con.execute(
        "SELECT latest_year, baseline_year, baseline_is_later, change_since_baseline, trend_direction "
        "FROM marts.region_scorecard WHERE measure_key = '2.3.2-02' AND region_code = '20'").fetchone()
    assert row == (2024, 2023, True, -1.0, "worsening")  # higher grades are better


# -- need-adjusted costs -----------------------------------------------------------------------

COEFFICIENTS = """year,hyvinvointialue_code,area_name_fi,vakiluku,yli_64_vuotiaat,kokonaistarvekerroin
2022,20,Kainuun hyvinvointialue,70000,0,1.25
2022,19,Pohjois-Pohjanmaan hyvinvointialue,400000,0,0.8
2022,SSS,Koko maa,5500000,0,1
2023,20,Kainuun hyvinvointialue,70000,0,1.2
2023,19,Pohjois-Pohjanmaan hyvinvointialue,400000,0,0.75
2023,SSS,Koko maa,5500000,0,1
"""


@pytest.fixture(scope="module")
def need_con(tmp_path_factory):
    root = tmp_path_factory.mktemp("need")
    (root / "coefficients.csv").write_text(COEFFICIENTS, encoding="utf-8")
    costs = {2021: {"20": 5000.0}, 2022: {"20": 5000.0, "19": 4000.0, "SSS": 4500.0},
             2023: {"20": 5400.0, "19": 3900.0, "SSS": 4600.0}, 2024: {"20": 5400.0, "19": 4200.0, "SSS": 4800.0}}
    rows = [mv_row(NEED, code, year, value, source_ref="5956") for year, values in costs.items() for code, value in values.items()]
    con = make_warehouse(root / "w.duckdb", rows, need_coefficients_csv=root / "coefficients.csv")
    build_all(con)
    yield con
    con.close()


def test_need_adjusted_cost_its_index_and_rank(need_con):
    kainuu = ory(need_con, NEED, "20", 2022, source_ref="5956_need_adjusted")
    north = ory(need_con, NEED, "19", 2022, source_ref="5956_need_adjusted")
    country = ory(need_con, NEED, "SSS", 2022, source_ref="5956_need_adjusted")
    assert (kainuu["value"], north["value"], country["value"]) == (4000.0, 5000.0, 4500.0)
    assert (kainuu["rank_among_organisers"], north["rank_among_organisers"], kainuu["rank_n"]) == (1, 2, 2)  # lower = better
    assert kainuu["national_value"] == 4500.0
    index = ory(need_con, NEED, "20", 2022, source_ref="5956_need_index")
    assert math.isclose(index["value"], 4000 / 4500 * 100) and index["value_display"] == 88.9
    assert ory(need_con, NEED, "SSS", 2022, source_ref="5956_need_index")["value"] == 100.0
    assert ory(need_con, NEED, "19", 2022, source_ref="5956_need_index")["rank_among_organisers"] == 2


def test_unadjusted_cost_is_not_ranked_but_keeps_its_trend(need_con):
    raw = ory(need_con, NEED, "20", 2024, source_ref="5956")
    assert _null(raw["rank_among_organisers"]) and raw["not_compared_reason"].startswith("not ranked:")
    # 5400 against 5000 in 2022: +8 %, beyond the 3 % band; lower is better for costs
    assert (raw["baseline_year"], raw["trend_direction"]) == (2022, "worsening")


def test_no_trend_or_change_on_the_need_adjusted_figure(need_con):
    for ref in ("5956_need_adjusted", "5956_need_index"):
        row = ory(need_con, NEED, "20", 2024, source_ref=ref)
        assert row["trend_direction"] == "not_assessed" and "cross-sectional" in row["trend_reason"]
        assert _null(row["change_since_baseline"]) and _null(row["change_from_previous_year"])


def test_a_year_after_the_last_coefficient_carries_it_forward(need_con):
    row = ory(need_con, NEED, "20", 2024, source_ref="5956_need_adjusted")
    assert row["value"] == 5400.0 / 1.2  # the 2023 coefficient
    mapped = need_con.execute("SELECT coefficient_year, is_carried_forward FROM reference.need_coefficients "
                              "WHERE year = 2024 AND region_code = '20'").fetchall()
    assert mapped == [(2023, True)]
    assert "2023 coefficient" in row["caveat_text_en"]


def test_a_year_without_a_coefficient_has_no_need_adjusted_value(need_con):
    row = ory(need_con, NEED, "20", 2021, source_ref="5956_need_adjusted")
    assert row["is_missing"] and row["missing_reason"].startswith("no THL need coefficient for 2021")


def test_cooperation_area_coefficient_is_weighted_by_population(need_con):
    (k,) = need_con.execute("SELECT need_coefficient FROM reference.need_coefficients "
                            "WHERE year = 2022 AND region_level = 'cooperation_area' AND region_code = '5'").fetchone()
    assert math.isclose(k, (400000 * 0.8 + 70000 * 1.25) / 470000)


def test_scorecard_ranks_on_need_adjusted_cost_and_trends_on_the_unadjusted(need_con):
    row = need_con.execute(
        "SELECT source_ref, trend_source_ref, latest_year, value, rank_among_organisers, trend_direction, direction "
        "FROM marts.region_scorecard WHERE measure_key = ? AND region_code = '20'", [NEED]).fetchone()
    assert row == ("5956_need_adjusted", "5956", 2024, 4500.0, 1, "worsening", "lower")
