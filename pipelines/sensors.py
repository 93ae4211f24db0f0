"""Sensors. Each source that watches something appends its sensor to SENSORS.

``curated_landing_sensor`` does the same for ``<landing_path>/curated`` with one run per batch of
changed files (the curated asset reads the whole folder).

``personnel_landing_sensor`` watches ``<landing_path>/personnel`` (created on demand). Every new
or changed file requests one run of ``personnel_landing`` that ingests exactly that file and
rebuilds everything downstream of it up to ``serving/publish``, so figures dropped by an analyst
reach serving.duckdb. The cursor is JSON ``{file name: "size:mtime_ns"}`` of the complete files
seen (a tick hashes only the changed ones; files still being written are left for a later tick);
the run key is the content sha256, so the same content never triggers twice.
"""

from __future__ import annotations

import json
import time

import dagster as dg

from pipelines.archive import hash_file
from pipelines.resources import SettingsResource
from pipelines.sources.files import LandingFolder

PERSONNEL_INGEST_ASSET = dg.AssetKey(["raw", "personnel_deliveries"])
PERSONNEL_INGEST_OP = "raw__personnel_deliveries"


def landing_job(name: str, ingest_asset: dg.AssetKey, description: str) -> dg.UnresolvedAssetJobDefinition:
    """The ingesting asset and everything downstream of it up to serving/publish, in one process
    (a landing run is small; process start-up would dominate it)."""
    return dg.define_asset_job(name=name, selection=dg.AssetSelection.assets(ingest_asset).downstream(),
                               description=description, executor_def=dg.in_process_executor)


personnel_landing_job = landing_job(
    "personnel_landing", PERSONNEL_INGEST_ASSET,
    "Ingest dropped personnel-report files, then rebuild the personnel staging, fragment, "
    "marts/measure_values and serving/publish.",
)


def changed_files(folder: LandingFolder, cursor: str | None) -> tuple[dict[str, str], str]:
    """Entries new or changed since ``cursor`` (name -> sha256; for entries that are refused unread,
    a key naming the entry), and the new cursor. Change is seen from size and mtime alone, so a tick
    hashes only what changed; files still being written stay out of the cursor until complete."""
    seen: dict[str, str] = json.loads(cursor) if cursor else {}
    now = time.time()
    current: dict[str, str] = {}
    changed: dict[str, str] = {}
    for path, st in folder.entries():
        refused = folder.refusal(path, st)
        if refused is None and not folder.complete(st, now):
            continue
        stamp = f"{st.st_size}:{st.st_mtime_ns}"
        current[path.name] = stamp
        if seen.get(path.name) != stamp:
            changed[path.name] = f"refused:{path.name}:{stamp}" if refused else hash_file(path)[0]
    return dict(sorted(changed.items())), json.dumps(current, sort_keys=True)


def landing_run_requests(folder: LandingFolder, cursor: str | None) -> tuple[list[dg.RunRequest], str]:
    """Run requests for files new or changed since ``cursor``, and the new cursor (pure: testable)."""
    changed, cursor = changed_files(folder, cursor)
    requests = [
        dg.RunRequest(
            run_key=sha,
            run_config={"ops": {PERSONNEL_INGEST_OP: {"config": {"files": [name]}}}},
            tags={"personnel/file": name, "personnel/sha256": sha},
        )
        for name, sha in changed.items()
    ]
    return requests, cursor


def landing_sensor(name: str, subfolder: str, job, plan, description: str) -> dg.SensorDefinition:
    """A sensor on ``<landing_path>/<subfolder>``: ``plan(folder, cursor)`` turns the files new or
    changed since the cursor into run requests (one per file, or one per batch)."""

    @dg.sensor(name=name, job=job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING,
               description=description)
    def _sensor(context: dg.SensorEvaluationContext, settings: SettingsResource):
        folder = LandingFolder.of(settings.get(), subfolder)
        folder.ensure()
        requests, cursor = plan(folder, context.cursor)
        context.update_cursor(cursor)
        return requests or dg.SkipReason(f"no new or changed files in {folder.root}")

    return _sensor


personnel_landing_sensor = landing_sensor(
    "personnel_landing_sensor", "personnel", personnel_landing_job, landing_run_requests,
    "Watches <landing_path>/personnel for personnel-report files (CSV/XLSX); each new or changed file triggers "
    "one ingestion run. Accepted files move to processed/, rejected ones to quarantine/ beside an error report.",
)


CURATED_INGEST_ASSET = dg.AssetKey(["raw", "curated_deliveries"])

curated_landing_job = landing_job(
    "curated_landing", CURATED_INGEST_ASSET,
    "Ingest curated files dropped in <landing_path>/curated, then rebuild the curated fragment, "
    "the marts, the reports and serving/publish.",
)


def curated_run_requests(folder: LandingFolder, cursor: str | None) -> tuple[list[dg.RunRequest], str]:
    """One run for all curated files new or changed since ``cursor`` (the asset reads the whole folder)."""
    from pipelines.warehouse import fingerprint

    changed, cursor = changed_files(folder, cursor)
    if not changed:
        return [], cursor
    return [dg.RunRequest(run_key=fingerprint(sorted(changed.values())), tags={"curated/files": ", ".join(changed)[:200]})], cursor


curated_landing_sensor = landing_sensor(
    "curated_landing_sensor", "curated", curated_landing_job, curated_run_requests,
    "Watches <landing_path>/curated for curated files (assessments, finance figures); new or changed files "
    "trigger one ingestion run. Accepted files move to processed/, rejected ones to quarantine/ beside an error report.",
)


@dg.sensor(
    name="stale_run_sweeper",
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Every minute: runs whose process died (kill -9, crash, reboot) are marked failed and "
    "their duckdb_write pool slots freed, so queued nightly and landing runs can proceed "
    "(docs/operations.md).",
)
def stale_run_sweeper(context: dg.SensorEvaluationContext):
    from pipelines.recovery import sweep_dead_runs

    report = sweep_dead_runs(context.instance)
    if report.failed_runs or report.freed_slot_runs:
        context.log.warning(f"stale-run sweep: {report.summary()}")
    return dg.SkipReason(f"stale-run sweep: {report.summary()}")


SENSORS: list = [personnel_landing_sensor, curated_landing_sensor, stale_run_sweeper]
