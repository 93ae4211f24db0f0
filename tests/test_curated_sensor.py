"""The curated landing sensor: one run per new content, none for unchanged files."""

import dagster as dg

from pipelines.resources import build_resources
from pipelines.sensors import curated_landing_sensor
from tests.conftest import make_settings


def evaluate(settings, cursor):
    context = dg.build_sensor_context(cursor=cursor, resources={"settings": build_resources(settings)["settings"]})
    result = curated_landing_sensor(context)
    return result, context.cursor


def test_curated_sensor_triggers_once_per_new_content(tmp_path):
    settings = make_settings(tmp_path)
    folder = settings.landing_path / "curated"
    result, cursor = evaluate(settings, None)
    assert isinstance(result, dg.SkipReason) and folder.is_dir()

    (folder / "assessments_2024.csv").write_text("county_code,year,measure_key,value\n20,2024,2.1.1-04,3\n", encoding="utf-8")
    batch, cursor = evaluate(settings, cursor)
    assert isinstance(batch, list) and len(batch) == 1 and isinstance(batch[0], dg.RunRequest)  # one run per batch
    first = batch[0]

    again, cursor = evaluate(settings, cursor)
    assert isinstance(again, dg.SkipReason)  # unchanged content: no second run

    (folder / "assessments_2024.csv").write_text("county_code,year,measure_key,value\n20,2024,2.1.1-04,4\n", encoding="utf-8")
    batch, cursor = evaluate(settings, cursor)
    assert len(batch) == 1 and isinstance(batch[0], dg.RunRequest) and batch[0].run_key != first.run_key
