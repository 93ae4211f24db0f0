-- Scorecard rows of every organiser and measure (read by pipelines/reports/data.py).
SELECT objective_key, measure_key, region_code, region_name_fi, region_name_en, latest_year, source_ref,
       measure_text_fi, measure_text_en, measure_status, reported_level, direction, unit, value, value_text,
       cooperation_area_code, cooperation_area_value, cooperation_area_value_method,
       national_value, difference_to_national, rank_among_organisers, rank_n, previous_year_value,
       change_from_previous_year, is_missing, is_not_comparable, missing_reason, caveat_severity,
       caveat_text_en, is_synthetic
FROM marts.region_scorecard
ORDER BY objective_key, measure_key, region_code
