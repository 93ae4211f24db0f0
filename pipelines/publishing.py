"""Write the serving file: a fresh DuckDB file, filled, closed, then renamed into place.

The file keeps the history of publish attempts (meta.publication, carried over from the previous
file) and the values revised since the previous content (marts.value_revisions). An attempt whose
content is unchanged adds its row to a copy of the current file, renamed into place the same way.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.warehouse import execute_file, fetch_file, fingerprint, run_sql, sql_text, table_exists

# DuckDB 1.x clients (BI drivers, the 1.5 CLI) cannot open files in the 2.0 storage format.
SERVING_STORAGE_VERSION = "v1.0.0"
ATTRIBUTION = (
    "Sources: THL Sotkanet statistics and indicator bank (https://sotkanet.fi), CC BY 4.0 for THL-produced "
    "indicators - producer of each indicator in reference.sotkanet_indicators; THL database reports "
    "(sampo.thl.fi); wellbeing services counties' personnel reports; Statistics Finland classifications "
    "(CC BY 4.0). Values flagged is_synthetic are bundled sample data, not official statistics."
)


def _objects(con: duckdb.DuckDBPyConnection, schemas: Sequence[str]) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """(tables, views) of the published schemas."""
    return (fetch_file(con, "serving/published_tables", {"schemas": list(schemas)}),
            fetch_file(con, "serving/published_views", {"schemas": list(schemas)}))


def publish_serving_file(
    con: duckdb.DuckDBPyConnection, serving_path: Path, *, run_id: str, schemas: Sequence[str]
) -> dict[str, Any]:
    serving_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = serving_path.with_name(f".{serving_path.name}.{run_id[:8]}.tmp")
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    tables, views = _objects(con, schemas)
    con.execute(f"ATTACH '{tmp.as_posix()}' AS srv (STORAGE_VERSION '{SERVING_STORAGE_VERSION}')")
    try:
        for schema in {*schemas, "meta"}:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS srv.{schema}")
        for schema, name in tables:
            con.execute(f"CREATE TABLE srv.{schema}.{name} AS SELECT * FROM {schema}.{name}")
        _copy_comments(con, schemas)
        for schema, name, sql in views:
            prefix = f"CREATE VIEW {schema}.{name}"
            if not sql.startswith(prefix):
                raise RuntimeError(f"cannot republish view {schema}.{name}: unexpected definition {sql[:80]!r}")
            con.execute("USE srv")
            try:
                con.execute(sql)
            finally:
                con.execute(f"USE {_warehouse_name(con)}")
        _copy_comments(con, schemas, kind="view")
        any_synthetic = _any_synthetic(con)
        now = datetime.now(UTC).replace(tzinfo=None)
        source_dates = _source_dates(con)
        history = _attach_previous(con, serving_path)
        con.execute("USE srv")
        try:
            execute_file(con, "meta/publication")
            if history is not None:
                con.execute("INSERT INTO meta.publication " + history)
            con.execute("INSERT INTO meta.publication VALUES (?, ?, true, ?, ?, ?::JSON, ?, ?, ?)",
                        [run_id, now, now, run_id, json.dumps(source_dates), any_synthetic, ATTRIBUTION,
                         SERVING_STORAGE_VERSION])
            last = con.execute(f"SELECT content_run_id, published_at FROM ({history}) h ORDER BY checked_at DESC LIMIT 1"
                               ).fetchone() if history is not None else None
            execute_file(con, "marts/value_revisions",
                         {"old_run_id": last[0] if last else None, "old_published_at": last[1] if last else None,
                          "new_run_id": run_id, "new_published_at": now},
                         identifiers={"previous": "prev" if history is not None else "srv"})
            run_sql(con, "meta/data_dictionary")
        finally:
            con.execute(f"USE {_warehouse_name(con)}")
            if history is not None:
                con.execute("DETACH prev")
    finally:
        con.execute("DETACH srv")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, serving_path)
    return {
        "tables": [f"{s}.{n}" for s, n in tables],
        "views": [f"{s}.{n}" for s, n, _ in views],
        "any_synthetic": any_synthetic,
        "size_bytes": serving_path.stat().st_size,
    }


# The history rows of a previous file; files written before the history existed had one row.
_HISTORY_SELECT = (
    "SELECT run_id, checked_at, content_changed, published_at, content_run_id, source_data_dates, any_synthetic, "
    "attribution, storage_version FROM {db}.meta.publication ORDER BY checked_at"
)
_LEGACY_SELECT = (
    "SELECT run_id, published_at AS checked_at, true AS content_changed, published_at, run_id AS content_run_id, "
    "source_data_dates, any_synthetic, attribution, storage_version FROM {db}.meta.publication"
)


def _attach_previous(con: duckdb.DuckDBPyConnection, serving_path: Path) -> str | None:
    """Attach the current serving file read-only as ``prev`` when it holds a usable history, and
    return the query of its history rows."""
    if not serving_path.exists():
        return None
    try:
        con.execute(f"ATTACH '{serving_path.as_posix()}' AS prev (READ_ONLY)")
    except duckdb.Error:
        return None  # unreadable: the new file starts a new history
    try:
        columns = {r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'prev' AND schema_name = 'meta' "
            "AND table_name = 'publication'").fetchall()}
        has_values = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'prev' AND schema_name = 'marts' "
            "AND table_name = 'measure_values'").fetchone()[0] > 0
    except duckdb.Error:
        columns, has_values = set(), False
    if not columns or not has_values:
        con.execute("DETACH prev")
        return None
    if "checked_at" not in columns:  # written before the history: one row, its own content
        return _LEGACY_SELECT.format(db="prev")
    return _HISTORY_SELECT.format(db="prev")


def record_unchanged_check(serving_path: Path, *, run_id: str) -> bool:
    """Add this attempt's row (content unchanged) to a copy of the serving file and rename it into
    place. False when the file predates the history or cannot be read (the caller republishes it
    whole; the current file is left as it is until then)."""
    tmp = serving_path.with_name(f".{serving_path.name}.{run_id[:8]}.check.tmp")
    shutil.copyfile(serving_path, tmp)
    try:
        try:
            with duckdb.connect(str(tmp)) as con:
                columns = {r[0] for r in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'meta' AND table_name = 'publication'"
                ).fetchall()}
                if "checked_at" not in columns:
                    return False
                con.execute(
                    "INSERT INTO meta.publication SELECT ?, ?, false, published_at, content_run_id, source_data_dates, "
                    "any_synthetic, attribution, storage_version FROM meta.publication ORDER BY checked_at DESC LIMIT 1",
                    [run_id, datetime.now(UTC).replace(tzinfo=None)])
        except duckdb.Error:
            return False  # a damaged serving file: republishing it whole heals it
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, serving_path)
        return True
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)


def serving_fingerprint(con: duckdb.DuckDBPyConnection, schemas: Sequence[str], serving_path: Path) -> str:
    """Content of everything the serving file would hold: each table's rows (order-independent hash,
    computed in DuckDB), each view's SQL, every comment, and the format. Equal => same file."""
    tables, views = _objects(con, schemas)
    content = [
        (s, n, *con.execute(f"SELECT count(*), sum(hash(t))::VARCHAR FROM {s}.{n} t").fetchall()[0]) for s, n in tables
    ]
    comments = fetch_file(con, "serving/published_comments", {"schemas": list(schemas)})
    return fingerprint(content, views, comments, SERVING_STORAGE_VERSION, str(serving_path.resolve()),
                       sql_text("meta/data_dictionary"))


