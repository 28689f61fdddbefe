"""The learner site served by ``salestrain learn``: an index and every lesson, no code shown.

Voila in tree mode serves the site (the only measured mode that hides code, cannot be
edited and follows links between pages: /work/shared/JUPYTER-NOTES.md, "Learner mode").
Its own tree lists files in no order, so each language gets an ``index.ipynb`` that lists
the lessons in order with the learner's progress; each lesson gets a navigator at the top
and the bottom. Both are code cells that Voila runs and hides (``--strip_sources``), so
the index shows progress as it is now, not as it was when the site was built.

Cells tagged ``learner:hide`` (checks a notebook does for its own correctness) are left
out of the learner's copy, so no Python repr from them reaches a learner. The site is
generated into the per-user data folder on every start and never edited by hand.

A learner's progress is one small JSON file per learner, keyed by the name they give
(or their hub user name), never by the computer account.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from salestrain.base.errors import SalestrainError
from salestrain.base.files import write_atomic
from salestrain.base.i18n import LANGUAGES
from salestrain.core.assessment.declared import is_question_source, release_source
from salestrain.io.answers import safe_id
from salestrain.io.store import data_dir
from salestrain.io.yamlio import load_yaml

HIDE_TAG = "learner:hide"
PROGRESS = ("new", "opened", "finished", "submitted")  # submitted: an exercise handed in
LEARNER_ENV = "SALESTRAIN_LEARNER"
MANIFEST = "lessons.json"
REPORT_PAGE = "mastery"  # the learner's own report page in each language's site
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
TRAINER_PREFIX = "9"  # 90_trainers_guide and later: for trainers, in `salestrain lab` only
# Which module's graded exercises (exercises/<module>/) follow each lesson on the index.
LESSON_MODULES = {"01_funnel_forecasting": "funnel", "02_negotiation": "negotiation",
                  "03_objection_handling": "objections", "04_capability_willingness": "coaching",
                  "05_goals_and_accounts": "goals", "06_market_planning": "strategy"}


@dataclass(frozen=True)
class Lesson:
    name: str  # the notebook's stem, e.g. "01_funnel_forecasting": the same in every language
    title: str  # the first heading, in the notebook's language


@dataclass(frozen=True)
class Exercise:
    name: str  # the page's stem in the site, e.g. "funnel__decide_the_month"
    title: str
    lesson: str  # the lesson it follows on the index


def no_code_exercises(exercises: Path, lang: str) -> list[tuple[str, Path]]:
    """``(module, notebook)`` of every no-code exercise, in ``lang`` where translated:
    the exercises a learner answers in widgets (the code ones are the analyst track)."""
    found = []
    for module in LESSON_MODULES.values():
        folder = Path(exercises) / module
        for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
            if path.stem.count(".") or not _declares_questions(path):
                continue  # a translation (picked below) or a code exercise
            variant = path.with_name(f"{path.stem}.{lang}{path.suffix}")
            found.append((module, variant if lang != "en" and variant.is_file() else path))
    return found


def case_exercises(cases: Path, lang: str) -> list[tuple[str, str, Path]]:
    """``(module, case slug, notebook)`` of every no-code exercise of every case, in ``lang``
    where translated. A case's exercises follow the lesson of the first module it teaches
    (``modules:`` in its case.yaml) that has a lesson: a self-study learner reaches them the
    same way as the module's own exercises. Case exercises carry their data in the page, so
    they run from the site folder like any other page."""
    taught = set(LESSON_MODULES.values())
    found = []
    for case_file in sorted(Path(cases).glob("*/case.yaml")) if cases is not None else []:
        try:
            modules = load_yaml(case_file).data.get("modules") or []
        except SalestrainError:
            continue  # a broken case.yaml is for `salestrain validate` to name, not the index
        module = next((m for m in modules if m in taught), None)
        folder = case_file.parent / "exercises"
        if module is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.ipynb")):
            if path.stem.count(".") or not _declares_questions(path):
                continue
            variant = path.with_name(f"{path.stem}.{lang}{path.suffix}")
            found.append((module, case_file.parent.name,
                          variant if lang != "en" and variant.is_file() else path))
    return found


def _declares_questions(path: Path) -> bool:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return any(c.get("cell_type") == "code" and is_question_source(_text(c)) for c in nb.get("cells", []))


def _text(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def current_learner() -> str:
    """Who is learning: ``salestrain learn --learner``, else the hub's user, else "learner"."""
    return (os.environ.get(LEARNER_ENV) or os.environ.get("JUPYTERHUB_USER") or "learner").strip() \
        or "learner"


