"""The sandbox a learner's kernel runs in, and the kernel machinery around it.

Decided once per grader process by trying (:func:`sandbox`): a private mount and
network namespace with a user id of its own per kernel (root), the user id alone
(root without namespaces), or nothing but limits and a scrubbed environment (not
root). ``launcher.py`` applies it inside the new process; this module prepares its
configuration, starts kernels through it, caps their output, and kills every process
a submission started. docs/grading.md lists what each level protects and what not.
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

from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from salestrain.base.errors import GradingError, Problem
from salestrain.base.i18n import t
from salestrain.base.resources import CHECKOUT_DIR

LAUNCHER = Path(__file__).with_name("launcher.py")
MARKER_VAR = "SALESTRAIN_SANDBOX"  # every process of one run carries its marker
DEBUG_VAR = "SALESTRAIN_GRADER_DEBUG"  # show the kernels' own stderr


# Kernels run under a user id of their own, drawn at random from a range no account
# uses: two learners graded at the same time cannot read each other's folder,
# connection file or /proc entries, nor signal or trace each other's kernel.
UID_BASE, UID_SPAN = 2_000_000_000, 1_000_000_000


def fresh_ids() -> tuple[int, int]:
    uid = UID_BASE + secrets.randbelow(UID_SPAN)
    return uid, uid


@dataclass(frozen=True)
class Sandbox:
    """How learner code is kept away from the grader's files and from other learners.

    ``namespace``: root; a private mount namespace hides the exercise sources and their
    git objects and mounts /proc with hidepid=2; each kernel runs as its own unprivileged
    user id. ``user``: root without mount namespaces; each kernel runs as its own user
    id, and the sources must not be readable by other users (checked before grading).
    ``none``: not root; kernels run as the grader's own user and can read what it can
    read (see docs/grading.md).
    """

    isolated: bool = False
    namespace: bool = False

    @property
    def level(self) -> str:
        if not self.isolated:
            return "none"
        return "namespace" if self.namespace else "user"


def _probe(config: dict[str, Any], path: str) -> int:
    result = subprocess.run([sys.executable, str(LAUNCHER), json.dumps(config), "--probe", path],
                            capture_output=True, check=False, timeout=60)
    return result.returncode


def _base_config(box: Sandbox, workdir: Path, hide: list[str], ids: tuple[int, int] | None
                 ) -> dict[str, Any]:
    return {"memory_bytes": 2**34, "file_bytes": 2**30, "cpu_seconds": 3600, "max_processes": 4096,
            "uid": ids[0] if ids else None, "gid": ids[1] if ids else None,
            "namespace": box.namespace, "cwd": str(workdir), "expose": expose_paths(),
            "hide": hide}


def expose_paths() -> list[str]:
    return sorted({sys.base_prefix, sys.prefix, str(Path(sys.executable).resolve().parent),
                   _package_root()})


def _probe_dir(ids: tuple[int, int]) -> Path:
    workdir = Path(tempfile.mkdtemp(prefix="salestrain-probe-"))
    os.chown(workdir, *ids)
    return workdir


@functools.cache
def sandbox() -> Sandbox:
    """The strongest sandbox this machine allows (decided once, by trying)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return Sandbox()
    ids = fresh_ids()
    workdir = _probe_dir(ids)
    try:
        for namespace in (True, False):
            box = Sandbox(True, namespace)
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

    async def _async_check_alive(self) -> None:
        # Ask the process, not the heartbeat: on a busy machine (or under a flood of
        # output) heartbeats arrive late and an honest kernel would be declared dead.
        assert self.km is not None
        if not await self.km.is_alive():
            raise DeadKernelError("Kernel died")

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


def check_source_protected(exercise_path: Path) -> Sandbox:
    """Prove, from inside the sandbox, that learner code cannot open the exercise source.

    Raises GradingError when it could (root without a mount namespace and a source the
    sandbox user can read); returns the sandbox (level ``none`` cannot protect anything,
    the CLI says so)."""
    box = sandbox()
    if not box.isolated:
        return box
    ids = fresh_ids()
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
