"""Key-account analyses: Pareto, ABC tiers, visit plan, buying centre, churn."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.base.errors import DataError
from salestrain.core.accounts import analysis as acc
from salestrain.core.accounts import buying_centre
from salestrain.core.accounts.synthetic import generate_book

revenues = st.lists(st.floats(0, 1e7, allow_nan=False), min_size=1, max_size=60)


def series(values):
    return pd.Series(values, index=[f"C{i:03d}" for i in range(len(values))], dtype=float)


@given(revenues, st.floats(0.05, 1.0), st.floats(0.0, 1.0))
@settings(max_examples=80, deadline=None)
def test_abc_tiers_partition_the_book_and_respect_the_cuts(values, a_cut, extra):
    b_cut = a_cut + (1 - a_cut) * extra
    s = series(values)
    tiers = acc.abc_tiers(s, a_cut, b_cut)
    # a partition: every customer once, in exactly one of A, B, C
    assert sorted(tiers.index) == sorted(s.index)
    assert set(tiers["tier"]) <= set(acc.TIERS)
    summary = acc.tier_summary(tiers)
    assert summary["customers"].sum() == len(s)
    assert summary["value"].sum() == pytest.approx(s.sum())
    total = s.sum()
    if total > 0:
        a = tiers[tiers["tier"] == "A"]
        # A reaches the cut, and would not without its last (smallest) member
        assert a["value"].sum() / total >= a_cut - 1e-9
        assert (a["value"].sum() - a["value"].min()) / total < a_cut + 1e-9
        ab = tiers[tiers["tier"].isin(["A", "B"])]
        assert ab["value"].sum() / total >= b_cut - 1e-9 or (tiers["value"] == 0).any()
    # a larger customer is never in a lower tier than a smaller one
    order = {"A": 0, "B": 1, "C": 2}
    ranks = tiers["tier"].map(order).to_numpy()
    assert np.all(np.diff(ranks) >= 0)


@given(revenues, st.floats(0.01, 1.0))
@settings(max_examples=60, deadline=None)
def test_the_top_fraction_of_customers_holds_at_least_that_fraction_of_revenue(values, frac):
    p = acc.pareto(series(values))
    if p.total > 0:
        assert p.top_share(frac) >= frac - 1e-9
        assert p.top_share(1.0) == pytest.approx(1.0)
        assert np.all(np.diff(p.curve["cum_share"]) >= -1e-12)
        k = p.customers_for_share(0.8)
        assert p.curve["cum_share"].iloc[k - 1] >= 0.8 - 1e-9


def test_pareto_by_hand():
    p = acc.pareto(series([50, 10, 30, 10, 0]))
    assert p.curve["value"].tolist() == [50, 30, 10, 10, 0]
    assert p.top_share(0.2) == pytest.approx(0.5)  # top 1 of 5
    assert p.top_share(0.3) == pytest.approx(0.8)  # ceil(1.5) = 2 customers
    assert p.customers_for_share(0.8) == 2
    tiers = acc.abc_tiers(series([50, 10, 30, 10, 0]), a_cut=0.7, b_cut=0.9)
    assert tiers["tier"].to_dict() == {"C000": "A", "C002": "A", "C001": "B", "C003": "C", "C004": "C"}
    with pytest.raises(DataError, match="A 0.9 and B 0.5"):
        acc.abc_tiers(series([1, 2]), 0.9, 0.5)


@given(st.lists(st.sampled_from(acc.TIERS), min_size=1, max_size=80), st.integers(1, 5),
       st.floats(0.5, 8), st.floats(10, 200))
@settings(max_examples=40, deadline=None)
def test_visit_workload_follows_the_cadence_rules(tier_list, n_reps, hours, capacity):
    ids = [f"C{i:03d}" for i in range(len(tier_list))]
    tiers = pd.DataFrame({"tier": tier_list, "value": 1.0}, index=ids)
    reps = pd.Series([f"rep{i % n_reps}" for i in range(len(ids))], index=ids)
    plan = acc.visit_plan(tiers, reps, hours_per_visit=hours, capacity_hours=capacity)
    per_year = sum({"A": 52, "B": 24, "C": 4}[t] for t in tier_list)
    assert plan.reps["visits_per_month"].sum() == pytest.approx(per_year / 12)
    assert plan.reps["hours"].sum() == pytest.approx(per_year / 12 * hours)
    assert plan.reps["accounts"].sum() == len(ids)
    assert (plan.reps[["A", "B", "C"]].sum(axis=1) == plan.reps["accounts"]).all()
    assert (plan.reps["over_capacity"] == (plan.reps["hours"] > capacity + 1e-9)).all()


def test_a_rep_with_a_weekly_a_book_is_over_capacity_and_outside_the_ka_band():
    ids = [f"C{i:02d}" for i in range(45)]
    tiers = pd.DataFrame({"tier": ["A"] * 10 + ["B"] * 15 + ["C"] * 20, "value": 1.0}, index=ids)
    plan = acc.visit_plan(tiers, pd.Series("Ada", index=ids), hours_per_visit=3, capacity_hours=100)
    row = plan.reps.loc["Ada"]
    # 10 x 52 + 15 x 24 + 20 x 4 = 960 visits a year = 80 a month = 240 hours
    assert row["visits_per_month"] == pytest.approx(80)
    assert row["load"] == pytest.approx(2.4) and row["over_capacity"]
    assert row["ka_band"] == "above"
    with pytest.raises(DataError, match="has no rep"):
        acc.visit_plan(tiers, pd.Series("Ada", index=ids[:-1]))


def test_visits_due_uses_each_tiers_interval():
    tiers = pd.DataFrame({"tier": ["A", "A", "B", "C", "C"], "value": [9, 8, 5, 2, 1]},
                         index=["a1", "a2", "b1", "c1", "c2"])
    last = pd.Series(pd.to_datetime(["2025-03-25", "2025-03-30", "2025-03-17", "2025-01-01", None]),
                     index=tiers.index)
    due = acc.visits_due(tiers, last, date(2025, 4, 1))
    # a1: 7 days (due), a2: 2 days, b1: 15 days (due), c1: 90 days (not yet 91), c2: never
    assert list(due.index) == ["a1", "b1", "c2"]


def test_buying_centre_coverage_counts_known_and_met_roles():
    contacts = pd.DataFrame({
        "customer_id": ["X", "X", "X", "Y", "Y"],
        "role": ["decision_maker", "user", "purchaser", "contact", "user"],
        "name": ["Hu Min", "Ma Lan", "", "Gao Bo", "Xu Tao"],
        "met": [True, False, True, True, True],
    })
    cov = buying_centre.coverage(contacts, ["X", "Y", "Z"])
    assert cov.loc["X", "known"] == 2 and cov.loc["X", "met"] == 1  # purchaser has no name
    assert cov.loc["X", "missing"] == ["user", "purchaser", "contact"]
    assert cov.loc["Y", "coverage"] == 0.5
    assert cov.loc["Z", "known"] == 0 and cov.loc["Z", "missing"] == list(buying_centre.ROLES)


def test_churn_alerts_match_the_thresholds_and_rank_by_money_at_risk():
    book = generate_book(n_customers=80, seed=3)
    signals = acc.churn_signals(book.customers, book.transactions, book.as_of)
    th = acc.ChurnThresholds(max_days_silent=100, min_activity=0.4, min_renewal=0.7)
    alerts = acc.churn_alerts(signals, th)
    flagged = ((signals["days_silent"] >= 100) | (signals["activity"] < 0.4)
               | (signals["renewal_rate"] < 0.7)) & signals["days_silent"].notna()
    assert set(alerts.index) == set(signals.index[flagged])
    key = list(zip(-alerts["signals"], -alerts["revenue_12m"], strict=True))
    assert key == sorted(key)
    # stricter thresholds never add alerts
    looser = acc.churn_alerts(signals, acc.ChurnThresholds(200, 0.1, 0.3))
    assert set(looser.index) <= set(alerts.index)
    # the accounts the generator made fade are mostly caught
    row = alerts.iloc[0]
    assert "silent" in row["reasons"] or "activity" in row["reasons"] or "renewal" in row["reasons"]


def test_churn_signals_by_hand():
    customers = pd.DataFrame({"customer_id": ["a", "b"], "renewal_rate": [0.9, 0.4]})
    dates = pd.to_datetime(["2024-06-01", "2024-07-01", "2024-08-01", "2024-09-01", "2024-10-01",
                            "2024-11-01", "2025-03-20", "2024-12-01"])
    tx = pd.DataFrame({"date": dates, "customer_id": ["a"] * 7 + ["b"],
                       "product_line": "job_ads", "revenue": 100.0, "margin": 30.0})
    s = acc.churn_signals(customers, tx, date(2025, 3, 31))
    assert s.loc["a", "days_silent"] == 11 and s.loc["b", "days_silent"] == 120
    # a: 1 order in the last 90 days vs 6 in the 365 before = 1.48 per 90 days -> too few to judge
    assert np.isnan(s.loc["a", "activity"])
    assert s.loc["a", "revenue_12m"] == 700 and s.loc["b", "revenue_12m"] == 100
    alerts = acc.churn_alerts(s, acc.ChurnThresholds(max_days_silent=90, min_activity=0.5, min_renewal=0.6))
    assert list(alerts.index) == ["b"] and alerts.loc["b", "reasons"] == ["silent", "renewal"]
    # c: 8 orders in 2024 (about 2 per 90 days), none since: activity 0
    customers = pd.DataFrame({"customer_id": ["c"], "renewal_rate": [0.9]})
    tx = pd.DataFrame({"date": pd.date_range("2024-03-01", periods=8, freq="MS"), "customer_id": "c",
                       "product_line": "x", "revenue": 10.0, "margin": 1.0})
    s = acc.churn_signals(customers, tx, date(2025, 3, 31))
    assert s.loc["c", "activity"] == 0
    assert acc.churn_alerts(s).loc["c", "reasons"] == ["silent", "activity"]


def test_contribution_subtracts_cost_to_serve():
    customers = pd.DataFrame({"customer_id": ["a", "b"], "cost_to_serve": [100.0, 900.0]})
    tx = pd.DataFrame({"date": pd.to_datetime(["2025-01-01"] * 3), "customer_id": ["a", "b", "b"],
                       "product_line": "x", "revenue": [1000.0, 2000.0, 1000.0],
                       "margin": [400.0, 500.0, 200.0]})
    c = acc.contribution(customers, tx)
    assert list(c.index) == ["a", "b"]
    assert c.loc["a", "net_contribution"] == 300 and c.loc["b", "net_contribution"] == -200
    assert c.loc["b", "serve_cost_ratio"] == pytest.approx(0.3)
    assert c["cum_contribution"].tolist() == [300, 100]


def test_the_sample_book_is_seeded_and_looks_like_a_real_book():
    one, two = generate_book(seed=7), generate_book(seed=7)
    pd.testing.assert_frame_equal(one.transactions, two.transactions)
    pd.testing.assert_frame_equal(one.customers, two.customers)
    other = generate_book(seed=8)
    assert not one.transactions["revenue"].equals(other.transactions["revenue"])
    totals = acc.customer_totals(one.transactions)
    top20 = acc.pareto(totals["revenue"]).top_share(0.2)
    assert 0.45 < top20 < 0.85  # concentrated, the course's 80/20 shape
    assert one.customers["customer_id"].is_unique and one.customers["name"].is_unique
    assert (one.transactions["margin"] <= one.transactions["revenue"]).all()
    assert set(one.contacts["role"]) == set(buying_centre.ROLES)
    assert one.transactions["date"].max() <= pd.Timestamp(one.as_of)


signal_rows = st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 400)),
                                 st.one_of(st.none(), st.floats(0, 3)),
                                 st.one_of(st.none(), st.floats(0, 1)),
                                 st.floats(0, 1e6)), min_size=1, max_size=30)
thresholds = st.builds(acc.ChurnThresholds, st.integers(1, 365), st.floats(0, 1), st.floats(0, 1))


@given(signal_rows, thresholds, thresholds)
@settings(max_examples=60, deadline=None)
def test_churn_alerts_are_exactly_the_accounts_past_a_threshold_and_tighten_monotonically(rows, th, other):
    signals = pd.DataFrame(rows, columns=["days_silent", "activity", "renewal_rate", "revenue_12m"],
                           index=[f"C{i:02d}" for i in range(len(rows))]).astype(float)
    alerts = acc.churn_alerts(signals, th)
    for cid, (silent, activity, renewal, _) in zip(signals.index, rows, strict=True):
        reasons = [name for name, hit in (
            ("silent", silent is not None and silent >= th.max_days_silent),
            ("activity", activity is not None and activity < th.min_activity),
            ("renewal", renewal is not None and renewal < th.min_renewal)) if hit]
        if silent is None or not reasons:
            assert cid not in alerts.index
        else:
            assert alerts.loc[cid, "reasons"] == reasons
    assert alerts["rank"].tolist() == list(range(1, len(alerts) + 1))
    # thresholds that are looser on every signal never raise more alerts
    looser = acc.ChurnThresholds(max(th.max_days_silent, other.max_days_silent),
                                 min(th.min_activity, other.min_activity),
                                 min(th.min_renewal, other.min_renewal))
    assert set(acc.churn_alerts(signals, looser).index) <= set(alerts.index)


def test_bad_settings_are_explained_in_chinese(zh):
    with pytest.raises(DataError) as err:
        acc.abc_tiers(series([1, 2]), 0.9, 0.5)
    assert "分类分界线" in str(err.value) and "A 0.9、B 0.5" in str(err.value)
    tiers = pd.DataFrame({"tier": ["A", "B"], "value": 1.0}, index=["C01", "C02"])
    with pytest.raises(DataError) as err:
        acc.visit_plan(tiers, pd.Series("Ada", index=["C01"]))
    assert "customers: rep: 客户 'C02' 没有负责的销售" in str(err.value)


def test_a_chinese_book_has_the_same_numbers_in_chinese_names():
    # issue 14: the Chinese account-book showed "Amber Coast Electronics" and "Lin Hao".
    import re

    english, chinese = generate_book(seed=4), generate_book(seed=4, names="zh_CN")
    pd.testing.assert_frame_equal(english.transactions, chinese.transactions)
    same = ["customer_id", "industry", "ownership", "renewal_rate", "cost_to_serve", "last_visit"]
    pd.testing.assert_frame_equal(english.customers[same], chinese.customers[same])
    people = chinese.contacts["name"][chinese.contacts["name"] != ""]
    for text in (*chinese.customers["name"], *chinese.customers["rep"], *people):
        assert re.fullmatch(r"[\u4e00-\u9fff]+(（[0-9]+）)?", text), text
    assert (people == "").sum() == 0 and len(people) == (english.contacts["name"] != "").sum()
    assert chinese.customers["name"].is_unique
