"""Every persona is its own buyer; the lesson's figures draw in both languages."""

from __future__ import annotations

import itertools
import warnings

import pytest

from salestrain import set_language
from salestrain.core.objections.simulate import persona_fit_table, policy_outcomes
from salestrain.core.objections.vocabulary import PERSONAS, TECHNIQUES, persona_rule
from salestrain.io.objections.scenarios import load_scenario
from salestrain.plots import style as plots
from salestrain.plots.objections import persona_fit_figure, policy_outcomes_figure


def _profile(persona):
    rules = [persona_rule(persona, t) for t in TECHNIQUES]
    return tuple((r.fit, tuple(sorted(r.adjust.items()))) for r in rules)


def test_no_two_personas_react_the_same_way():
    for a, b in itertools.combinations(PERSONAS, 2):
        assert _profile(a) != _profile(b), (a, b)


def test_every_persona_has_a_move_that_suits_it_and_bad_moves_never_suit():
    table = persona_fit_table()
    assert (table.max(axis=1) == 2).all()
    for bad in ("argue", "premature_discount", "ignore", "lecture"):
        assert (table[bad] == 0).all()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_figures_draw_without_missing_glyphs(lang):
    set_language(lang)
    outcomes = policy_outcomes([load_scenario("sunmere-hotel-energy")], runs=5, seed=1)
    assert outcomes.sum(axis=1).round(9).eq(1).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing" would raise here
        for fig in (persona_fit_figure(persona_fit_table()), policy_outcomes_figure(outcomes)):
            png = plots.to_png(fig)
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
