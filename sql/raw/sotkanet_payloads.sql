-- raw.sotkanet_payloads: the archived payloads this run uses (one row per body), from the client.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE OR REPLACE TABLE raw.sotkanet_payloads AS
SELECT kind, indicator::INTEGER AS indicator_id, url, params, sha256, path, fetched_at::TIMESTAMPTZ::TIMESTAMP AS fetched_at,
       synthetic, data_updated, reused
FROM payload_frame;

COMMENT ON TABLE raw.sotkanet_payloads IS 'Sotkanet payloads of the latest run: which archived body (sha256, file) answers which request. Bodies live in the raw archive, byte for byte.';
COMMENT ON COLUMN raw.sotkanet_payloads.kind IS 'regions, indicator (metadata) or data.';
COMMENT ON COLUMN raw.sotkanet_payloads.indicator_id IS 'Sotkanet indicator id (NULL for the region list).';
COMMENT ON COLUMN raw.sotkanet_payloads.url IS 'Request URL without query.';
COMMENT ON COLUMN raw.sotkanet_payloads.params IS 'Query parameters in request order.';
COMMENT ON COLUMN raw.sotkanet_payloads.sha256 IS 'sha256 of the body (its name in the archive).';
COMMENT ON COLUMN raw.sotkanet_payloads.path IS 'Archive file holding the body.';
COMMENT ON COLUMN raw.sotkanet_payloads.fetched_at IS 'When the body was fetched (UTC).';
COMMENT ON COLUMN raw.sotkanet_payloads.synthetic IS 'True when the body holds synthetic sample values.';
COMMENT ON COLUMN raw.sotkanet_payloads.data_updated IS 'The indicator''s data-updated date at fetch time.';
COMMENT ON COLUMN raw.sotkanet_payloads.reused IS 'True when an unchanged earlier fetch was reused instead of downloading again.';
