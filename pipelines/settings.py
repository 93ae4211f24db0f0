"""Typed settings for the whole project, read from environment variables prefixed ``SOTE_``.

Every path is relative to the project root unless given absolute, so a fresh clone works
without configuration and a deployment points the same names somewhere else.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _resolve(path: Path) -> Path:
    return path if path.is_absolute() else (PROJECT_ROOT / path)


class Settings(BaseSettings):
    """All knobs of the pipeline. Environment variable = ``SOTE_`` + field name in capitals."""

    model_config = SettingsConfigDict(env_prefix="SOTE_", env_file=".env", extra="ignore")

    warehouse_path: Path = Field(Path("var/warehouse.duckdb"), description="DuckDB writer file (raw, staging, marts).")
    serving_path: Path = Field(Path("var/serving.duckdb"), description="Published read-only copy for BI tools.")
    archive_path: Path = Field(Path("var/archive"), description="Runtime raw archive: every payload fetched or received.")
    replay_path: Path = Field(Path("data/sample"), description="Archive served instead of the network in replay mode.")
    report_path: Path = Field(Path("var/reports"), description="Charts and static HTML reports.")
    landing_path: Path = Field(Path("var/landing"), description="Folder watched for personnel and curated deliveries.")
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
    year_start: int = Field(2015, ge=1990)
    year_end: int = Field(2024, ge=1990)
    duckdb_memory_limit: str = Field("2GB", description="DuckDB memory_limit for the warehouse connection.")
    duckdb_threads: int = Field(2, ge=1)
    dagster_home: Path = Field(Path("var/dagster_home"), description="Persistent Dagster instance folder.")

    @field_validator("year_end")
    @classmethod
    def _years_ordered(cls, v: int, info) -> int:
        start = info.data.get("year_start")
        if start is not None and v < start:
            raise ValueError(f"year_end {v} is before year_start {start}")
        return v

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
    return Settings().resolved()


def get_settings(**overrides) -> Settings:
    """Settings from the environment (cached), optionally with explicit overrides (tests)."""
    if overrides:
        return Settings(**overrides).resolved()
    return _cached()


def ensure_dagster_home(settings: Settings | None = None) -> Path:
    """Point DAGSTER_HOME at the persistent folder unless the operator already set one."""
    settings = settings or get_settings()
    home = Path(os.environ.get("DAGSTER_HOME") or settings.dagster_home)
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    return home
