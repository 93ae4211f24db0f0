"""Problems found in a delivered file: ``Issue`` (file, sheet, row, column, value, reason),
``ErrorReport`` (all issues of one file; ``.to_json()``, ``.to_text()``) and ``DeliveryRejected``."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field

from pipelines.archive import utc_now


# -- problems ----------------------------------------------------------------------------


class Issue(BaseModel):
    """One problem in a delivered file, located as precisely as the problem allows."""

    file: str = Field(description="File name as delivered.")
    sheet: str | None = Field(None, description="XLSX sheet name; None for CSV.")
    row: int | None = Field(None, description="Row number as a spreadsheet shows it (header = its own row number).")
    column: str | None = Field(None, description="Column name as written in the file, or the canonical name when missing.")
    value: str | None = Field(None, description="The offending cell text, if any.")
    reason: str = Field(description="What is wrong and what to do, in plain words.")

    def line(self) -> str:
        where = [f"file {self.file}"]
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        shown = f" (value {self.value!r})" if self.value not in (None, "") else ""
        return ", ".join(where) + f": {self.reason}{shown}"


class ErrorReport(BaseModel):
    """Every problem of one rejected delivery: what a county analyst needs to fix and resend."""

    source: str
    file_name: str
    sha256: str | None = None
    received_at: str = Field(default_factory=utc_now)
    issues: list[Issue] = Field(default_factory=list)

    def summary(self, limit: int = 3) -> str:
        head = "; ".join(i.line() for i in self.issues[:limit])
        more = len(self.issues) - limit
        return head + (f"; and {more} more problem(s)" if more > 0 else "")

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    def to_text(self) -> str:
        lines = [
            f"The {self.source} delivery '{self.file_name}' was NOT loaded: {len(self.issues)} problem(s) found.",
            "Nothing from this file was used. Fix every problem below and deliver the whole file again;",
            "a corrected file for the same county and year replaces the previous delivery.",
            "",
            f"received at: {self.received_at}",
            f"sha256:      {self.sha256 or '-'}",
            "",
        ]
        for n, issue in enumerate(self.issues, 1):
            lines.append(f"{n:>3}. {issue.line()}")
        return "\n".join(lines) + "\n"


class DeliveryRejected(Exception):
    """A delivered file cannot be accepted; ``report`` lists every problem found."""

    def __init__(self, report: ErrorReport):
        self.report = report
        super().__init__(report.summary())




def report_json(report: ErrorReport) -> dict[str, Any]:
    return json.loads(report.to_json())
