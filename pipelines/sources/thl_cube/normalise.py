"""THL payloads and cube specs -> the frames the staging SQL reads (sql/staging/thl_*.sql,
sql/fragments/thl_cube.sql): raw bodies with provenance, dimension nodes, every fact cell, the
region rules, the spec and breakdown tables and the expected grid of organisers x years."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from pipelines.contract import COUNTRY_CODE, ORGANISER_CODES
from pipelines.sources.jsonstat import iter_cells, parse_dataset
from pipelines.sources.thl_cube.client import Fetched
from pipelines.sources.thl_cube.dimensions import DimNode, node_lookup, parse_dimensions
from pipelines.sources.thl_cube.errors import ThlCubeError
from pipelines.sources.thl_cube_specs import CubeSpec


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


# -- the frames each staging table reads, from the warehouse and the specs -----------------------


def nodes_input(con, spec_list: Sequence[CubeSpec]) -> dict[str, pd.DataFrame]:
    raw = con.execute(
        "SELECT spec_key, payload_sha256, url, body FROM raw.thl_cube WHERE kind = 'dimensions' ORDER BY spec_key"
    ).fetchall()
    return {"thl_nodes_in": nodes_frame(raw)}


def cells_input(con, spec_list: Sequence[CubeSpec]) -> dict[str, pd.DataFrame]:
    facts = con.execute(
        "SELECT spec_key, payload_sha256, chunk, url, CAST(params AS VARCHAR), fetched_at, is_synthetic, body "
        "FROM raw.thl_cube WHERE kind = 'fact' ORDER BY spec_key, chunk"
    ).fetchall()
    nodes = con.execute("SELECT spec_key, dimension, sid, code, stage, label FROM staging.thl_nodes").fetchall()
    return {"thl_cells_in": cells_frame(spec_list, facts, nodes)}


def region_map_input(con, spec_list: Sequence[CubeSpec]) -> dict[str, pd.DataFrame]:
    return {"thl_region_rules_in": region_rules_frame(spec_list)}


def values_input(con, spec_list: Sequence[CubeSpec]) -> dict[str, pd.DataFrame]:
    return {"thl_spec_in": spec_frame(spec_list), "thl_breakdown_in": breakdown_frame(spec_list)}


def fragment_input(con, spec_list: Sequence[CubeSpec]) -> dict[str, pd.DataFrame]:
    return {"thl_grid_in": grid_frame(spec_list), "thl_spec_in": spec_frame(spec_list)}
