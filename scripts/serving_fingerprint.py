"""Fingerprint of everything serving.duckdb publishes, table by table, to prove that a refactoring
changed no published content: ``python scripts/serving_fingerprint.py [serving.duckdb] [--write]``.

Per table: row count and a sha256 of its rows sorted, with floats written to 10 significant
digits (two clean runs differ in the last bits of parallel float sums) and the per-run columns of
meta.publication (run ids and times) left out. ``--write`` stores the result in
tests/data/serving_fingerprint.json, which tests/test_serving_fingerprint.py compares against.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
STORED = ROOT / "tests" / "data" / "serving_fingerprint.json"
PER_RUN_COLUMNS = {("meta", "publication"): {"run_id", "published_at", "checked_at", "content_run_id"}}


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    return repr(value)


def fingerprint_serving(path: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1, 2"
        ).fetchall()
        for schema, table in tables:
            columns = [r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
                "AND schema_name = ? AND table_name = ? ORDER BY column_index", [schema, table]).fetchall()]
            kept = [c for c in columns if c not in PER_RUN_COLUMNS.get((schema, table), set())]
            rows = con.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in kept)} FROM {schema}."{table}"').fetchall()
            lines = sorted("\x1f".join(_cell(v) for v in row) for row in rows)
            digest = hashlib.sha256("\n".join(["\x1f".join(kept), *lines]).encode()).hexdigest()
            out[f"{schema}.{table}"] = {"rows": len(rows), "columns": len(kept), "sha256": digest}
    return out


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    path = Path(args[0]) if args else ROOT / "var" / "serving.duckdb"
    result = fingerprint_serving(path)
    if "--write" in argv:
        STORED.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {STORED}")
    else:
        print(json.dumps(result, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
