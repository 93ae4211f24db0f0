-- reference.sotkanet_indicators: the Sotkanet indicators the pipeline uses, with producer and
-- licence for attribution (published in serving.duckdb), joined to the catalogue.
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.sotkanet_indicators AS
SELECT
    c.indicator_id::INTEGER AS indicator_id,
    c.measure_key,
    c.unit,
    c.why AS used_for,
    i.title_fi, i.title_sv, i.title_en,
    i.producer_fi, i.producer_sv, i.producer_en,
    i.licence,
    i.data_updated,
    i.range_start,
    i.range_end,
    i.value_type_code,
    i.decimals,
    i.genders,
    i.limits_fi, i.limits_sv, i.limits_en,
    i.metadata_url,
    i.metadata_is_synthetic
FROM read_csv($indicators_csv, header = true, all_varchar = true) c
LEFT JOIN staging.sotkanet_indicators i ON i.indicator_id = c.indicator_id::INTEGER
ORDER BY indicator_id;

COMMENT ON TABLE reference.sotkanet_indicators IS 'Sotkanet indicators used by the marts, with title, producer, licence and limits text. Cite Sotkanet (https://sotkanet.fi) and the producer when you reuse the values.';
COMMENT ON COLUMN reference.sotkanet_indicators.indicator_id IS 'Sotkanet indicator id.';
COMMENT ON COLUMN reference.sotkanet_indicators.measure_key IS 'Catalogue measure it backs, or sotkanet:<id> for supporting indicators.';
COMMENT ON COLUMN reference.sotkanet_indicators.unit IS 'Unit in the project vocabulary.';
COMMENT ON COLUMN reference.sotkanet_indicators.used_for IS 'Why the pipeline fetches it.';
COMMENT ON COLUMN reference.sotkanet_indicators.title_fi IS 'Title in Finnish.';
COMMENT ON COLUMN reference.sotkanet_indicators.title_sv IS 'Title in Swedish.';
COMMENT ON COLUMN reference.sotkanet_indicators.title_en IS 'Title in English.';
COMMENT ON COLUMN reference.sotkanet_indicators.producer_fi IS 'Producer in Finnish.';
COMMENT ON COLUMN reference.sotkanet_indicators.producer_sv IS 'Producer in Swedish.';
COMMENT ON COLUMN reference.sotkanet_indicators.producer_en IS 'Producer in English.';
COMMENT ON COLUMN reference.sotkanet_indicators.licence IS 'Licence for attribution.';
COMMENT ON COLUMN reference.sotkanet_indicators.data_updated IS 'When the indicator''s data last changed at the source.';
COMMENT ON COLUMN reference.sotkanet_indicators.range_start IS 'First year published.';
COMMENT ON COLUMN reference.sotkanet_indicators.range_end IS 'Last year published.';
COMMENT ON COLUMN reference.sotkanet_indicators.value_type_code IS 'Sotkanet primaryValueType code.';
COMMENT ON COLUMN reference.sotkanet_indicators.decimals IS 'Decimals published.';
COMMENT ON COLUMN reference.sotkanet_indicators.genders IS 'Genders published.';
COMMENT ON COLUMN reference.sotkanet_indicators.limits_fi IS 'Source''s limits text (Finnish, HTML).';
COMMENT ON COLUMN reference.sotkanet_indicators.limits_sv IS 'Source''s limits text (Swedish, HTML).';
COMMENT ON COLUMN reference.sotkanet_indicators.limits_en IS 'Source''s limits text (English, HTML).';
COMMENT ON COLUMN reference.sotkanet_indicators.metadata_url IS 'Sotkanet metadata page.';
COMMENT ON COLUMN reference.sotkanet_indicators.metadata_is_synthetic IS 'True when the metadata is bundled synthetic sample.';
