"""Comparison basis and display rounding on hand-made tables with answers worked out by hand.

- A total (person-years, euros, a ranked list of unfilled positions) gets no difference, ratio or
  rank against the country, and says why; where the measure has a comparable twin the scorecard
  shows the twin.
- Display twins round the exact value to the published decimals, half away from zero.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.test_marts_sql import build_all, make_warehouse, mv_row, ory

ORGANISERS = {"01": 2.0, "02": 4.0, "03": 3.0}


def _scorecard(con, measure_key, region_code) -> dict:
    frame = con.execute("SELECT * FROM marts.region_scorecard WHERE measure_key = ? AND region_code = ?",
                        [measure_key, region_code]).df()
    assert len(frame) == 1
    return frame.iloc[0].to_dict()


@pytest.fixture()
def basis_con(tmp_path):
    rows = []
    for code, v in ORGANISERS.items():
        # 2.1.2-01: person-years (total) and its twin per 1 000 inhabitants (rate)
        rows.append(mv_row("2.1.2-01", code, 2024, 1000.0 * v, source_ref="person_years_htv2", unit="person_years",
                           source="personnel_report"))
        rows.append(mv_row("2.1.2-01", code, 2024, 10.0 + v, source_ref="person_years_htv2_per_1000", unit="per_1000",
                           source="personnel_report"))
        # 2.1.2-07 (lower is better): agency share (rate, ranked) and agency cost (total, never ranked)
        rows.append(mv_row("2.1.2-07", code, 2024, v, source_ref="agency_labour_share_htv", unit="percent",
                           source="personnel_report"))
        rows.append(mv_row("2.1.2-07", code, 2024, 1e6 * v, source_ref="agency_labour_cost", unit="eur",
                           source="personnel_report"))
        # 2.1.2-06: the top-3 staff groups by unfilled positions (a ranked list of counts)
        rows.append(mv_row("2.1.2-06", code, 2024, 10.0 * v, source_ref="key_shortage_unfilled_positions",
                           unit="count", source="personnel_report", breakdown_detail="rank_1"))
    rows += [
        mv_row("2.1.2-01", "SSS", 2024, 200000.0, source_ref="person_years_htv2", unit="person_years", source="personnel_report"),
        mv_row("2.1.2-01", "SSS", 2024, 12.0, source_ref="person_years_htv2_per_1000", unit="per_1000", source="personnel_report"),
        mv_row("2.1.2-07", "SSS", 2024, 3.0, source_ref="agency_labour_share_htv", unit="percent", source="personnel_report"),
        mv_row("2.1.2-07", "SSS", 2024, 5e7, source_ref="agency_labour_cost", unit="eur", source="personnel_report"),
        mv_row("2.1.2-06", "SSS", 2024, 2224.0, source_ref="key_shortage_unfilled_positions", unit="count",
               source="personnel_report", breakdown_detail="rank_1"),
    ]
    con = make_warehouse(tmp_path / "w.duckdb", rows)
    build_all(con)
    yield con
    con.close()


def test_a_total_gets_no_difference_ratio_or_rank_and_says_why(basis_con):
    total = ory(basis_con, "2.1.2-01", "02", 2024, source_ref="person_years_htv2")
    assert total["comparison_basis"] == "total"
    assert total["value"] == 4000.0 and total["national_value"] == 200000.0  # both facts stay visible
    for column in ("difference_to_national", "ratio_to_national", "difference_to_national_display",
                   "ratio_to_national_display", "rank_among_organisers", "rank_n"):
        assert pd.isna(total[column]), column
    assert "grows with the size of the region" in total["not_compared_reason"]
    assert "person_years_htv2_per_1000" in total["not_compared_reason"]  # names the comparable twin

    twin = ory(basis_con, "2.1.2-01", "02", 2024, source_ref="person_years_htv2_per_1000")
    assert twin["comparison_basis"] == "rate" and pd.isna(twin["not_compared_reason"])
    assert twin["difference_to_national"] == pytest.approx(2.0)
    assert twin["ratio_to_national"] == pytest.approx(14.0 / 12.0)


def test_a_total_with_a_direction_is_not_ranked_but_its_rate_is(basis_con):
    cost = {c: ory(basis_con, "2.1.2-07", c, 2024, source_ref="agency_labour_cost") for c in ORGANISERS}
    assert all(pd.isna(r["rank_among_organisers"]) and pd.isna(r["rank_n"]) for r in cost.values())
    assert all(r["comparison_basis"] == "total" and "agency_labour_share_htv" in r["not_compared_reason"]
               for r in cost.values())
    share = {c: int(ory(basis_con, "2.1.2-07", c, 2024, source_ref="agency_labour_share_htv")["rank_among_organisers"])
             for c in ORGANISERS}
    assert share == {"01": 1, "03": 2, "02": 3}  # lower is better


def test_a_ranked_list_entry_is_not_compared(basis_con):
    row = ory(basis_con, "2.1.2-06", "01", 2024, source_ref="key_shortage_unfilled_positions")
    assert row["comparison_basis"] == "ranked_list" and row["national_value"] == 2224.0
    assert pd.isna(row["difference_to_national"]) and pd.isna(row["ratio_to_national"])
    assert "ranked list" in row["not_compared_reason"]
    card = _scorecard(basis_con, "2.1.2-06", "01")
    assert card["value"] == 20.0 and pd.isna(card["difference_to_national"]) and "ranked list" in card["not_compared_reason"]


def test_scorecard_shows_the_comparable_twin_of_a_total(basis_con):
    card = _scorecard(basis_con, "2.1.2-01", "03")
    assert card["source_ref"] == "person_years_htv2_per_1000" and card["comparison_basis"] == "rate"
    assert card["value"] == 13.0 and card["difference_to_national"] == pytest.approx(1.0)
    assert card["unit_label_en"] == "person-years (HTV2) per 1,000 inhabitants"
    assert card["unit_label_fi"] == "henkilötyövuotta (HTV2) / 1 000 asukasta"
    agency = _scorecard(basis_con, "2.1.2-07", "03")
    assert agency["source_ref"] == "agency_labour_share_htv" and agency["rank_among_organisers"] == 2


def test_scorecard_falls_back_to_the_total_when_the_twin_has_no_data(tmp_path):
    rows = [mv_row("2.1.2-01", c, 2024, 1000.0 * v, source_ref="person_years_htv2", unit="person_years",
                   source="personnel_report") for c, v in ORGANISERS.items()]
    rows.append(mv_row("2.1.2-01", "SSS", 2024, 9000.0, source_ref="person_years_htv2", unit="person_years",
                       source="personnel_report"))
    con = make_warehouse(tmp_path / "w.duckdb", rows)
    build_all(con)
    card = _scorecard(con, "2.1.2-01", "01")
    assert card["source_ref"] == "person_years_htv2" and card["value"] == 2000.0
    assert pd.isna(card["difference_to_national"]) and "grows with the size" in card["not_compared_reason"]
    con.close()


# (measure, source_ref, unit, source, value, national, expected value_display, expected difference display)
ROUNDING = [
    # Sotkanet 404 publishes 1 decimal: halves go away from zero; 2.35 is stored as 2.35000000000000008882
    ("2.3.1-02", "404", "percent", "sotkanet", 2.25, 2.0, 2.3, 0.3),
    ("2.3.1-02", "404", "percent", "sotkanet", 2.35, 2.0, 2.4, 0.4),
    # 0.1 + 0.2 = 0.30000000000000004; 6.7 - 0.1 = 6.6000000000000005
    ("2.3.1-02", "404", "percent", "sotkanet", 0.1 + 0.2, 6.7, 0.3, -6.4),
    ("2.3.1-02", "404", "percent", "sotkanet", 6.7, 0.1, 6.7, 6.6),
    # Sotkanet 5956 publishes 0 decimals; euros per inhabitant can be negative
    ("2.2.1-06", "5956", "eur_per_inhabitant", "sotkanet", -2.5, 0.0, -3.0, -3.0),
    ("2.2.1-06", "5956", "eur_per_inhabitant", "sotkanet", 2.5, 3.0, 3.0, -1.0),  # -0.5 -> -1
    ("2.2.1-06", "5956", "eur_per_inhabitant", "sotkanet", -0.4, 0.0, 0.0, 0.0),  # no negative zero
    # THL node 640002 publishes 1 decimal
    ("2.1.1-01", "640002", "percent", "thl_cube", 70.85710698006972, 74.02399477610922, 70.9, -3.2),
    # curated ratio: no published decimals, the unit's rule (2); 2.675 is stored as 2.67499999999999982236
    ("2.2.1-05", "2.2.1-05", "ratio", "curated", 2.675, 1.005, 2.68, 1.67),
    ("2.2.1-05", "2.2.1-05", "ratio", "curated", 1.005, 0.0, 1.01, 1.01),
]


@pytest.mark.parametrize("case", range(len(ROUNDING)))
def test_display_rounds_half_away_from_zero_to_the_published_decimals(tmp_path, case):
    measure, ref, unit, source, value, national, shown, diff_shown = ROUNDING[case]
    rows = [mv_row(measure, "01", 2024, value, source_ref=ref, unit=unit, source=source),
            mv_row(measure, "SSS", 2024, national, source_ref=ref, unit=unit, source=source)]
    con = make_warehouse(tmp_path / "w.duckdb", rows, sotkanet_decimals={404: 1, 5956: 0}, thl_decimals={"640002": 1})
    build_all(con)
    row = ory(con, measure, "01", 2024, source_ref=ref)
    expected_decimals = {"404": 1, "5956": 0, "640002": 1, "2.2.1-05": 2}[ref]
    assert row["decimals"] == expected_decimals
    assert row["value"] == value  # exact value untouched
    assert row["value_display"] == shown
    assert math.copysign(1.0, row["value_display"]) == (1.0 if shown >= 0 else -1.0)  # 0.0, never -0.0
    assert row["difference_to_national_display"] == diff_shown
    assert repr(float(row["value_display"])) == repr(shown)  # prints 6.6, not 6.6000000000000005
    con.close()


def test_derived_display_twins_and_unit_labels(tmp_path):
    rows = [mv_row("2.3.1-02", "01", 2024, 4.3, source_ref="404", unit="percent"),
            mv_row("2.3.1-02", "01", 2023, 4.0, source_ref="404", unit="percent"),
            mv_row("2.3.1-02", "SSS", 2024, 3.9, source_ref="404", unit="percent")]
    con = make_warehouse(tmp_path / "w.duckdb", rows, sotkanet_decimals={404: 1})
    build_all(con)
    row = ory(con, "2.3.1-02", "01", 2024, source_ref="404")
    assert row["change_from_previous_year"] != 0.3  # 4.3 - 4.0 = 0.2999999999999998 in binary
    assert row["change_from_previous_year_display"] == 0.3
    assert row["change_pct_from_previous_year_display"] == 7.5  # 7.499999999999996 exact
    assert row["ratio_to_national_display"] == 1.10  # 1.1025641025641026
    assert row["previous_year_value_display"] == 4.0 and row["national_value_display"] == 3.9
    assert (row["unit_label_fi"], row["unit_label_sv"], row["unit_label_en"]) == ("%", "%", "%")
    card = _scorecard(con, "2.3.1-02", "01")
    assert card["value_display"] == 4.3 and card["decimals"] == 1 and card["change_from_previous_year_display"] == 0.3
    con.close()
