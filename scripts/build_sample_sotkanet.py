"""Build the Sotkanet part of the bundled replay archive (data/sample).

Run by hand when the sample changes: ``python scripts/build_sample_sotkanet.py``. Runs of the
pipeline never write data/sample.

What is real and what is not (also recorded per payload in the manifest: ``synthetic`` + ``meta.provenance``):
- 683 data: REAL published values (Sotkanet, 2015-2023, all 465 regions), re-serialised from the
  /csv capture in data/reference/sotkanet/ into the /json wire shape; no value changed.
- 127 data (population): REAL values: 2018-2023 THL need-model population per county
  (data/reference/finance/), 2024 the VM funding-calculation populations quoted in
  ../docs (personnel-finance-regions.md §3.1); cooperation areas are sums of their members.
  Not a Sotkanet capture: Sotkanet's own 127 may differ slightly.
- /regions: assembled from Statistics Finland names and the wellbeing-area ids confirmed in the docs;
  the cooperation-area (YTA) ids 1101-1106 are placeholders (real ids: to verify live). SYNTHETIC.
- /indicators/{id}: SYNTHETIC metadata in the real shape (modelled on the real 3336 capture).
- data of 3332, 4771, 5028, 5642, 5664, 5956, 404: SYNTHETIC values (seeded, plausible), mirroring
  known gaps (Helsinki's missing waiting-time data 2023-2024, biennial survey years for 404).
"""

from __future__ import annotations

import csv
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.archive import RawArchive  # noqa: E402
from pipelines.settings import get_settings  # noqa: E402
from pipelines.sources.sotkanet import SOURCE, data_params  # noqa: E402

REF = ROOT / "data" / "reference"
GENERATED_AT = "2026-11-23T12:00:00+00:00"
YTA_IDS = {str(i): 1100 + i for i in range(1, 7)}  # placeholder ids, flagged synthetic
THL = {"id": 2, "title": {"fi": "Terveyden ja hyvinvoinnin laitos (THL)", "en": "Finnish institute for Health and Welfare (THL)", "sv": "Institutet för hälsa och välfärd (THL)"}}
KELA = {"id": 4, "title": {"fi": "Kansaneläkelaitos (Kela)", "en": "Social Insurance Institution of Finland (Kela)", "sv": "Folkpensionsanstalten (FPA)"}}
STATFI = {"id": 1, "title": {"fi": "Tilastokeskus", "en": "Statistics Finland", "sv": "Statistikcentralen"}}
VALUE_TYPES = {
    "PER10000": {"fi": "Kymmentä tuhatta asukasta kohden", "en": "Per 10 000 inhabitants", "sv": "Per tio tusen invånare"},
    "PROS": {"fi": "Prosentti", "en": "Percentage", "sv": "Procent"},
    "INDEKSI": {"fi": "Indeksi", "en": "Index", "sv": "Index"},
    "EUROA_ASUKAS": {"fi": "Euroa asukasta kohden", "en": "Euros per inhabitant", "sv": "Euro per invånare"},
    "LKM": {"fi": "Lukumäärä", "en": "Number", "sv": "Antal"},
}


def t(fi: str, en: str, sv: str) -> dict:
    return {"fi": fi, "en": en, "sv": sv}


