"""Personnel reports (objective 2.1.2): file deliveries -> raw ledger -> staging -> fragment.

- ``raw/personnel_deliveries`` ingests deliveries: in replay mode the sample archive's personnel
  files (``data/sample``, source ``personnel``), and in every mode the landing folder
  ``<landing_path>/personnel``. Each file is validated whole (``pipelines.sources.personnel``);
  accepted files move to ``processed/``, rejected ones to ``quarantine/`` beside an error
  report. Landing files are archived in the runtime archive (rejected ones with ok=false).
  A delivery for a county-year replaces the previous one (status ``replaced``).
- ``staging/personnel_report``: the rows of the current delivery of every county-year.
- ``fragments/personnel_report``: the seven 2.1.2 measures in the measure_values contract.

The landing sensor (``pipelines/sensors.py``) runs ``personnel_landing`` for each new or changed
file, passing its name in the run config so exactly that file is ingested.
"""


from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pandas as pd

from pipelines.archive import RawArchive
from pipelines.metadata import table_result
from pipelines.settings import Settings
from pipelines.sources.files import (
    DeliveryRejected,
    ErrorReport,
    LandingFile,
    LandingFolder,
    archive_delivery,
    write_report,
)
from pipelines.sources.personnel import SOURCE, Delivery, parse_delivery
from pipelines.builds import Built, registered
from pipelines.sql_assets import sql_table_asset
from pipelines.warehouse import execute_file, fingerprint, record_build, stored_fingerprints, transaction

GROUP = "personnel"
DELIVERIES = "raw.personnel_deliveries"
STAGING = "staging.personnel_report"
FRAGMENT = "fragments.personnel_report"
COMMON = dict(group_name=GROUP, kinds={"duckdb"}, pool="duckdb_write")


def landing_folder(settings: Settings) -> LandingFolder:
    return LandingFolder(Path(settings.landing_path) / "personnel")


# -- ingestion (plain functions, tested without Dagster) ------------------------------------


@dataclass
class Candidate:
    """A delivery to consider: from the replay archive or the landing folder."""

    origin: str  # replay | landing
    file_name: str
    sha256: str
    received_at: str
    synthetic: bool
    data: Any  # callable returning the bytes
    landing_file: LandingFile | None = None


@dataclass
class IngestSummary:
    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)

    def as_metadata(self) -> dict[str, Any]:
        return {
            "accepted_files": len(self.accepted),
            "rejected_files": len(self.rejected),
            "already_loaded_files": len(self.unchanged),
            "rejected": dg.MetadataValue.json(self.rejected),
            "error_reports": dg.MetadataValue.json(self.reports),
        }


def candidates(replay: RawArchive | None, landing: LandingFolder, files: list[str] | None) -> list[Candidate]:
    """Replay-archive deliveries (oldest first), then landing files (oldest first)."""
    out: list[Candidate] = []
    if replay is not None and not files:
        for entry in replay.entries(SOURCE):
            if entry.kind != "file" or not entry.ok:
                continue
            out.append(Candidate("replay", entry.file_name or entry.sha256, entry.sha256, entry.fetched_at,
                                 entry.synthetic, (lambda e=entry: replay.read(e))))
    for f in landing.scan(files):
        # microseconds: two deliveries of one county-year within a second must still be ordered
        received = datetime.now(UTC).isoformat(timespec="microseconds")
        out.append(Candidate("landing", f.name, f.sha256, received, False, f.read, f))
    return out


