-- reference.measures: The 31 measures of the objectives, from pipelines/catalog/measures.csv.
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.measures AS
SELECT
    measure_key, objective_key, nullif(group_fi, '') AS group_fi, text_fi,
    nullif(text_sv, '') AS text_sv, text_en, source_named, source_family, unit, direction, status, reported_level,
    TRY_CAST(nullif(value_min, '') AS DOUBLE) AS value_min, TRY_CAST(nullif(value_max, '') AS DOUBLE) AS value_max
FROM read_csv($measures_csv, header = true, all_varchar = true)
ORDER BY measure_key;

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
