"""Account book: Pareto chart with tier cut-offs, visit workload, churn alert list."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import timedelta

import ipywidgets as w
import numpy as np
import pandas as pd

from salestrain.apps.base import App, Control, FigureView, Headline, html_legend
from salestrain.base.formats import format_number, format_percent
from salestrain.base.i18n import get_language, t
from salestrain.core.accounts import analysis as core
from salestrain.core.accounts.synthetic import Book, generate_book
from salestrain.plots.style import ALERT_TEXT, PALETTE

TIER_COLOURS = {"A": PALETTE[0], "B": PALETTE[1], "C": PALETTE[5]}
ALERT_ROWS = 12


@dataclass(frozen=True)
class AccountBookResult:
    pareto: core.Pareto
    tiers: pd.DataFrame
    summary: pd.DataFrame
    visits: core.VisitPlan
    alerts: pd.DataFrame
    cuts: tuple[float, float]  # the A and B cut-offs, drawn as lines


def _money(yuan: float) -> str:
    return f"{yuan / 10_000:,.1f}"


class AccountBookApp(App):
    TITLE = "accounts.app.title"
    CONTROLS = (
        Control("a_cut", "float", "accounts.app.a_cut", default=0.70, min=0.4, max=0.9, step=0.05,
                readout_format=".0%"),
        Control("b_cut", "float", "accounts.app.b_cut", default=0.90, min=0.6, max=0.99, step=0.01,
                readout_format=".0%"),
        # a 2-hour visit, travel included, and 120 customer hours of a month: the sample team
        # then runs at 73-100 % of capacity, as a real team does (the lesson overloads it on purpose)
        Control("hours_per_visit", "float", "accounts.app.hours_per_visit", default=2.0, min=0.5,
                max=8.0, step=0.5),
        Control("capacity", "int", "accounts.app.capacity", default=120, min=20, max=200, step=5),
        Control("max_days_silent", "int", "accounts.app.max_days_silent", default=120, min=30,
                max=365, step=5),
        Control("min_activity", "float", "accounts.app.min_activity", default=0.3, min=0.0,
                max=1.0, step=0.05, readout_format=".0%"),
        Control("min_renewal", "float", "accounts.app.min_renewal", default=0.6, min=0.0, max=1.0,
                step=0.05, readout_format=".0%"),
    )

    def __init__(self, book: Book | None = None, **values) -> None:
        self.book = book or generate_book(names=get_language())  # names in the learner's language
        as_of = self.book.as_of
        # what does not depend on the sliders is computed once
        year_ago = as_of - timedelta(days=364)
        ids = self.book.customers["customer_id"]
        self.revenue = core.customer_totals(self.book.transactions, year_ago, as_of)["revenue"] \
            .reindex(ids, fill_value=0.0)
        self.reps = self.book.customers.set_index("customer_id")["rep"]
        self.names = self.book.customers.set_index("customer_id")["name"]
        self.signals = core.churn_signals(self.book.customers, self.book.transactions, as_of)
        super().__init__(**values)

    def build_views(self) -> list[w.Widget]:
        self.summary = w.HTML()
        self.summary.add_class("salestrain-summary")
        self.plot = FigureView(7.0, 3.6, caption="accounts.plot.see")
        self.ax = self.plot.figure.add_subplot()
        # The key as HTML over the figure: four entries at 13 pt would cover the C tail.
        self.legend = w.HTML(html_legend(
            [(TIER_COLOURS[tier], "square", t(f"accounts.plot.tier_{tier.lower()}")) for tier in core.TIERS]
            + [(PALETTE[5], "dotted", t("accounts.plot.diagonal")),
               ("black", "dashed", t("accounts.plot.cuts"))]))
        self.workload = w.HTML()
        self.workload.add_class("salestrain-workload")
        self.alert_list = w.HTML()
        self.alert_list.add_class("salestrain-alerts")
        return [self.summary, self.legend, self.plot.box, self.workload, self.alert_list]

    def side_views(self) -> list[w.Widget]:
        # Beside the seven sliders: the curve shows whole on the first screen.
        return [self.summary, self.legend, self.plot.box]

    def compute(self, a_cut: float, b_cut: float, hours_per_visit: float, capacity: int,
                max_days_silent: int, min_activity: float, min_renewal: float) -> AccountBookResult:
        tiers = core.abc_tiers(self.revenue, a_cut, b_cut)
        visits = core.visit_plan(tiers, self.reps, hours_per_visit, float(capacity))
        alerts = self._churn_alerts(max_days_silent, min_activity, min_renewal)
        alerts = alerts.join(tiers["tier"])
        return AccountBookResult(core.pareto(self.revenue), tiers, core.tier_summary(tiers),
                                 visits, alerts, (a_cut, b_cut))

    def _churn_alerts(self, *key: float) -> pd.DataFrame:
        # The alert list depends only on the thresholds: moving a tier slider reuses it.
        # A memo of a pure function of (signals, thresholds), not state: the result is
        # the same whether it is cached or not.
        cached = self._alert_memo
        if cached is None or cached[0] != key:
            cached = self._alert_memo = (key, core.churn_alerts(self.signals, core.ChurnThresholds(*key)))
        return cached[1]

    _alert_memo: tuple[tuple, pd.DataFrame] | None = None

    def show(self, result: AccountBookResult) -> None:
        s = result.summary
        self.summary.value = t(
            "accounts.app.summary", customers=int(s["customers"].sum()),
            top20=f"{result.pareto.top_share(0.2):.0%}", a=int(s.loc["A", "customers"]),
            a_share=f"{s.loc['A', 'value_share']:.0%}", b=int(s.loc["B", "customers"]),
            c=int(s.loc["C", "customers"]),
        )
        self._draw(result)
        self.workload.value = self._workload_html(result.visits)
        self.alert_list.value = self._alerts_html(result.alerts)

    def headlines(self, result: AccountBookResult) -> list[Headline]:
        s, reps = result.summary, result.visits.reps
        over = int(reps["over_capacity"].sum())
        return [
            Headline(t("accounts.card.top20", share=format_percent(0.2)),
                     format_percent(result.pareto.top_share(0.2))),
            Headline(t("accounts.card.tiers"),
                     t("accounts.card.tiers_value", **{k.lower(): int(s.loc[k, "customers"])
                                                       for k in core.TIERS})),
            # A rep over capacity cannot keep the visit cadence: bad news for the plan.
            Headline(t("accounts.card.over"), t("accounts.card.over_value", over=over, reps=len(reps)),
                     "bad" if over else "good"),
            Headline(t("accounts.card.alerts"), format_number(len(result.alerts))),
        ]

    def _draw(self, result: AccountBookResult) -> None:
        # Axes furniture is made once; each update swaps only the tier areas and moves
        # the cut lines and the 20% marker (clearing the axes costs as much as the PNG).
        ax = self.ax
        if not hasattr(self, "_cut_lines"):
            self._create_artists()
        for artist in self._tier_artists:
            artist.remove()
        self._tier_artists = []
        tiers = result.tiers
        x = np.concatenate([[0.0], np.arange(1, len(tiers) + 1) / len(tiers)])
        y = np.concatenate([[0.0], tiers["cum_share"].to_numpy()])
        for tier in core.TIERS:
            idx = np.flatnonzero(np.concatenate([[False], (tiers["tier"] == tier).to_numpy()]))
            if len(idx):
                seg = np.arange(idx[0] - 1, idx[-1] + 1)  # start at the previous point: no gaps
                self._tier_artists.append(ax.fill_between(x[seg], 0, y[seg], color=TIER_COLOURS[tier],
                                                          alpha=0.35, linewidth=0))
                self._tier_artists.extend(ax.plot(x[seg], y[seg], color=TIER_COLOURS[tier], linewidth=2))
        for line, cut in zip(self._cut_lines, result.cuts, strict=True):
            line.set_ydata([cut, cut])
        top = result.pareto.top_share(0.2)
        self._marker.set_data([0.2], [top])
        self._label.xy = (0.2, top)
        self._label.set_text(f"20% \u2192 {top:.0%}")
        self.plot.refresh()

    def _create_artists(self) -> None:
        ax = self.ax
        self._tier_artists: list = []
        ax.plot([0, 1], [0, 1], color=PALETTE[5], linestyle=":", linewidth=2)
        self._cut_lines = [ax.axhline(0, color="black", linewidth=0.8, linestyle="--") for _ in range(2)]
        (self._marker,) = ax.plot([], [], marker="o", color="black")
        self._label = ax.annotate("", (0.2, 0), xytext=(8, -14), textcoords="offset points")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.02)
        ax.xaxis.set_major_formatter("{x:.0%}")
        ax.yaxis.set_major_formatter("{x:.0%}")
        ax.set_xlabel(t("accounts.plot.x"))
        ax.set_ylabel(t("accounts.plot.y"))
        ax.set_title(t("accounts.plot.title"))

    def _workload_html(self, visits: core.VisitPlan) -> str:
        head = [t("accounts.app.rep"), t("accounts.app.accounts"), "A", "B", "C",
                t("accounts.app.visits"), t("accounts.app.hours"), t("accounts.app.load")]
        rows = []
        for rep, r in visits.reps.iterrows():
            over = bool(r["over_capacity"])
            load = f"{r['load']:.0%}" + (f" ({t('accounts.app.over')})" if over else "")
            style = f' style="color:{ALERT_TEXT};font-weight:bold"' if over else ""
            band = t(f"accounts.app.band_{r['ka_band']}")
            cells = [html.escape(str(rep)), f"{int(r['accounts'])} <small>({band})</small>",
                     str(int(r["A"])), str(int(r["B"])), str(int(r["C"])),
                     f"{r['visits_per_month']:.1f}", f"{r['hours']:.0f}",
                     f"<span class='load'{style}>{load}</span>"]
            rows.append(cells)
        return f"<h4>{html.escape(t('accounts.app.workload_title'))}</h4>" + _table(head, rows, "salestrain-workload-table")

    def _alerts_html(self, alerts: pd.DataFrame) -> str:
        title = t("accounts.app.alerts_title", count=len(alerts),
                  revenue=_money(alerts["revenue_12m"].sum()))
        if alerts.empty:
            return f"<h4>{html.escape(title)}</h4><p>{html.escape(t('accounts.app.no_alerts'))}</p>"
        head = ["#", t("accounts.app.customer"), t("accounts.app.tier"), t("accounts.app.rep"),
                t("accounts.app.revenue_12m"), t("accounts.app.reasons")]
        rows = []
        for cid, r in alerts.head(ALERT_ROWS).iterrows():
            reasons = "; ".join(t(key, **values) for key, values in core.alert_explanations(r))
            rows.append([str(int(r["rank"])), html.escape(f"{cid} {self.names.get(cid, '')}"),
                         str(r["tier"]), html.escape(str(self.reps.get(cid, ""))),
                         _money(r["revenue_12m"]), html.escape(reasons)])
        return f"<h4>{html.escape(title)}</h4>" + _table(head, rows, "salestrain-alert-table")


def _table(head: list[str], rows: list[list[str]], cls: str) -> str:
    th = "".join(f'<th style="padding:1px 8px">{html.escape(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join(f'<td style="padding:1px 8px">{c}</td>' for c in row) + "</tr>"
                   for row in rows)
    return f'<table class="{cls}" style="border-collapse:collapse;font-size:90%"><tr>{th}</tr>{body}</table>'


def account_book_app(book: Book | None = None, **values) -> AccountBookApp:
    """The account book on the sample book (or on ``book``)."""
    return AccountBookApp(book=book, **values)


