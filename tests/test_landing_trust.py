"""Landing folders trust nothing: links and non-regular entries are refused unread (never archived,
never loaded, nothing quoted from the target); a file still being written is left alone until it
is complete; a file renamed from a temporary name is taken at once. Real files, the real sensor and
the real ingest assets."""

from __future__ import annotations

import hashlib
import os
import time

import dagster as dg
import duckdb
import pytest

from assets.curated import curated_deliveries
from assets.personnel import personnel_deliveries
from pipelines.archive import RawArchive
from pipelines.resources import build_resources
from pipelines.sensors import curated_landing_sensor, personnel_landing_sensor
from pipelines.sources.personnel import rows_to_csv
from tests.conftest import copy_of_full_run
from tests.test_curated_source import csv_bytes
from tests.test_personnel_reading import sample_rows

SOURCES = {
    "personnel": (personnel_deliveries, personnel_landing_sensor),
    "curated": (curated_deliveries, curated_landing_sensor),
}
MARKER = "Nurses-of-Ostrobothnia"  # text only the outside target holds: must never be quoted


def delivery(source: str, *, marker: str = "SYNTHETIC test row") -> bytes:
    if source == "personnel":
        rows = sample_rows("08", 2024)
        rows[0]["note"] = marker
        return rows_to_csv(rows)
    return csv_bytes(f"21;2024;2.2.2-01;;;3;;THL 2025 report p. 14;{marker};true")


def materialise(settings, source: str):
    asset, _ = SOURCES[source]
    result = dg.materialize([asset], resources=build_resources(settings), instance=dg.DagsterInstance.ephemeral(),
                            raise_on_error=False)
    assert result.success
    return result.asset_materializations_for_node(asset.op.name)[0].metadata


def tick(settings, source: str, cursor=None):
    _, sensor = SOURCES[source]
    context = dg.build_sensor_context(cursor=cursor, instance=dg.DagsterInstance.ephemeral(),
                                      resources={"settings": build_resources(settings)["settings"]})
    result = sensor(context)
    return (result if isinstance(result, list) else []), context.cursor


def archived_shas(settings, source: str) -> set[str]:
    return {e.sha256 for e in RawArchive(settings.archive_path, writable=False).entries(source)}


@pytest.fixture
def state(full_run, tmp_path):
    return copy_of_full_run(full_run, tmp_path / "state", landing_settle_seconds=30)


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_symlink_to_a_valid_delivery_outside_is_refused_unread(state, tmp_path, source):
    outside = tmp_path / "elsewhere" / "valid.csv"
    outside.parent.mkdir()
    body = delivery(source, marker=MARKER)
    outside.write_bytes(body)
    old = time.time() - 3600
    os.utime(outside, (old, old))
    folder = state.landing_path / source
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "link.csv").symlink_to(outside)

    requests, _ = tick(state, source)
    assert len(requests) == 1  # the sensor starts a run, so the refusal is reported
    meta = materialise(state, source)

    assert outside.read_bytes() == body, "the target is untouched"
    assert (folder / "quarantine" / "link.csv").is_symlink(), "the link itself is kept for inspection"
    report = (folder / "quarantine" / "link.csv.errors.txt").read_text(encoding="utf-8")
    assert "refused: a symbolic link" in report and MARKER not in report and "21;2024" not in report
    sha = hashlib.sha256(body).hexdigest()
    assert sha not in archived_shas(state, source), "never archived"
    with duckdb.connect(str(state.warehouse_path), read_only=True) as con:
        if source == "personnel":
            assert con.execute("SELECT count(*) FROM raw.personnel_deliveries WHERE delivery_sha256 = ?", [sha]).fetchone()[0] == 0
        else:
            assert con.execute("SELECT count(*) FROM staging.curated WHERE delivery_sha256 = ?", [sha]).fetchone()[0] == 0
    assert "link.csv" in str(meta)


def test_a_file_still_being_written_is_left_until_complete(state):
    folder = state.landing_path / "personnel"
    folder.mkdir(parents=True, exist_ok=True)
    body = delivery("personnel")
    growing = folder / "pirha_2024.csv"
    cut = body[: int(len(body) * 0.4)]
    growing.write_bytes(cut[: cut.rfind(b"\n") + 1])  # cut at a row boundary: it would parse

    requests, cursor = tick(state, "personnel")
    assert requests == [] and cursor == "{}"
    meta = materialise(state, "personnel")
    assert meta["waiting_files"].value == ["pirha_2024.csv"] and meta["accepted_files"].value == 0
    assert growing.exists() and not (folder / "processed" / "pirha_2024.csv").exists()

    with growing.open("ab") as fh:  # the sender finishes; the file then rests past the settle time
        fh.write(body[len(growing.read_bytes()):])
    rested = time.time() - 60
    os.utime(growing, (rested, rested))
    requests, cursor = tick(state, "personnel", cursor)
    assert [r.tags["personnel/file"] for r in requests] == ["pirha_2024.csv"]
    meta = materialise(state, "personnel")
    assert meta["accepted_files"].value == 1 and (folder / "processed" / "pirha_2024.csv").exists()


def test_a_file_renamed_from_its_temporary_name_is_taken_at_once(state):
    folder = state.landing_path / "curated"
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / "arviot_2024.csv.part"
    partial.write_bytes(delivery("curated"))
    requests, cursor = tick(state, "curated")
    assert requests == []  # a temporary name is never read
    partial.rename(folder / "arviot_2024.csv")  # fresh mtime, well inside the 30 s settle time
    requests, cursor = tick(state, "curated", cursor)
    assert len(requests) == 1
    materialise(state, "curated")
    assert (folder / "processed" / "arviot_2024.csv").exists()


def test_a_fifo_is_refused_without_opening_it(state):
    folder = state.landing_path / "personnel"
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / "pipe.csv")  # opening it would block the run forever
    materialise(state, "personnel")
    report = (folder / "quarantine" / "pipe.csv.errors.txt").read_text(encoding="utf-8")
    assert "not a regular file" in report
