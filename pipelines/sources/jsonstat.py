"""Generic JSON-stat -> long table normaliser (any cube, any dimensions).

Accepts both placements of ``id``/``size`` (JSON-stat 2.0 at dataset level; 1.x and THL's
hybrid inside ``dimension``), the ``{"dataset": {...}}`` wrapper THL uses, and ``value`` as a
sparse object ``{"<flat index>": "<text>"}``, a dense list, or ``[]`` for an empty result.

The output has one row per cell of the full grid (the product of the dimension sizes), so an
empty cell is an explicit row with ``value_text`` None rather than a silently absent one.
For each dimension a row carries the category key (THL: the node ``sid``), its label and,
when a node lookup is given (THL ``.dimensions.json``), the node's code and stage. Categories
are keyed by their index key (sid), never by label: labels change with language and time.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# tiku's own test for "is a number" (PivotCellImpl.isNumber): optional sign, digits, one
# decimal part with '.' or ','. A lone '-' or '' is not a number.
_NUMBER = re.compile(r"^-?\d*([,.]\d+)?$")
DEFAULT_SUPPRESSION_MARKERS = ("..",)


class JsonStatError(ValueError):
    """The document is not a JSON-stat dataset we can read; the message names the document."""


@dataclass(frozen=True)
class NodeInfo:
    """What a dimension tree says about a category (all optional except the sid)."""

    sid: str
    code: str | None = None
    stage: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class Category:
    key: str  # JSON-stat category id; THL puts the node sid here
    index: int
    label: str | None


@dataclass(frozen=True)
class Dimension:
    id: str
    categories: tuple[Category, ...]


@dataclass(frozen=True)
class Dataset:
    label: str | None
    dimensions: tuple[Dimension, ...]
    values: dict[int, Any]  # flat index -> raw value (str in THL output), sparse
    context: str

    @property
    def size(self) -> int:
        return math.prod(len(d.categories) for d in self.dimensions) if self.dimensions else 0


@dataclass(frozen=True)
class Coordinate:
    dimension: str  # id as it appears in the document (may carry a repeat suffix)
    sid: str
    label: str | None
    code: str | None
    stage: str | None


@dataclass(frozen=True)
class Cell:
    index: int
    coordinates: tuple[Coordinate, ...]
    value_text: str | None
    value: float | None
    is_suppressed: bool

    def coordinate(self, dimension: str) -> Coordinate | None:
        for c in self.coordinates:
            if c.dimension == dimension:
                return c
        return None


# -- values ------------------------------------------------------------------------------------


def parse_number(text: Any) -> float | None:
    """Number from a JSON-stat value: strings with '.' or ',' decimals, or JSON numbers.

    Markers ('..', '-', '') and anything else non-numeric give None.
    """
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return None if isinstance(text, float) and math.isnan(text) else float(text)
    s = str(text).strip()
    if not s or s == "-" or not _NUMBER.match(s) or s in ("-.", "."):
        return None
    try:
        return float(s.replace(",", "."))
    except ValueError:
        return None


def value_text_of(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


# -- parsing -----------------------------------------------------------------------------------


def parse_dataset(doc: str | bytes | Mapping[str, Any], *, context: str = "JSON-stat document") -> Dataset:
    """Validate and read a JSON-stat dataset. ``context`` (e.g. cube + URL) goes into every error."""
    if isinstance(doc, (str, bytes)):
        try:
            doc = json.loads(doc)
        except ValueError as exc:
            raise JsonStatError(f"{context}: not valid JSON ({exc})") from exc
    if not isinstance(doc, Mapping):
        raise JsonStatError(f"{context}: expected a JSON object, got {type(doc).__name__}")
    ds = doc.get("dataset", doc) if "dataset" in doc else doc
    if not isinstance(ds, Mapping):
        raise JsonStatError(f"{context}: 'dataset' is not an object")
    dims_obj = ds.get("dimension")
    if not isinstance(dims_obj, Mapping):
        raise JsonStatError(f"{context}: field 'dimension' is missing or not an object")
    ids = ds.get("id", dims_obj.get("id"))
    sizes = ds.get("size", dims_obj.get("size"))
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise JsonStatError(f"{context}: field 'id' (dataset or dimension level) must be a list of dimension ids")
    if not isinstance(sizes, list) or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in sizes):
        raise JsonStatError(f"{context}: field 'size' must be a list of non-negative integers")
    if len(ids) != len(sizes):
        raise JsonStatError(f"{context}: 'id' has {len(ids)} dimensions but 'size' has {len(sizes)}")
    dims = tuple(_parse_dimension(dims_obj, dim_id, n, context) for dim_id, n in zip(ids, sizes))
    total = math.prod(sizes) if sizes else 0
    values = _parse_values(ds.get("value"), total, context)
    label = ds.get("label")
    return Dataset(label=label if isinstance(label, str) else None, dimensions=dims, values=values, context=context)


def _parse_dimension(dims_obj: Mapping[str, Any], dim_id: str, size: int, context: str) -> Dimension:
    where = f"{context}: dimension '{dim_id}'"
    body = dims_obj.get(dim_id)
    if not isinstance(body, Mapping) or not isinstance(body.get("category"), Mapping):
        raise JsonStatError(f"{where}: missing or has no 'category' object")
    cat = body["category"]
    index = cat.get("index")
    labels = cat.get("label") or {}
    if index is None and isinstance(labels, Mapping) and len(labels) == 1:
        index = {next(iter(labels)): 0}  # JSON-stat allows omitting index for a single category
    if isinstance(index, list):
        index = {str(k): i for i, k in enumerate(index)}
    if not isinstance(index, Mapping):
        raise JsonStatError(f"{where}: 'category.index' must be an object or a list")
    if not isinstance(labels, Mapping):
        raise JsonStatError(f"{where}: 'category.label' must be an object")
    positions: dict[int, str] = {}
    for key, pos in index.items():
        if not isinstance(pos, int) or isinstance(pos, bool) or not 0 <= pos < size:
            raise JsonStatError(f"{where}: category '{key}' has index {pos!r}, outside 0..{size - 1}")
        if pos in positions:
            raise JsonStatError(f"{where}: categories '{positions[pos]}' and '{key}' share index {pos}")
        positions[pos] = str(key)
    if len(positions) != size:
        raise JsonStatError(f"{where}: 'size' says {size} categories but 'category.index' lists {len(positions)}")
    cats = tuple(
        Category(key=positions[i], index=i, label=_str_or_none(labels.get(positions[i]))) for i in range(size)
    )
    return Dimension(id=dim_id, categories=cats)


def _str_or_none(v: Any) -> str | None:
    return None if v is None else str(v)


def _parse_values(raw: Any, total: int, context: str) -> dict[int, Any]:
    if raw is None:
        raise JsonStatError(f"{context}: field 'value' is missing")
    if isinstance(raw, list):
        if not raw:  # THL sends [] when the result has no values at all
            return {}
        if len(raw) != total:
            raise JsonStatError(f"{context}: dense 'value' has {len(raw)} entries, expected {total} (product of 'size')")
        return {i: v for i, v in enumerate(raw) if v is not None}
    if isinstance(raw, Mapping):
        out: dict[int, Any] = {}
        for key, v in raw.items():
            try:
                i = int(key)
            except (TypeError, ValueError):
                raise JsonStatError(f"{context}: 'value' key {key!r} is not a flat index") from None
            if not 0 <= i < total:
                raise JsonStatError(f"{context}: 'value' key {i} is outside the grid of {total} cells")
            if v is not None and not isinstance(v, (str, int, float)):
                raise JsonStatError(f"{context}: 'value' at index {i} is {type(v).__name__}, expected text or number")
            if v is not None:
                out[i] = v
        return out
    raise JsonStatError(f"{context}: 'value' must be an object or a list, got {type(raw).__name__}")


# -- normalising -------------------------------------------------------------------------------

NodeLookup = Mapping[str, Mapping[str, NodeInfo]]  # dimension id -> sid -> node


def node_dimension(dim_id: str, nodes: NodeLookup) -> str:
    """The dimension tree a document dimension belongs to.

    THL renames a dimension used on two levels by appending ``1`` (``ammatti`` -> ``ammatti1``);
    the extra ``tiku_vtype`` dimension (``ci``/``n`` flags) has no tree at all.
    """
    if dim_id in nodes:
        return dim_id
    stripped = re.sub(r"\d+$", "", dim_id)
    return stripped if stripped in nodes else dim_id


def iter_cells(
    dataset: Dataset,
    nodes: NodeLookup | None = None,
    *,
    suppression_markers: Sequence[str] = DEFAULT_SUPPRESSION_MARKERS,
) -> Iterator[Cell]:
    """Every cell of the grid in row-major order (last dimension fastest), empty cells included."""
    nodes = nodes or {}
    dims = dataset.dimensions
    if not dims:
        return
    coords_per_dim = []
    for d in dims:
        tree = nodes.get(node_dimension(d.id, nodes), {})
        coords_per_dim.append(
            [
                Coordinate(
                    dimension=d.id,
                    sid=c.key,
                    label=c.label if c.label is not None else (tree.get(c.key).label if c.key in tree else None),
                    code=tree[c.key].code if c.key in tree else None,
                    stage=tree[c.key].stage if c.key in tree else None,
                )
                for c in d.categories
            ]
        )
    sizes = [len(c) for c in coords_per_dim]
    markers = set(suppression_markers)
    for flat in range(dataset.size):
        rem, picked = flat, []
        for n in reversed(sizes):
            picked.append(rem % n)
            rem //= n
        picked.reverse()
        raw = dataset.values.get(flat)
        text = value_text_of(raw)
        yield Cell(
            index=flat,
            coordinates=tuple(coords_per_dim[k][i] for k, i in enumerate(picked)),
            value_text=text,
            value=parse_number(raw),
            is_suppressed=text is not None and text.strip() in markers,
        )


def to_records(cells: Sequence[Cell] | Iterator[Cell]) -> list[dict[str, Any]]:
    """Wide dict per cell: ``<dim>_sid``, ``<dim>_label``, ``<dim>_code``, ``<dim>_stage`` per dimension."""
    out = []
    for cell in cells:
        rec: dict[str, Any] = {"cell_index": cell.index}
        for c in cell.coordinates:
            rec[f"{c.dimension}_sid"] = c.sid
            rec[f"{c.dimension}_label"] = c.label
            rec[f"{c.dimension}_code"] = c.code
            rec[f"{c.dimension}_stage"] = c.stage
        rec.update(value_text=cell.value_text, value=cell.value, is_suppressed=cell.is_suppressed)
        out.append(rec)
    return out


def normalise(
    doc: str | bytes | Mapping[str, Any],
    nodes: NodeLookup | None = None,
    *,
    context: str = "JSON-stat document",
    suppression_markers: Sequence[str] = DEFAULT_SUPPRESSION_MARKERS,
) -> list[dict[str, Any]]:
    """Parse and flatten in one call: one dict per cell (see ``to_records``)."""
    return to_records(iter_cells(parse_dataset(doc, context=context), nodes, suppression_markers=suppression_markers))
