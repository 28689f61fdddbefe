"""Reaction surveys after the class: record the sheets handed in, then summarise them.

The same steps as the checks (salestrain/grading/checks.py): learners press Submit on the
survey page, the sheet lands in ``<collected>/survey_<module>/<learner>.answers.json``;
:func:`record_surveys` checks every sheet (size, shape, learner, each answer against its
item) and keeps the accepted ones in the survey store; :func:`survey_report` writes the
trainer's page: per module the responses, each scale's mean and distribution, the net
promoter score, the pace split and the free-text answers (escaped by the template).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from salestrain.base.errors import DataError
from salestrain.base.formats import format_number, format_percent
from salestrain.base.i18n import Text, get_language, t
from salestrain.core.assessment.survey import ItemSummary, Refusal, Survey, check_sheet, summarise
from salestrain.grading.nocode import read_answers
from salestrain.grading.submissions import collect, fingerprint
from salestrain.io.html import render
from salestrain.io.item_bank import item_banks, load_item_bank
from salestrain.io.survey import MODULE_PATTERN, SurveyStore, survey_id

_FOLDER = re.compile(r"^survey_([a-z][a-z0-9_]*)$")


@dataclass(frozen=True)
class SurveyResult:
    """One sheet: recorded, or the reasons it was not (in the user's language)."""

    module: str
    learner: str
    path: str
    recorded: bool
    reasons: tuple[str, ...] = ()


def refusal_text(refusal: Refusal) -> str:
    return t(f"survey.refused.{refusal.reason}", **refusal.values)


def record_surveys(collected: Path, survey: Survey, book: SurveyStore) -> list[SurveyResult]:
    """Check every sheet under ``collected/survey_<module>/`` and keep the accepted ones.
    A refused sheet never stops the others."""
    results = []
    for folder in sorted(Path(collected).iterdir()) if Path(collected).is_dir() else []:
        found = _FOLDER.match(folder.name)
        if found is None or not folder.is_dir() or not re.match(MODULE_PATTERN, found.group(1)):
            continue
        module = found.group(1)
        for sub in collect(folder):
            sub = fingerprint(sub, folder)
            if sub.refused is not None or sub.data is None:
                results.append(SurveyResult(module, sub.learner, str(sub.path), False, (sub.refused or "",)))
                continue
            answers, reason = read_answers(sub.data, sub.learner, survey_id(module))
            if answers is None:
                results.append(SurveyResult(module, sub.learner, str(sub.path), False, (reason or "",)))
                continue
            kept, refusals = check_sheet(survey, answers)
            if refusals:
                results.append(SurveyResult(module, sub.learner, str(sub.path), False,
                                            tuple(refusal_text(r) for r in refusals[:5])))
                continue
            book.record(module, sub.learner, kept)
            results.append(SurveyResult(module, sub.learner, str(sub.path), True))
    return results


def module_titles(exercises: Path | None) -> dict[str, str]:
    """Each module's name as its item bank gives it, in the current language."""
    titles = {}
    for module, path in item_banks(exercises).items() if exercises is not None else []:
        bank = load_item_bank(path)
        titles[module] = t(Text(bank.title)) if isinstance(bank.title, dict) else bank.title
    return titles


def _in(text: Any) -> str:
    return str(text.get(get_language()) or text.get("en", "")) if isinstance(text, dict) else str(text)


def _mean(value: float | None) -> str:
    return "–" if value is None else format_number(value, decimals=1)


def _count_share(count: int, total: int) -> str:
    share = format_percent(count / total) if total else "–"
    return t("survey.report.count_share", count=format_number(count, decimals=0), share=share)


def _item_rows(item: ItemSummary) -> dict[str, Any]:
    """What the template shows for one item: its prompt, the headline and the distribution."""
    q = item.item
    row: dict[str, Any] = {"id": q.id, "type": q.type, "prompt": _in(q.prompt),
                           "answered": format_number(item.answered, decimals=0), "headline": "", "groups": []}
    if q.type == "text":
        row["texts"] = list(item.texts)
        return row
    if q.type == "choice":
        row["bars"] = [{"label": _in(q.option_text.get(k, {})) or k, "count": c,
                        "text": _count_share(c, item.answered),
                        "width": round(100 * c / item.answered) if item.answered else 0}
                       for k, c in item.counts.items()]
        return row
    if q.type == "nps":
        row["headline"] = t("survey.report.nps", score="–" if item.nps is None
                            else format_number(item.nps, decimals=0), mean=_mean(item.mean))
        # the three groups NPS counts, as bars; every score 0-10 in one compact row below
        row["bars"] = [{"label": t(f"survey.report.{name}"), "count": count,
                        "text": _count_share(count, item.answered),
                        "width": round(100 * count / item.answered) if item.answered else 0}
                       for name, count in (("promoters", item.promoters), ("passives", item.passives),
                                           ("detractors", item.detractors))]
        row["groups"] = [[str(k), format_number(c, decimals=0)] for k, c in item.counts.items()]
        return row
    row["headline"] = t("survey.report.mean", mean=_mean(item.mean), low=q.low, high=q.high)
    most = max(item.counts.values(), default=0)
    row["bars"] = [{"label": str(k), "count": c, "text": format_number(c, decimals=0),
                    "width": round(100 * c / most) if most else 0} for k, c in item.counts.items()]
    return row


def survey_sections(book: SurveyStore, survey: Survey, exercises: Path | None = None) -> list[dict[str, Any]]:
    """One section per module with answers: what :func:`survey_report` (and the checks
    page) show."""
    titles = module_titles(exercises)
    sections = []
    for module, sheets in sorted(book.sheets().items()):
        summary = summarise(survey, list(sheets.values()))
        sections.append({"module": module, "title": titles.get(module, module),
                         "responses": t("survey.report.responses", count=summary.responses),
                         "items": [_item_rows(i) for i in summary.items]})
    return sections


def survey_report(book: SurveyStore, survey: Survey, exercises: Path | None = None) -> str:
    """The trainer's page of every module's survey answers."""
    sections = survey_sections(book, survey, exercises)
    if not sections:
        raise DataError(t("survey.report.no_answers"))
    return render("report/survey.html", title=t("survey.report.title"), sections=sections)
