"""Suites for the reference tables: the region classification and the catalogue, held to the
controlled vocabularies (reference.units, reference.vocabularies)."""

from pipelines.contract import ALAND_CODE, COOPERATION_AREA_CODES, COUNTRY_CODE, ORGANISER_CODES, REGION_LEVELS
from quality.gx_bridge import Expectation as E
from quality.gx_bridge import Suite

SUITES = [
    Suite(
        asset=["reference", "regions"],
        table="reference.regions",
        description="22 organisers, Åland outside the objectives, the country and five cooperation areas; codes unique per level.",
        expectations=[
            E("level_and_code_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": ["region_level", "region_code"]}),
            E("region_level_known", "ExpectColumnValuesToBeInSet", {"column": "region_level", "value_set": list(REGION_LEVELS)}),
            E("twenty_two_organisers", "ExpectColumnSumToBeBetween", {"column": "is_organiser", "min_value": 22, "max_value": 22}),
            E("row_count", "ExpectTableRowCountToEqual", {"value": 29},
              description="23 wellbeing areas (incl. Helsinki and Åland) + country + 5 cooperation areas"),
            E("names_in_three_languages", "ExpectColumnValuesToNotBeNull", {"column": "name_sv"}),
            # The code's constants (pipelines/contract.py) and the classification must say the same:
            # a renumbered county fails here, not silently in a mart.
            *[E(f"contract_{name}_codes", "ExpectColumnDistinctValuesToEqualSet",
                {"column": "region_code", "value_set": list(codes), "row_condition": condition, "condition_parser": "pandas"},
                description=f"reference.regions holds exactly the {name.replace('_', ' ')} codes of pipelines/contract.py")
              for name, codes, condition in (
                  ("organiser", ORGANISER_CODES, "is_organiser == True"),
                  ("cooperation_area", COOPERATION_AREA_CODES, 'region_level == "cooperation_area"'),
                  ("country", (COUNTRY_CODE,), 'region_level == "country"'),
                  ("outside_objectives", (ALAND_CODE,), 'region_level == "wellbeing_area" and is_organiser == False'),
              )],
            E("sotkanet_id_joined", "ExpectColumnValuesToNotBeNull", {"column": "sotkanet_id"}, blocking=False,
              description="Every mart region is found in Sotkanet /regions"),
        ],
    ),
    Suite(
        asset=["reference", "measures"],
        sql_file="quality/measures_frame",
        name="suite_reference__measures",
        description="All 31 measures, each held to the vocabularies, with exactly one headline source_ref where refs exist.",
        expectations=[
            E("thirty_one_measures", "ExpectTableRowCountToEqual", {"value": 31}),
            E("measure_key_unique", "ExpectColumnValuesToBeUnique", {"column": "measure_key"}),
            E("unit_known", "ExpectColumnValuesToBeInSet", {"column": "unit_known", "value_set": [True]}),
            E("direction_known", "ExpectColumnValuesToBeInSet", {"column": "direction_known", "value_set": [True]}),
            E("status_known", "ExpectColumnValuesToBeInSet", {"column": "status_known", "value_set": [True]}),
            E("reported_level_known", "ExpectColumnValuesToBeInSet", {"column": "reported_level_known", "value_set": [True]}),
            E("one_headline_when_sourced", "ExpectColumnPairValuesToBeInSet",
              {"column_A": "source_refs", "column_B": "headline_refs", "value_pairs_set": [(0, 0)] + [(n, 1) for n in range(1, 50)]},
              description="A measure with source refs has exactly one headline ref"),
        ],
    ),
    Suite(
        asset=["reference", "measure_source_refs"],
        table="reference.measure_source_refs",
        description="Source refs: unique, in a known unit.",
        expectations=[
            E("key_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": ["measure_key", "source", "source_ref"]}),
            E("unit_known", "ExpectColumnValuesToBeInSet",
              {"column": "unit", "value_set": lambda con: [r[0] for r in con.execute("SELECT unit FROM reference.units").fetchall()]}),
        ],
    ),
]
