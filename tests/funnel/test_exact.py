"""Exact distributions against brute-force enumeration and their moment identities."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.core.funnel import poisson_binomial_pmf, revenue_distribution, weighted_forecast

probs_st = st.lists(st.floats(0, 1, allow_nan=False), min_size=0, max_size=40)


def brute_force(amounts, probs):
    """Every win/loss combination with its probability: the definition itself."""
    outcomes = {}
    for wins in itertools.product((0, 1), repeat=len(probs)):
        pr = np.prod([p if w else 1 - p for w, p in zip(wins, probs, strict=True)])
        value = sum(a for w, a in zip(wins, amounts, strict=True) if w)
        outcomes[value] = outcomes.get(value, 0.0) + pr
    return outcomes


def textbook_pmf(p: np.ndarray) -> np.ndarray:
    """P(k won) by the O(n^2) recursion, one deal at a time: an independent truth."""
    ref = np.zeros(p.size + 1)
    ref[0] = 1.0
    for q in p:
        ref[1:] = ref[1:] * (1 - q) + ref[:-1] * q
        ref[0] *= 1 - q
    return ref


@given(probs_st)
@settings(max_examples=60, deadline=None)
def test_poisson_binomial_is_a_distribution_with_the_right_moments(probs):
    pmf = poisson_binomial_pmf(probs)
    k = np.arange(pmf.size)
    p = np.asarray(probs)
    assert pmf.size == len(probs) + 1
    assert np.all(pmf >= 0)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-12)
    assert k @ pmf == pytest.approx(p.sum(), abs=1e-9)
    var = (k**2) @ pmf - (k @ pmf) ** 2
    assert var == pytest.approx(np.sum(p * (1 - p)), abs=1e-7)


@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=9))
@settings(max_examples=40, deadline=None)
def test_poisson_binomial_matches_enumeration(probs):
    counts = brute_force([1] * len(probs), probs)
    pmf = poisson_binomial_pmf(probs)
    for k, pr in counts.items():
        assert pmf[k] == pytest.approx(pr, abs=1e-12)


def test_poisson_binomial_is_accurate_for_many_deals():
    # 10,000 deals use the FFT levels; compare with the O(n^2) textbook recursion on 600.
    rng = np.random.default_rng(3)
    p = rng.uniform(0, 1, 600)
    assert np.max(np.abs(poisson_binomial_pmf(p) - textbook_pmf(p))) < 1e-13
    big = rng.choice([0.1, 0.3, 0.5, 0.7], 10_000)
    pmf = poisson_binomial_pmf(big)
    assert np.arange(pmf.size) @ pmf == pytest.approx(big.sum(), rel=1e-12)


def test_poisson_binomial_in_blocks_for_a_big_pipeline_matches_the_recursion():
    # Past 16,384 deals the pmf is built from blocks multiplied as they come (memory,
    # issue 18); the O(n^2) textbook recursion on 20,000 deals is the independent truth.
    rng = np.random.default_rng(11)
    p = rng.uniform(0, 1, 20_000)
    pmf = poisson_binomial_pmf(p)
    assert pmf.size == p.size + 1
    assert np.max(np.abs(pmf - textbook_pmf(p))) < 1e-12
    assert np.arange(pmf.size) @ pmf == pytest.approx(p.sum(), rel=1e-12)


def test_revenue_of_many_deals_keeps_its_moments():
    # 3,000 deals go through the block products multiplied as a stream; an exact
    # lattice must keep the weighted forecast and its variance to rounding.
    rng = np.random.default_rng(5)
    amounts = rng.integers(1, 400, 3_000) * 100.0
    probs = rng.choice([0.1, 0.3, 0.5, 0.7, 1.0], amounts.size)
    dist = revenue_distribution(amounts, probs)
    assert dist.exact_lattice
    w = weighted_forecast(amounts, probs)
    assert dist.pmf.sum() == pytest.approx(1.0, abs=1e-12)
    assert dist.mean == pytest.approx(w.mean, rel=1e-12)
    assert dist.sd == pytest.approx(w.sd, rel=1e-9)


@given(st.lists(st.tuples(st.integers(1, 40), st.floats(0, 1, allow_nan=False)), min_size=1, max_size=8))
@settings(max_examples=40, deadline=None)
def test_revenue_distribution_matches_enumeration_for_whole_amounts(deals):
    amounts = [1000 * a for a, _ in deals]
    probs = [p for _, p in deals]
    truth = brute_force(amounts, probs)
    dist = revenue_distribution(amounts, probs)
    assert dist.exact_lattice
    got = dict(zip(dist.values, dist.pmf, strict=True))
    for value, pr in truth.items():
        assert got.get(float(value), 0.0) == pytest.approx(pr, abs=1e-12)
    for target in sorted(truth):
        expected = sum(pr for v, pr in truth.items() if v >= target)
        assert dist.p_at_least(target) == pytest.approx(expected, abs=1e-12)


@given(st.lists(st.tuples(st.floats(100, 1e6), st.floats(0, 1, allow_nan=False)), min_size=1, max_size=60))
@settings(max_examples=40, deadline=None)
def test_revenue_distribution_keeps_the_weighted_mean_and_variance(deals):
    amounts = np.array([a for a, _ in deals])
    probs = np.array([p for _, p in deals])
    dist = revenue_distribution(amounts, probs)
    w = weighted_forecast(amounts, probs)
    assert dist.pmf.sum() == pytest.approx(1.0, abs=1e-9)
    assert dist.mean == pytest.approx(w.mean, rel=1e-9, abs=1e-6 * amounts.sum())
    # The lattice split may add at most sum(p) h^2 / 4 to the variance.
    bound = probs.sum() * dist.bin_width**2 / 4 + 1e-6 * w.variance + 1e-3 * dist.bin_width**2
    assert -bound <= dist.sd**2 - w.variance <= bound


def test_quantiles_are_ordered_and_p_hit_falls_with_the_target():
    rng = np.random.default_rng(5)
    dist = revenue_distribution(rng.uniform(1e4, 2e5, 200), rng.uniform(0, 1, 200))
    q = [dist.quantile(x) for x in (0.1, 0.5, 0.9)]
    assert q[0] < q[1] < q[2]
    targets = np.linspace(0, dist.values[-1], 30)
    hits = [dist.p_at_least(t) for t in targets]
    assert hits[0] == pytest.approx(1.0)
    assert all(a >= b for a, b in zip(hits, hits[1:], strict=False))
    assert dist.p_at_least(q[0]) >= 0.9 - 1e-12


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="probabilities"):
        poisson_binomial_pmf([0.5, 1.5])
    with pytest.raises(ValueError, match="amounts"):
        revenue_distribution([-1.0], [0.5])
    with pytest.raises(ValueError, match="same length"):
        revenue_distribution([1.0, 2.0], [0.5])
