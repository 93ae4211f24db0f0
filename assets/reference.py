"""Reference assets: regions, municipalities, the objective catalogue and the vocabularies."""


from pathlib import Path

import dagster as dg

from pipelines.metadata import declared_description, declared_schema, table_result
from pipelines.settings import PROJECT_ROOT
from pipelines.builds import build
from pipelines.warehouse import execute_file, sql_text
from pipelines.sources.personnel.vocabulary import VOCABULARY_FILES
from pipelines.sql_assets import sql_table_asset, writes_warehouse

CATALOG = PROJECT_ROOT / "pipelines" / "catalog"
REGIONS = PROJECT_ROOT / "data" / "reference" / "regions" / "derived"
NEED_COEFFICIENTS_CSV = PROJECT_ROOT / "data" / "reference" / "finance" / "derived_vakiluku_tarvekerroin_2018_2023.csv"
CLASSIFICATION_YEAR = 2024  # the area list and memberships are identical 2023-2026 (SOURCES.md)
COMMON = dict(group_name="reference", **writes_warehouse())


def _build(context, table: str, sql_file: str, params: dict, inputs: list[str], files) -> dg.MaterializeResult:
    with context.resources.warehouse.connect() as con:
        return table_result(con, table, build(con, table, sql_file, inputs=inputs, params=params, files=files))


@dg.asset(key=["reference", "regions"], deps=[dg.AssetKey(["staging", "sotkanet_regions"])],
          metadata=declared_schema("reference/regions", "reference.regions"), **COMMON)
def regions(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """The region classification of the marts: 21 wellbeing services counties, the City of Helsinki,
    Åland (kept, flagged outside the national objectives), the whole country and the five cooperation
    areas, with fi/sv/en names (Statistics Finland) and Sotkanet ids joined from /regions."""
    csv = REGIONS / "wellbeing_areas_by_year.csv"
    return _build(context, "reference.regions", "reference/regions",
                  {"areas_csv": str(csv), "classification_year": CLASSIFICATION_YEAR}, ["staging.sotkanet_regions"], [csv])


@dg.asset(key=["reference", "municipalities"], deps=[dg.AssetKey(["staging", "sotkanet_regions"])],
          metadata=declared_schema("reference/municipalities", "reference.municipalities"), **COMMON)
def municipalities(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Municipality -> wellbeing area -> cooperation area mapping for 2023-2026 (Statistics Finland
    classification via rOpenGov/geofi), with Sotkanet ids where /regions lists the municipality."""
    files = sorted(REGIONS.glob("municipality_to_wellbeing_area_*.csv"))
    return _build(context, "reference.municipalities", "reference/municipalities",
                  {"municipality_csvs": [str(f) for f in files]}, ["staging.sotkanet_regions"], files)


need_coefficients = sql_table_asset(
    "reference.need_coefficients", "reference/need_coefficients", inputs=["reference.regions"], group_name="reference",
    params=lambda s: {"need_coefficients_csv": str(NEED_COEFFICIENTS_CSV), "year_end": s.year_end},
    files=[NEED_COEFFICIENTS_CSV],
    description="THL's total need coefficients 2018-2023 (real; whole country = 1) per organiser, derived per "
    "cooperation area, and which coefficient year applies to each data year (the latest carried forward).",
)


def catalog_files() -> dict[str, Path]:
    """The CSV behind each ``$<name>_csv`` parameter of the catalogue's SQL files."""
    return {
        "objectives_csv": CATALOG / "objectives.csv",
        "measures_csv": CATALOG / "measures.csv",
        "source_refs_csv": CATALOG / "source_refs.csv",
        "units_csv": CATALOG / "units.csv",
        "vocabularies_csv": CATALOG / "vocabularies.csv",
        "footnotes_csv": CATALOG / "footnotes.csv",
        **{f"personnel_{name}_csv": path for name, path in VOCABULARY_FILES.items()
           if name in ("metrics", "breakdowns", "staff_groups")},
    }


# Build order: measure_source_refs reads reference.units.
CATALOG_TABLES = ["objectives", "measures", "units", "measure_source_refs", "vocabularies", "footnotes",
                  "personnel_metrics", "personnel_breakdowns", "personnel_staff_groups"]


def build_catalog(con) -> None:
    """Run sql/reference/<table>.sql for every catalogue table, in order, on the caller's transaction."""
    params = {k: str(v) for k, v in catalog_files().items()}
    for t in CATALOG_TABLES:
        execute_file(con, f"reference/{t}", params)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["reference", t], group_name="reference", kinds={"duckdb"},
                     description=declared_description(f"reference/{t}", f"reference.{t}"),
                     metadata=declared_schema(f"reference/{t}", f"reference.{t}"))
        for t in CATALOG_TABLES
    ],
    pool="duckdb_write",
    required_resource_keys={"warehouse"},  # a multi_asset takes no kinds: they sit on the specs
    name="catalog",
    description="The objective catalogue (8 objectives, 31 measures, their source refs) and the controlled "
    "vocabularies (including the personnel-report vocabulary), from pipelines/catalog/.",
)
def catalog(context: dg.AssetExecutionContext):
    files = catalog_files()
    with context.resources.warehouse.connect() as con:
        # one table per SQL file, one build for all: the CSVs change together, so one fingerprint
        # (over every file's SQL text and every CSV) is recorded for each table
        built = build(con, "reference.measures", build_catalog, files=list(files.values()),
                      extra=[sql_text(f"reference/{t}") for t in CATALOG_TABLES],
                      also=[f"reference.{t}" for t in CATALOG_TABLES if t != "measures"])
        for t in CATALOG_TABLES:
            result = table_result(con, f"reference.{t}", built)
            yield dg.MaterializeResult(asset_key=["reference", t], metadata=result.metadata, data_version=result.data_version)
