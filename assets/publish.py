"""``serving/publish``: copy the marts and reference tables into a new DuckDB file and rename it
over ``serving.duckdb``. BI tools only ever open the serving file; a failed run never reaches
this step (blocking checks upstream), so the previous file stays as it was.
"""


from collections.abc import Sequence
from pathlib import Path

import dagster as dg

from pipelines.publishing import publish_serving_file, record_unchanged_check, serving_fingerprint
from pipelines.builds import build
from pipelines.sql_assets import writes_warehouse

PUBLISHED_SCHEMAS = ("reference", "marts")
STATE_KEY = "files.serving"


def build_publish_asset(inputs: Sequence[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key=["serving", "publish"],
        group_name="publish",
        deps=list(inputs),
        **writes_warehouse("settings"),
        description=(
            "Publishes serving.duckdb atomically (new file, then rename): every table and view of the "
            "reference and marts schemas, a data dictionary (meta.data_dictionary), the publication history "
            "(meta.publication: one row per attempt, checked_at and whether the content changed; "
            "meta.latest_publication) and the values revised since the previous content (marts.value_revisions). "
            "An unchanged run adds only its history row. Written with storage compatibility for DuckDB 1.x readers."
        ),
    )
    def publish(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        settings = context.resources.settings.get()
        serving = Path(settings.serving_path)
        summary: dict = {}

        def publish_file(con) -> None:
            summary.update(publish_serving_file(con, serving, run_id=context.run_id, schemas=PUBLISHED_SCHEMAS))

        with context.resources.warehouse.connect() as con:
            # Same content as the file BI tools already read: keep it (and its publication row).
            built = build(con, STATE_KEY, publish_file, extra=[serving_fingerprint(con, PUBLISHED_SCHEMAS, serving)],
                          exists=serving.exists, in_transaction=False, detail={"run_id": context.run_id})
        if not built.rebuilt:
            # same content: keep the file's figures, add this attempt to its publication history
            if record_unchanged_check(serving, run_id=context.run_id):
                return dg.MaterializeResult(
                    metadata={"serving_path": dg.MetadataValue.path(str(serving)), "rebuilt": False,
                              "checked_at_recorded": True},
                    data_version=dg.DataVersion(built.data_version))
            with context.resources.warehouse.connect() as con:  # a file from before the history: rewrite it
                built = build(con, STATE_KEY, publish_file, extra=[serving_fingerprint(con, PUBLISHED_SCHEMAS, serving)],
                              exists=serving.exists, in_transaction=False, detail={"run_id": context.run_id}, force=True)
        return dg.MaterializeResult(
            metadata={
                "rebuilt": True,
                "serving_path": dg.MetadataValue.path(str(serving)),
                "tables": dg.MetadataValue.json(summary["tables"]),
                "views": dg.MetadataValue.json(summary["views"]),
                "any_synthetic": summary["any_synthetic"],
                "size_bytes": summary["size_bytes"],
            },
            data_version=dg.DataVersion(built.data_version),
        )

    return publish
