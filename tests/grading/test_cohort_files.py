"""The cohort API without kernels: which files are submissions, whose they are, what a
malformed answer record becomes, and the rules for files the grading commands write.

Classes of issue 17 covered here: 1 (malformed records, FIFOs never hang), 2 (only
regular files inside the folder), 8 (one learner identity), the overwrite rules, and the
import-cycle rule of issue 12.
"""

from __future__ import annotations

import ast
import json
import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.base.files import OverwriteRefusedError
from salestrain.grading import autograde, cohort
from salestrain.grading.format import TestCase
from salestrain.grading.gradebook import Gradebook, integrity_problems
from salestrain.grading.outcome import ERROR, PASSED
from salestrain.grading.run.sandbox import Sandbox
from salestrain.grading.submissions import collect, fingerprint, learner_of
from tests.grading import hostile
from tests.grading.helpers import ROOT, SAMPLE, copy_sample, write

TEST = TestCase(question="q1", name="t", answer="x", expect=3, points=2.0,
                feedback="grading.sample.weighted", tolerance=0.5)


# ------------------------------------------------------------------ identity (class 8)


@given(st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), min_size=1, max_size=3),
       st.from_regex(r"[a-z][a-z0-9_ ]{0,10}", fullmatch=True))
@settings(max_examples=60, deadline=None)
def test_learner_is_the_folder_or_the_top_level_stem(folders, stem):
    root = Path("/subs")
    assert learner_of(root, root / f"{stem}.ipynb") == stem
    assert learner_of(root, root.joinpath(*folders, f"{stem}.ipynb")) == "/".join(folders)


def test_collect_and_pending_name_a_learner_the_same_way(tmp_path):
    subs = tmp_path / "subs"
    write(hostile.solved(), subs / "alice" / "Untitled (3).ipynb")
    write(hostile.solved(), subs / "bo.ipynb")
    found = cohort.collect(subs)
    assert [(s.learner, s.refused) for s in found] == [("alice", None), ("bo", None)]
    book = Gradebook.open(str(tmp_path / "gb.sqlite"))
    todo, unchanged = cohort.pending(book, "ex", found, root=subs)
    assert [s.learner for s in todo] == ["alice", "bo"] and unchanged == []
    for sub in todo:  # recorded as the grader would, by the learner collect named
        cohort.record(book, "ex", autograde.SubmissionResult(sub.learner, str(sub.path), sub.sha256, []))
    todo, unchanged = cohort.pending(book, "ex", cohort.collect(subs), root=subs)
    assert todo == [] and [s.learner for s in unchanged] == ["alice", "bo"]
    # A changed notebook is graded again; --regrade grades everyone.
    write(hostile.replace_in(hostile.solved(), '"won": 1.0', '"won": 0.9'), subs / "alice" / "Untitled (3).ipynb")
    todo, _ = cohort.pending(book, "ex", cohort.collect(subs), root=subs)
    assert [s.learner for s in todo] == ["alice"]
    assert len(cohort.pending(book, "ex", cohort.collect(subs), regrade=True, root=subs)[0]) == 2
    assert integrity_problems(book) == []
    book.dispose()


# ------------------------------------------------------------- regular files (class 2)


