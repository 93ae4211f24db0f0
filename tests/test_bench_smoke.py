"""Smoke test of the benchmark harness (bench/): the same code paths as ``python -m bench`` at a
tiny scale, so they cannot rot. No timing is asserted; figures must be printed and counts exact."""

import json
import subprocess
import sys

import httpx
import pytest

from bench.fetch import LoopbackProcess
from bench.gen_archive import ArchiveSpec, generate
from pipelines.archive import RawArchive
from pipelines.settings import PROJECT_ROOT

SPEC = ArchiveSpec(indicators=2, regions=20, years=3)


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--only", "ingest,fetch", "--indicators", "2", "--regions", "20",
         "--years", "3", "--fetch-years", "3", "--latency", "0.01", "--out", str(out)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out, proc.stdout, json.loads((out / "results-ingest-fetch.json").read_text())


def figure(results, name):
    return next(f for f in results["figures"] if f["name"].startswith(name))


def test_generated_archive_is_sotkanet_shaped_and_labelled_synthetic(tmp_path):
    summary = generate(tmp_path / "a", SPEC)
    assert summary["rows"] == 2 * 20 * 3 * 3 and summary["synthetic"] is True
    archive = RawArchive(tmp_path / "a", writable=False)
    entries = archive.entries("sotkanet")
    assert [e.meta["kind"] for e in entries] == ["regions"] + ["indicator", "data"] * 2
    assert all(e.synthetic for e in entries)
    rows = json.loads(archive.read(entries[2]))
    assert len(rows) == 20 * 3 * 3
    assert set(rows[0]) >= {"indicator", "region", "year", "gender", "value"}
    # Years repeated per value in the archived request, as the client asks.
    assert [v for k, v in entries[2].params if k == "years"] == ["2022", "2023", "2024"]


@pytest.mark.slow  # a real `python -m bench` process
def test_ingest_prints_figures_with_reference_and_exact_rows(bench_run):
    _, stdout, results = bench_run
    assert "1. Ingest: Sotkanet raw -> staging, 360 rows" in stdout
    for name in ("pipeline staging throughput", "pipeline process peak RSS", "naive json+pandas throughput"):
        line = next(ln for ln in stdout.splitlines() if name in ln)
        assert "| reference " in line and "| ratio " in line, line
    assert figure(results, "rows ingested")["value"] == 360
    details = results["context"]["details"]["ingest"]
    assert details["pipeline"]["rows"] == details["reference"]["rows"] == details["naive"]["rows"] == 360
    assert details["pipeline"]["unmatched_regions"] == 0  # every row joined to the /regions list
    assert details["pipeline"]["max_rss_bytes"] > 0


@pytest.mark.slow  # a real `python -m bench` process
def test_fetch_counts_every_request_once_and_prints_ideal(bench_run):
    _, stdout, results = bench_run
    requests = figure(results, "requests made")
    assert requests["value"] == requests["reference"] == 1 + 2 * 2
    fetch = results["context"]["details"]["fetch"]
    assert fetch["server_first"]["repeated_requests"] == 0
    assert fetch["server_first"]["max_in_flight"] <= fetch["first"]["concurrency"] == 4
    assert fetch["second"]["passes"][0]["skipped_unchanged"] == 2  # data-updated unchanged: no data re-download
    live = figure(results, "live fetch")
    assert live["reference"] == pytest.approx(5 * 0.01 / 4)
    assert "ideal 5 x 0.01 s / 4" in stdout and "| ratio " in stdout
    assert "Targets:" in stdout


def test_loopback_speaks_sotkanet_rules():
    with LoopbackProcess(ArchiveSpec(1, 5, 2), latency=0.0, max_seconds=60) as server:
        ua = {"User-Agent": "sote-indicators-test"}
        ok = httpx.get(f"{server.base_url}/json", params=[("indicator", "90001"), ("years", "2023"),
                                                          ("years", "2024"), ("genders", "total")], headers=ua)
        assert ok.status_code == 200 and len(ok.json()) == 5 * 2
        comma = httpx.get(f"{server.base_url}/json", params=[("indicator", "90001"), ("years", "2023,2024"),
                                                             ("genders", "total")], headers=ua)
        assert comma.status_code == 400
        assert httpx.get(f"{server.base_url}/regions").status_code == 403  # httpx's default User-Agent
        meta = httpx.get(f"{server.base_url}/indicators/90001", headers=ua).json()
        assert meta["classifications"]["sex"]["values"] == ["male", "female", "total"] and "data-updated" in meta
        assert server.stats()["requests"] == 4


@pytest.mark.slow
def test_full_run_benchmark_reads_the_event_log(tmp_path):
    """Benchmarks 3-5 on the bundled sample: two real `python -m pipelines.run` processes."""
    from bench.full_run import run

    figures, details = run(tmp_path)
    names = [f.name for f in figures]
    assert names[:3] == ["full replay run, process wall", "full replay run, peak RSS", "rerun, process wall"]
    first, second = details["first"], details["second"]
    assert first["success"] and second["success"], first["problems"] + second["problems"]
    assert first["step_count"] > 10 and 0 < first["step_sum_s"] <= first["job_s"]
    assert first["max_rss_bytes"] > 0 and first["process_cpu_s"] > 0
    # Nothing changed between the runs: no payload parsed again, no table that reports it rebuilt.
    assert second["payloads_parsed"] == 0 and second["rebuilt"] == []
    assert "staging/sotkanet_observations" in first["rebuilt"] and "staging/sotkanet_observations" in second["unchanged"]
    # Every asset shows its input fingerprint as data version in the UI; unchanged inputs, same versions.
    assert first["data_versions"] and all(first["data_versions"].values()), first["data_versions"]
    assert second["data_versions"] == first["data_versions"]
    assert all(" | reference " in f.line() for f in figures if f.reference is not None)


@pytest.mark.slow
def test_landing_benchmark_refuses_the_big_file_and_caps_the_report(tmp_path):
    from bench import landing

    figures, results = landing.run(tmp_path, big_mb=3, limit_mb=1)
    assert results["oversized"]["rejected"] == ["henkilosto_iso_SYNTHETIC.csv"]
    assert results["at_limit"]["rejected"] == ["henkilosto_rajalla_SYNTHETIC.csv"]
    assert "NOT loaded" in results["oversized"]["report_head"][0]
    assert {f.name.split(": ")[-1] for f in figures} >= {"peak RSS", "report size", "refused unread"}
    assert all(f.met for f in figures if f.target and "report size" in f.name)
