"""``sql/<schema>/<table>.sql`` holds for every table of the warehouse: after a full run, each table
is created by the file named after it, and a view either has its own file, sits in the file of the
table it is a view of, or comes from a named template."""

from __future__ import annotations

import re

import duckdb

from pipelines.settings import PROJECT_ROOT

SQL = PROJECT_ROOT / "sql"
TEMPLATES = {"marts": ["objective_view"]}  # marts.objective_<key>: one view per objective, one template


def _creates(path, schema: str, name: str, kind: str) -> bool:
    text = path.read_text(encoding="utf-8")
    return re.search(rf"CREATE (OR REPLACE )?(TEMP )?{kind} (IF NOT EXISTS )?{schema}\.{name}\b", text) is not None


def test_every_table_is_built_by_the_file_named_after_it(full_run):
    settings, _ = full_run
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()
        views = con.execute("SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary").fetchall()
    assert len(tables) > 30
    wrong = [f"{s}.{t}" for s, t in tables if not (SQL / s / f"{t}.sql").exists()
             or not _creates(SQL / s / f"{t}.sql", s, t, "TABLE")]
    assert not wrong, f"tables without sql/<schema>/<table>.sql creating them: {wrong}"
    for s, v in views:
        own = SQL / s / f"{v}.sql"
        if own.exists():
            assert _creates(own, s, v, "VIEW")
            continue
        homes = [p for p in (SQL / s).glob("*.sql") if _creates(p, s, v, "VIEW")]
        templated = v.startswith("objective_") and "objective_view" in TEMPLATES.get(s, [])
        assert len(homes) == 1 or templated, f"view {s}.{v}: no single file creates it ({homes})"


def test_each_sql_file_creates_at_most_one_table():
    for path in SQL.rglob("*.sql"):
        created = re.findall(r"CREATE (?:OR REPLACE )?(?:TEMP )?TABLE (?:IF NOT EXISTS )?(\w+)\.(\w+)", path.read_text())
        assert len(set(created)) <= 1, f"{path.relative_to(PROJECT_ROOT)} creates {created}"
        if created:
            schema, table = created[0]
            assert (path.parent.name, path.stem) == (schema, table), f"{path.relative_to(PROJECT_ROOT)} creates {schema}.{table}"
