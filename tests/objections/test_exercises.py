"""The objection exercises: solutions pass their own tests; the released drafts do not."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from salestrain.grading.autograde import Limits, grade_notebook, load_exercise
from salestrain.grading.release import release

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises" / "objections"



@pytest.mark.slow
def test_the_released_authoring_exercise_earns_partial_credit_only(tmp_path):
    source = EXERCISES / "author_scenario.ipynb"
    [released] = release(source, tmp_path / "release")
    exercise, _ = load_exercise(source)
    result = asyncio.run(grade_notebook(exercise, source, released, Limits(notebook_seconds=120)))
    by_name = {o.name: o for o in result.outcomes}
    # The colleague's draft has an unknown technique and an effect out of range.
    assert by_name["the scenario passes the validator"].status == "failed"
    assert "file:line" in by_name["the scenario passes the validator"].message
    assert 0 <= result.score < result.max_score
