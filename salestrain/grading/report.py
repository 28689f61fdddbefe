"""HTML reports: the cohort (from the gradebook) and one learner's mastery.

Self-contained files: plots are PNGs embedded as data URIs (salestrain.plots.style), so a
report can be mailed or opened offline. Every text comes from the catalog. The HTML is
the Jinja2 templates salestrain/templates/report/*.html (autoescaped, see
salestrain.io.html); this module only prepares the numbers, words and figures.
"""

from __future__ import annotations

import base64
import re
from collections import Counter
from datetime import datetime
from typing import Any

from matplotlib.ticker import MaxNLocator

from salestrain.base.i18n import t
from salestrain.grading.outcome import ERROR, FAILED, PASSED, status_label
from salestrain.io.html import render
from salestrain.plots import style as plots

MASTERY = 0.8  # share of a question's points that counts as mastered


def _png(fig: Any) -> str:
    """A figure as a data URI, so the report is one self-contained file."""
    return "data:image/png;base64," + base64.b64encode(plots.to_png(fig)).decode("ascii")


def _num(value: float) -> str:
    return f"{value:g}"


def _cell(text: Any, css: str) -> dict[str, Any]:
    """A table cell with a CSS class (macros.html renders it escaped)."""
    return {"text": text, "class": css}


_MARK = "\x00"  # stands for the learner's answer while a label is made


def _without_answer(text: str) -> str:
    """A feedback text without the sentence that quotes the learner's answer ("You gave
    12."): a label stands for every answer that triggered it. When the answer sits in the
    first sentence, it becomes an ellipsis."""
    if _MARK not in text:
        return text
    head = text[: text.index(_MARK)]
    ends = [head.rfind(mark) + len(mark) for mark in (". ", "。", "! ", "！", "? ", "？")
            if head.rfind(mark) >= 0]
    return head[: max(ends)].rstrip() if ends else text.replace(_MARK, "…")


def feedback_label(result: dict[str, Any]) -> str:
    """One label per kind of feedback, whatever answer triggered it."""
    if result["status"] == FAILED and result.get("feedback_key"):
        try:
            return _without_answer(t(result["feedback_key"], got=_MARK))
        except (KeyError, IndexError, ValueError):
            return result["feedback_key"]
    # The gradebook keeps status codes and exception names; the label is worded now.
    if result["status"] == ERROR:
        return t("grading.status.with_message", status=status_label(ERROR), message=result["message"])
    return status_label(result["status"])


def question_order(rows: list[dict[str, Any]]) -> list[str]:
    order: list[str] = []
    for row in rows:
        for r in row["results"]:
            if r["question"] not in order:
                order.append(r["question"])
    return order


def question_shares(rows: list[dict[str, Any]]) -> dict[str, float]:
    earned: Counter[str] = Counter()
    possible: Counter[str] = Counter()
    for row in rows:
        for r in row["results"]:
            earned[r["question"]] += r["points"]
            possible[r["question"]] += r["max_points"]
    return {q: (earned[q] / possible[q] if possible[q] else 0.0) for q in question_order(rows)}


def frequent_feedback(rows: list[dict[str, Any]], top: int = 10) -> list[tuple[str, int]]:
    counts = Counter(feedback_label(r) for row in rows for r in row["results"] if r["status"] != PASSED)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


