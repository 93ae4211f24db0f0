"""Factory for assets that are one SQL file over warehouse tables: the asset's key, dependencies
and column schema come from the table name, its inputs and the SQL file's COMMENT ON lines; the
body is the build primitive (pipelines.builds) with the input fingerprint as the data version."""

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from pipelines.builds import build
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
    **asset_kwargs: Any,
) -> dg.AssetsDefinition:
    """An asset that (re)builds ``table`` with ``sql/<sql_file>.sql`` from the ``inputs`` tables.

    ``params(settings)`` gives the SQL's ``$name`` values from the typed settings; ``files`` are
    input files (their content is part of the fingerprint); ``frames(con)`` gives the pandas frames
    the SQL reads (built only when a rebuild is needed); ``extra()`` whatever else they depend on
    (for example a configuration fingerprint)."""

    @dg.asset(
        key=asset_key(table),
        deps=[*(asset_key(t) for t in inputs), *deps],
        metadata=declared_schema(sql_file, table),
        description=description,
        group_name=group_name,
        **writes_warehouse(*(["settings"] if params else [])),
        **asset_kwargs,
    )
    def _asset(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        values = dict(params(context.resources.settings.get())) if params else None
        with context.resources.warehouse.connect() as con:
            built = build(con, table, sql_file, inputs=inputs, params=values, files=files,
                          extra=list(extra()) if extra else (), frames=(lambda: frames(con)) if frames else None)
            more = dict(result_metadata(con)) if result_metadata else {}
            return table_result(con, table, built, **more)

    return _asset
