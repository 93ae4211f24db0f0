"""Landing folders, content hashes and archiving of delivered files (accepted or rejected)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from pipelines.archive import ManifestEntry, RawArchive

from pipelines.sources.files.problems import ErrorReport

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv"
REPORT_SUFFIXES = (".errors.json", ".errors.txt")
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


class LandingFolder:
    """``root`` receives files; ``processed/`` and ``quarantine/`` sit beside them."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    @property
    def processed(self) -> Path:
        return self.root / "processed"

    @property
    def quarantine_dir(self) -> Path:
        return self.root / "quarantine"

    def ensure(self) -> None:
        for folder in (self.root, self.processed, self.quarantine_dir):
            folder.mkdir(parents=True, exist_ok=True)

    def scan(self, names: Iterable[str] | None = None) -> list[LandingFile]:
        """Incoming files (top level only), oldest first; ``names`` limits the scan to those files."""
        if not self.root.is_dir():
            return []
        wanted = set(names) if names else None
        found = []
        for path in self.root.iterdir():
            if not path.is_file() or is_skipped_name(path.name):
                continue
            if wanted is not None and path.name not in wanted:
                continue
            data = path.read_bytes()
            found.append((path.stat().st_mtime, path.name, LandingFile(path, sha256_bytes(data), len(data))))
        return [f for _, _, f in sorted(found, key=lambda t: (t[0], t[1]))]

    def accept(self, file: LandingFile) -> Path:
        return _move_unique(file.path, self.processed, file.sha256)

    def quarantine(self, file: LandingFile, report: ErrorReport) -> Path:
        target = _move_unique(file.path, self.quarantine_dir, file.sha256)
        write_report(report, target)
        return target


def is_skipped_name(name: str) -> bool:
    return name.startswith(_SKIPPED_PREFIXES) or name.lower().endswith(_SKIPPED_SUFFIXES)


def _move_unique(path: Path, folder: Path, sha256: str) -> Path:
    """Move ``path`` into ``folder``; a different earlier file of the same name is never overwritten."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    if target.exists() and sha256_bytes(target.read_bytes()) != sha256:
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


