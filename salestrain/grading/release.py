"""Learner versions of exercises: no solutions, no hidden tests, nothing else to leak.

Deterministic: the same sources give byte-identical releases (no timestamps, cell ids
kept from the source, notebook JSON written with sorted keys).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from salestrain.base.errors import ContentError, Problem
from salestrain.base.files import OverwriteRefusedError, check_writable, write_atomic
from salestrain.base.i18n import get_language, t
from salestrain.core.assessment.declared import is_question_source, release_source
from salestrain.grading.format import BEGIN, END, cell_source, is_tests_cell, parse_header
from salestrain.grading.sources import (
    SIDE_SUFFIXES,
    SKIP_DIRS,
    exercise_files,
    markup_problems,
    read_notebook,
    side_files,
)
from salestrain.io.lessons import variant_of

__all__ = ["SIDE_SUFFIXES", "SKIP_DIRS", "dumps", "exercise_files", "release", "release_notebook",
           "side_files", "strip_solutions"]

NOTEBOOK_KEYS = ("kernelspec", "language_info")


def strip_solutions(source: str, placeholder: str) -> str:
    """Replace every region, markers included, with the placeholder at the marker's indent."""
    out: list[str] = []
    inside = False
    for line in source.splitlines():
        text = line.strip()
        if text == BEGIN:
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + placeholder)
        elif text == END:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def release_notebook(nb: dict[str, Any], placeholder: str | None = None) -> dict[str, Any]:
    """The learner's version of one exercise notebook (a new dict; ``nb`` is untouched)."""
    placeholder = placeholder or t("grading.release.placeholder")
    cells = []
    for index, cell in enumerate(nb.get("cells", [])):
        source = cell_source(cell)
        if is_tests_cell(cell):
            header, _ = parse_header(source.lstrip().splitlines()[0])
            if header is None or header.hidden:
                continue  # hidden (or unreadable) tests never leave the trainer's disk
        if cell.get("cell_type") == "code" and is_question_source(source):
            source = release_source(source)  # a hidden question loses its key
        new: dict[str, Any] = {
            "cell_type": cell.get("cell_type", "code"),
            "id": str(cell.get("id") or f"cell-{index}"),
            # Cell metadata is dropped: tools store solutions and grades there.
            "metadata": {},
            "source": strip_solutions(source, placeholder) if cell.get("cell_type") == "code" else source,
        }
        if new["cell_type"] == "code":
            new["outputs"] = []
            new["execution_count"] = None
        elif "attachments" in cell and new["cell_type"] == "markdown":
            new["attachments"] = cell["attachments"]
        cells.append(new)
    metadata = {k: nb.get("metadata", {})[k] for k in NOTEBOOK_KEYS if k in nb.get("metadata", {})}
    return {"cells": cells, "metadata": metadata, "nbformat": 4,
            "nbformat_minor": max(int(nb.get("nbformat_minor", 5)), 5)}


def dumps(nb: dict[str, Any]) -> str:
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def release(source: Path, out: Path, force: bool = False, lang: str | None = None) -> list[Path]:
    """Write learner versions of every exercise under ``source`` into ``out``.

    Each exercise is released in ``lang`` (default: the session's language): its
    translation ``X.zh_CN.ipynb`` where one exists, under the exercise's own name
    ``X.ipynb``. Translations share the exercise's code and tests (``salestrain lessons
    check``), so the grader grades every language's submission against the one source.

    Every target is checked before anything is written: an existing file is replaced
    only with ``force`` (the CLI's ``--force``), so a second release never silently
    overwrites a folder learners already work in. Files get the mode the user's umask
    gives (a shared server's learners must be able to read their release).
    """
    source, out = Path(source), Path(out)
    if not source.exists():
        raise ContentError(t("grading.error.no_source", source=source))
    if out.resolve() == source.resolve() or source.resolve() in out.resolve().parents:
        raise ContentError(t("grading.error.out_inside_source", out=out, source=source))
    root = source if source.is_dir() else source.parent
    problems: list[Problem] = []
    planned: list[tuple[Path, bytes]] = []
    lang = lang or get_language()
    for path in exercise_files(source):
        nb, found = read_notebook(variant_of(path, lang))
        if nb is None:
            problems.extend(found)
            continue
        _, found = markup_problems(nb, str(path))
        if found:
            problems.extend(found)  # a broken marker would leak its solution: refuse
            continue
        planned.append((out / path.relative_to(root), dumps(release_notebook(nb)).encode("utf-8")))
    if problems:
        raise ContentError(t("grading.error.nothing_released", count=len(problems)), problems)
    planned_paths = {target for target, _ in planned}
    for folder in sorted({p.parent for p in exercise_files(source)}):
        for side in side_files(folder):
            target = out / side.relative_to(root)
            if target not in planned_paths:
                planned_paths.add(target)
                planned.append((target, side.read_bytes()))
    existing = [target for target, _ in planned if target.exists()]
    if existing and not force:
        # All refusals at once, before any file is written: nothing half-released.
        raise OverwriteRefusedError(t("grading.error.release_exists", count=len(existing), out=out,
                                  first=existing[0]))
    for target, _ in planned:
        check_writable(target, force=force, make_parents=True)
    written = []
    for target, data in planned:
        write_atomic(target, data, force=force, make_parents=True)
        written.append(target)
    return written
