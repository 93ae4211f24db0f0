-- marts.measure_values: union of the source fragments, sorted for fast key lookups.
-- The union_of_fragments slot below is generated from the fragment assets found in the code location.
CREATE OR REPLACE TABLE marts.measure_values AS
WITH unioned AS (
{{union_of_fragments}}
)
SELECT *
FROM unioned
ORDER BY measure_key, source_ref, region_level, region_code, year, breakdown, breakdown_detail;

COMMENT ON TABLE marts.measure_values IS 'One row per measure x source_ref x region x year x breakdown: the contract every source writes to and BI reads. Key: measure_key, source_ref, region_level, region_code, year, breakdown, breakdown_detail.';
