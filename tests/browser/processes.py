"""Servers and the browser, outside pytest: Debian's Chromium and its flags, and a server
started in its own process group, waited for, and stopped with that group.

The browser tests (``conftest.serve``), the benchmarks under ``benchmarks/`` and the design
screenshots (``docs/design/screens.py``) all start Voila or JupyterLab this one way, so a fix
to it (say, a slower machine) reaches all of them. No pytest here: the benchmarks import it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Never ``playwright install`` (it downloads a browser; there is no network for that).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@contextmanager
def launched(args: list[str], log: Path, cwd: Path) -> Iterator[subprocess.Popen]:
    """Start ``args`` in its own process group, output to ``log``; stop that group (and only
    it) afterwards: Voila and JupyterLab leave kernels behind if only the parent is stopped."""
    # Platform dirs: the same runtime folder whatever the user's old Jupyter config says.
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def wait_for_http(url: str, proc: subprocess.Popen, timeout: float = 90,
                  log: Path | None = None, poll: float = 0.1) -> None:
    """Return once ``url`` answers; raise if the server exits first or ``timeout`` passes
    (with the end of ``log``, if given, in the message). ``poll`` is the time between
    tries: a start-up benchmark passes a short one, as it times the answer."""
    def tail() -> str:
        return "\n" + log.read_text(errors="replace")[-3000:] if log is not None and log.is_file() else ""

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before {url} answered{tail()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(poll)
    raise TimeoutError(f"{url} did not answer within {timeout} s{tail()}")
