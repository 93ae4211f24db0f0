"""Typed settings for the whole project, read from environment variables prefixed ``SOTE_``.

Every path is relative to the project root unless given absolute, so a fresh clone works
without configuration and a deployment points the same names somewhere else.
"""

from __future__ import annotations

import os
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "SOTE_"
# The earliest statistics year Sotkanet publishes; no source publishes a year that has not begun.
FIRST_PUBLISHED_YEAR = 1990
_MEMORY = re.compile(r"^\s*(\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)|\d{1,2}(\.\d+)?\s*%|100\s*%)\s*$", re.IGNORECASE)
# Paths the pipeline writes; replay_path is only read.
WRITABLE_PATHS = ("warehouse_path", "serving_path", "archive_path", "report_path", "landing_path", "dagster_home")


class SettingsError(ValueError):
    """One or more settings are invalid; ``lines`` has one sentence per problem, naming the variable."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def _resolve(path: Path) -> Path:
    return path if path.is_absolute() else (PROJECT_ROOT / path)


class Settings(BaseSettings):
    """All knobs of the pipeline. Environment variable = ``SOTE_`` + field name in capitals."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore")

    warehouse_path: Path = Field(Path("var/warehouse.duckdb"), description="DuckDB writer file (raw, staging, marts).")
    serving_path: Path = Field(Path("var/serving.duckdb"), description="Published read-only copy for BI tools.")
    archive_path: Path = Field(Path("var/archive"), description="Runtime raw archive: every payload fetched or received.")
    replay_path: Path = Field(Path("data/sample"), description="Archive served instead of the network in replay mode.")
    report_path: Path = Field(Path("var/reports"), description="Charts and static HTML reports.")
    landing_path: Path = Field(Path("var/landing"), description="Folder watched for personnel and curated deliveries.")
    landing_settle_seconds: float = Field(
        30.0, ge=0, le=86400,
        description="A landing file is taken once unchanged this long, or at once when renamed into place "
        "after writing (e.g. from name.csv.part); see docs/personnel_format.md, 'How to deliver'.")
    landing_max_bytes: int = Field(
        20_000_000, ge=1_000, le=2_000_000_000,
        description="Largest landing delivery read; bigger files are refused unread with a report.")
    source_mode: Literal["replay", "live"] = Field("replay", description="replay: read replay_path; live: call the APIs.")
    http_concurrency: int = Field(4, ge=1, le=32, description="Concurrent HTTP requests per source (be polite).")
    http_timeout_s: float = Field(30.0, gt=0)
    http_retries: int = Field(4, ge=0, le=10, description="Retries on 429/5xx/timeouts, exponential backoff.")
    http_backoff_s: float = Field(1.0, ge=0, description="First backoff delay; doubles per retry.")
    user_agent: str = Field(
        "sote-indicators/0.1 (+https://github.com/sote-indicators; national sote objective monitoring)",
        description="Sent on every request; Sotkanet answers 403 without one.",
    )
    sotkanet_base_url: str = "https://sotkanet.fi/rest/1.1"
    thl_base_url: str = "https://sampo.thl.fi/pivot/prod"
    year_start: int = Field(2015, ge=FIRST_PUBLISHED_YEAR, description="First statistics year fetched.")
    year_end: int = Field(2024, ge=FIRST_PUBLISHED_YEAR, description="Last statistics year fetched (at most this year).")
    baseline_year: int = Field(2022, ge=FIRST_PUBLISHED_YEAR, description="Baseline of progress over the objective "
                               "period 2023-2026: change_since_baseline and trend_direction compare with this year "
                               "(or the first later year with data).")
    duckdb_memory_limit: str = Field("2GB", description="DuckDB memory_limit for the warehouse connection, e.g. 2GB, 512MiB, 50%.")
    duckdb_threads: int = Field(2, ge=1, le=256)
    dagster_home: Path = Field(Path("var/dagster_home"), description="Persistent Dagster instance folder.")

    @field_validator("year_end")
    @classmethod
    def _year_published(cls, v: int) -> int:
        if v > date.today().year:
            raise ValueError(f"expected a year from {FIRST_PUBLISHED_YEAR} to {date.today().year}: "
                             "no source publishes statistics for a year that has not begun")
        return v

    @field_validator("duckdb_memory_limit")
    @classmethod
    def _memory_syntax(cls, v: str) -> str:
        if not _MEMORY.match(v) or float(re.match(r"\s*([\d.]+)", v).group(1)) <= 0:
            raise ValueError("expected a DuckDB memory size: a positive number with a unit "
                             "(KB, MB, GB, TB, KiB, MiB, GiB, TiB), e.g. 2GB, or a percentage of RAM, e.g. 50%")
        return v

    @field_validator("sotkanet_base_url", "thl_base_url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if not re.match(r"^https?://[^\s/]+", v):
            raise ValueError("expected an http:// or https:// URL")
        return v.rstrip("/")

    @model_validator(mode="after")
    def _years_ordered(self) -> "Settings":
        if self.year_start > self.year_end:
            raise ValueError(f"{ENV_PREFIX}YEAR_START={self.year_start} is after {ENV_PREFIX}YEAR_END={self.year_end}: "
                             "the years window needs start <= end")
        return self

    @property
    def years(self) -> list[int]:
        return list(range(self.year_start, self.year_end + 1))

    def resolved(self) -> "Settings":
        """A copy with every path made absolute against the project root."""
        updates = {
            name: _resolve(getattr(self, name))
            for name, field in type(self).model_fields.items()
            if field.annotation is Path
        }
        return self.model_copy(update=updates)


@lru_cache(maxsize=1)
def _cached() -> Settings:
    return load_settings()


def get_settings(**overrides) -> Settings:
    """Settings from the environment (cached), optionally with explicit overrides (tests).

    Raises ``SettingsError`` (one line per invalid setting) instead of pydantic's traceback.
    """
    if overrides:
        return load_settings(**overrides)
    return _cached()


def load_settings(**overrides) -> Settings:
    """Validate every setting (types, ranges, choices, years, paths) before any work starts."""
    from pipelines.settings_errors import describe_errors, path_problems

    try:
        settings = Settings(**overrides).resolved()
    except ValidationError as exc:
        raise SettingsError(describe_errors(exc, Settings)) from None
    problems = path_problems(settings)
    if problems:
        raise SettingsError(problems)
    return settings


def ensure_dagster_home(settings: Settings | None = None) -> Path:
    """Point DAGSTER_HOME at the persistent folder unless the operator already set one."""
    settings = settings or get_settings()
    home = Path(os.environ.get("DAGSTER_HOME") or settings.dagster_home)
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    return home
