"""The exact maths: utilities, Pareto frontier, ZOPA, Nash point, debrief numbers."""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from salestrain.base.errors import DataError
from salestrain.base.i18n import set_language
from salestrain.core.negotiation import (
    BUYER,
    SELLER,
    Domain,
    DomainError,
    Issue,
    Preferences,
    Session,
    analyse,
    class_debrief,
    concessions,
    nash_point,
    pareto_frontier,
    pareto_mask,
    price_zopa,
    zopa,
)
from salestrain.io.negotiation import load_scenario
from tests.negotiation.strategies import domains


def _brute_pareto(u):
    n = len(u)
    out = []
    for i in range(n):
        dominated = any(
            u[j][0] >= u[i][0] and u[j][1] >= u[i][1] and (u[j][0] > u[i][0] or u[j][1] > u[i][1])
            for j in range(n))
        out.append(not dominated)
    return out


@given(domains())
@settings(max_examples=60, deadline=None)
def test_utilities_are_the_weighted_sums_of_scores(d):
    for k, deal in enumerate(itertools.product(*[range(len(i.options)) for i in d.issues])):
        assert d.index_of(deal) == k
        for side, prefs in ((SELLER, d.seller), (BUYER, d.buyer)):
            by_hand = sum(prefs.weights[i.name] * prefs.scores[i.name][o]
                          for i, o in zip(d.issues, deal, strict=True))
            assert d.utility(side, k) == pytest.approx(by_hand, abs=1e-12)


@given(domains())
@settings(max_examples=60, deadline=None)
def test_pareto_mask_matches_the_definition(d):
    u = np.round(d.utilities, 10).tolist()
    assert pareto_mask(d.utilities).tolist() == _brute_pareto(u)
    front = pareto_frontier(d)
    # Ordered by seller utility, so the buyer's falls as the seller's rises.
    fu = d.utilities[front]
    assert (np.diff(fu[:, SELLER]) >= -1e-12).all()
    assert (np.diff(fu[:, BUYER]) <= 1e-12).all()


@given(domains())
@settings(max_examples=60, deadline=None)
def test_nash_point_maximises_the_product_of_gains_inside_the_zopa(d):
    r = d.reservations
    inside = [k for k in range(d.n_outcomes)
              if d.utility(SELLER, k) >= r[0] - 1e-12 and d.utility(BUYER, k) >= r[1] - 1e-12]
    assert sorted(zopa(d).outcomes.tolist()) == inside
    n = nash_point(d)
    if not inside:
        assert n is None
        return
    best = max((d.utility(0, k) - r[0]) * (d.utility(1, k) - r[1]) for k in inside)
    assert (d.utility(0, n) - r[0]) * (d.utility(1, n) - r[1]) == pytest.approx(best, abs=1e-9)
    # The Nash point of a finite set is Pareto optimal among the deals that exist.
    assert pareto_mask(d.utilities)[n] or best == pytest.approx(0, abs=1e-9)


def test_price_zopa_is_the_overlap_of_the_two_walk_away_prices():
    assert price_zopa(80_000, 95_000) == (80_000, 95_000)
    assert price_zopa(100_000, 95_000) is None


def _one_issue_domain() -> Domain:
    price = Issue("price", ("100", "90", "80"), (100.0, 90.0, 80.0))
    extra = Issue("service", ("none", "full"))
    seller = Preferences({"price": 0.8, "service": 0.2}, {"price": (1, 0.5, 0), "service": (1, 0.8)}, 0.3)
    buyer = Preferences({"price": 0.5, "service": 0.5}, {"price": (0, 0.5, 1), "service": (0, 1)}, 0.3)
    return Domain((price, extra), seller, buyer)


