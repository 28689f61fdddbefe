"""Scripted counterparts: concession tactics plus acceptance rules.

A counterpart is a small object with four methods (see :class:`Tactic`); a learner can
write one in a notebook cell. Each side sees only its own utilities through a
:class:`SideView`, never the other side's, as at a real table.

Time-dependent tactics follow Faratin, Sierra & Jennings (1998): the utility a side
asks for at relative time ``t`` in [0, 1] is

    u(t) = Pmax - (Pmax - Pmin) * t ** (1 / e)

with ``Pmax`` its best deal and ``Pmin`` its reservation value. ``e < 1`` is
*Boulware* (holds firm, concedes at the end), ``e = 1`` linear, ``e > 1`` a
*conceder*. (NegMAS writes the same curve with the exponent ``1/e``: its "boulware"
exponent 4 is e = 0.25 here.)

Time-dependent tactics and the acceptance rules take ``conventions``: ``"classroom"``
(the default: time, offers and ties as a learner reads them) or ``"negmas"`` (exactly
NegMAS 0.16's Boulware, Linear and Conceder agents); see
:mod:`salestrain.core.negotiation.conventions` and docs/negotiation.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from salestrain.core.negotiation.conventions import (
    CLASSROOM,
    NEGMAS,
    NEGMAS_TOLERANCE,
    Conventions,
    check_conventions,
    classroom_time,
    negmas_level,
    negmas_time,
    negmas_worst_in,
)
from salestrain.core.negotiation.view import SideView


class Acceptance:
    """Decides whether to take the offer on the table. Never below the BATNA (in the
    classroom conventions; NegMAS's own ``ACConst`` ignores the reserved value).

    A rule whose ``uses_level`` is true is also given ``level``: the utility the
    tactic aims for at ``t`` (its aspiration; None for a tactic without one)."""

    uses_level = False

    def __call__(self, view: SideView, t: float, offer: int, next_offer: int | None) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class ACNext(Acceptance):
    """Accept when the offer is worth at least what I was about to ask for.

    ``conventions="negmas"``: as NegMAS's time-based agents do, accept an offer inside
    the aspiration range, i.e. worth at least the aspiration level less 1e-4 (never
    below the reserved value); a tactic without an aspiration level is compared with
    its next offer, as NegMAS's ``ACNext`` component does."""

    conventions: Conventions = CLASSROOM

    def __post_init__(self) -> None:
        check_conventions(self.conventions)
        # A plain attribute, not a property: Tactic.accept reads it on every move.
        object.__setattr__(self, "uses_level", self.conventions == NEGMAS)

    def __call__(self, view, t, offer, next_offer, level=None):
        u = view.utilities[offer]
        if self.conventions == NEGMAS:
            if level is None:
                nxt = view.reservation if next_offer is None else view.utilities[next_offer]
                return u >= nxt
            # NegMAS's acceptance range (see negmas_level), inlined: this runs on every move
            r = view.negmas
            return max(r.low, min(r.high, level - NEGMAS_TOLERANCE)) <= u <= r.top
        if u < view.reservation:
            return False
        return next_offer is None or u >= view.utilities[next_offer]


@dataclass(frozen=True)
class ACConst(Acceptance):
    """Accept any offer worth at least ``a`` (and at least the BATNA; with
    ``conventions="negmas"`` only ``a``, as NegMAS's ``ACConst(th)``)."""

    a: float
    conventions: Conventions = CLASSROOM

    def __post_init__(self) -> None:
        check_conventions(self.conventions)

    def __call__(self, view, t, offer, next_offer):
        if self.conventions == NEGMAS:
            return view.utilities[offer] >= self.a
        return view.utilities[offer] >= max(self.a, view.reservation)


@dataclass(frozen=True)
class ACTime(Acceptance):
    """From relative time ``T`` on, accept anything above the BATNA.

    NegMAS's ``ACTime(tau)`` is the same rule, so it needs no ``conventions``: ``t`` is
    the tactic's own clock (its ``clock``), so under a NegMAS-convention tactic
    ``T`` is read on NegMAS's clock."""

    T: float

    def __call__(self, view, t, offer, next_offer):
        return t >= self.T and view.utilities[offer] >= view.reservation


@dataclass(frozen=True)
class AnyOf(Acceptance):
    """Accept when any of the rules would (e.g. ``AnyOf((ACNext(), ACTime(0.95)))``)."""

    rules: tuple[Acceptance, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "uses_level", any(rule.uses_level for rule in self.rules))

    def __call__(self, view, t, offer, next_offer, level=None):
        return any(rule(view, t, offer, next_offer, level=level) if rule.uses_level
                   else rule(view, t, offer, next_offer) for rule in self.rules)


# -- tactics ----------------------------------------------------------------------
class Tactic:
    """Base class of a counterpart. Override :meth:`propose`; the rest has defaults.

    The protocol calls, on each of this side's turns:
    ``observe(offer)`` when the other side has an offer on the table, then
    ``propose(t)`` for the offer it would make next (``None`` = walk away), then
    ``accept(t, offer, next_offer)``; if that is false, ``next_offer`` is sent.
    ``t`` is ``clock(round, rounds)``: each tactic reads its own clock, a function of
    the round (from 0) and the number of rounds (classroom: ``round / (rounds - 1)``).
    """

    name = "tactic"
    clock = staticmethod(classroom_time)

    def __init__(self, acceptance: Acceptance | None = None) -> None:
        self.acceptance = acceptance or ACNext()
        self.view: SideView | None = None

    def reset(self, view: SideView) -> None:
        """Called once before a negotiation starts."""
        self.view = view

    def observe(self, offer: int) -> None:
        """The other side's latest offer (an outcome number)."""

    def propose(self, t: float) -> int | None:
        raise NotImplementedError

    def level(self, t: float) -> float | None:
        """The utility this tactic aims for at ``t`` (None: it has no such curve)."""
        return None

    def accept(self, t: float, offer: int, next_offer: int | None) -> bool:
        rule = self.acceptance
        if rule.uses_level:
            return rule(self.view, t, offer, next_offer, level=self.level(t))
        return rule(self.view, t, offer, next_offer)

    def __repr__(self) -> str:
        return self.name


class TimeDependent(Tactic):
    """Faratin et al.'s time-dependent tactic: asks u(t) = Pmax - (Pmax-Pmin) t^(1/e).

    ``conventions="negmas"`` plays exactly as NegMAS 0.16's time-based agents with the
    aspiration exponent ``1/e`` (e = 0.25, 1, 4: its ``BoulwareTBNegotiator``,
    ``LinearTBNegotiator``, ``ConcederTBNegotiator``): NegMAS's clock, its aspiration
    scaling and tolerance, its choice among equal-utility deals, and (unless another
    rule is given) its acceptance, ``ACNext(conventions="negmas")``.
    """

    def __init__(self, e: float = 1.0, acceptance: Acceptance | None = None,
                 name: str | None = None, conventions: Conventions = CLASSROOM) -> None:
        self.conventions = check_conventions(conventions)
        if acceptance is None and self.conventions == NEGMAS:
            acceptance = ACNext(conventions=NEGMAS)
        super().__init__(acceptance)
        if e <= 0:
            raise ValueError(f"e must be positive, got {e}")
        self.e = e
        self.name = name or f"time-dependent e={e:g}"
        if self.conventions == NEGMAS:
            self.clock = negmas_time

    def reset(self, view: SideView) -> None:
        super().reset(view)
        self.pmax = view.best_utility
        self.pmin = min(max(view.reservation, view.worst_utility), self.pmax)
        self._power = 1.0 / self.e
        # NegMAS conventions: the aspiration level and offer of the latest t, which the
        # protocol asks for twice per move (propose, then accept).
        self._memo_t: float | None = None
        self._memo: tuple[float, int] = (0.0, 0)

    def target(self, t: float) -> float:
        if self.conventions == NEGMAS:
            # PolyAspiration(1.0, exponent).utility_at(t) (times max_aspiration 1.0, which
            # changes no bit), scaled onto NegMAS's range
            return negmas_level(self.view.negmas, 1.0 - math.pow(t, self._power))
        return self.pmax - (self.pmax - self.pmin) * t ** (1.0 / self.e)

    def level(self, t: float) -> float:
        if t == self._memo_t:
            return self._memo[0]
        return self.target(t)

    def propose(self, t: float) -> int | None:
        view = self.view
        if self.conventions == NEGMAS:
            if t != self._memo_t:
                # NegMAS never walks away: a side with no rational deal offers its best.
                # (target and the range of negmas_level's docstring, inlined: every move runs it.)
                r = view.negmas
                level = (r.high - r.low) * (1.0 - math.pow(t, self._power)) + r.low
                lo = max(r.low, min(r.high, level - NEGMAS_TOLERANCE))
                self._memo = (level, negmas_worst_in(r, lo, r.top))
                self._memo_t = t
            return self._memo[1]
        if view.hopeless:
            return None
        return view.at_least(self.pmax - (self.pmax - self.pmin) * t ** self._power)


def boulware(e: float | None = None, **kw) -> TimeDependent:
    """Concedes late. Default e = 0.2; with ``conventions="negmas"`` e = 0.25, NegMAS's
    "boulware" (aspiration exponent 4)."""
    if e is None:
        e = 0.25 if kw.get("conventions") == NEGMAS else 0.2
    return TimeDependent(e, name=kw.pop("name", "boulware"), **kw)


def linear(**kw) -> TimeDependent:
    return TimeDependent(1.0, name=kw.pop("name", "linear"), **kw)


def conceder(e: float | None = None, **kw) -> TimeDependent:
    """Concedes early. Default e = 5; with ``conventions="negmas"`` e = 4, NegMAS's
    "conceder" (aspiration exponent 0.25)."""
    if e is None:
        e = 4.0 if kw.get("conventions") == NEGMAS else 5.0
    return TimeDependent(e, name=kw.pop("name", "conceder"), **kw)


class TitForTat(Tactic):
    """Relative tit-for-tat: gives up (in its own utility) as much as the other side's
    last move gained it, and takes back as much when the other side hardens.
    ``kindness`` adds a small unconditional concession per turn so two
    reciprocators do not stall forever."""

    name = "tit-for-tat"

    def __init__(self, kindness: float = 0.0, acceptance: Acceptance | None = None) -> None:
        super().__init__(acceptance)
        self.kindness = kindness

    def reset(self, view: SideView) -> None:
        super().reset(view)
        self.level = view.best_utility
        self.floor = min(max(view.reservation, view.worst_utility), view.best_utility)
        self.last_seen: float | None = None

    def observe(self, offer: int) -> None:
        u = self.view.utilities[offer]
        if self.last_seen is not None:
            self.level -= u - self.last_seen
        self.last_seen = u

    def propose(self, t: float) -> int | None:
        if self.view.hopeless:
            return None
        self.level = min(max(self.level - self.kindness, self.floor), self.view.best_utility)
        return self.view.at_least(self.level)


class HardAnchor(Tactic):
    """Opens with its best deal (the anchor), then drops to ``target`` and concedes
    from there Boulware-style, reaching its reservation value only at the deadline."""

    name = "hard anchor"

    def __init__(self, target: float = 0.8, e: float = 0.3,
                 acceptance: Acceptance | None = None) -> None:
        super().__init__(acceptance)
        self.target_share, self.e = target, e

    def reset(self, view: SideView) -> None:
        super().reset(view)
        self.pmin = min(max(view.reservation, view.worst_utility), view.best_utility)
        self.start = self.pmin + self.target_share * (view.best_utility - self.pmin)

    def propose(self, t: float) -> int | None:
        if self.view.hopeless:
            return None
        if t == 0.0:
            return self.view.best
        return self.view.at_least(self.start - (self.start - self.pmin) * t ** (1.0 / self.e))


def standard_tactics() -> dict[str, type[Tactic] | object]:
    """The named counterparts of the apps and the tournament, as zero-argument factories."""
    return {
        "boulware": boulware,
        "linear": linear,
        "conceder": conceder,
        "tit-for-tat": TitForTat,
        "hard-anchor": HardAnchor,
    }


def offer_utilities(view: SideView, offers: Sequence[int]) -> list[float]:
    return [view.utilities[k] for k in offers]
