-- fragments.curated: curated measures in the measure_values contract. For every measure and year a
-- delivery covers, every unit of the reported level (22 organisers, or the 5 cooperation areas plus
-- the 22 organisers as explicit gaps) and the country get a row: the value, or NULL with the reason.
-- Inputs: staging.curated, reference.measures, reference.regions.
CREATE SCHEMA IF NOT EXISTS fragments;

CREATE OR REPLACE TABLE fragments.curated AS
WITH
covered AS (
    SELECT DISTINCT c.measure_key, c.year, m.objective_key, m.unit, m.reported_level
    FROM staging.curated c
    JOIN reference.measures m USING (measure_key)
),
units AS (
    SELECT 'organiser' AS reported_level, region_level, region_code FROM reference.regions
    WHERE region_level = 'wellbeing_area' AND is_organiser
    UNION ALL
    SELECT 'cooperation_area', region_level, region_code FROM reference.regions WHERE region_level = 'cooperation_area'
    UNION ALL
    -- Area-level measures still give every organiser an explicit row pointing at its area.
    SELECT 'cooperation_area', region_level, region_code FROM reference.regions
    WHERE region_level = 'wellbeing_area' AND is_organiser
    UNION ALL
    SELECT reported_level, 'country', 'SSS' FROM (VALUES ('organiser'), ('cooperation_area')) v(reported_level)
),
expected AS (
    SELECT cv.*, u.region_level, u.region_code
    FROM covered cv
    JOIN units u USING (reported_level)
),
-- Delivered rows at other levels (e.g. an organiser row for an area measure) are kept as delivered.
delivered_keys AS (
    SELECT measure_key, year, region_level, region_code FROM staging.curated
),
grid AS (
    SELECT measure_key, year, objective_key, unit, reported_level, region_level, region_code FROM expected
    UNION
    SELECT c.measure_key, c.year, m.objective_key, m.unit, m.reported_level, c.region_level, c.region_code
    FROM delivered_keys c JOIN reference.measures m USING (measure_key)
)
SELECT
    g.measure_key,
    g.objective_key,
    g.region_level,
    g.region_code,
    g.year,
    g.measure_key                                   AS source_ref,
    'total'                                         AS breakdown,
    'total'                                         AS breakdown_detail,
    c.value,
    c.value_text,
    g.unit,
    false                                           AS is_suppressed,
    CASE WHEN c.measure_key IS NULL AND g.reported_level = 'cooperation_area' AND g.region_level = 'wellbeing_area'
             THEN 'reported per cooperation area: see the cooperation_area row'
         WHEN c.measure_key IS NULL THEN 'not in the curated deliveries for this year'
         WHEN c.value IS NULL THEN coalesce(c.missing_reason, 'not given in the curated delivery') END
                                                    AS missing_reason,
    'source'                                        AS value_origin,
    coalesce(c.is_synthetic, s.all_synthetic)       AS is_synthetic,
    'curated'                                       AS source,
    c.delivery_sha256                               AS payload_sha256,
    c.received_at                                   AS fetched_at
FROM grid g
LEFT JOIN staging.curated c USING (measure_key, year, region_level, region_code)
-- A gap row is synthetic when every delivered row of that measure and year is.
LEFT JOIN (SELECT measure_key, year, bool_and(is_synthetic) AS all_synthetic FROM staging.curated GROUP BY ALL) s
  USING (measure_key, year)
ORDER BY g.measure_key, g.region_level, g.region_code, g.year;

COMMENT ON TABLE fragments.curated IS 'Curated measures (assessments, finance figures from the curated file) in the measure_values contract, with explicit gap rows for every organiser (or cooperation area) and the country in each measure-year a delivery covers.';
