"""Proving an archive's bytes: every manifest entry has its object, every object its entry, and
each object's sha256 and size are the ones recorded. Used by ``sote archive verify`` (the whole
archive) and by the blocking ``archive_bytes_match_manifest`` checks (the payloads a run reads).
Objects are hashed in 1 MiB chunks, so memory stays flat whatever their size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.archive import ManifestEntry, RawArchive, describe_request, hash_file

PROBLEM_KINDS = {
    "missing_object": "manifest row without its object",
    "orphan_object": "object without a manifest row",
    "hash_mismatch": "object bytes differ from the manifest sha256",
    "size_mismatch": "object size differs from the manifest size",
    "bad_manifest_line": "manifest line that is not a valid entry",
    "not_an_archive": "folder without manifest/ or objects/",
}


@dataclass(frozen=True)
class Problem:
    kind: str  # a key of PROBLEM_KINDS
    where: str  # objects/<ab>/<sha> or manifest/<source>.jsonl:<line>
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.where}: {self.detail}"


@dataclass
class VerifyReport:
    root: Path
    entries: int = 0
    objects: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        counts = Counter(p.kind for p in self.problems)
        head = (f"archive {self.root}: {self.entries} manifest rows, {self.objects} objects checked: "
                + ("OK, every object matches its manifest row" if self.ok else f"{len(self.problems)} problem(s)"))
        lines = [head] + [f"  {counts[k]:>5} {text}" for k, text in PROBLEM_KINDS.items() if counts[k]]
        return "\n".join(lines)


def _relative(archive: RawArchive, sha: str) -> str:
    return str(archive.object_path(sha).relative_to(archive.root))


def check_entry(archive: RawArchive, entry: ManifestEntry) -> Problem | None:
    """The entry's object proven against its sha256 and size, or the problem found."""
    path, where = archive.object_path(entry.sha256), _relative(archive, entry.sha256)
    source = describe_request(entry)
    if not path.is_file():
        return Problem("missing_object", where, f"no such file; manifest row for {source}")
    sha, size = hash_file(path)
    if sha != entry.sha256:
        return Problem("hash_mismatch", where,
                       f"expected sha256 {entry.sha256}, found {sha} ({size} of {entry.size} bytes); {source}")
    if size != entry.size:
        return Problem("size_mismatch", where, f"expected {entry.size} bytes, found {size}; {source}")
    return None


def check_entries(archive: RawArchive, entries: Iterable[ManifestEntry]) -> list[Problem]:
    """Each distinct object of ``entries`` checked once."""
    seen: set[str] = set()
    problems = []
    for entry in entries:
        if entry.sha256 in seen:
            continue
        seen.add(entry.sha256)
        if problem := check_entry(archive, entry):
            problems.append(problem)
    return problems


def _manifest_rows(archive: RawArchive, report: VerifyReport) -> list[ManifestEntry]:
    rows = []
    for path in archive.manifest_files():
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rows.append(ManifestEntry.model_validate_json(line))
                except ValueError as exc:
                    where = f"{path.relative_to(archive.root)}:{lineno}"
                    report.problems.append(Problem("bad_manifest_line", where, str(exc).splitlines()[0]))
    return rows


def verify_archive(root: Path | str) -> VerifyReport:
    """The whole archive at ``root``: manifests against objects, and every object's bytes."""
    archive = RawArchive(root, writable=False)
    report = VerifyReport(archive.root)
    if not (archive.root / "manifest").is_dir() and not (archive.root / "objects").is_dir():
        report.problems.append(Problem("not_an_archive", str(archive.root), "no manifest/ or objects/ folder here; give the archive's root folder"))
        return report
    rows = _manifest_rows(archive, report)
    report.entries = len(rows)
    report.problems += check_entries(archive, rows)
    named = {e.sha256 for e in rows}
    objects = sorted(p for p in (archive.root / "objects").glob("*/*") if p.is_file()) if (archive.root / "objects").is_dir() else []
    report.objects = len(objects)
    for path in objects:
        if path.name not in named:
            report.problems.append(Problem("orphan_object", str(path.relative_to(archive.root)),
                                           "no manifest row names it (a leftover of a killed write, or a lost manifest row)"))
    return report
