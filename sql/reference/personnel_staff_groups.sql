-- reference.personnel_staff_groups: The personnel-report staff groups (pipelines/catalog/personnel/, also read by the parser).
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.personnel_staff_groups AS
SELECT staff_group, label_fi, label_en
FROM read_csv($personnel_staff_groups_csv, header = true, all_varchar = true);

COMMENT ON TABLE reference.personnel_staff_groups IS 'Staff groups of the personnel reports with Finnish and English labels.';
COMMENT ON COLUMN reference.personnel_staff_groups.staff_group IS 'Staff group code; all = all staff.';
COMMENT ON COLUMN reference.personnel_staff_groups.label_fi IS 'Finnish label.';
COMMENT ON COLUMN reference.personnel_staff_groups.label_en IS 'English label.';
