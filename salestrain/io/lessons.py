"""Bilingual lessons: one source notebook, one built notebook per language.

A lesson keeps ONE code sequence and its prose in every language. The source
(``notebooks/source/NAME.ipynb``) is an ordinary notebook whose markdown cells are
tagged with their language (cell tag ``lang:en`` or ``lang:zh_CN``). Consecutive
markdown cells form one *prose block*, with one cell per language; code cells sit
between blocks and are shared. :func:`build` writes, for each language, a plain
notebook with only that language's prose — ``notebooks/NAME.ipynb`` for English and
``notebooks/zh_CN/NAME.ipynb`` for Chinese — resolving each block with the same ``t()``
and fallback chain as every other text. Learners, Voila and nbval see ordinary
notebooks; translators edit both languages side by side in one file.

Checks (``salestrain lessons check``, and ``salestrain validate`` on a source):
every prose cell has exactly one known language tag; every block has every language
the lesson uses (a missing translation is named with its cell); the built notebooks
are what the source builds; and their code cells are identical across languages.
See docs/i18n.md for why this, and not a prose catalog read by code cells.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from salestrain.base.errors import ContentError, Problem
from salestrain.base.files import write_atomic
from salestrain.base.i18n import DEFAULT_LANGUAGE, LANGUAGES, Text, t
from salestrain.io.content import register_file_validator

TAG_PREFIX = "lang:"
SOURCE_MARK = "lesson-source"  # metadata.salestrain.i18n of a source notebook
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


@dataclass(frozen=True)
class Block:
    """A run of cells of the source: shared code, or prose in several languages."""

    kind: str  # "code" or "prose" (raw cells count as code: shared as they are)
    cells: tuple[dict[str, Any], ...]  # code: one cell; prose: one cell per language
    first: int  # 1-based index of the block's first cell in the source

    def prose(self) -> Text:
        return Text({_language(c) or "?": _source(c) for c in self.cells})


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _tags(cell: dict[str, Any]) -> list[str]:
    return [str(tag) for tag in cell.get("metadata", {}).get("tags", [])]


def _language(cell: dict[str, Any]) -> str | None:
    found = [tag[len(TAG_PREFIX):] for tag in _tags(cell) if tag.startswith(TAG_PREFIX)]
    return found[0] if len(found) == 1 else None


def read_notebook(path: Path) -> dict[str, Any]:
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ContentError(f"{path} is not a readable notebook: {exc}") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ContentError(f"{path} is not a notebook (no cells)")
    return nb


def is_source(nb: dict[str, Any]) -> bool:
    return nb.get("metadata", {}).get("salestrain", {}).get("i18n") == SOURCE_MARK


def blocks(nb: dict[str, Any], name: str) -> tuple[list[Block], list[Problem]]:
    """The source's blocks, and every tagging problem (cell numbers are 1-based)."""
    problems: list[Problem] = []
    out: list[Block] = []
    run: list[tuple[int, dict[str, Any]]] = []

    def close_run() -> None:
        if not run:
            return
        seen: dict[str, int] = {}
        for number, cell in run:
            lang = _language(cell)
            if lang is None or lang not in LANGUAGES:
                continue
            if lang in seen:
                problems.append(Problem(name, None, f"cell {number}", t(
                    "i18n.lessons.repeated", cell=number, language=lang,
                    cells=f"{seen[lang]}, {number}")))
            seen[lang] = number
        cells = tuple(c for _, c in run if _language(c) in LANGUAGES)
        out.append(Block("prose", cells, run[0][0]))
        run.clear()

    for number, cell in enumerate(nb["cells"], start=1):
        if cell.get("cell_type") != "markdown":
            close_run()
            out.append(Block("code", (cell,), number))
            continue
        langs = [tag for tag in _tags(cell) if tag.startswith(TAG_PREFIX)]
        if not langs:
            problems.append(Problem(name, None, f"cell {number}", t(
                "i18n.lessons.no_language", cell=number, languages="|".join(LANGUAGES))))
        elif len(langs) > 1:
            problems.append(Problem(name, None, f"cell {number}", t(
                "i18n.lessons.two_languages", cell=number, tags=", ".join(langs))))
        elif langs[0][len(TAG_PREFIX):] not in LANGUAGES:
            problems.append(Problem(name, None, f"cell {number}", t(
                "i18n.lessons.unknown_language", cell=number, language=langs[0][len(TAG_PREFIX):],
                languages=", ".join(LANGUAGES))))
        # A language met again starts the next block: "en, zh_CN, en, zh_CN" is two
        # paragraphs each with its translation, so a lesson's cells need no merging.
        lang = _language(cell)
        if lang is not None and any(_language(c) == lang for _, c in run):
            close_run()
        run.append((number, cell))
    close_run()
    return out, problems


