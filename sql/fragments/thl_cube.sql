-- fragments.thl_cube: the THL cube measures in the marts.measure_values contract
-- (pipelines/contract.py, sql/fragments/_columns.sql).
-- Every organiser (01-21, 90) and the country (SSS) gets a row for every measure, year of its
-- spec and breakdown: the value, or value NULL with missing_reason:
--   suppressed by source (..)  | the spec's gap reason (years the source did not collect) |
--   no value published (cube has no value; source marker shown when there was one).
-- Regions outside that grid appear only when a cube gives them (e.g. cooperation areas).
-- Inputs: staging.thl_values, staging.thl_nodes (provenance of the dimension tree) and the frame thl_grid_in (spec x region x year x
-- breakdown, with gap reasons) registered by assets/thl_cubes.py.
CREATE SCHEMA IF NOT EXISTS fragments;

CREATE OR REPLACE TABLE fragments.thl_cube AS
WITH grid AS (
    SELECT
        CAST(spec_key AS VARCHAR) AS spec_key, CAST(region_level AS VARCHAR) AS region_level,
        CAST(region_code AS VARCHAR) AS region_code, CAST(year AS INTEGER) AS year,
        CAST(breakdown AS VARCHAR) AS breakdown, CAST(gap_reason AS VARCHAR) AS gap_reason
    FROM thl_grid_in
),
spec AS (
    SELECT
        CAST(spec_key AS VARCHAR) AS spec_key, CAST(measure_key AS VARCHAR) AS measure_key,
        CAST(objective_key AS VARCHAR) AS objective_key, CAST(source_ref AS VARCHAR) AS source_ref,
        CAST(unit AS VARCHAR) AS unit
    FROM thl_spec_in
),
-- provenance of rows with no value: the dimension tree that shows the cube has no such cell
tree AS (
    SELECT spec_key, min(payload_sha256) AS payload_sha256, max(fetched_at) AS fetched_at, bool_or(is_synthetic) AS is_synthetic
    FROM staging.thl_nodes
    GROUP BY spec_key
),
keys AS (
    SELECT spec_key, region_level, region_code, year, breakdown FROM grid
    UNION
    SELECT spec_key, region_level, region_code, year, breakdown FROM staging.thl_values
)
SELECT
    s.measure_key,
    s.objective_key,
    k.region_level,
    k.region_code,
    k.year,
    s.source_ref,
    k.breakdown,
    'total' AS breakdown_detail,
    v.value,
    CAST(NULL AS VARCHAR) AS value_text,
    s.unit,
    coalesce(v.is_suppressed, false) AS is_suppressed,
    CASE
        WHEN v.value IS NOT NULL THEN NULL
        WHEN v.is_suppressed THEN 'suppressed by source (..)'
        WHEN g.gap_reason IS NOT NULL THEN g.gap_reason
        WHEN v.other_markers IS NOT NULL THEN 'no value published (source marker ' || v.other_markers || ')'
        ELSE 'no value published'
    END AS missing_reason,
    'derived' AS value_origin,
    coalesce(v.is_synthetic, t.is_synthetic, false) AS is_synthetic,
    'thl_cube' AS source,
    coalesce(v.payload_sha256, t.payload_sha256) AS payload_sha256,
    coalesce(v.fetched_at, t.fetched_at) AS fetched_at
FROM keys k
JOIN spec s ON s.spec_key = k.spec_key
LEFT JOIN staging.thl_values v
    ON v.spec_key = k.spec_key AND v.region_level = k.region_level AND v.region_code = k.region_code
   AND v.year = k.year AND v.breakdown = k.breakdown
LEFT JOIN grid g
    ON g.spec_key = k.spec_key AND g.region_level = k.region_level AND g.region_code = k.region_code
   AND g.year = k.year AND g.breakdown = k.breakdown
LEFT JOIN tree t ON t.spec_key = k.spec_key
ORDER BY s.measure_key, k.region_level, k.region_code, k.year, k.breakdown;

COMMENT ON TABLE fragments.thl_cube IS 'THL database-report measures (2.1.1-01, 2.1.1-03) in the measure_values contract: every organiser and the country for each spec year and breakdown, values derived from the cube periods, explicit NULL rows with missing_reason.';
