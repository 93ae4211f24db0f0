-- staging.personnel_report: the current personnel-report rows, one per county x year x staff
-- group x metric x breakdown, from the one accepted delivery of each county-year.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE OR REPLACE TABLE staging.personnel_report AS
WITH current_deliveries AS (
    SELECT delivery_sha256, area_code, year, received_at, is_synthetic
    FROM raw.personnel_deliveries
    WHERE status = 'accepted'
)
SELECT
    r.area_code,
    r.year,
    r.staff_group,
    r.metric,
    r.breakdown,
    r.value,
    r.unit,
    CASE WHEN r.unit = 'percent' THEN r.value END AS percent_value,
    r.staff_group_label_src,
    r.method,
    r.reference_date,
    r.source_url,
    r.source_page,
    r.note,
    r.delivery_sha256,
    r.file_name,
    r.file_row,
    d.received_at,
    r.is_synthetic OR d.is_synthetic AS is_synthetic
FROM raw.personnel_rows AS r
JOIN current_deliveries AS d USING (delivery_sha256, area_code, year)
ORDER BY r.area_code, r.year, r.staff_group, r.metric, r.breakdown;

COMMENT ON TABLE staging.personnel_report IS 'Current personnel-report figures (objective 2.1.2): rows of the accepted delivery of each county and year. Key: area_code, year, staff_group, metric, breakdown.';
COMMENT ON COLUMN staging.personnel_report.area_code IS 'Wellbeing services county code 01-21, 90 (Helsinki).';
COMMENT ON COLUMN staging.personnel_report.year IS 'Reporting year.';
COMMENT ON COLUMN staging.personnel_report.staff_group IS 'Staff group code; all = whole staff.';
COMMENT ON COLUMN staging.personnel_report.metric IS 'Metric of the canonical vocabulary (docs/personnel_format.md).';
COMMENT ON COLUMN staging.personnel_report.breakdown IS 'total, permanent/fixed_term, age band or leaving reason.';
COMMENT ON COLUMN staging.personnel_report.value IS 'The delivered figure, in unit.';
COMMENT ON COLUMN staging.personnel_report.unit IS 'Unit fixed by the metric: persons, htv, days, days_per_htv, percent, eur, years, rank, count.';
COMMENT ON COLUMN staging.personnel_report.percent_value IS 'value when unit is percent, else NULL (lets the checks test the 0-100 range).';
COMMENT ON COLUMN staging.personnel_report.staff_group_label_src IS 'Staff group name as written in the county report.';
COMMENT ON COLUMN staging.personnel_report.method IS 'KT2021 or own:<text>.';
COMMENT ON COLUMN staging.personnel_report.reference_date IS 'Date of a stock figure.';
COMMENT ON COLUMN staging.personnel_report.source_url IS 'URL of the personnel report the figure was taken from.';
COMMENT ON COLUMN staging.personnel_report.source_page IS 'Page or table in the report.';
COMMENT ON COLUMN staging.personnel_report.note IS 'Caveats; SYNTHETIC marks sample data.';
COMMENT ON COLUMN staging.personnel_report.delivery_sha256 IS 'sha256 of the delivered file (raw archive).';
COMMENT ON COLUMN staging.personnel_report.file_name IS 'Delivered file name.';
COMMENT ON COLUMN staging.personnel_report.file_row IS 'Row number in the delivered file.';
COMMENT ON COLUMN staging.personnel_report.received_at IS 'When the delivery was received (UTC).';
COMMENT ON COLUMN staging.personnel_report.is_synthetic IS 'True when the figure is synthetic sample data, not an official statistic.';
