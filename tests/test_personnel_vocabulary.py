"""The personnel vocabulary lives in one place (pipelines/catalog/personnel/*.csv): the parser, the
suite and the warehouse's reference tables all read those files, and the fragment SQL only names
metrics and breakdowns the vocabulary defines."""

from __future__ import annotations

import csv
import re

import duckdb
import pytest

from pipelines.settings import PROJECT_ROOT
from pipelines.sources.personnel import vocabulary as v
from quality.suites.personnel import SUITES
from tests.conftest import failed_checks

FRAGMENT_SQL = PROJECT_ROOT / "sql" / "fragments" / "personnel_report.sql"


def csv_rows(name: str) -> list[dict[str, str]]:
    with (v.VOCABULARY_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_parser_vocabulary_is_the_data_files():
    assert list(v.METRICS) == [r["metric"] for r in csv_rows("metrics")]
    assert v.COLUMNS == tuple(r["column"] for r in csv_rows("columns"))
    assert set(v.STAFF_GROUPS) == {r["staff_group"] for r in csv_rows("staff_groups")}
    bands = [r for r in csv_rows("breakdowns") if r["breakdowns"] == "age_band"]
    assert v.AGE_BANDS == tuple(r["breakdown"] for r in bands)
    assert v.AGE_BANDS_55_PLUS == tuple(r["breakdown"] for r in bands if r["is_55_plus"] == "true")
    # every metric's breakdown set and unit is defined
    units = {r["unit"] for r in csv_rows("units")}
    for metric, (unit, breakdowns, _) in v.METRICS.items():
        assert unit in units, metric
        assert breakdowns, metric


def test_suite_checks_the_same_metrics():
    staging = next(s for s in SUITES if s.table == "staging.personnel_report")
    known = next(e for e in staging.expectations if e.name == "metric_known")
    assert known.kwargs["value_set"] == [r["metric"] for r in csv_rows("metrics")]


def test_fragment_sql_names_only_vocabulary_metrics():
    sql = FRAGMENT_SQL.read_text(encoding="utf-8")
    named = set(re.findall(r"metric\s*=\s*'([^']+)'", sql))
    for group in re.findall(r"metric\s+IN\s*\(([^)]*)\)", sql):
        named |= set(re.findall(r"'([^']+)'", group))
    assert named, "the fragment SQL pivots on metric names"
    assert named <= set(v.METRICS), sorted(named - set(v.METRICS))
    # the age bands come from the reference table, not literals
    assert not any(f"'{band}'" in sql for band in v.AGE_BANDS)


def test_warehouse_reference_tables_hold_the_same_vocabulary(full_run):
    settings, result = full_run
    assert result.success, failed_checks(result)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        metrics = dict(con.execute("SELECT metric, unit FROM reference.personnel_metrics").fetchall())
        bands = con.execute(
            "SELECT breakdown, is_55_plus FROM reference.personnel_breakdowns WHERE breakdowns = 'age_band'"
        ).fetchall()
        groups = {r[0] for r in con.execute("SELECT staff_group FROM reference.personnel_staff_groups").fetchall()}
    assert metrics == {m: u for m, (u, _, _) in v.METRICS.items()}
    assert tuple(b for b, _ in bands) == v.AGE_BANDS
    assert tuple(b for b, plus in bands if plus) == v.AGE_BANDS_55_PLUS
    assert groups == set(v.STAFF_GROUPS)


@pytest.mark.parametrize("alias,code", [("Henkilötyövuodet", "person_years_htv2"), ("KESKI-IKÄ", "mean_age")])
def test_metric_aliases_come_from_the_data_files(alias, code):
    assert v._lookup(alias, v.METRICS, v.METRIC_ALIASES) == code
