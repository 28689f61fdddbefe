"""Hostile submissions, graded as one cohort: each gets a reason, the batch goes on,
the gradebook stays intact and honest learners get their scores."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from salestrain.grading import autograde
from salestrain.grading.gradebook import Gradebook, exercise_id, integrity_problems
from tests.grading import hostile
from tests.grading.helpers import SAMPLE

LIMITS = autograde.Limits(cell_seconds=6, notebook_seconds=60, output_bytes=1_000_000)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    # Only the namespace sandbox (root) protects the real source; elsewhere the writer
    # must not be able to damage the repository's copy, so a copy is graded.
    level = autograde.sandbox().level
    source = SAMPLE if level == "namespace" else Path(shutil.copy(SAMPLE, tmp / SAMPLE.name))
    piddir = Path(tempfile.mkdtemp(prefix="salestrain-pids-"))
    piddir.chmod(0o777)  # the forked children, running as the sandbox user, write here
    listener = socket.create_server(("127.0.0.1", 0))  # reachable from any process sharing our network
    # Submissions in a folder every user may read: only the sandbox keeps them apart.
    subs = Path(tempfile.mkdtemp(prefix="salestrain-subs-"))
    subs.chmod(0o755)
    expected = hostile.cohort(subs, source, piddir, listener.getsockname()[1],
                              isolated=level != "none")
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    # A secret in the grader's environment and on another process's command line.
    os.environ["SALESTRAIN_TEST_SECRET"] = hostile.SECRET
    witness = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", hostile.SECRET])
    book = Gradebook.open(str(tmp / "gradebook.sqlite"))
    try:
        results = autograde.grade(source, autograde.collect_submissions(subs), LIMITS,
                                  jobs=2, on_result=lambda r: book.record(exercise_id(source), r))
    finally:
        witness.kill()
        listener.close()
        del os.environ["SALESTRAIN_TEST_SECRET"]
    by_name = {r.learner: r for r in results}
    yield {"results": by_name, "expected": expected, "book": book, "tmp": tmp, "piddir": piddir,
           "source_before": before, "source": source, "level": level}
    book.dispose()
    shutil.rmtree(piddir, ignore_errors=True)
    shutil.rmtree(subs, ignore_errors=True)


def test_every_submission_is_graded_with_expected_scores(graded):
    results, expected = graded["results"], graded["expected"]
    assert sorted(results) == sorted(expected)
    wrong = {name: (results[name].score, score, [o.reason for o in results[name].outcomes],
                    results[name].stopped, results[name].cell_errors)
             for name, score in expected.items() if score is not None and results[name].score != score}
    assert wrong == {}
    for result in results.values():
        assert len(result.outcomes) == 5 and all(o.reason for o in result.outcomes)


def reasons(result) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for o in result.outcomes:
        out.setdefault(o.question, set()).add(o.status)
    return out


def test_hangs_exits_and_deaths_keep_earlier_points_and_say_why(graded):
    r = graded["results"]
    loop = r["infinite_loop"]
    assert reasons(loop) == {"q1": {"passed"}, "q2": {"timed out"}, "q3": {"timed out"}}
    assert "cell 8" in loop.stopped
    for name in ("os_exit", "killed_kernel"):
        assert reasons(r[name])["q2"] == {"kernel died"}, r[name].outcomes
    # 100 MB printed: the kernel is stopped at the output cap, q1 keeps its points.
    assert reasons(r["flood"]) == {"q1": {"passed"}, "q2": {"kernel died"}, "q3": {"kernel died"}}
    assert "output limit" in r["flood"].stopped
    assert any("SystemExit" in e for e in r["sys_exit"].cell_errors)
    assert "cannot be read" in r["corrupt"].stopped
    assert {o.reason for o in r["import_error"].outcomes if o.question == "q2"} == \
        {"error: ModuleNotFoundError"}
    bomb = r["memory_bomb"]
    assert bomb.question_scores()["q1"] == (2.0, 2.0)
    assert any("MemoryError" in e for e in bomb.cell_errors) or bomb.stopped


def test_always_equal_scores_zero_with_an_explanation(graded):
    result = graded["results"]["always_equal"]
    assert result.score == 0
    assert any("AlwaysEqual" in o.message for o in result.outcomes)


def _protected(graded) -> None:
    if graded["level"] != "namespace":
        pytest.skip(f"sandbox level {graded['level']!r}: learner code may read the grader's files "
                    "(documented in docs/grading.md); run the tests as root")


def test_learner_code_cannot_read_sources_secrets_or_the_grader(graded):
    _protected(graded)
    reader = graded["results"]["reader"]
    q3 = [o for o in reader.outcomes if o.question == "q3"][0]
    assert q3.status == "passed", q3.message  # "LEAK <paths>" otherwise


def test_overwriting_files_changes_nothing_outside_its_folder(graded):
    result = graded["results"]["writer"]
    # Its edited copy of the q1 tests is ignored whatever the sandbox.
    assert result.question_scores()["q1"] == (0.0, 2.0)
    _protected(graded)
    source = graded["source"]
    assert hashlib.sha256(source.read_bytes()).hexdigest() == graded["source_before"]
    assert not (source.parent / "injected.txt").exists()


def test_forked_children_are_killed(graded):
    from tests.grading.isolation_probes import sleepers

    # Where the sandbox shares the pid folder (root without bubblewrap) the children say
    # they started; in a PID namespace they cannot, and tests/grading/test_isolation.py
    # watches the same escape from the host while it runs.
    pids = [int(p.name.split("-")[1]) for p in graded["piddir"].iterdir()]
    assert len(pids) in (0, 2)
    assert [p for p in pids if _alive(p)] == []
    assert sleepers(hostile.FORKER_TAG) == []  # no `sleep TAG` outlived the batch


def test_gradebook_is_intact_with_one_row_per_learner(graded):
    path = graded["tmp"] / "gradebook.sqlite"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT learner, score, times_graded FROM submissions").fetchall()
        counts = conn.execute("SELECT submission_id, count(*) FROM results GROUP BY submission_id").fetchall()
    assert sorted(r[0] for r in rows) == sorted(graded["expected"])
    assert all(r[2] == 1 for r in rows)
    assert all(c == 5 for _, c in counts) and len(counts) == len(rows)
    scores = {r[0]: r[1] for r in rows}
    assert scores["perfect"] == 7 and scores["partial"] == 2
    assert integrity_problems(graded["book"]) == []
