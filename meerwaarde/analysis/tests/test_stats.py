"""The outcome statistics: checked against SciPy/NumPy on raw data, hand-worked examples and
published values, so the figures from running sums are the figures from the data."""

import math
import time

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from meerwaarde.analysis import stats as mw
from meerwaarde.analysis.stats import (
    SMALL_N,
    PairedSums,
    is_small,
    paired_result,
    rci,
    reliable_change,
    share,
)

SIZES = [2, 3, 5, 10, 19, 20, 100, 1000, 5000]


def _close(a, b, tol=1e-9):
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def _data(n, kind, seed):
    """Scores as instruments give them: whole numbers (a 0–11 scale) or floats (GAS T, means)."""
    rng = np.random.default_rng(seed)
    if kind == "integer":
        x1 = rng.integers(0, 12, n)
        x2 = np.clip(x1 + rng.integers(-4, 3, n), 0, 11)
        x2[0] = x1[0] - 1 if x1[0] > 0 else 1  # never all changes equal, not even at n = 2
        x2[1] = x1[1]
        return x1.astype(float), x2.astype(float)
    x1 = rng.normal(50, 10, n)
    return x1, x1 + rng.normal(4, 8, n)


def _sums(x1, x2):
    return PairedSums.from_pairs(zip(x1.tolist(), x2.tolist(), strict=True))


# -- sums ------------------------------------------------------------------------------------


def test_it_adds_groups_up_to_the_sums_of_the_concatenated_data():
    x1, x2 = _data(1000, "float", seed=1)
    parts = [_sums(x1[a:b], x2[a:b]) for a, b in [(0, 1), (1, 250), (250, 251), (251, 1000)]]
    total = sum(parts, PairedSums.zero())
    whole = _sums(x1, x2)
    assert total.n == whole.n == 1000
    for field in ("sum_x1", "sum_x1_sq", "sum_x2", "sum_x2_sq", "sum_d", "sum_d_sq"):
        assert _close(getattr(total, field), getattr(whole, field), 1e-14)


def test_it_adds_integer_groups_exactly():
    x1, x2 = _data(5000, "integer", seed=2)
    assert _sums(x1[:1234], x2[:1234]) + _sums(x1[1234:], x2[1234:]) == _sums(x1, x2)


def test_it_has_zero_as_the_neutral_group():
    sums = PairedSums.from_pairs([(3, 5), (4, 4)])
    assert sums + PairedSums.zero() == sums
    assert PairedSums.from_pairs([]) == PairedSums.zero()


# -- the paired result against SciPy/NumPy ---------------------------------------------------


@pytest.mark.parametrize("kind", ["integer", "float"])
@pytest.mark.parametrize("n", SIZES)
def test_it_matches_scipy_and_numpy_on_random_data(n, kind):
    x1, x2 = _data(n, kind, seed=n)
    d = x2 - x1
    result = paired_result(_sums(x1, x2))
    ci = stats.ttest_rel(x2, x1).confidence_interval(confidence_level=0.95)

    assert result.n == n
    assert _close(result.mean_start, np.mean(x1))
    assert _close(result.mean_end, np.mean(x2))
    assert _close(result.mean_change, np.mean(d))
    assert _close(result.sd_start, np.std(x1, ddof=1))
    assert _close(result.sd_end, np.std(x2, ddof=1))
    assert _close(result.sd_change, np.std(d, ddof=1))
    assert _close(result.ci_low, ci.low)
    assert _close(result.ci_high, ci.high)
    assert _close(result.d_z, np.mean(d) / np.std(d, ddof=1))


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.99])
def test_it_matches_scipy_at_other_confidence_levels(confidence):
    x1, x2 = _data(40, "float", seed=7)
    result = paired_result(_sums(x1, x2), confidence=confidence)
    ci = stats.ttest_rel(x2, x1).confidence_interval(confidence_level=confidence)
    assert (result.confidence, result.ci_low, result.ci_high) == pytest.approx(
        (confidence, ci.low, ci.high), rel=1e-9
    )


