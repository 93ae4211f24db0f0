"""Ingesting deliveries into a real DuckDB warehouse: landing folder, archive, quarantine,
replacement of a county-year by a corrected delivery, and the great-expectations suite."""

from __future__ import annotations

import json

from pipelines.sources.personnel.ingest import ingest, landing_folder
from pipelines.builds import build
from pipelines.archive import RawArchive
from pipelines.sources.personnel import rows_to_csv
from pipelines.warehouse import connect
from quality.gx_bridge import run_suite
from quality.suites.personnel import SUITES
from tests.conftest import make_settings
from tests.test_personnel_reading import broken_variants, sample_rows, text_rows, tolerated_variants

PROVENANCE = ("delivery_sha256", "file_name", "file_row", "received_at")


def drop(settings, name: str, data: bytes):
    folder = landing_folder(settings).root
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def run_ingest(settings, files=None):
    with connect(settings.warehouse_path, settings=settings) as con:
        summary = ingest(con, settings, runtime=RawArchive(settings.archive_path), replay=None, files=files)
        build(con, "staging.personnel_report", "staging/personnel_report", inputs=["raw.personnel_deliveries"])
    return summary


def staging_rows(settings, exclude=PROVENANCE):
    with connect(settings.warehouse_path, settings=settings, read_only=True) as con:
        frame = con.execute("SELECT * FROM staging.personnel_report ORDER BY ALL").df()
    frame = frame.drop(columns=list(exclude)).astype(object)
    return frame.where(frame.notna(), None).to_dict("records")  # NaN != NaN would hide equality


def test_each_tolerated_variant_loads_to_identical_staging_rows(tmp_path):
    results = {}
    for i, (name, data) in enumerate(tolerated_variants().items()):
        settings = make_settings(tmp_path / f"w{i}")
        drop(settings, name, data)
        summary = run_ingest(settings)
        assert summary.accepted == [name] and not summary.rejected
        results[name] = staging_rows(settings, exclude=(*PROVENANCE, "staff_group_label_src"))
    first = next(iter(results.values()))
    assert len(first) == len(sample_rows())
    for name, rows in results.items():
        assert rows == first, name
    assert all(r["is_synthetic"] for r in first)  # the SYNTHETIC note marks the rows


def test_broken_files_are_quarantined_with_reports_and_good_files_still_load(tmp_path):
    settings = make_settings(tmp_path)
    good = rows_to_csv(text_rows(sample_rows("05", 2024)))
    drop(settings, "good_05_2024.csv", good)
    for name, (data, _) in broken_variants().items():
        drop(settings, name, data)
    summary = run_ingest(settings)

    folder = landing_folder(settings)
    assert summary.accepted == ["good_05_2024.csv"]
    assert sorted(summary.rejected) == sorted(broken_variants())
    assert (folder.processed / "good_05_2024.csv").exists()
    assert not [p for p in folder.root.iterdir() if p.is_file()]  # nothing left in the incoming folder
    for name, (_, expected) in broken_variants().items():
        assert (folder.quarantine_dir / name).exists()
        report = json.loads((folder.quarantine_dir / f"{name}.errors.json").read_text(encoding="utf-8"))
        assert report["file_name"] == name and report["issues"]
        assert any(expected["reason"] in i["reason"] for i in report["issues"]), (name, report)
        text = (folder.quarantine_dir / f"{name}.errors.txt").read_text(encoding="utf-8")
        assert "NOT loaded" in text and expected["reason"] in text

    with connect(settings.warehouse_path, settings=settings, read_only=True) as con:
        statuses = dict(con.execute("SELECT file_name, status FROM raw.personnel_deliveries").fetchall())
        staged = con.execute("SELECT DISTINCT area_code, year FROM staging.personnel_report").fetchall()
    assert statuses.pop("good_05_2024.csv") == "accepted"
    assert set(statuses.values()) == {"rejected"} and len(statuses) == len(broken_variants())
    assert staged == [("05", 2024)]

    archived = RawArchive(settings.archive_path).entries("personnel")
    assert {e.file_name for e in archived} == {"good_05_2024.csv", *broken_variants()}
    assert all(e.kind == "file" for e in archived)
    assert {e.file_name for e in archived if not e.ok} == set(broken_variants())
    assert all(e.error for e in archived if not e.ok)


