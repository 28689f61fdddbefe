"""Figures of the objection-handling lesson (house style, translated labels)."""

from __future__ import annotations

import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from salestrain.base.i18n import t
from salestrain.core.objections.explain import persona_name, technique_name
from salestrain.plots import style as plots


def persona_fit_figure(table: pd.DataFrame) -> Figure:
    """Heat map: rows personas, columns techniques, colour = how the move lands."""
    fig = plots.new_figure(9.5, 4.6)
    ax = fig.add_subplot()
    cmap = ListedColormap([plots.PALETTE[3], "#e6e6e6", plots.PALETTE[2]])
    ax.imshow(table.to_numpy(), cmap=cmap, vmin=0, vmax=2, aspect="auto")
    ax.set_xticks(range(len(table.columns)),
                  [technique_name(c) for c in table.columns], rotation=60, ha="right",
                  fontsize=7)
    ax.set_yticks(range(len(table.index)), [persona_name(p) for p in table.index], fontsize=8)
    ax.grid(False)
    ax.set_title(t("objections.plot.fit_title"), fontsize=10)
    return fig


def policy_outcomes_figure(table: pd.DataFrame) -> Figure:
    """Stacked bars: for each policy, the share of plays ending won / next step / ..."""
    fig = plots.new_figure(7.0, 3.4)
    ax = fig.add_subplot()
    colours = {"won": plots.PALETTE[2], "next_step": plots.PALETTE[0],
               "stalled": plots.PALETTE[5], "lost": plots.PALETTE[3]}
    left = pd.Series(0.0, index=table.index)
    labels = [t(f"objections.plot.policy_{p}") for p in table.index]
    for ending in table.columns:
        ax.barh(labels, table[ending], left=left, color=colours[ending],
                label=t(f"objections.ending.{ending}"))
        left += table[ending]
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:.0%}")
    ax.set_xlabel(t("objections.plot.share"))
    ax.set_title(t("objections.plot.policy_title"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=4)
    return fig