def _distribution_figure(scores: list[float], max_score: float) -> Any:
    fig = plots.new_figure(6.5, 3.0)
    ax = fig.add_subplot()
    bins = max(1, min(20, int(max_score) or 1))
    ax.hist(scores, bins=bins, range=(0, max_score or 1), color=plots.PALETTE[0], edgecolor="white")
    ax.set_xlabel(t("grading.report.x_score"))
    ax.set_ylabel(t("grading.report.y_learners"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(t("grading.report.distribution"))
    return fig


def _difficulty_figure(shares: dict[str, float]) -> Any:
    fig = plots.new_figure(6.5, 0.5 + 0.45 * max(1, len(shares)))
    ax = fig.add_subplot()
    names = list(shares)[::-1]
    ax.barh(names, [shares[n] for n in names], color=plots.PALETTE[1])
    ax.set_xlim(0, 1)
    ax.set_xlabel(t("grading.report.x_share"))
    ax.set_title(t("grading.report.difficulty"))
    return fig


def cohort_html(rows: list[dict[str, Any]], exercise: str) -> str:
    """The cohort report for one exercise's rows from the gradebook."""
    return cohort_report({exercise: rows})


def cohort_report(groups: dict[str, list[dict[str, Any]]]) -> str:
    """One page for one exercise, or one section per exercise."""
    several = len(groups) > 1
    sections = [cohort_section(rows, exercise if several else None)
                for exercise, rows in groups.items()]
    return render("report/cohort.html", sections=sections,
                  title=t("grading.report.title", exercise=", ".join(groups)))


def cohort_section(rows: list[dict[str, Any]], heading: str | None = None) -> dict[str, Any]:
    """What report/cohort.html shows for one exercise: numbers worded, figures drawn."""
    scores = [row["score"] for row in rows]
    max_score = max((row["max_score"] for row in rows), default=0.0)
    mean = sum(scores) / len(scores) if scores else 0.0
    section: dict[str, Any] = {"heading": heading, "learners": len(rows), "mean": f"{mean:.1f}",
                               "max_score": _num(max_score)}
    if rows:
        shares = question_shares(rows)
        section.update(
            distribution=_png(_distribution_figure(scores, max_score)),
            difficulty=_png(_difficulty_figure(shares)),
            shares=[(q, f"{s:.0%}") for q, s in shares.items()],
            feedback=[(n, label) for label, n in frequent_feedback(rows)])
    questions = question_order(rows)
    table_rows = []
    for row in sorted(rows, key=lambda r: (-r["score"], r["learner"])):
        per_q: dict[str, list[float]] = {q: [0.0, 0.0] for q in questions}
        for r in row["results"]:
            per_q[r["question"]][0] += r["points"]
            per_q[r["question"]][1] += r["max_points"]
        graded_at = row["graded_at"]
        when = graded_at.strftime("%Y-%m-%d %H:%M") if isinstance(graded_at, datetime) else str(graded_at)
        stopped = _cell(row["stopped"], "stopped") if row.get("stopped") else ""
        table_rows.append([row["learner"], f"{_num(row['score'])} / {_num(row['max_score'])}",
                           *(f"{_num(a)} / {_num(b)}" for a, b in per_q.values()), stopped, when])
    section.update(questions=questions, learner_rows=table_rows, learner_headers=[
        t("grading.report.learner"), t("grading.report.score"), *questions,
        t("grading.report.stopped"), t("grading.report.graded_at")])
    return section


def mastery_html(result: Any, exercise: str) -> str:
    """One learner's report from their graded notebook (a SubmissionResult)."""
    scores = result.question_scores()
    shares = {q: (got / most if most else 0.0) for q, (got, most) in scores.items()}
    questions = [(q, f"{_num(got)} / {_num(most)}",
                  _cell(t("grading.report.mastered"), "passed") if most and got / most >= MASTERY
                  else _cell(t("grading.report.practise"), "failed"))
                 for q, (got, most) in scores.items()]
    tests = [(o.question, o.name, _cell(o.reason, re.sub(r"[^a-z]", "", o.status) or "error"))
             for o in result.outcomes]
    return render("report/mastery.html", title=t("grading.report.mastery_title", exercise=exercise),
                  score=_num(result.score), max_score=_num(result.max_score),
                  difficulty=_png(_difficulty_figure(shares)), questions=questions, tests=tests,
                  hidden=any(o.hidden for o in result.outcomes), stopped=result.stopped or "")
