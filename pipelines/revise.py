"""A copy of an archive in which a source revised some published figures: for trying (and testing)
marts.value_revisions with ``sote archive revise SRC DEST``. The copy gets new manifest entries,
so replay answers the same requests with the revised bodies; the values stay labelled synthetic."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pipelines.archive import RawArchive


def revise_sotkanet(src: Path, dest: Path, *, indicator: int, count: int = 3, delta: float = 1.0,
                    region_ids: list[int] | None = None, max_year: int | None = None) -> list[dict]:
    """Copy ``src`` to ``dest`` and add ``delta`` to ``count`` values of one Sotkanet indicator
    (gender total, the latest year up to ``max_year``, the given Sotkanet region ids or the first
    ones in the body).
    Returns the changed rows as ``{indicator, region, year, gender, old, new}``."""
    if dest.exists():
        raise FileExistsError(f"{dest} exists: choose a new folder for the revised copy")
    shutil.copytree(src, dest)
    archive = RawArchive(dest)
    entries = [e for e in archive.entries("sotkanet") if e.meta.get("kind") == "data" and e.meta.get("indicator") == indicator]
    if not entries:
        raise ValueError(f"archive {src} has no Sotkanet data payload for indicator {indicator}")
    entry = entries[-1]
    rows = json.loads(archive.read(entry))
    candidates = [r for r in rows if r.get("gender") == "total" and r.get("value") is not None
                  and (max_year is None or r["year"] <= max_year)]
    if not candidates:
        raise ValueError(f"indicator {indicator} has no value to revise up to {max_year}")
    year = max(r["year"] for r in candidates)
    pool = [r for r in candidates if r["year"] == year and (region_ids is None or r["region"] in region_ids)]
    if len(pool) < count:
        raise ValueError(f"indicator {indicator} has only {len(pool)} values to revise in {year}")
    changed = []
    for row in pool[:count]:
        old = row["value"]
        row["value"] = round(old + delta, 10)
        changed.append({"indicator": indicator, "region": row["region"], "year": year, "gender": "total",
                        "old": old, "new": row["value"]})
    archive.put(json.dumps(rows).encode(), source="sotkanet", url=entry.url, params=entry.params,
                content_type=entry.content_type, synthetic=True, meta=entry.meta)
    return changed
