-- marts.objective_region_year: every catalogue measure value per region and year, side by side
-- with the whole country, the cooperation area of the region, the rank among the 22 organisers and
-- the previous year, and progress since the baseline ($baseline_year, the year before the objective
-- period 2023-2026). Keyed like marts.measure_values (plus objective_key).
-- Derived source refs (reference.measure_source_refs.derivation) are computed here from their
-- derived_from figure: need_adjusted = value / the region's THL need coefficient
-- (reference.need_coefficients), need_index = need-adjusted value / the whole country's x 100.
-- Every figure has an exact value and a display twin rounded to the published decimals (see
-- display_round below and docs/data_dictionary.md); totals are not compared with the country.
-- Inputs: marts.measure_values, reference.measures, reference.regions, reference.caveats,
-- reference.population, reference.measure_source_refs, reference.units, reference.sotkanet_indicators,
-- reference.need_coefficients, staging.thl_nodes.
CREATE SCHEMA IF NOT EXISTS marts;

-- Round half away from zero to d decimals. The scaled value is first rounded to 9 decimals so
-- that binary noise (2.675 is stored as 2.67499999999999982...) cannot turn a half into a round-down.
CREATE OR REPLACE TEMP MACRO display_round(v, d) AS
    sign(v) * floor(round(abs(v) * pow(10, d), 9) + 0.5) / pow(10, d) + 0.0;  -- + 0.0 turns -0.0 into 0.0

