"""Outcome statistics from running sums: paired change, its effect size, reliable change, shares.

Everything works on sufficient statistics, so the sums of any selection of groups can be added
and turned into exact figures without reading a single measurement again (ADR 0006).
Pure Python and SciPy; no Django here.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from scipy import integrate, optimize, special, stats

# Below 20 pairs one participant moves a share by more than 5 percentage points, and the 95%
# interval of a mean change is wider than ±0.47 SD (t(0.975; 19) / √20), as wide as the effects
# social interventions hope for. Such figures are still shown, but marked as uncertain.
SMALL_N = 20

# Jacobson & Truax (1991): a change is reliable when it would arise from measurement error alone
# in fewer than 5% of cases.
RCI_THRESHOLD = 1.96

# Boost's noncentral t (behind scipy.stats.nct) is exact to ~1e-12 up to here, loses digits
# past t ≈ 10⁴, returns nan from 10⁶ on and takes seconds per call at 10⁸. Integer scores at
# large n reach such t when nearly everyone changes by the same amount.
_HUGE_T = 1000.0

# A sum of squared deviations below this fraction of the sum of squares is rounding noise of
# the sums, not variation: treating it as variation would turn "everyone changed by exactly 0.1"
# into an effect size of millions.
_ZERO_VARIANCE = 1e-12


@dataclass(frozen=True)
class PairedSums:
    """Running sums of one group of (start, end) pairs, d = end − start; groups add up."""

    n: int
    sum_x1: float
    sum_x1_sq: float
    sum_x2: float
    sum_x2_sq: float
    sum_d: float
    sum_d_sq: float

    @classmethod
    def zero(cls) -> PairedSums:
        return cls(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[float, float]]) -> PairedSums:
        """Sums of the pairs, each correctly rounded (math.fsum), so regrouping changes nothing."""
        x1s, x2s = [], []
        for x1, x2 in pairs:
            x1s.append(float(x1))
            x2s.append(float(x2))
        ds = [x2 - x1 for x1, x2 in zip(x1s, x2s, strict=True)]
        return cls(
            n=len(ds),
            sum_x1=math.fsum(x1s),
            sum_x1_sq=math.fsum(x * x for x in x1s),
            sum_x2=math.fsum(x2s),
            sum_x2_sq=math.fsum(x * x for x in x2s),
            sum_d=math.fsum(ds),
            sum_d_sq=math.fsum(d * d for d in ds),
        )

    def __add__(self, other: object) -> PairedSums:
        if not isinstance(other, PairedSums):
            return NotImplemented
        return PairedSums(
            n=self.n + other.n,
            sum_x1=self.sum_x1 + other.sum_x1,
            sum_x1_sq=self.sum_x1_sq + other.sum_x1_sq,
            sum_x2=self.sum_x2 + other.sum_x2,
            sum_x2_sq=self.sum_x2_sq + other.sum_x2_sq,
            sum_d=self.sum_d + other.sum_d,
            sum_d_sq=self.sum_d_sq + other.sum_d_sq,
        )


@dataclass(frozen=True)
class PairedResult:
    """Change from start to end; a figure is None when the data cannot give it."""

    n: int
    confidence: float
    mean_start: float | None = None
    mean_end: float | None = None
    mean_change: float | None = None
    sd_start: float | None = None
    sd_end: float | None = None
    sd_change: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    d_z: float | None = None
    d_z_low: float | None = None
    d_z_high: float | None = None

    @property
    def small(self) -> bool:
        return is_small(self.n)


def paired_result(sums: PairedSums, confidence: float = 0.95) -> PairedResult:
    """Mean change with its t interval; d_z (mean change / SD of change) with its exact interval.

    n = 0 gives only n; n = 1 gives the means but no SD, so no intervals and no d_z. When every
    pair changed by the same amount (SD of change 0) the mean interval collapses onto the mean
    and d_z is None: a change divided by zero spread is no effect size, and "infinitely large"
    would read as a huge effect rather than as a sign of too little or too uniform data.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1, not {confidence}")
    n = sums.n
    if n == 0:
        return PairedResult(n=0, confidence=confidence)
    mean_start, mean_end, mean_change = sums.sum_x1 / n, sums.sum_x2 / n, sums.sum_d / n
    if n == 1:
        return PairedResult(
            n=1,
            confidence=confidence,
            mean_start=mean_start,
            mean_end=mean_end,
            mean_change=mean_change,
        )

    sd_change = _sd(n, sums.sum_d, sums.sum_d_sq)
    half_width = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * sd_change / math.sqrt(n)
    result = PairedResult(
        n=n,
        confidence=confidence,
        mean_start=mean_start,
        mean_end=mean_end,
        mean_change=mean_change,
        sd_start=_sd(n, sums.sum_x1, sums.sum_x1_sq),
        sd_end=_sd(n, sums.sum_x2, sums.sum_x2_sq),
        sd_change=sd_change,
        ci_low=mean_change - half_width,
        ci_high=mean_change + half_width,
    )
    if sd_change == 0:
        return result
    d_z = mean_change / sd_change
    d_z_low, d_z_high = _d_z_interval(d_z, n, confidence)
    return dataclasses.replace(result, d_z=d_z, d_z_low=d_z_low, d_z_high=d_z_high)


