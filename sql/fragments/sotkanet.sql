-- fragments.sotkanet: the Sotkanet part of marts.measure_values.
-- Every catalogue indicator x mart region x year of the window x published gender gets a row:
-- the value, or NULL with the reason it is missing (never a silently absent row).
CREATE SCHEMA IF NOT EXISTS fragments;

CREATE OR REPLACE TABLE fragments.sotkanet AS
WITH indicators AS (
    SELECT si.indicator_id, si.measure_key, si.unit, m.objective_key,
           si.range_start, si.range_end, si.genders, st.data_payload_sha256 AS data_sha256,
           st.data_is_synthetic AS data_synthetic, st.data_fetched_at
    FROM reference.sotkanet_indicators si
    LEFT JOIN reference.measures m ON m.measure_key = si.measure_key
    LEFT JOIN staging.sotkanet_indicators st ON st.indicator_id = si.indicator_id
),
mart_regions AS (
    SELECT region_level, region_code, sotkanet_id FROM reference.regions
),
years AS (
    SELECT range AS "year" FROM range($year_start, $year_end + 1)
),
scaffold AS (
    SELECT i.*, r.region_level, r.region_code, r.sotkanet_id, y."year", g.gender
    FROM indicators i
    CROSS JOIN mart_regions r
    CROSS JOIN years y
    CROSS JOIN (SELECT unnest(i2.genders) AS gender, i2.indicator_id FROM indicators i2) g
    WHERE g.indicator_id = i.indicator_id
),
obs AS (
    SELECT o.*, rr.region_level
    FROM staging.sotkanet_observations o
    JOIN reference.regions rr ON rr.sotkanet_id = o.region_id
),
levels_published AS (
    SELECT DISTINCT indicator_id, region_level FROM obs
),
years_published AS (
    SELECT DISTINCT indicator_id, "year" FROM obs WHERE "value" IS NOT NULL
)
SELECT
    s.measure_key,
    s.objective_key,
    s.region_level,
    s.region_code,
    s."year",
    s.indicator_id::VARCHAR AS source_ref,
    s.gender AS breakdown,
    'total' AS breakdown_detail,
    o."value",
    CAST(NULL AS VARCHAR) AS value_text,
    s.unit,
    false AS is_suppressed,
    CASE
        WHEN o."value" IS NOT NULL THEN NULL
        WHEN s.data_sha256 IS NULL THEN 'not fetched: no data payload for indicator ' || s.indicator_id
        WHEN s."year" NOT BETWEEN s.range_start AND s.range_end
            THEN 'not published: indicator ' || s.indicator_id || ' covers ' || s.range_start || '-' || s.range_end
        WHEN s.sotkanet_id IS NULL THEN 'region not in the Sotkanet region list'
        WHEN yp.indicator_id IS NULL THEN 'not published for ' || s."year" || ': indicator ' || s.indicator_id || ' has no value for any region that year'
        WHEN lp.indicator_id IS NULL THEN 'not published at this level: Sotkanet gives no ' || replace(s.region_level, '_', ' ') || ' figure for indicator ' || s.indicator_id
        ELSE 'no value published for this region and year'
    END AS missing_reason,
    'source' AS value_origin,
    coalesce(o.is_synthetic, s.data_synthetic) AS is_synthetic,
    'sotkanet' AS source,
    coalesce(o.payload_sha256, s.data_sha256) AS payload_sha256,
    coalesce(o.fetched_at, s.data_fetched_at) AS fetched_at
FROM scaffold s
LEFT JOIN obs o
  ON o.indicator_id = s.indicator_id AND o.region_id = s.sotkanet_id AND o."year" = s."year" AND o.gender = s.gender
LEFT JOIN levels_published lp
  ON lp.indicator_id = s.indicator_id AND lp.region_level = s.region_level
LEFT JOIN years_published yp
  ON yp.indicator_id = s.indicator_id AND yp."year" = s."year";

COMMENT ON TABLE fragments.sotkanet IS 'Sotkanet rows of marts.measure_values (same columns and key); includes explicit missing rows.';
