"""The contract every source writes to and BI reads: ``marts.measure_values``.

Each source builds its own fragment table ``fragments.<source>`` with exactly these columns (use
``sql/fragments/_columns.sql`` as the reference SELECT list); ``marts.measure_values`` is the
UNION of all fragments. A source is added without touching any other source.

The column descriptions are written once, here: every fragment and ``marts.measure_values`` get
them as column COMMENTs (``column_comments_sql``), so fragment SQL files carry only a table comment.
"""

from __future__ import annotations

MEASURE_VALUES_KEY = (
    "measure_key",
    "source_ref",
    "region_level",
    "region_code",
    "year",
    "breakdown",
    "breakdown_detail",
)

# (column, DuckDB type, description) in canonical order.
MEASURE_VALUES_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("measure_key", "VARCHAR", "Catalogue key of the measure, e.g. 2.2.1-06; indicators outside the catalogue as sotkanet:<id>."),
    ("objective_key", "VARCHAR", "Objective the measure belongs to, e.g. 2.2.1; NULL outside the catalogue."),
    ("region_level", "VARCHAR", "wellbeing_area (21 counties, Helsinki 90, Åland 91), country, cooperation_area or municipality."),
    ("region_code", "VARCHAR", "Statistics Finland code: 01-21, 90 Helsinki, 91 Åland; SSS whole country; 1-5 cooperation areas."),
    ("year", "INTEGER", "Statistical year."),
    ("source_ref", "VARCHAR", "Which indicator or metric of the source: Sotkanet indicator id, THL measure node sid, personnel metric name."),
    ("breakdown", "VARCHAR", "Main slice: gender, professional group or staff group; 'total' when none or for all."),
    ("breakdown_detail", "VARCHAR", "Second slice such as an age band; 'total' when none."),
    ("value", "DOUBLE", "The figure in `unit`; NULL when missing or suppressed (see missing_reason)."),
    ("value_text", "VARCHAR", "Text value for grades and names (assessment grade, shortage group)."),
    ("unit", "VARCHAR", "Unit from reference.units (percent, per_10000, eur_per_inhabitant, ...)."),
    ("is_suppressed", "BOOLEAN", "True when the source suppressed the cell (small numbers); value is then NULL."),
    ("missing_reason", "VARCHAR", "Why value is NULL: suppressed, not published for this year, no data collected, ..."),
    ("value_origin", "VARCHAR", "source = as delivered; derived = computed here (aggregate or ratio)."),
    ("is_synthetic", "BOOLEAN", "True when the value is bundled sample data, not an official statistic."),
    ("source", "VARCHAR", "Source family: sotkanet, thl_cube, personnel_report, curated."),
    ("payload_sha256", "VARCHAR", "sha256 of the archived payload the value came from (raw archive)."),
    ("fetched_at", "TIMESTAMP", "When that payload was fetched or received (UTC)."),
)

MEASURE_VALUES_COLUMN_NAMES = tuple(c for c, _, _ in MEASURE_VALUES_COLUMNS)


def column_comments_sql(table: str) -> str:
    """COMMENT ON COLUMN statements giving ``table`` the contract's column descriptions."""
    return ";\n".join(
        f"COMMENT ON COLUMN {table}.{c} IS '{d.replace(chr(39), chr(39) * 2)}'" for c, _, d in MEASURE_VALUES_COLUMNS
    ) + ";\n"

REGION_LEVELS = ("wellbeing_area", "country", "cooperation_area", "municipality")
ORGANISER_CODES = tuple(f"{i:02d}" for i in range(1, 22)) + ("90",)
COOPERATION_AREA_CODES = ("1", "2", "3", "4", "5")
COUNTRY_CODE = "SSS"
ALAND_CODE = "91"

UNITS = (
    "percent", "per_1000", "per_10000", "per_100000", "index", "eur", "eur_per_inhabitant", "count",
    "person_years", "days_per_person_year", "years", "ratio", "grade",
)
STATUSES = ("automated", "curated", "not_available")
DIRECTIONS = ("higher", "lower", "neither")
TREND_DIRECTIONS = ("improving", "worsening", "stable", "not_assessed")
VALUE_ORIGINS = ("source", "derived")
