"""Opportunity view: the matrix (customer value x win level, bubbles = amount, colour = stage),
the customer funnel by stage and value class, the named problems and the director's actions.

Filters fade the deals a trainer wants the room to ignore; the what-if moves one deal to
another stage and/or competitive position and recomputes the whole view (the problems and
actions included), so the room sees what one won battle changes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as w
import pandas as pd

from salestrain.apps.base import App, Control, FigureView, Headline
from salestrain.base.formats import format_number, format_percent
from salestrain.base.i18n import t
from salestrain.core.funnel.stages import DEFAULT_STAGES
from salestrain.core.strategy import opportunity as core
from salestrain.io.opportunity import sample_opportunities
from salestrain.plots.opportunity import FunnelPlot, MatrixPlot, money

STAGES = DEFAULT_STAGES
MAX_NAMED = 2  # deals named in one problem; the rest are counted (the focus action names all)


@dataclass(frozen=True)
class OpportunityResult:
    view: core.OpportunityView
    shown: tuple[bool, ...]  # per open deal (view.open_deals order): passes the filters
    moved: str | None  # the what-if deal, if any
    moved_from: tuple[str, str] | None  # its (win level, value class) before the move
    moved_to: tuple[str, str] | None  # its (stage, win level) after the move


class OpportunityApp(App):
    TITLE = "opportunity.app.title"
    # The left column (controls, summary, problems, actions) runs past the first screen:
    # the headline cards stand over the figures instead.
    CARDS_IN_SIDE = True

    def __init__(self, table: pd.DataFrame | None = None, rules: core.Rules = core.DEFAULT_RULES,
                 **values) -> None:
        self.table = sample_opportunities() if table is None else table
        self.rules = rules
        # The view before any what-if: a moved deal's arrow starts here.
        self.base = core.classify(self.table, rules, STAGES).set_index("opp_id")
        super().__init__(**values)

    def control_specs(self) -> list[Control]:
        open_ = self.base[self.base["band"] != "won"]
        deals = [(f"{i} {row['customer']}", str(i)) for i, row in open_.iterrows()]
        return [
            Control("value", "choice", "opportunity.app.value", "all",
                    options=(("opportunity.app.all", "all"),
                             *((f"opportunity.value.{c.lower()}", c) for c in core.VALUE_CLASSES))),
            Control("amount", "choice", "opportunity.app.amount", "all",
                    options=(("opportunity.app.all", "all"),
                             *((f"opportunity.amount.{c}", c) for c in core.AMOUNT_CLASSES))),
            Control("threshold", "float", "opportunity.app.threshold", 0.0, 0.0, 0.9, 0.1,
                    readout_format=".0%"),
            Control("deal", "choice", "opportunity.app.deal", "",
                    options=(("opportunity.app.no_deal", ""), *deals)),
            Control("move_stage", "choice", "opportunity.app.move_stage", "",
                    options=(("opportunity.app.as_is", ""),
                             *((f"funnel.stage.{s}", s) for s in STAGES.names))),
            Control("move_level", "choice", "opportunity.app.move_level", "",
                    options=(("opportunity.app.as_is", ""),
                             *((f"opportunity.level.{x}.name", x) for x in core.WIN_LEVELS))),
        ]

    def build_views(self) -> list[w.Widget]:
        # Projector layout (1280x720 without scrolling): on the left the controls (filters |
        # what-if), the summary, the problems and the actions; on the right the headline
        # cards and the two figures (the side column).
        for widget in self.controls.values():
            widget.style.description_width = "112px"
            widget.layout.width = "296px"
        self.summary = w.HTML(layout=w.Layout(margin="4px 0"))
        self.summary.add_class("salestrain-summary")
        self.matrix_view = FigureView(6.3, 3.1, caption="opportunity.plot.matrix_caption")
        self.matrix = MatrixPlot(self.matrix_view.figure, STAGES, self.rules)
        self.funnel_view = FigureView(6.3, 2.5, caption="opportunity.plot.funnel_caption")
        self.funnel = FunnelPlot(self.funnel_view.figure, STAGES)
        self.problems = w.HTML()
        self.problems.add_class("salestrain-problems")
        self.actions_html = w.HTML()
        self.actions_html.add_class("salestrain-actions")
        # The win-rate slider on its own row under the two columns: squeezed into a column
        # at the projector's 16 px its readout was cut.
        threshold = self.controls["threshold"]
        threshold.layout.width = "min(100%, 460px)"
        controls = w.VBox([
            w.HBox([w.VBox([self.controls[n] for n in names]) for names in
                    (("value", "amount"), ("deal", "move_stage", "move_level"))]),
            threshold])
        # The left column is the controls box, so the base's columns put the cards and the
        # figures beside it.
        self.controls_box.children = [controls, self.summary, self.problems, self.actions_html]
        self.controls_box.layout.width = "600px"
        self.right = w.VBox([self.matrix_view.box, self.funnel_view.box])
        return [self.right]

    def side_views(self) -> list[w.Widget]:
        return [self.right]

    def compute(self, value: str, amount: str, threshold: float, deal: str, move_stage: str,
                move_level: str) -> OpportunityResult:
        moved, moved_from, moved_to = None, None, None
        what_if = (deal, move_stage, move_level) if deal and (move_stage or move_level) else None
        if what_if is not None:
            moved = deal
            before = self.base.loc[deal]
            moved_from = (str(before["win_level"]), str(before["value_class"]))
        elif deal:
            moved = deal  # picked, not moved yet: ringed so the room finds it
        view = self._view(what_if)
        if moved_from is not None:
            after = view.deals.set_index("opp_id").loc[deal]
            moved_to = (str(after["stage"]), str(after["win_level"]))
        open_ = view.open_deals
        shown = open_["win_rate"].to_numpy(dtype=float) >= threshold - 1e-9
        if value != "all":
            shown &= open_["value_class"].to_numpy(dtype=str) == value
        if amount != "all":
            shown &= open_["amount_class"].to_numpy(dtype=str) == amount
        return OpportunityResult(view, tuple(bool(x) for x in shown), moved, moved_from, moved_to)

    def _view(self, what_if: tuple[str, str, str] | None) -> core.OpportunityView:
        # The filters only fade bubbles: the view depends on the what-if alone, so moving a
        # filter reuses it. A memo of a pure function of (table, rules, what-if), not state:
        # the result is the same whether it is cached or not.
        cached = self._view_memo
        if cached is None or cached[0] != what_if:
            table = self.table
            if what_if is not None:
                deal, stage, level = what_if
                win = self.rules.probability_of(level) if level else None
                table = core.move_deal(self.table, deal, stage or None, win, STAGES)
            cached = self._view_memo = (what_if, core.opportunity_view(table, self.rules, STAGES))
        return cached[1]

    _view_memo: tuple[tuple[str, str, str] | None, core.OpportunityView] | None = None

    def show(self, result: OpportunityResult) -> None:
        view = result.view
        names = dict(zip(view.deals["opp_id"], view.deals["customer"], strict=True))
        open_ = view.open_deals
        won = view.deals[view.deals["band"] == "won"]
        summary = t("opportunity.app.summary", open=format_number(len(open_)),
                    amount=html.escape(money(open_["amount"].sum())),
                    weighted=html.escape(money(open_["weighted"].sum())),
                    won=html.escape(money(won["amount"].sum())))
        if result.moved_to is not None:
            stage, level = result.moved_to
            # the catalog carries the space between sentences (none in Chinese)
            summary += html.escape(t("opportunity.app.moved", deal=f"{result.moved} {names[result.moved]}",
                                           stage=t(f"funnel.stage.{stage}"),
                                           level=t(f"opportunity.level.{level}.name")))
        self.summary.value = f"<div style='line-height:1.3'>{summary}</div>"  # the room reads it: body size
        self.matrix.update(open_, result.shown, view.reference, result.moved,
                           result.moved_from)
        self.matrix_view.image.value = self.matrix.png()
        self.matrix_view.mark_text_size()
        thin = tuple(f.values["stage"] for f in view.findings if f.kind in ("thin_stage", "thin_top"))
        key = (view.funnel.counts.to_numpy().tobytes(), view.funnel.amounts.to_numpy().tobytes(), thin)
        if getattr(self, "_funnel_drawn", None) != key:  # a filter change leaves the funnel as it is
            self.funnel.update(view.funnel, thin)
            self.funnel_view.image.value = self.funnel.png()
            self.funnel_view.mark_text_size()
            self._funnel_drawn = key
        self.problems.value = _list_html(t("opportunity.app.problems"), [
            t(f"opportunity.problem.{f.kind}", **_values(f.kind, f.values, f.deals, names))
            for f in view.findings] or [t("opportunity.app.no_problems")], ordered=False)
        self.actions_html.value = _list_html(t("opportunity.app.actions"), [
            t(f"opportunity.action.{a.kind}", **_values(a.kind, a.values, a.deals, names))
            for a in view.actions], ordered=True)

    def headlines(self, result: OpportunityResult) -> list[Headline]:
        # The summary's bold money: the open pipeline and what it is worth by our
        # competitive position (a what-if moves this one). Two, so they take one row over
        # the matrix in both languages.
        open_ = result.view.open_deals
        return [
            Headline(t("opportunity.card.open", count=format_number(len(open_))), money(open_["amount"].sum())),
            Headline(t("opportunity.card.weighted"), money(open_["weighted"].sum())),
        ]


def _values(kind: str, values: dict, deals: tuple[str, ...], names: dict[str, str]) -> dict:
    """A finding's or an action's values as a reader sees them: money, shares, stage names."""
    out: dict = {}
    for name, value in values.items():
        if name in ("stage", "next", "before"):
            out[name] = t(f"funnel.stage.{value}")
        elif name in ("amount", "stage_weighted", "level_weighted"):
            out[name] = money(value)
        elif name in ("hours_share", "weighted_share"):
            out[name] = format_percent(value)
        elif name in ("count", "next_count", "before_count"):
            out[name] = value
        else:
            out[name] = format_number(value, decimals=0)
    named = len(deals) if kind == "focus" else MAX_NAMED
    shown = [f"{d} {names.get(d, '')}".strip() for d in deals[:named]]
    out["deals"] = t("content.separator").join(shown)
    if len(deals) > named:
        out["deals"] = t("opportunity.app.more_deals", deals=out["deals"], count=len(deals) - named)
    return out


def _list_html(title: str, items: list[str], ordered: bool) -> str:
    tag = "ol" if ordered else "ul"
    body = "".join(f"<li>{html.escape(x)}</li>" for x in items)
    return (f"<div style='font-size:86%;line-height:1.3'><b>{html.escape(title)}</b>"
            f"<{tag} style='margin:1px 0 4px 0;padding-left:1.3em'>{body}</{tag}></div>")


def opportunity_app(table: pd.DataFrame | None = None, **values) -> OpportunityApp:
    """The opportunity view on the sample region (or on ``table``, a clean opportunity table)."""
    return OpportunityApp(table=table, **values)
