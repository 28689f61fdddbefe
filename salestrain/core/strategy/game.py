"""A class game on the territory market: human teams and competitor bots, 4-8 quarters.

The game a trainer runs: one or more teams of learners (solo mode is one team) share a
market with bots that play the four competitive positions (Kotler: leader, challenger,
follower, nicher; :mod:`salestrain.core.strategy.bots`). Every quarter each human team
commits a :class:`~salestrain.core.strategy.market.Decision` before it sees the result;
the quarter plays when all are in, or when the trainer calls :meth:`Game.play_quarter`
(a team that has not decided keeps last quarter's plan). Afterwards the game gives the
leaderboard and each team's :class:`Debrief`: share by quarter, what drove share, the
contribution of each segment and a SWOT built from the team's own results.

Everything a setup or a decision can get wrong is checked in :func:`check_setup` and
:meth:`Game.check`, and reported as a :class:`GameError` naming the field, the value and
the fix (texts from the ``strategy`` catalog).

Example::

    game = Game(GameSetup.solo(sample_territory()))
    game.submit("you", game.default_decision("you"))   # all teams in: the quarter plays
    game.leaderboard()[0].team
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from salestrain.base.formats import format_money, format_number
from salestrain.base.i18n import t
from salestrain.core.strategy import analysis, bots
from salestrain.core.strategy.market import (
    HOUR_COST,
    STANCES,
    UNIT_COST,
    Decision,
    GameError,
    Market,
    QuarterResult,
    Stance,
    Territory,
)

MIN_QUARTERS, MAX_QUARTERS = 4, 8
MAX_TEAMS = 12  # humans and bots together: a projector legend stays readable
BOT_PREFIX = "bot:"  # a bot's team id is BOT_PREFIX + its stance
SOLO_TEAM = "you"  # the one team of solo mode (shown as "your team")
DRIVERS = ("effort", "price", "service", "loyalty")


def bot_id(stance: Stance) -> str:
    return f"{BOT_PREFIX}{stance}"


def bot_stance(team: str) -> Stance | None:
    """The stance of a bot's team id, or None for a human team."""
    if team.startswith(BOT_PREFIX) and team[len(BOT_PREFIX):] in STANCES:
        return team[len(BOT_PREFIX):]  # type: ignore[return-value]
    return None


def team_label(team: str) -> str:
    """A team as people read it: a bot by its company and position, the solo team as
    "your team", a class team by the name the trainer gave it."""
    stance = bot_stance(team)
    if stance is not None:
        return t(f"strategy.bot.{stance}")
    if team == SOLO_TEAM:
        return t("strategy.team.you")
    return team


@dataclass(frozen=True)
class GameSetup:
    """What a trainer decides before the first quarter.

    ``hours`` and ``budget`` are each team's capacity per quarter (rep hours, marketing
    budget in yuan), the same for every team, bots included: the game is about where the
    effort goes, not who has more of it.
    """

    territory: Territory
    teams: tuple[str, ...]
    bots: tuple[Stance, ...] = STANCES
    quarters: int = 6
    seed: int = 0
    hours: float = 1200.0
    budget: float = 60_000.0

    def __post_init__(self) -> None:
        if isinstance(self.teams, str):  # tuple("North") would be five teams of one letter
            raise GameError(t("strategy.error.teams_not_list", value=self.teams))
        object.__setattr__(self, "teams", tuple(self.teams))
        object.__setattr__(self, "bots", tuple(self.bots))
        check_setup(self)

    @classmethod
    def solo(cls, territory: Territory, **kwargs: object) -> GameSetup:
        """One learner's team against the four bots."""
        return cls(territory, (SOLO_TEAM,), **kwargs)  # type: ignore[arg-type]

    @property
    def all_teams(self) -> tuple[str, ...]:
        """Market order: the human teams, then the bots."""
        return (*self.teams, *(bot_id(s) for s in self.bots))

    @property
    def segment_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.territory.segments)


