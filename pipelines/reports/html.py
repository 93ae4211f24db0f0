"""Static HTML pages: one per objective (chart + tables) and an index; files only, relative links."""

import math
import os
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import pandas as pd

from pipelines.reports.charts import render_all
from pipelines.reports.data import Changes, ObjectiveReport

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,  # names and caveat texts are data: never trusted as HTML
    undefined=jinja2.StrictUndefined,
)


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and str(value) not in ("<NA>", "nan")


def _fmt(value) -> str:
    if not _present(value):
        return ""
    return f"{value:,.1f}".replace(",", " ") if abs(value) >= 100 else f"{value:.2f}".rstrip("0").rstrip(".")


def _num(value) -> str:
    """A display value as published (already rounded), or an em dash where there is none."""
    if not _present(value):
        return "—"
    text = f"{value:,}".replace(",", " ")
    return text[:-2] if text.endswith(".0") else text


def _write(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename: a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_reports(
    reports: list[ObjectiveReport], folder: Path, coverage: "pd.DataFrame | None" = None, changes: "Changes | None" = None,
    notes: list[tuple[str, str, str]] = (),
) -> dict[str, dict[str, Path | bytes]]:
    """Write <slug>.png/.svg/.html per objective, index.html and (with ``changes``) changes.html;
    returns the paths and PNG bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out: dict[str, dict[str, Path | bytes]] = {}
    for report, images in zip(reports, render_all(reports)):
        files = {}
        for fmt, data in images.items():
            files[fmt] = folder / f"{report.slug}.{fmt}"
            _write(files[fmt], data)
        page = _ENV.get_template("objective.html.j2").render(r=report, fmt=_fmt, num=_num, present=_present, generated_at=stamp)
        files["html"] = folder / f"{report.slug}.html"
        _write(files["html"], page.encode("utf-8"))
        out[report.objective_key] = files
    any_synthetic = any(r.any_synthetic for r in reports)
    if changes is not None:
        page = _ENV.get_template("changes.html.j2").render(changes=changes, any_synthetic=any_synthetic, generated_at=stamp,
                                                           fmt=_fmt, present=_present)
        _write(folder / "changes.html", page.encode("utf-8"))
    index = _ENV.get_template("index.html.j2").render(
        reports=reports, any_synthetic=any_synthetic, generated_at=stamp,
        coverage=coverage, fmt=_fmt, present=_present, changes=changes, notes=list(notes),
    )
    _write(folder / "index.html", index.encode("utf-8"))
    return out
