"""THL database-report cubes (sampo.thl.fi/pivot, server "tiku"). Exact server behaviour:
../shared/docs/thl-cube-api.md. Read top to bottom: ``urls`` (the URL grammar), ``dimensions``
(dimension trees, listing, request planning), ``client`` (fetching on the shared HTTP client,
archiving), ``normalise`` (payloads -> the frames the staging SQL reads). Pure Python, no Dagster;
JSON-stat values are parsed by ``pipelines.sources.jsonstat``.
"""

from pipelines.sources.thl_cube.client import Fetched, SpecPayloads, ThlCubeClient, fetch_specs, fetch_specs_async
from pipelines.sources.thl_cube.dimensions import (
    DimNode,
    FactRequest,
    listed,
    node_lookup,
    parse_dimensions,
    parse_listing,
    plan_fact_requests,
    resolve_selector,
    strip_jsonp,
)
from pipelines.sources.thl_cube.errors import (
    JSONP_PREFIX,
    RETRYABLE_STATUS,
    SOURCE,
    ThlCubeError,
    ThlCubeNotFound,
    ThlCubeUnavailable,
    ThlQueryRejected,
)
from pipelines.sources.thl_cube.urls import dimensions_url, fact_params, fact_url, listing_url, selector

__all__ = [
    "DimNode", "FactRequest", "Fetched", "JSONP_PREFIX", "RETRYABLE_STATUS", "SOURCE", "SpecPayloads",
    "ThlCubeClient", "ThlCubeError", "ThlCubeNotFound", "ThlCubeUnavailable", "ThlQueryRejected",
    "dimensions_url", "fact_params", "fact_url", "fetch_specs", "fetch_specs_async", "listed", "listing_url",
    "node_lookup", "parse_dimensions", "parse_listing", "plan_fact_requests", "resolve_selector", "selector",
    "strip_jsonp",
]
