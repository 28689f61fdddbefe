"""Seeded synthetic pipelines and histories with known true rates.

No real CRM data set ships in any package we can install, so lessons, tests and
benchmarks use these. The truth is known, so tests can check that the estimators
recover it. Companies and people are invented.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salestrain.core.funnel.stages import DEFAULT_CATEGORIES

_PREFIXES = ("Qinghe", "Redleaf", "Bluestone", "Jadeport", "Silverpine", "Eastbay", "Lotusfield",
             "Ironbridge", "Goldstream", "Westhill", "Cloudpeak", "Amberline", "Riverbend",
             "Stonegate", "Pearlwave", "Greenmoor", "Suncrest", "Maplebrook")
_SECTORS = ("Logistics", "Foods", "Precision Parts", "Pharma", "Energy", "Retail Group",
            "Textiles", "Electronics", "Bank", "Telecom Services", "Machinery", "Hospitals")
OWNERS = ("Lin Hao", "Zhou Mei", "Grace Tan", "Wang Jun", "Ahmed Rahal", "Sofia Berg")


@dataclass(frozen=True)
class Truth:
    """The true process behind a synthetic history.

    From each open stage a deal advances with ``advance[stage]`` (else it is lost),
    after an exponential stay with mean ``mean_days[stage]``. ``owner_effects`` makes
    one rep weaker at one stage (their advance probability there is multiplied).
    """

    advance: Mapping[str, float] = field(default_factory=lambda: {
        "potential": 0.40, "intention": 0.55, "proposal": 0.55, "negotiation": 0.80})
    mean_days: Mapping[str, float] = field(default_factory=lambda: {
        "potential": 14.0, "intention": 21.0, "proposal": 18.0, "negotiation": 12.0})
    owner_effects: Mapping[str, tuple[str, float]] = field(default_factory=lambda: {
        "Wang Jun": ("proposal", 0.5)})

    def p_won(self) -> dict[str, float]:
        """True P(eventually won | in this stage now): the product of later advances."""
        out = {}
        running = 1.0
        for stage in reversed(list(self.advance)):
            running *= self.advance[stage]
            out[stage] = running
        return dict(reversed(list(out.items())))

    def exit_rate(self, stage: str) -> float:
        return 1.0 / self.mean_days[stage]


TRUTH = Truth()


def account_names(n: int, rng: np.random.Generator) -> list[str]:
    names = [f"{p} {s}" for p in _PREFIXES for s in _SECTORS]
    picks = rng.choice(len(names), size=n, replace=n > len(names))
    return [names[i] for i in picks]


def _amounts(n: int, rng: np.random.Generator) -> np.ndarray:
    # Lognormal deal sizes, rounded to thousands as CRMs usually hold them.
    return np.round(rng.lognormal(np.log(60_000), 0.8, n), -3).clip(5_000, None)


def synthetic_history(n_deals: int = 600, seed: int = 7, start: str = "2025-01-01",
                      days: int = 540, truth: Truth = TRUTH) -> pd.DataFrame:
    """Stage-entry events of ``n_deals`` deals created over ``days`` days from ``start``.

    Events after the end of the window are cut off, so late deals are still open,
    as in a real export.
    """
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp(start)
    end = t0 + pd.Timedelta(days=days)
    stages = list(truth.advance)
    owners = rng.choice(OWNERS, size=n_deals)
    accounts = account_names(n_deals, rng)
    amounts = _amounts(n_deals, rng)
    created = rng.uniform(0, days * 0.85, n_deals)
    rows = []
    for i in range(n_deals):
        deal = f"H{i + 1:05d}"
        t = created[i]
        owner = str(owners[i])
        for stage in stages:
            if t0 + pd.Timedelta(days=float(t)) > end:
                break
            rows.append((deal, stage, t, owner, accounts[i], amounts[i]))
            t += rng.exponential(truth.mean_days[stage])
            adv = truth.advance[stage]
            effect = truth.owner_effects.get(owner)
            if effect and effect[0] == stage:
                adv *= effect[1]
            if rng.random() >= adv:
                if t0 + pd.Timedelta(days=float(t)) <= end:
                    rows.append((deal, "lost", t, owner, accounts[i], amounts[i]))
                break
        else:
            if t0 + pd.Timedelta(days=float(t)) <= end:
                rows.append((deal, "won", t, owner, accounts[i], amounts[i]))
    df = pd.DataFrame(rows, columns=["deal_id", "stage", "day", "owner", "account", "amount"])
    df["amount"] = df["amount"].astype(int)
    df["date"] = (t0 + pd.to_timedelta(np.floor(df.pop("day")), unit="D")).dt.strftime("%Y-%m-%d")
    return df[["deal_id", "stage", "date", "owner", "account", "amount"]]


def synthetic_pipeline(n_deals: int = 60, seed: int = 42, month: str = "2026-12",
                       stage_mix: Mapping[str, float] | None = None) -> pd.DataFrame:
    """An open pipeline snapshot with expected close dates around ``month``.

    About half the deals are expected to close in ``month``, the rest in the two
    months after; the stage mix narrows like a funnel.
    """
    rng = np.random.default_rng(seed)
    mix = dict(stage_mix or {"potential": 0.30, "intention": 0.27, "proposal": 0.20,
                             "negotiation": 0.15, "won": 0.08})
    names = list(mix)
    weights = np.array([mix[s] for s in names], dtype=float)
    stage = rng.choice(names, size=n_deals, p=weights / weights.sum())
    period = pd.Period(month, freq="M")
    offsets = rng.choice([0, 1, 2], size=n_deals, p=[0.5, 0.3, 0.2])
    closes = []
    for off in offsets:
        p = period + int(off)
        day = int(rng.integers(1, p.days_in_month + 1))
        closes.append(pd.Timestamp(year=p.year, month=p.month, day=day))
    close = pd.Series(closes)
    created = close - pd.to_timedelta(rng.integers(20, 150, n_deals), unit="D")
    category = [DEFAULT_CATEGORIES[s] for s in stage]
    # Reps move a few deals by judgement: some late-stage deals are held back.
    for i in np.flatnonzero(rng.random(n_deals) < 0.06):
        if stage[i] != "won":
            category[i] = "omitted"
    return pd.DataFrame({
        "deal_id": [f"D{i + 1:04d}" for i in range(n_deals)],
        "account": account_names(n_deals, rng),
        "stage": stage,
        "amount": _amounts(n_deals, rng).astype(int),
        "expected_close": close.dt.strftime("%Y-%m-%d"),
        "owner": rng.choice(OWNERS, size=n_deals),
        "category": category,
        "created": created.dt.strftime("%Y-%m-%d"),
    })
