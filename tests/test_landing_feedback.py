"""An operator sees what happened to each landing file: an identical re-delivery moves to
processed/ beside an "already loaded" note; a rejected file fails the ingest asset's own check
(severity ERROR, red in the UI), naming the file and its problems counted per rule."""

from __future__ import annotations

import dagster as dg
import pytest

from assets.curated import curated_deliveries
from assets.personnel import personnel_deliveries
from pipelines.resources import build_resources
from pipelines.sources.personnel import rows_to_csv
from tests.conftest import copy_of_full_run
from tests.test_curated_source import csv_bytes
from tests.test_personnel_reading import sample_rows

ASSETS = {"personnel": personnel_deliveries, "curated": curated_deliveries}


def materialise(settings, source):
    result = dg.materialize([ASSETS[source]], resources=build_resources(settings),
                            instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    assert result.success
    checks = {e.event_specific_data.check_name: e.event_specific_data for e in result.all_events
              if e.event_type_value == "ASSET_CHECK_EVALUATION"}
    return checks["landing_deliveries_accepted"]


@pytest.fixture
def state(full_run, tmp_path):
    return copy_of_full_run(full_run, tmp_path / "state")


def good(source: str) -> bytes:
    if source == "personnel":
        return rows_to_csv(sample_rows("08", 2024, sick_days=16000.0))
    return csv_bytes("21;2024;2.2.2-01;;;3;;THL 2025 report p. 14;SYNTHETIC test row;true")


@pytest.mark.parametrize("source", sorted(ASSETS))
def test_identical_redelivery_moves_to_processed_with_a_note(state, source):
    folder = state.landing_path / source
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "first.csv").write_bytes(good(source))
    assert materialise(state, source).passed
    (folder / "again.csv").write_bytes(good(source))
    check = materialise(state, source)
    assert check.passed and "1 already loaded" in check.description
    assert not (folder / "again.csv").exists() and (folder / "processed" / "again.csv").exists()
    note = (folder / "processed" / "again.csv.already-loaded.txt").read_text(encoding="utf-8")
    assert "'again.csv' was not loaded again" in note and "already loaded on " in note and "as 'first.csv'" in note


@pytest.mark.parametrize("source", sorted(ASSETS))
def test_a_rejected_file_fails_the_ingest_check_naming_it(state, source):
    folder = state.landing_path / source
    folder.mkdir(parents=True, exist_ok=True)
    if source == "personnel":
        bad = rows_to_csv(sample_rows("08", 2031))
        rule = "column 'year': year outside the years this pipeline covers (2015-2024)"
    else:
        bad = csv_bytes("21;2024;2.2.2-01;;;9;;THL 2025;;", "20;2024;2.2.2-01;;;8;;THL 2025;;")
        rule = "column 'grade': "
    (folder / "huono.csv").write_bytes(bad)
    check = materialise(state, source)
    assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
    assert "1 landing file(s) rejected" in check.description and "huono.csv:" in check.description
    assert rule in check.description and " rows" in check.description
    assert (folder / "quarantine" / "huono.csv.errors.txt").exists()
    assert materialise(state, source).passed, "the next run has nothing new to reject"
