"""The engine: persona reactions, evidence twice, clamping, walk-outs, scoring rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import set_language
from salestrain.core.objections import (
    CRITERIA,
    Conversation,
    Rubric,
    Scenario,
    replay,
    score_marks,
    score_transcript,
    technique_marks,
)
from salestrain.core.objections.vocabulary import (
    BAD_TECHNIQUES,
    FAMILIES,
    PERSONAS,
    STATE_RANGE,
    TECHNIQUES,
)
from salestrain.io.objections.scenarios import load_rubric, load_scenario, scenario_names
from tests.objections.helpers import small_yaml, write


def _small(tmp_path, persona="stubborn", technique="spin_implication") -> Scenario:
    return load_scenario(write(tmp_path, small_yaml(persona, technique), f"{persona}-{technique}.yaml"))


def test_the_same_technique_moves_personas_differently(tmp_path):
    # Lecturing: the pretend expert loses trust, the open buyer does not.
    changes = {}
    for persona in ("pretend_expert", "open", "introvert"):
        conv = Conversation(_small(tmp_path, persona, "lecture"))
        changes[persona] = dict(conv.choose(1).change)
    assert changes["pretend_expert"]["trust"] < changes["open"]["trust"]
    assert changes["introvert"]["patience"] < changes["open"]["patience"]
    assert changes["open"]["trust"] == 0


def test_persona_fit_changes_the_marks():
    kind = technique_marks("pretend_expert", "technical", ["explore"])
    harsh = technique_marks("pretend_expert", "technical", ["respond"])
    assert kind.scores["persona_fit"] == 2 and harsh.scores["persona_fit"] == 0
    assert technique_marks("open", "technical", ["respond"]).scores["persona_fit"] == 1


def test_doubtful_buyer_needs_evidence_twice(tmp_path):
    scenario = _small(tmp_path, "doubtful", "reference")
    conv = Conversation(scenario)
    first = conv.choose(1)     # reference: authored value +10, halved on first evidence
    second = conv.choose(0)    # value_anchor: authored value +20, counts fully
    assert first.change["value"] == 5
    assert second.change["value"] == 20
    assert any(n.key == "objections.react.doubtful_first_evidence" for n in first.notes)
    # The same first move for a buyer who is not doubtful counts in full.
    other = Conversation(_small(tmp_path, "open", "reference")).choose(1)
    assert other.change["value"] == 10


def test_bad_moves_earn_nothing_whatever_comes_with_them():
    for bad in BAD_TECHNIQUES:
        marks = technique_marks("open", "price", ["acknowledge", "explore", bad])
        assert marks.points == 0
        assert any(n.key == "objections.why.bad" for n in marks.notes)


@given(st.sampled_from(PERSONAS), st.sampled_from(FAMILIES),
       st.lists(st.sampled_from(sorted(TECHNIQUES)), min_size=1, max_size=3))
@settings(max_examples=150, deadline=None)
def test_marks_are_in_range_and_a_backfire_spoils_the_criterion(persona, family, techs):
    marks = technique_marks(persona, family, techs)
    assert set(marks.scores) == set(CRITERIA)
    assert all(0 <= m <= 2 for m in marks.scores.values())
    assert 0 <= marks.points <= 10
    single = [technique_marks(persona, family, [t]) for t in techs]
    for crit in ("persona_fit", "family_fit"):
        if any(s.scores[crit] == 0 for s in single):
            assert marks.scores[crit] == 0


@given(st.sampled_from(scenario_names()), st.lists(st.integers(0, 2), max_size=12))
@settings(max_examples=40, deadline=None)
def test_replay_is_deterministic_and_the_state_stays_in_range(name, picks):
    scenario = load_scenario(name)
    conv = Conversation(scenario)
    for pick in picks:
        if conv.finished:
            break
        conv.choose(pick % len(conv.node.options))
    again = replay(scenario, conv.transcript.choices)
    assert again == conv.transcript
    for step in conv.steps:
        for var, (lo, hi) in STATE_RANGE.items():
            assert lo <= step.state_after[var] <= hi
            assert step.state_after[var] - step.state_before[var] == step.change[var]


def test_patience_running_out_ends_the_meeting(tmp_path):
    text = small_yaml().replace("state: {trust: 50, patience: 50", "state: {trust: 50, patience: 5")
    text = text.replace("effects: {trust: 5}", "effects: {patience: -10}")
    conv = Conversation(load_scenario(write(tmp_path, text)))
    conv.choose(0)
    assert conv.finished and conv.ending == "lost"
    assert conv.transcript.path[-1] == "(walked-out)"
    with pytest.raises(SalestrainError, match="has ended"):
        conv.choose(0)


def test_a_missing_option_is_a_clear_error(tmp_path):
    conv = Conversation(_small(tmp_path))
    with pytest.raises(SalestrainError, match="option 5 does not exist at .*; choose 0 to 1"):
        conv.choose(5)
    set_language("zh_CN")
    try:
        with pytest.raises(SalestrainError, match="没有选项 5；请选择 0 到 1"):
            conv.choose(5)
    finally:
        set_language(None)


@given(st.lists(st.dictionaries(st.sampled_from(CRITERIA), st.integers(0, 2)), max_size=10),
       st.sampled_from(["won", "next_step", "stalled", "lost"]))
@settings(max_examples=100, deadline=None)
def test_score_is_bounded_and_a_better_ending_never_scores_less(marks, ending):
    rubric = Rubric()
    score = score_marks(marks, ending, rubric)
    assert 0 <= score.total <= 100
    better = score_marks(marks, "won", rubric)
    assert better.total >= score.total
    # one more mark anywhere never lowers the score
    if marks:
        bumped = [dict(m) for m in marks]
        crit = next((c for c in CRITERIA if bumped[0].get(c, 0) < 2), None)
        if crit:
            bumped[0][crit] = bumped[0].get(crit, 0) + 1
            assert score_marks(bumped, ending, rubric).total >= score.total


def test_score_follows_the_rubric_file_rule():
    rubric = load_rubric()
    scenario = load_scenario("harbourline-cold-chain")
    t = replay(scenario, [1, 2, 1, 1, 1, 2])
    score = score_transcript(t, rubric)
    # technique share from the marks, then the documented mix with the ending value
    points = sum(sum(rubric.weights[c] * s.marks.scores[c] for c in CRITERIA) for s in t.steps)
    technique = points / (2 * sum(rubric.weights.values()) * len(t.steps))
    expected = 100 * (rubric.technique_share * technique
                      + (1 - rubric.technique_share) * rubric.outcomes[t.ending])
    assert score.total == pytest.approx(expected, abs=0.05)
    heavier = Rubric(weights={**rubric.weights, "advance": 3.0}, outcomes=rubric.outcomes,
                     technique_share=rubric.technique_share)
    assert score_transcript(t, heavier).total != score.total
