"""Dagster resources: the DuckDB warehouse and the raw archive (live or replay)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.archive import RawArchive
from pipelines.settings import Settings, get_settings
from pipelines.warehouse import connect


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB writer file. Open per step, close in ``finally``; writers share pool ``duckdb_write``."""

    path: str
    memory_limit: str = "2GB"
    threads: int = 2

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        settings = get_settings().model_copy(update={"duckdb_memory_limit": self.memory_limit, "duckdb_threads": self.threads})
        with connect(Path(self.path), read_only=read_only, settings=settings) as con:
            yield con


class ArchiveResource(dg.ConfigurableResource):
    """Where payloads come from (``replay`` archive or the ``live`` network) and where they are kept."""

    source_mode: str = "replay"
    runtime_path: str
    replay_path: str

    @property
    def is_live(self) -> bool:
        return self.source_mode == "live"

    def runtime(self) -> RawArchive:
        return RawArchive(self.runtime_path, writable=True)

    def replay(self) -> RawArchive:
        return RawArchive(self.replay_path, writable=False)

    def reading(self) -> RawArchive:
        """The archive that holds this run's payloads: replay archive in replay mode, runtime otherwise."""
        return self.replay() if not self.is_live else self.runtime()


class SettingsResource(dg.ConfigurableResource):
    """The typed settings, for assets that need more than paths (HTTP limits, years, User-Agent)."""

    overrides_json: str = "{}"

    def get(self) -> Settings:
        import json

        overrides = json.loads(self.overrides_json)
        return get_settings(**overrides) if overrides else get_settings()


def build_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    overrides = settings.model_dump(mode="json")
    import json

    return {
        "warehouse": WarehouseResource(
            path=str(settings.warehouse_path), memory_limit=settings.duckdb_memory_limit, threads=settings.duckdb_threads
        ),
        "archive": ArchiveResource(
            source_mode=settings.source_mode, runtime_path=str(settings.archive_path), replay_path=str(settings.replay_path)
        ),
        "settings": SettingsResource(overrides_json=json.dumps(overrides)),
    }
