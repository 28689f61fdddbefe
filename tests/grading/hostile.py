"""A cohort of submissions to the sample exercise: honest ones and hostile ones.

Each hostile learner answers q1 correctly first, then misbehaves, so the tests can
check that points earned before the misbehaviour are kept.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

from salestrain.grading.format import cell_source, is_tests_cell
from tests.grading.helpers import SAMPLE

SECRET = "s3cret-7d1f0c"  # planted in the grader's environment and a process's command line

# Cells of the solved notebook: 4 q1 solution, 5 q1 tests, 6 check, 8 q2 solution,
# 9 q2 tests, 12 q3 solution, 13 q3 tests. After cell 6, q1 has been evaluated.
AFTER_Q1 = 6


def solved() -> nbformat.NotebookNode:
    """A correct learner notebook: the source without its hidden tests cells."""
    nb = nbformat.read(str(SAMPLE), as_version=4)
    nb.cells = [c for c in nb.cells
                if not (is_tests_cell(c) and cell_source(c).splitlines()[0].endswith("hidden"))]
    return nb


def with_cell(code: str, after: int = AFTER_Q1) -> nbformat.NotebookNode:
    nb = solved()
    nb.cells.insert(after + 1, nbformat.v4.new_code_cell(code))
    return nb


def replace_in(nb: nbformat.NotebookNode, old: str, new: str) -> nbformat.NotebookNode:
    for cell in nb.cells:
        cell.source = cell_source(cell).replace(old, new)
    return nb


READER = '''
import glob, os
EXERCISE = {exercise!r}
leaks = []
def scan(path):
    try:
        with open(path, "rb") as fh:
            data = fh.read(5_000_000)
    except Exception:
        return
    if b"%%tests q2 hidden" in data or b"BEGIN SOLUTION" in data:
        leaks.append(path)
folder = os.path.dirname(EXERCISE)
for path in [EXERCISE, *glob.glob(folder + "/*"), *glob.glob(os.path.dirname(folder) + "/*/*"),
             *glob.glob("*"), *glob.glob(".*"), *glob.glob(os.path.expanduser("~/*"))]:
    scan(path)
if any({secret!r} in value for value in os.environ.values()):
    leaks.append("environment")
# Other learners' notebooks, to copy their answers.
for other in glob.glob({submissions!r} + "/*.ipynb"):
    try:
        open(other, "rb").read(1)
        leaks.append("submission " + os.path.basename(other))
    except Exception:
        pass
# The network: a port the grader's machine listens on (no data may leave the kernel).
import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    leaks.append("network")
except OSError:
    pass
# Learners graded at the same time: their folders, connection files and kernels.
own = os.path.realpath(os.getcwd())
for other in glob.glob("/tmp/salestrain-grade-*"):
    if os.path.realpath(other) != own:
        try:
            os.listdir(other)
            leaks.append("neighbour " + other)
        except Exception:
            pass
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            cwd = os.readlink(f"/proc/{{pid}}/cwd")
            if cwd != own:
                leaks.append(f"/proc/{{pid}}/cwd")
        except Exception:
            pass
        for name in ("environ", "cmdline"):
            try:
                data = open(f"/proc/{{pid}}/{{name}}", "rb").read()
            except Exception:
                continue
            if {secret!r}.encode() in data or b"%%tests q2 hidden" in data:
                leaks.append(f"/proc/{{pid}}/{{name}}")
'''

WRITER = '''
import os, glob
EXERCISE = {exercise!r}
attempts = {{}}
for path in [EXERCISE, os.path.join(os.path.dirname(EXERCISE), "injected.txt"), {package!r}]:
    try:
        with open(path, "a") as fh:
            fh.write("\\n# tampered\\n")
        attempts[path] = "written"
    except Exception as exc:
        attempts[path] = type(exc).__name__
for path in glob.glob("*") + ["funnel_forecast.ipynb", "tests.yaml"]:
    with open(path, "w") as fh:
        fh.write("overwritten")
win_probability = {{}}
'''

FORKER_TAG = f"777.{os.getpid()}"  # one tag per test run

FORKER = '''
import os, time
PIDDIR = {piddir!r}
TAG = {tag!r}  # children end as `sleep TAG`, findable in the host's /proc
def child(kind):
    if os.fork() == 0:
        if kind == "escaped":
            os.setsid()
            if os.fork() > 0:
                os._exit(0)
        try:  # visible to the test only where the sandbox shares this folder
            open(os.path.join(PIDDIR, f"{{kind}}-{{os.getpid()}}"), "w").close()
        except OSError:
            pass
        os.execve("/bin/sleep", ["sleep", TAG], {{}})
child("plain")
child("escaped")
time.sleep(1)
'''

ALWAYS_EQUAL = '''
class AlwaysEqual:
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    __hash__ = object.__hash__
'''


def always_equal() -> nbformat.NotebookNode:
    """Every answer is an object that claims to equal anything."""
    nb = solved()
    nb.cells[1].source += "\n" + ALWAYS_EQUAL
    nb.cells[4].source = "win_probability = AlwaysEqual()"
    nb.cells[8].source = "def weighted_forecast(deals):\n    return AlwaysEqual()"
    nb.cells[12].source = "biggest_stage = AlwaysEqual()"
    return nb


def cohort(folder: Path, exercise: Path, piddir: Path, port: int = 9, isolated: bool = True
           ) -> dict[str, int | None]:
    """Write the cohort into ``folder``; returns the expected score of each learner
    (None where only the reason is asserted). Without ``isolated`` kernels (the grader
    is not root) the writer does not aim at the package's own files: it could change them."""
    folder.mkdir(parents=True, exist_ok=True)
    import salestrain

    package_file = (str(Path(salestrain.__file__).resolve().parent / "grading" / "compare.py")
                    if isolated else str(folder / "not-the-package.py"))
    notebooks = {
        "perfect": (solved(), 7),
        # Partial credit: a wrong probability table still gets the points its answers earn.
        "partial": (replace_in(solved(), '"negotiation": 0.7', '"negotiation": 0.6'), 2),
        "infinite_loop": (with_cell("while True:\n    pass"), 2),
        "sys_exit": (with_cell("import sys\nsys.exit(3)"), 7),
        "os_exit": (with_cell("import os\nos._exit(1)"), 2),
        "killed_kernel": (with_cell("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"), 2),
        "import_error": (replace_in(solved(), "    total = None\n",
                                    "    import no_such_module_for_salestrain\n    total = None\n"), 3),
        "reader": (with_cell(READER.format(exercise=str(exercise), secret=SECRET, port=port,
                                           submissions=str(folder))
                             + '\nbiggest_stage = "proposal" if not leaks else "LEAK " + " ".join(leaks)',
                             after=12), 7),
        # Overwrites files and edits its own copy of the q1 tests to accept an empty answer.
        "writer": (replace_in(with_cell(WRITER.format(exercise=str(exercise), package=package_file),
                                        after=4),
                              "expect: {potential: 0.1, intention: 0.3, proposal: 0.5, negotiation: 0.7, won: 1.0}",
                              "expect: {}"), None),
        "always_equal": (always_equal(), 0),
        "flood": (with_cell("for i in range(1_000_000):\n    print('x' * 99)"), 2),
        "memory_bomb": (with_cell("blocks = []\nwhile True:\n    blocks.append(bytearray(64 * 1024**2))"),
                        None),
        "forker": (with_cell(FORKER.format(piddir=str(piddir), tag=FORKER_TAG)), 7),
    }
    expected = {}
    for name, (nb, score) in notebooks.items():
        nbformat.write(nb, str(folder / f"{name}.ipynb"))
        expected[name] = score
    # Not a notebook at all (a truncated upload).
    (folder / "corrupt.ipynb").write_text('{"cells": [', encoding="utf-8")
    expected["corrupt"] = 0
    return expected
