"""The THL cube client: listing, dimension tree, then every fact chunk, on the shared HTTP client
(``pipelines.sources.http``: headers, bounded concurrency, one retry policy). HTTP 403 with an
empty body is tiku's answer to *any* server-side error (unknown sid, bad selector, denied cube):
turned into an error naming the cube and selectors, never retried; 404 for an unknown cube. Live
and replay differ only in the transport; live archives every body."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from pipelines.archive import RawArchive, split_url, utc_now
from pipelines.settings import Settings
from pipelines.sources.http import HttpStats, SourceError, build_client, get_with_retries
from pipelines.sources.jsonstat import JsonStatError, parse_dataset
from pipelines.sources.thl_cube.dimensions import listed, parse_dimensions, parse_listing, plan_fact_requests
from pipelines.sources.thl_cube.errors import (
    RETRYABLE_STATUS,
    SOURCE,
    ThlCubeError,
    ThlCubeNotFound,
    ThlCubeUnavailable,
    ThlQueryRejected,
)
from pipelines.sources.thl_cube.urls import dimensions_url, fact_url, listing_url
from pipelines.sources.thl_cube_specs import CubeSpec

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Fetched:
    """One accepted payload and where it came from."""

    spec_key: str
    measure_key: str
    kind: str  # listing | dimensions | fact
    chunk: str | None
    url: str
    params: tuple[tuple[str, str], ...]
    status: int
    sha256: str
    size: int
    fetched_at: str
    is_synthetic: bool
    body: bytes
    listed: bool | None = None


@dataclass
class SpecPayloads:
    spec: CubeSpec
    listing: Fetched
    dimensions: Fetched
    facts: list[Fetched] = field(default_factory=list)

    def all(self) -> list[Fetched]:
        return [self.listing, self.dimensions, *self.facts]


class ThlCubeClient:
    """Async client. ``live``: real transport, every body archived in ``runtime``. Replay: bodies
    come from ``replay`` via ``ReplayTransport`` and nothing is written."""

    def __init__(
        self,
        settings: Settings,
        *,
        live: bool,
        runtime: RawArchive | None = None,
        replay: RawArchive | None = None,
        base_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        synthetic: bool = False,
        clock: Callable[[], str] = utc_now,
    ):
        if live and runtime is None:
            raise ValueError("live mode needs a runtime archive to record payloads")
        if not live and replay is None:
            raise ValueError("replay mode needs a replay archive")
        self.settings = settings
        self.live = live
        self.runtime = runtime
        self.replay = replay
        self.base_url = (base_url or settings.thl_base_url).rstrip("/")
        self.synthetic = synthetic
        self.clock = clock
        self.stats = HttpStats()
        self._semaphore = asyncio.Semaphore(settings.http_concurrency)
        self._client = build_client(settings, live=live, replay=replay, transport=transport)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> "ThlCubeClient":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    async def _get(self, url: str, params: Sequence[tuple[str, str]], describe: str) -> httpx.Response:
        """One GET with the shared retry policy; statuses other than 429/5xx go back to the caller."""
        try:
            return await get_with_retries(self._client, url, params, settings=self.settings, semaphore=self._semaphore,
                                          stats=self.stats, describe=lambda: describe)
        except SourceError as exc:  # no answer after the retries: transient, worth a later attempt
            raise ThlCubeUnavailable(str(exc)) from exc

    async def fetch(
        self,
        spec: CubeSpec,
        kind: str,
        url: str,
        params: Sequence[tuple[str, str]] = (),
        *,
        chunk: str | None = None,
        validate: Callable[[bytes, str], Any],
    ) -> tuple[Fetched, Any]:
        """GET, check status, validate the body, archive it (live). Returns the payload and the parsed body."""
        params = tuple((str(k), str(v)) for k, v in params)
        where = f"{spec.describe()}: {kind} GET {url}" + (f"?{'&'.join(f'{k}={v}' for k, v in params)}" if params else "")
        response = await self._get(url, params, where)
        base, sent = split_url(response.request.url)
        body = response.content
        error: str | None = None
        exc_type: type[ThlCubeError] = ThlCubeError
        if response.status_code == 403:
            selectors = "; ".join(f"{k}={v}" for k, v in params) or "(none)"
            error = (
                f"{spec.describe()}: the server refused the {kind} query with HTTP 403"
                f"{' and an empty body' if not body.strip() else ''} (tiku answers 403 for any server-side error: "
                f"unknown sid, same dimension as row and column, protected cube). URL {url}; selectors: {selectors}"
            )
            exc_type = ThlQueryRejected
        elif response.status_code == 404:
            error = f"{spec.describe()}: HTTP 404, unknown cube or subject. URL {url}"
            exc_type = ThlCubeNotFound
        elif response.status_code != 200:
            error = f"{where}: unexpected HTTP {response.status_code}"
            if response.status_code in RETRYABLE_STATUS:
                exc_type = ThlCubeUnavailable
        parsed = None
        if error is None:
            try:
                parsed = validate(body, where)
            except (ThlCubeError, JsonStatError) as exc:
                error = str(exc)
        if self.live:
            entry = self.runtime.put(
                body,
                source=SOURCE,
                kind="http",
                url=base,
                params=sent,
                status=response.status_code,
                ok=error is None,
                error=error,
                content_type=response.headers.get("content-type"),
                synthetic=self.synthetic,
                fetched_at=self.clock(),
                meta={"spec": spec.key, "measure_key": spec.measure_key, "kind": kind, "chunk": chunk},
            )
            sha, fetched_at, synthetic = entry.sha256, entry.fetched_at, entry.synthetic
        if error is not None:
            raise exc_type(error)
        if not self.live:
            entry = self.replay.lookup("GET", base, sent)
            if entry is None:  # ReplayTransport answered, so this cannot happen unless the archive changed
                raise ThlCubeError(f"{where}: replay archive {self.replay.root} lost the entry it just served")
            sha, fetched_at, synthetic = entry.sha256, entry.fetched_at, entry.synthetic
        fetched = Fetched(
            spec_key=spec.key,
            measure_key=spec.measure_key,
            kind=kind,
            chunk=chunk,
            url=base,
            params=tuple(sent),
            status=response.status_code,
            sha256=sha,
            size=len(body),
            fetched_at=fetched_at,
            is_synthetic=synthetic,
            body=body,
        )
        return fetched, parsed

    async def fetch_spec(self, spec: CubeSpec) -> SpecPayloads:
        """Listing, dimension tree, then every fact chunk (chunks run concurrently, bounded)."""
        listing, listing_doc = await self.fetch(
            spec, "listing", listing_url(self.base_url, spec.subject), validate=lambda b, w: parse_listing(b, context=w)
        )
        listing = _with_listed(listing, listed(listing_doc, spec))
        if not listing.listed:
            log.warning("%s: not in the listing of subject %s (may be protected or hidden); trying it directly",
                        spec.describe(), spec.subject)
        dims, nodes = await self.fetch(
            spec, "dimensions", dimensions_url(self.base_url, spec), validate=lambda b, w: parse_dimensions(b, context=w)
        )
        requests = plan_fact_requests(spec, nodes)
        url = fact_url(self.base_url, spec)
        results = await asyncio.gather(
            *(
                self.fetch(spec, "fact", url, r.params, chunk=r.chunk, validate=lambda b, w: parse_dataset(b, context=w))
                for r in requests
            )
        )
        return SpecPayloads(spec=spec, listing=listing, dimensions=dims, facts=[f for f, _ in results])


def _with_listed(f: Fetched, value: bool) -> Fetched:
    return replace(f, listed=value)


async def fetch_specs_async(client: ThlCubeClient, specs: Sequence[CubeSpec]) -> list[SpecPayloads]:
    try:
        return list(await asyncio.gather(*(client.fetch_spec(s) for s in specs)))
    finally:
        await client.aclose()


def fetch_specs(client_factory: Callable[[], ThlCubeClient], specs: Sequence[CubeSpec]) -> tuple[list[SpecPayloads], HttpStats]:
    """Synchronous entry point for assets and scripts: builds the client inside the event loop."""

    async def run():
        client = client_factory()
        result = await fetch_specs_async(client, specs)
        return result, client.stats

    return asyncio.run(run())