def test_discount_trade_and_concessions_in_a_debrief():
    d = _one_issue_domain()
    session = Session(d, None, None, rounds=4)
    session.offer(d.index_of({"price": "100", "service": "none"}))   # seller opens at list
    session.offer(d.index_of({"price": "80", "service": "full"}))    # buyer anchors low
    session.offer(d.index_of({"price": "100", "service": "full"}))   # seller trades service
    session.accept()                                                  # buyer takes it
    out = analyse(d, session.result)
    assert out.agreement and out.discount == 0.0 and out.traded is True
    assert out.utilities == pytest.approx((0.96, 0.5))
    assert out.advantage == pytest.approx((0.66, 0.2))
    assert (d.advantage(SELLER, out.deal), d.advantage(BUYER, out.deal)) == pytest.approx(out.advantage)
    assert out.concessions[SELLER] == pytest.approx((0.04,))  # gave the service (0.2 * 0.2)
    assert out.n_concessions(BUYER) == 0
    assert out.rounds_used == 2 and out.ended == "agreement"
    assert out.pareto_distance == pytest.approx(0.0)


def test_concessions_count_only_the_drops():
    assert concessions([1.0, 0.8, 0.8, 0.9, 0.5]) == pytest.approx([0.2, 0.4])


def test_inconsistent_domains_are_refused():
    price = Issue("price", ("a", "b"))
    good = Preferences({"price": 1.0}, {"price": (1, 0)})
    with pytest.raises(DomainError, match="sum to"):
        Domain((price,), Preferences({"price": 0.5}, {"price": (1, 0)}), good)
    with pytest.raises(DomainError, match="needs 2 scores"):
        Domain((price,), Preferences({"price": 1.0}, {"price": (1,)}), good)
    with pytest.raises(DomainError, match="one amount per option"):
        Issue("price", ("a", "b"), (1.0,))


def test_deals_typed_wrong_name_the_issue_the_bad_value_and_the_choices():
    d = load_scenario("price-sensitive-buyer").domain
    with pytest.raises(DomainError, match=r"issue 'price': option 7 does not exist; use a number from 0 to 3"):
        d.index_of({"price": 7, "payment": 0, "service": 0, "delivery": 0})
    with pytest.raises(DomainError, match=r"no option 'cheap'; use one of 0=1,200,000 \(list\); 1="):
        d.index_of({"price": "cheap", "payment": 0, "service": 0, "delivery": 0})
    # A misspelt issue used to surface as a bare KeyError('price').
    with pytest.raises(DomainError, match="no option for price .*it names: prize, payment"):
        d.index_of({"prize": 0, "payment": 0, "service": 0, "delivery": 0})
    with pytest.raises(DomainError, match=r"one option per issue \(4: price, payment, service, delivery\)"):
        d.index_of([0, 0])
    with pytest.raises(DomainError, match="option numbers counted from 0"):
        d.index_of(["a", 0, 0, 0])


def test_deal_and_debrief_errors_in_chinese():
    d = load_scenario("price-sensitive-buyer").domain
    sheet = pd.DataFrame({"table": ["A", "B"], "price": ["1", ""], "payment": ["1", "2"],
                          "service": ["1", "1"], "delivery": ["1", "1"]})
    set_language("zh_CN")
    try:
        with pytest.raises(DomainError) as info:
            d.index_of({"price": 7, "payment": 0, "service": 0, "delivery": 0})
        assert "议题 'price'：选项 7 不存在" in str(info.value) and "0 到 3" in str(info.value)
        with pytest.raises(DataError) as info:
            class_debrief(d, sheet, source="class.csv")
        text = str(info.value)
        assert text.startswith("class.csv 有 1 个问题")
        assert "class.csv:3: price: 第「B」组：是空的；请填写以下之一：1=" in text
        with pytest.raises(DataError, match="rank_by 必须是 joint, seller, buyer 之一，得到的是 'best'"):
            class_debrief(d, sheet, rank_by="best")
        with pytest.raises(DataError) as info:
            class_debrief(d, sheet.drop(columns=["delivery"]), source="class.csv")
        assert "class.csv：缺少列" in str(info.value)
        assert "class.csv:1: delivery: 列应为：table, price, payment, service, delivery" in str(info.value)
    finally:
        set_language(None)
