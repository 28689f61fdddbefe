"""The gradebook: transactions, re-grading updates, and a batch killed with kill -9.

Each test that uses ``gradebook_db`` runs twice: on a SQLite file and on a database of a
real PostgreSQL server started for the session (tests/postgres.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from salestrain.base.errors import GradingError
from salestrain.grading.autograde import UID_BASE, SubmissionResult
from salestrain.grading.gradebook import (
    Gradebook,
    exercise_id,
    resolve_url,
    results,
    submissions,
)
from salestrain.grading.outcome import TestOutcome
from tests.grading import hostile
from tests.grading.helpers import ROOT, SAMPLE, write


def result(learner: str, points: list[float], sha: str = "a" * 64) -> SubmissionResult:
    outcomes = [TestOutcome("q1", f"t{i}", False, "passed" if p else "failed", p, 1.0,
                            "" if p else "wrong", "grading.sample.weighted")
                for i, p in enumerate(points)]
    return SubmissionResult(learner, f"/x/{learner}.ipynb", sha, outcomes)


def count(book: Gradebook, table) -> int:
    with book.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_regrading_updates_the_row_instead_of_adding_one(gradebook_db):
    book = Gradebook.open(gradebook_db)
    first = book.record("sample/x", result("ana", [1, 0, 0]))
    second = book.record("sample/x", result("ana", [1, 1, 1], sha="b" * 64))
    book.record("sample/x", result("bo", [0, 0, 0]))
    assert first == second
    rows = {r["learner"]: r for r in book.rows("sample/x")}
    assert rows["ana"]["score"] == 3 and rows["ana"]["times_graded"] == 2
    assert [r["status"] for r in rows["ana"]["results"]] == ["passed"] * 3
    assert book.graded("sample/x") == {"ana": "b" * 64, "bo": "a" * 64}
    assert count(book, results) == 6
    assert count(book, submissions) == 2
    book.dispose()


def test_graders_recording_one_learner_at_once_leave_one_row(gradebook_db):
    """Two graders on one gradebook (a big workshop split across machines) may finish the
    same learner at the same moment: one row, every grading counted, no stray results."""
    book = Gradebook.open(gradebook_db)
    graders = 6
    start = threading.Barrier(graders)
    errors: list[BaseException] = []

    def grade(i: int) -> None:
        try:
            start.wait()
            book.record("sample/x", result("ana", [1.0] * (i % 3 + 1), sha=str(i) * 64))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=grade, args=(i,)) for i in range(graders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    (row,) = book.rows("sample/x")
    assert row["times_graded"] == graders
    # The results are those of whichever grading committed last, never a mixture.
    assert len(row["results"]) == row["score"] == int(row["sha256"][0]) % 3 + 1
    assert count(book, results) == len(row["results"])
    book.dispose()


def test_urls_and_bad_urls(tmp_path, monkeypatch):
    assert resolve_url(str(tmp_path / "g.sqlite")) == f"sqlite:///{tmp_path / 'g.sqlite'}"
    monkeypatch.setenv("SALESTRAIN_DB", "sqlite:///:memory:")
    assert resolve_url(None) == "sqlite:///:memory:"
    with pytest.raises(GradingError, match="cannot use the gradebook URL"):
        Gradebook.open("nosuchdialect://x/y")
    # A missing driver names the fix; a password never reaches the message.
    with pytest.raises(GradingError, match=r"driver that is not installed.*pip install"):
        Gradebook.open("mysql://trainer@127.0.0.1/workshop")
    with pytest.raises(GradingError, match="cannot open the gradebook") as failed:
        Gradebook.open("postgresql://trainer:s3cret@127.0.0.1:1/workshop")
    assert "s3cret" not in str(failed.value)
    assert exercise_id(SAMPLE) == "sample/funnel_forecast"


def _kernels_of(grader_pid: int) -> list[int]:
    needle = f"JPY_PARENT_PID={grader_pid}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _remove_left_folders(before: set[Path]) -> None:
    """A grader killed with kill -9 cannot delete its kernels' folders; we made them."""
    in_use = set()
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            in_use.add(os.readlink(entry / "cwd"))
    for folder in set(Path(tempfile.gettempdir()).glob("salestrain-grade-*")) - before:
        if folder.stat().st_uid >= UID_BASE and str(folder) not in in_use:
            shutil.rmtree(folder, ignore_errors=True)


def test_batch_killed_with_kill_9_and_rerun_grades_everyone_exactly_once(tmp_path, gradebook_db):
    subs = tmp_path / "subs"
    for i in range(6):
        write(hostile.solved() if i % 2 == 0 else hostile.replace_in(
            hostile.solved(), '"won": 1.0', '"won": 0.9'), subs / f"learner{i}.ipynb")
    db = gradebook_db
    cmd = [sys.executable, "-m", "salestrain", "grade", str(subs), "--exercise", str(SAMPLE),
           "--db", db, "--jobs", "1", "--quiet"]
    engine = create_engine(resolve_url(db))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    folders_before = set(Path(tempfile.gettempdir()).glob("salestrain-grade-*"))
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    graded = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            with engine.connect() as conn:
                graded = conn.execute(text("SELECT count(*) FROM submissions")).scalar_one()
        except Exception:  # not created yet, or locked for a moment: look again
            continue
        if graded >= 2:
            break
    assert proc.poll() is None, "the batch finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the grader and anything in its session, mid-batch
    proc.wait()
    # Its kernel (in a session of its own) dies with it: parent-death signal.
    for _ in range(50):
        if not _kernels_of(proc.pid):
            break
        time.sleep(0.1)
    assert _kernels_of(proc.pid) == []
    _remove_left_folders(folders_before)
    engine.dispose()
    if gradebook_db.endswith(".sqlite"):
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with engine.connect() as conn:
        done_before = dict(conn.execute(text("SELECT learner, graded_at FROM submissions")).all())
    assert 2 <= len(done_before) < 6

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(done_before)} submission{'' if len(done_before) == 1 else 's'} already graded unchanged" in rerun.stdout
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT learner, score, times_graded, graded_at FROM submissions")).all()
        per_sub = dict(conn.execute(text(
            "SELECT submission_id, count(*) FROM results GROUP BY submission_id")).all())
    engine.dispose()
    assert sorted(r[0] for r in rows) == [f"learner{i}" for i in range(6)]
    assert all(r[2] == 1 for r in rows)  # exactly once: nobody graded twice
    assert all(done_before[r[0]] == r[3] for r in rows if r[0] in done_before)
    assert sorted(per_sub.values()) == [5] * 6
    scores = {r[0]: r[1] for r in rows}
    assert {scores[f"learner{i}"] for i in (0, 2, 4)} == {7.0}
    assert len({scores[f"learner{i}"] for i in (1, 3, 5)}) == 1 and scores["learner1"] < 7

    # The cohort report reads the same gradebook, whichever database it is.
    report = tmp_path / "report.html"
    made = subprocess.run([sys.executable, "-m", "salestrain", "report", "--db", db, "--out",
                           str(report)], env=env, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    html = report.read_text(encoding="utf-8")
    assert all(f"<td>learner{i}</td>" in html for i in range(6))
