"""The forecast figure writes money on its axis as the learner's language does (issue 14:
the Chinese funnel axis read 300k and 1.2M)."""

from __future__ import annotations

import pytest

from salestrain.apps.base import FigureView
from salestrain.apps.registry import get_app
from salestrain.base.i18n import set_language


@pytest.mark.parametrize(("lang", "units"), [("en", ("K", "M")), ("zh_CN", ("万", "亿"))])
def test_money_ticks_in_the_learners_units(lang, units):
    set_language(lang)
    try:
        app = get_app("funnel-forecast").factory()
        figure = next(v.figure for v in vars(app).values() if isinstance(v, FigureView))
        figure.canvas.draw()
        ticks = [t.get_text() for t in figure.axes[0].get_xticklabels() if t.get_text() not in ("", "0")]
    finally:
        set_language(None)
    assert ticks and all(tick.endswith(units) for tick in ticks), ticks
