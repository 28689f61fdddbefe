"""Matplotlib house style and the font fallback that draws Chinese glyphs.

Figures are made with :func:`new_figure` (a plain ``matplotlib.figure.Figure``, not
pyplot) so apps can keep one figure and redraw it in place: no global state, no
duplicate inline output, and nothing that ``plt.close`` can silently disconnect.
"""

from __future__ import annotations

import io
import logging
from functools import cache

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from salestrain.base import i18n

# Families that carry CJK glyphs, in order of preference. Only the installed ones
# are ever put in rcParams: naming a missing family logs "findfont" on every draw.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "Heiti SC",
)
BASE_FAMILY = "DejaVu Sans"

CJK_INSTALL_HINT = (
    "Debian/Ubuntu: sudo apt-get install fonts-wqy-microhei (or fonts-noto-cjk), then "
    "delete ~/.cache/matplotlib so matplotlib sees it; macOS and Windows ship "
    "PingFang SC / Microsoft YaHei already."
)

# The house palette: Okabe & Ito's colour-blind-safe set (blue, orange, bluish green,
# vermillion, reddish purple) plus a dark grey for "the rest". Each index keeps one meaning
# across apps: 0 the main series, 1 the second series or the mean, 2 good (won, gain, on
# track), 3 bad (lost, loss, the target line), 4 a fifth series, 5 neutral (missed,
# stalled, tier C). Simulated protanopia, deuteranopia and tritanopia keep every pair at
# least 15 CIELAB units apart (the earlier blue and purple fell to 9 under deuteranopia);
# docs/design.md has the numbers. Grey is #666666, not Okabe-Ito's #999999, which
# deuteranopia draws like the reddish purple.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#666666")
# Ordered stages (a single-hue sequence, light to dark): read by lightness, so it needs
# no hue vision at all.
STAGE_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
# Text on white needs 4.5:1 contrast; PALETTE[3] and PALETTE[2] have 3.9 and 3.4, so words
# that warn or confirm use darker shades of the same two hues (5.5:1 and 5.3:1).
ALERT_TEXT = "#B34700"
GOOD_TEXT = "#007A5A"
FADED = "#d9d9d9"  # what is switched off, unknown or not in play


class _NoWeightFallbackNoise(logging.Filter):
    """CJK fonts such as WenQuanYi have no bold face; matplotlib then uses the
    regular one (fine) but logs it on every draw, which notebooks show as output."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Failed to find font weight" not in record.getMessage()


logging.getLogger("matplotlib.font_manager").addFilter(_NoWeightFallbackNoise())


@cache
def installed_cjk_families() -> tuple[str, ...]:
    names = {f.name for f in font_manager.fontManager.ttflist}
    return tuple(name for name in CJK_FAMILIES if name in names)


def font_families() -> list[str]:
    # Per-glyph fallback only works when the CJK family is in font.family itself;
    # listing it in font.sans-serif still draws empty boxes (measured here).
    return [BASE_FAMILY, *installed_cjk_families()]


def apply_house_style(lang: str | None = None) -> None:
    """Set the rcParams every salestrain figure shares."""
    matplotlib.rcParams.update(
        {
            "font.family": font_families(),
            "axes.unicode_minus": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.titleweight": "bold",
            # Issue 20: figure text at least 18 px on the screen, i.e. 13 pt at 100 dpi with
            # the PNG shown at its own size; the same sizes in every mode (one look).
            "font.size": 13,
            "axes.titlesize": 15,
            "axes.labelsize": 13,
            "xtick.labelsize": 13,
            "ytick.labelsize": 13,
            "legend.fontsize": 13,
            "legend.frameon": False,
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
        }
    )


apply_house_style()
i18n.on_language_change(apply_house_style)


def new_figure(width: float = 7.0, height: float = 3.6, **kwargs) -> Figure:
    """A figure in the house style, independent of pyplot."""
    fig = Figure(figsize=(width, height), layout="constrained", **kwargs)
    return fig


def freeze_layout(fig: Figure) -> None:
    """Lay the figure out once with its constrained layout, then keep that layout.

    For figures redrawn at every slider step: every later frame skips the layout pass,
    and the axes leave 4 % of their width for wider tick labels later. (Done after the
    first frame, it made that frame differ from every later one; and testing
    get_layout_engine() for None, which after "none" it never is, shrank the axes on every
    frame.)
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    for ax in fig.axes:
        box = ax.get_position()
        ax.set_position([box.x0, box.y0, box.width * 0.96, box.height])


def agg_png(fig: Figure) -> bytes:
    """One Agg draw of a figure whose layout is fixed, as PNG bytes (light compression).

    For figures redrawn at every slider step: ``savefig`` lays the figure out and draws
    it twice; this draws once and encodes the pixels.
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue()


def smallest_text_px(fig: Figure) -> int | None:
    """The smallest visible, non-empty text in the figure, in px at its dpi (rounded down);
    None when it has no text. (Tick labels share one size per axis, so the labels matplotlib
    keeps for ticks outside the view do not change the answer.)"""
    sizes = [text.get_fontsize() for text in fig.findobj(Text)
             if text.get_visible() and text.get_text().strip()
             and (text.axes is None or text.axes.get_visible())]
    return int(min(sizes) * fig.dpi / 72 + 1e-9) if sizes else None


def to_png(fig: Figure) -> bytes:
    """Render to PNG bytes. No ``bbox_inches='tight'``: it costs ~70 ms per frame."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def save(fig: Figure, path: str) -> None:
    fig.savefig(path, bbox_inches="tight")
