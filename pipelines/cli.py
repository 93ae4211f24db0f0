"""The ``sote`` command line (``[project.scripts] sote = "pipelines.cli:main"``).

Subcommands (argparse subparsers; add new ones with ``_add_<name>(subparsers)``):

    sote personnel-template --county 08 --year 2024 --out DIR
        Write empty personnel-report templates (CSV and XLSX) for one county and year.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sote", description="sote-indicators command line")
    subparsers = parser.add_subparsers(dest="command", required=True)
    _add_personnel_template(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
