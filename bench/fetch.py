"""Benchmark 2, fetch: the Sotkanet client in live mode against a loopback server with fixed latency.

The server (``bench.loopback``) runs in its own process and adds ``latency`` to every response.
The client runs in another process exactly as the raw asset runs it in live mode: the same
``SotkanetClient``, the configured ``http_concurrency`` (default 4), archiving every body into a
runtime archive. Reference: the ideal time = requests made (metadata included) x latency /
concurrency. The server counts every request, so repeats would show.
A second pass on the same runtime archive (no data changed) shows the polite re-fetch: metadata
only, data skipped because ``data-updated`` is unchanged.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import Figure, emit_result, run_child
from bench.gen_archive import ArchiveSpec
from pipelines.settings import PROJECT_ROOT


def child_client(base_url: str, runtime: Path, spec: ArchiveSpec, concurrency: int | None, passes: int) -> dict:
    from pipelines.archive import RawArchive
    from pipelines.settings import get_settings
    from pipelines.sources.sotkanet import SotkanetClient

    overrides = dict(source_mode="live", sotkanet_base_url=base_url, archive_path=runtime,
                     year_start=spec.year_list[0], year_end=spec.year_list[-1])
    if concurrency:
        overrides["http_concurrency"] = concurrency
    settings = get_settings(**overrides)
    out = {"concurrency": settings.http_concurrency, "passes": []}
    for _ in range(passes):
        client = SotkanetClient(settings, live=True, runtime=RawArchive(runtime))
        t = time.perf_counter()
        report = client.fetch_all(spec.indicator_ids, settings.years)
        out["passes"].append({"seconds": time.perf_counter() - t, "requests": report.stats.requests,
                              "retries": report.stats.retries, "skipped_unchanged": report.stats.skipped_unchanged,
                              "payloads": len(report.payloads),
                              "data_bytes": sum(p.path.stat().st_size for p in report.payloads if p.kind == "data")})
    return out


class LoopbackProcess:
    """Starts ``python -m bench.loopback`` and stops it (it also stops by itself after max_seconds)."""

    def __init__(self, spec: ArchiveSpec, latency: float, max_seconds: float = 900):
        self.args = [sys.executable, "-m", "bench.loopback", "--indicators", str(spec.indicators),
                     "--regions", str(spec.regions), "--years", str(spec.years), "--latency", str(latency),
                     "--max-seconds", str(max_seconds)]

    def __enter__(self) -> "LoopbackProcess":
        self.proc = subprocess.Popen(self.args, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True,
                                     env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
        line = self.proc.stdout.readline()
        if not line.startswith("LISTENING "):
            self.proc.kill()
            raise RuntimeError(f"loopback Sotkanet did not start (said {line!r})")
        self.base_url = line.split()[1]
        self.root = self.base_url.rsplit("/rest/", 1)[0]
        return self

    def stats(self) -> dict:
        with urllib.request.urlopen(f"{self.root}/__stats", timeout=10) as r:
            return json.loads(r.read())

    def __exit__(self, *exc) -> None:
        try:
            urllib.request.urlopen(f"{self.root}/__shutdown", timeout=10).read()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()


def run(spec: ArchiveSpec, latency: float, work_root: Path, concurrency: int | None = None) -> tuple[list[Figure], dict]:
    runtime = Path(tempfile.mkdtemp(prefix="fetch-runtime-", dir=work_root))
    with LoopbackProcess(spec, latency) as server:
        args = ["-m", "bench.fetch", "--child", "--base-url", server.base_url, "--runtime", str(runtime),
                "--indicators", str(spec.indicators), "--regions", str(spec.regions), "--years", str(spec.years),
                "--passes", "1"]
        if concurrency:
            args += ["--concurrency", str(concurrency)]
        first = run_child(args, log_path=runtime / "client-1.log")
        stats_first = server.stats()
        second = run_child(args, log_path=runtime / "client-2.log")  # same runtime archive, nothing changed
        stats_both = server.stats()
    c = first.result["concurrency"]
    p1, p2 = first.result["passes"][0], second.result["passes"][0]
    served1 = stats_first["requests"]
    served2 = stats_both["requests"] - served1
    expected = 1 + 2 * spec.indicators  # /regions + per indicator: metadata + data
    ideal1 = served1 * latency / c
    ideal2 = served2 * latency / c
    ok1 = p1["seconds"] <= 1.25 * ideal1 and stats_first["repeated_requests"] == 0 and stats_first["max_in_flight"] <= c
    figures = [
        Figure("fetch", "requests made (server count)", served1, "requests", "expected 1 + 2 x indicators", expected,
               note=f"client counted {p1['requests']}, repeated {stats_first['repeated_requests']}, retries "
                    f"{p1['retries']}, max in flight {stats_first['max_in_flight']} (concurrency setting {c}), "
                    f"{p1['data_bytes'] / 2**20:.0f} MiB of data archived"),
        Figure("fetch", f"live fetch, latency {latency * 1000:.0f} ms", p1["seconds"], "s",
               f"ideal {served1} x {latency:g} s / {c}", ideal1, "<= 1.25x ideal, no repeats, bounded", ok1),
        Figure("fetch", "no-change re-fetch (data-updated same)", p2["seconds"], "s",
               f"ideal {served2} x {latency:g} s / {c}", ideal2, None, None,
               f"{served2} requests, {p2['skipped_unchanged']} data downloads skipped; context"),
    ]
    return figures, {"first": first.result, "second": second.result, "server_first": stats_first,
                     "server_total": stats_both, "latency_s": latency, "expected_requests": expected,
                     "ideal_lower_bound_s": math.ceil(served1 / c) * latency}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fetch")
    parser.add_argument("--child", action="store_true", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--runtime", type=Path, required=True)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--regions", type=int, default=465)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=None)
    parser.add_argument("--passes", type=int, default=1)
    a = parser.parse_args(argv)
    emit_result(child_client(a.base_url, a.runtime, ArchiveSpec(a.indicators, a.regions, a.years), a.concurrency,
                             a.passes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
