-- Changes since the previous publication, for the report's changes page (pipelines/reports/data.py):
-- every value of marts.measure_values that differs from the published serving file (attached as
-- {{previous}}), the rule of sql/marts/value_revisions.sql, with measure and region names.
SELECT
    n.measure_key, m.text_en AS measure_text_en, n.source_ref, n.region_level, n.region_code,
    coalesce(g.name_en, n.region_code) AS region_name_en, n.year, n.breakdown, n.breakdown_detail,
    coalesce(sr.unit_label_en, u.label_en, n.unit) AS unit_label_en,
    o.value AS old_value, n.value AS new_value, o.value_text AS old_value_text, n.value_text AS new_value_text,
    o.payload_sha256 AS old_payload_sha256, n.payload_sha256 AS new_payload_sha256
FROM marts.measure_values n
JOIN {{previous}}.marts.measure_values o
  USING (measure_key, source_ref, region_level, region_code, year, breakdown, breakdown_detail)
LEFT JOIN reference.measures m USING (measure_key)
LEFT JOIN reference.regions g USING (region_level, region_code)
LEFT JOIN reference.measure_source_refs sr USING (measure_key, source_ref)
LEFT JOIN reference.units u ON u.unit = n.unit
WHERE (n.value IS DISTINCT FROM o.value
       AND NOT coalesce(abs(n.value - o.value) <= 1e-9 * greatest(abs(o.value), 1), false))
   OR n.value_text IS DISTINCT FROM o.value_text
ORDER BY n.measure_key, n.source_ref, n.region_level, n.region_code, n.year, n.breakdown, n.breakdown_detail
