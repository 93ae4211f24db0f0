-- marts.measure_coverage: every catalogue measure (all 31), one row each, with how it is obtained
-- (automated, curated, not_available), its source, latest year with data, reported level and how
-- many units of that level have a value in the latest year.
-- Inputs: reference.measures, reference.regions, marts.objective_region_year.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.measure_coverage AS
WITH
level_units AS (
    SELECT 'organiser' AS reported_level, count(*) FILTER (WHERE region_level = 'wellbeing_area' AND is_organiser) AS units_expected
    FROM reference.regions
    UNION ALL
    SELECT 'cooperation_area', count(*) FILTER (WHERE region_level = 'cooperation_area') FROM reference.regions
    UNION ALL
    SELECT 'country', count(*) FILTER (WHERE region_level = 'country') FROM reference.regions
),
-- Rows that count at each reported level.
level_rows AS (
    SELECT o.*,
           CASE WHEN o.region_level = 'wellbeing_area' AND o.is_organiser THEN 'organiser'
                WHEN o.region_level = 'cooperation_area' THEN 'cooperation_area'
                WHEN o.region_level = 'country' THEN 'country' END AS row_level
    FROM marts.objective_region_year o
    WHERE o.value IS NOT NULL
),
per_measure AS (
    SELECT measure_key,
           min(year) AS first_year,
           max(year) AS latest_year_any_level,
           string_agg(DISTINCT source, ', ' ORDER BY source) AS sources_with_data,
           count(DISTINCT source_ref) AS n_source_refs,
           bool_or(is_synthetic) AS any_synthetic
    FROM level_rows
    GROUP BY measure_key
),
at_level AS (
    SELECT l.measure_key, max(l.year) AS latest_year
    FROM level_rows l
    JOIN reference.measures m ON m.measure_key = l.measure_key AND l.row_level = m.reported_level
    GROUP BY l.measure_key
),
units_covered AS (
    SELECT l.measure_key, count(DISTINCT l.region_code) AS units_covered
    FROM level_rows l
    JOIN reference.measures m ON m.measure_key = l.measure_key AND l.row_level = m.reported_level
    JOIN at_level a ON a.measure_key = l.measure_key AND a.latest_year = l.year
    GROUP BY l.measure_key
)
SELECT
    m.measure_key, m.objective_key,
    m.text_fi AS measure_text_fi, m.text_sv AS measure_text_sv, m.text_en AS measure_text_en,
    m.status,
    m.source_family AS source,
    m.source_named,
    p.sources_with_data,
    m.unit, m.direction,
    m.reported_level,
    a.latest_year,
    p.first_year,
    coalesce(u.units_covered, 0) AS units_covered,
    lu.units_expected,
    coalesce(p.n_source_refs, 0) AS n_source_refs,
    p.measure_key IS NOT NULL AS has_data,
    coalesce(p.any_synthetic, false) AS any_synthetic
FROM reference.measures m
LEFT JOIN per_measure p USING (measure_key)
LEFT JOIN at_level a USING (measure_key)
LEFT JOIN units_covered u USING (measure_key)
LEFT JOIN level_units lu ON lu.reported_level = m.reported_level
ORDER BY m.measure_key;

COMMENT ON TABLE marts.measure_coverage IS 'Every measure of the national objectives (31), one row each: automated, curated or not available, its source, the latest year with data at the level it is reported at, and how many units of that level it covers.';
COMMENT ON COLUMN marts.measure_coverage.measure_key IS 'Catalogue key of the measure (reference.measures).';
COMMENT ON COLUMN marts.measure_coverage.objective_key IS 'National objective the measure belongs to.';
COMMENT ON COLUMN marts.measure_coverage.measure_text_fi IS 'Measure wording in Finnish, exactly as in the publication.';
COMMENT ON COLUMN marts.measure_coverage.measure_text_sv IS 'Measure wording in Swedish (the project''s working translation, not the official Swedish text).';
COMMENT ON COLUMN marts.measure_coverage.measure_text_en IS 'Measure wording in English.';
COMMENT ON COLUMN marts.measure_coverage.status IS 'automated (machine source), curated (loaded from the curated file) or not_available.';
COMMENT ON COLUMN marts.measure_coverage.source IS 'Source family the measure is obtained from: sotkanet, thl_cube, personnel_report, curated.';
COMMENT ON COLUMN marts.measure_coverage.source_named IS 'Data source as the publication names it.';
COMMENT ON COLUMN marts.measure_coverage.sources_with_data IS 'Source families that actually delivered a non-NULL value, comma separated; NULL when none.';
COMMENT ON COLUMN marts.measure_coverage.unit IS 'Catalogue unit of the measure.';
COMMENT ON COLUMN marts.measure_coverage.direction IS 'Direction of good: higher, lower or neither.';
COMMENT ON COLUMN marts.measure_coverage.reported_level IS 'Level the measure is reported at: organiser, cooperation_area or country.';
COMMENT ON COLUMN marts.measure_coverage.latest_year IS 'Latest year with a non-NULL value at the reported level; NULL when none.';
COMMENT ON COLUMN marts.measure_coverage.first_year IS 'First year with a non-NULL value at any level.';
COMMENT ON COLUMN marts.measure_coverage.units_covered IS 'Number of units of the reported level (organisers, cooperation areas or the country) with a non-NULL value in latest_year.';
COMMENT ON COLUMN marts.measure_coverage.units_expected IS 'Number of units at the reported level: 22 organisers, 5 cooperation areas or 1 country.';
COMMENT ON COLUMN marts.measure_coverage.n_source_refs IS 'Number of distinct source indicators or metrics with data for the measure.';
COMMENT ON COLUMN marts.measure_coverage.has_data IS 'True when any non-NULL value of the measure is loaded.';
COMMENT ON COLUMN marts.measure_coverage.any_synthetic IS 'True when any value of the measure is synthetic sample data.';
