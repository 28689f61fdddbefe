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
import functools
import hashlib
import json
import math
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from salestrain.errors import GradingError, Problem
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
from salestrain.i18n import t

LAUNCHER = Path(__file__).with_name("launcher.py")
SANDBOX_USER = "nobody"
MARKER_VAR = "SALESTRAIN_SANDBOX"


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


# ----------------------------------------------------------------------------- kernel


@dataclass(frozen=True)
class Sandbox:
    """How learner code is kept away from the grader's files.

    ``namespace``: root, a private mount namespace hides the sources, kernels run as
    ``nobody``; ``user``: root, kernels run as ``nobody`` (the sources must not be
    readable by it); ``none``: not root, kernels run as the grader's own user and can
    read what it can read (see docs/grading.md).
    """

    uid: int | None = None
    gid: int | None = None
    namespace: bool = False

    @property
    def level(self) -> str:
        if self.uid is None:
            return "none"
        return "namespace" if self.namespace else "user"


def _probe(config: dict[str, Any], path: str) -> int:
    result = subprocess.run([sys.executable, str(LAUNCHER), json.dumps(config), "--probe", path],
                            capture_output=True, check=False, timeout=60)
    return result.returncode


def _base_config(box: Sandbox, workdir: Path, hide: list[str]) -> dict[str, Any]:
    return {"memory_bytes": 2**34, "file_bytes": 2**30, "cpu_seconds": 3600, "max_processes": 4096,
            "uid": box.uid, "gid": box.gid, "namespace": box.namespace, "cwd": str(workdir),
            "expose": expose_paths(), "hide": hide}


def expose_paths() -> list[str]:
    return sorted({sys.base_prefix, sys.prefix, str(Path(sys.executable).resolve().parent),
                   _package_root()})


@functools.cache
def sandbox() -> Sandbox:
    """The strongest sandbox this machine allows (decided once, by trying)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return Sandbox()
    try:
        entry = pwd.getpwnam(SANDBOX_USER)
    except KeyError:
        return Sandbox()
    workdir = Path(tempfile.mkdtemp(prefix="salestrain-probe-"))
    try:
        os.chown(workdir, entry.pw_uid, entry.pw_gid)
        for namespace in (True, False):
            box = Sandbox(entry.pw_uid, entry.pw_gid, namespace)
            # Can the interpreter be started in this sandbox at all?
            if _probe(_base_config(box, workdir, []), str(Path(sys.executable).resolve())) == 0:
                return box
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return Sandbox()


def _git_common_dir(folder: Path) -> Path | None:
    try:
        out = subprocess.run(["git", "-C", str(folder), "rev-parse", "--path-format=absolute",
                              "--git-common-dir"], capture_output=True, text=True, check=False,
                             timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def hide_paths(exercise_path: Path) -> list[str]:
    """Folders learner code must not see: the exercises tree and its git objects."""
    exercise_path = exercise_path.resolve()
    folder = exercise_path.parent
    root = next((p for p in [folder, *folder.parents] if p.name == "exercises"), folder)
    candidates = [root]
    git_dir = _git_common_dir(folder)
    if git_dir is not None:
        candidates.append(git_dir)
    keep = [Path(p).resolve() for p in expose_paths()]
    # Never cover what the kernel needs to run (a package checked out inside the tree).
    return [str(c) for c in candidates if not any(c == k or c in k.parents for k in keep)]


def _package_root() -> str:
    import salestrain

    return str(Path(salestrain.__file__).resolve().parent.parent)


def kernel_environment(workdir: Path, marker: str) -> dict[str, str]:
    """Built from nothing: what a kernel needs, and not one of the grader's secrets."""
    python_bin = str(Path(sys.executable).parent)
    env = {
        "PATH": f"{python_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONPATH": _package_root(),
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "agg",
        "MPLCONFIGDIR": str(workdir / ".matplotlib"),
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "JPY_PARENT_PID": str(os.getpid()),  # the kernel exits if the grader is killed
        MARKER_VAR: marker,
    }
    from salestrain.i18n import ENV_VAR, get_language

    env[ENV_VAR] = get_language()
    return env