def lesson_sources(notebooks: Path) -> dict[str, list[Path]]:
    """Per language, the lesson notebooks in course order: English in ``notebooks/``, other
    languages in ``notebooks/<lang>/`` (what ``salestrain lessons build`` writes). The
    trainers' notebooks (``90_...``) are not lessons."""
    found: dict[str, list[Path]] = {}
    for lang in LANGUAGES:
        folder = notebooks if lang == "en" else notebooks / lang
        found[lang] = sorted(p for p in folder.glob("[0-9]*.ipynb")
                             if not p.name.startswith(TRAINER_PREFIX)) if folder.is_dir() else []
    return found


def lesson_title(nb: dict[str, Any], fallback: str) -> str:
    """The first Markdown heading of a notebook."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            for line in ("".join(source) if isinstance(source, list) else source).splitlines():
                if line.startswith("#"):
                    # "4. Capability x willingness" -> the index numbers the lessons itself
                    return re.sub(r"^\d+[.)、]\s*", "", line.lstrip("#").strip())
    return fallback


def learner_cells(nb: dict[str, Any]) -> list[dict[str, Any]]:
    """The cells a learner's page runs: all but those tagged ``learner:hide``, no outputs."""
    cells = []
    for cell in nb.get("cells", []):
        # An exercise's setup cell prints nothing and must run, whatever its tags say.
        if HIDE_TAG in cell.get("metadata", {}).get("tags", []) and "answer_sheet(" not in _text(cell):
            continue
        cell = json.loads(json.dumps(cell))  # a deep copy: the source notebook stays as it is
        if cell.get("cell_type") == "code" and is_question_source(_text(cell)):
            cell["source"] = release_source(_text(cell))  # a hidden question's key stays behind
        cell.setdefault("id", f"cell-{len(cells)}")  # nbformat 4.5 wants one on every cell
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cells.append(cell)
    return cells


def _code(source: str, cell_id: str) -> dict[str, Any]:
    return {"cell_type": "code", "id": cell_id, "metadata": {}, "source": source,
            "outputs": [], "execution_count": None}


def _notebook(cells: list[dict[str, Any]], title: str, lang: str) -> dict[str, Any]:
    # metadata.title is the browser tab's title, in the learner's language
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"title": title, "kernelspec": KERNELSPEC,
                         "language_info": {"name": "python"}, "salestrain": {"lang": lang}}}


def _write(path: Path, nb: dict[str, Any]) -> None:
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")


