"""Resources carry typed config fields (what the Dagster UI lists), one per setting, generated from
Settings; a value that comes from a SOTE_* variable is an EnvVar, resolved when a step runs."""

from __future__ import annotations

import dagster as dg

from pipelines.resources import SettingsResource, build_resources
from pipelines.settings import Settings
from tests.conftest import make_settings


def test_every_setting_is_a_typed_field_of_the_settings_resource():
    assert list(SettingsResource.model_fields) == list(Settings.model_fields)
    assert SettingsResource.model_fields["http_concurrency"].annotation is int
    assert SettingsResource.model_fields["warehouse_path"].annotation is str
    assert "Concurrent HTTP requests" in SettingsResource.model_fields["http_concurrency"].description


def test_values_from_the_environment_are_env_vars_resolved_at_run_time(tmp_path, monkeypatch):
    monkeypatch.setenv("SOTE_USER_AGENT", "sote-test/9.9 (+loopback)")
    settings = make_settings(tmp_path, user_agent="sote-test/9.9 (+loopback)", http_concurrency=3)
    resources = build_resources(settings)
    assert isinstance(resources["settings"].user_agent, dg.EnvVar)
    assert resources["settings"].http_concurrency == 3  # not from the environment: the value itself
    assert str(resources["warehouse"].path) == str(settings.warehouse_path)

    @dg.asset(required_resource_keys={"settings"})
    def probe(context) -> dg.MaterializeResult:
        got = context.resources.settings.get()
        return dg.MaterializeResult(metadata={"user_agent": got.user_agent, "http_concurrency": got.http_concurrency})

    result = dg.materialize([probe], resources={"settings": resources["settings"]})
    meta = result.asset_materializations_for_node("probe")[0].metadata
    assert meta["user_agent"].value == "sote-test/9.9 (+loopback)" and meta["http_concurrency"].value == 3
