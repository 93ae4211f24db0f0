-- marts.objective_<x_y_z>: one view per national objective over marts.objective_region_year, for BI
-- tools that want one table per objective. Rendered once per objective of reference.objectives:
-- {{view_name}} is objective_2_1_1 ... and {{objective_key}} a validated key such as 2.1.1 (a view
-- body cannot take bound parameters). Column comments are copied from the base table.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE VIEW marts.{{view_name}} AS
SELECT *
FROM marts.objective_region_year
WHERE objective_key = '{{objective_key}}';

COMMENT ON VIEW marts.{{view_name}} IS 'Objective {{objective_key}}: the rows of marts.objective_region_year for this objective (every measure x region x year x breakdown with national, cooperation-area, rank and previous-year comparisons).';