def known_deliveries(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    rows = con.execute("SELECT delivery_sha256, status FROM raw.personnel_deliveries").fetchall()
    out: dict[str, set[str]] = {}
    for sha, status in rows:
        out.setdefault(sha, set()).add(status)
    return out


def ingest(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    *,
    runtime: RawArchive,
    replay: RawArchive | None,
    files: list[str] | None = None,
    log=None,
) -> IngestSummary:
    """Ingest every candidate delivery; one transaction per file, so one bad file never blocks others."""
    with transaction(con):
        execute_file(con, "staging/stg_personnel_init")
        if not stored_fingerprints(con, [DELIVERIES]):
            record_ledger_state(con)
    landing = landing_folder(settings)
    landing.ensure()
    summary = IngestSummary()
    known = known_deliveries(con)
    for cand in candidates(replay, landing, files):
        if known.get(cand.sha256, set()) & {"accepted", "replaced"}:
            # Same bytes already loaded: nothing new. Never re-activate an older version.
            summary.unchanged.append(cand.file_name)
            if cand.landing_file:
                landing.accept(cand.landing_file)
            continue
        data = cand.data()
        try:
            delivery = parse_delivery(data, cand.file_name, years=settings.years)
        except DeliveryRejected as exc:
            _reject(con, settings, cand, data, exc.report, runtime, landing, summary)
            known[cand.sha256] = {"rejected"}
            if log:
                log.warning(f"personnel delivery {cand.file_name} rejected: {exc.report.summary()}")
        else:
            _accept(con, cand, data, delivery, runtime, landing)
            summary.accepted.append(cand.file_name)
            known[cand.sha256] = {"accepted"}
    return summary


def record_ledger_state(con: duckdb.DuckDBPyConnection) -> None:
    """Build state of the ledger = the set of current deliveries, so staging rebuilds only when it
    changes. Called inside the transaction that changes the ledger: ledger and state never disagree."""
    current = con.execute(
        f"SELECT list(delivery_sha256 || '/' || area_code || '/' || year ORDER BY delivery_sha256, area_code, year) "
        f"FROM {DELIVERIES} WHERE status = 'accepted'"
    ).fetchall()[0][0]
    record_build(con, DELIVERIES, fingerprint(current), {"also": "raw.personnel_rows"})


def _accept(con, cand: Candidate, data: bytes, delivery: Delivery, runtime: RawArchive, landing: LandingFolder) -> None:
    synthetic = cand.synthetic or delivery.is_synthetic
    if cand.landing_file:
        archive_delivery(runtime, data, source=SOURCE, file_name=cand.file_name, accepted=True, synthetic=synthetic,
                         meta={"county_years": [f"{a}/{y}" for a, y in delivery.county_years]})
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
    with registered(con, {"incoming_rows": rows, "incoming_delivery": deliveries}), transaction(con):
        execute_file(con, "staging/stg_personnel_accept", params={"sha256": delivery.sha256})
        record_ledger_state(con)
    if cand.landing_file:
        landing.accept(cand.landing_file)


def _reject(con, settings: Settings, cand: Candidate, data: bytes, report: ErrorReport, runtime: RawArchive,
            landing: LandingFolder, summary: IngestSummary) -> None:
    report.received_at = cand.received_at
    if cand.landing_file:
        archive_delivery(runtime, data, source=SOURCE, file_name=cand.file_name, accepted=False,
                         error=report.summary()[:2000])
        target = landing.quarantine(cand.landing_file, report)
        report_path = target.with_name(target.name + ".errors.txt")
    else:
        # replay archives are read-only: the report goes to the report folder instead
        beside = Path(settings.report_path) / "personnel_quarantine" / cand.file_name
        report_path = write_report(report, beside)[1]
    with transaction(con):
        execute_file(con, "staging/stg_personnel_reject", params={
        "sha256": cand.sha256, "file_name": cand.file_name, "origin": cand.origin,
        "received_at": _timestamp(cand.received_at), "is_synthetic": cand.synthetic,
            "issue_count": len(report.issues), "error_summary": report.summary(), "report_path": str(report_path),
        })
        record_ledger_state(con)
    summary.rejected.append(cand.file_name)
    summary.reports.append(str(report_path))


def _timestamp(iso: str) -> str:
    """UTC ISO time -> naive UTC timestamp text for DuckDB TIMESTAMP columns."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(sep=" ")


# -- assets ------------------------------------------------------------------------------------


class PersonnelIngestConfig(dg.Config):
    files: list[str] = []  # landing files to ingest (set by the sensor); empty = the whole folder (+ replay archive)


@dg.asset(key=["raw", "personnel_deliveries"], required_resource_keys={"warehouse", "archive", "settings"}, **COMMON)
def personnel_deliveries(context: dg.AssetExecutionContext, config: PersonnelIngestConfig) -> dg.MaterializeResult:
    """Ingests personnel-report deliveries (objective 2.1.2): the bundled sample archive in replay
    mode and the landing folder (<landing_path>/personnel) in every mode. Each file is validated as a
    whole; accepted files move to processed/, rejected ones to quarantine/ with an error report
    (.errors.txt/.json) naming file, sheet, row, column and reason. A newer delivery for the same
    county and year replaces the earlier one. Ledger: raw.personnel_deliveries; rows: raw.personnel_rows."""
    settings = context.resources.settings.get()
    archive = context.resources.archive
    replay = None if archive.is_live else archive.replay()
    with context.resources.warehouse.connect() as con:
        summary = ingest(con, settings, runtime=archive.runtime(), replay=replay, files=config.files or None, log=context.log)
        states = dict(con.execute(f"SELECT status, count(*) FROM {DELIVERIES} GROUP BY 1").fetchall())
        built = Built(DELIVERIES, bool(summary.accepted or summary.rejected), stored_fingerprints(con, [DELIVERIES])[DELIVERIES])
        return table_result(con, DELIVERIES, built, **summary.as_metadata(),
                            ledger_status=dg.MetadataValue.json({k: int(v) for k, v in states.items()}))


personnel_report_staging = sql_table_asset(
    STAGING, "staging/stg_personnel_report", inputs=[DELIVERIES], group_name=GROUP,
    description="Current personnel-report figures: one row per county x year x staff group x metric x breakdown, "
    "from the accepted (latest) delivery of each county and year.",
)

FRAGMENT_INPUTS = [STAGING, "staging.population", "reference.regions", "reference.measure_source_refs", "reference.measures"]

personnel_report_fragment = sql_table_asset(
    FRAGMENT, "fragments/personnel_report", inputs=FRAGMENT_INPUTS, group_name=GROUP,
    description="Objective 2.1.2 in measure_values form: person-years (total and per 1 000 inhabitants), age "
    "structure (band shares, share aged 55+, mean age), permanent staff turnover, sickness absence and "
    "training days per person-year, the top three shortage groups and agency labour, per organiser, "
    "cooperation area and the whole country (derived by summing counts), year and staff group. Staff "
    "groups under five persons are suppressed.",
    result_metadata=lambda con: {"suppressed_rows": int(con.execute(
        f"SELECT count(*) FROM {FRAGMENT} WHERE is_suppressed").fetchall()[0][0])},
)
