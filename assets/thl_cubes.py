"""THL database reports (sampo.thl.fi pivot cubes): raw -> staging -> fragments.thl_cube.

Which cubes are read, with which selectors and how their nodes map to measures, regions, years
and breakdowns is configuration: ``pipelines/cube_specs/*.toml`` (docs/thl_cubes.md). These
assets are generic over the specs; the SQL is in ``sql/staging/stg_thl_*.sql`` and
``sql/fragments/thl_cube.sql``.

No ``from __future__ import annotations`` here: Dagster inspects the ``context`` annotation at
definition time and needs the real class.
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import dagster as dg
import duckdb
import pandas as pd

from pipelines.archive import ReplayMissError
from pipelines.contract import COUNTRY_CODE, ORGANISER_CODES
from pipelines.metadata import declared_schema, table_result
from pipelines.sources.jsonstat import JsonStatError, iter_cells, parse_dataset
from pipelines.sources.thl_cube import (
    DimNode,
    Fetched,
    ThlCubeClient,
    ThlCubeError,
    ThlCubeUnavailable,
    fetch_specs,
    node_lookup,
    parse_dimensions,
)
from pipelines.sources.thl_cube_specs import CubeSpec, default_specs, specs_fingerprint
from pipelines.builds import Built, build

GROUP = "thl_cube"
RESOURCES = {"warehouse", "archive", "settings"}
NETWORK_RETRY = dg.RetryPolicy(max_retries=2, delay=5, backoff=dg.Backoff.EXPONENTIAL)


# -- helpers -----------------------------------------------------------------------------------


def specs() -> Sequence[CubeSpec]:
    return default_specs()


def build_thl(con: duckdb.DuckDBPyConnection, table: str, sql_name: str, inputs: list[str], frames) -> Built:
    """A THL table from its inputs, the cube specs (configuration) and Python-built frames."""
    return build(con, table, sql_name, inputs=inputs, extra=[specs_fingerprint(specs())], frames=frames)


def naive_utc(stamp: str) -> datetime:
    dt = datetime.fromisoformat(stamp)
    return (dt.astimezone(UTC) if dt.tzinfo else dt).replace(tzinfo=None)


def spec_frame(spec_list: Sequence[CubeSpec]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "spec_key": s.key,
                "measure_key": s.measure_key,
                "objective_key": s.objective_key,
                "value_sid": s.measure.value_sid,
                "source_ref": s.source_ref,
                "weight_sid": s.measure.weight_sid,
                "aggregation": s.measure.aggregation,
                "period_stage": s.time.period_stage,
                "year_pattern": s.time.year_pattern,
                "unit": s.unit,
            }
            for s in spec_list
        ]
    )


def breakdown_frame(spec_list: Sequence[CubeSpec]) -> pd.DataFrame:
    rows = [
        {"spec_key": s.key, "sid": n.sid, "breakdown": n.value}
        for s in spec_list
        if s.breakdown
        for n in s.breakdown.nodes
    ]
    return pd.DataFrame(rows, columns=["spec_key", "sid", "breakdown"])


def region_rules_frame(spec_list: Sequence[CubeSpec]) -> pd.DataFrame:
    rows = [
        {
            "spec_key": s.key,
            "rule_no": i,
            "stage": r.stage,
            "sid": r.sid,
            "region_level": r.region_level,
            "region_codes": ",".join(r.region_codes),
            "code_pattern": r.code_pattern,
            "is_comparable": r.comparable,
            "caveat_en": r.caveat_en,
            "caveat_fi": r.caveat_fi,
        }
        for s in spec_list
        for i, r in enumerate(s.region.rules)
    ]
    return pd.DataFrame(rows)


def grid_frame(spec_list: Sequence[CubeSpec]) -> pd.DataFrame:
    """The rows every spec owes: 22 organisers + the country x spec years x breakdowns."""
    regions = [("wellbeing_area", c) for c in ORGANISER_CODES] + [("country", COUNTRY_CODE)]
    rows = [
        {"spec_key": s.key, "region_level": lvl, "region_code": code, "year": y, "breakdown": b, "gap_reason": s.gap_reason(y)}
        for s in spec_list
        for lvl, code in regions
        for y in s.years
        for b in s.breakdown_values
    ]
    return pd.DataFrame(rows)


def raw_frame(payloads: Sequence[Fetched]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "spec_key": p.spec_key,
                "measure_key": p.measure_key,
                "kind": p.kind,
                "chunk": p.chunk,
                "url": p.url,
                "params": json.dumps([list(kv) for kv in p.params], ensure_ascii=False),
                "status": p.status,
                "payload_sha256": p.sha256,
                "size": p.size,
                "fetched_at": naive_utc(p.fetched_at),
                "is_synthetic": p.is_synthetic,
                "listed": p.listed,
                "body": p.body.decode("utf-8"),
            }
            for p in payloads
        ]
    )


def nodes_frame(raw_rows: Sequence[tuple[str, str, str, str]]) -> pd.DataFrame:
    """(spec_key, sha, url, body) of dimension payloads -> one row per node."""
    rows = []
    for spec_key, sha, url, body in raw_rows:
        for n in parse_dimensions(body, context=f"THL cube spec {spec_key}: {url} (payload {sha})"):
            rows.append(
                {
                    "spec_key": spec_key, "dimension": n.dimension, "sid": n.sid, "node_id": n.id,
                    "parent_sid": n.parent_sid, "depth": n.depth, "position": n.position, "stage": n.stage,
                    "code": n.code, "label": n.label, "sort": n.sort, "decimals": n.decimals, "uri": n.uri,
                    "payload_sha256": sha,
                }
            )
    return pd.DataFrame(rows)


CELL_COLUMNS = [
    "spec_key", "measure_key", "payload_sha256", "chunk", "cell_index",
    "region_sid", "region_label", "region_code", "region_stage",
    "time_sid", "time_label", "time_code", "time_stage",
    "breakdown_sid", "breakdown_label", "breakdown_code", "breakdown_stage",
    "measure_sid", "measure_label", "coordinates", "value_text", "value", "is_suppressed",
    "fetched_at", "is_synthetic",
]


def cells_frame(spec_list: Sequence[CubeSpec], facts: Sequence[tuple], nodes: Sequence[tuple]) -> pd.DataFrame:
    """Normalise every fact payload and give the spec's dimension roles their own columns.

    facts: (spec_key, sha, chunk, url, params, fetched_at, is_synthetic, body);
    nodes: (spec_key, dimension, sid, code, stage, label) from staging.thl_nodes.
    """
    by_key = {s.key: s for s in spec_list}
    trees: dict[str, list] = {}
    for spec_key, dimension, sid, code, stage, label in nodes:
        trees.setdefault(spec_key, []).append((dimension, sid, code, stage, label))
    rows: list[dict[str, Any]] = []
    for spec_key, sha, chunk, url, params, fetched_at, synthetic, body in facts:
        spec = by_key.get(spec_key)
        if spec is None:
            continue  # payload of a spec that was removed since the raw load
        context = f"{spec.describe()}: {url}?{params} (payload {sha})"
        lookup = _lookup(trees.get(spec_key, []))
        dataset = parse_dataset(body, context=context)
        ids = [d.id for d in dataset.dimensions]
        roles = {"region": spec.region.dimension, "time": spec.time.dimension, "measure": spec.measure.dimension}
        if spec.breakdown:
            roles["breakdown"] = spec.breakdown.dimension
        for role, dim in roles.items():
            if dim not in ids:
                raise ThlCubeError(f"{context}: the {role} dimension '{dim}' is not in the document (dimensions: {ids})")
        for cell in iter_cells(dataset, lookup, suppression_markers=spec.suppression_markers):
            rec: dict[str, Any] = {
                "spec_key": spec_key, "measure_key": spec.measure_key, "payload_sha256": sha, "chunk": chunk,
                "cell_index": cell.index, "value_text": cell.value_text, "value": cell.value,
                "is_suppressed": cell.is_suppressed, "fetched_at": fetched_at, "is_synthetic": synthetic,
                "coordinates": json.dumps(
                    [{"dimension": c.dimension, "sid": c.sid, "label": c.label, "code": c.code, "stage": c.stage}
                     for c in cell.coordinates],
                    ensure_ascii=False,
                ),
            }
            for role in ("region", "time", "breakdown", "measure"):
                c = cell.coordinate(roles[role]) if role in roles else None
                rec[f"{role}_sid"] = c.sid if c else None
                rec[f"{role}_label"] = c.label if c else None
                rec[f"{role}_code"] = c.code if c else None
                rec[f"{role}_stage"] = c.stage if c else None
            rows.append(rec)
    frame = pd.DataFrame(rows)
    return frame.reindex(columns=CELL_COLUMNS) if not frame.empty else pd.DataFrame(columns=CELL_COLUMNS)


def _lookup(rows: Sequence[tuple]) -> dict:
    return node_lookup(
        DimNode(dimension=d, sid=s, id=None, label=lbl, stage=st, code=c, sort=None, uri=None, decimals=None,
                parent_sid=None, depth=0, position=0)
        for d, s, c, st, lbl in rows
    )


# -- assets ------------------------------------------------------------------------------------


@dg.asset(
    key=["raw", "thl_cube"],
    metadata=declared_schema("staging/stg_thl_raw", "raw.thl_cube"),
    group_name=GROUP,
    kinds={"duckdb"},
    pool="duckdb_write",
    retry_policy=NETWORK_RETRY,
    required_resource_keys=RESOURCES,
    description=(
        "THL database-report cubes (sampo.thl.fi pivot API) for every cube spec in pipelines/cube_specs: "
        "the subject listing, the JSONP dimension trees and the JSON-stat fact chunks (one per year). "
        "Live mode fetches and archives every body; replay mode answers from the sample archive. "
        "Table raw.thl_cube keeps the bodies and their provenance."
    ),
)
def raw_thl_cube(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = context.resources.settings.get()
    archive = context.resources.archive
    spec_list = specs()
    live = archive.is_live
    try:
        payload_sets, stats = fetch_specs(
            lambda: ThlCubeClient(
                settings, live=live, runtime=archive.runtime() if live else None, replay=None if live else archive.replay()
            ),
            spec_list,
        )
    except (ThlCubeError, JsonStatError, ReplayMissError) as exc:
        if isinstance(exc, ThlCubeUnavailable):
            raise  # transient: the asset's retry policy tries again later
        # a rejected query, a malformed document or a replay miss will not get better by retrying
        raise dg.Failure(description=str(exc), allow_retries=False) from exc
    payloads = [p for ps in payload_sets for p in ps.all()]
    not_listed = [ps.spec.key for ps in payload_sets if not ps.listing.listed]
    if not_listed:
        context.log.warning(f"cube specs not in their subject listing (fetched directly): {not_listed}")
    table = "raw.thl_cube"
    with context.resources.warehouse.connect() as con:
        built = build(con, table, "staging/stg_thl_raw",
                      extra=[sorted((p.spec_key, p.kind, p.chunk or "", p.sha256) for p in payloads)],
                      frames=lambda: {"thl_raw_in": raw_frame(payloads)}, detail={"payloads": len(payloads)})
        return table_result(
            con, table, built, mode="live" if live else "replay", requests=stats.requests,
            retries=stats.retries, payloads=len(payloads), not_listed=", ".join(not_listed) or "none",
        )


@dg.asset(
    key=["staging", "thl_nodes"],
    metadata=declared_schema("staging/stg_thl_nodes", "staging.thl_nodes"),
    group_name=GROUP,
    deps=[raw_thl_cube],
    kinds={"duckdb"},
    pool="duckdb_write",
    required_resource_keys=RESOURCES,
    description="Dimension trees of the THL cubes (from .dimensions.json): one row per node with sid, stage, code and label.",
)
def staging_thl_nodes(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    table, sql_name = "staging.thl_nodes", "staging/stg_thl_nodes"
    with context.resources.warehouse.connect() as con:
        def frames():
            raw = con.execute(
                "SELECT spec_key, payload_sha256, url, body FROM raw.thl_cube WHERE kind = 'dimensions' ORDER BY spec_key"
            ).fetchall()
            return {"thl_nodes_in": nodes_frame(raw)}

        built = build_thl(con, table, sql_name, ["raw.thl_cube"], frames)
        return table_result(con, table, built)


@dg.asset(
    key=["staging", "thl_cells"],
    metadata=declared_schema("staging/stg_thl_cells", "staging.thl_cells"),
    group_name=GROUP,
    deps=[raw_thl_cube, staging_thl_nodes],
    kinds={"duckdb"},
    pool="duckdb_write",
    required_resource_keys=RESOURCES,
    description=(
        "Every cell of every THL fact chunk, normalised from JSON-stat: region, time, breakdown and measure "
        "node (sid, label, code, stage), the raw value text, the parsed number and a suppression flag. "
        "Empty cells are rows with value_text NULL."
    ),
)
def staging_thl_cells(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    table, sql_name = "staging.thl_cells", "staging/stg_thl_cells"
    with context.resources.warehouse.connect() as con:
        def frames():
            facts = con.execute(
                "SELECT spec_key, payload_sha256, chunk, url, CAST(params AS VARCHAR), fetched_at, is_synthetic, body "
                "FROM raw.thl_cube WHERE kind = 'fact' ORDER BY spec_key, chunk"
            ).fetchall()
            nodes = con.execute("SELECT spec_key, dimension, sid, code, stage, label FROM staging.thl_nodes").fetchall()
            return {"thl_cells_in": cells_frame(specs(), facts, nodes)}

        built = build_thl(con, table, sql_name, ["raw.thl_cube", "staging.thl_nodes"], frames)
        return table_result(con, table, built)


@dg.asset(
    key=["staging", "thl_region_map"],
    metadata=declared_schema("staging/stg_thl_region_map", "staging.thl_region_map"),
    group_name=GROUP,
    deps=[staging_thl_cells],
    kinds={"duckdb"},
    pool="duckdb_write",
    required_resource_keys=RESOURCES,
    description=(
        "THL region/provider nodes mapped to canonical regions by the cube specs: wellbeing-area nodes one to "
        "one, provider nodes to their organiser(s); many-to-one nodes (HUS) flagged not comparable. Nodes "
        "without a mapping fail a blocking check that lists them."
    ),
)
def staging_thl_region_map(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    table, sql_name = "staging.thl_region_map", "staging/stg_thl_region_map"
    with context.resources.warehouse.connect() as con:
        built = build_thl(con, table, sql_name, ["staging.thl_cells"],
                          lambda: {"thl_region_rules_in": region_rules_frame(specs())})
        unmapped = con.execute(f"SELECT count(*) FROM {table} WHERE unmapped_node IS NOT NULL").fetchone()[0]
        return table_result(con, table, built, unmapped_nodes=unmapped)


@dg.asset(
    key=["staging", "thl_values"],
    metadata=declared_schema("staging/stg_thl_values", "staging.thl_values"),
    group_name=GROUP,
    deps=[staging_thl_cells, staging_thl_region_map],
    kinds={"duckdb"},
    pool="duckdb_write",
    required_resource_keys=RESOURCES,
    description=(
        "THL cube measures per canonical region, year and breakdown: months or four-monthly snapshots "
        "aggregated to the year by the rule in each cube spec (weighted by the cube's counts), with "
        "suppression, partial-year counts and comparability caveats."
    ),
)
def staging_thl_values(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    table, sql_name = "staging.thl_values", "staging/stg_thl_values"
    with context.resources.warehouse.connect() as con:
        built = build_thl(con, table, sql_name, ["staging.thl_cells", "staging.thl_region_map"],
                          lambda: {"thl_spec_in": spec_frame(specs()), "thl_breakdown_in": breakdown_frame(specs())})
        return table_result(con, table, built)


@dg.asset(
    key=["fragments", "thl_cube"],
    metadata=declared_schema("fragments/thl_cube", "fragments.thl_cube"),
    group_name=GROUP,
    deps=[staging_thl_values, raw_thl_cube],
    kinds={"duckdb"},
    pool="duckdb_write",
    required_resource_keys=RESOURCES,
    description=(
        "THL cube measures (2.1.1-01 by professional group and in total, 2.1.1-03) in the measure_values "
        "contract for the 22 organisers and the whole country, every spec year: values, or NULL with "
        "missing_reason (suppressed by source, no data collected, no value published)."
    ),
)
def fragments_thl_cube(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    table, sql_name = "fragments.thl_cube", "fragments/thl_cube"
    with context.resources.warehouse.connect() as con:
        built = build_thl(con, table, sql_name, ["staging.thl_values", "raw.thl_cube"],
                          lambda: {"thl_grid_in": grid_frame(specs()), "thl_spec_in": spec_frame(specs())})
        missing = con.execute(
            f"SELECT coalesce(missing_reason, '(value)') AS r, count(*) FROM {table} GROUP BY r ORDER BY r"
        ).fetchall()
        return table_result(con, table, built, rows_by_reason=dg.MetadataValue.json(dict(missing)))
