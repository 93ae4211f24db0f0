-- reference.objectives: The eight national objectives, from pipelines/catalog/objectives.csv.
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.objectives AS
SELECT * FROM read_csv($objectives_csv, header = true, all_varchar = true)
ORDER BY objective_key;

COMMENT ON TABLE reference.objectives IS 'The eight national objectives 2023-2026 (2.1.1-2.4.2) with their themes, fi/en titles and number of measures.';
COMMENT ON COLUMN reference.objectives.objective_key IS 'Objective number, e.g. 2.1.1.';
COMMENT ON COLUMN reference.objectives.theme_key IS 'Theme number: 2.1 equality, 2.2 cost-effectiveness, 2.3 cooperation, 2.4 knowledge.';
COMMENT ON COLUMN reference.objectives.theme_fi IS 'Theme in Finnish.';
COMMENT ON COLUMN reference.objectives.theme_en IS 'Theme in English.';
COMMENT ON COLUMN reference.objectives.title_fi IS 'Objective title in Finnish, as published.';
COMMENT ON COLUMN reference.objectives.title_sv IS 'Objective title in Swedish (working translation by the project, not the official wording).';
COMMENT ON COLUMN reference.objectives.title_en IS 'Objective title in English (translation).';
COMMENT ON COLUMN reference.objectives.n_measures IS 'Number of measures of the objective.';
