"""The forecast distribution as a figure: shared by the forecast app and the CLI.

Figures only: it draws on a matplotlib figure it is given and knows nothing of
widgets, so ``salestrain forecast --plot`` draws it without loading ipywidgets.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from salestrain.base.formats import axis_formatter, format_number, format_percent
from salestrain.base.i18n import t
from salestrain.core.funnel import Forecast
from salestrain.plots.style import PALETTE


class ForecastPlot:
    """The forecast distribution drawn on one figure, updated in place.

    Artists are made once and moved: redrawing from scratch costs more than the
    100 ms a slider change may take. Used by the forecast app and by ``salestrain forecast --plot``.
    """

    def __init__(self, figure: Figure, legend: bool = True) -> None:
        ax = self.ax = figure.add_subplot()
        self.miss_bars = ax.stairs([0.0], [0.0, 1.0], fill=True, color=PALETTE[5], alpha=0.6,
                                   label=t("funnel.plot.miss"))
        self.hit_bars = ax.stairs([0.0], [0.0, 1.0], fill=True, color=PALETTE[0], alpha=0.8,
                                  label=t("funnel.plot.hit"))
        self.target_line = ax.axvline(0, color=PALETTE[3], linewidth=2, label=t("funnel.plot.target"))
        self.mean_line = ax.axvline(0, color=PALETTE[1], linestyle="--",
                                    label=t("funnel.plot.weighted"))
        ax.set_xlabel(t("funnel.plot.x"))
        ax.set_ylabel(t("funnel.plot.y"))
        # money as the language writes it: 1.2M in English, 120万 in Chinese
        ax.xaxis.set_major_formatter(FuncFormatter(axis_formatter()))
        # Text is most of a frame's cost: few tick labels, and the app shows its legend
        # as HTML (drawing it measured 16 ms of a ~50 ms frame here).
        ax.xaxis.set_major_locator(MaxNLocator(6))
        ax.yaxis.set_major_locator(MaxNLocator(4))
        if legend:
            # Under the axes, not on them: four entries at 13 pt would hide the right tail.
            figure.legend(loc="outside lower center", ncols=2)

    def update(self, fc: Forecast, deals: int) -> None:
        if fc.revenue is not None:
            edges, probs = fc.revenue.histogram(bins=60)
        else:
            sim = fc.simulation.revenue
            lo, hi = np.quantile(sim, [0.0005, 0.9995])
            edges = np.linspace(lo, max(hi, lo + 1.0), 61)
            counts, _ = np.histogram(sim, bins=edges)
            probs = counts / sim.size
        centres = (edges[:-1] + edges[1:]) / 2
        self.miss_bars.set_data(probs, edges)
        self.hit_bars.set_data(np.where(centres >= fc.target, probs, 0.0), edges)
        self.target_line.set_xdata([fc.target, fc.target])
        self.mean_line.set_xdata([fc.weighted.mean, fc.weighted.mean])
        lo = min(edges[0], fc.target, fc.weighted.mean)
        hi = max(edges[-1], fc.target, fc.weighted.mean)
        pad = (hi - lo) * 0.03 or 1.0
        self.ax.set_xlim(lo - pad, hi + pad)
        self.ax.set_ylim(0, max(float(probs.max()), 1e-9) * 1.15)
        self.ax.set_title(t("funnel.plot.title", deals=format_number(deals), p_hit=format_percent(fc.p_hit)))


__all__ = ["ForecastPlot"]
