"""Bridge from great-expectations suites to Dagster asset checks (dagster-ge pins GX < 1.0).

A suite names a warehouse table (or a SQL file yielding the frame to validate) and a list of
expectations. Contract expectations are blocking with severity ERROR: when one fails, Dagster
skips everything downstream in the run, so the marts and the serving file keep their last good
state. Plausibility expectations warn and never block.

great_expectations is imported inside the check function only: importing it costs seconds.
"""


import json
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from pipelines.builds import build, input_fingerprint
from pipelines.warehouse import execute_file, render, sql_text

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


def frame_query(suite: Suite) -> str:
    if suite.sql_file:
        return render(sql_text(suite.sql_file), suite.extra)
    cols = ", ".join(f'"{c}"' for c in suite.columns) if suite.columns else "*"
    return f"SELECT {cols} FROM {suite.table}"


def load_frame(suite: Suite, con: Any):
    return con.execute(frame_query(suite)).df()


# -- result cache: a suite whose data and definition did not change is not validated again ------
# The decision is the build primitive's (pipelines.builds; target "checks.<suite>"); this table only
# keeps the results to show again.

CACHE_SQL = "meta/check_results"


def suite_inputs(suite: Suite, con: Any, resolved: list[dict[str, Any]]) -> list[Any]:
    """What a suite's results depend on: the content of the frame it validates (row count +
    order-independent row hashes, computed in DuckDB without loading it), its definition and its
    run-time arguments."""
    content = con.execute(f"SELECT count(*), sum(hash(f))::VARCHAR FROM ({frame_query(suite)}) f").fetchall()[0]
    spec = [(e.name, e.gx_type, e.blocking, kw) for e, kw in zip(suite.expectations, resolved)]
    return [suite.check_fn_name, list(content), spec]


def _stored(con: Any, suite: Suite, fp: str) -> list[dict[str, Any]] | None:
    rows = con.execute("SELECT fingerprint, results FROM meta.check_results WHERE suite = ?", [suite.check_fn_name]).fetchall()
    if rows and rows[0][0] == fp:
        return json.loads(rows[0][1])
    return None


def _to_result(suite: Suite, r: dict[str, Any], cached: bool) -> dg.AssetCheckResult:
    spec = next(e for e in suite.expectations if e.name == r["name"])
    meta: dict[str, Any] = {
        "expectation": spec.gx_type,
        "rows_validated": r["rows"],
        "unexpected_count": r["unexpected_count"],
        "unexpected_percent": r["unexpected_percent"],
        "unexpected_examples": dg.MetadataValue.json(r["examples"]),
        "from_cache": cached,
    }
    if r.get("observed") is not None:
        observed = r["observed"]
        meta["observed_value"] = (
            dg.MetadataValue.json(observed) if isinstance(observed, (dict, list)) else dg.MetadataValue.text(str(observed))
        )
    if r.get("exception"):
        meta["exception"] = r["exception"]
    return dg.AssetCheckResult(
        asset_key=suite.asset_key,
        check_name=r["name"],
        passed=r["passed"],
        severity=dg.AssetCheckSeverity.ERROR if spec.blocking else dg.AssetCheckSeverity.WARN,
        metadata=meta,
        description=spec.description or None,
    )


def check_suite(suite: Suite, con: Any) -> list[dg.AssetCheckResult]:
    """Results of the suite: from the cache when the validated data and the suite are unchanged,
    else from a fresh great-expectations run (results and fingerprint stored in one transaction)."""
    execute_file(con, CACHE_SQL)
    resolved = [{k: _resolve(v, con) for k, v in e.kwargs.items()} for e in suite.expectations]
    fresh: list[dict[str, Any]] = []

    def validate_and_store(c: Any) -> None:
        fresh.extend(validate(suite, c, resolved))
        c.execute("INSERT OR REPLACE INTO meta.check_results VALUES (?, ?, now()::TIMESTAMP, ?)",
                  [suite.check_fn_name, fp, json.dumps(fresh)])

    extra = suite_inputs(suite, con, resolved)
    fp = input_fingerprint(con, validate_and_store, extra=extra)
    built = build(con, f"checks.{suite.check_fn_name}", validate_and_store, extra=extra,
                  exists=lambda: _stored(con, suite, fp) is not None)
    if built.rebuilt:
        return [_to_result(suite, r, cached=False) for r in fresh]
    return [_to_result(suite, r, cached=True) for r in _stored(con, suite, fp)]


def validate(suite: Suite, con: Any, resolved: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Validate with an ephemeral GX context; one plain result dict per expectation."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx  # deliberately late: heavy import
    import great_expectations.expectations as gxe

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    if resolved is None:
        resolved = [{k: _resolve(v, con) for k, v in e.kwargs.items()} for e in suite.expectations]
    frame = load_frame(suite, con)
    expectations = [
        getattr(gxe, exp.gx_type)(**kwargs, meta={"check_name": exp.name})
        for exp, kwargs in zip(suite.expectations, resolved)
    ]
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    source = context.data_sources.add_pandas(name="frames")
    asset = source.add_dataframe_asset(name="frame")
    batch_def = asset.add_batch_definition_whole_dataframe("whole")
    batch = batch_def.get_batch(batch_parameters={"dataframe": frame})
    gx_suite = gx.ExpectationSuite(name=suite.check_fn_name, expectations=expectations)
    result = batch.validate(gx_suite, result_format={"result_format": "SUMMARY", "partial_unexpected_count": 10})

    out = []
    for r in result.results:
        res = r.result or {}
        examples = res.get("partial_unexpected_list") or res.get("details", {}).get("value_counts") or []
        out.append({
            "name": r.expectation_config.meta["check_name"],
            "passed": bool(r.success),
            "rows": len(frame),
            "unexpected_count": int(res.get("unexpected_count") or 0),
            "unexpected_percent": float(res.get("unexpected_percent") or 0.0),
            "examples": _jsonable(examples[:10]),
            "observed": _jsonable(res["observed_value"]) if "observed_value" in res else None,
            "exception": str(r.exception_info.get("exception_message"))
            if r.exception_info and r.exception_info.get("raised_exception") else None,
        })
    return out


def run_suite(suite: Suite, con: Any) -> list[dg.AssetCheckResult]:
    """Always validate (no cache): for tests and one-off use."""
    return [_to_result(suite, r, cached=False) for r in validate(suite, con)]


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
            yield from check_suite(suite, con)

    return _check
