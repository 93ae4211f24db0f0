"""Suites for the THL cube tables. Contract rules (blocking) stop the fragment and everything after
it; plausibility rules warn."""

from pipelines.contract import COUNTRY_CODE, MEASURE_VALUES_COLUMN_NAMES, ORGANISER_CODES
from pipelines.sources.thl_cube_specs import default_specs
from quality.gx_bridge import Expectation as E
from quality.gx_bridge import Suite

FRAGMENT_KEY = ["measure_key", "source_ref", "region_level", "region_code", "year", "breakdown", "breakdown_detail"]


def _expected_fragment_rows(con) -> int:
    """22 organisers + the country for every spec year and breakdown (cubes may add regions)."""
    return sum(len(s.years) * len(s.breakdown_values) * (len(ORGANISER_CODES) + 1) for s in default_specs())


def _spec_keys(con):
    return [s.key for s in default_specs()]


def _region_codes(con):
    # canonical codes; cooperation areas only ever come from a cube that gives them
    return [*ORGANISER_CODES, COUNTRY_CODE, "1", "2", "3", "4", "5"]


SUITES = [
    Suite(
        asset=["raw", "thl_cube"],
        table="raw.thl_cube",
        columns=["spec_key", "kind", "chunk", "payload_sha256", "status", "is_synthetic"],
        description="Every cube spec has its listing, dimension tree and at least one fact chunk.",
        expectations=[
            E("kind_known", "ExpectColumnValuesToBeInSet", {"column": "kind", "value_set": ["listing", "dimensions", "fact"]}),
            E("every_spec_loaded", "ExpectColumnDistinctValuesToEqualSet", {"column": "spec_key", "value_set": _spec_keys},
              description="Each spec in pipelines/cube_specs has payloads"),
            E("payload_key_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": ["spec_key", "kind", "chunk"]},
              description="One payload per spec, kind and chunk"),
            E("status_ok", "ExpectColumnValuesToBeInSet", {"column": "status", "value_set": [200]}),
            E("synthetic_flag_set", "ExpectColumnValuesToNotBeNull", {"column": "is_synthetic"}),
        ],
    ),
    Suite(
        asset=["staging", "thl_nodes"],
        table="staging.thl_nodes",
        columns=["spec_key", "dimension", "sid", "stage"],
        description="Dimension trees: one node per (spec, dimension, sid), every node has a stage.",
        expectations=[
            E("node_key_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": ["spec_key", "dimension", "sid"]}),
            E("sid_not_null", "ExpectColumnValuesToNotBeNull", {"column": "sid"}),
            E("stage_not_null", "ExpectColumnValuesToNotBeNull", {"column": "stage"},
              description="THL marks levels only by stage, so a node without one cannot be placed"),
        ],
    ),
    Suite(
        asset=["staging", "thl_cells"],
        table="staging.thl_cells",
        columns=["spec_key", "payload_sha256", "cell_index", "region_sid", "region_stage", "time_sid", "time_stage",
                 "breakdown_sid", "measure_sid", "value_text", "value", "is_suppressed"],
        description="Normalised cells: keyed, every role node known in the dimension tree, suppressed cells never numeric.",
        expectations=[
            E("cell_key_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": ["spec_key", "payload_sha256", "cell_index"]}),
            *[E(f"{c}_not_null", "ExpectColumnValuesToNotBeNull", {"column": c}) for c in ("region_sid", "time_sid", "measure_sid")],
            E("one_cell_per_role_coordinate", "ExpectCompoundColumnsToBeUnique",
              {"column_list": ["spec_key", "region_sid", "breakdown_sid", "time_sid", "measure_sid"],
               "ignore_row_if": "never"},
              description="Region x breakdown x time x measure identify a cell: any other dimension has one node "
                          "selected (use the '.' subset form), so values are never silently merged"),
            E("region_node_in_tree", "ExpectColumnValuesToNotBeNull", {"column": "region_stage"},
              description="Every region sid in the facts is a node of the cube's dimension tree"),
            E("time_node_in_tree", "ExpectColumnValuesToNotBeNull", {"column": "time_stage"},
              description="Every time sid in the facts is a node of the cube's dimension tree"),
            E("suppressed_is_null", "ExpectColumnValuesToBeNull",
              {"column": "value", "row_condition": "is_suppressed == True", "condition_parser": "pandas"},
              description="A suppressed cell (..) never carries a number"),
            E("some_values", "ExpectColumnValuesToNotBeNull", {"column": "value", "mostly": 0.5}, blocking=False,
              description="Most cells have a value (a mostly empty cube suggests wrong selectors)"),
        ],
    ),
    Suite(
        asset=["staging", "thl_region_map"],
        table="staging.thl_region_map",
        columns=["spec_key", "region_sid", "region_level", "region_code", "unmapped_node", "is_comparable"],
        description="Every THL region/provider node maps to a canonical region; lists the nodes that do not.",
        expectations=[
            E("every_node_mapped", "ExpectColumnValuesToBeNull", {"column": "unmapped_node"},
              description="Nodes with no mapping in the cube spec (see unexpected examples: spec, sid, label, stage, code)"),
            E("one_node_per_region", "ExpectCompoundColumnsToBeUnique",
              {"column_list": ["spec_key", "region_level", "region_code"], "ignore_row_if": "any_value_is_missing"},
              description="No canonical region gets values from two nodes"),
            E("region_code_known", "ExpectColumnValuesToBeInSet", {"column": "region_code", "value_set": _region_codes}),
        ],
    ),
    Suite(
        asset=["staging", "thl_values"],
        table="staging.thl_values",
        columns=["spec_key", "region_code", "year", "breakdown", "value", "is_suppressed", "periods_in_year",
                 "periods_with_value", "unit"],
        description="Year values: breakdown nodes known to the spec, percentages in range, suppression kept.",
        expectations=[
            E("breakdown_mapped", "ExpectColumnValuesToNotBeNull", {"column": "breakdown"},
              description="Every breakdown node in the cube is declared in the spec's [breakdown] nodes"),
            E("year_not_null", "ExpectColumnValuesToNotBeNull", {"column": "year"},
              description="The spec's time.year_pattern reads a year from every period code"),
            E("value_key_unique", "ExpectCompoundColumnsToBeUnique",
              {"column_list": ["spec_key", "region_code", "year", "breakdown"]}),
            E("suppressed_is_null", "ExpectColumnValuesToBeNull",
              {"column": "value", "row_condition": "is_suppressed == True", "condition_parser": "pandas"}),
            E("percent_in_range", "ExpectColumnValuesToBeBetween", {"column": "value", "min_value": 0, "max_value": 100},
              description="Shares lie between 0 and 100"),
            E("full_year", "ExpectColumnPairValuesToBeEqual",
              {"column_A": "periods_in_year", "column_B": "periods_with_value", "mostly": 1.0}, blocking=False,
              description="Every period of the year has a published value (else the year value is partial)"),
        ],
    ),
    Suite(
        asset=["fragments", "thl_cube"],
        table="fragments.thl_cube",
        columns=list(MEASURE_VALUES_COLUMN_NAMES),
        description="fragments.thl_cube meets the measure_values contract and covers every organiser and the country.",
        expectations=[
            E("key_unique", "ExpectCompoundColumnsToBeUnique", {"column_list": FRAGMENT_KEY}),
            *[E(f"{c}_not_null", "ExpectColumnValuesToNotBeNull", {"column": c}) for c in FRAGMENT_KEY],
            E("region_code_known", "ExpectColumnValuesToBeInSet", {"column": "region_code", "value_set": _region_codes}),
            E("every_organiser_and_country", "ExpectTableRowCountToBeBetween",
              {"min_value": _expected_fragment_rows},
              description="At least 22 organisers + the country for every spec year and breakdown"),
            E("missing_explained", "ExpectColumnValuesToNotBeNull",
              {"column": "missing_reason", "row_condition": "value != value", "condition_parser": "pandas"},
              description="A row without value says why"),
            E("suppressed_is_null", "ExpectColumnValuesToBeNull",
              {"column": "value", "row_condition": "is_suppressed == True", "condition_parser": "pandas"}),
            E("synthetic_flag_set", "ExpectColumnValuesToNotBeNull", {"column": "is_synthetic"}),
            E("percent_in_range", "ExpectColumnValuesToBeBetween", {"column": "value", "min_value": 0, "max_value": 100},
              blocking=False),
        ],
    ),
]