# id: (title, value type, decimals, producer, range, genders, has_yta, level, spread)
INDICATORS = {
    3332: (t("Erikoissairaanhoitoa yli 6 kk odottaneet / 10 000 asukasta", "Patients waiting over 6 months for specialised health care per 10 000 inhabitants", "Personer som väntat på specialiserad sjukvård i över 6 månader / 10 000 invånare"), "PER10000", 1, THL, (2023, 2024), ["total"], False, 18.0, 0.5),
    4771: (t("Erikoissairaanhoitoa yli 6 kk odottaneet vuoden lopussa / 10 000 asukasta", "Patients waiting over 6 months for specialised health care at year end per 10 000 inhabitants", "Personer som väntat på specialiserad sjukvård i över 6 månader vid årets slut / 10 000 invånare"), "PER10000", 1, THL, (2023, 2024), ["total"], False, 9.0, 0.6),
    5028: (t("Kotihoidon 75 vuotta täyttäneet asiakkaat, joilla päivystyksenä alkaneita sairaalajaksoja, % vastaavan ikäisistä kotihoidon asiakkaista", "Home-care clients aged 75 or over with hospital periods that began as emergency admissions, % of home-care clients of the same age", "Hemvårdsklienter 75 år och äldre med sjukhusperioder som inletts som jour, % av hemvårdsklienter i samma ålder"), "PROS", 1, THL, (2015, 2024), ["total"], False, 38.0, 0.15),
    5642: (t("Sairastavuusindeksi, ikävakioitu", "Morbidity index, age-standardised", "Sjuklighetsindex, åldersstandardiserat"), "INDEKSI", 1, THL, (2015, 2023), ["total"], True, 100.0, 0.12),
    5664: (t("Työkyvyttömyysindeksi, ikävakioitu", "Work-disability index, age-standardised", "Arbetsoförmågeindex, åldersstandardiserat"), "INDEKSI", 1, KELA, (2015, 2023), ["total"], True, 100.0, 0.15),
    5956: (t("Sosiaali- ja terveystoiminta, nettokäyttökustannukset yhteensä, euroa / asukas", "Social and health care activities, net operating costs in total, euros per inhabitant", "Social- och hälsovårdsverksamhet, nettodriftskostnader totalt, euro / invånare"), "EUROA_ASUKAS", 0, THL, (2023, 2024), ["total"], False, 4300.0, 0.08),
    404: (t("Erittäin heikko osallisuuden kokemus, %", "Very weak sense of inclusion, %", "Mycket svag upplevelse av delaktighet, %"), "PROS", 1, THL, (2020, 2024), ["male", "female", "total"], True, 4.0, 0.25),
}
SURVEY_YEARS_404 = {2020, 2022, 2024}


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def areas() -> list[dict]:
    names = {r["hyvinvointialue_code"].zfill(2): r for r in read_csv(REF / "regions/derived/wellbeing_areas_by_year.csv") if r["year"] == "2024"}
    ids = {r["uusi_code"].zfill(2): int(r["uusi_id"]) for r in read_csv(REF / "sotkanet/rOpenGov-sotkanet/sotkanet_hyvinvointialueet.csv")}
    out = []
    for code, r in sorted(names.items()):
        out.append({
            "code": code, "id": ids[code], "yta": r["yhteistyoalue_code"],
            "title": t(r["hyvinvointialue_name_fi"].strip(), r["hyvinvointialue_name_en"].strip(), r["hyvinvointialue_name_sv"].strip()),
            "yta_title": t(r["yhteistyoalue_name_fi"].strip(), r["yhteistyoalue_name_en"].strip(), r["yhteistyoalue_name_sv"].strip()),
        })
    return out


def regions_body(area_rows: list[dict]) -> list[dict]:
    regions = [{"id": 658, "code": "358", "category": "MAA", "title": t("Koko maa", "Whole country", "Hela landet"), "memberOf": [], "uri": "http://www.yso.fi/onto/kunnat/suomi"}]
    ytas = {}
    for a in area_rows:
        ytas.setdefault(a["yta"], a["yta_title"])
        regions.append({"id": a["id"], "code": a["code"], "category": "HYVINVOINTIALUE", "title": a["title"], "memberOf": [658, YTA_IDS[a["yta"]]]})
    for code, title in sorted(ytas.items()):
        regions.append({"id": YTA_IDS[code], "code": code, "category": "YTA", "title": title, "memberOf": [658]})
    regions.append({"id": 629, "code": "25", "category": "SAIRAANHOITOPIIRI", "title": t("Helsingin ja Uudenmaan sairaanhoitopiiri", "Helsinki and Uusimaa hospital district", "Helsingfors och Nylands sjukvårdsdistrikt"), "memberOf": [], "uri": "http://www.yso.fi/onto/kunnat/shp25"})
    regions.append({"id": 46, "code": "091", "category": "KUNTA", "title": t("Helsinki", "Helsinki", "Helsingfors"), "memberOf": [658, 960, YTA_IDS["1"]], "uri": "http://www.yso.fi/onto/kunnat/k091"})
    return regions


