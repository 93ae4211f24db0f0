"""THL database reports (sampo.thl.fi pivot cubes): raw -> staging -> fragments.thl_cube.

Which cubes are read, with which selectors and how their nodes map to measures, regions, years
and breakdowns is configuration: ``pipelines/cube_specs/*.toml`` (docs/thl_cubes.md). These
assets are generic over the specs and only declare: fetching and normalising live in
``pipelines/sources/thl_cube/``, the SQL in ``sql/staging/thl_*.sql`` and ``sql/fragments/thl_cube.sql``.

No ``from __future__ import annotations`` here: Dagster inspects the ``context`` annotation at
definition time and needs the real class.
"""

from collections.abc import Sequence

import dagster as dg

from pipelines.archive import ArchiveIntegrityError, ReplayMissError
from pipelines.builds import build
from pipelines.metadata import declared_schema, table_result
from pipelines.sources.jsonstat import JsonStatError
from pipelines.sources.thl_cube import ThlCubeError, ThlCubeUnavailable, fetch_specs
from pipelines.sources.thl_cube.normalise import (
    cells_input,
    fragment_input,
    nodes_input,
    raw_frame,
    region_map_input,
    values_input,
)
from pipelines.sql_assets import fragment_asset, sql_table_asset, writes_warehouse
from pipelines.sources.thl_cube_specs import CubeSpec, default_specs, specs_fingerprint

GROUP = "thl_cube"
RESOURCES = {"warehouse", "archive", "thl_cube", "settings"}
NETWORK_RETRY = dg.RetryPolicy(max_retries=2, delay=5, backoff=dg.Backoff.EXPONENTIAL)


# -- helpers -----------------------------------------------------------------------------------


def specs() -> Sequence[CubeSpec]:
    return default_specs()


# -- assets ------------------------------------------------------------------------------------


@dg.asset(
    key=["raw", "thl_cube"],
    metadata=declared_schema("raw/thl_cube", "raw.thl_cube"),
    group_name=GROUP,
    retry_policy=NETWORK_RETRY,
    **writes_warehouse(*RESOURCES),
    description=(
        "THL database-report cubes (sampo.thl.fi pivot API) for every cube spec in pipelines/cube_specs: "
        "the subject listing, the JSONP dimension trees and the JSON-stat fact chunks (one per year). "
        "Live mode fetches and archives every body; replay mode answers from the sample archive. "
        "Table raw.thl_cube keeps the bodies and their provenance."
    ),
)
def raw_thl_cube(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    settings = context.resources.settings.get()
    spec_list = specs()
    live = context.resources.archive.is_live
    try:
        payload_sets, stats = fetch_specs(lambda: context.resources.thl_cube.client(settings), spec_list)
    except (ThlCubeError, JsonStatError, ReplayMissError, ArchiveIntegrityError) as exc:
        if isinstance(exc, ThlCubeUnavailable):
            raise  # transient: the asset's retry policy tries again later
        # a rejected query, a malformed document, a replay miss or damaged archive bytes will not get better by retrying
        raise dg.Failure(description=str(exc), allow_retries=False) from exc
    payloads = [p for ps in payload_sets for p in ps.all()]
    not_listed = [ps.spec.key for ps in payload_sets if not ps.listing.listed]
    if not_listed:
        context.log.warning(f"cube specs not in their subject listing (fetched directly): {not_listed}")
    table = "raw.thl_cube"
    with context.resources.warehouse.connect() as con:
        built = build(con, table, "raw/thl_cube",
                      extra=[sorted((p.spec_key, p.kind, p.chunk or "", p.sha256) for p in payloads)],
                      frames=lambda: {"thl_raw_in": raw_frame(payloads)}, detail={"payloads": len(payloads)})
        return table_result(
            con, table, built, mode="live" if live else "replay", requests=stats.requests,
            retries=stats.retries, payloads=len(payloads), not_listed=", ".join(not_listed) or "none",
        )


def _thl_table(table: str, sql_file: str, inputs: list[str], frames, description: str, result_metadata=None):
    """A THL table from its inputs, the cube specs (configuration) and the frames normalise builds."""
    return sql_table_asset(table, sql_file, inputs=inputs, group_name=GROUP, description=description,
                           frames=lambda con: frames(con, specs()), extra=lambda: [specs_fingerprint(specs())],
                           result_metadata=result_metadata)


staging_thl_nodes = _thl_table(
    "staging.thl_nodes", "staging/thl_nodes", ["raw.thl_cube"], nodes_input,
    "Dimension trees of the THL cubes (from .dimensions.json): one row per node with sid, stage, code and label.",
)

staging_thl_cells = _thl_table(
    "staging.thl_cells", "staging/thl_cells", ["raw.thl_cube", "staging.thl_nodes"], cells_input,
    "Every cell of every THL fact chunk, normalised from JSON-stat: region, time, breakdown and measure "
    "node (sid, label, code, stage), the raw value text, the parsed number and a suppression flag. "
    "Empty cells are rows with value_text NULL.",
)

staging_thl_region_map = _thl_table(
    "staging.thl_region_map", "staging/thl_region_map", ["staging.thl_cells"], region_map_input,
    "THL region/provider nodes mapped to canonical regions by the cube specs: wellbeing-area nodes one to "
    "one, provider nodes to their organiser(s); many-to-one nodes (HUS) flagged not comparable. Nodes "
    "without a mapping fail a blocking check that lists them.",
    result_metadata=lambda con: {"unmapped_nodes": con.execute(
        "SELECT count(*) FROM staging.thl_region_map WHERE unmapped_node IS NOT NULL").fetchall()[0][0]},
)

staging_thl_values = _thl_table(
    "staging.thl_values", "staging/thl_values", ["staging.thl_cells", "staging.thl_region_map"], values_input,
    "THL cube measures per canonical region, year and breakdown: months or four-monthly snapshots "
    "aggregated to the year by the rule in each cube spec (weighted by the cube's counts), with "
    "suppression, partial-year counts and comparability caveats.",
)

fragments_thl_cube = fragment_asset(
    "thl_cube", inputs=["staging.thl_values", "staging.thl_nodes"], group_name=GROUP,
    frames=lambda con: fragment_input(con, specs()), extra=lambda: [specs_fingerprint(specs())],
    description="THL cube measures (2.1.1-01 by professional group and in total, 2.1.1-03) in the measure_values "
    "contract for the 22 organisers and the whole country, every spec year: values, or NULL with "
    "missing_reason (suppressed by source, no data collected, no value published).",
    result_metadata=lambda con: {"rows_by_reason": dg.MetadataValue.json(dict(con.execute(
        "SELECT coalesce(missing_reason, '(value)') AS r, count(*) FROM fragments.thl_cube GROUP BY r ORDER BY r"
    ).fetchall()))},
)
