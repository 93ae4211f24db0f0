-- marts.region_scorecard: one row per organiser x catalogue measure, at the latest year of the measure
-- with data (per measure, so every organiser is compared on the same year), headline source_ref,
-- total breakdowns only (rank_1 for ranked lists). Organisers without a value that year keep their row with the reason.
-- The headline is the measure's comparable variant wherever one with data exists: a total is shown
-- only when the measure has no rate, so the scorecard never lines a total up against the country.
-- Progress since the baseline comes from the headline, or, when the headline is a figure not
-- comparable across years (need-adjusted cost), from the figure it is derived from (trend_source_ref).
-- Inputs: marts.objective_region_year, reference.measures, reference.regions,
-- reference.measure_source_refs, reference.units.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.region_scorecard AS
WITH
organisers AS (
    SELECT region_code, name_fi, name_sv, name_en, cooperation_area_code
    FROM reference.regions
    WHERE region_level = 'wellbeing_area' AND is_organiser
),
-- A ranked list (the key staff shortages, breakdown_detail rank_1..rank_3) is headed by its first entry.
totals AS (
    SELECT *
    FROM marts.objective_region_year
    WHERE breakdown = 'total' AND breakdown_detail IN ('total', 'rank_1')
),
-- Headline source_ref of a catalogue measure: a comparable one with data before a total, then
-- is_headline, then key order. Measures without a catalogue entry (curated): the first source_ref
-- with data, comparable before total.
with_data AS (
    SELECT DISTINCT measure_key, source_ref
    FROM totals
    WHERE value IS NOT NULL
),
catalogue_headline AS (
    SELECT r.measure_key,
           first(r.source_ref ORDER BY d.source_ref IS NULL, r.comparison_basis IN ('total', 'ranked_list'),
                 NOT r.is_headline, r.source_ref) AS source_ref
    FROM reference.measure_source_refs r
    LEFT JOIN with_data d USING (measure_key, source_ref)
    GROUP BY r.measure_key
),
data_headline AS (
    SELECT measure_key,
           first(source_ref ORDER BY comparison_basis IN ('total', 'ranked_list'), source_ref) AS source_ref
    FROM totals
    WHERE value IS NOT NULL
    GROUP BY measure_key
),
headline AS (
    SELECT m.measure_key, coalesce(c.source_ref, d.source_ref) AS source_ref
    FROM reference.measures m
    LEFT JOIN catalogue_headline c USING (measure_key)
    LEFT JOIN data_headline d USING (measure_key)
),
-- Latest year with any non-NULL value at the organiser or cooperation-area level (the level some
-- measures are reported at) for the headline source_ref.
latest AS (
    SELECT h.measure_key, h.source_ref, max(t.year) AS year
    FROM headline h
    LEFT JOIN totals t
      ON t.measure_key = h.measure_key AND t.source_ref = h.source_ref AND t.value IS NOT NULL
     AND (t.is_organiser OR t.region_level = 'cooperation_area')
    GROUP BY h.measure_key, h.source_ref
),
grid AS (
    SELECT m.objective_key, m.measure_key, m.text_fi, m.text_sv, m.text_en, m.unit AS catalogue_unit,
           m.direction, m.status, m.source_family, m.reported_level,
           l.source_ref, l.year,
           CASE WHEN hs.no_trend_reason IS NOT NULL AND hs.derived_from IS NOT NULL THEN hs.derived_from ELSE l.source_ref END
               AS trend_source_ref,
           o.region_code, o.name_fi, o.name_sv, o.name_en, o.cooperation_area_code
    FROM reference.measures m
    JOIN latest l USING (measure_key)
    LEFT JOIN reference.measure_source_refs hs ON hs.measure_key = l.measure_key AND hs.source_ref = l.source_ref
    CROSS JOIN organisers o
)
SELECT
    g.objective_key, g.measure_key, g.region_code,
    g.year AS latest_year,
    g.source_ref,
    g.name_fi AS region_name_fi, g.name_sv AS region_name_sv, g.name_en AS region_name_en,
    g.text_fi AS measure_text_fi, g.text_sv AS measure_text_sv, g.text_en AS measure_text_en,
    g.status AS measure_status, g.reported_level, coalesce(t.direction, g.direction) AS direction,
    coalesce(t.unit, g.catalogue_unit) AS unit,
    coalesce(t.unit_label_fi, u.label_fi) AS unit_label_fi,
    coalesce(t.unit_label_sv, u.label_sv) AS unit_label_sv,
    coalesce(t.unit_label_en, u.label_en) AS unit_label_en,
    coalesce(t.comparison_basis, ta.comparison_basis, u.comparison_basis) AS comparison_basis,
    t.value, t.value_display, coalesce(t.decimals, ta.decimals, u.decimals) AS decimals, t.value_text,
    t.national_value, t.national_value_display,
    t.difference_to_national, t.difference_to_national_display,
    t.ratio_to_national, t.ratio_to_national_display,
    t.not_compared_reason,
    g.cooperation_area_code,
    coalesce(t.cooperation_area_value, ta.cooperation_area_value) AS cooperation_area_value,
    coalesce(t.cooperation_area_value_display, ta.cooperation_area_value_display) AS cooperation_area_value_display,
    coalesce(t.cooperation_area_value_method, ta.cooperation_area_value_method) AS cooperation_area_value_method,
    t.rank_among_organisers, t.rank_n,
    t.previous_year_value, t.previous_year_value_display,
    t.change_from_previous_year, t.change_from_previous_year_display,
    t.change_pct_from_previous_year, t.change_pct_from_previous_year_display,
    g.trend_source_ref,
    CASE WHEN g.reported_level = 'cooperation_area' THEN tta.baseline_year ELSE tt.baseline_year END AS baseline_year,
    CASE WHEN g.reported_level = 'cooperation_area' THEN tta.baseline_is_later ELSE tt.baseline_is_later END AS baseline_is_later,
    CASE WHEN g.reported_level = 'cooperation_area' THEN tta.baseline_value ELSE tt.baseline_value END AS baseline_value,
    CASE WHEN g.reported_level = 'cooperation_area' THEN tta.baseline_value_display ELSE tt.baseline_value_display END AS baseline_value_display,
    CASE WHEN g.reported_level = 'cooperation_area' THEN tta.change_since_baseline ELSE tt.change_since_baseline END AS change_since_baseline,
    CASE WHEN g.reported_level = 'cooperation_area' THEN tta.change_since_baseline_display ELSE tt.change_since_baseline_display END AS change_since_baseline_display,
    coalesce(CASE WHEN g.reported_level = 'cooperation_area' THEN tta.trend_direction ELSE tt.trend_direction END,
             'not_assessed') AS trend_direction,
    coalesce(CASE WHEN g.reported_level = 'cooperation_area' THEN tta.trend_reason ELSE tt.trend_reason END,
             CASE WHEN g.year IS NULL THEN 'no data loaded for this measure yet'
                  ELSE 'no value for this organiser in the latest year' END) AS trend_reason,
    t.value IS NULL AS is_missing,
    coalesce(t.is_suppressed, false) AS is_suppressed,
    coalesce(t.is_not_comparable, false) AS is_not_comparable,
    CASE
        WHEN t.value IS NOT NULL THEN NULL
        WHEN g.status = 'not_available' THEN 'measure not available: no machine source and no curated value'
        WHEN g.year IS NULL AND g.measure_key IN (SELECT measure_key FROM marts.objective_region_year WHERE value IS NOT NULL)
            THEN 'no total figure for the headline source_ref: see marts.objective_region_year for the breakdowns'
        WHEN g.year IS NULL THEN 'no data loaded for this measure yet'
        WHEN g.reported_level = 'cooperation_area' THEN 'reported per cooperation area: see cooperation_area_value'
        WHEN t.measure_key IS NULL THEN 'no row for this organiser in the latest year of the measure'
        ELSE coalesce(t.missing_reason, 'missing')
    END AS missing_reason,
    t.caveat_severity, t.caveat_text_en, t.caveat_text_fi,
    coalesce(t.source, g.source_family) AS source,
    coalesce(t.is_synthetic, false) AS is_synthetic
