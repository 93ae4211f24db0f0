"""The personnel-report vocabulary (objective 2.1.2, KT 2021 based), read from the data files in
``pipelines/catalog/personnel/`` (their README says what each holds). The same files are loaded
into ``reference.personnel_*`` for the SQL, so parser, suites, SQL and sample builder share one
source. docs/personnel_format.md documents the vocabulary for county analysts."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from pipelines.sources.files import normalise_name

SOURCE = "personnel"  # raw-archive source name (manifest/personnel.jsonl)
FRAGMENT_SOURCE = "personnel_report"  # source family in marts.measure_values
SHEET_NAMES = ("personnel", "henkilosto", "henkilöstö", "data")
SYNTHETIC_MARK = "SYNTHETIC"
HTV_TOLERANCE = 1.05  # person-years may exceed headcount by 5 % (staff who left during the year)
SHARE_TOLERANCE = 0.5  # age-band shares must sum to 100 +- 0.5 (rounding)

VOCABULARY_DIR = Path(__file__).resolve().parents[2] / "catalog" / "personnel"
VOCABULARY_FILES = {name: VOCABULARY_DIR / f"{name}.csv" for name in
                    ("columns", "metrics", "breakdowns", "staff_groups", "units")}


def _rows(name: str) -> list[dict[str, str]]:
    with VOCABULARY_FILES[name].open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _aliases(rows: list[dict[str, str]], key: str) -> dict[str, str]:
    return {alias: row[key] for row in rows for alias in row["aliases"].split("|") if alias}


def _true(text: str) -> bool:
    return text.strip().lower() == "true"


_columns, _metrics, _breakdowns = _rows("columns"), _rows("metrics"), _rows("breakdowns")
_groups, _units = _rows("staff_groups"), _rows("units")

COLUMNS = tuple(r["column"] for r in _columns)
REQUIRED_COLUMNS = tuple(r["column"] for r in _columns if _true(r["required"]))
OPTIONAL_COLUMNS = tuple(r["column"] for r in _columns if not _true(r["required"]))
COLUMN_ALIASES = _aliases(_columns, "column")

BREAKDOWN_SETS: dict[str, tuple[str, ...]] = {}
for _r in _breakdowns:
    BREAKDOWN_SETS[_r["breakdowns"]] = (*BREAKDOWN_SETS.get(_r["breakdowns"], ()), _r["breakdown"])
AGE_BANDS = BREAKDOWN_SETS["age_band"]
AGE_BANDS_55_PLUS = tuple(r["breakdown"] for r in _breakdowns if r["breakdowns"] == "age_band" and _true(r["is_55_plus"]))
HEADCOUNT_BREAKDOWNS = BREAKDOWN_SETS["headcount"]
LEAVER_BREAKDOWNS = BREAKDOWN_SETS["leaver"]
BREAKDOWN_ALIASES = _aliases(_breakdowns, "breakdown")

# metric -> (unit, allowed breakdowns, definition)
METRICS: dict[str, tuple[str, tuple[str, ...], str]] = {
    r["metric"]: (r["unit"], BREAKDOWN_SETS[r["breakdowns"]], r["definition"]) for r in _metrics
}
METRIC_ALIASES = _aliases(_metrics, "metric")

STAFF_GROUPS: dict[str, tuple[str, str]] = {r["staff_group"]: (r["label_fi"], r["label_en"]) for r in _groups}
STAFF_GROUP_ALIASES = _aliases(_groups, "staff_group")

INTEGER_UNITS = tuple(r["unit"] for r in _units if _true(r["is_integer"]))
UNIT_ALIASES = _aliases(_units, "unit")


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
