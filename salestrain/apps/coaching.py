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
from matplotlib.ticker import MaxNLocator

from salestrain.apps.base import App, Control, FigureView, Headline, form, html_legend
from salestrain.base import i18n
from salestrain.base.errors import DataError
from salestrain.base.formats import format_number, format_percent
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
from salestrain.plots.style import ALERT_TEXT, PALETTE

# Light fills per quadrant (house colours, faint), so points and initials stay readable on top.
QUADRANT_FILL = {"direct": PALETTE[3], "guide": PALETTE[1], "excite": PALETTE[4], "delegate": PALETTE[2]}
QUADRANT_ALPHA = 0.18


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
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, color=QUADRANT_FILL[style],
                               alpha=QUADRANT_ALPHA, linewidth=0, zorder=0))
        ax.text((x0 + x1) / 2, y1 - 0.08 * (hi - lo) / 2, t(f"coaching.style.{style}.name"),
                ha="center", va="top", color=PALETTE[5], zorder=1)
    ax.axvline(cx, color=PALETTE[5], linewidth=1)
    ax.axhline(cy, color=PALETTE[5], linewidth=1)
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
        # Drawn as narrow as the column beside the two forms (~370 px at 1280x720), so it
        # shows at its own size: a wider figure squeezed in there shrinks its text.
        self.plot = FigureView(3.6, 3.7, caption="coaching.plot.assess_see")
        self.ax = self.plot.figure.add_subplot()
        return [self.summary, self.plot.box, self.gaps, self.advice_html]

    def side_views(self) -> list[w.Widget]:
        return [self.summary, self.plot.box]

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

    def headlines(self, result: Advice) -> list[Headline]:
        # The summary's bold numbers: where the rep sits, and the style that follows.
        return _placement_cards(result)

    def _draw(self, result: Advice) -> None:
        """Redraw the shading only when the lines move; otherwise move the two dots and
        the arrow in place (a full redraw with layout costs several times as much)."""
        ax = self.ax
        th = result.thresholds
        if getattr(self, "_drawn_for", None) != (th.capability, th.willingness):
            draw_matrix(ax, self.instrument, th)
            ax.set_title(t("coaching.plot.matrix_title"))
            self._arrow = ax.annotate("", xy=(0, 0), xytext=(0, 0), arrowprops={
                "arrowstyle": "->", "color": PALETTE[5], "linestyle": "--", "shrinkB": 7})
            self._dots = {
                "self": ax.plot([], [], "o", markersize=11, markerfacecolor="white",
                                markeredgecolor=PALETTE[1], markeredgewidth=2, zorder=3,
                                label=t("coaching.plot.self_point"))[0],
                "manager": ax.plot([], [], "o", markersize=11, color=PALETTE[0], zorder=3,
                                   label=t("coaching.plot.manager_point"))[0],
            }
            # Under the matrix, not in it: any corner of it is a quadrant a rep may sit in.
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2,
                      handletextpad=0.2, columnspacing=1.0)
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


