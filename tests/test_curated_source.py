"""Curated measures: parsing and validation of real CSV/XLSX bytes, the landing-folder flow with
quarantine, and the staging + fragment tables in a real DuckDB file through Dagster."""

import io
import json
from pathlib import Path

import dagster as dg
import duckdb
import openpyxl
import pytest

from assets.curated import curated_deliveries, curated_fragment, curated_staging
from pipelines.archive import RawArchive
from pipelines.resources import build_resources
from pipelines.settings import PROJECT_ROOT, get_settings
from pipelines.sources.curated import GRADES, parse_curated
from pipelines.sources.files import DeliveryRejected
from test_marts_sql import make_warehouse

HEADER = "county_code;year;measure_key;region_level;value;grade;value_text;source_reference;note;is_synthetic\n"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8")


def test_valid_file_parses_grades_numbers_areas_and_gaps():
    data = csv_bytes(
        "20;2024;2.2.2-01;;;4;;THL 2025 report p. 12;;",
        "1;2024;2.2.2-01;;;;toteutuu osittain;THL 2025 report;;",  # label alone gives the grade; code padded
        "90;2024;2.2.1-03;;-1 234,5;;;Valtiokonttori 2025;;",
        "SSS;2024;2.2.1-03;;-250.5;;;Valtiokonttori 2025;;",
        "YTA3;2024;2.3.2-02;;;5;;THL 2025;;",
        "21;2024;2.2.2-02;;;;;THL 2025;not assessed in 2024;",
    )
    d = parse_curated(data, "curated_2024.csv")
    rows = {(r.measure_key, r.region_level, r.region_code): r for r in d.rows}
    assert rows[("2.2.2-01", "wellbeing_area", "20")].value == 4.0
    assert rows[("2.2.2-01", "wellbeing_area", "20")].value_text == GRADES[4][1]
    assert rows[("2.2.2-01", "wellbeing_area", "01")].value == 3.0
    assert rows[("2.2.1-03", "wellbeing_area", "90")].value == -1234.5
    assert rows[("2.2.1-03", "country", "SSS")].value == -250.5
    assert rows[("2.3.2-02", "cooperation_area", "3")].value == 5.0
    gap = rows[("2.2.2-02", "wellbeing_area", "21")]
    assert gap.value is None and gap.missing_reason == "not assessed in 2024"
    assert not d.is_synthetic and {r.unit for r in d.rows} == {"grade", "eur_per_inhabitant"}


def test_every_problem_is_reported_with_file_row_column_and_value():
    data = csv_bytes(
        "20;2024;2.2.2-01;;;7;;THL;;",                 # row 2: grade off the scale
        "20;2024;2.1.1-02;;12;;;THL;;",                # row 3: automated measure
        "33;2024;2.2.1-03;;5;;;VK;;",                  # row 4: unknown organiser
        "20;2024;2.2.1-03;;1.234,5;;;VK;;",            # row 5: ambiguous number
        "20;2024;2.2.1-04;;;;;VK;;",                   # row 6: no value, no reason
        "20;2024;2.2.1-04;;50;;;;;",                   # row 7: no source reference
        "20;2024;2.2.2-01;;;3;toteutuu;THL;;",         # row 8: grade and label disagree
        "19;2024;2.2.1-05;;1,02;;;VK;;",               # row 9: fine
        "19;2024;2.2.1-05;;1,03;;;VK;;",               # row 10: duplicate of row 9
    )
    with pytest.raises(DeliveryRejected) as caught:
        parse_curated(data, "bad_2024.csv")
    report = caught.value.report
    found = {(i.row, i.column) for i in report.issues}
    assert found == {(2, "grade"), (3, "measure_key"), (4, "county_code"), (5, "value"), (6, "value"),
                     (7, "source_reference"), (8, "grade"), (10, "measure_key")}
    text = report.to_text()
    assert "file bad_2024.csv, row 2, column 'grade': grade must be a whole number 1-5" in text
    assert "duplicate: row 9 already gives 2.2.1-05 for 19 in 2024" in text
    assert report.source == "curated" and report.sha256


def test_missing_required_column_rejects_the_file():
    with pytest.raises(DeliveryRejected, match="source_reference"):
        parse_curated(b"county_code;year;measure_key;value\n20;2024;2.2.1-03;5\n", "no_source.csv")


def test_xlsx_with_finnish_headers():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "mittarit"
    ws.append(["Hyvinvointialue", "Vuosi", "Mittari", "Arvo", "Arvosana", "Lähde", "Huomautus"])
    ws.append(["20", 2023, "2.2.1-04", 42.5, None, "Valtiokonttori", None])
    ws.append([5, 2023, "2.4.2-01", None, 2, "THL", None])
    buf = io.BytesIO()
    wb.save(buf)
    d = parse_curated(buf.getvalue(), "curated_2023.xlsx")
    assert [(r.region_code, r.measure_key, r.value, r.sheet) for r in d.rows] == [
        ("20", "2.2.1-04", 42.5, "mittarit"), ("05", "2.4.2-01", 2.0, "mittarit")]


