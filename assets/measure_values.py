"""``marts.measure_values``: the union of every source's fragment (see ``pipelines/contract.py``).

Built by a factory because its inputs are discovered: every asset keyed ``fragments/<source>``
in the code location becomes an input, so adding a source never touches this module.
"""


from collections.abc import Sequence

import dagster as dg

from pipelines.contract import MEASURE_VALUES_COLUMNS, MEASURE_VALUES_KEY, column_comments_sql
from pipelines.metadata import table_result
from pipelines.builds import build
from pipelines.warehouse import render, split_statements, sql_text, table_exists
from pipelines.sql_assets import writes_warehouse

TABLE = "marts.measure_values"


def union_sql(fragment_tables: Sequence[str]) -> str:
    cols = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t, _ in MEASURE_VALUES_COLUMNS)
    return "\nUNION ALL\n".join(f"SELECT {cols} FROM {t}" for t in fragment_tables)


def build_measure_values_asset(fragment_keys: Sequence[dg.AssetKey]) -> dg.AssetsDefinition:
    fragment_keys = sorted(fragment_keys, key=lambda k: k.to_user_string())
    tables = [".".join(k.path) for k in fragment_keys]

    @dg.asset(
        key=["marts", "measure_values"],
        group_name="marts",
        deps=list(fragment_keys),
        **writes_warehouse(),
        description=(
            "One row per measure x source_ref x region x year x breakdown: the contract every source writes "
            "to and BI reads. Union of: " + ", ".join(tables or ["(no fragments)"]) + "."
        ),
    )
    def measure_values(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        with context.resources.warehouse.connect() as con:
            present = [t for t in tables if table_exists(con, t)]
            missing = sorted(set(tables) - set(present))
            if missing:
                raise RuntimeError(f"marts.measure_values: fragment tables not built yet: {', '.join(missing)}")
            built = build(con, TABLE, lambda c: union_of_fragments(c, present), inputs=present,
                          extra=[sql_text("marts/measure_values"), union_sql(present), column_comments_sql(TABLE)])
            return table_result(con, TABLE, built, key=", ".join(MEASURE_VALUES_KEY))

    return measure_values


def union_of_fragments(con, present: Sequence[str]) -> None:
    """The statement shape lives in sql/marts/measure_values.sql; only the fragment list is generated."""
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    sql = render(sql_text("marts/measure_values"), {"union_of_fragments": union_sql(present) or "SELECT * FROM (SELECT 1) WHERE false"})
    for stmt in split_statements(sql) + split_statements(column_comments_sql(TABLE)):
        con.execute(stmt)
