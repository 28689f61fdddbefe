"""Coaching apps: assess one rep, the team on the matrix, stage coaching, time matrix.

The apps hold no coaching logic: they read controls, call :mod:`salestrain.core.coaching`,
and draw. Sample data (fictional reps) comes from :mod:`salestrain.io.coaching.files`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ipywidgets as w
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from salestrain.apps.base import App, Control, FigureView, form
from salestrain.base import i18n
from salestrain.base.errors import DataError
from salestrain.base.i18n import t
from salestrain.core import coaching as core
from salestrain.core.coaching.advice import Advice, RepTrack
from salestrain.core.coaching.instrument import Instrument, Thresholds
from salestrain.io.coaching.files import (
    sample_funnel,
    sample_instrument,
    sample_name,
    sample_team,
    sample_week,
)
from salestrain.plots.style import PALETTE

# Light fills per quadrant, so points and initials stay readable on top.
QUADRANT_FILL = {"direct": "#f4d6d3", "guide": "#fbe3cf", "excite": "#e4dcf0", "delegate": "#d5ecdc"}


def label_of(text: str) -> str:
    """Instrument labels are catalog keys or, for a trainer's own item, plain text."""
    return t(text) if i18n.has_key(text) else text


def _html_list(keys: Sequence[str]) -> str:
    return "<ol>" + "".join(f"<li>{html.escape(t(k))}</li>" for k in keys) + "</ol>"


def _plan_html(advice: Advice) -> str:
    plan = advice.plan
    return (f"<p><b>{html.escape(t(plan.name))}</b> &mdash; {html.escape(t(plan.leadership))}</p>"
            f"<p><b>{t('coaching.app.heading', label=t('coaching.app.decision'))}</b> {html.escape(t(plan.decision))}</p>"
            f"<p><b>{t('coaching.app.heading', label=t('coaching.app.actions'))}</b></p>{_html_list(plan.actions)}")


def _stage_html(diagnosis: core.StageDiagnosis) -> str:
    plan = diagnosis.plan
    stage = t(f"coaching.stage.{plan.stage}.name")
    return (f"<p>{t('coaching.app.weakest', stage=html.escape(stage))}</p>"
            f"<p><b>{t('coaching.app.heading', label=t('coaching.app.focus'))}</b> {html.escape(t(plan.focus))}</p>"
            f"<p><b>{t('coaching.app.heading', label=t('coaching.app.plan'))}</b></p>{_html_list(plan.plan)}")


def draw_matrix(ax: Axes, instrument: Instrument, thresholds: Thresholds) -> None:
    """Quadrant shading, the two lines and the style names; points go on top."""
    lo, hi = instrument.scale_min, instrument.scale_max
    cx, cy = thresholds.capability, thresholds.willingness
    ax.clear()
    boxes = {"direct": (lo, lo, cx, cy), "guide": (lo, cy, cx, hi),
             "excite": (cx, lo, hi, cy), "delegate": (cx, cy, hi, hi)}
    for style, (x0, y0, x1, y1) in boxes.items():
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, color=QUADRANT_FILL[style], zorder=0))
        ax.text((x0 + x1) / 2, y1 - 0.08 * (hi - lo) / 2, t(f"coaching.style.{style}.name"),
                ha="center", va="top", fontsize=11, color="#555555", zorder=1)
    ax.axvline(cx, color="#777777", linewidth=1)
    ax.axhline(cy, color="#777777", linewidth=1)
    pad = 0.05 * (hi - lo)
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlabel(t("coaching.dimension.capability"))
    ax.set_ylabel(t("coaching.dimension.willingness"))
    ax.grid(False)


def _threshold_controls(instrument: Instrument) -> list[Control]:
    th, lo, hi = instrument.thresholds, instrument.scale_min, instrument.scale_max
    return [
        Control("cap_line", "float", "coaching.app.cap_threshold", th.capability, lo, hi, 0.25),
        Control("will_line", "float", "coaching.app.will_threshold", th.willingness, lo, hi, 0.25),
        Control("border", "choice", "coaching.app.border", th.border,
                options=(("coaching.app.border_high", "high"), ("coaching.app.border_low", "low"))),
        Control("view", "choice", "coaching.app.view", "manager",
                options=(("coaching.rater.manager", "manager"), ("coaching.rater.self", "self"),
                         ("coaching.rater.blend", "blend"))),
    ]


