"""No mixed-language screens: every app, built in Chinese, shows no English phrase.

Reads what a learner reads: every widget's label, value and options, and every text of
every figure (titles, axis labels, ticks, legends, annotations), after the app's first
update. Allowed: single Latin words (names such as SPIN or LAER, units, ids), code.
"""

from __future__ import annotations

import ipywidgets as w
import matplotlib.figure
import pytest

from salestrain.apps.base import FigureView
from salestrain.apps.registry import app_names, get_app
from salestrain.base.i18n import set_language
from tests.language import english_phrases, english_words


def widget_texts(widget: w.Widget) -> list[str]:
    found: list[str] = []
    for name in ("description", "placeholder", "tooltip"):
        value = getattr(widget, name, None)
        if isinstance(value, str):
            found.append(value)
    if isinstance(widget, w.HTML | w.HTMLMath | w.Label):
        found.append(widget.value)
    if isinstance(widget, w.Text | w.Textarea):
        found.append(widget.value)
    labels = getattr(widget, "_options_labels", None)
    if labels:
        found.extend(str(label) for label in labels)
    for child in getattr(widget, "children", ()):
        found.extend(widget_texts(child))
    return found


def figure_texts(figure: matplotlib.figure.Figure) -> list[str]:
    figure.canvas.draw()  # tick labels exist only once drawn
    return [text.get_text() for text in figure.findobj(matplotlib.text.Text)]


def figures_of(app: object) -> list[matplotlib.figure.Figure]:
    found = []
    for value in vars(app).values():
        if isinstance(value, FigureView):
            found.append(value.figure)
        elif isinstance(value, matplotlib.figure.Figure):
            found.append(value)
    return found


# the product's own name, which a Chinese trainer types as it is
ALLOWED_WORDS = {"salestrain"}


@pytest.mark.parametrize("name", app_names())
def test_the_app_in_chinese_has_no_english_phrase(name):
    set_language("zh_CN")
    try:
        app = get_app(name).factory()
        texts = widget_texts(app.widget)
        for figure in figures_of(app):
            texts.extend(figure_texts(figure))
    finally:
        set_language("en")
    leaks = sorted({phrase for text in texts for phrase in english_phrases(text)})
    assert leaks == [], leaks
    words = sorted({word for text in texts for word in english_words(text)} - ALLOWED_WORDS)
    assert words == [], words
