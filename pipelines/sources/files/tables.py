"""Tolerant, never guessing, reading of delivered CSV and XLSX files into canonical ``Table``s."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any



from pipelines.sources.files.problems import DeliveryRejected, ErrorReport, Issue

# -- tolerant reading --------------------------------------------------------------------


@dataclass
class TableRow:
    row: int  # as a spreadsheet shows it
    cells: dict[str, Any]  # canonical column -> str (CSV) or str/int/float/datetime/None (XLSX)


@dataclass
class Table:
    file_name: str
    sheet: str | None
    columns: dict[str, str]  # canonical name -> name as written in the file
    rows: list[TableRow] = field(default_factory=list)
    encoding: str | None = None
    separator: str | None = None


def normalise_name(name: Any) -> str:
    """Header text reduced for matching: 'Määrä (HTV)' -> 'maara_htv'."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^0-9a-z]+", "_", text.casefold())
    return text.strip("_")


# An XLSX is a ZIP: a small file can unpack to gigabytes. Real deliveries unpack to well under 10 MB.
XLSX_MAX_UNPACKED_BYTES = 200_000_000


def read_table(
    data: bytes,
    file_name: str,
    *,
    aliases: Mapping[str, str],
    required: Sequence[str],
    optional: Sequence[str] = (),
    sheet_names: Sequence[str] = (),
) -> Table:
    """Read a delivered CSV or XLSX into canonical columns, or raise ``DeliveryRejected``.

    ``aliases`` maps normalised header text (see ``normalise_name``) to canonical column names;
    every canonical name also matches itself. ``sheet_names`` are preferred XLSX sheets.
    """
    known = {normalise_name(k): v for k, v in aliases.items()}
    known.update({normalise_name(c): c for c in (*required, *optional)})
    if not data.strip():
        raise _reject(file_name, None, None, None, None, "the file is empty")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, file_name, known, required, sheet_names)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _reject(file_name, None, None, None, None,
                      "this is an old binary Excel (.xls) file; save it as .xlsx or as CSV (UTF-8) and deliver again")
    return _read_csv(data, file_name, known, required)


def _reject(file_name, sheet, row, column, value, reason) -> DeliveryRejected:
    return DeliveryRejected(
        ErrorReport(source="", file_name=file_name, issues=[Issue(file=file_name, sheet=sheet, row=row, column=column, value=value, reason=reason)])
    )


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (with or without BOM) first, cp1252 as the only fallback."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _reject(file_name, None, None, None, None,
                      "the file is UTF-16 encoded; save it as CSV UTF-8 (or Windows-1252) and deliver again")
    else:
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Control characters mean binary content that happened to decode: not a spreadsheet.
        if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
            break
        return text, encoding
    raise _reject(file_name, None, None, None, None,
                  "the file is not a CSV or XLSX spreadsheet (binary content, or text in an unsupported encoding); "
                  "deliver the template as .xlsx or as CSV in UTF-8 or Windows-1252")


