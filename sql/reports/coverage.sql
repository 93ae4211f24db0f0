-- Coverage of all catalogue measures for the report index (read by pipelines/reports/data.py).
SELECT measure_key, objective_key, measure_text_en, status, source, reported_level, latest_year, units_covered,
       units_expected, has_data, any_synthetic
FROM marts.measure_coverage
ORDER BY measure_key