@pytest.mark.parametrize("kind", ["integer", "float"])
@pytest.mark.parametrize("n", SIZES)
def test_it_puts_the_observed_t_at_the_quantiles_of_the_d_z_bounds(n, kind):
    x1, x2 = _data(n, kind, seed=100 + n)
    result = paired_result(_sums(x1, x2))
    df, root_n = n - 1, math.sqrt(n)
    t = stats.ttest_rel(x2, x1).statistic
    low, high = result.d_z_low * root_n, result.d_z_high * root_n

    assert result.d_z_low < result.d_z < result.d_z_high
    assert abs(stats.nct.cdf(t, df, low) - 0.975) < 1e-9
    assert abs(stats.nct.cdf(t, df, high) - 0.025) < 1e-9
    # Boost's quantile function is a separate route to the same statement.
    assert _close(stats.nct.ppf(0.975, df, low), t, 1e-6)
    assert _close(stats.nct.ppf(0.025, df, high), t, 1e-6)


@pytest.mark.parametrize("confidence", [0.5, 0.9, 0.95, 0.999])
@pytest.mark.parametrize("df", [1, 2, 4, 19, 99, 999, 99_999, 999_999])
def test_it_finds_the_d_z_bounds_wherever_boost_is_exact(df, confidence):
    n = df + 1
    for t in [0.0, 0.1, 1.0, 3.0, 10.0, 50.0, 200.0, 999.0, -3.0]:
        low, high = mw._d_z_interval(t / math.sqrt(n), n, confidence)
        low, high = low * math.sqrt(n), high * math.sqrt(n)
        assert low < t < high
        assert abs(stats.nct.cdf(t, df, low) - (1 + confidence) / 2) < 1e-9
        assert abs(stats.nct.cdf(t, df, high) - (1 - confidence) / 2) < 1e-9


def test_it_mirrors_the_d_z_interval_for_deterioration():
    x1, x2 = _data(30, "float", seed=3)
    better, worse = paired_result(_sums(x1, x2)), paired_result(_sums(x2, x1))
    assert worse.d_z == -better.d_z
    assert (worse.d_z_low, worse.d_z_high) == (-better.d_z_high, -better.d_z_low)


def test_it_reads_boosts_nan_holes_as_the_tail_they_sit_in():
    # Boost answers nan at these points (SciPy 1.17); the true values are 1 and 0 to 1e-15.
    assert mw._nct_cdf(1000.0, 1, -500.0) == 1.0
    assert mw._nct_cdf(1.0, 1, 45.0) == 0.0


# -- huge t ----------------------------------------------------------------------------------


@pytest.mark.parametrize("df", [1, 4, 19, 999, 999_999])
def test_it_integrates_the_noncentral_t_like_boost_where_both_are_exact(df):
    for t in [50.0, 200.0, 1000.0]:
        for ncp in [t * 0.1, t * 0.9, t - 3, t, t + 3, t * 1.2, t * 3]:
            assert abs(mw._nct_cdf_huge_t(t, df, ncp) - stats.nct.cdf(t, df, ncp)) < 1e-11


@pytest.mark.parametrize("df", [1, 19, 999, 999_999])
def test_it_reaches_the_chi_square_limit_for_huge_t(df):
    # For t → ∞ the normal part of T = (Z + δ) / √(V/df) no longer matters: T ≈ δ / √(V/df),
    # so the bounds of δ are t · √(χ²(q; df) / df), up to a relative error of order 1/δ.
    t, n = 1e6, df + 1
    low, high = mw._d_z_interval(t / math.sqrt(n), n, 0.95)
    assert _close(low * math.sqrt(n), t * math.sqrt(stats.chi2.ppf(0.025, df) / df), 1e-5)
    assert _close(high * math.sqrt(n), t * math.sqrt(stats.chi2.ppf(0.975, df) / df), 1e-5)


