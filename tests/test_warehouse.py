"""Warehouse helpers: SQL files, atomic builds, build-state fingerprints."""

import duckdb
import pytest

from pipelines import warehouse
from pipelines.warehouse import connect, split_statements
from tests.conftest import make_settings


def test_split_statements_respects_quotes_and_comments():
    sql = "-- Statistics Finland's list; not a statement\nSELECT 'a;b';\nCOMMENT ON TABLE t IS 'it''s; fine';\n"
    assert split_statements(sql) == ["SELECT 'a;b'", "COMMENT ON TABLE t IS 'it''s; fine'"]


def test_a_failing_sql_file_leaves_the_previous_table_intact(tmp_path, monkeypatch):
    settings = make_settings(tmp_path)
    (tmp_path / "sql").mkdir()
    (tmp_path / "sql" / "build.sql").write_text(
        "CREATE OR REPLACE TABLE t AS SELECT 2 AS v;\nSELECT * FROM no_such_table;\n", encoding="utf-8"
    )
    monkeypatch.setattr(warehouse, "SQL_ROOT", tmp_path / "sql")
    with connect(settings.warehouse_path, settings=settings) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS v")
        with pytest.raises(duckdb.CatalogException, match="no_such_table"):
            warehouse.run_sql(con, "build")
        assert con.execute("SELECT v FROM t").fetchall() == [(1,)]


def test_connect_applies_memory_and_thread_limits(tmp_path):
    settings = make_settings(tmp_path, duckdb_memory_limit="512MB", duckdb_threads=1)
    with connect(settings.warehouse_path, settings=settings) as con:
        assert con.execute("SELECT current_setting('threads')").fetchall()[0][0] == 1
        assert con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0].startswith("488")
