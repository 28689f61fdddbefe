"""Target planner: annual target and phasing sliders -> monthly plan, and plan vs actual."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, replace

import ipywidgets as w
import numpy as np
import pandas as pd

from salestrain.apps.base import App, Control, FigureView, Headline, html_legend
from salestrain.base.formats import format_money, format_number, format_percent
from salestrain.base.i18n import t
from salestrain.core.accounts.synthetic import generate_book, monthly_revenue
from salestrain.core.goals import (
    DEFAULT_LINES,
    ProductLine,
    TargetPlan,
    Tracking,
    decompose_target,
    plan_vs_actual,
    quarter_phasing,
    revenue_plan_frame,
)
from salestrain.plots.style import ALERT_TEXT, PALETTE, STAGE_COLOURS

UNIT = 10_000  # the sliders and the chart count in 10k yuan (wan), as Chinese plans do
GAP_RED = ALERT_TEXT  # behind plan: text and the gap bars


def money(yuan: float) -> str:
    return f"{yuan / UNIT:,.1f}"


@dataclass(frozen=True)
class PlannerResult:
    plan: TargetPlan
    tracking: Tracking | None
    months_of_actuals: int


def lines_with_high_margin_share(lines: Sequence[ProductLine], high: float) -> list[ProductLine]:
    """Rescale the line shares so the high-margin lines carry ``high`` of the target."""
    hi = sum(ln.share for ln in lines if ln.high_margin)
    lo = sum(ln.share for ln in lines if not ln.high_margin)
    if hi == 0 or lo == 0:
        return list(lines)
    return [replace(ln, share=ln.share / hi * high if ln.high_margin else ln.share / lo * (1 - high))
            for ln in lines]


class TargetPlannerApp(App):
    TITLE = "goals.app.title"

    def __init__(self, actual: pd.Series | None = None,
                 lines: Sequence[ProductLine] = DEFAULT_LINES, **values) -> None:
        # actual revenue per month (1-12) of the plan year; facts do not move with the sliders
        if actual is None:
            book = generate_book()
            actual = monthly_revenue(book.transactions, book.as_of.year)
        self.actual = actual.astype(float)
        self.lines = tuple(lines)
        super().__init__(**values)

    def control_specs(self) -> list[Control]:
        last = int(self.actual.index.max()) if len(self.actual) else 0
        return [
            Control("annual", "int", "goals.app.annual", default=800, min=100, max=3000, step=10),
            Control("q1", "float", "goals.app.q1", default=0.20, min=0.05, max=0.45, step=0.01,
                    readout_format=".0%"),
            Control("q4", "float", "goals.app.q4", default=0.25, min=0.05, max=0.45, step=0.01,
                    readout_format=".0%"),
            Control("high_margin", "float", "goals.app.high_margin", default=0.40, min=0.1,
                    max=0.8, step=0.05, readout_format=".0%"),
            Control("months", "int", "goals.app.as_of", default=last, min=0, max=max(last, 1)),
        ]

    def build_views(self) -> list[w.Widget]:
        self.summary = w.HTML()
        self.summary.add_class("salestrain-summary")
        self.tracking_text = w.HTML()
        self.tracking_text.add_class("salestrain-tracking")
        self.plot = FigureView(7.5, 3.6, caption="goals.plot.see")
        self.ax = self.plot.figure.add_subplot()
        # The key as HTML over the figure: six entries at 13 pt took a third of its height.
        self.legend = w.HTML(html_legend(
            [(STAGE_COLOURS[(i + 1) % len(STAGE_COLOURS)], "square", t(f"goals.line.{ln.name}"))
             for i, ln in enumerate(self.lines)]
            + [("black", "line", t("goals.plot.actual")), (GAP_RED, "square", t("goals.plot.behind"))]))
        self.table = w.HTML()
        self.table.add_class("salestrain-table")
        # The plan and its tracking in words stand under the sliders, in their column's
        # width: above the figure they pushed it and its caption below 720 px (issue 20).
        for text in (self.summary, self.tracking_text):
            # A fixed width: a min() with a percentage counts as the text's full line
            # length when the row decides whether the figure still fits beside it.
            text.layout.width, text.layout.max_width = "460px", "100%"
        self.controls_box.children = [*self.controls_box.children, self.summary, self.tracking_text]
        return [self.legend, self.plot.box, self.table]

    def side_views(self) -> list[w.Widget]:
        # Beside the sliders and the words: the figure is on the first screen, whole.
        return [self.legend, self.plot.box]

    def compute(self, annual: int, q1: float, q4: float, high_margin: float,
                months: int) -> PlannerResult:
        lines = lines_with_high_margin_share(self.lines, high_margin)
        plan = decompose_target(int(annual) * UNIT, lines, quarter_phasing(q1, q4))
        actual = self.actual[self.actual.index <= months]
        tracking = None
        if months > 0 and len(actual):
            frame = pd.DataFrame({"kpi": "revenue", "period": actual.index.astype(int),
                                  "actual": actual.to_numpy()})
            tracking = plan_vs_actual(revenue_plan_frame(plan), frame)
        return PlannerResult(plan, tracking, months)

    def show(self, result: PlannerResult) -> None:
        plan = result.plan
        q = plan.by_quarter()
        self.summary.value = t(
            "goals.app.summary", annual=money(plan.annual), q1=money(q[1]), q2=money(q[2]),
            q3=money(q[3]), q4=money(q[4]), high=f"{plan.high_margin_share:.0%}",
            new=f"{plan.new_share:.0%}",
        )
        if result.tracking is not None:
            s = result.tracking.summary.loc["revenue"]
            status = s["status"]
            colour = {"on_track": PALETTE[2], "at_risk": PALETTE[1]}.get(status, GAP_RED)
            self.tracking_text.value = t(
                "goals.app.tracking", months=int(s["elapsed"]), actual=money(s["actual_to_date"]),
                plan=money(s["plan_to_date"]), achievement=f"{s['achievement_to_date']:.0%}",
                gap=money(s["gap_to_date"]), projected=money(s["projected"]),
                projected_achievement=f"{s['projected_achievement']:.0%}",
                status=f'<span style="color:{colour}">{html.escape(t("goals.status." + status))}</span>',
            )
        else:
            self.tracking_text.value = ""
        self._draw(result)
        self.table.value = self._table_html(result)

    def headlines(self, result: PlannerResult) -> list[Headline]:
        plan = result.plan
        q = plan.by_quarter()
        # The target and where the year ends share the first row (the target compact in
        # English too, RMB 8M, to fit beside it); the four quarters fill the second.
        cards = [Headline(t("goals.card.annual"), format_money(plan.annual, compact=True))]
        if result.tracking is not None:
            s = result.tracking.summary.loc["revenue"]
            # On track is good news, off track bad; at risk is a warning, not a verdict.
            tone = {"on_track": "good", "off_track": "bad"}.get(s["status"], "")
            cards.append(Headline(t("goals.card.projected"),
                                  format_percent(s["projected_achievement"]), tone))
        cards.append(Headline(t("goals.card.quarters"), t(
            "goals.card.quarters_value", **{f"q{i}": _points(q[i] / plan.annual) for i in range(1, 5)})))
        return cards

    def _draw(self, result: PlannerResult) -> None:
        # Artists are created once and updated in place: clearing the axes and
        # re-adding 48 bars costs as much as encoding the PNG.
        table = result.plan.monthly_table()
        months = np.array(table.index, dtype=int)
        if not hasattr(self, "_bars"):
            self._create_artists(months)
        bottom = np.zeros(len(months))
        for ln, bars in zip(self.lines, self._bars, strict=True):
            values = table[ln.name].to_numpy(dtype=float) / UNIT
            for rect, y, h in zip(bars, bottom, values, strict=True):
                rect.set_y(y)
                rect.set_height(h)
            bottom += values
        top = bottom.max(initial=0)
        segments = []
        if result.tracking is not None:
            p = result.tracking.periods.dropna(subset=["actual"])
            x = p["period"].to_numpy(dtype=int)
            actual, planned = p["actual"].to_numpy() / UNIT, p["plan"].to_numpy() / UNIT
            self._actual_line.set_data(x, actual)
            # the gap: a red bracket from the actual point up to the plan, where behind
            segments = [[(m, a), (m, pl)] for m, a, pl in zip(x, actual, planned, strict=True) if a < pl]
            top = max(top, actual.max(initial=0))
        else:
            self._actual_line.set_data([], [])
        self._gaps.set_segments(segments)
        self.ax.set_ylim(0, top * 1.08 or 1)
        self.plot.refresh()
        # Laid out once: a constrained layout redone on every frame drifted with the
        # frames before it.
        self.plot.figure.set_layout_engine("none")

    def _create_artists(self, months: np.ndarray) -> None:
        ax = self.ax
        zeros = np.zeros(len(months))
        self._bars = [
            # shades of one colour for the plan, so red stays reserved for the gap
            ax.bar(months, zeros, color=STAGE_COLOURS[(i + 1) % len(STAGE_COLOURS)])
            for i, ln in enumerate(self.lines)
        ]
        (self._actual_line,) = ax.plot([], [], color="black", marker="o")
        self._gaps = ax.vlines([], [], [], color=GAP_RED, linewidth=4)
        ax.set_xticks(months)
        ax.set_xlim(months.min() - 0.6, months.max() + 0.6)
        ax.set_xlabel(t("goals.plot.x"))
        ax.set_ylabel(t("goals.plot.y"))
        ax.set_title(t("goals.plot.title"))

    def _table_html(self, result: PlannerResult) -> str:
        table = result.plan.monthly_table()
        actual = pd.Series(np.nan, index=table.index)
        if result.tracking is not None:
            p = result.tracking.periods.set_index("period")
            actual = p["actual"].reindex(table.index)
        head = [t("goals.app.month"), t("goals.app.quarter"),
                *[t(f"goals.line.{ln.name}") for ln in self.lines],
                t("goals.app.total"), t("goals.app.cumulative"), t("goals.app.actual"),
                t("goals.app.gap")]
        rows = []
        for m, row in table.iterrows():
            cells = [str(m), f"Q{int(row['quarter'])}",
                     *[money(row[ln.name]) for ln in self.lines],
                     f"<b>{money(row['total'])}</b>", money(row["cumulative"])]
            if pd.isna(actual[m]):
                cells += ["", ""]
                rows.append(_tr(cells))
                continue
            gap = actual[m] - row["total"]
            style = f' style="color:{GAP_RED};font-weight:bold"' if gap < 0 else ""
            cells += [money(actual[m]), f"<span class='gap'{style}>{money(gap)}</span>"]
            rows.append(_tr(cells, "salestrain-behind" if gap < 0 else ""))
        header = "".join(f"<th>{html.escape(h)}</th>" for h in head)
        return (f'<table class="salestrain-plan" style="border-collapse:collapse;font-size:90%">'
                f"<tr>{header}</tr>{''.join(rows)}</table>")


def _points(share: float) -> str:
    """A quarter's share in percent, without the sign (the card's value ends with one), and
    with the half percent a 27.5 % quarter has: rounded, the four would not add up to 100."""
    points = share * 100
    return format_number(points, decimals=0 if round(points, 6).is_integer() else 1)


def _tr(cells: list[str], cls: str = "") -> str:
    tds = "".join(f'<td style="padding:1px 8px;text-align:right">{c}</td>' for c in cells)
    return f'<tr class="{cls}">{tds}</tr>'


def target_planner_app(actual: pd.Series | None = None, **values) -> TargetPlannerApp:
    """The target planner on the sample book's actuals (or on ``actual``, revenue by month)."""
    return TargetPlannerApp(actual=actual, **values)