def test_it_joins_the_two_methods_at_the_threshold():
    n = 1000
    below = mw._d_z_interval(mw._HUGE_T * (1 - 1e-12) / math.sqrt(n), n, 0.95)
    above = mw._d_z_interval(mw._HUGE_T * (1 + 1e-12) / math.sqrt(n), n, 0.95)
    assert below == pytest.approx(above, rel=1e-9)


def test_it_handles_a_million_pairs_that_changed_alike_but_one_quickly():
    # 999,999 participants gained 2 points and one gained 3: t ≈ 2·10⁶, where Boost gives nan.
    n = 1_000_000
    sums = PairedSums(n, 0.0, 0.0, 0.0, 0.0, 2.0 * n + 1, 4.0 * n + 5)
    started = time.perf_counter()
    result = paired_result(sums)
    assert time.perf_counter() - started < 2
    assert result.sd_change == pytest.approx(0.001)
    assert result.d_z == pytest.approx(2000.001)
    assert 1990 < result.d_z_low < result.d_z < result.d_z_high < 2010


# -- edge cases ------------------------------------------------------------------------------


def test_it_gives_only_n_for_no_pairs():
    result = paired_result(PairedSums.zero())
    assert result.n == 0
    assert result.mean_change is None and result.ci_low is None and result.d_z is None
    assert result.small


def test_it_gives_the_means_but_no_spread_for_one_pair():
    result = paired_result(PairedSums.from_pairs([(7, 4)]))
    assert (result.mean_start, result.mean_end, result.mean_change) == (7, 4, -3)
    assert result.sd_change is None and result.sd_start is None
    assert result.ci_low is None and result.ci_high is None
    assert result.d_z is None and result.d_z_low is None and result.d_z_high is None


@pytest.mark.parametrize(
    "pairs",
    [
        [(3, 5), (1, 3), (8, 10)],
        [(0.3, 0.4), (0.7, 0.8), (2.9, 3.0), (1.1, 1.2)],  # 0.1 is not exact in floating point
        [(4, 4), (6, 6)],
    ],
)
def test_it_gives_no_d_z_when_everyone_changed_alike(pairs):
    result = paired_result(PairedSums.from_pairs(pairs))
    assert result.sd_change == 0
    assert result.ci_low == result.ci_high == result.mean_change
    assert result.d_z is None and result.d_z_low is None and result.d_z_high is None


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.1])
def test_it_rejects_a_confidence_outside_0_and_1(confidence):
    with pytest.raises(ValueError, match="confidence"):
        paired_result(PairedSums.from_pairs([(1, 2), (2, 4)]), confidence=confidence)


pairs_strategy = st.lists(
    st.tuples(
        st.integers(0, 11) | st.floats(0, 100, allow_nan=False),
        st.integers(0, 11) | st.floats(0, 100, allow_nan=False),
    ),
    min_size=2,
    max_size=200,
)


@settings(max_examples=150, deadline=None)
@given(
    pairs=pairs_strategy,
    confidences=st.tuples(st.floats(0.5, 0.999), st.floats(0.5, 0.999)),
)
def test_it_contains_the_estimate_in_intervals_that_widen_with_confidence(pairs, confidences):
    lower, higher = sorted(confidences)
    assume(higher - lower > 1e-6)
    sums = PairedSums.from_pairs(pairs)
    narrow, wide = paired_result(sums, lower), paired_result(sums, higher)

    assert wide.ci_low <= narrow.ci_low <= narrow.mean_change <= narrow.ci_high <= wide.ci_high
    if narrow.d_z is not None:
        assert wide.d_z_low <= narrow.d_z_low < narrow.d_z < narrow.d_z_high <= wide.d_z_high


# -- reliable change -------------------------------------------------------------------------


