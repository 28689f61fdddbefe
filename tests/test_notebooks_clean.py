"""Committed notebooks carry no outputs, and lessons name their kernel."""

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tracked_notebooks() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        out = []
    found = [ROOT / p for p in out if (ROOT / p).exists()]
    # Also look at files not yet committed, so the check runs before the commit.
    for folder in ("notebooks", "cases", "exercises"):
        found.extend(p for p in (ROOT / folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    return sorted(set(found))


NOTEBOOKS = _tracked_notebooks()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_has_no_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [i for i, c in enumerate(nb["cells"])
             if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    assert not dirty, f"{path}: cells {dirty} carry outputs; clear them before committing"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if "tests" not in p.parts],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_names_its_kernel(path):
    # Without kernelspec metadata JupyterLab opens a modal "Select Kernel" dialog.
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", path


def test_start_here_exists():
    assert (ROOT / "notebooks" / "00_start_here.ipynb").exists()