CREATE OR REPLACE TABLE marts.objective_region_year AS
WITH
-- Units that are rates: an area figure is the population-weighted mean of its members.
rate_units AS (
    SELECT unnest(['percent', 'per_1000', 'per_10000', 'per_100000', 'index', 'eur_per_inhabitant',
                   'days_per_person_year', 'ratio']) AS unit
),
-- Units that add up: an area figure is the sum of its members.
sum_units AS (
    SELECT unnest(['count', 'eur', 'person_years']) AS unit
),
-- Decimals the source publishes: Sotkanet's per indicator, the cube's per measure node.
source_decimals AS (
    SELECT 'sotkanet' AS source, CAST(indicator_id AS VARCHAR) AS source_ref, max(decimals) AS decimals
    FROM reference.sotkanet_indicators
    WHERE decimals IS NOT NULL
    GROUP BY ALL
    UNION ALL
    SELECT 'thl_cube' AS source, sid AS source_ref, max(decimals) AS decimals
    FROM staging.thl_nodes
    WHERE dimension = 'measure' AND decimals IS NOT NULL
    GROUP BY ALL
),
-- The comparable twin of a measure's totals: its first rate (or grade) source_ref in catalogue order.
comparable_twins AS (
    SELECT measure_key, first(source_ref ORDER BY NOT is_headline, source_ref) AS twin_source_ref,
           first(unit_label_en ORDER BY NOT is_headline, source_ref) AS twin_unit_label_en
    FROM reference.measure_source_refs
    WHERE comparison_basis NOT IN ('total', 'ranked_list')
    GROUP BY measure_key
),
organisers AS (
    SELECT region_code, cooperation_area_code
    FROM reference.regions
    WHERE region_level = 'wellbeing_area' AND is_organiser
),
members_per_area AS (
    SELECT cooperation_area_code, count(*) AS members_expected
    FROM organisers
    GROUP BY cooperation_area_code
),
-- Catalogue measures only, at the three comparable levels (municipalities stay in measure_values).
catalogue_values AS (
    SELECT mv.*
    FROM marts.measure_values mv
    JOIN reference.measures m USING (measure_key)
    WHERE mv.region_level IN ('wellbeing_area', 'country', 'cooperation_area')
),
source_area_values AS (
    SELECT measure_key, source_ref, year, breakdown, breakdown_detail, region_code AS cooperation_area_code, value
    FROM catalogue_values
    WHERE region_level = 'cooperation_area' AND value IS NOT NULL
),
member_values AS (
    SELECT cv.measure_key, cv.objective_key, cv.source_ref, cv.year, cv.breakdown, cv.breakdown_detail, cv.unit,
           o.cooperation_area_code, cv.value, p.population, cv.is_synthetic, cv.source,
           coalesce(p.is_synthetic, false) AS population_is_synthetic
    FROM catalogue_values cv
    JOIN organisers o ON cv.region_level = 'wellbeing_area' AND cv.region_code = o.region_code
    LEFT JOIN reference.population p
      ON p.region_level = 'wellbeing_area' AND p.region_code = cv.region_code AND p.year = cv.year
),
-- Area figure computed from members; only when every member organiser has a value (and, for
-- rates, a population): a partial area would not be comparable with the other areas.
derived_area_values AS (
    SELECT mv.measure_key, any_value(mv.objective_key) AS objective_key, mv.source_ref, mv.year,
           mv.breakdown, mv.breakdown_detail, mv.unit, mv.cooperation_area_code,
           CASE
               WHEN mv.unit IN (SELECT unit FROM rate_units)
                    AND count(mv.value * mv.population) = any_value(a.members_expected)
                   THEN sum(mv.value * mv.population) / nullif(sum(mv.population), 0)
               WHEN mv.unit IN (SELECT unit FROM sum_units)
                    AND count(mv.value) = any_value(a.members_expected)
                   THEN sum(mv.value)
           END AS value,
           CASE
               WHEN mv.unit IN (SELECT unit FROM rate_units)
                    AND count(mv.value * mv.population) = any_value(a.members_expected) THEN 'population_weighted'
               WHEN mv.unit IN (SELECT unit FROM sum_units)
                    AND count(mv.value) = any_value(a.members_expected) THEN 'sum'
           END AS method,
           -- a weighted figure is synthetic when any member value or any weight (population) is
           bool_or(mv.is_synthetic OR (mv.unit IN (SELECT unit FROM rate_units) AND mv.population_is_synthetic))
               AS is_synthetic,
           any_value(mv.source) AS source
    FROM member_values mv
    JOIN members_per_area a USING (cooperation_area_code)
    GROUP BY mv.measure_key, mv.source_ref, mv.year, mv.breakdown, mv.breakdown_detail, mv.unit, mv.cooperation_area_code
),
-- Derived area rows are added where the source has no value for that area: a source row without a
-- value (e.g. Sotkanet not publishing the level) gives way to a derived value; without a derived
-- value the source's row and its missing_reason stay.
derived_area_rows AS (
    SELECT d.measure_key, d.objective_key, 'cooperation_area' AS region_level, d.cooperation_area_code AS region_code,
           d.year, d.source_ref, d.breakdown, d.breakdown_detail, d.value, CAST(NULL AS VARCHAR) AS value_text, d.unit,
           false AS is_suppressed,
           CASE WHEN d.value IS NULL THEN 'not every member organiser has a value' END AS missing_reason,
           'derived' AS value_origin, d.is_synthetic, d.source,
           CAST(NULL AS VARCHAR) AS payload_sha256, CAST(NULL AS TIMESTAMP) AS fetched_at
    FROM derived_area_values d
    WHERE d.method IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM catalogue_values cv
        WHERE cv.region_level = 'cooperation_area' AND cv.region_code = d.cooperation_area_code
          AND cv.measure_key = d.measure_key AND cv.source_ref = d.source_ref AND cv.year = d.year
          AND cv.breakdown = d.breakdown AND cv.breakdown_detail = d.breakdown_detail
          AND (cv.value IS NOT NULL OR d.value IS NULL))
),
all_rows AS (
    SELECT measure_key, objective_key, region_level, region_code, year, source_ref, breakdown, breakdown_detail,
           value, value_text, unit, is_suppressed, missing_reason, value_origin, is_synthetic, source,
           payload_sha256, fetched_at
    FROM catalogue_values cv
    WHERE NOT EXISTS (
        SELECT 1 FROM derived_area_rows d
        WHERE cv.region_level = 'cooperation_area' AND d.region_code = cv.region_code
          AND d.measure_key = cv.measure_key AND d.source_ref = cv.source_ref AND d.year = cv.year
          AND d.breakdown = cv.breakdown AND d.breakdown_detail = cv.breakdown_detail)
    UNION ALL
    SELECT measure_key, objective_key, region_level, region_code, year, source_ref, breakdown, breakdown_detail,
           value, value_text, unit, is_suppressed, missing_reason, value_origin, is_synthetic, source,
           payload_sha256, fetched_at
    FROM derived_area_rows
),
-- Need adjustment: each derived source ref from its base figure and the region's need coefficient.
need_refs AS (
    SELECT measure_key, source_ref, derived_from, derivation, unit
    FROM reference.measure_source_refs
    WHERE derivation IN ('need_adjusted', 'need_index')
),
need_years AS (
    SELECT DISTINCT year FROM reference.need_coefficients
),
need_base AS (
    SELECT r.*, nr.source_ref AS need_source_ref, nr.derivation, nr.unit AS need_unit, k.need_coefficient,
           r.year IN (SELECT year FROM need_years) AS year_has_coefficients
    FROM all_rows r
    JOIN need_refs nr ON nr.measure_key = r.measure_key AND nr.derived_from = r.source_ref
    LEFT JOIN reference.need_coefficients k
      ON k.region_level = r.region_level AND k.region_code = r.region_code AND k.year = r.year
),
need_national AS (
    SELECT measure_key, need_source_ref, year, breakdown, breakdown_detail, value / need_coefficient AS adjusted
    FROM need_base
    WHERE region_level = 'country' AND region_code = 'SSS'
),
need_rows AS (
    SELECT b.measure_key, b.objective_key, b.region_level, b.region_code, b.year, b.need_source_ref AS source_ref,
           b.breakdown, b.breakdown_detail,
           CASE b.derivation
               WHEN 'need_adjusted' THEN b.value / b.need_coefficient
               WHEN 'need_index' THEN 100.0 * (b.value / b.need_coefficient) / nullif(n.adjusted, 0)
           END AS value,
           CAST(NULL AS VARCHAR) AS value_text, b.need_unit AS unit, b.is_suppressed,
           CASE
               WHEN b.value IS NULL THEN b.missing_reason
               WHEN NOT b.year_has_coefficients
                   THEN 'no THL need coefficient for ' || b.year || ' or an earlier year (reference.need_coefficients)'
               WHEN b.need_coefficient IS NULL THEN 'THL publishes no need coefficient for this region'
               WHEN b.derivation = 'need_index' AND n.adjusted IS NULL
                   THEN 'no whole-country need-adjusted figure for ' || b.year
           END AS missing_reason,
           'derived' AS value_origin, b.is_synthetic, b.source, b.payload_sha256, b.fetched_at
    FROM need_base b
    LEFT JOIN need_national n
      ON n.measure_key = b.measure_key AND n.need_source_ref = b.need_source_ref AND n.year = b.year
     AND n.breakdown = b.breakdown AND n.breakdown_detail = b.breakdown_detail
),
all_values AS (
    SELECT * FROM all_rows
    UNION ALL
    SELECT * FROM need_rows
),
-- Progress: the baseline of each series is the baseline year, or the first later year with a value.
baseline AS (
    SELECT measure_key, source_ref, region_level, region_code, breakdown, breakdown_detail,
           min(year) AS baseline_year, arg_min(value, year) AS baseline_value, count(*) AS years_with_data
    FROM all_values
    WHERE value IS NOT NULL AND year >= $baseline_year
    GROUP BY ALL
),
with_labels AS (
    SELECT r.*,
           coalesce(r.objective_key, m.objective_key) AS objective_key_resolved,
           m.text_fi AS measure_text_fi, m.text_sv AS measure_text_sv, m.text_en AS measure_text_en,
           m.group_fi AS measure_group_fi, coalesce(sr.direction, m.direction) AS direction, m.status AS measure_status,
           sr.no_rank_reason, sr.no_trend_reason,
           u.stable_threshold, u.stable_threshold_kind,
           g.name_fi AS region_name_fi, g.name_sv AS region_name_sv, g.name_en AS region_name_en,
           coalesce(g.is_organiser, false) AS is_organiser,
           CASE r.region_level WHEN 'cooperation_area' THEN r.region_code ELSE g.cooperation_area_code END
               AS cooperation_area_code,
           coalesce(sr.comparison_basis, u.comparison_basis) AS comparison_basis,
           coalesce(sd.decimals, u.decimals) AS decimals,
           coalesce(sr.unit_label_fi, u.label_fi) AS unit_label_fi,
           coalesce(sr.unit_label_sv, u.label_sv) AS unit_label_sv,
           coalesce(sr.unit_label_en, u.label_en) AS unit_label_en
    FROM all_values r
    JOIN reference.measures m USING (measure_key)
    LEFT JOIN reference.regions g USING (region_level, region_code)
    LEFT JOIN reference.measure_source_refs sr ON sr.measure_key = r.measure_key AND sr.source_ref = r.source_ref
    LEFT JOIN reference.units u ON u.unit = r.unit
    LEFT JOIN source_decimals sd ON sd.source = r.source AND sd.source_ref = r.source_ref
),
caveat_matches AS (
    SELECT w.measure_key, w.source_ref, w.region_level, w.region_code, w.year, w.breakdown, w.breakdown_detail,
           bool_or(c.severity = 'not_comparable') AS is_not_comparable,
           max(CASE c.severity WHEN 'not_comparable' THEN 3 WHEN 'warning' THEN 2 ELSE 1 END) AS severity_rank,
           string_agg(c.text_en, ' | ' ORDER BY c.caveat_id) AS caveat_text_en,
           string_agg(coalesce(c.text_fi, c.text_en), ' | ' ORDER BY c.caveat_id) AS caveat_text_fi
    FROM with_labels w
    JOIN reference.caveats c
      ON c.measure_key = w.measure_key
     AND (c.source_ref IS NULL OR c.source_ref = w.source_ref)
     AND (c.region_level IS NULL OR c.region_level = w.region_level)
     AND (c.region_code IS NULL OR c.region_code = w.region_code)
     AND (c.year_from IS NULL OR w.year >= c.year_from)
     AND (c.year_to IS NULL OR w.year <= c.year_to)
    GROUP BY ALL
),
national AS (
    SELECT measure_key, source_ref, year, breakdown, breakdown_detail, value AS national_value
    FROM all_values
    WHERE region_level = 'country' AND region_code = 'SSS'
),
area_reference AS (
    SELECT measure_key, source_ref, year, breakdown, breakdown_detail, cooperation_area_code, value, 'source' AS method
    FROM source_area_values
    UNION ALL
    SELECT d.measure_key, d.source_ref, d.year, d.breakdown, d.breakdown_detail, d.cooperation_area_code, d.value, d.method
    FROM derived_area_values d
    WHERE d.method IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM source_area_values s
        WHERE s.cooperation_area_code = d.cooperation_area_code AND s.measure_key = d.measure_key
          AND s.source_ref = d.source_ref AND s.year = d.year AND s.breakdown = d.breakdown
          AND s.breakdown_detail = d.breakdown_detail)
    UNION ALL
    SELECT measure_key, source_ref, year, breakdown, breakdown_detail, region_code, value, 'need_adjusted'
    FROM need_rows
    WHERE region_level = 'cooperation_area'
),
compared AS (
    SELECT w.*,
           coalesce(cm.is_not_comparable, false) AS is_not_comparable,
           CASE cm.severity_rank WHEN 3 THEN 'not_comparable' WHEN 2 THEN 'warning' WHEN 1 THEN 'info' END
               AS caveat_severity,
           cm.caveat_text_en, cm.caveat_text_fi,
           n.national_value,
           ar.value AS cooperation_area_value,
           ar.method AS cooperation_area_value_method,
           prev.value AS previous_year_value,
           tw.twin_source_ref, tw.twin_unit_label_en,
           b.baseline_year, b.baseline_value, b.years_with_data
    FROM with_labels w
    LEFT JOIN caveat_matches cm USING (measure_key, source_ref, region_level, region_code, year, breakdown, breakdown_detail)
    LEFT JOIN national n USING (measure_key, source_ref, year, breakdown, breakdown_detail)
    LEFT JOIN area_reference ar
      ON ar.measure_key = w.measure_key AND ar.source_ref = w.source_ref AND ar.year = w.year
     AND ar.breakdown = w.breakdown AND ar.breakdown_detail = w.breakdown_detail
     AND ar.cooperation_area_code = w.cooperation_area_code
     AND w.region_level IN ('wellbeing_area', 'cooperation_area')
    LEFT JOIN all_values prev
      ON prev.measure_key = w.measure_key AND prev.source_ref = w.source_ref
     AND prev.region_level = w.region_level AND prev.region_code = w.region_code
     AND prev.year = w.year - 1 AND prev.breakdown = w.breakdown AND prev.breakdown_detail = w.breakdown_detail
    LEFT JOIN comparable_twins tw ON tw.measure_key = w.measure_key
    LEFT JOIN baseline b
      ON b.measure_key = w.measure_key AND b.source_ref = w.source_ref AND b.region_level = w.region_level
     AND b.region_code = w.region_code AND b.breakdown = w.breakdown AND b.breakdown_detail = w.breakdown_detail
),
-- Compared: a figure whose basis allows comparison across regions (not a total or a list entry).
-- Rankable: the compared, non-missing value of a measure with a direction of good.
ranked AS (
    SELECT c.*,
           coalesce(c.comparison_basis NOT IN ('total', 'ranked_list'), true) AS is_compared,
           (c.region_level = 'wellbeing_area' AND c.is_organiser AND c.value IS NOT NULL
            AND c.direction IN ('higher', 'lower') AND NOT c.is_not_comparable AND c.no_rank_reason IS NULL
            AND coalesce(c.comparison_basis NOT IN ('total', 'ranked_list'), true)) AS is_rankable
    FROM compared c
),
-- Trend since the baseline, judged by the direction of good; a change within the unit's stable
-- band (reference.units.stable_threshold, edge included) is stable.
trended AS (
    SELECT r.*,
           CASE WHEN r.no_trend_reason IS NULL AND r.year >= r.baseline_year THEN r.value - r.baseline_value END
               AS change_since_baseline,
           CASE r.stable_threshold_kind
               WHEN 'absolute' THEN r.stable_threshold
               WHEN 'relative' THEN r.stable_threshold / 100.0 * abs(r.baseline_value)
           END AS stable_band,
           CASE
               WHEN r.no_trend_reason IS NOT NULL THEN r.no_trend_reason
               WHEN r.comparison_basis = 'total' THEN 'a total grows with the size of the region: no trend assessed'
               WHEN r.comparison_basis = 'ranked_list' THEN 'an entry of a ranked list: no trend assessed'
               WHEN r.direction NOT IN ('higher', 'lower') OR r.direction IS NULL
                   THEN 'the measure has no direction of good'
               WHEN r.value IS NULL THEN 'no value this year'
               WHEN r.baseline_year IS NULL THEN 'no value in ' || $baseline_year || ' or later'
               WHEN r.year < r.baseline_year THEN 'a year before the baseline (' || r.baseline_year || ')'
               WHEN r.years_with_data < 2 THEN 'fewer than two years with data since the baseline'
               WHEN r.year = r.baseline_year THEN 'the baseline year itself'
               WHEN r.stable_threshold IS NULL THEN 'no stable band for unit ' || r.unit
               WHEN r.is_not_comparable THEN 'a not_comparable caveat covers the value'
           END AS not_assessed_reason
    FROM ranked r
),
exact AS (
SELECT
    objective_key_resolved AS objective_key,
    measure_key, source_ref, region_level, region_code, year, breakdown, breakdown_detail,
    measure_text_fi, measure_text_sv, measure_text_en, measure_group_fi,
    region_name_fi, region_name_sv, region_name_en, is_organiser, cooperation_area_code,
    value, value_text, unit, direction, measure_status,
    national_value,
    CASE WHEN is_compared THEN value - national_value END AS difference_to_national,
    -- a ratio of grades means nothing: grades are compared by difference and rank only
    CASE WHEN is_compared AND comparison_basis IS DISTINCT FROM 'grade' THEN value / nullif(national_value, 0) END
        AS ratio_to_national,
    cooperation_area_value, cooperation_area_value_method,
    CASE WHEN is_rankable THEN
        RANK() OVER (PARTITION BY is_rankable, measure_key, source_ref, year, breakdown, breakdown_detail
                     ORDER BY CASE WHEN direction = 'higher' THEN -value ELSE value END)
    END AS rank_among_organisers,
    CASE WHEN direction IN ('higher', 'lower') AND is_compared THEN
        count(*) FILTER (WHERE is_rankable)
            OVER (PARTITION BY measure_key, source_ref, year, breakdown, breakdown_detail)
    END AS rank_n,
    previous_year_value,
    -- a figure relative to each year's national level (need_index, need_adjusted) has no change over time
    CASE WHEN no_trend_reason IS NULL THEN value - previous_year_value END AS change_from_previous_year,
    CASE WHEN no_trend_reason IS NULL THEN 100.0 * (value - previous_year_value) / nullif(abs(previous_year_value), 0) END
        AS change_pct_from_previous_year,
    baseline_year, baseline_year > $baseline_year AS baseline_is_later, baseline_value, change_since_baseline,
    CASE
        WHEN not_assessed_reason IS NOT NULL THEN 'not_assessed'
        WHEN round(abs(change_since_baseline), 9) <= round(stable_band, 9) THEN 'stable'
        WHEN (change_since_baseline > 0) = (direction = 'higher') THEN 'improving'
        ELSE 'worsening'
    END AS trend_direction,
    coalesce(not_assessed_reason,
             'judged against ' || baseline_year || ' (' || direction || ' is better); stable within '
             || CASE stable_threshold_kind WHEN 'relative' THEN '±' || printf('%g', stable_threshold) || ' % of the baseline value'
                    ELSE '±' || printf('%g', stable_threshold) || ' '
                         || CASE unit WHEN 'percent' THEN 'percentage points' ELSE coalesce(unit_label_en, unit) END
                END) AS trend_reason,
    value IS NULL AS is_missing,
    coalesce(is_suppressed, false) AS is_suppressed,
    is_not_comparable,
    missing_reason,
    caveat_severity, caveat_text_en, caveat_text_fi,
    value_origin, source, coalesce(is_synthetic, false) AS is_synthetic, payload_sha256, fetched_at,
    comparison_basis,
    CASE
        WHEN comparison_basis = 'total' THEN
            'a total (' || unit || ') grows with the size of the region: not compared with the country or ranked'
            || coalesce('; compare source_ref ' || twin_source_ref || coalesce(' (' || twin_unit_label_en || ')', '') || ' instead', '')
        WHEN comparison_basis = 'ranked_list' THEN
            'an entry of a ranked list: not compared with the country or ranked'
        WHEN is_not_comparable THEN 'a not_comparable caveat covers the value: not ranked (see caveat_text_en)'
        WHEN no_rank_reason IS NOT NULL AND value IS NOT NULL THEN 'not ranked: ' || no_rank_reason
    END AS not_compared_reason,
    decimals, unit_label_fi, unit_label_sv, unit_label_en
FROM trended
)
SELECT
    objective_key, measure_key, source_ref, region_level, region_code, year, breakdown, breakdown_detail,
    measure_text_fi, measure_text_sv, measure_text_en, measure_group_fi,
    region_name_fi, region_name_sv, region_name_en, is_organiser, cooperation_area_code,
    value, display_round(value, decimals) AS value_display, decimals,
    value_text, unit, unit_label_fi, unit_label_sv, unit_label_en, direction, measure_status, comparison_basis,
    national_value, display_round(national_value, decimals) AS national_value_display,
    difference_to_national, display_round(difference_to_national, decimals) AS difference_to_national_display,
    ratio_to_national, display_round(ratio_to_national, 2) AS ratio_to_national_display,
    not_compared_reason,
    cooperation_area_value, display_round(cooperation_area_value, decimals) AS cooperation_area_value_display,
    cooperation_area_value_method,
    rank_among_organisers, rank_n,
    previous_year_value, display_round(previous_year_value, decimals) AS previous_year_value_display,
    change_from_previous_year, display_round(change_from_previous_year, decimals) AS change_from_previous_year_display,
    change_pct_from_previous_year, display_round(change_pct_from_previous_year, 1) AS change_pct_from_previous_year_display,
    baseline_year, baseline_is_later,
    baseline_value, display_round(baseline_value, decimals) AS baseline_value_display,
    change_since_baseline, display_round(change_since_baseline, decimals) AS change_since_baseline_display,
    trend_direction, trend_reason,
    is_missing, is_suppressed, is_not_comparable, missing_reason,
    caveat_severity, caveat_text_en, caveat_text_fi,
    value_origin, source, is_synthetic, payload_sha256, fetched_at
