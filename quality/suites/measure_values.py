"""Suite for marts.measure_values, the contract every source writes to. All contract rules block
the comparable marts and the publish step."""

from pipelines.contract import MEASURE_VALUES_KEY, REGION_LEVELS, VALUE_ORIGINS
from quality.gx_bridge import Expectation as E
from quality.gx_bridge import Suite

SUITES = [
    Suite(
        asset=["marts", "measure_values"],
        sql_file="quality/measure_values_frame",
        name="suite_marts__measure_values",
        description="Contract of marts.measure_values: keys, vocabularies, unit ranges, explained gaps, organiser coverage.",
        expectations=[
            E("key_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": list(MEASURE_VALUES_KEY)},
              description="One row per measure, source_ref, region, year and breakdown"),
            *[E(f"{c}_not_null", "ExpectColumnValuesToNotBeNull", {"column": c}) for c in MEASURE_VALUES_KEY],
            E("region_level_known", "ExpectColumnValuesToBeInSet", {"column": "region_level", "value_set": list(REGION_LEVELS)}),
            E("region_known", "ExpectColumnValuesToBeInSet", {"column": "region_known", "value_set": [True]},
              description="Every (region_level, region_code) is in reference.regions"),
            E("unit_known", "ExpectColumnValuesToBeInSet", {"column": "unit_known", "value_set": [True]},
              description="Every unit is in reference.units"),
            E("measure_known", "ExpectColumnValuesToBeInSet", {"column": "measure_known", "value_set": [True]},
              description="Every measure_key is in the catalogue (or sotkanet:<id>)"),
            E("value_in_unit_range", "ExpectColumnValuesToBeInSet", {"column": "value_in_unit_range", "value_set": [True]},
              description="Values lie in the range their unit allows (reference.units)"),
            E("missing_explained", "ExpectColumnValuesToBeInSet", {"column": "missing_explained", "value_set": [True]},
              description="A row without value says why (missing_reason)"),
            E("suppressed_is_null", "ExpectColumnValuesToBeInSet", {"column": "suppressed_is_null", "value_set": [True]},
              description="Suppressed cells carry NULL, never a number"),
            E("value_origin_known", "ExpectColumnValuesToBeInSet", {"column": "value_origin", "value_set": list(VALUE_ORIGINS)}),
            E("year_plausible", "ExpectColumnValuesToBeBetween", {"column": "year", "min_value": 1990, "max_value": 2100}),
            E("synthetic_flag_set", "ExpectColumnValuesToNotBeNull", {"column": "is_synthetic"}),
            E("source_named", "ExpectColumnValuesToNotBeNull", {"column": "source"}),
            E("all_organisers_present", "ExpectColumnValuesToBeBetween",
              {"column": "organisers_present", "min_value": 22, "max_value": 22},
              description="Every measure/year/breakdown has a row (value or explicit gap) for all 22 organisers"),
        ],
    ),
]
