-- Trend per measure and source_ref (total breakdowns): the whole-country value and the spread of
-- the units the measure is reported for (organisers, or cooperation areas) per year
-- (read by pipelines/reports/data.py).
WITH units AS (
    SELECT o.*,
           CASE WHEN m.reported_level = 'cooperation_area' THEN o.region_level = 'cooperation_area'
                ELSE o.is_organiser END AND NOT o.is_not_comparable AS is_unit
    FROM marts.objective_region_year o
    JOIN reference.measures m USING (measure_key)
    WHERE o.breakdown = 'total' AND o.breakdown_detail = 'total'
)
SELECT measure_key, source_ref, year,
       max(value) FILTER (WHERE region_level = 'country') AS national_value,
       median(value) FILTER (WHERE is_unit) AS organiser_median,
       min(value) FILTER (WHERE is_unit) AS organiser_min,
       max(value) FILTER (WHERE is_unit) AS organiser_max,
       count(value) FILTER (WHERE is_unit) AS organisers_with_value
FROM units
GROUP BY measure_key, source_ref, year
ORDER BY measure_key, source_ref, year