def source_problems(nb: dict[str, Any], name: str) -> list[Problem]:
    """Tagging problems plus missing translations, like a scenario's (docs/i18n.md)."""
    found, problems = blocks(nb, name)
    prose = [b for b in found if b.kind == "prose" and b.cells]
    used = {lang for b in prose for lang in b.prose()}
    for block in prose:
        for lang in (lang for lang in LANGUAGES if lang in used and lang not in block.prose()):
            problems.append(Problem(name, None, f"cell {block.first}", t(
                "i18n.lessons.missing", cell=block.first, language=lang)))
    return problems


LESSON_HOME = "notebooks"  # lessons get a folder per language; everything else a suffix


def built_path(source: Path, lang: str) -> Path:
    """Where ``lang``'s notebook of ``source`` (``<home>/source/X.ipynb``) goes.

    English is always ``<home>/X.ipynb``. Lessons put another language in a folder
    (``notebooks/zh_CN/X.ipynb``): learner mode and ``salestrain lab`` open one language's
    folder. Exercises and case notebooks put it beside the English one
    (``exercises/funnel/X.zh_CN.ipynb``): they read data files by relative path, and the
    release and the grader copy the folder's data files as they are.
    """
    home = source.parent.parent
    if lang == DEFAULT_LANGUAGE:
        return home / source.name
    if home.name == LESSON_HOME:
        return home / lang / source.name
    return home / f"{source.stem}.{lang}{source.suffix}"


def variant_language(path: Path) -> str | None:
    """``X.zh_CN.ipynb`` -> ``zh_CN``: a built translation of the exercise or case ``X``."""
    stem = Path(path).stem
    lang = stem.rsplit(".", 1)[-1] if "." in stem else None
    return lang if lang in LANGUAGES and lang != DEFAULT_LANGUAGE else None


def variant_of(path: Path, lang: str) -> Path:
    """The notebook ``lang`` reads for the exercise or case notebook ``path`` (itself if none)."""
    path = Path(path)
    if lang == DEFAULT_LANGUAGE:
        return path
    candidate = path.with_name(f"{path.stem}.{lang}{path.suffix}")
    return candidate if candidate.exists() else path


def is_source_path(path: Path) -> bool:
    """A bilingual source lives in a ``source`` folder; only its built notebooks are used."""
    return Path(path).parent.name == "source"


def _plain_cell(cell: dict[str, Any], source: str) -> dict[str, Any]:
    metadata = {k: v for k, v in cell.get("metadata", {}).items() if k != "tags"}
    tags = [tag for tag in _tags(cell) if not tag.startswith(TAG_PREFIX)]
    if tags:
        metadata["tags"] = tags
    out: dict[str, Any] = {"cell_type": cell["cell_type"], "metadata": metadata, "source": source}
    if "id" in cell:
        out["id"] = cell["id"]
    if cell["cell_type"] == "code":  # committed without outputs (house rule)
        out.update(execution_count=None, outputs=[])
    return out


def render(nb: dict[str, Any], lang: str, source_name: str) -> dict[str, Any]:
    """The notebook a reader of ``lang`` gets: shared code, that language's prose."""
    found, _ = blocks(nb, source_name)
    cells: list[dict[str, Any]] = []
    for block in found:
        if block.kind == "code":
            cells.append(_plain_cell(block.cells[0], _source(block.cells[0])))
        elif block.cells:
            text = block.prose()
            # The same resolver and fallback chain as every text; the chosen cell keeps its id.
            chosen = t(text, lang=lang)
            cell = next(c for c in block.cells if _source(c) == chosen)
            cells.append(_plain_cell(cell, chosen))
    metadata = {k: v for k, v in nb.get("metadata", {}).items() if k != "salestrain"}
    metadata.setdefault("kernelspec", KERNELSPEC)
    metadata["salestrain"] = {"i18n": {"source": source_name, "lang": lang}}
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def dumps(nb: dict[str, Any]) -> str:
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


def languages_of(nb: dict[str, Any], name: str) -> list[str]:
    found, _ = blocks(nb, name)
    used = {lang for b in found if b.kind == "prose" and b.cells for lang in b.prose()}
    return [lang for lang in LANGUAGES if lang in used] or [DEFAULT_LANGUAGE]


def build(source: Path, force: bool = False) -> list[Path]:
    """Write every language's notebook; refuses bad sources and, without ``force``,
    existing files (a hand edit in a built notebook is never silently lost)."""
    source = Path(source)
    nb = read_notebook(source)
    problems = source_problems(nb, str(source))
    if problems:
        raise ContentError(f"{source} has {len(problems)} problem(s)", problems)
    written = []
    for lang in languages_of(nb, str(source)):
        target = built_path(source, lang)
        text = dumps(render(nb, lang, _relative_name(source, target)))
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue  # already what the source builds: nothing to replace
        written.append(write_atomic(target, text, force=force, make_parents=True))
    return written


def source_path(notebook: Path) -> Path:
    """Where the bilingual source of a built (or single-language) notebook lives."""
    notebook = Path(notebook)
    home = notebook.parent.parent if notebook.parent.name in LANGUAGES else notebook.parent
    stem = notebook.stem.rsplit(".", 1)[0] if variant_language(notebook) else notebook.stem
    return home / "source" / f"{stem}{notebook.suffix}"


