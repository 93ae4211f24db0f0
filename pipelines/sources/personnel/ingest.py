"""Personnel deliveries through the shared landing-delivery flow (``pipelines.sources.files.flow``)
into the warehouse ledger ``raw.personnel_deliveries`` and rows ``raw.personnel_rows``.

Candidates: in replay mode the sample archive's personnel files, then the landing folder
``<landing_path>/personnel`` (or only the files the sensor names). A delivery for a county-year
replaces the previous one (status ``replaced``); the same bytes are never loaded twice. Each
accepted or rejected file is written in its own transaction together with the ledger's build
state, so the ledger and its fingerprint never disagree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.archive import RawArchive
from pipelines.builds import registered
from pipelines.settings import Settings
from pipelines.sources.files import ErrorReport, LandingFolder, write_report
from pipelines.sources.files.flow import Candidate, FlowOutcome, run_flow
from pipelines.sources.personnel.model import Delivery, parse_delivery
from pipelines.sources.personnel.vocabulary import SOURCE
from pipelines.warehouse import execute_file, fingerprint, record_build, stored_fingerprints, transaction

DELIVERIES = "raw.personnel_deliveries"


def landing_folder(settings: Settings) -> LandingFolder:
    return LandingFolder.of(settings, "personnel")


def candidates(replay: RawArchive | None, runtime: RawArchive, landing: LandingFolder,
               files: list[str] | None) -> list[Candidate]:
    """Replay-archive deliveries, then the deliveries accepted earlier from the landing folder (the
    runtime archive, in the order they were accepted), then landing files (oldest first). Archived
    deliveries the ledger holds are skipped unread; after ``sote rebuild`` (an empty ledger) they
    are loaded again in their original order, with their original receive times."""
    out: list[Candidate] = []
    if not files:
        for origin, archive in (("replay", replay), ("archive", runtime)):
            for entry in archive.entries(SOURCE) if archive is not None else []:
                if entry.kind != "file" or not entry.ok:
                    continue
                out.append(Candidate(origin, entry.file_name or entry.sha256, entry.sha256, entry.fetched_at,
                                     entry.synthetic, (lambda e=entry, a=archive: a.read(e))))
    for f in landing.scan(files):
        # microseconds: two deliveries of one county-year within a second must still be ordered
        received = datetime.now(UTC).isoformat(timespec="microseconds")
        out.append(Candidate("landing", f.name, f.sha256, received, False, f.read, f))
    return out


class PersonnelLedger:
    """The personnel source's part of the flow: parse, and write each outcome to the ledger."""

    archive_source = SOURCE

    def __init__(self, con: duckdb.DuckDBPyConnection, settings: Settings):
        self.con = con
        self.settings = settings
        self.known: dict[str, set[str]] = {}
        for sha, status in con.execute(f"SELECT delivery_sha256, status FROM {DELIVERIES}").fetchall():
            self.known.setdefault(sha, set()).add(status)

    def already_loaded(self, cand: Candidate) -> bool:
        # Same bytes already loaded: nothing new. Never re-activate an older version.
        return bool(self.known.get(cand.sha256, set()) & {"accepted", "replaced"})

    def loaded_before(self, cand: Candidate) -> str:
        first = self.con.execute(
            f"SELECT file_name, min(received_at) FROM {DELIVERIES} WHERE delivery_sha256 = ? AND status <> 'rejected' "
            "GROUP BY file_name ORDER BY 2 LIMIT 1", [cand.sha256]).fetchone()
        return f"on {first[1]:%Y-%m-%d %H:%M} UTC as '{first[0]}'" if first else "before"

    def parse(self, data: bytes, file_name: str) -> Delivery:
        return parse_delivery(data, file_name, years=self.settings.years)

    def archive_meta(self, cand: Candidate, delivery: Delivery) -> tuple[bool, dict]:
        return cand.synthetic or delivery.is_synthetic, {"county_years": [f"{a}/{y}" for a, y in delivery.county_years]}

    def accept(self, cand: Candidate, delivery: Delivery, position: int) -> None:
        synthetic = cand.synthetic or delivery.is_synthetic
        rows = pd.DataFrame(
            [
                {
                    "delivery_sha256": delivery.sha256, "file_name": cand.file_name, "sheet": r.sheet, "file_row": r.row,
                    **{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.data.model_dump().items()},
                    "is_synthetic": synthetic or "synthetic" in (r.data.note or "").casefold(),
                }
                for r in delivery.rows
            ]
        ).astype({"reference_date": "object", "extracted_at": "object", "sheet": "object"})
        per_county_year = rows.groupby(["area_code", "year"]).size().reset_index(name="row_count")
        deliveries = per_county_year.assign(
            delivery_sha256=delivery.sha256, file_name=cand.file_name, origin=cand.origin,
            received_at=_timestamp(cand.received_at), is_synthetic=synthetic,
        )
        with registered(self.con, {"incoming_rows": rows, "incoming_delivery": deliveries}), transaction(self.con):
            execute_file(self.con, "raw/personnel_deliveries_accept", params={"sha256": delivery.sha256})
            record_ledger_state(self.con)
        self.known[cand.sha256] = {"accepted"}

    def reject(self, cand: Candidate, report: ErrorReport, report_path: str | None) -> None:
        with transaction(self.con):
            execute_file(self.con, "raw/personnel_deliveries_reject", params={
                "sha256": cand.sha256, "file_name": cand.file_name, "origin": cand.origin,
                "received_at": _timestamp(cand.received_at), "is_synthetic": cand.synthetic,
                "issue_count": len(report.issues), "error_summary": report.summary(), "report_path": str(report_path),
            })
            record_ledger_state(self.con)
        self.known[cand.sha256] = {"rejected"}

    def archived_report_path(self, cand: Candidate, report: ErrorReport) -> str:
        # replay archives are read-only: the report goes to the report folder instead
        beside = Path(self.settings.report_path) / "personnel_quarantine" / cand.file_name
        return str(write_report(report, beside)[1])


def ingest(con: duckdb.DuckDBPyConnection, settings: Settings, *, runtime: RawArchive, replay: RawArchive | None,
           files: list[str] | None = None, log=None) -> FlowOutcome:
    """Ingest every candidate delivery; one transaction per file, so one bad file never blocks others."""
    with transaction(con):
        execute_file(con, "raw/personnel_deliveries")
        execute_file(con, "raw/personnel_rows")
        if not stored_fingerprints(con, [DELIVERIES]):
            record_ledger_state(con)
    landing = landing_folder(settings)
    landing.ensure()
    return run_flow(PersonnelLedger(con, settings), candidates(replay, runtime, landing, files), runtime=runtime,
                    landing=landing, names=files, log=log)


def record_ledger_state(con: duckdb.DuckDBPyConnection) -> None:
    """Build state of the ledger = the set of current deliveries, so staging rebuilds only when it
    changes. Called inside the transaction that changes the ledger: ledger and state never disagree."""
    current = con.execute(
        f"SELECT list(delivery_sha256 || '/' || area_code || '/' || year ORDER BY delivery_sha256, area_code, year) "
        f"FROM {DELIVERIES} WHERE status = 'accepted'"
    ).fetchall()[0][0]
    record_build(con, DELIVERIES, fingerprint(current), {"also": "raw.personnel_rows"})


def _timestamp(iso: str) -> str:
    """UTC ISO time -> naive UTC timestamp text for DuckDB TIMESTAMP columns."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(sep=" ")
