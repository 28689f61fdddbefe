"""``salestrain validate`` for exercise notebooks: markup, catalog keys, and solutions
that pass all their own tests when the notebook is executed."""

from __future__ import annotations

from pathlib import Path

from salestrain.base.errors import Problem
from salestrain.base.i18n import t
from salestrain.grading.sources import markup_problems, read_notebook

__all__ = ["EXECUTE_TIMEOUT", "markup_problems", "read_notebook", "validate_exercise"]

EXECUTE_TIMEOUT = 120  # seconds per cell; a trainer's solution should be quick


def validate_exercise(path: Path) -> list[Problem]:
    """Every problem with one exercise source; [] when it is ready to release."""
    nb, problems = read_notebook(path)
    if nb is None:
        return problems
    exercise, problems = markup_problems(nb, str(path))
    if problems:
        return problems  # executing broken markup would only repeat the same problems
    from salestrain.grading.nocode import declared_questions, is_no_code

    if is_no_code(nb):
        # Questions declared as data: their declarations are the whole check (no kernel).
        declared, found = declared_questions(nb, str(path))
        if not declared and not found:
            found = [Problem(str(path), None, "%%question", t("grading.nocode.none"))]
        return found
    # Imported here: reading markup must not load the kernel machinery (nbclient, zmq).
    # One direction only: autograde never imports this module.
    from salestrain.grading.autograde import grade_source

    return grade_source(path, exercise)