def _warehouse_name(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute(
        "SELECT database_name FROM duckdb_databases() WHERE NOT internal AND database_name NOT IN ('srv', 'prev') LIMIT 1"
    ).fetchone()[0]


def _copy_comments(con: duckdb.DuckDBPyConnection, schemas: Sequence[str], kind: str = "table") -> None:
    """Copy table (or view) and column comments into the serving file: CREATE TABLE AS and
    re-created views carry none."""
    wh = _warehouse_name(con)
    catalog, name_col, keyword = ("duckdb_tables()", "table_name", "TABLE") if kind == "table" else ("duckdb_views()", "view_name", "VIEW")
    internal = "" if kind == "table" else "AND NOT internal "
    for schema, name, comment in con.execute(
        f"SELECT schema_name, {name_col}, comment FROM {catalog} WHERE database_name = ? "
        f"AND list_contains(?, schema_name) {internal}AND comment IS NOT NULL",
        [wh, list(schemas)],
    ).fetchall():
        con.execute(f"COMMENT ON {keyword} srv.{schema}.{name} IS {_quote(comment)}")
    for schema, name, column, comment in con.execute(
        f"SELECT c.schema_name, c.table_name, c.column_name, c.comment FROM duckdb_columns() c "
        f"JOIN {catalog} o ON o.database_name = c.database_name AND o.schema_name = c.schema_name "
        f"AND o.{name_col} = c.table_name WHERE c.database_name = ? AND list_contains(?, c.schema_name) "
        f"AND c.comment IS NOT NULL",
        [wh, list(schemas)],
    ).fetchall():
        con.execute(f'COMMENT ON COLUMN srv.{schema}.{name}."{column}" IS {_quote(comment)}')


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _any_synthetic(con: duckdb.DuckDBPyConnection) -> bool:
    if not table_exists(con, "marts.measure_values"):
        return False
    return bool(con.execute("SELECT coalesce(bool_or(is_synthetic), false) FROM marts.measure_values").fetchone()[0])


def _source_dates(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    if not table_exists(con, "marts.measure_values"):
        return {}
    rows = con.execute(
        "SELECT source, max(fetched_at)::VARCHAR, min(year), max(year) FROM marts.measure_values GROUP BY source ORDER BY source"
    ).fetchall()
    return {s: {"latest_fetched_at": f, "first_year": a, "last_year": b} for s, f, a, b in rows}