def _placement_cards(advice: Advice) -> list[Headline]:
    p = advice.placement
    return [Headline(t("coaching.card.capability"), format_number(p.capability, decimals=2)),
            Headline(t("coaching.card.willingness"), format_number(p.willingness, decimals=2)),
            Headline(t("coaching.card.style"), t(advice.plan.name))]


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
        self.plot = FigureView(5.4, 4.3, caption="coaching.plot.team_see")
        self.ax = self.plot.figure.add_subplot()
        self.legend = w.HTML()
        return [self.summary, self.legend, self.plot.box, self.advice_html]

    def side_views(self) -> list[w.Widget]:
        # Beside the controls: the matrix shows on the first screen, the plan under it.
        return [self.summary, self.legend, self.plot.box]

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
            ax.scatter([x], [y], s=160 if chosen else 110, color=colour, zorder=3)
            # Initials beside the dot, not inside it (at 13 pt they no longer fit in one),
            # on the side the last move did not come from, so its arrow does not cross them.
            down = len(track.positions) > 1 and track.positions[-2][1] > y
            ax.annotate(core.initials(rep), (x, y), xytext=(0, -8 if down else 8),
                        textcoords="offset points", ha="center", va="top" if down else "bottom",
                        color=ALERT_TEXT if chosen else "black",
                        fontweight="bold" if chosen else "normal", zorder=4,
                        bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none",
                              "alpha": 0.7})
        ax.set_title(t("coaching.plot.matrix_title"))
        self.legend.value = html_legend([
            (PALETTE[3], "dot", t("coaching.plot.team_selected", rep=sel.rep)),
            (PALETTE[0], "dot", t("coaching.plot.team_others"))])
        self.plot.refresh()
        _freeze_layout(self.plot)

    def headlines(self, result: TeamResult) -> list[Headline]:
        # The chosen rep's numbers are in the summary beside the matrix; the cards count
        # the whole team per quadrant, which moves with the lines and the rater view.
        styles = [track.advice.style for track in result.tracks.values()]
        return [Headline(t("coaching.card.team_count", style=t(f"coaching.style.{s}.name")),
                         format_number(styles.count(s)))
                for s in ("direct", "guide", "excite", "delegate")]


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
        self.plot = FigureView(6.5, 3.4, caption="coaching.plot.stage_see")
        self.ax = self.plot.figure.add_subplot()
        self.legend = w.HTML()
        return [self.legend, self.plot.box, self.advice_html]

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
        # Bars lie down: the stage names read level at 13 pt, first stage on top.
        ax.barh(range(len(stages)), values, color=colours)
        ax.set_yticks(range(len(stages)), [t(f"coaching.stage.{s}.name") for s in stages])
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 5, 10]))
        key = [(PALETTE[3], "square", t("coaching.plot.stage_weakest")),
               (PALETTE[0], "square", t("coaching.plot.stage_others"))]
        if result.diagnosis.source == "assessment":
            ax.set_xlabel(t("coaching.dimension.capability"))
            ax.set_xlim(self.instrument.scale_min, self.instrument.scale_max)
            ax.set_title(t("coaching.plot.stage_title_assessment"))
        elif result.benchmark is not None:
            ax.axvline(1.0, color=PALETTE[5], linestyle="--", linewidth=2)
            ax.set_xlabel(t("coaching.plot.stage_y_relative"))
            key.append((PALETTE[5], "dashed", t("coaching.plot.stage_team")))
        else:
            ax.set_xlabel(t("coaching.plot.stage_y"))
            ax.set_xlim(0, 1)
        self.legend.value = html_legend(key)
        if result.diagnosis.source == "funnel":
            ax.set_title(t("coaching.plot.stage_title"))
        self.plot.refresh()

    def headlines(self, result: StageResult) -> list[Headline]:
        # The stage to coach first, and the rate that makes it the weakest.
        weakest = result.diagnosis.weakest
        cards = [Headline(t("coaching.card.weakest"), t(f"coaching.stage.{weakest}.name"))]
        if result.conversion is None:
            score = result.diagnosis.scores[weakest]
            return [*cards, Headline(t("coaching.card.stage_score"), format_number(score, decimals=2))]
        # The team's rate goes in the label: a third card would not fit beside the
        # controls with a long stage name, and would push the figure down.
        row = result.conversion.loc[weakest]
        counts = {"advanced": int(row["advanced"]), "entered": int(row["entered"])}
        label = (t("coaching.card.conversion", **counts) if result.benchmark is None else
                 t("coaching.card.conversion_team", **counts,
                   team=format_percent(result.benchmark[weakest])))
        return [*cards, Headline(label, format_percent(row["conversion"]))]


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
        # ~520 px: the column beside the week's task list at 1280x720.
        self.plot = FigureView(5.1, 3.8, caption="coaching.plot.time_see")
        self.ax = self.plot.figure.add_subplot()
        return [self.summary, self.plot.box]

    def side_views(self) -> list[w.Widget]:
        return [self.summary, self.plot.box]

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
        ax.set_xticks(list(xs), [t(f"coaching.time.tick.{q}") for q in core.QUADRANTS])
        # No y label: the title says what the % is, and the ~25 px it frees keep the
        # three-line quadrant names apart at 13 pt in a ~520 px column.
        # headroom over the tallest bar, so the legend in the upper right never covers one
        ax.set_ylim(0, 1.4 * max(max(shares[q], healthy[q]) for q in core.QUADRANTS))
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        ax.set_title(t("coaching.plot.time_title"))
        ax.legend(loc="upper right")
        self.plot.refresh()

    def headlines(self, result: core.TimeProfile) -> list[Headline]:
        m2, healthy = result.shares["M2"], result.healthy["M2"]
        hours = format_number(result.hours_to_move_into_m2, decimals=1)
        return [
            # Good or bad news at once: the important, not urgent work is what coaching grows.
            Headline(t("coaching.card.m2", healthy=format_percent(healthy)), format_percent(m2),
                     "good" if m2 >= healthy else "bad"),
            Headline(t("coaching.card.to_move"), t("coaching.card.hours_value", hours=hours)),
            Headline(t("coaching.card.most_over"), result.most_over),
        ]


def assess_app(**values) -> AssessApp:
    return AssessApp(**values)


def team_app(**values) -> TeamApp:
    return TeamApp(**values)


def stage_app(**values) -> StageApp:
    return StageApp(**values)


def time_matrix_app(**values) -> TimeMatrixApp:
    return TimeMatrixApp(**values)
