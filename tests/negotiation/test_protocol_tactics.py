"""Alternating offers with a deadline, the scripted counterparts and the tournament."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from salestrain.core.negotiation import (
    BUYER,
    SELLER,
    ACConst,
    ACTime,
    HardAnchor,
    ProtocolError,
    Session,
    SideView,
    Tactic,
    TimeDependent,
    TitForTat,
    boulware,
    conceder,
    linear,
    negotiate,
    standard_tactics,
    tournament,
)
from tests.negotiation.strategies import domains

tactic_names = st.sampled_from(sorted(standard_tactics()))


@given(domains(), tactic_names, tactic_names, st.integers(1, 30), st.sampled_from([SELLER, BUYER]))
@settings(max_examples=80, deadline=None)
def test_protocol_rules_hold_for_every_pairing(d, a, b, rounds, first):
    tactics = standard_tactics()
    res = negotiate(d, tactics[a](), tactics[b](), rounds, first)
    # Sides alternate, the opener first, at most two moves a round, never past the deadline.
    sides = [m.side for m in res.offers]
    assert sides == [(first + i) % 2 for i in range(len(sides))]
    assert [m.round for m in res.offers] == [i // 2 for i in range(len(sides))]
    assert len(res.offers) <= 2 * rounds
    assert res.ended in ("agreement", "deadline", "walk-away")
    if res.agreement is not None:
        # The accepted deal is the other side's last offer and beats both BATNAs.
        assert res.agreement == res.offers[-1].outcome
        assert res.ended_by == 1 - res.offers[-1].side
        assert all(d.utility(s, res.agreement) >= d.reservations[s] - 1e-12 for s in (0, 1))
    elif res.ended == "deadline":
        assert len(res.offers) == 2 * rounds
    else:  # only a side that no deal can satisfy walks away
        assert SideView(d, res.ended_by).hopeless
    # Same inputs, same negotiation.
    again = negotiate(d, tactics[a](), tactics[b](), rounds, first)
    assert again.offers == res.offers and again.agreement == res.agreement


@given(domains(), st.floats(0.05, 10), st.integers(2, 40))
@settings(max_examples=60, deadline=None)
def test_time_dependent_asks_less_as_time_runs_out(d, e, rounds):
    t = TimeDependent(e)
    view = SideView(d, SELLER)
    assume(not view.hopeless)
    t.reset(view)
    times = [r / (rounds - 1) for r in range(rounds)]
    targets = [t.target(x) for x in times]
    assert targets[0] == pytest.approx(view.best_utility)
    assert targets[-1] == pytest.approx(t.pmin)
    assert all(x >= y - 1e-12 for x, y in zip(targets, targets[1:], strict=False))
    offered = [view.utility(t.propose(x)) for x in times]
    assert all(o >= g - 1e-9 for o, g in zip(offered, targets, strict=True))
    assert all(x >= y - 1e-12 for x, y in zip(offered, offered[1:], strict=False))


@given(st.floats(0.01, 0.99))
def test_boulware_holds_firm_and_conceder_gives_early(t):
    b, lin, c = boulware(), linear(), conceder()
    for tactic in (b, lin, c):
        tactic.pmax, tactic.pmin = 1.0, 0.2
    assert b.target(t) > lin.target(t) > c.target(t)


def test_tit_for_tat_mirrors_the_other_sides_concession():
    from salestrain.io.negotiation import load_scenario

    d = load_scenario("price-sensitive-buyer").domain
    tft = TitForTat()
    view = SideView(d, SELLER)
    tft.reset(view)
    assert view.utility(tft.propose(0.0)) == pytest.approx(view.best_utility)
    low, high = sorted(range(d.n_outcomes), key=view.utility)[10], view.best
    tft.observe(low)
    tft.observe(d.index_of({"price": 0, "payment": 0, "service": 0, "delivery": 2}))
    gained = view.utility(d.index_of({"price": 0, "payment": 0, "service": 0, "delivery": 2})) - view.utility(low)
    assert tft.level == pytest.approx(view.best_utility - gained)
    assert high == view.best


def test_acceptance_rules():
    from salestrain.io.negotiation import load_scenario

    d = load_scenario("price-sensitive-buyer").domain
    view = SideView(d, BUYER)
    cheap = d.index_of({"price": 3, "payment": 2, "service": 2, "delivery": 2})   # buyer's best
    dear = d.index_of({"price": 0, "payment": 0, "service": 0, "delivery": 0})     # buyer's worst
    assert ACConst(0.9)(view, 0.0, cheap, None) and not ACConst(0.9)(view, 0.0, dear, None)
    assert not ACTime(0.8)(view, 0.5, cheap, None) and ACTime(0.8)(view, 0.9, cheap, None)
    assert not ACTime(0.8)(view, 1.0, dear, None)  # never below the BATNA


def test_a_person_plays_against_a_bot_through_the_session():
    from salestrain.io.negotiation import load_scenario

    d = load_scenario("price-sensitive-buyer").domain
    s = Session(d, None, boulware(), rounds=5, first=SELLER)
    assert s.waiting_for == SELLER and s.round == 0
    with pytest.raises(ProtocolError, match="no offer"):
        s.accept()
    s.offer(d.index_of({"price": 0, "payment": 0, "service": 0, "delivery": 0}))
    assert [m.side for m in s.result.offers] == [SELLER, BUYER]  # the bot answered
    assert s.round == 1 and s.waiting_for == SELLER
    bots_offer = s.standing
    s.accept()
    assert s.result.agreement == bots_offer and s.result.ended_by == SELLER
    with pytest.raises(ProtocolError):
        s.offer(0)
    walk = Session(d, None, boulware(), rounds=5)
    walk.offer(0)
    walk.walk_away()
    assert walk.result.ended == "walk-away" and walk.result.agreement is None


def test_a_bot_opening_moves_before_the_person():
    from salestrain.io.negotiation import load_scenario

    d = load_scenario("price-sensitive-buyer").domain
    s = Session(d, None, HardAnchor(), rounds=3, first=BUYER)
    assert [m.side for m in s.result.offers] == [BUYER]
    assert s.standing == SideView(d, BUYER).best  # the anchor is the buyer's best deal


class Stubborn(Tactic):
    """A learner-style counterpart: always asks for its best deal."""

    name = "stubborn"

    def propose(self, t):
        return self.view.best


def test_tournament_plays_every_ordered_pair_and_reports_progress():
    from salestrain.io.negotiation import load_scenarios

    scenarios = load_scenarios()
    tactics = {**standard_tactics(), "stubborn": Stubborn}
    seen = []
    result = tournament(tactics, scenarios, rounds=30, progress=lambda d, t: seen.append((d, t)))
    n = len(tactics) ** 2 * len(scenarios)
    assert len(result.games) == n
    assert seen[-1] == (n, n) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    pairs = set(zip(result.games.seller, result.games.buyer, strict=True))
    assert len(pairs) == len(tactics) ** 2
    summary = result.summary()
    assert set(summary.index) == set(tactics)
    assert (summary.negotiations == 2 * len(tactics) * len(scenarios)).all()
    # Two stubborn sides never agree; deals that were made all beat both BATNAs.
    both = result.games[(result.games.seller == "stubborn") & (result.games.buyer == "stubborn")]
    assert not both.agreement.any()
    made = result.games[result.games.agreement]
    assert (made.adv_seller >= -1e-12).all() and (made.adv_buyer >= -1e-12).all()
    # Over the course scenarios, holding firm pays against this field: Boulware beats conceder.
    assert summary.loc["boulware", "mean_utility"] > summary.loc["conceder", "mean_utility"]
    assert summary.loc["boulware", "mean_discount"] < summary.loc["conceder", "mean_discount"]


@given(domains(), tactic_names, tactic_names, st.integers(2, 20), st.sampled_from([SELLER, BUYER]))
@settings(max_examples=40, deadline=None)
def test_a_person_moving_like_a_bot_gets_the_bots_negotiation(d, a, b, rounds, first):
    """The person's path through Session follows the same protocol as two bots."""
    tactics = standard_tactics()
    expected = negotiate(d, tactics[a](), tactics[b](), rounds, first)
    shadow = tactics[a]()  # the person (seller) decides as this bot would
    s = Session(d, None, tactics[b](), rounds, first)
    shadow.reset(SideView(d, SELLER))
    while s.waiting_for is not None:
        offer = s.standing
        if offer is not None:
            shadow.observe(offer)
        nxt = shadow.propose(s.t)
        if offer is not None and shadow.accept(s.t, offer, nxt):
            s.accept()
        elif nxt is None:
            s.walk_away()
        else:
            s.offer(nxt)
    assert s.result.offers == expected.offers
    assert (s.result.agreement, s.result.ended, s.result.end_round) == (
        expected.agreement, expected.ended, expected.end_round)
