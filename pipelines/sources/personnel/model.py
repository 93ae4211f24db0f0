"""One data row of a personnel delivery (``PersonnelRow``, pydantic, tolerant parsing), an
accepted delivery, and ``parse_delivery``: read + validate a whole file -> ``Delivery`` or
``DeliveryRejected`` (one problem rejects the whole file)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError, ValidationInfo, field_validator, model_validator

from pipelines.contract import ORGANISER_CODES
from pipelines.sources.files import (
    DeliveryRejected,
    ErrorReport,
    Issue,
    Table,
    cell_text,
    parse_number,
    read_table,
    safe_text,
    sha256_bytes,
)
from pipelines.sources.personnel.rules import cross_row_issues
from pipelines.sources.personnel.vocabulary import (
    BREAKDOWN_ALIASES,
    COLUMN_ALIASES,
    HEADCOUNT_BREAKDOWNS,
    INTEGER_UNITS,
    LEAVER_BREAKDOWNS,
    METRIC_ALIASES,
    METRICS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SHEET_NAMES,
    SOURCE,
    STAFF_GROUP_ALIASES,
    STAFF_GROUPS,
    SYNTHETIC_MARK,
    UNIT_ALIASES,
    _age_band,
    _lookup,
)

def _known_code(value: Any, what: str, vocabulary: Sequence[str], aliases: dict[str, str]) -> str:
    code = _lookup(cell_text(value), vocabulary, aliases)
    if code is None:
        raise ValueError(f"unknown {what}; use one of: {', '.join(vocabulary)}")
    return code


# -- row model -----------------------------------------------------------------------------


class PersonnelRow(BaseModel):
    """One data row of a delivery, after tolerant parsing. Validation context: ``years`` (allowed)."""

    area_code: str
    year: int
    staff_group: str
    metric: str
    breakdown: str = "total"
    value: float
    unit: str
    staff_group_label_src: str | None = None
    method: str | None = None
    reference_date: date | None = None
    source_url: str | None = None
    source_page: str | None = None
    extracted_by: str | None = None
    extracted_at: date | None = None
    note: str | None = None

    @field_validator("staff_group_label_src", "method", "source_url", "source_page", "extracted_by", "note")
    @classmethod
    def _inert_text(cls, v: str | None) -> str | None:
        return safe_text(v)

    @field_validator("area_code", mode="before")
    @classmethod
    def _area(cls, v: Any) -> str:
        text = cell_text(v)
        code = text.zfill(2) if text.isdigit() and len(text) <= 2 else text
        if code not in ORGANISER_CODES:
            raise ValueError(
                "unknown county code; use the Statistics Finland wellbeing services county code 01-21 or 90 (Helsinki)"
            )
        return code

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, v: Any, info: ValidationInfo) -> int:
        text = cell_text(v)
        if not re.fullmatch(r"\d{4}", text):
            raise ValueError("year must be a four-digit calendar year")
        year = int(text)
        years = (info.context or {}).get("years")
        if years and year not in years:
            raise ValueError(f"year outside the years this pipeline covers ({min(years)}-{max(years)})")
        return year

    @field_validator("staff_group", mode="before")
    @classmethod
    def _group(cls, v: Any) -> str:
        return _known_code(v, "staff group", STAFF_GROUPS, STAFF_GROUP_ALIASES)

    @field_validator("metric", mode="before")
    @classmethod
    def _metric(cls, v: Any) -> str:
        return _known_code(v, "metric", METRICS, METRIC_ALIASES)

    @field_validator("breakdown", mode="before")
    @classmethod
    def _breakdown(cls, v: Any) -> str:
        text = cell_text(v)
        band = _age_band(text)
        if band:
            return band
        known = ("total", *HEADCOUNT_BREAKDOWNS, *LEAVER_BREAKDOWNS)
        code = _lookup(text, known, BREAKDOWN_ALIASES) if text else "total"
        if code is None:
            raise ValueError("unknown breakdown; see the allowed breakdowns of the metric in docs/personnel_format.md")
        return code

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, v: Any) -> float:
        try:
            number = parse_number(v)
        except ValueError as exc:
            raise ValueError(str(exc)) from None
        if number is None:
            raise ValueError("value is empty")
        return number

    @field_validator("unit", mode="before")
    @classmethod
    def _unit(cls, v: Any) -> str:
        text = cell_text(v)
        units = {u for u, _, _ in METRICS.values()}
        code = text if text in units else UNIT_ALIASES.get(text.casefold()) or _lookup(text, units, UNIT_ALIASES)
        if code is None:
            raise ValueError(f"unknown unit; use one of: {', '.join(sorted(units))}")
        return code

    @field_validator("reference_date", "extracted_at", mode="before")
    @classmethod
    def _date(cls, v: Any) -> date | None:
        text = cell_text(v)
        if not text:
            return None
        for pattern, order in ((r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd"), (r"(\d{1,2})\.(\d{1,2})\.(\d{4})", "dmy")):
            m = re.fullmatch(pattern, text)
            if m:
                a, b, c = (int(x) for x in m.groups())
                try:
                    return date(a, b, c) if order == "ymd" else date(c, b, a)
                except ValueError:
                    break
        raise ValueError("expected a date as YYYY-MM-DD or D.M.YYYY")

    @field_validator("staff_group_label_src", "method", "source_url", "source_page", "extracted_by", "note", mode="before")
    @classmethod
    def _text(cls, v: Any) -> str | None:
        return cell_text(v) or None

    @model_validator(mode="after")
    def _metric_rules(self) -> "PersonnelRow":
        unit, breakdowns, _ = METRICS[self.metric]
        if self.unit != unit:
            raise ValueError(f"unit: metric {self.metric} is reported in '{unit}', not '{self.unit}'")
        if self.breakdown not in breakdowns:
            raise ValueError(f"breakdown: metric {self.metric} allows breakdown {', '.join(breakdowns)}; got '{self.breakdown}'")
        if self.value < 0:
            raise ValueError("value: must not be negative")
        if unit == "percent" and self.value > 100:
            raise ValueError("value: a percentage must be between 0 and 100")
        if unit in INTEGER_UNITS and not float(self.value).is_integer():
            raise ValueError(f"value: {self.metric} is a whole number ({unit})")
        if self.metric == "key_shortage_rank" and self.value < 1:
            raise ValueError("value: ranks start at 1")
        if self.metric == "key_shortage_rank" and self.staff_group == "all":
            raise ValueError("staff_group: a shortage rank names a staff group, not 'all'")
        if self.metric == "mean_age" and not 15 <= self.value <= 80:
            raise ValueError("value: a mean age must be between 15 and 80 years")
        return self

    @property
    def key(self) -> tuple[str, int, str, str, str]:
        return (self.area_code, self.year, self.staff_group, self.metric, self.breakdown)


@dataclass
class ValidRow:
    row: int
    sheet: str | None
    data: PersonnelRow


@dataclass
class Delivery:
    """An accepted file: its rows and the county-years it delivers (each replaces earlier ones)."""

    file_name: str
    sha256: str
    rows: list[ValidRow]
    sheet: str | None = None
    encoding: str | None = None
    separator: str | None = None
    blank_rows: list[int] = field(default_factory=list)

    @property
    def county_years(self) -> list[tuple[str, int]]:
        return sorted({(r.data.area_code, r.data.year) for r in self.rows})

    @property
    def is_synthetic(self) -> bool:
        return any(SYNTHETIC_MARK.casefold() in (r.data.note or "").casefold() for r in self.rows)


# -- parsing a delivery ----------------------------------------------------------------------


def parse_delivery(data: bytes, file_name: str, *, years: Sequence[int] | None = None) -> Delivery:
    """Read and validate a whole delivery; ``DeliveryRejected`` lists every problem found."""
    sha = sha256_bytes(data)
    try:
        table = read_table(
            data, file_name, aliases=COLUMN_ALIASES, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS,
            sheet_names=SHEET_NAMES,
        )
    except DeliveryRejected as exc:
        exc.report.source, exc.report.sha256 = SOURCE, sha
        raise
    rows, blank, issues = _validate_rows(table, years)
    if not rows and not issues:
        issues.append(Issue(file=file_name, sheet=table.sheet, reason="the file has a header but no filled-in data rows"))
    if not issues:
        issues.extend(cross_row_issues(rows, file_name))
    if issues:
        raise DeliveryRejected(ErrorReport(source=SOURCE, file_name=file_name, sha256=sha, issues=issues))
    return Delivery(file_name=file_name, sha256=sha, rows=rows, sheet=table.sheet, encoding=table.encoding,
                    separator=table.separator, blank_rows=blank)


def _validate_rows(table: Table, years: Sequence[int] | None) -> tuple[list[ValidRow], list[int], list[Issue]]:
    rows, blank, issues = [], [], []
    context = {"years": list(years) if years else None}
    for trow in table.rows:
        if not cell_text(trow.cells.get("value")) and not isinstance(trow.cells.get("value"), (int, float)):
            blank.append(trow.row)  # a template row left empty: "not reported", not an error
            continue
        try:
            model = PersonnelRow.model_validate({k: v for k, v in trow.cells.items() if v is not None}, context=context)
        except ValidationError as exc:
            issues.extend(_issues_from(exc, table, trow.row, trow.cells))
            continue
        rows.append(ValidRow(trow.row, table.sheet, model))
    return rows, blank, issues


def _issues_from(exc: ValidationError, table: Table, row: int, cells: dict[str, Any]) -> list[Issue]:
    out = []
    for err in exc.errors():
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        field_name = str(err["loc"][0]) if err.get("loc") else None
        if field_name is None and ":" in msg:  # model-level rule: "<field>: reason"
            field_name, msg = (part.strip() for part in msg.split(":", 1))
        if err.get("type") == "missing":
            msg = "required value is empty"
        column = table.columns.get(field_name or "", field_name)
        value = cell_text(cells.get(field_name)) if field_name else None
        out.append(Issue(file=table.file_name, sheet=table.sheet, row=row, column=column, value=value, reason=msg))
    return out


