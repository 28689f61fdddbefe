"""Properties of the validator and engine on generated scenario graphs."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salestrain.core.objections import Conversation, reachable_endings, simulate
from salestrain.core.objections.engine import MAX_STEPS, WENT_IN_CIRCLES
from salestrain.io.objections.scenarios import scenario_from_text, scenario_problems
from tests.objections.helpers import small_yaml

TECHS = ["acknowledge", "explore", "spin_problem", "trade", "argue", "listen"]


@st.composite
def graphs(draw):
    n_decisions = draw(st.integers(1, 5))
    n_endings = draw(st.integers(0, 3))
    ids = [f"d{i}" for i in range(n_decisions)] + [f"e{i}" for i in range(n_endings)]
    nodes = []
    for i in range(n_decisions):
        options = []
        for _ in range(draw(st.integers(1, 3))):
            options.append({
                "text": "reply",
                "techniques": [draw(st.sampled_from(TECHS))],
                "effects": {"patience": draw(st.integers(-10, 5)), "value": draw(st.integers(-5, 15))},
                "next": draw(st.sampled_from(ids)),
            })
        nodes.append({"id": f"d{i}", "say": "line", "options": options})
    for i in range(n_endings):
        nodes.append({"id": f"e{i}", "say": "end",
                      "ending": draw(st.sampled_from(["won", "next_step", "stalled", "lost"]))})
    doc = {"kind": "objection-scenario", "id": "gen", "title": "t", "company": "c", "buyer": "b",
           "brief": "x", "persona": draw(st.sampled_from(["open", "doubtful", "introvert"])),
           "families": ["price"], "state": {"trust": 50, "patience": 60, "value": 20, "concerns": 1},
           "start": "d0", "nodes": nodes}
    return json.dumps(doc)  # JSON is YAML


@given(graphs(), st.integers(0, 10_000))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_scenario_the_validator_accepts_always_plays_to_an_end(text, seed):
    problems = scenario_problems(text)
    if problems:
        assert all(p.startswith("my-scenario.yaml:") for p in problems)
        return
    scenario = scenario_from_text(text)
    for policy in ("first", "greedy", "random"):
        t = simulate(scenario, policy, seed)
        assert t.ending in ("won", "next_step", "stalled", "lost")
        assert len(t.steps) <= MAX_STEPS


@given(graphs())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_loop_without_exit_is_always_reported(text):
    # Independent check: walk the option graph from the start and see whether some
    # reachable decision node has no path to an ending at all.
    doc = json.loads(text)
    edges = {n["id"]: [o["next"] for o in n.get("options", [])] for n in doc["nodes"]}
    endings = {n["id"] for n in doc["nodes"] if "ending" in n}

    def reach(start):
        seen, todo = {start}, [start]
        while todo:
            for nxt in edges[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    trapped = [n for n in reach("d0") if endings and not (reach(n) & endings)]
    messages = scenario_problems(text)
    assert bool(trapped) == any("loop with no exit" in m for m in messages)
    assert (not endings) == any("endings missing" in m for m in messages)
    unreachable = set(edges) - reach("d0")
    assert len(unreachable) == sum("unreachable node" in m for m in messages)


def test_a_conversation_that_goes_in_circles_ends_stalled(tmp_path):
    text = small_yaml().replace("        next: lost\n", "        next: b\n", 1)
    text = text.replace('  - id: lost\n    ending: lost\n    say: "No."\n', "")
    scenario = scenario_from_text(text)
    conv = Conversation(scenario)
    conv.choose(0)
    while not conv.finished:
        conv.choose(1)  # "Sign now." loops back to the same question, at no cost
    assert conv.ending == "stalled" and conv.position.ending_node == WENT_IN_CIRCLES
    assert len(conv.steps) == MAX_STEPS
    assert "lost" not in {e.ending for e in reachable_endings(scenario).values()}
