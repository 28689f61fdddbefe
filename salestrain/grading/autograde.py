"""Grade submissions: one fresh, limited kernel per submission; answers judged outside it.

The pipeline for one submission (each step has one job):

1. plan: keep the learner's code cells, drop every ``%%tests`` cell (the learner may
   have edited them), and put an *evaluation step* where each question's tests cell
   was (or at the end).
2. run: a new kernel in its own working folder, started by ``run/launcher.py`` (limits,
   unprivileged user when root, scrubbed environment); learner cells run one by one
   under a per-cell and a per-notebook time limit and an output cap.
3. ask: each test's ``answer`` expression is sent alone, as a Jupyter
   ``user_expressions`` entry of a *silent* execute request with no code: no learner
   hook runs (``pre_run_cell`` is not triggered for silent requests), nothing is
   printed, and the answer comes back in the execute reply on the shell channel,
   matched by the request's id, never over the learner's stdout. Each test has its own
   time limit: a hang is interrupted and costs that test only.
4. judge: the answer arrives as JSON data and is compared, in the grader, with the
   expected value the kernel never saw. Whatever arrives (wrong shape, deep nesting,
   garbage) ends as that test's reason, never as an exception.
5. clean up: kill the kernel's process group and any process carrying this run's
   marker, delete the working folder. Folders left by a grader killed with ``kill -9``
   are swept at the next start (:func:`sweep_stale_workdirs`).

``grade_submission`` never raises for anything a submission does: one submission's
problems end as its reason, and the batch goes on.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import json
import math
import os
import queue
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

from salestrain.base.errors import Problem
from salestrain.base.i18n import t
from salestrain.grading.format import Exercise, TestCase, cell_source, is_tests_cell, parse_header
from salestrain.grading.notebooks import CellTimeoutError, DeadKernelError, nbformat
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
from salestrain.grading.sources import load_exercise, side_files
from salestrain.grading.submissions import MAX_SUBMISSION_BYTES, Submission, fingerprint, learner_of

__all__ = ["MAX_SUBMISSION_BYTES", "UID_BASE", "Limits", "Sandbox", "SubmissionResult",
           "check_source_protected", "collect_submissions", "grade", "grade_all", "grade_notebook",
           "grade_submission", "load_exercise", "run_sync", "sandbox", "sweep_stale_workdirs"]

T = TypeVar("T")
WORKDIR_PREFIX = "salestrain-grade-"
PROTOCOL_ERROR = "GraderProtocolError"
MAX_ANSWER_CHARS = 20_000_000  # one answer's JSON; past this it is not a course answer
INTERRUPT_GRACE = 3.0  # seconds an interrupted test has to give its reply back


@dataclass(frozen=True)
class Limits:
    cell_seconds: float = 30.0
    notebook_seconds: float = 120.0
    memory_mb: int = 2048  # address space; ipykernel + pandas need about 1 GB of it
    output_bytes: int = 2_000_000
    file_mb: int = 64
    max_processes: int = 512
    startup_seconds: float = 60.0
    test_seconds: float = 10.0  # one test's answer expression (a learner function call)


@dataclass
class SubmissionResult:
    learner: str
    path: str
    sha256: str
    outcomes: list[TestOutcome]
    cell_errors: list[str] = field(default_factory=list)  # "cell 4: NameError"
    stopped: str | None = None  # why the run ended early
    seconds: float = 0.0
    # False: not graded at all (a refused file, a grader fault); it is reported, and
    # not recorded, so it never replaces a learner's earlier grade.
    graded: bool = True

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
                "graded": self.graded, "cell_errors": self.cell_errors, "seconds": self.seconds,
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
    cells = nb.get("cells", [])
    for index, cell in enumerate(cells if isinstance(cells, list) else []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
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


# ------------------------------------------------------------------------ answer channel


def answer_expression(expression: str) -> str:
    """The ``user_expressions`` entry for one test: the answer, serialised in the kernel
    by ``plain.answer`` into JSON text. Only built-in names are used (``__import__``),
    so a learner's own ``print``, ``json`` or ``pprint`` never matter."""
    return ("__import__('salestrain.grading.plain', fromlist=['answer']).answer("
            f"lambda: ({expression}\n))")


def parse_answer(entry: Any) -> dict[str, Any]:
    """One ``user_expressions`` reply entry -> a record for :func:`judge`. Anything that
    is not the expected shape is a protocol error (a reason, never an exception)."""
    protocol = {"status": "error", "error": PROTOCOL_ERROR}
    if not isinstance(entry, dict):
        return protocol
    if entry.get("status") != "ok":
        name = entry.get("ename")
        return {"status": "error", "error": name[:100] if isinstance(name, str) and name else "Error"}
    data = entry.get("data")
    text = data.get("text/plain") if isinstance(data, dict) else None
    if not isinstance(text, str) or len(text) > MAX_ANSWER_CHARS:
        return protocol
    try:
        payload = ast.literal_eval(text)
        record = json.loads(payload) if isinstance(payload, str) else None
    except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
        return protocol
    if not isinstance(record, dict) or not isinstance(record.get("status"), str):
        return protocol
    return record


