"""Dagster metadata for warehouse tables: row count, column schema (with the COMMENTs the SQL
files put on every column), and a small Markdown preview."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import dagster as dg
import duckdb

from pipelines.warehouse import sql_text


def table_schema(con: duckdb.DuckDBPyConnection, table: str) -> dg.TableSchema:
    schema, _, name = table.partition(".")
    rows = con.execute(
        "SELECT column_name, data_type, comment, is_nullable FROM duckdb_columns() "
        "WHERE schema_name = ? AND table_name = ? AND database_name = current_database() ORDER BY column_index",
        [schema, name],
    ).fetchall()
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                name=c, type=t, description=comment or None, constraints=dg.TableColumnConstraints(nullable=bool(nullable))
            )
            for c, t, comment, nullable in rows
        ]
    )


def table_comment(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    schema, _, name = table.partition(".")
    row = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE schema_name = ? AND table_name = ? AND database_name = current_database() "
        "UNION ALL SELECT comment FROM duckdb_views() WHERE schema_name = ? AND view_name = ? AND database_name = current_database()",
        [schema, name, schema, name],
    ).fetchone()
    return row[0] if row else None


def preview_markdown(con: duckdb.DuckDBPyConnection, table: str, limit: int = 5) -> str:
    frame = con.execute(f"SELECT * FROM {table} LIMIT {int(limit)}").df()
    if frame.empty:
        return "_(no rows)_"
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, row in frame.iterrows():
        lines.append("| " + " | ".join("" if v is None else str(v) for v in row.tolist()) + " |")
    return "\n".join(lines)


def table_metadata(con: duckdb.DuckDBPyConnection, table: str, **extra: Any) -> dict[str, Any]:
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    meta: dict[str, Any] = {
        "dagster/row_count": rows,
        "dagster/column_schema": table_schema(con, table),
        "dagster/table_name": table,
        "preview": dg.MetadataValue.md(preview_markdown(con, table)),
    }
    meta.update(extra)
    return meta


def table_result(
    con: duckdb.DuckDBPyConnection, table: str, built: Any = None, *, checks: Sequence[dg.AssetCheckResult] = (),
    **extra: Any,
) -> dg.MaterializeResult:
    """Materialisation of ``table``; with ``built`` (pipelines.builds.Built) its ``rebuilt`` flag and
    input fingerprint, the latter as the asset's data version; ``checks``: the asset's own check results."""
    if built is None:
        return dg.MaterializeResult(metadata=table_metadata(con, table, **extra), check_results=list(checks))
    return dg.MaterializeResult(metadata=table_metadata(con, table, rebuilt=built.rebuilt, **extra),
                                data_version=dg.DataVersion(built.data_version), check_results=list(checks))


_COLUMN_COMMENT = re.compile(
    r"COMMENT\s+ON\s+COLUMN\s+([\w.]+)\.\"?(\w+)\"?\s+IS\s+'((?:[^']|'')*)'", re.IGNORECASE
)
_TABLE_COMMENT = re.compile(r"COMMENT\s+ON\s+(?:TABLE|VIEW)\s+([\w.]+)\s+IS\s+'((?:[^']|'')*)'", re.IGNORECASE)


def declared_schema(sql_file: str, table: str) -> dict[str, Any]:
    """Definition-time metadata from a SQL file's COMMENT ON statements, so the UI shows the
    columns and their descriptions before the first materialisation."""
    text = sql_text(sql_file)
    columns = [
        dg.TableColumn(name=col, type="", description=desc.replace("''", "'"))
        for tbl, col, desc in _COLUMN_COMMENT.findall(text)
        if tbl == table
    ]
    meta: dict[str, Any] = {"dagster/table_name": table}
    if columns:
        meta["dagster/column_schema"] = dg.TableSchema(columns=columns)
    return meta


def declared_description(sql_file: str, table: str) -> str | None:
    for tbl, desc in _TABLE_COMMENT.findall(sql_text(sql_file)):
        if tbl == table:
            return desc.replace("''", "'")
    return None


def outcome_metadata(outcome) -> dict:
    """What a landing-delivery flow did with this run's files (pipelines.sources.files.flow.FlowOutcome)."""
    return {
        "accepted_files": len(outcome.accepted),
        "rejected_files": len(outcome.rejected),
        "already_loaded_files": len(outcome.unchanged),
        "waiting_files": dg.MetadataValue.json(outcome.waiting),
        "rejected": dg.MetadataValue.json(outcome.rejected),
        "error_reports": dg.MetadataValue.json(outcome.reports),
    }


LANDING_CHECK = "landing_deliveries_accepted"


def landing_check_spec(asset: Sequence[str], source: str) -> dg.AssetCheckSpec:
    """A check the ingest asset reports itself: red (ERROR) when a landing file of this run was rejected.
    Not blocking: the other files of the run, and every county's earlier figures, still publish."""
    return dg.AssetCheckSpec(LANDING_CHECK, asset=dg.AssetKey(list(asset)), blocking=False,
                             description=f"Every {source} file dropped in the landing folder in this run was accepted; "
                             "a rejected or refused one fails this check, naming the file and its problems.")


def landing_check_result(asset: Sequence[str], outcome) -> dg.AssetCheckResult:
    rejected = outcome.problems
    text = "; ".join(f"{name}: {why}" for name, why in rejected.items())
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(list(asset)), check_name=LANDING_CHECK, passed=not rejected,
        severity=dg.AssetCheckSeverity.ERROR,
        description=(f"{len(rejected)} landing file(s) rejected, see quarantine/*.errors.txt: {text}"[:2000] if rejected
                     else f"no landing file rejected ({len(outcome.landing_accepted)} accepted, "
                          f"{len(outcome.landing_again)} already loaded, {len(outcome.waiting)} still being written)"),
        metadata={"rejected": dg.MetadataValue.json(rejected), "error_reports": dg.MetadataValue.json(outcome.reports)},
    )
