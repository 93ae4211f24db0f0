"""Landing folders, content hashes and archiving of delivered files (accepted or rejected)."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.archive import ManifestEntry, RawArchive, hash_file

from pipelines.sources.files.problems import ErrorReport

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv"
REPORT_SUFFIXES = (".errors.json", ".errors.txt", ".already-loaded.txt")
_SKIPPED_PREFIXES = (".", "~$")
_SKIPPED_SUFFIXES = (".part", ".tmp", ".crdownload") + REPORT_SUFFIXES


# -- landing folder ----------------------------------------------------------------------


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class LandingFile:
    path: Path
    sha256: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    def read(self) -> bytes:
        return self.path.read_bytes()


@dataclass(frozen=True)
class Refusal:
    """A landing entry that is never read: what it is and why, in words that quote nothing from it."""

    path: Path
    rule: str  # not_regular_file | outside_folder | too_large
    reason: str

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Survey:
    ready: list[LandingFile] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # still being written: looked at again later


class LandingFolder:
    """``root`` receives files; ``processed/`` and ``quarantine/`` sit beside them.

    Only regular files inside ``root`` are read (never symlinks, devices, pipes, or anything that
    resolves elsewhere); a file is taken once complete (``settle_seconds`` without a write, or at
    once when renamed into place after its last write); files over ``max_bytes`` are refused unread.
    """

    def __init__(self, root: Path | str, *, settle_seconds: float = 0.0, max_bytes: int | None = None):
        self.root = Path(root)
        self.settle_seconds = settle_seconds
        self.max_bytes = max_bytes

    @classmethod
    def of(cls, settings, subfolder: str) -> "LandingFolder":
        return cls(Path(settings.landing_path) / subfolder, settle_seconds=settings.landing_settle_seconds,
                   max_bytes=settings.landing_max_bytes)

    @property
    def processed(self) -> Path:
        return self.root / "processed"

    @property
    def quarantine_dir(self) -> Path:
        return self.root / "quarantine"

    def ensure(self) -> None:
        for folder in (self.root, self.processed, self.quarantine_dir):
            folder.mkdir(parents=True, exist_ok=True)

    def entries(self, names: Iterable[str] | None = None) -> list[tuple[Path, os.stat_result]]:
        """Top-level entries to consider, with their own (not followed) status, oldest first."""
        if not self.root.is_dir():
            return []
        wanted = set(names) if names else None
        found = []
        for path in self.root.iterdir():
            if is_skipped_name(path.name) or (wanted is not None and path.name not in wanted):
                continue
            st = path.lstat()
            if stat.S_ISDIR(st.st_mode) and not path.is_symlink():
                continue  # processed/, quarantine/ and any folder of the sender's: not a delivery
            found.append((st.st_mtime_ns, path.name, path, st))
        return [(p, st) for _, _, p, st in sorted(found, key=lambda t: (t[0], t[1]))]

    def survey(self, names: Iterable[str] | None = None, *, now: float | None = None) -> Survey:
        """Sort the entries into ready (hashed, streaming), refused and still-being-written."""
        out = Survey()
        now = time.time() if now is None else now
        root = self.root.resolve()
        for path, st in self.entries(names):
            refusal = self.refusal(path, st, root)
            if refusal is not None:
                out.refused.append(refusal)
            elif not self.complete(st, now):
                out.waiting.append(path.name)
            else:
                sha, size = hash_file(path)
                out.ready.append(LandingFile(path, sha, size))
        return out

    def untrusted(self, names: Iterable[str] | None = None) -> list[Refusal]:
        """Entries that must never be read (decided from their status alone: nothing is opened)."""
        root = self.root.resolve()
        return [r for path, st in self.entries(names) if (r := self.refusal(path, st, root)) is not None]

    def incomplete(self, names: Iterable[str] | None = None) -> list[str]:
        """Regular files not yet complete (being written): left where they are."""
        now, root = time.time(), self.root.resolve()
        return [p.name for p, st in self.entries(names) if self.refusal(p, st, root) is None and not self.complete(st, now)]

    def scan(self, names: Iterable[str] | None = None) -> list[LandingFile]:
        """Files ready to be read, oldest first."""
        return self.survey(names).ready

    def complete(self, st: os.stat_result, now: float) -> bool:
        # A rename after the last write sets the change time past the modification time (what
        # `mv name.part name` does); otherwise the file must have rested settle_seconds.
        renamed_into_place = st.st_ctime_ns > st.st_mtime_ns
        return renamed_into_place or now - st.st_mtime >= self.settle_seconds

    def refusal(self, path: Path, st: os.stat_result, root: Path | None = None) -> Refusal | None:
        """Why this entry must not be read, or None (from its status alone)."""
        root = root or self.root.resolve()
        if path.is_symlink():
            return Refusal(path, "not_regular_file", "a symbolic link, not a regular file; links are never followed. "
                           "Copy the file itself into the landing folder.")
        if not stat.S_ISREG(st.st_mode):
            return Refusal(path, "not_regular_file", "not a regular file (a device, pipe or socket); only regular "
                           "files are read.")
        if path.resolve().parent != root:
            return Refusal(path, "outside_folder", "resolves to a place outside the landing folder.")
        if self.max_bytes is not None and st.st_size > self.max_bytes:
            return Refusal(path, "too_large", f"{st.st_size:,} bytes, more than the largest delivery accepted, "
                           f"{self.max_bytes:,} bytes (setting SOTE_LANDING_MAX_BYTES). It was not read. Deliver "
                           "one county and year per file, or ask the pipeline's operators to raise the limit.")
        return None

    def accept(self, file: LandingFile) -> Path:
        return _move_unique(file.path, self.processed, file.sha256)

    def accept_again(self, file: LandingFile, earlier: str) -> Path:
        """An identical re-delivery: moved to processed/ beside a note saying it was not loaded again."""
        target = _move_unique(file.path, self.processed, file.sha256)
        target.with_name(target.name + ".already-loaded.txt").write_text(
            f"'{file.name}' was not loaded again: the same bytes (sha256 {file.sha256}) were already loaded "
            f"{earlier}. Nothing changed. To correct a delivery, send a file with the corrected figures.\n",
            encoding="utf-8")
        return target

    def quarantine(self, file: LandingFile, report: ErrorReport) -> Path:
        target = _move_unique(file.path, self.quarantine_dir, file.sha256)
        write_report(report, target)
        return target

    def refuse(self, refusal: Refusal, report: ErrorReport) -> Path:
        """Move the entry itself (a link stays a link, its target untouched) to quarantine/, with its report."""
        self.quarantine_dir.mkdir(parents=True, exist_ok=True)
        target = self.quarantine_dir / refusal.name
        if target.exists() or target.is_symlink():
            target = self.quarantine_dir / f"{refusal.name}.{time.time_ns()}"
        os.rename(refusal.path, target)
        write_report(report, target)
        return target


def is_skipped_name(name: str) -> bool:
    return name.startswith(_SKIPPED_PREFIXES) or name.lower().endswith(_SKIPPED_SUFFIXES)


def _move_unique(path: Path, folder: Path, sha256: str) -> Path:
    """Move ``path`` into ``folder``; a different earlier file of the same name is never overwritten."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    if target.exists() and hash_file(target)[0] != sha256:
        target = folder / f"{path.stem}.{sha256[:12]}{path.suffix}"
    shutil.move(str(path), str(target))
    return target


