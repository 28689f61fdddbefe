"""A seeded team history with a visible before/after, for ``salestrain impact``'s sample.

Six invented reps (the funnel samples' names, so a Chinese session shows them in Chinese)
sell from January 2025 to September 2026; the team is trained on 1 March 2026. From
then on every stage move follows the "after" process: deals advance more often, move
faster and are won at smaller discounts. Grace Tan joins in July 2025 with a third of
the others' deal flow, so her figures rest on few deals (the report flags them). The
truth is written down here so the sample's story can be checked, not just admired.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salestrain.core.funnel.synthetic import OWNERS, account_names

TRAINED = pd.Timestamp("2026-03-01")
START = pd.Timestamp("2025-01-01")
END = pd.Timestamp("2026-09-30")  # the export's date: later rows do not exist yet
STAGE_ORDER = ("potential", "intention", "proposal", "negotiation")


@dataclass(frozen=True)
class Regime:
    """One way of selling: advance probability and mean days per stage, discount of wins."""

    advance: dict[str, float]
    mean_days: dict[str, float]
    discount_mean: float
    discount_sd: float


@dataclass(frozen=True)
class ImpactTruth:
    before: Regime = field(default_factory=lambda: Regime(
        {"potential": 0.45, "intention": 0.55, "proposal": 0.55, "negotiation": 0.70},
        {"potential": 16.0, "intention": 22.0, "proposal": 20.0, "negotiation": 14.0},
        0.12, 0.03))
    after: Regime = field(default_factory=lambda: Regime(
        {"potential": 0.50, "intention": 0.62, "proposal": 0.66, "negotiation": 0.80},
        {"potential": 9.0, "intention": 12.0, "proposal": 10.0, "negotiation": 7.0},
        0.07, 0.025))
    deals_per_month: dict[str, float] = field(default_factory=lambda: {
        owner: (4.0 if owner == "Grace Tan" else 14.0) for owner in OWNERS})
    joined: dict[str, pd.Timestamp] = field(default_factory=lambda: {
        "Grace Tan": pd.Timestamp("2025-07-01")})


IMPACT_TRUTH = ImpactTruth()


def synthetic_impact(seed: int = 15, truth: ImpactTruth = IMPACT_TRUTH) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(history, won deals): the history as a CRM exports it (deal_id, stage, date, owner,
    account, amount) and a pipeline-shaped export of the won deals with their discount."""
    rng = np.random.default_rng(seed)
    rows: list[tuple] = []
    won: list[tuple] = []
    days = (END - START).days
    serial = 0
    for owner in OWNERS:
        first = max(START, truth.joined.get(owner, START))
        span = (END - first).days
        n = int(rng.poisson(truth.deals_per_month[owner] * span / 30.4))
        created = np.sort(rng.integers(days - span, days - 20, size=n))
        accounts = account_names(n, rng)
        for k, offset in enumerate(created):
            serial += 1
            deal = f"T{serial:05d}"
            amount = int(round(float(rng.lognormal(np.log(80_000), 0.5)), -3))
            when = START + pd.Timedelta(days=int(offset))
            outcome = "open"
            for stage in STAGE_ORDER:
                if when > END:
                    break
                rows.append((deal, stage, when, owner, accounts[k], amount))
                regime = truth.after if when >= TRAINED else truth.before
                stay = max(1, int(round(float(rng.exponential(regime.mean_days[stage])))))
                when = when + pd.Timedelta(days=stay)
                regime = truth.after if when >= TRAINED else truth.before
                if rng.random() >= regime.advance[stage]:
                    outcome = "lost"
                    break
            else:
                outcome = "won"
            if outcome != "open" and when <= END:
                rows.append((deal, outcome, when, owner, accounts[k], amount))
                if outcome == "won":
                    discount = float(np.clip(rng.normal(regime.discount_mean, regime.discount_sd),
                                             0.0, 0.3))
                    won.append((deal, accounts[k], "won", amount, when, owner,
                                f"{round(discount * 200) / 2:g}%"))
    history = pd.DataFrame(rows, columns=["deal_id", "stage", "date", "owner", "account", "amount"])
    history = history.sort_values(["deal_id", "date"], kind="stable")
    history["date"] = history["date"].dt.strftime("%Y-%m-%d")
    deals = pd.DataFrame(won, columns=["deal_id", "account", "stage", "amount", "expected_close",
                                       "owner", "discount"])
    deals["expected_close"] = deals["expected_close"].dt.strftime("%Y-%m-%d")
    return history.reset_index(drop=True), deals.sort_values("deal_id").reset_index(drop=True)


__all__ = ["END", "IMPACT_TRUTH", "TRAINED", "ImpactTruth", "synthetic_impact"]
