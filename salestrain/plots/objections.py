"""Figures of the objection-handling lesson (house style, translated labels)."""

from __future__ import annotations

import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from salestrain.base.i18n import t
from salestrain.core.objections.explain import persona_name, technique_name
from salestrain.plots import style as plots


def persona_fit_figure(table: pd.DataFrame) -> Figure:
    """Heat map: rows techniques, columns personas, colour = how the move lands.

    Twenty techniques read as rows with their whole names at 13 pt; as columns (rotated)
    they overlapped, so the eight personas take the columns.
    """
    fit = table.T
    height = 2.2 + 0.34 * len(fit.index)
    fig = plots.new_figure(10.5, height)
    ax = fig.add_subplot()
    colours = [plots.PALETTE[3], "#e6e6e6", plots.PALETTE[2]]
    ax.imshow(fit.to_numpy(), cmap=ListedColormap(colours), vmin=0, vmax=2, aspect="auto")
    ax.set_xticks(range(len(fit.columns)), [persona_name(p) for p in fit.columns], rotation=40,
                  ha="right", rotation_mode="anchor")
    ax.set_yticks(range(len(fit.index)), [technique_name(c) for c in fit.index])
    ax.tick_params(length=0)
    ax.grid(False)
    # A white grid between the cells, so a row can be followed across.
    ax.set_xticks([x - 0.5 for x in range(1, len(fit.columns))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(fit.index))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5, alpha=1)
    ax.tick_params(which="minor", length=0)
    ax.set_title(t("objections.plot.fit_title"))
    ax.legend(handles=[Patch(color=c, label=t(f"objections.plot.fit_{k}"))
                       for k, c in zip(("bad", "neutral", "good"), colours, strict=True)],
              loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
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
