-- staging.thl_region_map: how each THL region/provider node seen in the cells maps to the
-- project's canonical regions, as declared in the cube specs ([[region.rules]]).
-- A rule by sid (a provider node -> its organiser(s)) wins over a rule by stage (every node of a
-- stage, code read with code_pattern). A node mapped to several organisers (HUS) gives one row
-- per organiser, each not comparable. A node no rule covers gives one row with region_code NULL
-- and unmapped_node set: the blocking check lists those rows.
-- Input: frame thl_region_rules_in (one row per spec rule) registered by assets/thl_cubes.py.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE OR REPLACE TABLE staging.thl_region_map AS
WITH nodes AS (
    SELECT DISTINCT spec_key, region_sid, region_label, region_code AS node_code, region_stage
    FROM staging.thl_cells
),
rules AS (
    SELECT
        CAST(spec_key AS VARCHAR) AS spec_key, CAST(rule_no AS INTEGER) AS rule_no,
        CAST(stage AS VARCHAR) AS stage, CAST(sid AS VARCHAR) AS sid,
        CAST(region_level AS VARCHAR) AS region_level, CAST(region_codes AS VARCHAR) AS region_codes,
        CAST(code_pattern AS VARCHAR) AS code_pattern, CAST(is_comparable AS BOOLEAN) AS is_comparable,
        CAST(caveat_en AS VARCHAR) AS caveat_en, CAST(caveat_fi AS VARCHAR) AS caveat_fi
    FROM thl_region_rules_in
),
by_sid AS (
    SELECT n.*, r.rule_no, r.region_level, r.region_codes, r.code_pattern, r.is_comparable, r.caveat_en, r.caveat_fi,
           'sid' AS matched_by
    FROM nodes n
    JOIN rules r ON r.spec_key = n.spec_key AND r.sid = n.region_sid
),
by_stage AS (
    SELECT n.*, r.rule_no, r.region_level, r.region_codes, r.code_pattern, r.is_comparable, r.caveat_en, r.caveat_fi,
           'stage' AS matched_by
    FROM nodes n
    JOIN rules r ON r.spec_key = n.spec_key AND r.stage = n.region_stage
    WHERE NOT EXISTS (SELECT 1 FROM by_sid s WHERE s.spec_key = n.spec_key AND s.region_sid = n.region_sid)
),
matched AS (
    SELECT * FROM by_sid
    UNION ALL
    SELECT * FROM by_stage
),
expanded AS (
    SELECT
        m.* EXCLUDE (region_codes),
        unnest(
            CASE
                WHEN coalesce(m.region_codes, '') <> '' THEN string_split(m.region_codes, ',')
                ELSE [nullif(regexp_extract(coalesce(m.node_code, ''), m.code_pattern, 1), '')]
            END
        ) AS raw_code
    FROM matched m
),
coded AS (
    SELECT
        e.*,
        CASE WHEN e.region_level = 'wellbeing_area' AND e.raw_code IS NOT NULL THEN lpad(e.raw_code, 2, '0') ELSE e.raw_code END
            AS mapped_code,
        count(*) OVER (PARTITION BY e.spec_key, e.region_sid) AS n_targets
    FROM expanded e
)
SELECT
    n.spec_key,
    n.region_sid,
    n.region_label,
    n.region_stage,
    n.node_code,
    c.matched_by,
    c.rule_no,
    c.region_level,
    c.mapped_code AS region_code,
    coalesce(c.is_comparable AND c.n_targets = 1, false) AS is_comparable,
    c.caveat_en,
    c.caveat_fi,
    CASE WHEN c.mapped_code IS NULL THEN
        format('spec {}: node sid {} "{}" (stage {}, code {}) has no region mapping', n.spec_key, n.region_sid,
               coalesce(n.region_label, '?'), coalesce(n.region_stage, '?'), coalesce(n.node_code, '?'))
    END AS unmapped_node
FROM nodes n
LEFT JOIN coded c ON c.spec_key = n.spec_key AND c.region_sid = n.region_sid
ORDER BY n.spec_key, c.region_level, c.mapped_code, n.region_sid;

COMMENT ON TABLE staging.thl_region_map IS 'THL region/provider nodes seen in the cube cells mapped to canonical regions per the cube specs: one row per node and target region; unmapped nodes keep region_code NULL and name themselves in unmapped_node (a blocking check fails on them).';
COMMENT ON COLUMN staging.thl_region_map.spec_key IS 'Cube spec.';
COMMENT ON COLUMN staging.thl_region_map.region_sid IS 'sid of the THL region/provider node.';
COMMENT ON COLUMN staging.thl_region_map.region_label IS 'Label of the node.';
COMMENT ON COLUMN staging.thl_region_map.region_stage IS 'Stage of the node (root, hyvinvointialue, tuottajayksikko, ...).';
COMMENT ON COLUMN staging.thl_region_map.node_code IS 'THL code of the node.';
COMMENT ON COLUMN staging.thl_region_map.matched_by IS 'sid (explicit provider rule) or stage (rule for every node of a stage); NULL when unmapped.';
COMMENT ON COLUMN staging.thl_region_map.rule_no IS 'Position of the matching [[region.rules]] entry in the spec (0-based).';
COMMENT ON COLUMN staging.thl_region_map.region_level IS 'Canonical region level: wellbeing_area, country or cooperation_area.';
COMMENT ON COLUMN staging.thl_region_map.region_code IS 'Canonical region code (01-21, 90, SSS, 1-5); NULL when the node has no mapping.';
COMMENT ON COLUMN staging.thl_region_map.is_comparable IS 'False for many-to-one nodes (e.g. HUS for the Uusimaa counties and Helsinki): the value is shared, not the organiser''s own.';
COMMENT ON COLUMN staging.thl_region_map.caveat_en IS 'Why the value is not comparable (English), from the spec.';
COMMENT ON COLUMN staging.thl_region_map.caveat_fi IS 'Why the value is not comparable (Finnish), from the spec.';
COMMENT ON COLUMN staging.thl_region_map.unmapped_node IS 'Set only when the node has no mapping: names spec, sid, label, stage and code.';
