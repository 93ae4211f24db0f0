"""Invalid settings stop README command 1 before any work: at most two lines, the variable named, exit != 0."""

import os
import subprocess
import sys
from datetime import date

import pytest

from pipelines.settings import PROJECT_ROOT, SettingsError, get_settings

NEXT_YEAR = str(date.today().year + 1)

INVALID = [
    ({"SOTE_HTTP_CONCURRENCY": "abc"}, "SOTE_HTTP_CONCURRENCY", "whole number"),
    ({"SOTE_HTTP_CONCURRENCY": "0"}, "SOTE_HTTP_CONCURRENCY", "from 1 to 32"),
    ({"SOTE_YEAR_START": "2024", "SOTE_YEAR_END": "2020"}, "SOTE_YEAR_START", "start <= end"),
    ({"SOTE_SOURCE_MODE": "bogus"}, "SOTE_SOURCE_MODE", "replay, live"),
    ({"SOTE_DUCKDB_MEMORY_LIMIT": "lots"}, "SOTE_DUCKDB_MEMORY_LIMIT", "2GB"),
    ({"SOTE_YEAR_END": NEXT_YEAR}, "SOTE_YEAR_END", "has not begun"),
    ({"SOTE_YEAR_START": "1800"}, "SOTE_YEAR_START", "1990"),
    ({"SOTE_HTTP_TIMEOUT_S": "-3"}, "SOTE_HTTP_TIMEOUT_S", "greater than 0"),
    ({"SOTE_DUCKDB_THREADS": "many"}, "SOTE_DUCKDB_THREADS", "whole number"),
    ({"SOTE_SOTKANET_BASE_URL": "sotkanet.fi"}, "SOTE_SOTKANET_BASE_URL", "https://"),
    ({"SOTE_WAREHOUSE_PATH": "README.md/warehouse.duckdb"}, "SOTE_WAREHOUSE_PATH", "not a folder"),
    ({"SOTE_REPLAY_PATH": "no/such/archive"}, "SOTE_REPLAY_PATH", "existing folder"),
]


def _env(tmp_path, extra: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOTE_")}
    env.update(DAGSTER_HOME=str(tmp_path / "dagster_home"), SOTE_WAREHOUSE_PATH=str(tmp_path / "w.duckdb"),
               SOTE_SERVING_PATH=str(tmp_path / "s.duckdb"), SOTE_ARCHIVE_PATH=str(tmp_path / "archive"),
               SOTE_REPORT_PATH=str(tmp_path / "reports"), SOTE_LANDING_PATH=str(tmp_path / "landing"))
    env.update(extra)
    return env


@pytest.mark.parametrize("extra,variable,allowed", INVALID, ids=[next(iter(e)) + "=" + next(iter(e.values())) for e, _, _ in INVALID])
def test_invalid_setting_gives_one_clear_line(tmp_path, extra, variable, allowed):
    proc = subprocess.run([sys.executable, "-m", "pipelines.run"], cwd=PROJECT_ROOT, env=_env(tmp_path, extra),
                          capture_output=True, text=True, timeout=60)
    output = (proc.stdout + proc.stderr).strip().splitlines()
    assert proc.returncode == 2, output
    assert 1 <= len(output) <= 2, output
    assert variable in output[0] and allowed in output[0], output
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "w.duckdb").exists(), "no work may start with invalid settings"


def test_code_location_load_gives_the_same_words(tmp_path):
    """Dagster loading the code location (dagster dev, the daemon) fails with the same sentence."""
    proc = subprocess.run([sys.executable, "-c", "import pipelines.definitions"], cwd=PROJECT_ROOT,
                          env=_env(tmp_path, {"SOTE_HTTP_CONCURRENCY": "abc"}), capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    expected = "Invalid setting SOTE_HTTP_CONCURRENCY='abc': expected a whole number from 1 to 32."
    assert proc.stderr.strip().splitlines()[-1] == f"pipelines.settings.SettingsError: {expected}"


def test_every_problem_is_listed_once(tmp_path):
    with pytest.raises(SettingsError) as err:
        get_settings(http_concurrency="abc", source_mode="bogus", warehouse_path=tmp_path / "w.duckdb")
    assert [line.split("=")[0] for line in err.value.lines] == [
        "Invalid setting SOTE_SOURCE_MODE", "Invalid setting SOTE_HTTP_CONCURRENCY"]


def test_valid_edge_values_are_accepted(tmp_path):
    s = get_settings(year_start=date.today().year, year_end=date.today().year, duckdb_memory_limit="50%",
                     warehouse_path=tmp_path / "new" / "deeper" / "w.duckdb")
    assert s.years == [date.today().year]
    assert get_settings(duckdb_memory_limit="512MiB").duckdb_memory_limit == "512MiB"
