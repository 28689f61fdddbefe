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
    from salestrain.io.lessons import is_source_path, variant_language

    if is_source_path(Path(path)):
        return None  # a bilingual source: `salestrain lessons check` (its own validator)
    if variant_language(Path(path)) is not None:
        # A translation shares the exercise's code and tests (the source's check says so):
        # its markup is checked here; executing its solutions again would repeat the English one.
        from salestrain.grading.validate import markup_problems, read_notebook

        nb, problems = read_notebook(Path(path))
        return problems if nb is None else markup_problems(nb, str(path))[1]
    from salestrain.grading.validate import validate_exercise

    return validate_exercise(Path(path))


register_worker_module(__name__)
