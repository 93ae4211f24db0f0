"""Full materialisation in replay mode: the comparable marts, the reports and the serving file."""

from pathlib import Path

import dagster as dg
import duckdb
import pytest



@pytest.fixture(scope="module")
def run(full_run):
    """The session's one full replay run (conftest ``full_run``); these tests only read it."""
    settings, result = full_run
    failures = [f"{e.step_key}: {e.event_specific_data.error.message[:500]}" for e in result.all_events
                if e.event_type_value == "STEP_FAILURE"]
    assert result.success, "\n".join(failures)
    return settings, result


def _materialization(result, *key):
    events = [m for m in result.get_asset_materialization_events() if m.asset_key == dg.AssetKey(list(key))]
    assert events, f"{'/'.join(key)} was not materialised"
    return events[-1].materialization


def test_measure_coverage_lists_all_31_measures(run):
    settings, _ = run
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        rows = con.execute("SELECT measure_key, status FROM marts.measure_coverage").fetchall()
        measures = con.execute("SELECT count(*) FROM reference.measures").fetchone()[0]
    assert len(rows) == measures == 31
    assert {s for _, s in rows} <= {"automated", "curated", "not_available"}


def test_every_organiser_has_a_scorecard_row_for_every_automated_measure(run):
    settings, _ = run
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        missing = con.execute(
            "SELECT m.measure_key, r.region_code FROM reference.measures m "
            "CROSS JOIN (SELECT region_code FROM reference.regions WHERE region_level = 'wellbeing_area' AND is_organiser) r "
            "WHERE m.status = 'automated' AND NOT EXISTS (SELECT 1 FROM marts.region_scorecard s "
            "WHERE s.measure_key = m.measure_key AND s.region_code = r.region_code)").fetchall()
        organisers = con.execute("SELECT count(DISTINCT region_code) FROM marts.region_scorecard").fetchone()[0]
        valued = con.execute("SELECT count(*) FROM marts.region_scorecard WHERE measure_status = 'automated' "
                             "AND value IS NOT NULL").fetchone()[0]
    assert missing == [] and organisers == 22
    assert valued > 0


def test_curated_values_flow_into_the_marts(run):
    settings, _ = run
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        row = con.execute("SELECT value, value_text, is_synthetic, latest_year FROM marts.region_scorecard "
                          "WHERE measure_key = '2.2.2-02' AND region_code = '20'").fetchone()
        area = con.execute("SELECT cooperation_area_value, cooperation_area_value_method, missing_reason "
                           "FROM marts.region_scorecard WHERE measure_key = '2.3.2-02' AND region_code = '20'").fetchone()
    assert row[0] is not None and row[1] and row[2] is True and row[3] == 2024
    assert area[0] is not None and area[1] == "source" and area[2].startswith("reported per cooperation area")


def test_serving_has_views_dictionary_and_no_half_built_tables(run):
    settings, _ = run
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE schema_name = 'marts'").fetchall()}
        undocumented = con.execute("SELECT schema_name, table_name, column_name FROM meta.data_dictionary "
                                   "WHERE schema_name = 'marts' AND column_description IS NULL").fetchall()
        schemas = {r[0] for r in con.execute("SELECT DISTINCT schema_name FROM duckdb_tables()").fetchall()}
    assert {f"objective_{k}" for k in ("2_1_1", "2_1_2", "2_2_1", "2_2_2", "2_3_1", "2_3_2", "2_4_1", "2_4_2")} <= views
    assert undocumented == []
    assert schemas <= {"marts", "reference", "meta"}  # no raw, staging or fragments in the BI file


def test_assets_carry_column_schemas_and_charts(run):
    settings, result = run
    for key in ("objective_region_year", "region_scorecard", "measure_coverage"):
        schema = _materialization(result, "marts", key).metadata["dagster/column_schema"].value
        assert schema.columns and all(c.description for c in schema.columns)
    reports = _materialization(result, "reports", "objective_reports").metadata
    chart = Path(reports["chart_2_1_1"].value)  # linked, not embedded in the event log
    assert chart.exists() and chart.suffix == ".png"
    from PIL import Image

    with Image.open(chart) as image:
        assert min(image.info["dpi"]) >= 149.9  # legible labels
    index = Path(reports["index"].value)
    assert index.exists() and index.parent == Path(settings.report_path)
    assert len(list(Path(settings.report_path).glob("objective_*.png"))) == 8
