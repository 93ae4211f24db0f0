"""Problems found in a delivered file: ``Issue`` (file, sheet, row, column, value, reason),
``ErrorReport`` (all issues of one file; ``.to_json()``, ``.to_text()``) and ``DeliveryRejected``."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field

from pipelines.archive import utc_now

LISTED = 50  # problems listed one by one in a report; the rest are counted per rule


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

    def groups(self) -> list[dict[str, Any]]:
        """Problems counted per rule (column + reason), most frequent first, with the first rows."""
        counts: dict[tuple[str | None, str], dict[str, Any]] = {}
        for issue in self.issues:
            g = counts.setdefault((issue.column, issue.reason), {"column": issue.column, "reason": issue.reason,
                                                                 "count": 0, "first_rows": [], "values": []})
            g["count"] += 1
            if issue.row is not None and len(g["first_rows"]) < 5:
                g["first_rows"].append(issue.row)
            if issue.value not in (None, "") and issue.value not in g["values"] and len(g["values"]) < 3:
                g["values"].append(issue.value[:40])
        return sorted(counts.values(), key=lambda g: -g["count"])

    def grouped_summary(self, limit: int = 3) -> str:
        """The most frequent rules, counted: for a one-line notice (asset check, log)."""
        groups = self.groups()
        parts = [f"{'column ' + repr(g['column']) + ': ' if g['column'] else ''}{g['reason']}: {g['count']} "
                 f"{'row' if g['count'] == 1 else 'rows'}" for g in groups[:limit]]
        more = len(groups) - limit
        return f"{len(self.issues)} problem(s): " + "; ".join(parts) + (f"; and {more} more rule(s)" if more > 0 else "")

    def to_json(self) -> str:
        """At most LISTED problems one by one, then every problem counted per rule: a file with a
        million bad rows still gives a report of a few kilobytes."""
        doc = self.model_dump(exclude={"issues"})
        doc.update(issue_count=len(self.issues), issues=[i.model_dump() for i in self.issues[:LISTED]],
                   issues_listed=min(len(self.issues), LISTED), groups=self.groups()[:LISTED])
        return json.dumps(doc, indent=2, ensure_ascii=False)

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
        if len(self.issues) > LISTED:
            lines.append(f"The first {LISTED} problems:")
        for n, issue in enumerate(self.issues[:LISTED], 1):
            lines.append(f"{n:>3}. {issue.line()}")
        if len(self.issues) > LISTED:
            lines += ["", f"All {len(self.issues)} problems, counted per rule:"]
            groups = self.groups()
            for g in groups[:LISTED]:
                where = f"column {g['column']!r}: " if g["column"] else ""
                rows = f" (first rows {', '.join(map(str, g['first_rows']))})" if g["first_rows"] else ""
                values = f"; values {', '.join(map(repr, g['values']))}" if g["values"] else ""
                noun = "row" if g["count"] == 1 else "rows"
                lines.append(f"  {where}{g['reason']}: {g['count']} {noun}{rows}{values}")
            if len(groups) > LISTED:
                lines.append(f"  ... and {len(groups) - LISTED} more rules")
        return "\n".join(lines) + "\n"


class DeliveryRejected(Exception):
    """A delivered file cannot be accepted; ``report`` lists every problem found."""

    def __init__(self, report: ErrorReport):
        self.report = report
        super().__init__(report.summary())




def report_json(report: ErrorReport) -> dict[str, Any]:
    return json.loads(report.to_json())