def _read_csv(data: bytes, file_name: str, known: Mapping[str, str], required: Sequence[str]) -> Table:
    text, encoding = decode_text(data, file_name)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise _reject(file_name, None, None, None, None, "the file has no rows")
    sep = _detect_separator(lines[0], known, required, file_name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    raw_rows = [(n, r) for n, r in enumerate(reader, 1)]
    header_row, header = next((n, r) for n, r in raw_rows if any(c.strip() for c in r))
    table = Table(file_name=file_name, sheet=None, columns={}, encoding=encoding, separator=sep)
    positions = _map_header(table, header, header_row, known, required, None)
    for n, cells in raw_rows:
        if n <= header_row or not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            raise _reject(file_name, None, n, None, sep.join(cells[len(header):]),
                          f"the row has more cells than the header ({len(cells)} > {len(header)}); "
                          f"check for a stray '{sep}' (a decimal comma in a comma-separated file must be quoted)")
        table.rows.append(TableRow(n, {canon: (cells[i].strip() if i < len(cells) else "") for canon, i in positions.items()}))
    return table


def _detect_separator(header_line: str, known: Mapping[str, str], required: Sequence[str], file_name: str) -> str:
    """';' or ',': the one whose header cells give the required columns; if neither does, the one
    recognising strictly more columns (the header check then names what is missing). Never a guess
    between two equally good readings."""
    mapped = {}
    for sep in (";", ","):
        header = next(csv.reader([header_line], delimiter=sep))
        mapped[sep] = {known.get(normalise_name(h)) for h in header} - {None}
    fits = [sep for sep, cols in mapped.items() if set(required) <= cols]
    if len(fits) == 1:
        return fits[0]
    if len(fits) == 2:
        raise _reject(file_name, None, 1, None, None,
                      "the header row can be read with both ';' and ',' as separator; use one separator only")
    counts = {sep: len(cols) for sep, cols in mapped.items()}
    best = max(counts, key=counts.get)
    if counts[best] == 0 or len(set(counts.values())) == 1:
        raise _reject(file_name, None, 1, None, header_line[:200],
                      "the first row is not the template header (no known column names, or the separator ';' or ',' "
                      "cannot be told apart); use the column names of the template")
    return best


def _map_header(table: Table, header: Sequence[Any], header_row: int, known, required, sheet) -> dict[str, int]:
    """Canonical column -> position; unknown, duplicate or missing columns reject the file."""
    issues, positions = [], {}
    for i, name in enumerate(header):
        if name is None or not str(name).strip():
            continue
        canon = known.get(normalise_name(name))
        if canon is None:
            issues.append(Issue(file=table.file_name, sheet=sheet, row=header_row, column=str(name),
                                reason="unknown column; use the column names of the template (docs/personnel_format.md)"))
        elif canon in positions:
            issues.append(Issue(file=table.file_name, sheet=sheet, row=header_row, column=str(name),
                                reason=f"column '{canon}' appears twice (as {table.columns[canon]!r} and {str(name)!r})"))
        else:
            positions[canon] = i
            table.columns[canon] = str(name).strip()
    for canon in required:
        if canon not in positions:
            issues.append(Issue(file=table.file_name, sheet=sheet, row=header_row, column=canon, reason="required column is missing"))
    if issues:
        raise DeliveryRejected(ErrorReport(source="", file_name=table.file_name, issues=issues))
    return positions


def _read_xlsx(data: bytes, file_name: str, known, required, sheet_names: Sequence[str]) -> Table:
    import openpyxl  # imported here: only XLSX deliveries need it

    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _reject(file_name, None, None, None, None, f"the file looks like a ZIP/XLSX but cannot be opened as a workbook ({exc})")
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise _reject(file_name, None, None, None, None,
                      f"the workbook unpacks to {unpacked:,} bytes, more than {XLSX_MAX_UNPACKED_BYTES:,}; it was not "
                      "opened. Deliver one county and year per file, or as CSV")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _reject(file_name, None, None, None, None, f"the file looks like a ZIP/XLSX but cannot be opened as a workbook ({exc})")
    try:
        names = workbook.sheetnames
        wanted = {normalise_name(s) for s in sheet_names}
        chosen = next((s for s in names if normalise_name(s) in wanted), names[0] if names else None)
        if chosen is None:
            raise _reject(file_name, None, None, None, None, "the workbook has no sheets")
        rows = [(n, list(r)) for n, r in enumerate(workbook[chosen].iter_rows(values_only=True), 1)]
    finally:
        workbook.close()
    filled = [(n, r) for n, r in rows if any(_cell_text(c) for c in r)]
    if not filled:
        raise _reject(file_name, chosen, None, None, None,
                      f"no usable sheet: sheet {chosen!r} (the "
                      + ("named sheet" if wanted and normalise_name(chosen) in wanted else "first sheet")
                      + f") is empty; the data must be on a sheet named one of {list(sheet_names)} or on the first sheet")
    header_row, header = filled[0]
    table = Table(file_name=file_name, sheet=chosen, columns={})
    try:
        positions = _map_header(table, header, header_row, known, required, chosen)
    except DeliveryRejected as exc:
        exc.report.issues.insert(0, Issue(file=file_name, sheet=chosen, row=header_row, reason=(
            f"no usable sheet: the first non-empty row of sheet {chosen!r} is not the template header; "
            f"put the data on a sheet named one of {list(sheet_names)} or on the first sheet, header in the first row")))
        raise
    for n, cells in filled[1:]:
        table.rows.append(TableRow(n, {canon: (cells[i] if i < len(cells) else None) for canon, i in positions.items()}))
    return table


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# Spreadsheet formula injection (OWASP "CSV Injection"): a cell starting with one of these is run
# as a formula when an analyst opens an export in Excel or LibreOffice. Text is neutralised the way
# OWASP recommends, with a leading apostrophe, which spreadsheets show as text and never evaluate.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str | None) -> str | None:
    """Free text made inert for spreadsheets: ``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``."""
    if text and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def cell_text(value: Any) -> str:
    """A cell as text (XLSX numbers and dates rendered plainly; CSV text stripped)."""
    return _cell_text(value)


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(?: \d{3})+|\d+)(?:[.,](\d+))?$")
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2009"), " ")


def parse_number(value: Any) -> float | None:
    """A number from a cell, or None when empty. Raises ValueError with a reason when ambiguous.

    Accepted: 1234.5, 1234,5, 1 234,5 (space, no-break space or thin space between thousands), -3.
    Refused: 1.234,5 or 1,234.5 (two different marks), 1.234.567, 12 34, text.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("expected a number, got TRUE/FALSE")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).translate(_SPACES).strip()
    if not text:
        return None
    text = re.sub(r" +", " ", text)
    match = _NUMBER.match(text)
    if not match:
        if "," in text and "." in text:
            raise ValueError("expected a number with one decimal mark; '.' and ',' together are ambiguous")
        raise ValueError("expected a number (decimal comma or point, thousands separated by spaces only)")
    integer, fraction = match.group(1).replace(" ", ""), match.group(2)
    sign = "-" if text.startswith("-") else ""
    return float(f"{sign}{integer}.{fraction}" if fraction else f"{sign}{integer}")


