"""The output cap counts every message kind, and bounds the grader's memory (class 6).

Each flood comes after q1 is evaluated: q1 keeps its points, the rest stop with the
output limit as the reason, and the grader's peak resident memory (VmHWM, reset before
grading through /proc/self/clear_refs) grows by a bounded amount.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from salestrain.grading import autograde
from tests.grading import hostile
from tests.grading.helpers import SAMPLE, write

CAP = 1_000_000
LIMITS = autograde.Limits(cell_seconds=60, notebook_seconds=120, output_bytes=CAP)
# Generous: the grader holds at most about the cap of kept output plus one message part
# of at most the cap. Before, one 40 MB exception cost 319 MB.
MEMORY_BOUND = 60 * 2**20

FLOODS = {
    # One exception whose message (and so its traceback, on IOPub and in the reply) is 40 MB.
    "traceback": 'raise ValueError("x" * 40_000_000)',
    # Many errors, each small: tracebacks count too.
    "errors": "from IPython.display import display\n"
              "for i in range(2000):\n"
              "    try:\n        raise ValueError('y' * 1000)\n"
              "    except ValueError:\n        get_ipython().showtraceback()",
    # Display updates are not stored as outputs, but they still cost the grader.
    "display_updates": "from IPython.display import display\n"
                       "handle = display('start', display_id=True)\n"
                       "for i in range(5000):\n    handle.update('z' * 1000)",
    # Comm messages (what widgets send), to a target the grader does not even handle.
    "comm": "from comm import create_comm\n"
            "channel = create_comm(target_name='salestrain.flood')\n"
            "for i in range(5000):\n    channel.send({'data': 'w' * 1000})",
    # A single display message of 40 MB.
    "one_big_display": "from IPython.display import display\ndisplay({'text/plain': 'v' * 40_000_000}, raw=True)",
}


def _status(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(key)


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    except OSError:
        return False
    return _status("VmHWM") <= _status("VmRSS") + 4 * 2**20


@pytest.mark.parametrize("kind", sorted(FLOODS))
def test_every_message_kind_is_cut_at_the_cap(kind, tmp_path):
    path = write(hostile.with_cell(FLOODS[kind]), tmp_path / f"{kind}.ipynb")
    exercise, _ = autograde.load_exercise(SAMPLE)
    if not _reset_peak():
        pytest.skip("this kernel cannot reset the peak RSS (/proc/self/clear_refs)")
    before = _status("VmRSS")
    result = autograde.run_sync(autograde.grade_notebook(exercise, SAMPLE, path, LIMITS))
    growth = _status("VmHWM") - before
    assert result.question_scores()["q1"] == (2.0, 2.0)
    assert result.stopped and "output limit" in result.stopped, (result.stopped, result.cell_errors)
    assert {o.status for o in result.outcomes if o.question != "q1"} == {"kernel died"}
    assert growth < MEMORY_BOUND, f"grader peak RSS grew by {growth / 2**20:.0f} MB"


def test_an_honest_notebook_with_displays_and_comms_is_not_cut(tmp_path):
    # The count includes every status and reply: small traffic must stay far below the cap.
    code = ("from IPython.display import display\nfrom comm import create_comm\n"
            "h = display('a', display_id=True)\nh.update('b')\n"
            "create_comm(target_name='salestrain.small').send({'n': 1})\n"
            "try:\n    1 / 0\nexcept ZeroDivisionError:\n    get_ipython().showtraceback()")
    path = write(hostile.with_cell(code), tmp_path / "honest.ipynb")
    exercise, _ = autograde.load_exercise(SAMPLE)
    result = autograde.run_sync(autograde.grade_notebook(
        exercise, SAMPLE, path, autograde.Limits(output_bytes=100_000)))
    assert result.score == 7 and result.stopped is None, (result.stopped, result.cell_errors)
