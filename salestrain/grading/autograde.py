"""Grade submissions: one fresh, limited kernel per submission; answers judged outside it.

The pipeline for one submission (each step has one job):

1. plan: keep the learner's code cells, drop every ``%%tests`` cell (the learner may
   have edited them), and put an *evaluation step* where each question's tests cell
   was (or at the end). An evaluation step sends only the ``answer`` expressions.
2. run: a new kernel in its own temporary folder, started by ``launcher.py`` (limits,
   unprivileged user when root, scrubbed environment); learner cells run one by one
   under a per-cell and a per-notebook time limit and an output cap.
3. judge: the kernel returns each answer as plain data; the grader compares it with
   the expected value it holds in memory. Expected values never enter the kernel,
   and hidden tests are never written to disk.
4. clean up: kill the kernel's process group and any process carrying this run's
   marker (forked children), delete the folder.

A run that hangs, dies or floods stops there; questions evaluated before keep their
points, the rest get the reason (``timed out`` / ``kernel died``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import math
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from salestrain.base.errors import GradingError, Problem
from salestrain.base.i18n import t
from salestrain.grading.format import Exercise, cell_source, is_tests_cell, parse_header
from salestrain.grading.outcome import (
    ERROR,
    KERNEL_DIED,
    PASSED,
    TIMED_OUT,
    TestOutcome,
    judge,
    stopped,
)
from salestrain.grading.run.sandbox import (
    DEBUG_VAR,
    UID_BASE,
    CappedClient,
    Sandbox,
    SandboxKernelManager,
    check_source_protected,
    expose_paths,
    fresh_ids,
    hide_paths,
    kernel_environment,
    kill_kernel,
    sandbox,
    sweep,
)

__all__ = ["UID_BASE", "Limits", "Sandbox", "SubmissionResult", "check_source_protected",
           "collect_submissions", "grade", "grade_all", "grade_notebook", "run_sync", "sandbox"]

T = TypeVar("T")
MAX_SUBMISSION_BYTES = 50_000_000  # a notebook bigger than this is not an answer


@dataclass(frozen=True)
class Limits:
    cell_seconds: float = 30.0
    notebook_seconds: float = 120.0
    memory_mb: int = 2048  # address space; ipykernel + pandas need about 1 GB of it
    output_bytes: int = 2_000_000
    file_mb: int = 64
    max_processes: int = 512
    startup_seconds: float = 60.0


@dataclass
class SubmissionResult:
    learner: str
    path: str
    sha256: str
    outcomes: list[TestOutcome]
    cell_errors: list[str] = field(default_factory=list)  # "cell 4: NameError"
    stopped: str | None = None  # why the run ended early
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return sum(o.points for o in self.outcomes)

    @property
    def max_score(self) -> float:
        return sum(o.max_points for o in self.outcomes)

    def question_scores(self) -> dict[str, tuple[float, float]]:
        scores: dict[str, tuple[float, float]] = {}
        for o in self.outcomes:
            got, most = scores.get(o.question, (0.0, 0.0))
            scores[o.question] = (got + o.points, most + o.max_points)
        return scores

    def as_dict(self) -> dict[str, Any]:
        return {"learner": self.learner, "path": self.path, "sha256": self.sha256,
                "score": self.score, "max_score": self.max_score, "stopped": self.stopped,
                "cell_errors": self.cell_errors, "seconds": self.seconds,
                "outcomes": [o.as_dict() for o in self.outcomes]}


@dataclass(frozen=True)
class Step:
    source: str = ""  # learner code
    question: str | None = None  # evaluation step for this question
    cell: int | None = None  # index in the submission (for messages)


def plan(exercise: Exercise, nb: dict[str, Any]) -> list[Step]:
    """Learner code cells in order, with one evaluation step per question."""
    steps: list[Step] = []
    pending = list(exercise.questions)
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = cell_source(cell)
        if is_tests_cell(cell):
            header, _ = parse_header(source.lstrip().splitlines()[0])
            if header is not None and header.qid in pending:
                pending.remove(header.qid)
                steps.append(Step(question=header.qid, cell=index))
            continue
        if source.strip():
            steps.append(Step(source=source, cell=index))
    steps.extend(Step(question=qid) for qid in pending)
    return steps


def evaluation_code(expressions: list[str], nonce: str) -> str:
    # Only the expressions travel; the expected values stay in the grader.
    return (
        "import salestrain.grading.plain as _salestrain_plain\n"
        f"print({nonce!r} + _salestrain_plain.dumps(_salestrain_plain.evaluate("
        f"__import__('IPython').get_ipython().user_ns, {json.dumps(expressions)})))"
    )


def parse_records(outputs: list[Any], nonce: str, count: int) -> list[dict[str, Any]] | None:
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream"
                   and o.get("name") == "stdout")
    at = text.rfind(nonce)
    if at < 0:
        return None
    line = text[at + len(nonce):].split("\n", 1)[0]
    try:
        records = json.loads(line)
    except json.JSONDecodeError:
        return None
    if not isinstance(records, list) or len(records) != count:
        return None
    return records


# ----------------------------------------------------------------------------- grading


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def learner_name(path: Path) -> str:
    return path.stem


async def grade_notebook(exercise: Exercise, exercise_path: Path, submission: Path,
                         limits: Limits, learner: str | None = None,
                         private: Iterable[Path] = ()) -> SubmissionResult:
    """Grade one submission in a fresh sandboxed kernel; ``private`` are more paths
    its code must not see (other learners' submissions, the gradebook)."""
    started = time.monotonic()
    learner = learner or learner_name(submission)
    digest = sha256_of(submission)
    try:
        if submission.stat().st_size > MAX_SUBMISSION_BYTES:
            raise GradingError(t("grading.error.too_large", mb=MAX_SUBMISSION_BYTES // 10**6))
        nb = nbformat.read(str(submission), as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the learner's, not ours
        outcomes = [stopped(test, ERROR, type(exc).__name__)
                    for q in exercise.questions.values() for test in q.tests]
        return SubmissionResult(learner, str(submission), digest, outcomes,
                                stopped=t("grading.grade.unreadable", error=type(exc).__name__))
    steps = plan(exercise, nb)
    box = sandbox()
    ids = fresh_ids() if box.isolated else None
    marker = secrets.token_hex(16)
    workdir = Path(tempfile.mkdtemp(prefix="salestrain-grade-"))
    outcomes: dict[str, list[TestOutcome]] = {}
    cell_errors: list[str] = []
    stop: str | None = None
    stop_status = KERNEL_DIED
    km = SandboxKernelManager(kernel_name="python3")
    try:
        from salestrain.grading.release import side_files

        # The data files a learner also gets in the release, at the same relative paths.
        # Subfolders only inside an `exercises` tree: an exercise kept in, say, a home
        # folder must not drag every CSV below it into each learner's folder.
        folder = exercise_path.parent
        for path in side_files(folder, recursive="exercises" in folder.resolve().parts):
            target = workdir / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        if ids is not None:
            for path in [workdir, *workdir.rglob("*")]:
                os.chown(path, *ids)
        km.connection_file = str(workdir / ".kernel.json")
        if box.namespace:
            # The kernel has no network (its own network namespace): unix sockets instead.
            km.transport = "ipc"
            km.ip = str(workdir / ".kernel-ipc")
        km.launch_config = {
            "memory_bytes": limits.memory_mb * 1024 * 1024,
            "file_bytes": limits.file_mb * 1024 * 1024,
            "cpu_seconds": int(math.ceil(limits.notebook_seconds)) + 5,
            "max_processes": limits.max_processes,
            "uid": ids[0] if ids else None,
            "gid": ids[1] if ids else None,
            "namespace": box.namespace,
            "parent": os.getpid(),
            "expose": expose_paths(),
            "hide": hide_paths(exercise_path, [submission.parent, *private], workdir),
            "cwd": str(workdir),
            "python": sys.executable,
            "env": kernel_environment(workdir, marker),
        }
        run_nb = nbformat.v4.new_notebook()
        client = CappedClient(run_nb, km=km, output_cap=limits.output_bytes, allow_errors=True,
                              timeout=int(limits.cell_seconds), startup_timeout=int(limits.startup_seconds),
                              interrupt_on_timeout=False, kernel_name="python3", record_timing=False)
        deadline = started + limits.notebook_seconds
        try:
            # The kernel's own stdout/stderr (not the notebook's) go nowhere unless debugging.
            quiet = None if os.environ.get(DEBUG_VAR) else subprocess.DEVNULL
            await client.async_start_new_kernel(cwd=str(workdir), stdout=quiet, stderr=quiet,
                                                stdin=subprocess.DEVNULL)
            await client.async_start_new_kernel_client()
            # The kernel has read it; another process with the key could drive this kernel.
            Path(km.connection_file).unlink(missing_ok=True)
        except Exception as exc:  # noqa: BLE001 - a kernel that cannot start is reported, not raised
            stop = t("grading.grade.no_kernel", error=type(exc).__name__)
        nonce = "\x1e" + secrets.token_hex(8) + ":"
        for step in steps if stop is None else []:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                stop, stop_status = t("grading.grade.time_limit"), TIMED_OUT
                break
            client.timeout = max(1, int(math.ceil(min(limits.cell_seconds, remaining))))
            if step.question is None:
                code = step.source
            else:
                tests = exercise.questions[step.question].tests
                code = evaluation_code([test.answer for test in tests], nonce)
            cell = nbformat.v4.new_code_cell(code)
            run_nb.cells.append(cell)
            # cell_errors keep the documented "cell 4: NameError" form (stored, compared
            # across runs); the reason a run stopped is worded for people.
            where = f"cell {step.cell + 1}" if step.cell is not None else "end"
            shown_at = (t("grading.grade.at_cell", cell=step.cell + 1) if step.cell is not None
                        else t("grading.grade.at_end"))
            try:
                await client.async_execute_cell(cell, len(run_nb.cells) - 1, store_history=False)
            except CellTimeoutError:
                stop, stop_status = t("grading.grade.stopped_at", cause=t("grading.grade.time_limit"),
                                      where=shown_at), TIMED_OUT
                break
            except DeadKernelError:
                cause = t("grading.grade.output_limit") if client.flooded else t("grading.grade.kernel_exited")
                stop, stop_status = t("grading.grade.stopped_at", cause=cause, where=shown_at), KERNEL_DIED
                break
            if client.flooded:
                stop, stop_status = t("grading.grade.stopped_at", cause=t("grading.grade.output_limit"),
                                      where=shown_at), KERNEL_DIED
                break
            errors = [o for o in cell.outputs if o.get("output_type") == "error"]
            if step.question is None:
                if errors:
                    cell_errors.append(f"{where}: {errors[0].get('ename', 'Error')}")
                continue
            tests = exercise.questions[step.question].tests
            records = parse_records(cell.outputs, nonce, len(tests))
            if records is None:
                name = errors[0].get("ename", "Error") if errors else "GraderProtocolError"
                records = [{"status": "error", "error": name}] * len(tests)
            outcomes[step.question] = [judge(test, rec) for test, rec in zip(tests, records, strict=True)]
            cell.source = ""  # keep nothing of the hidden expressions around longer than needed
    finally:
        with contextlib.suppress(Exception):
            kill_kernel(km)
            await km.shutdown_kernel(now=True)
        with contextlib.suppress(Exception):
            await km.cleanup_resources()
        sweep(marker)
        shutil.rmtree(workdir, ignore_errors=True)
    final: list[TestOutcome] = []
    for qid, question in exercise.questions.items():
        if qid in outcomes:
            final.extend(outcomes[qid])
        else:
            cause = stop or t("grading.grade.not_reached")
            final.extend(stopped(test, stop_status if stop else ERROR, cause) for test in question.tests)
    return SubmissionResult(learner, str(submission), digest, final, cell_errors, stop,
                            round(time.monotonic() - started, 3))


def load_exercise(path: Path) -> tuple[Exercise, dict[str, Any]]:
    from salestrain.grading.validate import markup_problems, read_notebook

    nb, problems = read_notebook(path)
    if nb is None:
        raise GradingError(t("grading.error.cannot_read_exercise", path=path), problems)
    exercise, problems = markup_problems(nb, str(path))
    if problems:
        raise GradingError(t("grading.error.exercise_markup", path=path), problems)
    return exercise, nb


def default_jobs() -> int:
    """Kernels at a time: twice the cores. A kernel waits part of its life (start-up
    handshakes, sleeping cells, shutdown); with 2 jobs on 2 cores the cohort benchmark
    kept 0.9 cores busy, with 4 jobs 1.4 and a 37% shorter wall time."""
    return 2 * (os.cpu_count() or 1)


def collect_submissions(folder: Path) -> list[tuple[str, Path]]:
    """(learner, notebook) pairs: `alice.ipynb` is alice's; `alice/any.ipynb` too."""
    folder = Path(folder)
    if folder.is_file():
        return [(learner_name(folder), folder)]
    found: list[tuple[str, Path]] = []
    for path in sorted(folder.rglob("*.ipynb")):
        rel = path.relative_to(folder)
        if ".ipynb_checkpoints" in rel.parts or any(part.startswith(".") for part in rel.parts):
            continue
        learner = path.stem if len(rel.parts) == 1 else "/".join(rel.parts[:-1])
        found.append((learner, path))
    names = [name for name, _ in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise GradingError(t("grading.error.duplicate_learners", folder=folder,
                             learners=", ".join(duplicates)))
    return found


async def grade_all(exercise_path: Path, submissions: Iterable[tuple[str, Path] | Path],
                    limits: Limits | None = None, jobs: int = 2,
                    on_result: Callable[[SubmissionResult], None] | None = None,
                    progress: bool = False, private: Iterable[Path] = ()) -> list[SubmissionResult]:
    """Grade many submissions, ``jobs`` kernels at a time. Each kernel sees none of the
    submissions (their common folder is hidden) nor the ``private`` paths."""
    limits = limits or Limits()
    exercise, _ = load_exercise(exercise_path)
    check_source_protected(exercise_path)
    pairs = [(learner_name(p), p) if isinstance(p, Path) else (p[0], Path(p[1])) for p in submissions]
    folders = [str(p.resolve().parent) for _, p in pairs]
    hidden = [*(Path(p) for p in private), *([Path(os.path.commonpath(folders))] if folders else [])]
    semaphore = asyncio.Semaphore(max(1, jobs))
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(pairs), desc=t("grading.grade.progress"), unit="nb", file=sys.stderr)

    async def one(learner: str, path: Path) -> SubmissionResult:
        async with semaphore:
            result = await grade_notebook(exercise, exercise_path, path, limits, learner, hidden)
        if on_result is not None:
            on_result(result)  # the gradebook's transaction, before the next one starts
        if bar is not None:
            bar.update(1)
        return result

    try:
        return list(await asyncio.gather(*(one(name, path) for name, path in pairs)))
    finally:
        if bar is not None:
            bar.close()


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end from synchronous code, even where an event loop is
    already running in this thread (a notebook, Playwright's sync API): then in a
    thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def grade(exercise_path: Path, submissions: Iterable[tuple[str, Path] | Path],
          limits: Limits | None = None, jobs: int = 2,
          on_result: Callable[[SubmissionResult], None] | None = None,
          progress: bool = False, private: Iterable[Path] = ()) -> list[SubmissionResult]:
    return run_sync(grade_all(Path(exercise_path), list(submissions), limits, jobs, on_result,
                              progress, private))


def grade_source(path: Path, exercise: Exercise, limits: Limits | None = None) -> list[Problem]:
    """Run the trainer's own notebook as a submission: every test must pass."""
    result = run_sync(grade_notebook(exercise, path, path, limits or Limits(notebook_seconds=300)))
    problems = [Problem(str(path), None, "(execution)", t("grading.error.solution_cell_error", error=err))
                for err in result.cell_errors]
    if result.stopped:
        problems.append(Problem(str(path), None, "(execution)",
                                t("grading.error.solution_stopped", cause=result.stopped)))
    for outcome in result.outcomes:
        if outcome.status != PASSED and not result.stopped:
            question = exercise.questions[outcome.question]
            problems.append(Problem(
                f"{path}:cell {question.cells[0] + 1}", None, f"{outcome.question}",
                t("grading.error.solution_fails", name=outcome.name, reason=outcome.reason)))
    return problems
