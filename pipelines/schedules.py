"""The nightly schedule: 02:00 Helsinki time, running by default once the daemon is up."""

import dagster as dg

from pipelines.jobs import all_assets_job

nightly = dg.ScheduleDefinition(
    name="nightly_all_assets_0200_helsinki",
    job=all_assets_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Helsinki",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Nightly full materialisation (sources skip unchanged payloads).",
)

SCHEDULES = [nightly]
