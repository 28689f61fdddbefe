"""No-code exercises: questions declared as data, answers submitted as data, graded
without a kernel.

One job per function, as in the rest of grading: :func:`declared_questions` reads an
exercise's ``%%question`` cells (the validator and the grader use it);
:func:`read_answers` checks a learner's submitted file as untrusted data;
:func:`grade_answers` scores it with the same rules as the page's Check
(:func:`salestrain.core.assessment.kinds.score`) into the gradebook's result type.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from salestrain.base.errors import GradingError, Problem
from salestrain.base.i18n import t
from salestrain.core.assessment.declared import Declared, is_question_source, parse_cell
from salestrain.core.assessment.kinds import DomainLookup, score, text_in
from salestrain.grading.autograde import SubmissionResult
from salestrain.grading.format import cell_source
from salestrain.grading.outcome import TestOutcome
from salestrain.grading.sources import declares_questions
from salestrain.grading.submissions import ANSWERS_SUFFIX, Submission

MAX_ANSWERS_BYTES = 1_000_000  # a sheet of answers; a 10 MB file is not one
SUBMISSION_FORMAT = 1


def is_no_code(nb: Mapping[str, Any]) -> bool:
    """An exercise whose questions are declared as data (it has ``%%question`` cells)."""
    return declares_questions(dict(nb))


def declared_questions(nb: Mapping[str, Any], name: str = "notebook") -> tuple[dict[str, Declared], list[Problem]]:
    """Every declared question of an exercise (the trainer's, with keys), and every problem."""
    found: dict[str, Declared] = {}
    problems: list[Problem] = []
    for index, cell in enumerate(nb.get("cells", [])):
        source = cell_source(cell)
        if not is_question_source(source):
            continue
        where = f"{name}:cell {index + 1}"
        if cell.get("cell_type") != "code":
            problems.append(Problem(where, 1, "cell_type", t("grading.error.markup.not_code_cell")))
            continue
        declared, issues = parse_cell(source)
        problems.extend(Problem(where, i.line, i.field, i.message) for i in issues)
        if declared is None:
            continue
        if declared.qid in found:
            problems.append(Problem(where, 1, declared.qid, t("grading.nocode.duplicate", qid=declared.qid)))
            continue
        found[declared.qid] = declared
    return found, problems


def read_answers(data: bytes, learner: str, exercise: str) -> tuple[dict[str, Any] | None, str | None]:
    """``(answers, None)`` from a submitted file, or ``(None, reason)``: the file is
    untrusted, so its size, shape, exercise and learner are checked before any scoring."""
    if len(data) > MAX_ANSWERS_BYTES:
        return None, t("grading.nocode.too_big", size=len(data), limit=MAX_ANSWERS_BYTES)
    try:
        payload = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, t("grading.nocode.not_json")
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        return None, t("grading.nocode.no_answers")
    # The learner is who the collection says (the file's name or folder), never what the
    # file claims: a sheet naming someone else is refused, not filed under their name.
    if payload.get("learner") not in (None, learner):
        return None, t("grading.nocode.other_learner", claimed=str(payload.get("learner"))[:80],
                       learner=learner)
    if payload.get("exercise") not in (None, exercise):
        return None, t("grading.nocode.other_exercise", claimed=str(payload.get("exercise"))[:80],
                       exercise=exercise)
    return payload["answers"], None


def _status(points: float, most: float) -> str:
    if points >= most:
        return "passed"
    return "failed"


def grade_answers(questions: Mapping[str, Declared], answers: Mapping[str, Any],
                  domains: DomainLookup | None = None) -> list[TestOutcome]:
    """One outcome per declared question, each with its evidence as the reason."""
    outcomes = []
    for qid, declared in questions.items():
        q = declared.question
        if qid not in answers or answers[qid] in (None, "", [], {}):
            outcomes.append(TestOutcome(qid, text_in(q.prompt), declared.hidden, "failed", 0.0, q.points,
                                        t("grading.nocode.unanswered")))
            continue
        result = score(q, answers[qid], domains)
        reason = " ".join([e.text() for e in result.evidence] + list(result.feedback))
        outcomes.append(TestOutcome(qid, text_in(q.prompt), declared.hidden,
                                    _status(result.points, result.max_points),
                                    round(result.points, 4), result.max_points, reason))
    return outcomes


def grade_file(questions: Mapping[str, Declared], learner: str, path: Path, data: bytes, exercise: str,
               domains: DomainLookup | None = None) -> SubmissionResult:
    """A submitted answers file as a graded submission (or a refused one, with its reason)."""
    sha = hashlib.sha256(data).hexdigest()
    answers, reason = read_answers(data, learner, exercise)
    if answers is None:
        return SubmissionResult(learner, str(path), sha, [], stopped=reason, graded=False)
    return SubmissionResult(learner, str(path), sha, grade_answers(questions, answers, domains))


_SHEET_CALL = re.compile(r"""answer_sheet\(\s*["']([^"']+)["']""")


def exercise_name(path: Path, nb: Mapping[str, Any] | None = None) -> str:
    """The id a no-code exercise's answers carry: the one its page names in
    ``answer_sheet("...")``, else its file name without the language."""
    for cell in (nb or {}).get("cells", []):
        found = _SHEET_CALL.search(cell_source(cell)) if cell.get("cell_type") == "code" else None
        if found:
            return found.group(1)
    stem = Path(path).stem
    return stem.rsplit(".", 1)[0] if stem.endswith(".zh_CN") else stem


def scenario_lookup() -> Callable[[str], Any]:
    """Offer questions score against a shipped negotiation scenario's domain."""
    from salestrain.io.negotiation import load_scenario

    return lambda name: load_scenario(name).domain


def grade_submissions(exercise_path: Path, submissions: list[Submission],
                      on_result: Callable[[SubmissionResult], None] | None = None) -> list[SubmissionResult]:
    """Grade answer sheets against a no-code exercise: data only, no kernel, no sandbox
    needed (nothing of the learner's runs)."""
    from salestrain.grading.sources import read_notebook

    nb, problems = read_notebook(exercise_path)
    questions, found = declared_questions(nb or {}, str(exercise_path))
    if nb is None or found:
        raise GradingError(t("grading.error.exercise_markup", path=exercise_path), problems + found)
    name = exercise_name(exercise_path, nb)
    domains = scenario_lookup() if any(d.data.get("kind") == "offer" for d in questions.values()) else None
    results = []
    for sub in submissions:
        if sub.refused is not None or sub.data is None:
            result = SubmissionResult(sub.learner, str(sub.path), sub.sha256, [],
                                      stopped=sub.refused or t("grading.nocode.not_json"), graded=False)
        elif not sub.path.name.endswith(ANSWERS_SUFFIX):
            result = SubmissionResult(sub.learner, str(sub.path), sub.sha256, [],
                                      stopped=t("grading.nocode.not_a_sheet", name=sub.path.name), graded=False)
        else:
            result = grade_file(questions, sub.learner, sub.path, sub.data, name, domains)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