def test_it_computes_the_rci_of_a_worked_example():
    # Loneliness 5 → 2 (lower is better), reference SD 1.8, reliability 0.76:
    # S_diff = √2 · 1.8 · √(1 − 0.76) = 1.8 · √0.48 = 1.8 · 0.69282032 = 1.24707658
    # RCI = (2 − 5) / 1.24707658 = −2.40562612, beyond −1.96: a reliable improvement.
    assert rci(5, 2, sd=1.8, r=0.76) == pytest.approx(-2.40562612, abs=1e-8)
    assert reliable_change(5, 2, sd=1.8, r=0.76, higher_is_better=False) == 1
    # The same drop on a scale where higher is better is a reliable deterioration.
    assert reliable_change(5, 2, sd=1.8, r=0.76, higher_is_better=True) == -1
    # 5 → 3: RCI = −2 / 1.24707658 = −1.60375075, within measurement error.
    assert rci(5, 3, sd=1.8, r=0.76) == pytest.approx(-1.60375075, abs=1e-8)
    assert reliable_change(5, 3, sd=1.8, r=0.76, higher_is_better=False) == 0


def test_it_needs_more_than_1_96_for_reliable_change():
    s_diff = math.sqrt(2) * 10 * math.sqrt(1 - 0.5)  # = 10
    assert reliable_change(50, 50 + 1.96 * s_diff, sd=10, r=0.5, higher_is_better=True) == 0
    assert reliable_change(50, 50 + 1.97 * s_diff, sd=10, r=0.5, higher_is_better=True) == 1
    assert reliable_change(50, 50 - 1.97 * s_diff, sd=10, r=0.5, higher_is_better=True) == -1


@pytest.mark.parametrize(
    ("sd", "r", "message"),
    [(1.8, 1.0, "reliability"), (1.8, 1.2, "reliability"), (0, 0.8, "SD"), (-1, 0.8, "SD")],
)
def test_it_rejects_an_rci_without_measurement_error(sd, r, message):
    with pytest.raises(ValueError, match=message):
        rci(5, 2, sd=sd, r=r)
    with pytest.raises(ValueError, match=message):
        reliable_change(5, 2, sd=sd, r=r, higher_is_better=False)


# -- shares ----------------------------------------------------------------------------------


def test_it_computes_the_wilson_interval_of_a_worked_example():
    # 8 of 20 improved reliably; z = 1.959964, z² = 3.841459:
    # centre = (8 + z²/2) / (20 + z²) = 9.920729 / 23.841459 = 0.416113
    # half   = z · √(8 · 12 / 20 + z²/4) / (20 + z²) = 1.959964 · √5.760365 / 23.841459 = 0.197306
    result = share(8, 20)
    assert result.proportion == 0.4
    assert result.low == pytest.approx(0.416113 - 0.197306, abs=1e-6)
    assert result.high == pytest.approx(0.416113 + 0.197306, abs=1e-6)
    assert not result.small


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_it_matches_newcombes_published_wilson_intervals(k, n, low, high):
    # Newcombe (1998), Statistics in Medicine 17:857–872, table II, method 3.
    result = share(k, n)
    assert (round(result.low, 4), round(result.high, 4)) == (low, high)


def test_it_keeps_shares_of_none_and_all_inside_0_and_1():
    assert share(0, 5).low == 0.0 and share(0, 5).high < 1
    assert share(5, 5).high == 1.0 and share(5, 5).low > 0


def test_it_gives_no_share_of_nobody():
    result = share(0, 0)
    assert result.proportion is None and result.low is None and result.high is None
    assert result.small


@pytest.mark.parametrize(("k", "n"), [(-1, 5), (6, 5), (1, -1)])
def test_it_rejects_impossible_shares(k, n):
    with pytest.raises(ValueError, match="0 ≤ k ≤ n"):
        share(k, n)


def test_it_marks_fewer_than_twenty_as_small():
    assert SMALL_N == 20
    assert is_small(0) and is_small(19)
    assert not is_small(20) and not is_small(1_000_000)
    assert paired_result(PairedSums.from_pairs([(1, 2), (2, 4)])).small
