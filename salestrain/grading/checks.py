"""Pre- and post-checks after the class: grade the sheets, read gain and item statistics,
print certificates, and show one new hire to their mentor.

One job per function (as nbgrader's steps): :func:`grade_checks` scores every check sheet
handed in into the gradebook (as ``checks/<module>/<form>``, data only, no kernel);
:func:`check_scores` reads them back; :func:`checks_report` writes the trainer's page
(each learner's and the cohort's normalised gain, item difficulty and discrimination,
items flagged); :func:`certificate` prints one learner's certificate for a module when
the post-check reaches the bank's threshold; :func:`mentor_view` is one page for one new
hire across modules and sittings, from the records that already exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from salestrain.base.errors import DataError
from salestrain.base.formats import format_date, format_percent
from salestrain.base.i18n import Text, t
from salestrain.core.assessment.declared import Declared
from salestrain.core.assessment.item_stats import cohort_gain, gains, item_reports
from salestrain.grading.autograde import SubmissionResult
from salestrain.grading.gradebook import Gradebook
from salestrain.grading.nocode import grade_file
from salestrain.grading.submissions import collect, fingerprint
from salestrain.io.html import render
from salestrain.io.item_bank import FORMS, ItemBank, item_banks, load_item_bank
from salestrain.io.learner import check_id


def exercise_of(module: str, form: str) -> str:
    """The gradebook's name for a check: ``checks/funnel/pre``."""
    return f"checks/{module}/{form}"


def bank_questions(bank: ItemBank, form: str) -> dict[str, Declared]:
    return {q.id: Declared(q.id, True, q.model_dump(), q) for q in bank.form(form)}


def grade_checks(collected: Path, exercises: Path, book: Gradebook) -> list[SubmissionResult]:
    """Score every sheet under ``collected/checks_<module>_<form>/`` against the module's
    bank and record it; refused sheets come back with their reason, unrecorded."""
    results = []
    for module, path in item_banks(exercises).items():
        bank = load_item_bank(path)
        for form in FORMS:
            name = check_id(module, form)
            folder = Path(collected) / name
            if not folder.is_dir():
                continue
            questions = bank_questions(bank, form)
            for sub in collect(folder):
                sub = fingerprint(sub, folder)
                if sub.refused is not None or sub.data is None:
                    result = SubmissionResult(sub.learner, str(sub.path), sub.sha256, [],
                                              stopped=sub.refused, graded=False)
                else:
                    result = grade_file(questions, sub.learner, sub.path, sub.data, name)
                if result.graded:
                    book.record(exercise_of(module, form), result)
                results.append(result)
    return results


@dataclass
class ModuleScores:
    module: str
    title: str
    certify_at: float
    share: dict[str, dict[str, float]] = field(default_factory=dict)  # form -> learner -> share
    items: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)  # form -> learner -> item
    points: dict[str, dict[str, float]] = field(default_factory=dict)  # form -> item -> points
    when: dict[str, dict[str, Any]] = field(default_factory=dict)  # form -> learner -> graded_at


def check_scores(book: Gradebook, exercises: Path) -> list[ModuleScores]:
    """Every module's check results from the gradebook, as shares of the points."""
    found = []
    for module, path in item_banks(exercises).items():
        bank = load_item_bank(path)
        title = t(Text(bank.title)) if isinstance(bank.title, dict) else bank.title
        scores = ModuleScores(module, title, bank.certify_at)
        for form in FORMS:
            scores.share[form], scores.items[form], scores.when[form] = {}, {}, {}
            scores.points[form] = {q.id: q.points for q in bank.form(form)}
            for row in book.rows(exercise_of(module, form)):
                if not row["max_score"]:
                    continue
                learner = row["learner"]
                scores.share[form][learner] = row["score"] / row["max_score"]
                scores.items[form][learner] = {r["question"]: (r["points"] / r["max_points"] if r["max_points"] else 0.0)
                                               for r in row["results"]}
                scores.when[form][learner] = row["graded_at"]
        found.append(scores)
    return found


def _pct(value: float | None) -> str:
    return "–" if value is None else format_percent(value)


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}"


def checks_report(book: Gradebook, exercises: Path) -> str:
    """The trainer's page: per module, the cohort's gain, each learner's pre, post and
    gain, and each item's difficulty and discrimination with the items to fix."""
    sections = []
    for scores in check_scores(book, exercises):
        pre, post = scores.share["pre"], scores.share["post"]
        if not pre and not post:
            continue
        learners = [[g.learner, _pct(g.pre), _pct(g.post), _signed(g.gain),
                     {"text": t("grading.checks.certified"), "class": "passed"}
                     if g.post is not None and g.post >= scores.certify_at else ""]
                    for g in gains(pre, post)]
        items = []
        for form in FORMS:
            for report in item_reports(scores.items[form], scores.points[form]):
                flag = ({"text": t(f"grading.checks.flag_{report.reason}"), "class": "failed"}
                        if report.flagged else "")
                items.append([t(f"grading.checks.form_{form}"), report.item, _pct(report.difficulty),
                              "–" if report.discrimination is None else f"{report.discrimination:.2f}",
                              report.learners, flag])
        sections.append({"title": scores.title, "gain": _signed(cohort_gain(pre, post)),
                         "both": len(set(pre) & set(post)), "learners": learners, "item_rows": items})
    if not sections:
        raise DataError(t("grading.checks.no_results"))
    return render("report/checks.html", title=t("grading.checks.title"), sections=sections)


