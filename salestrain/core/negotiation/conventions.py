"""The two sets of conventions a time-dependent counterpart can follow.

``"classroom"`` (the default everywhere) is what a learner reads on the screen:

- relative time is ``t = round / (rounds - 1)``, so round 1 of 10 is t = 0 (the
  opening offer is the tactic's best deal) and the last round is t = 1 (the tactic
  reaches its reservation value when the deadline is on the table);
- an offer is the deal worth the target utility or just above it, ties to the lower
  outcome number (the order the deals are listed in);
- AC_next accepts an offer worth at least the tactic's own next offer.

``"negmas"`` reproduces NegMAS 0.16's ``BoulwareTBNegotiator``, ``LinearTBNegotiator``
and ``ConcederTBNegotiator`` (``negmas.gb.negotiators.timebased``), read from its source:

- relative time is ``(step + 1) / (n_steps + 1)`` (``Mechanism._relative_time_for``),
  so even the opening offer is made at t > 0 and the last step stays below t = 1;
- the aspiration ``1 - t ** exponent`` (``PolyAspiration``) is scaled onto
  ``[low, high]``, ``low`` the worst utility raised to the reserved value, ``high`` the
  best utility, then widened by the negotiator's ``eps`` = 1e-4 and clamped back
  (``UtilityBasedOutcomeSetRecommender.scale_utilities``);
- an offer is the deal that ``PresortingInverseUtilityFunction.worst_in`` returns: the
  rational deals are sorted with numpy's default (unstable) ``argsort``, which fixes
  how equal utilities are tie-broken, and the search takes the nearest deal to the
  lower bound within a slack of 1e-6 below it (``_nearest_around``);
- a side accepts any offer inside that widened range: at its aspiration minus 1e-4.

Everything here is deterministic: NegMAS 0.16's named time-based agents are built
with ``stochastic=False``.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any, Final, Literal, Protocol

import numpy as np


class SideView(Protocol):
    """What the NegMAS rules read of a side (salestrain.core.negotiation.view.SideView has it).

    A protocol, so this module needs no import of the view, which imports this module.
    """

    issues: tuple
    prefs: Any
    utilities: list[float]
    reservation: float
    best_utility: float
    worst_utility: float

Conventions = Literal["classroom", "negmas"]
CLASSROOM: Final = "classroom"
NEGMAS: Final = "negmas"
CONVENTIONS: Final = (CLASSROOM, NEGMAS)

# NegMAS 0.16's constants, named after where they live there.
NEGMAS_TOLERANCE: Final = 1e-4  # UtilBasedNegotiator(eps=0.0001): widens the aspiration range
NEGMAS_SEARCH_EPS: Final = 1e-6  # negmas.preferences.inv_ufun._common.EPS, worst_in's slack


def check_conventions(conventions: str) -> Conventions:
    if conventions not in CONVENTIONS:
        raise ValueError(f"conventions must be one of {', '.join(map(repr, CONVENTIONS))}, "
                         f"got {conventions!r}")
    return conventions  # type: ignore[return-value]


def classroom_time(round_: int, rounds: int) -> float:
    """Round 0 is t = 0 and the last round t = 1 (a one-round negotiation is all deadline)."""
    return 1.0 if rounds == 1 else round_ / (rounds - 1)


def negmas_time(round_: int, rounds: int) -> float:
    """NegMAS's relative time in step ``round_`` of ``rounds`` (no wall-clock limit)."""
    return min(1.0, (round_ + 1) / (rounds + 1))


@dataclass(frozen=True)
class NegmasRanking:
    """One side's outcomes as NegMAS's presorting inverter holds them.

    ``utils[k]`` is the utility of outcome ``outcomes[k]``; positions ``0..last_rational``
    are the rational outcomes (worth at least the reserved value) in ascending order,
    the irrational ones follow unsorted, in outcome order (NegMAS searches them too).
    """

    utils: np.ndarray
    outcomes: tuple[int, ...]
    last_rational: int
    rational: list[float]  # utils[: last_rational + 1] as floats, for bisect
    irrational_max: float  # the best irrational utility (-inf if none)
    low: float  # NegMAS's ufun_min: the worst utility, raised to the reserved value
    high: float  # its ufun_max: the best utility
    top: float  # the upper end of every range it searches and accepts in
    best: int  # its extreme_outcomes()[1], offered when no rational outcome exists


