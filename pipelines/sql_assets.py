"""Factory for assets that are one SQL file over warehouse tables: the asset's key, dependencies
and column schema come from the table name, its inputs and the SQL file's COMMENT ON lines; the
body is the build primitive (pipelines.builds) with the input fingerprint as the data version."""

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from pipelines.builds import build
from pipelines.contract import MEASURE_VALUES_COLUMNS, column_comments_sql
from pipelines.metadata import declared_schema, table_result


def writes_warehouse(*resources: str, kinds: Sequence[str] = ("duckdb",)) -> dict[str, Any]:
    """Asset arguments of everything that writes the warehouse: one write slot (pool
    ``duckdb_write``, so writers never contend for DuckDB's single-writer lock) and the resource."""
    return dict(kinds=set(kinds), pool="duckdb_write", required_resource_keys={"warehouse", *resources})


def asset_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(table.split("."))


def sql_table_asset(
    table: str,
    sql_file: str,
    *,
    inputs: Sequence[str],
    description: str,
    group_name: str,
    deps: Sequence[dg.AssetKey | dg.AssetsDefinition] = (),
    params: Callable[[Any], Mapping[str, Any]] | None = None,
    files: Sequence[Path] = (),
    frames: Callable[[duckdb.DuckDBPyConnection], Mapping[str, Any]] | None = None,
    extra: Callable[[], Sequence[Any]] | None = None,
    result_metadata: Callable[[duckdb.DuckDBPyConnection], Mapping[str, Any]] | None = None,
    after: str = "",
    metadata: Mapping[str, Any] | None = None,
    **asset_kwargs: Any,
) -> dg.AssetsDefinition:
    """An asset that (re)builds ``table`` with ``sql/<sql_file>.sql`` from the ``inputs`` tables.

    ``params(settings)`` gives the SQL's ``$name`` values from the typed settings; ``files`` are
    input files (their content is part of the fingerprint); ``frames(con)`` gives the pandas frames
    the SQL reads (built only when a rebuild is needed); ``extra()`` whatever else they depend on
    (for example a configuration fingerprint); ``after`` statements run after the file in the same
    build; ``metadata`` replaces the column schema read from the file's COMMENT ON lines."""

    @dg.asset(
        key=asset_key(table),
        deps=[*(asset_key(t) for t in inputs), *deps],
        metadata=dict(metadata) if metadata is not None else declared_schema(sql_file, table),
        description=description,
        group_name=group_name,
        **writes_warehouse(*(["settings"] if params else [])),
        **asset_kwargs,
    )
    def _asset(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        values = dict(params(context.resources.settings.get())) if params else None
        with context.resources.warehouse.connect() as con:
            built = build(con, table, sql_file, inputs=inputs, params=values, files=files,
                          extra=list(extra()) if extra else (), frames=(lambda: frames(con)) if frames else None,
                          after=after)
            more = dict(result_metadata(con)) if result_metadata else {}
            return table_result(con, table, built, **more)

    return _asset


def contract_schema(table: str) -> dict[str, Any]:
    """Definition-time metadata of a table in the measure_values contract: its columns, types and
    descriptions, from pipelines/contract.py."""
    return {"dagster/table_name": table, "dagster/column_schema": dg.TableSchema(columns=[
        dg.TableColumn(name=c, type=t, description=d) for c, t, d in MEASURE_VALUES_COLUMNS])}


def fragment_asset(source: str, *, inputs: Sequence[str], description: str, group_name: str,
                   **kwargs: Any) -> dg.AssetsDefinition:
    """``fragments.<source>``, built by ``sql/fragments/<source>.sql``: a source's rows of
    marts.measure_values. Its column descriptions are the contract's (written once, in
    pipelines/contract.py), so the SQL file carries only the table comment."""
    table = f"fragments.{source}"
    return sql_table_asset(table, f"fragments/{source}", inputs=inputs, description=description, group_name=group_name,
                           after=column_comments_sql(table), metadata=contract_schema(table), **kwargs)
