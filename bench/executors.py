"""Extra benchmark: the same job with Dagster's default multiprocess executor vs in process.

``python -m bench --only executors`` (not in the default set: it takes minutes). The project's
job runs in process (pipelines/jobs.py); this measures why. The multiprocess run starts one
process per step, each re-importing the code location (``pipelines.definitions``), with at most
``max_concurrent`` (default: CPU count) steps at a time. Both runs start from an empty warehouse
in a fresh folder, replaying data/sample.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Figure, emit_result, run_child
from bench.full_run import run_env


def multiprocess_job():
    """Reconstructable target: the nightly job with the multiprocess executor (module level, so
    every step process can rebuild it)."""
    import dagster as dg

    from pipelines.definitions import defs

    return defs.resolve_job_def("nightly_all_assets").with_executor_def(dg.multiprocess_executor)


def child_multiprocess() -> dict:
    import dagster as dg

    from pipelines.run import prepare_instance

    prepare_instance()
    t = time.perf_counter()
    with dg.DagsterInstance.get() as instance:
        result = dg.execute_job(dg.reconstructable(multiprocess_job), instance=instance, raise_on_error=False)
        steps = instance.get_run_step_stats(result.run_id)
    return {"job_s": time.perf_counter() - t, "success": result.success,
            "step_sum_s": sum((s.end_time or 0) - (s.start_time or 0) for s in steps if s.start_time),
            "steps": len(steps)}


def run(work_root: Path) -> tuple[list[Figure], dict]:
    from bench.full_run import _one_run

    inproc_work = Path(tempfile.mkdtemp(prefix="exec-inprocess-", dir=work_root)).resolve()
    inproc = _one_run(inproc_work, "inprocess")
    mp_work = Path(tempfile.mkdtemp(prefix="exec-multiprocess-", dir=work_root)).resolve()
    mp = run_child(["-m", "bench.executors", "--child"], env=run_env(mp_work), log_path=mp_work / "multiprocess.log",
                   timeout_s=900)
    r = mp.result
    figures = [
        Figure("executors", "multiprocess executor, process wall", mp.wall_s, "s", "in-process executor",
               inproc["process_wall_s"], None, None,
               f"{'SUCCESS' if r['success'] else 'FAILED'}; {r['steps']} steps, step compute sum "
               f"{r['step_sum_s']:.1f} s vs in process {inproc['step_sum_s']:.1f} s"),
    ]
    return figures, {"multiprocess": r, "multiprocess_wall_s": mp.wall_s, "inprocess_wall_s": inproc["process_wall_s"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.executors")
    parser.add_argument("--child", action="store_true", required=True)
    parser.parse_args(argv)
    emit_result(child_multiprocess())
    return 0


if __name__ == "__main__":
    sys.exit(main())
