"""Competitive positions, 4P + S positioning and project-level competitive tactics.

The handout lists "competitive position by product-market: leader, challenger, follower,
nicher, each with its competitive strategy", "positioning the market with 4P + 1S" and
"how to choose project-level competitive tactics" as headings. We use the established
public version, Kotler's (Kotler & Keller, *Marketing Management*, the chapter on
competitive dynamics), and say where we extend it:

- **the four positions and their strategies** (Kotler): the *leader* expands the total
  market and defends its share (position, flank, pre-emptive, counter-offensive, mobile
  and contraction defence); the *challenger* attacks (frontal, flank, encirclement, bypass,
  guerrilla); the *follower* keeps its customers without provoking the leader (cloner,
  imitator, adapter; Kotler's fourth kind, the counterfeiter, is left out on purpose); the
  *nicher* specialises (by end use, customer size, specific customers, region, product,
  service or quality-price);
- **4P + S** is McCarthy's marketing mix (product, price, place, promotion) plus the
  service the course adds for B2B, with a positioning per competitive position;
- **project-level tactics** are our extension for a single deal: the position picks the
  family of moves, the incumbent (us, a rival, nobody) picks the stance within it, and the
  customer's decision style (price-led tender, technical committee, senior relationship)
  picks which of the 4P + S levers to lead with. The rules are a table here, texts in the
  catalog (``opportunity.stance.*``, ``opportunity.tactic.*``), so a trainer can read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import t
from salestrain.core.strategy.market import STANCES, Stance

Position = Stance  # leader, challenger, follower, nicher: the market game's stances
POSITIONS: tuple[Position, ...] = STANCES
Incumbent = Literal["us", "rival", "none"]
INCUMBENTS: tuple[Incumbent, ...] = ("us", "rival", "none")
Decision = Literal["price", "technical", "relationship"]
DECISIONS: tuple[Decision, ...] = ("price", "technical", "relationship")
Lever = Literal["product", "price", "place", "promotion", "service"]
LEVERS: tuple[Lever, ...] = ("product", "price", "place", "promotion", "service")
TacticStance = Literal["defend", "preempt", "encircle", "frontal", "flank", "bypass", "guerrilla",
                       "second_source", "specialise", "pass"]
TACTIC_STANCES: tuple[TacticStance, ...] = ("defend", "preempt", "encircle", "frontal", "flank", "bypass",
                                            "guerrilla", "second_source", "specialise", "pass")

# Kotler's strategies per position (catalog opportunity.strategy.<key>).
STRATEGIES: dict[Position, tuple[str, ...]] = {
    "leader": ("expand_market", "position_defence", "flank_defence", "preemptive_defence",
               "counteroffensive", "mobile_defence", "contraction_defence"),
    "challenger": ("frontal_attack", "flank_attack", "encirclement", "bypass_attack", "guerrilla_attack"),
    "follower": ("cloner", "imitator", "adapter"),
    "nicher": ("end_use", "customer_size", "specific_customer", "geographic", "product_line",
               "service_specialist", "quality_price"),
}

# The project stance for (position, incumbent, decision style); "*" matches any style.
# Why: an incumbent defends whatever its market position; against a rival incumbent each
# position attacks the way Kotler advises it (the leader with breadth, the challenger where
# the incumbent is weak, the follower as a second source, the nicher only inside its niche).
_STANCE: dict[tuple[Position, Incumbent, str], TacticStance] = {
    **{(p, "us", "*"): "defend" for p in POSITIONS},
    ("leader", "rival", "*"): "encircle",
    ("leader", "none", "*"): "preempt",
    ("challenger", "rival", "price"): "frontal",
    ("challenger", "rival", "technical"): "flank",
    ("challenger", "rival", "relationship"): "bypass",
    ("challenger", "none", "price"): "guerrilla",
    ("challenger", "none", "technical"): "flank",
    ("challenger", "none", "relationship"): "preempt",
    ("follower", "rival", "*"): "second_source",
    ("follower", "none", "*"): "second_source",
    ("nicher", "rival", "*"): "specialise",
    ("nicher", "none", "*"): "specialise",
}

# Which levers a stance leads with (the first two of 4P + S), and what each style adds.
_STANCE_LEVERS: dict[TacticStance, tuple[Lever, Lever]] = {
    "defend": ("service", "promotion"), "preempt": ("product", "promotion"),
    "encircle": ("product", "service"), "frontal": ("price", "product"),
    "flank": ("product", "service"), "bypass": ("product", "promotion"),
    "guerrilla": ("price", "promotion"), "second_source": ("price", "place"),
    "specialise": ("service", "product"), "pass": ("place", "service"),
}
_DECISION_LEVER: dict[Decision, Lever] = {"price": "price", "technical": "product",
                                          "relationship": "promotion"}


@dataclass(frozen=True)
class Situation:
    """One deal's competitive situation.

    ``position``: ours in this product-market; ``incumbent``: who holds the account now;
    ``decision``: how the customer decides (a price-led tender, a technical committee, a
    senior executive's relationship); ``in_niche``: whether the deal is in our niche (it
    matters to a nicher only).
    """

    position: Position
    incumbent: Incumbent = "none"
    decision: Decision = "technical"
    in_niche: bool = True

    def __post_init__(self) -> None:
        for name, value, allowed in (("position", self.position, POSITIONS),
                                     ("incumbent", self.incumbent, INCUMBENTS),
                                     ("decision", self.decision, DECISIONS)):
            if value not in allowed:
                raise SalestrainError(t("opportunity.error.situation", field=name, value=repr(value),
                                        allowed=", ".join(allowed)))


@dataclass(frozen=True)
class Tactics:
    """The recommended stance for a deal, the levers to lead with and the actions (catalog keys)."""

    situation: Situation
    stance: TacticStance
    levers: tuple[Lever, ...]  # the 4P + S levers to lead with, most important first
    actions: tuple[str, ...]  # opportunity.tactic.<key>
    avoid: str  # opportunity.stance.<stance>.avoid
    strategy: str  # the Kotler strategy the stance belongs to (opportunity.strategy.<key>)


_STRATEGY_OF: dict[TacticStance, str] = {
    "defend": "position_defence", "preempt": "preemptive_defence", "encircle": "encirclement",
    "frontal": "frontal_attack", "flank": "flank_attack", "bypass": "bypass_attack",
    "guerrilla": "guerrilla_attack", "second_source": "adapter", "specialise": "specific_customer",
    "pass": "end_use",
}

_STANCE_ACTIONS: dict[TacticStance, tuple[str, ...]] = {
    "defend": ("lock_in_service", "renew_early", "multi_level"),
    "preempt": ("first_contact", "shape_criteria"),
    "encircle": ("full_range", "references"),
    "frontal": ("cost_edge", "match_strengths"),
    "flank": ("weak_spot", "spec_in"),
    "bypass": ("new_service", "new_department"),
    "guerrilla": ("targeted_offer", "no_price_war"),
    "second_source": ("backup_supplier", "adapt_spec"),
    "specialise": ("specialist_team", "premium_with_service"),
    "pass": ("decline_or_partner", "keep_time"),
}
_DECISION_ACTIONS: dict[Decision, tuple[str, ...]] = {
    "price": ("total_cost", "trade_not_give"),
    "technical": ("technical_proof",),
    "relationship": ("executive_sponsor", "team_selling"),
}


def stance_for(situation: Situation) -> TacticStance:
    """The stance of the rule table (a nicher outside its niche passes)."""
    if situation.position == "nicher" and not situation.in_niche and situation.incumbent != "us":
        return "pass"
    key = (situation.position, situation.incumbent)
    return _STANCE.get((*key, situation.decision)) or _STANCE[(*key, "*")]


def recommend_tactics(situation: Situation) -> Tactics:
    """The project-level tactics for a deal: the stance, the levers to lead with, the actions.

    The stance comes from our position and the incumbent; the customer's decision style adds
    the lever it weighs most and its own actions (a price-led tender: total cost and trading
    concessions; a technical committee: proof; a relationship decision: an executive sponsor
    and team selling). A stance of ``pass`` adds no selling actions.
    """
    stance = stance_for(situation)
    levers = list(_STANCE_LEVERS[stance])
    actions = list(_STANCE_ACTIONS[stance])
    if stance != "pass":
        # The lever the customer weighs most leads; the stance's own levers follow.
        levers = list(dict.fromkeys([_DECISION_LEVER[situation.decision], *levers]))
        actions += [a for a in _DECISION_ACTIONS[situation.decision] if a not in actions]
    return Tactics(situation, stance, tuple(levers), tuple(actions),
                   f"opportunity.stance.{stance}.avoid", _STRATEGY_OF[stance])


def positioning(position: Position) -> dict[Lever, str]:
    """The 4P + S positioning of a competitive position: lever -> catalog key."""
    if position not in POSITIONS:
        raise SalestrainError(t("opportunity.error.situation", field="position", value=repr(position),
                                allowed=", ".join(POSITIONS)))
    return {lever: f"opportunity.mix.{position}.{lever}" for lever in LEVERS}


def strategies(position: Position) -> tuple[str, ...]:
    """Kotler's strategies for a position, as catalog keys (opportunity.strategy.<key>)."""
    if position not in POSITIONS:
        raise SalestrainError(t("opportunity.error.situation", field="position", value=repr(position),
                                allowed=", ".join(POSITIONS)))
    return tuple(f"opportunity.strategy.{s}" for s in STRATEGIES[position])
