"""Playing a scenario: the buyer's hidden state, the effect of each move, the transcript.

The engine is a pure function of (scenario, choices): :func:`advance` takes a
position and an option and returns the step and the next position, so the same
choices always give the same conversation (no hidden randomness), the simulator can
explore every path, and a transcript can be replayed from its choices alone.

How a move changes the state, in order (docs/objections.md explains why):
1. the author's ``effects`` for the option;
2. the persona's reaction to each technique tag (``PERSONA_RULES``);
3. the doubtful buyer needs evidence twice: the first evidence move earns only half
   of its positive ``value`` change;
4. the fit to the objection family: a right technique closes one open concern, a
   wrong or bad one opens another;
5. every gauge is clamped to its range. Patience or trust at 0 ends the meeting
   (ending ``lost``); more than ``MAX_STEPS`` moves end it as ``stalled``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import t
from salestrain.core.objections import vocabulary as v
from salestrain.core.objections.modes import vocabulary_for
from salestrain.core.objections.scenario import Node, Scenario, condition_holds

MAX_STEPS = 30
WALKED_OUT = "(walked-out)"
WENT_IN_CIRCLES = "(went-in-circles)"


@dataclass(frozen=True)
class Note:
    """One reason behind a mark: a catalog key and the values it is formatted with."""

    key: str
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Marks:
    """Rubric marks of one move, 0..2 per criterion, with the reasons."""

    scores: Mapping[str, int]
    notes: tuple[Note, ...] = ()

    @property
    def points(self) -> int:
        return sum(self.scores.values())


CRITERIA: tuple[str, ...] = ("acknowledge", "explore", "family_fit", "persona_fit", "advance")


def technique_marks(persona: str, family: str, techniques: list[str] | tuple[str, ...],
                    mode: str = "objection") -> Marks:
    """Rubric marks for a move tagged with ``techniques`` against this persona and family.

    A bad move earns nothing, whatever came with it; a technique that backfires with
    this persona or misses this family spoils that criterion for the whole move.
    ``mode`` picks the vocabulary (a coaching dialogue's persona is the rep's quadrant).
    """
    vocab = vocabulary_for(mode)
    why = f"{vocab.catalog}.why"
    tags = [vocab.techniques[t] for t in techniques]
    bad = [t.id for t in tags if t.bad]
    if bad:
        return Marks({c: 0 for c in CRITERIA},
                     tuple(Note(f"{why}.bad", {"technique": b}) for b in bad))
    scores = {c: max(t.marks.get(c, 0) for t in tags) for c in ("acknowledge", "explore", "advance")}
    pfits = {t.id: vocab.persona_rule(persona, t.id).fit for t in tags}
    ffits = {t.id: vocab.family_fit(family, t.id) for t in tags}
    scores["persona_fit"] = 0 if 0 in pfits.values() else max(pfits.values())
    scores["family_fit"] = 0 if 0 in ffits.values() else max(ffits.values())
    notes: list[Note] = []
    for tid, fit in pfits.items():
        if fit != 1:
            key = f"{why}.persona_good" if fit == 2 else f"{why}.persona_bad"
            notes.append(Note(key, {"technique": tid, "persona": persona}))
    for tid, fit in ffits.items():
        if fit != 1:
            key = f"{why}.family_good" if fit == 2 else f"{why}.family_bad"
            notes.append(Note(key, {"technique": tid, "family": family}))
    if not scores["acknowledge"]:
        notes.append(Note(f"{why}.no_acknowledge"))
    if not scores["explore"]:
        notes.append(Note(f"{why}.no_explore"))
    return Marks({c: scores[c] for c in CRITERIA}, tuple(notes))


@dataclass(frozen=True)
class Position:
    """Where a conversation stands: node, hidden state, evidence seen, moves made."""

    node: str
    state: Mapping[str, int]
    evidence_seen: int = 0
    moves: int = 0
    ending: str | None = None      # won / next_step / stalled / lost once finished
    ending_node: str | None = None

    @property
    def finished(self) -> bool:
        return self.ending is not None

    def key(self) -> tuple:
        return (self.node, tuple(sorted(self.state.items())), min(self.evidence_seen, 2))


@dataclass(frozen=True)
class Step:
    """One decision: what the buyer said, what the learner chose, what it did."""

    number: int
    node: str
    family: str
    option: int
    techniques: tuple[str, ...]
    change: Mapping[str, int]          # state after minus state before, per variable
    state_before: Mapping[str, int]
    state_after: Mapping[str, int]
    marks: Marks
    notes: tuple[Note, ...] = ()       # reactions of the buyer (persona rules, evidence)

    @property
    def points(self) -> int:
        return self.marks.points


def _clamp(name: str, value: int) -> int:
    lo, hi = v.STATE_RANGE[name]
    return max(lo, min(hi, value))


def initial_state(scenario: Scenario) -> dict[str, int]:
    state = {"trust": 50, "patience": 60, "value": 30, "concerns": 1}
    state.update(scenario.state)
    return {k: _clamp(k, state[k]) for k in v.STATE_VARS}


def start(scenario: Scenario) -> Position:
    return _settle(scenario, Position(scenario.start, MappingProxyType(initial_state(scenario))))


def _settle(scenario: Scenario, pos: Position) -> Position:
    """Follow routes until a decision node or an ending; apply the walk-out rules."""
    if pos.state["patience"] <= 0 or pos.state["trust"] <= 0:
        return replace(pos, ending="lost", ending_node=WALKED_OUT)
    if pos.moves >= MAX_STEPS:
        return replace(pos, ending="stalled", ending_node=WENT_IN_CIRCLES)
    seen = set()
    node = scenario.node(pos.node)
    while node.route:
        if node.id in seen:  # the validator rejects route cycles; never spin here
            raise SalestrainError(f"scenario {scenario.id!r}: routes loop at node {node.id!r}")
        seen.add(node.id)
        target = next((r.next for r in node.route
                       if all(condition_holds(c, pos.state[var]) for var, c in r.when.items())),
                      None)
        if target is None:
            raise SalestrainError(
                f"scenario {scenario.id!r}: no route of node {node.id!r} matches the state "
                f"{dict(pos.state)}; give the last route no `when:` so it always applies"
            )
        node = scenario.node(target)
    pos = replace(pos, node=node.id)
    if node.ending:
        return replace(pos, ending=node.ending, ending_node=node.id)
    return pos


def advance(scenario: Scenario, pos: Position, option: int) -> tuple[Step, Position]:
    """Play ``option`` at ``pos``; return the step and the new position."""
    if pos.finished:
        raise SalestrainError(t("objections.error.ended", ending=pos.ending))
    node: Node = scenario.node(pos.node)
    if not 0 <= option < len(node.options):
        raise SalestrainError(t("objections.error.no_option", option=option, node=repr(node.id),
                                last=len(node.options) - 1))
    opt = node.options[option]
    family = scenario.family_of(node)
    persona = scenario.persona
    vocab = vocabulary_for(scenario.mode)
    delta = {k: 0 for k in v.STATE_VARS}
    for var, amount in opt.effects.items():
        delta[var] += amount
    notes: list[Note] = []
    for tech in opt.techniques:
        rule = vocab.persona_rule(persona, tech)
        for var, amount in rule.adjust.items():
            delta[var] += amount
        if rule.adjust:
            notes.append(Note(f"{vocab.catalog}.react.persona",
                              {"technique": tech, "persona": persona,
                               "change": _describe(rule.adjust)}))
    is_evidence = any(t in vocab.evidence_techniques for t in opt.techniques)
    if persona == "doubtful" and is_evidence and pos.evidence_seen == 0 and delta["value"] > 0:
        delta["value"] //= 2
        notes.append(Note("objections.react.doubtful_first_evidence"))
    fits = [vocab.family_fit(family, t) for t in opt.techniques]
    if 0 in fits:
        delta["concerns"] += 1
    elif 2 in fits:
        delta["concerns"] -= 1
    before = dict(pos.state)
    after = {k: _clamp(k, before[k] + delta[k]) for k in v.STATE_VARS}
    marks = technique_marks(persona, family, opt.techniques, scenario.mode)
    step = Step(
        number=pos.moves + 1, node=node.id, family=family, option=option,
        techniques=tuple(opt.techniques),
        change=MappingProxyType({k: after[k] - before[k] for k in v.STATE_VARS}),
        state_before=MappingProxyType(before), state_after=MappingProxyType(after),
        marks=marks, notes=tuple(notes),
    )
    nxt = Position(opt.next, MappingProxyType(after),
                   pos.evidence_seen + int(is_evidence), pos.moves + 1)
    return step, _settle(scenario, nxt)


def _describe(adjust: Mapping[str, int]) -> str:
    return ";".join(f"{k}={amount:+d}" for k, amount in adjust.items())


@dataclass(frozen=True)
class Transcript:
    """A finished or running conversation, replayable from ``choices``."""

    scenario: str
    persona: str
    steps: tuple[Step, ...]
    final: Position

    @property
    def choices(self) -> list[int]:
        return [s.option for s in self.steps]

    @property
    def ending(self) -> str | None:
        return self.final.ending

    @property
    def path(self) -> list[str]:
        nodes = [s.node for s in self.steps]
        if self.final.ending_node:
            nodes.append(self.final.ending_node)
        return nodes


class Conversation:
    """A conversation in progress: the object the apps and notebooks hold on to."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.position = start(scenario)
        self.steps: list[Step] = []

    @property
    def node(self) -> Node:
        return self.scenario.node(self.position.node)

    @property
    def state(self) -> Mapping[str, int]:
        return self.position.state

    @property
    def finished(self) -> bool:
        return self.position.finished

    @property
    def ending(self) -> str | None:
        return self.position.ending

    def choose(self, option: int) -> Step:
        step, self.position = advance(self.scenario, self.position, option)
        self.steps.append(step)
        return step

    @property
    def transcript(self) -> Transcript:
        return Transcript(self.scenario.id, self.scenario.persona, tuple(self.steps), self.position)


def replay(scenario: Scenario, choices: list[int]) -> Transcript:
    """The transcript of playing ``choices`` from the start."""
    conv = Conversation(scenario)
    for choice in choices:
        conv.choose(choice)
    return conv.transcript
