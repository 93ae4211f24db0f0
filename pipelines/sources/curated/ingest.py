"""Curated deliveries through the shared landing-delivery flow (``pipelines.sources.files.flow``)
into the ledger ``raw.curated_deliveries`` and the rows ``raw.curated_rows``.

Candidates: the bundled sample archive in replay mode, files accepted in earlier runs (runtime
archive) and new files in ``<landing_path>/curated``; the same bytes are loaded once. The two raw
tables are rebuilt from all deliveries in one build, skipped when no delivery changed (the archive
is the persistent record, so ``sote rebuild`` recreates them).
A broken file in the bundled sample archive is an error (the sample must be valid).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import pandas as pd

from pipelines.archive import RawArchive, utc_now
from pipelines.builds import Built, build
from pipelines.settings import Settings
from pipelines.sources.curated.model import SOURCE, CuratedDelivery, parse_curated
from pipelines.sources.files import ErrorReport, LandingFolder
from pipelines.sources.files.flow import Candidate, FlowOutcome, run_flow
from pipelines.warehouse import execute_file, sql_text

ROW_COLUMNS = [
    "delivery_sha256", "file_name", "sheet", "file_row", "delivery_order", "received_at", "measure_key", "objective_key",
    "region_level", "region_code", "year", "value", "value_text", "unit", "missing_reason", "source_reference", "note",
    "is_synthetic",
]
LEDGER_COLUMNS = ["file_name", "delivery_sha256", "origin", "status", "received_at", "row_count", "is_synthetic",
                  "error_summary", "report_path"]


class CuratedSampleError(RuntimeError):
    """The bundled sample archive holds a curated file that does not validate."""


@dataclass
class Ingested:
    rows: list[dict[str, Any]] = field(default_factory=list)
    ledger: list[dict[str, Any]] = field(default_factory=list)
    outcome: FlowOutcome = field(default_factory=FlowOutcome)  # this run's landing files

    @property
    def rejected(self) -> list[dict[str, Any]]:
        return [d for d in self.ledger if d["status"] == "rejected"]


def landing_folder(settings: Settings) -> LandingFolder:
    return LandingFolder.of(settings, "curated")


def _archived(archive: RawArchive, origin: str) -> tuple[list[Candidate], list[dict[str, Any]]]:
    """Accepted file entries as candidates, plus ledger rows for entries rejected in earlier runs."""
    accepted, rejected = [], []
    for e in sorted(archive.entries(SOURCE), key=lambda e: e.fetched_at):
        if e.kind != "file":
            continue
        if e.ok:
            accepted.append(Candidate(origin, e.file_name or e.sha256, e.sha256, e.fetched_at, e.synthetic,
                                      lambda e=e: archive.read(e)))
        else:
            rejected.append(dict(file_name=e.file_name, delivery_sha256=e.sha256, origin=origin, status="rejected",
                                 received_at=_ts(e.fetched_at), row_count=0, is_synthetic=e.synthetic,
                                 error_summary=e.error, report_path=None))
    return accepted, rejected


def candidates(runtime: RawArchive, replay: RawArchive | None, landing: LandingFolder):
    found: list[Candidate] = []
    if replay is not None:
        found += _archived(replay, "replay")[0]
    from_runtime, earlier_rejections = _archived(runtime, "archive")
    found += from_runtime
    found += [Candidate("landing", f.name, f.sha256, utc_now(), False, f.read, f) for f in landing.scan()]
    unique, seen, again = [], {}, []
    for cand in found:
        if cand.sha256 in seen:  # the same bytes delivered again: load once, tidy the landing copy
            if cand.landing_file:
                first = seen[cand.sha256]
                landing.accept_again(cand.landing_file, f"on {first.received_at} as '{first.file_name}'")
                again.append(cand.file_name)
            continue
        seen[cand.sha256] = cand
        unique.append(cand)
    return unique, earlier_rejections, again


class CuratedBatch:
    """The curated source's part of the flow: parse, and collect rows and ledger for one build."""

    archive_source = SOURCE

    def __init__(self, settings: Settings, ledger: list[dict[str, Any]]):
        self.years = range(settings.year_start, settings.year_end + 3)
        self.out = Ingested(ledger=ledger)

    def already_loaded(self, cand: Candidate) -> bool:
        return False  # staging is rebuilt from every accepted delivery; duplicates are dropped in candidates()

    def loaded_before(self, cand: Candidate) -> str:
        return "before"  # not reached: see already_loaded

    def parse(self, data: bytes, file_name: str) -> CuratedDelivery:
        return parse_curated(data, file_name, years=self.years)

    def archive_meta(self, cand: Candidate, delivery: CuratedDelivery) -> tuple[bool, dict]:
        return delivery.is_synthetic, {"rows": len(delivery.rows)}

    def accept(self, cand: Candidate, delivery: CuratedDelivery, position: int) -> None:
        received = _ts(cand.received_at)
        for r in delivery.rows:
            self.out.rows.append({"delivery_sha256": delivery.sha256, "file_name": cand.file_name,
                                  "delivery_order": position, "received_at": received, **r.model_dump()})
        self.out.ledger.append(dict(file_name=cand.file_name, delivery_sha256=delivery.sha256, origin=cand.origin,
                                    status="accepted", received_at=received, row_count=len(delivery.rows),
                                    is_synthetic=delivery.is_synthetic, error_summary=None, report_path=None))

    def reject(self, cand: Candidate, report: ErrorReport, report_path: str | None) -> None:
        self.out.ledger.append(dict(file_name=cand.file_name, delivery_sha256=cand.sha256, origin=cand.origin,
                                    status="rejected", received_at=_ts(cand.received_at), row_count=0,
                                    is_synthetic=False, error_summary=report.summary(), report_path=report_path))

    def archived_report_path(self, cand: Candidate, report: ErrorReport) -> str | None:
        if cand.origin == "replay":
            raise CuratedSampleError(f"bundled curated sample {cand.file_name} does not validate: {report.summary()}")
        return None  # a runtime-archive file rejected now: its report is the ledger's error_summary


