"""Blocking checks that the archived payloads behind each raw dataset are the bytes their manifest
records (sha256 and size). Verify-on-read already stops a run at the first damaged payload it
reads; these checks also cover payloads the warehouse loaded in earlier runs and is not reading
again, so damage never hides behind an unchanged fingerprint. Not a great-expectations suite: it
checks files, not a table."""

import dagster as dg

from pipelines.integrity import check_entries

# raw dataset -> the archive source whose payloads it is built from
RAW_SOURCES = {
    ("raw", "sotkanet_payloads"): "sotkanet",
    ("raw", "thl_cube"): "thl_cube",
    ("raw", "personnel_deliveries"): "personnel",
    ("raw", "curated_deliveries"): "curated",
}


def archive_check(asset: tuple[str, ...], source: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(list(asset)), name="archive_bytes_match_manifest", blocking=True,
        required_resource_keys={"archive"},
        description=f"Every accepted {source} payload in the archives this run reads (replay and runtime) "
        "has the sha256 and size of its manifest row.",
    )
    def _check(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        resource = context.resources.archive
        archives = [resource.runtime()] + ([] if resource.is_live else [resource.replay()])
        checked, problems = 0, []
        for archive in archives:
            entries = [e for e in archive.entries(source) if e.ok]
            checked += len({e.sha256 for e in entries})
            problems += [f"archive {archive.root}: {p}" for p in check_entries(archive, entries)]
        return dg.AssetCheckResult(
            passed=not problems,
            description=(f"{checked} {source} objects match their manifest rows" if not problems else
                         f"{len(problems)} of {checked} {source} objects damaged; first: {problems[0]}"),
            metadata={"objects_checked": checked, "problems": dg.MetadataValue.json(problems[:50])},
        )

    return _check


CHECKS = [archive_check(asset, source) for asset, source in RAW_SOURCES.items()]