def init_source(notebook: Path, force: bool = False) -> Path:
    """Start translating ``notebook``: write its source with every prose cell tagged English.

    ``salestrain lessons check`` then names each prose cell that still lacks a translation;
    a translator adds a ``lang:zh_CN`` cell after each English one and builds.
    """
    notebook = Path(notebook)
    nb = read_notebook(notebook)
    if is_source(nb):
        raise ContentError(t("i18n.lessons.already_source", path=notebook))
    cells = []
    for cell in nb["cells"]:
        cell = {k: v for k, v in cell.items()}
        if cell.get("cell_type") == "markdown":
            metadata = dict(cell.get("metadata", {}))
            tags = [tag for tag in _tags(cell) if not tag.startswith(TAG_PREFIX)]
            metadata["tags"] = [*tags, f"{TAG_PREFIX}{DEFAULT_LANGUAGE}"]
            cell["metadata"] = metadata
        elif cell.get("cell_type") == "code":
            cell.update(execution_count=None, outputs=[])
        cells.append(cell)
    metadata = {k: v for k, v in nb.get("metadata", {}).items() if k != "salestrain"}
    metadata["salestrain"] = {"i18n": SOURCE_MARK}
    out = {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    return write_atomic(source_path(notebook), dumps(out), force=force, make_parents=True)


def _relative_name(source: Path, target: Path) -> str:
    # Recorded in the built notebook so a reader knows where to edit; relative, so
    # the built file does not depend on the machine it was built on.
    return Path(os.path.relpath(source.resolve(), target.parent.resolve())).as_posix()


def code_cells(nb: dict[str, Any]) -> list[str]:
    return [_source(c) for c in nb["cells"] if c.get("cell_type") == "code"]


def code_problems(paths: list[Path], source: str) -> list[Problem]:
    """Code cells must be identical across the language versions of one lesson."""
    if len(paths) < 2:
        return []
    first, *others = paths
    reference = code_cells(read_notebook(first))
    problems = []
    for other in others:
        cells = code_cells(read_notebook(other))
        for k in range(max(len(reference), len(cells))):
            a = reference[k] if k < len(reference) else None
            b = cells[k] if k < len(cells) else None
            if a != b:
                problems.append(Problem(str(other), None, f"code cell {k + 1}", t(
                    "i18n.lessons.code_differs", cell=k + 1, first=first, other=other, source=source)))
                break
    return problems


def check(source: Path) -> list[Problem]:
    """Everything wrong with a lesson: its source, stale built files, differing code."""
    source = Path(source)
    nb = read_notebook(source)
    problems = source_problems(nb, str(source))
    if problems:
        return problems
    targets = []
    for lang in languages_of(nb, str(source)):
        target = built_path(source, lang)
        targets.append(target)
        expected = dumps(render(nb, lang, _relative_name(source, target)))
        if not target.exists() or target.read_text(encoding="utf-8") != expected:
            problems.append(Problem(str(target), None, "(built)", t(
                "i18n.lessons.out_of_date", path=target, source=source)))
    existing = [p for p in targets if p.exists()]
    return problems + code_problems(existing, str(source))


@register_file_validator(".ipynb")
def validate_lesson_source(path: Path) -> list[Problem] | None:
    """``salestrain validate`` on a lesson source runs :func:`check`; other notebooks are not ours."""
    try:
        nb = read_notebook(path)
    except ContentError:
        return None
    return check(Path(path)) if is_source(nb) else None


FACILITATOR_TAG = "facilitator"  # prose a trainer reads before the session; learners never see it


@dataclass(frozen=True)
class FacilitatorNotes:
    """One lesson's facilitator notes in one language, as the trainer's guide shows them."""

    lesson: str  # the lesson's file stem, e.g. "01_funnel_forecasting"
    title: str  # the lesson's first heading in that language
    markdown: str  # the notes' cells, joined


def facilitator_notes(source: Path, lang: str) -> FacilitatorNotes | None:
    """The cells of ``source`` tagged ``facilitator`` in ``lang`` (the same fallback as the
    lesson's prose), or None for a lesson without notes. One source: the trainer's guide
    reads the notes from the lessons, so they cannot drift apart."""
    source = Path(source)
    nb = render(read_notebook(source), lang, source.name)
    cells = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    notes = [_source(c) for c in cells if FACILITATOR_TAG in _tags(c)]
    if not notes:
        return None
    heading = next((line for c in cells for line in _source(c).splitlines()
                    if line.startswith("# ")), f"# {source.stem}")
    return FacilitatorNotes(source.stem, heading[2:].strip(), "\n\n".join(notes))


def all_facilitator_notes(source_dir: Path, lang: str) -> list[FacilitatorNotes]:
    """Every lesson's notes in ``source_dir`` (notebooks/source), in lesson order."""
    found = (facilitator_notes(p, lang) for p in sorted(Path(source_dir).glob("[0-8]*.ipynb")))
    return [notes for notes in found if notes is not None]
