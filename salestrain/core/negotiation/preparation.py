"""The seller's preparation worksheet, and how a played negotiation compares with it.

Before a talk a rep writes down five things (Fisher & Ury's BATNA; Raiffa's reservation
price; the target and opening of every negotiation-planning sheet): what the BATNA is worth
in price, the reservation price (the worst price still accepted), the target, the opening
offer, and a **give-get list**: for each issue other than price, the furthest the rep will
go and what they ask in return. After the talk, :func:`review` sets the deal the engine
recorded beside that plan: the price against the reservation, target and opening; the whole
package against the BATNA (a price can beat the plan while the package is worth less than
walking away: the terms gave the value away); every give against the list, with its get.

The worksheet is the seller's (prices: higher is better for the side); the engine's
domain gives the issues, their options, the list price and the BATNA's value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from salestrain.base.errors import DataError
from salestrain.base.formats import format_money
from salestrain.base.i18n import t
from salestrain.core.negotiation.domain import SELLER, Domain
from salestrain.core.negotiation.protocol import NegotiationResult

# What a give is traded for: the list price kept, a price at or above the target, or a
# deal signed by the halfway round (closing fast is worth something to the seller too).
GETS = ("list_price", "target", "fast")
PRICE_FIELDS = ("batna_price", "reservation_price", "target_price", "opening_price")


class PreparationError(DataError):
    """A worksheet that cannot be compared with a game; the message names the field."""


@dataclass(frozen=True)
class GiveGet:
    """One line of the give-get list: on ``issue`` I go at most to option ``give``
    (an option number of the domain's issue) and only in exchange for ``get``."""

    issue: str
    give: int
    get: str


@dataclass(frozen=True)
class Preparation:
    """The worksheet as the learner filled it (prices in RMB)."""

    batna_price: float
    reservation_price: float
    target_price: float
    opening_price: float
    give_get: tuple[GiveGet, ...] = ()


def check_preparation(prep: Preparation, domain: Domain) -> None:
    """Raise :class:`PreparationError` for the first field that makes the plan unusable."""
    if domain.price_issue is None:
        raise ValueError(f"domain {domain.name!r} has no price issue: the worksheet plans a price")
    for name in PRICE_FIELDS:
        value = getattr(prep, name)
        if not (math.isfinite(value) and value > 0):
            raise PreparationError(t("preparation.error.missing", field=t(f"preparation.short.{name}"),
                                     value=format_money(value) if math.isfinite(value) else str(value)))
    # The four prices must stand in this order, or the plan contradicts itself.
    order = list(zip(PRICE_FIELDS, PRICE_FIELDS[1:], strict=False))
    for low, high in order:
        if getattr(prep, high) < getattr(prep, low):
            raise PreparationError(t(f"preparation.error.order.{high}", field=t(f"preparation.short.{high}"),
                                     value=format_money(getattr(prep, high)),
                                     other=t(f"preparation.short.{low}"),
                                     other_value=format_money(getattr(prep, low))))
    names = {issue.name: issue for issue in domain.issues}
    for line in prep.give_get:
        issue = names.get(line.issue)
        if issue is None or issue.is_price:
            choices = ", ".join(i.name for i in domain.issues if not i.is_price)
            raise PreparationError(t("preparation.error.issue", issue=line.issue, issues=choices))
        if not 0 <= line.give < len(issue.options):
            raise PreparationError(t("preparation.error.give", issue=line.issue, give=line.give,
                                     last=len(issue.options) - 1))
        if line.get not in GETS:
            raise PreparationError(t("preparation.error.get", issue=line.issue, get=line.get,
                                     gets=", ".join(GETS)))


@dataclass(frozen=True)
class GiveCheck:
    """One issue of the give-get list against the deal."""

    issue: str
    planned: int  # the furthest option the plan allowed
    given: int | None  # the option in the deal (None: no deal)
    gave: bool | None  # did the seller concede anything on this issue?
    within_plan: bool | None  # no further than planned?
    get: str
    get_met: bool | None  # None when nothing was given (or no deal)


@dataclass(frozen=True)
class PreparationReview:
    """The worksheet beside the deal the engine recorded."""

    agreement: bool
    price: float | None  # the deal's price (None: no deal)
    opening_sent: float | None  # the price of the seller's first offer (None: it made none)
    value: float  # the deal's value to the seller (its BATNA's value when there is no deal)
    batna_value: float
    rounds_used: int
    rounds: int
    gives: tuple[GiveCheck, ...]
    prep: Preparation

    @property
    def below_batna(self) -> bool:
        """The deal is worth less than walking away (the flag of the play app's debrief)."""
        return self.agreement and self.value < self.batna_value - 1e-12

    @property
    def below_reservation(self) -> bool | None:
        return None if self.price is None else self.price < self.prep.reservation_price

    @property
    def reached_target(self) -> bool | None:
        return None if self.price is None else self.price >= self.prep.target_price

    @property
    def opened_as_planned(self) -> bool | None:
        """The first offer asked at least the planned opening price."""
        return None if self.opening_sent is None else self.opening_sent >= self.prep.opening_price

    @property
    def unplanned(self) -> tuple[str, ...]:
        """Issues where the deal gave more than the plan allowed."""
        return tuple(g.issue for g in self.gives if g.within_plan is False)

    @property
    def unpaid(self) -> tuple[str, ...]:
        """Issues given without the get the plan asked for."""
        return tuple(g.issue for g in self.gives if g.get_met is False)


def fast_close(rounds_used: int, rounds: int) -> bool:
    """Signed by the halfway round: the "fast" get of a give-get line."""
    return rounds_used <= math.ceil(rounds / 2)


def review(prep: Preparation, domain: Domain, result: NegotiationResult) -> PreparationReview:
    """Compare the seller's worksheet with a finished (or abandoned) negotiation."""
    check_preparation(prep, domain)
    first = result.offers_of(SELLER)
    opening_sent = domain.price_of(first[0]) if first else None
    rounds_used = 0 if result.end_round is None else result.end_round + 1
    k = result.agreement
    if k is None:
        gives = tuple(GiveCheck(g.issue, g.give, None, None, None, g.get, None) for g in prep.give_get)
        return PreparationReview(False, None, opening_sent, float(domain.reservations[SELLER]),
                                 float(domain.reservations[SELLER]), rounds_used, result.rounds, gives, prep)
    price = domain.price_of(k)
    met = {"list_price": price >= domain.list_price, "target": price >= prep.target_price,
           "fast": fast_close(rounds_used, result.rounds)}
    position = {issue.name: n for n, issue in enumerate(domain.issues)}
    gives = []
    for line in prep.give_get:
        n = position[line.issue]
        scores: Sequence[float] = domain.seller.scores[line.issue]
        given = int(domain.outcomes[k, n])
        gave = scores[given] < max(scores) - 1e-12
        # "No further than planned": the option given is worth at least the planned one to the seller.
        within = scores[given] >= scores[line.give] - 1e-12
        gives.append(GiveCheck(line.issue, line.give, given, gave, within, line.get,
                               met[line.get] if gave else None))
    return PreparationReview(True, price, opening_sent, domain.utility(SELLER, k),
                             float(domain.reservations[SELLER]), rounds_used, result.rounds, tuple(gives), prep)


__all__ = ["GETS", "GiveCheck", "GiveGet", "Preparation", "PreparationError", "PreparationReview",
           "check_preparation", "fast_close", "review"]
