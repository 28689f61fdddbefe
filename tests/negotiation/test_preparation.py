"""The preparation worksheet against a played deal, opening offers and concession curves
(salestrain/core/negotiation/preparation.py and opening.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.base.i18n import t
from salestrain.core.negotiation import (
    BUYER,
    SELLER,
    NegotiationResult,
    TimeDependent,
    TitForTat,
    analyse,
    boulware,
    linear,
    negotiate,
)
from salestrain.core.negotiation.opening import OpenWith, ground_given, play_opening
from salestrain.core.negotiation.preparation import (
    GETS,
    GiveGet,
    Preparation,
    PreparationError,
    check_preparation,
    review,
)
from salestrain.core.negotiation.protocol import Move
from salestrain.io.negotiation import load_scenario

DOMAIN = load_scenario("price-sensitive-buyer", lang="en").domain
OTHER = [i for i in DOMAIN.issues if not i.is_price]
PRICES = dict(batna_price=1_104_000, reservation_price=1_104_000, target_price=1_170_000,
              opening_price=1_200_000)


def plan(gives=None, gets=None, **prices) -> Preparation:
    gives, gets = gives or {}, gets or {}
    return Preparation(**{**PRICES, **prices}, give_get=tuple(
        GiveGet(i.name, gives.get(i.name, 0), gets.get(i.name, "list_price")) for i in OTHER))


def agreed(deal: int, rounds: int = 10, at_round: int = 3) -> NegotiationResult:
    """A negotiation the seller opened with ``deal`` and the buyer accepted in ``at_round``."""
    return NegotiationResult(rounds=rounds, first=SELLER, offers=[Move(0, SELLER, deal)], agreement=deal,
                             ended="agreement", ended_by=BUYER, end_round=at_round)


deals = st.integers(0, DOMAIN.n_outcomes - 1)
plans = st.fixed_dictionaries({i.name: st.integers(0, len(i.options) - 1) for i in OTHER})
gets = st.fixed_dictionaries({i.name: st.sampled_from(GETS) for i in OTHER})


@settings(max_examples=200, deadline=None)
@given(deals, plans, gets, st.integers(0, 9))
def test_the_review_agrees_with_the_engines_debrief(deal, gives, asked, at_round):
    result = agreed(deal, at_round=at_round)
    r, o = review(plan(gives, asked), DOMAIN, result), analyse(DOMAIN, result)
    assert r.agreement and r.price == DOMAIN.price_of(deal)
    assert r.below_batna == (o.advantage[SELLER] < -1e-12)  # the same flag as the play app's debrief
    assert r.value == pytest.approx(o.utilities[SELLER])
    assert [g.gave for g in r.gives] and any(g.gave for g in r.gives) == o.traded
    for g in r.gives:
        if g.get == "list_price" and g.gave:
            assert g.get_met == (o.discount == 0)
        if not g.gave:
            assert g.get_met is None  # nothing given, nothing to be paid for


@settings(max_examples=200, deadline=None)
@given(deals)
def test_a_plan_that_gives_nothing_flags_every_give_and_one_that_gives_all_flags_none(deal):
    nothing = review(plan(), DOMAIN, agreed(deal))
    assert set(nothing.unplanned) == {g.issue for g in nothing.gives if g.gave}
    worst = {i.name: min(range(len(i.options)), key=DOMAIN.seller.scores[i.name].__getitem__) for i in OTHER}
    assert review(plan(worst), DOMAIN, agreed(deal)).unplanned == ()


@settings(max_examples=100, deadline=None)
@given(deals, st.integers(1_104_000, 1_300_000), st.integers(0, 100_000), st.integers(0, 100_000))
def test_the_price_verdicts_follow_the_plans_order(deal, reservation, up, more):
    prep = plan(reservation_price=reservation, target_price=reservation + up, opening_price=reservation + up + more)
    r = review(prep, DOMAIN, agreed(deal))
    assert not (r.reached_target and r.below_reservation)
    assert r.reached_target == (r.price >= prep.target_price)
    assert r.opened_as_planned == (DOMAIN.price_of(deal) >= prep.opening_price)


def test_held_trade_against_a_plan_that_kept_delivery_back():
    """The lesson's own game: the trade held to round 7 at list price."""
    trade = DOMAIN.index_of({"price": 0, "payment": 2, "service": 2, "delivery": 2})
    r = review(plan({"payment": 2, "service": 2, "delivery": 1}, {"delivery": "fast"}), DOMAIN,
               agreed(trade, at_round=6))
    assert (r.price, r.rounds_used, r.reached_target, r.below_batna) == (1_200_000, 7, True, False)
    assert r.unplanned == ("delivery",) and r.unpaid == ("delivery",)  # 6 weeks given, and not by round 5


