"""Shared fixtures: temporary settings, an isolated DAGSTER_HOME, and one full replay run."""

import os
import shutil
import tempfile
from pathlib import Path

# Before anything imports pipelines.definitions: keep tests out of the user's var/dagster_home.
os.environ.setdefault("DAGSTER_HOME", tempfile.mkdtemp(prefix="sote-test-dagster-"))

import dagster as dg  # noqa: E402
import pytest  # noqa: E402

from pipelines.settings import PROJECT_ROOT, Settings, get_settings  # noqa: E402


def make_settings(root: Path, **overrides) -> Settings:
    """Settings with every writable path under ``root``; the replay archive stays the bundled sample."""
    paths = dict(
        warehouse_path=root / "warehouse.duckdb",
        serving_path=root / "serving.duckdb",
        archive_path=root / "archive",
        report_path=root / "reports",
        landing_path=root / "landing",
        dagster_home=root / "dagster_home",
        landing_settle_seconds=0,  # tests drop complete files; tests/test_landing_trust.py sets its own
    )
    paths.update(overrides)
    return get_settings(**paths)


def run_all(settings: Settings, selection=None):
    """Materialise the whole Definitions (or a selection) in process; returns the result."""
    from pipelines.definitions import build_defs

    defs = build_defs(settings)
    job = defs.resolve_job_def("nightly_all_assets")
    return job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
                                  asset_selection=selection)


def failed_checks(result) -> dict[tuple[str, str], str]:
    out = {}
    for e in result.all_events:
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed:
            d = e.event_specific_data
            out[(d.asset_key.to_user_string(), d.check_name)] = d.severity.value
    return out


def materialized(result) -> set[str]:
    return {
        e.event_specific_data.materialization.asset_key.to_user_string()
        for e in result.all_events
        if e.event_type_value == "ASSET_MATERIALIZATION"
    }


def step_events(result, kind: str) -> set[str]:
    return {e.step_key for e in result.all_events if e.event_type_value == kind}


@pytest.fixture(scope="session")
def full_run(tmp_path_factory):
    """One full replay materialisation of every asset on the bundled sample, shared by read-only tests."""
    root = tmp_path_factory.mktemp("full_run")
    settings = make_settings(root)
    result = run_all(settings)
    return settings, result


def copy_of_full_run(full_run, dest: Path, **overrides) -> Settings:
    """A private copy of the session's published state (warehouse, serving file, runtime archive,
    reports, landing folder) for a test that changes it; the shared run stays untouched."""
    settings, result = full_run
    assert result.success, failed_checks(result)
    shutil.copytree(settings.warehouse_path.parent, dest, ignore=shutil.ignore_patterns("dagster_home"))
    return make_settings(dest, **overrides)


@pytest.fixture
def project_root() -> Path:
    return PROJECT_ROOT


def pytest_sessionfinish(session, exitstatus):
    # Release DuckDB objects still referenced by finished tests before the interpreter shuts down.
    import gc

    gc.collect()
