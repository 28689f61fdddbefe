"""Negotiation: a multi-issue domain, scripted counterparts, alternating offers, debriefs.

Core module: plain data in, plain data out (no widgets, printing or files).
"""

from salestrain.core.negotiation.analysis import (
    Outcome,
    Zopa,
    analyse,
    concessions,
    distance_to_frontier,
    nash_point,
    nash_product,
    pareto_frontier,
    pareto_mask,
    price_zopa,
    zopa,
)
from salestrain.core.negotiation.domain import (
    BUYER,
    ROLES,
    SELLER,
    Domain,
    DomainError,
    Issue,
    Preferences,
    Scenario,
)
from salestrain.core.negotiation.protocol import (
    Move,
    NegotiationResult,
    ProtocolError,
    Session,
    negotiate,
)
from salestrain.core.negotiation.tactics import (
    ACConst,
    ACNext,
    ACTime,
    AnyOf,
    HardAnchor,
    SideView,
    Tactic,
    TimeDependent,
    TitForTat,
    boulware,
    conceder,
    linear,
    standard_tactics,
)
from salestrain.core.negotiation.tournament import TournamentResult, score_against_field, tournament

__all__ = [
    "BUYER", "ROLES", "SELLER", "ACConst", "ACNext", "ACTime", "AnyOf", "Domain",
    "DomainError", "HardAnchor", "Issue", "Move", "NegotiationResult", "Outcome",
    "Preferences", "ProtocolError", "Scenario", "Session", "SideView", "Tactic",
    "TimeDependent", "TitForTat", "TournamentResult", "Zopa", "analyse", "boulware",
    "conceder", "concessions", "distance_to_frontier", "linear", "nash_point",
    "nash_product", "negotiate", "pareto_frontier", "pareto_mask", "price_zopa",
    "score_against_field", "standard_tactics", "tournament", "zopa",
]

from salestrain.core.negotiation.debrief import class_debrief  # noqa: E402

__all__ += ["class_debrief"]
