"""Full replay materialisation of the whole Definitions, checked against the sample and the real 683 data."""

import csv
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.archive import RawArchive
from pipelines.contract import ORGANISER_CODES
from pipelines.settings import PROJECT_ROOT
from tests.conftest import copy_of_full_run, failed_checks, make_settings, materialized, run_all, step_events

REF = PROJECT_ROOT / "data" / "reference" / "sotkanet"
SAMPLE = PROJECT_ROOT / "data" / "sample"


def sotkanet_ids() -> dict[int, str]:
    with (REF / "rOpenGov-sotkanet" / "sotkanet_hyvinvointialueet.csv").open(encoding="utf-8") as fh:
        return {int(r["uusi_id"]): r["uusi_code"].zfill(2) for r in csv.DictReader(fh)}


def indicator_genders_from_archive() -> dict[int, list[str]]:
    """Independent of our SQL: read each archived metadata body and its genders."""
    out = {}
    archive = RawArchive(SAMPLE, writable=False)
    for e in archive.entries("sotkanet"):
        if e.meta.get("kind") == "indicator":
            meta = json.loads(archive.read(e))
            out[meta["id"]] = meta["classifications"]["sex"]["values"] or ["total"]
    return out


def test_full_run_succeeds_without_blocking_failures(full_run):
    settings, result = full_run
    assert result.success
    blocking = {k: v for k, v in failed_checks(result).items() if v == "ERROR"}
    assert blocking == {}
    assert step_events(result, "STEP_SKIPPED") == set()
    assert settings.serving_path.exists()


def test_every_sotkanet_measure_has_a_row_for_every_organiser_country_and_year(full_run):
    settings, _ = full_run
    genders = indicator_genders_from_archive()
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        rows = con.execute(
            "SELECT source_ref::INTEGER, region_code, year, breakdown, value, missing_reason FROM marts.measure_values "
            "WHERE source = 'sotkanet' AND region_level IN ('wellbeing_area', 'country')"
        ).fetchall()
    seen = {}
    for ind, region, year, gender, value, reason in rows:
        assert (ind, region, year, gender) not in seen, "duplicate row"
        seen[(ind, region, year, gender)] = (value, reason)
    assert set(genders) == {3332, 4771, 5028, 5642, 5664, 5956, 404, 127, 683}
    for ind, gs in genders.items():
        for region in (*ORGANISER_CODES, "SSS"):
            for year in settings.years:
                for g in gs:
                    value, reason = seen[(ind, region, year, g)]  # KeyError = silently absent row
                    assert (value is not None) != (reason is not None), (ind, region, year, g, value, reason)


def test_known_gaps_are_explained(full_run):
    settings, _ = full_run
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        helsinki = con.execute(
            "SELECT missing_reason FROM marts.measure_values WHERE source_ref = '3332' AND region_code = '90' AND year = 2023"
        ).fetchone()[0]
        early = con.execute(
            "SELECT missing_reason FROM marts.measure_values WHERE source_ref = '3332' AND region_code = '20' AND year = 2016"
        ).fetchone()[0]
    assert helsinki == "no value published for this region and year"
    assert early == "not published: indicator 3332 covers 2023-2024"


def test_real_683_values_reach_the_mart_unchanged(full_run):
    settings, _ = full_run
    ids = sotkanet_ids()
    expected = {}
    with (REF / "hyvinvointialue-diabetes-risk" / "diabetes_683_raw.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            region = int(r["region"])
            code = "SSS" if region == 658 else ids.get(region)
            if code:
                expected[(code, int(r["year"]))] = float(r["primary value"])
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        got = {
            (c, y): v
            for c, y, v in con.execute(
                "SELECT region_code, year, value FROM marts.measure_values WHERE measure_key = 'sotkanet:683' "
                "AND region_level IN ('wellbeing_area', 'country') AND value IS NOT NULL"
            ).fetchall()
        }
        synthetic = con.execute("SELECT bool_or(is_synthetic) FROM marts.measure_values WHERE measure_key = 'sotkanet:683'").fetchone()[0]
    assert got == expected and len(got) == 24 * 9
    # spot checks of published figures (Sotkanet 683, 2023): Kainuu 12.9, Åland 6.8, Helsinki 8.6, whole country 11.8
    assert (got[("20", 2023)], got[("91", 2023)], got[("90", 2023)], got[("SSS", 2023)]) == (12.9, 6.8, 8.6, 11.8)
    assert synthetic is False


def test_serving_file_is_readable_by_a_duckdb_1x_cli(full_run):
    settings, _ = full_run
    cli = shutil.which("duckdb", path=str(Path(sys.executable).parent)) or shutil.which("duckdb")
    assert cli, "the duckdb-cli package (dev extra) provides the 1.x reader"
    version = subprocess.run([cli, "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1.")
    out = subprocess.run(
        [cli, "-readonly", "-csv", str(settings.serving_path), "-c",
         "SELECT count(DISTINCT region_code) FROM marts.measure_values JOIN reference.regions USING (region_level, region_code) WHERE is_organiser"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert out.strip().splitlines()[-1] == "22"


def test_publication_table_tells_bi_users_what_they_read(full_run):
    settings, result = full_run
    with duckdb.connect(str(settings.serving_path), read_only=True) as con:
        run_id, any_synthetic, attribution, dates = con.execute(
            "SELECT run_id, any_synthetic, attribution, source_data_dates FROM meta.publication"
        ).fetchone()
        regions = con.execute("SELECT count(*), count(*) FILTER (WHERE is_organiser) FROM reference.regions").fetchone()
    assert run_id == result.run_id
    assert any_synthetic is True and "sotkanet.fi" in attribution
    assert "sotkanet" in json.loads(dates)
    assert regions == (29, 22)


def _corrupt_archive(tmp_path: Path) -> Path:
    """A copy of the sample archive whose 5028 payload repeats one row (a duplicate key)."""
    replay = tmp_path / "replay"
    shutil.copytree(SAMPLE, replay)
    archive = RawArchive(replay)
    entry = next(e for e in archive.entries("sotkanet") if e.meta.get("kind") == "data" and e.meta.get("indicator") == 5028)
    rows = json.loads(archive.read(entry))
    body = json.dumps(rows + rows[:1]).encode()
    archive.put(body, source="sotkanet", url=entry.url, params=entry.params, content_type=entry.content_type,
                synthetic=True, meta=entry.meta)
    return replay


@pytest.mark.slow
def test_blocking_check_failure_stops_the_marts_and_keeps_serving(tmp_path, full_run):
    settings = copy_of_full_run(full_run, tmp_path / "run")  # a good published state
    before = hashlib.sha256(settings.serving_path.read_bytes()).hexdigest()
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        mart_before = con.execute("SELECT count(*), sum(value) FROM marts.measure_values").fetchone()

    bad = make_settings(tmp_path / "run", replay_path=_corrupt_archive(tmp_path))
    result = run_all(bad)
    assert failed_checks(result).get(("staging/sotkanet_observations", "key_unique")) == "ERROR"
    assert not result.success
    done = materialized(result)
    assert "staging/sotkanet_observations" in done  # the bad table is there to inspect ...
    assert not done & {"fragments/sotkanet", "marts/measure_values", "serving/publish"}  # ... nothing after it ran
    assert hashlib.sha256(bad.serving_path.read_bytes()).hexdigest() == before
    with duckdb.connect(str(bad.warehouse_path), read_only=True) as con:
        assert con.execute("SELECT count(*), sum(value) FROM marts.measure_values").fetchone() == mart_before
