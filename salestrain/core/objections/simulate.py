"""Playing scenarios automatically: trivial policies, every path, the best path.

The content-quality rule: no scenario may be won by a policy that does not think
(always the first option, the move that pleases the buyer most right now, or
random clicks most of the time), yet every ending must be reachable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from salestrain.core.objections.engine import (
    Conversation,
    Position,
    Transcript,
    advance,
    replay,
    start,
)
from salestrain.core.objections.scenario import Scenario
from salestrain.core.objections.scoring import Rubric, score_transcript

Policy = Callable[[Scenario, Position, np.random.Generator], int]


def first_option(scenario: Scenario, pos: Position, rng: np.random.Generator) -> int:
    return 0


def random_option(scenario: Scenario, pos: Position, rng: np.random.Generator) -> int:
    return int(rng.integers(len(scenario.node(pos.node).options)))


def greedy_option(scenario: Scenario, pos: Position, rng: np.random.Generator) -> int:
    """The move that makes the buyer happiest right now (trust + patience), first on ties.

    This is the rep who says what the buyer wants to hear; a scenario it wins
    teaches nothing.
    """
    best, best_gain = 0, None
    for i in range(len(scenario.node(pos.node).options)):
        step, _ = advance(scenario, pos, i)
        gain = step.change["trust"] + step.change["patience"]
        if best_gain is None or gain > best_gain:
            best, best_gain = i, gain
    return best


POLICIES: dict[str, Policy] = {"first": first_option, "greedy": greedy_option,
                               "random": random_option}


def simulate(scenario: Scenario, policy: str | Policy, seed: int = 0) -> Transcript:
    """Play one conversation with ``policy`` (a name from ``POLICIES`` or a function)."""
    choose = POLICIES[policy] if isinstance(policy, str) else policy
    rng = np.random.default_rng(seed)
    conv = Conversation(scenario)
    while not conv.finished:
        conv.choose(choose(scenario, conv.position, rng))
    return conv.transcript


def win_rate(scenario: Scenario, policy: str | Policy, runs: int = 200, seed: int = 0) -> float:
    seeds = np.random.SeedSequence(seed).generate_state(runs)
    return sum(simulate(scenario, policy, int(s)).ending == "won" for s in seeds) / runs


@dataclass(frozen=True)
class PathResult:
    choices: tuple[int, ...]
    ending: str
    ending_node: str


def all_paths(scenario: Scenario, limit: int = 200_000) -> Iterator[PathResult]:
    """Every distinct play of the scenario (depth first, in option order).

    A path that returns to a position it already passed through with the same state
    is cut: it can only repeat itself. ``limit`` bounds the count for huge graphs.
    """
    count = 0
    stack: list[tuple[Position, tuple[int, ...], frozenset]] = [
        (start(scenario), (), frozenset())]
    while stack:
        pos, choices, seen = stack.pop()
        if pos.finished:
            count += 1
            yield PathResult(choices, pos.ending, pos.ending_node)
            if count >= limit:
                return
            continue
        key = pos.key()
        if key in seen:
            continue
        seen = seen | {key}
        n = len(scenario.node(pos.node).options)
        for i in reversed(range(n)):
            _, nxt = advance(scenario, pos, i)
            stack.append((nxt, (*choices, i), seen))


def reachable_endings(scenario: Scenario) -> dict[str, PathResult]:
    """One path to every ending node reached in play (first found, shortest kept)."""
    found: dict[str, PathResult] = {}
    for path in all_paths(scenario):
        old = found.get(path.ending_node)
        if old is None or len(path.choices) < len(old.choices):
            found[path.ending_node] = path
    return found


def best_path(scenario: Scenario, rubric: Rubric | None = None) -> Transcript:
    """The play with the highest overall score (ties: fewer moves, then option order)."""
    rubric = rubric or Rubric()
    best: tuple[float, int] | None = None
    best_choices: tuple[int, ...] = ()
    for path in all_paths(scenario):
        total = score_transcript(replay(scenario, list(path.choices)), rubric).total
        key = (total, -len(path.choices))
        if best is None or key > best:
            best, best_choices = key, path.choices
    return replay(scenario, list(best_choices))


def policy_outcomes(scenarios: list[Scenario], runs: int = 100, seed: int = 0):
    """Share of each ending per policy over all ``scenarios`` (a pandas DataFrame).

    Rows are policies (first, greedy, random, best), columns the endings, values the
    share of plays ending there. ``random`` is played ``runs`` times per scenario.
    """
    import pandas as pd

    from salestrain.core.objections.vocabulary import ENDINGS

    counts = {p: dict.fromkeys(ENDINGS, 0) for p in (*POLICIES, "best")}
    seeds = np.random.SeedSequence(seed).generate_state(runs)
    for s in scenarios:
        for name in POLICIES:
            plays = [int(x) for x in seeds] if name == "random" else [0]
            for play_seed in plays:
                counts[name][simulate(s, name, play_seed).ending] += 1 / len(plays)
        counts["best"][best_path(s).ending] += 1
    table = pd.DataFrame(counts).T[list(ENDINGS)]
    return table.div(table.sum(axis=1), axis=0)


def persona_fit_table():
    """Persona x technique rubric fit (0 backfires, 1 neutral, 2 suits), a DataFrame."""
    import pandas as pd

    from salestrain.core.objections.vocabulary import PERSONAS, TECHNIQUES, persona_rule

    return pd.DataFrame({t: [persona_rule(p, t).fit for p in PERSONAS] for t in TECHNIQUES},
                        index=list(PERSONAS))


def quality_report(scenario: Scenario, runs: int = 150, seed: int = 7) -> dict:
    """The content-quality checks of one scenario as plain data.

    ``trivial_win`` is true when always-first or greedy wins or random play wins 15%
    or more; ``unreached_endings`` lists ending nodes no play reaches.
    """
    first = simulate(scenario, "first").ending
    greedy = simulate(scenario, "greedy").ending
    random_rate = win_rate(scenario, "random", runs=runs, seed=seed)
    reached = reachable_endings(scenario)
    return {
        "first": first,
        "greedy": greedy,
        "random_win_rate": random_rate,
        "best": best_path(scenario).ending,
        "trivial_win": first == "won" or greedy == "won" or random_rate >= 0.15,
        "decision_points": len(scenario.decision_nodes),
        "distinct_endings": len({n.ending for n in scenario.ending_nodes}),
        "unreached_endings": sorted(n.id for n in scenario.ending_nodes if n.id not in reached),
    }
