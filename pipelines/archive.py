"""The raw archive: every payload byte-for-byte under its sha256, plus an append-only manifest.

Layout (the same for the runtime archive and for a replay archive such as ``data/sample``)::

    <root>/objects/<sha256[:2]>/<sha256>      payload bytes, exactly as received
    <root>/manifest/<source>.jsonl            one ManifestEntry per line, oldest first

One manifest file per source keeps sources independent: a new source adds a file and never
rewrites another's. ``docs/archive.md`` documents the manifest schema for people who build or
record archives of their own.

``ReplayTransport`` answers HTTP requests from an archive, so clients run the same code and the
same parsers in live and replay mode: only the httpx transport differs.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, Field

Params = Sequence[tuple[str, str]]


class ManifestEntry(BaseModel):
    """One archived payload. Field names are the manifest's JSON keys."""

    source: str = Field(description="Source family: sotkanet, thl_cube, personnel, curated, ...")
    kind: str = Field("http", description="http (an HTTP response body) or file (a delivered file).")
    url: str = Field("", description="Request URL without query string (http), or '' for files.")
    params: list[tuple[str, str]] = Field(default_factory=list, description="Query parameters in request order.")
    file_name: str | None = Field(None, description="Original file name of a delivered file.")
    status: int = Field(200, description="HTTP status (200 for accepted files).")
    ok: bool = Field(True, description="False when the body was rejected (bad status or unparseable): kept for inspection, never replayed.")
    error: str | None = Field(None, description="Why the payload was rejected, when ok is false.")
    content_type: str | None = None
    fetched_at: str = Field(description="UTC ISO-8601 time the payload was fetched or received.")
    sha256: str
    size: int
    synthetic: bool = Field(False, description="True when the payload's values are not real official statistics.")
    meta: dict[str, Any] = Field(default_factory=dict, description="Source-specific facts, e.g. indicator id, data-updated.")

    @property
    def request_key(self) -> str:
        return request_key("GET", self.url, self.params)


def request_key(method: str, url: str, params: Params) -> str:
    """Order-insensitive identity of a request: two requests with the same key get the same answer."""
    pairs = sorted((str(k), str(v)) for k, v in params)
    return method.upper() + " " + url + "?" + "&".join(f"{k}={v}" for k, v in pairs)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ReplayMissError(LookupError):
    """The replay archive holds no accepted answer for a request."""


CHUNK = 1 << 20  # hash files in 1 MiB pieces: memory stays flat whatever the payload size


def hash_file(path: Path) -> tuple[str, int]:
    """(sha256, size) of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while piece := fh.read(CHUNK):
            digest.update(piece)
            size += len(piece)
    return digest.hexdigest(), size


def describe_request(entry: ManifestEntry) -> str:
    """Where a payload came from, in the words of its source: the request, or the delivered file."""
    if entry.kind == "file":
        return f"{entry.source} file {entry.file_name or '(no name)'} received {entry.fetched_at}"
    query = "&".join(f"{k}={v}" for k, v in entry.params)
    return f"{entry.source} GET {entry.url}{'?' + query if query else ''} fetched {entry.fetched_at}"


class ArchiveIntegrityError(RuntimeError):
    """An archived payload's bytes are not the ones its manifest entry records."""

    def __init__(self, root: Path, entry: ManifestEntry, actual_sha256: str | None, actual_size: int | None):
        self.root, self.entry = root, entry
        self.actual_sha256, self.actual_size = actual_sha256, actual_size
        rel = Path("objects") / entry.sha256[:2] / entry.sha256
        found = ("the object file is missing" if actual_sha256 is None
                 else f"found sha256 {actual_sha256} and {actual_size} bytes")
        super().__init__(
            f"archive {root}: object {rel} does not match its manifest entry ({describe_request(entry)}): "
            f"expected sha256 {entry.sha256} and {entry.size} bytes, {found}. The payload changed after it was "
            f"archived, so it was not used and nothing was published. Restore the object from a good copy of the "
            f"archive, or re-fetch it (SOTE_SOURCE_MODE=live); 'sote archive verify {root}' lists every damaged object."
        )


