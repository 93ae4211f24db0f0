-- Reference SELECT list of the measure_values contract (pipelines/contract.py): every
-- fragments.<source> table carries exactly these columns, in any order.
SELECT
    CAST(NULL AS VARCHAR)   AS measure_key,
    CAST(NULL AS VARCHAR)   AS objective_key,
    CAST(NULL AS VARCHAR)   AS region_level,
    CAST(NULL AS VARCHAR)   AS region_code,
    CAST(NULL AS INTEGER)   AS year,
    CAST(NULL AS VARCHAR)   AS source_ref,
    CAST(NULL AS VARCHAR)   AS breakdown,
    CAST(NULL AS VARCHAR)   AS breakdown_detail,
    CAST(NULL AS DOUBLE)    AS value,
    CAST(NULL AS VARCHAR)   AS value_text,
    CAST(NULL AS VARCHAR)   AS unit,
    CAST(NULL AS BOOLEAN)   AS is_suppressed,
    CAST(NULL AS VARCHAR)   AS missing_reason,
    CAST(NULL AS VARCHAR)   AS value_origin,
    CAST(NULL AS BOOLEAN)   AS is_synthetic,
    CAST(NULL AS VARCHAR)   AS source,
    CAST(NULL AS VARCHAR)   AS payload_sha256,
    CAST(NULL AS TIMESTAMP) AS fetched_at
WHERE false
