"""Personnel reports (objective 2.1.2): file deliveries -> raw ledger -> staging -> fragment.

- ``raw/personnel_deliveries`` ingests deliveries through the shared landing-delivery flow
  (``pipelines.sources.personnel.ingest`` on ``pipelines.sources.files.flow``): in replay mode the
  sample archive's personnel files, and in every mode the landing folder ``<landing_path>/personnel``.
- ``staging/personnel_report``: the rows of the current delivery of every county-year.
- ``fragments/personnel_report``: the seven 2.1.2 measures in the measure_values contract.

The landing sensor (``pipelines/sensors.py``) runs ``personnel_landing`` for each new or changed
file, passing its name in the run config so exactly that file is ingested.
"""

import dagster as dg

from pipelines.builds import Built
from pipelines.metadata import landing_check_result, landing_check_spec, outcome_metadata, table_result
from pipelines.sources.personnel.ingest import DELIVERIES, ingest
from pipelines.sql_assets import fragment_asset, sql_table_asset, writes_warehouse
from pipelines.warehouse import stored_fingerprints

GROUP = "personnel"
INGEST_KEY = ("raw", "personnel_deliveries")
STAGING = "staging.personnel_report"
FRAGMENT = "fragments.personnel_report"
COMMON = dict(group_name=GROUP, **writes_warehouse("archive", "settings"))


# -- assets ------------------------------------------------------------------------------------


class PersonnelIngestConfig(dg.Config):
    files: list[str] = []  # landing files to ingest (set by the sensor); empty = the whole folder (+ replay archive)


@dg.asset(key=["raw", "personnel_deliveries"], check_specs=[landing_check_spec(INGEST_KEY, "personnel")], **COMMON)
def personnel_deliveries(context: dg.AssetExecutionContext, config: PersonnelIngestConfig) -> dg.MaterializeResult:
    """Ingests personnel-report deliveries (objective 2.1.2): the bundled sample archive in replay
    mode and the landing folder (<landing_path>/personnel) in every mode. Each file is validated as a
    whole; accepted files move to processed/, rejected ones to quarantine/ with an error report
    (.errors.txt/.json) naming file, sheet, row, column and reason. A newer delivery for the same
    county and year replaces the earlier one. Ledger: raw.personnel_deliveries; rows: raw.personnel_rows."""
    settings = context.resources.settings.get()
    archive = context.resources.archive
    replay = None if archive.is_live else archive.replay()
    with context.resources.warehouse.connect() as con:
        summary = ingest(con, settings, runtime=archive.runtime(), replay=replay, files=config.files or None, log=context.log)
        states = dict(con.execute(f"SELECT status, count(*) FROM {DELIVERIES} GROUP BY 1").fetchall())
        built = Built(DELIVERIES, bool(summary.accepted or summary.rejected), stored_fingerprints(con, [DELIVERIES])[DELIVERIES])
        return table_result(con, DELIVERIES, built, checks=[landing_check_result(INGEST_KEY, summary)],
                            **outcome_metadata(summary),
                            ledger_status=dg.MetadataValue.json({k: int(v) for k, v in states.items()}))


personnel_report_staging = sql_table_asset(
    STAGING, "staging/personnel_report", inputs=[DELIVERIES], group_name=GROUP,
    description="Current personnel-report figures: one row per county x year x staff group x metric x breakdown, "
    "from the accepted (latest) delivery of each county and year.",
)

FRAGMENT_INPUTS = [STAGING, "reference.population", "reference.regions", "reference.measure_source_refs", "reference.measures",
                   "reference.personnel_breakdowns"]

personnel_report_fragment = fragment_asset(
    "personnel_report", inputs=FRAGMENT_INPUTS, group_name=GROUP,
    description="Objective 2.1.2 in measure_values form: person-years (total and per 1 000 inhabitants), age "
    "structure (band shares, share aged 55+, mean age), permanent staff turnover, sickness absence and "
    "training days per person-year, the top three shortage groups and agency labour, per organiser, "
    "cooperation area and the whole country (derived by summing counts), year and staff group. Staff "
    "groups under five persons are suppressed.",
    result_metadata=lambda con: {"suppressed_rows": int(con.execute(
        f"SELECT count(*) FROM {FRAGMENT} WHERE is_suppressed").fetchall()[0][0])},
)
