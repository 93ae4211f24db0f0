"""``reports/objective_reports``: a chart per objective (PNG + SVG) and static HTML pages in
``settings.report_path``, shown as asset metadata in the Dagster UI."""

from pathlib import Path

import dagster as dg

from pipelines.reports.data import changes_since_publication, collect, coverage, footnotes
from pipelines.reports.html import write_reports
from pipelines.builds import build
from pipelines.sql_assets import writes_warehouse

REPORT_INPUTS = ["marts.region_scorecard", "marts.objective_region_year", "marts.measure_coverage", "reference.objectives",
                 "reference.footnotes"]
STATE_KEY = "files.objective_reports"
REPORT_CODE = Path(__file__).resolve().parent.parent / "pipelines" / "reports"


def _code_digest() -> list[str]:
    """The report code and templates: a change there redraws the charts."""
    import hashlib

    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(REPORT_CODE.rglob("*")) if p.is_file() and p.suffix in (".py", ".j2")]


@dg.asset(
    key=["reports", "objective_reports"],  # charts and HTML pages, not the serving file
    group_name="reports",
    deps=[dg.AssetKey(["marts", "region_scorecard"]), dg.AssetKey(["marts", "objective_region_year"]),
          dg.AssetKey(["marts", "measure_coverage"]),
          dg.AssetKey(["reference", "objectives"]), dg.AssetKey(["reference", "footnotes"])],
    **writes_warehouse("settings", kinds=("python", "html")),
    description=(
        "For each national objective a chart (organisers against the whole country for each measure in its "
        "latest year, plus the trend of the country and the organisers' median and range) as PNG and SVG, "
        "and a static HTML page linking it with the scorecard tables; index.html lists the objectives and the "
        "status and coverage of all 31 measures; changes.html lists the values revised since the previous publication. "
        "Files in settings.report_path, readable in a browser without a server."
    ),
)
def objective_reports(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = context.resources.settings.get()
    folder = Path(settings.report_path)
    with context.resources.warehouse.connect() as con:
        reports = collect(con)
        expected = [folder / "index.html", folder / "changes.html"] + [
            folder / f"{r.slug}.{ext}" for r in reports for ext in ("png", "svg", "html")]
        written: dict = {}

        def draw(c) -> None:
            # runs only when the marts changed: serving.duckdb still holds the previous publication
            written.update(write_reports(reports, folder, coverage(c), changes_since_publication(c, settings.serving_path),
                                         footnotes(c)))

        built = build(con, STATE_KEY, draw,
                      inputs=REPORT_INPUTS, extra=[str(folder.resolve()), _code_digest()],
                      exists=lambda: all(p.exists() for p in expected), in_transaction=False, detail={"folder": str(folder)})
        rebuilt = built.rebuilt
        if not rebuilt:  # same marts, same code, files in place: drawing the charts again would give the same files
            written = {r.objective_key: {"html": folder / f"{r.slug}.html"}
                       for r in reports}
    metadata: dict = {
        "index": dg.MetadataValue.path(str(folder / "index.html")),
        "objectives": len(written),
        "rebuilt": rebuilt,
    }
    for key, files in written.items():
        slug = key.replace(".", "_")
        # linked, not embedded: a chart is about 1 MB at 150 dpi, and the Dagster instance keeps every event
        metadata[f"chart_{slug}"] = dg.MetadataValue.path(str(folder / f"objective_{slug}.png"))
        metadata[f"page_{slug}"] = dg.MetadataValue.path(str(files["html"]))
    return dg.MaterializeResult(metadata=metadata, data_version=dg.DataVersion(built.data_version))