def metadata_body(ind: int, spec) -> dict:
    title, vt, decimals, org, (start, end), genders, _, _, _ = spec
    ref3336 = json.loads((REF / "sotkanet/hus-sotkanet/indicators_metadata@4c49eaa.json").read_text(encoding="utf-8"))["indicators"]["3336"]
    limits = ref3336["limits"] if ind in (3332, 4771) else t(" ", " ", " ")
    empty = t(" ", " ", " ")
    return {
        "id": ind, "data-updated": "2025-10-01", "range": {"start": start, "end": end}, "title": title,
        "description": t(f"<p>SYNTEETTINEN esimerkkikuvaus (indikaattori {ind}).</p>", f"<p>SYNTHETIC sample description (indicator {ind}).</p>", f"<p>SYNTETISK exempelbeskrivning (indikator {ind}).</p>"),
        "interpretation": empty, "limits": limits, "legislation": empty, "notices": empty,
        "primaryValueType": {"code": vt, "title": VALUE_TYPES[vt]}, "decimals": decimals,
        "classifications": {"sex": {"title": t("Sukupuoli", "Gender", "Kön"), "values": genders},
                            "region": {"title": t("Hyvinvointialue, koko maa", "The wellbeing services county, whole country", "Välfärdsområde, hela landet"), "values": ["Maa"]}},
        "organization": org, "subjects": [], "sources": [], "groups": [],
    }


def population() -> dict[tuple[str, int], int]:
    pop = {}
    for r in read_csv(REF / "finance/derived_vakiluku_tarvekerroin_2018_2023.csv"):
        code = r["hyvinvointialue_code"]
        pop[("SSS" if code == "SSS" else code.zfill(2), int(r["year"]))] = int(r["vakiluku"])
    # 31.12.2024 as used in VM's 2026 funding calculation (docs/personnel-finance-regions.md §3.1)
    pop_2024 = {"90": 684018, "04": 289730, "03": 502067, "01": 99415, "02": 207070, "05": 494819, "06": 211261,
                "07": 169455, "08": 545406, "09": 204635, "10": 157442, "11": 125083, "12": 129376, "13": 248815,
                "14": 162091, "15": 274112, "16": 189929, "17": 178749, "18": 67723, "19": 418331, "20": 69639, "21": 176151}
    for code, v in pop_2024.items():
        pop[(code, 2024)] = v
    pop[("SSS", 2024)] = 5605317
    return pop


def data_127(area_rows, years) -> list[dict]:
    pop = population()
    rows = []
    by_code = {a["code"]: a for a in area_rows}
    for y in years:
        for a in area_rows:
            if (a["code"], y) in pop:
                rows.append({"indicator": 127, "region": a["id"], "year": y, "gender": "total", "value": pop[(a["code"], y)]})
        if ("SSS", y) in pop:
            rows.append({"indicator": 127, "region": 658, "year": y, "gender": "total", "value": pop[("SSS", y)]})
        for yta in "12345":
            members = [c for c, a in by_code.items() if a["yta"] == yta]
            if all((c, y) in pop for c in members):
                rows.append({"indicator": 127, "region": YTA_IDS[yta], "year": y, "gender": "total", "value": sum(pop[(c, y)] for c in members)})
    return rows


def data_683(years) -> list[dict]:
    rows = []
    for r in read_csv(REF / "sotkanet/hyvinvointialue-diabetes-risk/diabetes_683_raw.csv"):
        if int(r["year"]) not in years:
            continue
        row = {"indicator": 683, "region": int(r["region"]), "year": int(r["year"]), "gender": r["gender"], "value": float(r["primary value"])}
        if r["absolute value"] not in ("", None):
            row["absValue"] = int(float(r["absolute value"]))
        rows.append(row)
    return rows


