"""Negotiations with more than two parties: a manufacturer, a customer and a distributor.

B2B deals in China often have three parties at the table: the vendor, the customer and the
local partner who installs, services and carries part of the cash. Each party has its own
linear-additive utility over the same issues and its own walk-away (the utility of its
BATNA). A deal needs every party: one that gets less than its walk-away blocks it.

The outcome space is small (a few hundred deals), so everything here is exact: every deal
is scored, and Pareto optimality is checked against every other deal. Two deals the course
names:

* the *best joint* deal: the largest sum of utilities among the deals every party accepts;
* the *Nash* deal: the largest product of the parties' gains over their walk-aways, the
  balanced answer (Nash 1950; for n parties the same axioms give the same product).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salestrain.core.negotiation.domain import DomainError, Issue, Preferences

_DECIMALS = 9  # utilities are sums of products of short decimals: compare them rounded


@dataclass(frozen=True)
class MultiScenario:
    """A role play with any number of parties (two or more) over the same issues."""

    name: str
    title: str
    shared: str
    issues: tuple[Issue, ...]
    parties: Mapping[str, Preferences]  # in the order the file gives them
    labels: Mapping[str, str] = field(default_factory=dict)  # party -> its name on the card
    briefs: Mapping[str, str] = field(default_factory=dict)
    batna: Mapping[str, str] = field(default_factory=dict)
    issue_labels: Mapping[str, str] = field(default_factory=dict)
    teaching_note: str = ""
    model_answer: tuple[int, ...] | None = None  # the teaching note's deal, one option per issue
    source: str | None = None

    def __post_init__(self) -> None:
        if len(self.parties) < 2:
            raise DomainError(f"{self.name}: a negotiation needs at least two parties")
        names = [i.name for i in self.issues]
        for party, prefs in self.parties.items():
            if set(prefs.weights) != set(names) or abs(sum(prefs.weights.values()) - 1) > 1e-6:
                raise DomainError(f"{party}: weights must name the issues {names} and sum to 1")

    def issue_label(self, name: str) -> str:
        return self.issue_labels.get(name, name)

    def outcomes(self) -> list[tuple[int, ...]]:
        """Every deal: one option index per issue, in :func:`itertools.product` order."""
        return list(itertools.product(*(range(len(i.options)) for i in self.issues)))

    def utilities(self, deal: Sequence[int]) -> dict[str, float]:
        return {p: prefs.utility(self.issues, deal) for p, prefs in self.parties.items()}

    def walk_aways(self) -> np.ndarray:
        return np.array([prefs.reservation for prefs in self.parties.values()])


def utility_matrix(scenario: MultiScenario) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """Every deal and its utility for every party (deals x parties)."""
    deals = scenario.outcomes()
    matrix = np.array([[prefs.utility(scenario.issues, d) for prefs in scenario.parties.values()]
                       for d in deals])
    return deals, matrix


def pareto_mask_n(utilities: np.ndarray) -> np.ndarray:
    """True for every deal no other deal beats for one party without hurting another."""
    u = np.round(np.asarray(utilities, dtype=float), _DECIMALS)
    mask = np.ones(len(u), dtype=bool)
    for i in range(len(u)):
        at_least = (u >= u[i]).all(axis=1)
        better = (u > u[i]).any(axis=1)
        mask[i] = not (at_least & better).any()
    return mask


@dataclass(frozen=True)
class MultiAnalysis:
    """The outcome space of a multi-party role play, scored."""

    deals: list[tuple[int, ...]]
    utilities: np.ndarray  # deals x parties
    acceptable: np.ndarray  # every party at or above its walk-away
    pareto: np.ndarray
    best_joint: tuple[int, ...] | None  # None: no deal every party accepts
    nash: tuple[int, ...] | None


def analyse_multi(scenario: MultiScenario) -> MultiAnalysis:
    deals, u = utility_matrix(scenario)
    acceptable = (np.round(u - scenario.walk_aways(), _DECIMALS) >= 0).all(axis=1)
    pareto = pareto_mask_n(u)
    if not acceptable.any():
        return MultiAnalysis(deals, u, acceptable, pareto, None, None)
    idx = np.flatnonzero(acceptable)
    joint = idx[np.argmax(np.round(u[idx].sum(axis=1), _DECIMALS))]
    gains = np.clip(u[idx] - scenario.walk_aways(), 0, None)
    nash = idx[np.argmax(np.round(np.prod(gains, axis=1), _DECIMALS))]
    return MultiAnalysis(deals, u, acceptable, pareto, deals[joint], deals[nash])


@dataclass(frozen=True)
class Judgement:
    """One agreed deal, judged: who gains, who should have walked, what beats it."""

    deal: tuple[int, ...]
    utilities: dict[str, float]
    below_walk_away: tuple[str, ...]  # parties that accepted less than their BATNA
    pareto_optimal: bool
    better_for_all: tuple[int, ...] | None  # a deal at least as good for every party, better for one


def judge(scenario: MultiScenario, deal: Sequence[int], analysis: MultiAnalysis | None = None) -> Judgement:
    """How one agreed deal stands: the debrief of one table."""
    analysis = analysis or analyse_multi(scenario)
    deal = tuple(int(k) for k in deal)
    row = analysis.deals.index(deal)
    u = np.round(analysis.utilities, _DECIMALS)
    below = tuple(p for p, value, floor in zip(scenario.parties, u[row], scenario.walk_aways(), strict=True)
                  if value < round(floor, _DECIMALS))
    dominating = np.flatnonzero((u >= u[row]).all(axis=1) & (u > u[row]).any(axis=1))
    better = None
    if dominating.size:  # the one a trainer would show: the largest joint gain
        better = analysis.deals[dominating[np.argmax(u[dominating].sum(axis=1))]]
    return Judgement(deal, scenario.utilities(deal), below, bool(analysis.pareto[row]), better)


def multi_class_debrief(scenario: MultiScenario, table: pd.DataFrame, source: str = "table") -> pd.DataFrame:
    """One row per table of a multi-party role play: each party's utility, who accepted less
    than its walk-away, whether the deal is Pareto-optimal, the joint value and the rank by
    the product of the gains (the balanced deal ranks first). A table without a deal holds
    every party at its walk-away."""
    from salestrain.core.negotiation.debrief import table_deals

    analysis = analyse_multi(scenario)
    floors = scenario.walk_aways()
    records = []
    for name, deal in table_deals(scenario.issues, table, source):
        if deal is None:
            records.append({"table": name, "agreement": False, **dict(zip(scenario.parties, floors, strict=True)),
                            "below": (), "pareto": False, "joint": float(floors.sum()), "product": 0.0})
            continue
        verdict = judge(scenario, deal, analysis)
        gains = np.array(list(verdict.utilities.values())) - floors
        records.append({"table": name, "agreement": True, **verdict.utilities, "below": verdict.below_walk_away,
                        "pareto": verdict.pareto_optimal, "joint": float(sum(verdict.utilities.values())),
                        # a deal some party should have refused is ranked below every good one
                        "product": float(np.prod(gains)) if (gains >= -1e-12).all() else -1.0})
    out = pd.DataFrame(records)
    out["rank"] = out["product"].rank(ascending=False, method="min").astype(int)
    return out.sort_values(["rank", "table"]).reset_index(drop=True)
