-- reference.municipalities: municipality -> wellbeing area -> cooperation area, per classification year.
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.municipalities AS
SELECT
    year::INTEGER AS year,
    lpad(kunta::VARCHAR, 3, '0') AS municipality_code,
    municipality_name_fi AS name_fi,
    municipality_name_sv AS name_sv,
    municipality_name_en AS name_en,
    lpad(hyvinvointialue_code::VARCHAR, 2, '0') AS wellbeing_area_code,
    yhteistyoalue_code::VARCHAR AS cooperation_area_code,
    lpad(maakunta_code::VARCHAR, 2, '0') AS region_code_maakunta,
    s.region_id AS sotkanet_id
FROM read_csv($municipality_csvs, all_varchar = true, union_by_name = true) m
LEFT JOIN staging.sotkanet_regions s
  ON s.category = 'KUNTA' AND s.code = lpad(m.kunta::VARCHAR, 3, '0')
ORDER BY year, municipality_code;

COMMENT ON TABLE reference.municipalities IS 'Municipalities per classification year (Statistics Finland via rOpenGov/geofi) with their wellbeing area and cooperation area. Municipal figures stay in staging; the marts use counties and above.';
COMMENT ON COLUMN reference.municipalities.year IS 'Classification year (1 January).';
COMMENT ON COLUMN reference.municipalities.municipality_code IS 'Statistics Finland municipality code, zero-padded to 3 characters.';
COMMENT ON COLUMN reference.municipalities.name_fi IS 'Municipality name in Finnish.';
COMMENT ON COLUMN reference.municipalities.name_sv IS 'Municipality name in Swedish.';
COMMENT ON COLUMN reference.municipalities.name_en IS 'Municipality name in English.';
COMMENT ON COLUMN reference.municipalities.wellbeing_area_code IS 'Wellbeing area (01-21, 90 Helsinki, 91 Åland).';
COMMENT ON COLUMN reference.municipalities.cooperation_area_code IS 'Cooperation area 1-5 (6 = Åland).';
COMMENT ON COLUMN reference.municipalities.region_code_maakunta IS 'Region (maakunta) code.';
COMMENT ON COLUMN reference.municipalities.sotkanet_id IS 'Sotkanet /regions id of the municipality (category KUNTA), NULL when /regions lists none.';
