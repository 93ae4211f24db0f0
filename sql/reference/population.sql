-- reference.population: population 31.12 per region of the marts (Sotkanet indicator 127), for
-- per-capita figures and population weights.
CREATE SCHEMA IF NOT EXISTS reference;

CREATE OR REPLACE TABLE reference.population AS
SELECT rr.region_level, rr.region_code, o."year", o."value" AS population, o.is_synthetic, o.payload_sha256
FROM staging.sotkanet_observations o
JOIN reference.regions rr ON rr.sotkanet_id = o.region_id
WHERE o.indicator_id = 127 AND o.gender = 'total' AND o."value" IS NOT NULL
ORDER BY rr.region_level, rr.region_code, o."year";

COMMENT ON TABLE reference.population IS 'Population 31.12 per wellbeing area, whole country and cooperation area and year (Sotkanet indicator 127). Key: region_level, region_code, year.';
COMMENT ON COLUMN reference.population.region_level IS 'Region level.';
COMMENT ON COLUMN reference.population.region_code IS 'Region code.';
COMMENT ON COLUMN reference.population."year" IS 'Year (population on 31 December).';
COMMENT ON COLUMN reference.population.population IS 'Number of inhabitants.';
COMMENT ON COLUMN reference.population.is_synthetic IS 'True for bundled synthetic sample values.';
COMMENT ON COLUMN reference.population.payload_sha256 IS 'Archived body the figure came from.';
