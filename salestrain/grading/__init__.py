"""Graded exercises: format, self-check, release, autograde, gradebook, reports.

``from salestrain.grading import check`` in a notebook registers the ``%%tests``
cell magic and gives ``check("q1")``. This module imports nothing heavy so that the
first cell of every exercise stays fast.
"""

from __future__ import annotations

import sys

from salestrain.grading.selfcheck import check, install, run_check

__all__ = ["check", "run_check"]


def _register_magic() -> None:
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        install(shell)


_register_magic()
