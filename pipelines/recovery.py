"""Crash recovery: a run whose process is gone holds nothing.

A run killed with ``kill -9`` stays STARTED in the Dagster instance and keeps its ``duckdb_write``
pool slot, so every later run waits for a slot that is never freed. Dagster's run monitoring cannot
see a dead in-process worker with the default run launcher (see docs/operations.md), so we sweep:

- every in-progress run carries the pid of the process executing it (our ``sote/pid`` tag for
  ``python -m pipelines.run``; the pid on the RUN_START event for daemon-launched runs);
- a run whose process no longer exists on this host is marked FAILURE with a message saying so,
  and its pool slots are freed;
- slots held by runs that have already ended (or no longer exist) are freed as well.

The sweep runs at the start of every ``python -m pipelines.run`` and every minute in the daemon
(``stale_run_sweeper`` sensor), so both entry points recover without a person.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timezone

import dagster as dg
from dagster._core.storage.dagster_run import IN_PROGRESS_RUN_STATUSES

HOST_TAG = "sote/host"
PID_TAG = "sote/pid"
# A run that never reached RUN_START (no pid known) is considered dead after this long.
STARTING_GRACE_S = 120.0


def this_host() -> str:
    return socket.gethostname()


def process_tags() -> dict[str, str]:
    """Tags identifying the current process, for runs executed in it."""
    return {HOST_TAG: this_host(), PID_TAG: str(os.getpid())}


def _boot_time() -> float | None:
    try:
        with open("/proc/stat") as f:
            for line in f:
                if line.startswith("btime "):
                    return float(line.split()[1])
    except OSError:
        return None
    return None


def _proc_info(pid: int) -> tuple[str, float | None] | None:
    """(state, start time as epoch seconds) of a Linux process, or None without /proc."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            raw = f.read()
    except FileNotFoundError:
        return ("gone", None)
    except OSError:
        return None
    # The command name (field 2) may contain spaces; the fields after its closing ')' are fixed.
    fields = raw[raw.rindex(")") + 2:].split()
    state, start_ticks = fields[0], int(fields[19])
    boot = _boot_time()
    started = boot + start_ticks / os.sysconf("SC_CLK_TCK") if boot is not None else None
    return state, started


def pid_alive(pid: int, not_after: float | None = None) -> bool:
    """Whether ``pid`` is a live process, and (if known) one started no later than ``not_after``.

    The start-time test guards against pid reuse: a new process that got the dead run's pid
    started after the run did.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    info = _proc_info(pid)
    if info is None:
        return True
    state, started = info
    if state in ("gone", "Z", "X"):
        return False
    if not_after is not None and started is not None and started > not_after + 5:
        return False
    return True


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    job_name: str
    status: str
    started: datetime | None
    pid: int | None
    host: str | None

    def describe(self) -> str:
        when = self.started.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z") if self.started else "not yet started"
        where = f", pid {self.pid}" + (f" on {self.host}" if self.host else "") if self.pid else ""
        return f"run {self.run_id} ({self.job_name}, {self.status.lower()}, started {when}{where})"


def _run_info(instance: dg.DagsterInstance, record) -> RunInfo:
    run = record.dagster_run
    pid = int(run.tags[PID_TAG]) if run.tags.get(PID_TAG, "").isdigit() else None
    if pid is None:
        # Daemon-launched runs: the run worker's pid is on its RUN_START event (later events may
        # come from the launcher, so do not take the latest one).
        starts = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.RUN_START, limit=1).records
        if starts and starts[0].event_log_entry.dagster_event is not None:
            pid = starts[0].event_log_entry.dagster_event.pid
    start_ts = record.start_time or record.create_timestamp.timestamp()
    return RunInfo(
        run_id=run.run_id,
        job_name=run.job_name,
        status=run.status.value,
        started=datetime.fromtimestamp(start_ts, tz=timezone.utc) if start_ts else None,
        pid=pid,
        host=run.tags.get(HOST_TAG),
    )


def _is_dead(info: RunInfo, record) -> bool:
    if info.host is not None and info.host != this_host():
        return False  # cannot see another machine's processes; its own sweep handles it
    if info.pid is None:
        age = time.time() - record.create_timestamp.timestamp()
        return info.status == "STARTING" and age > STARTING_GRACE_S
    return not pid_alive(info.pid, info.started.timestamp() if info.started else None)


@dataclass
class SweepReport:
    failed_runs: list[str]
    freed_slot_runs: list[str]
    live: list[RunInfo]  # in-progress runs whose process is alive

    def summary(self) -> str:
        if not self.failed_runs and not self.freed_slot_runs:
            return "no dead runs, no stale pool claims"
        parts = []
        if self.failed_runs:
            parts.append("marked failed (process gone): " + ", ".join(self.failed_runs))
        if self.freed_slot_runs:
            parts.append("freed pool slots of: " + ", ".join(self.freed_slot_runs))
        return "; ".join(parts)


def sweep_dead_runs(instance: dg.DagsterInstance) -> SweepReport:
    """Mark in-progress runs whose process is gone as failed; free pool slots nobody holds."""
    report = SweepReport([], [], [])
    records = instance.get_run_records(dg.RunsFilter(statuses=list(IN_PROGRESS_RUN_STATUSES)))
    for record in records:
        info = _run_info(instance, record)
        if not _is_dead(info, record):
            report.live.append(info)
            continue
        where = f"pid {info.pid}" if info.pid else "no process recorded"
        instance.report_run_failed(
            record.dagster_run,
            f"Marked failed by the stale-run sweep: its process ({where}) no longer exists "
            "(killed or crashed). Its pool slots were freed.",
        )
        instance.event_log_storage.free_concurrency_slots_for_run(info.run_id)
        report.failed_runs.append(info.run_id)
    storage = instance.event_log_storage
    if storage.supports_global_concurrency_limits:
        for run_id in sorted(storage.get_concurrency_run_ids() - {r.run_id for r in report.live}):
            if run_id in report.failed_runs:
                continue
            storage.free_concurrency_slots_for_run(run_id)
            report.freed_slot_runs.append(run_id)
    return report

