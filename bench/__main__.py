"""``python -m bench``: run every benchmark and print each figure with its reference and ratio.

Default scale is the issue's: ingest over 100 indicators x 465 regions x 30 years x 3 genders
(4,185,000 rows, ~380 MB of JSON, generated once into bench/out/archive and reused), fetch of 100
indicators at 100 ms latency, and two full replay runs of ``python -m pipelines.run``. No network:
everything is generated locally or replayed from data/sample. Results also go to
bench/out/results.json. Smaller scales (``--indicators 2 --regions 20 --years 3``) exercise the
same code paths in seconds (tests/test_bench_smoke.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import executors, fetch, full_run, ingest, landing
from bench.common import BENCH_OUT, Figure, print_block, write_results
from bench.gen_archive import ArchiveSpec, generate

BENCHMARKS = ("ingest", "fetch", "full", "landing")
OPTIONAL = ("executors",)  # minutes long: only with --only executors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(BENCHMARKS),
                        help=f"comma list of benchmarks to run (default all: {','.join(BENCHMARKS)})")
    parser.add_argument("--indicators", type=int, default=100, help="indicators (ingest and fetch)")
    parser.add_argument("--regions", type=int, default=465, help="regions per indicator")
    parser.add_argument("--years", type=int, default=30, help="years per indicator in the ingest archive")
    parser.add_argument("--fetch-years", type=int, default=10,
                        help="years the fetch asks for (the pipeline's default window, 2015-2024)")
    parser.add_argument("--latency", type=float, default=0.1, help="loopback latency per response, seconds")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive json+pandas ingest path")
    parser.add_argument("--repeat", type=int, default=3,
                        help="ingest: runs of the pipeline and read_json paths, alternating; the median counts")
    parser.add_argument("--landing-mb", type=int, default=200, help="landing: size of the big delivery, MB")
    parser.add_argument("--landing-limit-mb", type=int, default=None,
                        help="landing: size limit, MB (default: the setting's default, 20)")
    parser.add_argument("--out", type=Path, default=BENCH_OUT, help="work folder (git-ignored bench/out)")
    parser.add_argument("--keep", action="store_true", help="keep the per-run work folders")
    a = parser.parse_args(argv)
    wanted = [b.strip() for b in a.only.split(",") if b.strip()]
    unknown = set(wanted) - set(BENCHMARKS) - set(OPTIONAL)
    if unknown:
        parser.error(f"unknown benchmark(s) {sorted(unknown)}; choose from {BENCHMARKS + OPTIONAL}")

    out = a.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=out))
    print(f"sote-indicators benchmarks: {', '.join(wanted)}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f} at start")
    figures: list[Figure] = []
    details: dict = {}
    started = time.perf_counter()
    try:
        if "ingest" in wanted:
            spec = ArchiveSpec(a.indicators, a.regions, a.years)
            archive = out / f"archive-{spec.indicators}x{spec.regions}x{spec.years}"
            summary = generate(archive, spec)
            print(f"\nGenerated archive (synthetic, not timed): {archive}: {summary['rows']:,} rows, "
                  f"{summary['data_bytes'] / 2**20:.0f} MiB of /json bodies in {spec.indicators} files")
            f, d = ingest.run(archive, spec, work, naive=not a.no_naive, repeat=a.repeat)
            print_block(f"1. Ingest: Sotkanet raw -> staging, {spec.rows:,} rows", f)
            figures += f
            details["ingest"] = d
        if "fetch" in wanted:
            spec = ArchiveSpec(a.indicators, a.regions, a.fetch_years)
            f, d = fetch.run(spec, a.latency, work)
            print_block(f"2. Fetch: live client vs loopback Sotkanet, {spec.indicators} indicators, "
                        f"{a.latency * 1000:.0f} ms latency", f)
            figures += f
            details["fetch"] = d
        if "full" in wanted:
            f, d = full_run.run(work)
            print_block("3-5. Full replay run (python -m pipelines.run), no-change rerun, executor overhead", f)
            print("\n".join(d.pop("lines", [])))
            figures += f
            details["full"] = d
        if "landing" in wanted:
            f, d = landing.run(work, big_mb=a.landing_mb, limit_mb=a.landing_limit_mb)
            print_block(f"6. Landing: a {a.landing_mb} MB personnel delivery, and one at the size limit", f)
            figures += f
            details["landing"] = d
        if "executors" in wanted:
            f, d = executors.run(work)
            print_block("Executor choice: multiprocess vs in process (same job, empty warehouse)", f)
            figures += f
            details["executors"] = d
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    targets = [f for f in figures if f.target]
    print(f"load average at end: {os.getloadavg()[0]:.2f} (other processes on the machine skew timings)")
    verdicts = ", ".join(f"{f.benchmark} / {f.name}: {'MET' if f.met else 'MISSED'}" for f in targets)
    print(f"\nTargets: {sum(bool(f.met) for f in targets)} of {len(targets)} met ({verdicts}); "
          f"benchmarks took {time.perf_counter() - started:.0f} s")
    # The default set writes results.json; a subset writes its own file, so it never hides the full figures.
    results = out / ("results.json" if wanted == list(BENCHMARKS) else f"results-{'-'.join(wanted)}.json")
    write_results(results, figures, {"argv": sys.argv[1:], "details": details, "cpus": os.cpu_count()})
    print(f"Results: {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
