"""Curated measures (assessments, finance figures of 2.2.1): delivered files -> staging -> fragment.

- ``staging/curated`` ingests every curated delivery: in replay mode the bundled sample archive's
  files (source ``curated``, synthetic), files accepted in earlier runs (runtime archive), and new
  files in ``<landing_path>/curated``. Each file is validated whole (``pipelines.sources.curated``):
  an accepted landing file is archived and moved to ``processed/``; a rejected one is archived with
  ok=false and moved to ``quarantine/`` beside ``<file>.errors.txt`` / ``.errors.json``, and the run
  goes on. A broken file in the bundled sample archive fails the asset (the sample must be valid).
- ``fragments/curated``: the measure_values contract, with explicit gap rows.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Callable

import dagster as dg
import duckdb
import pandas as pd

from pipelines.archive import RawArchive, utc_now
from pipelines.metadata import declared_schema, table_result
from pipelines.settings import Settings
from pipelines.sources.curated import SOURCE, CuratedDelivery, parse_curated
from pipelines.sources.files import DeliveryRejected, LandingFile, LandingFolder, archive_delivery
from pipelines.builds import Built, build
from pipelines.sql_assets import sql_table_asset

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
class Candidate:
    origin: str  # replay | archive | landing
    file_name: str
    sha256: str
    received_at: str
    read: Callable[[], bytes]
    landing_file: LandingFile | None = None


@dataclass
class Ingested:
    rows: list[dict[str, Any]] = field(default_factory=list)
    ledger: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rejected(self) -> list[dict[str, Any]]:
        return [d for d in self.ledger if d["status"] == "rejected"]


def landing_folder(settings: Settings) -> LandingFolder:
    return LandingFolder(Path(settings.landing_path) / "curated")


def _archived(archive: RawArchive, origin: str) -> tuple[list[Candidate], list[dict[str, Any]]]:
    """Accepted file entries as candidates, plus ledger rows for entries rejected in earlier runs."""
    accepted, rejected = [], []
    for e in sorted(archive.entries(SOURCE), key=lambda e: e.fetched_at):
        if e.kind != "file":
            continue
        if e.ok:
            accepted.append(Candidate(origin, e.file_name or e.sha256, e.sha256, e.fetched_at, lambda e=e: archive.read(e)))
        else:
            rejected.append(dict(file_name=e.file_name, delivery_sha256=e.sha256, origin=origin, status="rejected",
                                 received_at=_ts(e.fetched_at), row_count=0, is_synthetic=e.synthetic,
                                 error_summary=e.error, report_path=None))
    return accepted, rejected


def candidates(runtime: RawArchive, replay: RawArchive | None, landing: LandingFolder):
    found: list[Candidate] = []
    earlier_rejections: list[dict[str, Any]] = []
    if replay is not None:
        found += _archived(replay, "replay")[0]
    from_runtime, earlier_rejections = _archived(runtime, "archive")
    found += from_runtime
    found += [Candidate("landing", f.name, f.sha256, utc_now(), f.read, f) for f in landing.scan()]
    unique, seen = [], set()
    for cand in found:
        if cand.sha256 in seen:  # the same bytes delivered again: load once, tidy the landing copy
            if cand.landing_file:
                landing.accept(cand.landing_file)
            continue
        seen.add(cand.sha256)
        unique.append(cand)
    return unique, earlier_rejections


def ingest(settings: Settings, runtime: RawArchive, replay: RawArchive | None, log=None) -> Ingested:
    """Validate every delivery; file moves and archiving happen here, the warehouse write after."""
    landing = landing_folder(settings)
    landing.ensure()
    found, earlier_rejections = candidates(runtime, replay, landing)
    out = Ingested(ledger=list(earlier_rejections))
    for order, cand in enumerate(found):
        data = cand.read()
        try:
            delivery = parse_curated(data, cand.file_name, years=range(settings.year_start, settings.year_end + 3))
        except DeliveryRejected as exc:
            _reject(cand, data, exc, runtime, landing, out, log)
            continue
        if cand.landing_file:
            archive_delivery(runtime, data, source=SOURCE, file_name=cand.file_name, accepted=True,
                             synthetic=delivery.is_synthetic, meta={"rows": len(delivery.rows)})
            landing.accept(cand.landing_file)
        _accept(cand, delivery, order, out)
    return out


def _accept(cand: Candidate, delivery: CuratedDelivery, order: int, out: Ingested) -> None:
    received = _ts(cand.received_at)
    for r in delivery.rows:
        out.rows.append({"delivery_sha256": delivery.sha256, "file_name": cand.file_name, "delivery_order": order,
                         "received_at": received, **r.model_dump()})
    out.ledger.append(dict(file_name=cand.file_name, delivery_sha256=delivery.sha256, origin=cand.origin, status="accepted",
                           received_at=received, row_count=len(delivery.rows), is_synthetic=delivery.is_synthetic,
                           error_summary=None, report_path=None))


def _reject(cand: Candidate, data: bytes, exc: DeliveryRejected, runtime: RawArchive, landing: LandingFolder,
            out: Ingested, log) -> None:
    report = exc.report
    if cand.origin == "replay":
        raise CuratedSampleError(f"bundled curated sample {cand.file_name} does not validate: {report.summary()}") from exc
    report_path = None
    if cand.landing_file:
        archive_delivery(runtime, data, source=SOURCE, file_name=cand.file_name, accepted=False, error=report.summary()[:2000])
        target = landing.quarantine(cand.landing_file, report)
        report_path = str(target.with_name(target.name + ".errors.txt"))
    if log:
        log.warning(f"curated delivery {cand.file_name} rejected: {report.summary()}")
    out.ledger.append(dict(file_name=cand.file_name, delivery_sha256=cand.sha256, origin=cand.origin, status="rejected",
                           received_at=_ts(cand.received_at), row_count=0, is_synthetic=False,
                           error_summary=report.summary(), report_path=report_path))


def _ts(iso: str) -> datetime:
    moment = datetime.fromisoformat(iso)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def write_staging(con: duckdb.DuckDBPyConnection, ingested: Ingested) -> Built:
    """staging.curated + staging.curated_deliveries in one build; skipped when no delivery changed."""
    def frames() -> dict[str, pd.DataFrame]:
        rows = pd.DataFrame(ingested.rows, columns=ROW_COLUMNS).astype(
            {"value": "float64", "year": "int64", "file_row": "int64"})
        return {"curated_rows": rows, "curated_ledger": pd.DataFrame(ingested.ledger, columns=LEDGER_COLUMNS)}

    deliveries = sorted((d["delivery_sha256"], d["status"], d["origin"]) for d in ingested.ledger)
    return build(con, "staging.curated", "staging/stg_curated", also=["staging.curated_deliveries"],
                 extra=[deliveries], frames=frames, detail={"deliveries": len(ingested.ledger)})


COMMON = dict(group_name="curated", kinds={"duckdb"}, pool="duckdb_write")


@dg.asset(
    key=["staging", "curated"],
    required_resource_keys={"warehouse", "archive", "settings"},
    metadata=declared_schema("staging/stg_curated", "staging.curated"),
    description=(
        "Curated measure values (THL's and TTL's assessments on the 1-5 scale, the finance measures of 2.2.1) "
        "from curated CSV/XLSX deliveries: the bundled sample archive in replay mode (synthetic), files "
        "accepted earlier, and new files in <landing_path>/curated. Invalid files are quarantined with an "
        "error report naming file, row, column and value; staging.curated_deliveries lists every delivery."
    ),
    **COMMON,
)
def curated_staging(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = context.resources.settings.get()
    archive = context.resources.archive
    replay = None if archive.is_live else archive.replay()
    ingested = ingest(settings, archive.runtime(), replay, log=context.log)
    with context.resources.warehouse.connect() as con:
        built = write_staging(con, ingested)
        return table_result(
            con, "staging.curated", built,
            deliveries=len(ingested.ledger), rejected_deliveries=len(ingested.rejected),
            rejected=dg.MetadataValue.json([{k: d[k] for k in ("file_name", "error_summary", "report_path")} for d in ingested.rejected]),
        )


curated_fragment = sql_table_asset(
    "fragments.curated", "fragments/curated", inputs=["staging.curated", "reference.measures", "reference.regions"],
    group_name="curated",
    description=(
        "Curated measures in the measure_values contract: for every measure and year delivered, a row for each "
        "organiser (or cooperation area for area-level measures) and the country, NULL with missing_reason "
        "where the delivery has no value."
    ),
)
