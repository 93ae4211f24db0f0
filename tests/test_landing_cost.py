"""Bounded cost on big deliveries: a file over the size limit is refused unread with a short report;
reports of files with many problems list the first 50 and count the rest per rule; a workbook
that unpacks to far more than its size is not opened. Real files, the real ingest asset."""

from __future__ import annotations

import io
import json
import zipfile

import dagster as dg
import pytest

from assets.personnel import personnel_deliveries
from pipelines.archive import RawArchive
from pipelines.resources import build_resources
from pipelines.sources.files import DeliveryRejected
from pipelines.sources.personnel import parse_delivery, rows_to_csv
from tests.conftest import copy_of_full_run
from tests.test_personnel_reading import sample_rows

MB = 1_000_000


def ingest(settings):
    result = dg.materialize([personnel_deliveries], resources=build_resources(settings),
                            instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    assert result.success
    return result.asset_materializations_for_node(personnel_deliveries.op.name)[0].metadata


@pytest.fixture
def state(full_run, tmp_path):
    return copy_of_full_run(full_run, tmp_path / "state")


def test_a_200_mb_delivery_is_refused_unread_with_a_short_report(state):
    folder = state.landing_path / "personnel"
    folder.mkdir(parents=True, exist_ok=True)
    big = folder / "henkilosto_kaikki.csv"
    with big.open("wb") as fh:  # 200 MB without writing 200 MB: the size is what is judged
        fh.truncate(200 * MB)
    meta = ingest(state)
    assert meta["rejected"].value == ["henkilosto_kaikki.csv"]
    report = folder / "quarantine" / "henkilosto_kaikki.csv.errors.txt"
    text = report.read_text(encoding="utf-8")
    assert report.stat().st_size < 4096
    assert "200,000,000 bytes, more than the largest delivery accepted, 20,000,000 bytes" in text
    assert "SOTE_LANDING_MAX_BYTES" in text
    assert all(e.size != 200 * MB for e in RawArchive(state.archive_path, writable=False).entries("personnel"))


def test_many_problems_give_a_capped_report_grouped_per_rule(state):
    rows = [r for _ in range(70) for r in sample_rows("08", 2025)]  # every row's year outside the window
    folder = state.landing_path / "personnel"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vuosi_vaarin.csv").write_bytes(rows_to_csv(rows))
    ingest(state)
    text = (folder / "quarantine" / "vuosi_vaarin.csv.errors.txt").read_text(encoding="utf-8")
    doc = json.loads((folder / "quarantine" / "vuosi_vaarin.csv.errors.json").read_text(encoding="utf-8"))
    assert doc["issue_count"] == len(rows) and len(doc["issues"]) == 50
    assert doc["groups"][0]["count"] == len(rows) and doc["groups"][0]["column"] == "year"
    assert f"All {len(rows)} problems, counted per rule:" in text
    assert f"column 'year': year outside the years this pipeline covers (2015-2024): {len(rows)} rows (first rows 2, 3, 4, 5, 6); values '2025'" in text
    assert text.count("\n") < 70 and len(text.encode()) < 16_000


def test_a_workbook_that_unpacks_to_gigabytes_is_not_opened():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * 250_000_000)  # deflates to about 250 KB
    data = buffer.getvalue()
    assert len(data) < 1 * MB
    with pytest.raises(DeliveryRejected) as err:
        parse_delivery(data, "pommi.xlsx", years=range(2015, 2025))
    assert "unpacks to 250,000,0" in str(err.value) and "it was not opened" in str(err.value)
