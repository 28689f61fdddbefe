"""Figures of the market game: share by quarter, what drove share, the margin leaderboard.

Figures only: each class draws on a matplotlib figure it is given, creates its artists
once and moves them on :meth:`update` (a redraw from scratch costs more than an update
may take on the projector), and knows nothing of widgets, so a lesson or the CLI draws
the same figures as the ``market`` app.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from salestrain.base.formats import axis_formatter, format_percent
from salestrain.base.i18n import t
from salestrain.core.strategy.game import DRIVERS, Standing, bot_stance, team_label
from salestrain.plots.style import PALETTE

# How a team's line looks (issue 20: colour-blind safe, told apart without colour too).
# Teams of learners: solid lines in the seven Okabe-Ito hues that read on white (the
# house palette's five, then sky blue and black; Okabe-Ito's yellow is too pale for a
# line), in that order, round markers; an eighth to fourteenth team takes the same hues
# again with square markers, so two teams never share both colour and marker (a game has
# at most 12 teams). Bots: dashed lines in the house grey (PALETTE[5], the "rest" colour),
# each stance with its own marker, so the room finds the learners' lines at once and tells
# the bots apart by shape, whatever the viewer's colour vision.
HUMAN_COLOURS = (*PALETTE[:5], "#56B4E9", "#000000")
HUMAN_MARKERS = ("o", "s")
BOT_COLOUR = PALETTE[5]
BOT_MARKERS = {"leader": "s", "challenger": "^", "follower": "v", "nicher": "D"}
GAIN, LOSS = PALETTE[2], PALETTE[3]


@dataclass(frozen=True)
class TeamStyle:
    """A team's line: colour, matplotlib marker and whether it is dashed (a bot)."""

    colour: str
    marker: str
    dashed: bool

    @property
    def linestyle(self) -> str:
        return "--" if self.dashed else "-"


def team_styles(teams: Sequence[str]) -> list[TeamStyle]:
    """The line style of each team, in the order given (learners numbered in that order)."""
    out, k = [], 0
    for team in teams:
        stance = bot_stance(team)
        if stance is not None:
            out.append(TeamStyle(BOT_COLOUR, BOT_MARKERS[stance], True))
        else:
            marker = HUMAN_MARKERS[(k // len(HUMAN_COLOURS)) % len(HUMAN_MARKERS)]
            out.append(TeamStyle(HUMAN_COLOURS[k % len(HUMAN_COLOURS)], marker, False))
            k += 1
    return out


def team_colours(teams: Sequence[str]) -> list[str]:
    return [style.colour for style in team_styles(teams)]


def _percent(x: float, _pos: int | None = None) -> str:
    return format_percent(x) if math.isfinite(x) else ""


class SharePlot:
    """Market share by quarter, one line per team, the highlighted team drawn thick.

    ``legend=False`` leaves the key to the page (the market app draws each team's line
    beside its name in the leaderboard, where the figure's legend had no room at 13 pt).

    :meth:`png` renders the axes, ticks and legend once per highlight and scale, and then
    only redraws the lines over that background (a blit): a full draw of this figure
    with its legend costs most of the 100 ms a projector update may take on a busy laptop.
    """

    def __init__(self, figure: Figure, teams: Sequence[str], quarters: int, legend: bool = True) -> None:
        self.figure, self.teams, self.quarters = figure, tuple(teams), quarters
        self.show_legend = legend
        self.canvas = FigureCanvasAgg(figure)
        ax = self.ax = figure.add_subplot()
        self.lines = []
        for team, style in zip(self.teams, team_styles(self.teams), strict=True):
            (line,) = ax.plot([], [], color=style.colour, linestyle=style.linestyle,
                              marker=style.marker, markersize=5, label=team_label(team))
            self.lines.append(line)
        ax.set_xlim(0.7, quarters + 0.3)
        ax.set_xticks(range(1, quarters + 1))
        ax.set_xlabel(t("strategy.plot.quarter"))
        ax.set_ylabel(t("strategy.plot.share"))
        ax.yaxis.set_major_formatter(FuncFormatter(_percent))
        ax.yaxis.set_major_locator(MaxNLocator(5))
        ax.set_title(t("strategy.plot.share_title"))
        self.empty = ax.text(0.5, 0.5, t("strategy.plot.no_quarter"), ha="center", va="center",
                             transform=ax.transAxes, color=PALETTE[5])
        self._highlight: str | None = "\0"  # nothing drawn yet
        self.legend = None
        self._background = None
        self._static_key: tuple | None = None

    def resize(self, width: float, height: float) -> None:
        """Draw at another size (inches), laid out again: a figure shown smaller is drawn
        smaller, never scaled down (its text would shrink under 13 pt on the screen)."""
        if tuple(self.figure.get_size_inches()) == (width, height):
            return
        self.figure.set_size_inches(width, height)
        self.figure.set_layout_engine("constrained")
        self._background = None

    def update(self, shares: np.ndarray, highlight: str | None = None) -> None:
        """``shares``: (teams, quarters played) in the order of ``teams``."""
        played = shares.shape[1]
        x = np.arange(1, played + 1)
        for line, row in zip(self.lines, shares, strict=True):
            line.set_data(x, row)
        self.empty.set_visible(played == 0)
        # The scale moves in steps of 10 points, so most quarters keep the background.
        top = float(shares.max()) if played else 0.0
        self.ax.set_ylim(0, max(0.3, math.ceil(top * 1.1 * 10) / 10))
        if highlight != self._highlight:
            self._highlight = highlight
            for team, line in zip(self.teams, self.lines, strict=True):
                mine = team == highlight
                line.set_linewidth(3.5 if mine else 1.6)
                line.set_markersize(8 if mine else 5)
                line.set_zorder(4 if mine else 2)
            if not self.show_legend:
                return
            # The legend copies the line styles when made: make it again for a new highlight.
            if self.legend is not None:
                self.legend.remove()
            self.legend = self.ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), handlelength=2.4)
            for text, team in zip(self.legend.get_texts(), self.teams, strict=True):
                text.set_fontweight("bold" if team == highlight else "normal")

    def png(self) -> bytes:
        """The figure as PNG bytes: the background redrawn only when it changed."""
        key = (self._highlight, self.ax.get_ylim(), self.empty.get_visible())
        if key != self._static_key or self._background is None:
            self._static_key = key
            for line in self.lines:
                line.set_visible(False)
            self.canvas.draw()
            self.figure.set_layout_engine("none")  # laid out once: frames do not drift
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            for line in self.lines:
                line.set_visible(True)
        self.canvas.restore_region(self._background)
        for line in sorted(self.lines, key=lambda artist: artist.get_zorder()):
            self.ax.draw_artist(line)
        width, height = self.canvas.get_width_height()
        image = PIL.Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        image.save(out, format="png", compress_level=1)
        return out.getvalue()


