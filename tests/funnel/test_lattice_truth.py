"""The revenue lattice against brute-force enumeration of every win/loss outcome.

Pipelines of at most 20 deals with one whale, two whales, or a log-normal spread of
sigma = 4. "Exact" answers must match the enumeration to 1e-9 and may only be claimed
when true; approximate answers must stay within 0.005 of P(hit) and inside their own
stated bounds (which must therefore really bound the error).
"""

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from salestrain.cli.main import main
from salestrain.core.funnel import forecast, revenue_distribution


def enumerate_outcomes(amounts, probs):
    """All 2^n outcomes: (sorted revenue values, their probabilities). Built by doubling
    the outcome list once per deal (lost, won); no lattice, no FFT."""
    values, weights = np.zeros(1), np.ones(1)
    for a, p in zip(amounts, probs, strict=True):
        values = np.concatenate([values, values + a])
        weights = np.concatenate([weights * (1 - p), weights * p])
    order = np.argsort(values, kind="stable")
    return values[order], weights[order]


def true_p_at_least(values, weights, target):
    return float(weights[values >= target].sum())


def true_quantile(values, weights, q):
    """Smallest outcome x with P(R <= x) >= q (float slack 1e-12 for ties)."""
    cdf = np.cumsum(weights)
    return float(values[min(int(np.searchsorted(cdf, q - 1e-12)), values.size - 1)])


probs_st = st.floats(0.05, 0.95)
small_st = st.floats(5_000, 20_000)


@st.composite
def pipelines(draw, kind: str, whole: bool):
    n = draw(st.integers(8, 20))
    if kind == "lognormal":
        z = draw(st.lists(st.floats(-2.5, 2.5), min_size=n, max_size=n))
        amounts = [20_000 * float(np.exp(4 * x)) for x in z]  # sigma = 4 (z in +-2.5 sd)
    else:
        whales = 1 if kind == "one whale" else 2
        amounts = draw(st.lists(small_st, min_size=n - whales, max_size=n - whales))
        amounts += draw(st.lists(st.floats(1e6, 1e9), min_size=whales, max_size=whales))
    amounts = [max(1.0, round(a)) for a in amounts] if whole else amounts
    probs = draw(st.lists(probs_st, min_size=n, max_size=n))
    return np.array(amounts), np.array(probs)


def targets(values, weights):
    """Targets at the true P10/P50/P90 (atoms themselves) and between atoms."""
    qs = [true_quantile(values, weights, q) for q in (0.1, 0.5, 0.9)]
    return qs + [x * 1.000_37 + 1.7 for x in qs]


KINDS = ["one whale", "two whales", "lognormal"]


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
@settings(max_examples=12, deadline=None)
def test_exact_mode_matches_enumeration(kind, data):
    amounts, probs = data.draw(pipelines(kind, whole=True))
    dist = revenue_distribution(amounts, probs)
    values, weights = enumerate_outcomes(amounts, probs)
    if not dist.exact_lattice:
        # Whole amounts that do not fit the budget: approximate, and must say so.
        assert dist.rounding.worst > 0
        return
    assert dist.rounding.worst == 0
    for target in targets(values, weights):
        assert dist.p_at_least(target) == pytest.approx(
            true_p_at_least(values, weights, target), abs=1e-9)
        assert dist.p_at_least_error(target) == 0
    for q in (0.1, 0.5, 0.9):
        assert dist.quantile(q) == pytest.approx(true_quantile(values, weights, q), rel=1e-12)


@pytest.mark.parametrize("kind", KINDS)
@given(data=st.data())
@settings(max_examples=12, deadline=None)
def test_approximate_mode_is_close_and_inside_its_own_bounds(kind, data):
    amounts, probs = data.draw(pipelines(kind, whole=False))
    # Move the amounts off any common unit (not even whole fen) so no lattice is exact.
    amounts = amounts + np.sqrt(2) * np.arange(1, amounts.size + 1) / 3
    dist = revenue_distribution(amounts, probs)
    assert not dist.exact_lattice and dist.rounding.worst > 0
    values, weights = enumerate_outcomes(amounts, probs)
    for target in targets(values, weights)[3:]:  # between atoms: what a target is
        truth = true_p_at_least(values, weights, target)
        assert abs(dist.p_at_least(target) - truth) <= 0.005
        lo, hi = dist.p_at_least_bounds(target)
        assert lo - 1e-12 <= truth <= hi + 1e-12  # the stated bound really bounds
        assert abs(dist.p_at_least(target) - truth) <= dist.p_at_least_error(target) + 1e-12
    for target in targets(values, weights)[:3]:  # on an atom: the bound still holds
        lo, hi = dist.p_at_least_bounds(target)
        assert lo - 1e-12 <= true_p_at_least(values, weights, target) <= hi + 1e-12
    for q in (0.1, 0.5, 0.9):
        truth = true_quantile(values, weights, q)
        lo, hi = dist.quantile_bounds(q)
        assert lo <= truth <= hi
        assert abs(dist.quantile(q) - truth) <= dist.quantile_error(q) + 1e-9 * truth


