"""The funnel exercises: their solutions pass, and typical mistakes get teaching feedback."""

import json
from pathlib import Path

import pytest

from salestrain.grading import selfcheck

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "exercises" / "funnel"


def public_tests_cells(name: str) -> list[str]:
    nb = json.loads((FOLDER / name).read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    return [c for c in cells if c.startswith("%%tests") and "hidden" not in c.splitlines()[0]]



@pytest.mark.parametrize("name, qid, answers, expected_text", [
    # Forgetting that a won deal counts in full (using 0 for it).
    ("01_weighted_forecast.ipynb", "q1", {"forecast": 268000.0}, "a won deal counts in full"),
    # The weighted number compared with the target is not a probability.
    ("02_chance_of_target.ipynb", "q2", {"chance": 1.0}, "not the weighted number compared"),
    # Win rates by last stage (the naive CRM report) instead of by reached stage.
    ("03_calibration_diagnosis.ipynb", "q1",
     {"win_rate": {"potential": 0.0, "intention": 0.0, "proposal": 0.0, "negotiation": 0.8413}},
     "reached"),
    ("03_calibration_diagnosis.ipynb", "q3", {"direction": "too high"}, "called too low"),
])
def test_typical_mistakes_get_the_sales_idea_back(name, qid, answers, expected_text):
    selfcheck.forget()
    for cell in public_tests_cells(name):
        assert selfcheck.register(cell) == []
    report = selfcheck.run_check(qid, answers)
    assert not report.passed
    assert expected_text in report.text()


@pytest.mark.parametrize("answers", [{"direction": "Too  LOW"}, {"direction": "under-confident"},
                                     {"direction": "偏低"}])
def test_equivalent_answers_pass(answers):
    selfcheck.forget()
    for cell in public_tests_cells("03_calibration_diagnosis.ipynb"):
        selfcheck.register(cell)
    assert selfcheck.run_check("q3", answers).passed
