-- meta.check_results: the last results of each great-expectations suite, shown again while the
-- suite's data and definition are unchanged (quality/gx_bridge.py). Not published.
CREATE SCHEMA IF NOT EXISTS meta;

CREATE TABLE IF NOT EXISTS meta.check_results (
    suite VARCHAR PRIMARY KEY,
    fingerprint VARCHAR NOT NULL,
    checked_at TIMESTAMP NOT NULL,
    results JSON NOT NULL
);
