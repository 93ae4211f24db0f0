"""The one Dagster ``Definitions`` of sote-indicators.

Assembled by discovery so that each source plugs in by adding its own modules:
- every asset in the ``assets`` package;
- ``marts/measure_values`` as the union of every ``fragments/<source>`` asset found;
- ``serving/publish`` depending on every ``marts/*`` and ``reference/*`` asset found;
- every great-expectations suite in ``quality.suites`` (module-level ``SUITES``), plus any
  module-level ``CHECKS``;
- schedules from ``pipelines.schedules`` and sensors from ``pipelines.sensors``.
"""

from __future__ import annotations

import importlib
import pkgutil

import dagster as dg

import assets as assets_pkg
import quality.suites as suites_pkg
from assets.measure_values import build_measure_values_asset
from pipelines.resources import build_resources
from pipelines.settings import Settings, ensure_dagster_home, get_settings
from quality.gx_bridge import build_suite_check


def _modules(pkg):
    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{pkg.__name__}.{info.name}")


def load_checks() -> list[dg.AssetChecksDefinition]:
    checks: list[dg.AssetChecksDefinition] = []
    for module in _modules(suites_pkg):
        checks.extend(build_suite_check(s) for s in getattr(module, "SUITES", []))
        checks.extend(getattr(module, "CHECKS", []))
    return checks


def _keys(defs_list) -> list[dg.AssetKey]:
    return [k for a in defs_list for k in getattr(a, "keys", [])]


def _require_known_assets(checks, asset_keys) -> None:
    """A suite naming an asset that does not exist is a typo, not an external asset."""
    unknown = sorted(
        {spec.asset_key.to_user_string() for c in checks for spec in c.check_specs if spec.asset_key not in asset_keys}
    )
    if unknown:
        raise ValueError(f"quality suites target assets that are not defined: {', '.join(unknown)}")


def build_defs(settings: Settings | None = None) -> dg.Definitions:
    settings = settings or get_settings()
    from assets.publish import build_publish_asset
    from pipelines import jobs, schedules, sensors

    source_assets = dg.load_assets_from_package_module(assets_pkg)
    keys = _keys(source_assets)
    fragments = [k for k in keys if k.path[0] == "fragments"]
    measure_values = build_measure_values_asset(fragments)
    published_inputs = [k for k in keys if k.path[0] in ("marts", "reference")] + [measure_values.key]
    publish = build_publish_asset(published_inputs)
    all_assets = [*source_assets, measure_values, publish]
    checks = load_checks()
    _require_known_assets(checks, {*_keys(all_assets)})
    return dg.Definitions(
        assets=all_assets,
        asset_checks=checks,
        jobs=jobs.JOBS,
        schedules=schedules.SCHEDULES,
        sensors=sensors.SENSORS,
        resources=build_resources(settings),
        executor=dg.in_process_executor,
    )


ensure_dagster_home()
defs = build_defs()