class DriverPlot:
    """What drove a team's share against the average competitor: one signed bar per driver,
    as "x % more (or less) attraction" (exp of the log-attraction edge, less 1)."""

    def __init__(self, figure: Figure) -> None:
        ax = self.ax = figure.add_subplot()
        y = np.arange(len(DRIVERS))
        self.bars = ax.barh(y, np.zeros(len(DRIVERS)), color=GAIN, height=0.6)
        ax.set_yticks(y, [t(f"strategy.driver.{name}") for name in DRIVERS])
        ax.invert_yaxis()
        ax.axvline(0, color="black", linewidth=0.8)
        ax.xaxis.set_major_formatter(FuncFormatter(_percent))
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.set_title(t("strategy.plot.drivers_title"))
        ax.set_xlabel(t("strategy.plot.drivers_x"))
        self.labels = [ax.text(0, k, "", va="center") for k in y]

    def update(self, drivers: Mapping[str, float]) -> None:
        values = np.array([math.expm1(drivers.get(name, 0.0)) for name in DRIVERS])
        span = max(float(np.abs(values).max()), 0.05) * 1.45
        for bar, label, v in zip(self.bars, self.labels, values, strict=True):
            bar.set_width(v)
            bar.set_color(GAIN if v >= 0 else LOSS)
            shown = 0.0 if abs(v) < 0.005 else v  # no "-0%"
            label.set_text(("+" if shown > 0 else "") + format_percent(shown))
            label.set_x(v + (0.03 if v >= 0 else -0.03) * span)
            label.set_horizontalalignment("left" if v >= 0 else "right")
        self.ax.set_xlim(-span, span)


class MarginPlot:
    """The margin leaderboard: cumulative margin per team, best on top."""

    def __init__(self, figure: Figure, teams: Sequence[str]) -> None:
        """``teams`` in market order (as :class:`SharePlot` gets them): the same colours."""
        self.figure = figure
        self.ax = figure.add_subplot()
        self.colours = dict(zip(teams, team_colours(teams), strict=True))

    def update(self, standings: Sequence[Standing], highlight: str | None = None) -> None:
        ax = self.ax
        ax.clear()  # the teams and their order change with every quarter: a few bars
        y = np.arange(len(standings))
        margins = [s.margin for s in standings]
        bars = ax.barh(y, margins, color=[self.colours[s.team] for s in standings], height=0.65)
        for bar, s in zip(bars, standings, strict=True):
            if s.team == highlight:
                bar.set_edgecolor("black")
                bar.set_linewidth(2)
        ax.set_yticks(y, [f"{s.rank}. {team_label(s.team)}" for s in standings])
        ax.invert_yaxis()
        ax.axvline(0, color="black", linewidth=0.8)
        ax.xaxis.set_major_formatter(FuncFormatter(axis_formatter(money=True)))
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.set_title(t("strategy.plot.margin_title"))


__all__ = ["DriverPlot", "MarginPlot", "SharePlot", "TeamStyle", "team_colours", "team_label",
           "team_styles"]