def safe_judge(test: TestCase, record: Any) -> TestOutcome:
    """:func:`judge`, for any record a kernel may send: a malformed one is an error."""
    if not isinstance(record, dict):
        record = {"status": "error", "error": PROTOCOL_ERROR}
    try:
        return judge(test, record)
    except Exception:  # noqa: BLE001 - e.g. RecursionError on a deeply nested value
        return stopped(test, ERROR, PROTOCOL_ERROR)


async def _shell_reply(client: CappedClient, msg_id: str) -> dict[str, Any]:
    kc = client.kc
    while True:
        try:
            msg = await kc.get_shell_msg(timeout=1)
        except queue.Empty:
            if not await client.km.is_alive():
                raise DeadKernelError("Kernel died") from None
            continue
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            return msg


async def _drain_iopub(client: CappedClient, msg_id: str) -> None:
    """Read this request's output until the kernel is idle, counting it against the
    output cap (a learner function called by a test may print too)."""
    kc = client.kc
    while True:
        msg = await kc.get_iopub_msg(timeout=None)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        content = msg.get("content", {})
        # The client's meter has already counted this message (every byte on every
        # channel); past the cap it has killed the kernel.
        if client.flooded:
            return
        if msg.get("msg_type") == "status" and content.get("execution_state") == "idle":
            return


def _interrupt(client: CappedClient) -> None:
    # Over the control channel: ipykernel's control thread answers while the main
    # thread is busy, and it signals itself, whatever wraps the kernel's process.
    kc = client.kc
    with contextlib.suppress(Exception):
        kc.control_channel.send(kc.session.msg("interrupt_request", {}))


async def ask(client: CappedClient, expression: str, seconds: float) -> tuple[dict[str, Any] | None, str]:
    """Evaluate one answer expression; returns (record, "") or (None, why) with why one
    of ``timeout`` (interrupted, the kernel goes on), ``stuck`` (did not stop when
    interrupted), ``dead`` or ``flood``."""
    key = "a" + secrets.token_hex(8)
    msg_id = client.kc.execute("", silent=True, store_history=False, allow_stdin=False,
                               stop_on_error=False,
                               user_expressions={key: answer_expression(expression)})
    reply_task = asyncio.ensure_future(_shell_reply(client, msg_id))
    drain_task = asyncio.ensure_future(_drain_iopub(client, msg_id))
    try:
        done, _ = await asyncio.wait({reply_task, drain_task}, timeout=seconds,
                                     return_when=asyncio.FIRST_EXCEPTION)
        if client.flooded:
            return None, "flood"
        if reply_task not in done:
            if drain_task in done and drain_task.exception() is None and not client.flooded:
                # Output finished first (idle before the reply is read): wait for the reply.
                done, _ = await asyncio.wait({reply_task}, timeout=max(0.1, seconds))
            if reply_task not in done:
                if not await client.km.is_alive():
                    return None, "dead"
                _interrupt(client)
                done, _ = await asyncio.wait({reply_task}, timeout=INTERRUPT_GRACE)
                if reply_task in done and reply_task.exception() is None:
                    await asyncio.wait({drain_task}, timeout=INTERRUPT_GRACE)
                    return None, "timeout"
                return None, "dead" if reply_task in done else "stuck"
        if reply_task.exception() is not None:
            return None, "flood" if client.flooded else "dead"
        reply = reply_task.result()
        if drain_task not in done:
            await asyncio.wait({drain_task}, timeout=INTERRUPT_GRACE)
        if client.flooded:
            return None, "flood"
    finally:
        for task in (reply_task, drain_task):
            task.cancel()
        for task in (reply_task, drain_task):
            with contextlib.suppress(BaseException):
                await task
    content = reply.get("content", {}) if isinstance(reply, dict) else {}
    entries = content.get("user_expressions") if isinstance(content, dict) else None
    entry = entries.get(key) if isinstance(entries, dict) else None
    record = parse_answer(entry)  # the reply was metered on arrival, like all output
    return record, ""


# --------------------------------------------------------------------- working folders


