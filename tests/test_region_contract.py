"""The region codes in pipelines/contract.py are pinned to reference.regions by blocking
great-expectations checks: they pass on the real classification and fail, naming the check, when
the two disagree (a county renumbered in one place only)."""

from __future__ import annotations

import shutil

import duckdb

from quality.gx_bridge import run_suite
from quality.suites.reference import SUITES
from tests.conftest import failed_checks

REGIONS = next(s for s in SUITES if s.table == "reference.regions")
CONTRACT_CHECKS = {"contract_organiser_codes", "contract_cooperation_area_codes", "contract_country_codes",
                   "contract_outside_objectives_codes"}


def test_contract_codes_match_the_classification(full_run):
    settings, result = full_run
    assert result.success, failed_checks(result)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        results = {r.check_name: r for r in run_suite(REGIONS, con)}
    assert CONTRACT_CHECKS <= set(results)
    assert all(results[name].passed for name in CONTRACT_CHECKS)


def test_a_county_renumbered_in_the_classification_only_fails_the_pin(full_run, tmp_path):
    settings, _ = full_run
    copy = tmp_path / "w.duckdb"
    shutil.copyfile(settings.warehouse_path, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("UPDATE reference.regions SET region_code = '22' WHERE region_level = 'wellbeing_area' AND region_code = '21'")
        results = {r.check_name: r for r in run_suite(REGIONS, con)}
    assert not results["contract_organiser_codes"].passed
    assert all(results[name].passed for name in CONTRACT_CHECKS - {"contract_organiser_codes"})
