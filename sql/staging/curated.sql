-- staging.curated: the current curated figures: of the validated rows of every accepted delivery
-- (raw.curated_rows), a later delivery of the same measure, region and year replaces an earlier one.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE OR REPLACE TABLE staging.curated AS
WITH ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY measure_key, region_level, region_code, year
                              ORDER BY delivery_order DESC, file_row DESC) AS recency
    FROM raw.curated_rows
)
SELECT
    CAST(measure_key AS VARCHAR)        AS measure_key,
    CAST(objective_key AS VARCHAR)      AS objective_key,
    CAST(region_level AS VARCHAR)       AS region_level,
    CAST(region_code AS VARCHAR)        AS region_code,
    CAST(year AS INTEGER)               AS year,
    CAST(value AS DOUBLE)               AS value,
    CAST(value_text AS VARCHAR)         AS value_text,
    CAST(unit AS VARCHAR)               AS unit,
    CAST(missing_reason AS VARCHAR)     AS missing_reason,
    CAST(source_reference AS VARCHAR)   AS source_reference,
    CAST(note AS VARCHAR)               AS note,
    CAST(is_synthetic AS BOOLEAN)       AS is_synthetic,
    CAST(file_name AS VARCHAR)          AS file_name,
    CAST(sheet AS VARCHAR)              AS sheet,
    CAST(file_row AS INTEGER)           AS file_row,
    CAST(delivery_sha256 AS VARCHAR)    AS delivery_sha256,
    CAST(received_at AS TIMESTAMP)      AS received_at
FROM ranked
WHERE recency = 1
ORDER BY measure_key, region_level, region_code, year;

COMMENT ON TABLE staging.curated IS 'Curated measure values (assessments, finance figures) from the curated deliveries, validated; the latest delivery of a measure, region and year wins. See docs/curated_format.md.';
COMMENT ON COLUMN staging.curated.measure_key IS 'Catalogue key of a curated measure (reference.measures.status = curated).';
COMMENT ON COLUMN staging.curated.objective_key IS 'Objective of the measure.';
COMMENT ON COLUMN staging.curated.region_level IS 'wellbeing_area, cooperation_area (measures reported per area) or country.';
COMMENT ON COLUMN staging.curated.region_code IS 'Organiser code 01-21 / 90, cooperation area 1-5, or SSS.';
COMMENT ON COLUMN staging.curated.year IS 'Year the value describes.';
COMMENT ON COLUMN staging.curated.value IS 'The figure in unit, or the numeric grade 1-5 for assessments; NULL for an explicit gap.';
COMMENT ON COLUMN staging.curated.value_text IS 'Grade label of the assessment scale (or free text given with a value).';
COMMENT ON COLUMN staging.curated.unit IS 'Unit of the measure from the catalogue (grade for assessments).';
COMMENT ON COLUMN staging.curated.missing_reason IS 'The delivery''s note when no value was given.';
COMMENT ON COLUMN staging.curated.source_reference IS 'Publication or document the value was taken from, as delivered.';
COMMENT ON COLUMN staging.curated.note IS 'Free-text note of the delivery row.';
COMMENT ON COLUMN staging.curated.is_synthetic IS 'True for bundled synthetic sample rows (not official figures).';
COMMENT ON COLUMN staging.curated.file_name IS 'Delivered file the row came from.';
COMMENT ON COLUMN staging.curated.sheet IS 'XLSX sheet of the row; NULL for CSV.';
COMMENT ON COLUMN staging.curated.file_row IS 'Row number in that file as a spreadsheet shows it.';
COMMENT ON COLUMN staging.curated.delivery_sha256 IS 'sha256 of the delivered file (raw archive).';
COMMENT ON COLUMN staging.curated.received_at IS 'When the file was received (UTC).';
