"""Building exercise and submission notebooks for the grading tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "exercises" / "sample" / "funnel_forecast.ipynb"


def notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def copy_sample(folder: Path) -> Path:
    """The sample exercise in a private `exercises` folder (only the grader can read it)."""
    target = folder / "exercises" / "sample"
    target.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    return Path(shutil.copy(SAMPLE, target / SAMPLE.name))


def cell_text(nb: nbformat.NotebookNode, index: int) -> str:
    return "".join(o.get("text", "") for o in nb.cells[index].get("outputs", []))
