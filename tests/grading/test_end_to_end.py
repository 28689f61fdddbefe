"""validate -> release -> a learner fills in -> check -> grade -> report, on the sample."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import nbformat
from nbclient import NotebookClient

from tests.grading.helpers import ROOT, SAMPLE, cell_text

ANSWERS = [
    'win_probability = {"potential": 0.1, "intention": 0.3, "proposal": 0.5,\n'
    '                   "negotiation": 0.7, "won": 1.0}',
    # Right on the public pipeline, wrong on an empty one: only a hidden test sees it.
    'total = float((deals["amount"] * deals["stage"].map(win_probability)).sum()) if len(deals) else None',
    'biggest_stage = "Proposal"',
]


def cli(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": "/tmp",
           "SALESTRAIN_DB_PASSWORD": "never-shown"}
    result = subprocess.run([sys.executable, "-m", "salestrain", *args], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def fill_in(path) -> nbformat.NotebookNode:
    nb = nbformat.read(str(path), as_version=4)
    answers = iter(ANSWERS)
    for cell in nb.cells:
        while "# YOUR ANSWER HERE" in cell.source:
            indent = re.search(r"^( *)# YOUR ANSWER HERE", cell.source, re.M).group(1)
            answer = "\n".join(indent + line for line in next(answers).splitlines())
            cell.source = cell.source.replace(indent + "# YOUR ANSWER HERE", answer, 1)
    return nb


def test_sample_exercise_end_to_end(tmp_path):
    assert "0 problem(s)" in cli("validate", str(SAMPLE)).stdout
    cli("release", str(SAMPLE.parent.parent), "--out", str(tmp_path / "release"))
    released = tmp_path / "release" / "sample" / SAMPLE.name

    # The learner works in their own folder, runs every cell and reads check().
    learner_dir = tmp_path / "learners" / "mei"
    learner_dir.mkdir(parents=True)
    nb = fill_in(released)
    NotebookClient(nb, timeout=60, kernel_name="python3",
                   resources={"metadata": {"path": str(learner_dir)}}).execute()
    checks = [cell_text(nb, i) for i, c in enumerate(nb.cells) if c.source.startswith("check(")]
    assert all("1 of 1 public tests passed" in text for text in checks), checks
    assert all("hidden tests, which may still fail" in text for text in checks)
    for cell in nb.cells:  # submitted as saved from JupyterLab, outputs and all
        cell.setdefault("metadata", {})
    nbformat.write(nb, str(learner_dir / "funnel_forecast.ipynb"))

    db = tmp_path / "gradebook.sqlite"
    out = cli("grade", str(tmp_path / "learners"), "--exercise", str(SAMPLE), "--db", str(db),
              "--json", str(tmp_path / "grades.json"), "--quiet").stdout
    assert "mei: 6 / 7" in out
    [graded] = json.loads((tmp_path / "grades.json").read_text(encoding="utf-8"))
    failed = [o for o in graded["outcomes"] if o["status"] != "passed"]
    assert [(o["name"], o["hidden"]) for o in failed] == [("an empty pipeline forecasts nothing", True)]
    assert "including one with only won deals or none at all" in failed[0]["message"]

    cli("report", "--db", str(db), "--out", str(tmp_path / "report.html"))
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert report.count('<img class="salestrain-figure"') == 2
    assert "<td>mei</td>" in report and "6 / 7" in report
    assert "including one with only won deals or none at all" in report  # most frequent feedback

    cli("report", "--mine", str(learner_dir / "funnel_forecast.ipynb"), "--exercise", str(SAMPLE),
        "--out", str(tmp_path / "mastery.html"))
    mastery = (tmp_path / "mastery.html").read_text(encoding="utf-8")
    assert "Your mastery report" in mastery
    assert '<td>q2</td><td class="num">3 / 4</td><td class="failed">practise again</td>' in mastery
    assert '<td>q1</td><td class="num">2 / 2</td><td class="passed">mastered</td>' in mastery
    assert "an empty pipeline forecasts nothing" in mastery
