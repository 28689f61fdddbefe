"""Alternating offers with a deadline (Rubinstein's protocol, as in NegMAS's SAO).

The negotiation lasts ``rounds`` rounds; in each round both sides move once, the
opener first. A move is: accept the offer on the table, walk away (take the BATNA),
or make a new offer. Relative time is ``t = round / (rounds - 1)``, the same for
both moves of a round, so a time-dependent tactic reaches its reservation value in
the last round. (A tactic reads its own clock, ``Tactic.clock``: one built with
``conventions="negmas"`` sees NegMAS's ``(round + 1) / (rounds + 1)``.)
If the last round ends without acceptance there is no deal.

The round structure is the same as NegMAS's ``SAOMechanism`` with two negotiators:
its step ``s`` is our round ``s``, the negotiator added first opens.

A side is either a :class:`~salestrain.core.negotiation.tactics.Tactic` or ``None`` for a
person: :class:`Session` then stops and waits for :meth:`Session.offer`,
:meth:`Session.accept` or :meth:`Session.walk_away`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, NamedTuple

from salestrain.core.negotiation.domain import BUYER, ROLES, SELLER, Domain
from salestrain.core.negotiation.tactics import SideView, Tactic

EndReason = Literal["agreement", "walk-away", "deadline"]


class ProtocolError(ValueError):
    """A move out of turn or after the end (a programming or UI error, not content)."""


class Move(NamedTuple):
    round: int
    side: int
    outcome: int


@dataclass
class NegotiationResult:
    """What happened: the offers in order and how it ended."""

    rounds: int
    first: int
    offers: list[Move] = field(default_factory=list)
    agreement: int | None = None
    ended: EndReason | None = None
    ended_by: int | None = None  # the side that accepted or walked away
    end_round: int | None = None

    @property
    def done(self) -> bool:
        return self.ended is not None

    def offers_of(self, side: int) -> list[int]:
        return [m.outcome for m in self.offers if m.side == side]


def side_views(domain: Domain) -> tuple[SideView, SideView]:
    """Both sides' views of a domain, built once per domain (they never change)."""
    views = domain.__dict__.get("_side_views")
    if views is None:
        views = (SideView(domain, SELLER), SideView(domain, BUYER))
        domain.__dict__["_side_views"] = views  # a cache beside the cached_property ones
    return views


@lru_cache(maxsize=64)
def _clock_table(clock: Callable[[int, int], float], rounds: int) -> tuple[float, ...]:
    """A tactic's time in every round, computed once per clock and deadline."""
    return tuple(clock(r, rounds) for r in range(rounds))


class Session:
    """One negotiation between two sides, run by the protocol."""

    def __init__(self, domain: Domain, seller: Tactic | None, buyer: Tactic | None,
                 rounds: int = 20, first: int = SELLER) -> None:
        if rounds < 1:
            raise ProtocolError(f"rounds must be at least 1, got {rounds}")
        if first not in (SELLER, BUYER):
            raise ProtocolError(f"first must be {SELLER} (seller) or {BUYER} (buyer)")
        self.domain = domain
        self.agents = (seller, buyer)
        self.views = side_views(domain)
        for agent, view in zip(self.agents, self.views, strict=True):
            if agent is not None:
                agent.reset(view)
        self.result = NegotiationResult(rounds=rounds, first=first)
        self._times = tuple(None if agent is None else _clock_table(agent.clock, rounds)
                            for agent in self.agents)
        self.round = 0
        self.turn = first
        self._moved = 0  # moves made in the current round
        self.standing: int | None = None  # the offer on the table (made by 1 - turn)
        self.run()

    # -- state -------------------------------------------------------------
    @property
    def t(self) -> float:
        rounds = self.result.rounds
        return 1.0 if rounds == 1 else self.round / (rounds - 1)

    @property
    def rounds_left(self) -> int:
        return self.result.rounds - self.round

    @property
    def waiting_for(self) -> int | None:
        """The side a person must move for, or None when the negotiation is over."""
        if self.result.done:
            return None
        return self.turn if self.agents[self.turn] is None else None

    # -- moves -----------------------------------------------------------------
    def _end(self, reason: EndReason, side: int | None, agreement: int | None = None) -> None:
        r = self.result
        r.ended, r.ended_by, r.agreement, r.end_round = reason, side, agreement, self.round

    def _offer(self, side: int, outcome: int) -> None:
        self.result.offers.append(Move(self.round, side, outcome))
        self.standing = outcome
        self._moved += 1
        if self._moved == 2:
            self._moved = 0
            self.round += 1
            if self.round == self.result.rounds:
                self.round -= 1  # report the last round played
                self._end("deadline", None)
                return
        self.turn = 1 - side

    def run(self) -> NegotiationResult:
        """Let the scripted sides move until a person must move or it is over."""
        agents, result = self.agents, self.result
        while result.ended is None:
            side = self.turn
            agent = agents[side]
            if agent is None:
                break
            # Each tactic reads its own clock (classroom or NegMAS conventions).
            t = self._times[side][self.round]
            offer = self.standing
            if offer is not None:
                agent.observe(offer)
            nxt = agent.propose(t)
            if offer is not None and agent.accept(t, offer, nxt):
                self._end("agreement", side, offer)
            elif nxt is None:
                self._end("walk-away", side)
            else:
                self._offer(side, int(nxt))
        return result

    def _check_turn(self) -> int:
        side = self.waiting_for
        if side is None:
            raise ProtocolError("it is not a person's turn (the negotiation is over or a bot moves)")
        return side

    def offer(self, outcome: int) -> None:
        side = self._check_turn()
        if not 0 <= outcome < self.domain.n_outcomes:
            raise ProtocolError(f"outcome {outcome} does not exist")
        self._offer(side, outcome)
        self.run()

    def accept(self) -> None:
        side = self._check_turn()
        if self.standing is None:
            raise ProtocolError("there is no offer on the table to accept")
        self._end("agreement", side, self.standing)

    def walk_away(self) -> None:
        side = self._check_turn()
        self._end("walk-away", side)


def negotiate(domain: Domain, seller: Tactic, buyer: Tactic, rounds: int = 100,
              first: int = SELLER) -> NegotiationResult:
    """Run two scripted sides to the end."""
    if seller is None or buyer is None:
        raise ProtocolError("negotiate() needs two tactics; use Session for a person")
    return Session(domain, seller, buyer, rounds, first).result


__all__ = ["ROLES", "Move", "NegotiationResult", "ProtocolError", "Session", "negotiate"]
