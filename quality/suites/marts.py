"""Checks of the comparable marts and the caveats table (contract = blocking, plausibility = warn)."""

from pipelines.contract import DIRECTIONS, ORGANISER_CODES, STATUSES, TREND_DIRECTIONS
from quality.gx_bridge import Expectation, Suite

KEY = ["measure_key", "source_ref", "region_level", "region_code", "year", "breakdown", "breakdown_detail"]
METHODS = ["source", "population_weighted", "sum", "need_adjusted"]
SEVERITIES = ["not_comparable", "warning", "info"]


def _measure_keys(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT measure_key FROM reference.measures").fetchall()]


def _n_measures(con) -> int:
    return con.execute("SELECT count(*) FROM reference.measures").fetchone()[0]


def _n_scorecard_rows(con) -> int:
    return con.execute(
        "SELECT (SELECT count(*) FROM reference.measures) * "
        "(SELECT count(*) FROM reference.regions WHERE region_level = 'wellbeing_area' AND is_organiser)"
    ).fetchone()[0]


def _not_null(table: str, columns: list[str]) -> list[Expectation]:
    return [Expectation(f"{c}_not_null", "ExpectColumnValuesToNotBeNull", {"column": c}) for c in columns]


SUITES = [
    Suite(
        asset=["reference", "caveats"],
        table="reference.caveats",
        description="Curated caveats: known measures, accepted severities.",
        expectations=[
            *_not_null("reference.caveats", ["caveat_id", "measure_key", "severity", "text_en", "source"]),
            Expectation("caveat_id_unique", "ExpectColumnValuesToBeUnique", {"column": "caveat_id"}),
            Expectation("measure_key_known", "ExpectColumnValuesToBeInSet", {"column": "measure_key", "value_set": _measure_keys},
                        description="Every caveat names a catalogue measure"),
            Expectation("severity_accepted", "ExpectColumnValuesToBeInSet", {"column": "severity", "value_set": SEVERITIES}),
        ],
    ),
    Suite(
        asset=["marts", "objective_region_year"],
        table="marts.objective_region_year",
        description="Comparable objective mart: key, accepted values, rank range.",
        expectations=[
            *_not_null("marts.objective_region_year", ["objective_key", *KEY, "unit", "is_missing", "is_not_comparable"]),
            Expectation("key_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": KEY},
                        description="Keyed exactly like marts.measure_values"),
            Expectation("region_level_accepted", "ExpectColumnValuesToBeInSet",
                        {"column": "region_level", "value_set": ["wellbeing_area", "country", "cooperation_area"]}),
            Expectation("direction_accepted", "ExpectColumnValuesToBeInSet", {"column": "direction", "value_set": list(DIRECTIONS)}),
            Expectation("area_method_accepted", "ExpectColumnValuesToBeInSet",
                        {"column": "cooperation_area_value_method", "value_set": METHODS}),
            Expectation("trend_direction_accepted", "ExpectColumnValuesToBeInSet",
                        {"column": "trend_direction", "value_set": list(TREND_DIRECTIONS)}),
            Expectation("trend_direction_not_null", "ExpectColumnValuesToNotBeNull", {"column": "trend_direction"}),
            Expectation("rank_in_range", "ExpectColumnValuesToBeBetween",
                        {"column": "rank_among_organisers", "min_value": 1, "max_value": len(ORGANISER_CODES)}),
            Expectation("rank_n_in_range", "ExpectColumnValuesToBeBetween",
                        {"column": "rank_n", "min_value": 0, "max_value": len(ORGANISER_CODES)}),
            Expectation("ratio_to_national_plausible", "ExpectColumnValuesToBeBetween",
                        {"column": "ratio_to_national", "min_value": -50, "max_value": 50, "mostly": 0.99}, blocking=False,
                        description="An organiser 50 times the national figure is more likely a unit error"),
        ],
    ),
    Suite(
        asset=["marts", "region_scorecard"],
        table="marts.region_scorecard",
        description="Scorecard: every organiser x every measure, once.",
        expectations=[
            *_not_null("marts.region_scorecard", ["measure_key", "objective_key", "region_code", "region_name_fi", "measure_status"]),
            Expectation("organiser_x_measure_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": ["measure_key", "region_code"]}),
            Expectation("region_is_organiser", "ExpectColumnValuesToBeInSet", {"column": "region_code", "value_set": list(ORGANISER_CODES)}),
            Expectation("every_organiser_every_measure", "ExpectTableRowCountToEqual", {"value": _n_scorecard_rows},
                        description="22 organisers x all catalogue measures"),
            Expectation("missing_reason_only_when_missing", "ExpectColumnValuesToBeNull",
                        {"column": "missing_reason", "row_condition": 'is_missing == False', "condition_parser": "pandas"}),
        ],
    ),
    Suite(
        asset=["marts", "measure_coverage"],
        table="marts.measure_coverage",
        description="Coverage: every catalogue measure, one row.",
        expectations=[
            Expectation("every_measure_listed", "ExpectTableRowCountToEqual", {"value": _n_measures}),
            Expectation("measure_key_unique", "ExpectColumnValuesToBeUnique", {"column": "measure_key"}),
            Expectation("status_accepted", "ExpectColumnValuesToBeInSet", {"column": "status", "value_set": list(STATUSES)}),
            Expectation("reported_level_accepted", "ExpectColumnValuesToBeInSet",
                        {"column": "reported_level", "value_set": ["organiser", "cooperation_area", "country"]}),
            Expectation("automated_measures_have_data", "ExpectColumnValuesToBeInSet",
                        {"column": "has_data", "value_set": [True], "row_condition": 'status == "automated"', "condition_parser": "pandas"},
                        blocking=False, description="An automated measure without any value means a source delivered nothing"),
        ],
    ),
]
