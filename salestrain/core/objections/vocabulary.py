"""The fixed vocabulary of the module: state gauges, personas, objection families,
techniques, and how each persona and family reacts to each technique.

These tables are the sales knowledge of the module (DOMAIN.md section 5 and the eight
personality types of section 2). Scenario files refer to their ids; the validator
rejects any other id. Learner-facing names live in the catalog under
``objections.persona.<id>``, ``objections.family.<id>`` and ``objections.technique.<id>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# -- hidden buyer state ----------------------------------------------------------
# Gauges run 0..100. "concerns" counts open objections (0..10).
GAUGES: tuple[str, ...] = ("trust", "patience", "value")
STATE_VARS: tuple[str, ...] = (*GAUGES, "concerns")
STATE_RANGE: Mapping[str, tuple[int, int]] = MappingProxyType(
    {"trust": (0, 100), "patience": (0, 100), "value": (0, 100), "concerns": (0, 10)}
)
# An authored effect larger than this is a typo or a design smell (one sentence never
# swings a buyer by more than 30 points); the validator reports it.
MAX_EFFECT = 30

ENDINGS: tuple[str, ...] = ("won", "next_step", "stalled", "lost")
# Better endings first; the simulator and the scorer use this order.
ENDING_RANK: Mapping[str, int] = MappingProxyType({e: i for i, e in enumerate(reversed(ENDINGS))})

FAMILIES: tuple[str, ...] = ("price", "technical", "competitor", "timing", "authority", "no_need")

PERSONAS: tuple[str, ...] = (
    "stubborn",          # self-assured and stubborn
    "open",              # open to everyone
    "doubtful",          # doubtful, asks again and again
    "pretend_expert",    # pretends expertise, insecure underneath
    "weathervane",       # hard on the weak, soft on the strong
    "sweet_talker",      # sweet-talking with hidden motives
    "introvert",         # introverted, few words
    "showy_generous",    # showy generosity with big promises
)


@dataclass(frozen=True)
class Technique:
    """A response technique and what it does for the rubric.

    ``marks`` gives the rubric criteria this technique earns by itself (0..2 each);
    ``evidence`` marks the moves a doubtful buyer counts as proof; ``bad`` marks the
    tempting moves that undermine whatever else is said with them.
    """

    id: str
    model: str  # which public framework it comes from
    marks: Mapping[str, int] = field(default_factory=dict)
    evidence: bool = False
    bad: bool = False


def _t(id: str, model: str, evidence: bool = False, bad: bool = False, **marks: int) -> Technique:
    return Technique(id, model, MappingProxyType(marks), evidence, bad)


TECHNIQUES: Mapping[str, Technique] = MappingProxyType({t.id: t for t in (
    # LAER: listen, acknowledge, explore, respond
    _t("listen", "laer", acknowledge=1),
    _t("acknowledge", "laer", acknowledge=2),
    _t("explore", "laer", explore=2),
    _t("respond", "laer", advance=1),
    _t("feel_felt_found", "feel-felt-found", acknowledge=2, advance=1),
    # SPIN question types
    _t("spin_situation", "spin", explore=1),
    _t("spin_problem", "spin", explore=2),
    _t("spin_implication", "spin", explore=2),
    _t("spin_need_payoff", "spin", explore=2, advance=1),
    # course answers
    _t("value_anchor", "course", evidence=True, advance=1),
    _t("trade", "course", advance=2),
    _t("proof_of_concept", "course", evidence=True, advance=2),
    _t("reference", "course", evidence=True, advance=1),
    _t("pin_down", "course", advance=2),
    _t("involve_decision_maker", "course", advance=2),
    _t("hold_firm", "course", advance=1),
    # tempting bad moves
    _t("argue", "bad", bad=True),
    _t("premature_discount", "bad", bad=True, advance=1),
    _t("ignore", "bad", bad=True),
    _t("lecture", "bad", bad=True),
)})

BAD_TECHNIQUES = frozenset(t.id for t in TECHNIQUES.values() if t.bad)
EVIDENCE_TECHNIQUES = frozenset(t.id for t in TECHNIQUES.values() if t.evidence)

# -- fit of a technique to an objection family (0 wrong, 1 neutral, 2 right) -----
# Unlisted techniques are neutral (1); bad moves are always 0.
FAMILY_FIT: Mapping[str, Mapping[str, int]] = MappingProxyType({
    "price": {"value_anchor": 2, "trade": 2, "spin_implication": 2, "spin_need_payoff": 2,
              "reference": 1, "respond": 0},
    "technical": {"proof_of_concept": 2, "reference": 2, "explore": 2, "spin_problem": 2,
                  "value_anchor": 1, "trade": 0},
    "competitor": {"value_anchor": 2, "reference": 2, "spin_problem": 2, "explore": 2,
                   "trade": 0},
    "timing": {"spin_implication": 2, "spin_need_payoff": 2, "pin_down": 2, "trade": 2,
               "respond": 0},
    "authority": {"involve_decision_maker": 2, "explore": 2, "spin_situation": 2,
                  "pin_down": 1, "respond": 0},
    "no_need": {"spin_situation": 2, "spin_problem": 2, "spin_implication": 2,
                "spin_need_payoff": 2, "respond": 0, "value_anchor": 0, "trade": 0},
})


@dataclass(frozen=True)
class PersonaRule:
    """How one persona reacts to one technique: a rubric fit and extra state change."""

    fit: int  # 0 backfires, 1 neutral, 2 suits this persona
    adjust: Mapping[str, int] = field(default_factory=dict)


def _r(fit: int, **adjust: int) -> PersonaRule:
    return PersonaRule(fit, MappingProxyType(adjust))


# Each persona reacts measurably differently to the same technique. Unlisted
# techniques are neutral (fit 1, no adjustment); bad moves are fit 0 everywhere.
PERSONA_RULES: Mapping[str, Mapping[str, PersonaRule]] = MappingProxyType({
    "stubborn": {  # wants to be right: let them reach the conclusion themselves
        "explore": _r(2, trust=4), "spin_implication": _r(2, value=4),
        "feel_felt_found": _r(2, trust=4), "respond": _r(1),
        "argue": _r(0, trust=-10, patience=-15), "lecture": _r(0, patience=-10),
    },
    "open": {  # friendly to every vendor, commits to none
        "pin_down": _r(2, value=6), "value_anchor": _r(2, value=4),
        "acknowledge": _r(1), "listen": _r(1),
        "ignore": _r(0, value=-5),
    },
    "doubtful": {  # asks again and again: needs evidence twice (see engine)
        "reference": _r(2, trust=3), "proof_of_concept": _r(2, trust=4),
        "value_anchor": _r(2), "respond": _r(0, trust=-4),
        "premature_discount": _r(0, trust=-8),
    },
    "pretend_expert": {  # insecure underneath: resists being taught
        "explore": _r(2, trust=6), "acknowledge": _r(2, trust=4),
        "proof_of_concept": _r(2, trust=3),
        "respond": _r(0, trust=-6), "lecture": _r(0, trust=-12, patience=-8),
        "argue": _r(0, trust=-10),
    },
    "weathervane": {  # hard on the weak, soft on the strong
        "hold_firm": _r(2, trust=6, value=4), "value_anchor": _r(2, value=3),
        "feel_felt_found": _r(0, trust=-3),
        "premature_discount": _r(0, value=-12, trust=-6),
    },
    "sweet_talker": {  # friendly words, hidden motives: find the real agenda
        "explore": _r(2, value=4), "pin_down": _r(2, value=6),
        "acknowledge": _r(1), "premature_discount": _r(0, value=-10),
        "ignore": _r(0),
    },
    "introvert": {  # few words: listen, ask short open questions, do not crowd
        "listen": _r(2, trust=6), "explore": _r(2, trust=3),
        "spin_situation": _r(2), "lecture": _r(0, patience=-10),
        "respond": _r(1, patience=-2), "argue": _r(0, patience=-12),
    },
    "showy_generous": {  # big promises that need pinning down
        "pin_down": _r(2, value=8), "trade": _r(2, value=3),
        "acknowledge": _r(1, trust=2), "ignore": _r(0),
        "premature_discount": _r(0, value=-8),
    },
})

NEUTRAL_RULE = _r(1)
BAD_RULE = _r(0)


def persona_rule(persona: str, technique: str) -> PersonaRule:
    rule = PERSONA_RULES[persona].get(technique)
    if rule is not None:
        return rule
    return BAD_RULE if technique in BAD_TECHNIQUES else NEUTRAL_RULE


def family_fit(family: str, technique: str) -> int:
    if technique in BAD_TECHNIQUES:
        return 0
    return FAMILY_FIT[family].get(technique, 1)


@dataclass(frozen=True)
class Vocabulary:
    """One mode's fixed ids and reaction tables, read by the engine and the validator.

    The engine and the checks are the same for every mode; only this record changes.
    ``catalog`` is the message catalog holding the mode's learner-facing names (its
    personas, families, techniques, gauges, endings and app labels).
    """

    mode: str
    catalog: str
    personas: tuple[str, ...]
    families: tuple[str, ...]
    techniques: Mapping[str, Technique]
    persona_rules: Mapping[str, Mapping[str, PersonaRule]]
    family_fits: Mapping[str, Mapping[str, int]]

    @property
    def bad_techniques(self) -> frozenset[str]:
        return frozenset(t.id for t in self.techniques.values() if t.bad)

    @property
    def evidence_techniques(self) -> frozenset[str]:
        return frozenset(t.id for t in self.techniques.values() if t.evidence)

    def persona_rule(self, persona: str, technique: str) -> PersonaRule:
        rule = self.persona_rules[persona].get(technique)
        if rule is not None:
            return rule
        return BAD_RULE if technique in self.bad_techniques else NEUTRAL_RULE

    def family_fit(self, family: str, technique: str) -> int:
        if technique in self.bad_techniques:
            return 0
        return self.family_fits[family].get(technique, 1)


OBJECTION_VOCABULARY = Vocabulary("objection", "objections", PERSONAS, FAMILIES, TECHNIQUES,
                                  PERSONA_RULES, FAMILY_FIT)