def ingest(settings: Settings, runtime: RawArchive, replay: RawArchive | None, log=None) -> Ingested:
    """Validate every delivery; file moves and archiving happen here, the warehouse write after."""
    landing = landing_folder(settings)
    landing.ensure()
    found, earlier_rejections, again = candidates(runtime, replay, landing)
    batch = CuratedBatch(settings, list(earlier_rejections))
    batch.out.outcome = run_flow(batch, found, runtime=runtime, landing=landing, log=log)
    batch.out.outcome.unchanged += again
    batch.out.outcome.landing_again += again
    return batch.out


def write_raw(con: duckdb.DuckDBPyConnection, ingested: Ingested) -> Built:
    """raw.curated_deliveries + raw.curated_rows in one build; skipped when no delivery changed."""
    def frames() -> dict[str, pd.DataFrame]:
        rows = pd.DataFrame(ingested.rows, columns=ROW_COLUMNS).astype(
            {"value": "float64", "year": "int64", "file_row": "int64"})
        return {"curated_rows": rows, "curated_ledger": pd.DataFrame(ingested.ledger, columns=LEDGER_COLUMNS)}

    deliveries = sorted((d["delivery_sha256"], d["status"], d["origin"]) for d in ingested.ledger)
    return build(con, LEDGER, _build_raw, also=[ROWS], extra=[deliveries, *(sql_text(f) for f in RAW_SQL)],
                 frames=frames, detail={"deliveries": len(ingested.ledger)})


LEDGER, ROWS = "raw.curated_deliveries", "raw.curated_rows"
RAW_SQL = ["raw/curated_rows", "raw/curated_deliveries"]


def _build_raw(con: duckdb.DuckDBPyConnection) -> None:
    for name in RAW_SQL:
        execute_file(con, name)


def _ts(iso: str) -> datetime:
    moment = datetime.fromisoformat(iso)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
