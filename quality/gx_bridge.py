"""Bridge from great-expectations suites to Dagster asset checks (dagster-ge pins GX < 1.0).

A suite names a warehouse table (or a SQL file yielding the frame to validate) and a list of
expectations. Contract expectations are blocking with severity ERROR: when one fails, Dagster
skips everything downstream in the run, so the marts and the serving file keep their last good
state. Plausibility expectations warn and never block.

great_expectations is imported inside the check function only: importing it costs seconds.
"""


import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from pipelines.warehouse import render, sql_text

Resolver = Callable[[Any], Any]  # receives an open DuckDB connection


@dataclass(frozen=True)
class Expectation:
    """One expectation: ``gx_type`` is a GX class name such as ``ExpectColumnValuesToNotBeNull``.

    Values in ``kwargs`` may be callables taking the open DuckDB connection, resolved at run time
    (e.g. the set of known region ids read from the reference table).
    """

    name: str
    gx_type: str
    kwargs: Mapping[str, Any]
    blocking: bool = True
    description: str = ""


@dataclass(frozen=True)
class Suite:
    asset: Sequence[str]
    expectations: Sequence[Expectation]
    table: str | None = None
    sql_file: str | None = None  # alternative to table: a SELECT in sql/ yielding the frame
    columns: Sequence[str] | None = None
    name: str | None = None
    description: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def asset_key(self) -> dg.AssetKey:
        return dg.AssetKey(list(self.asset))

    @property
    def check_fn_name(self) -> str:
        return self.name or ("suite_" + "__".join(self.asset))


def _resolve(value: Any, con: Any) -> Any:
    return value(con) if callable(value) else value


def load_frame(suite: Suite, con: Any):
    if suite.sql_file:
        query = render(sql_text(suite.sql_file), suite.extra)
    else:
        cols = ", ".join(f'"{c}"' for c in suite.columns) if suite.columns else "*"
        query = f"SELECT {cols} FROM {suite.table}"
    return con.execute(query).df()


def run_suite(suite: Suite, con: Any) -> list[dg.AssetCheckResult]:
    """Validate with an ephemeral GX context; one AssetCheckResult per expectation."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx  # deliberately late: heavy import
    import great_expectations.expectations as gxe

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    frame = load_frame(suite, con)
    expectations = []
    for exp in suite.expectations:
        cls = getattr(gxe, exp.gx_type)
        kwargs = {k: _resolve(v, con) for k, v in exp.kwargs.items()}
        expectations.append(cls(**kwargs, meta={"check_name": exp.name}))

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    source = context.data_sources.add_pandas(name="frames")
    asset = source.add_dataframe_asset(name="frame")
    batch_def = asset.add_batch_definition_whole_dataframe("whole")
    batch = batch_def.get_batch(batch_parameters={"dataframe": frame})
    gx_suite = gx.ExpectationSuite(name=suite.check_fn_name, expectations=expectations)
    result = batch.validate(gx_suite, result_format={"result_format": "SUMMARY", "partial_unexpected_count": 10})

    by_name = {exp.name: exp for exp in suite.expectations}
    out = []
    for r in result.results:
        name = r.expectation_config.meta["check_name"]
        spec = by_name[name]
        res = r.result or {}
        examples = res.get("partial_unexpected_list") or res.get("details", {}).get("value_counts") or []
        meta: dict[str, Any] = {
            "expectation": spec.gx_type,
            "rows_validated": len(frame),
            "unexpected_count": int(res.get("unexpected_count") or 0),
            "unexpected_percent": float(res.get("unexpected_percent") or 0.0),
            "unexpected_examples": dg.MetadataValue.json(_jsonable(examples[:10])),
        }
        if "observed_value" in res:
            observed = _jsonable(res["observed_value"])
            meta["observed_value"] = (
                dg.MetadataValue.json(observed) if isinstance(observed, (dict, list)) else dg.MetadataValue.text(str(observed))
            )
        if r.exception_info and r.exception_info.get("raised_exception"):
            meta["exception"] = str(r.exception_info.get("exception_message"))
        out.append(
            dg.AssetCheckResult(
                asset_key=suite.asset_key,
                check_name=name,
                passed=bool(r.success),
                severity=dg.AssetCheckSeverity.ERROR if spec.blocking else dg.AssetCheckSeverity.WARN,
                metadata=meta,
                description=spec.description or None,
            )
        )
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def build_suite_check(suite: Suite) -> dg.AssetChecksDefinition:
    specs = [
        dg.AssetCheckSpec(
            name=exp.name,
            asset=suite.asset_key,
            blocking=exp.blocking,
            description=(exp.description or exp.gx_type) + (" [contract, blocking]" if exp.blocking else " [plausibility, warns]"),
        )
        for exp in suite.expectations
    ]

    @dg.multi_asset_check(
        specs=specs,
        name=suite.check_fn_name,
        description=suite.description or None,
        required_resource_keys={"warehouse"},
    )
    def _check(context: dg.AssetCheckExecutionContext):
        # read-write: a read-only handle would still block the writer, and runs are serialised anyway
        with context.resources.warehouse.connect() as con:
            yield from run_suite(suite, con)

    return _check