def _thresholds(instrument: Instrument, cap_line: float, will_line: float, border: str) -> Thresholds:
    return Thresholds(cap_line, will_line, border, instrument.thresholds.margin)  # type: ignore[arg-type]


# -- assess one rep -------------------------------------------------------------------

class AssessApp(App):
    """Sliders per item for self and manager; live quadrant, style, plan and gaps."""

    TITLE = "coaching.app.assess_title"

    def __init__(self, instrument: Instrument | None = None,
                 self_scores: Mapping[str, float] | None = None,
                 manager_scores: Mapping[str, float] | None = None, **values) -> None:
        self.instrument = instrument or sample_instrument()
        if self_scores is None and manager_scores is None:
            self_scores, manager_scores = _sample_rep_scores(self.instrument)
        self._start = {"self": dict(self_scores or {}), "manager": dict(manager_scores or {})}
        super().__init__(**values)

    def control_specs(self) -> list[Control]:
        inst = self.instrument
        mid = round((inst.scale_min + inst.scale_max) / 2)
        specs = []
        for rater, prefix in (("self", "self_"), ("manager", "mgr_")):
            for item in inst.items:
                start = self._start[rater].get(item.id, mid)
                # build_control translates labels; a trainer's plain-text label gets a
                # placeholder key here and its own text in build_views.
                key = item.label if i18n.has_key(item.label) else f"coaching.dimension.{item.dimension}"
                specs.append(Control(f"{prefix}{item.id}", "int", key, int(round(start)),
                                     inst.scale_min, inst.scale_max, 1))
        return [*specs, *_threshold_controls(inst)]

    def build_views(self) -> list[w.Widget]:
        # Self and manager side by side: the gap is what the manager should read.
        # Each column is one aligned form (full labels, tracks in line), so the two
        # columns read as one table; the matrix sits beside them, on the first screen.
        columns = []
        for rater, prefix in (("self", "self_"), ("manager", "mgr_")):
            head = w.HTML(f"<b>{t(f'coaching.app.{rater}_heading')}</b>")
            columns.append(form([head, *[self.controls[f"{prefix}{i.id}"] for i in self.instrument.items]]))
        columns[0].layout.margin = "0 16px 0 0"
        rest = form([self.controls[n] for n in ("cap_line", "will_line", "border", "view")])
        self.controls_box.children = [w.HBox(columns), rest]
        for rater_prefix in ("self_", "mgr_"):
            for item in self.instrument.items:
                self.controls[f"{rater_prefix}{item.id}"].description = label_of(item.label)
        self.summary = w.HTML()
        self.summary.add_class("salestrain-summary")
        self.gaps = w.HTML()
        self.advice_html = w.HTML()
        self.advice_html.add_class("salestrain-plan")
        self.plot = FigureView(4.6, 4.0)
        self.ax = self.plot.figure.add_subplot()
        return [self.summary, self.plot.image, self.gaps, self.advice_html]

    def side_views(self) -> list[w.Widget]:
        return [self.summary, self.plot.image]

    def compute(self, cap_line: float, will_line: float, border: str, view: str,
                **scores: int) -> Advice:
        own = {k[5:]: v for k, v in scores.items() if k.startswith("self_")}
        boss = {k[4:]: v for k, v in scores.items() if k.startswith("mgr_")}
        return core.advise(self.instrument, own, boss,
                           _thresholds(self.instrument, cap_line, will_line, border), view)  # type: ignore[arg-type]

    def show(self, result: Advice) -> None:
        p = result.placement
        self.summary.value = t(
            "coaching.app.summary", capability=f"{p.capability:.2f}",
            willingness=f"{p.willingness:.2f}", view=t(f"coaching.rater.{result.view}"),
            style=t(result.plan.name))
        lines = []
        if p.borderline:
            dims = ", ".join(t(f"coaching.dimension.{d}") for d in p.borderline)
            lines.append(t("coaching.app.borderline", dims=dims, margin=f"{result.thresholds.margin:g}"))
        gaps = result.large_gaps()
        if not gaps:
            lines.append(t("coaching.app.gap_none", flag=f"{core.assessment.GAP_FLAG:g}"))
        for item, gap in sorted(gaps.items(), key=lambda kv: -abs(kv[1])):
            key = "coaching.app.gap_over" if gap > 0 else "coaching.app.gap_under"
            lines.append(t(key, item=label_of(self.instrument.item(item).label), gap=f"{abs(gap):g}"))
        self.gaps.value = "<br>".join(html.escape(x) for x in lines)
        self.advice_html.value = _plan_html(result) + _stage_html(result.stages)

        self._draw(result)
        self.plot.refresh()
        _freeze_layout(self.plot)

    def _draw(self, result: Advice) -> None:
        """Redraw the shading only when the lines move; otherwise move the two dots and
        the arrow in place (a full redraw with layout costs several times as much)."""
        ax = self.ax
        th = result.thresholds
        if getattr(self, "_drawn_for", None) != (th.capability, th.willingness):
            draw_matrix(ax, self.instrument, th)
            ax.set_title(t("coaching.plot.matrix_title"))
            self._arrow = ax.annotate("", xy=(0, 0), xytext=(0, 0), arrowprops={
                "arrowstyle": "->", "color": "#555555", "linestyle": "--", "shrinkB": 7})
            self._dots = {
                "self": ax.plot([], [], "o", markersize=11, markerfacecolor="white",
                                markeredgecolor=PALETTE[1], markeredgewidth=2, zorder=3,
                                label=t("coaching.plot.self_point"))[0],
                "manager": ax.plot([], [], "o", markersize=11, color=PALETTE[0], zorder=3,
                                   label=t("coaching.plot.manager_point"))[0],
            }
            ax.legend(loc="lower right")
            self._drawn_for = (th.capability, th.willingness)
        a = result.assessment
        pts = {}
        for rater, dot in self._dots.items():
            x, y = getattr(a.capability, rater), getattr(a.willingness, rater)
            dot.set_data([x] if x is not None else [], [y] if y is not None else [])
            if x is not None and y is not None:
                pts[rater] = (x, y)
        self._arrow.set_visible(len(pts) == 2)
        if len(pts) == 2:
            self._arrow.xy = pts["manager"]
            self._arrow.set_position(pts["self"])


