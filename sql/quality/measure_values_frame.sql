-- Frame validated by the measure_values suite: the mart plus row-level facts computed against
-- the reference tables (GX validates frames, so joins happen here).
SELECT
    mv.*,
    rr.region_code IS NOT NULL AS region_known,
    u.unit IS NOT NULL AS unit_known,
    (m.measure_key IS NOT NULL OR mv.measure_key LIKE 'sotkanet:%') AS measure_known,
    -- a measure may override its unit's range (reference.measures.value_min/value_max)
    (mv."value" IS NULL OR ((coalesce(m.value_min, u.min_value) IS NULL OR mv."value" >= coalesce(m.value_min, u.min_value))
                            AND (coalesce(m.value_max, u.max_value) IS NULL OR mv."value" <= coalesce(m.value_max, u.max_value)))) AS value_in_unit_range,
    (mv."value" IS NOT NULL OR mv.value_text IS NOT NULL OR mv.missing_reason IS NOT NULL) AS missing_explained,
    (NOT mv.is_suppressed OR mv."value" IS NULL) AS suppressed_is_null,
    count(DISTINCT CASE WHEN rr.is_organiser THEN mv.region_code END)
        OVER (PARTITION BY mv.measure_key, mv.source_ref, mv."year", mv.breakdown, mv.breakdown_detail) AS organisers_present
FROM marts.measure_values mv
LEFT JOIN reference.regions rr ON rr.region_level = mv.region_level AND rr.region_code = mv.region_code
LEFT JOIN reference.units u ON u.unit = mv.unit
LEFT JOIN reference.measures m ON m.measure_key = mv.measure_key
