"""The trainer's guide flows, run with the guide's own commands on sample submissions.

Workshop: release -> learners fill in -> collect -> grade -> gradebook (-> report).
Self-study: a learner's check("q1") in their own kernel, then grading their own notebook.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from salestrain.grading.gradebook import Gradebook

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = ROOT / "exercises" / "sample" / "funnel_forecast.ipynb"
PLACEHOLDER = "# YOUR ANSWER HERE"


def salestrain(*args: str, cwd: Path = ROOT) -> str:
    """A command exactly as the guide types it; fails the test with its output otherwise."""
    done = subprocess.run([sys.executable, "-m", "salestrain", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"salestrain {' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _solutions(source: Path) -> list[str]:
    """The solution regions of the exercise, in order, without their markers."""
    regions, inside, current = [], False, []
    for cell in nbformat.read(source, as_version=4).cells:
        for line in cell.source.splitlines():
            if line.strip() == "### BEGIN SOLUTION":
                inside, current = True, []
            elif line.strip() == "### END SOLUTION":
                inside = False
                regions.append(current)
            elif inside:
                current.append(line)
    return [textwrap.dedent("\n".join(r)) for r in regions]


def learner_copy(released: Path, answers: dict[int, str], dest: Path) -> Path:
    """The released notebook with the n-th placeholder replaced by ``answers[n]``."""
    nb = nbformat.read(released, as_version=4)
    n = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or PLACEHOLDER not in cell.source:
            continue
        lines = []
        for line in cell.source.splitlines():
            if line.strip() == PLACEHOLDER:
                indent = line[: len(line) - len(line.lstrip())]
                text = answers.get(n)
                lines += [indent + a for a in text.splitlines()] if text else [line]
                n += 1
            else:
                lines.append(line)
        cell.source = "\n".join(lines)
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)
    return dest


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("room") / "release"
    salestrain("release", "exercises/sample", "--out", str(out))
    return next(out.rglob("funnel_forecast.ipynb"))


def test_release_hides_solutions_and_hidden_tests(released):
    text = released.read_text(encoding="utf-8")
    assert PLACEHOLDER in text and "BEGIN SOLUTION" not in text
    assert "hidden" not in text and "24000" not in text  # the hidden test's expected value
    for solution in _solutions(EXERCISE):
        assert solution.strip().splitlines()[0].strip() not in text


def test_workshop_flow_release_collect_grade(released, tmp_path):
    # Step 1 of the guide: the machine check (the kernel start is tested in test_cli).
    assert "All required checks passed." in salestrain("doctor", "--no-kernel")
    solutions = _solutions(EXERCISE)
    private = tmp_path / "trainer"
    (private / "exercises").mkdir(parents=True)
    private.chmod(0o700)  # the guide: only the grader may read the sources
    source = Path(shutil.copy(EXERCISE, private / "exercises" / EXERCISE.name))
    subs = tmp_path / "submissions" / "funnel_forecast"
    # Collect: one notebook per learner, named after the learner (as the guide says).
    learner_copy(released, dict(enumerate(solutions)), subs / "li_na.ipynb")
    learner_copy(released, {0: solutions[0]}, subs / "zhou_hui.ipynb")
    learner_copy(released, {}, subs / "wang_fei.ipynb")
    book = tmp_path / "gradebook.sqlite"

    out = salestrain("grade", str(subs), "--exercise", str(source), "--db", str(book), "--quiet")
    assert "li_na: 7 / 7" in out
    assert "zhou_hui: 2 / 7" in out  # partial credit: only q1 answered
    assert "wang_fei: 0 / 7" in out

    gradebook = Gradebook.open(str(book))
    try:
        rows = gradebook.rows()
    finally:
        gradebook.dispose()
    assert sorted({r["learner"] for r in rows}) == ["li_na", "wang_fei", "zhou_hui"]
    # Grading the same cohort again changes nothing (the gradebook is not duplicated).
    again = salestrain("grade", str(subs), "--exercise", str(source), "--db", str(book), "--quiet")
    assert "3 submissions already graded unchanged" in again

    # Open the report: the cohort, per question, per learner, with plots.
    report = tmp_path / "report.html"
    printed = salestrain("report", "--db", str(book), "--out", str(report))
    assert str(report) in printed
    page = report.read_text(encoding="utf-8")
    assert all(name in page for name in ("li_na", "zhou_hui", "wang_fei"))
    assert "<img" in page or "<svg" in page  # the score distribution is drawn


def test_self_study_check_gives_feedback_in_the_learners_kernel(released, tmp_path):
    solutions = _solutions(EXERCISE)
    mine = learner_copy(released, {0: solutions[0]}, tmp_path / "me" / "funnel_forecast.ipynb")
    nb = nbformat.read(mine, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(mine.parent)}}).execute()
    outputs = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("check("):
            outputs[cell.source] = "".join(o.get("text", "") for o in cell.get("outputs", []))
    q1, q2 = outputs['check("q1")'], outputs['check("q2")']
    assert "hidden" in q1.lower()  # never "all passed" without saying hidden tests exist
    assert q1 != q2 and q2.strip()

    # Post-check: the learner grades their own notebook into a mastery report.
    mastery = tmp_path / "mastery.html"
    salestrain("report", "--mine", str(mine), "--exercise", str(EXERCISE), "--out", str(mastery))
    page = mastery.read_text(encoding="utf-8")
    assert "q1" in page and "q2" in page
    # Only q1 was answered: the report says what is mastered and what to practise.
    assert "mastered" in page and "practise again" in page


def test_mentorship_flow_record_survives_sittings_and_shows_movement(tmp_path):
    data = ROOT / "salestrain" / "data" / "workshop"
    record = tmp_path / "mentorship.sqlite"
    # Week 1 and week 8 are separate sittings: separate processes on the same file.
    salestrain("coaching", "record", "import", str(record), "--assessments",
               str(data / "mentorship_week01.csv"), "--notes", str(data / "mentorship_notes.csv"))
    salestrain("coaching", "record", "import", str(record), "--assessments",
               str(data / "mentorship_week08.csv"))
    progress = salestrain("coaching", "record", "progress", str(record), "--rep", "Mei Chen")
    rows = [line.split() for line in progress.splitlines() if line.startswith("Mei Chen")]
    assert [(r[2], r[-1]) for r in rows] == [("2026-01-09", "guide"), ("2026-02-27", "delegate")]
    assert float(rows[1][3]) > float(rows[0][3])  # capability rose between the assessments
    salestrain("coaching", "record", "export", str(record), "--assessments", str(tmp_path / "a.csv"),
               "--notes", str(tmp_path / "n.csv"))
    exported = (tmp_path / "a.csv").read_text(encoding="utf-8").splitlines()
    imported = ((data / "mentorship_week01.csv").read_text(encoding="utf-8").splitlines()
                + (data / "mentorship_week08.csv").read_text(encoding="utf-8").splitlines()[1:])
    assert exported == imported
    notes = (tmp_path / "n.csv").read_text(encoding="utf-8")
    assert notes.count("Mei Chen") == 4 and "traded instalments" in notes
