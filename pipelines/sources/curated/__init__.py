"""Curated measures (THL's and TTL's assessments, the finance figures of 2.2.1) delivered as files.
Read in order: ``model`` (the format, the row model and ``parse_curated``), ``ingest`` (the
deliveries through the shared landing-delivery flow into staging). No Dagster imports."""

from pipelines.sources.curated.model import GRADES, SOURCE, CuratedDelivery, CuratedRow, catalogue, parse_curated

__all__ = ["GRADES", "SOURCE", "CuratedDelivery", "CuratedRow", "catalogue", "parse_curated"]