def negmas_ranking(view: SideView) -> NegmasRanking:
    u = np.asarray(view.utilities, dtype=float)
    rational = np.flatnonzero(u >= view.reservation)
    irrational = np.flatnonzero(u < view.reservation)
    ur = u[rational]
    # NegMAS sorts with np.argsort's default kind, which is not stable: equal
    # utilities come out in whatever order it leaves them. Calling the same
    # function on the same numbers reproduces that order exactly.
    idx = np.argsort(ur)
    low = max(view.worst_utility, view.reservation)
    high = view.best_utility
    return NegmasRanking(
        utils=np.hstack((ur[idx], u[irrational])),
        outcomes=tuple(int(k) for k in np.concatenate((rational[idx], irrational))),
        last_rational=len(rational) - 1,
        rational=ur[idx].tolist(),
        irrational_max=float(u[irrational].max()) if len(irrational) else float("-inf"),
        low=low,
        high=high,
        # scale_utilities maps the aspiration range's upper end 1.0 to (high - low) * 1.0
        # + low, widens it by the tolerance and clamps it: the same for every t.
        top=max(low, min(high, (high - low) * 1.0 + low + NEGMAS_TOLERANCE)),
        best=_negmas_best(view),
    )


def _negmas_best(view: SideView) -> int:
    """NegMAS's best outcome of a linear-additive ufun: per issue, the last option with
    the highest score (the first with the lowest when the weight is zero)."""
    prefs = view.prefs
    index = 0
    for issue in view.issues:
        scores = list(prefs.scores[issue.name])
        if prefs.weights[issue.name] > 0:
            top = max(scores)
            k = len(scores) - 1 - scores[::-1].index(top)
        else:
            k = scores.index(min(scores))
        index = index * len(issue.options) + k
    return index


def negmas_level(ranking: NegmasRanking, aspiration: float) -> float:
    """An aspiration in [0, 1] as a utility, the way NegMAS scales it. NegMAS offers
    from and accepts in ``[max(low, min(high, level - 1e-4)), top]``
    (``scale_utilities``: widened by the tolerance, clamped back)."""
    return (ranking.high - ranking.low) * aspiration + ranking.low


def negmas_worst_in(ranking: NegmasRanking, lo: float, hi: float) -> int:
    """The outcome NegMAS's ``worst_in((lo, hi))`` returns, or its best outcome when it
    returns None (``UtilBasedNegotiator.propose`` falls back to it)."""
    last = ranking.last_rational
    if last < 0:
        return ranking.best
    eps = NEGMAS_SEARCH_EPS
    a = ranking.rational
    if ranking.irrational_max >= lo - eps or hi + 2 * eps < a[-1]:
        return _worst_in_by_scan(ranking, lo, hi)
    # The common case, in O(log n): no irrational outcome is in the search range and
    # no rational one above it, so NegMAS's whole-array scan can only pick position i
    # (the first rational one worth at least lo) or, when strictly nearer to lo, the
    # first of the run of positions just below lo at the same distance.
    i = min(bisect_left(a, lo), last)
    best = i
    floor = lo - eps
    if i > 0 and a[i - 1] >= floor:
        d_below = abs(a[i - 1] - lo)
        if d_below < abs(a[i] - lo):
            best = i - 1
            while best > 0 and a[best - 1] >= floor and abs(a[best - 1] - lo) == d_below:
                best -= 1
    if abs(a[best] - lo) > 2 * eps and best != i:
        return ranking.best
    return ranking.outcomes[best]


def _worst_in_by_scan(ranking: NegmasRanking, lo: float, hi: float) -> int:
    """NegMAS's search step by step, for the rare ranges the fast path does not cover."""
    last = ranking.last_rational
    utils = ranking.utils
    # index_above_or_equal: the first rational position worth at least lo
    i = int(np.searchsorted(utils[: last + 1], lo, side="left"))
    i = max(0, min(last, i))
    # _nearest_around(lo, utils, i, lo - EPS, hi + 2 EPS, eps=2 EPS), over the whole
    # array (irrational outcomes included): the first position strictly nearer to lo
    # than position i, among those inside the slackened range.
    eps = NEGMAS_SEARCH_EPS
    diff = np.abs(utils - lo)
    candidates = np.where((utils >= lo - eps) & (utils <= hi + 2 * eps), diff, np.inf)
    j = int(np.argmin(candidates))
    best = j if candidates[j] < abs(utils[i] - lo) else i
    if abs(utils[best] - lo) > 2 * eps and best != i:
        return ranking.best
    return ranking.outcomes[best]