def certificate(book: Gradebook, exercises: Path, learner: str, module: str) -> str:
    """One learner's certificate for ``module``, in the session's language, when their
    post-check reaches the bank's threshold (a named error otherwise)."""
    scores = next((s for s in check_scores(book, exercises) if s.module == module), None)
    if scores is None:
        raise DataError(t("grading.checks.no_bank", module=module))
    share = scores.share["post"].get(learner)
    if share is None:
        raise DataError(t("grading.checks.no_post", learner=learner, module=scores.title))
    if share < scores.certify_at:
        raise DataError(t("grading.checks.below", learner=learner, share=format_percent(share),
                          needed=format_percent(scores.certify_at)))
    when = scores.when["post"][learner]
    day = when.date() if isinstance(when, dt.datetime) else dt.date.today()
    return render("report/certificate.html", title=t("grading.checks.certificate_title"),
                  learner=learner, module=scores.title, share=format_percent(share),
                  needed=format_percent(scores.certify_at), date=format_date(day))


def no_code_exercises(roots: list[Path]) -> list[Path]:
    """Every no-code exercise (English notebook) under ``roots`` (exercises/, cases/)."""
    from salestrain.grading.nocode import is_no_code
    from salestrain.grading.sources import exercise_files, read_notebook

    found = []
    for root in roots:
        for path in exercise_files(Path(root)) if Path(root).is_dir() else []:
            nb, _ = read_notebook(path)
            if nb is not None and is_no_code(nb):
                found.append(path)
    return found


def grade_own(collected: Path, exercises: Path, roots: list[Path], learner: str,
              book: Gradebook) -> list[SubmissionResult]:
    """Self-study, no trainer: grade one learner's own handed-in sheets (every no-code
    exercise under ``roots`` and every check) into their own gradebook."""
    from salestrain.grading.gradebook import exercise_id
    from salestrain.grading.nocode import declared_questions, exercise_name, scenario_lookup
    from salestrain.grading.sources import read_notebook
    from salestrain.io.answers import safe_id

    results = []
    for path in no_code_exercises(roots):
        nb, _ = read_notebook(path)
        sheet = Path(collected) / safe_id(exercise_name(path, nb)) / f"{safe_id(learner)}.answers.json"
        if nb is None or not sheet.is_file():
            continue
        questions, _ = declared_questions(nb, str(path))
        domains = scenario_lookup() if any(d.data.get("kind") == "offer" for d in questions.values()) else None
        result = grade_file(questions, learner, sheet, sheet.read_bytes(), exercise_name(path, nb), domains)
        if result.graded:
            book.record(exercise_id(path), result)
        results.append(result)
    results += [r for r in grade_checks(collected, exercises, book) if r.learner == learner]
    return results


def mentor_view(book: Gradebook, exercises: Path, learner: str,
                placements: list[Mapping[str, Any]] | None = None, title_key: str = "grading.checks.mentor_title") -> str:
    """One page for a mentor: the new hire's check results and gains per module, every
    graded exercise, and their capability x willingness placements over time."""
    modules = []
    for scores in check_scores(book, exercises):
        pre, post = scores.share["pre"].get(learner), scores.share["post"].get(learner)
        if pre is None and post is None:
            continue
        gain = gains({learner: pre} if pre is not None else {}, {learner: post} if post is not None else {})[0]
        modules.append([scores.title, _pct(pre), _pct(post), _signed(gain.gain),
                        t("grading.checks.certified") if post is not None and post >= scores.certify_at else ""])
    graded = []
    for row in book.rows():
        if row["learner"] == learner and not row["exercise"].startswith("checks/") and row["max_score"]:
            when = row["graded_at"]
            graded.append([row["exercise"], f"{row['score']:g} / {row['max_score']:g}",
                           _pct(row["score"] / row["max_score"]),
                           format_date(when.date()) if isinstance(when, dt.datetime) else ""])
    rows = [[p.get("date", ""), p.get("capability", ""), p.get("willingness", ""), p.get("style", "")]
            for p in placements or []]
    if not modules and not graded and not rows:
        raise DataError(t("grading.checks.nothing_for", learner=learner))
    return render("report/mentor.html", title=t(title_key, learner=learner),
                  modules=modules, graded=graded, placements=rows)


def mastery_page(learner: str, project: Path) -> str:
    """A self-study learner's report: their own sheets graded into their own gradebook
    (``<data folder>/mastery.sqlite``), then modules, gains and exercises on one page."""
    from salestrain.io.answers import collection_folder
    from salestrain.io.store import data_dir

    data_dir().mkdir(parents=True, exist_ok=True)  # a first run on a new laptop
    book = Gradebook.open(str(data_dir() / "mastery.sqlite"))
    try:
        exercises = Path(project) / "exercises"
        grade_own(collection_folder(), exercises, [exercises, Path(project) / "cases"], learner, book)
        try:
            return mentor_view(book, exercises, learner, title_key="grading.checks.mastery_title")
        except DataError:
            # Nothing handed in yet: the page says so, section by section.
            return render("report/mentor.html", title=t("grading.checks.mastery_title", learner=learner),
                          modules=[], graded=[], placements=[])
    finally:
        book.dispose()