class SandboxKernelManager(AsyncKernelManager):
    """Starts ipykernel through launcher.py with the limits in ``launch_config``."""

    launch_config: dict[str, Any] = {}

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return [sys.executable, str(LAUNCHER), json.dumps(self.launch_config),
                "-f", self.connection_file, "--HistoryManager.enabled=False",
                *(extra_arguments or [])]


class CappedClient(NotebookClient):
    """nbclient with an output cap: past the cap, the kernel's process group is killed."""

    def __init__(self, *args: Any, output_cap: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.output_cap = output_cap
        self.output_seen = 0
        self.flooded = False

    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> Any:
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(len(str(v)) for v in content.get("data", {}).values())
        self.output_seen += size
        if self.output_seen > self.output_cap:
            if not self.flooded:
                self.flooded = True
                kill_kernel(self.km)
            return None
        return super().output(outs, msg, display_id, cell_index)


def kill_kernel(km: Any) -> None:
    provisioner = getattr(km, "provisioner", None)
    pgid = getattr(provisioner, "pgid", None) or getattr(provisioner, "pid", None)
    if pgid:
        with contextlib.suppress(OSError):
            os.killpg(pgid, signal.SIGKILL)


def sweep(marker: str) -> int:
    """Kill every process started for this run (forked children that left the group)."""
    needle = f"{MARKER_VAR}={marker}".encode()
    killed = 0
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0"):
            with contextlib.suppress(OSError):
                os.kill(int(entry.name), signal.SIGKILL)
                killed += 1
    return killed


# ----------------------------------------------------------------------------- grading


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def learner_name(path: Path) -> str:
    return path.stem


def side_files(exercise_path: Path) -> list[Path]:
    """Data files next to the exercise (CSV exhibits...), copied for each learner.
    Never notebooks: the sources with their hidden tests stay where they are."""
    folder = exercise_path.parent
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() != ".ipynb"
                  and not p.name.startswith("."))


