"""The shipped scenarios: coverage, no trivial wins, every ending reachable and played."""

from __future__ import annotations

import pytest

from salestrain.base.errors import ContentError
from salestrain.core.objections import (
    Conversation,
    best_path,
    reachable_endings,
    simulate,
    win_rate,
)
from salestrain.core.objections.vocabulary import FAMILIES, PERSONAS
from salestrain.io.content import validate_path
from salestrain.io.objections.scenarios import (
    DATA_DIR,
    load_all,
    load_scenario,
    scenario_names,
    scenario_path,
)

NAMES = scenario_names()


def test_shipped_content_validates():
    checked, problems = validate_path(DATA_DIR)
    assert checked == len(NAMES) + 1  # scenarios and the rubric
    assert problems == []


def test_at_least_eight_scenarios_cover_every_persona_and_family():
    scenarios = load_all()
    assert len(scenarios) >= 8
    assert {s.persona for s in scenarios} == set(PERSONAS)
    families = {s.family_of(n) for s in scenarios for n in s.decision_nodes}
    assert families == set(FAMILIES)
    assert len({s.id for s in scenarios}) == len(scenarios)


@pytest.mark.parametrize("name", NAMES)
def test_scenario_shape(name):
    s = load_scenario(name)
    assert len(s.decision_nodes) >= 6
    assert len({n.ending for n in s.ending_nodes}) >= 3
    assert all(len(n.options) >= 2 for n in s.decision_nodes)


@pytest.mark.parametrize("name", NAMES)
def test_no_trivial_policy_wins_but_the_best_play_does(name):
    s = load_scenario(name)
    assert simulate(s, "first").ending != "won"
    assert simulate(s, "greedy").ending != "won"
    assert win_rate(s, "random", runs=150, seed=7) < 0.15
    assert best_path(s).ending == "won"


@pytest.mark.parametrize("name", NAMES)
def test_every_ending_is_reachable_and_played_through(name):
    s = load_scenario(name)
    found = reachable_endings(s)
    assert {n.id for n in s.ending_nodes} <= set(found)
    for node in s.ending_nodes:
        # Play the path to this ending move by move, as a learner would.
        conv = Conversation(s)
        for choice in found[node.id].choices:
            assert not conv.finished
            assert choice < len(conv.node.options)
            conv.choose(choice)
        assert conv.finished
        assert conv.position.ending_node == node.id and conv.ending == node.ending


def test_scenarios_load_by_name_and_by_path(tmp_path):
    by_name = load_scenario("ironvale-conveyor-belts")
    copy = tmp_path / "case" / "my-scenario.yaml"
    copy.parent.mkdir()
    copy.write_text(scenario_path("ironvale-conveyor-belts").read_text(encoding="utf-8"),
                    encoding="utf-8")
    assert load_scenario(copy) == by_name
    assert load_scenario(str(copy)) == by_name
    with pytest.raises(ContentError, match="no shipped scenario named 'nope'.*ironvale"):
        load_scenario("nope")
    with pytest.raises(ContentError, match="does not exist"):
        load_scenario(tmp_path / "missing.yaml")


@pytest.mark.parametrize("name", NAMES)
def test_every_learner_facing_line_has_a_chinese_twin(name):
    # Texts are {en, zh_CN} mappings now (one translation path); same check, new shape.
    s = load_scenario(name)
    missing = [f for f in ("title", "company", "buyer", "brief") if "zh_CN" not in getattr(s, f)]
    for node in s.nodes:
        if "zh_CN" not in node.say:
            missing.append(f"{node.id}.say")
        for i, option in enumerate(node.options):
            missing += [f"{node.id}.options.{i}.{f}" for f in ("text", "feedback")
                        if getattr(option, f) and "zh_CN" not in getattr(option, f)]
    assert missing == []
