"""Cube specs: which THL cube answers which measure, declared as configuration.

One TOML file per measure in ``pipelines/cube_specs/``. Adding a cube is adding a file: the
client, the staging SQL and the fragment read everything cube-specific from here (subject,
hydra, fact, selectors, which dimension and stage are region / time / breakdown / measure,
the region mapping, the year aggregation rule and known gaps). See docs/thl_cubes.md.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipelines.contract import UNITS

SPEC_DIR = Path(__file__).resolve().parent.parent / "cube_specs"
SelectorMode = Literal["children", "subset", "list", "level"]
REGION_LEVELS = ("wellbeing_area", "country", "cooperation_area")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SelectorSpec(_Strict):
    """One row/column/filter level. Either explicit ``sids`` or ``stages`` resolved from the tree.

    mode: children = ``dim-<sid>`` (children + the node appended as total), subset = ``dim-<sid>.``,
    list = ``dim-<sid1>.<sid2>...``, level = ``dim-<sid>L`` (every node on that node's stage).
    """

    dimension: str
    mode: SelectorMode
    sids: list[str] = Field(default_factory=list)
    stages: list[str] = Field(default_factory=list, description="list mode only: every node on these stages, tree order")

    @model_validator(mode="after")
    def _one_source(self):
        if bool(self.sids) == bool(self.stages):
            raise ValueError(f"selector on '{self.dimension}': give exactly one of sids or stages")
        if self.stages and self.mode != "list":
            raise ValueError(f"selector on '{self.dimension}': stages need mode = 'list'")
        if self.mode in ("children", "subset", "level") and len(self.sids) != 1:
            raise ValueError(f"selector on '{self.dimension}': mode '{self.mode}' takes exactly one sid")
        for sid in self.sids:
            if not sid.isdigit():
                raise ValueError(f"selector on '{self.dimension}': sid {sid!r} is not a number")
        return self


class ChunkSpec(_Strict):
    """Split the fact query into one request per node of ``stage`` (e.g. one per year)."""

    dimension: str
    stage: str
    axis: Literal["row", "column"] = "column"
    mode: Literal["children", "subset"] = "children"


class QuerySpec(_Strict):
    rows: list[SelectorSpec] = Field(default_factory=list)
    columns: list[SelectorSpec] = Field(default_factory=list)
    filters: list[SelectorSpec] = Field(default_factory=list)
    chunk: ChunkSpec | None = None


class RegionRule(_Strict):
    """Maps region-dimension nodes to canonical regions.

    Match by ``stage`` (every node on that stage; the canonical code comes from the node code via
    ``code_pattern`` unless ``region_codes`` is given) or by ``sid`` (one provider node mapped to
    the organiser(s) responsible for it). Several region codes = a many-to-one node (e.g. HUS
    for the Uusimaa counties and Helsinki): each gets the node's value, flagged not comparable.
    """

    stage: str | None = None
    sid: str | None = None
    label_hint: str | None = Field(None, description="Human note only; never used for matching.")
    region_level: Literal["wellbeing_area", "country", "cooperation_area"]
    region_codes: list[str] = Field(default_factory=list)
    code_pattern: str | None = Field(None, description="regex with one group: node code -> region code")
    comparable: bool = True
    caveat_en: str | None = None
    caveat_fi: str | None = None

    @model_validator(mode="after")
    def _check(self):
        if (self.stage is None) == (self.sid is None):
            raise ValueError("region rule: give exactly one of stage or sid")
        if not self.region_codes and not self.code_pattern:
            raise ValueError("region rule: give region_codes or code_pattern")
        if self.code_pattern:
            re.compile(self.code_pattern)
        if not self.comparable and not self.caveat_en:
            raise ValueError("region rule: a not-comparable mapping needs caveat_en")
        return self


class RegionSpec(_Strict):
    dimension: str
    rules: list[RegionRule]


class TimeSpec(_Strict):
    dimension: str
    period_stage: str = Field(description="Stage of the periods aggregated to the year (months, snapshots).")
    year_pattern: str = Field(r"^(\d{4})", description="regex with one group: period node code -> year")


class BreakdownNode(_Strict):
    sid: str
    value: str = Field(description="breakdown value in marts.measure_values ('total' for the all-groups node)")
    label_hint: str | None = None


class BreakdownSpec(_Strict):
    dimension: str
    nodes: list[BreakdownNode]


class MeasureSpec(_Strict):
    dimension: str = "measure"
    value_sid: str = Field(description="The measure node whose value is published; also the source_ref.")
    weight_sid: str | None = Field(None, description="Count measure used as weight by weighted_mean.")
    aggregation: Literal["weighted_mean", "mean"] = "weighted_mean"
    aggregation_rule: str = Field(description="The documented period -> year rule, in words.")


class GapSpec(_Strict):
    year: int
    reason: str


class CubeSpec(_Strict):
    key: str
    measure_key: str
    objective_key: str
    title_en: str
    subject: str
    hydra: str
    fact: str
    lang: Literal["fi", "sv", "en"] = "fi"
    unit: str
    years: list[int]
    suppression_markers: list[str] = Field(default_factory=lambda: [".."])
    query: QuerySpec
    region: RegionSpec
    time: TimeSpec
    breakdown: BreakdownSpec | None = None
    measure: MeasureSpec
    gaps: list[GapSpec] = Field(default_factory=list)
    notes: str = ""

    @field_validator("unit")
    @classmethod
    def _unit(cls, v: str) -> str:
        if v not in UNITS:
            raise ValueError(f"unit {v!r} is not one of {UNITS}")
        return v

    @field_validator("fact")
    @classmethod
    def _fact(cls, v: str) -> str:
        if not v.startswith("fact_"):
            raise ValueError(f"fact {v!r} must be the full fact name, e.g. fact_ahil_pthjono01")
        return v

    @model_validator(mode="after")
    def _consistent(self):
        used = [s.dimension for s in self.query.rows + self.query.columns + self.query.filters]
        if self.query.chunk:
            used.append(self.query.chunk.dimension)
        # filters vanish from the output: the role dimensions must be rows or columns
        shown = {s.dimension for s in self.query.rows + self.query.columns}
        if self.query.chunk:
            shown.add(self.query.chunk.dimension)
        for role, dim in (("region", self.region.dimension), ("time", self.time.dimension), ("measure", self.measure.dimension)):
            if dim not in shown:
                raise ValueError(f"spec {self.key}: {role} dimension '{dim}' must be a row or column level, not a filter")
        if self.breakdown and self.breakdown.dimension not in shown:
            raise ValueError(f"spec {self.key}: breakdown dimension '{self.breakdown.dimension}' must be a row or column")
        if self.measure.aggregation == "weighted_mean" and not self.measure.weight_sid:
            raise ValueError(f"spec {self.key}: weighted_mean needs measure.weight_sid")
        for gap in self.gaps:
            if gap.year not in self.years:
                raise ValueError(f"spec {self.key}: gap year {gap.year} is outside years {self.years}")
        return self

    @property
    def source_ref(self) -> str:
        return self.measure.value_sid

    @property
    def breakdown_values(self) -> list[str]:
        return [n.value for n in self.breakdown.nodes] if self.breakdown else ["total"]

    def gap_reason(self, year: int) -> str | None:
        return next((g.reason for g in self.gaps if g.year == year), None)

    def describe(self) -> str:
        return f"THL cube {self.subject}/{self.hydra}/{self.fact} (spec {self.key}, measure {self.measure_key})"


def load_spec(path: Path) -> CubeSpec:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"cube spec {path}: not valid TOML ({exc})") from exc
    try:
        return CubeSpec.model_validate(data)
    except ValueError as exc:
        raise ValueError(f"cube spec {path}: {exc}") from exc


def load_specs(folder: Path | str = SPEC_DIR) -> list[CubeSpec]:
    folder = Path(folder)
    specs = [load_spec(p) for p in sorted(folder.glob("*.toml"))]
    keys = [s.key for s in specs]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ValueError(f"cube specs in {folder}: duplicate keys {dupes}")
    return specs


@lru_cache(maxsize=4)
def _cached(folder: str) -> tuple[CubeSpec, ...]:
    return tuple(load_specs(Path(folder)))


def default_specs() -> Sequence[CubeSpec]:
    return _cached(str(SPEC_DIR))


def specs_fingerprint(specs: Sequence[CubeSpec]) -> str:
    return hashlib.sha256("".join(s.model_dump_json() for s in specs).encode()).hexdigest()
