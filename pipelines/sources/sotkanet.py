"""Sotkanet REST API 1.1 client (docs: ../shared/docs/sotkanet-api.md).

What the API demands and this client does:
- a User-Agent on every request (403 without one);
- ``years`` repeated once per year (a comma list is HTTP 400) and ``genders`` always given, taken
  from the indicator's own ``classifications.sex.values`` (asking for others returns nothing);
- one indicator per data request, no server-side region filter (filtering happens in SQL);
- polite fetching: bounded concurrency, backoff on 429/5xx/timeouts, and no data download for an
  indicator whose ``data-updated`` has not changed since the last archived fetch.

Payloads are not parsed into Python rows here: they are validated, archived byte-for-byte and
handed to DuckDB (``sql/staging/sotkanet_*.sql``) as files, so loads stay bulk.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import httpx

from pipelines.archive import ArchiveIntegrityError, ManifestEntry, RawArchive, split_url
from pipelines.settings import Settings
from pipelines.sources.http import HttpStats, SourceError, build_client, get_with_retries

log = logging.getLogger(__name__)

SOURCE = "sotkanet"
ALL_GENDERS = ("male", "female", "total")


class SotkanetError(SourceError):
    pass


@dataclass(frozen=True)
class Payload:
    """An archived Sotkanet body, ready for the staging SQL."""

    kind: str  # regions | indicator | data
    indicator: int | None
    url: str
    params: tuple[tuple[str, str], ...]
    sha256: str
    path: Path
    fetched_at: str
    synthetic: bool
    data_updated: str | None = None
    reused: bool = False  # True when an unchanged archived fetch was reused instead of downloading


@dataclass
class FetchReport:
    payloads: list[Payload] = field(default_factory=list)
    stats: HttpStats = field(default_factory=HttpStats)


def data_params(indicator: int, years: Iterable[int], genders: Iterable[str]) -> list[tuple[str, str]]:
    """Query of ``/json``: ``years`` and ``genders`` repeated per value, never comma-joined."""
    params = [("indicator", str(indicator))]
    params += [("years", str(y)) for y in years]
    params += [("genders", g) for g in genders]
    return params


def genders_of(metadata: dict[str, Any]) -> list[str]:
    """Genders to request: those the indicator publishes; ``total`` when it declares none."""
    sex = (metadata.get("classifications") or {}).get("sex") or {}
    values = [v for v in (sex.get("values") or []) if v in ALL_GENDERS]
    return values or ["total"]


class SotkanetClient:
    """One client for live and replay: only the transport differs."""

    def __init__(
        self,
        settings: Settings,
        *,
        live: bool,
        runtime: RawArchive,
        replay: RawArchive | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        self.settings = settings
        self.live = live
        self.runtime = runtime
        self.replay = replay
        self.base = settings.sotkanet_base_url.rstrip("/")
        self.transport = transport
        self.report = FetchReport()
        self._accepted: dict[str, ManifestEntry] | None = None

    # -- public ---------------------------------------------------------------------------
    def fetch_all(self, indicators: Sequence[int], years: Sequence[int]) -> FetchReport:
        return asyncio.run(self.afetch_all(indicators, years))

    async def afetch_all(self, indicators: Sequence[int], years: Sequence[int]) -> FetchReport:
        self._accepted = None  # re-read the runtime manifest once per fetch
        semaphore = asyncio.Semaphore(self.settings.http_concurrency)
        async with build_client(self.settings, live=self.live, replay=self.replay, transport=self.transport) as client:
            tasks = [self._regions(client, semaphore)]
            tasks += [self._indicator_and_data(client, semaphore, i, years) for i in indicators]
            results = await asyncio.gather(*tasks)
        for r in results:
            self.report.payloads.extend(r if isinstance(r, list) else [r])
        return self.report

    # -- steps ----------------------------------------------------------------------------
    async def _regions(self, client, semaphore) -> Payload:
        return await self._get(client, semaphore, "regions", None, f"{self.base}/regions", [])

    async def _indicator_and_data(self, client, semaphore, indicator: int, years: Sequence[int]) -> list[Payload]:
        meta_payload = await self._get(client, semaphore, "indicator", indicator, f"{self.base}/indicators/{indicator}", [])
        metadata = json.loads(meta_payload.path.read_bytes())
        if not isinstance(metadata, dict) or metadata.get("id") != indicator:
            raise SotkanetError(
                f"Sotkanet indicator {indicator}: metadata at {self.base}/indicators/{indicator} is not the "
                f"object of indicator {indicator} (got id {metadata.get('id') if isinstance(metadata, dict) else type(metadata).__name__})"
            )
        data_updated = metadata.get("data-updated")
        url = f"{self.base}/json"
        params = data_params(indicator, years, genders_of(metadata))
        reused = self._unchanged_fetch(url, params, data_updated) if self.live else None
        if reused is not None:
            self.report.stats.skipped_unchanged += 1
            data_payload = self._payload("data", indicator, reused, reused=True)
        else:
            data_payload = await self._get(client, semaphore, "data", indicator, url, params, data_updated=data_updated)
        return [meta_payload.__class__(**{**meta_payload.__dict__, "data_updated": data_updated}), data_payload]

    async def _get(self, client, semaphore, kind, indicator, url, params, data_updated=None) -> Payload:
        what = "regions list" if kind == "regions" else f"indicator {indicator} {'metadata' if kind == 'indicator' else 'data'}"

        def describe() -> str:
            return f"Sotkanet {what}: {httpx.URL(url, params=params)}"

        response = await get_with_retries(
            client, url, params, settings=self.settings, semaphore=semaphore, stats=self.report.stats, describe=describe
        )
        body = response.content
        error = _problem(response, kind)
        if not self.live:
            if error is not None:
                raise SotkanetError(f"{describe()}: {error}")
            entry = self.replay.lookup("GET", *split_url(response.request.url))
            return self._payload(kind, indicator, entry, data_updated=data_updated)
        # Validating and archiving a body is CPU and disk work; done on the event loop it would
        # delay the next requests (measured: fetch 1.45x the ideal time; bench/fetch.py). In a
        # worker thread, DuckDB's JSON check, sha256 and the file write run without the GIL.
        entry, error = await asyncio.to_thread(
            self._validate_and_archive, body, kind, indicator, url, params, response, error, data_updated
        )
        if error is not None:
            raise SotkanetError(f"{describe()}: {error}")
        return self._payload(kind, indicator, entry, data_updated=data_updated, archive=self.runtime)

    def _validate_and_archive(self, body, kind, indicator, url, params, response, error, data_updated):
        """Live mode: archive the body (rejected ones with ok=False and the reason); (entry, error)."""
        if error is None:
            error = _invalid_json(body, kind)
        if error is not None:
            self.runtime.put(
                body, source=SOURCE, url=url, params=params, status=response.status_code, ok=False, error=error,
                content_type=response.headers.get("content-type"), meta={"kind": kind, "indicator": indicator},
            )
            return None, error
        entry = self.runtime.put(
            body, source=SOURCE, url=url, params=params, status=response.status_code,
            content_type=response.headers.get("content-type"),
            meta={"kind": kind, "indicator": indicator, "data_updated": data_updated},
        )
        return entry, None

    def _unchanged_fetch(self, url, params, data_updated) -> ManifestEntry | None:
        """The last accepted archived fetch of the same request, if the indicator's data did not change since."""
        if not data_updated:
            return None
        wanted = ManifestEntry(source=SOURCE, url=url, params=params, fetched_at="", sha256="", size=0).request_key
        last = self._last_accepted().get(wanted)
        if not last or last.meta.get("data_updated") != data_updated:
            return None
        try:
            self.runtime.verify(last)
        except ArchiveIntegrityError as exc:
            log.warning(f"not reusing a damaged archived payload, fetching it again: {exc}")
            return None
        return last

    def _last_accepted(self) -> dict[str, ManifestEntry]:
        """Last accepted runtime-archive entry per request, read once per client: re-reading the
        manifest for every indicator was quadratic. Entries this run appends answer other requests
        (each request is made once per run), so the snapshot gives the same answers."""
        if self._accepted is None:
            self._accepted = {e.request_key: e for e in self.runtime.entries(SOURCE) if e.ok}
        return self._accepted

    def _payload(self, kind, indicator, entry: ManifestEntry, *, data_updated=None, reused=False, archive=None) -> Payload:
        archive = archive or (self.runtime if (self.live or reused) else self.replay)
        return Payload(
            kind=kind, indicator=indicator, url=entry.url, params=tuple(map(tuple, entry.params)), sha256=entry.sha256,
            path=archive.object_path(entry.sha256), fetched_at=entry.fetched_at, synthetic=entry.synthetic,
            data_updated=data_updated or entry.meta.get("data_updated"), reused=reused,
        )


