-- staging.sotkanet_regions: the Sotkanet region list (all categories), keyed by id.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE OR REPLACE TABLE staging.sotkanet_regions AS
SELECT
    r.id AS region_id,
    r.code,
    r.category,
    r.title.fi AS title_fi,
    r.title.sv AS title_sv,
    r.title.en AS title_en,
    coalesce(r.memberOf, []) AS member_of,
    r.uri,
    $sha256 AS payload_sha256
FROM read_json($path, format = 'array', columns = {
    id: 'INTEGER', code: 'VARCHAR', category: 'VARCHAR',
    title: 'STRUCT(fi VARCHAR, en VARCHAR, sv VARCHAR)', memberOf: 'INTEGER[]', uri: 'VARCHAR'
}) r;

COMMENT ON TABLE staging.sotkanet_regions IS 'Sotkanet /regions: every region of every category. Key: region_id (codes repeat across categories).';
COMMENT ON COLUMN staging.sotkanet_regions.region_id IS 'Sotkanet region id, the key used in data rows.';
COMMENT ON COLUMN staging.sotkanet_regions.code IS 'Region code as text (zero-padded; not unique across categories).';
COMMENT ON COLUMN staging.sotkanet_regions.category IS 'Category, e.g. HYVINVOINTIALUE, MAA, YTA, KUNTA.';
COMMENT ON COLUMN staging.sotkanet_regions.title_fi IS 'Name in Finnish.';
COMMENT ON COLUMN staging.sotkanet_regions.title_sv IS 'Name in Swedish.';
COMMENT ON COLUMN staging.sotkanet_regions.title_en IS 'Name in English.';
COMMENT ON COLUMN staging.sotkanet_regions.member_of IS 'Ids of the regions containing this one.';
COMMENT ON COLUMN staging.sotkanet_regions.uri IS 'Ontology URI, when given.';
COMMENT ON COLUMN staging.sotkanet_regions.payload_sha256 IS 'Archived /regions body this row came from.';
