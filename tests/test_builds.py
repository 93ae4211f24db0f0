"""The one table-build primitive (pipelines/builds.py) on a real DuckDB file: all or nothing,
skip when unchanged, rebuild on any change the fingerprint rule names."""

import duckdb
import pandas as pd
import pytest

from pipelines import warehouse
from pipelines.builds import build, input_fingerprint
from pipelines.warehouse import stored_fingerprints


@pytest.fixture
def sql_dir(tmp_path, monkeypatch):
    root = tmp_path / "sql"
    (root / "t").mkdir(parents=True)
    monkeypatch.setattr(warehouse, "SQL_ROOT", root)
    return root / "t"


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(tmp_path / "w.duckdb"))
    c.execute("CREATE SCHEMA s; CREATE TABLE s.src AS SELECT 1 AS v")
    yield c
    c.close()


def _write(folder, name, text):
    (folder / f"{name}.sql").write_text(text, encoding="utf-8")
    return f"t/{name}"


def test_failure_after_the_table_write_leaves_neither_the_new_table_nor_its_fingerprint(con, sql_dir):
    good = _write(sql_dir, "good", "CREATE OR REPLACE TABLE s.out AS SELECT v FROM s.src;")
    first = build(con, "s.out", good, inputs=["s.src"])
    assert first.rebuilt and stored_fingerprints(con, ["s.out"]) == {"s.out": first.data_version}

    con.execute("UPDATE s.src SET v = 2")
    bad = _write(sql_dir, "bad", "CREATE OR REPLACE TABLE s.out AS SELECT v * 10 AS v FROM s.src;\nSELECT * FROM no_such_table;")
    with pytest.raises(duckdb.CatalogException, match="no_such_table"):
        build(con, "s.out", bad, inputs=["s.src"])
    assert con.execute("SELECT v FROM s.out").fetchall() == [(1,)]  # the previous table
    assert stored_fingerprints(con, ["s.out"]) == {"s.out": first.data_version}  # and its fingerprint


def test_frames_are_registered_for_the_build_only_and_produced_only_when_rebuilding(con, sql_dir):
    sql = _write(sql_dir, "frame", "CREATE OR REPLACE TABLE s.f AS SELECT * FROM frame_in;")
    calls = []

    def frames():
        calls.append(1)
        return {"frame_in": pd.DataFrame({"x": [1, 2]})}

    assert build(con, "s.f", sql, extra=["payload-1"], frames=frames).rebuilt
    assert not build(con, "s.f", sql, extra=["payload-1"], frames=frames).rebuilt
    assert calls == [1]  # not parsed again when nothing changed
    with pytest.raises(duckdb.CatalogException):
        con.execute("SELECT * FROM frame_in")  # unregistered after the build
    assert build(con, "s.f", sql, extra=["payload-2"], frames=frames).rebuilt and calls == [1, 1]


def test_unchanged_skips_and_sql_text_parameter_upstream_or_file_changes_rebuild(con, sql_dir, tmp_path):
    sql = _write(sql_dir, "p", "CREATE OR REPLACE TABLE s.p AS SELECT v + $k AS v FROM s.src;")
    data = tmp_path / "input.csv"
    data.write_text("a\n1\n")

    def run(k=1):
        return build(con, "s.p", sql, inputs=["s.src"], params={"k": k}, files=[data])

    first = run()
    assert first.rebuilt
    again = run()
    assert not again.rebuilt and again.data_version == first.data_version

    assert run(k=2).rebuilt  # a parameter
    _write(sql_dir, "p", "CREATE OR REPLACE TABLE s.p AS SELECT v + $k + 0 AS v FROM s.src;")
    assert run(k=2).rebuilt  # the SQL text
    data.write_text("a\n2\n")
    assert run(k=2).rebuilt  # an input file
    con.execute("UPDATE s.src SET v = 5")  # an upstream without a recorded state: its content counts
    assert run(k=2).rebuilt
    assert con.execute("SELECT v FROM s.p").fetchall() == [(7,)]
    assert not run(k=2).rebuilt

    con.execute("DROP TABLE s.p")
    assert run(k=2).rebuilt  # a dropped table is rebuilt whatever the state says


def test_an_upstream_with_a_recorded_state_is_fingerprinted_by_that_state(con, sql_dir):
    up = _write(sql_dir, "up", "CREATE OR REPLACE TABLE s.up AS SELECT $n AS v;")
    down = _write(sql_dir, "down", "CREATE OR REPLACE TABLE s.down AS SELECT v FROM s.up;")
    build(con, "s.up", up, params={"n": 1})
    first = build(con, "s.down", down, inputs=["s.up"])
    assert not build(con, "s.down", down, inputs=["s.up"]).rebuilt
    build(con, "s.up", up, params={"n": 2})
    second = build(con, "s.down", down, inputs=["s.up"])
    assert second.rebuilt and second.data_version != first.data_version
    assert second.data_version == input_fingerprint(con, down, inputs=["s.up"])


def test_file_targets_are_written_first_then_recorded(con, tmp_path):
    target = tmp_path / "out.txt"

    def write(_con):
        target.write_text("published")

    first = build(con, "files.out", write, extra=["v1"], exists=target.exists, in_transaction=False)
    assert first.rebuilt and target.read_text() == "published"
    assert not build(con, "files.out", write, extra=["v1"], exists=target.exists, in_transaction=False).rebuilt
    target.unlink()
    assert build(con, "files.out", write, extra=["v1"], exists=target.exists, in_transaction=False).rebuilt
