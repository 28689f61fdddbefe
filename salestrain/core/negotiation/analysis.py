"""Outcome analysis: ZOPA, Pareto frontier, Nash point, and how a negotiation went.

All exact: the outcome space is enumerated (see :mod:`domain`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salestrain.core.negotiation.domain import BUYER, SELLER, Domain
from salestrain.core.negotiation.protocol import NegotiationResult

_DECIMALS = 10  # utilities equal to 10 decimals count as ties (float sums differ by 1e-16)


def pareto_mask(utilities: np.ndarray) -> np.ndarray:
    """True for every point no other point beats on one side without losing on the other."""
    u = np.round(np.asarray(utilities, dtype=float), _DECIMALS)
    # Sort by seller utility descending, then buyer descending; sweep keeping the best buyer
    # utility seen among points with strictly higher seller utility.
    order = np.lexsort((-u[:, 1], -u[:, 0]))
    mask = np.zeros(len(u), dtype=bool)
    best_buyer = -np.inf
    i = 0
    while i < len(order):
        j = i
        s = u[order[i], 0]
        while j < len(order) and u[order[j], 0] == s:
            j += 1
        group = order[i:j]
        top = u[group[0], 1]  # the group's best buyer utility
        if top > best_buyer:
            mask[group[u[group, 1] == top]] = True
            best_buyer = top
        i = j
    return mask


def pareto_frontier(domain: Domain) -> np.ndarray:
    """Outcome numbers on the Pareto frontier, ordered by seller utility (ascending)."""
    idx = np.flatnonzero(pareto_mask(domain.utilities))
    return idx[np.argsort(domain.utilities[idx, SELLER], kind="stable")]


@dataclass(frozen=True)
class Zopa:
    """The zone of possible agreement: every deal both sides prefer to their BATNA."""

    outcomes: np.ndarray
    price_range: tuple[float, float] | None  # cheapest and dearest price inside it

    @property
    def exists(self) -> bool:
        return len(self.outcomes) > 0


def zopa(domain: Domain) -> Zopa:
    u, r = domain.utilities, domain.reservations
    inside = np.flatnonzero((u[:, SELLER] >= r[SELLER] - 1e-12) & (u[:, BUYER] >= r[BUYER] - 1e-12))
    prices = [domain.price_of(k) for k in inside] if domain.price_issue is not None else []
    price_range = (min(prices), max(prices)) if prices else None
    return Zopa(inside, price_range)


def price_zopa(seller_walk_away: float, buyer_walk_away: float) -> tuple[float, float] | None:
    """Single-issue ZOPA: prices between the seller's lowest acceptable price and the
    buyer's highest; None when the seller's floor is above the buyer's ceiling."""
    if seller_walk_away > buyer_walk_away:
        return None
    return (float(seller_walk_away), float(buyer_walk_away))


def nash_product(domain: Domain, outcome: int) -> float:
    """(u_s - r_s) * (u_b - r_b): zero or negative outside the ZOPA."""
    gains = domain.utilities[outcome] - domain.reservations
    return float(gains[0] * gains[1]) if (gains >= -1e-12).all() else 0.0


def nash_point(domain: Domain) -> int | None:
    """The deal maximising the product of both sides' gains over their BATNAs
    (Nash's bargaining solution restricted to the deals that exist); None without a ZOPA."""
    inside = zopa(domain).outcomes
    if len(inside) == 0:
        return None
    gains = domain.utilities[inside] - domain.reservations
    product = np.round(gains[:, 0] * gains[:, 1], _DECIMALS)
    return int(inside[int(np.argmax(product))])


def distance_to_frontier(domain: Domain, point: np.ndarray | tuple[float, float]) -> float:
    """Euclidean distance in utility space from ``point`` to the nearest frontier deal."""
    front = domain.utilities[pareto_frontier(domain)]
    return float(np.min(np.hypot(front[:, 0] - point[0], front[:, 1] - point[1])))


def concessions(utilities: list[float]) -> list[float]:
    """The drops in one's own utility from each offer to the next (only the drops)."""
    return [a - b for a, b in zip(utilities, utilities[1:], strict=False) if a - b > 1e-12]


@dataclass(frozen=True)
class Outcome:
    """The debrief numbers of one negotiation."""

    agreement: bool
    deal: int | None
    utilities: tuple[float, float]   # seller, buyer (the BATNA values when no deal)
    advantage: tuple[float, float]   # utility above the BATNA
    social_welfare: float
    nash_product: float
    pareto_distance: float | None    # None when there was no deal
    concessions: tuple[tuple[float, ...], tuple[float, ...]]
    discount: float | None           # share off list price (None: no price issue or no deal)
    traded: bool | None              # did the seller give value on issues other than price?
    rounds_used: int
    ended: str

    def n_concessions(self, side: int) -> int:
        return len(self.concessions[side])

    def conceded(self, side: int) -> float:
        return float(sum(self.concessions[side]))


def seller_nonprice_give(domain: Domain, outcome: int) -> float:
    """Seller utility given up on issues other than price, against its best options there."""
    prefs = domain.seller
    given = 0.0
    for j, issue in enumerate(domain.issues):
        if issue.is_price:
            continue
        scores = prefs.scores[issue.name]
        given += prefs.weights[issue.name] * (max(scores) - scores[domain.outcomes[outcome, j]])
    return given


def analyse(domain: Domain, result: NegotiationResult) -> Outcome:
    """Turn a finished negotiation into its debrief numbers."""
    u = domain.utilities
    per_side = tuple(
        tuple(concessions([float(u[k, side]) for k in result.offers_of(side)]))
        for side in (SELLER, BUYER)
    )
    if result.agreement is None:
        utils = tuple(float(x) for x in domain.reservations)
        return Outcome(False, None, utils, (0.0, 0.0), float(sum(utils)), 0.0, None, per_side,
                       None, None, result.end_round + 1 if result.end_round is not None else 0,
                       result.ended or "running")
    k = result.agreement
    utils = (float(u[k, SELLER]), float(u[k, BUYER]))
    adv = (utils[0] - float(domain.seller.reservation), utils[1] - float(domain.buyer.reservation))
    return Outcome(
        agreement=True, deal=k, utilities=utils, advantage=adv,
        social_welfare=utils[0] + utils[1], nash_product=nash_product(domain, k),
        pareto_distance=distance_to_frontier(domain, utils), concessions=per_side,
        discount=domain.discount_of(k), traded=seller_nonprice_give(domain, k) > 1e-9,
        rounds_used=result.end_round + 1, ended=result.ended,
    )
