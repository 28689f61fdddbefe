"""Isolation of learner code, through the real grading path (issue 17, classes 3, 4, 9).

Run as root these tests exercise the ``namespace`` level; test_isolation_nobody.py runs
this same file as the user ``nobody`` (level ``user-namespace``). On a machine without
bubblewrap or user namespaces they are skipped, saying which level ran.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import threading
import time
from pathlib import Path

import pytest

from salestrain.base.errors import GradingError
from salestrain.base.i18n import set_language
from salestrain.grading import autograde
from salestrain.grading.run import sandbox as sandbox_module
from tests.grading import isolation_probes as probes
from tests.grading.helpers import SAMPLE, write

EXPECT_LEVEL = "SALESTRAIN_TEST_EXPECT_LEVEL"  # set by test_isolation_nobody.py
LIMITS = autograde.Limits(cell_seconds=30, notebook_seconds=90)


@pytest.fixture(scope="module")
def level() -> str:
    box = autograde.sandbox()
    if EXPECT_LEVEL in os.environ:
        assert box.level == os.environ[EXPECT_LEVEL], box
    if box.level not in ("namespace", "user-namespace"):
        pytest.skip(f"sandbox level {box.level!r} here: {box.statement}")
    return box.level


def _grade(nb, tmp_path: Path) -> autograde.SubmissionResult:
    path = write(nb, tmp_path / "learner" / "probe.ipynb")
    exercise, _ = autograde.load_exercise(SAMPLE)
    return autograde.run_sync(autograde.grade_notebook(exercise, SAMPLE, path, LIMITS))


def _q3(result: autograde.SubmissionResult):
    return next(o for o in result.outcomes if o.question == "q3")


def test_the_level_matches_who_runs_the_grader(level):
    root = os.geteuid() == 0
    assert level == ("namespace" if root else "user-namespace")
    assert autograde.sandbox().isolated == root  # own user id per kernel only as root


def test_no_socket_file_or_tmp_of_the_host_is_reachable(level, tmp_path):
    with probes.host_side() as host:
        # Unguarded, the same code reaches every channel and reads both copies.
        assert sorted(probes.run_on_host(host.probe_code)) == sorted(
            ["unix socket file", "abstract unix socket", "tcp to the host", "clone in /tmp",
             "exercise source"])
        assert sorted(host.contacts()) == ["abstract", "tcp", "udp", "unix"]
        Path("/tmp", host.token).unlink()

        result = _grade(probes.submission(host.probe_code), tmp_path)
        q3 = _q3(result)
        assert q3.status == "passed", q3.message  # "LEAK ..." names what got through
        assert result.score == 7, result.outcomes
        assert host.contacts() == []  # not even a UDP datagram arrived
        # Its /tmp file (it could write and read it back) never reached the host's /tmp.
        assert not Path("/tmp", host.token).exists()
        assert not any(host.token in name for _, _, names in os.walk(host.folder) for name in names)


def test_every_process_a_submission_starts_dies_with_it(level, tmp_path):
    seconds = f"600.{secrets.randbelow(10**6):06d}"  # a tag no other process carries
    seen: list[int] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.extend(probes.sleepers(seconds))
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        result = _grade(probes.submission(probes.ESCAPER.format(seconds=seconds) + "leaks = []"),
                        tmp_path)
    finally:
        done.set()
        watcher.join()
    assert result.score == 7, (result.stopped, result.cell_errors)
    assert seen, "the setsid + double-fork + exec sleeper should have run during grading"
    # Killed with the PID namespace when the kernel went: at most a moment for the kernel
    # to deliver the SIGKILLs.
    deadline = time.monotonic() + 2
    while probes.sleepers(seconds) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert probes.sleepers(seconds) == []


def test_require_isolation_passes_here_and_refuses_none(level):
    assert sandbox_module.require_isolation() == autograde.sandbox()
    nothing = sandbox_module.Sandbox()
    assert nothing.level == "none"
    with pytest.raises(sandbox_module.IsolationError) as info:
        sandbox_module.require_isolation(nothing)
    assert isinstance(info.value, GradingError)
    assert "isolation: none" in str(info.value)
    assert "bubblewrap" in info.value.problems[0].message


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_level_states_what_ran_in_one_line(lang):
    set_language(lang)
    boxes = [sandbox_module.Sandbox(True, True, "/usr/bin/bwrap"),
             sandbox_module.Sandbox(False, True, "/usr/bin/bwrap"),
             sandbox_module.Sandbox(True, True), sandbox_module.Sandbox(True, False),
             sandbox_module.Sandbox()]
    assert [b.level for b in boxes] == list(sandbox_module.LEVELS)
    statements = [b.statement for b in boxes]
    assert len(set(statements)) == len(boxes)
    assert all("\n" not in s and "grading.sandbox" not in s for s in statements)
    if lang == "zh_CN":
        assert all("隔离" in s for s in statements)
        assert "拒绝" in str(pytest.raises(sandbox_module.IsolationError,
                                         sandbox_module.require_isolation, boxes[-1]).value)


def test_only_the_environment_and_the_package_are_in_view_and_hidden_paths_inside_are_covered(level):
    box = autograde.sandbox()
    ids = sandbox_module.fresh_ids() if box.isolated else None
    workdir = sandbox_module._probe_dir(ids)
    module = sandbox_module.PACKAGE_DIR / "grading" / "compare.py"

    def readable(path: Path, hide: list[str]) -> bool:
        config = sandbox_module._base_config(box, workdir, hide, ids)
        return sandbox_module._probe(config, str(path)) == 0

    try:
        assert readable(module, [])  # the package is there (lessons import it)
        assert readable(Path(os.path.realpath(sys.executable)), [])
        assert not readable(module, [str(module.parent)])  # a hidden folder inside the view
        assert not readable(module, [str(module)])  # a hidden file inside the view
        # The checkout around the package, with its exercises, is not in the view at all.
        assert not readable(SAMPLE, [])
        assert not readable(sandbox_module.CHECKOUT_DIR / "pyproject.toml", [])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
