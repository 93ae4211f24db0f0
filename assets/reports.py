"""``serving/objective_reports``: a chart per objective (PNG + SVG) and static HTML pages in
``settings.report_path``, shown as asset metadata in the Dagster UI."""

import base64
from pathlib import Path

import dagster as dg

from pipelines.reports.data import collect, coverage
from pipelines.reports.html import write_reports


@dg.asset(
    key=["serving", "objective_reports"],
    group_name="reports",
    deps=[dg.AssetKey(["marts", "region_scorecard"]), dg.AssetKey(["marts", "objective_region_year"]),
          dg.AssetKey(["marts", "measure_coverage"]),
          dg.AssetKey(["reference", "objectives"])],
    kinds={"python", "html"},
    pool="duckdb_write",
    required_resource_keys={"warehouse", "settings"},
    description=(
        "For each national objective a chart (organisers against the whole country for each measure in its "
        "latest year, plus the trend of the country and the organisers' median and range) as PNG and SVG, "
        "and a static HTML page linking it with the scorecard tables; index.html lists the objectives and the "
        "status and coverage of all 31 measures. "
        "Files in settings.report_path, readable in a browser without a server."
    ),
)
def objective_reports(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    folder = Path(context.resources.settings.get().report_path)
    with context.resources.warehouse.connect() as con:
        reports = collect(con)
        measures = coverage(con)
    written = write_reports(reports, folder, measures)
    metadata: dict = {
        "index": dg.MetadataValue.path(str(folder / "index.html")),
        "objectives": len(written),
    }
    for key, files in written.items():
        slug = key.replace(".", "_")
        encoded = base64.b64encode(files["png_bytes"]).decode("ascii")
        metadata[f"chart_{slug}"] = dg.MetadataValue.md(f"![Objective {key}](data:image/png;base64,{encoded})")
        metadata[f"page_{slug}"] = dg.MetadataValue.path(str(files["html"]))
    return dg.MaterializeResult(metadata=metadata)
