"""Every shipped exercise folder validates: markup, catalog keys, and solutions that
pass all their own public and hidden tests when executed by the grader."""

from pathlib import Path

import pytest

from salestrain.io.content import validate_path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = sorted({p.parent for p in ROOT.glob("exercises/*/*.ipynb")}
                 | {p.parent for p in ROOT.glob("cases/*/exercises/*.ipynb")})
# Each module's issue asks for at least three graded exercises, each case for two.
MINIMUM = {"exercises": 3, "cases": 2}


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_exercise_folder_validates_with_its_solutions(folder):
    notebooks = sorted(folder.glob("*.ipynb"))
    if folder.name != "sample":  # the grading engine's own one-notebook demo
        assert len(notebooks) >= MINIMUM[folder.relative_to(ROOT).parts[0]], folder
    checked, problems = validate_path(folder)  # executes every solution in the grader
    assert checked >= len(notebooks)  # side files (CSV exhibits) next to exercises count too
    assert problems == [], "\n".join(map(str, problems))
