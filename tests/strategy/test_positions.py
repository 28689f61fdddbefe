"""Competitive positions, 4P + S and project-level tactics: every situation gets a stance whose
texts exist in both languages, and the rules say what the course says."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salestrain.base import i18n
from salestrain.base.errors import SalestrainError
from salestrain.core.strategy import positions as pos

SITUATIONS = [pos.Situation(p, i, d, niche) for p, i, d, niche in itertools.product(
    pos.POSITIONS, pos.INCUMBENTS, pos.DECISIONS, (True, False))]


def _has(key: str) -> bool:
    return key in i18n.catalog("en") and key in i18n.catalog("zh_CN")


@pytest.mark.parametrize("situation", SITUATIONS, ids=lambda s: f"{s.position}-{s.incumbent}-{s.decision}-{s.in_niche}")
def test_every_situation_gets_a_stance_levers_and_actions_in_both_languages(situation):
    tactics = pos.recommend_tactics(situation)
    assert tactics.stance in pos.TACTIC_STANCES
    assert _has(f"opportunity.stance.{tactics.stance}.name") and _has(tactics.avoid)
    assert _has(f"opportunity.strategy.{tactics.strategy}")
    assert tactics.actions and all(_has(f"opportunity.tactic.{a}") for a in tactics.actions)
    assert len(set(tactics.actions)) == len(tactics.actions)
    assert set(tactics.levers) <= set(pos.LEVERS) and len(set(tactics.levers)) == len(tactics.levers)


@given(st.sampled_from(pos.POSITIONS), st.sampled_from(pos.DECISIONS), st.booleans())
def test_the_incumbent_defends_whatever_its_market_position(position, decision, niche):
    assert pos.recommend_tactics(pos.Situation(position, "us", decision, niche)).stance == "defend"


@given(st.sampled_from(pos.INCUMBENTS[1:]), st.sampled_from(pos.DECISIONS))
def test_a_nicher_passes_outside_its_niche_and_specialises_inside(incumbent, decision):
    outside = pos.recommend_tactics(pos.Situation("nicher", incumbent, decision, in_niche=False))
    inside = pos.recommend_tactics(pos.Situation("nicher", incumbent, decision, in_niche=True))
    assert outside.stance == "pass" and inside.stance == "specialise"
    # Passing adds no selling actions for the customer's decision style.
    assert not set(outside.actions) & {"total_cost", "technical_proof", "executive_sponsor"}


def test_each_position_attacks_a_rival_incumbent_the_way_kotler_advises():
    def stance(position, decision):
        return pos.recommend_tactics(pos.Situation(position, "rival", decision)).stance

    assert {stance("leader", d) for d in pos.DECISIONS} == {"encircle"}
    assert stance("challenger", "technical") == "flank"
    assert stance("challenger", "price") == "frontal"
    assert stance("challenger", "relationship") == "bypass"
    assert {stance("follower", d) for d in pos.DECISIONS} == {"second_source"}
    assert pos.recommend_tactics(pos.Situation("leader", "none")).stance == "preempt"


@given(st.sampled_from(pos.POSITIONS), st.sampled_from(pos.INCUMBENTS))
def test_the_customers_decision_style_leads_the_levers_and_adds_its_actions(position, incumbent):
    for decision, lever, action in (("price", "price", "total_cost"), ("technical", "product", "technical_proof"),
                                    ("relationship", "promotion", "executive_sponsor")):
        tactics = pos.recommend_tactics(pos.Situation(position, incumbent, decision))
        if tactics.stance == "pass":
            continue
        assert tactics.levers[0] == lever
        assert action in tactics.actions


def test_positioning_and_strategies_of_every_position_exist_in_both_languages():
    for position in pos.POSITIONS:
        mix = pos.positioning(position)
        assert list(mix) == list(pos.LEVERS)
        assert all(_has(key) for key in mix.values())
        assert all(_has(key) for key in pos.strategies(position))
        assert _has(f"opportunity.position.{position}.name") and _has(f"opportunity.position.{position}.goal")
    assert len(pos.strategies("challenger")) == 5  # frontal, flank, encirclement, bypass, guerrilla
    assert i18n.catalog("zh_CN")["opportunity.lever.service"] == "服务"


def test_an_unknown_situation_names_the_field_the_value_and_the_choices():
    with pytest.raises(SalestrainError, match="incumbent 'them'.*us, rival, none"):
        pos.Situation("leader", "them")  # type: ignore[arg-type]
    with pytest.raises(SalestrainError, match="position 'king'"):
        pos.positioning("king")  # type: ignore[arg-type]
