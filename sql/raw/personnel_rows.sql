-- raw.personnel_rows: the validated rows of every accepted personnel-report delivery. Created once,
-- then filled by personnel_deliveries_accept.sql.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE IF NOT EXISTS raw.personnel_rows (
    delivery_sha256 VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sheet VARCHAR,
    file_row INTEGER NOT NULL,
    area_code VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    staff_group VARCHAR NOT NULL,
    metric VARCHAR NOT NULL,
    breakdown VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    staff_group_label_src VARCHAR,
    method VARCHAR,
    reference_date DATE,
    source_url VARCHAR,
    source_page VARCHAR,
    extracted_by VARCHAR,
    extracted_at DATE,
    note VARCHAR,
    is_synthetic BOOLEAN NOT NULL
);

COMMENT ON TABLE raw.personnel_rows IS 'Validated rows of every accepted personnel-report delivery, kept per delivery (replaced deliveries too, for audit). Canonical format: docs/personnel_format.md.';
COMMENT ON COLUMN raw.personnel_rows.delivery_sha256 IS 'sha256 of the delivered file (raw.personnel_deliveries, raw archive).';
COMMENT ON COLUMN raw.personnel_rows.file_name IS 'File name as delivered.';
COMMENT ON COLUMN raw.personnel_rows.sheet IS 'XLSX sheet the row came from; NULL for CSV.';
COMMENT ON COLUMN raw.personnel_rows.file_row IS 'Row number in the file as a spreadsheet shows it.';
COMMENT ON COLUMN raw.personnel_rows.area_code IS 'Wellbeing services county code 01-21, 90 (Helsinki).';
COMMENT ON COLUMN raw.personnel_rows.year IS 'Reporting year.';
COMMENT ON COLUMN raw.personnel_rows.staff_group IS 'Staff group code: all, nurse, practical_nurse, physician, social_worker, ...';
COMMENT ON COLUMN raw.personnel_rows.metric IS 'Metric of the canonical vocabulary (headcount, person_years_htv2, age_band_count, ...).';
COMMENT ON COLUMN raw.personnel_rows.breakdown IS 'total, permanent/fixed_term, an age band (<25 ... 65+) or a leaving reason.';
COMMENT ON COLUMN raw.personnel_rows.value IS 'The delivered figure, in unit.';
COMMENT ON COLUMN raw.personnel_rows.unit IS 'persons, htv, days, days_per_htv, percent, eur, years, rank or count (fixed per metric).';
COMMENT ON COLUMN raw.personnel_rows.staff_group_label_src IS 'Staff group name as written in the county report.';
COMMENT ON COLUMN raw.personnel_rows.method IS 'KT2021 when the report follows the KT 2021 recommendation, else own:<text>.';
COMMENT ON COLUMN raw.personnel_rows.reference_date IS 'Date of a stock figure (e.g. 31.12).';
COMMENT ON COLUMN raw.personnel_rows.source_url IS 'URL of the personnel report (PDF) the figure was taken from.';
COMMENT ON COLUMN raw.personnel_rows.source_page IS 'Page or table in the report.';
COMMENT ON COLUMN raw.personnel_rows.extracted_by IS 'Who extracted the figure.';
COMMENT ON COLUMN raw.personnel_rows.extracted_at IS 'When the figure was extracted.';
COMMENT ON COLUMN raw.personnel_rows.note IS 'Caveats: series break, scope, SYNTHETIC marker for sample data.';
COMMENT ON COLUMN raw.personnel_rows.is_synthetic IS 'True when the row is synthetic sample data, not an official statistic.';
