-- The objective catalogue and the controlled vocabularies, from pipelines/catalog/*.csv.
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.objectives AS
SELECT * FROM read_csv($objectives_csv, header = true, all_varchar = true)
ORDER BY objective_key;

CREATE OR REPLACE TABLE reference.measures AS
SELECT
    measure_key, objective_key, nullif(group_fi, '') AS group_fi, text_fi,
    nullif(text_sv, '') AS text_sv, text_en, source_named, source_family, unit, direction, status, reported_level,
    TRY_CAST(nullif(value_min, '') AS DOUBLE) AS value_min, TRY_CAST(nullif(value_max, '') AS DOUBLE) AS value_max
FROM read_csv($measures_csv, header = true, all_varchar = true)
ORDER BY measure_key;

CREATE OR REPLACE TABLE reference.units AS
SELECT unit, description, TRY_CAST(min_value AS DOUBLE) AS min_value, TRY_CAST(max_value AS DOUBLE) AS max_value,
       comparison_basis, CAST(decimals AS INTEGER) AS decimals, label_fi, label_sv, label_en
FROM read_csv($units_csv, header = true, all_varchar = true);

-- A blank comparison_basis or unit label in the CSV means "the unit's" (reference.units).
CREATE OR REPLACE TABLE reference.measure_source_refs AS
SELECT r.measure_key, r.source, r.source_ref, lower(r.is_headline) = 'true' AS is_headline, r.unit,
       coalesce(nullif(r.comparison_basis, ''), u.comparison_basis) AS comparison_basis,
       coalesce(nullif(r.unit_label_fi, ''), u.label_fi) AS unit_label_fi,
       coalesce(nullif(r.unit_label_sv, ''), u.label_sv) AS unit_label_sv,
       coalesce(nullif(r.unit_label_en, ''), u.label_en) AS unit_label_en,
       r.label_en
FROM read_csv($source_refs_csv, header = true, all_varchar = true) r
LEFT JOIN reference.units u USING (unit)
ORDER BY r.measure_key, NOT is_headline, r.source_ref;

CREATE OR REPLACE TABLE reference.vocabularies AS
SELECT vocabulary, code, description FROM read_csv($vocabularies_csv, header = true, all_varchar = true);

-- The personnel-report vocabulary (pipelines/catalog/personnel/, also read by the parser).
CREATE OR REPLACE TABLE reference.personnel_metrics AS
SELECT metric, unit, breakdowns, definition
FROM read_csv($personnel_metrics_csv, header = true, all_varchar = true);

CREATE OR REPLACE TABLE reference.personnel_breakdowns AS
SELECT breakdowns, breakdown, lower(is_55_plus) = 'true' AS is_55_plus
FROM read_csv($personnel_breakdowns_csv, header = true, all_varchar = true);

CREATE OR REPLACE TABLE reference.personnel_staff_groups AS
SELECT staff_group, label_fi, label_en
FROM read_csv($personnel_staff_groups_csv, header = true, all_varchar = true);

CREATE OR REPLACE VIEW reference.region_levels AS SELECT code AS region_level, description FROM reference.vocabularies WHERE vocabulary = 'region_level';
CREATE OR REPLACE VIEW reference.statuses AS SELECT code AS status, description FROM reference.vocabularies WHERE vocabulary = 'status';
CREATE OR REPLACE VIEW reference.directions AS SELECT code AS direction, description FROM reference.vocabularies WHERE vocabulary = 'direction';
CREATE OR REPLACE VIEW reference.comparison_bases AS SELECT code AS comparison_basis, description FROM reference.vocabularies WHERE vocabulary = 'comparison_basis';

COMMENT ON TABLE reference.objectives IS 'The eight national objectives 2023-2026 (2.1.1-2.4.2) with their themes, fi/en titles and number of measures.';
COMMENT ON COLUMN reference.objectives.objective_key IS 'Objective number, e.g. 2.1.1.';
COMMENT ON COLUMN reference.objectives.theme_key IS 'Theme number: 2.1 equality, 2.2 cost-effectiveness, 2.3 cooperation, 2.4 knowledge.';
COMMENT ON COLUMN reference.objectives.theme_fi IS 'Theme in Finnish.';
COMMENT ON COLUMN reference.objectives.theme_en IS 'Theme in English.';
COMMENT ON COLUMN reference.objectives.title_fi IS 'Objective title in Finnish, as published.';
COMMENT ON COLUMN reference.objectives.title_sv IS 'Objective title in Swedish (working translation by the project, not the official wording).';
COMMENT ON COLUMN reference.objectives.title_en IS 'Objective title in English (translation).';
COMMENT ON COLUMN reference.objectives.n_measures IS 'Number of measures of the objective.';

COMMENT ON TABLE reference.measures IS 'All 31 measures of the national objectives: exact Finnish wording, English translation, source, unit, direction of good and status.';
COMMENT ON COLUMN reference.measures.measure_key IS 'Stable key <objective>-<nn>, e.g. 2.2.1-06.';
COMMENT ON COLUMN reference.measures.objective_key IS 'Objective, e.g. 2.2.1.';
COMMENT ON COLUMN reference.measures.group_fi IS 'Heading within objective 2.1.1: Saatavuus, Jatkuvuus, Yhteensovittaminen.';
COMMENT ON COLUMN reference.measures.text_fi IS 'The measure exactly as published in Finnish.';
COMMENT ON COLUMN reference.measures.text_sv IS 'Swedish working translation by the project (not the official Swedish wording of the publication).';
COMMENT ON COLUMN reference.measures.text_en IS 'English translation.';
COMMENT ON COLUMN reference.measures.source_named IS 'Data source as the publication names it.';
COMMENT ON COLUMN reference.measures.source_family IS 'Ingestion route: sotkanet, thl_cube, personnel_report or curated.';
COMMENT ON COLUMN reference.measures.unit IS 'Unit of the headline figure (reference.units).';
COMMENT ON COLUMN reference.measures.direction IS 'Direction of good: higher, lower or neither (not ranked).';
COMMENT ON COLUMN reference.measures.status IS 'automated, curated or not_available.';
COMMENT ON COLUMN reference.measures.reported_level IS 'Level the measure is reported at: organiser, cooperation_area or country.';
COMMENT ON COLUMN reference.measures.value_min IS 'Smallest allowed value when the measure overrides its unit''s range (e.g. annual margin as % of depreciation can be negative); NULL = the unit''s.';
COMMENT ON COLUMN reference.measures.value_max IS 'Largest allowed value when the measure overrides its unit''s range; NULL = the unit''s.';

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

COMMENT ON TABLE reference.units IS 'Controlled vocabulary of units, with the range of values each allows (checked on every table).';
COMMENT ON COLUMN reference.units.unit IS 'Unit code.';
COMMENT ON COLUMN reference.units.description IS 'What the unit means.';
COMMENT ON COLUMN reference.units.min_value IS 'Smallest allowed value (NULL = unbounded).';
COMMENT ON COLUMN reference.units.max_value IS 'Largest allowed value (NULL = unbounded).';
COMMENT ON COLUMN reference.units.comparison_basis IS 'Default comparison basis of figures in this unit: rate, total or grade (vocabulary comparison_basis).';
COMMENT ON COLUMN reference.units.decimals IS 'Decimals for display when the source publishes none (derived, personnel and curated figures).';
COMMENT ON COLUMN reference.units.label_fi IS 'Unit label in Finnish for display.';
COMMENT ON COLUMN reference.units.label_sv IS 'Unit label in Swedish for display (working translation).';
COMMENT ON COLUMN reference.units.label_en IS 'Unit label in English for display.';

COMMENT ON TABLE reference.vocabularies IS 'Controlled vocabularies: region levels, statuses, directions of good, value origins, reporting levels.';
COMMENT ON COLUMN reference.vocabularies.vocabulary IS 'Vocabulary name.';
COMMENT ON COLUMN reference.vocabularies.code IS 'Allowed code.';
COMMENT ON COLUMN reference.vocabularies.description IS 'Meaning.';
COMMENT ON VIEW reference.region_levels IS 'Allowed region levels.';
COMMENT ON VIEW reference.statuses IS 'Allowed measure statuses.';
COMMENT ON VIEW reference.directions IS 'Allowed directions of good.';
COMMENT ON VIEW reference.comparison_bases IS 'Allowed comparison bases (rate, total, grade, ranked_list) and what each allows.';

COMMENT ON TABLE reference.personnel_metrics IS 'Metrics a county personnel delivery may report (pipelines/catalog/personnel/metrics.csv; docs/personnel_format.md).';
COMMENT ON COLUMN reference.personnel_metrics.metric IS 'Metric code as in staging.personnel_report.metric, e.g. person_years_htv2.';
COMMENT ON COLUMN reference.personnel_metrics.unit IS 'The unit the delivery states for the metric (persons, htv, percent, years, days, days_per_htv, eur, rank, count).';
COMMENT ON COLUMN reference.personnel_metrics.breakdowns IS 'The breakdown set allowed for the metric (reference.personnel_breakdowns.breakdowns).';
COMMENT ON COLUMN reference.personnel_metrics.definition IS 'What the metric counts (KT 2021 based).';
COMMENT ON TABLE reference.personnel_breakdowns IS 'Breakdown sets of the personnel metrics: total, headcount (permanent, fixed_term), leaver reasons, age bands.';
COMMENT ON COLUMN reference.personnel_breakdowns.breakdowns IS 'Name of the set: total, headcount, leaver or age_band.';
COMMENT ON COLUMN reference.personnel_breakdowns.breakdown IS 'Breakdown code as in staging.personnel_report.breakdown.';
COMMENT ON COLUMN reference.personnel_breakdowns.is_55_plus IS 'True for the age bands counted in the share aged 55 or over (2.1.2 measure).';
COMMENT ON TABLE reference.personnel_staff_groups IS 'Staff groups of the personnel reports with Finnish and English labels.';
COMMENT ON COLUMN reference.personnel_staff_groups.staff_group IS 'Staff group code; all = all staff.';
COMMENT ON COLUMN reference.personnel_staff_groups.label_fi IS 'Finnish label.';
COMMENT ON COLUMN reference.personnel_staff_groups.label_en IS 'English label.';
