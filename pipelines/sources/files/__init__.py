"""Generic mechanics for sources that arrive as delivered files (personnel reports, curated figures):
``problems`` (issues and error reports), ``landing`` (landing folders, hashes, archiving),
``tables`` (tolerant CSV/XLSX reading).

No Dagster imports: the file sources' assets and sensors use these helpers, and so can tests or
scripts. The API is deliberately small:

Landing folder
    ``LandingFolder(root)``: ``root`` holds incoming files; ``root/processed`` and
    ``root/quarantine`` are created on demand. ``.scan()`` lists incoming files as
    ``LandingFile`` (path, name, sha256, size); hidden, partial (``.part``/``.tmp``/``~$``) and
    report files are skipped. ``.accept(file)`` moves a file to processed/;
    ``.quarantine(file, report)`` moves it to quarantine/ next to ``<name>.errors.json`` and
    ``<name>.errors.txt``. ``sha256_bytes(data)`` is the content hash used everywhere.

Archive
    ``archive_delivery(archive, data, source=..., file_name=..., accepted=..., error=...)`` stores
    the bytes in the raw archive as ``kind='file'`` (rejected files too, with ``ok=False``).

Reading (tolerant, but never guessing)
    ``read_table(data, file_name, aliases=..., required=..., optional=..., sheet_names=...)``
    returns a ``Table`` (canonical column names, rows as ``TableRow`` with the file row number
    and the sheet) or raises ``DeliveryRejected`` with every problem found. It accepts CSV in
    UTF-8 with or without BOM or cp1252, separated by ``;`` or ``,`` (detected from the header:
    exactly one must give the known columns), and XLSX by preferred sheet name or else the first
    sheet (openpyxl). Column names are matched after ``normalise_name`` (case, accents, spaces,
    hyphens) against the alias table. ``parse_number(text)`` accepts decimal comma or point and
    thousands separated by spaces; anything else (``1.234,5``, ``12 34``, ``n/a``) is refused.

Problems
    ``Issue`` (file, sheet, row, column, value, reason) and ``ErrorReport`` (all issues of one
    file; ``.to_json()``, ``.to_text()``). ``DeliveryRejected(report)`` carries a report.
"""

from pipelines.sources.files.landing import (
    CSV_CONTENT_TYPE,
    REPORT_SUFFIXES,
    XLSX_CONTENT_TYPE,
    LandingFile,
    LandingFolder,
    archive_delivery,
    content_type_of,
    is_skipped_name,
    sha256_bytes,
    write_report,
)
from pipelines.sources.files.problems import DeliveryRejected, ErrorReport, Issue, report_json
from pipelines.sources.files.tables import (
    Table,
    TableRow,
    cell_text,
    decode_text,
    normalise_name,
    parse_number,
    read_table,
    safe_text,
)

__all__ = [
    "CSV_CONTENT_TYPE", "DeliveryRejected", "ErrorReport", "Issue", "LandingFile", "LandingFolder", "REPORT_SUFFIXES",
    "Table", "TableRow", "XLSX_CONTENT_TYPE", "archive_delivery", "cell_text", "content_type_of", "decode_text",
    "is_skipped_name", "normalise_name", "parse_number", "read_table", "report_json", "safe_text", "sha256_bytes", "write_report",
]
