"""The landing-folder sensor: one run per new content, none for unchanged files, one again after a
correction; and the whole path from a dropped file to serving.duckdb through the sensor's job."""

from __future__ import annotations

import hashlib
import json

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import build_defs
from pipelines.resources import build_resources
from pipelines.sensors import PERSONNEL_INGEST_OP, personnel_landing_sensor
from pipelines.sources.personnel import rows_to_csv, rows_to_xlsx
from tests.conftest import copy_of_full_run, failed_checks, make_settings
from tests.test_personnel_reading import broken_variants, sample_rows, text_rows


def evaluate(settings, cursor, instance):
    context = dg.build_sensor_context(cursor=cursor, instance=instance,
                                      resources={"settings": build_resources(settings)["settings"]})
    result = personnel_landing_sensor(context)
    requests = result if isinstance(result, list) else []
    return requests, context.cursor


def test_sensor_triggers_once_per_new_content_and_again_after_a_correction(tmp_path):
    settings = make_settings(tmp_path)
    incoming = settings.landing_path / "personnel"
    instance = dg.DagsterInstance.ephemeral()

    requests, cursor = evaluate(settings, None, instance)
    assert requests == [] and incoming.is_dir()  # the folder is created on demand

    first = rows_to_csv(text_rows(sample_rows("08", 2024)))
    (incoming / "pirha_2024.csv").write_bytes(first)
    (incoming / "~$pirha_2024.xlsx").write_bytes(b"excel lock file")  # ignored
    (incoming / "upload.csv.part").write_bytes(b"half a file")  # ignored until renamed
    requests, cursor = evaluate(settings, cursor, instance)
    assert len(requests) == 1
    sha = hashlib.sha256(first).hexdigest()
    assert requests[0].run_key == sha  # the content, though the cursor only keeps size and mtime
    assert set(json.loads(cursor)) == {"pirha_2024.csv"}
    assert requests[0].run_config["ops"][PERSONNEL_INGEST_OP]["config"]["files"] == ["pirha_2024.csv"]

    for _ in range(2):  # unchanged file: no new run, however often the sensor ticks
        requests, cursor = evaluate(settings, cursor, instance)
        assert requests == []

    (incoming / "pirha_2024.csv").write_bytes(rows_to_csv(text_rows(sample_rows("08", 2024, sick_days=17000))))
    (incoming / "keski_2024.xlsx").write_bytes(rows_to_xlsx(sample_rows("02", 2024)))
    requests, cursor = evaluate(settings, cursor, instance)
    assert sorted(r.tags["personnel/file"] for r in requests) == ["keski_2024.xlsx", "pirha_2024.csv"]
    assert sha not in {r.run_key for r in requests}  # the correction has a new run key

    requests, cursor = evaluate(settings, cursor, instance)
    assert requests == []


@pytest.mark.slow
def test_dropped_files_reach_serving_through_the_sensor_job(tmp_path, full_run):
    settings = copy_of_full_run(full_run, tmp_path / "state")  # a good published state

    def serving_value(region, source_ref="person_years_htv2", year=2024):
        with duckdb.connect(str(settings.serving_path), read_only=True) as con:
            return con.execute(
                "SELECT value FROM marts.measure_values WHERE source = 'personnel_report' AND source_ref = ? "
                "AND region_level = ? AND region_code = ? AND year = ? AND breakdown = 'total' AND breakdown_detail = 'total'",
                [source_ref, "country" if region == "SSS" else "wellbeing_area", region, year],
            ).fetchone()[0]

    before_03, before_country = serving_value("03"), serving_value("SSS")
    assert before_03 != 1104.25

    incoming = settings.landing_path / "personnel"
    (incoming / "lansi_uusimaa_2024.xlsx").write_bytes(rows_to_xlsx(sample_rows("03", 2024)))  # hand-filled template
    broken_name = "text_in_number.csv"
    (incoming / broken_name).write_bytes(broken_variants()[broken_name][0])

    instance = dg.DagsterInstance.ephemeral()
    requests, _ = evaluate(settings, None, instance)
    assert len(requests) == 2
    job = build_defs(settings).resolve_job_def("personnel_landing")
    for request in requests:
        result = job.execute_in_process(run_config=request.run_config, instance=instance, tags=request.tags)
        assert result.success, failed_checks(result)
        done = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
        assert {"raw/personnel_deliveries", "fragments/personnel_report", "marts/measure_values", "serving/publish"} <= done

    assert serving_value("03") == 1104.25
    assert abs(serving_value("SSS") - (before_country - before_03 + 1104.25)) < 1e-6  # country re-derived
    quarantine = incoming / "quarantine"
    assert (quarantine / broken_name).exists() and (quarantine / f"{broken_name}.errors.txt").exists()
    assert (incoming / "processed" / "lansi_uusimaa_2024.xlsx").exists()
    text = (quarantine / f"{broken_name}.errors.txt").read_text(encoding="utf-8")
    assert "column 'value'" in text and "expected a number" in text and "noin 3000" in text
