"""Run the main job: a full materialisation of every asset and check, in process.

``python -m pipelines.run`` is README command 1. It uses the persistent Dagster instance in
DAGSTER_HOME (``var/dagster_home`` by default), so the run shows up in ``dagster dev`` later.
"""

import argparse
import shutil
import sys
import time
from pathlib import Path

from pipelines.settings import PROJECT_ROOT, ensure_dagster_home, get_settings

TRY_QUERY = (
    "SELECT measure_key, latest_year, value, national_value, difference_to_national, rank_among_organisers, rank_n, "
    "change_from_previous_year FROM marts.region_scorecard WHERE region_code = '20' ORDER BY measure_key"
)


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.run", description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="log every Dagster event (DEBUG)")
    args = parser.parse_args(argv)

    prepare_instance()
    import dagster as dg

    from pipelines.definitions import defs

    settings = get_settings()
    job = defs.resolve_job_def("nightly_all_assets")
    print(f"Materialising every asset and check ({settings.source_mode} mode, "
          f"{'archive ' + str(settings.replay_path) if settings.source_mode == 'replay' else 'live APIs'}) ...", flush=True)
    started = time.perf_counter()
    with dg.DagsterInstance.get() as instance:
        log_level = "DEBUG" if args.verbose else "WARNING"
        result = job.execute_in_process(
            instance=instance, raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        )
    elapsed = time.perf_counter() - started

    failed_checks = [
        (e.event_specific_data.asset_key.to_user_string(), e.event_specific_data.check_name,
         e.event_specific_data.severity.value)
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed
    ]
    failed_steps = [e.step_key for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    skipped = [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"]
    if not result.success:
        print("  downstream assets of a failed step or blocking check were not run; serving.duckdb is unchanged")
    print(f"\nRun {result.run_id}: {'SUCCESS' if result.success and not skipped else 'FAILED'} in {elapsed:.1f} s "
          f"(mode: {settings.source_mode})")
    for asset, check, severity in failed_checks:
        print(f"  check {severity}: {asset} / {check}" + ("  (warning only; details in the Dagster UI)" if severity == "WARN" else ""))
    for step in failed_steps:
        print(f"  failed step: {step}")
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
