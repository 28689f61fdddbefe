"""The start-here app: two sliders, one distribution of won deals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ipywidgets as w
from matplotlib.ticker import MaxNLocator

from salestrain.apps.base import App, Control, FigureView, Headline, html_legend
from salestrain.base.formats import format_number, format_percent
from salestrain.base.i18n import t
from salestrain.core.workshop.intro import WinsDistribution, wins_distribution
from salestrain.plots.style import PALETTE


@dataclass(frozen=True)
class WinsView:
    """The distribution of won deals and the target it is read against.

    Reads as the distribution itself (``result.mean``, ``result.p_at_least(4)``).
    """

    distribution: WinsDistribution
    target: int

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy/pickle probe dunders: not the distribution's
            raise AttributeError(name)
        return getattr(self.distribution, name)


class StartHereApp(App):
    TITLE = "start.app.title"
    CONTROLS = (
        Control("deals", "int", "start.app.deals", default=10, min=1, max=40),
        Control("win_rate", "float", "start.app.win_rate", default=0.3, min=0.0, max=1.0,
                step=0.05, readout_format=".0%"),
        Control("target", "int", "start.app.target", default=4, min=0, max=40),
    )

    def build_views(self) -> list[w.Widget]:
        self.summary = w.HTML()
        self.summary.add_class("salestrain-summary")
        self.plot = FigureView(6.5, 3.2, caption="start.plot.see")
        self.ax = self.plot.figure.add_subplot()
        # The key as HTML over the figure: in it, at 13 pt, it would cover the bars once
        # the win rate pushes them to the right.
        self.legend = w.HTML(html_legend([
            (PALETTE[0], "square", t("start.plot.hit")), (PALETTE[5], "square", t("start.plot.miss")),
            (PALETTE[1], "dashed", t("start.plot.mean"))]))
        return [self.summary, self.legend, self.plot.box]

    def compute(self, deals: int, win_rate: float, target: int) -> WinsView:
        return WinsView(wins_distribution(deals, win_rate), target)

    def show(self, result: WinsView) -> None:
        target = result.target
        p_hit = result.p_at_least(target)
        self.summary.value = t(
            "start.app.summary", mean=f"{result.mean:.1f}", p10=result.quantile(0.1),
            p90=result.quantile(0.9), target=target, p_hit=f"{p_hit:.0%}",
        )
        ax = self.ax
        ax.clear()
        ks = range(len(result.pmf))
        colours = [PALETTE[0] if k >= target else PALETTE[5] for k in ks]
        ax.bar(ks, result.pmf, color=colours)
        ax.axvline(result.mean, color=PALETTE[1], linestyle="--", linewidth=2)
        ax.set_xlabel(t("start.plot.x"))
        ax.set_ylabel(t("start.plot.y"))
        ax.set_title(t("start.plot.title", deals=result.n_deals, rate=f"{result.win_rate:.0%}"))
        # whole deals only, and few enough ticks to read at 13 pt for up to 40 deals
        ax.xaxis.set_major_locator(MaxNLocator(10, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(4))
        self.plot.refresh()


    def headlines(self, result: WinsView) -> list[Headline]:
        p_hit = result.p_at_least(result.target)
        return [
            Headline(t("start.card.mean"), format_number(result.mean, decimals=1)),
            Headline(t("start.card.range"), t("start.card.range_value", low=result.quantile(0.1),
                                               high=result.quantile(0.9))),
            Headline(t("start.card.p_hit", target=result.target), format_percent(p_hit),
                     "good" if p_hit >= 0.8 else "bad" if p_hit < 0.5 else ""),
        ]


def start_here_app(**values) -> StartHereApp:
    return StartHereApp(**values)