class RawArchive:
    """Content-addressed payload store with per-source JSONL manifests."""

    def __init__(self, root: Path | str, *, writable: bool = True):
        self.root = Path(root)
        self.writable = writable
        self._lock = threading.Lock()
        self._index: dict[str, list[ManifestEntry]] | None = None

    # -- reading -------------------------------------------------------------------------
    def manifest_files(self) -> list[Path]:
        folder = self.root / "manifest"
        return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []

    def entries(self, source: str | None = None) -> list[ManifestEntry]:
        files = [self.root / "manifest" / f"{source}.jsonl"] if source else self.manifest_files()
        out: list[ManifestEntry] = []
        for path in files:
            if not path.exists():
                continue
            with path.open(encoding="utf-8") as fh:
                for lineno, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    try:
                        out.append(ManifestEntry.model_validate_json(line))
                    except ValueError as exc:
                        raise ValueError(f"archive manifest {path}, line {lineno}: not a valid entry: {exc}") from exc
        return out

    def object_path(self, sha256: str) -> Path:
        return self.root / "objects" / sha256[:2] / sha256

    def read(self, entry: ManifestEntry) -> bytes:
        """The payload's bytes, proven against the entry's sha256 and size (ArchiveIntegrityError)."""
        path = self.object_path(entry.sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise ArchiveIntegrityError(self.root, entry, None, None) from exc
        actual = hashlib.sha256(data).hexdigest()
        if actual != entry.sha256 or len(data) != entry.size:
            raise ArchiveIntegrityError(self.root, entry, actual, len(data))
        return data

    def verify(self, entry: ManifestEntry) -> None:
        """Prove an object without loading it (for payloads read by path, e.g. by DuckDB)."""
        path = self.object_path(entry.sha256)
        if not path.is_file():
            raise ArchiveIntegrityError(self.root, entry, None, None)
        actual, size = hash_file(path)
        if actual != entry.sha256 or size != entry.size:
            raise ArchiveIntegrityError(self.root, entry, actual, size)

    def lookup(self, method: str, url: str, params: Params) -> ManifestEntry | None:
        """Latest accepted entry answering this request, or None."""
        if self._index is None:
            index: dict[str, list[ManifestEntry]] = {}
            for e in self.entries():
                if e.kind == "http" and e.ok:
                    index.setdefault(e.request_key, []).append(e)
            self._index = index
        hits = self._index.get(request_key(method, url, params))
        return hits[-1] if hits else None

    # -- writing -------------------------------------------------------------------------
    def put(self, body: bytes, *, source: str, **fields: Any) -> ManifestEntry:
        """Store ``body`` (deduplicated by hash) and append its manifest entry."""
        if not self.writable:
            raise PermissionError(f"archive {self.root} is read-only (a replay archive is never written by runs)")
        sha = hashlib.sha256(body).hexdigest()
        fields.setdefault("fetched_at", utc_now())
        entry = ManifestEntry(source=source, sha256=sha, size=len(body), **fields)
        target = self.object_path(sha)
        with self._lock:
            # an existing object is rewritten when damaged: a re-fetch heals the archive
            if not target.exists() or hash_file(target) != (sha, len(body)):
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
                with os.fdopen(fd, "wb") as fh:
                    fh.write(body)
                os.replace(tmp, target)
            manifest = self.root / "manifest" / f"{source}.jsonl"
            manifest.parent.mkdir(parents=True, exist_ok=True)
            with manifest.open("a", encoding="utf-8") as fh:
                fh.write(entry.model_dump_json() + "\n")
            self._index = None
        return entry


def split_url(url: httpx.URL | str) -> tuple[str, list[tuple[str, str]]]:
    """URL without query, plus its query parameters in order."""
    u = httpx.URL(str(url))
    base = str(u.copy_with(query=None, fragment=None))
    return base, list(u.params.multi_items())


class ReplayTransport(httpx.AsyncBaseTransport, httpx.BaseTransport):
    """Serves archived bodies in place of the network, for sync and async httpx clients."""

    def __init__(self, archive: RawArchive):
        self.archive = archive
        self.requests_served = 0

    def _answer(self, request: httpx.Request) -> httpx.Response:
        base, params = split_url(request.url)
        entry = self.archive.lookup(request.method, base, params)
        if entry is None:
            raise ReplayMissError(
                f"replay archive {self.archive.root} has no accepted payload for "
                f"{request.method} {request.url}. Record it with SOTE_SOURCE_MODE=live, or add it to the archive "
                f"(schema: docs/archive.md)."
            )
        self.requests_served += 1
        headers = {"content-type": entry.content_type} if entry.content_type else {}
        headers["x-archive-sha256"] = entry.sha256
        return httpx.Response(entry.status, headers=headers, content=self.archive.read(entry), request=request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)


def host_of(url: str) -> str:
    return urlsplit(url).netloc


def iter_sources(entries: Iterable[ManifestEntry]) -> set[str]:
    return {e.source for e in entries}