def _freeze_layout(view: FigureView) -> None:
    """After the first drawing the margins are known and the labels do not change size:
    keep them, and save the constrained-layout pass on every later frame."""
    if view.figure.get_layout_engine() is not None:
        view.figure.set_layout_engine("none")


def _sample_rep_scores(instrument: Instrument) -> tuple[dict, dict]:
    """The first sample rep's first assessment (Lin Qiao, end of Q1)."""
    table = sample_team()
    rows = table[(table["rep"] == sample_name("Lin Qiao")) & (table["date"] == table["date"].min())]
    out = {}
    for _, row in rows.iterrows():
        out[row["rater"]] = {i: float(row[i]) for i in instrument.item_ids
                             if i in row and not pd.isna(row[i])}
    return out.get("self", {}), out.get("manager", {})


# -- the team on the matrix -----------------------------------------------------------

@dataclass(frozen=True)
class TeamResult:
    tracks: dict[str, RepTrack]
    selected: RepTrack


class TeamApp(App):
    TITLE = "coaching.app.team_title"

    def __init__(self, table: pd.DataFrame | None = None, instrument: Instrument | None = None,
                 **values) -> None:
        self.instrument = instrument or sample_instrument()
        self.table = sample_team() if table is None else core.check_assessment_table(
            table, self.instrument)
        self.reps = sorted(self.table["rep"].unique())
        super().__init__(**values)

    def control_specs(self) -> list[Control]:
        return [Control("rep", "choice", "coaching.app.rep", self.reps[0], options=tuple(self.reps)),
                *_threshold_controls(self.instrument)]

    def build_views(self) -> list[w.Widget]:
        self.summary = w.HTML()
        self.summary.add_class("salestrain-summary")
        self.advice_html = w.HTML()
        self.advice_html.add_class("salestrain-plan")
        self.plot = FigureView(5.6, 5.0)
        self.ax = self.plot.figure.add_subplot()
        return [self.summary, w.HBox([self.plot.image, self.advice_html])]

    def compute(self, rep: str, cap_line: float, will_line: float, border: str, view: str) -> TeamResult:
        tracks = core.team_tracks(self.table, self.instrument,
                                  _thresholds(self.instrument, cap_line, will_line, border), view)  # type: ignore[arg-type]
        return TeamResult(tracks, tracks[rep])

    def show(self, result: TeamResult) -> None:
        sel = result.selected
        name = lambda s: t(f"coaching.style.{s}.name")  # noqa: E731
        if len(sel.dates) > 1:
            moved = t("coaching.app.moved", before=name(sel.styles[0]), date_before=sel.dates[0],
                      after=name(sel.styles[-1]), date_after=sel.dates[-1])
        else:
            moved = t("coaching.app.first", date=sel.dates[0])
        p = sel.advice.placement
        self.summary.value = (f"<b>{html.escape(sel.rep)}</b>: " + t(
            "coaching.app.summary", capability=f"{p.capability:.2f}",
            willingness=f"{p.willingness:.2f}", view=t(f"coaching.rater.{sel.advice.view}"),
            style=name(p.style)) + " " + html.escape(moved))
        self.advice_html.value = _plan_html(sel.advice) + _stage_html(sel.advice.stages)
        ax = self.ax
        draw_matrix(ax, self.instrument, sel.advice.thresholds)
        for rep, track in result.tracks.items():
            chosen = rep == sel.rep
            colour = PALETTE[3] if chosen else PALETTE[0]
            for (x0, y0), (x1, y1) in zip(track.positions, track.positions[1:], strict=False):
                ax.annotate("", xy=(x1, y1), xytext=(x0, y0), zorder=2,
                            arrowprops={"arrowstyle": "-|>", "color": colour, "shrinkB": 9,
                                        "linewidth": 2 if chosen else 1, "alpha": 0.8})
            x, y = track.positions[-1]
            ax.scatter([x], [y], s=260 if chosen else 180, color=colour, zorder=3)
            ax.text(x, y, core.initials(rep), ha="center", va="center", color="white",
                    fontsize=8, fontweight="bold", zorder=4)
        ax.set_title(t("coaching.plot.matrix_title"))
        self.plot.refresh()
        _freeze_layout(self.plot)


