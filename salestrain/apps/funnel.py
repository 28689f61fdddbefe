"""Funnel apps: the forecast distribution and the calibration of stage probabilities."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as w
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from salestrain.apps.base import App, Control, FigureView, Headline, action, html_legend
from salestrain.base.errors import SalestrainError
from salestrain.base.formats import format_compact, format_money, format_number, format_percent
from salestrain.base.i18n import t
from salestrain.core.funnel import (
    DEFAULT_STAGES,
    Calibration,
    Forecast,
    Stages,
    calibrate,
    forecast,
    in_period,
    probabilities,
)
from salestrain.io.funnel import read_pipeline_bytes, sample_history, sample_pipeline
from salestrain.plots.funnel import ForecastPlot
from salestrain.plots.style import PALETTE, STAGE_COLOURS, agg_png, freeze_layout

ALL_MONTHS = "all"


def _money(x: float) -> str:
    # The summary's amounts as the cards and tables show them: "RMB 986,500", "¥98.65万".
    return format_money(x)


def _stage_controls(stages: Stages) -> list[Control]:
    return [Control(name, "float", f"funnel.stage.{name}", default=round(stages.probability(name), 2),
                    min=0.0, max=1.0, step=0.05, readout_format=".0%")
            for name in stages.open_names]


class QuickFigureView(FigureView):
    """A FigureView tuned for slider speed: one Agg draw and a lightly compressed PNG a frame.

    After the first frame the constrained layout is frozen. ``savefig`` would draw twice
    a frame even then (matplotlib lays out first whenever a layout engine object is set,
    and "none" still sets one), so later frames draw the canvas once and encode its
    pixels directly: 40 ms -> 27 ms a frame for the forecast figure, measured here.
    """

    def refresh(self) -> None:
        if not getattr(self, "_frozen", False):  # once, before the first frame
            self._frozen = True
            freeze_layout(self.figure)
        self.image.value = agg_png(self.figure)
        self.mark_text_size()


@dataclass(frozen=True)
class ForecastView:
    """What the forecast app computed: the forecast and the deals it covers."""

    forecast: Forecast
    deals: int
    month: str
    source: str  # what the forecast is of (HTML, escaped)


class ForecastApp(App):
    """Stage probabilities, a target and a correlation knob -> the revenue distribution."""

    TITLE = "funnel.app.title"

    def __init__(self, pipeline: pd.DataFrame | None = None, stages: Stages = DEFAULT_STAGES,
                 month: str | None = None, target: float | None = None, seed: int = 0,
                 **values) -> None:
        self.stages = stages
        self.pipeline = sample_pipeline(stages) if pipeline is None else pipeline
        self.source_label: str | None = None  # None: the shipped sample
        self.seed = seed
        self._month = month
        self._target = target
        super().__init__(**values)

    def _months(self) -> list[str]:
        months = sorted(self.pipeline["expected_close"].dt.strftime("%Y-%m").unique())
        return [*months, ALL_MONTHS]

    def control_specs(self) -> list[Control]:
        months = self._months()
        month = self._month if self._month in months else months[0]
        in_month = in_period(self.pipeline, None if month == ALL_MONTHS else month)
        total = float(in_month["amount"].sum()) or 1.0
        weighted = float((in_month["amount"] * in_month["probability"]).sum())
        step = 10 ** max(int(np.log10(total)) - 2, 0)
        top = float(np.ceil(total / step) * step)
        # Default target: the weighted forecast rounded up to a half or whole power of
        # ten step (986,500 -> 1,000,000), the kind of round number a manager is given.
        unit = 10 ** max(int(np.log10(max(weighted, 1.0))), 0) / 2
        target = self._target if self._target is not None else float(np.ceil(weighted / unit) * unit)
        target = min(max(target, 0.0), top)
        return [
            *_stage_controls(self.stages),
            Control("target", "float", "funnel.app.target", default=target, min=0.0, max=top,
                    step=step, readout_format=",.0f"),
            Control("correlation", "float", "funnel.app.correlation", default=0.0, min=0.0,
                    max=0.9, step=0.05, readout_format=".2f"),
            Control("month", "choice", "funnel.app.month", default=month,
                    options=[(m if m != ALL_MONTHS else "funnel.app.all_months", m) for m in months]),
            Control("upload", "upload", "funnel.app.upload", default=None, handler="load_upload",
                    accept=".csv"),
            Control("sample", "action", "funnel.app.sample", default=None, handler="load_sample"),
        ]

    def build_views(self) -> list[w.Widget]:
        self.upload = self.actions["upload"]
        self.sample_button = self.actions["sample"]
        self.source = w.HTML()
        self.summary = w.HTML()
        self.summary.add_class("salestrain-summary")
        self.plot = QuickFigureView(7.0, 3.4, caption="funnel.plot.see")
        self.drawing = ForecastPlot(self.plot.figure, legend=False)
        self.legend = w.HTML(html_legend([
            (PALETTE[0], "square", t("funnel.plot.hit")), (PALETTE[5], "square", t("funnel.plot.miss")),
            (PALETTE[3], "line", t("funnel.plot.target")), (PALETTE[1], "dashed", t("funnel.plot.weighted")),
        ]))
        loaders = w.HBox([self.upload, self.sample_button, self.source])
        return [loaders, self.summary, self.legend, self.plot.box]

    def side_views(self) -> list[w.Widget]:
        # Beside the seven controls, so the distribution shows on the first screen.
        return [self.summary, self.legend, self.plot.box]

    # -- actions ------------------------------------------------------------
    @action
    def load(self, pipeline: pd.DataFrame, label: str | None = None) -> None:
        """Switch to another pipeline (keeps the stage sliders, resets month and target)."""
        self.pipeline = pipeline
        self.source_label = label
        self._month = None
        self._target = None
        specs = {c.name: c for c in self.control_specs()}
        month = self.controls["month"]
        month.options = specs["month"].labelled_options()
        month.value = specs["month"].default
        target = self.controls["target"]
        target.max = max(specs["target"].max, target.max)
        target.step = specs["target"].step
        target.max = specs["target"].max
        target.value = specs["target"].default

    @action
    def load_sample(self) -> None:
        self.load(sample_pipeline(self.stages))

    @action
    def load_upload(self, files: Sequence[dict]) -> None:
        """Read an uploaded CSV; a bad one becomes a message and the pipeline stays."""
        item = files[0]
        name = str(item.get("name", "upload.csv"))
        pipeline = read_pipeline_bytes(bytes(item["content"]), name, self.stages)  # DataError: a message
        # The file's name is the learner's text: escaped, since the label is shown as HTML.
        self.load(pipeline, t("funnel.app.source_file", name=html.escape(name), deals=format_number(len(pipeline))))

    # -- compute and show ---------------------------------------------------
    def compute(self, target: float, correlation: float, month: str, **stage_probs: float) -> ForecastView:
        stages = self.stages.with_probabilities(stage_probs)
        deals = in_period(self.pipeline, None if month == ALL_MONTHS else month)
        if deals.empty:
            raise SalestrainError(t("funnel.app.no_deals", month=month))
        probs = probabilities(deals, stages)
        fc = forecast(deals["amount"].to_numpy(float), probs, target, correlation=correlation,
                      trials=4000, seed=self.seed)
        return ForecastView(fc, len(deals), month, self.source_label or t("funnel.app.source_sample"))

    def show(self, result: ForecastView) -> None:
        fc = result.forecast
        self.source.value = result.source
        if fc.method == "approximate":  # never "exact" for an approximate lattice
            method = t("funnel.app.method_approx", p_error=f"{100 * fc.p_hit_error:.2g}",
                       q_error=_money(fc.quantile_error))
        else:
            method = t("funnel.app.method_exact" if fc.method == "exact" else "funnel.app.method_mc")
        self.summary.value = t(
            "funnel.app.summary", deals=format_number(result.deals), weighted=_money(fc.weighted.mean),
            sd=_money(fc.weighted.sd), p10=_money(fc.p10), p50=_money(fc.p50), p90=_money(fc.p90),
            target=_money(fc.target), p_hit=f"{fc.p_hit:.0%}", method=method,
        )
        self.drawing.update(fc, result.deals)
        self.plot.refresh()

    def headlines(self, result: ForecastView) -> list[Headline]:
        # The three numbers the summary puts in bold. The range and the target in the label
        # are rounded (RMB 1.33M, ¥133.1万), and the range names the currency once
        # ("RMB 649K – 1.33M"), so a card fits the controls' column.
        fc = result.forecast
        low, high = format_money(fc.p10, compact=True), format_compact(fc.p90, fraction_digits=2)
        return [
            Headline(t("funnel.card.weighted"), format_money(fc.weighted.mean)),
            Headline(t("funnel.card.range"), t("funnel.card.range_value", low=low, high=high)),
            Headline(t("funnel.card.p_hit", target=format_money(fc.target, compact=True)),
                     format_percent(fc.p_hit), "good" if fc.p_hit >= 0.8 else "bad" if fc.p_hit < 0.5 else ""),
        ]


def forecast_app(pipeline: pd.DataFrame | None = None, **values) -> ForecastApp:
    """The forecast app on ``pipeline`` (the shipped sample when omitted)."""
    return ForecastApp(pipeline, **values)


class CalibrationApp(App):
    """The learner's stage probabilities against history: reliability curve and Brier score."""

    TITLE = "funnel.cal.title"

    def __init__(self, history: pd.DataFrame | None = None, stages: Stages = DEFAULT_STAGES,
                 **values) -> None:
        self.stages = stages
        self.history = sample_history(stages) if history is None else history
        super().__init__(**values)

    def control_specs(self) -> list[Control]:
        return _stage_controls(self.stages)

    def build_views(self) -> list[w.Widget]:
        self.summary = w.HTML()
        self.summary.add_class("salestrain-summary")
        self.plot = QuickFigureView(5.6, 3.6, caption="funnel.cal.see")
        ax = self.ax = self.plot.figure.add_subplot()
        ax.plot([0, 1], [0, 1], color=PALETTE[5], linestyle=":", linewidth=2)
        self.points = {}
        self.bars = {}
        self.labels = {}
        key = [(PALETTE[5], "dotted", t("funnel.cal.perfect"))]
        for i, stage in enumerate(self.stages.open_names):
            colour = STAGE_COLOURS[min(i + 1, len(STAGE_COLOURS) - 1)]
            (self.bars[stage],) = ax.plot([0, 0], [0, 0], color=colour, linewidth=3, alpha=0.6)
            (self.points[stage],) = ax.plot([0], [0], "o", color=colour, markersize=11,
                                            markeredgecolor="black")
            self.labels[stage] = ax.annotate("", (0, 0), textcoords="offset points", xytext=(9, -6))
            key.append((colour, "dot", t(f"funnel.stage.{stage}")))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.yaxis.set_major_locator(MaxNLocator(5))
        ax.set_xlabel(t("funnel.cal.x"))
        ax.set_ylabel(t("funnel.cal.y"))
        # The key as HTML above the figure: five entries at 13 pt would cover a corner of
        # the curve, and the upper left is where an over-cautious stage lands.
        self.legend = w.HTML(html_legend(key))
        return [self.summary, self.legend, self.plot.box]

    def side_views(self) -> list[w.Widget]:
        return [self.summary, self.legend, self.plot.box]

    def compute(self, **stage_probs: float) -> Calibration:
        try:
            return calibrate(self.history, stage_probs)
        except ValueError as exc:
            raise SalestrainError(str(exc)) from None

    def show(self, result: Calibration) -> None:
        s = result.score
        self.summary.value = t(
            "funnel.cal.summary", score=f"{s.score:.4f}", rel=f"{s.reliability:.4f}",
            res=f"{s.resolution:.4f}", unc=f"{s.uncertainty:.4f}", n=s.n,
            worst=t(f"funnel.stage.{result.worst_stage}"),
            forecast=f"{result.curve.loc[result.worst_stage, 'forecast']:.0%}",
            observed=f"{result.curve.loc[result.worst_stage, 'observed']:.0%}",
        )
        for stage, row in result.curve.iterrows():
            self.points[stage].set_data([row["forecast"]], [row["observed"]])
            self.bars[stage].set_data([row["forecast"]] * 2, [row["low"], row["high"]])
            self.labels[stage].xy = (row["forecast"], row["observed"])
            self.labels[stage].set_text(f"n={int(row['n'])}")
        self.ax.set_title(t("funnel.cal.plot_title", score=f"{s.score:.3f}"))
        self.plot.refresh()

    def headlines(self, result: Calibration) -> list[Headline]:
        # The summary's bold numbers: the score, and the stage to fix with where its slider
        # should go (the share of its deals actually won).
        worst = result.curve.loc[result.worst_stage]
        return [
            Headline(t("funnel.card.score"), format_number(result.score.score, decimals=4)),
            Headline(t("funnel.card.worst"), t(f"funnel.stage.{result.worst_stage}")),
            Headline(t("funnel.card.gap"), t("funnel.card.gap_value", forecast=format_percent(worst["forecast"]),
                                             observed=format_percent(worst["observed"]))),
        ]


def calibration_app(history: pd.DataFrame | None = None, **values) -> CalibrationApp:
    """The calibration app on ``history`` (the shipped synthetic history when omitted)."""
    return CalibrationApp(history, **values)
