"""The two conventions of the time-dependent tactics: classroom (default) and NegMAS.

These tests need no NegMAS; test_negmas_reference.py checks the NegMAS conventions
against NegMAS's own agents.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.core.negotiation import (
    BUYER,
    SELLER,
    ACConst,
    ACNext,
    ACTime,
    AnyOf,
    Domain,
    Issue,
    Preferences,
    SideView,
    TimeDependent,
    boulware,
    conceder,
    linear,
    negotiate,
)
from salestrain.core.negotiation.conventions import _worst_in_by_scan, negmas_worst_in
from tests.negotiation.strategies import domains

exponents = st.sampled_from([0.25, 1.0, 4.0, 0.5, 2.0])


def test_defaults_stay_classroom():
    for tactic in (boulware(), linear(), conceder(), TimeDependent(2.0)):
        assert tactic.conventions == "classroom"
        assert tactic.acceptance == ACNext()
    assert (boulware().e, conceder().e) == (0.2, 5.0)
    # NegMAS's named curves: "boulware" exponent 4 and "conceder" exponent 0.25.
    assert (boulware(conventions="negmas").e, conceder(conventions="negmas").e) == (0.25, 4.0)
    assert boulware(conventions="negmas").acceptance == ACNext(conventions="negmas")
    # An explicit rule wins over the convention's default.
    assert TimeDependent(1.0, ACTime(0.5), conventions="negmas").acceptance == ACTime(0.5)


@pytest.mark.parametrize("make", [lambda: TimeDependent(1.0, conventions="negmass"),
                                  lambda: ACNext(conventions="NegMAS"),
                                  lambda: ACConst(0.5, conventions="")])
def test_unknown_conventions_are_named(make):
    with pytest.raises(ValueError, match="classroom.*negmas"):
        make()


@given(st.integers(1, 200))
def test_the_two_clocks(rounds):
    classroom, nm = TimeDependent(1.0), TimeDependent(1.0, conventions="negmas")
    ours = [classroom.clock(r, rounds) for r in range(rounds)]
    theirs = [nm.clock(r, rounds) for r in range(rounds)]
    # Classroom: the opening is t = 0 and the deadline round t = 1.
    assert ours[-1] == 1.0
    if rounds > 1:
        assert ours[0] == 0.0
    # NegMAS: strictly inside (0, 1), evenly spaced, rising every round.
    assert all(0.0 < t < 1.0 for t in theirs)
    assert all(b > a for a, b in zip(theirs, theirs[1:], strict=False))
    assert theirs[0] == pytest.approx(1.0 - theirs[-1])


def threshold(view: SideView, level: float) -> float:
    """NegMAS's acceptance and offering threshold, as its docs state it: the aspiration
    level less 1e-4, kept between the worst deal (raised to the BATNA) and the best."""
    low = max(view.worst_utility, view.reservation)
    return max(low, min(view.best_utility, level - 1e-4))


@given(domains(max_issues=4), exponents, st.sampled_from([SELLER, BUYER]), st.floats(0.0, 1.0))
@settings(max_examples=150, deadline=None)
def test_negmas_offer_is_the_least_deal_at_the_threshold(d, e, side, t):
    view = SideView(d, side)
    tactic = TimeDependent(e, conventions="negmas")
    tactic.reset(view)
    offer = tactic.propose(t)
    assert offer is not None  # NegMAS never walks away
    u = view.utilities[offer]
    rational = [v for v in view.utilities if v >= view.reservation]
    if not rational:
        # No deal beats the BATNA: NegMAS keeps offering its best deal.
        assert u == view.best_utility
        return
    level = tactic.level(t)
    lo = threshold(view, level)
    # At the threshold or within NegMAS's 1e-6 search slack below it, and never above
    # the cheapest rational deal that reaches the threshold.
    assert u >= lo - 1e-6
    assert u <= min(v for v in rational if v >= lo)


@given(domains(max_issues=4), exponents, st.sampled_from([SELLER, BUYER]), st.floats(0.0, 1.0))
@settings(max_examples=150, deadline=None)
def test_negmas_acceptance_is_at_the_aspiration_less_its_tolerance(d, e, side, t):
    view = SideView(d, side)
    tactic = TimeDependent(e, conventions="negmas")
    tactic.reset(view)
    nxt = tactic.propose(t)
    level = tactic.level(t)
    hopeless = view.best_utility < max(view.worst_utility, view.reservation)
    for k, u in enumerate(view.utilities):
        accepted = tactic.accept(t, k, nxt)
        if hopeless or u < view.reservation:
            assert not accepted
        elif u >= level:
            assert accepted
        elif u < threshold(view, level) - 1e-12:
            assert not accepted


@given(domains(max_issues=4), exponents, st.integers(2, 40))
@settings(max_examples=80, deadline=None)
def test_negmas_concessions_only_go_down(d, e, rounds):
    tactic = TimeDependent(e, conventions="negmas")
    view = SideView(d, SELLER)
    tactic.reset(view)
    asks = [view.utilities[tactic.propose(tactic.clock(r, rounds))] for r in range(rounds)]
    # Down to NegMAS's 1e-6 search slack: a later ask may sit that much below the
    # threshold while an earlier one sat exactly on it.
    assert all(b <= a + 2e-6 for a, b in zip(asks, asks[1:], strict=False))
    assert asks[0] <= view.best_utility


@given(domains(max_issues=3), exponents, exponents, st.integers(1, 30),
       st.sampled_from([SELLER, BUYER]), st.booleans())
@settings(max_examples=80, deadline=None)
def test_protocol_rules_hold_with_negmas_conventions(d, es, eb, rounds, first, mixed):
    seller = TimeDependent(es, conventions="negmas")
    buyer = TimeDependent(eb, conventions="classroom" if mixed else "negmas")
    res = negotiate(d, seller, buyer, rounds, first)
    sides = [m.side for m in res.offers]
    assert sides == [(first + i) % 2 for i in range(len(sides))]
    assert len(res.offers) <= 2 * rounds
    if res.agreement is not None:
        assert res.agreement == res.offers[-1].outcome
        acceptor = res.ended_by
        assert d.utility(acceptor, res.agreement) >= d.reservations[acceptor]
    again = negotiate(d, TimeDependent(es, conventions="negmas"),
                      TimeDependent(eb, conventions="classroom" if mixed else "negmas"), rounds, first)
    assert again.offers == res.offers


def test_a_hopeless_negmas_side_offers_its_best_and_never_accepts():
    issues = (Issue("price", ("high", "low")), Issue("term", ("short", "long")))
    seller = Preferences({"price": 0.5, "term": 0.5}, {"price": (0.6, 0.0), "term": (0.2, 0.6)}, 0.9)
    buyer = Preferences({"price": 0.5, "term": 0.5}, {"price": (0.0, 1.0), "term": (1.0, 0.0)}, 0.0)
    d = Domain(issues, seller, buyer)
    res = negotiate(d, boulware(conventions="negmas"), conceder(conventions="negmas"), 10)
    # The classroom tactic walks away at once; NegMAS's agent keeps asking for its best
    # deal (high price, long term) to the deadline, and the buyer never takes it.
    assert negotiate(d, boulware(), conceder(), 10).ended == "walk-away"
    assert set(res.offers_of(SELLER)) == {d.index_of({"price": "high", "term": "long"})}
    assert res.ended == "deadline"


def test_anyof_passes_the_level_to_negmas_rules():
    issues = (Issue("price", ("a", "b", "c", "d", "e")),)
    prefs = Preferences({"price": 1.0}, {"price": (1.0, 0.75, 0.5, 0.25, 0.0)}, 0.0)
    d = Domain(issues, prefs, Preferences({"price": 1.0}, {"price": (0.0, 0.25, 0.5, 0.75, 1.0)}))
    view = SideView(d, SELLER)
    plain = linear(conventions="negmas")
    both = linear(conventions="negmas", acceptance=AnyOf((ACConst(2.0), ACNext(conventions="negmas"))))
    for tactic in (plain, both):
        tactic.reset(view)
    for t in (0.1, 0.5, 0.9):
        nxt = plain.propose(t)
        assert [plain.accept(t, k, nxt) for k in range(5)] == [both.accept(t, k, nxt) for k in range(5)]
    # At t = 0.5 the aspiration is 0.5: deal "c" (0.5) is taken, "d" (0.25) is not.
    assert plain.accept(0.5, 2, plain.propose(0.5)) and not plain.accept(0.5, 3, plain.propose(0.5))


@given(domains(max_issues=4), st.sampled_from([SELLER, BUYER]), st.floats(0.0, 1.0),
       st.sampled_from([0.0, 1e-7, 5e-7, 1e-6, 3e-6]))
@settings(max_examples=200, deadline=None)
def test_fast_offer_search_equals_negmas_scan(d, side, x, nudge):
    # negmas_worst_in answers in O(log n) where it can; _worst_in_by_scan is NegMAS's
    # own whole-array search step by step. Bounds anywhere in the range, and nudged
    # just off a utility so the 1e-6 slack and the ties are hit.
    ranking = SideView(d, side).negmas
    if ranking.last_rational < 0:
        return
    for base in (ranking.low + x * (ranking.high - ranking.low), *ranking.rational[::7]):
        for lo in (base - nudge, base, base + nudge):
            lo = max(ranking.low, min(ranking.high, lo))
            hi = ranking.high
            assert negmas_worst_in(ranking, lo, hi) == _worst_in_by_scan(ranking, lo, hi)
