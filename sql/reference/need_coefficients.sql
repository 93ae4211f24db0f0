-- reference.need_coefficients: THL's total need coefficients (kokonaistarvekerroin) of the 22
-- organisers and the whole country, with derived cooperation-area coefficients, and which
-- coefficient applies to which data year.
-- Input: data/reference/finance/derived_vakiluku_tarvekerroin_2018_2023.csv (a mechanical
-- extraction of THL's workbook "Laskentataulukko tarvekertoimille 2017-2023", final 25.6.2025;
-- provenance in data/reference/finance/SOURCES.md), reference.regions.
-- Rule: data year Y uses the coefficient published for Y; a year after the last published one
-- uses the latest (is_carried_forward); a year before the first has no coefficient (no row).
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.need_coefficients AS
WITH published AS (
    SELECT
        CAST(year AS INTEGER) AS coefficient_year,
        CASE WHEN hyvinvointialue_code = 'SSS' THEN 'country' ELSE 'wellbeing_area' END AS region_level,
        CASE WHEN hyvinvointialue_code = 'SSS' THEN 'SSS' ELSE lpad(hyvinvointialue_code, 2, '0') END AS region_code,
        CAST(vakiluku AS DOUBLE) AS population_thl,
        CAST(kokonaistarvekerroin AS DOUBLE) AS need_coefficient
    FROM read_csv($need_coefficients_csv, header = true, all_varchar = true)
),
-- A cooperation area's need: its members' coefficients weighted by THL's model population.
areas AS (
    SELECT p.coefficient_year, 'cooperation_area' AS region_level, r.cooperation_area_code AS region_code,
           sum(p.population_thl) AS population_thl,
           sum(p.population_thl * p.need_coefficient) / sum(p.population_thl) AS need_coefficient
    FROM published p
    JOIN reference.regions r
      ON r.region_level = 'wellbeing_area' AND r.region_code = p.region_code AND r.is_organiser
    WHERE p.region_level = 'wellbeing_area'
    GROUP BY p.coefficient_year, r.cooperation_area_code
),
coefficients AS (
    SELECT coefficient_year, region_level, region_code, population_thl, need_coefficient, false AS is_derived FROM published
    UNION ALL
    SELECT coefficient_year, region_level, region_code, population_thl, need_coefficient, true AS is_derived FROM areas
),
data_years AS (
    SELECT range AS year
    FROM range((SELECT min(coefficient_year) FROM published),
               greatest((SELECT max(coefficient_year) FROM published), $year_end) + 1)
),
year_map AS (
    SELECT y.year, max(p.coefficient_year) AS coefficient_year
    FROM data_years y
    JOIN (SELECT DISTINCT coefficient_year FROM published) p ON p.coefficient_year <= y.year
    GROUP BY y.year
)
SELECT
    CAST(m.year AS INTEGER) AS year,
    c.coefficient_year,
    c.region_level,
    c.region_code,
    c.need_coefficient,
    c.population_thl,
    m.year > c.coefficient_year AS is_carried_forward,
    c.is_derived
FROM year_map m
JOIN coefficients c USING (coefficient_year)
ORDER BY year, region_level, region_code;

COMMENT ON TABLE reference.need_coefficients IS 'THL total need coefficients (kokonaistarvekerroin; whole country = 1) per organiser, cooperation area and the country, for each data year: the coefficient published for that year, or the latest one carried forward. Real figures: THL, Laskentataulukko tarvekertoimille 2017-2023 (final 25.6.2025), sheets Vuosi_2018 ... Vuosi_2023, via juusotam/hva_tarvevakiointi (data/reference/finance/SOURCES.md). Used for the need-adjusted cost of 2.2.1-06.';
COMMENT ON COLUMN reference.need_coefficients.year IS 'Data year the coefficient is applied to.';
COMMENT ON COLUMN reference.need_coefficients.coefficient_year IS 'Year of THL''s coefficient sheet (Vuosi_<year>) that applies: the data year itself, or the latest published year before it.';
COMMENT ON COLUMN reference.need_coefficients.region_level IS 'wellbeing_area (01-21, 90 Helsinki), country (SSS) or cooperation_area (1-5, derived).';
COMMENT ON COLUMN reference.need_coefficients.region_code IS 'Statistics Finland code.';
COMMENT ON COLUMN reference.need_coefficients.need_coefficient IS 'Total need coefficient of the region relative to the whole country (= 1): the weighted need for health care, social care and care for older people per inhabitant. Cooperation areas: the members'' coefficients weighted by population_thl.';
COMMENT ON COLUMN reference.need_coefficients.population_thl IS 'Population THL''s need model used (vakiluku, its own register extract; may differ slightly from the official 31.12 population).';
COMMENT ON COLUMN reference.need_coefficients.is_carried_forward IS 'True when the data year is after the latest published coefficient year and that year''s coefficient is used.';
COMMENT ON COLUMN reference.need_coefficients.is_derived IS 'True for cooperation areas, whose coefficient is computed here from their members.';
