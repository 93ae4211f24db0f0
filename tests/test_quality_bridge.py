"""The great-expectations bridge: one result per expectation, severities, and the result cache."""

import duckdb

from quality.gx_bridge import Expectation as E
from quality.gx_bridge import Suite, check_suite

SUITE = Suite(
    asset=["staging", "t"],
    table="staging.t",
    expectations=[
        E("k_unique", "ExpectColumnValuesToBeUnique", {"column": "k"}),
        E("s_not_null", "ExpectColumnValuesToNotBeNull", {"column": "s"}, blocking=False),
        E("k_known", "ExpectColumnValuesToBeInSet", {"column": "k", "value_set": lambda con: [1, 2, 3]}),
    ],
)


def results(con):
    return {r.check_name: r for r in check_suite(SUITE, con)}


def test_results_per_expectation_with_severity_counts_and_cache(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("CREATE SCHEMA staging; CREATE TABLE staging.t AS SELECT * FROM (VALUES (1, 'a'), (2, NULL), (2, 'c')) v(k, s)")
    first = results(con)
    assert not first["k_unique"].passed and first["k_unique"].severity.value == "ERROR"
    assert first["k_unique"].metadata["unexpected_count"].value == 2
    assert not first["s_not_null"].passed and first["s_not_null"].severity.value == "WARN"
    assert first["k_known"].passed
    assert first["k_unique"].metadata["from_cache"].value is False

    again = results(con)  # unchanged data: served from the cache, same verdicts
    assert again["k_unique"].metadata["from_cache"].value is True
    assert {k: r.passed for k, r in again.items()} == {k: r.passed for k, r in first.items()}

    con.execute("UPDATE staging.t SET k = 3, s = 'b' WHERE s IS NULL")  # fix the data
    fixed = results(con)
    assert fixed["k_unique"].metadata["from_cache"].value is False
    assert fixed["k_unique"].passed and fixed["s_not_null"].passed
