"""`salestrain validate` on exercise notebooks, through the real CLI."""

from __future__ import annotations

import subprocess
import sys

import nbformat

from tests.grading.helpers import ROOT, SAMPLE


def run_cli(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    return subprocess.run([sys.executable, "-m", "salestrain", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_validate_accepts_the_sample_and_rejects_a_wrong_solution(tmp_path):
    good = run_cli("validate", str(SAMPLE))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "1 file(s) checked, 0 problem(s)" in good.stdout

    nb = nbformat.read(str(SAMPLE), as_version=4)
    for cell in nb.cells:  # a trainer's slip: the solution uses the wrong probability
        cell.source = cell.source.replace('"negotiation": 0.7', '"negotiation": 0.6')
    folder = tmp_path / "exercises" / "demo"
    folder.mkdir(parents=True)
    nbformat.write(nb, str(folder / "bad.ipynb"))
    nbformat.write(nbformat.v4.new_notebook(), str(tmp_path / "lesson.ipynb"))  # not an exercise
    bad = run_cli("validate", str(tmp_path))
    assert bad.returncode == 1
    assert "2 file(s) checked" in bad.stdout
    assert "does not pass its own test 'the five stages and their win probabilities'" in bad.stdout
    assert "bad.ipynb:cell 6" in bad.stdout
