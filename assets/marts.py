"""Comparable objective marts, built in SQL from ``marts.measure_values`` (sql/marts/*.sql).

- ``marts/objective_region_year``: every catalogue measure x region x year x breakdown with the
  national value, the cooperation-area value (the source's own, else population-weighted or
  summed from the member organisers), the rank among the 22 organisers, the previous year and
  caveats, progress since the baseline and the need-adjusted cost of 2.2.1-06;
- ``marts/region_scorecard``: organiser x measure at the measure's latest year;
- ``marts/objective_views``: one view per objective (marts.objective_2_1_1 ...);
- ``marts/measure_coverage``: all 31 measures, automated / curated / not available.

Each is rebuilt only when its inputs changed (pipelines.builds: the fingerprint rule there).
"""


import re
from typing import Any

import dagster as dg
import duckdb

from pipelines.builds import build
from pipelines.metadata import declared_schema, table_schema
from pipelines.sql_assets import asset_key, sql_table_asset, writes_warehouse
from pipelines.warehouse import execute_file, sql_text

OBJECTIVE_REGION_YEAR_INPUTS = (
    "marts.measure_values",
    "reference.measures",
    "reference.regions",
    "reference.caveats",
    "reference.population",
    "reference.measure_source_refs",
    "reference.units",
    "reference.sotkanet_indicators",
    "reference.need_coefficients",
    "staging.thl_nodes",
)
SCORECARD_INPUTS = (
    "marts.objective_region_year",
    "reference.measures",
    "reference.regions",
    "reference.measure_source_refs",
    "reference.units",
)
COVERAGE_INPUTS = ("marts.objective_region_year", "reference.measures", "reference.regions")
VIEW_INPUTS = ("marts.objective_region_year", "reference.measures")
_OBJECTIVE_KEY = re.compile(r"^\d+\.\d+\.\d+$")


def objective_view_name(objective_key: str) -> str:
    if not _OBJECTIVE_KEY.match(objective_key):
        raise ValueError(f"objective key {objective_key!r} is not of the form 2.1.1")
    return "objective_" + objective_key.replace(".", "_")


def objective_keys(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT DISTINCT objective_key FROM reference.measures WHERE objective_key IS NOT NULL ORDER BY 1"
    ).fetchall()]


def build_objective_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One view per objective in reference.measures, column comments copied from the base table;
    views of objectives no longer in the catalogue are dropped. Runs on the caller's transaction."""
    keys = objective_keys(con)
    comments = con.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'marts' AND table_name = 'objective_region_year' AND comment IS NOT NULL"
    ).fetchall()
    stale = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'marts' "
        "AND view_name LIKE 'objective\\_%' ESCAPE '\\'"
    ).fetchall()
    wanted = {objective_view_name(k) for k in keys}
    for (name,) in stale:
        if name not in wanted:
            con.execute(f"DROP VIEW marts.{name}")
    views = []
    for key in keys:
        name = objective_view_name(key)
        execute_file(con, "marts/objective_view", identifiers={"view_name": name, "objective_key": key})
        for column, comment in comments:
            con.execute(f'COMMENT ON COLUMN marts.{name}."{column}" IS ' + "'" + comment.replace("'", "''") + "'")
        views.append(f"marts.{name}")
    return views


objective_region_year = sql_table_asset(
    "marts.objective_region_year", "marts/objective_region_year", inputs=OBJECTIVE_REGION_YEAR_INPUTS,
    group_name="marts", params=lambda s: {"baseline_year": s.baseline_year},
    description=(
        "Comparable objective mart: every catalogue measure x source_ref x region (organisers, country, "
        "cooperation areas) x year x breakdown, with the whole-country value, difference and ratio to it, "
        "the cooperation-area value (source's own, else population-weighted for rates or summed for "
        "counts; see cooperation_area_value_method), RANK() among the 22 organisers by the direction of "
        "good, previous-year value and change, progress since the 2022 baseline (baseline, change, "
        "improving / worsening / stable / not_assessed), need-adjusted costs (2.2.1-06), missing / suppressed / "
        "not-comparable flags and caveats; exact values with rounded display twins, unit labels and the comparison basis."
    ),
)

region_scorecard = sql_table_asset(
    "marts.region_scorecard", "marts/region_scorecard", inputs=SCORECARD_INPUTS, group_name="marts",
    description=(
        "Scorecard: each organiser x each catalogue measure at the measure's latest year with data (the same "
        "year for all organisers), headline source_ref (its comparable variant), total breakdowns, with national "
        "and cooperation-area comparisons, rank, change from the previous year and progress since 2022 (trend "
        "direction). Organisers without a value "
        "keep their row with missing_reason. Answers 'how does Kainuu compare with the country on every objective?'."
    ),
)

measure_coverage = sql_table_asset(
    "marts.measure_coverage", "marts/measure_coverage", inputs=COVERAGE_INPUTS, group_name="marts",
    description=(
        "All 31 measures of the national objectives, one row each: status (automated, curated, "
        "not_available), source, latest year with data, reported level and units covered at that level."
    ),
)


@dg.asset(
    key=["marts", "objective_views"],
    deps=[asset_key(t) for t in VIEW_INPUTS],
    # every view has the columns (and descriptions) of the base table
    metadata={k: v for k, v in declared_schema("marts/objective_region_year", "marts.objective_region_year").items()
              if k == "dagster/column_schema"},
    description=(
        "One view per national objective (marts.objective_2_1_1 ... marts.objective_2_4_2) over "
        "marts.objective_region_year, for BI tools that want one table per objective."
    ),
    group_name="marts", **writes_warehouse(),
)
def objective_views(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    with context.resources.warehouse.connect() as con:
        wanted = [f"marts.{objective_view_name(k)}" for k in objective_keys(con)]
        built = build(con, "marts.objective_views", build_objective_views, inputs=VIEW_INPUTS,
                      extra=[sql_text("marts/objective_view"), wanted],
                      exists=lambda: all(_view_exists(con, v) for v in wanted))
        counts = {v: con.execute(f"SELECT count(*) FROM {v}").fetchall()[0][0] for v in wanted}
        metadata: dict[str, Any] = {"views": dg.MetadataValue.json(counts), "dagster/row_count": sum(counts.values()),
                                    "rebuilt": built.rebuilt}
        if wanted:  # every view has the base table's columns and comments
            metadata["dagster/column_schema"] = table_schema(con, wanted[0])
        return dg.MaterializeResult(metadata=metadata, data_version=dg.DataVersion(built.data_version))


def _view_exists(con: duckdb.DuckDBPyConnection, view: str) -> bool:
    schema, name = view.split(".")
    return bool(con.execute("SELECT count(*) FROM duckdb_views() WHERE database_name = current_database() "
                            "AND schema_name = ? AND view_name = ?", [schema, name]).fetchall()[0][0])