def write_report(report: ErrorReport, beside: Path) -> tuple[Path, Path]:
    """Write ``<file>.errors.json`` and ``<file>.errors.txt`` next to ``beside``."""
    beside.parent.mkdir(parents=True, exist_ok=True)
    json_path = beside.with_name(beside.name + ".errors.json")
    text_path = beside.with_name(beside.name + ".errors.txt")
    json_path.write_text(report.to_json(), encoding="utf-8")
    text_path.write_text(report.to_text(), encoding="utf-8")
    return json_path, text_path


def archive_delivery(
    archive: RawArchive,
    data: bytes,
    *,
    source: str,
    file_name: str,
    accepted: bool,
    error: str | None = None,
    synthetic: bool = False,
    meta: Mapping[str, Any] | None = None,
    received_at: str | None = None,
) -> ManifestEntry:
    """Keep a delivered file byte-for-byte; rejected files too (ok=False), so problems can be audited.
    ``received_at`` becomes the entry's fetched_at: the time the ledger records, so a warehouse
    rebuilt from the archive (``sote rebuild``) carries the same times."""
    return archive.put(
        data,
        **({"fetched_at": received_at} if received_at else {}),
        source=source,
        kind="file",
        url="",
        file_name=file_name,
        status=200 if accepted else 422,
        ok=accepted,
        error=error,
        content_type=content_type_of(data),
        synthetic=synthetic,
        meta=dict(meta or {}),
    )


def content_type_of(data: bytes) -> str:
    return XLSX_CONTENT_TYPE if data[:4] == b"PK\x03\x04" else CSV_CONTENT_TYPE


