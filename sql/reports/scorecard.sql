-- Scorecard rows of every organiser and measure (read by pipelines/reports/data.py), with the
-- display values, unit labels, the cooperation area's name and the progress since the baseline.
SELECT s.objective_key, s.measure_key, s.region_code, s.region_name_fi, s.region_name_en, s.latest_year, s.source_ref,
       s.measure_text_fi, s.measure_text_en, s.measure_status, s.reported_level, s.direction, s.unit, s.unit_label_en,
       s.value, s.value_display, s.value_text,
       s.cooperation_area_code, a.name_en AS cooperation_area_name_en, s.cooperation_area_value,
       s.cooperation_area_value_display, s.cooperation_area_value_method,
       s.national_value, s.national_value_display, s.difference_to_national, s.difference_to_national_display,
       s.rank_among_organisers, s.rank_n, s.previous_year_value, s.previous_year_value_display,
       s.change_from_previous_year, s.change_from_previous_year_display,
       s.baseline_year, s.change_since_baseline_display, s.trend_direction, s.trend_source_ref,
       s.is_missing, s.is_not_comparable, s.missing_reason, s.caveat_severity, s.caveat_text_en, s.is_synthetic
FROM marts.region_scorecard s
LEFT JOIN reference.regions a ON a.region_level = 'cooperation_area' AND a.region_code = s.cooperation_area_code
ORDER BY s.objective_key, s.measure_key, s.region_code
