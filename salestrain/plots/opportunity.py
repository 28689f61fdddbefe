"""The opportunity view's two figures: the opportunity matrix and the customer funnel.

Figures only (no widgets): the app draws on figures it owns, and a lesson or the CLI can
draw the same ones. Each figure carries its own key; the axes furniture is made once and
each update replaces only the bubbles or the bars (a full redraw costs more than a frame).
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from PIL import Image

from salestrain.base.formats import format_money, format_percent
from salestrain.base.i18n import t
from salestrain.core.funnel.stages import DEFAULT_STAGES, Stages
from salestrain.core.strategy.opportunity import (
    DEFAULT_RULES,
    VALUE_CLASSES,
    WIN_LEVELS,
    CustomerFunnel,
    Rules,
)
from salestrain.plots.style import ALERT_TEXT, FADED, PALETTE, STAGE_COLOURS

CLASS_COLOURS = {"A": PALETTE[1], "B": PALETTE[2], "C": PALETTE[5]}
MOVED = PALETTE[3]
MAX_AREA = 820.0  # points^2 of the largest deal's bubble
MIN_AREA = 150.0  # points^2 of the smallest, still a visible dot
# Deal ids are 13 pt like every figure text (issue 20): too big for most bubbles and for a
# crowded cell, so only the deals that matter carry theirs: A customers' deals (the rows a
# director reads first) and the deal picked for a what-if. The lists beside the figure
# name the others.
LABELLED_CLASSES = ("A",)
DARK_STAGES = 1  # the last open stage's colour is dark: white ids on it


class _Blit:
    """Draw the furniture (axes, ticks, titles, keys) once; each frame restores it and
    draws only the artists that changed, then writes the PNG with light compression.

    A full Agg draw of these figures is 50-60 ms, most of it text layout of furniture
    that never changes; a frame drawn this way is a few milliseconds plus the encoding.
    """

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.canvas = FigureCanvasAgg(figure)
        self.background = None

    def invalidate(self) -> None:
        self.background = None

    def png(self, dynamic: Sequence[Artist]) -> bytes:
        fig = self.figure
        if self.background is None:
            if fig.get_layout_engine() is not None:
                fig.draw_without_rendering()  # the constrained layout finds the margins once
                fig.set_layout_engine("none")
            for artist in dynamic:
                artist.set_visible(False)
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(fig.bbox)
            for artist in dynamic:
                artist.set_visible(True)
        self.canvas.restore_region(self.background)
        for artist in dynamic:
            fig.draw_artist(artist)
        width, height = (int(v) for v in self.canvas.get_width_height())
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        image.save(out, format="png", compress_level=1)
        return out.getvalue()


def money(amount: float) -> str:
    return format_money(float(amount), compact=True)


def bubble_area(amount: np.ndarray | float, largest: float) -> np.ndarray:
    """Bubble area proportional to the amount (so twice the money is twice the ink)."""
    a = np.asarray(amount, dtype=float)
    return MIN_AREA + (MAX_AREA - MIN_AREA) * a / max(largest, 1.0)


def cell_offsets(n: int) -> list[tuple[float, float]]:
    """Where ``n`` bubbles sit inside one cell (a small grid, biggest first, centred)."""
    if n == 0:
        return []
    cols = math.ceil(math.sqrt(n * 1.5))
    rows = math.ceil(n / cols)
    xs = np.linspace(-0.32, 0.32, cols) if cols > 1 else np.array([0.0])
    ys = np.linspace(0.2, -0.2, rows) if rows > 1 else np.array([0.0])
    return [(float(xs[k % cols]), float(ys[k // cols])) for k in range(n)]


def matrix_positions(deals: pd.DataFrame) -> np.ndarray:
    """(n, 2): x (win level 0-3) and y (value class: C 0, B 1, A 2) of every deal, laid out
    per cell, biggest first (numpy throughout: a pandas groupby costs a frame's budget)."""
    x = pd.Categorical(deals["win_level"], categories=list(WIN_LEVELS)).codes.astype(float)
    y = (len(VALUE_CLASSES) - 1
         - pd.Categorical(deals["value_class"], categories=list(VALUE_CLASSES)).codes).astype(float)
    out = np.column_stack([x, y])
    cell = x * len(VALUE_CLASSES) + y
    order = np.lexsort((deals["opp_id"].to_numpy(dtype=str), -deals["amount"].to_numpy(dtype=float), cell))
    for c in np.unique(cell):
        members = order[cell[order] == c]
        out[members] += np.array(cell_offsets(len(members)))
    return out


class MatrixPlot:
    """Customer value (rows) x win level (columns); one bubble per open deal, sized by its
    amount and coloured by its funnel stage. Filtered-out deals are faded; the what-if deal
    has a red ring and an arrow from where it was."""

    def __init__(self, figure: Figure, stages: Stages = DEFAULT_STAGES, rules: Rules = DEFAULT_RULES) -> None:
        self.figure = figure
        self.stages = stages
        self.small_factor, self.large_factor = rules.small_factor, rules.large_factor
        ax = self.ax = figure.add_subplot()
        ax.set_xlim(-0.5, len(WIN_LEVELS) - 0.5)
        ax.set_ylim(-0.5, len(VALUE_CLASSES) - 0.5)
        # "sole supplier" is wider than its column at 13 pt: long names take two lines.
        ax.set_xticks(range(len(WIN_LEVELS)), ["\n".join(textwrap.wrap(t(f"opportunity.level.{x}.name"), 14))
                                               for x in WIN_LEVELS])
        ax.set_yticks(range(len(VALUE_CLASSES)), list(reversed(VALUE_CLASSES)))
        ax.grid(False)
        for k in range(1, len(WIN_LEVELS)):
            ax.axvline(k - 0.5, color="#bbbbbb", linewidth=0.8)
        for k in range(1, len(VALUE_CLASSES)):
            ax.axhline(k - 0.5, color="#bbbbbb", linewidth=0.8)
        # The corner a director wants full: A customers where we are ahead or sole.
        ax.axvspan(1.5, len(WIN_LEVELS) - 0.5, ymin=2 / 3, ymax=1, color=PALETTE[2], alpha=0.08, zorder=0)
        ax.set_xlabel(t("opportunity.plot.x"))
        ax.set_ylabel(t("opportunity.plot.y"))
        ax.set_title(t("opportunity.plot.matrix_title"))
        self._artists: list = []
        self._legend_for: tuple[float, float] | None = None
        self._key = None
        self._blit = _Blit(figure)

    def png(self) -> bytes:
        """The figure as PNG bytes, drawn the quick way (see :class:`_Blit`)."""
        return self._blit.png(self._artists)

    def _legend(self, reference: float, largest: float) -> None:
        if self._legend_for == (reference, largest):
            return
        stage_handles = [Line2D([], [], marker="o", linestyle="", markersize=11, markerfacecolor=colour,
                                markeredgecolor="#555555", label=t(f"funnel.stage.{name}"))
                         for name, colour in zip(self.stages.open_names, STAGE_COLOURS, strict=False)]
        # At 13 pt the key holds the stages and the what-if ring: a size key took a third of
        # the figure's height, and the title says that the size is the amount.
        moved = Line2D([], [], marker="o", linestyle="", markersize=11, markerfacecolor="white",
                       markeredgecolor=MOVED, markeredgewidth=2, label=t("opportunity.plot.moved"))
        # In one row under the figure: beside the axes it took the width the ids need.
        if self._key is not None:
            self._key.remove()
        self._key = self.figure.legend(handles=[*stage_handles, moved], loc="outside lower center",
                                       ncol=len(stage_handles) + 1, handletextpad=0.3, handlelength=1.0,
                                       columnspacing=0.9, borderaxespad=0.2)
        self._legend_for = (reference, largest)
        self._blit.invalidate()

    def update(self, deals: pd.DataFrame, shown: Sequence[bool], reference: float,
               moved: str | None = None, moved_from: tuple[str, str] | None = None) -> None:
        """``deals``: the open deals (classified); ``shown``: which pass the filters."""
        for artist in self._artists:
            artist.remove()
        self._artists = []
        ax = self.ax
        largest = float(deals["amount"].max()) if len(deals) else 1.0
        self._legend(reference, largest)
        if not len(deals):
            return
        pos = matrix_positions(deals)
        stage_colour = dict(zip(self.stages.open_names, STAGE_COLOURS, strict=False))
        shown = np.asarray(shown, dtype=bool)
        ids = deals["opp_id"].to_numpy(dtype=str)
        colours = [stage_colour.get(s, FADED) if keep else FADED
                   for s, keep in zip(deals["stage"].to_numpy(dtype=str), shown, strict=True)]
        edges = [MOVED if d == moved else ("#444444" if keep else "#bbbbbb")
                 for d, keep in zip(ids, shown, strict=True)]
        widths = [2.5 if d == moved else 0.8 for d in ids]
        self._artists.append(ax.scatter(pos[:, 0], pos[:, 1], s=bubble_area(deals["amount"], largest),
                                        c=colours, edgecolors=edges, linewidths=widths, zorder=3,
                                        alpha=0.9))
        # Faded deals go unlabelled: the room should not read them (and text is most of a frame).
        dark = set(self.stages.open_names[-DARK_STAGES:])
        classes = deals["value_class"].to_numpy(dtype=str)
        stages = deals["stage"].to_numpy(dtype=str)
        for d, (x, y), keep, cls, stage in zip(ids, pos, shown, classes, stages, strict=True):
            if (keep and cls in LABELLED_CLASSES) or d == moved:
                on_dark = keep and stage in dark
                self._artists.append(ax.text(x, y, d, ha="center", va="center", zorder=4,
                                             color="white" if on_dark else "#222222"))
        if moved is not None and moved_from is not None and moved in set(ids):
            level, cls = moved_from
            x0 = WIN_LEVELS.index(level)  # type: ignore[arg-type]
            y0 = len(VALUE_CLASSES) - 1 - VALUE_CLASSES.index(cls)  # type: ignore[arg-type]
            x1, y1 = pos[int(np.flatnonzero(ids == moved)[0])]
            if abs(x0 - x1) > 0.5:
                self._artists.append(ax.annotate("", xy=(x1, y1), xytext=(x0, y0), zorder=2, arrowprops={
                    "arrowstyle": "-|>", "color": MOVED, "linestyle": "--", "shrinkB": 12}))


class FunnelPlot:
    """The customer funnel: one centred bar per stage (width = amount), split by value class,
    with the count and the amount beside it; a thin stage is outlined in red."""

    def __init__(self, figure: Figure, stages: Stages = DEFAULT_STAGES) -> None:
        self.figure = figure
        self.stages = stages
        ax = self.ax = figure.add_subplot()
        n = len(stages.names)
        ax.set_ylim(n - 0.5, -0.6)
        ax.set_yticks(range(n), [t("opportunity.plot.stage_label", stage=t(f"funnel.stage.{s}"),
                                   probability=format_percent(stages.probability(s)))
                                 for s in stages.names])
        ax.set_xticks([])
        ax.grid(False)
        ax.spines["bottom"].set_visible(False)
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        ax.set_title(t("opportunity.plot.funnel_title"))
        # The key in one row under the bars (no x axis is drawn there): at 13 pt, inside the
        # axes it hid the bars' labels.
        handles = [Patch(color=CLASS_COLOURS[c], label=t(f"opportunity.value.{c.lower()}")) for c in VALUE_CLASSES]
        ax.legend(handles=handles, loc="upper right", bbox_to_anchor=(1.0, 0.0), ncol=len(handles),
                  borderaxespad=0.1, handlelength=1.2, columnspacing=1.0, handletextpad=0.4)
        self._artists: list = []
        self._blit = _Blit(figure)

    def png(self) -> bytes:
        """The figure as PNG bytes, drawn the quick way (see :class:`_Blit`). Nothing
        static depends on the x-range (no x axis is drawn), so the bars may rescale freely."""
        return self._blit.png(self._artists)

    def update(self, funnel: CustomerFunnel, thin: Sequence[str] = ()) -> None:
        for artist in self._artists:
            artist.remove()
        self._artists = []
        ax = self.ax
        totals = funnel.amounts.sum(axis=1)
        widest = float(totals.max()) if len(totals) and totals.max() > 0 else 1.0
        ax.set_xlim(-0.5 * widest * 1.02, 0.5 * widest + 1.0 * widest)
        for k, stage in enumerate(self.stages.names):
            left = -0.5 * float(totals[stage])
            for cls in VALUE_CLASSES:
                width = float(funnel.amounts.loc[stage, cls])
                if width > 0:
                    self._artists.append(ax.add_patch(Rectangle(
                        (left, k - 0.36), width, 0.72, facecolor=CLASS_COLOURS[cls], edgecolor="white",
                        linewidth=0.6)))
                left += width
            count = int(funnel.counts.loc[stage].sum())
            label = t("opportunity.plot.deals", count=count, amount=money(float(totals[stage])))
            is_thin = stage in thin
            if is_thin:
                half = 0.5 * float(totals[stage])
                self._artists.append(ax.add_patch(_outline(-half, k, 2 * half, widest)))
                label += "  " + t("opportunity.plot.thin")
            self._artists.append(ax.text(0.5 * float(totals[stage]) + 0.03 * widest, k, label, va="center",
                                         color=ALERT_TEXT if is_thin else "#333333",
                                         fontweight="bold" if is_thin else "normal"))


def _outline(left: float, k: int, width: float, widest: float) -> Rectangle:
    pad = 0.01 * widest
    return Rectangle((left - pad, k - 0.42), width + 2 * pad, 0.84, fill=False, edgecolor=MOVED,
                     linewidth=2, linestyle="--", zorder=4)


__all__ = ["FunnelPlot", "MatrixPlot", "bubble_area", "cell_offsets", "matrix_positions"]
