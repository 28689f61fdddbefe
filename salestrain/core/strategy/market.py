"""A territory market over several quarters: teams place hours, budget, price and service.

The market-response model is an attraction (share-of-effort) model, the kind marketing
science has used since Kotler's and Bell-Keeney-Little's work, and the one classroom
simulations (Markstrat, Cesim) are built on. Every formula is here in plain numpy, and
the lesson prints the same formulas:

For team ``j`` and account ``a`` in segment ``s``:

- effort      ``E[j,s] = hours[j,s] * HOUR_WEIGHT + budget[j,s] * BUDGET_WEIGHT`` is spread over
              the segment's accounts: ``e[j,a] = (1 - f[j]) * E[j,s] / n_s + f[j] * E[j,s] / k_s``
              if ``a`` is one of the segment's ``k_s`` key accounts (its largest KEY_SHARE by
              potential), else ``(1 - f[j]) * E[j,s] / n_s``; ``f`` is the team's key-account
              focus (0: spread evenly), and the segment's total effort is the same either way;
- attraction  ``A[j,a] = (E0 + e[j,a]) ** ALPHA * exp(-price_sens[s] * (price[j] - 1))
              * (service[j] / 3) ** service_sens[s] * (1 + LOYALTY * share_last[j,a])
              * noise[j,a]``, with ``ALPHA < 1``: each extra hour helps less than the last;
- share       ``share[j,a] = A[j,a] / sum_k A[k,a]``: the teams' shares of an account sum to 1;
- demand      ``demand[a] = potential[a] * (1 - exp(-KAPPA * sum_k e[k,a]))``: more effort
              in the market grows what the account buys, with diminishing returns;
- revenue     ``revenue[j,a] = demand[a] * share[j,a] * price[j]`` (price 1.0 = list);
- margin      revenue times (1 - UNIT_COST / price), less the cost of hours and the budget;
- satisfaction rises with service and with effort per account, 1-5.

``noise`` is log-normal with a seeded generator (same seed, same market). A competitive
stance (leader, challenger, follower, nicher: Kotler's four positions) does not change the
formulas; it is how the competitor bots (:mod:`salestrain.core.strategy.bots`) and the
debrief read a team's choices.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from salestrain.base.errors import SalestrainError
from salestrain.base.i18n import Text, t

Stance = Literal["leader", "challenger", "follower", "nicher"]
STANCES: tuple[Stance, ...] = ("leader", "challenger", "follower", "nicher")

KEY_SHARE = 0.2  # a segment's key accounts: its largest fifth by potential (the 80/20 of the course)
ALPHA = 0.6  # effort elasticity of attraction: below 1, so returns diminish
E0 = 0.05  # a small presence every team has (brand, past customers)
HOUR_WEIGHT = 1.0 / 40.0  # one effort unit = a rep-week (40 h) on the account
BUDGET_WEIGHT = 1.0 / 20_000.0  # or 20,000 of marketing budget on it
LOYALTY = 0.8  # last quarter's share carries over: switching takes effort
KAPPA = 0.35  # how fast total effort turns potential into demand
UNIT_COST = 0.55  # cost of goods as a share of list price
HOUR_COST = 120.0  # fully loaded cost of a rep hour
NOISE_SIGMA = 0.15


class GameError(SalestrainError, ValueError):
    """A game's setup or a team's decision cannot be played as given (the message says the
    field, the bad value and the fix). A ValueError too, as plain range checks are."""


@dataclass(frozen=True)
class Segment:
    name: str  # a catalog key suffix: strategy.segment.<name>
    price_sensitivity: float  # how much a 10 % price rise costs attraction
    service_sensitivity: float
    growth: float = 0.0  # potential growth per quarter
    label: Text | None = None  # a territory file's own name for it (else the catalog's)

    def title(self) -> str:
        """The segment's name in the current language."""
        return t(self.label) if self.label else t(f"strategy.segment.{self.name}")


@dataclass(frozen=True)
class Territory:
    """The accounts of one region: each belongs to a segment and can buy up to its potential."""

    segments: tuple[Segment, ...]
    account_segment: np.ndarray  # (n_accounts,) segment index
    potential: np.ndarray  # (n_accounts,) revenue potential per quarter at list price

    @property
    def n_accounts(self) -> int:
        return len(self.potential)

    def accounts_in(self) -> np.ndarray:
        return np.bincount(self.account_segment, minlength=len(self.segments))

    def key_accounts(self) -> np.ndarray:
        """(n_accounts,) True for each segment's key accounts: its largest KEY_SHARE by
        potential, at least one per segment that has accounts (ties: the lower index)."""
        key = np.zeros(self.n_accounts, dtype=bool)
        for s in range(len(self.segments)):
            members = np.flatnonzero(self.account_segment == s)
            if len(members):
                k = max(1, int(round(KEY_SHARE * len(members))))
                order = members[np.argsort(-self.potential[members], kind="stable")]
                key[order[:k]] = True
        return key