async def grade_notebook(exercise: Exercise, exercise_path: Path, submission: Path,
                         limits: Limits, learner: str | None = None) -> SubmissionResult:
    """Grade one submission in a fresh sandboxed kernel."""
    started = time.monotonic()
    learner = learner or learner_name(submission)
    digest = sha256_of(submission)
    try:
        nb = nbformat.read(str(submission), as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the learner's, not ours
        outcomes = [stopped(test, ERROR, type(exc).__name__)
                    for q in exercise.questions.values() for test in q.tests]
        return SubmissionResult(learner, str(submission), digest, outcomes,
                                stopped=f"unreadable notebook: {type(exc).__name__}")
    steps = plan(exercise, nb)
    box = sandbox()
    ids = (box.uid, box.gid) if box.uid is not None else None
    marker = secrets.token_hex(16)
    workdir = Path(tempfile.mkdtemp(prefix="salestrain-grade-"))
    outcomes: dict[str, list[TestOutcome]] = {}
    cell_errors: list[str] = []
    stop: str | None = None
    stop_status = KERNEL_DIED
    km = SandboxKernelManager(kernel_name="python3")
    try:
        for path in side_files(exercise_path):
            shutil.copy(path, workdir / path.name)
        if ids is not None:
            for path in [workdir, *workdir.iterdir()]:
                os.chown(path, *ids)
        km.connection_file = str(workdir / ".kernel.json")
        km.launch_config = {
            "memory_bytes": limits.memory_mb * 1024 * 1024,
            "file_bytes": limits.file_mb * 1024 * 1024,
            "cpu_seconds": int(math.ceil(limits.notebook_seconds)) + 5,
            "max_processes": limits.max_processes,
            "uid": box.uid,
            "gid": box.gid,
            "namespace": box.namespace,
            "expose": expose_paths(),
            "hide": hide_paths(exercise_path),
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
            await client.async_start_new_kernel(cwd=str(workdir), stdout=subprocess.DEVNULL,
                                                stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            await client.async_start_new_kernel_client()
        except Exception as exc:  # noqa: BLE001 - a kernel that cannot start is reported, not raised
            stop = f"kernel did not start: {type(exc).__name__}"
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
            where = f"cell {step.cell + 1}" if step.cell is not None else "end"
            try:
                await client.async_execute_cell(cell, len(run_nb.cells) - 1, store_history=False)
            except CellTimeoutError:
                stop, stop_status = f"{t('grading.grade.time_limit')} ({where})", TIMED_OUT
                break
            except DeadKernelError:
                cause = t("grading.grade.output_limit") if client.flooded else t("grading.grade.kernel_exited")
                stop, stop_status = f"{cause} ({where})", KERNEL_DIED
                break
            if client.flooded:
                stop, stop_status = f"{t('grading.grade.output_limit')} ({where})", KERNEL_DIED
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
        raise GradingError(f"cannot read the exercise {path}", problems)
    exercise, problems = markup_problems(nb, str(path))
    if problems:
        raise GradingError(f"the exercise {path} has markup problems; run `salestrain validate {path}`",
                           problems)
    return exercise, nb


def check_source_protected(exercise_path: Path) -> Sandbox:
    """Prove, from inside the sandbox, that learner code cannot open the exercise source.

    Raises GradingError when it could (root without a mount namespace and a source the
    sandbox user can read); returns the sandbox (level ``none`` cannot protect anything,
    the CLI says so)."""
    box = sandbox()
    if box.uid is None:
        return box
    workdir = Path(tempfile.mkdtemp(prefix="salestrain-probe-"))
    try:
        os.chown(workdir, box.uid, box.gid)
        config = _base_config(box, workdir, hide_paths(exercise_path))
        readable = _probe(config, str(exercise_path.resolve())) == 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if readable:
        raise GradingError(
            f"learner code (run as {SANDBOX_USER!r}) could read the exercise source with its hidden "
            f"tests and solutions: {exercise_path}",
            [Problem(str(exercise_path), None, "(permissions)",
                     f"run `chmod 700 {exercise_path.parent}` (or chmod 600 the file) so only the "
                     "grader can read it; keep its git checkout closed too, its objects hold the "
                     "same text")])
    return box


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
        raise GradingError(f"several notebooks belong to the same learner in {folder}: "
                           f"{', '.join(duplicates)}; keep one notebook per learner folder")
    return found


async def grade_all(exercise_path: Path, submissions: Iterable[tuple[str, Path] | Path],
                    limits: Limits | None = None, jobs: int = 2,
                    on_result: Callable[[SubmissionResult], None] | None = None,
                    progress: bool = False) -> list[SubmissionResult]:
    """Grade many submissions, ``jobs`` kernels at a time."""
    limits = limits or Limits()
    exercise, _ = load_exercise(exercise_path)
    check_source_protected(exercise_path)
    pairs = [(learner_name(p), p) if isinstance(p, Path) else (p[0], Path(p[1])) for p in submissions]
    semaphore = asyncio.Semaphore(max(1, jobs))
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(pairs), desc=t("grading.grade.progress"), unit="nb", file=sys.stderr)

    async def one(learner: str, path: Path) -> SubmissionResult:
        async with semaphore:
            result = await grade_notebook(exercise, exercise_path, path, limits, learner)
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


def grade(exercise_path: Path, submissions: Iterable[tuple[str, Path] | Path],
          limits: Limits | None = None, jobs: int = 2,
          on_result: Callable[[SubmissionResult], None] | None = None,
          progress: bool = False) -> list[SubmissionResult]:
    return asyncio.run(grade_all(Path(exercise_path), list(submissions), limits, jobs, on_result,
                                 progress))


def grade_source(path: Path, exercise: Exercise, limits: Limits | None = None) -> list[Problem]:
    """Run the trainer's own notebook as a submission: every test must pass."""
    result = asyncio.run(grade_notebook(exercise, path, path, limits or Limits(notebook_seconds=300)))
    problems = [Problem(str(path), None, "(execution)", f"{err} when the solution runs; fix that cell")
                for err in result.cell_errors]
    if result.stopped:
        problems.append(Problem(str(path), None, "(execution)", f"the solution run stopped: {result.stopped}"))
    for outcome in result.outcomes:
        if outcome.status != PASSED and not result.stopped:
            question = exercise.questions[outcome.question]
            problems.append(Problem(
                f"{path}:cell {question.cells[0] + 1}", None, f"{outcome.question}",
                f"the solution does not pass its own test {outcome.name!r}: {outcome.reason}; "
                "fix the solution or the test's expect"))
    return problems