def synthetic_data(ind: int, spec, area_rows, years) -> list[dict]:
    _, _, decimals, _, (start, end), genders, has_yta, level, spread = spec
    rng = random.Random(ind)
    pop = population()
    rows = []
    for y in years:
        if not start <= y <= end or (ind == 404 and y not in SURVEY_YEARS_404):
            continue
        trend = 1 + 0.015 * (y - start)
        values = {}
        for a in area_rows:
            if ind in (3332, 4771) and a["code"] == "90":
                continue  # mirrors 3336's limits: Helsinki's waiting-time data missing until 2024
            base = level * (1 + spread * (rng.random() * 2 - 1))
            values[a["code"]] = base * trend
        weights = {c: pop.get((c, min(max(y, 2018), 2024)), 100000) for c in values if c != "91"}
        national = sum(values[c] * w for c, w in weights.items()) / sum(weights.values())
        for g in genders:
            factor = {"male": 1.12, "female": 0.9, "total": 1.0}[g]
            for a in area_rows:
                if a["code"] in values:
                    rows.append({"indicator": ind, "region": a["id"], "year": y, "gender": g, "value": round(values[a["code"]] * factor, decimals)})
            rows.append({"indicator": ind, "region": 658, "year": y, "gender": g, "value": round(national * factor, decimals)})
            if has_yta:
                for yta in "12345":
                    members = [a["code"] for a in area_rows if a["yta"] == yta and a["code"] in weights]
                    w = sum(weights[c] for c in members)
                    rows.append({"indicator": ind, "region": YTA_IDS[yta], "year": y, "gender": g, "value": round(sum(values[c] * weights[c] for c in members) / w * factor, decimals)})
    return rows


def dump(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def main() -> None:
    settings = get_settings()
    base = settings.sotkanet_base_url.rstrip("/")
    years = settings.years
    archive = RawArchive(ROOT / "data" / "sample")
    manifest = archive.root / "manifest" / f"{SOURCE}.jsonl"
    manifest.unlink(missing_ok=True)
    area_rows = areas()

    def put(body: bytes, url: str, params, synthetic: bool, provenance: str, **meta) -> None:
        archive.put(body, source=SOURCE, url=url, params=params, content_type="application/json;charset=UTF-8",
                    fetched_at=GENERATED_AT, synthetic=synthetic, meta={"provenance": provenance, **meta})

    put(dump(regions_body(area_rows)), f"{base}/regions", [], True,
        "assembled: Statistics Finland names, wellbeing-area ids 956-978 as confirmed in docs; YTA ids 1101-1106 are placeholders",
        kind="regions")
    specs = dict(INDICATORS)
    specs[127] = (t("Väestö 31.12.", "Population 31 Dec", "Befolkning 31.12"), "LKM", 0, STATFI, (2018, 2024), ["total"], True, 0, 0)
    specs[683] = (t("Diabeteslääkkeisiin erityiskorvattaviin lääkkeisiin oikeutetut 40 vuotta täyttäneet, % vastaavanikäisestä väestöstä", "Persons aged 40 or over entitled to special reimbursement for diabetes medicines, % of population of the same age", "Personer 40 år och äldre med specialersättning för diabetesläkemedel, % av befolkningen i samma ålder"), "PROS", 1, KELA, (2015, 2023), ["total"], False, 0, 0)
    for ind, spec in specs.items():
        meta_doc = metadata_body(ind, spec)
        put(dump(meta_doc), f"{base}/indicators/{ind}", [], True, "synthetic metadata in the real /indicators/{id} shape", kind="indicator", indicator=ind)
        params = data_params(ind, years, spec[5])
        if ind == 683:
            rows, synthetic, prov = data_683(years), False, "REAL Sotkanet values (data/reference/sotkanet/hyvinvointialue-diabetes-risk), re-serialised from /csv to the /json shape"
        elif ind == 127:
            rows, synthetic, prov = data_127(area_rows, years), False, "REAL population: THL need-model population 2018-2023 (data/reference/finance), VM 2024; YTA = sum of members"
        else:
            rows, synthetic, prov = synthetic_data(ind, spec, area_rows, years), True, "SYNTHETIC values, seeded and plausible, not official statistics"
        put(dump(rows), f"{base}/json", params, synthetic, prov, kind="data", indicator=ind, data_updated=meta_doc["data-updated"], rows=len(rows))
    print(f"wrote {len(archive.entries(SOURCE))} Sotkanet entries to {archive.root}")


if __name__ == "__main__":
    main()