def test_template_has_the_documented_header_and_sample_validates():
    template = (PROJECT_ROOT / "templates" / "curated_template.csv").read_text(encoding="utf-8")
    assert template == HEADER
    doc = (PROJECT_ROOT / "docs" / "curated_format.md").read_text(encoding="utf-8")
    for column in HEADER.strip().split(";"):
        assert f"`{column}`" in doc
    sample = RawArchive(PROJECT_ROOT / "data" / "sample", writable=False)
    entries = [e for e in sample.entries("curated") if e.kind == "file"]
    assert entries and all(e.synthetic for e in entries)
    for e in entries:
        delivery = parse_curated(sample.read(e), e.file_name)
        assert delivery.is_synthetic and "SYNTHETIC" in e.file_name


@pytest.fixture()
def env(tmp_path):
    settings = get_settings(warehouse_path=tmp_path / "w.duckdb", serving_path=tmp_path / "s.duckdb",
                            archive_path=tmp_path / "archive", report_path=tmp_path / "reports",
                            landing_path=tmp_path / "landing", landing_settle_seconds=0)
    make_warehouse(settings.warehouse_path, []).close()  # reference tables as documented
    return settings


def materialise(settings):
    return dg.materialize([curated_deliveries, curated_staging, curated_fragment], resources=build_resources(settings),
                          instance=dg.DagsterInstance.ephemeral())


def test_landing_flow_accepts_quarantines_and_builds_fragment(env):
    landing = Path(env.landing_path) / "curated"
    landing.mkdir(parents=True)
    (landing / "good_2024.csv").write_bytes(csv_bytes(
        "20;2024;2.2.2-01;;;4;;THL 2025;;", "02;2024;2.2.2-01;;;2;;THL 2025;;", "3;2024;2.3.2-02;;;5;;THL 2025;;"))
    (landing / "bad_2024.csv").write_bytes(csv_bytes("20;2024;2.2.2-01;;;9;;THL;;"))
    result = materialise(env)
    assert result.success
    assert (landing / "processed" / "good_2024.csv").exists() and not (landing / "good_2024.csv").exists()
    report = landing / "quarantine" / "bad_2024.csv.errors.txt"
    assert report.exists() and "row 2, column 'grade'" in report.read_text(encoding="utf-8")
    assert json.loads((landing / "quarantine" / "bad_2024.csv.errors.json").read_text())["issues"][0]["row"] == 2
    runtime = RawArchive(env.archive_path, writable=False).entries("curated")
    assert sorted((e.file_name, e.ok) for e in runtime) == [("bad_2024.csv", False), ("good_2024.csv", True)]

    with duckdb.connect(str(env.warehouse_path), read_only=True) as con:
        ledger = dict(con.execute("SELECT file_name, status FROM raw.curated_deliveries").fetchall())
        # replay mode: the bundled synthetic sample is loaded too
        assert ledger["good_2024.csv"] == "accepted" and ledger["bad_2024.csv"] == "rejected"
        assert ledger["curated_2024_SYNTHETIC.csv"] == "accepted"
        frag = con.execute("SELECT * FROM fragments.curated WHERE measure_key = '2.2.2-01' AND year = 2024").df()
        assert len(frag) == 23  # 22 organisers + the country, gaps explicit
        kainuu = frag[frag.region_code == "20"].iloc[0]
        assert kainuu.value == 4.0 and not kainuu.is_synthetic  # the landing file replaced the synthetic sample
        assert frag[frag.region_code == "SSS"].iloc[0].missing_reason == "not in the curated deliveries for this year"
        assert frag.missing_reason[frag.value.isna()].notna().all()
        area = con.execute("SELECT region_level, count(*), count(value) FROM fragments.curated WHERE measure_key = '2.3.2-02' "
                           "AND year = 2024 GROUP BY 1 ORDER BY 1").fetchall()
        assert area == [("cooperation_area", 5, 5), ("country", 1, 0), ("wellbeing_area", 22, 0)]

    # a second run: the accepted file now comes from the runtime archive; nothing changes
    result = materialise(env)
    assert result.success
    with duckdb.connect(str(env.warehouse_path), read_only=True) as con:
        assert con.execute("SELECT value FROM fragments.curated WHERE measure_key = '2.2.2-01' AND year = 2024 "
                           "AND region_code = '20'").fetchone()[0] == 4.0
        assert dict(con.execute("SELECT file_name, origin FROM raw.curated_deliveries WHERE status = 'accepted'").fetchall())[
            "good_2024.csv"] == "archive"


def test_broken_sample_fails_loudly(env, tmp_path):
    replay = RawArchive(tmp_path / "replay", writable=True)
    replay.put(csv_bytes("20;2024;2.2.2-01;;;9;;THL;;true"), source="curated", kind="file", file_name="broken.csv", synthetic=True)
    settings = env.model_copy(update={"replay_path": tmp_path / "replay"})
    result = dg.materialize([curated_deliveries], resources=build_resources(settings), instance=dg.DagsterInstance.ephemeral(),
                            raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    error = failure.event_specific_data.error
    assert error.cause.cls_name == "CuratedSampleError"
    assert "broken.csv does not validate" in error.cause.message and "row 2, column 'grade'" in error.cause.message
