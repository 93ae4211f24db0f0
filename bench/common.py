"""Shared plumbing: child processes with their own peak RSS, figure lines, result files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipelines.settings import PROJECT_ROOT

BENCH_OUT = PROJECT_ROOT / "bench" / "out"  # git-ignored; generated archives and results live here
RESULT_MARKER = "BENCH-RESULT "  # a child prints one line "BENCH-RESULT {json}" as its last word


def peak_rss_bytes() -> int:
    """This process's peak resident set size so far (VmHWM), in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    import resource  # not Linux: ru_maxrss is in KiB on Linux, bytes on macOS

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)


def emit_result(result: dict) -> None:
    """Called by a child at its end: its figures plus its own peak RSS, on one marked line."""
    result = {**result, "peak_rss_bytes": peak_rss_bytes()}
    print(RESULT_MARKER + json.dumps(result, default=str), flush=True)


@dataclass
class ChildRun:
    """Outcome of one child process: its result dict, wall time and kernel-reported peak RSS."""

    result: dict
    wall_s: float
    max_rss_bytes: int
    returncode: int
    cpu_s: float = 0.0  # user + system CPU of the child: less sensitive to other load than wall time
    stdout: str = field(repr=False, default="")


def run_child(args: list[str], *, env: dict[str, str] | None = None, expect_result: bool = True,
              timeout_s: float = 1800, log_path: Path | None = None, check: bool = True) -> ChildRun:
    """Run ``python <args>`` in a fresh process and reap it with ``os.wait4``.

    ``wait4`` gives the peak RSS of exactly this child (the kernel's ru_maxrss), unlike
    ``RUSAGE_CHILDREN`` which keeps the maximum over every child the harness ever ran. A child
    that calls ``emit_result`` also reports its own VmHWM and figures on a marked output line.
    """
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), full_env.get("PYTHONPATH")) if p)
    log_path = log_path or (BENCH_OUT / "logs" / f"child-{os.getpid()}-{time.monotonic_ns()}.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, *args], cwd=PROJECT_ROOT, env=full_env, stdout=log,
                                stderr=subprocess.STDOUT)
        deadline = started + timeout_s
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise RuntimeError(f"`python {' '.join(args)}` did not finish within {timeout_s:.0f} s; log: {log_path}")
            time.sleep(0.01)
    wall = time.perf_counter() - started
    proc.returncode = returncode = os.waitstatus_to_exitcode(status)
    output = log_path.read_text(errors="replace")
    result: dict = {}
    for line in output.splitlines():
        if line.startswith(RESULT_MARKER):
            result = json.loads(line[len(RESULT_MARKER):])
    if check and (returncode != 0 or (expect_result and not result)):
        tail = "\n".join(output.strip().splitlines()[-30:])
        raise RuntimeError(f"benchmark child `python {' '.join(args)}` failed (exit {returncode}); log {log_path}:\n{tail}")
    return ChildRun(result=result, wall_s=wall, max_rss_bytes=usage.ru_maxrss * 1024, returncode=returncode,
                    stdout=output, cpu_s=usage.ru_utime + usage.ru_stime)


@dataclass
class Figure:
    """One printed comparison: a measured figure, its reference from the same run, and the target."""

    benchmark: str
    name: str
    value: float
    unit: str
    reference_name: str | None = None
    reference: float | None = None
    target: str | None = None
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.reference in (None, 0):
            return None
        return self.value / self.reference

    def line(self) -> str:
        text = f"  {self.name:<38} {_fmt(self.value)} {self.unit}"
        if self.reference is not None:
            text += f" | reference {self.reference_name}: {_fmt(self.reference)} {self.unit} | ratio {self.ratio:.2f}x"
        if self.target:
            text += f" | target {self.target}: {'MET' if self.met else 'MISSED'}"
        if self.note:
            text += f" ({self.note})"
        return text

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio}


def _fmt(v: float) -> str:
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) >= 100):
        return f"{int(v):,}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}" if abs(v) < 1 else f"{v:.2f}"


def print_block(title: str, figures: list[Figure]) -> None:
    print(f"\n== {title}")
    for f in figures:
        print(f.line())
    sys.stdout.flush()


def write_results(path: Path, figures: list[Figure], context: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"context": context, "figures": [f.as_dict() for f in figures]}, indent=2, default=str))
