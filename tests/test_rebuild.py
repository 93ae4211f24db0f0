"""A truncated warehouse: the next run says so in plain words and changes nothing; ``sote rebuild``
recreates it from the raw archive and the deliveries accepted earlier from the landing folders,
and republishes exactly the marts that were published before (row for row)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import dagster as dg
import duckdb
import pytest

from pipelines.definitions import build_defs

from pipelines.settings import PROJECT_ROOT
from pipelines.sources.personnel import rows_to_csv
from tests.conftest import copy_of_full_run, failed_checks, run_all
from tests.test_crash_recovery import _env
from tests.test_curated_source import csv_bytes
from tests.test_personnel_reading import sample_rows

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from serving_fingerprint import fingerprint_serving  # noqa: E402


def _sote(root, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], cwd=PROJECT_ROOT, env=_env(root),
                          capture_output=True, text=True, timeout=300)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_truncated_warehouse_is_explained_then_rebuilt_exactly(full_run, tmp_path):
    root = tmp_path / "state"
    settings = copy_of_full_run(full_run, root)
    # one personnel and one curated delivery accepted from the landing folders, on top of the sample
    personnel = settings.landing_path / "personnel"
    curated = settings.landing_path / "curated"
    personnel.mkdir(parents=True, exist_ok=True)
    curated.mkdir(parents=True, exist_ok=True)
    (personnel / "henkilostokertomus_08_2024_korjattu.csv").write_bytes(rows_to_csv(sample_rows("08", 2024, sick_days=17000.0)))
    (curated / "arviot_2024_lisays.csv").write_bytes(csv_bytes("21;2024;2.2.2-01;;;3;;THL 2025 report p. 14;SYNTHETIC test row;true"))
    landing_chain = dg.AssetSelection.assets(dg.AssetKey(["raw", "personnel_deliveries"]), dg.AssetKey(["raw", "curated_deliveries"]))
    result = run_all(settings, selection=[k for k in landing_chain.downstream().resolve(build_defs(settings).get_repository_def().asset_graph)
                                          if k != dg.AssetKey(["reports", "objective_reports"])])  # the charts: not marts
    assert result.success, failed_checks(result)
    assert sorted(p.name for p in (personnel / "processed").iterdir()) == ["henkilostokertomus_08_2024_korjattu.csv"]
    assert sorted(p.name for p in (curated / "processed").iterdir()) == ["arviot_2024_lisays.csv"]
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        landed = con.execute(
            "SELECT count(*) FROM marts.measure_values WHERE source = 'personnel_report' AND region_code = '08' "
            "AND year = 2024 AND measure_key = '2.1.2-04' AND breakdown = 'total' AND value IS NOT NULL "
            "AND abs(value - 17000.0 / 1104.25) < 1e-9").fetchone()[0]
    assert landed == 1, "the landed personnel delivery reached the marts"
    published = fingerprint_serving(settings.serving_path)
    serving_bytes = _digest(settings.serving_path)

    warehouse = settings.warehouse_path
    truncated_size = warehouse.stat().st_size // 2
    os.truncate(warehouse, truncated_size)
    run = subprocess.run([sys.executable, "-m", "pipelines.run"], cwd=PROJECT_ROOT, env=_env(root),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 3, run.stdout + run.stderr
    assert f"The warehouse file {warehouse} cannot be opened: it is truncated or damaged" in run.stderr
    assert "sote rebuild" in run.stderr and str(settings.serving_path) in run.stderr
    assert _digest(settings.serving_path) == serving_bytes, "BI users keep the last good publication"

    rebuilt = _sote(root, "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:] + rebuilt.stderr[-3000:]
    assert "the old warehouse is kept as" in rebuilt.stdout
    kept = [p for p in warehouse.parent.iterdir() if p.name.startswith(warehouse.name + ".damaged-")]
    assert len(kept) == 1 and kept[0].stat().st_size == truncated_size, "the damaged file is kept for inspection"
    # the same figures; the history gains the rebuild's row, and nothing counts as revised
    history = {"meta.publication", "marts.value_revisions"}
    after = fingerprint_serving(settings.serving_path)
    assert {k: v for k, v in after.items() if k not in history} == {k: v for k, v in published.items() if k not in history}
    assert after["meta.publication"]["rows"] == published["meta.publication"]["rows"] + 1
    assert after["marts.value_revisions"]["rows"] == 0
