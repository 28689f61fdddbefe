"""The goals exercises validate: markup, catalog keys, and solutions that pass their tests."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises" / "goals"


def test_there_are_at_least_three_exercises():
    assert len(list(EXERCISES.glob("*.ipynb"))) >= 3


def test_goals_exercises_validate_and_their_solutions_pass():
    pytest.importorskip("salestrain.grading", reason="the grading engine has not been merged yet")
    from salestrain.content import validate_path

    checked, problems = validate_path(EXERCISES)
    assert checked >= 3
    assert problems == [], "\n".join(map(str, problems))
