-- raw.thl_cube: every THL cube payload this run used (listing, dimension tree, fact chunks),
-- byte-for-byte as archived, with its provenance. Input: the frame thl_raw_in registered by
-- assets/thl_cubes.py.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE OR REPLACE TABLE raw.thl_cube AS
SELECT
    CAST(spec_key AS VARCHAR)       AS spec_key,
    CAST(measure_key AS VARCHAR)    AS measure_key,
    CAST(kind AS VARCHAR)           AS kind,
    CAST(chunk AS VARCHAR)          AS chunk,
    CAST(url AS VARCHAR)            AS url,
    CAST(params AS JSON)            AS params,
    CAST(status AS INTEGER)         AS status,
    CAST(payload_sha256 AS VARCHAR) AS payload_sha256,
    CAST(size AS BIGINT)            AS size,
    CAST(fetched_at AS TIMESTAMP)   AS fetched_at,
    CAST(is_synthetic AS BOOLEAN)   AS is_synthetic,
    CAST(listed AS BOOLEAN)         AS listed,
    CAST(body AS VARCHAR)           AS body
FROM thl_raw_in
ORDER BY spec_key, kind, chunk;

COMMENT ON TABLE raw.thl_cube IS 'THL cube payloads (sampo.thl.fi pivot API) used by the last run: listing, JSONP dimension trees and JSON-stat fact chunks per cube spec, with their archive provenance. Bodies are exactly as received.';
COMMENT ON COLUMN raw.thl_cube.spec_key IS 'Cube spec (pipelines/cube_specs/<spec_key>.toml) the payload was fetched for.';
COMMENT ON COLUMN raw.thl_cube.measure_key IS 'Catalogue measure the spec feeds, e.g. 2.1.1-01.';
COMMENT ON COLUMN raw.thl_cube.kind IS 'listing (/api/{subject}.json), dimensions (.dimensions.json, JSONP) or fact (.json, JSON-stat).';
COMMENT ON COLUMN raw.thl_cube.chunk IS 'Code of the chunk node a fact request covers (e.g. the year); NULL for listing and dimensions.';
COMMENT ON COLUMN raw.thl_cube.url IS 'Request URL without query string.';
COMMENT ON COLUMN raw.thl_cube.params IS 'Query parameters in request order as [[name, value], ...]: the row/column/filter node selectors.';
COMMENT ON COLUMN raw.thl_cube.status IS 'HTTP status of the accepted answer (200).';
COMMENT ON COLUMN raw.thl_cube.payload_sha256 IS 'sha256 of the body: its key in the raw archive (objects/<sha[:2]>/<sha>).';
COMMENT ON COLUMN raw.thl_cube.size IS 'Body size in bytes.';
COMMENT ON COLUMN raw.thl_cube.fetched_at IS 'When the body was fetched (UTC), from the archive manifest.';
COMMENT ON COLUMN raw.thl_cube.is_synthetic IS 'True when the payload is synthetic sample data (manifest synthetic flag), not an official THL statistic.';
COMMENT ON COLUMN raw.thl_cube.listed IS 'Listing rows only: whether the spec''s fact appears in the subject listing (a cube missing there may still answer).';
COMMENT ON COLUMN raw.thl_cube.body IS 'The payload text (UTF-8) exactly as received.';
