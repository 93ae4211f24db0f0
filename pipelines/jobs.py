"""Jobs. The nightly job materialises every asset, in process (measured: the multiprocess
executor re-imports the code location per step, which dominates a pipeline of this size)."""

import dagster as dg

all_assets_job = dg.define_asset_job(
    name="nightly_all_assets",
    selection=dg.AssetSelection.all(),
    description="Every asset and check: sources -> staging -> marts -> serving.duckdb.",
    executor_def=dg.in_process_executor,
    op_retry_policy=None,
)

JOBS = [all_assets_job]
