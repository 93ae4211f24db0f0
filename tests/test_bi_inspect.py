"""A BI tool's view of serving.duckdb, as Superset and Metabase-style tools see it through
SQLAlchemy (duckdb-engine) with the versions the project pins: list schemas, tables and views,
reflect every column with its comment, then query on the same connection."""

import re
import tomllib
import warnings
from importlib.metadata import version

import duckdb
import pytest
import sqlalchemy as sa

from pipelines.settings import PROJECT_ROOT


@pytest.fixture
def serving(full_run):
    settings, result = full_run
    assert result.success
    return settings.serving_path


def _pins() -> dict[str, str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["dependencies"] + project["optional-dependencies"]["dev"]
    return {m.group(1).lower(): m.group(2) for s in specs if (m := re.match(r"^([A-Za-z0-9_.-]+)==(\S+)$", s))}


def test_installed_bi_stack_is_the_pinned_one():
    pins = _pins()
    for package in ("sqlalchemy", "duckdb-engine", "duckdb"):
        assert version(package) == pins[package], f"{package} {version(package)} installed, {pins[package]} pinned"


def _published_objects(serving) -> dict[str, dict[str, dict[str, str | None]]]:
    """{schema.object: {column: comment}} straight from DuckDB, for comparison."""
    with duckdb.connect(str(serving), read_only=True) as con:
        rows = con.execute(
            "SELECT schema_name, table_name, column_name, comment FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name IN ('marts', 'reference', 'meta') "
            "ORDER BY schema_name, table_name, column_index"
        ).fetchall()
    out: dict[str, dict] = {}
    for schema, table, column, comment in rows:
        out.setdefault(f"{schema}.{table}", {})[column] = comment
    return out


def test_inspector_lists_every_schema_table_view_and_commented_column_then_queries(serving):
    expected = _published_objects(serving)
    engine = sa.create_engine(f"duckdb:///{serving}", connect_args={"read_only": True})
    try:
        with engine.connect() as conn, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # duckdb-engine warns that it does not reflect indexes
            inspector = sa.inspect(conn)
            schemas = inspector.get_schema_names()
            for schema in ("marts", "reference", "meta"):
                assert any(s.split(".")[-1] == schema for s in schemas), schemas
            seen = {}
            for schema in ("marts", "reference", "meta"):
                names = inspector.get_table_names(schema=schema) + inspector.get_view_names(schema=schema)
                for name in names:
                    # what Superset asks before it shows a table
                    columns = inspector.get_columns(name, schema=schema)
                    inspector.get_pk_constraint(name, schema=schema)
                    inspector.get_foreign_keys(name, schema=schema)
                    inspector.get_indexes(name, schema=schema)
                    seen[f"{schema}.{name}"] = {c["name"]: c.get("comment") for c in columns}
            assert seen == expected  # every object, every column, every comment
            assert "marts.objective_2_1_1" in seen and "reference.comparison_bases" in seen  # views too
            card = seen["marts.region_scorecard"]
            assert card["value_display"] and card["not_compared_reason"] and card["unit_label_fi"]
            assert all(card.values()), [c for c, text in card.items() if not text]
            assert inspector.get_table_comment("region_scorecard", schema="marts")["text"].startswith("Scorecard")

            # then a query on the same connection, as the tool builds it
            table = sa.Table("region_scorecard", sa.MetaData(), schema="marts", autoload_with=conn)
            rows = conn.execute(
                sa.select(table.c.measure_key, table.c.value_display, table.c.unit_label_en)
                .where(table.c.region_code == "20").order_by(table.c.measure_key).limit(5)
            ).fetchall()
            assert len(rows) == 5 and rows[0][0] == "2.1.1-01"
            assert conn.execute(sa.text("SELECT count(*) FROM marts.region_scorecard LIMIT 5")).scalar() == 22 * 31
    finally:
        engine.dispose()