def check_setup(setup: GameSetup) -> None:
    """Every rule a setup must keep, in one place; the first broken one is raised."""
    if isinstance(setup.quarters, bool) or not isinstance(setup.quarters, int) \
            or not MIN_QUARTERS <= setup.quarters <= MAX_QUARTERS:
        raise GameError(t("strategy.error.quarters", value=setup.quarters,
                          low=MIN_QUARTERS, high=MAX_QUARTERS))
    if isinstance(setup.seed, bool) or not isinstance(setup.seed, int) or setup.seed < 0:
        # numpy would refuse it only at the first quarter, in front of the room
        raise GameError(t("strategy.error.seed", value=setup.seed))
    if not setup.teams:
        raise GameError(t("strategy.error.no_team"))
    seen: set[str] = set()
    for name in setup.teams:
        if not isinstance(name, str) or not name.strip() or name.startswith(BOT_PREFIX) or len(name) > 30:
            raise GameError(t("strategy.error.team_name", value=name, prefix=BOT_PREFIX))
        if name in seen:
            raise GameError(t("strategy.error.team_twice", value=name))
        seen.add(name)
    for stance in setup.bots:
        if stance not in STANCES:
            raise GameError(t("strategy.error.bot_stance", value=stance, stances=", ".join(STANCES)))
    if len(set(setup.bots)) != len(setup.bots):
        raise GameError(t("strategy.error.bot_twice", value=", ".join(setup.bots)))
    total = len(setup.teams) + len(setup.bots)
    if total < 2 or total > MAX_TEAMS:
        raise GameError(t("strategy.error.team_count", count=total, high=MAX_TEAMS))
    for name, value in (("hours", setup.hours), ("budget", setup.budget)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
                or value <= 0:
            raise GameError(t(f"strategy.error.capacity_{name}", value=value))


@dataclass(frozen=True)
class Standing:
    """One row of the leaderboard (ranked by margin over all quarters played)."""

    rank: int
    team: str
    margin: float  # cumulative
    revenue: float  # cumulative
    share: float  # market share in the last quarter
    satisfaction: float  # 1-5, last quarter

    @property
    def is_bot(self) -> bool:
        return bot_stance(self.team) is not None


@dataclass(frozen=True)
class SegmentContribution:
    """What one segment brought a team over the game: revenue, and margin after the hours
    and budget the team put there."""

    segment: str
    revenue: float
    margin: float
    share: float  # the team's share of the segment's revenue in the last quarter

    @property
    def margin_rate(self) -> float:
        return self.margin / self.revenue if self.revenue > 0 else 0.0


@dataclass(frozen=True)
class Debrief:
    """One team's debrief, built from its own results."""

    team: str
    rank: int
    margin: float
    revenue: float
    share_by_quarter: tuple[float, ...]
    # What drove share: each driver's log-attraction edge over the average competitor
    # (analysis.share_drivers), averaged over the quarters played. exp(x) - 1 reads as
    # "x % more attraction than the average rival".
    drivers: Mapping[str, float]
    segments: tuple[SegmentContribution, ...]
    swot: analysis.Swot
    stances: tuple[Stance, ...]  # the stance the team declared each quarter


@dataclass
class Game:
    """A game in progress: the setup, the market, and the decisions waiting for the quarter."""

    setup: GameSetup
    market: Market = field(init=False)
    pending: dict[str, Decision] = field(init=False, default_factory=dict)
    defaulted: list[tuple[str, ...]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.market = Market(self.setup.territory, self.setup.all_teams, seed=self.setup.seed)

    # -- where the game stands ---------------------------------------------------------
    @property
    def history(self) -> list[QuarterResult]:
        return self.market.history

    @property
    def played(self) -> int:
        return len(self.market.history)

    @property
    def finished(self) -> bool:
        return self.played >= self.setup.quarters

    def waiting_for(self) -> tuple[str, ...]:
        """The human teams whose plan for the next quarter is not in yet."""
        if self.finished:
            return ()
        return tuple(team for team in self.setup.teams if team not in self.pending)

    # -- decisions ----------------------------------------------------------------------
    def default_decision(self, team: str) -> Decision:
        """Last quarter's plan; before the first quarter, hours and budget spread by each
        segment's potential at list price, middle service, as a follower."""
        self._known(team)
        k = self.setup.all_teams.index(team)
        if self.market.decisions:
            return self.market.decisions[-1][k]
        return even_plan(self.setup)

    def check(self, team: str, decision: Decision) -> None:
        """Can ``team`` play ``decision`` next quarter? Raises GameError saying why not."""
        self._known(team)
        if bot_stance(team) is not None:
            raise GameError(t("strategy.error.bot_team", value=team_label(team)))
        if self.finished:
            raise GameError(t("strategy.error.over", quarters=self.setup.quarters))
        names = self.setup.segment_names
        for plan in (decision.hours, decision.budget):
            for segment in plan:
                if segment not in names:
                    raise GameError(t("strategy.error.segment", value=segment, names=", ".join(names)))
        hours, budget = sum(decision.hours.values()), sum(decision.budget.values())
        # A rounding hair over the capacity (sliders, shares) is not an overspend.
        if hours > self.setup.hours * (1 + 1e-9):
            raise GameError(t("strategy.error.hours_over", team=team_label(team), value=format_number(hours),
                              capacity=format_number(self.setup.hours)))
        if budget > self.setup.budget * (1 + 1e-9):
            raise GameError(t("strategy.error.budget_over", team=team_label(team), value=format_money(budget),
                              capacity=format_money(self.setup.budget)))

    def submit(self, team: str, decision: Decision) -> QuarterResult | None:
        """Record ``team``'s plan for the next quarter (a later one replaces it); when every
        human team is in, the quarter plays and its result is returned."""
        self.check(team, decision)
        self.pending[team] = decision
        return self.play_quarter() if not self.waiting_for() else None

    def play_quarter(self) -> QuarterResult:
        """Play the next quarter now: bots decide; a team that has not decided keeps its
        last plan (the trainer's call when a team runs late)."""
        if self.finished:
            raise GameError(t("strategy.error.over", quarters=self.setup.quarters))
        setup, market = self.setup, self.market
        missing = self.waiting_for()
        plans = []
        for k, team in enumerate(setup.all_teams):
            stance = bot_stance(team)
            if stance is not None:
                plans.append(bots.bot_decision(stance, setup.territory, setup.hours, setup.budget,
                                               market.history, market.decisions, me=k))
            else:
                plans.append(self.pending.get(team) or self.default_decision(team))
        result = market.play(plans)
        self.defaulted.append(missing)
        self.pending = {}
        return result

    # -- results ------------------------------------------------------------------------
    def share_by_quarter(self) -> np.ndarray:
        """(teams, quarters played) market share, in market order; each column sums to 1."""
        if not self.history:
            return np.zeros((len(self.setup.all_teams), 0))
        return np.column_stack([r.market_share for r in self.history])

    def leaderboard(self) -> tuple[Standing, ...]:
        if not self.history:
            return ()
        margin = np.sum([r.margin for r in self.history], axis=0)
        revenue = np.sum([r.team_revenue for r in self.history], axis=0)
        last = self.history[-1]
        order = sorted(range(len(self.setup.all_teams)),
                       key=lambda j: (-margin[j], self.setup.all_teams[j]))
        return tuple(Standing(rank + 1, self.setup.all_teams[j], float(margin[j]), float(revenue[j]),
                              float(last.market_share[j]), float(last.satisfaction[j]))
                     for rank, j in enumerate(order))

    def contribution(self, team: str) -> tuple[SegmentContribution, ...]:
        """Revenue and margin by segment over the quarters played; the segment margins add
        up to the team's margin (each segment carries the hours and budget put there)."""
        self._known(team)
        territory, j = self.setup.territory, self.setup.all_teams.index(team)
        seg = territory.account_segment
        out = []
        last_share = self.history[-1].segment_share(territory)[j] if self.history else None
        for s, segment in enumerate(territory.segments):
            cols = seg == s
            revenue = margin = 0.0
            for result, plans in zip(self.history, self.market.decisions, strict=True):
                d = plans[j]
                r = float(result.revenue[j, cols].sum())
                revenue += r
                margin += (r * (1.0 - UNIT_COST / d.price) - d.hours.get(segment.name, 0.0) * HOUR_COST
                           - d.budget.get(segment.name, 0.0))
            out.append(SegmentContribution(segment.name, revenue, margin,
                                           float(last_share[s]) if last_share is not None else 0.0))
        return tuple(out)

    def debrief(self, team: str) -> Debrief:
        """The team's debrief after the quarters played so far (at least one)."""
        self._known(team)
        if not self.history:
            raise GameError(t("strategy.error.no_quarter"))
        j = self.setup.all_teams.index(team)
        per_quarter = [analysis.share_drivers(self.history[: q + 1], j) for q in range(self.played)]
        drivers = {name: float(np.mean([d[name] for d in per_quarter])) for name in DRIVERS}
        standing = next(s for s in self.leaderboard() if s.team == team)
        return Debrief(team, standing.rank, standing.margin, standing.revenue,
                       tuple(float(x) for x in self.share_by_quarter()[j]), drivers,
                       self.contribution(team), analysis.swot(self.setup.territory, self.history, j),
                       tuple(plans[j].stance for plans in self.market.decisions))

    def _known(self, team: str) -> None:
        if team not in self.setup.all_teams:
            raise GameError(t("strategy.error.unknown_team", value=team,
                              teams=", ".join(self.setup.teams)))


def even_plan(setup: GameSetup, price: float = 1.0, service: float = 3.0,
              stance: Stance = "follower") -> Decision:
    """All hours and budget spread by segment potential: the plan of a team with no view."""
    weights = bots.segment_potential(setup.territory)
    weights = weights / weights.sum()
    names = setup.segment_names
    return Decision(hours={n: float(setup.hours * w) for n, w in zip(names, weights, strict=True)},
                    budget={n: float(setup.budget * w) for n, w in zip(names, weights, strict=True)},
                    price=price, service=service, stance=stance)
