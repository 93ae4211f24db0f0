"""THL database-report cubes (sampo.thl.fi/pivot, server "tiku"): URL builder and client.

Exact server behaviour: ../shared/docs/thl-cube-api.md. What this module handles:
- the URL grammar: ``/api/{subject}.json`` (listing), ``/{lang}/{subject}/{hydra}/{fact}.json``
  (JSON-stat facts) and ``.dimensions.json`` (JSONP dimension trees); node selectors by sid in
  the four forms ``dim-<sid>`` (children + the node as a trailing total), ``dim-<sid>.`` (only
  that node), ``dim-<sid1>.<sid2>`` (exactly those) and ``dim-<sid>L`` (the node's whole stage);
- HTTP 403 with an empty body for *any* server-side error (unknown sid, bad selector, denied
  cube): turned into an error naming the cube and selectors, never retried blindly; 404 for an
  unknown cube; retries with exponential backoff on 429/5xx/timeouts only;
- one code path for live and replay: replay swaps the httpx transport for the archive's.

Pure Python (no Dagster). Parsing of values lives in ``pipelines.sources.jsonstat``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from pipelines.archive import RawArchive, ReplayTransport, split_url, utc_now
from pipelines.settings import Settings
from pipelines.sources.jsonstat import JsonStatError, NodeInfo, parse_dataset
from pipelines.sources.thl_cube_specs import CubeSpec, SelectorSpec

SOURCE = "thl_cube"
JSONP_PREFIX = "thl.pivot.loadDimensions("
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
log = logging.getLogger(__name__)


class ThlCubeError(RuntimeError):
    """The THL cube service answered in a way we cannot use; names cube, URL and selectors."""


class ThlCubeNotFound(ThlCubeError):
    """HTTP 404: the cube (subject/hydra/fact) does not exist."""


class ThlQueryRejected(ThlCubeError):
    """HTTP 403: tiku's answer to any server-side error, with an empty body."""


class ThlCubeUnavailable(ThlCubeError):
    """Transient trouble that outlasted the retries (timeouts, 429/5xx): worth a later retry."""


# -- URL grammar -------------------------------------------------------------------------------


def selector(dimension: str, sids: Sequence[str | int], mode: str) -> str:
    """One node selector, e.g. ``selector('alue', [1], 'level') == 'alue-1L'``."""
    ids = [str(s) for s in sids]
    if not dimension or "-" in dimension:
        raise ValueError(f"selector: bad dimension id {dimension!r}")
    if not ids or not all(s.isdigit() for s in ids):
        raise ValueError(f"selector on {dimension}: sids must be digits, got {ids}")
    if mode == "list":
        if len(ids) == 1:
            mode = "subset"  # a one-element list is a subset: 'dim-<sid>.'
        else:
            return f"{dimension}-{'.'.join(ids)}"
    if len(ids) != 1:
        raise ValueError(f"selector on {dimension}: mode {mode!r} takes one sid, got {len(ids)}")
    (sid,) = ids
    if mode == "children":
        return f"{dimension}-{sid}"
    if mode == "subset":
        # Note: tiku may read 'dim-XXXXXXX.' (7+ chars before the only dot) as a packed node list
        # (pitfall 8 of the API doc); docs/thl_cubes.md says how to check such a spec live.
        return f"{dimension}-{sid}."
    if mode == "level":
        return f"{dimension}-{sid}L"
    raise ValueError(f"selector on {dimension}: unknown mode {mode!r}")


def listing_url(base_url: str, subject: str) -> str:
    return f"{base_url.rstrip('/')}/api/{subject}.json"


def fact_url(base_url: str, spec: CubeSpec, ext: str = "json", lang: str | None = None) -> str:
    return f"{base_url.rstrip('/')}/{lang or spec.lang}/{spec.subject}/{spec.hydra}/{spec.fact}.{ext}"


def dimensions_url(base_url: str, spec: CubeSpec) -> str:
    return fact_url(base_url, spec, "dimensions.json")


