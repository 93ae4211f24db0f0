-- staging.thl_values: THL cube values aggregated from periods (months, four-monthly snapshots)
-- to the year by the rule each cube spec documents, mapped to canonical regions and breakdowns.
-- Rule (spec measure.aggregation):
--   weighted_mean: sum(share * weight) / sum(weight) over the year's periods with a share, the
--                  weight being the spec's count measure (visits, persons waiting);
--   mean (or weighted_mean with a missing weight): plain mean of the shares.
--   Any suppressed period suppresses the year (value NULL, is_suppressed true): a mean over the
--   remaining periods would be biased towards the larger periods.
-- Many-to-one provider nodes (HUS) fan out to each organiser with is_comparable = false.
-- Inputs: staging.thl_cells, staging.thl_region_map and the spec frames thl_spec_in,
-- thl_breakdown_in registered by assets/thl_cubes.py.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE OR REPLACE TABLE staging.thl_values AS
WITH spec AS (
    SELECT
        CAST(spec_key AS VARCHAR) AS spec_key, CAST(measure_key AS VARCHAR) AS measure_key,
        CAST(objective_key AS VARCHAR) AS objective_key, CAST(value_sid AS VARCHAR) AS value_sid,
        CAST(weight_sid AS VARCHAR) AS weight_sid, CAST(aggregation AS VARCHAR) AS aggregation,
        CAST(period_stage AS VARCHAR) AS period_stage, CAST(year_pattern AS VARCHAR) AS year_pattern,
        CAST(unit AS VARCHAR) AS unit
    FROM thl_spec_in
),
breakdowns AS (
    SELECT CAST(spec_key AS VARCHAR) AS spec_key, CAST(sid AS VARCHAR) AS sid, CAST(breakdown AS VARCHAR) AS breakdown
    FROM thl_breakdown_in
),
periods AS (
    SELECT
        c.spec_key,
        c.region_sid,
        c.breakdown_sid,
        c.time_sid,
        CAST(nullif(regexp_extract(c.time_code, s.year_pattern, 1), '') AS INTEGER) AS year,
        max(c.value) FILTER (WHERE c.measure_sid = s.value_sid) AS share,
        max(c.value_text) FILTER (WHERE c.measure_sid = s.value_sid) AS share_text,
        coalesce(bool_or(c.is_suppressed) FILTER (WHERE c.measure_sid = s.value_sid), false) AS suppressed,
        max(c.value) FILTER (WHERE c.measure_sid = s.weight_sid) AS weight,
        min(c.payload_sha256) AS payload_sha256,
        max(c.fetched_at) AS fetched_at,
        bool_or(c.is_synthetic) AS is_synthetic
    FROM staging.thl_cells c
    JOIN spec s ON s.spec_key = c.spec_key
    WHERE c.time_stage = s.period_stage
    GROUP BY c.spec_key, c.region_sid, c.breakdown_sid, c.time_sid, c.time_code, s.year_pattern
),
yearly AS (
    SELECT
        p.spec_key,
        p.region_sid,
        p.breakdown_sid,
        p.year,
        count(*) AS periods_in_year,
        count(p.share) AS periods_with_value,
        count(*) FILTER (WHERE p.suppressed) AS periods_suppressed,
        string_agg(DISTINCT p.share_text, ' ') FILTER (WHERE p.share IS NULL AND p.share_text IS NOT NULL AND NOT p.suppressed)
            AS other_markers,
        coalesce(bool_and(p.weight IS NOT NULL AND p.weight > 0) FILTER (WHERE p.share IS NOT NULL), false) AS all_weighted,
        sum(p.share * p.weight) FILTER (WHERE p.share IS NOT NULL) AS weighted_sum,
        sum(p.weight) FILTER (WHERE p.share IS NOT NULL) AS weight_sum,
        avg(p.share) AS mean_share,
        min(p.payload_sha256) AS payload_sha256,
        max(p.fetched_at) AS fetched_at,
        bool_or(p.is_synthetic) AS is_synthetic
    FROM periods p
    GROUP BY p.spec_key, p.region_sid, p.breakdown_sid, p.year
),
valued AS (
    SELECT
        y.*,
        s.measure_key, s.objective_key, s.value_sid AS source_ref, s.unit,
        CASE
            WHEN y.periods_suppressed > 0 OR y.periods_with_value = 0 THEN NULL
            WHEN s.aggregation = 'weighted_mean' AND y.all_weighted THEN 'weighted_mean'
            ELSE 'mean'
        END AS aggregation_method
    FROM yearly y
    JOIN spec s ON s.spec_key = y.spec_key
)
SELECT
    v.spec_key,
    v.measure_key,
    v.objective_key,
    v.source_ref,
    m.region_level,
    m.region_code,
    v.year,
    CASE WHEN v.breakdown_sid IS NULL THEN 'total' ELSE b.breakdown END AS breakdown,
    'total' AS breakdown_detail,
    CASE v.aggregation_method
        WHEN 'weighted_mean' THEN v.weighted_sum / v.weight_sum
        WHEN 'mean' THEN v.mean_share
    END AS value,
    v.unit,
    v.periods_suppressed > 0 AS is_suppressed,
    v.other_markers,
    v.aggregation_method,
    v.periods_in_year,
    v.periods_with_value,
    v.periods_suppressed,
    v.region_sid,
    v.breakdown_sid,
    m.is_comparable,
    m.caveat_en,
    m.caveat_fi,
    v.payload_sha256,
    v.fetched_at,
    v.is_synthetic
