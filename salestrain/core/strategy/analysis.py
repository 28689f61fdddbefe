"""ANALYSE, then STRATEGY: customer contribution mixes, a SWOT built from results, share drivers.

The handout names "the five most common contribution mixes" without listing them. We use
the established public version: Shapiro, Rangan, Moriarty and Ross ("Manage customers for
profits (not just sales)", Harvard Business Review, 1987) place customers by the price
they pay (net margin) against the cost to serve them, giving four quadrants: carriage
trade, passive, bargain basement and aggressive. We add the fifth mix every key-account
plan has: developing accounts, whose revenue is still small against their potential. The
treatments follow the course's advice (protect the core, lower the cost to serve, earn a
fair price, grow share of wallet).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from salestrain.core.strategy.market import QuarterResult, Territory

Mix = Literal["carriage_trade", "passive", "aggressive", "bargain_basement", "developing"]
MIXES: tuple[Mix, ...] = ("carriage_trade", "passive", "aggressive", "bargain_basement", "developing")

# The recommended treatment of each mix (catalog keys strategy.mix.<mix>.treatment).
TREATMENT = {
    "carriage_trade": "protect",  # high margin, costly to serve: worth it, defend with service
    "passive": "grow",  # high margin, cheap to serve: the most profitable; grow share of wallet
    "aggressive": "reprice",  # low margin, costly: demand a lot, pay little; trade, don't discount
    "bargain_basement": "automate",  # low margin, cheap: serve efficiently (efficiency-type selling)
    "developing": "invest",  # small now against potential: invest selectively
}


def contribution_mix(customers: pd.DataFrame, developing_below: float = 0.25) -> pd.Series:
    """Each customer's contribution mix from ``revenue``, ``margin`` (share), ``cost_to_serve``
    (share of revenue) and ``potential`` columns.

    A customer buying less than ``developing_below`` of its potential is developing;
    the others are split at the medians of margin and cost to serve.
    """
    margin_high = customers["margin"] >= customers["margin"].median()
    cost_high = customers["cost_to_serve"] >= customers["cost_to_serve"].median()
    mix = np.select(
        [margin_high & cost_high, margin_high & ~cost_high, ~margin_high & cost_high],
        ["carriage_trade", "passive", "aggressive"], default="bargain_basement")
    developing = customers["revenue"] < developing_below * customers["potential"]
    return pd.Series(np.where(developing, "developing", mix), index=customers.index, name="mix")


@dataclass(frozen=True)
class Swot:
    """A SWOT of one team built from its own results (each item: a catalog key and values)."""

    strengths: tuple[tuple[str, dict], ...]
    weaknesses: tuple[tuple[str, dict], ...]
    opportunities: tuple[tuple[str, dict], ...]
    threats: tuple[tuple[str, dict], ...]


def swot(territory: Territory, history: list[QuarterResult], team: int) -> Swot:
    """Strengths and weaknesses inside (segments with more or less than a fair share),
    opportunities and threats outside (growing segments where the team is small; the
    competitor who gained most share last quarter)."""
    last = history[-1]
    n_teams = len(last.teams)
    fair = 1.0 / n_teams
    seg_share = last.segment_share(territory)[team]
    names = [s.name for s in territory.segments]
    strengths = tuple(("strategy.swot.strong_segment", {"segment": names[s], "share": float(seg_share[s])})
                      for s in np.argsort(-seg_share) if seg_share[s] > fair * 1.2)
    weaknesses = tuple(("strategy.swot.weak_segment", {"segment": names[s], "share": float(seg_share[s])})
                       for s in np.argsort(seg_share) if seg_share[s] < fair * 0.8)
    growth = np.array([s.growth for s in territory.segments])
    opportunities = tuple(("strategy.swot.growing_segment", {"segment": names[s], "growth": float(growth[s]),
                                                             "share": float(seg_share[s])})
                          for s in np.argsort(-growth) if growth[s] > 0 and seg_share[s] <= fair)
    threats: tuple[tuple[str, dict], ...] = ()
    if len(history) > 1:
        gain = last.market_share - history[-2].market_share
        gain[team] = -np.inf
        rival = int(np.argmax(gain))
        if gain[rival] > 0:
            threats = (("strategy.swot.rival_gaining", {"rival": last.teams[rival], "gain": float(gain[rival])}),)
    return Swot(strengths, weaknesses, opportunities, threats)


def share_drivers(history: list[QuarterResult], team: int) -> dict[str, float]:
    """What moved the team's attraction against the average competitor, by driver.

    Each driver is a revenue-weighted log-attraction component (effort, price, service,
    loyalty); the team's value less the mean of the others says how much that driver
    raised (positive) or lowered (negative) its share relative to the field.
    """
    last = history[-1]
    out = {}
    for name, values in last.drivers.items():
        others = np.delete(values, team)
        out[name] = float(values[team] - others.mean()) if len(others) else 0.0
    return out
