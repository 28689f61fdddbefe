"""Exercise notebooks (``exercises/<module>/*.ipynb``) in ``salestrain validate``."""

from __future__ import annotations

from pathlib import Path

from salestrain.base.errors import Problem
from salestrain.io.content import register_file_validator, register_worker_module


@register_file_validator(".ipynb")
def validate_exercise_notebook(path: Path) -> list[Problem] | None:
    # Only sources under an `exercises` folder; lessons, cases and releases are not ours.
    if "exercises" not in Path(path).resolve().parts:
        return None
    from salestrain.grading.validate import validate_exercise

    return validate_exercise(Path(path))


register_worker_module(__name__)