def _special_files(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A submissions folder with every kind of file that must be refused, and the word
    each refusal must contain."""
    source = copy_sample(tmp_path / "trainer")
    subs = tmp_path / "subs"
    write(hostile.solved(), subs / "honest.ipynb")
    (subs / "linked.ipynb").symlink_to(source)  # what cp -a of a learner's link brings
    (subs / "mallory").mkdir()
    (subs / "mallory" / "work.ipynb").symlink_to(source)
    os.mkfifo(subs / "fifo.ipynb")
    outside = tmp_path / "elsewhere"
    write(hostile.solved(), outside / "copied.ipynb")
    (subs / "trudy").symlink_to(outside, target_is_directory=True)
    os.link(source, subs / "hardlinked.ipynb")
    expected = {"linked": "symbolic link", "mallory": "symbolic link", "fifo": "FIFO",
                "trudy": "symbolic link", "hardlinked": "exercise source"}
    try:
        os.mknod(subs / "device.ipynb", stat.S_IFCHR | 0o600, os.makedev(1, 3))
        expected["device"] = "device"
    except PermissionError:
        pass  # not root: no device file to test with
    return source, subs, expected


def test_links_fifos_devices_and_paths_outside_are_refused_with_a_reason(tmp_path):
    source, subs, expected = _special_files(tmp_path)
    found = {s.learner: s for s in cohort.collect(subs, source)}
    assert found["honest"].refused is None
    for learner, word in expected.items():
        assert found[learner].refused is not None and word in found[learner].refused, (learner, found[learner])
    assert sorted(found) == sorted(["honest", *expected])


def test_refused_files_are_reported_in_the_results_and_never_recorded(tmp_path):
    source, subs, expected = _special_files(tmp_path)
    (subs / "honest.ipynb").unlink()  # no kernel needed: every file is refused
    db = tmp_path / "gb.sqlite"
    run = cohort.grade_cohort(subs, source, db=str(db), limits=autograde.Limits())
    by_learner = {r.learner: r for r in run.results}
    assert sorted(by_learner) == sorted(expected)
    for learner, word in expected.items():
        result = by_learner[learner]
        assert not result.graded and result.score == 0 and word in result.stopped
        assert len(result.outcomes) == 5 and all(word in o.message for o in result.outcomes)
    book = Gradebook.open(str(db))
    assert book.rows() == [] and integrity_problems(book) == []
    book.dispose()


def test_a_fifo_never_blocks_pending(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    fifo = subs / "x.ipynb"
    os.mkfifo(fifo)
    book = Gradebook.open(str(tmp_path / "gb.sqlite"))
    out: list = []
    # A plain Submission (as an old caller would make): collect would already refuse it.
    worker = threading.Thread(target=lambda: out.append(cohort.pending(
        book, "ex", [cohort.Submission("x", fifo)], root=subs)), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "pending() blocked on a FIFO"
    [todo], unchanged = out[0]
    assert "FIFO" in todo.refused and unchanged == []
    book.dispose()


def test_fingerprint_grades_the_bytes_it_hashed_and_refuses_big_files(tmp_path):
    path = write(hostile.solved(), tmp_path / "a.ipynb")
    sub = fingerprint(cohort.Submission("a", path))
    assert sub.data == path.read_bytes() and len(sub.sha256) == 64
    assert "larger than" in fingerprint(cohort.Submission("a", path), max_bytes=100).refused


def test_two_notebooks_for_one_learner_are_both_refused_and_named(tmp_path):
    write(hostile.solved(), tmp_path / "ana" / "a.ipynb")
    write(hostile.solved(), tmp_path / "ana" / "b.ipynb")
    found = collect(tmp_path)
    assert all("more than one notebook" in s.refused for s in found) and len(found) == 2
    assert "b.ipynb" in found[0].refused and "a.ipynb" in found[1].refused


# ------------------------------------------------- malformed answer records (class 1)


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("entry", [
    None, [], "text", {"status": "ok"}, {"status": "ok", "data": []},
    {"status": "ok", "data": {"text/plain": "not a literal ("}},
    {"status": "ok", "data": {"text/plain": repr("[1, 2]")}},  # JSON of the wrong shape
    {"status": "ok", "data": {"text/plain": repr("{\"status\": 3}")}},
    {"status": "ok", "data": {"text/plain": repr(_deep(100_000))}},  # RecursionError in json
    {"status": "ok", "data": {"text/plain": _deep(100_000)}},  # and in literal_eval
    {"status": "error", "ename": None},
])
def test_any_reply_entry_becomes_a_reason_never_an_exception(entry):
    record = autograde.parse_answer(entry)
    outcome = autograde.safe_judge(TEST, record)
    assert outcome.status == ERROR and outcome.points == 0 and outcome.message


@pytest.mark.parametrize("record", [
    None, [1], "ok", {"status": "ok", "value": json.loads(_deep(50))},
    {"status": "ok", "value": {"a": [1]}}, {"status": "unsupported"}, {"status": 5},
])
def test_records_of_the_wrong_shape_score_zero_with_a_reason(record):
    outcome = autograde.safe_judge(TEST, record)
    assert outcome.points == 0 and outcome.reason


def test_a_well_formed_answer_still_passes():
    entry = {"status": "ok", "data": {"text/plain": repr(json.dumps({"status": "ok", "value": 3.2}))}}
    assert autograde.safe_judge(TEST, autograde.parse_answer(entry)).status == PASSED


# ----------------------------------------------------------------- overwrite rules


def test_release_refuses_to_replace_files_without_force_and_honours_the_umask(tmp_path):
    out = tmp_path / "release"
    old = os.umask(0o022)
    try:
        from salestrain.grading.release import release

        written = release(SAMPLE, out)
        assert all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in written)
        learner_copy = written[0]
        learner_copy.write_text("a learner's work", encoding="utf-8")
        with pytest.raises(OverwriteRefusedError, match="--force"):
            release(SAMPLE, out)
        assert learner_copy.read_text(encoding="utf-8") == "a learner's work"
        release(SAMPLE, out, force=True)
        assert "a learner's work" not in learner_copy.read_text(encoding="utf-8")
    finally:
        os.umask(old)


def _cli(command, *args: str):
    return CliRunner().invoke(command, list(args), catch_exceptions=True)


def test_report_and_grade_json_refuse_existing_files_before_any_work(tmp_path):
    from salestrain.cli.grading import grade, report

    existing = tmp_path / "report.html"
    existing.write_text("keep me", encoding="utf-8")
    db = tmp_path / "gb.sqlite"
    result = _cli(report, "--db", str(db), "--out", str(existing))
    assert isinstance(result.exception, OverwriteRefusedError)
    assert existing.read_text(encoding="utf-8") == "keep me" and not db.exists()

    subs = tmp_path / "subs"
    write(hostile.solved(), subs / "a.ipynb")
    json_out = tmp_path / "grades.json"
    json_out.write_text("[]", encoding="utf-8")
    result = _cli(grade, str(subs), "--exercise", str(SAMPLE), "--db", str(db), "--json", str(json_out),
                  "--quiet")
    assert isinstance(result.exception, OverwriteRefusedError), result.output
    assert result.output.startswith("isolation: ")  # said first, before anything else
    assert json_out.read_text(encoding="utf-8") == "[]" and not db.exists()  # nothing graded


def test_require_isolation_refuses_when_learner_code_would_not_be_isolated(tmp_path, monkeypatch):
    from salestrain.cli.grading import grade

    subs = tmp_path / "subs"
    write(hostile.solved(), subs / "a.ipynb")
    db = tmp_path / "gb.sqlite"
    # The level a non-root trainer gets where no namespace tool exists (e.g. macOS).
    monkeypatch.setattr(cohort, "isolation", lambda: Sandbox())
    result = _cli(grade, str(subs), "--exercise", str(SAMPLE), "--db", str(db), "--require-isolation")
    assert isinstance(result.exception, cohort.IsolationRequiredError)
    assert "isolation: none" in result.output and "isolation: none" in str(result.exception)
    assert not db.exists()


# ----------------------------------------------------------------- import direction


def _imports(path: Path) -> set[str]:
    """Every salestrain.grading module imported by a file, at any depth (functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            found.update(n for n in names if n.startswith("salestrain.grading"))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("salestrain.grading"))
    return found


def test_no_import_cycle_among_grading_modules_including_function_level_imports():
    package = ROOT / "salestrain" / "grading"
    modules = {}
    for path in package.rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        modules[name] = path
    graph = {name: {m for m in _imports(path) if m in modules and m != name}
             for name, path in modules.items()}
    # A package's __init__ is imported with its submodules; it must not close a cycle.
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, trail: list[str]) -> bool:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycle.extend([*trail, node, nxt])
                return True
            if nxt not in state and visit(nxt, [*trail, node]):
                return True
        state[node] = 2
        return False

    for name in sorted(graph):
        if name not in state and visit(name, []):
            break
    assert cycle == [], " -> ".join(cycle)
    assert "salestrain.grading.autograde" not in graph["salestrain.grading.release"]
    assert not {"salestrain.grading.release", "salestrain.grading.validate"} & graph["salestrain.grading.autograde"]
