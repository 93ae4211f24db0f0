"""Suites for the Sotkanet staging tables. Contract rules block the fragment and everything after it."""

from pipelines.settings import get_settings
from quality.gx_bridge import Expectation as E
from quality.gx_bridge import Suite

KEY = ["indicator_id", "region_id", "year", "gender"]


def _known_region_ids(con):
    return [r[0] for r in con.execute("SELECT region_id FROM staging.sotkanet_regions").fetchall()]


SUITES = [
    Suite(
        asset=["staging", "sotkanet_observations"],
        table="staging.sotkanet_observations",
        description="Sotkanet data rows: key, genders, requested indicator, years window; region ids against /regions.",
        expectations=[
            E("key_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": KEY},
              description="One row per indicator, region id, year and gender"),
            *[E(f"{c}_not_null", "ExpectColumnValuesToNotBeNull", {"column": c}) for c in KEY],
            E("gender_known", "ExpectColumnValuesToBeInSet", {"column": "gender", "value_set": ["male", "female", "total"]}),
            E("indicator_as_requested", "ExpectColumnPairValuesToBeEqual",
              {"column_A": "indicator_id", "column_B": "requested_indicator_id"},
              description="Each payload holds only the indicator it was requested for"),
            E("year_in_window", "ExpectColumnValuesToBeBetween",
              {"column": "year", "min_value": lambda con: get_settings().year_start, "max_value": lambda con: get_settings().year_end}),
            E("rows_present", "ExpectTableRowCountToBeBetween", {"min_value": 1}),
            # Warn only: the bundled /regions sample lists no municipalities, while the real 683
            # payload covers all 465 regions. Against the live /regions this passes.
            E("region_ids_in_regions_list", "ExpectColumnValuesToBeInSet", {"column": "region_id", "value_set": _known_region_ids},
              blocking=False, description="Region ids appear in Sotkanet /regions"),
            E("value_or_abs_value", "ExpectColumnValuesToNotBeNull", {"column": "value", "mostly": 0.99}, blocking=False,
              description="Nearly every row has a primary value"),
        ],
    ),
    Suite(
        asset=["staging", "sotkanet_regions"],
        table="staging.sotkanet_regions",
        description="Sotkanet /regions: ids unique; the 23 wellbeing areas, the country and cooperation areas present.",
        expectations=[
            E("region_id_unique", "ExpectColumnValuesToBeUnique", {"column": "region_id"}),
            E("region_id_not_null", "ExpectColumnValuesToNotBeNull", {"column": "region_id"}),
            E("category_not_null", "ExpectColumnValuesToNotBeNull", {"column": "category"}),
            E("has_wellbeing_areas_country_yta", "ExpectColumnDistinctValuesToContainSet",
              {"column": "category", "value_set": ["HYVINVOINTIALUE", "MAA", "YTA"]}),
        ],
    ),
    Suite(
        asset=["staging", "sotkanet_indicators"],
        table="staging.sotkanet_indicators",
        description="Indicator metadata: one row per indicator, with range and producer for attribution.",
        expectations=[
            E("indicator_unique", "ExpectColumnValuesToBeUnique", {"column": "indicator_id"}),
            E("producer_named", "ExpectColumnValuesToNotBeNull", {"column": "producer_fi"},
              description="Sotkanet's terms require naming each indicator's producer"),
            E("range_start_not_null", "ExpectColumnValuesToNotBeNull", {"column": "range_start"}),
            E("range_ordered", "ExpectColumnPairValuesAToBeGreaterThanB",
              {"column_A": "range_end", "column_B": "range_start", "or_equal": True}),
        ],
    ),
]
