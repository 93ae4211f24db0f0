-- reference.personnel_breakdowns: The personnel-report breakdown sets (pipelines/catalog/personnel/, also read by the parser).
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.personnel_breakdowns AS
SELECT breakdowns, breakdown, lower(is_55_plus) = 'true' AS is_55_plus
FROM read_csv($personnel_breakdowns_csv, header = true, all_varchar = true);

COMMENT ON TABLE reference.personnel_breakdowns IS 'Breakdown sets of the personnel metrics: total, headcount (permanent, fixed_term), leaver reasons, age bands.';
COMMENT ON COLUMN reference.personnel_breakdowns.breakdowns IS 'Name of the set: total, headcount, leaver or age_band.';
COMMENT ON COLUMN reference.personnel_breakdowns.breakdown IS 'Breakdown code as in staging.personnel_report.breakdown.';
COMMENT ON COLUMN reference.personnel_breakdowns.is_55_plus IS 'True for the age bands counted in the share aged 55 or over (2.1.2 measure).';
