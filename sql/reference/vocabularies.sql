-- reference.vocabularies: The controlled vocabularies, from pipelines/catalog/vocabularies.csv, and one view per vocabulary.
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.vocabularies AS
SELECT vocabulary, code, description FROM read_csv($vocabularies_csv, header = true, all_varchar = true);

CREATE OR REPLACE VIEW reference.region_levels AS SELECT code AS region_level, description FROM reference.vocabularies WHERE vocabulary = 'region_level';

CREATE OR REPLACE VIEW reference.statuses AS SELECT code AS status, description FROM reference.vocabularies WHERE vocabulary = 'status';

CREATE OR REPLACE VIEW reference.directions AS SELECT code AS direction, description FROM reference.vocabularies WHERE vocabulary = 'direction';

CREATE OR REPLACE VIEW reference.comparison_bases AS SELECT code AS comparison_basis, description FROM reference.vocabularies WHERE vocabulary = 'comparison_basis';

COMMENT ON TABLE reference.vocabularies IS 'Controlled vocabularies: region levels, statuses, directions of good, value origins, reporting levels.';
COMMENT ON COLUMN reference.vocabularies.vocabulary IS 'Vocabulary name.';
COMMENT ON COLUMN reference.vocabularies.code IS 'Allowed code.';
COMMENT ON COLUMN reference.vocabularies.description IS 'Meaning.';
COMMENT ON VIEW reference.region_levels IS 'Allowed region levels.';
COMMENT ON VIEW reference.statuses IS 'Allowed measure statuses.';
COMMENT ON VIEW reference.directions IS 'Allowed directions of good.';
COMMENT ON VIEW reference.comparison_bases IS 'Allowed comparison bases (rate, total, grade, ranked_list) and what each allows.';
