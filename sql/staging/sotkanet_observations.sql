-- staging.sotkanet_observations: every data row of every fetched indicator, typed, in one bulk read.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE OR REPLACE TABLE staging.sotkanet_observations AS
WITH obs AS (
    SELECT indicator, region, "year", gender, "value", absValue, filename
    FROM read_json($paths, format = 'array', filename = true, columns = {
        indicator: 'INTEGER', region: 'INTEGER', "year": 'INTEGER', gender: 'VARCHAR',
        "value": 'DOUBLE', absValue: 'DOUBLE'
    })
)
SELECT
    o.indicator AS indicator_id,
    o.region AS region_id,
    r.category AS region_category,
    r.code AS region_code_source,
    o."year" AS "year",
    o.gender,
    o."value" AS "value",
    o.absValue AS abs_value,
    p.sha256 AS payload_sha256,
    p.fetched_at,
    p.synthetic AS is_synthetic,
    p.indicator_id AS requested_indicator_id
FROM obs o
JOIN raw.sotkanet_payloads p ON p.path = o.filename AND p.kind = 'data'
LEFT JOIN staging.sotkanet_regions r ON r.region_id = o.region;

COMMENT ON TABLE staging.sotkanet_observations IS 'Sotkanet data rows of every fetched indicator, all regions and categories. Key: indicator_id, region_id, year, gender. Value and absolute value are NULL when not given.';
COMMENT ON COLUMN staging.sotkanet_observations.indicator_id IS 'Indicator id as given in the row.';
COMMENT ON COLUMN staging.sotkanet_observations.region_id IS 'Sotkanet region id.';
COMMENT ON COLUMN staging.sotkanet_observations.region_category IS 'Category of the region from /regions (NULL when /regions does not list the id).';
COMMENT ON COLUMN staging.sotkanet_observations.region_code_source IS 'Sotkanet region code (text).';
COMMENT ON COLUMN staging.sotkanet_observations."year" IS 'Year.';
COMMENT ON COLUMN staging.sotkanet_observations.gender IS 'male, female or total.';
COMMENT ON COLUMN staging.sotkanet_observations."value" IS 'Primary value in the indicator''s unit; NULL when missing.';
COMMENT ON COLUMN staging.sotkanet_observations.abs_value IS 'Absolute number behind a rate; NULL when not given.';
COMMENT ON COLUMN staging.sotkanet_observations.payload_sha256 IS 'Archived body the row came from.';
COMMENT ON COLUMN staging.sotkanet_observations.fetched_at IS 'When that body was fetched (UTC).';
COMMENT ON COLUMN staging.sotkanet_observations.is_synthetic IS 'True for bundled synthetic sample values.';
COMMENT ON COLUMN staging.sotkanet_observations.requested_indicator_id IS 'Indicator the request asked for (must equal indicator_id).';
