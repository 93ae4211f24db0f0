"""Suites for the personnel-report tables (objective 2.1.2).

Each delivery is already validated whole before it is accepted (pipelines.sources.personnel);
these blocking checks guard the contract of the tables themselves, so a rule change or a bug can
never publish bad figures: known county codes, metrics, units, staff groups, year range,
percentages 0-100, non-negative values, unique keys.
"""

from pipelines.contract import MEASURE_VALUES_KEY, ORGANISER_CODES
from pipelines.settings import get_settings
from pipelines.sources.personnel import METRICS, STAFF_GROUPS
from quality.gx_bridge import Expectation as E
from quality.gx_bridge import Suite

STAGING_KEY = ["area_code", "year", "staff_group", "metric", "breakdown"]

SUITES = [
    Suite(
        asset=["staging", "personnel_report"],
        table="staging.personnel_report",
        description="Personnel-report rows: keys unique, county codes, metrics, units and staff groups known, "
        "years in the window, percentages 0-100, no negative values.",
        expectations=[
            E("key_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": STAGING_KEY},
              description="One row per county, year, staff group, metric and breakdown"),
            *[E(f"{c}_not_null", "ExpectColumnValuesToNotBeNull", {"column": c}) for c in [*STAGING_KEY, "value", "unit"]],
            E("county_code_known", "ExpectColumnValuesToBeInSet", {"column": "area_code", "value_set": list(ORGANISER_CODES)},
              description="Organiser codes 01-21 and 90"),
            E("metric_known", "ExpectColumnValuesToBeInSet", {"column": "metric", "value_set": list(METRICS)}),
            E("unit_matches_metric", "ExpectColumnPairValuesToBeInSet",
              {"column_A": "metric", "column_B": "unit", "value_pairs_set": [(m, u) for m, (u, _, _) in METRICS.items()]},
              description="Each metric in its one unit"),
            E("staff_group_known", "ExpectColumnValuesToBeInSet", {"column": "staff_group", "value_set": list(STAFF_GROUPS)}),
            E("year_in_window", "ExpectColumnValuesToBeBetween",
              {"column": "year", "min_value": lambda con: get_settings().year_start, "max_value": lambda con: get_settings().year_end}),
            E("percent_0_100", "ExpectColumnValuesToBeBetween", {"column": "percent_value", "min_value": 0, "max_value": 100},
              description="Percentages between 0 and 100"),
            E("value_not_negative", "ExpectColumnValuesToBeBetween", {"column": "value", "min_value": 0},
              description="Counts, days, EUR and shares are never negative"),
            E("rows_present", "ExpectTableRowCountToBeBetween", {"min_value": 1}, blocking=False,
              description="At least one delivery has been accepted"),
        ],
    ),
    Suite(
        asset=["fragments", "personnel_report"],
        table="fragments.personnel_report",
        description="The 2.1.2 fragment: contract keys unique, catalogue keys resolved, suppression consistent; "
        "plausibility ranges warn.",
        expectations=[
            E("key_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": list(MEASURE_VALUES_KEY)}),
            E("measure_key_resolved", "ExpectColumnValuesToNotBeNull", {"column": "measure_key"},
              description="Every source_ref is in pipelines/catalog/source_refs.csv"),
            E("unit_not_null", "ExpectColumnValuesToNotBeNull", {"column": "unit"}),
            E("region_level_known", "ExpectColumnValuesToBeInSet",
              {"column": "region_level", "value_set": ["wellbeing_area", "cooperation_area", "country"]}),
            E("value_or_reason", "ExpectColumnValuesToNotBeNull", {"column": "missing_reason", "row_condition": "value.isnull()",
                                                                 "condition_parser": "pandas"},
              description="A NULL value always carries a missing_reason"),
            E("sickness_days_plausible", "ExpectColumnValuesToBeBetween",
              {"column": "value", "min_value": 3, "max_value": 40, "row_condition": 'source_ref=="sickness_absence_days_per_htv"',
               "condition_parser": "pandas"},
              blocking=False, description="Sickness absence typically 10-30 days per person-year"),
            E("turnover_plausible", "ExpectColumnValuesToBeBetween",
              {"column": "value", "min_value": 0, "max_value": 40, "row_condition": 'source_ref=="permanent_turnover_pct"',
               "condition_parser": "pandas"},
              blocking=False, description="Permanent staff turnover rarely exceeds 40 %"),
        ],
    ),
]