# -- stage coaching -------------------------------------------------------------------

@dataclass(frozen=True)
class StageResult:
    rep: str
    diagnosis: core.StageDiagnosis
    conversion: pd.DataFrame | None
    benchmark: dict[str, float] | None


class StageApp(App):
    TITLE = "coaching.app.stages_title"

    def __init__(self, funnel: Mapping[str, pd.DataFrame] | None = None,
                 table: pd.DataFrame | None = None, instrument: Instrument | None = None,
                 **values) -> None:
        self.instrument = instrument or sample_instrument()
        self.funnel = dict(sample_funnel() if funnel is None else funnel)
        self.table = sample_team() if table is None else core.check_assessment_table(
            table, self.instrument)
        self.benchmark = core.team_benchmark(self.funnel)
        self.reps = sorted(set(self.funnel) | set(self.table["rep"]))
        super().__init__(**values)

    def control_specs(self) -> list[Control]:
        return [
            Control("rep", "choice", "coaching.app.rep", self.reps[0], options=tuple(self.reps)),
            Control("source", "choice", "coaching.app.source", "funnel",
                    options=(("coaching.app.source_funnel", "funnel"),
                             ("coaching.app.source_assessment", "assessment"))),
            Control("compare", "choice", "coaching.app.compare", "team",
                    options=(("coaching.app.compare_team", "team"),
                             ("coaching.app.compare_absolute", "absolute"))),
        ]

    def build_views(self) -> list[w.Widget]:
        self.advice_html = w.HTML()
        self.advice_html.add_class("salestrain-summary")
        self.plot = FigureView(6.5, 3.4)
        self.ax = self.plot.figure.add_subplot()
        return [self.plot.image, self.advice_html]

    def compute(self, rep: str, source: str, compare: str) -> StageResult:
        if source == "assessment":
            if rep not in set(self.table["rep"]):
                raise DataError(t("coaching.error.no_assessment", rep=rep,
                                  option=t("coaching.app.source_funnel")))
            track = core.team_tracks(self.table, self.instrument)[rep]
            return StageResult(rep, track.advice.stages, None, None)
        if rep not in self.funnel:
            raise DataError(t("coaching.error.no_funnel", rep=rep,
                              option=t("coaching.app.source_assessment")))
        bench = self.benchmark if compare == "team" else None
        conv = core.stage_conversion(self.funnel[rep], rep)
        return StageResult(rep, core.stages_from_funnel(self.funnel[rep], bench, rep), conv, bench)

    def show(self, result: StageResult) -> None:
        self.advice_html.value = f"<b>{html.escape(result.rep)}</b>" + _stage_html(result.diagnosis)
        ax = self.ax
        ax.clear()
        stages = list(result.diagnosis.scores)
        values = [result.diagnosis.scores[s] for s in stages]
        colours = [PALETTE[3] if s == result.diagnosis.weakest else PALETTE[0] for s in stages]
        ax.bar(range(len(stages)), values, color=colours)
        ax.set_xticks(range(len(stages)), [t(f"coaching.stage.{s}.name") for s in stages],
                      rotation=15, fontsize=8)
        if result.diagnosis.source == "assessment":
            ax.set_ylabel(t("coaching.dimension.capability"))
            ax.set_ylim(self.instrument.scale_min, self.instrument.scale_max)
            ax.set_title(t("coaching.plot.stage_title_assessment"))
        elif result.benchmark is not None:
            ax.axhline(1.0, color=PALETTE[5], linestyle="--")
            ax.set_ylabel(t("coaching.plot.stage_y_relative"))
        else:
            ax.set_ylabel(t("coaching.plot.stage_y"))
            ax.set_ylim(0, 1)
        if result.diagnosis.source == "funnel":
            ax.set_title(t("coaching.plot.stage_title"))
        self.plot.refresh()


