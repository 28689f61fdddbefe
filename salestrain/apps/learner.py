"""What a learner sees around the lessons in learner mode: the index and the navigator.

:func:`show_index` is the only cell of each language's ``index.ipynb`` and
:func:`lesson_header` / :func:`lesson_footer` open and close every lesson of the site that
:func:`salestrain.io.learner.build_site` writes. Voila runs these cells and hides their
code. Links are relative (``01_funnel_forecasting.ipynb``), which Voila's tree mode
follows within the site.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w
from IPython.display import display

from salestrain.base.i18n import LANGUAGES, set_language, t
from salestrain.io.learner import (
    Exercise,
    Lesson,
    current_learner,
    mark,
    progress_file,
    read_exercises,
    read_manifest,
    read_progress,
)
from salestrain.plots.style import GOOD_TEXT

# Large, calm type: the same page serves a laptop and a projector.
STYLE = """
<style>
  .salestrain-learner { font-size: 1.15em; line-height: 1.6; max-width: 60em; }
  .salestrain-learner h1 { font-size: 1.8em; margin-bottom: 0.3em; }
  .salestrain-learner ol { padding-left: 1.4em; }
  .salestrain-learner li { margin: 0.35em 0; }
  .salestrain-learner a, .salestrain-nav a { color: #1a5fb4; text-decoration: underline; }
  .salestrain-learner a:hover, .salestrain-nav a:hover { color: #0b3d78; }
  .salestrain-learner .state { color: #555; margin-left: 0.6em; font-size: 0.9em; }
  .salestrain-learner .state.finished, .salestrain-learner .state.submitted { color: GOOD_TEXT; }
  .salestrain-learner .exercises { font-size: 0.92em; color: #333; margin: 0.2em 0 0.6em 0.4em; }
  .salestrain-nav { display: flex; gap: 1.5em; font-size: 1.1em; padding: 0.4em 0;
                    border-bottom: 1px solid #ddd; margin-bottom: 0.8em; }
  .salestrain-nav.bottom { border-bottom: none; border-top: 1px solid #ddd;
                           margin-top: 1.2em; }
</style>
""".replace("GOOD_TEXT", GOOD_TEXT)  # the palette's confirming shade


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


def index_html(folder: Path, lang: str, learner: str | None = None) -> str:
    """The index page of one language: the lessons in order with the learner's progress."""
    lessons, missing = read_manifest(folder)
    progress = read_progress(progress_file(learner or current_learner()))
    exercises = read_exercises(folder)
    rows = []
    for lesson in lessons:
        state = progress.get(lesson.name, "new")
        # the pre-check first (before the lesson's exercises), the post-check, then the survey
        mine = sorted((e for e in exercises if e.lesson == lesson.name),
                      key=lambda e: (0 if e.name.endswith("__pre") else 2 if e.name.endswith("__post")
                                     else 3 if e.name.startswith("survey__") else 1))
        sub = ""
        if mine:
            items = "".join(_exercise_item(e, progress.get(e.name, "new"), lang) for e in mine)
            sub = (f"<div class='exercises'>{html.escape(t('learner.index.exercises', lang=lang))}"
                   f"<ul>{items}</ul></div>")
        rows.append(f"<li>{_link(lesson.name + '.ipynb', lesson.title)}"
                    f'<span class="state {state}">'
                    f"{html.escape(t(f'learner.index.progress_{state}', lang=lang))}</span>{sub}</li>")
    parts = [STYLE, '<div class="salestrain-learner">',
             f"<h1>{html.escape(t('learner.index.title', lang=lang))}</h1>",
             f"<p>{html.escape(t('learner.index.intro', lang=lang))}</p>"]
    if (folder / "live_table.ipynb").is_file():
        # A hub's room: the live role play and the poll, where the trainer sends everyone.
        parts.append(f"<p class='live'><b>{html.escape(t('learner.index.live', lang=lang))}</b> "
                     f"{_link('live_table.ipynb', t('live.table.title', lang=lang))} · "
                     f"{_link('live_poll.ipynb', t('live.poll.title', lang=lang))}</p>")
    parts.append(f"<ol>{''.join(rows)}</ol>")
    if (folder / "mastery.ipynb").is_file():
        parts.append(f"<p>{_link('mastery.ipynb', t('learner.index.report', lang=lang))}</p>")
    if missing:
        parts.append("<p><b>" + html.escape(t("learner.index.missing", lang=lang,
                                                lessons=", ".join(missing))) + "</b></p>")
    for other in LANGUAGES:
        if other != lang:
            parts.append(f"<p>{_link(f'../{other}/index.ipynb', t('learner.index.switch', lang=other))}</p>")
    parts.append("</div>")
    return "".join(parts)


def _exercise_item(exercise: Exercise, state: str, lang: str) -> str:
    label = t(f"learner.index.progress_{state}", lang=lang)
    return (f"<li>{_link(exercise.name + '.ipynb', exercise.title)}"
            f'<span class="state {state}">{html.escape(label)}</span></li>')


def _page_html(markup: str) -> w.HTML:
    # An HTML widget, not an HTML output: Voila opens links of outputs in a new tab,
    # and a learner moving through lessons should stay in one.
    return w.HTML(markup, layout=w.Layout(width="100%"))


def show_index(folder: str | Path, lang: str) -> None:
    set_language(lang)
    display(_page_html(index_html(Path(folder), lang)))


def _neighbours(folder: Path, name: str) -> tuple[Lesson | None, Lesson | None]:
    lessons, _ = read_manifest(folder)
    names = [lesson.name for lesson in lessons]
    k = names.index(name)
    return (lessons[k - 1] if k else None, lessons[k + 1] if k + 1 < len(lessons) else None)


def navigator_html(folder: Path, name: str, lang: str, where: str = "top") -> str:
    previous, following = _neighbours(folder, name)
    links = []
    if previous is not None:
        links.append(_link(previous.name + ".ipynb", "← " + t(
            "learner.nav.to_lesson", lang=lang, label=t("learner.nav.previous", lang=lang),
            title=previous.title)))
    links.append(_link("index.ipynb", t("learner.nav.index", lang=lang)))
    if following is not None:
        links.append(_link(following.name + ".ipynb", t(
            "learner.nav.to_lesson", lang=lang, label=t("learner.nav.next", lang=lang),
            title=following.title) + " →"))
    return f'{STYLE}<div class="salestrain-nav {where}">{"".join(links)}</div>'


def lesson_header(folder: str | Path, name: str, lang: str) -> None:
    """The lesson's first cell: its language for every later cell, the visit recorded,
    the navigator shown."""
    set_language(lang)
    mark(progress_file(current_learner()), name, "opened")
    display(_page_html(navigator_html(Path(folder), name, lang)))


def finish_button(name: str, lang: str, learner: str | None = None) -> w.Button:
    """"I have finished this lesson": raises the lesson to finished on the index."""
    record = progress_file(learner or current_learner())
    done = read_progress(record).get(name) == "finished"
    button = w.Button(description=t("learner.nav.finished" if done else "learner.nav.finish",
                                    lang=lang),
                      button_style="success" if done else "primary",
                      layout=w.Layout(width="auto", height="40px"))
    button.add_class("salestrain-finish")

    def finish(_: w.Button) -> None:
        mark(record, name, "finished")
        button.description = t("learner.nav.finished", lang=lang)
        button.button_style = "success"

    button.on_click(finish)
    return button


def lesson_footer(folder: str | Path, name: str, lang: str) -> None:
    display(finish_button(name, lang))
    display(_page_html(navigator_html(Path(folder), name, lang, where="bottom")))


def exercise_header(folder: str | Path, name: str, lang: str) -> None:
    """A no-code exercise's first cell: its language, the visit recorded, the way back."""
    set_language(lang)
    record = progress_file(current_learner())
    mark(record, name, "opened")
    _OPEN_EXERCISE[:] = [(record, name)]
    folder = Path(folder)
    exercise = next(e for e in read_exercises(folder) if e.name == name)
    lessons, _ = read_manifest(folder)
    lesson = next((x for x in lessons if x.name == exercise.lesson), None)
    links = [_link("index.ipynb", t("learner.nav.index", lang=lang))]
    if lesson is not None:
        links.insert(0, _link(lesson.name + ".ipynb", "← " + t("learner.nav.back", lang=lang, title=lesson.title)))
    display(_page_html(f'{STYLE}<div class="salestrain-nav top">{"".join(links)}</div>'))


_OPEN_EXERCISE: list[tuple[Path, str]] = []  # the exercise page this kernel shows, if any


def exercise_submitted() -> None:
    """Record on the index that the exercise on this page was handed in."""
    for record, name in _OPEN_EXERCISE:
        mark(record, name, "submitted")


def report_header(folder: str | Path, lang: str) -> None:
    """The report page's first cell: its language and the way back to the lessons."""
    set_language(lang)
    display(_page_html(f'{STYLE}<div class="salestrain-nav top">'
                       f'{_link("index.ipynb", t("learner.nav.index", lang=lang))}</div>'))


def show_report(page: str) -> None:
    """A report (a whole HTML page) inside the learner's page, as it prints."""
    frame = (f'<iframe class="salestrain-report" srcdoc="{html.escape(page, quote=True)}" '
             'style="width:100%;height:85vh;border:0"></iframe>')
    display(_page_html(frame))
