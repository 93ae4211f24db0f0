"""The one table-build primitive: build a table (or a file target) and record its input
fingerprint in the same transaction, or skip the build when the fingerprint is unchanged.

Fingerprint rule, used for every target and shown in the Dagster UI as the asset's data version:
sha256 over
- ``BUILD_RULE_VERSION`` (bump to rebuild everything after a change of this rule);
- the build's SQL text (a SQL file of ``sql/``), or for a Python builder its qualified name;
- the parameters (bound ``$name`` values and ``{{name}}`` identifiers), as sorted JSON;
- each input table's own recorded fingerprint (``meta.build_state``); an input that records none
  (a table no build here produced) contributes its row count and an order-independent hash of
  its rows instead;
- the sha256 of each input file;
- ``extra``: whatever else the output depends on, e.g. the payload hashes that frames are
  parsed from, or a digest of the Python code that shapes them.

Frames (pandas) are registered for the build under fixed names and always unregistered. They are
produced from the parts above, so pass them as a callable: it runs only when a rebuild is needed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from pipelines.warehouse import (
    execute_file,
    fingerprint,
    record_build,
    split_statements,
    sql_text,
    stored_fingerprints,
    table_exists,
    transaction,
)

BUILD_RULE_VERSION = 1

Frames = Mapping[str, pd.DataFrame]
Builder = Callable[[duckdb.DuckDBPyConnection], Any]


@dataclass(frozen=True)
class Built:
    """Outcome of a build: ``data_version`` is the input fingerprint recorded for the target."""

    target: str
    rebuilt: bool
    data_version: str


def content_digest(con: duckdb.DuckDBPyConnection, table: str) -> tuple[int, str]:
    if not table_exists(con, table):
        raise RuntimeError(f"input table {table} does not exist: materialise its asset first")
    count, digest = con.execute(f"SELECT count(*), coalesce(sum(hash(t)), 0)::VARCHAR FROM {table} t").fetchall()[0]
    return count, digest


def input_fingerprint(
    con: duckdb.DuckDBPyConnection,
    sql: str | Builder,
    *,
    inputs: Sequence[str] = (),
    params: Mapping[str, Any] | None = None,
    files: Sequence[Path] = (),
    extra: Sequence[Any] = (),
) -> str:
    """The fingerprint rule of this module's docstring."""
    definition = sql_text(sql) if isinstance(sql, str) else f"{sql.__module__}.{sql.__qualname__}"
    recorded = stored_fingerprints(con, list(inputs))
    upstream = [(t, recorded[t] if t in recorded else content_digest(con, t)) for t in sorted(inputs)]
    file_digests = [(Path(f).name, hashlib.sha256(Path(f).read_bytes()).hexdigest()) for f in files]
    return fingerprint(BUILD_RULE_VERSION, definition, dict(params or {}), upstream, file_digests, list(extra))


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, frames: Frames | None) -> Iterator[None]:
    """Expose Python-built frames to SQL under fixed names, for one build only."""
    frames = frames or {}
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


def build(
    con: duckdb.DuckDBPyConnection,
    target: str,
    sql: str | Builder,
    *,
    inputs: Sequence[str] = (),
    params: Mapping[str, Any] | None = None,
    identifiers: Mapping[str, str] | None = None,
    files: Sequence[Path] = (),
    extra: Sequence[Any] = (),
    frames: Callable[[], Frames] | None = None,
    also: Sequence[str] = (),
    exists: Callable[[], bool] | None = None,
    in_transaction: bool = True,
    detail: Mapping[str, Any] | None = None,
    force: bool = False,
    after: str = "",
) -> Built:
    """Build ``target`` (and the tables in ``also``, made by the same SQL) unless the input
    fingerprint is the one recorded and the outputs exist.

    ``sql`` is a file of ``sql/`` run with ``params`` and ``identifiers``, or a callable given the
    connection. The build and the recorded fingerprints commit in one transaction: a failure
    leaves the previous table and fingerprint. ``exists`` replaces the table check for targets
    that are not tables (views, the serving file, the reports). A file target cannot share a
    transaction with the warehouse (``in_transaction=False``): the builder writes its files
    atomically first, then the fingerprint is recorded, so a crash in between only repeats the build.
    ``after``: statements run right after ``sql`` in the same transaction (generated column comments).
    """
    missing = [t for t in inputs if not table_exists(con, t)]
    if missing:
        raise RuntimeError(f"{target}: input table(s) {', '.join(missing)} missing: materialise their assets first")
    fp = input_fingerprint(con, sql, inputs=inputs, params={**(params or {}), **(identifiers or {})},
                           files=files, extra=[*extra, after] if after else extra)
    outputs = [target, *also]
    if not force and _current(con, outputs, fp, exists):
        return Built(target, False, fp)
    def run() -> None:
        if isinstance(sql, str):
            execute_file(con, sql, params, identifiers)
        else:
            sql(con)
        for stmt in split_statements(after):
            con.execute(stmt)

    def record() -> None:
        for name in outputs:
            record_build(con, name, fp, {"inputs": sorted(inputs), **(detail or {})})

    with registered(con, frames() if frames else None):
        if in_transaction:
            with transaction(con):
                run()
                record()
        else:
            run()
            with transaction(con):
                record()
    return Built(target, True, fp)


def _current(con, outputs: Sequence[str], fp: str, exists: Callable[[], bool] | None) -> bool:
    recorded = stored_fingerprints(con, list(outputs))
    if any(recorded.get(name) != fp for name in outputs):
        return False
    if exists is not None:
        return exists()
    return all(table_exists(con, name) for name in outputs)
