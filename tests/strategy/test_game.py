"""The class game: teams and bots over 4-8 quarters, leaderboard, debrief, named errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.base.errors import SalestrainError
from salestrain.core.strategy.game import (
    DRIVERS,
    SOLO_TEAM,
    Game,
    GameSetup,
    bot_id,
    bot_stance,
    even_plan,
)
from salestrain.core.strategy.market import STANCES, Decision, GameError, sample_territory

TERRITORY = sample_territory(200, seed=3)
NAMES = [s.name for s in TERRITORY.segments]
TEAMS = ("North", "South", "East", "West")


def plan(focus: str | None = None, share: float = 0.7, hours: float = 1200, budget: float = 60_000,
         **kw) -> Decision:
    """``share`` of hours and budget in ``focus``, the rest spread evenly (or all even)."""
    if focus is None:
        weights = {n: 1 / len(NAMES) for n in NAMES}
    else:
        weights = {n: share if n == focus else (1 - share) / (len(NAMES) - 1) for n in NAMES}
    return Decision(hours={n: hours * w for n, w in weights.items()},
                    budget={n: budget * w for n, w in weights.items()}, **kw)


# Four teams, four different ideas of the market.
STRATEGIES = {
    "North": lambda q: plan(None, price=1.0, service=4, stance="leader"),
    "South": lambda q: plan("healthcare", price=1.1, service=5, stance="nicher"),
    "East": lambda q: plan("logistics", price=0.9, service=3, stance="challenger"),
    "West": lambda q: plan("manufacturing", 0.5 + 0.05 * q, price=0.97, service=3, stance="follower"),
}


def class_game(seed: int = 5, strategies=STRATEGIES) -> Game:
    game = Game(GameSetup(TERRITORY, TEAMS, quarters=6, seed=seed))
    for q in range(6):
        for team in TEAMS:
            assert game.played == q  # the quarter waits for every team
            game.submit(team, strategies[team](q))
    return game


def test_a_class_game_of_four_teams_over_six_quarters_end_to_end():
    game = class_game()
    assert game.finished and game.played == 6 and game.waiting_for() == ()
    teams = game.setup.all_teams
    assert teams[:4] == TEAMS and [bot_stance(t) for t in teams[4:]] == list(STANCES)
    # Shares: every account's and the market's sum to 1, every quarter.
    for result in game.history:
        assert np.allclose(result.share.sum(axis=0), 1.0)
    shares = game.share_by_quarter()
    assert shares.shape == (8, 6) and np.allclose(shares.sum(axis=0), 1.0)
    # The leaderboard: every team once, ranked by margin, the last quarter's shares.
    board = game.leaderboard()
    assert sorted(s.team for s in board) == sorted(teams)
    assert [s.rank for s in board] == list(range(1, 9))
    assert [s.margin for s in board] == sorted((s.margin for s in board), reverse=True)
    assert sum(s.share for s in board) == pytest.approx(1.0)
    assert all(1.0 <= s.satisfaction <= 5.0 for s in board)
    # A debrief for every team, bots included, built from its own results.
    for k, team in enumerate(teams):
        d = game.debrief(team)
        assert d.share_by_quarter == pytest.approx(tuple(shares[k]))
        assert set(d.drivers) == set(DRIVERS)
        assert d.rank == next(s.rank for s in board if s.team == team)
        assert [c.segment for c in d.segments] == NAMES
        assert sum(c.revenue for c in d.segments) == pytest.approx(d.revenue)
        # Each segment carries the hours and budget put there: the parts add up to the margin.
        assert sum(c.margin for c in d.segments) == pytest.approx(d.margin, rel=1e-9, abs=1e-6)
        assert len(d.stances) == 6
    # The SWOT reads the team's own segments: the healthcare nicher is strong there.
    south = game.debrief("South")
    assert ("strategy.swot.strong_segment", "healthcare") in {
        (key, values["segment"]) for key, values in south.swot.strengths}
    assert game.debrief("North").stances == ("leader",) * 6


def test_the_same_seed_replays_the_same_game_and_other_decisions_change_it():
    a, b = class_game(seed=5), class_game(seed=5)
    assert a.leaderboard() == b.leaderboard()
    assert np.array_equal(a.share_by_quarter(), b.share_by_quarter())
    other = dict(STRATEGIES, East=lambda q: plan("public_sector", price=1.2, service=1, stance="nicher"))
    c = class_game(seed=5, strategies=other)
    assert not np.array_equal(a.share_by_quarter(), c.share_by_quarter())
    east = a.setup.all_teams.index("East")
    assert c.share_by_quarter()[east, 0] != a.share_by_quarter()[east, 0]
    # Another seed, same decisions: another market.
    assert not np.array_equal(class_game(seed=6).share_by_quarter(), a.share_by_quarter())


def test_missing_decisions_keep_last_quarters_plan_when_the_trainer_plays_on():
    game = Game(GameSetup(TERRITORY, TEAMS, quarters=4, seed=1))
    game.submit("North", plan("healthcare"))
    assert game.waiting_for() == ("South", "East", "West") and game.played == 0
    game.play_quarter()  # the trainer does not wait: the others get the default plan
    assert game.played == 1 and game.defaulted == [("South", "East", "West")]
    south = game.setup.all_teams.index("South")
    assert game.market.decisions[0][south] == even_plan(game.setup)
    # Next quarter South is missing again: it keeps the plan it played.
    for team in ("North", "East", "West"):
        game.submit(team, plan("logistics"))
    assert game.played == 1  # South is still to decide
    game.play_quarter()
    assert game.market.decisions[1][south] == game.market.decisions[0][south]
    assert game.defaulted[-1] == ("South",)
    # A later plan replaces an earlier one in the same quarter.
    game.submit("North", plan("healthcare"))
    game.submit("North", plan("logistics"))
    game.play_quarter()
    assert game.market.decisions[2][0] == plan("logistics")


def test_solo_mode_is_one_team_against_the_four_bots_and_plays_on_submit():
    game = Game(GameSetup.solo(TERRITORY, quarters=4))
    assert game.setup.all_teams == (SOLO_TEAM, *(bot_id(s) for s in STANCES))
    result = game.submit(SOLO_TEAM, game.default_decision(SOLO_TEAM))
    assert result is not None and game.played == 1
    with pytest.raises(GameError, match="bot"):
        game.submit(bot_id("leader"), plan())
    for _ in range(3):
        game.submit(SOLO_TEAM, plan("healthcare"))
    with pytest.raises(GameError, match="over after 4 quarters"):
        game.submit(SOLO_TEAM, plan())
    with pytest.raises(GameError, match="over"):
        game.play_quarter()


@pytest.mark.parametrize("kwargs, words", [
    ({"quarters": 3}, "quarters: 3 is not between 4 and 8"),
    ({"quarters": 9}, "quarters: 9"),
    ({"quarters": 6.5}, "quarters: 6.5"),
    ({"teams": ()}, "teams: the game has no team"),
    ({"teams": ("North", "North")}, "'North' is named twice"),
    ({"teams": ("North", " ")}, "not a usable team name"),
    ({"teams": ("bot:leader",)}, "not a usable team name"),
    ({"teams": tuple(f"T{k}" for k in range(9))}, "13 teams and bots together"),
    ({"teams": ("North",), "bots": ()}, "1 teams and bots together"),
    ({"bots": ("leader", "king")}, "bots: 'king' is not a competitive position"),
    ({"bots": ("leader", "leader")}, "a position appears twice"),
    ({"hours": 0}, "hours: 0 is not"),
    ({"budget": float("nan")}, "budget: nan is not"),
    ({"seed": -3}, "seed -3 is not a whole number"),
    ({"seed": 1.5}, "seed 1.5 is not a whole number"),
    ({"teams": "North"}, "is one name, not a list of teams"),
])
def test_a_bad_setup_names_the_field_the_value_and_the_fix(kwargs, words):
    args = {"territory": TERRITORY, "teams": TEAMS, **kwargs}
    with pytest.raises(SalestrainError, match=words) as err:
        GameSetup(**args)
    assert ";" in str(err.value)  # ...and says what to do instead


def test_a_bad_decision_is_refused_with_its_field():
    game = Game(GameSetup(TERRITORY, TEAMS, hours=1000, budget=50_000))
    with pytest.raises(GameError, match="hours: North plans 1,200 rep hours but has 1,000"):
        game.submit("North", plan(hours=1200, budget=50_000))
    with pytest.raises(GameError, match="budget: North plans RMB 60,000 but has RMB 50,000"):
        game.submit("North", plan(hours=1000, budget=60_000))
    with pytest.raises(GameError, match="team: 'Mars' is not in this game; the teams are North"):
        game.submit("Mars", plan(hours=1000, budget=50_000))
    with pytest.raises(GameError, match="'retail' is not a segment .* manufacturing"):
        game.submit("North", Decision(hours={"retail": 10}, budget={}))
    with pytest.raises(GameError, match="hours for logistics: -5"):
        Decision(hours={"logistics": -5}, budget={})
    with pytest.raises(GameError, match="service level: 7"):
        Decision(hours={}, budget={}, service=7)
    with pytest.raises(GameError, match="no quarter has been played"):
        game.debrief("North")
    assert game.pending == {}  # nothing refused was kept


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(NAMES), st.floats(0.25, 1.0), st.floats(0.8, 1.2),
                          st.integers(1, 5)), min_size=2, max_size=2),
       st.integers(0, 1000))
def test_segment_contributions_add_up_to_the_team_and_shares_to_one(plans, seed):
    game = Game(GameSetup(TERRITORY, ("A", "B"), quarters=4, seed=seed))
    for _ in range(4):
        for team, (focus, share, price, service) in zip(("A", "B"), plans, strict=True):
            game.submit(team, plan(focus, share, price=price, service=service))
    board = {s.team: s for s in game.leaderboard()}
    assert sum(s.share for s in board.values()) == pytest.approx(1.0)
    for team in game.setup.all_teams:
        parts = game.contribution(team)
        assert sum(c.margin for c in parts) == pytest.approx(board[team].margin, rel=1e-9, abs=1e-6)
        assert sum(c.revenue for c in parts) == pytest.approx(board[team].revenue, rel=1e-9, abs=1e-6)
        assert all(0.0 <= c.share <= 1.0 for c in parts)


def test_more_effort_in_a_segment_raises_the_share_of_it_against_the_same_rivals():
    def healthcare_share(focus_share: float) -> float:
        game = Game(GameSetup(TERRITORY, ("A", "B"), quarters=4, seed=2))
        game.submit("A", plan("healthcare", focus_share))
        game.submit("B", plan(None))
        return next(c.share for c in game.contribution("A") if c.segment == "healthcare")

    low, mid, high = healthcare_share(0.3), healthcare_share(0.5), healthcare_share(0.7)
    assert low < mid < high