def _problem(response: httpx.Response, kind: str) -> str | None:
    status = response.status_code
    if status == 200:
        return None
    hints = {
        400: "HTTP 400 Bad Request: Sotkanet wants 'years' repeated once per year and both 'years' and 'genders' given",
        403: "HTTP 403 Forbidden: Sotkanet refuses requests without a User-Agent (setting SOTE_USER_AGENT) or for closed indicators",
        404: "HTTP 404 Not Found: no such indicator or endpoint",
    }
    return hints.get(status, f"HTTP {status}") + (f"; body starts {response.content[:120]!r}" if response.content else "")


def _invalid_json(body: bytes, kind: str) -> str | None:
    expected_type = "OBJECT" if kind == "indicator" else "ARRAY"
    if _duckdb_json_type(body) == expected_type:
        return None  # fast path; anything else takes the Python path below for the exact message
    try:
        doc = json.loads(body)
    except ValueError as exc:
        if isinstance(exc, UnicodeDecodeError):  # has no .msg; was an AttributeError before
            return f"invalid JSON (not UTF-8: {exc.reason} at byte {exc.start} of {len(body)})"
        return f"invalid JSON ({exc.msg} at byte {exc.pos} of {len(body)}; truncated or not JSON)"
    expected = dict if kind == "indicator" else list
    if not isinstance(doc, expected):
        return f"expected a JSON {'object' if expected is dict else 'array'}, got {type(doc).__name__}"
    return None


