-- reference.units: The unit vocabulary and each unit's range and decimals, from pipelines/catalog/units.csv.
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.units AS
SELECT unit, description, TRY_CAST(min_value AS DOUBLE) AS min_value, TRY_CAST(max_value AS DOUBLE) AS max_value,
       comparison_basis, CAST(decimals AS INTEGER) AS decimals, label_fi, label_sv, label_en,
       TRY_CAST(nullif(stable_threshold, '') AS DOUBLE) AS stable_threshold, nullif(stable_threshold_kind, '') AS stable_threshold_kind
FROM read_csv($units_csv, header = true, all_varchar = true);

COMMENT ON TABLE reference.units IS 'Controlled vocabulary of units, with the range of values each allows (checked on every table).';
COMMENT ON COLUMN reference.units.unit IS 'Unit code.';
COMMENT ON COLUMN reference.units.description IS 'What the unit means.';
COMMENT ON COLUMN reference.units.min_value IS 'Smallest allowed value (NULL = unbounded).';
COMMENT ON COLUMN reference.units.max_value IS 'Largest allowed value (NULL = unbounded).';
COMMENT ON COLUMN reference.units.comparison_basis IS 'Default comparison basis of figures in this unit: rate, total or grade (vocabulary comparison_basis).';
COMMENT ON COLUMN reference.units.decimals IS 'Decimals for display when the source publishes none (derived, personnel and curated figures).';
COMMENT ON COLUMN reference.units.label_fi IS 'Unit label in Finnish for display.';
COMMENT ON COLUMN reference.units.label_sv IS 'Unit label in Swedish for display (working translation).';
COMMENT ON COLUMN reference.units.label_en IS 'Unit label in English for display.';
COMMENT ON COLUMN reference.units.stable_threshold IS 'Band around the baseline within which a change counts as stable (trend_direction = stable, edge included): in the unit itself when stable_threshold_kind = absolute (percent: 1 percentage point), in per cent of the baseline value when relative (3 %); NULL for totals, which get no trend.';
COMMENT ON COLUMN reference.units.stable_threshold_kind IS 'absolute (stable_threshold is in the unit) or relative (per cent of abs(baseline_value)).';
