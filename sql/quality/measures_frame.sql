-- Frame for the catalogue suite: each measure with its vocabulary memberships and headline count.
SELECT
    m.*,
    m.unit IN (SELECT unit FROM reference.units) AS unit_known,
    m.direction IN (SELECT direction FROM reference.directions) AS direction_known,
    m.status IN (SELECT status FROM reference.statuses) AS status_known,
    m.reported_level IN (SELECT code FROM reference.vocabularies WHERE vocabulary = 'reported_level') AS reported_level_known,
    (SELECT count(*) FILTER (WHERE r.is_headline) FROM reference.measure_source_refs r WHERE r.measure_key = m.measure_key) AS headline_refs,
    (SELECT count(*) FROM reference.measure_source_refs r WHERE r.measure_key = m.measure_key) AS source_refs
FROM reference.measures m
