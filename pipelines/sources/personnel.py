"""Personnel reports of the wellbeing services counties (objective 2.1.2): the canonical delivery.

The format is documented for county analysts in ``docs/personnel_format.md``. This module holds
the same definitions as code:

- ``COLUMNS`` / ``COLUMN_ALIASES``: canonical columns and the Finnish header names accepted;
- ``METRICS``: metric -> unit, allowed breakdowns and definition (the KT 2021 based vocabulary);
- ``STAFF_GROUPS``, ``AGE_BANDS`` and their aliases;
- ``PersonnelRow``: the pydantic model each data row must satisfy;
- ``cross_row_issues``: the rules between rows (age-band shares sum to 100 +- 0.5, turnover at
  most 100 %, person-years at most 1.05 x headcount, no duplicate keys, ...);
- ``parse_delivery(data, file_name)``: read + validate a whole file -> ``Delivery`` or
  ``DeliveryRejected`` (one problem rejects the whole file);
- ``write_template(county, year, out_dir)``: empty CSV and XLSX templates for one county-year.

No Dagster imports (the asset lives in ``assets/personnel.py``).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError, ValidationInfo, field_validator, model_validator

from pipelines.contract import ORGANISER_CODES
from pipelines.sources.delivery import (
    DeliveryRejected,
    ErrorReport,
    Issue,
    Table,
    cell_text,
    normalise_name,
    parse_number,
    read_table,
    sha256_bytes,
)

SOURCE = "personnel"  # raw-archive source name (manifest/personnel.jsonl)
FRAGMENT_SOURCE = "personnel_report"  # source family in marts.measure_values
SHEET_NAMES = ("personnel", "henkilosto", "henkilöstö", "data")
SYNTHETIC_MARK = "SYNTHETIC"

REQUIRED_COLUMNS = ("area_code", "year", "staff_group", "metric", "value", "unit")
OPTIONAL_COLUMNS = (
    "breakdown", "staff_group_label_src", "method", "reference_date", "source_url", "source_page",
    "extracted_by", "extracted_at", "note",
)
COLUMNS = (*REQUIRED_COLUMNS[:4], "breakdown", "value", "unit", "staff_group_label_src", "method",
           "reference_date", "source_url", "source_page", "extracted_by", "extracted_at", "note")

COLUMN_ALIASES = {
    "hyvinvointialue": "area_code", "hyvinvointialueen koodi": "area_code", "alue": "area_code",
    "aluekoodi": "area_code", "alueen koodi": "area_code", "county": "area_code", "county code": "area_code",
    "vuosi": "year", "tilastovuosi": "year", "raportointivuosi": "year",
    "henkilöstöryhmä": "staff_group", "ammattiryhmä": "staff_group", "group": "staff_group",
    "ryhmän nimi lähteessä": "staff_group_label_src", "ammattiryhmä lähteessä": "staff_group_label_src",
    "mittari": "metric", "tunnusluku": "metric",
    "erittely": "breakdown", "jaottelu": "breakdown", "luokka": "breakdown",
    "arvo": "value", "luku": "value",
    "yksikkö": "unit",
    "menetelmä": "method", "laskentatapa": "method",
    "tilannepäivä": "reference_date", "viitepäivä": "reference_date",
    "lähde": "source_url", "lähteen osoite": "source_url", "lähde url": "source_url",
    "sivu": "source_page", "lähteen sivu": "source_page",
    "poimija": "extracted_by", "kirjaaja": "extracted_by",
    "poimittu": "extracted_at", "kirjattu": "extracted_at",
    "huomautus": "note", "lisätieto": "note", "huom": "note", "notes": "note",
}

AGE_BANDS = ("<25", "25-34", "35-44", "45-54", "55-64", "65+")
AGE_BANDS_55_PLUS = ("55-64", "65+")
HEADCOUNT_BREAKDOWNS = ("total", "permanent", "fixed_term")
LEAVER_BREAKDOWNS = ("total", "retirement", "resignation", "other")

# metric -> (unit, allowed breakdowns, definition)
METRICS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "headcount": ("persons", HEADCOUNT_BREAKDOWNS, "Employees on 31.12 (breakdown total, permanent or fixed_term)."),
    "person_years_htv2": ("htv", HEADCOUNT_BREAKDOWNS,
                          "KT 2021 HTV2: paid service calendar days x part-time % / 100 / days in year, summed."),
    "age_band_count": ("persons", AGE_BANDS, "Employees on 31.12 in the age band (breakdown = band)."),
    "age_band_share": ("percent", AGE_BANDS, "age_band_count / headcount x 100 (breakdown = band)."),
    "mean_age": ("years", ("total",), "Mean age of the employees on 31.12."),
    "permanent_leavers": ("persons", LEAVER_BREAKDOWNS,
                          "Permanent service relationships that ended during the year (breakdown total, retirement, resignation, other)."),
    "permanent_turnover_pct": ("percent", ("total",), "permanent_leavers / permanent headcount on 31.12 x 100."),
    "sickness_absence_days": ("days", ("total",), "Calendar days of absence for own illness during the year."),
    "sickness_absence_days_per_htv": ("days_per_htv", ("total",), "sickness_absence_days / person_years_htv2."),
    "training_days": ("days", ("total",), "Training days (koulutuspäivät) during the year."),
    "training_days_per_htv": ("days_per_htv", ("total",), "training_days / person_years_htv2."),
    "agency_labour_cost": ("eur", ("total",), "Purchased agency labour (vuokratyövoima), EUR in the year."),
    "agency_labour_htv": ("htv", ("total",), "Agency labour volume in person-years."),
    "key_shortage_rank": ("rank", ("total",), "1 = the county's most critical shortage; staff_group names the group."),
    "unfilled_positions": ("count", ("total",), "Positions of the staff group unfilled on 31.12 (shortage size)."),
}

METRIC_ALIASES = {
    "henkilöstömäärä": "headcount", "henkilöstö": "headcount", "henkilömäärä": "headcount",
    "htv2": "person_years_htv2", "henkilötyövuodet": "person_years_htv2", "htv": "person_years_htv2",
    "ikäryhmä lkm": "age_band_count", "ikäryhmä osuus": "age_band_share", "keski-ikä": "mean_age",
    "vakinaiset lähtijät": "permanent_leavers", "lähtövaihtuvuus": "permanent_turnover_pct",
    "vaihtuvuus": "permanent_turnover_pct",
    "sairauspoissaolopäivät": "sickness_absence_days", "sairauspoissaolopäivät per htv": "sickness_absence_days_per_htv",
    "koulutuspäivät": "training_days", "koulutuspäivät per htv": "training_days_per_htv",
    "vuokratyövoiman kustannus": "agency_labour_cost", "vuokratyövoima htv": "agency_labour_htv",
    "henkilöstövaje sija": "key_shortage_rank", "täyttämättömät tehtävät": "unfilled_positions",
}

STAFF_GROUPS: dict[str, tuple[str, str]] = {
    # code -> (Finnish label, English label)
    "all": ("koko henkilöstö", "all staff"),
    "nurse": ("sairaanhoitajat (ml. terveydenhoitajat ja kätilöt)", "nurses (incl. public health nurses and midwives)"),
    "practical_nurse": ("lähihoitajat", "practical nurses"),
    "physician": ("lääkärit", "physicians"),
    "social_worker": ("sosiaalityöntekijät", "social workers"),
    "care_assistant": ("hoitoapulaiset ja laitoshuoltajat", "care assistants"),
    "psychologist": ("psykologit", "psychologists"),
    "physiotherapist": ("fysioterapeutit", "physiotherapists"),
    "rescue": ("pelastustoimen henkilöstö", "rescue services staff"),
    "other": ("muut", "other staff"),
}
STAFF_GROUP_ALIASES = {
    "kaikki": "all", "koko henkilöstö": "all", "yhteensä": "all", "total": "all",
    "sairaanhoitajat": "nurse", "sairaanhoitaja": "nurse", "lähihoitajat": "practical_nurse", "lähihoitaja": "practical_nurse",
    "lääkärit": "physician", "lääkäri": "physician", "sosiaalityöntekijät": "social_worker",
    "hoitoapulaiset": "care_assistant", "laitoshuoltajat": "care_assistant", "psykologit": "psychologist",
    "fysioterapeutit": "physiotherapist", "pelastus": "rescue", "pelastustoimi": "rescue", "muut": "other",
}

UNIT_ALIASES = {
    "%": "percent", "prosentti": "percent", "pct": "percent",
    "henkilöä": "persons", "hlö": "persons", "hlöä": "persons", "henkilöt": "persons", "lkm": "persons",
    "henkilötyövuotta": "htv", "henkilötyövuosi": "htv", "person years": "htv", "person_years": "htv",
    "pv": "days", "päivää": "days", "päivät": "days",
    "pv/htv": "days_per_htv", "päivää/htv": "days_per_htv", "days per htv": "days_per_htv",
    "€": "eur", "euroa": "eur", "euro": "eur",
    "vuotta": "years", "v": "years",
    "sija": "rank", "järjestys": "rank",
    "kpl": "count",
}

BREAKDOWN_ALIASES = {
    "": "total", "yhteensä": "total", "kaikki": "total",
    "vakinaiset": "permanent", "vakinainen": "permanent",
    "määräaikaiset": "fixed_term", "määräaikainen": "fixed_term", "fixed-term": "fixed_term",
    "eläköityminen": "retirement", "eläkkeelle siirtyneet": "retirement",
    "irtisanoutuminen": "resignation", "irtisanoutuneet": "resignation", "muu": "other",
    "alle 25": "<25", "-24": "<25", "under 25": "<25",
    "65-": "65+", "yli 64": "65+", "65 ja yli": "65+", "65 and over": "65+",
}

INTEGER_UNITS = ("persons", "count", "rank")
HTV_TOLERANCE = 1.05  # person-years may exceed headcount by 5 % (staff who left during the year)
SHARE_TOLERANCE = 0.5  # age-band shares must sum to 100 +- 0.5 (rounding)


def _lookup(text: str, vocabulary: Iterable[str], aliases: dict[str, str]) -> str | None:
    key = normalise_name(text)
    for code in vocabulary:
        if normalise_name(code) == key:
            return code
    normalised = {normalise_name(k): v for k, v in aliases.items()}
    return normalised.get(key)


def _age_band(text: str) -> str | None:
    compact = re.sub(r"\s+", "", text.replace("\u2013", "-").replace("\u2014", "-"))
    if compact in AGE_BANDS:
        return compact
    return BREAKDOWN_ALIASES.get(text.strip().casefold().replace("\u2013", "-"))


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
        code = _lookup(cell_text(v), STAFF_GROUPS, STAFF_GROUP_ALIASES)
        if code is None:
            raise ValueError(f"unknown staff group; use one of: {', '.join(STAFF_GROUPS)}")
        return code

    @field_validator("metric", mode="before")
    @classmethod
    def _metric(cls, v: Any) -> str:
        code = _lookup(cell_text(v), METRICS, METRIC_ALIASES)
        if code is None:
            raise ValueError(f"unknown metric; use one of: {', '.join(METRICS)}")
        return code

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


def cross_row_issues(rows: Sequence[ValidRow], file_name: str) -> list[Issue]:
    """Rules between rows of one delivery; any issue rejects the file."""
    issues: list[Issue] = []
    by_key: dict[tuple, ValidRow] = {}
    for r in rows:
        if r.data.key in by_key:
            first = by_key[r.data.key]
            issues.append(_issue(file_name, r, "metric",
                                 f"duplicate row: same county, year, staff group, metric and breakdown as row {first.row}"))
        else:
            by_key[r.data.key] = r
    if issues:
        return issues
    groups: dict[tuple[str, int, str], dict[tuple[str, str], ValidRow]] = defaultdict(dict)
    for r in rows:
        groups[(r.data.area_code, r.data.year, r.data.staff_group)][(r.data.metric, r.data.breakdown)] = r
    for (area, year, group), cells in sorted(groups.items()):
        issues.extend(_group_issues(file_name, area, year, group, cells))
    county_years = {(a, y) for a, y, _ in groups}
    for area, year in sorted(county_years):
        issues.extend(_county_year_issues(file_name, area, year, {g: c for (a, y, g), c in groups.items() if (a, y) == (area, year)}))
    return issues


def _issue(file_name: str, r: ValidRow, column: str, reason: str, value: Any = None) -> Issue:
    return Issue(file=file_name, sheet=r.sheet, row=r.row, column=column, value=None if value is None else str(value), reason=reason)


def _v(cells, metric: str, breakdown: str = "total") -> float | None:
    r = cells.get((metric, breakdown))
    return r.data.value if r else None


def _group_issues(file_name: str, area: str, year: int, group: str, cells) -> list[Issue]:
    issues: list[Issue] = []
    any_row = next(iter(cells.values()))
    where = f"county {area}, year {year}, staff group {group}"
    shortage_only = {m for m, _ in cells} <= {"key_shortage_rank", "unfilled_positions"}
    headcount = _v(cells, "headcount")
    if headcount is None and not shortage_only:
        issues.append(_issue(file_name, any_row, "metric",
                             f"{where}: headcount (total) is missing; it is needed for every staff group that reports figures"))
    htv = _v(cells, "person_years_htv2")
    if htv is not None and headcount is not None and htv > HTV_TOLERANCE * headcount:
        issues.append(_issue(file_name, cells[("person_years_htv2", "total")], "value",
                             f"{where}: person-years {htv:g} exceed 1.05 x headcount ({headcount:g})", htv))
    parts = [_v(cells, "headcount", b) for b in ("permanent", "fixed_term")]
    if headcount is not None and sum(p or 0 for p in parts) > headcount:
        issues.append(_issue(file_name, cells[("headcount", "total")], "value",
                             f"{where}: permanent + fixed-term headcount ({sum(p or 0 for p in parts):g}) exceed the total ({headcount:g})"))
    shares = {b: _v(cells, "age_band_share", b) for b in AGE_BANDS}
    if any(s is not None for s in shares.values()):
        total = sum(s or 0 for s in shares.values())
        if abs(total - 100) > SHARE_TOLERANCE:
            missing = [b for b, s in shares.items() if s is None]
            first = next(cells[("age_band_share", b)] for b in AGE_BANDS if shares[b] is not None)
            issues.append(_issue(file_name, first, "value",
                                 f"{where}: age-band shares sum to {total:g} %, not 100 +- {SHARE_TOLERANCE}"
                                 + (f" (missing bands: {', '.join(missing)})" if missing else "")))
    counts = {b: _v(cells, "age_band_count", b) for b in AGE_BANDS}
    if any(c is not None for c in counts.values()) and headcount is not None:
        total = sum(c or 0 for c in counts.values())
        if total != headcount:
            first = next(cells[("age_band_count", b)] for b in AGE_BANDS if counts[b] is not None)
            issues.append(_issue(file_name, first, "value",
                                 f"{where}: age-band counts sum to {total:g}, but headcount is {headcount:g}"))
    turnover = _v(cells, "permanent_turnover_pct")
    if turnover is not None and turnover > 100:  # also caught per row; kept for clarity of the rule
        issues.append(_issue(file_name, cells[("permanent_turnover_pct", "total")], "value", f"{where}: turnover above 100 %", turnover))
    leavers, permanent = _v(cells, "permanent_leavers"), _v(cells, "headcount", "permanent")
    if leavers is not None and permanent is None:
        issues.append(_issue(file_name, cells[("permanent_leavers", "total")], "metric",
                             f"{where}: permanent_leavers needs the permanent headcount (metric headcount, breakdown permanent)"))
    elif leavers is not None and permanent is not None and leavers > permanent:
        issues.append(_issue(file_name, cells[("permanent_leavers", "total")], "value",
                             f"{where}: permanent leavers ({leavers:g}) exceed permanent headcount ({permanent:g}): turnover over 100 %", leavers))
    issues.extend(_consistency_issues(file_name, where, cells, headcount, _v(cells, "headcount", "permanent"), htv))
    if ("unfilled_positions", "total") in cells and group == "all":
        issues.append(_issue(file_name, cells[("unfilled_positions", "total")], "staff_group",
                             "unfilled positions are reported per staff group, not for 'all'"))
    return issues


def _consistency_issues(file_name: str, where: str, cells, headcount, permanent, htv) -> list[Issue]:
    """A ratio delivered next to its counts must agree with them: the marts use the counts."""
    checks = [(f"age_band_share {b}", cells.get(("age_band_share", b)), _v(cells, "age_band_count", b), headcount, 100, 0.5)
              for b in AGE_BANDS]
    checks += [
        ("permanent_turnover_pct", cells.get(("permanent_turnover_pct", "total")), _v(cells, "permanent_leavers"), permanent, 100, 0.5),
        ("sickness_absence_days_per_htv", cells.get(("sickness_absence_days_per_htv", "total")),
         _v(cells, "sickness_absence_days"), htv, 1, 0.05),
        ("training_days_per_htv", cells.get(("training_days_per_htv", "total")), _v(cells, "training_days"), htv, 1, 0.05),
    ]
    issues = []
    for label, ratio_row, numerator, denominator, scale, tolerance in checks:
        if ratio_row is None or numerator is None or not denominator:
            continue
        expected = numerator / denominator * scale
        if abs(ratio_row.data.value - expected) > tolerance:
            issues.append(_issue(file_name, ratio_row, "value",
                                 f"{where}: {label} is {ratio_row.data.value:g} but the delivered counts give {expected:.2f}",
                                 ratio_row.data.value))
    return issues


def _county_year_issues(file_name: str, area: str, year: int, groups: dict[str, dict]) -> list[Issue]:
    issues: list[Issue] = []
    where = f"county {area}, year {year}"
    all_cells = groups.get("all", {})
    first = next(iter(next(iter(groups.values())).values()))
    for metric in ("headcount", "person_years_htv2"):
        if (metric, "total") not in all_cells:
            issues.append(_issue(file_name, first, "metric", f"{where}: staff group 'all' must report {metric} (total)"))
    total = _v(all_cells, "headcount")
    group_sum = sum(_v(c, "headcount") or 0 for g, c in groups.items() if g != "all")
    if total is not None and group_sum > total:
        issues.append(_issue(file_name, all_cells[("headcount", "total")], "value",
                             f"{where}: the staff groups' headcounts sum to {group_sum:g}, more than all staff ({total:g})"))
    ranks: dict[float, ValidRow] = {}
    for g, cells in sorted(groups.items()):
        r = cells.get(("key_shortage_rank", "total"))
        if r is None:
            continue
        if r.data.value in ranks:
            issues.append(_issue(file_name, r, "value",
                                 f"{where}: shortage rank {r.data.value:g} is given to two staff groups (also row {ranks[r.data.value].row})"))
        ranks[r.data.value] = r
        if ("unfilled_positions", "total") not in cells:
            issues.append(_issue(file_name, r, "metric",
                                 f"{where}: staff group {g} has a shortage rank but no unfilled_positions row"))
    return issues


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
