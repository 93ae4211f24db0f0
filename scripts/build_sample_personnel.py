"""Write the bundled SYNTHETIC personnel-report deliveries into the replay archive (data/sample).

No real machine-readable per-county personnel data exists (data/reference and
../shared/reference/personnel/SOURCES.md explain why), so every figure here is synthetic:
sized from the real 2023 populations (THL need-model population, data/reference/finance/
derived_vakiluku_tarvekerroin_2018_2023.csv) at roughly 4 % of the population in person-years,
with plausible ratios drawn from a seeded random generator. Every row's ``note`` says
"SYNTHETIC sample data, not official statistics" and every manifest entry has synthetic=true.

One delivery per organiser (01-21, 90) and year (2023, 2024), mixing the tolerated formats:
CSV UTF-8 with comma, CSV UTF-8 with BOM + semicolon + decimal comma + Finnish headers, CSV
cp1252 + semicolon + space thousands, XLSX with a named data sheet after an instructions sheet,
and XLSX with only a first sheet. Some deliveries give ratios instead of counts (age-band shares,
turnover %, sickness days per HTV). County 08 delivers 2024 twice: a first version and a
correction received later, which replaces it. Kainuu (20) has a psychologist group of 3 persons
(suppressed in the marts).

Run by hand, then commit data/sample:  python scripts/build_sample_personnel.py
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.archive import RawArchive  # noqa: E402
from pipelines.contract import ORGANISER_CODES  # noqa: E402
from pipelines.sources.files import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE  # noqa: E402
from pipelines.sources.personnel import AGE_BANDS, COLUMNS, STAFF_GROUPS, METRICS, rows_to_csv  # noqa: E402

SAMPLE = ROOT / "data" / "sample"
POPULATION_CSV = ROOT / "data" / "reference" / "finance" / "derived_vakiluku_tarvekerroin_2018_2023.csv"
YEARS = (2023, 2024)
NOTE = "SYNTHETIC sample data, not official statistics"
RECEIVED = {2023: "2024-04-30T09:00:00+00:00", 2024: "2025-04-30T09:00:00+00:00"}
CORRECTION_RECEIVED = "2025-05-15T09:00:00+00:00"
GROUP_SHARES = {"nurse": 0.22, "practical_nurse": 0.25, "physician": 0.06, "social_worker": 0.03}
AGE_PROFILE = (0.07, 0.20, 0.23, 0.24, 0.22, 0.04)
AGE_MIDPOINTS = (22.0, 30.0, 40.0, 50.0, 59.5, 66.0)
FINNISH_HEADERS = {
    "area_code": "Hyvinvointialue", "year": "Vuosi", "staff_group": "Henkilöstöryhmä", "metric": "Mittari",
    "breakdown": "Erittely", "value": "Arvo", "unit": "Yksikkö", "staff_group_label_src": "Ryhmän nimi lähteessä",
    "method": "Menetelmä", "reference_date": "Tilannepäivä", "source_url": "Lähde", "source_page": "Sivu",
    "extracted_by": "Poimija", "extracted_at": "Poimittu", "note": "Huomautus",
}


def populations_2023() -> dict[str, int]:
    with POPULATION_CSV.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["year"] == "2023" and r["hyvinvointialue_code"] != "SSS"]
    return {r["hyvinvointialue_code"].zfill(2): int(r["vakiluku"]) for r in rows}


def split_integer(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of ``total`` by ``weights`` (sums exactly to total)."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[: total - sum(parts)]:
        parts[i] += 1
    return parts


def group_figures(rng: random.Random, headcount: int) -> dict:
    permanent = round(headcount * rng.uniform(0.78, 0.86))
    bands = split_integer(headcount, [p * rng.uniform(0.85, 1.15) for p in AGE_PROFILE])
    mean_age = sum(c * m for c, m in zip(bands, AGE_MIDPOINTS)) / headcount + rng.uniform(-0.8, 0.8)
    htv = headcount * rng.uniform(0.86, 0.94)
    leavers = round(permanent * rng.uniform(0.05, 0.12))
    retirement = round(leavers * rng.uniform(0.3, 0.5))
    resignation = round((leavers - retirement) * rng.uniform(0.7, 0.9))
    return {
        "headcount": headcount, "permanent": permanent, "fixed_term": headcount - permanent, "htv": round(htv, 1),
        "bands": bands, "mean_age": round(mean_age, 1), "leavers": leavers, "retirement": retirement,
        "resignation": resignation, "other_leavers": leavers - retirement - resignation,
        "sick_days": round(htv * rng.uniform(14.0, 22.0)), "training_days": round(htv * rng.uniform(1.5, 4.0)),
    }


def county_rows(county: str, year: int, population: int, *, ratios: bool, correction: int = 0) -> list[dict]:
    rng = random.Random(f"personnel-{county}-{year}")
    growth = 1.0 if year == 2023 else 1.003
    htv_target = population * growth * 0.040 * rng.uniform(0.9, 1.1)
    total_headcount = round(htv_target / 0.90)
    groups = {"all": group_figures(rng, total_headcount)}
    for group, share in GROUP_SHARES.items():
        groups[group] = group_figures(rng, max(5, round(total_headcount * share * rng.uniform(0.9, 1.1))))
    if county == "20":
        groups["psychologist"] = group_figures(rng, 3)  # fewer than 5 persons: suppressed in the marts
    elif county in ("18", "12"):
        groups["psychologist"] = group_figures(rng, 12)
    rows: list[dict] = []

    def add(group: str, metric: str, value, breakdown: str = "total") -> None:
        rows.append({
            "area_code": county, "year": year, "staff_group": group, "metric": metric, "breakdown": breakdown,
            "value": value, "unit": METRICS[metric][0], "staff_group_label_src": STAFF_GROUPS[group][0],
            "method": "KT2021", "reference_date": f"{year}-12-31", "source_url": "", "source_page": "",
            "extracted_by": "scripts/build_sample_personnel.py", "extracted_at": RECEIVED[year][:10], "note": NOTE,
        })

    for group, f in groups.items():
        add(group, "headcount", f["headcount"])
        add(group, "headcount", f["permanent"], "permanent")
        add(group, "headcount", f["fixed_term"], "fixed_term")
        add(group, "person_years_htv2", f["htv"])
        if ratios:
            shares = [round(c / f["headcount"] * 100, 1) for c in f["bands"]]
            for band, share in zip(AGE_BANDS, shares):
                add(group, "age_band_share", share, band)
            add(group, "permanent_turnover_pct", round(f["leavers"] / f["permanent"] * 100, 1))
            add(group, "sickness_absence_days_per_htv", round(f["sick_days"] / f["htv"], 2))
        else:
            for band, count in zip(AGE_BANDS, f["bands"]):
                add(group, "age_band_count", count, band)
            add(group, "permanent_leavers", f["leavers"])
            add(group, "permanent_leavers", f["retirement"], "retirement")
            add(group, "permanent_leavers", f["resignation"], "resignation")
            add(group, "permanent_leavers", f["other_leavers"], "other")
            add(group, "sickness_absence_days", f["sick_days"] + correction)
        add(group, "mean_age", f["mean_age"])
        add(group, "training_days", f["training_days"])
    all_htv = groups["all"]["htv"]
    agency_htv = round(all_htv * rng.uniform(0.005, 0.03), 1)
    add("all", "agency_labour_htv", agency_htv)
    add("all", "agency_labour_cost", round(agency_htv * rng.uniform(70000, 95000)))
    shortage = {g: round(f["headcount"] * rng.uniform(0.01, 0.06)) for g, f in groups.items() if g != "all"}
    own_order = sorted(shortage, key=lambda g: (-shortage[g], g))
    if rng.random() < 0.3 and len(own_order) > 1:  # counties sometimes rank by criticality, not size
        own_order[0], own_order[1] = own_order[1], own_order[0]
    for rank, group in enumerate(own_order, 1):
        add(group, "key_shortage_rank", rank)
        add(group, "unfilled_positions", shortage[group])
    return rows


# -- output variants: the tolerated encodings, separators and workbook layouts -------------------

def fmt(value, *, decimal: str = ".", thousands: str = "") -> str:
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and not isinstance(value, bool)):
        text = f"{int(value):,}".replace(",", thousands)
    else:
        whole, frac = f"{value:.2f}".rstrip("0").split(".")
        text = f"{int(whole):,}".replace(",", thousands) + (decimal + frac if frac else "")
    return text


def as_text_rows(rows: list[dict], **number_format) -> list[dict]:
    return [{**r, "year": str(r["year"]), "value": fmt(r["value"], **number_format)} for r in rows]


def csv_utf8_comma(rows):
    return rows_to_csv(as_text_rows(rows)), "csv", "utf-8, comma, decimal point"


def csv_bom_semicolon_finnish(rows):
    buf = as_text_rows(rows, decimal=",")
    body = rows_to_csv(buf, separator=";").decode("utf-8")
    header = ";".join(FINNISH_HEADERS[c] for c in COLUMNS)
    body = header + body[body.index("\r\n"):]
    return b"\xef\xbb\xbf" + body.encode("utf-8"), "csv", "utf-8 BOM, semicolon, decimal comma, Finnish headers"


def csv_cp1252_spaces(rows):
    return (rows_to_csv(as_text_rows(rows, decimal=",", thousands=" "), separator=";", encoding="cp1252"), "csv",
            "cp1252, semicolon, decimal comma, space thousands")


def xlsx_named_sheet(rows):
    import openpyxl

    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "Lue minut"
    info.append([NOTE])
    info.append(["Tiedot ovat välilehdellä 'henkilöstö' (data on the sheet 'henkilöstö')."])
    ws = wb.create_sheet("henkilöstö")
    ws.append(list(COLUMNS))
    for r in rows:
        ws.append([r[c] for c in COLUMNS])
    return _save(wb), "xlsx", "xlsx, data on the sheet named 'henkilöstö' (not the first)"


def xlsx_first_sheet(rows):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Taul1"
    ws.append([FINNISH_HEADERS[c] for c in COLUMNS])
    for r in rows:
        ws.append([r[c] for c in COLUMNS])
    return _save(wb), "xlsx", "xlsx, first sheet 'Taul1', Finnish headers"


def _save(wb) -> bytes:
    import io
    from datetime import datetime

    wb.properties.created = wb.properties.modified = datetime(2025, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip_times(buf.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite the XLSX zip with fixed entry times, so regenerating the sample gives the same bytes."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0)), body,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


VARIANTS = (csv_utf8_comma, csv_bom_semicolon_finnish, csv_cp1252_spaces, xlsx_named_sheet, xlsx_first_sheet)


def deliveries() -> list[tuple[str, bytes, str, dict]]:
    """(file name, bytes, received_at, meta) for every sample delivery, in receiving order."""
    pops = populations_2023()
    out = []
    for year in YEARS:
        for i, county in enumerate(ORGANISER_CODES):
            ratios = i % 4 == 1
            variant = VARIANTS[(i + year) % len(VARIANTS)]
            first_error = 40000 if (county, year) == ("08", 2024) else 0  # the mistake the correction fixes
            body, ext, how = variant(county_rows(county, year, pops[county], ratios=ratios, correction=first_error))
            name = f"henkilostokertomus_{county}_{year}.{ext}"
            out.append((name, body, RECEIVED[year], {"county": county, "year": year, "format": how, "ratios": ratios}))
    body, ext, how = csv_utf8_comma(county_rows("08", 2024, pops["08"], ratios=False))
    out.append(("henkilostokertomus_08_2024_korjattu.csv", body, CORRECTION_RECEIVED,
                {"county": "08", "year": 2024, "format": how, "ratios": False, "corrects": "henkilostokertomus_08_2024"}))
    return out


def main() -> None:
    archive = RawArchive(SAMPLE)
    manifest = SAMPLE / "manifest" / "personnel.jsonl"
    old = {e.sha256 for e in archive.entries("personnel")} if manifest.exists() else set()
    manifest.unlink(missing_ok=True)
    new = set()
    for name, body, received_at, meta in deliveries():
        entry = archive.put(body, source="personnel", kind="file", url="", file_name=name, fetched_at=received_at,
                            content_type=XLSX_CONTENT_TYPE if name.endswith(".xlsx") else CSV_CONTENT_TYPE,
                            synthetic=True, meta={**meta, "note": NOTE})
        new.add(entry.sha256)
    still_used = {e.sha256 for e in archive.entries()}
    for sha in old - new - still_used:
        archive.object_path(sha).unlink(missing_ok=True)
    print(f"wrote {len(new)} synthetic personnel deliveries to {manifest}")


if __name__ == "__main__":
    main()
