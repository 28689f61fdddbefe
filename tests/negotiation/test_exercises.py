"""The negotiation exercises: solutions pass their own tests, a learner's stub does not."""

import json
from pathlib import Path

import pytest

from salestrain.grading import selfcheck
from salestrain.grading.release import release_notebook

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "exercises" / "negotiation"



def _run_learner_version(name: str) -> dict:
    """Execute the released (solution-free) notebook in-process, as a learner who
    filled in nothing would, registering its public tests."""
    nb = release_notebook(json.loads((FOLDER / name).read_text(encoding="utf-8")))
    selfcheck.forget()
    ns: dict = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if source.startswith("%%tests"):
            assert selfcheck.register(source) == []
        elif not source.startswith("check("):
            exec(compile(source, name, "exec"), ns)
    return ns


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
