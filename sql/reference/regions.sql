-- reference.regions: the one region classification of the marts.
-- Wellbeing areas (21 counties, Helsinki 90, Åland 91) from Statistics Finland's classification,
-- the whole country (SSS) and the five cooperation areas; Sotkanet ids joined from /regions.
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.regions AS
WITH areas AS (
    SELECT DISTINCT
        lpad(hyvinvointialue_code::VARCHAR, 2, '0') AS region_code,
        trim(hyvinvointialue_name_fi) AS name_fi,
        trim(hyvinvointialue_name_sv) AS name_sv,
        trim(hyvinvointialue_name_en) AS name_en,
        yhteistyoalue_code::VARCHAR AS cooperation_area_code
    FROM read_csv($areas_csv, all_varchar = true)
    WHERE year::INTEGER = $classification_year
),
coop AS (
    SELECT DISTINCT
        yhteistyoalue_code::VARCHAR AS region_code,
        trim(yhteistyoalue_name_fi) AS name_fi,
        trim(yhteistyoalue_name_sv) AS name_sv,
        trim(yhteistyoalue_name_en) AS name_en
    FROM read_csv($areas_csv, all_varchar = true)
    WHERE year::INTEGER = $classification_year AND yhteistyoalue_code <> '6'
),
unified AS (
    SELECT 'wellbeing_area' AS region_level, region_code, name_fi, name_sv, name_en,
           region_code <> '91' AS is_organiser,
           region_code <> '91' AS in_national_objectives,
           cooperation_area_code,
           CASE WHEN region_code = '90' THEN 1 WHEN region_code = '91' THEN 3 ELSE 0 END AS sort_group
    FROM areas
    UNION ALL
    SELECT 'country', 'SSS', 'Koko maa', 'Hela landet', 'Whole country', false, true, NULL, 4
    UNION ALL
    SELECT 'cooperation_area', region_code, name_fi, name_sv, name_en, false, true, NULL, 5
    FROM coop
),
sotkanet AS (
    SELECT category, code, region_id FROM staging.sotkanet_regions
    WHERE category IN ('HYVINVOINTIALUE', 'MAA', 'YTA')
)
SELECT
    u.region_level,
    u.region_code,
    u.name_fi,
    u.name_sv,
    u.name_en,
    u.is_organiser,
    u.in_national_objectives,
    u.cooperation_area_code,
    s.region_id AS sotkanet_id,
    row_number() OVER (ORDER BY u.sort_group, u.region_code) AS sort_order
FROM unified u
LEFT JOIN sotkanet s
  ON (u.region_level = 'wellbeing_area' AND s.category = 'HYVINVOINTIALUE' AND lpad(s.code, 2, '0') = u.region_code)
  OR (u.region_level = 'country' AND s.category = 'MAA')
  OR (u.region_level = 'cooperation_area' AND s.category = 'YTA' AND s.code = u.region_code)
ORDER BY sort_order;

COMMENT ON TABLE reference.regions IS 'Regions of the marts: 21 wellbeing services counties, City of Helsinki (90), Åland (91, outside the national objectives), the whole country (SSS) and the five cooperation areas (1-5). Statistics Finland classification; Sotkanet ids from /regions.';
COMMENT ON COLUMN reference.regions.region_level IS 'wellbeing_area, country or cooperation_area (see reference.region_levels).';
COMMENT ON COLUMN reference.regions.region_code IS 'Statistics Finland code: 01-21 counties, 90 Helsinki, 91 Åland, SSS whole country, 1-5 cooperation areas.';
COMMENT ON COLUMN reference.regions.name_fi IS 'Official name in Finnish.';
COMMENT ON COLUMN reference.regions.name_sv IS 'Official name in Swedish.';
COMMENT ON COLUMN reference.regions.name_en IS 'Name in English (Statistics Finland).';
COMMENT ON COLUMN reference.regions.is_organiser IS 'True for the 22 organisers of social and health care: the 21 counties and the City of Helsinki.';
COMMENT ON COLUMN reference.regions.in_national_objectives IS 'False for Åland, which organises its own services outside the national objectives.';
COMMENT ON COLUMN reference.regions.cooperation_area_code IS 'Cooperation area (yhteistyöalue) of a wellbeing area; 6 = Åland (no cooperation area in the objectives).';
COMMENT ON COLUMN reference.regions.sotkanet_id IS 'Sotkanet /regions id (never the code) - NULL where the Sotkanet region list has no entry.';
COMMENT ON COLUMN reference.regions.sort_order IS 'Display order: counties by code, Helsinki, Åland, country, cooperation areas.';