def test_corrected_redelivery_replaces_the_county_year_and_keeps_the_old_in_the_archive(tmp_path):
    settings = make_settings(tmp_path)
    first = rows_to_csv(text_rows(sample_rows("08", 2024, sick_days=99999)))
    other = rows_to_csv(text_rows(sample_rows("08", 2023)))
    drop(settings, "pirha_2024.csv", first)
    drop(settings, "pirha_2023.csv", other)
    run_ingest(settings)
    assert _sick_days(settings) == {2023: 18234.5, 2024: 99999.0}

    corrected = rows_to_csv(text_rows(sample_rows("08", 2024, sick_days=17000)))
    drop(settings, "pirha_2024.csv", corrected)  # same name, new content
    summary = run_ingest(settings)
    assert summary.accepted == ["pirha_2024.csv"]
    assert _sick_days(settings) == {2023: 18234.5, 2024: 17000.0}

    with connect(settings.warehouse_path, settings=settings, read_only=True) as con:
        dupes = con.execute(
            "SELECT count(*) FROM (SELECT area_code, year, staff_group, metric, breakdown FROM staging.personnel_report "
            "GROUP BY ALL HAVING count(*) > 1)").fetchone()[0]
        ledger = con.execute(
            "SELECT file_name, status, replaced_by IS NOT NULL FROM raw.personnel_deliveries WHERE year = 2024 ORDER BY received_at"
        ).fetchall()
    assert dupes == 0
    assert ledger == [("pirha_2024.csv", "replaced", True), ("pirha_2024.csv", "accepted", False)]
    archived = RawArchive(settings.archive_path).entries("personnel")
    assert {e.sha256 for e in archived} >= {_sha(first), _sha(corrected)}
    processed = landing_folder(settings).processed
    assert len(list(processed.glob("pirha_2024*.csv"))) == 2  # the older file is never overwritten

    # the same bytes delivered again are recognised and change nothing
    drop(settings, "pirha_2024_again.csv", corrected)
    summary = run_ingest(settings)
    assert summary.unchanged == ["pirha_2024_again.csv"] and not summary.accepted
    assert _sick_days(settings) == {2023: 18234.5, 2024: 17000.0}


def test_replay_archive_deliveries_are_ingested_without_touching_the_archive(tmp_path):
    settings = make_settings(tmp_path)
    replay = RawArchive(settings.replay_path, writable=False)
    entries = replay.entries("personnel")
    assert entries and all(e.synthetic and e.kind == "file" for e in entries)
    with connect(settings.warehouse_path, settings=settings) as con:
        summary = ingest(con, settings, runtime=RawArchive(settings.archive_path), replay=replay)
        assert len(summary.accepted) == len(entries) and not summary.rejected
        again = ingest(con, settings, runtime=RawArchive(settings.archive_path), replay=replay)
        assert again.unchanged and not again.accepted  # incremental: known content is skipped
        current = con.execute("SELECT count(*), count(DISTINCT (area_code, year)), bool_and(is_synthetic) "
                              "FROM raw.personnel_deliveries WHERE status = 'accepted'").fetchone()
    assert current == (44, 44, True)
    assert not (settings.archive_path / "manifest" / "personnel.jsonl").exists()  # replayed, not re-archived


def test_staging_suite_passes_on_valid_data_and_fails_on_a_broken_contract(tmp_path):
    settings = make_settings(tmp_path)
    drop(settings, "ok.csv", rows_to_csv(text_rows(sample_rows("05", 2024))))
    run_ingest(settings)
    suite = next(s for s in SUITES if s.table == "staging.personnel_report")
    with connect(settings.warehouse_path, settings=settings) as con:
        results = {r.check_name: r for r in run_suite(suite, con)}
        assert all(r.passed for r in results.values()), [n for n, r in results.items() if not r.passed]
        # Tamper with the table as a bug could: the blocking contract checks must catch it.
        con.execute("UPDATE staging.personnel_report SET percent_value = 130, value = 130 WHERE metric = 'permanent_turnover_pct'")
        con.execute("UPDATE staging.personnel_report SET area_code = '23' WHERE metric = 'mean_age'")
        con.execute("UPDATE staging.personnel_report SET unit = 'eur' WHERE metric = 'training_days'")
        broken = {r.check_name: r for r in run_suite(suite, con)}
    failed = {n for n, r in broken.items() if not r.passed}
    assert failed == {"percent_0_100", "county_code_known", "unit_matches_metric"}
    assert all(suite_exp.blocking for suite_exp in suite.expectations if suite_exp.name in failed)


def _sick_days(settings) -> dict[int, float]:
    with connect(settings.warehouse_path, settings=settings, read_only=True) as con:
        return dict(con.execute(
            "SELECT year, value FROM staging.personnel_report WHERE staff_group = 'all' AND metric = 'sickness_absence_days'"
        ).fetchall())


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
