"""The cohort API with real kernels: the answer channel (class 5), per-test time limits
(class 7), one submission never affecting another (class 1), and exactly-once grading
of the ``learner/<any>.ipynb`` layout across a kill -9 (class 8). The gradebook
integrity check runs after every batch."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from salestrain.grading import autograde, cohort
from salestrain.grading.gradebook import Gradebook, integrity_problems
from tests.grading import hostile
from tests.grading.helpers import ROOT, SAMPLE, write

LIMITS = autograde.Limits(cell_seconds=20, notebook_seconds=90, test_seconds=4)

# pre_run_cell sees every cell the grader runs the usual way: if the hidden q2
# expressions went through it, biggest_stage would turn into "LEAK" before q3 is asked.
SPY = '''
import IPython
_seen = []
def _spy(info):
    _seen.append(info.raw_cell)
    global biggest_stage
    if any("pd.DataFrame" in cell and "negotiation" in cell for cell in _seen[:-1]):
        biggest_stage = "LEAK"
IPython.get_ipython().events.register("pre_run_cell", _spy)
'''

# Forges records the old way (a marker line on stdout, after every cell) and answers
# everything wrong: only its real answers may count.
FORGER = '''
import IPython, json
def _forge(result):
    print("\\x1e" + "0" * 16 + ":" + json.dumps([{"status": "ok", "value": 251000}] * 3))
IPython.get_ipython().events.register("post_run_cell", _forge)
'''

# Replaces the grader's serialiser with one that sends records of the wrong shape.
TAMPERER = '''
import salestrain.grading.plain as _plain
_answers = iter(['[' * 100000 + ']' * 100000, '[1, 2, 3]', '{"status": "ok"}', 'nonsense', '"x"'])
_plain.answer = lambda thunk: next(_answers, "{}")
'''


def _cohort(folder: Path) -> dict[str, float]:
    """learner folder -> expected score (every notebook in a folder of its own)."""
    notebooks = {
        "perfect": (hostile.solved(), 7),
        # Honest, with a print of its own: answers never travel through print.
        "pprint": (hostile.with_cell("from pprint import pprint as print\nprint({'a': 1})", after=1), 7),
        "spy": (hostile.with_cell(SPY, after=1), 7),
        "forger": (hostile.replace_in(hostile.with_cell(FORGER, after=1), '"negotiation": 0.7',
                                      '"negotiation": 0.2'), 2),  # empty pipeline and q3 still right
        "tamperer": (hostile.with_cell(TAMPERER, after=1), 0),
        # Hangs on the hidden empty pipeline only: that test alone is lost, and the
        # public q3 asked after it still counts.
        "hangs_on_empty": (hostile.replace_in(
            hostile.solved(), "    total = None\n",
            "    total = None\n    while len(deals) == 0:\n        pass\n"), 6),
        # Ignores the interrupt: that test is lost and the run stops, earlier points stay.
        "ignores_interrupt": (hostile.replace_in(
            hostile.solved(), "    total = None\n",
            "    total = None\n    import signal\n    signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "    while len(deals) == 0:\n        pass\n"), 5),
    }
    expected = {}
    for name, (nb, score) in notebooks.items():
        write(nb, folder / name / "my work.ipynb")
        expected[name] = score
    return expected


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cohort")
    subs = tmp / "subs"
    expected = _cohort(subs)
    db = tmp / "gb.sqlite"
    run = cohort.grade_cohort(subs, SAMPLE, db=str(db), limits=LIMITS, jobs=3)
    book = Gradebook.open(str(db))
    yield {"run": run, "expected": expected, "book": book, "subs": subs, "db": db}
    book.dispose()


def test_every_learner_gets_the_score_their_answers_earn(batch):
    results = {r.learner: r for r in batch["run"].results}
    assert sorted(results) == sorted(batch["expected"])
    wrong = {name: (results[name].score, score, [o.reason for o in results[name].outcomes])
             for name, score in batch["expected"].items() if results[name].score != score}
    assert wrong == {}


def test_tampered_records_end_as_reasons_and_the_batch_goes_on(batch):
    result = {r.learner: r for r in batch["run"].results}["tamperer"]
    assert result.graded and result.score == 0 and result.stopped is None
    # Deep nesting, a list, text that is not JSON, a JSON string: protocol errors. The
    # record {"status": "ok"} without a value is a null answer, and fails as one.
    assert [o.status for o in result.outcomes] == ["error", "error", "failed", "error", "error"]
    assert sum("GraderProtocolError" in o.reason for o in result.outcomes) == 4


def test_a_hang_on_one_hidden_input_costs_that_test_only(batch):
    results = {r.learner: r for r in batch["run"].results}
    hang = results["hangs_on_empty"]
    lost = [o for o in hang.outcomes if o.status != "passed"]
    assert [(o.name, o.status) for o in lost] == [("an empty pipeline forecasts nothing", "timed out")]
    assert "4 s" in lost[0].message and hang.stopped is None
    stuck = results["ignores_interrupt"]
    statuses = {o.name: o.status for o in stuck.outcomes}
    assert statuses["an empty pipeline forecasts nothing"] == "timed out"
    assert statuses["the stage with the largest weighted value"] == "timed out"  # never asked
    assert stuck.question_scores()["q1"] == (2.0, 2.0) and stuck.stopped


def test_gradebook_is_whole_after_the_hostile_batch_and_a_rerun_grades_nobody(batch):
    assert integrity_problems(batch["book"]) == []
    assert len(batch["book"].rows()) == len(batch["expected"])
    again = cohort.grade_cohort(batch["subs"], SAMPLE, db=str(batch["db"]), limits=LIMITS)
    assert again.results == [] and len(again.unchanged) == len(batch["expected"])
    assert all(r["times_graded"] == 1 for r in batch["book"].rows())


def _grader_folders(pid: int) -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"{autograde.WORKDIR_PREFIX}{pid}-*"))


def test_kill_9_and_resume_grade_every_learner_folder_exactly_once(tmp_path):
    subs = tmp_path / "subs"
    for i in range(5):
        write(hostile.solved(), subs / f"learner{i}" / "Untitled.ipynb")
    db = tmp_path / "gb.sqlite"
    cmd = [sys.executable, "-m", "salestrain", "grade", str(subs), "--exercise", str(SAMPLE),
           "--db", str(db), "--jobs", "1", "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 300
    graded = 0
    while time.monotonic() < deadline and proc.poll() is None and graded < 2:
        time.sleep(0.2)
        try:
            with sqlite3.connect(db) as conn:
                graded = conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
        except sqlite3.Error:
            continue
    assert proc.poll() is None, "the batch finished before it could be killed"
    time.sleep(1.0)  # mid-way through the next learner, its working folder made
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    left = _grader_folders(proc.pid)

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert rerun.stdout.startswith("isolation: ")
    assert "already graded unchanged" in rerun.stdout
    assert _grader_folders(proc.pid) == [], f"left by the killed batch and not swept: {left}"
    book = Gradebook.open(str(db))
    rows = book.rows()
    assert sorted(r["learner"] for r in rows) == [f"learner{i}" for i in range(5)]
    assert [r["times_graded"] for r in rows] == [1] * 5
    assert {r["score"] for r in rows} == {7.0}
    assert integrity_problems(book) == []
    # A third run finds every learner unchanged.
    third = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert "5 submissions already graded unchanged" in third.stdout
    assert [r["times_graded"] for r in book.rows()] == [1] * 5
    book.dispose()
