"""Generate a synthetic Sotkanet archive at benchmark scale, in the real wire shape and archive layout.

Every body is what Sotkanet's REST 1.1 would answer (``/regions`` array, ``/indicators/{id}``
object, ``/json`` flat row array) and is stored with ``RawArchive.put`` under the exact request
the client makes, so the pipeline's replay path reads it as it reads ``data/sample``. All values
are synthetic: the manifest says ``synthetic: true`` and every generated payload is a made-up
number. The archive goes under ``bench/out/`` (git-ignored), never into ``data/sample``.

``python -m bench.gen_archive --indicators 100 --regions 465 --years 30 --out bench/out/archive``
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from pipelines.archive import RawArchive
from pipelines.sources.sotkanet import ALL_GENDERS, data_params

BASE_URL = "https://sotkanet.fi/rest/1.1"
FIRST_INDICATOR = 90001  # ids far above real ones, so nobody mistakes them for real indicators
LAST_YEAR = 2024
SPEC_FILE = "bench-spec.json"


@dataclass(frozen=True)
class ArchiveSpec:
    indicators: int = 100
    regions: int = 465
    years: int = 30
    genders: tuple[str, ...] = ALL_GENDERS

    @property
    def indicator_ids(self) -> list[int]:
        return list(range(FIRST_INDICATOR, FIRST_INDICATOR + self.indicators))

    @property
    def year_list(self) -> list[int]:
        return list(range(LAST_YEAR - self.years + 1, LAST_YEAR + 1))

    @property
    def rows(self) -> int:
        return self.indicators * self.regions * self.years * len(self.genders)


def region_list(count: int) -> list[dict]:
    """``count`` regions in /regions shape: the country, 23 wellbeing areas, 5 cooperation areas,
    then municipalities (synthetic names and ids)."""
    regions = [{"id": 658, "code": "358", "category": "MAA",
                "title": {"fi": "Koko maa", "en": "Whole country", "sv": "Hela landet"}, "memberOf": [],
                "uri": "http://www.yso.fi/onto/kunnat/suomi"}]
    for n in range(23):
        code = f"{n + 1:02d}" if n < 21 else ("90" if n == 21 else "91")
        regions.append({"id": 956 + n, "code": code, "category": "HYVINVOINTIALUE",
                        "title": {"fi": f"Alue {code}", "en": f"Area {code}", "sv": f"Område {code}"},
                        "memberOf": [658, 1101 + n % 5]})
    for n in range(5):
        regions.append({"id": 1101 + n, "code": str(n + 1), "category": "YTA",
                        "title": {"fi": f"YTA {n + 1}", "en": f"Cooperation area {n + 1}", "sv": f"SSO {n + 1}"},
                        "memberOf": [658]})
    n = 0
    while len(regions) < count:
        regions.append({"id": 2000 + n, "code": f"{n + 1:03d}", "category": "KUNTA",
                        "title": {"fi": f"Kunta {n + 1}", "en": f"Municipality {n + 1}", "sv": f"Kommun {n + 1}"},
                        "memberOf": [658, 956 + n % 23]})
        n += 1
    return regions[:count]


def indicator_metadata(indicator: int, spec: ArchiveSpec) -> dict:
    """Metadata object in the real /indicators/{id} shape (the fields the pipeline reads, and a few more)."""
    return {
        "id": indicator,
        "data-updated": "2026-01-15",
        "range": {"start": spec.year_list[0], "end": spec.year_list[-1]},
        "title": {"fi": f"Synteettinen indikaattori {indicator}", "en": f"Synthetic indicator {indicator}",
                  "sv": f"Syntetisk indikator {indicator}"},
        "organization": {"id": 2, "title": {"fi": "Synteettinen", "en": "Synthetic", "sv": "Syntetisk"}},
        "primaryValueType": {"code": "PROS", "title": {"fi": "Prosentti", "en": "Percentage", "sv": "Procent"}},
        "decimals": 1,
        "classifications": {"sex": {"values": list(spec.genders)}, "region": {"values": ["Maa", "Kunta"]}},
    }


def data_body(indicator: int, region_ids: list[int], spec: ArchiveSpec) -> bytes:
    """The /json array for one indicator: every region x year x gender, compact like Sotkanet's.

    Values are a deterministic hash of the key (no RNG state to keep); one row in 7 has no
    ``absValue`` key, as Sotkanet omits it when it has none.
    """
    parts = []
    for r in region_ids:
        for y in spec.year_list:
            for gi, g in enumerate(spec.genders):
                h = (indicator * 7919 + r * 104729 + y * 131 + gi * 17) % 100003
                value = f"{h % 10000 / 10:.1f}"
                if h % 7:
                    parts.append(f'{{"indicator":{indicator},"region":{r},"year":{y},"gender":"{g}",'
                                 f'"value":{value},"absValue":{h % 5000}}}')
                else:
                    parts.append(f'{{"indicator":{indicator},"region":{r},"year":{y},"gender":"{g}","value":{value}}}')
    return ("[" + ",".join(parts) + "]").encode()


def generate(out: Path, spec: ArchiveSpec, *, force: bool = False) -> dict:
    """Write the archive (reusing an existing one of the same spec); returns a summary dict."""
    marker = out / SPEC_FILE
    wanted = json.dumps(asdict(spec), sort_keys=True)
    if not force and marker.exists() and json.loads(marker.read_text()).get("spec") == json.loads(wanted):
        return json.loads(marker.read_text())
    if out.exists():
        shutil.rmtree(out)
    started = time.perf_counter()
    archive = RawArchive(out)
    common = dict(source="sotkanet", kind="http", content_type="application/json;charset=UTF-8", synthetic=True)
    regions = region_list(spec.regions)
    archive.put(json.dumps(regions, ensure_ascii=False).encode(), url=f"{BASE_URL}/regions", params=[],
                meta={"kind": "regions", "provenance": "synthetic benchmark archive (bench/gen_archive.py)"}, **common)
    region_ids = [r["id"] for r in regions]
    total_bytes = 0
    for ind in spec.indicator_ids:
        meta = indicator_metadata(ind, spec)
        archive.put(json.dumps(meta).encode(), url=f"{BASE_URL}/indicators/{ind}", params=[],
                    meta={"kind": "indicator", "indicator": ind, "provenance": "synthetic benchmark archive"}, **common)
        body = data_body(ind, region_ids, spec)
        total_bytes += len(body)
        archive.put(body, url=f"{BASE_URL}/json", params=data_params(ind, spec.year_list, spec.genders),
                    meta={"kind": "data", "indicator": ind, "data_updated": meta["data-updated"],
                          "provenance": "synthetic benchmark archive"}, **common)
    summary = {"spec": json.loads(wanted), "rows": spec.rows, "data_bytes": total_bytes,
               "generated_s": round(time.perf_counter() - started, 2), "synthetic": True}
    marker.write_text(json.dumps(summary, indent=2))
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gen_archive", description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--regions", type=int, default=465)
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--out", type=Path, default=Path("bench/out/archive"))
    parser.add_argument("--force", action="store_true", help="regenerate even if an archive of this spec exists")
    a = parser.parse_args(argv)
    summary = generate(a.out, ArchiveSpec(a.indicators, a.regions, a.years), force=a.force)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