def test_no_deal_keeps_the_batna():
    result = negotiate(DOMAIN, OpenWith(DOMAIN.index_of([3, 0, 0, 0])), TitForTat(), rounds=10)
    r = review(plan(), DOMAIN, result)
    assert not r.agreement and r.price is None and r.value == DOMAIN.reservations[SELLER]
    assert not r.below_batna and r.reached_target is None and all(g.gave is None for g in r.gives)


@pytest.mark.parametrize(("field", "prices"), [
    ("batna_price", {"batna_price": 0}),
    ("reservation_price", {"reservation_price": 1_000_000}),
    ("target_price", {"target_price": 1_110_000, "reservation_price": 1_150_000}),
    ("opening_price", {"opening_price": 1_150_000}),
])
def test_a_plan_that_contradicts_itself_names_the_field(field, prices):
    with pytest.raises(PreparationError) as err:
        check_preparation(plan(**prices), DOMAIN)
    assert t(f"preparation.short.{field}") in str(err.value)


def test_a_give_get_line_must_name_a_non_price_issue_and_a_known_get():
    for line, word in ((GiveGet("price", 0, "fast"), "price"), (GiveGet("payment", 7, "fast"), "7"),
                       (GiveGet("payment", 1, "goodwill"), "goodwill")):
        with pytest.raises(PreparationError, match=word):
            check_preparation(Preparation(**PRICES, give_get=(line,)), DOMAIN)


# -- opening offers and concession curves -----------------------------------------------
@settings(max_examples=60, deadline=None)
@given(deals, st.sampled_from(["tit-for-tat", "linear", "boulware"]))
def test_an_opening_is_sent_first_and_never_asked_above_again(opening, buyer):
    counterpart = {"tit-for-tat": TitForTat, "linear": linear, "boulware": boulware}[buyer]()
    play = play_opening(DOMAIN, opening, counterpart)
    sent = play.result.offers_of(SELLER)
    assert sent[0] == opening
    assert max(DOMAIN.utilities[sent, SELLER]) <= DOMAIN.utilities[opening, SELLER] + 1e-12


def test_anchoring_against_a_reciprocating_buyer():
    """Opening at the best deal ends better than opening with a discount (lesson 02, prediction 2)."""
    best, ten_off = DOMAIN.index_of([0, 0, 0, 0]), DOMAIN.index_of([2, 0, 0, 0])
    high, low = (play_opening(DOMAIN, k, TitForTat()).outcome for k in (best, ten_off))
    assert high.utilities[SELLER] > low.utilities[SELLER] > DOMAIN.reservations[SELLER]


@settings(max_examples=60, deadline=None)
@given(st.floats(0.1, 1.0), st.floats(1.0, 10.0), st.integers(3, 20))
def test_a_firmer_buyer_has_given_less_ground_at_every_offer(firm, soft, rounds):
    curves = [ground_given(DOMAIN, negotiate(DOMAIN, linear(), TimeDependent(e), rounds=rounds), BUYER)
              for e in (firm, soft)]
    for curve in curves:
        assert all(0.0 <= x <= 1.0 for x in curve)
        assert curve == sorted(curve)  # a time-dependent tactic never takes ground back
    assert all(a <= b + 1e-12 for a, b in zip(*curves, strict=False))


def test_boulware_has_not_moved_by_halfway():
    curve = ground_given(DOMAIN, negotiate(DOMAIN, linear(), boulware(), rounds=10), BUYER)
    assert curve[:5] == [0.0] * 5 and curve[-1] > 0
