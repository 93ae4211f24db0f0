-- marts.value_revisions (serving file): every published value of marts.measure_values that changed
-- between the previous content-changing publication (attached as prev) and this one. Floats are
-- compared with a relative tolerance of 1e-9 so that the last bits of a parallel sum are no revision.
-- $old_run_id/$old_published_at: the previous publication; $new_run_id/$new_published_at: this one.
CREATE TABLE marts.value_revisions AS
SELECT
    n.measure_key, n.source_ref, n.region_level, n.region_code, n.year, n.breakdown, n.breakdown_detail,
    n.source, n.unit,
    o.value AS old_value, n.value AS new_value,
    o.value_text AS old_value_text, n.value_text AS new_value_text,
    n.value - o.value AS change,
    CAST($old_run_id AS VARCHAR) AS old_publication_run_id, CAST($old_published_at AS TIMESTAMP) AS old_published_at,
    CAST($new_run_id AS VARCHAR) AS new_publication_run_id, CAST($new_published_at AS TIMESTAMP) AS new_published_at,
    o.payload_sha256 AS old_payload_sha256, n.payload_sha256 AS new_payload_sha256
FROM marts.measure_values n
JOIN {{previous}}.marts.measure_values o
  USING (measure_key, source_ref, region_level, region_code, year, breakdown, breakdown_detail)
WHERE (n.value IS DISTINCT FROM o.value
       AND NOT coalesce(abs(n.value - o.value) <= 1e-9 * greatest(abs(o.value), 1), false))
   OR n.value_text IS DISTINCT FROM o.value_text
ORDER BY n.measure_key, n.source_ref, n.region_level, n.region_code, n.year, n.breakdown, n.breakdown_detail;

COMMENT ON TABLE marts.value_revisions IS 'Published values that changed between the two latest content-changing publications (sources revise figures): key, old and new value, both publications'' run ids and times, and both source payload hashes. Empty after the first publication; values of new keys (a new year) are additions, not revisions.';
COMMENT ON COLUMN marts.value_revisions.measure_key IS 'Catalogue key of the measure.';
COMMENT ON COLUMN marts.value_revisions.source_ref IS 'Indicator or metric of the source.';
COMMENT ON COLUMN marts.value_revisions.region_level IS 'Region level of the value.';
COMMENT ON COLUMN marts.value_revisions.region_code IS 'Statistics Finland code of the region.';
COMMENT ON COLUMN marts.value_revisions.year IS 'Statistical year.';
COMMENT ON COLUMN marts.value_revisions.breakdown IS 'Main slice of the value.';
COMMENT ON COLUMN marts.value_revisions.breakdown_detail IS 'Second slice of the value.';
COMMENT ON COLUMN marts.value_revisions.source IS 'Source family of the value.';
COMMENT ON COLUMN marts.value_revisions.unit IS 'Unit of the value now.';
COMMENT ON COLUMN marts.value_revisions.old_value IS 'Value in the previous publication (NULL when it had none).';
COMMENT ON COLUMN marts.value_revisions.new_value IS 'Value in this publication (NULL when withdrawn).';
COMMENT ON COLUMN marts.value_revisions.old_value_text IS 'Text value (grade label) in the previous publication.';
COMMENT ON COLUMN marts.value_revisions.new_value_text IS 'Text value in this publication.';
COMMENT ON COLUMN marts.value_revisions.change IS 'new_value - old_value, in unit; NULL when either is NULL.';
COMMENT ON COLUMN marts.value_revisions.old_publication_run_id IS 'Run that published the previous content.';
COMMENT ON COLUMN marts.value_revisions.old_published_at IS 'When the previous content was published (UTC).';
COMMENT ON COLUMN marts.value_revisions.new_publication_run_id IS 'Run that published this content.';
COMMENT ON COLUMN marts.value_revisions.new_published_at IS 'When this content was published (UTC).';
COMMENT ON COLUMN marts.value_revisions.old_payload_sha256 IS 'sha256 of the archived source payload behind the old value.';
COMMENT ON COLUMN marts.value_revisions.new_payload_sha256 IS 'sha256 of the archived source payload behind the new value.';