# -- time matrix ----------------------------------------------------------------------

class TimeMatrixApp(App):
    """One slider of hours per task of the week; shares per quadrant vs a healthy profile."""

    TITLE = "coaching.app.time_title"

    def __init__(self, tasks: pd.DataFrame | None = None, **values) -> None:
        self.tasks = core.classify_tasks(sample_week() if tasks is None else tasks)
        super().__init__(**values)

    def control_specs(self) -> list[Control]:
        specs = []
        for n, row in self.tasks.iterrows():
            hours = float(row["hours"])
            specs.append(Control(f"task{n}", "float", "coaching.app.hours", hours, 0,
                                 max(20.0, hours), 0.5))
        return specs

    def build_views(self) -> list[w.Widget]:
        # Each slider names its task (and its quadrant) so it reads as the week's list.
        # An aligned form: a long task name shows whole and never squeezes its slider.
        for n, row in self.tasks.iterrows():
            self.controls[f"task{n}"].description = f"{row['quadrant']} · " + t(
                "coaching.app.hours", task=row["task"])
        self.controls_box.children = [form(list(self.controls.values()))]
        self.summary = w.HTML()
        self.summary.add_class("salestrain-summary")
        self.plot = FigureView(6.0, 3.4)
        self.ax = self.plot.figure.add_subplot()
        return [self.summary, self.plot.image]

    def side_views(self) -> list[w.Widget]:
        return [self.summary, self.plot.image]

    def compute(self, **hours: float) -> core.TimeProfile:
        week = self.tasks.copy()
        week["hours"] = [hours[f"task{n}"] for n in week.index]
        return core.time_profile(week)

    def show(self, result: core.TimeProfile) -> None:
        shares, healthy = result.shares, result.healthy
        if shares["M2"] >= healthy["M2"]:
            self.summary.value = html.escape(t("coaching.app.time_healthy"))
        else:
            self.summary.value = t(
                "coaching.app.time_summary", m2=f"{shares['M2']:.0%}", total=f"{result.total:g}",
                healthy=f"{healthy['M2']:.0%}", hours=f"{result.hours_to_move_into_m2:.1f}",
                over=t(f"coaching.time.{result.most_over}"))
        ax = self.ax
        ax.clear()
        xs = range(len(core.QUADRANTS))
        ax.bar([x - 0.2 for x in xs], [shares[q] for q in core.QUADRANTS], width=0.4,
               color=PALETTE[0], label=t("coaching.time.actual"))
        ax.bar([x + 0.2 for x in xs], [healthy[q] for q in core.QUADRANTS], width=0.4,
               color=PALETTE[2], alpha=0.6, label=t("coaching.time.healthy"))
        ax.set_xticks(list(xs), [t(f"coaching.time.tick.{q}") for q in core.QUADRANTS], fontsize=8)
        ax.set_ylabel(t("coaching.plot.time_y"))
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        ax.set_title(t("coaching.plot.time_title"))
        ax.legend(loc="upper right")
        self.plot.refresh()


def assess_app(**values) -> AssessApp:
    return AssessApp(**values)


def team_app(**values) -> TeamApp:
    return TeamApp(**values)


def stage_app(**values) -> StageApp:
    return StageApp(**values)


def time_matrix_app(**values) -> TimeMatrixApp:
    return TimeMatrixApp(**values)
