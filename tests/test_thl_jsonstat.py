"""Normaliser unit tests over the documented JSON-stat shapes of THL's tiku server
(shared/docs/thl-cube-api.md §3.1): sparse value object, [], decimal comma, '..', parent total,
repeated dimension suffix, the ci/n extra dimension; plus malformed documents."""

import json

import pytest

from pipelines.sources.jsonstat import (
    JsonStatError,
    NodeInfo,
    iter_cells,
    normalise,
    parse_dataset,
    parse_number,
)


def tiku_doc(dims: list[tuple[str, list[tuple[str, str]]]], values, label="Testikuutio") -> str:
    """A document in tiku's layout: wrapped in 'dataset', id/size inside 'dimension', string values."""
    dimension = {"id": [d for d, _ in dims], "size": [len(c) for _, c in dims]}
    for d, cats in dims:
        dimension[d] = {"category": {"index": {sid: i for i, (sid, _) in enumerate(cats)}, "label": dict(cats)}}
    return json.dumps({"dataset": {"version": "2.0", "class": "dataset", "label": label, "dimension": dimension, "value": values}})


AREA = [("445193", "Helsingin ja Uudenmaan SHP"), ("445155", "Varsinais-Suomen SHP"), ("445222", "Kaikki Alueet")]
MEASURE = [("444833", "Tapausten lukumäärä")]
NODES = {
    "hcd": {
        "445193": NodeInfo("445193", code="25", stage="hcd"),
        "445155": NodeInfo("445155", code="03", stage="hcd"),
        "445222": NodeInfo("445222", code="kaikki", stage="root"),
    },
    "measure": {"444833": NodeInfo("444833", code="n", stage="leaf")},
}


