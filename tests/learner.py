"""Play a released exercise in-process, as a learner who filled in nothing yet."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from salestrain.grading import selfcheck
from salestrain.grading.release import release_notebook


def run_released(path: Path) -> dict:
    """Execute the learner version of ``path`` (solutions removed), registering its
    public tests for ``selfcheck.run_check``; returns the learner's namespace."""
    nb = release_notebook(json.loads(path.read_text(encoding="utf-8")))
    selfcheck.forget()
    ns: dict = {}
    # in the exercise's folder, as a learner's kernel runs: it reads its data files beside it
    with contextlib.chdir(path.parent):
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            if source.startswith("%%tests"):
                assert selfcheck.register(source) == []
            elif not source.startswith("check("):
                exec(compile(source, path.name, "exec"), ns)
    return ns