def _duckdb_json_type(body: bytes) -> str | None:
    """Top-level JSON type of ``body`` per DuckDB's parser (the one staging reads bodies with), or
    None when DuckDB does not take it as UTF-8 JSON (or it might hit a leniency, see below). It
    costs about what ``json.loads`` does, but DuckDB releases the GIL, so in a worker thread it no
    longer stalls the event loop."""
    if body[:3] == b"\xef\xbb\xbf":
        return None  # a BOM: the Python path decides, as before
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    cursor = _json_checker().cursor()  # one cursor per call: safe across threads, ~0.3 ms
    try:
        row = cursor.execute(_JSON_TYPE_SQL, {"b": text}).fetchone()
    finally:
        cursor.close()
    return row[0] if row else None


# DuckDB's parser is more lenient than json.loads in two ways (trailing commas; nan/inf in any
# case): bodies that might use either take the Python path, so verdicts stay those of json.loads.
_JSON_TYPE_SQL = (
    "SELECT CASE WHEN json_valid($b) AND NOT regexp_matches($b, ',\\s*[\\]}]|[nN][aA][nN]|[iI][nN][fF]') "
    "THEN json_type($b) END"
)
_CHECKER: duckdb.DuckDBPyConnection | None = None
_CHECKER_LOCK = threading.Lock()


def _close_checker() -> None:
    global _CHECKER
    if _CHECKER is not None:
        _CHECKER.close()
        _CHECKER = None


atexit.register(_close_checker)  # a connection alive at interpreter exit makes DuckDB's bindings report leaks


def _json_checker() -> duckdb.DuckDBPyConnection:
    """A process-wide in-memory DuckDB for JSON checks (a new connection costs ~15 ms)."""
    global _CHECKER
    with _CHECKER_LOCK:
        if _CHECKER is None:
            _CHECKER = duckdb.connect(config={"threads": 1})
        return _CHECKER
