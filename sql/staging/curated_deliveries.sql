-- staging.curated_deliveries: the ledger of curated deliveries seen (relation curated_ledger), with
-- how many of each delivery's rows are in use in staging.curated (built just before, same build).
CREATE SCHEMA IF NOT EXISTS staging;

CREATE OR REPLACE TABLE staging.curated_deliveries AS
SELECT
    CAST(file_name AS VARCHAR)       AS file_name,
    CAST(delivery_sha256 AS VARCHAR) AS delivery_sha256,
    CAST(origin AS VARCHAR)          AS origin,
    CAST(status AS VARCHAR)          AS status,
    CAST(received_at AS TIMESTAMP)   AS received_at,
    CAST(row_count AS INTEGER)       AS row_count,
    CAST(rows_in_use AS INTEGER)     AS rows_in_use,
    CAST(is_synthetic AS BOOLEAN)    AS is_synthetic,
    CAST(error_summary AS VARCHAR)   AS error_summary,
    CAST(report_path AS VARCHAR)     AS report_path
FROM (
    SELECT l.*, (SELECT count(*) FROM staging.curated c WHERE c.delivery_sha256 = l.delivery_sha256) AS rows_in_use
    FROM curated_ledger l
)
ORDER BY received_at, file_name;

COMMENT ON TABLE staging.curated_deliveries IS 'Every curated delivery seen: accepted (rows in staging.curated unless replaced by a later delivery) or rejected (with the error summary and report path).';
COMMENT ON COLUMN staging.curated_deliveries.file_name IS 'Delivered file name.';
COMMENT ON COLUMN staging.curated_deliveries.delivery_sha256 IS 'sha256 of the file (raw archive).';
COMMENT ON COLUMN staging.curated_deliveries.origin IS 'replay (bundled sample archive), archive (accepted earlier, from the runtime archive) or landing (new file).';
COMMENT ON COLUMN staging.curated_deliveries.status IS 'accepted or rejected.';
COMMENT ON COLUMN staging.curated_deliveries.received_at IS 'When the file was received (UTC).';
COMMENT ON COLUMN staging.curated_deliveries.row_count IS 'Valid rows in the file (0 when rejected).';
COMMENT ON COLUMN staging.curated_deliveries.rows_in_use IS 'Rows of the file still current in staging.curated (later deliveries replace earlier ones).';
COMMENT ON COLUMN staging.curated_deliveries.is_synthetic IS 'True when every row of the file is synthetic sample data.';
COMMENT ON COLUMN staging.curated_deliveries.error_summary IS 'First problems found when rejected; the full list is in the report.';
COMMENT ON COLUMN staging.curated_deliveries.report_path IS 'Error report (.errors.txt) of a rejected file.';
