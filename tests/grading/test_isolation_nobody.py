"""Class 9: the same isolation without root. Runs test_isolation.py as the user ``nobody``.

A trainer's laptop session is not root: ``sandbox()`` must then pick ``user-namespace``
(bubblewrap in unprivileged user namespaces) and every isolation test must still pass.

One accommodation, for this machine only: the Python here lives under ``/root`` (mode
700), which ``nobody`` cannot enter, so no grader at all could start as ``nobody``. A
private mount namespace (made as root, before dropping to ``nobody``) covers the folder
that blocks the way with a tmpfs holding only the Python environment again, as it would
be on a laptop where the trainer owns their Python. Nothing else changes: the
grader, bubblewrap and the kernels then run as ``nobody`` with no capability.
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.grading.helpers import ROOT

NOBODY = 65534

pytestmark = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("setpriv")
    or not shutil.which("unshare") or not shutil.which("bwrap"),
    reason="needs root (to become nobody), setpriv, unshare and bwrap; as non-root "
           "test_isolation.py itself is the unprivileged run")


def _enterable_by_nobody(folder: str) -> bool:
    st = os.stat(folder)
    if st.st_uid == NOBODY:
        return bool(st.st_mode & stat.S_IXUSR)
    return bool(st.st_mode & stat.S_IXOTH)  # nobody is in no group but nogroup


def _blocked(path: str) -> tuple[str, str] | None:
    """(first folder nobody cannot enter, its child on the way to ``path``), or None."""
    current = "/"
    for part in Path(os.path.realpath(path)).parts[1:]:
        if not _enterable_by_nobody(current):
            return current, os.path.join(current, part)
        current = os.path.join(current, part)
    return None


def _reexpose_commands(paths: list[str], stage: str) -> list[str]:
    by_folder: dict[str, set[str]] = {}
    for path in paths:
        found = _blocked(path)
        if found:
            by_folder.setdefault(found[0], set()).add(found[1])
    commands = []
    for n, (folder, children) in enumerate(sorted(by_folder.items())):
        staged = []
        for i, child in enumerate(sorted(children)):
            target = f"{stage}/{n}-{i}"
            commands += [f"mkdir -p {shlex.quote(target)}",
                         f"mount --bind {shlex.quote(child)} {shlex.quote(target)}"]
            staged.append((target, child))
        commands.append(f"mount -t tmpfs -o mode=755,size=64k tmpfs {shlex.quote(folder)}")
        for target, child in staged:
            commands += [f"mkdir -p {shlex.quote(child)}",
                         f"mount --move {shlex.quote(target)} {shlex.quote(child)}"]
    return commands


def test_isolation_holds_for_a_grader_that_is_not_root():
    work = Path(tempfile.mkdtemp(prefix="salestrain-nobody-"))
    try:
        os.chown(work, NOBODY, NOBODY)
        stage = tempfile.mkdtemp(prefix="salestrain-stage-")
        python = [sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(sys.executable))]
        env = {"PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin", "HOME": str(work),
               "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1",
               "SALESTRAIN_TEST_EXPECT_LEVEL": "user-namespace"}
        pytest_cmd = [sys.executable, "-m", "pytest", "tests/grading/test_isolation.py", "-q",
                      "-p", "no:xdist", "-p", "no:cacheprovider", "--basetemp", str(work / "t")]
        drop = ["setpriv", "--reuid", str(NOBODY), "--regid", str(NOBODY), "--clear-groups",
                "env", "-i", *(f"{k}={v}" for k, v in env.items()), *pytest_cmd]
        script = " && ".join([*_reexpose_commands(python, stage), "exec " + shlex.join(drop)])
        out = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                             cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
        shutil.rmtree(stage, ignore_errors=True)
        report = out.stdout[-3000:] + out.stderr[-2000:]
        assert out.returncode == 0, report
        # Every test ran (none skipped for want of isolation) and passed.
        assert "skipped" not in out.stdout and " passed" in out.stdout, report
    finally:
        shutil.rmtree(work, ignore_errors=True)
