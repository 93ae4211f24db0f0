"""Publication history and revisions: a second publication whose source revised exactly three
values lists exactly those three in marts.value_revisions (with both payload hashes and both
publications), and an unchanged run adds a history row without changing the figures."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from pipelines.publishing import record_unchanged_check
from pipelines.revise import revise_sotkanet
from pipelines.settings import PROJECT_ROOT
from tests.conftest import copy_of_full_run, failed_checks, run_all

SAMPLE = PROJECT_ROOT / "data" / "sample"


def test_first_publication_has_no_revisions_and_one_history_row(full_run):
    settings, result = full_run
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM marts.value_revisions").fetchone()[0] == 0
        rows = con.execute("SELECT run_id, content_changed, content_run_id, checked_at = published_at FROM meta.publication").fetchall()
    assert rows == [(result.run_id, True, result.run_id, True)]
    assert "first publication" in (settings.report_path / "changes.html").read_text(encoding="utf-8")


@pytest.mark.slow  # two more full runs
def test_three_revised_values_give_exactly_three_revision_rows(full_run, tmp_path):
    first_settings, first = full_run
    with duckdb.connect(str(first_settings.warehouse_path), read_only=True) as con:
        ids = dict(con.execute("SELECT sotkanet_id, region_code FROM reference.regions WHERE region_level = 'wellbeing_area' "
                               "AND region_code IN ('08', '19', '20')").fetchall())
    changed = revise_sotkanet(SAMPLE, tmp_path / "revised", indicator=5028, count=3, delta=1.0,
                              region_ids=list(ids), max_year=first_settings.year_end)
    settings = copy_of_full_run(full_run, tmp_path / "state", replay_path=tmp_path / "revised")
    second = run_all(settings)
    assert second.success, failed_checks(second)
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        revisions = con.execute(
            "SELECT measure_key, source_ref, region_level, region_code, year, breakdown, old_value, new_value, "
            "old_publication_run_id, new_publication_run_id, old_payload_sha256, new_payload_sha256, "
            "old_published_at < new_published_at FROM marts.value_revisions ORDER BY region_code").fetchall()
        history = con.execute("SELECT run_id, content_changed FROM meta.publication ORDER BY checked_at").fetchall()
    expected = sorted((ids[c["region"]], c["year"], c["old"], c["new"]) for c in changed)
    assert [(r[3], r[4], r[6], r[7]) for r in revisions] == expected
    assert all(r[:3] == ("2.1.1-05", "5028", "wellbeing_area") and r[5] == "total" for r in revisions)
    assert all(r[8] == first.run_id and r[9] == second.run_id and r[12] for r in revisions)
    assert all(r[10] and r[11] and r[10] != r[11] for r in revisions), "both payload hashes, old and new"
    assert history == [(first.run_id, True), (second.run_id, True)]
    page = (settings.report_path / "changes.html").read_text(encoding="utf-8")
    assert "3 value(s) differ" in page and first.run_id in page
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT name_en FROM reference.regions WHERE region_level = 'wellbeing_area' "
                                           "AND region_code IN ('08', '19', '20')").fetchall()]
    assert all(name in page for name in names)
    assert "changes.html" in (settings.report_path / "index.html").read_text(encoding="utf-8")

    third = run_all(settings)  # nothing new: figures and revisions stay, the attempt is recorded
    assert third.success, failed_checks(third)
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM marts.value_revisions").fetchone()[0] == 3
        latest = con.execute("SELECT run_id, content_changed, content_run_id, published_at < checked_at "
                             "FROM meta.latest_publication").fetchone()
    assert latest == (third.run_id, False, second.run_id, True)


def test_revise_command_names_what_it_changed(tmp_path):
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "archive", "revise", str(SAMPLE), str(tmp_path / "copy")],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("sotkanet indicator 5028")]
    assert len(lines) == 3 and "SOTE_REPLAY_PATH=" in out.stdout
    again = subprocess.run([sys.executable, "-m", "pipelines.cli", "archive", "revise", str(SAMPLE), str(tmp_path / "copy")],
                           cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert again.returncode != 0 and "exists" in again.stderr


def test_an_unreadable_serving_file_is_not_patched_but_left_for_a_whole_republish(tmp_path):
    serving = tmp_path / "serving.duckdb"
    serving.write_bytes(b"not a duckdb file" * 100)
    assert record_unchanged_check(serving, run_id="0123456789abcdef") is False
    assert serving.read_bytes() == b"not a duckdb file" * 100
    assert [p.name for p in tmp_path.iterdir()] == ["serving.duckdb"]  # no temporary copy left behind
