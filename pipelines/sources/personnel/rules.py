"""Rules between the rows of one personnel delivery: age-band shares sum to 100 +- 0.5, turnover
at most 100 %, person-years at most 1.05 x headcount, no duplicate keys, ... Any issue rejects
the file."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pipelines.sources.files import Issue
from pipelines.sources.personnel.vocabulary import AGE_BANDS, HTV_TOLERANCE, SHARE_TOLERANCE

if TYPE_CHECKING:
    from pipelines.sources.personnel.model import ValidRow

def cross_row_issues(rows: Sequence[ValidRow], file_name: str) -> list[Issue]:
    """Rules between rows of one delivery; any issue rejects the file."""
    issues: list[Issue] = []
    by_key: dict[tuple, ValidRow] = {}
    for r in rows:
        if r.data.key in by_key:
            first = by_key[r.data.key]
            issues.append(_issue(file_name, r, "metric",
                                 f"duplicate row: same county, year, staff group, metric and breakdown as row {first.row}"))
        else:
            by_key[r.data.key] = r
    if issues:
        return issues
    groups: dict[tuple[str, int, str], dict[tuple[str, str], ValidRow]] = defaultdict(dict)
    for r in rows:
        groups[(r.data.area_code, r.data.year, r.data.staff_group)][(r.data.metric, r.data.breakdown)] = r
    for (area, year, group), cells in sorted(groups.items()):
        issues.extend(_group_issues(file_name, area, year, group, cells))
    county_years = {(a, y) for a, y, _ in groups}
    for area, year in sorted(county_years):
        issues.extend(_county_year_issues(file_name, area, year, {g: c for (a, y, g), c in groups.items() if (a, y) == (area, year)}))
    return issues


def _issue(file_name: str, r: ValidRow, column: str, reason: str, value: Any = None) -> Issue:
    return Issue(file=file_name, sheet=r.sheet, row=r.row, column=column, value=None if value is None else str(value), reason=reason)


def _v(cells, metric: str, breakdown: str = "total") -> float | None:
    r = cells.get((metric, breakdown))
    return r.data.value if r else None


def _group_issues(file_name: str, area: str, year: int, group: str, cells) -> list[Issue]:
    issues: list[Issue] = []
    any_row = next(iter(cells.values()))
    where = f"county {area}, year {year}, staff group {group}"
    shortage_only = {m for m, _ in cells} <= {"key_shortage_rank", "unfilled_positions"}
    headcount = _v(cells, "headcount")
    if headcount is None and not shortage_only:
        issues.append(_issue(file_name, any_row, "metric",
                             f"{where}: headcount (total) is missing; it is needed for every staff group that reports figures"))
    htv = _v(cells, "person_years_htv2")
    if htv is not None and headcount is not None and htv > HTV_TOLERANCE * headcount:
        issues.append(_issue(file_name, cells[("person_years_htv2", "total")], "value",
                             f"{where}: person-years {htv:g} exceed 1.05 x headcount ({headcount:g})", htv))
    parts = [_v(cells, "headcount", b) for b in ("permanent", "fixed_term")]
    if headcount is not None and sum(p or 0 for p in parts) > headcount:
        issues.append(_issue(file_name, cells[("headcount", "total")], "value",
                             f"{where}: permanent + fixed-term headcount ({sum(p or 0 for p in parts):g}) exceed the total ({headcount:g})"))
    shares = {b: _v(cells, "age_band_share", b) for b in AGE_BANDS}
    if any(s is not None for s in shares.values()):
        total = sum(s or 0 for s in shares.values())
        if abs(total - 100) > SHARE_TOLERANCE:
            missing = [b for b, s in shares.items() if s is None]
            first = next(cells[("age_band_share", b)] for b in AGE_BANDS if shares[b] is not None)
            issues.append(_issue(file_name, first, "value",
                                 f"{where}: age-band shares sum to {total:g} %, not 100 +- {SHARE_TOLERANCE}"
                                 + (f" (missing bands: {', '.join(missing)})" if missing else "")))
    counts = {b: _v(cells, "age_band_count", b) for b in AGE_BANDS}
    if any(c is not None for c in counts.values()) and headcount is not None:
        total = sum(c or 0 for c in counts.values())
        if total != headcount:
            first = next(cells[("age_band_count", b)] for b in AGE_BANDS if counts[b] is not None)
            issues.append(_issue(file_name, first, "value",
                                 f"{where}: age-band counts sum to {total:g}, but headcount is {headcount:g}"))
    turnover = _v(cells, "permanent_turnover_pct")
    if turnover is not None and turnover > 100:  # also caught per row; kept for clarity of the rule
        issues.append(_issue(file_name, cells[("permanent_turnover_pct", "total")], "value", f"{where}: turnover above 100 %", turnover))
    leavers, permanent = _v(cells, "permanent_leavers"), _v(cells, "headcount", "permanent")
    if leavers is not None and permanent is None:
        issues.append(_issue(file_name, cells[("permanent_leavers", "total")], "metric",
                             f"{where}: permanent_leavers needs the permanent headcount (metric headcount, breakdown permanent)"))
    elif leavers is not None and permanent is not None and leavers > permanent:
        issues.append(_issue(file_name, cells[("permanent_leavers", "total")], "value",
                             f"{where}: permanent leavers ({leavers:g}) exceed permanent headcount ({permanent:g}): turnover over 100 %", leavers))
    issues.extend(_consistency_issues(file_name, where, cells, headcount, _v(cells, "headcount", "permanent"), htv))
    if ("unfilled_positions", "total") in cells and group == "all":
        issues.append(_issue(file_name, cells[("unfilled_positions", "total")], "staff_group",
                             "unfilled positions are reported per staff group, not for 'all'"))
    return issues


def _consistency_issues(file_name: str, where: str, cells, headcount, permanent, htv) -> list[Issue]:
    """A ratio delivered next to its counts must agree with them: the marts use the counts."""
    checks = [(f"age_band_share {b}", cells.get(("age_band_share", b)), _v(cells, "age_band_count", b), headcount, 100, 0.5)
              for b in AGE_BANDS]
    checks += [
        ("permanent_turnover_pct", cells.get(("permanent_turnover_pct", "total")), _v(cells, "permanent_leavers"), permanent, 100, 0.5),
        ("sickness_absence_days_per_htv", cells.get(("sickness_absence_days_per_htv", "total")),
         _v(cells, "sickness_absence_days"), htv, 1, 0.05),
        ("training_days_per_htv", cells.get(("training_days_per_htv", "total")), _v(cells, "training_days"), htv, 1, 0.05),
    ]
    issues = []
    for label, ratio_row, numerator, denominator, scale, tolerance in checks:
        if ratio_row is None or numerator is None or not denominator:
            continue
        expected = numerator / denominator * scale
        if abs(ratio_row.data.value - expected) > tolerance:
            issues.append(_issue(file_name, ratio_row, "value",
                                 f"{where}: {label} is {ratio_row.data.value:g} but the delivered counts give {expected:.2f}",
                                 ratio_row.data.value))
    return issues


def _county_year_issues(file_name: str, area: str, year: int, groups: dict[str, dict]) -> list[Issue]:
    issues: list[Issue] = []
    where = f"county {area}, year {year}"
    all_cells = groups.get("all", {})
    first = next(iter(next(iter(groups.values())).values()))
    for metric in ("headcount", "person_years_htv2"):
        if (metric, "total") not in all_cells:
            issues.append(_issue(file_name, first, "metric", f"{where}: staff group 'all' must report {metric} (total)"))
    total = _v(all_cells, "headcount")
    group_sum = sum(_v(c, "headcount") or 0 for g, c in groups.items() if g != "all")
    if total is not None and group_sum > total:
        issues.append(_issue(file_name, all_cells[("headcount", "total")], "value",
                             f"{where}: the staff groups' headcounts sum to {group_sum:g}, more than all staff ({total:g})"))
    ranks: dict[float, ValidRow] = {}
    for g, cells in sorted(groups.items()):
        r = cells.get(("key_shortage_rank", "total"))
        if r is None:
            continue
        if r.data.value in ranks:
            issues.append(_issue(file_name, r, "value",
                                 f"{where}: shortage rank {r.data.value:g} is given to two staff groups (also row {ranks[r.data.value].row})"))
        ranks[r.data.value] = r
        if ("unfilled_positions", "total") not in cells:
            issues.append(_issue(file_name, r, "metric",
                                 f"{where}: staff group {g} has a shortage rank but no unfilled_positions row"))
    return issues