@dataclass(frozen=True)
class Decision:
    """One team's plan for one quarter."""

    hours: Mapping[str, float]  # segment name -> rep hours
    budget: Mapping[str, float]  # segment name -> marketing budget
    price: float = 1.0  # index against list price
    service: float = 3.0  # 1-5
    stance: Stance = "follower"
    key_focus: float = 0.0  # share of each segment's hours and budget on its key accounts only

    def __post_init__(self) -> None:
        if not 0.0 <= self.key_focus <= 1.0:  # NaN fails too
            raise GameError(t("strategy.error.key_focus", value=self.key_focus))
        if not 0.5 <= self.price <= 1.5:
            raise GameError(t("strategy.error.price", value=self.price))
        if not 1.0 <= self.service <= 5.0:
            raise GameError(t("strategy.error.service", value=self.service))
        for field_name, plan in (("hours", self.hours), ("budget", self.budget)):
            for segment, value in plan.items():
                if not value >= 0:  # NaN fails too
                    raise GameError(t(f"strategy.error.negative_{field_name}", segment=segment, value=value))
        if self.stance not in STANCES:
            raise GameError(t("strategy.error.stance", value=self.stance, stances=", ".join(STANCES)))


@dataclass(frozen=True)
class QuarterResult:
    quarter: int
    teams: tuple[str, ...]
    share: np.ndarray  # (teams, accounts), columns sum to 1
    revenue: np.ndarray  # (teams, accounts)
    demand: np.ndarray  # (accounts,)
    margin: np.ndarray  # (teams,)
    satisfaction: np.ndarray  # (teams,) 1-5, revenue-weighted over the accounts
    # What drove attraction, per team (log-attraction components, revenue-weighted):
    drivers: Mapping[str, np.ndarray] = field(default_factory=dict)

    @property
    def team_revenue(self) -> np.ndarray:
        return self.revenue.sum(axis=1)

    @property
    def market_share(self) -> np.ndarray:
        total = self.revenue.sum()
        return self.team_revenue / total if total > 0 else np.zeros(len(self.teams))

    def segment_share(self, territory: Territory) -> np.ndarray:
        """(teams, segments) revenue share within each segment."""
        out = np.zeros((len(self.teams), len(territory.segments)))
        for s in range(len(territory.segments)):
            cols = territory.account_segment == s
            seg = self.revenue[:, cols].sum(axis=1)
            out[:, s] = seg / seg.sum() if seg.sum() > 0 else 0.0
        return out


def effort(territory: Territory, decisions: Sequence[Decision]) -> np.ndarray:
    """(teams, accounts) effort units: each segment's hours and budget spread over its
    accounts, a team's key-account focus of it over the segment's key accounts only."""
    per_segment = np.array([[d.hours.get(s.name, 0.0) * HOUR_WEIGHT + d.budget.get(s.name, 0.0) * BUDGET_WEIGHT
                             for s in territory.segments] for d in decisions])
    n = np.maximum(territory.accounts_in(), 1)
    key = territory.key_accounts()
    n_key = np.maximum(np.bincount(territory.account_segment, weights=key, minlength=len(territory.segments)), 1)
    focus = np.array([d.key_focus for d in decisions])[:, None]
    even = ((1.0 - focus) * per_segment / n)[:, territory.account_segment]
    focused = (focus * per_segment / n_key)[:, territory.account_segment]
    return even + focused * key[None, :]


