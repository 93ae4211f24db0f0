"""Benchmark 6, landing: what a big personnel delivery costs.

A generated personnel CSV (SYNTHETIC rows in the delivery format, every row's year outside the
window, so every row is a problem) is dropped into an empty landing folder and ingested through
``pipelines.sources.personnel.ingest.ingest``, the code the asset runs, each case in its own process:

- ``oversized``: the big file (default 200 MB) with the default size limit: refused unread.
- ``at_limit``: the same content cut to the limit (default 20 MB): read, parsed, every row
  validated, rejected with a capped report.
- ``reference``: streaming sha256 of the big file, the least any landing folder must do with it.

Figures: wall and CPU time, peak RSS (target <= 1 GiB) and report size (target <= 16 KB).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Figure, emit_result, run_child

GIB = 1024**3
MB = 1_000_000


def generate(path: Path, size: int) -> int:
    """Write a SYNTHETIC personnel CSV of at least ``size`` bytes; returns its data rows."""
    from pipelines.sources.personnel import rows_to_csv
    from tests.test_personnel_reading import sample_rows

    block = rows_to_csv(sample_rows("08", 2031))  # year 2031: outside every window, one problem per row
    header, body = block.split(b"\n", 1)
    rows_per_block = body.count(b"\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    written, rows = 0, 0
    with path.open("wb") as fh:
        fh.write(header + b"\n")
        while written < size:
            fh.write(body)
            written += len(body)
            rows += rows_per_block
    return rows


def _settings(work: Path, max_bytes: int | None):
    from pipelines.settings import get_settings

    extra = {"landing_max_bytes": max_bytes} if max_bytes else {}
    return get_settings(warehouse_path=work / "warehouse.duckdb", serving_path=work / "serving.duckdb",
                        archive_path=work / "archive", report_path=work / "reports", landing_path=work / "landing",
                        landing_settle_seconds=0, **extra)


def child_ingest(source_file: Path, work: Path, max_bytes: int | None) -> dict:
    import shutil

    from pipelines.archive import RawArchive
    from pipelines.sources.personnel.ingest import ingest
    from pipelines.warehouse import connect

    settings = _settings(work, max_bytes)
    folder = Path(settings.landing_path) / "personnel"
    folder.mkdir(parents=True)
    shutil.copyfile(source_file, folder / source_file.name)  # not timed
    t, c = time.perf_counter(), time.process_time()
    with connect(settings.warehouse_path, settings=settings) as con:
        outcome = ingest(con, settings, runtime=RawArchive(settings.archive_path), replay=None)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    report = folder / "quarantine" / f"{source_file.name}.errors.txt"
    return {"seconds": wall, "cpu_seconds": cpu, "rejected": outcome.rejected, "report_bytes": report.stat().st_size,
            "report_json_bytes": report.with_name(report.name.replace(".txt", ".json")).stat().st_size,
            "report_head": report.read_text(encoding="utf-8").splitlines()[:1]}


def child_reference(source_file: Path, work: Path, max_bytes: int | None) -> dict:
    from pipelines.archive import hash_file

    t, c = time.perf_counter(), time.process_time()
    hash_file(source_file)
    return {"seconds": time.perf_counter() - t, "cpu_seconds": time.process_time() - c}


CHILDREN = {"ingest": child_ingest, "reference": child_reference}


def _child(kind: str, source_file: Path, work_root: Path, max_bytes: int | None = None) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"landing-{kind}-", dir=work_root))
    args = ["-m", "bench.landing", "--child", kind, "--file", str(source_file), "--work", str(work)]
    child = run_child(args + (["--max-bytes", str(max_bytes)] if max_bytes else []), log_path=work / "child.log")
    return {**child.result, "max_rss_bytes": child.max_rss_bytes, "process_cpu_s": child.cpu_s}


def run(work_root: Path, *, big_mb: int = 200, limit_mb: int | None = None) -> tuple[list[Figure], dict]:
    from pipelines.settings import Settings

    limit = limit_mb * MB if limit_mb else Settings.model_fields["landing_max_bytes"].default
    big = work_root / "landing-input" / "henkilosto_iso_SYNTHETIC.csv"
    at_limit = work_root / "landing-input" / "henkilosto_rajalla_SYNTHETIC.csv"
    big_rows = generate(big, big_mb * MB)
    with big.open("rb") as src, at_limit.open("wb") as dst:  # cut at a row boundary below the limit
        chunk = src.read(limit)
        dst.write(chunk[: chunk.rfind(b"\n") + 1])
    results = {
        "reference": _child("reference", big, work_root),
        "oversized": _child("ingest", big, work_root, limit if limit_mb else None),
        "at_limit": _child("ingest", at_limit, work_root, limit if limit_mb else None),
    }
    ref, over, near = results["reference"], results["oversized"], results["at_limit"]
    figures = [
        Figure("landing", f"{big.stat().st_size / MB:.0f} MB delivery: refused unread", over["seconds"], "s",
               "streaming sha256 of it", ref["seconds"], None, None,
               f"CPU {over['cpu_seconds']:.2f} s vs {ref['cpu_seconds']:.2f} s; {big_rows:,} rows never parsed"),
        Figure("landing", f"{big.stat().st_size / MB:.0f} MB delivery: peak RSS", over["max_rss_bytes"] / 2**20, "MiB",
               None, None, "<= 1024 MiB", over["max_rss_bytes"] <= GIB),
        Figure("landing", f"{big.stat().st_size / MB:.0f} MB delivery: report size", over["report_bytes"], "bytes",
               None, None, "<= 16 KB", over["report_bytes"] <= 16_000, f"json {over['report_json_bytes']} bytes"),
        Figure("landing", f"{at_limit.stat().st_size / MB:.0f} MB delivery (the limit): parsed, rejected",
               near["seconds"], "s", "streaming sha256 of the 200 MB file", ref["seconds"], None, None,
               f"CPU {near['cpu_seconds']:.2f} s"),
        Figure("landing", f"{at_limit.stat().st_size / MB:.0f} MB delivery: peak RSS", near["max_rss_bytes"] / 2**20,
               "MiB", None, None, "<= 1024 MiB", near["max_rss_bytes"] <= GIB),
        Figure("landing", f"{at_limit.stat().st_size / MB:.0f} MB delivery: report size", near["report_bytes"], "bytes",
               None, None, "<= 16 KB", near["report_bytes"] <= 16_000, f"json {near['report_json_bytes']} bytes"),
    ]
    return figures, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.landing")
    parser.add_argument("--child", choices=sorted(CHILDREN), required=True)
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--max-bytes", type=int, default=None)
    a = parser.parse_args(argv)
    a.work.mkdir(parents=True, exist_ok=True)
    emit_result(CHILDREN[a.child](a.file, a.work, a.max_bytes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
