-- reference.footnotes: the publication's footnotes to measure texts (the marks ¹ ² in text_fi and
-- text_en), from pipelines/catalog/footnotes.csv.
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.footnotes AS
SELECT mark, measure_key, text_fi, text_en, source
FROM read_csv($footnotes_csv, header = true, all_varchar = true)
ORDER BY measure_key;

COMMENT ON TABLE reference.footnotes IS 'Footnotes of the objectives publication: the text behind each mark (¹, ²) in a measure''s wording.';
COMMENT ON COLUMN reference.footnotes.mark IS 'The footnote mark as it appears at the end of the measure text.';
COMMENT ON COLUMN reference.footnotes.measure_key IS 'Measure whose text carries the mark (reference.measures).';
COMMENT ON COLUMN reference.footnotes.text_fi IS 'Footnote in Finnish, as in the publication.';
COMMENT ON COLUMN reference.footnotes.text_en IS 'Footnote in English (the project''s working translation).';
COMMENT ON COLUMN reference.footnotes.source IS 'Where the footnote text is taken from.';
