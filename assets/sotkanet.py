"""Sotkanet assets: fetch (or replay) -> raw payload register -> typed staging -> mart fragment."""


import csv

import dagster as dg
import pandas as pd

from pipelines.archive import ArchiveIntegrityError
from pipelines.metadata import declared_schema, table_result
from pipelines.settings import PROJECT_ROOT
from pipelines.builds import build
from pipelines.sql_assets import fragment_asset, sql_table_asset, writes_warehouse

INDICATORS_CSV = PROJECT_ROOT / "pipelines" / "catalog" / "sotkanet_indicators.csv"
COMMON = dict(group_name="sotkanet", **writes_warehouse())


def catalogue_indicators() -> list[int]:
    with INDICATORS_CSV.open(encoding="utf-8") as fh:
        return [int(r["indicator_id"]) for r in csv.DictReader(fh)]


@dg.asset(
    key=["raw", "sotkanet_payloads"],
    group_name="sotkanet",
    **writes_warehouse("sotkanet", "settings", kinds=("duckdb", "python")),
    retry_policy=dg.RetryPolicy(max_retries=2, delay=5, backoff=dg.Backoff.EXPONENTIAL),
    metadata=declared_schema("raw/sotkanet_payloads", "raw.sotkanet_payloads"),
    description=(
        "Fetches Sotkanet /regions, /indicators/{id} and /json for every indicator the catalogue names "
        "(3332, 4771, 5028, 5642, 5664, 5956, 404) plus 127 (population) and 683, over the years window. "
        "Live mode archives every body byte-for-byte and skips indicators whose data-updated is unchanged; "
        "replay mode answers the same requests from the replay archive. Registers the payloads in "
        "raw.sotkanet_payloads."
    ),
)
def sotkanet_payloads(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = context.resources.settings.get()
    try:
        report = context.resources.sotkanet.client(settings).fetch_all(catalogue_indicators(), settings.years)
    except ArchiveIntegrityError as exc:
        raise dg.Failure(description=str(exc), allow_retries=False) from exc  # damaged bytes stay damaged
    frame = pd.DataFrame(
        [
            {
                "kind": p.kind, "indicator": p.indicator, "url": p.url, "params": [f"{k}={v}" for k, v in p.params],
                "sha256": p.sha256, "path": str(p.path), "fetched_at": p.fetched_at, "synthetic": p.synthetic,
                "data_updated": p.data_updated, "reused": p.reused,
            }
            for p in report.payloads
        ]
    )
    with context.resources.warehouse.connect() as con:
        built = build(con, "raw.sotkanet_payloads", "raw/sotkanet_payloads",
                      extra=[sorted(frame["sha256"] + frame["path"])], frames=lambda: {"payload_frame": frame})
        return table_result(
            con, "raw.sotkanet_payloads", built, mode=context.resources.sotkanet.archive.source_mode,
            http_requests=report.stats.requests, http_retries=report.stats.retries,
            skipped_unchanged=report.stats.skipped_unchanged, payloads=len(frame),
        )


def _stage(context, table: str, sql_file: str, kind: str, inputs: list[str], params_of_payloads) -> dg.MaterializeResult:
    """Rebuild a staging table from the payloads of ``kind`` unless those payloads are unchanged."""
    with context.resources.warehouse.connect() as con:
        rows = con.execute(
            "SELECT sha256, path FROM raw.sotkanet_payloads WHERE kind = ? ORDER BY path", [kind]
        ).fetchall()
        if not rows:
            raise RuntimeError(f"{table}: raw.sotkanet_payloads has no '{kind}' payload; materialise raw/sotkanet_payloads")
        built = build(con, table, sql_file, inputs=inputs, params=params_of_payloads(rows), extra=[r[0] for r in rows])
        return table_result(con, table, built, payloads_parsed=len(rows) if built.rebuilt else 0)


@dg.asset(key=["staging", "sotkanet_regions"], deps=[sotkanet_payloads],
          metadata=declared_schema("staging/sotkanet_regions", "staging.sotkanet_regions"), **COMMON)
def sotkanet_regions(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Sotkanet's region list (all categories), keyed by region id. Codes repeat across categories,
    so nothing downstream joins on code alone."""
    return _stage(context, "staging.sotkanet_regions", "staging/sotkanet_regions", "regions", [],
                  lambda rows: {"path": rows[0][1], "sha256": rows[0][0]})


@dg.asset(key=["staging", "sotkanet_indicators"], deps=[sotkanet_payloads],
          metadata=declared_schema("staging/sotkanet_indicators", "staging.sotkanet_indicators"), **COMMON)
def sotkanet_indicators(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Metadata of every fetched indicator: titles fi/sv/en, range, unit code, genders, limits text,
    producer and licence (Sotkanet's terms require naming the producer)."""
    return _stage(context, "staging.sotkanet_indicators", "staging/sotkanet_indicators", "indicator",
                  ["raw.sotkanet_payloads"], lambda rows: {"paths": [r[1] for r in rows]})


@dg.asset(
    key=["staging", "sotkanet_observations"], deps=[sotkanet_payloads, sotkanet_regions],
    metadata=declared_schema("staging/sotkanet_observations", "staging.sotkanet_observations"), **COMMON,
)
def sotkanet_observations(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Every Sotkanet data row, typed and keyed by indicator, region id, year and gender, loaded in
    one bulk DuckDB read of the archived JSON bodies. Value and absolute value are nullable."""
    return _stage(context, "staging.sotkanet_observations", "staging/sotkanet_observations", "data",
                  ["raw.sotkanet_payloads", "staging.sotkanet_regions"], lambda rows: {"paths": [r[1] for r in rows]})


reference_sotkanet_indicators = sql_table_asset(
    "reference.sotkanet_indicators", "reference/sotkanet_indicators", inputs=["staging.sotkanet_indicators"],
    group_name="reference", params=lambda _settings: {"indicators_csv": str(INDICATORS_CSV)}, files=[INDICATORS_CSV],
    description="The Sotkanet indicators the marts use, with producer, licence and limits text for attribution.",
)

population = sql_table_asset(
    "reference.population", "reference/population", inputs=["staging.sotkanet_observations", "reference.regions"],
    group_name="reference",
    description="Population 31.12 per county, Helsinki, Åland, whole country and cooperation area (Sotkanet "
    "indicator 127), for per-capita figures and population weights.",
)

sotkanet_fragment = fragment_asset(
    "sotkanet",
    inputs=["staging.sotkanet_observations", "reference.sotkanet_indicators", "reference.regions",
            "reference.measures", "staging.sotkanet_indicators"],
    group_name=COMMON["group_name"], params=lambda s: {"year_start": s.year_start, "year_end": s.year_end},
    description="Sotkanet rows of marts.measure_values: each indicator x mart region x year x gender, with the "
    "value or an explicit missing row saying why (outside the indicator's range, level not published, "
    "no value published).",
)
