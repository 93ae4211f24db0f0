"""Shared HTTP behaviour for the API sources: polite headers, bounded concurrency, retries.

Live and replay differ only in the transport (``pipelines.archive.ReplayTransport`` in replay):
the request code, the error handling and the parsers are the same.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

from pipelines.archive import RawArchive, ReplayTransport
from pipelines.settings import Settings

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {429, 500, 502, 503, 504}


class SourceError(RuntimeError):
    """A source answered in a way we cannot use; the message names source, resource and URL."""


@dataclass
class HttpStats:
    requests: int = 0
    retries: int = 0
    skipped_unchanged: int = 0


def build_client(settings: Settings, *, live: bool, replay: RawArchive | None, transport=None) -> httpx.AsyncClient:
    if transport is None and not live:
        if replay is None:
            raise ValueError("replay mode needs a replay archive")
        transport = ReplayTransport(replay)
    return httpx.AsyncClient(
        headers={"User-Agent": settings.user_agent, "Accept": "*/*"},
        timeout=httpx.Timeout(settings.http_timeout_s),
        transport=transport,
        follow_redirects=True,
    )


async def get_with_retries(
    client: httpx.AsyncClient,
    url: str,
    params: Sequence[tuple[str, str]],
    *,
    settings: Settings,
    semaphore: asyncio.Semaphore,
    stats: HttpStats,
    describe: Callable[[], str],
) -> httpx.Response:
    """GET with exponential backoff on 429/5xx/timeouts; other statuses are returned to the caller."""
    attempt = 0
    while True:
        response: httpx.Response | None = None
        try:
            async with semaphore:
                stats.requests += 1
                response = await client.get(url, params=list(params))
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            if attempt >= settings.http_retries:
                raise SourceError(f"{describe()}: no answer after {attempt + 1} attempts ({type(exc).__name__}: {exc})") from exc
            reason = type(exc).__name__
        else:
            if response.status_code not in RETRYABLE_STATUS or attempt >= settings.http_retries:
                return response
            reason = f"HTTP {response.status_code}"
        delay = _retry_delay(settings.http_backoff_s, attempt, response)
        log.warning("%s: %s, retrying in %.1f s", describe(), reason, delay)
        stats.retries += 1
        attempt += 1
        await asyncio.sleep(delay)


def _retry_delay(base: float, attempt: int, response: httpx.Response | None) -> float:
    if response is not None:
        retry_after = response.headers.get("retry-after")
        if retry_after and retry_after.isdigit():
            return min(float(retry_after), 60.0)
    return base * (2**attempt)
