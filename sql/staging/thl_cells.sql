-- staging.thl_cells: every cell of every fact chunk, normalised from JSON-stat
-- (pipelines.sources.jsonstat) with the spec's dimension roles. Empty cells are rows too.
-- Input: frame thl_cells_in registered by assets/thl_cubes.py.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE OR REPLACE TABLE staging.thl_cells AS
SELECT
    CAST(spec_key AS VARCHAR)        AS spec_key,
    CAST(measure_key AS VARCHAR)     AS measure_key,
    CAST(payload_sha256 AS VARCHAR)  AS payload_sha256,
    CAST(chunk AS VARCHAR)           AS chunk,
    CAST(cell_index AS BIGINT)       AS cell_index,
    CAST(region_sid AS VARCHAR)      AS region_sid,
    CAST(region_label AS VARCHAR)    AS region_label,
    CAST(region_code AS VARCHAR)     AS region_code,
    CAST(region_stage AS VARCHAR)    AS region_stage,
    CAST(time_sid AS VARCHAR)        AS time_sid,
    CAST(time_label AS VARCHAR)      AS time_label,
    CAST(time_code AS VARCHAR)       AS time_code,
    CAST(time_stage AS VARCHAR)      AS time_stage,
    CAST(breakdown_sid AS VARCHAR)   AS breakdown_sid,
    CAST(breakdown_label AS VARCHAR) AS breakdown_label,
    CAST(breakdown_code AS VARCHAR)  AS breakdown_code,
    CAST(breakdown_stage AS VARCHAR) AS breakdown_stage,
    CAST(measure_sid AS VARCHAR)     AS measure_sid,
    CAST(measure_label AS VARCHAR)   AS measure_label,
    CAST(coordinates AS JSON)        AS coordinates,
    CAST(value_text AS VARCHAR)      AS value_text,
    CAST(value AS DOUBLE)            AS value,
    CAST(is_suppressed AS BOOLEAN)   AS is_suppressed,
    CAST(fetched_at AS TIMESTAMP)    AS fetched_at,
    CAST(is_synthetic AS BOOLEAN)    AS is_synthetic
FROM thl_cells_in
ORDER BY spec_key, payload_sha256, cell_index;

COMMENT ON TABLE staging.thl_cells IS 'Long table of THL cube cells: one row per cell of each fact chunk (empty cells included), with sid, label, code and stage of the region, time, breakdown and measure nodes, the raw value text, the parsed number and a suppression flag. Key: spec_key, payload_sha256, cell_index.';
COMMENT ON COLUMN staging.thl_cells.spec_key IS 'Cube spec (pipelines/cube_specs/<spec_key>.toml).';
COMMENT ON COLUMN staging.thl_cells.measure_key IS 'Catalogue measure the spec feeds.';
COMMENT ON COLUMN staging.thl_cells.payload_sha256 IS 'Archive key of the JSON-stat payload the cell came from.';
COMMENT ON COLUMN staging.thl_cells.chunk IS 'Code of the chunk node of the request (e.g. year).';
COMMENT ON COLUMN staging.thl_cells.cell_index IS 'Row-major flat index of the cell in its payload.';
COMMENT ON COLUMN staging.thl_cells.region_sid IS 'sid of the region/provider node (spec region.dimension).';
COMMENT ON COLUMN staging.thl_cells.region_label IS 'Label of the region/provider node.';
COMMENT ON COLUMN staging.thl_cells.region_code IS 'THL code of the region/provider node (not yet the canonical region code: see staging.thl_region_map).';
COMMENT ON COLUMN staging.thl_cells.region_stage IS 'Stage of the region/provider node (root, hyvinvointialue, tuottajayksikko, ...).';
COMMENT ON COLUMN staging.thl_cells.time_sid IS 'sid of the time node.';
COMMENT ON COLUMN staging.thl_cells.time_label IS 'Label of the time node.';
COMMENT ON COLUMN staging.thl_cells.time_code IS 'Code of the time node (e.g. 202404; year nodes 2024).';
COMMENT ON COLUMN staging.thl_cells.time_stage IS 'Stage of the time node: the spec period stage, or a parent appended as a total.';
COMMENT ON COLUMN staging.thl_cells.breakdown_sid IS 'sid of the breakdown node (e.g. professional group); NULL when the spec has no breakdown.';
COMMENT ON COLUMN staging.thl_cells.breakdown_label IS 'Label of the breakdown node.';
COMMENT ON COLUMN staging.thl_cells.breakdown_code IS 'Code of the breakdown node.';
COMMENT ON COLUMN staging.thl_cells.breakdown_stage IS 'Stage of the breakdown node (root = all groups).';
COMMENT ON COLUMN staging.thl_cells.measure_sid IS 'sid of the measure node.';
COMMENT ON COLUMN staging.thl_cells.measure_label IS 'Label of the measure node.';
COMMENT ON COLUMN staging.thl_cells.coordinates IS 'Every dimension of the cell as [{dimension, sid, label, code, stage}], including fixed levels and extras such as tiku_vtype.';
COMMENT ON COLUMN staging.thl_cells.value_text IS 'Value exactly as THL sent it (text; may use a decimal comma or a marker such as ..); NULL for an empty cell.';
COMMENT ON COLUMN staging.thl_cells.value IS 'Parsed number; NULL when empty, suppressed or another non-numeric marker.';
COMMENT ON COLUMN staging.thl_cells.is_suppressed IS 'True when value_text is a suppression marker of the spec (default ..).';
COMMENT ON COLUMN staging.thl_cells.fetched_at IS 'When the payload was fetched (UTC).';
COMMENT ON COLUMN staging.thl_cells.is_synthetic IS 'True when the payload is synthetic sample data.';