def quarter(territory: Territory, teams: Sequence[str], decisions: Sequence[Decision],
            share_last: np.ndarray | None, rng: np.random.Generator, number: int = 1,
            potential: np.ndarray | None = None) -> QuarterResult:
    """One quarter of the market: the formulas of the module docstring, vectorised."""
    n_teams, n_accounts = len(decisions), territory.n_accounts
    potential = territory.potential if potential is None else potential
    seg = territory.account_segment
    price_sens = np.array([s.price_sensitivity for s in territory.segments])[seg]
    service_sens = np.array([s.service_sensitivity for s in territory.segments])[seg]
    price = np.array([d.price for d in decisions])[:, None]
    service = np.array([d.service for d in decisions])[:, None]
    e = effort(territory, decisions)
    last = np.full((n_teams, n_accounts), 1.0 / n_teams) if share_last is None else share_last
    noise = rng.lognormal(0.0, NOISE_SIGMA, size=(n_teams, n_accounts))
    log_effort = ALPHA * np.log(E0 + e)
    log_price = -price_sens * (price - 1.0)
    log_service = service_sens * np.log(service / 3.0)
    log_loyalty = np.log1p(LOYALTY * last)
    log_attraction = log_effort + log_price + log_service + log_loyalty + np.log(noise)
    # Subtract the column maximum before exp: shares are unchanged, overflow impossible.
    attraction = np.exp(log_attraction - log_attraction.max(axis=0, keepdims=True))
    share = attraction / attraction.sum(axis=0, keepdims=True)
    demand = potential * (1.0 - np.exp(-KAPPA * e.sum(axis=0)))
    revenue = demand[None, :] * share * price
    hours = np.array([sum(d.hours.values()) for d in decisions])
    budget = np.array([sum(d.budget.values()) for d in decisions])
    margin = (revenue * (1.0 - UNIT_COST / price)).sum(axis=1) - hours * HOUR_COST - budget
    weights = revenue / np.maximum(revenue.sum(axis=1, keepdims=True), 1e-12)
    per_account_sat = 1.0 + 4.0 * (1.0 - np.exp(-(service / 3.0) * (0.5 + 4.0 * e)))
    satisfaction = (per_account_sat * weights).sum(axis=1)
    drivers = {name: (component * weights).sum(axis=1) for name, component in
               (("effort", log_effort), ("price", np.broadcast_to(log_price, share.shape)),
                ("service", np.broadcast_to(log_service, share.shape)), ("loyalty", log_loyalty))}
    return QuarterResult(number, tuple(teams), share, revenue, demand, margin, satisfaction, drivers)


SAMPLE_SEGMENTS = (
    Segment("manufacturing", price_sensitivity=1.2, service_sensitivity=0.8, growth=0.01),
    Segment("logistics", price_sensitivity=2.5, service_sensitivity=0.4, growth=0.02),
    Segment("healthcare", price_sensitivity=0.6, service_sensitivity=1.4, growth=0.04),
    Segment("public_sector", price_sensitivity=1.0, service_sensitivity=1.0, growth=0.0),
)
SAMPLE_MIX = (0.35, 0.3, 0.2, 0.15)


def sample_territory(n_accounts: int = 200, seed: int = 0,
                     segments: Sequence[Segment] = SAMPLE_SEGMENTS,
                     mix: Sequence[float] = SAMPLE_MIX, median: float = 60_000.0,
                     spread: float = 0.9) -> Territory:
    """A fictional region: each account falls in a segment with the probabilities ``mix``;
    potentials are log-normal around ``median`` with log-spread ``spread`` (a few big
    accounts, many small ones), rounded to hundreds. A territory file
    (``salestrain/data/strategy/territory.yaml``) gives these parameters as data."""
    rng = np.random.default_rng(seed)
    p = np.asarray(mix, dtype=float)
    account_segment = rng.choice(len(segments), size=n_accounts, p=p / p.sum())
    potential = np.round(rng.lognormal(np.log(median), spread, size=n_accounts), -2)
    return Territory(tuple(segments), account_segment.astype(np.int64), potential)


@dataclass
class Market:
    """A market game: the territory, the teams, and every quarter played so far.

    ``play(decisions)`` plays the next quarter; the same seed and the same decisions give
    the same market, quarter after quarter (each quarter draws from its own child seed).
    """

    territory: Territory
    teams: tuple[str, ...]
    seed: int = 0
    history: list[QuarterResult] = field(default_factory=list)
    decisions: list[tuple[Decision, ...]] = field(default_factory=list)

    def potential(self, number: int) -> np.ndarray:
        growth = np.array([s.growth for s in self.territory.segments])[self.territory.account_segment]
        return self.territory.potential * (1.0 + growth) ** (number - 1)

    def play(self, decisions: Mapping[str, Decision] | Sequence[Decision]) -> QuarterResult:
        ordered = tuple(decisions[t] for t in self.teams) if isinstance(decisions, Mapping) else tuple(decisions)
        if len(ordered) != len(self.teams):
            raise ValueError(f"{len(ordered)} decisions for {len(self.teams)} teams")
        number = len(self.history) + 1
        rng = np.random.default_rng([self.seed, number])
        last = self.history[-1].share if self.history else None
        result = quarter(self.territory, self.teams, ordered, last, rng, number, self.potential(number))
        self.history.append(result)
        self.decisions.append(ordered)
        return result

    def leaderboard(self) -> list[tuple[str, float, float, float]]:
        """(team, cumulative margin, last market share, last satisfaction), best margin first."""
        if not self.history:
            return []
        margin = sum(r.margin for r in self.history)
        last = self.history[-1]
        rows = [(team, float(margin[j]), float(last.market_share[j]), float(last.satisfaction[j]))
                for j, team in enumerate(self.teams)]
        return sorted(rows, key=lambda r: (-r[1], r[0]))
