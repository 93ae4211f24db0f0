-- meta.publication (serving file): one row per publish attempt. Created in the new serving file,
-- then filled with the history carried over from the previous file and this attempt's row.
CREATE TABLE meta.publication (
    run_id VARCHAR NOT NULL,
    checked_at TIMESTAMP NOT NULL,
    content_changed BOOLEAN NOT NULL,
    published_at TIMESTAMP NOT NULL,
    content_run_id VARCHAR NOT NULL,
    source_data_dates JSON,
    any_synthetic BOOLEAN,
    attribution VARCHAR,
    storage_version VARCHAR
);

CREATE VIEW meta.latest_publication AS
SELECT * FROM meta.publication ORDER BY checked_at DESC LIMIT 1;

COMMENT ON TABLE meta.publication IS 'Every publish attempt, newest last: when the pipeline checked (checked_at), whether the content changed, and when the content this file holds was published (published_at, by content_run_id). meta.latest_publication is the newest row: checked_at says whether last night''s run happened, published_at when the figures last changed.';
COMMENT ON VIEW meta.latest_publication IS 'The newest row of meta.publication.';
COMMENT ON COLUMN meta.publication.run_id IS 'Dagster run id of this publish attempt.';
COMMENT ON COLUMN meta.publication.checked_at IS 'When this attempt ran (UTC).';
COMMENT ON COLUMN meta.publication.content_changed IS 'True when this attempt published new content; false when the content was unchanged and only this row was added.';
COMMENT ON COLUMN meta.publication.published_at IS 'When the content current at this attempt was published (UTC): the latest content change.';
COMMENT ON COLUMN meta.publication.content_run_id IS 'Run that published that content.';
COMMENT ON COLUMN meta.publication.source_data_dates IS 'Per source: newest fetch time and first and last statistical year of the content.';
COMMENT ON COLUMN meta.publication.any_synthetic IS 'True when any value of the content is bundled sample data, not an official statistic.';
COMMENT ON COLUMN meta.publication.attribution IS 'Sources to cite when reusing the figures.';
COMMENT ON COLUMN meta.publication.storage_version IS 'DuckDB storage version the file is written in (readable by DuckDB 1.x clients).';