FROM valued v
JOIN staging.thl_region_map m ON m.spec_key = v.spec_key AND m.region_sid = v.region_sid AND m.region_code IS NOT NULL
LEFT JOIN breakdowns b ON b.spec_key = v.spec_key AND b.sid = v.breakdown_sid
ORDER BY v.spec_key, m.region_level, m.region_code, v.year, breakdown;

COMMENT ON TABLE staging.thl_values IS 'THL cube measures per canonical region, year and breakdown: periods aggregated to the year by the spec rule (weighted mean of period shares by the count measure), suppression carried over, many-to-one provider nodes flagged not comparable.';
COMMENT ON COLUMN staging.thl_values.spec_key IS 'Cube spec.';
COMMENT ON COLUMN staging.thl_values.measure_key IS 'Catalogue measure, e.g. 2.1.1-01.';
COMMENT ON COLUMN staging.thl_values.objective_key IS 'Objective of the measure, e.g. 2.1.1.';
COMMENT ON COLUMN staging.thl_values.source_ref IS 'sid of the THL measure node whose value this is.';
COMMENT ON COLUMN staging.thl_values.region_level IS 'wellbeing_area, country or cooperation_area.';
COMMENT ON COLUMN staging.thl_values.region_code IS 'Canonical region code (01-21, 90, SSS, ...).';
COMMENT ON COLUMN staging.thl_values.year IS 'Statistical year the periods belong to.';
COMMENT ON COLUMN staging.thl_values.breakdown IS 'Breakdown value from the spec (e.g. physician, nurse, other_professional; total for all groups); NULL when the node is not in the spec (blocking check).';
COMMENT ON COLUMN staging.thl_values.breakdown_detail IS 'Second slice; always total for THL cubes so far.';
COMMENT ON COLUMN staging.thl_values.value IS 'Year value in unit; NULL when suppressed or no period has a value.';
COMMENT ON COLUMN staging.thl_values.unit IS 'Unit from the spec (percent).';
COMMENT ON COLUMN staging.thl_values.is_suppressed IS 'True when at least one period of the year was suppressed by THL (..).';
COMMENT ON COLUMN staging.thl_values.other_markers IS 'Non-numeric, non-suppression markers seen in the year (e.g. -), space separated.';
COMMENT ON COLUMN staging.thl_values.aggregation_method IS 'weighted_mean or mean (weights missing); NULL when no value.';
COMMENT ON COLUMN staging.thl_values.periods_in_year IS 'Periods of the year in the cube (months or snapshots).';
COMMENT ON COLUMN staging.thl_values.periods_with_value IS 'Periods with a numeric share; fewer than periods_in_year means a partial year (plausibility warning).';
COMMENT ON COLUMN staging.thl_values.periods_suppressed IS 'Periods whose share THL suppressed.';
COMMENT ON COLUMN staging.thl_values.region_sid IS 'sid of the THL region/provider node the value came from.';
COMMENT ON COLUMN staging.thl_values.breakdown_sid IS 'sid of the breakdown node; NULL when the spec has no breakdown.';
COMMENT ON COLUMN staging.thl_values.is_comparable IS 'False when the node reports for several organisers together (HUS): see caveat_en and pipelines/catalog/caveats_thl.csv.';
COMMENT ON COLUMN staging.thl_values.caveat_en IS 'Comparability caveat (English).';
COMMENT ON COLUMN staging.thl_values.caveat_fi IS 'Comparability caveat (Finnish).';
COMMENT ON COLUMN staging.thl_values.payload_sha256 IS 'Archive key of the fact payload the periods came from.';
COMMENT ON COLUMN staging.thl_values.fetched_at IS 'When that payload was fetched (UTC).';
COMMENT ON COLUMN staging.thl_values.is_synthetic IS 'True when the payload is synthetic sample data.';