def build_site(notebooks: Path, site: Path, exercises: Path | None = None,
               cases: Path | None = None, released: set[str] | None = None) -> dict[str, Path]:
    """Write ``site/<lang>/index.ipynb``, the lessons, the no-code exercises (from
    ``exercises`` and from each case in ``cases``, each after its module's lesson) and their
    manifest; return each language's index. A lesson missing in a language is named on that
    language's index. ``released`` (a hub's room): only the exercise pages the trainer has
    released, by page name (``funnel__decide_the_month``); None: all of them."""
    sources = lesson_sources(notebooks)
    if site.exists():
        shutil.rmtree(site)  # generated: rebuilt on every start
    indexes: dict[str, Path] = {}
    for lang in LANGUAGES:
        folder = site / lang
        folder.mkdir(parents=True)
        lessons = []
        for path in sources[lang]:
            nb = json.loads(path.read_text(encoding="utf-8"))
            lessons.append((Lesson(path.stem, lesson_title(nb, path.stem)), nb))
        names = [lesson.name for lesson, _ in lessons]
        for lesson, nb in lessons:
            call = f"({str(folder)!r}, {lesson.name!r}, {lang!r})"
            cells = [_code(f"from salestrain.apps.learner import lesson_header\nlesson_header{call}",
                           "salestrain-header"),
                     *learner_cells(nb),
                     _code(f"from salestrain.apps.learner import lesson_footer\nlesson_footer{call}",
                           "salestrain-footer")]
            _write(folder / f"{lesson.name}.ipynb", _notebook(cells, lesson.title, lang))
        pages = []
        by_module = {module: lesson for lesson, module in LESSON_MODULES.items()}
        found = [(module, path.stem.split(".")[0], path)
                 for module, path in (no_code_exercises(exercises, lang) if exercises is not None else [])]
        found += [(module, f"{slug}__{path.stem.split('.')[0]}", path)
                  for module, slug, path in case_exercises(cases, lang)]
        for module, stem, path in found:
            nb = json.loads(path.read_text(encoding="utf-8"))
            page = Exercise(f"{module}__{stem}", lesson_title(nb, path.stem), by_module[module])
            if released is not None and page.name not in released:
                continue
            call = f"({str(folder)!r}, {page.name!r}, {lang!r})"
            cells = [_code(f"from salestrain.apps.learner import exercise_header\nexercise_header{call}",
                           "salestrain-header"), *learner_cells(nb)]
            _write(folder / f"{page.name}.ipynb", _notebook(cells, page.title, lang))
            pages.append(page)
        for module, form, cells, title in check_pages(exercises, lang) if exercises is not None else []:
            page = Exercise(f"checks__{module}__{form}", title, by_module[module])
            call = f"({str(folder)!r}, {page.name!r}, {lang!r})"
            cells = [_code(f"from salestrain.apps.learner import exercise_header\nexercise_header{call}",
                           "salestrain-header"), *cells]
            _write(folder / f"{page.name}.ipynb", _notebook(cells, page.title, lang))
            pages.append(page)
        for module, cells, title in survey_pages(exercises, lang) if exercises is not None else []:
            page = Exercise(f"survey__{module}", title, by_module[module])
            call = f"({str(folder)!r}, {page.name!r}, {lang!r})"
            cells = [_code(f"from salestrain.apps.learner import exercise_header\nexercise_header{call}",
                           "salestrain-header"), *cells]
            _write(folder / f"{page.name}.ipynb", _notebook(cells, page.title, lang))
            pages.append(page)
        manifest = {"lang": lang, "lessons": [{"name": lesson.name, "title": lesson.title}
                                              for lesson, _ in lessons],
                    "exercises": [{"name": e.name, "title": e.title, "lesson": e.lesson} for e in pages],
                    "missing": [p.stem for p in sources["en"] if p.stem not in names]}
        _write(folder / MANIFEST, manifest)
        if exercises is not None:
            # The learner's own report, graded from what they handed in: no trainer needed.
            report = [_code("from salestrain.apps.learner import report_header\n"
                            f"report_header({str(folder)!r}, {lang!r})", "salestrain-header"),
                      # In a hub's room the report comes from the room's gradebook (the
                      # learner's sandbox has no answer keys); alone, from the learner's own.
                      _code("from salestrain.apps.learner import show_report\n"
                            "from salestrain.grading.checks import mastery_page\n"
                            "from salestrain.io.classroom_client import classroom\n"
                            "from salestrain.io.learner import current_learner\n"
                            "room = classroom()\n"
                            "show_report(room.report() if room else "
                            f"mastery_page(current_learner(), {str(Path(exercises).parent)!r}))",
                            "salestrain-report")]
            _write(folder / "mastery.ipynb", _notebook(report, REPORT_PAGE, lang))
        index = _code("from salestrain.apps.learner import show_index\n"
                      f"show_index({str(folder)!r}, {lang!r})", "salestrain-index")
        indexes[lang] = folder / "index.ipynb"
        _write(indexes[lang], _notebook([index], lang, lang))
    return indexes


def read_manifest(folder: Path) -> tuple[list[Lesson], list[str]]:
    """The lessons of one language's site folder, in order, and the ones it lacks."""
    data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    return [Lesson(item["name"], item["title"]) for item in data["lessons"]], list(data["missing"])


def read_exercises(folder: Path) -> list[Exercise]:
    """The no-code exercises of one language's site folder, each with the lesson it follows."""
    data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    return [Exercise(item["name"], item["title"], item["lesson"]) for item in data.get("exercises", [])]


# -- progress -------------------------------------------------------------------------


def progress_file(learner: str, root: Path | None = None) -> Path:
    return (root or data_dir()) / "learners" / f"{safe_id(learner)}.progress.json"


def read_progress(record: Path) -> dict[str, str]:
    """``{lesson name: state}``; a missing or damaged record is an empty one."""
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if v in PROGRESS}