def test_the_bounds_are_tight_enough_to_be_useful():
    # A bound that always says "anything between 0 and 1" would pass the test above.
    rng = np.random.default_rng(4)
    amounts = np.exp(rng.normal(np.log(20_000), 4, 20)) + 0.5
    probs = rng.uniform(0.05, 0.95, 20)
    dist = revenue_distribution(amounts, probs)
    values, weights = enumerate_outcomes(amounts, probs)
    for q in (0.1, 0.5, 0.9):
        target = true_quantile(values, weights, q) * 1.0001
        assert dist.p_at_least_error(target) < 0.005
        assert dist.quantile_error(q) < 1e-3 * (values[-1] - values[0])


# The reported failure: one 1e9 deal and 19 deals of 5-20k. The old lattice took its
# width from the total variance (the whale's), smeared every small deal, printed
# P(hit) 14.3% "(exact)" against a true 40.0%, and P10 0 against a true 93,433.
def whale_pipeline(whole: bool):
    rng = np.random.default_rng(18)
    small = rng.uniform(5_000, 20_000, 19)
    amounts = np.concatenate([[1e9], np.round(small) if whole else small])
    probs = np.concatenate([[0.4], rng.choice([0.3, 0.5, 0.7, 0.9], 19)])
    return amounts, probs


@pytest.mark.parametrize("whole", [True, False])
def test_one_whale_no_longer_smears_the_small_deals(whole):
    amounts, probs = whale_pipeline(whole)
    values, weights = enumerate_outcomes(amounts, probs)
    target = float(1e9 + np.sum(amounts[1:]) * 0.3)
    fc = forecast(amounts, probs, target)
    truth = true_p_at_least(values, weights, target)
    p10 = true_quantile(values, weights, 0.1)
    assert p10 > 50_000  # the small deals alone make P10 far from 0
    if whole:
        assert fc.method == "exact" and fc.p_hit_error == 0 and fc.quantile_error == 0
        assert fc.p_hit == pytest.approx(truth, abs=1e-9)
        assert fc.p10 == p10
    else:
        assert fc.method == "approximate"
        assert abs(fc.p_hit - truth) <= min(fc.p_hit_error, 0.005)
        assert abs(fc.p10 - p10) <= fc.quantile_error


def test_forecast_does_not_say_exact_just_because_correlation_is_zero():
    amounts = np.array([12_345.678, 98_765.4321, 55_555.5, 1e9 / 3])
    fc = forecast(amounts, [0.3, 0.5, 0.7, 0.2], target=150_000)
    assert fc.method == "approximate" and fc.revenue.rounding.worst > 0
    assert fc.p_hit_error is not None and fc.quantile_error is not None


def write_csv(path, amounts, probs):
    rows = ["deal_id,account,stage,amount,expected_close,owner,probability"]
    rows += [f"D{i},Acct {i},proposal,{float(a)!r},2026-12-15,Rep,{float(p)!r}"
             for i, (a, p) in enumerate(zip(amounts, probs, strict=True))]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.mark.parametrize("whole", [True, False])
def test_cli_says_exact_only_when_it_is(tmp_path, whole):
    amounts, probs = whale_pipeline(whole)
    csv = tmp_path / "whale.csv"
    write_csv(csv, amounts, probs)
    target = float(1e9 + np.sum(amounts[1:]) * 0.3)
    result = CliRunner().invoke(main, ["forecast", str(csv), "--target", f"{target:.0f}"])
    assert result.exit_code == 0, result.output
    values, weights = enumerate_outcomes(amounts, probs)
    truth = true_p_at_least(values, weights, round(target))
    line = next(x for x in result.output.splitlines() if x.startswith("P(revenue >="))
    assert f"{truth:.1%}" in line
    assert ("(exact)" in line) == whole
    assert ("approximate, within" in line) == (not whole)
