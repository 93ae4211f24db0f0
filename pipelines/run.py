"""Run the main job: a full materialisation of every asset and check, in process.

``python -m pipelines.run`` is README command 1. It uses the persistent Dagster instance in
DAGSTER_HOME (``var/dagster_home`` by default), so the run shows up in ``dagster dev`` later.

Before any work: settings are validated (one line per invalid setting, exit 2); the warehouse run
lock is taken (another main job running: say which and exit 75, or wait with ``--wait``); runs
whose process died are marked failed and their pool slots freed (docs/operations.md); a warehouse
file that cannot be opened is reported in plain words with the way out, ``sote rebuild`` (exit 3).
"""

import argparse
import shutil
import sys
import time
from pathlib import Path

from pipelines.settings import PROJECT_ROOT, SettingsError, ensure_dagster_home, get_settings

EXIT_BAD_SETTINGS = 2
EXIT_BUSY = 75  # EX_TEMPFAIL: try again later
EXIT_WAREHOUSE_DAMAGED = 3  # the warehouse file cannot be opened: run sote rebuild

REBUILD_HELP = (
    "Recreate the warehouse from the raw archives and the landing deliveries accepted earlier: the "
    "current warehouse file is set aside (kept as <name>.damaged-<time> or <name>.before-rebuild-<time>), "
    "then the main job runs on an empty warehouse and republishes serving.duckdb. BI users keep reading "
    "the last good serving.duckdb meanwhile."
)

TRY_QUERY = (
    "SELECT measure_key, latest_year, value_display AS value, unit_label_en AS unit, national_value_display AS national, "
    "difference_to_national_display AS difference, rank_among_organisers AS rank, rank_n, "
    "change_from_previous_year_display AS change, baseline_year AS since, change_since_baseline_display AS change_since, "
    "trend_direction AS trend FROM marts.region_scorecard WHERE region_code = '20' ORDER BY measure_key"
)


def _first_line(error) -> str:
    """The failure's own words (a dagster Failure's description, or the exception message)."""
    message = (error.cause.message if error is not None and error.cause is not None else getattr(error, "message", "")) or ""
    return message.strip().splitlines()[0][:1000] if message.strip() else ""


def prepare_instance() -> Path:
    """DAGSTER_HOME with the project's dagster.yaml, so pools and run limits apply."""
    home = ensure_dagster_home()
    target = home / "dagster.yaml"
    if not target.exists():
        shutil.copyfile(PROJECT_ROOT / "dagster.yaml", target)
    return home


def _duckdb_cli() -> str:
    """The DuckDB CLI installed with the dev extra, as a path the user can paste."""
    exe = Path(sys.executable).parent / "duckdb"
    if exe.exists():
        return str(exe.relative_to(PROJECT_ROOT)) if exe.is_relative_to(PROJECT_ROOT) else str(exe)
    return "duckdb"


def main(argv: list[str] | None = None, *, rebuild: bool = False) -> int:
    """README command 1; with ``rebuild`` (``sote rebuild``) the warehouse is first set aside and
    recreated from the raw archive and the landing deliveries (docs/operations.md)."""
    prog, about = ("sote rebuild", REBUILD_HELP) if rebuild else ("python -m pipelines.run", __doc__)
    parser = argparse.ArgumentParser(prog=prog, description=about)
    parser.add_argument("--verbose", action="store_true", help="log every Dagster event (DEBUG)")
    parser.add_argument("--wait", action="store_true",
                        help="if another run is writing the warehouse, wait for it instead of exiting 75")
    args = parser.parse_args(argv)

    try:
        settings = get_settings()
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_SETTINGS
    prepare_instance()

    from dagster._core.utils import make_new_run_id

    from pipelines.runlock import RunLock, RunLockHeld, lock_path

    run_id = make_new_run_id()
    lock = RunLock(lock_path(settings.warehouse_path))
    try:
        lock.acquire(run_id, wait=args.wait, say=lambda m: print(m, flush=True))
    except RunLockHeld as held:
        print(f"Not started: another main job is running on this warehouse: {held.holder}. "
              "Let it finish (see the Dagster UI), or pass --wait to queue behind it.", file=sys.stderr)
        return EXIT_BUSY
    with lock:
        if rebuild:
            set_aside(settings)
        elif (problem := unreadable_warehouse(settings)) is not None:
            print(problem, file=sys.stderr)
            return EXIT_WAREHOUSE_DAMAGED
        return _run_locked(settings, run_id, args)


