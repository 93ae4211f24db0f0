"""Values and text that cannot hurt downstream: an implausible curated finance value is refused
(blocking, per-measure range from the catalogue), and formula text (CSV injection) is neutralised
with a leading apostrophe in every free-text column before it reaches the marts."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from pipelines.sources.curated.model import catalogue, parse_curated
from pipelines.sources.files import DeliveryRejected, safe_text
from pipelines.sources.personnel import parse_delivery, rows_to_csv
from tests.conftest import copy_of_full_run, failed_checks, run_all
from tests.test_curated_source import csv_bytes
from tests.test_personnel_reading import sample_rows

FORMULA = '=HYPERLINK("http://example.invalid/x","klikkaa")'


@pytest.mark.parametrize("text,expected", [
    (FORMULA, "'" + FORMULA), ("+358 40 123", "'+358 40 123"), ("-1+2", "'-1+2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("ei arvioitu 2024", "ei arvioitu 2024"), ("", ""), (None, None),
])
def test_safe_text_follows_the_owasp_rule(text, expected):
    assert safe_text(text) == expected


def test_finance_ranges_come_from_the_catalogue():
    measures = catalogue()
    assert (measures["2.2.1-03"].value_min, measures["2.2.1-03"].value_max) == (-20000, 20000)
    assert (measures["2.2.1-04"].value_min, measures["2.2.1-04"].value_max) == (-1000, 1000)
    assert (measures["2.2.1-02"].value_min, measures["2.2.1-02"].value_max) == (0, 100)  # the unit's (percent)


def test_implausible_finance_value_is_refused_naming_row_column_and_range():
    data = csv_bytes("20;2024;2.2.1-03;;-99 999 999 999;;;Valtiokonttori 2025;;", "20;2024;2.2.1-04;;55,5;;;Valtiokonttori 2025;;")
    with pytest.raises(DeliveryRejected) as err:
        parse_curated(data, "talous_2024.csv", years=range(2015, 2027))
    issues = err.value.report.issues
    assert len(issues) == 1 and issues[0].row == 2 and issues[0].column == "value"
    assert "outside the plausible range of 2.2.1-03 (-20000 .. 20000 eur_per_inhabitant)" in issues[0].reason
    assert "pipelines/catalog/measures.csv" in issues[0].reason


def test_personnel_free_text_is_neutralised():
    rows = sample_rows("08", 2024)
    for r in rows:
        r["note"] = FORMULA
        r["staff_group_label_src"] = "=1+1"
    delivery = parse_delivery(rows_to_csv(rows), "pirha_2024.csv", years=range(2015, 2025))
    assert {r.data.note for r in delivery.rows} == {"'" + FORMULA}
    assert {r.data.staff_group_label_src for r in delivery.rows} == {"'=1+1"}


def test_landed_values_reach_the_marts_only_when_safe(full_run, tmp_path):
    settings = copy_of_full_run(full_run, tmp_path / "state")
    folder = settings.landing_path / "curated"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "talous_2024.csv").write_bytes(csv_bytes("20;2024;2.2.1-03;;-99 999 999 999;;;Valtiokonttori 2025;;"))
    (folder / "arviot_2024.csv").write_bytes(csv_bytes(f"21;2024;2.2.2-01;;;;;THL 2025 report;{FORMULA};"))
    # up to the mart analysts read (reports and publish would only copy it)
    chain = [dg.AssetKey(k) for k in (["raw", "curated_deliveries"], ["staging", "curated"], ["fragments", "curated"], ["marts", "measure_values"])]
    result = run_all(settings, selection=chain)
    assert result.success, failed_checks(result)
    assert (folder / "quarantine" / "talous_2024.csv").exists()
    assert (folder / "processed" / "arviot_2024.csv").exists()
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        reason = con.execute("SELECT missing_reason FROM marts.measure_values WHERE measure_key = '2.2.2-01' "
                             "AND region_code = '21' AND year = 2024").fetchone()[0]
        extreme = con.execute("SELECT count(*) FROM marts.measure_values WHERE value < -1e9").fetchone()[0]
    assert reason == "'" + FORMULA
    assert extreme == 0
