-- staging.thl_nodes: the cubes' dimension trees (from .dimensions.json), one row per node.
-- Input: frame thl_nodes_in, flattened from raw.thl_cube by pipelines.sources.thl_cube.parse_dimensions;
-- the payload's fetch time and synthetic flag from raw.thl_cube.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE OR REPLACE TABLE staging.thl_nodes AS
SELECT
    CAST(n.spec_key AS VARCHAR)       AS spec_key,
    CAST(n.dimension AS VARCHAR)      AS dimension,
    CAST(n.sid AS VARCHAR)            AS sid,
    CAST(n.node_id AS VARCHAR)        AS node_id,
    CAST(n.parent_sid AS VARCHAR)     AS parent_sid,
    CAST(n.depth AS INTEGER)          AS depth,
    CAST(n.position AS INTEGER)       AS position,
    CAST(n.stage AS VARCHAR)          AS stage,
    CAST(n.code AS VARCHAR)           AS code,
    CAST(n.label AS VARCHAR)          AS label,
    CAST(n.sort AS INTEGER)           AS sort,
    CAST(n.decimals AS INTEGER)       AS decimals,
    CAST(n.uri AS VARCHAR)            AS uri,
    CAST(n.payload_sha256 AS VARCHAR) AS payload_sha256,
    r.fetched_at,
    r.is_synthetic
FROM thl_nodes_in n
LEFT JOIN raw.thl_cube r
    ON r.spec_key = CAST(n.spec_key AS VARCHAR) AND r.kind = 'dimensions' AND r.payload_sha256 = CAST(n.payload_sha256 AS VARCHAR)
ORDER BY 1, 2, 7;

COMMENT ON TABLE staging.thl_nodes IS 'Dimension and measure trees of the THL cubes in the cube specs, one row per node, keyed by (spec_key, dimension, sid). Join facts on sid, never on label.';
COMMENT ON COLUMN staging.thl_nodes.spec_key IS 'Cube spec the tree belongs to.';
COMMENT ON COLUMN staging.thl_nodes.dimension IS 'Dimension id as used in selectors and JSON-stat (e.g. palveluntuottaja, aika, measure).';
COMMENT ON COLUMN staging.thl_nodes.sid IS 'THL surrogate id of the node: stable while the node URI is, used in selectors.';
COMMENT ON COLUMN staging.thl_nodes.node_id IS 'Per-load tree id of the node (changes between loads; informative only).';
COMMENT ON COLUMN staging.thl_nodes.parent_sid IS 'sid of the parent node; NULL for top-level nodes.';
COMMENT ON COLUMN staging.thl_nodes.depth IS 'Depth in the tree, 0 for the root.';
COMMENT ON COLUMN staging.thl_nodes.position IS 'Pre-order position within the dimension (tree order).';
COMMENT ON COLUMN staging.thl_nodes.stage IS 'Level of the node (root, hyvinvointialue, kuukausi, ...): the only way THL marks levels.';
COMMENT ON COLUMN staging.thl_nodes.code IS 'Node code (e.g. wellbeing-area code 01-21, 90; month 202401).';
COMMENT ON COLUMN staging.thl_nodes.label IS 'Label in the spec language.';
COMMENT ON COLUMN staging.thl_nodes.sort IS 'Sort key among siblings.';
COMMENT ON COLUMN staging.thl_nodes.decimals IS 'Measure nodes: decimals THL formats the value with.';
COMMENT ON COLUMN staging.thl_nodes.uri IS 'Node URI (meta.thl.fi); sids follow it.';
COMMENT ON COLUMN staging.thl_nodes.payload_sha256 IS 'Archive key of the dimensions payload.';
COMMENT ON COLUMN staging.thl_nodes.fetched_at IS 'When that dimensions payload was fetched (UTC).';
COMMENT ON COLUMN staging.thl_nodes.is_synthetic IS 'True when the dimensions payload is the bundled synthetic sample.';