def _sd(n: int, total: float, total_sq: float) -> float:
    """Sample SD (n − 1) from the sums; exact for integer scores, whose sums are exact floats."""
    deviations_sq = total_sq - total * total / n
    if deviations_sq <= _ZERO_VARIANCE * total_sq:
        return 0.0
    return math.sqrt(deviations_sq / (n - 1))


def _d_z_interval(d_z: float, n: int, confidence: float) -> tuple[float, float]:
    """Invert the noncentral t: the noncentralities that put t at the interval's two quantiles.

    Exact for normally distributed changes at any n, where the usual d ± z·SE is too narrow for
    small n and large d. Solved for |t| and mirrored: the noncentral t is symmetric under
    (t, δ) → (−t, −δ).
    """
    df = n - 1
    t = abs(d_z) * math.sqrt(n)
    cdf = _nct_cdf if t <= _HUGE_T else _nct_cdf_huge_t
    low = _noncentrality(lambda ncp: cdf(t, df, ncp), t, (1 + confidence) / 2)
    high = _noncentrality(lambda ncp: cdf(t, df, ncp), t, (1 - confidence) / 2)
    if d_z < 0:
        low, high = -high, -low
    return low / math.sqrt(n), high / math.sqrt(n)


def _noncentrality(cdf: Callable[[float], float], t: float, target: float) -> float:
    """The noncentrality whose cdf at t equals target; the cdf falls as the noncentrality grows."""
    step = 1.0 + t / 2
    low, high = t - step, t + step
    while cdf(low) < target:
        low -= step
        step *= 2
    while cdf(high) > target:
        high += step
        step *= 2
    return float(optimize.brentq(lambda ncp: cdf(ncp) - target, low, high, xtol=1e-12))


def _nct_cdf(t: float, df: int, ncp: float) -> float:
    p = float(stats.nct.cdf(t, df, ncp))
    if math.isnan(p):
        # Boost has nan holes far out in the tails, where the cdf is 1 (ncp well below t) or 0
        # to double precision; the search for the bounds may step there.
        return 1.0 if ncp < t else 0.0
    return p


def _nct_cdf_huge_t(t: float, df: int, ncp: float) -> float:
    """P(T ≤ t) for t > 0 by integrating over the normal part Z of T = (Z + δ) / √(V / df).

    T ≤ t always when Z + δ ≤ 0, else exactly when V ≥ df·((Z + δ) / t)²; for large t the
    chi-square tail is smooth in Z, so plain quadrature stays exact where Boost's series fail.
    """
    lowest = max(-ncp, -12.0)  # the normal density beyond ±12 is below 1e-31
    below = float(special.ndtr(-ncp))
    if lowest >= 12.0:
        return below

    def integrand(z: float) -> float:
        chi_sq = df * ((z + ncp) / t) ** 2
        return math.exp(-z * z / 2) / math.sqrt(2 * math.pi) * float(special.chdtrc(df, chi_sq))

    above, _ = integrate.quad(integrand, lowest, 12.0, epsabs=1e-14, epsrel=1e-12, limit=200)
    return below + above


def rci(x1: float, x2: float, sd: float, r: float) -> float:
    """Reliable change index (Jacobson & Truax): the change in units of measurement error.

    S_diff = √2 · SD · √(1 − r), with SD and r (reliability) from the instrument definition.
    """
    if not sd > 0:
        raise ValueError(f"the reference SD must be positive, not {sd}")
    if not r < 1:
        raise ValueError(f"the reliability must be below 1, not {r}: S_diff would be 0")
    s_diff = math.sqrt(2) * sd * math.sqrt(1 - r)
    return (x2 - x1) / s_diff


def reliable_change(x1: float, x2: float, sd: float, r: float, higher_is_better: bool) -> int:
    """+1 reliable improvement, −1 reliable deterioration, 0 otherwise (|RCI| > 1.96)."""
    index = rci(x1, x2, sd, r)
    if not higher_is_better:
        index = -index
    if index > RCI_THRESHOLD:
        return 1
    if index < -RCI_THRESHOLD:
        return -1
    return 0


@dataclass(frozen=True)
class Share:
    """k of n with the Wilson interval; proportion and interval are None when n is 0."""

    k: int
    n: int
    proportion: float | None
    low: float | None
    high: float | None

    @property
    def small(self) -> bool:
        return is_small(self.n)


def share(k: int, n: int, confidence: float = 0.95) -> Share:
    """k of n (e.g. with reliable improvement) with the Wilson score interval.

    Wilson rather than p ± z·SE: it stays inside [0, 1] and keeps its coverage for small n and
    for shares near 0% or 100%, where the simple interval collapses to a point.
    """
    if not 0 <= k <= n:
        raise ValueError(f"a share needs 0 ≤ k ≤ n, not k={k}, n={n}")
    if n == 0:
        return Share(k=0, n=0, proportion=None, low=None, high=None)
    z = float(stats.norm.ppf((1 + confidence) / 2))
    centre = (k + z * z / 2) / (n + z * z)
    half_width = z * math.sqrt(k * (n - k) / n + z * z / 4) / (n + z * z)
    return Share(
        k=k,
        n=n,
        proportion=k / n,
        low=max(0.0, centre - half_width),
        high=min(1.0, centre + half_width),
    )


def is_small(n: int) -> bool:
    """Whether a figure over n participants is marked as uncertain (see SMALL_N)."""
    return n < SMALL_N
