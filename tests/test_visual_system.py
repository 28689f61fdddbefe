"""The visual system (docs/design.md), checked in-process on every registered app in both
languages: every figure says what to see in it and draws no text under 18 px.

The browser checks (tests/browser/screen_checks.py) measure the same on the screen, where
the figure's shown size counts too; this test catches a figure without a caption or with a
small font in seconds, and names it.
"""

from __future__ import annotations

import html
import re

import pytest

import salestrain
from salestrain.apps.base import walk_widgets
from salestrain.apps.registry import app_names, get_app

MIN_TEXT_PX = 18  # 13 pt at 100 dpi


def _classes(widget) -> tuple[str, ...]:
    return tuple(getattr(widget, "_dom_classes", ()))


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("name", app_names())
def test_every_figure_has_its_caption_and_large_text(name, lang):
    salestrain.set_language(lang)
    app = get_app(name).factory()
    widgets = list(walk_widgets(app.widget))
    figures = [x for x in widgets if "salestrain-figure" in _classes(x)]
    boxes = [x for x in widgets if "salestrain-figure-box" in _classes(x)]
    for figure in figures:
        marks = [c for c in _classes(figure) if c.startswith("salestrain-text-")]
        assert marks, f"{name}: a figure carries no text-size mark (not drawn through FigureView)"
        assert int(marks[0].rsplit("-", 1)[1]) >= MIN_TEXT_PX, f"{name}: {marks[0]}"
        box = next((b for b in boxes if figure in b.children), None)
        assert box is not None, f"{name}: a figure is placed without its caption (use FigureView.box)"
        caption = next(c for c in box.children if "salestrain-caption" in _classes(c))
        assert caption.value.strip() and caption.layout.display != "none", f"{name}: empty caption"



# The conversation is the view in these: the buyer's line, the answers, the gauges and the
# end screen's score (docs/design.md, section 1).
CONVERSATION_APPS = {"objections", "objection-coach", "coaching-dialogue"}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("name", app_names())
def test_every_app_shows_its_headline_numbers_as_cards(name, lang):
    salestrain.set_language(lang)
    app = get_app(name).factory()
    if name in CONVERSATION_APPS:
        assert not app.has_cards
        return
    assert app.has_cards, f"{name}: no headline cards (App.headlines)"
    heads = app.headlines(app.result)
    assert 2 <= len(heads) <= 4, f"{name}: {len(heads)} cards"
    assert any(app.headline_cards is x for x in walk_widgets(app.widget)), f"{name}: cards not placed"
    for head in heads:
        assert head.value.strip() and head.label.strip(), head
        assert html.escape(head.value) in app.headline_cards.value and html.escape(head.label) in app.headline_cards.value
        if lang == "zh_CN":  # Chinese words (a tier letter or a unit like "%" may stay)
            assert not re.search(r"[A-Za-z]{2,}", head.label), f"{name}: {head.label!r}"


def test_a_card_shows_its_number_and_words_escaped_with_the_edge_of_its_news():
    from salestrain.apps.base import Headline, cards_html
    from salestrain.plots.style import PALETTE

    page = cards_html([Headline("<win> rate", "35%", "bad"), Headline("deals", "3.0", "good")])
    assert page.count('class="salestrain-card"') == 2
    assert "&lt;win&gt; rate" in page and "<win>" not in page
    assert page.index(PALETTE[3]) < page.index("35%") < page.index(PALETTE[2]) < page.index("3.0")
    assert cards_html([]) == ""
