"""Monte Carlo agrees with the exact answers within sampling error, and is seeded."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.core.funnel import (
    forecast,
    poisson_binomial_pmf,
    revenue_distribution,
    simulate,
    slip_probability,
    weighted_forecast,
)

TRIALS = 20_000
Z = 4.5  # standard errors allowed: false alarms ~1e-5 per check


def pipelines(max_deals=30):
    return st.lists(
        st.tuples(st.integers(1, 300).map(lambda a: a * 1000.0),
                  st.sampled_from([0.1, 0.3, 0.5, 0.7, 1.0, 0.0, 0.25, 0.9])),
        min_size=1, max_size=max_deals,
    )


@given(pipelines(), st.integers(0, 2**31 - 1))
@settings(max_examples=15, deadline=None)
def test_independent_monte_carlo_agrees_with_exact(deals, seed):
    amounts = np.array([a for a, _ in deals])
    probs = np.array([p for _, p in deals])
    exact = revenue_distribution(amounts, probs)
    sim = simulate(amounts, probs, trials=TRIALS, seed=seed)
    sd = max(exact.sd, 1e-9)
    assert abs(sim.mean - exact.mean) <= Z * sd / np.sqrt(TRIALS) + 1e-6 * amounts.sum()
    for q in (0.1, 0.5, 0.9):
        target = exact.quantile(q)
        p = exact.p_at_least(target)
        se = np.sqrt(p * (1 - p) / TRIALS)
        assert abs(sim.p_at_least(target - 0.5) - p) <= Z * se + 1e-9
    count = poisson_binomial_pmf(probs)
    k = np.arange(count.size)
    mean_k = k @ count
    sd_k = np.sqrt(max((k**2) @ count - mean_k**2, 0))
    assert abs(sim.won.mean() - mean_k) <= Z * sd_k / np.sqrt(TRIALS) + 1e-9


@given(pipelines(20), st.sampled_from([3.0, 10.0, 30.0]), st.integers(0, 2**31 - 1))
@settings(max_examples=10, deadline=None)
def test_slippage_monte_carlo_agrees_with_exact_thinning(deals, mean_slip, seed):
    amounts = np.array([a for a, _ in deals])
    probs = np.array([p for _, p in deals])
    days_left = np.random.default_rng(seed).integers(-5, 30, amounts.size).astype(float)
    exact = revenue_distribution(amounts, probs * slip_probability(days_left, mean_slip))
    sim = simulate(amounts, probs, trials=TRIALS, seed=seed, days_left=days_left,
                   mean_slip_days=mean_slip)
    assert abs(sim.mean - exact.mean) <= Z * max(exact.sd, 1e-9) / np.sqrt(TRIALS) + 1e-3
    target = exact.quantile(0.5)
    p = exact.p_at_least(target)
    assert abs(sim.p_at_least(target - 0.5) - p) <= Z * np.sqrt(p * (1 - p) / TRIALS) + 1e-9


def test_correlation_keeps_the_mean_and_widens_the_spread():
    rng = np.random.default_rng(1)
    amounts = rng.uniform(2e4, 2e5, 80)
    probs = rng.choice([0.1, 0.3, 0.5, 0.7], 80)
    w = weighted_forecast(amounts, probs)
    base = simulate(amounts, probs, TRIALS, seed=2)
    corr = simulate(amounts, probs, TRIALS, seed=2, correlation=0.4)
    assert abs(corr.mean - w.mean) <= Z * corr.sd / np.sqrt(TRIALS)
    assert corr.sd > 1.5 * base.sd
    assert base.sd == pytest.approx(w.sd, rel=0.05)


def test_uncertain_amounts_keep_the_mean():
    amounts = np.full(50, 100_000.0)
    probs = np.full(50, 0.4)
    sim = simulate(amounts, probs, TRIALS, seed=4, amount_cv=0.5)
    w = weighted_forecast(amounts, probs)
    assert abs(sim.mean - w.mean) <= Z * sim.sd / np.sqrt(TRIALS)
    assert sim.sd > w.sd * 1.05


def test_same_seed_same_answer_and_chunks_do_not_change_it(monkeypatch):
    amounts = np.linspace(1e4, 1e5, 300)
    probs = np.full(300, 0.3)
    a = simulate(amounts, probs, 5000, seed=9)
    b = simulate(amounts, probs, 5000, seed=9)
    assert np.array_equal(a.revenue, b.revenue)
    assert not np.array_equal(a.revenue, simulate(amounts, probs, 5000, seed=10).revenue)


def test_forecast_chooses_exact_unless_it_cannot():
    amounts, probs = [50_000, 80_000, 120_000], [0.3, 0.5, 0.7]
    exact = forecast(amounts, probs, target=150_000)
    assert exact.method == "exact" and exact.simulation is None
    # Reaching 150k takes 80k + 120k (with or without 50k) or 50k + 120k without 80k;
    # 50k + 80k = 130k falls short.
    p = 0.5 * 0.7 + 0.3 * (1 - 0.5) * 0.7
    assert exact.p_hit == pytest.approx(p, abs=1e-12)
    assert exact.gap == pytest.approx(150_000 - (15_000 + 40_000 + 84_000))
    mc = forecast(amounts, probs, target=150_000, correlation=0.3, seed=1)
    assert mc.method == "monte carlo" and mc.revenue is None
    assert mc.p_hit != exact.p_hit


def test_skipping_the_count_leaves_revenue_unchanged():
    amounts = np.linspace(1e4, 1e5, 200)
    probs = np.full(200, 0.4)
    full = simulate(amounts, probs, 3000, seed=5)
    lean = simulate(amounts, probs, 3000, seed=5, count_won=False)
    assert np.array_equal(full.revenue, lean.revenue)
    assert (lean.won == -1).all() and full.won.max() > 0


def test_correlation_with_slippage_keeps_the_thinned_mean():
    # The factor path draws slippage as a second uniform against P(slip <= days left):
    # the mean must be sum(a p P(in period)), whatever the correlation.
    rng = np.random.default_rng(6)
    amounts = rng.uniform(2e4, 2e5, 60)
    probs = rng.choice([0.1, 0.3, 0.5, 0.7, 1.0], 60)
    days_left = rng.integers(-5, 30, 60).astype(float)
    w = weighted_forecast(amounts, probs * slip_probability(days_left, 10.0))
    sim = simulate(amounts, probs, TRIALS, seed=3, correlation=0.4, days_left=days_left,
                   mean_slip_days=10.0)
    assert abs(sim.mean - w.mean) <= Z * sim.sd / np.sqrt(TRIALS)
    assert sim.sd > 1.2 * w.sd  # the shared swing still widens the spread
