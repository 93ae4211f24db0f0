-- raw.personnel_deliveries: the ledger of personnel-report deliveries. Created once, then written
-- per delivery by personnel_deliveries_accept.sql / personnel_deliveries_reject.sql (one transaction per file).
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE IF NOT EXISTS raw.personnel_deliveries (
    delivery_sha256 VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,
    area_code VARCHAR,
    year INTEGER,
    received_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL,
    replaced_by VARCHAR,
    row_count INTEGER NOT NULL,
    is_synthetic BOOLEAN NOT NULL,
    issue_count INTEGER NOT NULL,
    error_summary VARCHAR,
    report_path VARCHAR
);

COMMENT ON TABLE raw.personnel_deliveries IS 'Every personnel-report delivery received (objective 2.1.2): one row per accepted file x county x year, one row per rejected file. The current figures of a county-year come from its one delivery with status accepted.';
COMMENT ON COLUMN raw.personnel_deliveries.delivery_sha256 IS 'sha256 of the delivered file; the bytes are in the raw archive (source personnel).';
COMMENT ON COLUMN raw.personnel_deliveries.file_name IS 'File name as delivered.';
COMMENT ON COLUMN raw.personnel_deliveries.origin IS 'replay (bundled sample archive) or landing (dropped into the landing folder).';
COMMENT ON COLUMN raw.personnel_deliveries.area_code IS 'Wellbeing services county code 01-21, 90 delivered by the file; NULL for a rejected file.';
COMMENT ON COLUMN raw.personnel_deliveries.year IS 'Reporting year delivered by the file; NULL for a rejected file.';
COMMENT ON COLUMN raw.personnel_deliveries.received_at IS 'When the file was received (UTC): archive time in replay mode, ingestion time for landing files.';
COMMENT ON COLUMN raw.personnel_deliveries.status IS 'accepted (current figures), replaced (a later accepted delivery for the same county and year superseded it) or rejected (quarantined).';
COMMENT ON COLUMN raw.personnel_deliveries.replaced_by IS 'sha256 of the delivery that replaced this one, when status is replaced.';
COMMENT ON COLUMN raw.personnel_deliveries.row_count IS 'Validated data rows for this county and year (0 when rejected).';
COMMENT ON COLUMN raw.personnel_deliveries.is_synthetic IS 'True when the file is synthetic sample data (archive flag or a SYNTHETIC note in the file).';
COMMENT ON COLUMN raw.personnel_deliveries.issue_count IS 'Number of problems found (0 when accepted).';
COMMENT ON COLUMN raw.personnel_deliveries.error_summary IS 'The first problems found, when rejected; the full list is in the error report.';
COMMENT ON COLUMN raw.personnel_deliveries.report_path IS 'Path of the error report (.errors.txt) written for a rejected file.';
