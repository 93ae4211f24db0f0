-- raw.curated_deliveries: the ledger of every curated delivery seen (relation curated_ledger,
-- registered by pipelines/sources/curated/ingest.py), rebuilt from the archives and the landing
-- folder with raw.curated_rows in one build. Rows in use: staging.curated.delivery_sha256.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE OR REPLACE TABLE raw.curated_deliveries AS
SELECT
    CAST(file_name AS VARCHAR)       AS file_name,
    CAST(delivery_sha256 AS VARCHAR) AS delivery_sha256,
    CAST(origin AS VARCHAR)          AS origin,
    CAST(status AS VARCHAR)          AS status,
    CAST(received_at AS TIMESTAMP)   AS received_at,
    CAST(row_count AS INTEGER)       AS row_count,
    CAST(is_synthetic AS BOOLEAN)    AS is_synthetic,
    CAST(error_summary AS VARCHAR)   AS error_summary,
    CAST(report_path AS VARCHAR)     AS report_path
FROM curated_ledger
ORDER BY received_at, file_name;

COMMENT ON TABLE raw.curated_deliveries IS 'Every curated delivery seen: accepted (rows in raw.curated_rows; current ones in staging.curated) or rejected (with the error summary and report path).';
COMMENT ON COLUMN raw.curated_deliveries.file_name IS 'Delivered file name.';
COMMENT ON COLUMN raw.curated_deliveries.delivery_sha256 IS 'sha256 of the file (raw archive).';
COMMENT ON COLUMN raw.curated_deliveries.origin IS 'replay (bundled sample archive), archive (accepted earlier, from the runtime archive) or landing (new file).';
COMMENT ON COLUMN raw.curated_deliveries.status IS 'accepted or rejected.';
COMMENT ON COLUMN raw.curated_deliveries.received_at IS 'When the file was received (UTC).';
COMMENT ON COLUMN raw.curated_deliveries.row_count IS 'Valid rows in the file (0 when rejected).';
COMMENT ON COLUMN raw.curated_deliveries.is_synthetic IS 'True when every row of the file is synthetic sample data.';
COMMENT ON COLUMN raw.curated_deliveries.error_summary IS 'First problems found when rejected; the full list is in the report.';
COMMENT ON COLUMN raw.curated_deliveries.report_path IS 'Error report (.errors.txt) of a rejected file.';
