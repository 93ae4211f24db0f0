-- staging.sotkanet_indicators: metadata of each fetched indicator, with producer and licence for attribution.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE OR REPLACE TABLE staging.sotkanet_indicators AS
WITH meta AS (
    SELECT *
    FROM read_json($paths, format = 'auto', filename = true, maximum_object_size = 67108864, columns = {
        id: 'INTEGER', "data-updated": 'VARCHAR', "range": 'STRUCT("start" INTEGER, "end" INTEGER)',
        title: 'STRUCT(fi VARCHAR, en VARCHAR, sv VARCHAR)', limits: 'STRUCT(fi VARCHAR, en VARCHAR, sv VARCHAR)',
        primaryValueType: 'STRUCT(code VARCHAR)', decimals: 'INTEGER',
        classifications: 'STRUCT(sex STRUCT("values" VARCHAR[]))',
        organization: 'STRUCT(id INTEGER, title STRUCT(fi VARCHAR, en VARCHAR, sv VARCHAR))'
    })
)
SELECT
    m.id AS indicator_id,
    TRY_CAST(m."data-updated" AS DATE) AS data_updated,
    m."range"."start" AS range_start,
    m."range"."end" AS range_end,
    trim(m.title.fi) AS title_fi,
    trim(m.title.sv) AS title_sv,
    trim(m.title.en) AS title_en,
    m.primaryValueType.code AS value_type_code,
    m.decimals,
    coalesce(nullif(m.classifications.sex."values", []), ['total']) AS genders,
    m.organization.id AS producer_id,
    m.organization.title.fi AS producer_fi,
    m.organization.title.sv AS producer_sv,
    m.organization.title.en AS producer_en,
    CASE WHEN m.organization.id = 2 THEN 'CC BY 4.0 (THL-produced indicator)'
         ELSE 'Producer''s own terms: reuse beyond Sotkanet needs an agreement with the producer' END AS licence,
    nullif(trim(m.limits.fi), '') AS limits_fi,
    nullif(trim(m.limits.sv), '') AS limits_sv,
    nullif(trim(m.limits.en), '') AS limits_en,
    'https://sotkanet.fi/sotkanet/fi/metadata/indicators/' || m.id AS metadata_url,
    p.sha256 AS payload_sha256,
    p.synthetic AS metadata_is_synthetic,
    d.sha256 AS data_payload_sha256,
    d.fetched_at AS data_fetched_at,
    d.synthetic AS data_is_synthetic
FROM meta m
JOIN raw.sotkanet_payloads p ON p.path = m.filename AND p.kind = 'indicator'
LEFT JOIN raw.sotkanet_payloads d ON d.kind = 'data' AND d.indicator_id = m.id;

COMMENT ON TABLE staging.sotkanet_indicators IS 'Sotkanet /indicators/{id} metadata of every fetched indicator: titles, range, unit code, genders, producer and licence (Sotkanet terms require naming the producer).';
COMMENT ON COLUMN staging.sotkanet_indicators.indicator_id IS 'Sotkanet indicator id.';
COMMENT ON COLUMN staging.sotkanet_indicators.data_updated IS 'Date the indicator''s data last changed (drives polite re-fetching).';
COMMENT ON COLUMN staging.sotkanet_indicators.range_start IS 'First year with data.';
COMMENT ON COLUMN staging.sotkanet_indicators.range_end IS 'Last year with data.';
COMMENT ON COLUMN staging.sotkanet_indicators.title_fi IS 'Title in Finnish.';
COMMENT ON COLUMN staging.sotkanet_indicators.title_sv IS 'Title in Swedish.';
COMMENT ON COLUMN staging.sotkanet_indicators.title_en IS 'Title in English.';
COMMENT ON COLUMN staging.sotkanet_indicators.value_type_code IS 'primaryValueType code, e.g. PER10000, PROS, INDEKSI.';
COMMENT ON COLUMN staging.sotkanet_indicators.decimals IS 'Decimals the values are rounded to.';
COMMENT ON COLUMN staging.sotkanet_indicators.genders IS 'Genders the indicator publishes (total when none declared).';
COMMENT ON COLUMN staging.sotkanet_indicators.producer_id IS 'Producer organisation id.';
COMMENT ON COLUMN staging.sotkanet_indicators.producer_fi IS 'Producer in Finnish.';
COMMENT ON COLUMN staging.sotkanet_indicators.producer_sv IS 'Producer in Swedish.';
COMMENT ON COLUMN staging.sotkanet_indicators.producer_en IS 'Producer in English.';
COMMENT ON COLUMN staging.sotkanet_indicators.licence IS 'Licence of the data for attribution.';
COMMENT ON COLUMN staging.sotkanet_indicators.limits_fi IS 'The indicator''s limits text in Finnish (HTML), e.g. known reporting gaps.';
COMMENT ON COLUMN staging.sotkanet_indicators.limits_sv IS 'Limits text in Swedish (HTML).';
COMMENT ON COLUMN staging.sotkanet_indicators.limits_en IS 'Limits text in English (HTML).';
COMMENT ON COLUMN staging.sotkanet_indicators.metadata_url IS 'Human-readable metadata page.';
COMMENT ON COLUMN staging.sotkanet_indicators.payload_sha256 IS 'Archived metadata body.';
COMMENT ON COLUMN staging.sotkanet_indicators.metadata_is_synthetic IS 'True when the metadata body is bundled synthetic sample.';
COMMENT ON COLUMN staging.sotkanet_indicators.data_payload_sha256 IS 'Archived /data body of the indicator; NULL when no data was fetched.';
COMMENT ON COLUMN staging.sotkanet_indicators.data_fetched_at IS 'When that data body was fetched (UTC).';
COMMENT ON COLUMN staging.sotkanet_indicators.data_is_synthetic IS 'True when the data body is the bundled synthetic sample.';
