"""One chart per objective: for each measure, the organisers against the whole country in the
latest year (bars, national value as a line) and the trend (national line, organiser median and
range). Matplotlib with the Agg backend: no display needed."""

import io
import multiprocessing
import os
import textwrap
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import matplotlib

matplotlib.use("Agg")  # before pyplot: servers and CI have no display
matplotlib.rcParams["svg.fonttype"] = "none"  # SVG text stays text: smaller, faster, searchable
import matplotlib.pyplot as plt  # noqa: E402

from pipelines.reports.data import MeasureReport, ObjectiveReport  # noqa: E402

PNG_DPI = 150  # legible organiser labels; the SVG beside it scales without limit
BAR = "#4C72B0"
BAR_MISSING = "#BBBBBB"
NATIONAL = "#C44E52"


def _wrap(text: str, width: int = 70) -> str:
    return "\n".join(textwrap.wrap(text, width)[:3])


def _bars(ax, m: MeasureReport) -> None:
    column = "cooperation_area_value" if m.per_area else "value"
    frame = m.organisers.sort_values(column, ascending=(m.direction != "lower"), na_position="first")
    labels = [f"{n} ({c})" for n, c in zip(frame.region_name_fi, frame.region_code)]  # long names: see tight bbox
    values = frame[column].fillna(0).tolist()
    colours = [BAR_MISSING if (pd_na or nc) else BAR for pd_na, nc in zip(frame[column].isna(), frame.is_not_comparable)]
    ax.barh(labels, values, color=colours)
    if m.national_value is not None:
        ax.axvline(m.national_value, color=NATIONAL, linewidth=2, label=f"Whole country {m.national_value:.4g}")
        ax.legend(loc="lower right", fontsize=7)
    ax.tick_params(axis="y", labelsize=8)
    ax.tick_params(axis="x", labelsize=7)
    better = {"higher": "higher is better", "lower": "lower is better"}.get(m.direction, "no direction of good")
    ax.set_xlabel(f"{m.unit_label} ({better}); grey = missing or not comparable", fontsize=8)
    who = "organisers (value of their cooperation area)" if m.per_area else "organisers"
    ax.set_title(f"{m.measure_key}, {m.latest_year}: {who} vs whole country", fontsize=8)


def _trend(ax, m: MeasureReport) -> None:
    t = m.trend
    if t.empty:
        ax.text(0.5, 0.5, "no trend data", ha="center", va="center", transform=ax.transAxes)
        return
    who = "Cooperation areas" if m.per_area else "Organisers"
    ax.fill_between(t.year, t.organiser_min, t.organiser_max, color=BAR, alpha=0.15, label=f"{who}, min-max")
    ax.plot(t.year, t.organiser_median, color=BAR, marker="o", markersize=3, label=f"{who}, median")
    ax.plot(t.year, t.national_value, color=NATIONAL, marker="o", markersize=3, label="Whole country")
    ax.legend(fontsize=7)
    ax.tick_params(labelsize=7)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"{m.measure_key}: trend, {m.unit_label}", fontsize=8)  # the measure text heads the row


def _no_data(ax, m: MeasureReport) -> None:
    ax.axis("off")
    reason = {"curated": "curated measure: no value loaded yet", "not_available": "no source available"}.get(
        m.status, "no data loaded yet"
    )
    ax.text(0.02, 0.5, f"{m.measure_key}: {reason}", fontsize=9, va="center", transform=ax.transAxes)


def render_all(reports: list[ObjectiveReport]) -> list[dict[str, bytes]]:
    """Charts of every objective, drawn in parallel on the machine's cores.

    matplotlib is single-threaded and drawing dominates the reports step; a forkserver pool (not
    fork: the Dagster process has threads) with this module preloaded spreads it over the cores.
    """
    workers = min(len(reports), os.cpu_count() or 1)
    if workers < 2:
        return [render_objective(r) for r in reports]
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            return list(pool.map(render_objective, reports))
    except BrokenProcessPool:  # e.g. a host that forbids child processes: same charts, one core
        return [render_objective(r) for r in reports]


def render_objective(report: ObjectiveReport) -> dict[str, bytes]:
    """PNG and SVG bytes of the objective's chart."""
    n = max(len(report.measures), 1)
    heights = [5.2 if m.has_data else 0.9 for m in report.measures] or [1.0]  # 22 labels at 8 pt
    fig, axes = plt.subplots(n, 2, figsize=(13, sum(heights) + 1.2), squeeze=False,
                             gridspec_kw={"height_ratios": heights, "width_ratios": [1.3, 1]})
    title = _wrap(f"Objective {report.objective_key}: {report.title_en}", 110)
    if report.any_synthetic:
        title += "\nSYNTHETIC SAMPLE DATA - not official statistics"
    fig.suptitle(title, fontsize=10)
    for row, m in zip(axes, report.measures):
        if m.has_data:
            _bars(row[0], m)
            _trend(row[1], m)
            row[0].annotate(_wrap(m.text_en, 90), xy=(0, 1.12), xycoords="axes fraction", fontsize=7, va="bottom")
        else:
            _no_data(row[0], m)
            row[1].axis("off")
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    out = {}
    for fmt, kwargs in (("png", {"dpi": PNG_DPI}), ("svg", {})):
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, bbox_inches="tight", pad_inches=0.2, **kwargs)  # nothing clipped at the edges
        out[fmt] = buf.getvalue()
    plt.close(fig)
    return out
