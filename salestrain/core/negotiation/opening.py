"""Opening offers and concession curves, as lesson 02 asks about them.

:class:`OpenWith` is a seller (or buyer) that opens with one named deal, the offer a rep
commits before the talk, and then concedes evenly from that deal's value to its BATNA by
the deadline (Faratin et al.'s linear tactic started at the opening instead of at its best
deal). Playing the same counterpart against several openings shows anchoring with the
engine's numbers, not with a claim.

:func:`ground_given` reads a concession curve: for each offer a side made, the share of its
room (its best deal down to its BATNA) it had given up by then. 0 % is "has not moved", 100 %
"is at its walk-away point".
"""

from __future__ import annotations

from dataclasses import dataclass

from salestrain.core.negotiation.analysis import Outcome, analyse
from salestrain.core.negotiation.domain import BUYER, SELLER, Domain
from salestrain.core.negotiation.protocol import NegotiationResult, negotiate
from salestrain.core.negotiation.tactics import Tactic, TimeDependent
from salestrain.core.negotiation.view import SideView


class OpenWith(TimeDependent):
    """Opens with ``deal`` (an outcome number), then concedes linearly from its value."""

    def __init__(self, deal: int, e: float = 1.0) -> None:
        super().__init__(e, name=f"open with {deal}")
        self.deal = int(deal)

    def reset(self, view: SideView) -> None:
        super().reset(view)
        # The opening is the anchor: the side never asks for more than it opened with.
        self.pmax = view.utilities[self.deal]
        self.pmin = min(self.pmin, self.pmax)

    def propose(self, t: float) -> int | None:
        if self.view.hopeless:
            return None
        if t == 0.0:
            return self.deal
        return super().propose(t)


@dataclass(frozen=True)
class OpeningPlay:
    """One opening played to the end: the opening, the game and its debrief numbers."""

    opening: int
    result: NegotiationResult
    outcome: Outcome


def play_opening(domain: Domain, opening: int, counterpart: Tactic, rounds: int = 10) -> OpeningPlay:
    """The seller opens with ``opening`` and concedes evenly; ``counterpart`` is the buyer."""
    result = negotiate(domain, OpenWith(opening), counterpart, rounds=rounds, first=SELLER)
    return OpeningPlay(opening, result, analyse(domain, result))


def ground_given(domain: Domain, result: NegotiationResult, side: int = BUYER) -> list[float]:
    """For each offer ``side`` made, in order: the share of its room given up by then.

    The room is its best deal's value minus its BATNA (the reservation value); an offer
    worth its best deal is 0.0, one worth its BATNA 1.0. Offers above the best (none) or
    below the BATNA (a side may offer below it by mistake) are clipped to [0, 1].
    """
    values = domain.utilities[:, side]
    best, floor = float(values.max()), float(domain.reservations[side])
    room = best - floor
    if room <= 0:
        return [0.0 for _ in result.offers_of(side)]
    return [min(1.0, max(0.0, (best - float(values[k])) / room)) for k in result.offers_of(side)]


__all__ = ["OpenWith", "OpeningPlay", "ground_given", "play_opening"]