def _start_ticks(pid: int) -> str:
    """A process's start time (clock ticks since boot), so a reused pid is not taken
    for the grader that made a folder."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return "0"


def _owner_tag() -> str:
    return f"{os.getpid()}-{_start_ticks(os.getpid())}"


def make_workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{WORKDIR_PREFIX}{_owner_tag()}-"))


def sweep_stale_workdirs(base: Path | None = None) -> list[Path]:
    """Delete working folders whose grader is gone (killed with ``kill -9``: it could not
    clean up). A folder whose grader still runs is left alone, whoever that grader is."""
    base = Path(base or tempfile.gettempdir())
    removed = []
    for folder in base.glob(f"{WORKDIR_PREFIX}*"):
        parts = folder.name[len(WORKDIR_PREFIX):].split("-")
        if len(parts) < 3 or not parts[0].isdigit():
            continue  # not named by this version: whose it is cannot be told
        pid, ticks = int(parts[0]), parts[1]
        if Path(f"/proc/{pid}").exists() and _start_ticks(pid) == ticks:
            continue
        try:
            owner = folder.lstat().st_uid
        except OSError:
            continue
        if owner != os.geteuid() and owner < UID_BASE:
            continue  # someone else's: not ours to delete
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.append(folder)
    return removed


# ----------------------------------------------------------------------------- grading


def learner_name(path: Path) -> str:
    """The learner of a notebook named on its own (``alice.ipynb`` -> ``alice``)."""
    return learner_of(Path(path).parent, Path(path))


def _all_stopped(exercise: Exercise, status: str, cause: str) -> list[TestOutcome]:
    return [stopped(test, status, cause) for q in exercise.questions.values() for test in q.tests]


def refused_result(exercise: Exercise, sub: Submission, reason: str) -> SubmissionResult:
    """A submission that is not graded: every test says why; nothing is recorded."""
    return SubmissionResult(sub.learner, str(sub.path), sub.sha256, _all_stopped(exercise, ERROR, reason),
                            stopped=reason, graded=False)


async def grade_submission(exercise: Exercise, exercise_path: Path, sub: Submission, limits: Limits,
                           private: Iterable[Path] = ()) -> SubmissionResult:
    """Grade one fingerprinted submission. Never raises for what the submission does,
    nor for a fault of ours while grading it: either ends as this result's reason."""
    if sub.refused is not None or sub.data is None:
        return refused_result(exercise, sub, sub.refused or t("grading.refused.unreadable", error="-"))
    try:
        return await _grade(exercise, exercise_path, sub, limits, list(private))
    except Exception as exc:  # noqa: BLE001 - class 1: one submission never stops the batch
        return refused_result(exercise, sub, t("grading.grade.grader_fault", error=type(exc).__name__))


async def _grade(exercise: Exercise, exercise_path: Path, sub: Submission, limits: Limits,
                 private: list[Path]) -> SubmissionResult:
    started = time.monotonic()
    assert sub.data is not None
    try:
        nb = nbformat.reads(sub.data.decode("utf-8"), as_version=4)
        steps = plan(exercise, nb)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the learner's, not ours
        return SubmissionResult(sub.learner, str(sub.path), sub.sha256,
                                _all_stopped(exercise, ERROR, type(exc).__name__),
                                stopped=t("grading.grade.unreadable", error=type(exc).__name__))
    box = sandbox()
    ids = fresh_ids() if box.isolated else None
    marker = secrets.token_hex(16)
    workdir = make_workdir()
    outcomes: dict[str, list[TestOutcome]] = {}
    cell_errors: list[str] = []
    stop: str | None = None
    stop_status = KERNEL_DIED
    km = SandboxKernelManager(kernel_name="python3")
    try:
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
            "hide": hide_paths(exercise_path, [sub.path.parent, *private], workdir),
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
        for step in steps if stop is None else []:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                stop, stop_status = t("grading.grade.time_limit"), TIMED_OUT
                break
            # cell_errors keep the documented "cell 4: NameError" form (stored, compared
            # across runs); the reason a run stopped is worded for people.
            where = f"cell {step.cell + 1}" if step.cell is not None else "end"
            shown_at = (t("grading.grade.at_cell", cell=step.cell + 1) if step.cell is not None
                        else t("grading.grade.at_end"))
            if step.question is not None:
                stop, stop_status = await _evaluate(client, exercise, step.question, limits, deadline,
                                                    shown_at, outcomes)
                if stop is not None:
                    break
                continue
            client.timeout = max(1, int(math.ceil(min(limits.cell_seconds, remaining))))
            cell = nbformat.v4.new_code_cell(step.source)
            run_nb.cells.append(cell)
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
            if errors:
                cell_errors.append(f"{where}: {str(errors[0].get('ename', 'Error'))[:100]}")
            cell.outputs = []  # the grader keeps no learner output it does not need
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
        got = outcomes.get(qid, [])
        final.extend(got)
        cause = stop or t("grading.grade.not_reached")
        final.extend(stopped(test, stop_status if stop else ERROR, cause) for test in question.tests[len(got):])
    return SubmissionResult(sub.learner, str(sub.path), sub.sha256, final, cell_errors, stop,
                            round(time.monotonic() - started, 3))


