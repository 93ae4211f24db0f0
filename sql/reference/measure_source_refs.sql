-- reference.measure_source_refs: Which source refs back each measure, from pipelines/catalog/source_refs.csv.
-- Input: reference.units (a blank comparison_basis or unit label in the CSV means "the unit's").
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.measure_source_refs AS
SELECT r.measure_key, r.source, r.source_ref, lower(r.is_headline) = 'true' AS is_headline, r.unit,
       coalesce(nullif(r.comparison_basis, ''), u.comparison_basis) AS comparison_basis,
       coalesce(nullif(r.unit_label_fi, ''), u.label_fi) AS unit_label_fi,
       coalesce(nullif(r.unit_label_sv, ''), u.label_sv) AS unit_label_sv,
       coalesce(nullif(r.unit_label_en, ''), u.label_en) AS unit_label_en,
       r.label_en,
       nullif(r.direction, '') AS direction,
       nullif(r.derived_from, '') AS derived_from,
       nullif(r.derivation, '') AS derivation,
       nullif(r.no_rank_reason, '') AS no_rank_reason,
       nullif(r.no_trend_reason, '') AS no_trend_reason
FROM read_csv($source_refs_csv, header = true, all_varchar = true) r
LEFT JOIN reference.units u USING (unit)
ORDER BY r.measure_key, NOT is_headline, r.source_ref;

COMMENT ON TABLE reference.measure_source_refs IS 'Which indicators or metrics back each measure; a measure of several indicators has one row each, is_headline marks the one shown on scorecards.';
COMMENT ON COLUMN reference.measure_source_refs.measure_key IS 'Measure (reference.measures).';
COMMENT ON COLUMN reference.measure_source_refs.source IS 'Source family.';
COMMENT ON COLUMN reference.measure_source_refs.source_ref IS 'Indicator id, THL measure node sid, personnel metric or curated key.';
COMMENT ON COLUMN reference.measure_source_refs.is_headline IS 'True for the one source_ref shown as the measure''s headline.';
COMMENT ON COLUMN reference.measure_source_refs.unit IS 'Unit of this source_ref''s values.';
COMMENT ON COLUMN reference.measure_source_refs.comparison_basis IS 'How the figure may be compared across regions (vocabulary comparison_basis): rate (relative figure: compared with the country and ranked), total (depends on the size of the region: not compared or ranked), grade (assessment grade: ranked) or ranked_list (entries of a top-N list: not compared or ranked). From the CSV, else the unit''s.';
COMMENT ON COLUMN reference.measure_source_refs.unit_label_fi IS 'Unit label in Finnish for display, e.g. / 10 000 asukasta.';
COMMENT ON COLUMN reference.measure_source_refs.unit_label_sv IS 'Unit label in Swedish for display (working translation).';
COMMENT ON COLUMN reference.measure_source_refs.unit_label_en IS 'Unit label in English for display.';
COMMENT ON COLUMN reference.measure_source_refs.label_en IS 'Short English label.';
COMMENT ON COLUMN reference.measure_source_refs.direction IS 'Direction of good of this source_ref when it differs from the measure''s (reference.measures.direction); NULL = the measure''s.';
COMMENT ON COLUMN reference.measure_source_refs.derived_from IS 'For a figure computed here: the source_ref of the same measure it is computed from (e.g. 5956 for 5956_need_adjusted).';
COMMENT ON COLUMN reference.measure_source_refs.derivation IS 'How a derived figure is computed from derived_from: need_adjusted (value / the region''s THL need coefficient, reference.need_coefficients) or need_index (need-adjusted value / the whole country''s x 100).';
COMMENT ON COLUMN reference.measure_source_refs.no_rank_reason IS 'Why this source_ref is not ranked although its measure has a direction of good; NULL when ranked.';
COMMENT ON COLUMN reference.measure_source_refs.no_trend_reason IS 'Why this source_ref gets no change since the baseline and trend_direction = not_assessed; NULL when assessed.';
