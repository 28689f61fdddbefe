"""Round-robin tournaments of counterparts over scenarios.

Every ordered pair plays (each tactic once as seller and once as buyer against every
tactic, itself included) on every domain. Tactics are given as zero-argument
factories (a class or a function) so each negotiation starts from a fresh object.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salestrain.core.negotiation.analysis import pareto_frontier
from salestrain.core.negotiation.domain import BUYER, SELLER, Domain, Scenario
from salestrain.core.negotiation.protocol import negotiate
from salestrain.core.negotiation.tactics import Tactic

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TournamentResult:
    games: pd.DataFrame  # one row per negotiation

    def summary(self) -> pd.DataFrame:
        """Per tactic, over both roles: deals closed, mean utility and advantage, and
        (as seller) the mean discount given; sorted best first by mean utility."""
        g = self.games
        as_seller = pd.DataFrame({
            "tactic": g["seller"], "utility": g["u_seller"], "advantage": g["adv_seller"],
            "agreement": g["agreement"], "discount": g["discount"]})
        as_buyer = pd.DataFrame({
            "tactic": g["buyer"], "utility": g["u_buyer"], "advantage": g["adv_buyer"],
            "agreement": g["agreement"], "discount": np.nan})
        both = pd.concat([as_seller, as_buyer], ignore_index=True)
        out = both.groupby("tactic", sort=False).agg(
            negotiations=("utility", "size"), agreement_rate=("agreement", "mean"),
            mean_utility=("utility", "mean"), mean_advantage=("advantage", "mean"),
            mean_discount=("discount", "mean"))
        return out.sort_values("mean_utility", ascending=False)


def _domain_of(item: Scenario | Domain) -> tuple[str, Domain]:
    if isinstance(item, Scenario):
        return item.name, item.domain
    return item.name, item


def tournament(tactics: Mapping[str, Callable[[], Tactic]],
               scenarios: Sequence[Scenario | Domain], rounds: int = 100,
               first: int = SELLER, repeats: int = 1,
               progress: Progress | None = None) -> TournamentResult:
    """Play every ordered pair of ``tactics`` on every scenario, ``repeats`` times.

    The tactics are deterministic, so repeats only matter for timing and for
    learner-written tactics that draw on their own seeded randomness.
    """
    if not tactics:
        raise ValueError("tournament needs at least one tactic")
    domains = [_domain_of(s) for s in scenarios]
    pairs = [(a, b) for a in tactics for b in tactics]
    total = len(domains) * len(pairs) * repeats
    step = max(1, total // 50)  # about fifty progress updates, whatever the size
    rows = []
    done = 0
    for name, domain in domains:
        u = domain.utilities
        r = domain.reservations
        front = u[pareto_frontier(domain)]
        for rep in range(repeats):
            for a, b in pairs:
                res = negotiate(domain, tactics[a](), tactics[b](), rounds, first)
                k = res.agreement
                if k is None:
                    us, ub, dist, disc = r[SELLER], r[BUYER], np.nan, np.nan
                else:
                    us, ub = u[k, SELLER], u[k, BUYER]
                    dist = float(np.min(np.hypot(front[:, 0] - us, front[:, 1] - ub)))
                    d = domain.discount_of(k)
                    disc = np.nan if d is None else d
                rows.append((name, rep, a, b, k is not None, k, float(us), float(ub),
                             float(us - r[SELLER]) if k is not None else 0.0,
                             float(ub - r[BUYER]) if k is not None else 0.0,
                             dist, disc, res.end_round + 1, res.ended))
                done += 1
                if progress is not None and (done % step == 0 or done == total):
                    progress(done, total)
    games = pd.DataFrame(rows, columns=[
        "scenario", "repeat", "seller", "buyer", "agreement", "deal", "u_seller", "u_buyer",
        "adv_seller", "adv_buyer", "pareto_distance", "discount", "rounds", "ended"])
    return TournamentResult(games)


def score_against_field(tactic: Callable[[], Tactic], scenarios: Sequence[Scenario | Domain],
                        rounds: int = 100, reference: str = "boulware",
                        name: str = "yours") -> dict[str, float]:
    """Enter ``tactic`` into a tournament with the standard counterparts and compare its
    average utility with ``reference``'s (both over both roles, every scenario)."""
    from salestrain.core.negotiation.tactics import standard_tactics

    field = standard_tactics()
    if name in field:
        raise ValueError(f"name {name!r} is taken by a standard tactic; choose another")
    summary = tournament({**field, name: tactic}, scenarios, rounds=rounds).summary()
    mine, ref = summary.loc[name], summary.loc[reference]
    return {"mean_utility": float(mine.mean_utility), "reference_utility": float(ref.mean_utility),
            "margin": float(mine.mean_utility - ref.mean_utility),
            "agreement_rate": float(mine.agreement_rate)}
