"""Curated measures (assessments, finance figures of 2.2.1): delivered files -> raw -> staging -> fragment.

- ``raw/curated_deliveries`` ingests every curated delivery: in replay mode the bundled sample
  archive's files (source ``curated``, synthetic), files accepted in earlier runs (runtime archive),
  and new files in ``<landing_path>/curated``, through the shared landing-delivery flow
  (``pipelines.sources.curated.ingest``). Each file is validated whole: an accepted landing file is
  archived and moved to ``processed/``; a rejected one is archived with ok=false and moved to
  ``quarantine/`` beside ``<file>.errors.txt`` / ``.errors.json``, and the run goes on. A broken file
  in the bundled sample archive fails the asset (the sample must be valid). Ledger:
  raw.curated_deliveries; rows: raw.curated_rows.
- ``staging/curated``: the current figures (the latest delivery of a measure, region and year).
- ``fragments/curated``: the measure_values contract, with explicit gap rows.
"""

import dagster as dg

from pipelines.metadata import declared_schema, landing_check_result, landing_check_spec, outcome_metadata, table_result
from pipelines.sources.curated.ingest import LEDGER, ingest, write_raw
from pipelines.sql_assets import fragment_asset, sql_table_asset, writes_warehouse

GROUP = "curated"
INGEST_KEY = ("raw", "curated_deliveries")
COMMON = dict(group_name=GROUP, **writes_warehouse("archive", "settings"))


@dg.asset(
    key=list(INGEST_KEY),
    check_specs=[landing_check_spec(INGEST_KEY, "curated")],
    metadata=declared_schema("raw/curated_deliveries", LEDGER),
    description=(
        "Curated deliveries (THL's and TTL's assessments on the 1-5 scale, the finance measures of 2.2.1) "
        "from curated CSV/XLSX files: the bundled sample archive in replay mode (synthetic), files "
        "accepted earlier, and new files in <landing_path>/curated. Invalid files are quarantined with an "
        "error report naming file, row, column and value. Ledger: raw.curated_deliveries (every delivery, "
        "accepted or rejected); rows: raw.curated_rows."
    ),
    **COMMON,
)
def curated_deliveries(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = context.resources.settings.get()
    archive = context.resources.archive
    replay = None if archive.is_live else archive.replay()
    ingested = ingest(settings, archive.runtime(), replay, log=context.log)
    with context.resources.warehouse.connect() as con:
        built = write_raw(con, ingested)
        return table_result(
            con, LEDGER, built, checks=[landing_check_result(INGEST_KEY, ingested.outcome)],
            deliveries=len(ingested.ledger), rejected_deliveries=len(ingested.rejected),
            rejected_ledger=dg.MetadataValue.json(
                [{k: d[k] for k in ("file_name", "error_summary", "report_path")} for d in ingested.rejected]),
            **outcome_metadata(ingested.outcome),
        )


curated_staging = sql_table_asset(
    "staging.curated", "staging/curated", inputs=[LEDGER], group_name=GROUP,
    description="Current curated measure values: of every accepted delivery's rows (raw.curated_rows), the "
    "latest delivery of each measure, region and year.",
)


curated_fragment = fragment_asset(
    "curated", inputs=["staging.curated", "reference.measures", "reference.regions"],
    group_name="curated",
    description=(
        "Curated measures in the measure_values contract: for every measure and year delivered, a row for each "
        "organiser (or cooperation area for area-level measures) and the country, NULL with missing_reason "
        "where the delivery has no value."
    ),
)