def fact_params(
    rows: Iterable[str] = (), columns: Iterable[str] = (), filters: Iterable[str] = (), measures: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """Query parameters in tiku's order; every level is a repeated parameter."""
    return (
        [("row", r) for r in rows]
        + [("column", c) for c in columns]
        + [("filter", f) for f in filters]
        + [("measure", m) for m in measures]
    )


# -- dimension trees (JSONP) --------------------------------------------------------------------


@dataclass(frozen=True)
class DimNode:
    dimension: str
    sid: str
    id: str | None
    label: str | None
    stage: str | None
    code: str | None
    sort: int | None
    uri: str | None
    decimals: int | None
    parent_sid: str | None
    depth: int
    position: int  # pre-order position in the dimension's tree: the tree order


def strip_jsonp(text: str, *, context: str) -> str:
    body = text.strip()
    if not body.startswith(JSONP_PREFIX):
        raise ThlCubeError(f"{context}: not a dimensions JSONP document (expected it to start with {JSONP_PREFIX!r})")
    body = body[len(JSONP_PREFIX):]
    body = body.rstrip()
    if body.endswith(";"):
        body = body[:-1].rstrip()
    if not body.endswith(")"):
        raise ThlCubeError(f"{context}: dimensions JSONP does not end with ');'")
    return body[:-1]


def parse_dimensions(text: str | bytes, *, context: str) -> list[DimNode]:
    """Flatten ``.dimensions.json`` (JSONP) into nodes, tree order, parents before children."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    try:
        # tiku escapes only quotes, so control characters may appear raw: strict=False
        tree = json.loads(strip_jsonp(text, context=context), strict=False)
    except ValueError as exc:
        raise ThlCubeError(f"{context}: dimensions JSONP is not valid JSON inside the wrapper ({exc})") from exc
    if not isinstance(tree, list) or not tree:
        raise ThlCubeError(f"{context}: dimensions document must be a non-empty list of dimensions")
    out: list[DimNode] = []
    for d_pos, dim in enumerate(tree):
        if not isinstance(dim, dict) or not isinstance(dim.get("id"), str):
            raise ThlCubeError(f"{context}: dimension #{d_pos} has no string 'id'")
        counter = [0]
        for child in dim.get("children") or []:
            _walk(dim["id"], child, None, 0, out, counter, context)
    return out


def _walk(dimension: str, node: Any, parent: str | None, depth: int, out: list[DimNode], counter: list[int], context: str) -> None:
    if not isinstance(node, dict) or "sid" not in node:
        raise ThlCubeError(f"{context}: dimension '{dimension}': a node has no 'sid' (under parent sid {parent})")
    sid = str(node["sid"])
    out.append(
        DimNode(
            dimension=dimension,
            sid=sid,
            id=_opt_str(node.get("id")),
            label=_opt_str(node.get("label")),
            stage=_opt_str(node.get("stage")),
            code=_opt_str(node.get("code")),
            sort=node.get("sort") if isinstance(node.get("sort"), int) else None,
            uri=_opt_str(node.get("uri")),
            decimals=node.get("decimals") if isinstance(node.get("decimals"), int) else None,
            parent_sid=parent,
            depth=depth,
            position=counter[0],
        )
    )
    counter[0] += 1
    for child in node.get("children") or []:
        _walk(dimension, child, sid, depth + 1, out, counter, context)


def _opt_str(v: Any) -> str | None:
    return None if v is None else str(v)


def node_lookup(nodes: Iterable[DimNode]) -> dict[str, dict[str, NodeInfo]]:
    """dimension -> sid -> NodeInfo, the shape ``jsonstat.iter_cells`` takes."""
    out: dict[str, dict[str, NodeInfo]] = {}
    for n in nodes:
        out.setdefault(n.dimension, {})[n.sid] = NodeInfo(sid=n.sid, code=n.code, stage=n.stage, label=n.label)
    return out


# -- query planning ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactRequest:
    chunk: str | None  # code of the chunk node (e.g. the year), None when not chunked
    params: tuple[tuple[str, str], ...]


def resolve_selector(sel: SelectorSpec, nodes: Sequence[DimNode], *, context: str) -> str:
    """Selector text for a spec level; ``stages`` are resolved to sids from the dimension tree."""
    in_dim = [n for n in nodes if n.dimension == sel.dimension]
    if not in_dim:
        raise ThlCubeError(f"{context}: dimension '{sel.dimension}' is not in the cube's dimension tree")
    known = {n.sid for n in in_dim}
    if sel.stages:
        sids = [n.sid for n in in_dim if n.stage in sel.stages]
        if not sids:
            raise ThlCubeError(f"{context}: no node of dimension '{sel.dimension}' on stages {sel.stages}")
    else:
        missing = [s for s in sel.sids if s not in known]
        if missing:
            raise ThlCubeError(f"{context}: sid(s) {missing} not found in dimension '{sel.dimension}'")
        sids = list(sel.sids)
    return selector(sel.dimension, sids, sel.mode)


def plan_fact_requests(spec: CubeSpec, nodes: Sequence[DimNode]) -> list[FactRequest]:
    """The fact queries for a spec: one per chunk node (e.g. per year within spec.years)."""
    ctx = spec.describe()
    rows = [resolve_selector(s, nodes, context=ctx) for s in spec.query.rows]
    cols = [resolve_selector(s, nodes, context=ctx) for s in spec.query.columns]
    filters = [resolve_selector(s, nodes, context=ctx) for s in spec.query.filters]
    chunk = spec.query.chunk
    if chunk is None:
        return [FactRequest(None, tuple(fact_params(rows, cols, filters)))]
    chunk_nodes = [n for n in nodes if n.dimension == chunk.dimension and n.stage == chunk.stage]
    if not chunk_nodes:
        raise ThlCubeError(f"{ctx}: no node of dimension '{chunk.dimension}' on chunk stage '{chunk.stage}'")
    out = []
    for n in chunk_nodes:
        if not _chunk_wanted(n, spec):
            continue
        level = selector(chunk.dimension, [n.sid], chunk.mode)
        r = rows + [level] if chunk.axis == "row" else rows
        c = cols + [level] if chunk.axis == "column" else cols
        out.append(FactRequest(n.code, tuple(fact_params(r, c, filters))))
    return out


def _chunk_wanted(node: DimNode, spec: CubeSpec) -> bool:
    """Chunks on the time dimension are limited to spec.years (the year is read from the code)."""
    if spec.query.chunk is None or spec.query.chunk.dimension != spec.time.dimension:
        return True
    m = re.search(spec.time.year_pattern, node.code or "")
    return bool(m) and int(m.group(1)) in spec.years


def listed(listing: dict[str, Any], spec: CubeSpec) -> bool:
    """Whether the subject listing names the spec's fact (a cube missing there may still answer)."""
    items = ((listing.get("link") or {}).get("item")) or []
    tail = f"/{spec.subject}/{spec.hydra}/{spec.fact}.json"
    return any(isinstance(i, dict) and str(i.get("href", "")).endswith(tail) for i in items)


def parse_listing(body: bytes, *, context: str) -> dict[str, Any]:
    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise ThlCubeError(f"{context}: listing is not valid JSON ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("class") != "collection":
        raise ThlCubeError(f"{context}: listing is not a JSON-stat collection (class != 'collection')")
    return doc


# -- client ------------------------------------------------------------------------------------


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
class FetchStats:
    requests: int = 0
    retries: int = 0


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
        self.stats = FetchStats()
        self._semaphore = asyncio.Semaphore(settings.http_concurrency)
        if transport is None and not live:
            transport = ReplayTransport(replay)
        self._client = httpx.AsyncClient(
            headers={"User-Agent": settings.user_agent, "Accept": "*/*"},
            timeout=httpx.Timeout(settings.http_timeout_s),
            transport=transport,
            follow_redirects=True,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> "ThlCubeClient":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    # one GET with retries; statuses other than 429/5xx are returned to the caller
    async def _get(self, url: str, params: Sequence[tuple[str, str]], describe: str) -> httpx.Response:
        attempt = 0
        while True:
            response = None
            try:
                async with self._semaphore:
                    self.stats.requests += 1
                    response = await self._client.get(url, params=list(params))
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                if attempt >= self.settings.http_retries:
                    raise ThlCubeUnavailable(f"{describe}: no answer after {attempt + 1} attempts ({type(exc).__name__}: {exc})") from exc
                reason = type(exc).__name__
            else:
                if response.status_code not in RETRYABLE_STATUS or attempt >= self.settings.http_retries:
                    return response
                reason = f"HTTP {response.status_code}"
            delay = self.settings.http_backoff_s * (2**attempt)
            log.warning("%s: %s, retrying in %.1f s", describe, reason, delay)
            self.stats.retries += 1
            attempt += 1
            await asyncio.sleep(delay)

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


def fetch_specs(client_factory: Callable[[], ThlCubeClient], specs: Sequence[CubeSpec]) -> tuple[list[SpecPayloads], FetchStats]:
    """Synchronous entry point for assets and scripts: builds the client inside the event loop."""

    async def run():
        client = client_factory()
        result = await fetch_specs_async(client, specs)
        return result, client.stats

    return asyncio.run(run())
