"""Dimension trees (JSONP), the subject listing and the fact requests planned from a spec and
the tree: what to ask the cube for, in which chunks."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pipelines.sources.jsonstat import NodeInfo
from pipelines.sources.thl_cube.errors import JSONP_PREFIX, ThlCubeError
from pipelines.sources.thl_cube.urls import fact_params, selector
from pipelines.sources.thl_cube_specs import CubeSpec, SelectorSpec

# -- dimension trees (JSONP) --------------------------------------------------------------------


@dataclass(frozen=True)
class DimNode:
    dimension: str
    sid: str
    id: str | None
    label: str | None
    stage: str | None
    code: str | None
    sort: int | None
    uri: str | None
    decimals: int | None
    parent_sid: str | None
    depth: int
    position: int  # pre-order position in the dimension's tree: the tree order


def strip_jsonp(text: str, *, context: str) -> str:
    body = text.strip()
    if not body.startswith(JSONP_PREFIX):
        raise ThlCubeError(f"{context}: not a dimensions JSONP document (expected it to start with {JSONP_PREFIX!r})")
    body = body[len(JSONP_PREFIX):]
    body = body.rstrip()
    if body.endswith(";"):
        body = body[:-1].rstrip()
    if not body.endswith(")"):
        raise ThlCubeError(f"{context}: dimensions JSONP does not end with ');'")
    return body[:-1]


def parse_dimensions(text: str | bytes, *, context: str) -> list[DimNode]:
    """Flatten ``.dimensions.json`` (JSONP) into nodes, tree order, parents before children."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    try:
        # tiku escapes only quotes, so control characters may appear raw: strict=False
        tree = json.loads(strip_jsonp(text, context=context), strict=False)
    except ValueError as exc:
        raise ThlCubeError(f"{context}: dimensions JSONP is not valid JSON inside the wrapper ({exc})") from exc
    if not isinstance(tree, list) or not tree:
        raise ThlCubeError(f"{context}: dimensions document must be a non-empty list of dimensions")
    out: list[DimNode] = []
    for d_pos, dim in enumerate(tree):
        if not isinstance(dim, dict) or not isinstance(dim.get("id"), str):
            raise ThlCubeError(f"{context}: dimension #{d_pos} has no string 'id'")
        counter = [0]
        for child in dim.get("children") or []:
            _walk(dim["id"], child, None, 0, out, counter, context)
    return out


def _walk(dimension: str, node: Any, parent: str | None, depth: int, out: list[DimNode], counter: list[int], context: str) -> None:
    if not isinstance(node, dict) or "sid" not in node:
        raise ThlCubeError(f"{context}: dimension '{dimension}': a node has no 'sid' (under parent sid {parent})")
    sid = str(node["sid"])
    out.append(
        DimNode(
            dimension=dimension,
            sid=sid,
            id=_opt_str(node.get("id")),
            label=_opt_str(node.get("label")),
            stage=_opt_str(node.get("stage")),
            code=_opt_str(node.get("code")),
            sort=node.get("sort") if isinstance(node.get("sort"), int) else None,
            uri=_opt_str(node.get("uri")),
            decimals=node.get("decimals") if isinstance(node.get("decimals"), int) else None,
            parent_sid=parent,
            depth=depth,
            position=counter[0],
        )
    )
    counter[0] += 1
    for child in node.get("children") or []:
        _walk(dimension, child, sid, depth + 1, out, counter, context)


def _opt_str(v: Any) -> str | None:
    return None if v is None else str(v)


def node_lookup(nodes: Iterable[DimNode]) -> dict[str, dict[str, NodeInfo]]:
    """dimension -> sid -> NodeInfo, the shape ``jsonstat.iter_cells`` takes."""
    out: dict[str, dict[str, NodeInfo]] = {}
    for n in nodes:
        out.setdefault(n.dimension, {})[n.sid] = NodeInfo(sid=n.sid, code=n.code, stage=n.stage, label=n.label)
    return out


# -- query planning ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactRequest:
    chunk: str | None  # code of the chunk node (e.g. the year), None when not chunked
    params: tuple[tuple[str, str], ...]


def resolve_selector(sel: SelectorSpec, nodes: Sequence[DimNode], *, context: str) -> str:
    """Selector text for a spec level; ``stages`` are resolved to sids from the dimension tree."""
    in_dim = [n for n in nodes if n.dimension == sel.dimension]
    if not in_dim:
        raise ThlCubeError(f"{context}: dimension '{sel.dimension}' is not in the cube's dimension tree")
    known = {n.sid for n in in_dim}
    if sel.stages:
        sids = [n.sid for n in in_dim if n.stage in sel.stages]
        if not sids:
            raise ThlCubeError(f"{context}: no node of dimension '{sel.dimension}' on stages {sel.stages}")
    else:
        missing = [s for s in sel.sids if s not in known]
        if missing:
            raise ThlCubeError(f"{context}: sid(s) {missing} not found in dimension '{sel.dimension}'")
        sids = list(sel.sids)
    return selector(sel.dimension, sids, sel.mode)


def plan_fact_requests(spec: CubeSpec, nodes: Sequence[DimNode]) -> list[FactRequest]:
    """The fact queries for a spec: one per chunk node (e.g. per year within spec.years)."""
    ctx = spec.describe()
    rows = [resolve_selector(s, nodes, context=ctx) for s in spec.query.rows]
    cols = [resolve_selector(s, nodes, context=ctx) for s in spec.query.columns]
    filters = [resolve_selector(s, nodes, context=ctx) for s in spec.query.filters]
    chunk = spec.query.chunk
    if chunk is None:
        return [FactRequest(None, tuple(fact_params(rows, cols, filters)))]
    chunk_nodes = [n for n in nodes if n.dimension == chunk.dimension and n.stage == chunk.stage]
    if not chunk_nodes:
        raise ThlCubeError(f"{ctx}: no node of dimension '{chunk.dimension}' on chunk stage '{chunk.stage}'")
    out = []
    for n in chunk_nodes:
        if not _chunk_wanted(n, spec):
            continue
        level = selector(chunk.dimension, [n.sid], chunk.mode)
        r = rows + [level] if chunk.axis == "row" else rows
        c = cols + [level] if chunk.axis == "column" else cols
        out.append(FactRequest(n.code, tuple(fact_params(r, c, filters))))
    return out


def _chunk_wanted(node: DimNode, spec: CubeSpec) -> bool:
    """Chunks on the time dimension are limited to spec.years (the year is read from the code)."""
    if spec.query.chunk is None or spec.query.chunk.dimension != spec.time.dimension:
        return True
    m = re.search(spec.time.year_pattern, node.code or "")
    return bool(m) and int(m.group(1)) in spec.years


def listed(listing: dict[str, Any], spec: CubeSpec) -> bool:
    """Whether the subject listing names the spec's fact (a cube missing there may still answer)."""
    items = ((listing.get("link") or {}).get("item")) or []
    tail = f"/{spec.subject}/{spec.hydra}/{spec.fact}.json"
    return any(isinstance(i, dict) and str(i.get("href", "")).endswith(tail) for i in items)


def parse_listing(body: bytes, *, context: str) -> dict[str, Any]:
    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise ThlCubeError(f"{context}: listing is not valid JSON ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("class") != "collection":
        raise ThlCubeError(f"{context}: listing is not a JSON-stat collection (class != 'collection')")
    return doc


