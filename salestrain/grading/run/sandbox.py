"""The sandbox a learner's kernel runs in, and the kernel machinery around it.

Decided once per grader process by trying (:func:`sandbox`), strongest first:

- ``namespace`` (root, bubblewrap installed): the minimal view of view.py in new user,
  PID, mount, network and IPC namespaces, and a user id of its own per kernel;
- ``user-namespace`` (not root, bubblewrap installed and unprivileged user namespaces
  allowed): the same view and namespaces, as the grader's own user;
- ``mount-namespace`` (root, no bubblewrap): a private mount and network namespace
  covering the exercise sources, a user id of its own per kernel;
- ``user`` (root, no namespaces): the user id alone;
- ``none``: nothing but limits and a scrubbed environment (macOS, or Linux with user
  namespaces refused); :func:`require_isolation` refuses to go on with it.

``launcher.py`` applies it inside the new process; this module prepares its
configuration, starts kernels through it, caps their output (output_cap.py), and kills
every process a submission started. docs/grading.md lists what each level protects.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from salestrain.base.errors import GradingError, Problem
from salestrain.base.i18n import t
from salestrain.base.resources import CHECKOUT_DIR, PACKAGE_DIR
from salestrain.grading.run.output_cap import OutputMeter, limit_message_size, settle
from salestrain.grading.run.view import bwrap_arguments

LAUNCHER = Path(__file__).with_name("launcher.py")
MARKER_VAR = "SALESTRAIN_SANDBOX"  # every process of one run carries its marker
DEBUG_VAR = "SALESTRAIN_GRADER_DEBUG"  # show the kernels' own stderr


# Kernels run under a user id of their own, drawn at random from a range no account
# uses: two learners graded at the same time cannot read each other's folder,
# connection file or /proc entries, nor signal or trace each other's kernel.
# Below 2**31: bubblewrap (and other tools parsing ids as signed int) refuse larger ones.
UID_BASE, UID_SPAN = 2_000_000_000, 2**31 - 1 - 2_000_000_000


def fresh_ids() -> tuple[int, int]:
    uid = UID_BASE + secrets.randbelow(UID_SPAN)
    return uid, uid


LEVELS = ("namespace", "user-namespace", "mount-namespace", "user", "none")


class IsolationError(GradingError):
    """Grading was asked to run isolated and this machine cannot isolate learner code."""


@dataclass(frozen=True)
class Sandbox:
    """How learner code is kept away from the grader's files and from other learners.

    ``isolated``: each kernel runs as its own unprivileged user id (needs root).
    ``namespace``: the kernel has a network namespace of its own (it talks to the grader
    over unix sockets in its folder) and a private view of the disk. ``bwrap``: the path
    of bubblewrap when the view is the minimal one of view.py (with PID namespace).
    ``level`` names the combination (module docstring); ``statement`` says in one line,
    in the user's language, what it protects.
    """

    isolated: bool = False
    namespace: bool = False
    bwrap: str = ""

    @property
    def level(self) -> str:
        if self.bwrap:
            return "namespace" if self.isolated else "user-namespace"
        if self.namespace and self.isolated:
            return "mount-namespace"
        return "user" if self.isolated else "none"

    @property
    def statement(self) -> str:
        """One line for the start of ``grade`` and for the report."""
        return t(f"grading.sandbox.{self.level.replace('-', '_')}")


def require_isolation(box: Sandbox | None = None) -> Sandbox:
    """The sandbox, if it isolates learner code; else IsolationError saying what ran."""
    box = sandbox() if box is None else box
    if box.level == "none":
        raise IsolationError(t("grading.sandbox.refused", statement=box.statement),
                             [Problem("sandbox", None, box.level, t("grading.sandbox.fix"))])
    return box


def _probe(config: dict[str, Any], path: str) -> int:
    result = subprocess.run([sys.executable, str(LAUNCHER), json.dumps(config), "--probe", path],
                            capture_output=True, check=False, timeout=60)
    return result.returncode


def with_view(box: Sandbox, config: dict[str, Any]) -> dict[str, Any]:
    """``config`` plus the bubblewrap command line of ``box`` (none without bubblewrap)."""
    if not box.bwrap:
        return config
    return {**config, "bwrap": [box.bwrap, *bwrap_arguments(config["expose"], config["cwd"],
                                                            config.get("hide", []))]}


def _base_config(box: Sandbox, workdir: Path, hide: list[str], ids: tuple[int, int] | None
                 ) -> dict[str, Any]:
    config = {"memory_bytes": 2**34, "file_bytes": 2**30, "cpu_seconds": 3600,
              "max_processes": 4096, "uid": ids[0] if ids else None,
              "gid": ids[1] if ids else None, "namespace": box.namespace, "cwd": str(workdir),
              "expose": expose_paths(), "hide": hide, "python": sys.executable}
    return with_view(box, config)


def expose_paths() -> list[str]:
    """What the kernel must see: the Python environment and the package folder alone
    (not the checkout around it, which holds the exercises)."""
    return sorted({sys.base_prefix, sys.prefix, str(Path(sys.executable).resolve().parent),
                   str(PACKAGE_DIR)})


def _probe_dir(ids: tuple[int, int] | None) -> Path:
    workdir = Path(tempfile.mkdtemp(prefix="salestrain-probe-"))
    if ids is not None:
        os.chown(workdir, *ids)
    return workdir


def _bwrap() -> str:
    found = shutil.which("bwrap") or ("/usr/bin/bwrap" if os.access("/usr/bin/bwrap", os.X_OK) else "")
    return os.path.realpath(found) if found else ""


def _candidates() -> list[Sandbox]:
    bwrap = _bwrap() if sys.platform.startswith("linux") else ""
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    if root:
        found = [Sandbox(True, True, bwrap)] if bwrap else []
        return [*found, Sandbox(True, True), Sandbox(True, False)]
    return [Sandbox(False, True, bwrap)] if bwrap else []


@functools.cache
def sandbox() -> Sandbox:
    """The strongest sandbox this machine allows (decided once, by trying)."""
    for box in _candidates():
        ids = fresh_ids() if box.isolated else None
        workdir = _probe_dir(ids)
        try:
            # Can the interpreter be started in this sandbox at all?
            if _probe(_base_config(box, workdir, [], ids), str(Path(sys.executable).resolve())) == 0:
                return box
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    return Sandbox()


@functools.cache
def _git_common_dir(folder: Path) -> Path | None:
    try:
        out = subprocess.run(["git", "-C", str(folder), "rev-parse", "--path-format=absolute",
                              "--git-common-dir"], capture_output=True, text=True, check=False,
                             timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


def hide_paths(exercise_path: Path, extra: Iterable[Path] = (), workdir: Path | None = None
               ) -> list[str]:
    """What learner code must not see: the exercises tree, its git objects, and ``extra``
    (the other learners' submissions, the gradebook file)."""
    exercise_path = exercise_path.resolve()
    folder = exercise_path.parent
    root = next((p for p in [folder, *folder.parents] if p.name == "exercises"), folder)
    candidates = [root, *(Path(p).resolve() for p in extra)]
    git_dir = _git_common_dir(folder)
    if git_dir is not None:
        candidates.append(git_dir)
    keep = [Path(p).resolve() for p in expose_paths()]
    if workdir is not None:
        keep.append(Path(workdir).resolve())
    # Never cover what the kernel needs to run (a package checked out inside the tree,
    # its own folder).
    return [str(c) for c in dict.fromkeys(candidates)
            if not any(c == k or c in k.parents for k in keep)]


def _package_root() -> str:
    return str(CHECKOUT_DIR)


def kernel_environment(workdir: Path, marker: str) -> dict[str, str]:
    """Built from nothing: what a kernel needs, and not one of the grader's secrets."""
    python_bin = str(Path(sys.executable).parent)
    env = {
        "PATH": f"{python_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(workdir),
        "USER": "learner",  # the kernel's user id has no account; getpass asks these first
        "LOGNAME": "learner",
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
        # Each thread's malloc arena reserves 64 MB of address space; under RLIMIT_AS that
        # starves zmq, which aborts. Two arenas keep the limit about real memory.
        "MALLOC_ARENA_MAX": "2",
        "JPY_PARENT_PID": str(os.getpid()),  # the kernel exits if the grader is killed
        MARKER_VAR: marker,
    }
    from salestrain.base.i18n import ENV_VAR, get_language

    env[ENV_VAR] = get_language()
    return env


class SandboxKernelManager(AsyncKernelManager):
    """Starts ipykernel through launcher.py with the limits in ``launch_config``."""

    launch_config: dict[str, Any] = {}
    message_cap: int | None = None  # set by CappedClient: no message part larger is received

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        config = with_view(sandbox(), self.launch_config) if self.launch_config.get("namespace") \
            else self.launch_config
        return [sys.executable, str(LAUNCHER), json.dumps(config),
                "-f", self.connection_file, "--HistoryManager.enabled=False",
                *(extra_arguments or [])]

    def client(self, **kwargs: Any) -> AsyncKernelClient:
        kc = super().client(**kwargs)
        if self.message_cap is not None:
            limit_message_size(kc.context, self.message_cap)  # before its sockets exist
        return kc


class CappedClient(NotebookClient):
    """nbclient with an output cap on everything the kernel sends (output_cap.py): past
    the cap, the kernel is killed and the cell ends with DeadKernelError; ``flooded``
    is then true and ``flood_reason`` says whether the total or one message was too big."""

    def __init__(self, *args: Any, output_cap: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.output_cap = output_cap
        self.meter = OutputMeter(output_cap, lambda: kill_kernel(self.km))
        if self.km is not None and hasattr(self.km, "message_cap"):
            self.km.message_cap = output_cap

    @property
    def output_seen(self) -> int:
        return self.meter.seen

    @property
    def flooded(self) -> bool:
        return self.meter.tripped

    @property
    def flood_reason(self) -> str | None:
        return self.meter.reason

    async def async_start_new_kernel_client(self) -> Any:
        kc = await super().async_start_new_kernel_client()
        self.meter.install(kc)
        return kc

    async def _async_check_alive(self) -> None:
        # Ask the process, not the heartbeat: on a busy machine (or under a flood of
        # output) heartbeats arrive late and an honest kernel would be declared dead.
        assert self.km is not None
        if self.meter.tripped or not await self.km.is_alive():
            raise DeadKernelError("Kernel died")
        if await self.meter.disconnected():
            # libzmq dropped a connection: either the kernel is going away, or it sent a
            # message larger than the cap, refused unread. Only the living kernel flooded.
            await settle()
            if await self.km.is_alive():
                self.meter.trip("message")
            raise DeadKernelError("Kernel died")


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


def check_source_protected(exercise_path: Path) -> Sandbox:
    """Prove, from inside the sandbox, that learner code cannot open the exercise source.

    Raises GradingError when it could (root without a mount namespace and a source the
    sandbox user can read); returns the sandbox (level ``none`` cannot protect anything,
    the CLI says so)."""
    box = sandbox()
    if box.level == "none":
        return box
    ids = fresh_ids() if box.isolated else None
    workdir = _probe_dir(ids)
    try:
        config = _base_config(box, workdir, hide_paths(exercise_path), ids)
        readable = _probe(config, str(exercise_path.resolve())) == 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if readable:
        raise GradingError(
            t("grading.error.source_readable", path=exercise_path),
            [Problem(str(exercise_path), None, "(permissions)",
                     t("grading.error.fix_permissions", folder=exercise_path.parent))])
    return box
