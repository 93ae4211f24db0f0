-- meta.build_state: the input fingerprint recorded for every built target (pipelines/builds.py),
-- written in the same transaction as the build. Not published.
CREATE SCHEMA IF NOT EXISTS meta;

CREATE TABLE IF NOT EXISTS meta.build_state (
    table_name VARCHAR PRIMARY KEY,
    fingerprint VARCHAR NOT NULL,
    built_at TIMESTAMP NOT NULL,
    detail JSON
);
