"""``salestrain validate`` for exercise notebooks: markup, catalog keys, and solutions
that pass all their own tests when the notebook is executed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from salestrain.base.errors import Problem
from salestrain.base.i18n import t
from salestrain.grading.format import Exercise, parse_exercise

EXECUTE_TIMEOUT = 120  # seconds per cell; a trainer's solution should be quick


def read_notebook(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), None, "(file)", t("grading.error.markup.cannot_read", error=exc))]
    except json.JSONDecodeError as exc:
        return None, [Problem(str(path), exc.lineno, "(json)", t("grading.error.markup.not_json", error=exc.msg))]
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, [Problem(str(path), None, "(json)", t("grading.error.markup.no_cells"))]
    return nb, []


def markup_problems(nb: dict[str, Any], name: str) -> tuple[Exercise, list[Problem]]:
    from salestrain.base import i18n

    exercise, problems = parse_exercise(nb, name)
    english = i18n.catalog("en")
    for question in exercise.questions.values():
        for test in question.tests:
            if test.feedback not in english:
                cell = next((c for c in question.cells), 0)
                problems.append(Problem(
                    f"{name}:cell {cell + 1}", None, f"{question.qid}.feedback",
                    t("grading.error.markup.unknown_feedback", key=test.feedback,
                      stem=test.feedback.split(".")[0])))
            else:
                text = english[test.feedback]
                extra = i18n.placeholders(text) - {"got"}
                if extra:
                    problems.append(Problem(
                        f"{name}:cell {question.cells[0] + 1}", None, f"{question.qid}.feedback",
                        t("grading.error.markup.feedback_placeholders", key=test.feedback,
                          names=sorted(extra))))
    if not exercise.questions:
        problems.append(Problem(name, None, "(questions)", t("grading.error.markup.no_questions")))
    if not any("from salestrain.grading import check" in "".join(c.get("source", ""))
               for c in nb["cells"] if c.get("cell_type") == "code"):
        problems.append(Problem(name, None, "(imports)", t("grading.error.markup.no_import")))
    return exercise, problems


def validate_exercise(path: Path) -> list[Problem]:
    """Every problem with one exercise source; [] when it is ready to release."""
    nb, problems = read_notebook(path)
    if nb is None:
        return problems
    exercise, problems = markup_problems(nb, str(path))
    if problems:
        return problems  # executing broken markup would only repeat the same problems
    from salestrain.grading.autograde import grade_source

    return grade_source(path, exercise)
