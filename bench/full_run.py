"""Benchmarks 3-5: the README's main job (``python -m pipelines.run``) as a user runs it.

Each run is a fresh ``python -m pipelines.run`` process with every writable path
(warehouse, serving file, runtime archive, reports, landing folder, DAGSTER_HOME) in a temporary
folder, replaying the bundled sample archive (no network):
3. full run on an empty warehouse: process wall time and the kernel's peak RSS for that process;
4. the same run again with no new data: wall time, payloads parsed and tables rebuilt, read
   from the assets' materialisation metadata (``rebuilt``, ``payloads_parsed``) in the run's event
   log, cross-checked against ``meta.build_state.built_at``;
5. executor overhead: run wall time (RUN_START..RUN_SUCCESS in the event log) divided by the sum
   of the steps' compute time (STEP_START..STEP_SUCCESS).
Reference for 3: the floor every run pays before any work, a process that only imports the code
location (``from pipelines.definitions import defs``), measured in the same environment.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from bench.common import Figure, emit_result, run_child

FULL_RUN_TARGET_S = 30.0
RERUN_TARGET_RATIO = 0.25


def run_env(work: Path) -> dict[str, str]:
    return {
        "SOTE_WAREHOUSE_PATH": str(work / "warehouse.duckdb"),
        "SOTE_SERVING_PATH": str(work / "serving.duckdb"),
        "SOTE_ARCHIVE_PATH": str(work / "archive"),
        "SOTE_REPORT_PATH": str(work / "reports"),
        "SOTE_LANDING_PATH": str(work / "landing"),
        "SOTE_SOURCE_MODE": "replay",
        "DAGSTER_HOME": str(work / "dagster_home"),
    }


# -- analysis child (reads the instance named by DAGSTER_HOME) ----------------------------------


def analyse_latest_run(warehouse: Path) -> dict:
    import dagster as dg

    from pipelines.warehouse import connect, table_exists

    with dg.DagsterInstance.get() as instance:
        run = instance.get_runs(limit=1)[0]
        events = [r for r in instance.all_logs(run.run_id)]
        steps = instance.get_run_step_stats(run.run_id)
    by_type: dict[str, list] = {}
    for e in events:
        if e.dagster_event is not None:
            by_type.setdefault(e.dagster_event.event_type_value, []).append(e)
    start = min(e.timestamp for e in by_type.get("PIPELINE_START", by_type.get("RUN_START", events)))
    end_events = by_type.get("PIPELINE_SUCCESS", []) + by_type.get("PIPELINE_FAILURE", []) + \
        by_type.get("RUN_SUCCESS", []) + by_type.get("RUN_FAILURE", [])
    end = max(e.timestamp for e in (end_events or events))
    step_rows = [{"step": s.step_key, "seconds": (s.end_time or 0) - (s.start_time or 0), "status": str(s.status)}
                 for s in steps if s.start_time]
    rebuilt, unchanged, no_flag, parsed, data_versions = [], [], [], 0, {}
    for e in by_type.get("ASSET_MATERIALIZATION", []):
        mat = e.dagster_event.event_specific_data.materialization
        meta = {k: getattr(v, "value", v) for k, v in mat.metadata.items()}
        key = mat.asset_key.to_user_string()
        data_versions[key] = (mat.tags or {}).get("dagster/data_version")
        if "rebuilt" not in meta:
            no_flag.append(key)
        elif meta["rebuilt"]:
            rebuilt.append(key)
        else:
            unchanged.append(key)
        parsed += int(meta.get("payloads_parsed") or 0)
    build_state = {}
    with connect(warehouse, read_only=True) as con:
        if table_exists(con, "meta.build_state"):
            build_state = {t: str(b) for t, b in con.execute("SELECT table_name, built_at FROM meta.build_state").fetchall()}
    return {
        "run_id": run.run_id, "status": str(run.status), "run_wall_s": end - start,
        "steps": step_rows, "step_sum_s": sum(s["seconds"] for s in step_rows), "step_count": len(step_rows),
        "materializations": len(by_type.get("ASSET_MATERIALIZATION", [])), "events": len(events),
        "check_evaluations": len(by_type.get("ASSET_CHECK_EVALUATION", [])),
        "rebuilt": sorted(rebuilt), "unchanged": sorted(unchanged), "no_rebuilt_flag": sorted(no_flag),
        "payloads_parsed": parsed, "build_state": build_state, "data_versions": data_versions,
    }


# -- parent ---------------------------------------------------------------------------------------


_JOB_LINE = re.compile(r"Run (\S+): (SUCCESS|FAILED) in ([\d.]+) s")


def _one_run(work: Path, label: str) -> dict:
    env = run_env(work)
    child = run_child(["-m", "pipelines.run"], env=env, expect_result=False,
                      log_path=work / f"{label}.log", check=False)
    m = _JOB_LINE.search(child.stdout)
    if not m:
        tail = "\n".join(child.stdout.strip().splitlines()[-30:])
        raise RuntimeError(f"`python -m pipelines.run` ({label}) did not succeed; log {work / (label + '.log')}:\n{tail}")
    analysis = run_child(["-m", "bench.full_run", "--analyse", "--warehouse", env["SOTE_WAREHOUSE_PATH"]], env=env,
                         log_path=work / f"{label}-analysis.log").result
    problems = [ln.strip() for ln in child.stdout.splitlines()
                if ln.strip().startswith(("check ", "failed step:", "skipped (blocked upstream):"))]
    return {"process_wall_s": child.wall_s, "process_cpu_s": child.cpu_s, "max_rss_bytes": child.max_rss_bytes,
            "job_s": float(m.group(3)),
            "success": m.group(2) == "SUCCESS" and child.returncode == 0, "problems": problems, **analysis}


def _breakdown(steps: list[dict]) -> str:
    """Step seconds by kind: quality checks (suite_* steps), then each asset layer."""
    totals: dict[str, float] = {}
    for s in steps:
        kind = "checks" if s["step"].startswith("suite_") else s["step"].split("__")[0]
        totals[kind] = totals.get(kind, 0.0) + s["seconds"]
    return ", ".join(f"{k} {v:.1f} s" for k, v in sorted(totals.items(), key=lambda kv: -kv[1]))


def run(work_root: Path) -> tuple[list[Figure], dict]:
    work = Path(tempfile.mkdtemp(prefix="full-run-", dir=work_root)).resolve()  # DAGSTER_HOME must be absolute
    env = run_env(work)
    floor = run_child(["-c", "import time; t = time.perf_counter(); from pipelines.definitions import defs; "
                             "from bench.common import emit_result; emit_result({'import_s': time.perf_counter() - t})"],
                      env=env, log_path=work / "import-floor.log")
    first = _one_run(work, "run1")
    second = _one_run(work, "run2")
    changed_tables = sorted(t for t, b in second["build_state"].items() if first["build_state"].get(t) != b)
    w1, w2 = first["process_wall_s"], second["process_wall_s"]
    figures = [
        Figure("full run", "full replay run, process wall", w1, "s", "import-only process", floor.wall_s,
               f"<= {FULL_RUN_TARGET_S:.0f} s", w1 <= FULL_RUN_TARGET_S,
               f"{'SUCCESS' if first['success'] else 'RUN FAILED: ' + '; '.join(first['problems'][:5])}; "
               f"job {first['job_s']:.1f} s in process; process CPU {first['process_cpu_s']:.1f} s; {first['step_count']} steps, "
               f"{first['materializations']} materialisations, {first['check_evaluations']} check evaluations"),
        Figure("full run", "full replay run, peak RSS", first["max_rss_bytes"] / 2**20, "MiB",
               "import-only process", floor.max_rss_bytes / 2**20),
        Figure("no-change rerun", "rerun, process wall", w2, "s", "full run", w1,
               f"<= {RERUN_TARGET_RATIO:.0%} of full run, 0 payloads parsed",
               w2 <= RERUN_TARGET_RATIO * w1 and second["payloads_parsed"] == 0,
               f"job {second['job_s']:.1f} s; process CPU {second['process_cpu_s']:.1f} s; payloads parsed {second['payloads_parsed']}; tables rebuilt "
               f"{len(second['rebuilt'])} of {len(second['rebuilt']) + len(second['unchanged'])} that report it "
               f"({', '.join(second['rebuilt']) or 'none'}); build_state changed: {', '.join(changed_tables) or 'none'}; "
               f"assets without a rebuilt flag: {len(second['no_rebuilt_flag'])}"),
        Figure("no-change rerun", "rerun, job time in process", second["job_s"], "s", "full run job", first["job_s"]),
        Figure("executor overhead", "full run: job wall / sum of steps", first["job_s"], "s",
               "sum of step compute", first["step_sum_s"], None, None,
               f"ratio = orchestration factor; {first['job_s'] - first['step_sum_s']:.1f} s outside steps "
               f"(event log RUN_START..RUN_SUCCESS {first['run_wall_s']:.1f} s, {first['events']} events stored; "
               f"process wall / steps {w1 / max(first['step_sum_s'], 1e-9):.2f}x)"),
        Figure("executor overhead", "rerun: job wall / sum of steps", second["job_s"], "s",
               "sum of step compute", second["step_sum_s"], None, None,
               f"{second['job_s'] - second['step_sum_s']:.1f} s outside steps; {second['events']} events stored"),
    ]
    lines = [f"  where the full run's step time goes: {_breakdown(first['steps'])}",
             f"  where the rerun's step time goes:    {_breakdown(second['steps'])}",
             "  slowest steps (full run): " + ", ".join(
                 f"{s['step']} {s['seconds']:.1f} s" for s in sorted(first["steps"], key=lambda s: -s["seconds"])[:6])]
    if not (first["success"] and second["success"]):
        lines.append(f"  run problems: {first['problems'] + second['problems']}")
    slowest = sorted(first["steps"], key=lambda s: -s["seconds"])[:8]
    return figures, {"lines": lines, "import_floor_s": floor.wall_s, "import_floor_in_process_s": floor.result.get("import_s"),
                     "first": first, "second": second, "build_state_changed": changed_tables,
                     "slowest_steps_first_run": slowest}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.full_run")
    parser.add_argument("--analyse", action="store_true", required=True)
    parser.add_argument("--warehouse", type=Path, required=True)
    a = parser.parse_args(argv)
    emit_result(analyse_latest_run(a.warehouse))
    return 0


if __name__ == "__main__":
    sys.exit(main())
