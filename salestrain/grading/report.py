"""HTML reports: the cohort (from the gradebook) and one learner's mastery.

Self-contained files: plots are PNGs embedded as data URIs (salestrain.plots.style), so a
report can be mailed or opened offline. Every text comes from the catalog.
"""

from __future__ import annotations

import base64
import html
import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from matplotlib.ticker import MaxNLocator

from salestrain.base.i18n import get_language, t
from salestrain.grading.outcome import ERROR, FAILED, PASSED, status_label
from salestrain.plots import style as plots

MASTERY = 0.8  # share of a question's points that counts as mastered

STYLE = """
body{font-family:"DejaVu Sans","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:2em;
max-width:70em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;
text-align:left}th{background:#f0f4f8}td.num{text-align:right}.passed{color:#3c9d5d}
.failed,.error{color:#b8403a}.stopped{color:#e07b39}img{max-width:100%}
"""


def _png(fig: Any) -> str:
    data = base64.b64encode(plots.to_png(fig)).decode("ascii")
    return f'<img class="salestrain-figure" alt="" src="data:image/png;base64,{data}">'


def _e(value: Any) -> str:
    return html.escape(str(value))


def _num(value: float) -> str:
    return f"{value:g}"


def _page(title: str, body: list[str]) -> str:
    lang = "zh-CN" if get_language() == "zh_CN" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>"
            f"<h1>{_e(title)}</h1>\n" + "\n".join(body) + "\n</body></html>\n")


def _table(headers: Iterable[str], rows: Iterable[Iterable[Any]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            if isinstance(value, tuple):  # (text, css class)
                cells.append(f'<td class="{value[1]}">{_e(value[0])}</td>')
            else:
                cls = ' class="num"' if i in numeric else ""
                cells.append(f"<td{cls}>{_e(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def feedback_label(result: dict[str, Any]) -> str:
    """One label per kind of feedback, whatever answer triggered it."""
    if result["status"] == FAILED and result.get("feedback_key"):
        try:
            return t(result["feedback_key"], got="…")
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
    return _page(t("grading.report.title", exercise=exercise), cohort_body(rows))


def cohort_report(groups: dict[str, list[dict[str, Any]]]) -> str:
    """One page for one exercise, or one section per exercise."""
    if len(groups) == 1:
        [(exercise, rows)] = groups.items()
        return cohort_html(rows, exercise)
    body: list[str] = []
    for exercise, rows in groups.items():
        body.append(f"<h2>{_e(exercise)}</h2>")
        body.extend(part.replace("<h2>", "<h3>").replace("</h2>", "</h3>") for part in cohort_body(rows))
    return _page(t("grading.report.title", exercise=", ".join(groups)), body)


def cohort_body(rows: list[dict[str, Any]]) -> list[str]:
    body: list[str] = []
    scores = [row["score"] for row in rows]
    max_score = max((row["max_score"] for row in rows), default=0.0)
    mean = sum(scores) / len(scores) if scores else 0.0
    body.append(f"<p>{_e(t('grading.report.learners'))}: {len(rows)} &nbsp; "
                f"{_e(t('grading.report.mean'))}: {mean:.1f} / {_num(max_score)}</p>")
    if rows:
        body.append(f"<h2>{_e(t('grading.report.distribution'))}</h2>")
        body.append(_png(_distribution_figure(scores, max_score)))
        shares = question_shares(rows)
        body.append(f"<h2>{_e(t('grading.report.difficulty'))}</h2>")
        body.append(_png(_difficulty_figure(shares)))
        body.append(_table([t("grading.report.question"), t("grading.report.earned")],
                           [(q, f"{s:.0%}") for q, s in shares.items()], {1}))
        body.append(f"<h2>{_e(t('grading.report.feedback'))}</h2>")
        body.append(_table([t("grading.report.count"), t("grading.report.message")],
                           [(n, label) for label, n in frequent_feedback(rows)], {0}))
    body.append(f"<h2>{_e(t('grading.report.per_learner'))}</h2>")
    questions = question_order(rows)
    table_rows = []
    for row in sorted(rows, key=lambda r: (-r["score"], r["learner"])):
        per_q: dict[str, list[float]] = {q: [0.0, 0.0] for q in questions}
        for r in row["results"]:
            per_q[r["question"]][0] += r["points"]
            per_q[r["question"]][1] += r["max_points"]
        graded_at = row["graded_at"]
        when = graded_at.strftime("%Y-%m-%d %H:%M") if isinstance(graded_at, datetime) else str(graded_at)
        stopped = (row["stopped"], "stopped") if row.get("stopped") else ""
        table_rows.append([row["learner"], f"{_num(row['score'])} / {_num(row['max_score'])}",
                           *(f"{_num(a)} / {_num(b)}" for a, b in per_q.values()), stopped, when])
    body.append(_table([t("grading.report.learner"), t("grading.report.score"), *questions, t("grading.report.stopped"),
                        t("grading.report.graded_at")], table_rows, set(range(1, 2 + len(questions)))))
    return body


def mastery_html(result: Any, exercise: str) -> str:
    """One learner's report from their graded notebook (a SubmissionResult)."""
    body = [f"<p>{_e(t('grading.report.score'))}: {_num(result.score)} / {_num(result.max_score)}</p>"]
    scores = result.question_scores()
    shares = {q: (got / most if most else 0.0) for q, (got, most) in scores.items()}
    body.append(_png(_difficulty_figure(shares)))
    body.append(_table(
        [t("grading.report.question"), t("grading.report.score"), ""],
        [(q, f"{_num(got)} / {_num(most)}",
          (t("grading.report.mastered"), "passed") if most and got / most >= MASTERY
          else (t("grading.report.practise"), "failed"))
         for q, (got, most) in scores.items()], {1}))
    body.append(_table(
        [t("grading.report.question"), t("grading.report.test"), t("grading.report.result")],
        [(o.question, o.name, (o.reason, re.sub(r"[^a-z]", "", o.status) or "error"))
         for o in result.outcomes]))
    if any(o.hidden for o in result.outcomes):
        body.append(f"<p>{_e(t('grading.report.hidden_note'))}</p>")
    if result.stopped:
        body.append(f'<p class="stopped">{_e(result.stopped)}</p>')
    return _page(t("grading.report.mastery_title", exercise=exercise), body)
