"""The coaching exercises: solutions pass their own tests; a typical mistake gets the
sales idea back as feedback, and partial credit where part of the answer is right."""

import json
import re
from pathlib import Path

import pytest

from salestrain.grading import selfcheck
from salestrain.grading.release import release_notebook
from tests.learner import run_released

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "exercises" / "coaching"



def _learner(name: str) -> dict:
    return run_released(FOLDER / name)


def test_a_plain_mean_is_told_that_weights_count():
    ns = _learner("classify_reps.ipynb")
    ns["nadia_capability"] = (4 + 3 + 3 + 2 + 2 + 3) / 6  # forgot the weights
    report = selfcheck.run_check("q1", ns)
    assert not report.passed and "Weights count" in report.text()
    selfcheck.forget()


def test_a_rule_with_the_wrong_border_gets_partial_credit():
    ns = _learner("classify_reps.ipynb")
    exec("def style_of(c, w):\n"
         "    return ('delegate' if w > 3 else 'excite') if c > 3 else ('guide' if w > 3 else 'direct')",
         ns)
    ns["team_styles"] = {"Nadia Petrova": "guide", "Omar Haddad": "direct", "Ruth Lindqvist": "excite"}
    assert selfcheck.run_check("q2", ns).passed  # fine away from the lines
    report = selfcheck.run_check("q3", ns)  # Omar's willingness is exactly 3.0
    assert not report.passed and "exactly on a line counts as high" in report.text()
    selfcheck.forget()


def test_the_lowest_absolute_conversion_is_not_the_weakest_stage():
    ns = _learner("stage_training_plan.ipynb")
    ns["weakest"] = "decision"
    report = selfcheck.run_check("q2", ns)
    assert not report.passed and "relative to the team" in report.text()
    ns["weakest"] = "Resolution of Concerns"  # case and spacing do not matter
    assert selfcheck.run_check("q2", ns).passed
    selfcheck.forget()


@pytest.mark.parametrize("name", ["classify_reps.ipynb", "style_from_data.ipynb",
                                  "stage_training_plan.ipynb"])
def test_the_released_version_has_no_solution(name):
    text = json.dumps(release_notebook(json.loads((FOLDER / name).read_text(encoding="utf-8"))))
    assert "BEGIN SOLUTION" not in text and "hidden" not in re.findall(r"%%tests \w+ ?\w*", text)