@pytest.mark.parametrize(
    "text, expected",
    [("410", 410.0), ("12,3", 12.3), ("12.3", 12.3), ("0,0", 0.0), ("-1,5", -1.5), (",5", 0.5),
     ("..", None), ("-", None), ("", None), ("abc", None), (None, None), (7, 7.0), ("1 000", None)],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


def test_sparse_value_object_gives_every_cell_with_empty_ones_explicit():
    doc = tiku_doc([("hcd", AREA), ("measure", MEASURE)], {"0": "410", "2": "38590"})
    rows = normalise(doc, NODES)
    assert [r["cell_index"] for r in rows] == [0, 1, 2]
    assert [r["value_text"] for r in rows] == ["410", None, "38590"]
    assert [r["value"] for r in rows] == [410.0, None, 38590.0]
    assert rows[1]["is_suppressed"] is False  # empty is not suppressed
    # keyed by sid, with code and stage from the dimension tree
    assert rows[0]["hcd_sid"] == "445193" and rows[0]["hcd_code"] == "25" and rows[0]["hcd_stage"] == "hcd"


def test_parent_total_is_the_last_category_and_keeps_its_stage():
    doc = tiku_doc([("hcd", AREA), ("measure", MEASURE)], {"0": "1", "1": "2", "2": "3"})
    rows = normalise(doc, NODES)
    assert rows[-1]["hcd_sid"] == "445222"
    assert rows[-1]["hcd_stage"] == "root"  # a total is recognisable, so it is never summed with its children


def test_empty_array_value_means_no_values_at_all():
    doc = tiku_doc([("hcd", AREA), ("measure", MEASURE)], [])
    rows = normalise(doc, NODES)
    assert len(rows) == 3
    assert all(r["value_text"] is None and r["value"] is None and not r["is_suppressed"] for r in rows)


def test_decimal_comma_and_suppression_marker():
    doc = tiku_doc([("hcd", AREA), ("measure", MEASURE)], {"0": "12,5", "1": "..", "2": "-"})
    rows = normalise(doc, NODES)
    assert rows[0]["value"] == 12.5 and rows[0]["value_text"] == "12,5"
    assert rows[1]["value"] is None and rows[1]["is_suppressed"] is True and rows[1]["value_text"] == ".."
    # '-' is not a number and not the suppression marker: NULL, raw text kept, not flagged
    assert rows[2]["value"] is None and rows[2]["is_suppressed"] is False and rows[2]["value_text"] == "-"


def test_custom_suppression_markers():
    doc = tiku_doc([("hcd", AREA), ("measure", MEASURE)], {"0": "-", "1": ".."})
    rows = normalise(doc, NODES, suppression_markers=("..", "-"))
    assert [r["is_suppressed"] for r in rows] == [True, True, False]


def test_row_major_flat_index_last_dimension_fastest():
    months = [("1", "2024/01"), ("2", "2024/02")]
    groups = [("7", "Lääkäri"), ("8", "Hoitaja"), ("9", "Kaikki")]
    doc = tiku_doc([("kk", months), ("ammatti", groups)], {str(i): str(i * 10) for i in range(6)})
    rows = normalise(doc)
    # pos = i_kk * 3 + i_ammatti
    assert [(r["kk_sid"], r["ammatti_sid"], r["value"]) for r in rows] == [
        ("1", "7", 0.0), ("1", "8", 10.0), ("1", "9", 20.0), ("2", "7", 30.0), ("2", "8", 40.0), ("2", "9", 50.0)
    ]


def test_repeated_dimension_suffix_uses_the_base_dimension_tree():
    # the same dimension on two row levels: tiku renames the second 'hcd1'
    doc = tiku_doc([("hcd", AREA[:1]), ("hcd1", AREA[1:2]), ("measure", MEASURE)], {"0": "5"})
    (row,) = normalise(doc, NODES)
    assert row["hcd_sid"] == "445193" and row["hcd1_sid"] == "445155"
    assert row["hcd1_code"] == "03" and row["hcd1_stage"] == "hcd"  # looked up in the 'hcd' tree


def test_ci_and_n_extra_dimension():
    # &ci&n adds dimension tiku_vtype {v, ci_lower, ci_upper, n}: indexes multiply by 4
    vtype = [("v", "v"), ("ci_lower", "ci_lower"), ("ci_upper", "ci_upper"), ("n", "n")]
    doc = tiku_doc([("hcd", AREA[:2]), ("tiku_vtype", vtype)],
                   {"0": "12,3", "1": "10,1", "2": "14,6", "3": "250", "4": "..", "7": "3"})
    rows = normalise(doc, NODES)
    assert len(rows) == 8
    first = {r["tiku_vtype_sid"]: r["value"] for r in rows if r["hcd_sid"] == "445193"}
    assert first == {"v": 12.3, "ci_lower": 10.1, "ci_upper": 14.6, "n": 250.0}
    second = {r["tiku_vtype_sid"]: (r["value"], r["is_suppressed"]) for r in rows if r["hcd_sid"] == "445155"}
    assert second == {"v": (None, True), "ci_lower": (None, False), "ci_upper": (None, False), "n": (3.0, False)}
    assert all(r["tiku_vtype_code"] is None for r in rows)  # no tree for the extra dimension: no invented codes


def test_standard_jsonstat_2_layout_and_dense_values_are_read_too():
    doc = {
        "version": "2.0", "class": "dataset", "id": ["a", "b"], "size": [2, 1],
        "dimension": {"a": {"category": {"index": ["x", "y"], "label": {"x": "X", "y": "Y"}}},
                      "b": {"category": {"label": {"z": "Z"}}}},
        "value": [1.5, None],
    }
    cells = list(iter_cells(parse_dataset(doc)))
    assert [(c.coordinates[0].sid, c.coordinates[1].sid, c.value) for c in cells] == [("x", "z", 1.5), ("y", "z", None)]


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d["dataset"].pop("dimension"), "field 'dimension' is missing"),
        (lambda d: d["dataset"]["dimension"].update(size=[3]), "'id' has 2 dimensions but 'size' has 1"),
        (lambda d: d["dataset"]["dimension"].update(size=[4, 1]), "'size' says 4 categories"),
        (lambda d: d["dataset"].update(value={"9": "1"}), "'value' key 9 is outside the grid of 3 cells"),
        (lambda d: d["dataset"].update(value={"x": "1"}), "'value' key 'x' is not a flat index"),
        (lambda d: d["dataset"].update(value=["1", "2"]), "dense 'value' has 2 entries, expected 3"),
        (lambda d: d["dataset"].pop("value"), "field 'value' is missing"),
        (lambda d: d["dataset"]["dimension"]["hcd"]["category"]["index"].update({"445222": 0}), "share index 0"),
        (lambda d: d["dataset"].update(value={"0": {"x": 1}}), "'value' at index 0 is dict"),
    ],
)
def test_malformed_documents_give_errors_naming_the_document_and_field(mutate, message):
    doc = json.loads(tiku_doc([("hcd", AREA), ("measure", MEASURE)], {"0": "1"}))
    mutate(doc)
    with pytest.raises(JsonStatError) as err:
        parse_dataset(doc, context="cube X, URL Y")
    assert "cube X, URL Y" in str(err.value)
    assert message in str(err.value)


def test_not_json_at_all():
    with pytest.raises(JsonStatError, match="cube Z: not valid JSON"):
        parse_dataset("<html>Forbidden</html>", context="cube Z")
