"""The tiku URL grammar: ``/api/{subject}.json`` (listing), ``/{lang}/{subject}/{hydra}/{fact}.json``
(JSON-stat facts) and ``.dimensions.json`` (JSONP dimension trees); node selectors by sid in the
four forms ``dim-<sid>`` (children + the node as a trailing total), ``dim-<sid>.`` (only that
node), ``dim-<sid1>.<sid2>`` (exactly those) and ``dim-<sid>L`` (the node's whole stage)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pipelines.sources.thl_cube_specs import CubeSpec

# -- URL grammar -------------------------------------------------------------------------------


def selector(dimension: str, sids: Sequence[str | int], mode: str) -> str:
    """One node selector, e.g. ``selector('alue', [1], 'level') == 'alue-1L'``."""
    ids = [str(s) for s in sids]
    if not dimension or "-" in dimension:
        raise ValueError(f"selector: bad dimension id {dimension!r}")
    if not ids or not all(s.isdigit() for s in ids):
        raise ValueError(f"selector on {dimension}: sids must be digits, got {ids}")
    if mode == "list":
        if len(ids) == 1:
            mode = "subset"  # a one-element list is a subset: 'dim-<sid>.'
        else:
            return f"{dimension}-{'.'.join(ids)}"
    if len(ids) != 1:
        raise ValueError(f"selector on {dimension}: mode {mode!r} takes one sid, got {len(ids)}")
    (sid,) = ids
    if mode == "children":
        return f"{dimension}-{sid}"
    if mode == "subset":
        # Note: tiku may read 'dim-XXXXXXX.' (7+ chars before the only dot) as a packed node list
        # (pitfall 8 of the API doc); docs/thl_cubes.md says how to check such a spec live.
        return f"{dimension}-{sid}."
    if mode == "level":
        return f"{dimension}-{sid}L"
    raise ValueError(f"selector on {dimension}: unknown mode {mode!r}")


def listing_url(base_url: str, subject: str) -> str:
    return f"{base_url.rstrip('/')}/api/{subject}.json"


def fact_url(base_url: str, spec: CubeSpec, ext: str = "json", lang: str | None = None) -> str:
    return f"{base_url.rstrip('/')}/{lang or spec.lang}/{spec.subject}/{spec.hydra}/{spec.fact}.{ext}"


def dimensions_url(base_url: str, spec: CubeSpec) -> str:
    return fact_url(base_url, spec, "dimensions.json")


def fact_params(
    rows: Iterable[str] = (), columns: Iterable[str] = (), filters: Iterable[str] = (), measures: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """Query parameters in tiku's order; every level is a repeated parameter."""
    return (
        [("row", r) for r in rows]
        + [("column", c) for c in columns]
        + [("filter", f) for f in filters]
        + [("measure", m) for m in measures]
    )


