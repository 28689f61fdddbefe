"""The territory market: shares sum to 1, effort helps with diminishing returns, seeds repeat."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.core.strategy import analysis, bots
from salestrain.core.strategy.market import (
    STANCES,
    Decision,
    Market,
    Segment,
    Territory,
    effort,
    quarter,
    sample_territory,
)

TERRITORY = sample_territory(200, seed=1)
NAMES = [s.name for s in TERRITORY.segments]


def even(hours: float, budget: float = 40_000.0, **kw) -> Decision:
    return Decision(hours={n: hours / len(NAMES) for n in NAMES},
                    budget={n: budget / len(NAMES) for n in NAMES}, **kw)


def play(decisions, seed=0, share_last=None, territory=TERRITORY):
    teams = tuple(f"t{k}" for k in range(len(decisions)))
    return quarter(territory, teams, decisions, share_last, np.random.default_rng(seed))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 2000), st.floats(0, 100_000), st.floats(0.8, 1.2), st.floats(1, 5)),
                min_size=2, max_size=8), st.integers(0, 10_000))
def test_shares_of_every_account_sum_to_one(plans, seed):
    decisions = [even(h, b, price=p, service=q) for h, b, p, q in plans]
    result = play(decisions, seed)
    assert np.allclose(result.share.sum(axis=0), 1.0)
    assert (result.share >= 0).all() and np.isfinite(result.revenue).all()


@settings(max_examples=30, deadline=None)
@given(st.floats(50, 1500), st.floats(10, 500), st.integers(0, 1000))
def test_more_effort_wins_more_but_each_hour_less_than_the_last(base, step, seed):
    rival = even(600)
    results = [play([even(base + k * step), rival], seed) for k in range(3)]
    revenue = [r.team_revenue[0] for r in results]
    assert revenue[0] < revenue[1] < revenue[2]
    # Attraction is effort ** ALPHA (ALPHA < 1) and share is A / (A + rivals): both concave,
    # so in every account each extra hour buys less share than the one before; the same
    # holds for what the market as a whole buys.
    share = np.array([r.share[0] for r in results])
    assert (share[1] > share[0]).all() and (share[2] - share[1] < share[1] - share[0] + 1e-12).all()
    demand = np.array([r.demand for r in results])
    assert (demand[2] - demand[1] <= demand[1] - demand[0] + 1e-9).all()


def test_the_same_seed_gives_the_same_market_and_another_seed_another():
    decisions = [even(500), even(800, price=0.95), even(300, service=5)]
    a, b, c = play(decisions, 7), play(decisions, 7), play(decisions, 8)
    assert np.array_equal(a.share, b.share) and np.array_equal(a.margin, b.margin)
    assert not np.array_equal(a.share, c.share)


def test_a_price_cut_buys_share_where_buyers_are_price_sensitive():
    territory = Territory((Segment("logistics", 3.0, 0.2), Segment("healthcare", 0.2, 1.5)),
                          np.array([0] * 50 + [1] * 50), np.full(100, 50_000.0))
    def plan(price):
        return Decision(hours={"logistics": 300, "healthcare": 300},
                        budget={"logistics": 10_000, "healthcare": 10_000}, price=price)
    result = play([plan(0.9), plan(1.0)], 3, territory=territory)
    logistics, healthcare = result.share[0, :50].mean(), result.share[0, 50:].mean()
    assert logistics > 0.55  # the 10 % cut wins price-sensitive logistics buyers
    assert logistics - 0.5 > 5 * abs(healthcare - 0.5)  # and barely moves healthcare


def test_decisions_are_checked():
    with pytest.raises(ValueError, match="price index"):
        Decision(hours={}, budget={}, price=3)
    with pytest.raises(ValueError, match="stance"):
        Decision(hours={}, budget={}, stance="king")


@pytest.mark.parametrize("stance", STANCES)
def test_every_bot_plans_within_its_capacity(stance):
    d = bots.bot_decision(stance, TERRITORY, hours=1200, budget=60_000)
    assert sum(d.hours.values()) == pytest.approx(1200)
    assert sum(d.budget.values()) <= 60_000 + 1e-6 and d.stance == stance


def test_a_nicher_concentrates_and_a_leader_spreads():
    leader = bots.bot_decision("leader", TERRITORY, 1000, 50_000)
    nicher = bots.bot_decision("nicher", TERRITORY, 1000, 50_000)
    assert max(nicher.hours.values()) / 1000 == pytest.approx(0.85)
    assert max(leader.hours.values()) / 1000 < 0.6


def test_a_class_game_of_four_teams_over_six_quarters_with_leaderboard_and_debrief():
    teams = ("north", "south", "east", "west")
    market = Market(TERRITORY, teams, seed=11)
    stances = dict(zip(teams, STANCES, strict=True))
    for _ in range(6):
        plans = {t: bots.bot_decision(stances[t], TERRITORY, 1200, 60_000, market.history,
                                      market.decisions, me=k) for k, t in enumerate(teams)}
        market.play(plans)
    assert len(market.history) == 6
    board = market.leaderboard()
    assert [row[0] for row in board] and sorted(r[0] for r in board) == sorted(teams)
    assert board == sorted(board, key=lambda r: -r[1])
    assert sum(r[2] for r in board) == pytest.approx(1.0)
    # The same game replayed gives the same leaderboard.
    again = Market(TERRITORY, teams, seed=11)
    for plans in market.decisions:
        again.play(plans)
    assert again.leaderboard() == board
    # Debrief: drivers explain the winner's edge; the SWOT is built from its own results.
    winner = teams.index(board[0][0])
    drivers = analysis.share_drivers(market.history, winner)
    assert set(drivers) == {"effort", "price", "service", "loyalty"}
    swot = analysis.swot(TERRITORY, market.history, winner)
    assert swot.strengths or swot.weaknesses


def test_contribution_mixes_follow_margin_cost_and_potential():
    customers = pd.DataFrame({
        "revenue": [900, 800, 700, 600, 50],
        "margin": [0.45, 0.50, 0.15, 0.10, 0.40],
        "cost_to_serve": [0.20, 0.05, 0.25, 0.04, 0.10],
        "potential": [1000, 900, 800, 700, 1000],
    }, index=["Hengyuan", "Jinhai", "Dafu", "Xinda", "Lanting"])
    mix = analysis.contribution_mix(customers)
    assert mix.to_dict() == {"Hengyuan": "carriage_trade", "Jinhai": "passive", "Dafu": "aggressive",
                             "Xinda": "bargain_basement", "Lanting": "developing"}
    assert set(analysis.TREATMENT) == set(analysis.MIXES)


def test_every_label_and_treatment_is_in_both_catalogs():
    from salestrain.base.i18n import catalog

    en, zh = catalog("en"), catalog("zh_CN")
    keys = [f"strategy.segment.{n}" for n in NAMES] + [f"strategy.stance.{s}" for s in STANCES]
    keys += [f"strategy.mix.{m}" for m in analysis.MIXES]
    keys += [f"strategy.treatment.{v}" for v in analysis.TREATMENT.values()]
    assert all(k in en and k in zh for k in keys)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(10.0, 3000.0), st.integers(0, 50))
def test_key_account_focus_moves_effort_to_the_largest_accounts_and_keeps_its_total(focus, hours, seed):
    territory = sample_territory(80, seed=seed)
    key = territory.key_accounts()
    spread, focused = effort(territory, [even(hours)]), effort(territory, [even(hours, key_focus=focus)])
    # the same effort per segment, whatever the focus
    for s in range(len(territory.segments)):
        members = territory.account_segment == s
        assert focused[0, members].sum() == pytest.approx(spread[0, members].sum())
    # focus takes effort from the other accounts to the key ones, never the other way
    assert np.all(focused[0, key] >= spread[0, key] - 1e-12)
    assert np.all(focused[0, ~key] <= spread[0, ~key] + 1e-12)


def test_each_segments_key_accounts_are_its_largest_fifth():
    key = TERRITORY.key_accounts()
    for s in range(len(TERRITORY.segments)):
        members = np.flatnonzero(TERRITORY.account_segment == s)
        chosen = members[key[members]]
        assert len(chosen) == max(1, round(0.2 * len(members)))
        assert TERRITORY.potential[chosen].min() >= TERRITORY.potential[members[~key[members]]].max()


def test_a_focused_team_gains_share_at_the_key_accounts():
    rng = np.random.default_rng(3)
    key = TERRITORY.key_accounts()
    plain = quarter(TERRITORY, ("a", "b"), [even(800), even(800)], None, rng)
    rng = np.random.default_rng(3)
    focused = quarter(TERRITORY, ("a", "b"), [even(800, key_focus=0.6), even(800)], None, rng)
    assert focused.share[0, key].mean() > plain.share[0, key].mean()
    assert focused.share[0, ~key].mean() < plain.share[0, ~key].mean()


@pytest.mark.parametrize("focus", [-0.1, 1.5, float("nan")])
def test_a_key_account_focus_outside_0_to_1_is_named(focus):
    with pytest.raises(ValueError, match="key-account focus"):
        even(100, key_focus=focus)
