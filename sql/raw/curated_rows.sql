-- raw.curated_rows: the validated rows of every accepted curated delivery, as delivered (relation
-- curated_rows, registered by pipelines/sources/curated/ingest.py); built with raw.curated_deliveries.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE OR REPLACE TABLE raw.curated_rows AS
SELECT
    CAST(delivery_sha256 AS VARCHAR)    AS delivery_sha256,
    CAST(file_name AS VARCHAR)          AS file_name,
    CAST(sheet AS VARCHAR)              AS sheet,
    CAST(file_row AS INTEGER)           AS file_row,
    CAST(delivery_order AS INTEGER)     AS delivery_order,
    CAST(received_at AS TIMESTAMP)      AS received_at,
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
    CAST(is_synthetic AS BOOLEAN)       AS is_synthetic
FROM curated_rows
ORDER BY delivery_order, file_row;

COMMENT ON TABLE raw.curated_rows IS 'Every validated row of every accepted curated delivery, earlier deliveries included; staging.curated keeps the latest per measure, region and year.';
COMMENT ON COLUMN raw.curated_rows.delivery_sha256 IS 'sha256 of the delivered file (raw archive).';
COMMENT ON COLUMN raw.curated_rows.file_name IS 'Delivered file name.';
COMMENT ON COLUMN raw.curated_rows.sheet IS 'XLSX sheet of the row; NULL for CSV.';
COMMENT ON COLUMN raw.curated_rows.file_row IS 'Row number in that file as a spreadsheet shows it.';
COMMENT ON COLUMN raw.curated_rows.delivery_order IS 'Order of the delivery among the accepted ones (later replaces earlier).';
COMMENT ON COLUMN raw.curated_rows.received_at IS 'When the file was received (UTC).';
COMMENT ON COLUMN raw.curated_rows.measure_key IS 'Catalogue key of the measure, as validated.';
COMMENT ON COLUMN raw.curated_rows.objective_key IS 'Objective of the measure.';
COMMENT ON COLUMN raw.curated_rows.region_level IS 'wellbeing_area, cooperation_area or country.';
COMMENT ON COLUMN raw.curated_rows.region_code IS 'Organiser code 01-21 / 90, cooperation area 1-5, or SSS.';
COMMENT ON COLUMN raw.curated_rows.year IS 'Year the value describes.';
COMMENT ON COLUMN raw.curated_rows.value IS 'The figure, or the numeric grade 1-5 for assessments; NULL for an explicit gap.';
COMMENT ON COLUMN raw.curated_rows.value_text IS 'Grade label or free text given with the value.';
COMMENT ON COLUMN raw.curated_rows.unit IS 'Unit of the measure from the catalogue.';
COMMENT ON COLUMN raw.curated_rows.missing_reason IS 'The delivery''s note when no value was given.';
COMMENT ON COLUMN raw.curated_rows.source_reference IS 'Publication or document the value was taken from, as delivered.';
COMMENT ON COLUMN raw.curated_rows.note IS 'Free-text note of the delivery row.';
COMMENT ON COLUMN raw.curated_rows.is_synthetic IS 'True for bundled synthetic sample rows (not official figures).';
