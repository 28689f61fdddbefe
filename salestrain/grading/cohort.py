"""Cohort grading as a Python API: collect -> pending -> grade -> record.

Each step has one job, and each takes and returns plain objects, so a notebook, a
script or the CLI (which only parses arguments and prints) run the same pipeline::

    from salestrain.grading import cohort
    run = cohort.grade_cohort("submissions/", "exercises/sample/funnel_forecast.ipynb",
                              db="gradebook.sqlite")
    for result in run.results:
        print(result.learner, result.score, result.stopped)

- :func:`collect` finds the submissions (regular files only; links, FIFOs, devices
  and paths leading outside the folder come back *refused*, with their reason);
- :func:`pending` reads each one once and keeps those not graded in their current
  content (the learner is named by :func:`~salestrain.grading.submissions.learner_of`,
  the one identity function, so ``alice/<any>.ipynb`` is skipped when unchanged);
- :func:`grade` runs them in sandboxed kernels, ``jobs`` at a time;
- :func:`record` stores one result in one gradebook transaction, as it ends, so a
  batch killed at any moment resumes with every learner graded exactly once.

Nothing a submission does stops the batch: its reason ends in its result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from salestrain.grading import autograde
from salestrain.grading.autograde import Limits, SubmissionResult
from salestrain.grading.gradebook import Gradebook, exercise_id
from salestrain.grading.run.sandbox import IsolationError, Sandbox, check_source_protected, sandbox
from salestrain.grading.run.sandbox import require_isolation as sandbox_require_isolation
from salestrain.grading.submissions import Submission, fingerprint, learner_of
from salestrain.grading.submissions import collect as _collect

__all__ = ["CohortRun", "IsolationRequiredError", "collect", "grade", "grade_cohort", "isolation",
           "learner_of", "pending", "record", "require_isolation"]


# One rule for "isolated", the sandbox's own: only level "none" (limits only) is refused.
IsolationRequiredError = IsolationError


def isolation() -> Sandbox:
    """The sandbox learner code will run in on this machine (decided once, by trying)."""
    return sandbox()


def require_isolation(box: Sandbox | None = None) -> Sandbox:
    """``--require-isolation``: the sandbox, or IsolationError saying what would have run."""
    return sandbox_require_isolation(box or isolation())


def collect(folder: Path | str, exercise_path: Path | str | None = None) -> list[Submission]:
    """Every submission under ``folder``, refused ones included (with their reason)."""
    protected = [Path(exercise_path)] if exercise_path is not None else []
    return _collect(Path(folder), protected)


def pending(book: Gradebook, exercise: str, submissions: Iterable[Submission], regrade: bool = False,
            root: Path | None = None) -> tuple[list[Submission], list[Submission]]:
    """(to grade, unchanged): each submission read once (no link followed, no FIFO
    waited on), and compared by its learner's name and SHA-256 with the gradebook.
    Refused submissions are kept in the first list: their reason must be shown."""
    done = {} if regrade else book.graded(exercise)
    todo, unchanged = [], []
    for sub in submissions:
        sub = fingerprint(sub, root)
        if sub.refused is None and done.get(sub.learner) == sub.sha256:
            unchanged.append(sub)
        else:
            todo.append(sub)
    return todo, unchanged


def record(book: Gradebook, exercise: str, result: SubmissionResult) -> bool:
    """Store one result in one transaction; a result that was not graded (refused, or a
    fault of the grader) is not stored, so it never replaces an earlier grade."""
    if not result.graded:
        return False
    book.record(exercise, result)
    return True


def grade(exercise_path: Path | str, submissions: Iterable[Submission], limits: Limits | None = None,
          jobs: int | None = None, on_result: Callable[[SubmissionResult], None] | None = None,
          progress: bool = False, private: Iterable[Path] = ()) -> list[SubmissionResult]:
    """Grade each submission in its own sandboxed kernel, ``jobs`` at a time; a no-code
    exercise's answer sheets are data, scored without any kernel."""
    from salestrain.grading import nocode
    from salestrain.grading.sources import read_notebook

    nb, _ = read_notebook(Path(exercise_path))
    if nb is not None and nocode.is_no_code(nb):
        return nocode.grade_submissions(Path(exercise_path), list(submissions), on_result)
    return autograde.grade(Path(exercise_path), list(submissions), limits,
                           jobs or autograde.default_jobs(), on_result, progress, private)


@dataclass
class CohortRun:
    """What one ``grade_cohort`` call did."""

    exercise: str
    sandbox: Sandbox
    results: list[SubmissionResult] = field(default_factory=list)
    unchanged: list[Submission] = field(default_factory=list)
    record_errors: dict[str, str] = field(default_factory=dict)  # learner -> why not stored

    @property
    def graded(self) -> list[SubmissionResult]:
        return [r for r in self.results if r.graded]

    @property
    def refused(self) -> list[SubmissionResult]:
        return [r for r in self.results if not r.graded]


def _private_paths(book: Gradebook) -> list[Path]:
    # Learner code must not see the gradebook file either (other learners' results).
    db_file = book.engine.url.database if book.engine.dialect.name == "sqlite" else None
    return [Path(db_file)] if db_file and db_file != ":memory:" else []


def grade_cohort(submissions: Path | str, exercise_path: Path | str, db: str | None = None,
                 limits: Limits | None = None, jobs: int | None = None, regrade: bool = False,
                 progress: bool = False, book: Gradebook | None = None,
                 on_result: Callable[[SubmissionResult], None] | None = None) -> CohortRun:
    """collect -> pending -> grade -> record, for one folder and one exercise."""
    exercise_path = Path(exercise_path)
    own_book = book is None
    book = book or Gradebook.open(db)
    try:
        name = exercise_id(exercise_path)
        box = check_source_protected(exercise_path)
        root = Path(submissions)
        found = collect(root, exercise_path)
        todo, unchanged = pending(book, name, found, regrade, root if root.is_dir() else None)
        run = CohortRun(name, box, unchanged=unchanged)

        def store(result: SubmissionResult) -> None:
            try:
                record(book, name, result)
            except Exception as exc:  # noqa: BLE001 - one row that cannot be stored stops nothing else
                run.record_errors[result.learner] = f"{type(exc).__name__}: {exc}"
            if on_result is not None:
                on_result(result)

        run.results = grade(exercise_path, todo, limits, jobs, store, progress, _private_paths(book))
        return run
    finally:
        if own_book:
            book.dispose()


def learner(root: Path, path: Path) -> str:
    """Alias of :func:`~salestrain.grading.submissions.learner_of` (the one identity)."""
    return learner_of(root, path)
