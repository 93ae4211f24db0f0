"""A killed run holds nothing; a second main job says which run it is waiting for.

These are real processes: ``python -m pipelines.run`` on a fresh temporary instance, killed with
SIGKILL, inspected through the same Dagster instance.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from pipelines.recovery import pid_alive, sweep_dead_runs
from pipelines.sensors import stale_run_sweeper
from pipelines.settings import PROJECT_ROOT

RUN_TIMEOUT_S = 240


def _env(root: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOTE_")}
    env.update(DAGSTER_HOME=str(root / "dagster_home"), SOTE_WAREHOUSE_PATH=str(root / "warehouse.duckdb"),
               SOTE_SERVING_PATH=str(root / "serving.duckdb"), SOTE_ARCHIVE_PATH=str(root / "archive"),
               SOTE_REPORT_PATH=str(root / "reports"), SOTE_LANDING_PATH=str(root / "landing"))
    return env


def _start(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipelines.run", *args], cwd=PROJECT_ROOT, env=_env(root),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _instance(root: Path) -> dg.DagsterInstance:
    home = root / "dagster_home"
    return dg.DagsterInstance.from_config(str(home))


def _wait_until(predicate, proc: subprocess.Popen, what: str, timeout: float = 120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"run exited ({proc.returncode}) before {what}:\n{proc.stdout.read()}")
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"timed out waiting for {what}")


def _kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)  # reaped: the pid is gone, as after a real crash


def _run_started(root: Path):
    home = root / "dagster_home"
    if not (home / "dagster.yaml").exists() or not (home / "storage").exists():
        return None
    with _instance(root) as instance:
        return instance.get_run_records(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))


def _write_slot_claimed(root: Path, not_by: set[str]):
    """Claimed duckdb_write slots, once one is held by a run other than ``not_by``."""
    if not _run_started(root):
        return None
    with _instance(root) as instance:
        claimed = instance.event_log_storage.get_concurrency_info("duckdb_write").claimed_slots
        return claimed if any(s.run_id not in not_by for s in claimed) else None


def _marts(path: Path) -> dict[str, list]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute("SELECT table_schema || '.' || table_name FROM information_schema.tables "
                             "WHERE table_schema IN ('marts', 'reference') ORDER BY 1").fetchall()
        # Two clean runs differ in the last bits of float aggregates (parallel summation order;
        # rounding for publication is issue 22), so floats are compared to 10 significant digits.
        return {t: sorted(tuple(f"{v:.10g}" if isinstance(v, float) else v for v in row)
                          for row in con.execute(f"SELECT * FROM {t}").fetchall()) for (t,) in tables}
    finally:
        con.close()


@pytest.mark.slow
def test_killed_twice_then_rerun_succeeds_with_clean_marts(tmp_path, full_run):
    root = tmp_path
    first = _start(root)
    first_id = _wait_until(lambda: _run_started(root), first, "the first run started")[0].dagster_run.run_id
    time.sleep(1.0)  # inside the run, before or between writes
    _kill(first)

    second = _start(root)
    claimed = _wait_until(lambda: _write_slot_claimed(root, {first_id}), second, "a duckdb_write step of run 2")
    _kill(second)
    with _instance(root) as instance:
        stuck = instance.get_run_records(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
        assert stuck, "the killed run should still look STARTED before recovery"
        assert instance.event_log_storage.get_concurrency_info("duckdb_write").claimed_slots == claimed

    third = subprocess.run([sys.executable, "-m", "pipelines.run"], cwd=PROJECT_ROOT, env=_env(root),
                           capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert third.returncode == 0, third.stdout + third.stderr
    assert "Recovered from an earlier crash" in third.stdout
    with _instance(root) as instance:
        assert not instance.get_run_records(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
        failed = instance.get_run_records(dg.RunsFilter(statuses=[dg.DagsterRunStatus.FAILURE]))
        assert len(failed) == 2, [(r.dagster_run.run_id, r.dagster_run.status) for r in instance.get_run_records()]
        for r in failed:
            (event,) = instance.all_logs(r.dagster_run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
            assert "no longer exists" in event.message, event.message
        assert not instance.event_log_storage.get_concurrency_info("duckdb_write").claimed_slots

    clean_settings, _ = full_run
    assert _marts(root / "serving.duckdb") == _marts(clean_settings.serving_path)


@pytest.mark.slow
def test_second_main_job_refuses_naming_the_running_one(tmp_path):
    first = _start(tmp_path)
    try:
        runs = _wait_until(lambda: _run_started(tmp_path), first, "the first run started")
        run_id = runs[0].dagster_run.run_id
        t0 = time.monotonic()
        second = subprocess.run([sys.executable, "-m", "pipelines.run"], cwd=PROJECT_ROOT, env=_env(tmp_path),
                                capture_output=True, text=True, timeout=60)
        assert time.monotonic() - t0 < 10
        assert second.returncode == 75
        assert run_id in second.stderr and "started" in second.stderr and "--wait" in second.stderr
    finally:
        first.kill()
        first.wait()


def test_run_of_a_dead_process_is_failed_and_its_slot_freed(tmp_path):
    """Unit-level: the sweep on a real instance with a STARTED run whose pid is gone."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(yaml.safe_dump(yaml.safe_load((PROJECT_ROOT / "dagster.yaml").read_text())))
    dead = subprocess.Popen(["true"])
    dead.wait()
    with dg.DagsterInstance.from_config(str(home)) as instance:
        alive_run = instance.create_run_for_job(_job(), tags={"sote/pid": str(os.getpid())})
        dead_run = instance.create_run_for_job(_job(), tags={"sote/pid": str(dead.pid)})
        for run in (alive_run, dead_run):
            instance.handle_run_event(run.run_id, _start_event(run))
        instance.event_log_storage.initialize_concurrency_limit_to_default("duckdb_write")
        assert instance.event_log_storage.claim_concurrency_slot("duckdb_write", dead_run.run_id, "step").is_claimed
        # The daemon's path: the stale_run_sweeper sensor runs the same sweep.
        skip = stale_run_sweeper(dg.build_sensor_context(instance=instance))
        assert skip.skip_message == f"stale-run sweep: marked failed (process gone): {dead_run.run_id}"
        assert instance.get_run_by_id(dead_run.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(alive_run.run_id).status == dg.DagsterRunStatus.STARTED
        assert not instance.event_log_storage.get_concurrency_info("duckdb_write").claimed_slots
        again = sweep_dead_runs(instance)
        assert again.summary() == "no dead runs, no stale pool claims"
        assert [r.run_id for r in again.live] == [alive_run.run_id]


def test_pid_alive_sees_reaped_and_reused_pids():
    child = subprocess.Popen(["true"])
    child.wait()
    assert not pid_alive(child.pid)
    assert pid_alive(os.getpid())
    assert not pid_alive(os.getpid(), not_after=time.time() - 3600 * 24 * 365 * 30), "a pid started after the run is a reuse"


@dg.op
def _noop():
    return None


@dg.job
def _sweep_job():
    _noop()


def _job():
    return _sweep_job


def _start_event(run):
    return dg.DagsterEvent(event_type_value=dg.DagsterEventType.RUN_START.value, job_name=run.job_name)
