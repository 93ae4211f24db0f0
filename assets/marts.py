"""Comparable objective marts, built in SQL from ``marts.measure_values`` (sql/marts/*.sql).

- ``marts/objective_region_year``: every catalogue measure x region x year x breakdown with the
  national value, the cooperation-area value (the source's own, else population-weighted or
  summed from the member organisers), the rank among the 22 organisers, the previous year and
  caveats;
- ``marts/region_scorecard``: organiser x measure at the measure's latest year;
- ``marts/objective_views``: one view per objective (marts.objective_2_1_1 ...);
- ``marts/measure_coverage``: all 31 measures, automated / curated / not available.

Each table is rebuilt only when its inputs changed: the fingerprint covers the SQL text and the
content of every input table (row count and a hash of all rows), so it is correct even for
inputs that do not record a build state.
"""


import re
from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg
import duckdb

from pipelines.metadata import declared_schema, table_result, table_schema
from pipelines.warehouse import (
    fingerprint,
    is_current,
    record_build,
    render,
    split_statements,
    sql_text,
    table_exists,
    transaction,
)

OBJECTIVE_REGION_YEAR_INPUTS = (
    "marts.measure_values",
    "reference.measures",
    "reference.regions",
    "reference.caveats",
    "staging.population",
    "reference.measure_source_refs",
    "reference.units",
    "reference.sotkanet_indicators",
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
_OBJECTIVE_KEY = re.compile(r"^\d+\.\d+\.\d+$")


def content_fingerprint(con: duckdb.DuckDBPyConnection, tables: Sequence[str], *extra: Any) -> str:
    """Fingerprint of the inputs' contents (row count + order-independent hash of every row)."""
    parts = []
    for table in tables:
        if not table_exists(con, table):
            raise RuntimeError(f"input table {table} does not exist: materialise its asset first")
        count, digest = con.execute(f"SELECT count(*), sum(hash(t))::VARCHAR FROM {table} t").fetchone()
        parts.append((table, count, digest))
    return fingerprint(parts, *extra)


def execute_sql_file(con: duckdb.DuckDBPyConnection, name: str, identifiers: Mapping[str, str] | None = None) -> None:
    """Run a SQL file's statements on the current transaction (caller owns the transaction)."""
    for stmt in split_statements(render(sql_text(name), identifiers)):
        con.execute(stmt)


def build_table(
    con: duckdb.DuckDBPyConnection, table: str, sql_name: str, inputs: Sequence[str], *, force: bool = False
) -> bool:
    """Rebuild ``table`` with ``sql/<sql_name>.sql`` unless its inputs are unchanged.

    The build and its build-state record commit in one transaction: all or nothing.
    Returns True when rebuilt.
    """
    fp = content_fingerprint(con, inputs, sql_text(sql_name))
    if not force and is_current(con, table, fp):
        return False
    with transaction(con):
        execute_sql_file(con, sql_name)
        record_build(con, table, fp, {"inputs": list(inputs)})
    return True


def objective_view_name(objective_key: str) -> str:
    if not _OBJECTIVE_KEY.match(objective_key):
        raise ValueError(f"objective key {objective_key!r} is not of the form 2.1.1")
    return "objective_" + objective_key.replace(".", "_")


def build_objective_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One view per objective in reference.measures, column comments copied from the base table."""
    keys = [r[0] for r in con.execute(
        "SELECT DISTINCT objective_key FROM reference.measures WHERE objective_key IS NOT NULL ORDER BY 1"
    ).fetchall()]
    comments = con.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'marts' AND table_name = 'objective_region_year' AND comment IS NOT NULL"
    ).fetchall()
    views = []
    with transaction(con):
        stale = con.execute(
            "SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'marts' "
            "AND view_name LIKE 'objective\\_%' ESCAPE '\\'"
        ).fetchall()
        wanted = {objective_view_name(k) for k in keys}
        for (name,) in stale:
            if name not in wanted:  # an objective removed from the catalogue loses its view
                con.execute(f"DROP VIEW marts.{name}")
        for key in keys:
            name = objective_view_name(key)
            execute_sql_file(con, "marts/objective_view", {"view_name": name, "objective_key": key})
            for column, comment in comments:
                con.execute(f'COMMENT ON COLUMN marts.{name}."{column}" IS ' + "'" + comment.replace("'", "''") + "'")
            views.append(f"marts.{name}")
    return views


_COMMON = dict(group_name="marts", kinds={"duckdb"}, pool="duckdb_write", required_resource_keys={"warehouse"})


def _keys(tables: Sequence[str]) -> list[dg.AssetKey]:
    return [dg.AssetKey(t.split(".")) for t in tables]


@dg.asset(
    key=["marts", "objective_region_year"],
    deps=_keys(OBJECTIVE_REGION_YEAR_INPUTS),
    metadata=declared_schema("marts/objective_region_year", "marts.objective_region_year"),
    description=(
        "Comparable objective mart: every catalogue measure x source_ref x region (organisers, country, "
        "cooperation areas) x year x breakdown, with the whole-country value, difference and ratio to it, "
        "the cooperation-area value (source's own, else population-weighted for rates or summed for "
        "counts; see cooperation_area_value_method), RANK() among the 22 organisers by the direction of "
        "good, previous-year value and change, missing / suppressed / not-comparable flags and caveats."
    ),
    **_COMMON,
)
def objective_region_year(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    with context.resources.warehouse.connect() as con:
        rebuilt = build_table(con, "marts.objective_region_year", "marts/objective_region_year", OBJECTIVE_REGION_YEAR_INPUTS)
        return table_result(con, "marts.objective_region_year", rebuilt=rebuilt)


@dg.asset(
    key=["marts", "region_scorecard"],
    deps=_keys(SCORECARD_INPUTS),
    metadata=declared_schema("marts/region_scorecard", "marts.region_scorecard"),
    description=(
        "Scorecard: each organiser x each catalogue measure at the measure's latest year with data (the same "
        "year for all organisers), headline source_ref, total breakdowns, with national and cooperation-area "
        "comparisons, rank and change from the previous year. Organisers without a value keep their row "
        "with missing_reason. Answers 'how does Kainuu compare with the country on every objective?'."
    ),
    **_COMMON,
)
def region_scorecard(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    with context.resources.warehouse.connect() as con:
        rebuilt = build_table(con, "marts.region_scorecard", "marts/region_scorecard", SCORECARD_INPUTS)
        return table_result(con, "marts.region_scorecard", rebuilt=rebuilt)


@dg.asset(
    key=["marts", "measure_coverage"],
    deps=_keys(COVERAGE_INPUTS),
    metadata=declared_schema("marts/measure_coverage", "marts.measure_coverage"),
    description=(
        "All 31 measures of the national objectives, one row each: status (automated, curated, "
        "not_available), source, latest year with data, reported level and units covered at that level."
    ),
    **_COMMON,
)
def measure_coverage(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    with context.resources.warehouse.connect() as con:
        rebuilt = build_table(con, "marts.measure_coverage", "marts/measure_coverage", COVERAGE_INPUTS)
        return table_result(con, "marts.measure_coverage", rebuilt=rebuilt)


@dg.asset(
    key=["marts", "objective_views"],
    deps=_keys(["marts.objective_region_year", "reference.measures"]),
    # every view has the columns (and descriptions) of the base table
    metadata={k: v for k, v in declared_schema("marts/objective_region_year", "marts.objective_region_year").items()
              if k == "dagster/column_schema"},
    description=(
        "One view per national objective (marts.objective_2_1_1 ... marts.objective_2_4_2) over "
        "marts.objective_region_year, for BI tools that want one table per objective."
    ),
    **_COMMON,
)
def objective_views(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    with context.resources.warehouse.connect() as con:
        views = build_objective_views(con)
        counts = {v: con.execute(f"SELECT count(*) FROM {v}").fetchone()[0] for v in views}
        metadata: dict[str, Any] = {"views": dg.MetadataValue.json(counts), "dagster/row_count": sum(counts.values())}
        if views:  # every view has the base table's columns and comments
            metadata["dagster/column_schema"] = table_schema(con, views[0])
        return dg.MaterializeResult(metadata=metadata)
