"""DuckDB access: short-lived connections, SQL files from ``sql/``, atomic table builds.

Why not dagster-duckdb's resource: it always opens read-write, waits ~100 s on a lock and can
keep the lock after an exception. Here connections are opened per step with explicit memory and
thread limits, a short bounded retry on lock contention, and closed in ``finally``.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from pipelines.settings import PROJECT_ROOT, Settings, get_settings

SQL_ROOT = PROJECT_ROOT / "sql"
_LOCK_MARKERS = ("Could not set lock", "Conflicting lock", "database is locked")


class WarehouseUnreadable(RuntimeError):
    """The DuckDB file exists but cannot be opened: truncated, overwritten or otherwise damaged."""

    def __init__(self, path: Path, settings: Settings, cause: Exception):
        self.path = path
        first = str(cause).splitlines()[0]
        super().__init__(
            f"The warehouse file {path} cannot be opened: it is truncated or damaged (DuckDB says: {first}). "
            f"Nothing was changed, and BI tools keep reading the last good publication in {settings.serving_path}. "
            f"Recreate the warehouse from the raw archive and the landing deliveries with: sote rebuild "
            f"(.venv/bin/sote rebuild); it keeps the damaged file beside the new one for inspection and then "
            f"republishes. Details: docs/operations.md, 'A damaged warehouse'."
        )


@contextmanager
def connect(
    path: Path | str | None = None,
    *,
    read_only: bool = False,
    settings: Settings | None = None,
    lock_wait_s: float = 15.0,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse (or another DuckDB file) with the configured limits; always closes."""
    settings = settings or get_settings()
    path = Path(path or settings.warehouse_path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    config = {"memory_limit": settings.duckdb_memory_limit, "threads": settings.duckdb_threads}
    deadline = time.monotonic() + lock_wait_s
    delay = 0.1
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only, config=config)
            break
        except duckdb.IOException as exc:
            if not any(m in str(exc) for m in _LOCK_MARKERS):
                if path.is_file():
                    raise WarehouseUnreadable(path, settings, exc) from exc
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    try:
        tmp = path.parent / ".duckdb_tmp"
        con.execute(f"SET temp_directory = '{tmp.as_posix()}'")
        yield con
    finally:
        con.close()


def read_every_table(con: duckdb.DuckDBPyConnection) -> None:
    """Read every block of every table (an order-independent hash of all rows), so a damaged or
    truncated file fails here, before any work, rather than in the middle of a run."""
    tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                         "WHERE database_name = current_database() AND NOT temporary").fetchall()
    for schema, table in tables:
        con.execute(f'SELECT sum(hash(t)) FROM "{schema}"."{table}" t').fetchall()


def sql_text(name: str) -> str:
    """Text of ``sql/<name>`` (``.sql`` appended when missing)."""
    if not name.endswith(".sql"):
        name += ".sql"
    path = SQL_ROOT / name
    if not path.exists():
        raise FileNotFoundError(f"SQL file {path} does not exist")
    return path.read_text(encoding="utf-8")


_TEMPLATE = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def render(sql: str, identifiers: Mapping[str, str] | None = None) -> str:
    """Fill ``{{name}}`` slots: only for identifiers and file paths, never for data values.

    Values go through DuckDB parameters (``$name``); identifiers cannot, hence this.
    """
    identifiers = identifiers or {}

    def sub(m: re.Match) -> str:
        key = m.group(1)
        if key not in identifiers:
            raise KeyError(f"SQL template needs '{key}' but it was not given")
        return str(identifiers[key])

    return _TEMPLATE.sub(sub, sql)


def run_sql(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: Mapping[str, Any] | None = None,
    identifiers: Mapping[str, str] | None = None,
) -> None:
    """Run every statement of a SQL file inside one transaction: all or nothing."""
    with transaction(con):
        execute_file(con, name, params, identifiers)


def execute_file(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: Mapping[str, Any] | None = None,
    identifiers: Mapping[str, str] | None = None,
) -> None:
    """Run a SQL file's statements on the caller's transaction, binding the ``$name`` each uses."""
    for stmt in split_statements(render(sql_text(name), identifiers)):
        used = {k: v for k, v in (params or {}).items() if f"${k}" in stmt}
        con.execute(stmt, used) if used else con.execute(stmt)


def fetch_file(
    con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None
) -> list[tuple]:
    """Rows of a SQL file that holds one query (``$name`` parameters bound from ``params``)."""
    statements = split_statements(sql_text(name))
    if len(statements) != 1:
        raise ValueError(f"sql/{name} must hold exactly one query, found {len(statements)} statements")
    used = {k: v for k, v in (params or {}).items() if f"${k}" in statements[0]}
    return con.execute(statements[0], used).fetchall()


def split_statements(sql: str) -> list[str]:
    """Split on semicolons outside quotes and ``--`` comments (comments are dropped)."""
    out: list[str] = []
    buf: list[str] = []
    quote: str | None = None
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if quote:
            buf.append(ch)
            if ch == quote:
                quote = None
        elif ch == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end == -1 else end
            continue
        elif ch in ("'", '"'):
            quote = ch
            buf.append(ch)
        elif ch == ";":
            stmt = "".join(buf).strip()
            if stmt:
                out.append(stmt)
            buf = []
        else:
            buf.append(ch)
        i += 1
    tail = "".join(buf).strip()
    if tail:
        out.append(tail)
    return out


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


# DuckDB 2.0: a partly fetched result (fetchone) blocks register() on the same connection, so the
# helpers below always fetch all rows.

# -- build state: skip work whose inputs did not change -------------------------------------

# Read once from the project (tests point SQL_ROOT at their own folders; the ledger is always this one).
BUILD_STATE_DDL = (PROJECT_ROOT / "sql" / "meta" / "build_state.sql").read_text(encoding="utf-8")


def fingerprint(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def ensure_meta(con: duckdb.DuckDBPyConnection) -> None:
    for stmt in split_statements(BUILD_STATE_DDL):
        con.execute(stmt)


def stored_fingerprints(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, str]:
    """Recorded fingerprints of those ``tables`` that have one."""
    ensure_meta(con)
    rows = con.execute(
        "SELECT table_name, fingerprint FROM meta.build_state WHERE list_contains(?, table_name)", [tables]
    ).fetchall()
    return dict(rows)


def record_build(con: duckdb.DuckDBPyConnection, table: str, fp: str, detail: Mapping[str, Any] | None = None) -> None:
    """Call inside the same transaction as the build, so state and table never disagree."""
    ensure_meta(con)
    con.execute(
        "INSERT OR REPLACE INTO meta.build_state VALUES (?, ?, now()::TIMESTAMP, ?)",
        [table, fp, json.dumps(detail or {}, default=str)],
    )


def table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, _, name = table.partition(".")
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?", [schema, name]
        ).fetchall()[0][0]
    )
