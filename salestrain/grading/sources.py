"""Exercise sources on disk: reading a notebook, checking its markup, its side files.

One job: turn an exercise file into an :class:`~salestrain.grading.format.Exercise` (or
the problems that stop it). The release, the validator and the grader all read sources
through here, so none of them has to import another (no import cycle between them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from salestrain.base.errors import GradingError, Problem
from salestrain.base.i18n import t
from salestrain.core.assessment.declared import is_question_source
from salestrain.grading.format import Exercise, cell_source, parse_exercise
from salestrain.io.lessons import variant_language

# Side files a learner needs (exhibits, data). Code files are never copied: a helper
# module next to an exercise may well hold a solution.
SIDE_SUFFIXES = {".csv", ".tsv", ".xlsx", ".json", ".txt", ".md", ".png", ".jpg", ".jpeg", ".svg"}
# `source`: bilingual sources of exercises (salestrain.io.lessons); their built notebooks
# are the exercises.
SKIP_DIRS = {".ipynb_checkpoints", "__pycache__", ".git", "source"}


def read_notebook(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), None, "(file)", t("grading.error.markup.cannot_read", error=exc))]
    except json.JSONDecodeError as exc:
        return None, [Problem(str(path), exc.lineno, "(json)", t("grading.error.markup.not_json", error=exc.msg))]
    except RecursionError:
        return None, [Problem(str(path), None, "(json)", t("grading.error.markup.no_cells"))]
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
    if declares_questions(nb) and not exercise.questions:
        # A no-code exercise: its questions are %%question cells (grading/nocode.py), and
        # it needs neither tests cells nor the self-check import.
        return exercise, problems
    if not exercise.questions:
        problems.append(Problem(name, None, "(questions)", t("grading.error.markup.no_questions")))
    if not any("from salestrain.grading import check" in "".join(c.get("source", ""))
               for c in nb["cells"] if c.get("cell_type") == "code"):
        problems.append(Problem(name, None, "(imports)", t("grading.error.markup.no_import")))
    return exercise, problems


def declares_questions(nb: dict[str, Any]) -> bool:
    return any(c.get("cell_type") == "code" and is_question_source(cell_source(c)) for c in nb["cells"])


def load_exercise(path: Path) -> tuple[Exercise, dict[str, Any]]:
    """The exercise in ``path``, or a GradingError listing every markup problem."""
    nb, problems = read_notebook(path)
    if nb is None:
        raise GradingError(t("grading.error.cannot_read_exercise", path=path), problems)
    exercise, problems = markup_problems(nb, str(path))
    if problems:
        raise GradingError(t("grading.error.exercise_markup", path=path), problems)
    return exercise, nb


def side_files(folder: Path, recursive: bool = True) -> list[Path]:
    """Data files in an exercise's folder and its subfolders (never notebooks or code)."""
    found = Path(folder).rglob("*") if recursive else Path(folder).iterdir()
    return sorted(p for p in found
                  if p.is_file() and p.suffix.lower() in SIDE_SUFFIXES
                  and not any(part.startswith(".") or part in SKIP_DIRS
                              for part in p.relative_to(folder).parts))


def exercise_files(source: Path) -> list[Path]:
    """The exercises under ``source``: one notebook each, never a language variant
    (``X.zh_CN.ipynb`` is exercise ``X`` in Chinese; see :func:`release`)."""
    if source.is_file():
        return [source]
    return sorted(p for p in source.rglob("*.ipynb")
                  if not (SKIP_DIRS & set(p.relative_to(source).parts)) and variant_language(p) is None)
