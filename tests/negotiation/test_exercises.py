"""The negotiation exercises: solutions pass their own tests, a learner's stub does not."""

from pathlib import Path

import pytest

from salestrain.grading import selfcheck
from tests.learner import run_released

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "exercises" / "negotiation"



def _run_learner_version(name: str) -> dict:
    return run_released(FOLDER / name)


@pytest.mark.parametrize("name,qid,feedback", [
    ("counterpart.ipynb", "q2", "holding out longer than Boulware"),
    ("pareto_trade.ipynb", "q2", "cash flow and breakdowns"),
])
def test_an_unanswered_question_fails_with_the_sales_idea(name, qid, feedback):
    ns = _run_learner_version(name)
    report = selfcheck.run_check(qid, ns)
    assert report.outcomes and not report.passed and report.points < report.max_points
    assert feedback in report.text()
    selfcheck.forget()