def unreadable_warehouse(settings) -> str | None:
    """Plain words when the warehouse file exists but cannot be opened, else None."""
    import duckdb

    from pipelines.warehouse import WarehouseUnreadable, connect, read_every_table

    path = Path(settings.warehouse_path)
    if not path.is_file():
        return None
    try:
        with connect(settings=settings, read_only=True) as con:
            # opening reads only the catalogue: a file cut after it opens fine, so read every block
            try:
                read_every_table(con)
            except duckdb.IOException as exc:
                raise WarehouseUnreadable(path, settings, exc) from exc
            return None
    except WarehouseUnreadable as exc:
        return f"Not started: {exc}"


def set_aside(settings) -> None:
    """Move the warehouse (and its WAL) out of the way, kept for inspection, named by time and state."""
    from datetime import UTC, datetime

    path = Path(settings.warehouse_path)
    if not path.exists():
        print(f"Rebuilding: no warehouse at {path}; building it from the raw archive.", flush=True)
        return
    state = "damaged" if unreadable_warehouse(settings) else "before-rebuild"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = path.with_name(f"{path.name}.{state}-{stamp}")
    path.rename(kept)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        wal.rename(kept.with_name(kept.name + ".wal"))
    print(f"Rebuilding: the old warehouse is kept as {kept}; {settings.serving_path} stays readable "
          "(the last good publication) until this run republishes it.", flush=True)


def _wait_for_live_runs(instance, wait: bool) -> bool:
    """Sweep dead runs; True when no live run remains (waiting for them if ``wait``)."""
    from pipelines.recovery import sweep_dead_runs

    last = None
    while True:
        report = sweep_dead_runs(instance)
        if report.failed_runs or report.freed_slot_runs:
            print(f"Recovered from an earlier crash: {report.summary()}", flush=True)
        running = report.live
        if not running:
            return True
        if not wait:
            print(f"Not started: the Dagster instance has a run in progress: {running[0].describe()}. "
                  "Let it finish (see the Dagster UI), or pass --wait to queue behind it.", file=sys.stderr)
            return False
        if last is None or time.monotonic() - last >= 30:
            print(f"Waiting: {running[0].describe()} is in progress", flush=True)
            last = time.monotonic()
        time.sleep(2)


def _run_locked(settings, run_id: str, args) -> int:
    import dagster as dg

    from pipelines.definitions import defs
    from pipelines.recovery import process_tags

    job = defs.resolve_job_def("nightly_all_assets")
    with dg.DagsterInstance.get() as instance:
        if not _wait_for_live_runs(instance, args.wait):
            return EXIT_BUSY
        print(f"Materialising every asset and check ({settings.source_mode} mode, "
              f"{'archive ' + str(settings.replay_path) if settings.source_mode == 'replay' else 'live APIs'}) "
              f"as run {run_id} ...", flush=True)
        started = time.perf_counter()
        log_level = "DEBUG" if args.verbose else "WARNING"
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_id=run_id, tags=process_tags(),
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        )
    elapsed = time.perf_counter() - started

    failed_checks = [
        (e.event_specific_data.asset_key.to_user_string(), e.event_specific_data.check_name,
         e.event_specific_data.severity.value, e.event_specific_data.description or "")
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed
    ]
    failed_steps = [(e.step_key, _first_line(e.event_specific_data.error)) for e in result.all_events
                    if e.event_type_value == "STEP_FAILURE"]
    skipped = [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"]
    if not result.success:
        print("  downstream assets of a failed step or blocking check were not run; serving.duckdb is unchanged")
    print(f"\nRun {result.run_id}: {'SUCCESS' if result.success and not skipped else 'FAILED'} in {elapsed:.1f} s "
          f"(mode: {settings.source_mode})")
    for asset, check, severity, why in failed_checks:
        if severity == "WARN":
            print(f"  check WARN: {asset} / {check}  (warning only; details in the Dagster UI)")
        else:
            print(f"  check {severity}: {asset} / {check}" + (f"\n    {why[:1000]}" if why else ""))
    for step, why in failed_steps:
        print(f"  failed step: {step}" + (f"\n    {why}" if why else ""))
    for step in skipped:
        print(f"  skipped (blocked upstream): {step}")

    serving = Path(settings.serving_path)
    print(f"\nWarehouse (writer):  {settings.warehouse_path}")
    print(f"Serving file (BI):   {serving}")
    print(f"Reports:             {settings.report_path}")
    if serving.exists():
        rel = serving.relative_to(PROJECT_ROOT) if serving.is_relative_to(PROJECT_ROOT) else serving
        print("\nTry it:")
        print(f'  {_duckdb_cli()} -readonly {rel} -c "{TRY_QUERY}"')
    ok = result.success and not failed_steps and not skipped
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
