"""The per-learner CPU quota on a real bubblewrap sandbox running a busy loop."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from salestrain.hub.cpu_limit import Limiter, cpu_seconds, sandboxes

BUSY = "while True: pass"


@pytest.fixture()
def busy_sandbox(tmp_path):
    if shutil.which("bwrap") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must test the CPU quota, but bubblewrap is missing")
        pytest.skip("bubblewrap is not installed")
    homes = tmp_path / "homes"
    (homes / "l-1").mkdir(parents=True)
    # The same shape as a learner's server: bwrap naming its home under the hub's homes.
    proc = subprocess.Popen(["bwrap", "--unshare-user", "--unshare-pid", "--dev-bind", "/", "/",
                             "--chdir", str(homes / "l-1"), "--", sys.executable, "-c", BUSY],
                            start_new_session=True)
    try:
        yield str(homes), proc
    finally:
        os.killpg(proc.pid, 9)
        proc.wait()


def _used_over(homes: str, seconds: float, limiter: Limiter | None) -> float:
    trees = sandboxes(homes)
    assert len(trees) == 1
    (pids,) = trees.values()
    start = cpu_seconds(pids)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if limiter is not None:
            limiter.tick()
        time.sleep(0.1)
    if limiter is not None:
        limiter.release_all()
    return cpu_seconds(sandboxes(homes)[next(iter(sandboxes(homes)))]) - start


def test_a_busy_sandbox_is_held_to_its_share(busy_sandbox):
    homes, _ = busy_sandbox
    time.sleep(0.5)  # the loop is running
    free = _used_over(homes, 2.0, None)
    held = _used_over(homes, 4.0, Limiter(homes, cores=0.2))
    # Unlimited it runs most of the time; held, about 0.2 of a core (0.8 s in 4 s).
    assert held < 0.2 * 4.0 * 1.6 + 0.1
    assert held < free * 2 * 0.6
    assert held > 0.1  # paused, not killed


def test_a_stopped_limiter_leaves_nobody_paused(busy_sandbox):
    homes, proc = busy_sandbox
    time.sleep(0.3)
    limiter = Limiter(homes, cores=0.1)
    for _ in range(12):
        limiter.tick()
        time.sleep(0.1)
    limiter.release_all()
    state = open(f"/proc/{proc.pid}/stat").read().rsplit(")", 1)[1].split()[0]
    assert state != "T"
    assert proc.poll() is None
