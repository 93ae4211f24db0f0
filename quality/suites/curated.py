"""Checks of the curated source: staging keys and grades, the fragment's contract."""

from pipelines.contract import COOPERATION_AREA_CODES, COUNTRY_CODE, ORGANISER_CODES
from pipelines.sources.curated import GRADES
from quality.gx_bridge import Expectation, Suite

STAGING_KEY = ["measure_key", "region_level", "region_code", "year"]


def _curated_measures(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT measure_key FROM reference.measures WHERE status = 'curated'").fetchall()]


SUITES = [
    Suite(
        asset=["staging", "curated"],
        table="staging.curated",
        description="Curated values: one per measure, region and year; grades on the scale; provenance kept.",
        expectations=[
            Expectation("key_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": STAGING_KEY}),
            *[Expectation(f"{c}_not_null", "ExpectColumnValuesToNotBeNull", {"column": c})
              for c in [*STAGING_KEY, "unit", "source_reference", "delivery_sha256", "file_name", "file_row", "is_synthetic"]],
            Expectation("measure_is_curated", "ExpectColumnValuesToBeInSet", {"column": "measure_key", "value_set": _curated_measures},
                        description="Only measures the catalogue marks curated come from the curated file"),
            Expectation("region_code_known", "ExpectColumnValuesToBeInSet",
                        {"column": "region_code", "value_set": [*ORGANISER_CODES, *COOPERATION_AREA_CODES, COUNTRY_CODE]}),
            Expectation("grade_on_scale", "ExpectColumnValuesToBeBetween",
                        {"column": "value", "min_value": min(GRADES), "max_value": max(GRADES),
                         "row_condition": 'unit == "grade"', "condition_parser": "pandas"},
                        description="Assessment grades lie on the published 1-5 scale"),
            Expectation("gap_has_reason", "ExpectColumnValuesToNotBeNull",
                        {"column": "missing_reason", "row_condition": "value.isnull()", "condition_parser": "pandas"},
                        description="A row without a value says why"),
        ],
    ),
    Suite(
        asset=["fragments", "curated"],
        table="fragments.curated",
        description="The curated fragment honours the measure_values contract.",
        expectations=[
            Expectation("key_unique", "ExpectCompoundColumnsToBeUnique",
                        {"column_list": ["measure_key", "source_ref", "region_level", "region_code", "year", "breakdown", "breakdown_detail"]}),
            *[Expectation(f"{c}_not_null", "ExpectColumnValuesToNotBeNull", {"column": c})
              for c in ["measure_key", "objective_key", "region_level", "region_code", "year", "unit", "is_synthetic", "source"]],
            Expectation("source_is_curated", "ExpectColumnValuesToBeInSet", {"column": "source", "value_set": ["curated"]}),
            Expectation("eur_per_inhabitant_plausible", "ExpectColumnValuesToBeBetween",
                        {"column": "value", "min_value": -20000, "max_value": 20000,
                         "row_condition": 'unit == "eur_per_inhabitant"', "condition_parser": "pandas"},
                        blocking=False, description="A surplus or deficit beyond 20 000 EUR per inhabitant is likely a unit error"),
        ],
    ),
]
