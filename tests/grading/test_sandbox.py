"""The sandbox decisions: refusing a readable source, the notebook time limit."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest

from salestrain.base.errors import GradingError
from salestrain.grading import autograde
from salestrain.grading.run import sandbox as sandbox_module
from tests.grading import hostile
from tests.grading.helpers import SAMPLE, write

needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="the kernel user switch needs root")


@needs_root
def test_without_mount_namespace_a_world_readable_source_is_refused(monkeypatch):
    # The `user` level: kernels under their own user id, sources only protected by modes.
    monkeypatch.setattr(sandbox_module, "sandbox", lambda: autograde.Sandbox(True, False))
    base = Path(tempfile.mkdtemp(prefix="salestrain-modes-"))
    try:
        base.chmod(0o755)
        folder = base / "exercises" / "sample"
        folder.mkdir(parents=True)
        (base / "exercises").chmod(0o755)
        folder.chmod(0o755)
        source = Path(shutil.copy(SAMPLE, folder / SAMPLE.name))
        source.chmod(0o644)
        with pytest.raises(GradingError) as info:
            autograde.check_source_protected(source)
        assert "could read the exercise source" in str(info.value)
        assert f"chmod 700 {folder}" in str(info.value)
        folder.chmod(0o700)  # the fix the message names
        assert autograde.check_source_protected(source).level == "user"
    finally:
        shutil.rmtree(base)


@needs_root
def test_the_namespace_hides_a_world_readable_source():
    assert autograde.sandbox().level == "namespace"
    assert autograde.check_source_protected(SAMPLE).level == "namespace"  # 0644 in the repo


def test_notebook_time_limit_keeps_points_of_questions_before_it(tmp_path):
    # Two slow cells, after q1 and after q2: each fits the cell limit, not both the
    # notebook limit.
    nb = hostile.with_cell("import time\ntime.sleep(2)", after=6)
    nb.cells.insert(11, nbformat.v4.new_code_cell("import time\ntime.sleep(2)"))
    path = write(nb, tmp_path / "slow.ipynb")
    exercise, _ = autograde.load_exercise(SAMPLE)
    limits = autograde.Limits(cell_seconds=30, notebook_seconds=4.5)
    result = autograde.run_sync(autograde.grade_notebook(exercise, SAMPLE, path, limits))
    scores = result.question_scores()
    assert scores["q1"] == (2.0, 2.0)
    assert {o.status for o in result.outcomes if o.question == "q3"} == {"timed out"}
    assert "time limit exceeded" in result.stopped


def test_data_files_travel_with_the_exercise_and_code_files_do_not(tmp_path):
    folder = tmp_path / "exercises" / "demo"
    (folder / "data").mkdir(parents=True)
    source = Path(shutil.copy(SAMPLE, folder / SAMPLE.name))
    (folder / "data" / "stages.txt").write_text("proposal\n", encoding="utf-8")
    (folder / "helper.py").write_text("ANSWER = 'proposal'\n", encoding="utf-8")
    nb = hostile.with_cell("biggest_stage = open('data/stages.txt').read().strip()\n"
                           "import helper", after=12)
    path = write(nb, tmp_path / "reads_data.ipynb")
    exercise, _ = autograde.load_exercise(source)
    result = autograde.run_sync(autograde.grade_notebook(exercise, source, path, autograde.Limits()))
    assert result.score == 7
    assert result.cell_errors == ["cell 14: ModuleNotFoundError"]
