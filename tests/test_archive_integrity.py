"""The archive proves its bytes: a flipped digit, a truncated payload and garbage bytes in a copy of
the bundled archive each stop a run before publishing, name the damaged object, and leave
serving.duckdb as it was; ``sote archive verify`` passes on the bundled archive and names the
damaged object on each corrupted copy."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from pipelines.archive import ArchiveIntegrityError, RawArchive
from pipelines.cli import main as cli_main
from pipelines.settings import PROJECT_ROOT
from tests.conftest import copy_of_full_run, materialized, run_all

SAMPLE = PROJECT_ROOT / "data" / "sample"
COUNTRY_683_2023 = b'"region":658,"year":2023,"gender":"total","value":11.8'  # real value: whole country, 2023


def entry_where(archive: RawArchive, source: str, test) -> object:
    return next(e for e in archive.entries(source) if test(e))


def flip_digit(root: Path):
    """Indicator 683, whole country, 2023: 11.8 -> 99.9 (same size, other hash)."""
    archive = RawArchive(root, writable=False)
    entry = entry_where(archive, "sotkanet", lambda e: e.url.endswith("/json") and ["indicator", "683"] in map(list, e.params))
    path = archive.object_path(entry.sha256)
    body = path.read_bytes()
    assert body.count(COUNTRY_683_2023) == 1
    path.write_bytes(body.replace(COUNTRY_683_2023, COUNTRY_683_2023.replace(b"11.8", b"99.9")))
    return entry


def truncate(root: Path):
    """A THL fact chunk cut at 60 %."""
    archive = RawArchive(root, writable=False)
    entry = entry_where(archive, "thl_cube", lambda e: ".json" in e.url and "dimensions" not in e.url and "/api/" not in e.url)
    path = archive.object_path(entry.sha256)
    path.write_bytes(path.read_bytes()[: int(entry.size * 0.6)])
    return entry


def garbage(root: Path):
    """64 bytes of noise in the middle of a personnel delivery the warehouse loaded in an earlier run."""
    archive = RawArchive(root, writable=False)
    entry = entry_where(archive, "personnel", lambda e: e.ok and e.kind == "file")
    path = archive.object_path(entry.sha256)
    body = bytearray(path.read_bytes())
    middle = len(body) // 2
    body[middle:middle + 64] = bytes((i * 37 + 11) % 256 for i in range(64))
    path.write_bytes(bytes(body))
    return entry


CORRUPTIONS = {"flipped_digit": flip_digit, "truncated": truncate, "garbage": garbage}


def corrupted_copy(tmp_path: Path, how: str):
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    return root, CORRUPTIONS[how](root)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def failure_texts(result) -> list[str]:
    texts = []
    for e in result.all_events:
        if e.event_type_value == "STEP_FAILURE":
            err = e.event_specific_data.error
            texts.append(err.message + " " + (err.cause.message if err.cause else ""))
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed:
            texts.append(e.event_specific_data.description or "")
    return texts


def test_read_proves_the_bytes(tmp_path):
    root, entry = corrupted_copy(tmp_path, "flipped_digit")
    with pytest.raises(ArchiveIntegrityError) as err:
        RawArchive(root, writable=False).read(entry)
    message = str(err.value)
    assert entry.sha256 in message and "indicator=683" in message and "https://sotkanet.fi/rest/1.1/json" in message
    assert f"expected sha256 {entry.sha256} and {entry.size} bytes" in message


@pytest.mark.slow
@pytest.mark.parametrize("how", sorted(CORRUPTIONS))
def test_corrupt_payload_stops_the_run_before_publishing(full_run, tmp_path, how):
    root, entry = corrupted_copy(tmp_path, how)
    settings = copy_of_full_run(full_run, tmp_path / "state", replay_path=root)
    before = digest(settings.serving_path)
    result = run_all(settings)
    assert not result.success
    assert "serving/publish" not in materialized(result)
    named = [t for t in failure_texts(result) if entry.sha256 in t]
    assert named, failure_texts(result)
    assert digest(settings.serving_path) == before


def test_verify_passes_on_the_bundled_archive(capsys):
    assert cli_main(["archive", "verify", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "OK, every object matches its manifest row" in out
    assert "77 manifest rows" in out or "manifest rows" in out


@pytest.mark.parametrize("how", sorted(CORRUPTIONS))
def test_verify_names_the_damaged_object(tmp_path, capsys, how):
    root, entry = corrupted_copy(tmp_path, how)
    assert cli_main(["archive", "verify", str(root)]) == 1
    out = capsys.readouterr().out
    assert "1 problem(s)" in out and "object bytes differ from the manifest sha256" in out
    assert f"objects/{entry.sha256[:2]}/{entry.sha256}" in out


def test_verify_counts_missing_orphan_and_unreadable_rows(tmp_path, capsys):
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    archive = RawArchive(root, writable=False)
    gone = archive.entries("curated")[0]
    archive.object_path(gone.sha256).unlink()
    orphan = root / "objects" / "ff" / ("f" * 64)
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"nobody lists me")
    with (root / "manifest" / "thl_cube.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"source": "thl_cube"}) + "\n")
    assert cli_main(["archive", "verify", str(root)]) == 1
    out = capsys.readouterr().out
    assert "3 problem(s)" in out
    assert "1 manifest row without its object" in out and gone.sha256 in out
    assert "1 object without a manifest row" in out and orphan.name in out
    assert "1 manifest line that is not a valid entry" in out and "thl_cube.jsonl:12" in out


def test_verify_says_when_a_folder_is_not_an_archive(tmp_path, capsys):
    assert cli_main(["archive", "verify", str(tmp_path)]) == 1
    assert "1 folder without manifest/ or objects/" in capsys.readouterr().out