def mark(record: Path, lesson: str, state: str) -> dict[str, str]:
    """Raise a lesson's state, never lower it (a finished lesson opened again stays
    finished); the record is replaced atomically. Returns the new progress."""
    if state not in PROGRESS:
        raise ValueError(f"state {state!r} is not one of {PROGRESS}")
    progress = read_progress(record)
    if PROGRESS.index(state) > PROGRESS.index(progress.get(lesson, "new")):
        progress[lesson] = state
        # force: the record is ours to update, private to the learner
        write_atomic(record, json.dumps(progress, indent=1, sort_keys=True), force=True,
                     make_parents=True, mode=0o600)
    return progress


def check_pages(exercises: Path, lang: str) -> list[tuple[str, str, list[dict[str, Any]], str]]:
    """``(module, form, cells, title)`` of each module's pre- and post-check page: every
    item a hidden question (no key on the page, no instant check: a check measures, it
    does not teach), answers handed in like an exercise's."""
    import yaml

    from salestrain.base.i18n import Text, t
    from salestrain.io.item_bank import FORMS, item_banks, load_item_bank

    pages = []
    for module, path in item_banks(exercises).items():
        if module not in LESSON_MODULES.values():
            continue
        bank = load_item_bank(path)
        name = t(Text(bank.title) if isinstance(bank.title, dict) else bank.title, lang=lang)
        for form in FORMS:
            title = t(f"learner.check.{form}", lang=lang, module=name)
            intro = t("learner.check.intro", lang=lang, count=len(bank.forms[form]),
                      minutes=f"{sum(bank.item_minutes[i] for i in bank.forms[form]):g}")
            cells = [{"cell_type": "markdown", "id": "intro", "metadata": {},
                      "source": f"# {title}\n\n{intro}"},
                     _code("from salestrain.apps.exercise import answer_sheet, submit_button\n"
                           f"answer_sheet({check_id(module, form)!r})", "sheet")]
            for k, question in enumerate(bank.form(form)):
                declared = question.model_dump(exclude_none=True, exclude={"id"})
                source = f"%%question {question.id} hidden\n" + yaml.safe_dump(
                    declared, allow_unicode=True, sort_keys=False)
                cells.append(_code(release_source(source), f"q{k}"))
            cells.append(_code("submit_button()", "submit"))
            pages.append((module, form, cells, title))
    return pages


def survey_pages(exercises: Path, lang: str) -> list[tuple[str, list[dict[str, Any]], str]]:
    """``(module, cells, title)`` of the reaction survey page after each module's lesson,
    when ``exercises/survey.yaml`` exists (salestrain/io/survey.py)."""
    from salestrain.base.i18n import Text, t
    from salestrain.io.item_bank import item_banks, load_item_bank
    from salestrain.io.survey import load_survey, survey_file

    path = survey_file(exercises)
    if not path.is_file():
        return []
    survey = load_survey(path)
    banks = item_banks(exercises)
    pages = []
    for module in LESSON_MODULES.values():
        name = module
        if module in banks:
            title = load_item_bank(banks[module]).title
            name = t(Text(title) if isinstance(title, dict) else title, lang=lang)
        title = t("survey.page.title", lang=lang, module=name)
        intro = survey.intro.get(lang) or survey.intro["en"]
        cells = [{"cell_type": "markdown", "id": "intro", "metadata": {}, "source": f"# {title}\n\n{intro}"},
                 _code("from salestrain.apps.survey import survey_form\n"
                       f"survey_form({module!r}, {str(path)!r}, {lang!r})", "survey")]
        pages.append((module, cells, title))
    return pages


def check_id(module: str, form: str) -> str:
    """The exercise id a check's answers carry: ``checks_funnel_pre``."""
    return f"checks_{module}_{form}"


# The hub's live pages: one cell each, in every language (salestrain/apps/live_*.py).
LIVE_PAGES = (("live_table", "salestrain.apps.live_table", "live_table_page", "live.table.title"),
              ("live_poll", "salestrain.apps.live_poll", "live_poll_page", "live.poll.title"))


def add_live_pages(site: Path) -> list[Path]:
    """Write the live table and live poll pages into each language of a hub's site."""
    from salestrain.base.i18n import t

    written = []
    for lang in LANGUAGES:
        for name, module, function, title in LIVE_PAGES:
            cell = _code(f"from {module} import {function}\n{function}({lang!r})", "salestrain-live")
            path = site / lang / f"{name}.ipynb"
            _write(path, _notebook([cell], t(title, lang=lang), lang))
            written.append(path)
    return written

