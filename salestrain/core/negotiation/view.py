"""What one side of a negotiation knows: its own utility of every deal and its BATNA.

Shared by the tactics and the NegMAS conventions (both read a side's sorted utilities),
so neither imports the other.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cached_property

from salestrain.core.negotiation.conventions import NegmasRanking, negmas_ranking
from salestrain.core.negotiation.domain import Domain, Issue


class SideView:
    """What one side knows: its own utility of every deal and its reservation value."""

    def __init__(self, domain: Domain, side: int) -> None:
        self.side = side
        self.issues: tuple[Issue, ...] = domain.issues
        self.prefs = domain.prefs(side)
        self.utilities: list[float] = domain.utilities[:, side].tolist()
        self.reservation: float = float(domain.reservations[side])
        self.n_outcomes = len(self.utilities)
        # Outcomes sorted by own utility (stable: ties keep the lower outcome number).
        self._order = sorted(range(self.n_outcomes), key=self.utilities.__getitem__)
        self._sorted = [self.utilities[k] for k in self._order]
        self.best: int = self._order[-1]
        self.best_utility: float = self._sorted[-1]
        self.worst_utility: float = self._sorted[0]
        # No deal beats the BATNA: the scripted tactics walk away at once.
        self.hopeless: bool = self.best_utility < self.reservation
        self._domain_deal = domain.deal

    def at_least(self, level: float) -> int:
        """The deal that is worth ``level`` to this side or just above it (the
        least it can ask for while still getting ``level``)."""
        pos = bisect_left(self._sorted, level - 1e-12)
        return self._order[pos] if pos < self.n_outcomes else self.best

    def utility(self, outcome: int) -> float:
        return self.utilities[outcome]

    @cached_property
    def negmas(self) -> NegmasRanking:
        """The outcomes ranked as NegMAS ranks them (built on first use, then kept)."""
        return negmas_ranking(self)

    def deal(self, outcome: int) -> dict[str, str]:
        return self._domain_deal(outcome)


# -- acceptance rules ---------------------------------------------------------
