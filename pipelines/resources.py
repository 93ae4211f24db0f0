"""Dagster resources: the DuckDB warehouse, the raw archive (live or replay), the source clients
(Sotkanet, THL cubes) and the settings, each with typed config fields the UI shows (Deployment -> Resources); a field set from a ``SOTE_*``
environment variable is an ``EnvVar``, so the UI names the variable instead of copying its value."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, get_origin

import dagster as dg
import duckdb
from pydantic import Field

from pipelines.archive import RawArchive
from pipelines.settings import ENV_PREFIX, Settings, get_settings, load_settings
from pipelines.sources.sotkanet import SotkanetClient
from pipelines.sources.thl_cube import ThlCubeClient
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


class SotkanetResource(dg.ConfigurableResource):
    """Builds the Sotkanet client. The archive's mode picks the transport, as Dagster's
    project_fully_featured swaps a live client for a snapshot one: ``live`` asks ``base_url`` and
    archives every body; ``replay`` answers the same requests from the replay archive."""

    archive: ArchiveResource
    base_url: str = Field(description="Sotkanet REST API root (SOTE_SOTKANET_BASE_URL); used in live mode.")

    def client(self, settings: Settings) -> SotkanetClient:
        return SotkanetClient(settings.model_copy(update={"sotkanet_base_url": self.base_url}), live=self.archive.is_live,
                              runtime=self.archive.runtime(), replay=self.archive.replay())


class ThlCubeResource(dg.ConfigurableResource):
    """Builds the THL pivot-cube client, live (``base_url``, archiving every body) or replay, by the
    archive's mode. ``client`` is called inside the fetch's event loop (the client owns an async pool)."""

    archive: ArchiveResource
    base_url: str = Field(description="THL pivot API root (SOTE_THL_BASE_URL); used in live mode.")

    def client(self, settings: Settings) -> ThlCubeClient:
        live = self.archive.is_live
        return ThlCubeClient(settings.model_copy(update={"thl_base_url": self.base_url}), live=live,
                             runtime=self.archive.runtime() if live else None,
                             replay=None if live else self.archive.replay())


def _config_type(annotation):
    """Dagster config type of a Settings field: paths and choices travel as text."""
    if annotation is Path or get_origin(annotation) is Literal:
        return str
    return annotation


class _SettingsFields(dg.ConfigurableResource):
    def get(self) -> Settings:
        """The validated, typed settings (every field of this resource, paths resolved)."""
        return load_settings(**{name: getattr(self, name) for name in Settings.model_fields})


# One typed config field per setting (the UI lists them under Resources -> settings, each with
# its description), generated from Settings so the two can never drift apart.
SettingsResource = type("SettingsResource", (_SettingsFields,), {
    "__doc__": "Every setting of pipelines/settings.py as a typed field; ``get()`` returns the validated Settings.",
    "__module__": __name__,
    "__annotations__": {name: _config_type(f.annotation) for name, f in Settings.model_fields.items()},
    **{name: Field(description=f.description or f"SOTE_{name.upper()}") for name, f in Settings.model_fields.items()},
})


def _field_value(settings: Settings, name: str):
    """The setting's value, or ``EnvVar`` when the environment holds exactly that value, so the UI
    shows where it came from (the variable name) instead of a copy."""
    value = getattr(settings, name)
    env = f"{ENV_PREFIX}{name.upper()}"
    if isinstance(value, Path):
        value = str(value)
    if isinstance(value, str) and os.environ.get(env) == value:
        return dg.EnvVar(env)
    return value


def build_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    archive = ArchiveResource(
        source_mode=_field_value(settings, "source_mode"), runtime_path=_field_value(settings, "archive_path"),
        replay_path=_field_value(settings, "replay_path"),
    )
    return {
        "warehouse": WarehouseResource(
            path=_field_value(settings, "warehouse_path"), memory_limit=_field_value(settings, "duckdb_memory_limit"),
            threads=settings.duckdb_threads,
        ),
        "archive": archive,
        "sotkanet": SotkanetResource(archive=archive, base_url=_field_value(settings, "sotkanet_base_url")),
        "thl_cube": ThlCubeResource(archive=archive, base_url=_field_value(settings, "thl_base_url")),
        "settings": SettingsResource(**{name: _field_value(settings, name) for name in Settings.model_fields}),
    }
