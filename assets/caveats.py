"""``reference/caveats``: curated caveats on measures, regions and years.

Loaded from every ``pipelines/catalog/caveats*.csv`` (``caveats.csv`` is seeded with the sources'
own caveat texts; other helpers add e.g. ``caveats_thl.csv``). Each row is validated with a
typed model so a bad row fails with the file, line and field named, before anything is written.
"""


import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import dagster as dg
import pandas as pd
from pydantic import BaseModel, ValidationError, field_validator, model_validator

from pipelines.metadata import declared_schema, table_result
from pipelines.settings import PROJECT_ROOT
from pipelines.builds import Built, build
from pipelines.sql_assets import writes_warehouse

TABLE = "reference.caveats"
CATALOG_DIR = PROJECT_ROOT / "pipelines" / "catalog"
CAVEAT_COLUMNS = (
    "measure_key", "source_ref", "region_level", "region_code", "year_from", "year_to",
    "severity", "text_en", "text_fi", "source",
)
SEVERITIES = ("not_comparable", "warning", "info")


class CaveatFileError(ValueError):
    """A caveats file that cannot be loaded; the message names file, line and field."""


class Caveat(BaseModel):
    measure_key: str
    source_ref: str | None = None
    region_level: Literal["wellbeing_area", "country", "cooperation_area", "municipality"] | None = None
    region_code: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    severity: Literal["not_comparable", "warning", "info"]
    text_en: str
    text_fi: str | None = None
    source: str

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, v):
        # CSV has no NULL: an empty cell means "applies to all" for the scope columns.
        return None if isinstance(v, str) and not v.strip() else (v.strip() if isinstance(v, str) else v)

    @model_validator(mode="after")
    def _years_ordered(self) -> "Caveat":
        if self.year_from is not None and self.year_to is not None and self.year_to < self.year_from:
            raise ValueError(f"year_to {self.year_to} is before year_from {self.year_from}")
        return self


def caveat_files(directory: Path = CATALOG_DIR) -> list[Path]:
    return sorted(directory.glob("caveats*.csv"))


def read_caveat_file(path: Path) -> list[dict]:
    """Validated rows of one caveats CSV, each with caveat_id and file_name."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in CAVEAT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CaveatFileError(f"caveats file {path.name}: header lacks column(s) {', '.join(missing)}")
        rows = []
        for line_no, raw in enumerate(reader, start=2):
            try:
                caveat = Caveat(**{c: raw.get(c) for c in CAVEAT_COLUMNS})
            except ValidationError as exc:
                first = exc.errors()[0]
                field = ".".join(str(p) for p in first["loc"]) or "row"
                raise CaveatFileError(
                    f"caveats file {path.name}, line {line_no}, field {field}: {first['msg']} "
                    f"(value {raw.get(field)!r})"
                ) from exc
            rows.append({"caveat_id": f"{path.stem}:{line_no}", **caveat.model_dump(), "file_name": path.name})
    return rows


def load_caveats_frame(files: Sequence[Path]) -> pd.DataFrame:
    rows = [row for path in files for row in read_caveat_file(path)]
    frame = pd.DataFrame(rows, columns=["caveat_id", *CAVEAT_COLUMNS, "file_name"])
    return frame.astype({"year_from": "Int64", "year_to": "Int64"})


def build_caveats(con, files: Sequence[Path]) -> Built:
    """(Re)build reference.caveats from ``files`` unless they did not change."""
    return build(con, TABLE, "reference/caveats", files=files,
                 frames=lambda: {"caveats_input": load_caveats_frame(files)},
                 detail={"files": [p.name for p in files]})


@dg.asset(
    key=["reference", "caveats"],
    group_name="reference",
    **writes_warehouse(),
    metadata=declared_schema("reference/caveats", "reference.caveats"),
    description=(
        "Curated caveats (measure, optional source_ref, region and year range, severity, text in English "
        "and Finnish) from pipelines/catalog/caveats*.csv, seeded with the sources' own caveat texts such "
        "as Sotkanet indicator 3336's limits text on Helsinki's missing waiting-time data. Severity "
        "not_comparable flags rows in the marts; other caveats are shown as text."
    ),
)
def caveats(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    files = caveat_files()
    with context.resources.warehouse.connect() as con:
        built = build_caveats(con, files)
        return table_result(con, TABLE, built, files=", ".join(p.name for p in files))
