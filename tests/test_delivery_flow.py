"""The one landing-delivery flow (pipelines/sources/files/flow.py) for both file sources: a good
and a broken personnel file and a good and a broken curated file dropped in their landing folders
go through the same steps: archived, then accepted into the source's ledger and moved to
processed/, or quarantined beside an error report naming file, row and column."""

import json

import duckdb

from pipelines.archive import RawArchive
from pipelines.sources.curated.ingest import ingest as ingest_curated
from pipelines.sources.personnel import rows_to_csv
from pipelines.sources.personnel.ingest import ingest as ingest_personnel
from tests.conftest import make_settings
from tests.test_curated_source import csv_bytes
from tests.test_personnel_reading import broken_variants, sample_rows


def test_personnel_and_curated_deliveries_share_accept_and_quarantine(tmp_path):
    settings = make_settings(tmp_path)
    runtime = RawArchive(settings.archive_path, writable=True)
    personnel = settings.landing_path / "personnel"
    curated = settings.landing_path / "curated"
    personnel.mkdir(parents=True)
    curated.mkdir(parents=True)
    (personnel / "kainuu_2024.csv").write_bytes(rows_to_csv(sample_rows("20", 2024)))
    broken_name = "text_in_number.csv"
    (personnel / broken_name).write_bytes(broken_variants()[broken_name][0])
    (curated / "good_2024.csv").write_bytes(csv_bytes("20;2024;2.2.2-01;;;4;;THL 2025;;"))
    (curated / "bad_2024.csv").write_bytes(csv_bytes("20;2024;2.2.2-01;;;9;;THL;;"))

    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        outcome = ingest_personnel(con, settings, runtime=runtime, replay=None)
        ledger = dict(con.execute("SELECT file_name, status FROM raw.personnel_deliveries").fetchall())
    assert outcome.accepted == ["kainuu_2024.csv"] and outcome.rejected == [broken_name]
    assert ledger == {"kainuu_2024.csv": "accepted", broken_name: "rejected"}

    batch = ingest_curated(settings, runtime, replay=None)
    assert {(d["file_name"], d["status"]) for d in batch.ledger} == {("good_2024.csv", "accepted"), ("bad_2024.csv", "rejected")}
    assert [r["value"] for r in batch.rows if r["region_code"] == "20"] == [4.0]

    for folder, good, bad in ((personnel, "kainuu_2024.csv", broken_name), (curated, "good_2024.csv", "bad_2024.csv")):
        assert (folder / "processed" / good).exists() and not (folder / good).exists()
        assert (folder / "quarantine" / bad).exists() and not (folder / bad).exists()
        text = (folder / "quarantine" / f"{bad}.errors.txt").read_text(encoding="utf-8")
        assert bad in text and "row " in text and "column '" in text
        issues = json.loads((folder / "quarantine" / f"{bad}.errors.json").read_text())["issues"]
        assert issues and all(i["file"] == bad for i in issues)
    archived = RawArchive(settings.archive_path, writable=False)
    assert sorted((e.file_name, e.ok) for e in archived.entries("personnel")) == [("kainuu_2024.csv", True), (broken_name, False)]
    assert sorted((e.file_name, e.ok) for e in archived.entries("curated")) == [("bad_2024.csv", False), ("good_2024.csv", True)]

    # the same bytes again: nothing new (personnel ledger), loaded once (curated from the archive)
    (personnel / "kainuu_2024.csv").write_bytes(rows_to_csv(sample_rows("20", 2024)))
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        again = ingest_personnel(con, settings, runtime=runtime, replay=None)
    assert again.unchanged == ["kainuu_2024.csv"] and not again.accepted
    again_curated = ingest_curated(settings, runtime, replay=None)
    assert [d["origin"] for d in again_curated.ledger if d["status"] == "accepted"] == ["archive"]
