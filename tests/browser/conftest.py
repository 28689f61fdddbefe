"""Real-browser fixtures: Debian's headless Chromium driven by Playwright.

Outside CI, the tests skip when Chromium is missing; with CI=true they fail instead.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser.processes import CHROMIUM, CHROMIUM_ARGS, launched, wait_for_http

ROOT = Path(__file__).resolve().parents[2]
__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "ROOT", "free_port", "serve"]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    """A free port below the kernel's ephemeral range, in a band of its own per xdist worker.

    Asking the OS for port 0 hands out an ephemeral port, and the kernels that nbval starts
    on the other worker draw their ZMQ ports from the same range: in CI one took the port
    between this probe and Voila's bind, and the test read a ZMQ greeting ("\\xff...") as HTTP.
    """
    from salestrain.cli.projector import free_port as first_free_port

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    band = 20_000 + 1_000 * (int(worker) if worker.isdigit() else 0) % 12_000
    port = first_free_port(band + random.randrange(900))  # a random start: two runs seldom meet
    if not port:
        raise RuntimeError(f"no free port in {band}-{band + 999}")
    return port


@contextmanager
def serve(args: list[str], url: str, cwd: Path, log: Path) -> Iterator[str]:
    """Start a server, wait for ``url``, stop it by its PID (and its group) afterwards."""
    with launched(args, log, cwd) as proc:
        try:
            wait_for_http(url, proc)
            yield url
        except Exception:
            print(log.read_text()[-4000:])
            raise


@pytest.fixture(scope="module")
def browser():
    # Module scope, not session: Playwright's sync API keeps an asyncio loop running in
    # this thread while it is open, and later tests that call asyncio.run() (nbclient,
    # the grader) would fail with "cannot be called from a running event loop".
    if not Path(CHROMIUM).exists():
        message = "Debian's chromium is not installed (./workshop test installs it as root on Debian)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, height: int):
    context = browser.new_context(viewport={"width": 1280, "height": height})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page(browser):
    yield from _page(browser, 900)


@pytest.fixture
def page720(browser):
    """The screen the projector and a laptop show: 1280x720."""
    yield from _page(browser, 720)


def project_copy(dest: Path) -> Path:
    """A throw-away copy of the lessons, so a browser session never writes outputs
    into the committed notebooks (JupyterLab autosaves)."""
    for folder in ("notebooks", "cases", "exercises"):
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, dest / folder,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest


@pytest.fixture
def lab_url(tmp_path) -> Iterator[str]:
    """JupyterLab started by the README's start command (``salestrain lab``)."""
    root = project_copy(tmp_path / "project")
    port = free_port()
    args = [
        sys.executable, "-m", "salestrain", "lab", "--no-browser", "--port", str(port),
        "--root", str(root),
        "--IdentityProvider.token=", "--ServerApp.password=", "--ServerApp.ip=127.0.0.1",
        f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
        f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
    ]
    with serve(args, f"http://127.0.0.1:{port}/api/status", root, tmp_path / "lab.log"):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def voila(tmp_path) -> Callable[[Path], str]:
    """Serve one notebook with Voila (what projector mode uses); returns its URL."""
    stack = []

    def start(notebook: Path) -> str:
        port = free_port()
        args = [sys.executable, "-m", "voila", str(notebook), "--no-browser",
                "--Voila.ip=127.0.0.1", f"--port={port}"]
        cm = serve(args, f"http://127.0.0.1:{port}/", notebook.parent, tmp_path / f"voila-{port}.log")
        url = cm.__enter__()
        stack.append(cm)
        return url

    yield start
    for cm in reversed(stack):
        cm.__exit__(None, None, None)


