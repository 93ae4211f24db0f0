"""Empty CSV and XLSX templates for one county-year (``write_template``), and writing rows as CSV
or XLSX (also used by the sample builder and the tests)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipelines.sources.personnel.model import PersonnelRow
from pipelines.sources.personnel.vocabulary import AGE_BANDS, COLUMNS, HEADCOUNT_BREAKDOWNS, LEAVER_BREAKDOWNS, METRICS, STAFF_GROUPS

# -- templates -------------------------------------------------------------------------------

TEMPLATE_GROUPS = ("all", "nurse", "practical_nurse", "physician", "social_worker")


def template_rows(county: str, year: int) -> list[dict[str, str]]:
    """Every row a county fills in for one year: keys pre-filled, value empty."""
    county = PersonnelRow._area(county)
    rows: list[dict[str, str]] = []

    def add(group: str, metric: str, breakdown: str = "total") -> None:
        row = dict.fromkeys(COLUMNS, "")
        row.update(area_code=county, year=str(year), staff_group=group, metric=metric,
                   breakdown=breakdown, unit=METRICS[metric][0], method="KT2021",
                   reference_date=f"{year}-12-31", staff_group_label_src=STAFF_GROUPS[group][0])
        rows.append(row)

    for group in TEMPLATE_GROUPS:
        for b in HEADCOUNT_BREAKDOWNS:
            add(group, "headcount", b)
        add(group, "person_years_htv2")
        for band in AGE_BANDS:
            add(group, "age_band_count", band)
        add(group, "mean_age")
        for b in LEAVER_BREAKDOWNS:
            add(group, "permanent_leavers", b)
        for metric in ("sickness_absence_days", "training_days"):
            add(group, metric)
        if group == "all":
            add(group, "agency_labour_cost")
            add(group, "agency_labour_htv")
        else:
            add(group, "key_shortage_rank")
            add(group, "unfilled_positions")
    return rows


def rows_to_csv(rows: Sequence[dict[str, Any]], *, separator: str = ",", encoding: str = "utf-8") -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), delimiter=separator, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def rows_to_xlsx(rows: Sequence[dict[str, Any]], *, sheet: str = "personnel", with_instructions: bool = True) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(COLUMNS))
    for row in rows:
        ws.append([row.get(c) for c in COLUMNS])
    for col, width in zip("ABCDEFGHIJKLMNO", (10, 6, 16, 28, 12, 12, 14, 30, 10, 14, 30, 10, 12, 12, 40)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    if with_instructions:
        info = wb.create_sheet("metrics")
        info.append(["metric", "unit", "allowed breakdown", "definition"])
        for metric, (unit, breakdowns, definition) in METRICS.items():
            info.append([metric, unit, ", ".join(breakdowns), definition])
        info.append([])
        info.append(["staff_group", "Finnish", "English"])
        for code, (fi, en) in STAFF_GROUPS.items():
            info.append([code, fi, en])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_template(county: str, year: int, out_dir: Path | str) -> list[Path]:
    """Write ``personnel_<county>_<year>.csv`` and ``.xlsx`` (empty values) into ``out_dir``."""
    rows = template_rows(county, year)
    county = rows[0]["area_code"]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / f"personnel_{county}_{year}.csv"
    xlsx_path = out / f"personnel_{county}_{year}.xlsx"
    csv_path.write_bytes(rows_to_csv(rows))
    xlsx_path.write_bytes(rows_to_xlsx(rows))
    return [csv_path, xlsx_path]
