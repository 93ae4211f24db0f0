"""Curated measures: values with no machine source (THL's and TTL's assessments, the finance
measures of objective 2.2.1), delivered as a long CSV or XLSX file per year (docs/curated_format.md).

No Dagster imports. ``parse_curated(data, file_name)`` validates a whole file and returns its rows,
or raises ``DeliveryRejected`` listing every problem with file, row, column and value. Reading
(encodings, separators, XLSX, number formats) is ``pipelines.sources.files``'s.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from pipelines.contract import COOPERATION_AREA_CODES, COUNTRY_CODE, ORGANISER_CODES
from pipelines.settings import PROJECT_ROOT
from pipelines.sources.files import (
    DeliveryRejected,
    ErrorReport,
    Issue,
    cell_text,
    normalise_name,
    parse_number,
    read_table,
    safe_text,
    sha256_bytes,
)

SOURCE = "curated"
MEASURES_CSV = PROJECT_ROOT / "pipelines" / "catalog" / "measures.csv"
UNITS_CSV = PROJECT_ROOT / "pipelines" / "catalog" / "units.csv"
REQUIRED = ("county_code", "year", "measure_key", "source_reference")
OPTIONAL = ("region_level", "value", "grade", "value_text", "note", "is_synthetic")
ALIASES = {
    "hyvinvointialue": "county_code", "hyvinvointialue_koodi": "county_code", "alue": "county_code",
    "aluekoodi": "county_code", "area_code": "county_code", "region_code": "county_code", "county": "county_code",
    "vuosi": "year", "mittari": "measure_key", "mittari_avain": "measure_key", "measure": "measure_key",
    "arvo": "value", "arvosana": "grade", "arvio": "grade", "teksti": "value_text", "arvo_teksti": "value_text",
    "lahde": "source_reference", "lahdeviite": "source_reference", "source": "source_reference",
    "huomautus": "note", "huom": "note", "lisatieto": "note", "aluetaso": "region_level", "synteettinen": "is_synthetic",
}
SHEETS = ("curated", "data", "mittarit")

# The published assessment scale, as an ordinal 1-5 (docs/curated_format.md). Labels are what
# value_text shows; a delivery may give the grade, the label (fi or en) or both (they must agree).
GRADES: dict[int, tuple[str, str]] = {
    1: ("ei toteudu", "not realised"),
    2: ("toteutuu heikosti", "realised poorly"),
    3: ("toteutuu osittain", "partly realised"),
    4: ("toteutuu pääosin", "largely realised"),
    5: ("toteutuu", "fully realised"),
}
_GRADE_BY_LABEL = {normalise_name(label): g for g, labels in GRADES.items() for label in labels}
_TRUE = {"true", "1", "yes", "kylla", "x"}
_FALSE = {"false", "0", "no", "ei", ""}
_LEVEL_OF_REPORTED = {"organiser": "wellbeing_area", "cooperation_area": "cooperation_area", "country": "country"}


@dataclass(frozen=True)
class MeasureInfo:
    measure_key: str
    objective_key: str
    unit: str
    status: str
    source_family: str
    reported_level: str
    value_min: float | None = None  # plausible range: the measure's value_min/value_max, else its unit's
    value_max: float | None = None


def _number(text: str | None) -> float | None:
    return float(text) if text not in (None, "") else None


@lru_cache(maxsize=4)
def catalogue(path: Path = MEASURES_CSV, units_path: Path = UNITS_CSV) -> dict[str, MeasureInfo]:
    with units_path.open(encoding="utf-8", newline="") as fh:
        units = {r["unit"]: (_number(r["min_value"]), _number(r["max_value"])) for r in csv.DictReader(fh)}
    with path.open(encoding="utf-8", newline="") as fh:
        out = {}
        for r in csv.DictReader(fh):
            unit_min, unit_max = units.get(r["unit"], (None, None))
            low, high = _number(r["value_min"]), _number(r["value_max"])
            out[r["measure_key"]] = MeasureInfo(
                r["measure_key"], r["objective_key"], r["unit"], r["status"], r["source_family"], r["reported_level"],
                unit_min if low is None else low, unit_max if high is None else high)
        return out


def _out_of_range(value: float, measure: MeasureInfo) -> str | None:
    low, high = measure.value_min, measure.value_max
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    bounds = f"{'-inf' if low is None else f'{low:g}'} .. {'inf' if high is None else f'{high:g}'}"
    return (f"outside the plausible range of {measure.measure_key} ({bounds} {measure.unit}); check the unit and the "
            "sign. The range is value_min/value_max of the measure in pipelines/catalog/measures.csv (else its unit's "
            "in units.csv): change it there if such a value is real")


class CuratedRow(BaseModel):
    """One validated value (or an explicit gap) of a curated measure."""

    file_row: int
    sheet: str | None
    measure_key: str
    objective_key: str
    region_level: str
    region_code: str
    year: int
    value: float | None
    value_text: str | None
    unit: str
    missing_reason: str | None
    source_reference: str
    note: str | None
    is_synthetic: bool


@dataclass
class CuratedDelivery:
    file_name: str
    sha256: str
    rows: list[CuratedRow] = field(default_factory=list)

    @property
    def is_synthetic(self) -> bool:
        return bool(self.rows) and all(r.is_synthetic for r in self.rows)


def _region(code_text: str, level_text: str, measure: MeasureInfo | None) -> tuple[str, str]:
    """(region_level, region_code) from the cells; raises ValueError with the reason."""
    code = code_text.strip().upper()
    if code in (COUNTRY_CODE, "KOKO MAA", "WHOLE COUNTRY"):
        return "country", COUNTRY_CODE
    level = normalise_name(level_text) or (_LEVEL_OF_REPORTED.get(measure.reported_level, "wellbeing_area") if measure else "wellbeing_area")
    if level in ("wellbeing_area", "hyvinvointialue", "organiser"):
        padded = code.zfill(2) if code.isdigit() else code
        if padded not in ORGANISER_CODES:
            raise ValueError("not an organiser code: use 01-21 for the wellbeing services counties, 90 for Helsinki or SSS for the whole country")
        return "wellbeing_area", padded
    if level in ("cooperation_area", "yhteistyoalue", "yta"):
        stripped = code.removeprefix("YTA").strip().lstrip("0")
        if stripped not in COOPERATION_AREA_CODES:
            raise ValueError("not a cooperation area code: use 1-5 (or YTA1-YTA5)")
        return "cooperation_area", stripped
    raise ValueError(f"unknown region_level {level_text!r}: use wellbeing_area, cooperation_area or leave empty")


def _bool(text: str) -> bool:
    t = normalise_name(text)
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise ValueError("expected true or false")


def _grade(grade_text: str, label_text: str) -> tuple[float | None, str | None]:
    """(grade, label) from the grade and/or value_text cells; both empty -> (None, None)."""
    grade = None
    if grade_text:
        number = parse_number(grade_text)
        if number is None or number != int(number) or int(number) not in GRADES:
            raise ValueError(f"grade must be a whole number {min(GRADES)}-{max(GRADES)} on the assessment scale")
        grade = int(number)
    from_label = _GRADE_BY_LABEL.get(normalise_name(label_text)) if label_text else None
    if label_text and from_label is None and grade is None:
        raise ValueError(f"value_text {label_text!r} is not a grade label of the scale; give the grade 1-5")
    if grade is not None and from_label is not None and from_label != grade:
        raise ValueError(f"grade {grade} and value_text {label_text!r} (grade {from_label}) disagree")
    grade = grade if grade is not None else from_label
    if grade is None:
        return None, None
    return float(grade), label_text or GRADES[grade][1]


def parse_curated(data: bytes, file_name: str, *, years: range | list[int] | None = None) -> CuratedDelivery:
    """Validate a curated delivery as a whole: every row is checked and every problem reported."""
    try:
        table = read_table(data, file_name, aliases=ALIASES, required=REQUIRED, optional=OPTIONAL, sheet_names=SHEETS)
    except DeliveryRejected as exc:
        exc.report.source = SOURCE
        exc.report.sha256 = sha256_bytes(data)
        raise
    measures = catalogue()
    issues: list[Issue] = []
    delivery = CuratedDelivery(file_name=file_name, sha256=sha256_bytes(data))
    seen: dict[tuple[str, str, int, str], int] = {}

    def problem(row, column, value, reason):
        issues.append(Issue(file=file_name, sheet=table.sheet, row=row, column=table.columns.get(column, column),
                            value=None if value is None else str(value), reason=reason))

    for r in table.rows:
        cells = {k: cell_text(v) for k, v in r.cells.items()}
        n_before = len(issues)
        key = cells.get("measure_key", "")
        measure = measures.get(key)
        if measure is None:
            problem(r.row, "measure_key", key, "unknown measure key; use a key of pipelines/catalog/measures.csv such as 2.2.2-01")
        elif measure.status != "curated":
            problem(r.row, "measure_key", key, f"measure {key} is {measure.status} from {measure.source_family}; "
                    "only curated measures are loaded from this file")
        try:
            level, code = _region(cells.get("county_code", ""), cells.get("region_level", ""), measure)
        except ValueError as exc:
            problem(r.row, "county_code", cells.get("county_code"), str(exc))
            level, code = None, None
        year = None
        try:
            year_number = parse_number(cells.get("year"))
            if year_number is None or year_number != int(year_number):
                raise ValueError("year must be a whole number such as 2024")
            year = int(year_number)
            if years is not None and year not in years:
                raise ValueError(f"year outside the configured range {min(years)}-{max(years)}")
        except ValueError as exc:
            problem(r.row, "year", cells.get("year"), str(exc))
        value, value_text = None, cells.get("value_text") or None
        if measure is not None and measure.unit == "grade":
            try:
                value, value_text = _grade(cells.get("grade") or cells.get("value", ""), cells.get("value_text", ""))
            except ValueError as exc:
                problem(r.row, "grade", cells.get("grade") or cells.get("value"), str(exc))
        elif measure is not None:
            if cells.get("grade"):
                problem(r.row, "grade", cells.get("grade"), f"measure {key} is measured in {measure.unit}, not graded; use the value column")
            try:
                value = parse_number(cells.get("value"))
            except ValueError as exc:
                problem(r.row, "value", cells.get("value"), str(exc))
            if value is not None and (why := _out_of_range(value, measure)):
                problem(r.row, "value", cells.get("value"), why)
        note = safe_text(cells.get("note") or None)
        value_text = safe_text(value_text)
        if value is None and not note and len(issues) == n_before:
            problem(r.row, "value", "", "no value or grade: give it, or say in note why it is missing (e.g. not assessed)")
        source_reference = safe_text(cells.get("source_reference", ""))
        if not source_reference:
            problem(r.row, "source_reference", "", "source_reference is required: the publication or document the value is from")
        try:
            synthetic = _bool(cells.get("is_synthetic", ""))
        except ValueError as exc:
            problem(r.row, "is_synthetic", cells.get("is_synthetic"), str(exc))
            synthetic = False
        if len(issues) > n_before:
            continue
        ident = (level, code, year, key)
        if ident in seen:
            problem(r.row, "measure_key", key, f"duplicate: row {seen[ident]} already gives {key} for {code} in {year}")
            continue
        seen[ident] = r.row
        delivery.rows.append(CuratedRow(
            file_row=r.row, sheet=table.sheet, measure_key=key, objective_key=measure.objective_key, region_level=level,
            region_code=code, year=year, value=value, value_text=value_text, unit=measure.unit,
            missing_reason=note if value is None else None, source_reference=source_reference, note=note,
            is_synthetic=synthetic,
        ))
    if not table.rows:
        issues.append(Issue(file=file_name, sheet=table.sheet, reason="the file has a header but no data rows"))
    if issues:
        raise DeliveryRejected(ErrorReport(source=SOURCE, file_name=file_name, sha256=delivery.sha256, issues=issues))
    return delivery
