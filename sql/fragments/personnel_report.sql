-- fragments.personnel_report: the seven measures of objective 2.1.2 from the counties'
-- personnel reports, in the measure_values contract (pipelines/contract.py).
--
-- Levels: each organiser (01-21, 90) as delivered; cooperation areas 1-5 and the whole country
-- (SSS) derived by summing the organisers' counts and recomputing the ratios (Åland is not an
-- organiser and is excluded). Ratios delivered without their counts are first turned back into
-- counts (e.g. turnover % x permanent headcount), so every level uses the same formula.
-- Breakdown = staff group ('total' = all staff); breakdown_detail = age band for
-- age_band_share, rank_1..rank_3 for the key shortages, else 'total'.
-- Groups of fewer than 5 persons are suppressed here (value NULL, is_suppressed).
-- Every organiser, cooperation area and the country gets, for every year delivered, a row per
-- all-staff measure: the value, or NULL with missing_reason.
CREATE SCHEMA IF NOT EXISTS fragments;

CREATE OR REPLACE TABLE fragments.personnel_report AS
WITH
refs AS (
    SELECT s.source_ref, s.measure_key, s.unit, m.objective_key
    FROM reference.measure_source_refs AS s
    LEFT JOIN reference.measures AS m USING (measure_key)
    WHERE s.source = 'personnel_report'
),
-- age bands and which of them count as 55+: the personnel vocabulary (pipelines/catalog/personnel/)
age_bands AS (
    SELECT breakdown AS band, is_55_plus FROM reference.personnel_breakdowns WHERE breakdowns = 'age_band'
),
bands_55_plus AS (
    SELECT band FROM age_bands WHERE is_55_plus
),
organisers AS (
    SELECT region_code AS area_code, cooperation_area_code
    FROM reference.regions
    WHERE region_level = 'wellbeing_area' AND is_organiser
),
region_map AS (
    SELECT area_code, 'wellbeing_area' AS region_level, area_code AS region_code FROM organisers
    UNION ALL
    SELECT area_code, 'cooperation_area', cooperation_area_code FROM organisers
    UNION ALL
    SELECT area_code, 'country', 'SSS' FROM organisers
),
region_size AS (
    SELECT region_level, region_code, count(*) AS n_org FROM region_map GROUP BY region_level, region_code
),
years AS (
    SELECT DISTINCT year FROM staging.personnel_report
),
src AS (
    SELECT * FROM staging.personnel_report WHERE area_code IN (SELECT area_code FROM organisers)
),
-- one row per organiser x year x staff group, the delivered figures side by side
wide AS (
    SELECT
        area_code, year, staff_group,
        max(value) FILTER (WHERE metric = 'headcount' AND breakdown = 'total') AS headcount,
        max(value) FILTER (WHERE metric = 'headcount' AND breakdown = 'permanent') AS permanent,
        max(value) FILTER (WHERE metric = 'person_years_htv2' AND breakdown = 'total') AS htv,
        max(value) FILTER (WHERE metric = 'mean_age') AS mean_age,
        max(value) FILTER (WHERE metric = 'permanent_leavers' AND breakdown = 'total') AS leavers_src,
        max(value) FILTER (WHERE metric = 'permanent_turnover_pct') AS turnover_pct_src,
        max(value) FILTER (WHERE metric = 'sickness_absence_days') AS sick_days_src,
        max(value) FILTER (WHERE metric = 'sickness_absence_days_per_htv') AS sick_per_htv_src,
        max(value) FILTER (WHERE metric = 'training_days') AS training_days_src,
        max(value) FILTER (WHERE metric = 'training_days_per_htv') AS training_per_htv_src,
        max(value) FILTER (WHERE metric = 'agency_labour_cost') AS agency_cost,
        max(value) FILTER (WHERE metric = 'agency_labour_htv') AS agency_htv,
        max(value) FILTER (WHERE metric = 'unfilled_positions') AS unfilled,
        max(value) FILTER (WHERE metric = 'key_shortage_rank') AS shortage_rank,
        max(delivery_sha256) AS payload_sha256,
        max(received_at) AS fetched_at,
        bool_or(is_synthetic) AS is_synthetic
    FROM src
    GROUP BY area_code, year, staff_group
),
-- ratios delivered without their counts become counts, so all levels share one formula
norm AS (
    SELECT
        *,
        coalesce(leavers_src, turnover_pct_src * permanent / 100) AS leavers,
        coalesce(sick_days_src, sick_per_htv_src * htv) AS sick_days,
        coalesce(training_days_src, training_per_htv_src * htv) AS training_days,
        leavers_src IS NULL AND turnover_pct_src IS NOT NULL AS turnover_as_delivered,
        sick_days_src IS NULL AND sick_per_htv_src IS NOT NULL AS sick_as_delivered,
        training_days_src IS NULL AND training_per_htv_src IS NOT NULL AS training_as_delivered
    FROM wide
),
pop AS (
    SELECT region_code AS area_code, year, population
    FROM reference.population
    WHERE region_level = 'wellbeing_area'
),
-- counts summed per region (an organiser maps to itself, its cooperation area and the country)
grp AS (
    SELECT
        m.region_level, m.region_code, n.year, n.staff_group,
        sum(n.headcount) AS headcount, count(n.headcount) AS n_headcount,
        sum(n.permanent) AS permanent, count(n.permanent) AS n_permanent,
        sum(n.htv) AS htv, count(n.htv) AS n_htv,
        sum(n.mean_age * n.headcount) AS age_x_headcount,
        sum(n.headcount) FILTER (WHERE n.mean_age IS NOT NULL) AS headcount_with_age,
        count(n.mean_age * n.headcount) AS n_mean_age,
        sum(n.leavers) AS leavers, count(n.leavers) AS n_leavers,
        sum(n.sick_days) AS sick_days, count(n.sick_days) AS n_sick_days,
        sum(n.training_days) AS training_days, count(n.training_days) AS n_training_days,
        sum(n.agency_cost) AS agency_cost, count(n.agency_cost) AS n_agency_cost,
        sum(n.agency_htv) AS agency_htv, count(n.agency_htv) AS n_agency_htv,
        sum(p.population) AS population, count(p.population) AS n_population,
        bool_and(n.turnover_as_delivered) AS turnover_as_delivered,
        bool_and(n.sick_as_delivered) AS sick_as_delivered,
        bool_and(n.training_as_delivered) AS training_as_delivered,
        CASE WHEN m.region_level = 'wellbeing_area' THEN max(n.payload_sha256) END AS payload_sha256,
        max(n.fetched_at) AS fetched_at,
        bool_or(n.is_synthetic) AS is_synthetic
    FROM norm AS n
    JOIN region_map AS m USING (area_code)
    LEFT JOIN pop AS p ON p.area_code = n.area_code AND p.year = n.year
    GROUP BY m.region_level, m.region_code, n.year, n.staff_group
),
age AS (
    SELECT
        s.area_code, s.year, s.staff_group, s.breakdown AS band,
        coalesce(
            max(s.value) FILTER (WHERE s.metric = 'age_band_count'),
            max(s.value) FILTER (WHERE s.metric = 'age_band_share') * any_value(w.headcount) / 100
        ) AS band_count,
        max(s.value) FILTER (WHERE s.metric = 'age_band_count') IS NULL AS share_as_delivered
    FROM src AS s
    JOIN wide AS w USING (area_code, year, staff_group)
    WHERE s.metric IN ('age_band_count', 'age_band_share')
    GROUP BY s.area_code, s.year, s.staff_group, s.breakdown
),
age_grp AS (
    SELECT
        m.region_level, m.region_code, a.year, a.staff_group, a.band,
        sum(a.band_count) AS band_count, count(a.band_count) AS n_in, bool_and(a.share_as_delivered) AS as_delivered
    FROM age AS a
    JOIN region_map AS m USING (area_code)
    GROUP BY m.region_level, m.region_code, a.year, a.staff_group, a.band
),
age_55 AS (
    SELECT
        region_level, region_code, year, staff_group,
        sum(band_count) AS count_55_plus,
        CASE WHEN count(*) = (SELECT count(*) FROM bands_55_plus) THEN min(n_in) ELSE 0 END AS n_in
    FROM age_grp
    WHERE band IN (SELECT band FROM bands_55_plus)
    GROUP BY region_level, region_code, year, staff_group
),
-- each measure as (raw value, organisers whose inputs it uses, taken as delivered?)
vals AS (
    SELECT region_level, region_code, year, staff_group, 'person_years_htv2' AS source_ref, 'total' AS breakdown_detail,
           htv AS value_raw, n_htv AS n_in, true AS as_delivered
    FROM grp
    UNION ALL
    SELECT region_level, region_code, year, staff_group, 'person_years_htv2_per_1000', 'total',
           htv / nullif(population, 0) * 1000, least(n_htv, n_population), false
    FROM grp
    UNION ALL
    SELECT g.region_level, g.region_code, g.year, g.staff_group, 'share_aged_55_plus', 'total',
           a.count_55_plus / nullif(g.headcount, 0) * 100, least(a.n_in, g.n_headcount), false
    FROM grp AS g
    JOIN age_55 AS a USING (region_level, region_code, year, staff_group)
    UNION ALL
    SELECT g.region_level, g.region_code, g.year, g.staff_group, 'age_band_share', a.band,
           a.band_count / nullif(g.headcount, 0) * 100, least(a.n_in, g.n_headcount), a.as_delivered
    FROM grp AS g
    JOIN age_grp AS a USING (region_level, region_code, year, staff_group)
    UNION ALL
    SELECT region_level, region_code, year, staff_group, 'mean_age', 'total',
           age_x_headcount / nullif(headcount_with_age, 0), n_mean_age, true
    FROM grp
    UNION ALL
    SELECT region_level, region_code, year, staff_group, 'permanent_turnover_pct', 'total',
           leavers / nullif(permanent, 0) * 100, least(n_leavers, n_permanent), turnover_as_delivered
    FROM grp
    UNION ALL
    SELECT region_level, region_code, year, staff_group, 'sickness_absence_days_per_htv', 'total',
           sick_days / nullif(htv, 0), least(n_sick_days, n_htv), sick_as_delivered
    FROM grp
    UNION ALL
    SELECT region_level, region_code, year, staff_group, 'training_days_per_htv', 'total',
           training_days / nullif(htv, 0), least(n_training_days, n_htv), training_as_delivered
    FROM grp
    UNION ALL
    SELECT region_level, region_code, year, staff_group, 'agency_labour_share_htv', 'total',
           agency_htv / nullif(htv + agency_htv, 0) * 100, least(n_agency_htv, n_htv), false
    FROM grp
    UNION ALL
    SELECT region_level, region_code, year, staff_group, 'agency_labour_cost', 'total',
           agency_cost, n_agency_cost, true
    FROM grp
),
-- every measure of refs (key shortages have their own rows below), age_band_share once per band
expected AS (
    SELECT r.source_ref, coalesce(b.band, 'total') AS breakdown_detail
    FROM refs AS r
    LEFT JOIN age_bands AS b ON r.source_ref = 'age_band_share'
    WHERE r.source_ref <> 'key_shortage_unfilled_positions'
),
-- every region gets rows for all staff and for each staff group any organiser reported that year
group_keys AS (
    SELECT z.region_level, z.region_code, g.year, g.staff_group
    FROM region_size AS z
    CROSS JOIN (SELECT year, 'all' AS staff_group FROM years UNION SELECT DISTINCT year, staff_group FROM wide) AS g
),
measured AS (
    SELECT
        k.region_level, k.region_code, k.year, k.staff_group, e.source_ref, e.breakdown_detail,
        v.value_raw, coalesce(v.n_in, 0) AS n_in, coalesce(v.as_delivered, false) AS as_delivered,
        z.n_org, g.region_code IS NOT NULL AS delivered, ga.region_code IS NOT NULL AS year_delivered,
        g.headcount, coalesce(g.n_headcount, 0) AS n_headcount,
        g.payload_sha256, g.fetched_at, coalesce(g.is_synthetic, false) AS is_synthetic
    FROM group_keys AS k
    CROSS JOIN expected AS e
    JOIN region_size AS z USING (region_level, region_code)
    LEFT JOIN vals AS v USING (region_level, region_code, year, staff_group, source_ref, breakdown_detail)
    LEFT JOIN grp AS g USING (region_level, region_code, year, staff_group)
    LEFT JOIN grp AS ga
        ON ga.region_level = k.region_level AND ga.region_code = k.region_code AND ga.year = k.year AND ga.staff_group = 'all'
),
group_values AS (
    SELECT
        *,
        delivered AND n_headcount = n_org AND headcount < 5 AS suppressed,
        n_in = n_org AND value_raw IS NOT NULL AS complete
    FROM measured
    -- staff groups other than all: only the measures some organiser reports for that group
    QUALIFY staff_group = 'all' OR max(n_in) OVER (PARTITION BY year, staff_group, source_ref, breakdown_detail) > 0
),
group_rows AS (
    SELECT
        region_level, region_code, year, source_ref,
        CASE WHEN staff_group = 'all' THEN 'total' ELSE staff_group END AS breakdown,
        breakdown_detail,
        CASE WHEN complete AND NOT suppressed THEN value_raw END AS value,
        CAST(NULL AS VARCHAR) AS value_text,
        suppressed AS is_suppressed,
        CASE
            WHEN suppressed THEN 'suppressed: fewer than 5 persons in the group'
            WHEN complete THEN NULL
            WHEN NOT year_delivered AND region_level = 'wellbeing_area' THEN 'no personnel report delivered for this county and year'
            WHEN NOT delivered AND region_level = 'wellbeing_area' THEN 'staff group not reported in the delivery'
            WHEN region_level = 'wellbeing_area' AND n_in = n_org THEN 'not computable: zero denominator'
            WHEN region_level = 'wellbeing_area' THEN 'not reported in the delivery'
            ELSE 'incomplete: ' || n_in || ' of ' || n_org || ' organisers reported the inputs'
        END AS missing_reason,
        CASE WHEN region_level = 'wellbeing_area' AND as_delivered THEN 'source' ELSE 'derived' END AS value_origin,
        is_synthetic, payload_sha256, fetched_at
    FROM group_values
),
-- key shortages: staff groups ranked by unfilled positions (summed over organisers for areas
-- and the country); the county's own rank breaks ties
shortage_groups AS (
    SELECT
        m.region_level, m.region_code, n.year, n.staff_group,
        sum(n.unfilled) AS unfilled, min(n.shortage_rank) AS delivered_rank
    FROM norm AS n
    JOIN region_map AS m USING (area_code)
    WHERE n.unfilled IS NOT NULL AND n.staff_group <> 'all'
    GROUP BY m.region_level, m.region_code, n.year, n.staff_group
),
shortage_ranked AS (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY region_level, region_code, year
            ORDER BY unfilled DESC, delivered_rank NULLS LAST, staff_group
        ) AS shortage_rank
    FROM shortage_groups
),
shortage_rows AS (
    SELECT
        z.region_level, z.region_code, y.year, 'key_shortage_unfilled_positions' AS source_ref,
        'total' AS breakdown, 'rank_' || r.rank AS breakdown_detail,
        s.unfilled AS value, s.staff_group AS value_text, false AS is_suppressed,
        CASE
            WHEN s.staff_group IS NOT NULL THEN NULL
            WHEN g.region_code IS NULL AND z.region_level = 'wellbeing_area' THEN 'no personnel report delivered for this county and year'
            WHEN r.rank = 1 THEN 'no staff group with unfilled positions reported'
            ELSE 'only ' || (r.rank - 1) || ' staff group(s) with unfilled positions reported'
        END AS missing_reason,
        'derived' AS value_origin,
        coalesce(g.is_synthetic, false) AS is_synthetic, g.payload_sha256, g.fetched_at
    FROM region_size AS z
    CROSS JOIN years AS y
    CROSS JOIN (VALUES (1), (2), (3)) AS r(rank)
    LEFT JOIN shortage_ranked AS s
        ON s.region_level = z.region_level AND s.region_code = z.region_code AND s.year = y.year AND s.shortage_rank = r.rank
    LEFT JOIN grp AS g
        ON g.region_level = z.region_level AND g.region_code = z.region_code AND g.year = y.year AND g.staff_group = 'all'
),
all_rows AS (
    SELECT * FROM group_rows
    UNION ALL
    SELECT * FROM shortage_rows
)
SELECT
    refs.measure_key,
    refs.objective_key,
    a.region_level,
    a.region_code,
    CAST(a.year AS INTEGER) AS year,
    a.source_ref,
    a.breakdown,
    a.breakdown_detail,
    CAST(a.value AS DOUBLE) AS value,
    a.value_text,
    refs.unit,
    a.is_suppressed,
    a.missing_reason,
    a.value_origin,
    a.is_synthetic,
    'personnel_report' AS source,
    a.payload_sha256,
    CAST(a.fetched_at AS TIMESTAMP) AS fetched_at
FROM all_rows AS a
LEFT JOIN refs USING (source_ref)
ORDER BY refs.measure_key, a.source_ref, a.region_level, a.region_code, a.year, a.breakdown, a.breakdown_detail;

COMMENT ON TABLE fragments.personnel_report IS 'Objective 2.1.2 personnel measures (2.1.2-01..07) from the counties'' personnel reports, per organiser, cooperation area and country, year and staff group, in the measure_values contract. Cooperation areas and the country are derived by summing counts; groups under 5 persons are suppressed.';
