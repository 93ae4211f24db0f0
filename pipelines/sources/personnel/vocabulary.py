"""The personnel-report vocabulary (objective 2.1.2, KT 2021 based): canonical columns and the
Finnish header names accepted, metrics with unit, allowed breakdowns and definition, staff
groups, age bands and their aliases. docs/personnel_format.md documents the same for analysts."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipelines.sources.files import normalise_name

SOURCE = "personnel"  # raw-archive source name (manifest/personnel.jsonl)
FRAGMENT_SOURCE = "personnel_report"  # source family in marts.measure_values
SHEET_NAMES = ("personnel", "henkilosto", "henkilöstö", "data")
SYNTHETIC_MARK = "SYNTHETIC"

REQUIRED_COLUMNS = ("area_code", "year", "staff_group", "metric", "value", "unit")
OPTIONAL_COLUMNS = (
    "breakdown", "staff_group_label_src", "method", "reference_date", "source_url", "source_page",
    "extracted_by", "extracted_at", "note",
)
COLUMNS = (*REQUIRED_COLUMNS[:4], "breakdown", "value", "unit", "staff_group_label_src", "method",
           "reference_date", "source_url", "source_page", "extracted_by", "extracted_at", "note")

COLUMN_ALIASES = {
    "hyvinvointialue": "area_code", "hyvinvointialueen koodi": "area_code", "alue": "area_code",
    "aluekoodi": "area_code", "alueen koodi": "area_code", "county": "area_code", "county code": "area_code",
    "vuosi": "year", "tilastovuosi": "year", "raportointivuosi": "year",
    "henkilöstöryhmä": "staff_group", "ammattiryhmä": "staff_group", "group": "staff_group",
    "ryhmän nimi lähteessä": "staff_group_label_src", "ammattiryhmä lähteessä": "staff_group_label_src",
    "mittari": "metric", "tunnusluku": "metric",
    "erittely": "breakdown", "jaottelu": "breakdown", "luokka": "breakdown",
    "arvo": "value", "luku": "value",
    "yksikkö": "unit",
    "menetelmä": "method", "laskentatapa": "method",
    "tilannepäivä": "reference_date", "viitepäivä": "reference_date",
    "lähde": "source_url", "lähteen osoite": "source_url", "lähde url": "source_url",
    "sivu": "source_page", "lähteen sivu": "source_page",
    "poimija": "extracted_by", "kirjaaja": "extracted_by",
    "poimittu": "extracted_at", "kirjattu": "extracted_at",
    "huomautus": "note", "lisätieto": "note", "huom": "note", "notes": "note",
}

AGE_BANDS = ("<25", "25-34", "35-44", "45-54", "55-64", "65+")
AGE_BANDS_55_PLUS = ("55-64", "65+")
HEADCOUNT_BREAKDOWNS = ("total", "permanent", "fixed_term")
LEAVER_BREAKDOWNS = ("total", "retirement", "resignation", "other")

# metric -> (unit, allowed breakdowns, definition)
METRICS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "headcount": ("persons", HEADCOUNT_BREAKDOWNS, "Employees on 31.12 (breakdown total, permanent or fixed_term)."),
    "person_years_htv2": ("htv", HEADCOUNT_BREAKDOWNS,
                          "KT 2021 HTV2: paid service calendar days x part-time % / 100 / days in year, summed."),
    "age_band_count": ("persons", AGE_BANDS, "Employees on 31.12 in the age band (breakdown = band)."),
    "age_band_share": ("percent", AGE_BANDS, "age_band_count / headcount x 100 (breakdown = band)."),
    "mean_age": ("years", ("total",), "Mean age of the employees on 31.12."),
    "permanent_leavers": ("persons", LEAVER_BREAKDOWNS,
                          "Permanent service relationships that ended during the year (breakdown total, retirement, resignation, other)."),
    "permanent_turnover_pct": ("percent", ("total",), "permanent_leavers / permanent headcount on 31.12 x 100."),
    "sickness_absence_days": ("days", ("total",), "Calendar days of absence for own illness during the year."),
    "sickness_absence_days_per_htv": ("days_per_htv", ("total",), "sickness_absence_days / person_years_htv2."),
    "training_days": ("days", ("total",), "Training days (koulutuspäivät) during the year."),
    "training_days_per_htv": ("days_per_htv", ("total",), "training_days / person_years_htv2."),
    "agency_labour_cost": ("eur", ("total",), "Purchased agency labour (vuokratyövoima), EUR in the year."),
    "agency_labour_htv": ("htv", ("total",), "Agency labour volume in person-years."),
    "key_shortage_rank": ("rank", ("total",), "1 = the county's most critical shortage; staff_group names the group."),
    "unfilled_positions": ("count", ("total",), "Positions of the staff group unfilled on 31.12 (shortage size)."),
}

METRIC_ALIASES = {
    "henkilöstömäärä": "headcount", "henkilöstö": "headcount", "henkilömäärä": "headcount",
    "htv2": "person_years_htv2", "henkilötyövuodet": "person_years_htv2", "htv": "person_years_htv2",
    "ikäryhmä lkm": "age_band_count", "ikäryhmä osuus": "age_band_share", "keski-ikä": "mean_age",
    "vakinaiset lähtijät": "permanent_leavers", "lähtövaihtuvuus": "permanent_turnover_pct",
    "vaihtuvuus": "permanent_turnover_pct",
    "sairauspoissaolopäivät": "sickness_absence_days", "sairauspoissaolopäivät per htv": "sickness_absence_days_per_htv",
    "koulutuspäivät": "training_days", "koulutuspäivät per htv": "training_days_per_htv",
    "vuokratyövoiman kustannus": "agency_labour_cost", "vuokratyövoima htv": "agency_labour_htv",
    "henkilöstövaje sija": "key_shortage_rank", "täyttämättömät tehtävät": "unfilled_positions",
}

STAFF_GROUPS: dict[str, tuple[str, str]] = {
    # code -> (Finnish label, English label)
    "all": ("koko henkilöstö", "all staff"),
    "nurse": ("sairaanhoitajat (ml. terveydenhoitajat ja kätilöt)", "nurses (incl. public health nurses and midwives)"),
    "practical_nurse": ("lähihoitajat", "practical nurses"),
    "physician": ("lääkärit", "physicians"),
    "social_worker": ("sosiaalityöntekijät", "social workers"),
    "care_assistant": ("hoitoapulaiset ja laitoshuoltajat", "care assistants"),
    "psychologist": ("psykologit", "psychologists"),
    "physiotherapist": ("fysioterapeutit", "physiotherapists"),
    "rescue": ("pelastustoimen henkilöstö", "rescue services staff"),
    "other": ("muut", "other staff"),
}
STAFF_GROUP_ALIASES = {
    "kaikki": "all", "koko henkilöstö": "all", "yhteensä": "all", "total": "all",
    "sairaanhoitajat": "nurse", "sairaanhoitaja": "nurse", "lähihoitajat": "practical_nurse", "lähihoitaja": "practical_nurse",
    "lääkärit": "physician", "lääkäri": "physician", "sosiaalityöntekijät": "social_worker",
    "hoitoapulaiset": "care_assistant", "laitoshuoltajat": "care_assistant", "psykologit": "psychologist",
    "fysioterapeutit": "physiotherapist", "pelastus": "rescue", "pelastustoimi": "rescue", "muut": "other",
}

UNIT_ALIASES = {
    "%": "percent", "prosentti": "percent", "pct": "percent",
    "henkilöä": "persons", "hlö": "persons", "hlöä": "persons", "henkilöt": "persons", "lkm": "persons",
    "henkilötyövuotta": "htv", "henkilötyövuosi": "htv", "person years": "htv", "person_years": "htv",
    "pv": "days", "päivää": "days", "päivät": "days",
    "pv/htv": "days_per_htv", "päivää/htv": "days_per_htv", "days per htv": "days_per_htv",
    "€": "eur", "euroa": "eur", "euro": "eur",
    "vuotta": "years", "v": "years",
    "sija": "rank", "järjestys": "rank",
    "kpl": "count",
}

BREAKDOWN_ALIASES = {
    "": "total", "yhteensä": "total", "kaikki": "total",
    "vakinaiset": "permanent", "vakinainen": "permanent",
    "määräaikaiset": "fixed_term", "määräaikainen": "fixed_term", "fixed-term": "fixed_term",
    "eläköityminen": "retirement", "eläkkeelle siirtyneet": "retirement",
    "irtisanoutuminen": "resignation", "irtisanoutuneet": "resignation", "muu": "other",
    "alle 25": "<25", "-24": "<25", "under 25": "<25",
    "65-": "65+", "yli 64": "65+", "65 ja yli": "65+", "65 and over": "65+",
}

INTEGER_UNITS = ("persons", "count", "rank")
HTV_TOLERANCE = 1.05  # person-years may exceed headcount by 5 % (staff who left during the year)
SHARE_TOLERANCE = 0.5  # age-band shares must sum to 100 +- 0.5 (rounding)


def _lookup(text: str, vocabulary: Iterable[str], aliases: dict[str, str]) -> str | None:
    key = normalise_name(text)
    for code in vocabulary:
        if normalise_name(code) == key:
            return code
    normalised = {normalise_name(k): v for k, v in aliases.items()}
    return normalised.get(key)


def _age_band(text: str) -> str | None:
    compact = re.sub(r"\s+", "", text.replace("\u2013", "-").replace("\u2014", "-"))
    if compact in AGE_BANDS:
        return compact
    return BREAKDOWN_ALIASES.get(text.strip().casefold().replace("\u2013", "-"))


