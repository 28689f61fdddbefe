"""Training impact over time: one figure per metric, a line per rep and one for the team.

Figures only (``salestrain impact --out`` puts them in its HTML report). Points that rest
on fewer than :data:`~salestrain.core.funnel.impact.SMALL_SAMPLE` deals are drawn hollow,
so a trainer sees at a glance which jumps are a handful of deals.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from salestrain.base.formats import format_number, format_percent
from salestrain.base.i18n import t
from salestrain.core.funnel.impact import METRIC_COUNTS, SMALL_SAMPLE, ImpactReport
from salestrain.plots.style import PALETTE, new_figure

TEAM_COLOUR = "#222222"
SHARE_METRICS = ("win_rate", "discount", "forecast_error")


def period_label(period: pd.Period, tick: bool = False) -> str:
    """2026 Q2 / 2026年第2季度, or 3/2026 / 2026年3月; ``tick``: on two lines."""
    kind = "tick" if tick else "label"
    if period.freqstr.startswith("Q"):
        return t(f"impact.period.quarter_{kind}", year=period.year, quarter=period.quarter)
    return t(f"impact.period.month_{kind}", year=period.year, month=period.month)


def _training_x(report: ImpactReport, periods: list[pd.Period]) -> float:
    """Where the training date falls on the axis of period positions (0, 1, 2 ...)."""
    here = report.trained.to_period(periods[0].freqstr)
    if here not in periods:
        return float(periods.index(report.after)) - 0.5 if report.after in periods else -0.5
    start, end = here.start_time, here.end_time
    share = (report.trained - start) / (end - start)
    return periods.index(here) - 0.5 + float(share)


def impact_figure(report: ImpactReport, metric: str, names: dict[str, str] | None = None,
                  width: float = 9.0, height: float = 3.6) -> Figure:
    """``metric`` per period: each rep a thin line, the team a thick dark one, the training
    date a dashed line; the key sits on the right so no line hides behind it."""
    names = names or {}
    periods = list(report.cohort.index)
    x = {p: i for i, p in enumerate(periods)}
    fig = new_figure(width, height)
    ax = fig.add_subplot()
    count = METRIC_COUNTS[metric]
    handles = []
    for i, owner in enumerate(report.owners):
        table = report.reps.xs(owner, level="owner")
        handles.append(_line(ax, table, metric, count, x, PALETTE[i % len(PALETTE)], 1.4,
                             names.get(owner, owner or t("impact.cli.no_owner"))))
    handles.append(_line(ax, report.cohort, metric, count, x, TEAM_COLOUR, 3.0,
                         t("impact.cli.team")))
    ax.axvline(_training_x(report, periods), color=PALETTE[3], linestyle="--", linewidth=1.5)
    handles.append(Line2D([], [], color=PALETTE[3], linestyle="--", label=t("impact.plot.trained")))
    handles.append(Line2D([], [], color="#555555", marker="o", markerfacecolor="white",
                          linestyle="none", label=t("impact.plot.few", n=SMALL_SAMPLE)))
    # Two-line ticks (year above quarter) fit seven quarters of Chinese labels side by side;
    # more than a dozen months show every other label.
    step = 1 if len(periods) <= 12 else 2
    ax.set_xticks(range(0, len(periods), step),
                  [period_label(p, tick=True) for p in periods[::step]])
    ax.set_xlim(-0.5, len(periods) - 0.5)
    if metric in SHARE_METRICS:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_percent(v)))
    else:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, decimals=0)))
    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.set_ylim(bottom=0)
    ax.set_title(t(f"impact.metric.{metric}"))
    ax.set_ylabel(t(f"impact.plot.y.{metric}"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def _line(ax, table: pd.DataFrame, metric: str, count: str, x: dict, colour: str,
          width: float, label: str):
    values = table[metric].dropna()
    xs = [x[p] for p in values.index if p in x]
    ys = [float(values[p]) for p in values.index if p in x]
    (line,) = ax.plot(xs, ys, color=colour, linewidth=width, marker="o",
                      markersize=4 + width, label=label)
    few = [(x[p], float(values[p])) for p in values.index
           if p in x and table.loc[p, count] < SMALL_SAMPLE]
    if few:
        ax.plot(*zip(*few, strict=True), linestyle="none", marker="o", markersize=4 + width,
                markerfacecolor="white", markeredgecolor=colour)
    return line


__all__ = ["impact_figure", "period_label"]
