"""Reading and validating personnel-report deliveries: tolerant variants, strict rejections.

Every variant is real bytes (CSV in the tolerated encodings, XLSX written by openpyxl) run
through the same ``parse_delivery`` the pipeline uses.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from pipelines.sources.files import DeliveryRejected, parse_number, normalise_name
from pipelines.sources.personnel import AGE_BANDS, COLUMNS, parse_delivery, rows_to_csv, rows_to_xlsx

YEARS = range(2015, 2025)
NOTE = "SYNTHETIC test data, not official statistics"


def sample_rows(county: str = "08", year: int = 2024, *, sick_days: float = 18234.5) -> list[dict]:
    """A small but complete delivery: all staff and nurses, counts and one ratio (hand-made, synthetic)."""
    rows = []

    def add(group, metric, value, breakdown="total", unit=None):
        from pipelines.sources.personnel import METRICS

        rows.append({c: "" for c in COLUMNS} | {
            "area_code": county, "year": year, "staff_group": group, "metric": metric, "breakdown": breakdown,
            "value": value, "unit": unit or METRICS[metric][0], "method": "KT2021", "note": NOTE,
            "staff_group_label_src": "Sairaanhoitajat" if group == "nurse" else "Koko henkilöstö",
        })

    add("all", "headcount", 1200)
    add("all", "headcount", 1000, "permanent")
    add("all", "headcount", 200, "fixed_term")
    add("all", "person_years_htv2", 1104.25)
    for band, n in zip(AGE_BANDS, (80, 240, 280, 300, 250, 50)):
        add("all", "age_band_count", n, band)
    add("all", "mean_age", 44.6)
    add("all", "permanent_leavers", 90)
    add("all", "sickness_absence_days", sick_days)
    add("all", "training_days", 3312.75)
    add("all", "agency_labour_cost", 1234567.5)
    add("all", "agency_labour_htv", 15.5)
    add("nurse", "headcount", 300)
    add("nurse", "headcount", 260, "permanent")
    add("nurse", "person_years_htv2", 280.5)
    for band, share in zip(AGE_BANDS, (8.0, 22.5, 25.0, 22.5, 20.0, 2.0)):
        add("nurse", "age_band_share", share, band)
    add("nurse", "permanent_turnover_pct", 9.5)
    add("nurse", "key_shortage_rank", 1)
    add("nurse", "unfilled_positions", 25)
    return rows


def _fmt(value, decimal=".", thousands="") -> str:
    if isinstance(value, str):
        return value
    if float(value).is_integer():
        whole, frac = f"{int(value):,}", ""
    else:
        whole, frac = f"{value:,.2f}".rstrip("0").split(".")
    return whole.replace(",", thousands) + (decimal + frac if frac else "")


def text_rows(rows, **fmt):
    return [r | {"year": str(r["year"]), "value": _fmt(r["value"], **fmt)} for r in rows]


FINNISH = {"area_code": "Hyvinvointialue", "year": "Vuosi", "staff_group": "Henkilöstöryhmä", "metric": "Mittari",
           "breakdown": "Erittely", "value": "Arvo", "unit": "Yksikkö", "note": "Huomautus", "method": "Menetelmä"}


def csv_with_headers(rows, headers: dict, sep: str, encoding: str, bom: bool = False, **fmt) -> bytes:
    body = rows_to_csv(text_rows(rows, **fmt), separator=sep).decode("utf-8")
    header = sep.join(headers.get(c, c) for c in COLUMNS)
    text = header + body[body.index("\r\n"):]
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def xlsx_bytes(rows, *, sheets: list[str], data_sheet: str, headers: dict | None = None, numbers_as_text=False) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in sheets:
        ws = wb.create_sheet(name)
        if name == data_sheet:
            ws.append([(headers or {}).get(c, c) for c in COLUMNS])
            for r in rows:
                ws.append([_fmt(r[c], decimal=",") if (numbers_as_text and c == "value") else r[c] for c in COLUMNS])
        else:
            ws.append(["Ohjeet: täytä välilehti 'henkilöstö'"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def tolerated_variants() -> dict[str, bytes]:
    rows = sample_rows()
    return {
        "utf8_comma.csv": rows_to_csv(text_rows(rows)),
        "utf8_bom_semicolon_decimal_comma.csv": csv_with_headers(rows, {}, ";", "utf-8", bom=True, decimal=","),
        "cp1252_semicolon_space_thousands_finnish.csv": csv_with_headers(rows, FINNISH, ";", "cp1252", decimal=",", thousands=" "),
        "utf8_comma_quoted_decimal_comma.csv": csv_with_headers(rows, {}, ",", "utf-8", decimal=","),
        "named_sheet_not_first.xlsx": xlsx_bytes(rows, sheets=["Ohjeet", "henkilöstö"], data_sheet="henkilöstö"),
        "first_sheet_finnish_text_numbers.xlsx": xlsx_bytes(rows, sheets=["Taul1"], data_sheet="Taul1", headers=FINNISH,
                                                            numbers_as_text=True),
        "template_writer.xlsx": rows_to_xlsx(rows),
    }


def canonical(delivery) -> list[dict]:
    return sorted((r.data.model_dump() for r in delivery.rows), key=lambda d: tuple(str(v) for v in d.values()))


def test_every_tolerated_variant_parses_to_the_same_rows():
    variants = tolerated_variants()
    parsed = {name: parse_delivery(data, name, years=YEARS) for name, data in variants.items()}
    reference = canonical(parsed["utf8_comma.csv"])
    assert len(reference) == len(sample_rows())
    for name, delivery in parsed.items():
        assert canonical(delivery) == reference, name
    assert parsed["cp1252_semicolon_space_thousands_finnish.csv"].encoding == "cp1252"
    assert parsed["utf8_bom_semicolon_decimal_comma.csv"].encoding == "utf-8-sig"
    assert parsed["named_sheet_not_first.xlsx"].sheet == "henkilöstö"
    assert parsed["first_sheet_finnish_text_numbers.xlsx"].sheet == "Taul1"
    sick = next(r for r in reference if r["metric"] == "sickness_absence_days")
    assert sick["value"] == 18234.5  # "18 234,5" and "18234.5" are the same number


def test_variants_really_differ_in_bytes():
    variants = tolerated_variants()
    assert len({v for v in variants.values()}) == len(variants)
    assert b"18 234,5" in variants["cp1252_semicolon_space_thousands_finnish.csv"]
    assert "Henkilöstöryhmä".encode("cp1252") in variants["cp1252_semicolon_space_thousands_finnish.csv"]


@pytest.mark.parametrize(
    "text, expected",
    [("1234", 1234.0), ("1234,5", 1234.5), ("1234.5", 1234.5), ("1 234,5", 1234.5), ("1\u00a0234\u00a0567", 1234567.0),
     ("-3", -3.0), ("  12 ", 12.0), ("", None), (None, None), (12, 12.0), (2.5, 2.5)],
)
def test_parse_number_accepts(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["1.234,5", "1,234.5", "1.234.567", "12 34", "n/a", "12 %", "1e3", "abc"])
def test_parse_number_refuses_ambiguous_or_text(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_normalise_name_matches_finnish_headers():
    assert normalise_name(" Henkilöstö-ryhmä ") == "henkilosto_ryhma"
    assert normalise_name("\ufeffarea_code") == "area_code"


# -- broken deliveries: every one rejected whole, with a report naming the problem ------------------


def _replace(rows, match: dict, **changes):
    out = []
    for r in rows:
        out.append(r | changes if all(str(r[k]) == str(v) for k, v in match.items()) else r)
    return out


def broken_variants() -> dict[str, tuple[bytes, dict]]:
    """name -> (bytes, expected issue fields: substrings of reason, and row/column where known)."""
    rows = sample_rows()

    def row_of(metric: str) -> int:  # file row as a spreadsheet shows it: header is row 1
        return next(i for i, r in enumerate(rows) if r["metric"] == metric) + 2

    no_unit = rows_to_csv(text_rows(rows)).decode().replace(",unit,", ",yksikko_x,").encode()
    wb = openpyxl.Workbook()
    wb.active.title = "Taul1"
    wb.create_sheet("Muistiinpanot").append(["vain muistiinpanoja"])
    empty_workbook = io.BytesIO()
    wb.save(empty_workbook)
    return {
        "missing_column.csv": (rows_to_csv([{k: v for k, v in r.items()} for r in text_rows(rows)])
                               .decode().replace("value,", "", 1).encode(),
                               {"reason": "required column is missing", "column": "value", "row": 1}),
        "unknown_column_instead_of_unit.csv": (no_unit, {"reason": "required column is missing", "column": "unit"}),
        "unknown_county.csv": (rows_to_csv(text_rows(_replace(rows, {"metric": "mean_age"}, area_code="23"))),
                               {"reason": "unknown county code", "column": "area_code", "row": row_of("mean_age"), "value": "23"}),
        "text_in_number.csv": (rows_to_csv(text_rows(_replace(rows, {"metric": "training_days"}, value="noin 3000"))),
                               {"reason": "expected a number", "column": "value", "row": row_of("training_days"), "value": "noin 3000"}),
        "percentage_130.csv": (rows_to_csv(text_rows(_replace(rows, {"metric": "permanent_turnover_pct"}, value=130))),
                               {"reason": "between 0 and 100", "column": "value", "row": row_of("permanent_turnover_pct"), "value": "130"}),
        "duplicate_rows.csv": (rows_to_csv(text_rows(rows + [rows[3]])),
                               {"reason": "duplicate row", "row": len(rows) + 2}),
        "empty.csv": (b"", {"reason": "the file is empty"}),
        "header_only.csv": (rows_to_csv([]), {"reason": "no filled-in data rows"}),
        "no_usable_sheet.xlsx": (empty_workbook.getvalue(), {"reason": "no usable sheet", "sheet": "Taul1"}),
        "not_a_spreadsheet.csv": (bytes(range(256)) * 4, {"reason": "not a CSV or XLSX spreadsheet"}),
        "png_renamed.xlsx": (b"\x89PNG\r\n\x1a\n" + bytes(200), {"reason": "not a CSV or XLSX spreadsheet"}),
        "broken_zip.xlsx": (b"PK\x03\x04" + b"garbage" * 20, {"reason": "cannot be opened as a workbook"}),
        "ambiguous_separator.csv": (b"area_code;year,staff_group;metric,value;unit\n08;2024,all;headcount,1;persons\n",
                                    {"reason": "unknown column", "column": "year,staff_group"}),
    }


@pytest.mark.parametrize("name", sorted(broken_variants()))
def test_broken_delivery_is_rejected_with_a_located_reason(name):
    data, expected = broken_variants()[name]
    with pytest.raises(DeliveryRejected) as info:
        parse_delivery(data, name, years=YEARS)
    report = info.value.report
    assert report.file_name == name and report.source == "personnel" and report.issues
    match = [i for i in report.issues if expected["reason"] in i.reason]
    assert match, report.to_text()
    issue = match[0]
    for field in ("row", "column", "value", "sheet"):
        if field in expected:
            assert getattr(issue, field) == expected[field], (field, issue)
    text = report.to_text()
    assert name in text and "NOT loaded" in text and expected["reason"] in text


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda rows: _replace(rows, {"staff_group": "nurse", "metric": "age_band_share", "breakdown": "<25"}, value=18.0),
         "age-band shares sum to 110"),
        (lambda rows: _replace(rows, {"staff_group": "all", "metric": "person_years_htv2"}, value=1300),
         "exceed 1.05 x headcount"),
        (lambda rows: _replace(rows, {"staff_group": "all", "metric": "permanent_leavers"}, value=1001),
         "turnover over 100"),
        (lambda rows: _replace(rows, {"staff_group": "all", "metric": "age_band_count", "breakdown": "65+"}, value=51),
         "age-band counts sum to 1201"),
        (lambda rows: [r for r in rows if not (r["staff_group"] == "all" and r["metric"] == "person_years_htv2")],
         "must report person_years_htv2"),
        (lambda rows: _replace(rows, {"staff_group": "nurse", "metric": "headcount", "breakdown": "total"}, value=1500),
         "more than all staff"),
        (lambda rows: [r for r in rows if r["metric"] != "unfilled_positions"], "no unfilled_positions row"),
        (lambda rows: _replace(rows, {"metric": "mean_age"}, unit="percent"), "reported in 'years'"),
        (lambda rows: _replace(rows, {"metric": "headcount", "breakdown": "permanent", "staff_group": "all"}, value=999.5),
         "whole number"),
        (lambda rows: _replace(rows, {"metric": "mean_age"}, year=2031), "year outside"),
        (lambda rows: rows + [rows[0] | {"metric": "permanent_turnover_pct", "value": 12.0, "unit": "percent"}],
         "permanent_turnover_pct is 12 but the delivered counts give 9.00"),
        (lambda rows: rows + [rows[0] | {"metric": "age_band_share", "breakdown": "65+", "value": 9.0, "unit": "percent"}],
         "age_band_share 65+ is 9 but the delivered counts give 4.17"),
    ],
)
def test_cross_row_and_row_rules_reject(change, reason):
    data = rows_to_csv(text_rows(change(sample_rows())))
    with pytest.raises(DeliveryRejected) as info:
        parse_delivery(data, "rules.csv", years=YEARS)
    assert any(reason in i.reason for i in info.value.report.issues), info.value.report.to_text()


def test_consistent_ratio_next_to_its_counts_is_accepted():
    rows = sample_rows()
    rows.append(rows[0] | {"metric": "sickness_absence_days_per_htv", "value": round(18234.5 / 1104.25, 2), "unit": "pv/htv"})
    delivery = parse_delivery(rows_to_csv(text_rows(rows)), "both.csv", years=YEARS)
    assert len(delivery.rows) == len(rows)


@pytest.mark.parametrize(
    "field, text, expected",
    [("area_code", "8", "08"), ("staff_group", "Sairaanhoitajat", "nurse"), ("staff_group", "LÄHIHOITAJAT", "practical_nurse"),
     ("breakdown", "25\u201334", "25-34"), ("breakdown", "alle 25", "<25"), ("breakdown", "Vakinaiset", "permanent"),
     ("metric", "Henkilötyövuodet", "person_years_htv2"), ("unit", "hlö", "persons")],
)
def test_finnish_and_loose_spellings_are_understood(field, text, expected):
    from pipelines.sources.personnel import PersonnelRow

    base = {"area_code": "08", "year": "2024", "staff_group": "nurse", "metric": "headcount", "breakdown": "",
            "value": "10", "unit": "persons"}
    if field == "breakdown" and expected not in ("permanent",):
        base.update(metric="age_band_count")
    if field == "metric":
        base.update(unit="htv")
    row = PersonnelRow.model_validate(base | {field: text}, context={"years": list(YEARS)})
    assert getattr(row, field) == expected


def test_blank_template_rows_are_not_reported_not_errors():
    rows = sample_rows() + [sample_rows()[0] | {"staff_group": "physician", "value": ""}]
    delivery = parse_delivery(rows_to_csv(text_rows(rows)), "blank.csv", years=YEARS)
    assert len(delivery.rows) == len(sample_rows()) and delivery.blank_rows == [len(rows) + 1]


def test_report_lists_every_problem_not_just_the_first():
    rows = _replace(sample_rows(), {"metric": "mean_age"}, area_code="99")
    rows = _replace(rows, {"metric": "training_days"}, value="x")
    with pytest.raises(DeliveryRejected) as info:
        parse_delivery(rows_to_csv(text_rows(rows)), "two.csv", years=YEARS)
    columns = {i.column for i in info.value.report.issues}
    assert {"area_code", "value"} <= columns
