"""Fragments follow the measure_values contract: their column descriptions are written once (in
pipelines/contract.py) and reach every fragment and marts.measure_values as column comments, and a
fragment reads staging and reference tables only, never raw."""

from __future__ import annotations

import re

import duckdb

from pipelines.contract import MEASURE_VALUES_COLUMNS
from pipelines.definitions import defs
from pipelines.settings import PROJECT_ROOT

CONTRACT = {c: d for c, _, d in MEASURE_VALUES_COLUMNS}


def _fragment_keys():
    return [k for k in defs.resolve_asset_graph().get_all_asset_keys() if k.path[0] == "fragments"]


def test_fragment_sql_files_carry_no_column_descriptions_of_their_own():
    files = sorted((PROJECT_ROOT / "sql" / "fragments").glob("*.sql"))
    assert len(files) >= 4
    own = [f.name for f in files if re.search(r"COMMENT\s+ON\s+COLUMN", f.read_text(encoding="utf-8"), re.I)]
    assert not own, f"column descriptions belong in pipelines/contract.py, not in {own}"


def test_fragments_read_no_raw_table():
    graph = defs.resolve_asset_graph()
    keys = _fragment_keys()
    assert {k.path[1] for k in keys} >= {"sotkanet", "thl_cube", "personnel_report", "curated"}
    for key in keys:
        raw = [p.to_user_string() for p in graph.get(key).parent_keys if p.path[0] == "raw"]
        assert not raw, f"{key.to_user_string()} depends on {raw}: fragments read staging and reference only"
    for f in (PROJECT_ROOT / "sql" / "fragments").glob("*.sql"):
        assert not re.search(r"\braw\.", f.read_text(encoding="utf-8")), f"{f.name} reads a raw table"


def test_fragment_schema_shown_in_the_ui_is_the_contract():
    graph = defs.resolve_asset_graph()
    for key in _fragment_keys():
        schema = graph.get(key).metadata["dagster/column_schema"]
        assert [(c.name, c.description) for c in schema.columns] == list(CONTRACT.items())


def test_every_fragment_and_the_mart_carry_the_contract_comments(full_run):
    settings, _ = full_run
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        rows = con.execute(
            "SELECT schema_name || '.' || table_name, column_name, comment FROM duckdb_columns() "
            "WHERE schema_name = 'fragments' OR (schema_name = 'marts' AND table_name = 'measure_values')"
        ).fetchall()
    tables = {t for t, _, _ in rows}
    assert tables >= {"fragments.sotkanet", "fragments.thl_cube", "fragments.personnel_report",
                      "fragments.curated", "marts.measure_values"}
    wrong = [(t, c, comment) for t, c, comment in rows if comment != CONTRACT[c]]
    assert not wrong, wrong


def test_a_fragment_is_named_after_its_source(full_run):
    settings, _ = full_run
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        for key in _fragment_keys():
            table = ".".join(key.path)
            sources = [r[0] for r in con.execute(f"SELECT DISTINCT source FROM {table}").fetchall()]
            assert sources == [key.path[1]], f"{table} carries source {sources}"