FROM exact
ORDER BY objective_key, measure_key, source_ref, region_level, region_code, year, breakdown, breakdown_detail;

COMMENT ON TABLE marts.objective_region_year IS 'Comparable objective mart: one row per objective x measure x source_ref x region x year x breakdown, keyed like marts.measure_values, with the whole-country value, the cooperation-area value, the rank among the 22 organisers, the previous year and caveats. Cooperation-area rows the source does not give are derived from the member organisers (value_origin = derived).';
COMMENT ON COLUMN marts.objective_region_year.objective_key IS 'National objective the measure belongs to, e.g. 2.1.1.';
COMMENT ON COLUMN marts.objective_region_year.measure_key IS 'Catalogue key of the measure, e.g. 2.2.1-06 (reference.measures).';
COMMENT ON COLUMN marts.objective_region_year.source_ref IS 'Indicator or metric of the source: Sotkanet indicator id, THL measure node sid, personnel metric name, curated measure key.';
COMMENT ON COLUMN marts.objective_region_year.region_level IS 'wellbeing_area (21 counties, Helsinki 90, Åland 91), country (SSS) or cooperation_area (1-5).';
COMMENT ON COLUMN marts.objective_region_year.region_code IS 'Statistics Finland code: 01-21, 90 Helsinki, 91 Åland; SSS whole country; 1-5 cooperation areas.';
COMMENT ON COLUMN marts.objective_region_year.year IS 'Statistical year.';
COMMENT ON COLUMN marts.objective_region_year.breakdown IS 'Main slice: gender, professional group or staff group; total when none or for all.';
COMMENT ON COLUMN marts.objective_region_year.breakdown_detail IS 'Second slice such as an age band; total when none.';
COMMENT ON COLUMN marts.objective_region_year.measure_text_fi IS 'Measure wording in Finnish, exactly as in the publication.';
COMMENT ON COLUMN marts.objective_region_year.measure_text_sv IS 'Measure wording in Swedish (the project''s working translation, not the official Swedish text).';
COMMENT ON COLUMN marts.objective_region_year.measure_text_en IS 'Measure wording in English.';
COMMENT ON COLUMN marts.objective_region_year.measure_group_fi IS 'Heading the measure is grouped under in the publication (only objective 2.1.1: Saatavuus, Jatkuvuus, Yhteensovittaminen).';
COMMENT ON COLUMN marts.objective_region_year.region_name_fi IS 'Region name in Finnish.';
COMMENT ON COLUMN marts.objective_region_year.region_name_sv IS 'Region name in Swedish.';
COMMENT ON COLUMN marts.objective_region_year.region_name_en IS 'Region name in English.';
COMMENT ON COLUMN marts.objective_region_year.is_organiser IS 'True for the 22 organisers of social and health care (21 wellbeing services counties and the City of Helsinki).';
COMMENT ON COLUMN marts.objective_region_year.cooperation_area_code IS 'Cooperation area (yhteistyöalue, 1-5) of the region; its own code on cooperation-area rows; NULL for the country and Åland.';
COMMENT ON COLUMN marts.objective_region_year.value IS 'The figure in unit; NULL when missing or suppressed (see missing_reason).';
COMMENT ON COLUMN marts.objective_region_year.value_display IS 'value rounded for display to decimals, half away from zero (2.25 -> 2.3, -2.25 -> -2.3); value stays exact.';
COMMENT ON COLUMN marts.objective_region_year.decimals IS 'Decimals of the display columns: the source''s published decimals (Sotkanet indicator metadata, THL cube measure node), else the unit''s rule (reference.units.decimals) for personnel, curated and derived figures.';
COMMENT ON COLUMN marts.objective_region_year.value_text IS 'Text value for grades and names (assessment grade label, shortage group).';
COMMENT ON COLUMN marts.objective_region_year.unit IS 'Unit of value (reference.units): percent, per_10000, eur_per_inhabitant, grade, ...';
COMMENT ON COLUMN marts.objective_region_year.unit_label_fi IS 'Unit label in Finnish, e.g. / 10 000 asukasta, % hoitoonpääsykäynneistä.';
COMMENT ON COLUMN marts.objective_region_year.unit_label_sv IS 'Unit label in Swedish (working translation), e.g. / 10 000 invånare.';
COMMENT ON COLUMN marts.objective_region_year.unit_label_en IS 'Unit label in English, e.g. per 10,000 inhabitants.';
COMMENT ON COLUMN marts.objective_region_year.direction IS 'Direction of good of the measure: higher, lower or neither (reference.measures).';
COMMENT ON COLUMN marts.objective_region_year.measure_status IS 'How the measure is obtained: automated, curated or not_available (reference.measures).';
COMMENT ON COLUMN marts.objective_region_year.comparison_basis IS 'rate, total, grade or ranked_list (reference.comparison_bases): totals and list entries get no difference, ratio or rank (see not_compared_reason); grades no ratio.';
COMMENT ON COLUMN marts.objective_region_year.national_value IS 'Whole-country (SSS) value of the same measure, source_ref, year and breakdown.';
COMMENT ON COLUMN marts.objective_region_year.national_value_display IS 'national_value rounded like value_display.';
COMMENT ON COLUMN marts.objective_region_year.difference_to_national IS 'value - national_value, in unit; NULL for totals and ranked-list entries (see not_compared_reason).';
COMMENT ON COLUMN marts.objective_region_year.difference_to_national_display IS 'difference_to_national (exact) rounded to decimals.';
COMMENT ON COLUMN marts.objective_region_year.ratio_to_national IS 'value / national_value (NULL when the national value is 0 or missing, and for totals, ranked-list entries and grades).';
COMMENT ON COLUMN marts.objective_region_year.ratio_to_national_display IS 'ratio_to_national rounded to 2 decimals.';
COMMENT ON COLUMN marts.objective_region_year.not_compared_reason IS 'Why the row has no difference, ratio or rank although it has a value: a total (with its comparable twin source_ref), a ranked-list entry, or a not_comparable caveat; NULL when compared.';
COMMENT ON COLUMN marts.objective_region_year.cooperation_area_value IS 'Value of the region''s cooperation area for the same measure, source_ref, year and breakdown; see cooperation_area_value_method. NULL for the country.';
COMMENT ON COLUMN marts.objective_region_year.cooperation_area_value_display IS 'cooperation_area_value rounded like value_display.';
COMMENT ON COLUMN marts.objective_region_year.cooperation_area_value_method IS 'How cooperation_area_value was obtained: source (the source''s own area figure), population_weighted (mean of the member organisers weighted by reference.population, for rate units), sum (sum of members, for counts), NULL (none: not every member has a value, or the unit such as grade cannot be aggregated).';
COMMENT ON COLUMN marts.objective_region_year.rank_among_organisers IS 'SQL RANK() among the organisers with a non-NULL, comparable value: 1 = best by the direction of good, ties share a rank. NULL where the direction is neither, the value is missing, the row is not an organiser or the value is flagged not comparable.';
COMMENT ON COLUMN marts.objective_region_year.rank_n IS 'How many organisers were ranked for this measure, source_ref, year and breakdown; NULL where the direction is neither.';
COMMENT ON COLUMN marts.objective_region_year.previous_year_value IS 'Value of the same region, measure, source_ref and breakdown in year - 1.';
COMMENT ON COLUMN marts.objective_region_year.previous_year_value_display IS 'previous_year_value rounded like value_display.';
COMMENT ON COLUMN marts.objective_region_year.change_from_previous_year IS 'value - previous_year_value, in unit; NULL for source refs not comparable across years (need-adjusted costs, see trend_reason).';
COMMENT ON COLUMN marts.objective_region_year.change_from_previous_year_display IS 'change_from_previous_year (exact) rounded to decimals.';
COMMENT ON COLUMN marts.objective_region_year.change_pct_from_previous_year IS 'Relative change from the previous year, percent of abs(previous_year_value).';
COMMENT ON COLUMN marts.objective_region_year.change_pct_from_previous_year_display IS 'change_pct_from_previous_year rounded to 1 decimal.';
COMMENT ON COLUMN marts.objective_region_year.baseline_year IS 'Baseline of progress over the objective period: 2022 (setting SOTE_BASELINE_YEAR), or the first later year with a value for this measure, source_ref, region and breakdown (see baseline_is_later); NULL when there is none.';
COMMENT ON COLUMN marts.objective_region_year.baseline_is_later IS 'True when the series has no value in 2022 and the baseline is a later year.';
COMMENT ON COLUMN marts.objective_region_year.baseline_value IS 'Value in baseline_year (same measure, source_ref, region and breakdown).';
COMMENT ON COLUMN marts.objective_region_year.baseline_value_display IS 'baseline_value rounded like value_display.';
COMMENT ON COLUMN marts.objective_region_year.change_since_baseline IS 'value - baseline_value, in unit, for years from the baseline on; NULL before it and for source refs not comparable across years (see trend_reason).';
COMMENT ON COLUMN marts.objective_region_year.change_since_baseline_display IS 'change_since_baseline (exact) rounded to decimals.';
COMMENT ON COLUMN marts.objective_region_year.trend_direction IS 'improving, worsening or stable since baseline_year, judged by the direction of good; stable when abs(change_since_baseline) is within the unit''s band (reference.units.stable_threshold, edge included); not_assessed for totals, ranked lists, measures without a direction of good, missing values, the baseline year and years before it, series with fewer than two years since the baseline, not_comparable values and figures not comparable across years (trend_reason says which).';
COMMENT ON COLUMN marts.objective_region_year.trend_reason IS 'Why trend_direction is not_assessed, or the baseline, direction of good and stable band it was judged by.';
COMMENT ON COLUMN marts.objective_region_year.is_missing IS 'True when value is NULL (missing, suppressed or not published).';
COMMENT ON COLUMN marts.objective_region_year.is_suppressed IS 'True when the source suppressed the cell (small numbers).';
COMMENT ON COLUMN marts.objective_region_year.is_not_comparable IS 'True when a caveat of severity not_comparable covers the row (reference.caveats): do not compare or rank it.';
COMMENT ON COLUMN marts.objective_region_year.missing_reason IS 'Why value is NULL: suppressed, not published for this year, no data collected, ...';
COMMENT ON COLUMN marts.objective_region_year.caveat_severity IS 'Most severe caveat covering the row: not_comparable, warning or info; NULL when none.';
COMMENT ON COLUMN marts.objective_region_year.caveat_text_en IS 'Texts of every caveat covering the row, in English, separated by |.';
COMMENT ON COLUMN marts.objective_region_year.caveat_text_fi IS 'Texts of every caveat covering the row, in Finnish (English where no Finnish text), separated by |.';
COMMENT ON COLUMN marts.objective_region_year.value_origin IS 'source = as delivered; derived = computed here (e.g. a cooperation-area figure from its members).';
COMMENT ON COLUMN marts.objective_region_year.source IS 'Source family: sotkanet, thl_cube, personnel_report, curated.';
COMMENT ON COLUMN marts.objective_region_year.is_synthetic IS 'True when the value is bundled sample data, not an official statistic.';
COMMENT ON COLUMN marts.objective_region_year.payload_sha256 IS 'sha256 of the archived payload the value came from (raw archive); NULL for derived rows.';
COMMENT ON COLUMN marts.objective_region_year.fetched_at IS 'When that payload was fetched or received (UTC); NULL for derived rows.';
