-- reference.caveats: curated caveats on measures, regions and years, from every
-- pipelines/catalog/caveats*.csv (validated in Python and registered as relation caveats_input).
-- NULL in measure_key scope columns (source_ref, region_level, region_code, year_from, year_to)
-- means "applies to all".
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.caveats AS
SELECT
    CAST(caveat_id AS VARCHAR)    AS caveat_id,
    CAST(measure_key AS VARCHAR)  AS measure_key,
    CAST(source_ref AS VARCHAR)   AS source_ref,
    CAST(region_level AS VARCHAR) AS region_level,
    CAST(region_code AS VARCHAR)  AS region_code,
    CAST(year_from AS INTEGER)    AS year_from,
    CAST(year_to AS INTEGER)      AS year_to,
    CAST(severity AS VARCHAR)     AS severity,
    CAST(text_en AS VARCHAR)      AS text_en,
    CAST(text_fi AS VARCHAR)      AS text_fi,
    CAST(source AS VARCHAR)       AS source,
    CAST(file_name AS VARCHAR)    AS file_name
FROM caveats_input
ORDER BY measure_key, region_level NULLS FIRST, region_code NULLS FIRST, year_from NULLS FIRST, caveat_id;

COMMENT ON TABLE reference.caveats IS 'Curated caveats on measures (optionally narrowed to a source_ref, region and year range), seeded with the sources'' own caveat texts such as Sotkanet indicator 3336''s limits text. Severity not_comparable sets is_not_comparable in the marts; warning and info are shown as text. Loaded from pipelines/catalog/caveats*.csv.';
COMMENT ON COLUMN reference.caveats.caveat_id IS 'Stable id of the caveat: <file stem>:<line number in that file>.';
COMMENT ON COLUMN reference.caveats.measure_key IS 'Catalogue key of the measure the caveat applies to (reference.measures).';
COMMENT ON COLUMN reference.caveats.source_ref IS 'Source indicator or metric the caveat is limited to; NULL = every source_ref of the measure.';
COMMENT ON COLUMN reference.caveats.region_level IS 'Region level the caveat is limited to (wellbeing_area, country, cooperation_area); NULL = all levels.';
COMMENT ON COLUMN reference.caveats.region_code IS 'Region code the caveat is limited to (01-21, 90, 91, SSS, 1-5); NULL = all regions of the level.';
COMMENT ON COLUMN reference.caveats.year_from IS 'First statistical year the caveat applies to; NULL = from the beginning.';
COMMENT ON COLUMN reference.caveats.year_to IS 'Last statistical year the caveat applies to; NULL = open-ended.';
COMMENT ON COLUMN reference.caveats.severity IS 'not_comparable (value must not be compared: sets is_not_comparable and excludes it from ranks), warning or info (shown as text).';
COMMENT ON COLUMN reference.caveats.text_en IS 'Caveat text in English.';
COMMENT ON COLUMN reference.caveats.text_fi IS 'Caveat text in Finnish (the source''s own wording where it has one).';
COMMENT ON COLUMN reference.caveats.source IS 'Where the caveat text comes from, e.g. sotkanet:3336 limits.';
COMMENT ON COLUMN reference.caveats.file_name IS 'Catalogue file the caveat was loaded from.';