async def _evaluate(client: CappedClient, exercise: Exercise, qid: str, limits: Limits, deadline: float,
                    shown_at: str, outcomes: dict[str, list[TestOutcome]]) -> tuple[str | None, str]:
    """Ask every test of one question, each under its own time limit. Returns
    (why the run must stop, status for the tests not asked) or (None, "")."""
    done: list[TestOutcome] = []
    outcomes[qid] = done
    for test in exercise.questions[qid].tests:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return t("grading.grade.time_limit"), TIMED_OUT
        seconds = min(limits.test_seconds, remaining)
        record, why = await ask(client, test.answer, seconds)
        if why == "":
            done.append(safe_judge(test, record))
            continue
        if why == "timeout":
            # Interrupted; the kernel goes on with the next test.
            done.append(stopped(test, TIMED_OUT, t("grading.grade.test_time_limit", seconds=f"{seconds:g}")))
            continue
        if why == "stuck":
            cause = t("grading.grade.test_stuck", seconds=f"{seconds:g}")
            done.append(stopped(test, TIMED_OUT, cause))
            return t("grading.grade.stopped_at", cause=cause, where=shown_at), TIMED_OUT
        cause = t("grading.grade.output_limit") if why == "flood" else t("grading.grade.kernel_exited")
        done.append(stopped(test, KERNEL_DIED, cause))
        return t("grading.grade.stopped_at", cause=cause, where=shown_at), KERNEL_DIED
    return None, ""


async def grade_notebook(exercise: Exercise, exercise_path: Path, submission: Path,
                         limits: Limits, learner: str | None = None,
                         private: Iterable[Path] = ()) -> SubmissionResult:
    """Grade one notebook file in a fresh sandboxed kernel; ``private`` are more paths
    its code must not see (other learners' submissions, the gradebook)."""
    submission = Path(submission)
    sub = fingerprint(Submission(learner or learner_name(submission), submission))
    if sub.refused is not None:
        # Read errors of a file named directly keep the "cannot be read" wording.
        return SubmissionResult(sub.learner, str(submission), "", _all_stopped(exercise, ERROR, sub.refused),
                                stopped=t("grading.grade.unreadable", error=sub.refused), graded=False)
    return await grade_submission(exercise, exercise_path, sub, limits, private)


def default_jobs() -> int:
    """Kernels at a time: twice the cores. A kernel waits part of its life (start-up
    handshakes, sleeping cells, shutdown); with 2 jobs on 2 cores the cohort benchmark
    kept 0.9 cores busy, with 4 jobs 1.4 and a 37% shorter wall time."""
    return 2 * (os.cpu_count() or 1)


def collect_submissions(folder: Path) -> list[tuple[str, Path]]:
    """(learner, notebook) pairs of the gradable files (kept for callers of the old API;
    :func:`salestrain.grading.submissions.collect` also returns the refused ones)."""
    from salestrain.grading.submissions import collect

    return [(s.learner, s.path) for s in collect(Path(folder)) if s.refused is None]


def _as_submission(item: Submission | tuple[str, Path] | Path) -> Submission:
    if isinstance(item, Submission):
        return item
    if isinstance(item, tuple):
        return Submission(item[0], Path(item[1]))
    return Submission(learner_name(Path(item)), Path(item))


async def grade_all(exercise_path: Path, submissions: Iterable[Submission | tuple[str, Path] | Path],
                    limits: Limits | None = None, jobs: int = 2,
                    on_result: Callable[[SubmissionResult], None] | None = None,
                    progress: bool = False, private: Iterable[Path] = ()) -> list[SubmissionResult]:
    """Grade many submissions, ``jobs`` kernels at a time. Each kernel sees none of the
    submissions (their common folder is hidden) nor the ``private`` paths. The results
    come back in the order given; ``on_result`` is called as each one ends."""
    limits = limits or Limits()
    exercise, _ = load_exercise(exercise_path)
    check_source_protected(exercise_path)
    sweep_stale_workdirs()
    subs = [_as_submission(item) for item in submissions]
    folders = [str(s.path.absolute().parent) for s in subs]
    hidden = [*(Path(p) for p in private), *([Path(os.path.commonpath(folders))] if folders else [])]
    semaphore = asyncio.Semaphore(max(1, jobs))
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(subs), desc=t("grading.grade.progress"), unit="nb", file=sys.stderr)

    async def one(sub: Submission) -> SubmissionResult:
        async with semaphore:
            sub = fingerprint(sub)  # read once, hashed and graded from the same bytes
            result = await grade_submission(exercise, exercise_path, sub, limits, hidden)
        if on_result is not None:
            on_result(result)  # the gradebook's transaction, before the next one starts
        if bar is not None:
            bar.update(1)
        return result

    try:
        return list(await asyncio.gather(*(one(sub) for sub in subs)))
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


def grade(exercise_path: Path, submissions: Iterable[Submission | tuple[str, Path] | Path],
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