FROM grid g
LEFT JOIN totals t
  ON t.measure_key = g.measure_key AND t.source_ref = g.source_ref AND t.year = g.year
 AND t.region_level = 'wellbeing_area' AND t.region_code = g.region_code
LEFT JOIN totals tt
  ON tt.measure_key = g.measure_key AND tt.source_ref = g.trend_source_ref AND tt.year = g.year
 AND tt.region_level = 'wellbeing_area' AND tt.region_code = g.region_code
-- Measures reported per cooperation area: progress is the organiser's cooperation area's.
LEFT JOIN totals tta
  ON tta.measure_key = g.measure_key AND tta.source_ref = g.trend_source_ref AND tta.year = g.year
 AND tta.region_level = 'cooperation_area' AND tta.region_code = g.cooperation_area_code
-- The cooperation-area row of the organiser: the reference for measures reported per area.
LEFT JOIN totals ta
  ON ta.measure_key = g.measure_key AND ta.source_ref = g.source_ref AND ta.year = g.year
 AND ta.region_level = 'cooperation_area' AND ta.region_code = g.cooperation_area_code
LEFT JOIN reference.units u ON u.unit = coalesce(t.unit, g.catalogue_unit)
ORDER BY g.region_code, g.measure_key;

COMMENT ON TABLE marts.region_scorecard IS 'Scorecard: one row per organiser (21 wellbeing services counties and Helsinki) x catalogue measure, at the measure''s latest year with data (the same year for every organiser), headline source_ref and total breakdowns, with the national and cooperation-area comparison, rank and change from the previous year. Organisers without a value keep their row with missing_reason.';
COMMENT ON COLUMN marts.region_scorecard.objective_key IS 'National objective the measure belongs to, e.g. 2.1.1.';
COMMENT ON COLUMN marts.region_scorecard.measure_key IS 'Catalogue key of the measure (reference.measures).';
COMMENT ON COLUMN marts.region_scorecard.region_code IS 'Organiser code: 01-21 wellbeing services counties, 90 City of Helsinki.';
COMMENT ON COLUMN marts.region_scorecard.latest_year IS 'Latest year with a value for the measure at organiser or cooperation-area level (per measure, not per organiser); NULL when the measure has no data.';
COMMENT ON COLUMN marts.region_scorecard.source_ref IS 'Headline source indicator or metric of the measure: its comparable variant with data before a total, then reference.measure_source_refs.is_headline, then the first with data.';
COMMENT ON COLUMN marts.region_scorecard.region_name_fi IS 'Organiser name in Finnish.';
COMMENT ON COLUMN marts.region_scorecard.region_name_sv IS 'Organiser name in Swedish.';
COMMENT ON COLUMN marts.region_scorecard.region_name_en IS 'Organiser name in English.';
COMMENT ON COLUMN marts.region_scorecard.measure_text_fi IS 'Measure wording in Finnish, exactly as in the publication.';
COMMENT ON COLUMN marts.region_scorecard.measure_text_sv IS 'Measure wording in Swedish (the project''s working translation, not the official Swedish text).';
COMMENT ON COLUMN marts.region_scorecard.measure_text_en IS 'Measure wording in English.';
COMMENT ON COLUMN marts.region_scorecard.measure_status IS 'automated, curated or not_available (reference.measures).';
COMMENT ON COLUMN marts.region_scorecard.reported_level IS 'Level the measure is reported at: organiser, cooperation_area or country.';
COMMENT ON COLUMN marts.region_scorecard.direction IS 'Direction of good: higher, lower or neither.';
COMMENT ON COLUMN marts.region_scorecard.unit IS 'Unit of value (reference.units).';
COMMENT ON COLUMN marts.region_scorecard.unit_label_fi IS 'Unit label in Finnish, e.g. / 10 000 asukasta.';
COMMENT ON COLUMN marts.region_scorecard.unit_label_sv IS 'Unit label in Swedish (working translation).';
COMMENT ON COLUMN marts.region_scorecard.unit_label_en IS 'Unit label in English, e.g. per 10,000 inhabitants.';
COMMENT ON COLUMN marts.region_scorecard.comparison_basis IS 'rate, total, grade or ranked_list (reference.comparison_bases); totals and list entries are not compared with the country or ranked.';
COMMENT ON COLUMN marts.region_scorecard.value IS 'The organiser''s value in latest_year; NULL when missing (see missing_reason).';
COMMENT ON COLUMN marts.region_scorecard.value_display IS 'value rounded for display to decimals, half away from zero; value stays exact.';
COMMENT ON COLUMN marts.region_scorecard.decimals IS 'Decimals of the display columns: the source''s published decimals, else the unit''s rule (reference.units.decimals).';
COMMENT ON COLUMN marts.region_scorecard.value_text IS 'Text value for grades and names.';
COMMENT ON COLUMN marts.region_scorecard.national_value IS 'Whole-country (SSS) value in latest_year.';
COMMENT ON COLUMN marts.region_scorecard.national_value_display IS 'national_value rounded like value_display.';
COMMENT ON COLUMN marts.region_scorecard.difference_to_national IS 'value - national_value, in unit; NULL for totals and ranked-list entries (see not_compared_reason).';
COMMENT ON COLUMN marts.region_scorecard.difference_to_national_display IS 'difference_to_national (exact) rounded to decimals.';
COMMENT ON COLUMN marts.region_scorecard.ratio_to_national IS 'value / national_value; NULL for totals, ranked-list entries and grades.';
COMMENT ON COLUMN marts.region_scorecard.ratio_to_national_display IS 'ratio_to_national rounded to 2 decimals.';
COMMENT ON COLUMN marts.region_scorecard.not_compared_reason IS 'Why a value has no difference, ratio or rank: a total (naming its comparable twin), a ranked-list entry or a not_comparable caveat; NULL when compared.';
COMMENT ON COLUMN marts.region_scorecard.cooperation_area_code IS 'The organiser''s cooperation area (yhteistyöalue, 1-5).';
COMMENT ON COLUMN marts.region_scorecard.cooperation_area_value IS 'Value of the organiser''s cooperation area in latest_year (see cooperation_area_value_method).';
COMMENT ON COLUMN marts.region_scorecard.cooperation_area_value_display IS 'cooperation_area_value rounded like value_display.';
COMMENT ON COLUMN marts.region_scorecard.cooperation_area_value_method IS 'source, population_weighted, sum or NULL (see marts.objective_region_year).';
COMMENT ON COLUMN marts.region_scorecard.rank_among_organisers IS 'RANK() among the organisers with a comparable non-NULL value, 1 = best by the direction of good, ties share a rank.';
COMMENT ON COLUMN marts.region_scorecard.rank_n IS 'How many organisers were ranked.';
COMMENT ON COLUMN marts.region_scorecard.previous_year_value IS 'The organiser''s value in latest_year - 1.';
COMMENT ON COLUMN marts.region_scorecard.previous_year_value_display IS 'previous_year_value rounded like value_display.';
COMMENT ON COLUMN marts.region_scorecard.change_from_previous_year IS 'value - previous_year_value, in unit.';
COMMENT ON COLUMN marts.region_scorecard.change_from_previous_year_display IS 'change_from_previous_year (exact) rounded to decimals.';
COMMENT ON COLUMN marts.region_scorecard.change_pct_from_previous_year IS 'Relative change from the previous year, percent.';
COMMENT ON COLUMN marts.region_scorecard.change_pct_from_previous_year_display IS 'change_pct_from_previous_year rounded to 1 decimal.';
COMMENT ON COLUMN marts.region_scorecard.trend_source_ref IS 'source_ref the progress columns are read from: the headline, or the figure a headline not comparable across years is derived from (2.2.1-06: the unadjusted cost 5956 while the headline is the need-adjusted cost).';
COMMENT ON COLUMN marts.region_scorecard.baseline_year IS 'Baseline of progress: 2022, or the first later year with a value (baseline_is_later); see marts.objective_region_year.';
COMMENT ON COLUMN marts.region_scorecard.baseline_is_later IS 'True when there is no 2022 value and the baseline is a later year.';
COMMENT ON COLUMN marts.region_scorecard.baseline_value IS 'Value of trend_source_ref in baseline_year (for measures reported per cooperation area: the organiser''s cooperation area''s, like every progress column).';
COMMENT ON COLUMN marts.region_scorecard.baseline_value_display IS 'baseline_value rounded for display.';
COMMENT ON COLUMN marts.region_scorecard.change_since_baseline IS 'Latest-year value of trend_source_ref - baseline_value, in its unit.';
COMMENT ON COLUMN marts.region_scorecard.change_since_baseline_display IS 'change_since_baseline rounded for display.';
COMMENT ON COLUMN marts.region_scorecard.trend_direction IS 'improving, worsening, stable or not_assessed since the baseline, by the direction of good (see marts.objective_region_year.trend_direction).';
COMMENT ON COLUMN marts.region_scorecard.trend_reason IS 'Why the trend is not_assessed, or the baseline, direction of good and stable band it was judged by.';
COMMENT ON COLUMN marts.region_scorecard.is_missing IS 'True when the organiser has no value in latest_year.';
COMMENT ON COLUMN marts.region_scorecard.is_suppressed IS 'True when the source suppressed the value.';
COMMENT ON COLUMN marts.region_scorecard.is_not_comparable IS 'True when a not_comparable caveat covers the value.';
COMMENT ON COLUMN marts.region_scorecard.missing_reason IS 'Why value is NULL: the source''s reason, no row for the organiser, no data for the measure, or measure not available.';
COMMENT ON COLUMN marts.region_scorecard.caveat_severity IS 'Most severe caveat covering the value: not_comparable, warning or info.';
COMMENT ON COLUMN marts.region_scorecard.caveat_text_en IS 'Caveat texts in English, separated by |.';
COMMENT ON COLUMN marts.region_scorecard.caveat_text_fi IS 'Caveat texts in Finnish, separated by |.';
COMMENT ON COLUMN marts.region_scorecard.source IS 'Source family of the value (or of the measure when there is no value).';
COMMENT ON COLUMN marts.region_scorecard.is_synthetic IS 'True when the value is bundled sample data, not an official statistic.';
