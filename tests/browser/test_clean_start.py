"""A clean start (issue 20): Voila pages served by salestrain print no front-end version
warnings, load only the extensions they need, never leave 127.0.0.1, and still work.

Before the fix every page printed 13 warnings such as "Unsatisfied version 4.2.5 from
_JUPYTERLAB.CORE_OUTPUT of shared singleton module @jupyterlab/services (required
^7.6.2)": Voila's front-end core is built from JupyterLab 4.2.5, the installed widget
manager builds ask for 4.5/4.6 (salestrain/data/jupyter/voila-labextensions/README.md).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tests.browser.support_workshop import (
    APP,
    change_one_control,
    projector,
    snapshot,
    wait_for_app,
    wait_for_change,
)
from tests.browser.test_learner_mode import learn

# webpack's module-federation messages when an extension asks for a version the page lacks
VERSION_WARNING = re.compile(
    r"Unsatisfied version|No satisfying version|shared singleton module|found in shared scope",
    re.IGNORECASE)
LOCAL = {"127.0.0.1"}


class Console:
    """Everything a page says in its console, its uncaught errors and every request it makes."""

    def __init__(self, page) -> None:
        self.messages: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.messages.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def version_warnings(self) -> list[str]:
        return [m for m in self.messages if VERSION_WARNING.search(m)]

    def outside(self) -> list[str]:
        return [u for u in self.requests
                if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname not in LOCAL]

    def extensions(self) -> set[str]:
        """The JupyterLab extensions the page fetched code for."""
        return {m.group(1) for u in self.requests
                if (m := re.search(r"/voila/labextensions/((?:@[^/]+/)?[^/]+)/", u))}

    def assert_clean(self) -> None:
        # The widget manager's code was fetched: the step that printed the warnings ran.
        assert "@jupyter-widgets/jupyterlab-manager" in self.extensions(), self.extensions()
        assert self.version_warnings() == [], "\n".join(self.version_warnings())
        assert self.outside() == [], self.outside()
        assert self.errors == [], self.errors
        # Only the extensions the pages need: not the 4.8 MB plotly renderer nobody uses.
        assert "jupyterlab-plotly" not in self.extensions(), self.extensions()


def test_an_app_in_projector_mode_starts_clean_and_responds(page720, tmp_path):
    console = Console(page720)
    with projector("objections", tmp_path) as url:
        page720.goto(url)
        wait_for_app(page720)
        before = snapshot(page720)
        change_one_control(page720)
        wait_for_change(page720, before)  # the swapped widget front-end still talks to the kernel
        assert page720.locator(APP).count() == 1
        page720.close()  # before the server stops, so its going away is not logged
    console.assert_clean()


def test_learner_mode_index_and_a_lesson_start_clean(page720, tmp_path):
    console = Console(page720)
    with learn(tmp_path) as index:
        page720.goto(index)
        page720.wait_for_selector(".salestrain-learner ol li", timeout=60_000)
        page720.locator(".salestrain-learner ol li a").first.click()
        page720.wait_for_selector(".salestrain-finish", timeout=120_000)  # the last cell ran
        page720.wait_for_selector("img.salestrain-figure", timeout=60_000)
        page720.close()
    assert any("/voila/render/en/" in u and u != index for u in console.requests)  # a lesson
    console.assert_clean()
