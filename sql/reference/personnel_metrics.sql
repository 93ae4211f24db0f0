-- reference.personnel_metrics: The personnel-report metrics (pipelines/catalog/personnel/, also read by the parser).
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.personnel_metrics AS
SELECT metric, unit, breakdowns, definition
FROM read_csv($personnel_metrics_csv, header = true, all_varchar = true);

COMMENT ON TABLE reference.personnel_metrics IS 'Metrics a county personnel delivery may report (pipelines/catalog/personnel/metrics.csv; docs/personnel_format.md).';
COMMENT ON COLUMN reference.personnel_metrics.metric IS 'Metric code as in staging.personnel_report.metric, e.g. person_years_htv2.';
COMMENT ON COLUMN reference.personnel_metrics.unit IS 'The unit the delivery states for the metric (persons, htv, percent, years, days, days_per_htv, eur, rank, count).';
COMMENT ON COLUMN reference.personnel_metrics.breakdowns IS 'The breakdown set allowed for the metric (reference.personnel_breakdowns.breakdowns).';
COMMENT ON COLUMN reference.personnel_metrics.definition IS 'What the metric counts (KT 2021 based).';
