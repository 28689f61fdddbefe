"""Competitor bots, one per competitive position (Kotler: leader, challenger, follower, nicher).

Each bot turns its position's textbook strategy into a quarter's decision, from what any
team can see: the territory and the results of the quarters played so far.

- **leader**: defend the whole market: effort in proportion to each segment's potential,
  list price, good service.
- **challenger**: attack the leader where the leader earns most: half its effort in that
  segment, a small price cut.
- **follower**: go where the market already goes, at lower cost: last quarter's average
  allocation of the other teams, most of the budget kept, a slightly lower price.
- **nicher**: own one segment: most of its effort where potential is high and competitors
  are few, a premium price, the best service.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from salestrain.core.strategy.market import Decision, QuarterResult, Stance, Territory

PRICE = {"leader": 1.0, "challenger": 0.95, "follower": 0.97, "nicher": 1.08}
SERVICE = {"leader": 4.0, "challenger": 3.5, "follower": 3.0, "nicher": 5.0}
BUDGET_USED = {"leader": 1.0, "challenger": 1.0, "follower": 0.7, "nicher": 0.9}


def segment_potential(territory: Territory) -> np.ndarray:
    return np.bincount(territory.account_segment, weights=territory.potential,
                       minlength=len(territory.segments))


def _decision(territory: Territory, weights: np.ndarray, hours: float, budget: float,
              stance: Stance) -> Decision:
    weights = np.asarray(weights, dtype=float)
    weights = weights / weights.sum()
    names = [s.name for s in territory.segments]
    used = budget * BUDGET_USED[stance]
    return Decision(hours={n: float(hours * w) for n, w in zip(names, weights, strict=True)},
                    budget={n: float(used * w) for n, w in zip(names, weights, strict=True)},
                    price=PRICE[stance], service=SERVICE[stance], stance=stance)


def bot_decision(stance: Stance, territory: Territory, hours: float, budget: float,
                 history: Sequence[QuarterResult] = (), past: Sequence[Sequence[Decision]] = (),
                 me: int | None = None) -> Decision:
    """The decision a bot in ``stance`` makes for the next quarter."""
    potential = segment_potential(territory)
    n_seg = len(territory.segments)
    if stance == "leader":
        return _decision(territory, potential, hours, budget, stance)
    if stance == "challenger":
        if history:
            last = history[-1]
            leader = int(np.argmax(last.market_share))
            target = int(np.argmax(last.segment_share(territory)[leader] * potential))
        else:
            target = int(np.argmax(potential))
        weights = 0.5 * potential / potential.sum()
        weights[target] += 0.5
        return _decision(territory, weights, hours, budget, stance)
    if stance == "follower":
        if past:
            others = [d for k, d in enumerate(past[-1]) if k != me]
            names = [s.name for s in territory.segments]
            weights = np.array([sum(d.hours.get(n, 0.0) for d in others) for n in names]) + 1e-9
        else:
            weights = potential
        return _decision(territory, weights, hours, budget, stance)
    if stance == "nicher":
        contested = np.ones(n_seg)
        if past:
            names = [s.name for s in territory.segments]
            contested += np.array([sum(d.hours.get(n, 0.0) for k, d in enumerate(past[-1]) if k != me)
                                   for n in names])
        service_fit = np.array([s.service_sensitivity for s in territory.segments])
        niche = int(np.argmax(potential * service_fit / contested))
        weights = np.full(n_seg, 0.15 / max(n_seg - 1, 1))
        weights[niche] = 0.85
        return _decision(territory, weights, hours, budget, stance)
    raise ValueError(f"unknown stance {stance!r}")
