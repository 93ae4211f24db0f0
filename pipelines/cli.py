"""The ``sote`` command line (``[project.scripts] sote = "pipelines.cli:main"``).

Subcommands (argparse subparsers; add new ones with ``_add_<name>(subparsers)``):

    sote personnel-template --county 08 --year 2024 --out DIR
        Write empty personnel-report templates (CSV and XLSX) for one county and year.
    sote archive verify [PATH ...]
        Prove archives byte for byte against their manifests (default: the replay and runtime archives).
    sote archive revise SRC DEST [--indicator N --count 3 --delta 1.0]
        Copy an archive with some Sotkanet values revised, to try marts.value_revisions.
    sote rebuild [--wait]
        Set the warehouse aside and recreate it from the raw archive and landing deliveries, then republish.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def _personnel_template(args: argparse.Namespace) -> int:
    from pipelines.sources.personnel import write_template

    try:
        paths = write_template(args.county, args.year, args.out)
    except ValueError as exc:
        print(f"sote personnel-template: {exc}", file=sys.stderr)
        return 2
    for path in paths:
        print(path)
    return 0


def _add_personnel_template(subparsers) -> None:
    p = subparsers.add_parser(
        "personnel-template",
        help="write empty personnel-report templates (CSV and XLSX) for one county and year",
        description="Write personnel_<county>_<year>.csv and .xlsx: every row a county fills in, keys "
        "pre-filled and values empty. Format: docs/personnel_format.md.",
    )
    p.add_argument("--county", required=True, help="wellbeing services county code 01-21 or 90 (Helsinki)")
    p.add_argument("--year", required=True, type=int, help="reporting year, e.g. 2024")
    p.add_argument("--out", required=True, help="folder to write the two files into")
    p.set_defaults(func=_personnel_template)


def _archive_verify(args: argparse.Namespace) -> int:
    from pipelines.integrity import verify_archive

    if args.paths:
        roots = [Path(p) for p in args.paths]
    else:
        from pipelines.settings import get_settings

        settings = get_settings()
        roots = [settings.replay_path] + ([settings.archive_path] if settings.archive_path.exists() else [])
    failed = False
    for root in roots:
        report = verify_archive(root)
        print(report.summary())
        for problem in report.problems[: args.max_problems]:
            print(f"  - {problem}")
        if len(report.problems) > args.max_problems:
            print(f"  ... and {len(report.problems) - args.max_problems} more")
        failed |= not report.ok
    return 1 if failed else 0


def _add_archive(subparsers) -> None:
    p = subparsers.add_parser("archive", help="inspect the raw archives", description="Inspect the raw archives.")
    sub = p.add_subparsers(dest="archive_command", required=True)
    v = sub.add_parser(
        "verify",
        help="prove every archived object against its manifest sha256 and size",
        description="Check a whole archive: manifest rows without objects, objects without manifest rows, "
        "sha256 and size mismatches, unreadable manifest lines. Prints a summary with counts; exit code 1 "
        "on any problem. Without PATH: the replay archive (SOTE_REPLAY_PATH) and the runtime archive.",
    )
    v.add_argument("paths", nargs="*", metavar="PATH", help="archive folder(s) holding manifest/ and objects/")
    v.add_argument("--max-problems", type=int, default=50, help="problems listed one by one (default 50)")
    v.set_defaults(func=_archive_verify)
    r = sub.add_parser(
        "revise",
        help="copy an archive with some Sotkanet values revised (to try marts.value_revisions)",
        description="Copy archive SRC to DEST and add DELTA to COUNT published values (gender total, latest year) "
        "of one Sotkanet indicator, as a source revising its figures would. The copy stays labelled synthetic.",
    )
    r.add_argument("src", metavar="SRC", help="archive to copy, e.g. data/sample")
    r.add_argument("dest", metavar="DEST", help="new folder for the revised copy")
    r.add_argument("--indicator", type=int, default=5028, help="Sotkanet indicator id (default 5028)")
    r.add_argument("--count", type=int, default=3, help="how many values to change (default 3)")
    r.add_argument("--delta", type=float, default=1.0, help="amount added to each value (default 1.0)")
    r.set_defaults(func=_archive_revise)


def _archive_revise(args: argparse.Namespace) -> int:
    from pipelines.revise import revise_sotkanet
    from pipelines.settings import get_settings

    try:
        changed = revise_sotkanet(Path(args.src), Path(args.dest), indicator=args.indicator, count=args.count,
                                  delta=args.delta, max_year=get_settings().year_end)
    except (FileExistsError, ValueError) as exc:
        print(f"sote archive revise: {exc}", file=sys.stderr)
        return 2
    for c in changed:
        print(f"sotkanet indicator {c['indicator']} region id {c['region']} {c['year']} {c['gender']}: {c['old']} -> {c['new']}")
    print(f"Revised copy: {args.dest}. Run the main job on it: SOTE_REPLAY_PATH={args.dest} .venv/bin/python -m pipelines.run; "
          "then SELECT * FROM marts.value_revisions in serving.duckdb.")
    return 0


def _add_rebuild(subparsers) -> None:
    from pipelines.run import REBUILD_HELP

    # listed here for 'sote --help'; main() hands its arguments to pipelines.run, which parses them
    subparsers.add_parser("rebuild", help="recreate the warehouse from the raw archive and republish",
                          description=REBUILD_HELP)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sote", description="sote-indicators command line")
    subparsers = parser.add_subparsers(dest="command", required=True)
    _add_personnel_template(subparsers)
    _add_archive(subparsers)
    _add_rebuild(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["rebuild"]:
        from pipelines.run import main as run_main

        return run_main(argv[1:], rebuild=True)
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
