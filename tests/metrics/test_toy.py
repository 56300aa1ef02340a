"""Toy metrics against closed forms, independent numerical integrals and constructed sets.

Sampled checks use fixed seeds and 200,000 samples per side; each tolerance is about five
standard deviations of the estimate over seeds (measured when the test was written), plus
the known upward bias of plug-in histogram estimates where it matters.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ganlab.kernel.config import DataConfig
from ganlab.kernel.registry import DATA_SOURCES
from ganlab.metrics import toy
from ganlab.metrics.toy import (
    DEFAULT_SAMPLES,
    GridDivergences,
    d_lower_bound,
    default_bins,
    grid_divergences,
    mode_coverage,
    wasserstein_1d,
)

LN2 = math.log(2.0)
N = 200_000  # samples per side in the sampled checks
RING_SIGMA, GRID_SIGMA = 0.01, 0.05
RING_BOUNDS = ((-1.5, 1.5), (-1.5, 1.5))
GRID_BOUNDS = ((-5.5, 5.5), (-5.5, 5.5))


# --------------------------------------------------------------------------- closed forms


def jsd_mode_dropping(k: int, big_k: int) -> float:
    """JSD between K equal, disjoint modes and a generator on k of them (equal weights).

    On a covered mode the densities are in the constant ratio k/K, on a dropped one the
    generator is 0, so the integral reduces to sums over modes.
    """
    return 0.5 * (
        (k / big_k) * math.log(2.0 * k / (k + big_k))
        + ((big_k - k) / big_k) * LN2
        + math.log(2.0 * big_k / (k + big_k))
    )


def jsd_shifted_gaussians(mu: float) -> float:
    """JSD(N(0, 1), N(mu, 1)) by the trapezoid rule on [-20, 20 + mu], 400,001 nodes.

    The integrand is smooth and negligible at the ends, where the trapezoid rule converges
    faster than any power of the step, so the result is exact to rounding. Written with
    log densities so that the tails do not underflow into 0 / 0.
    """
    x = np.linspace(-20.0, 20.0 + mu, 400_001)
    lp, lq = -0.5 * x**2, -0.5 * (x - mu) ** 2
    lm = np.logaddexp(lp, lq) - LN2
    integrand = 0.5 * (np.exp(lp) * (lp - lm) + np.exp(lq) * (lq - lm)) / math.sqrt(2 * math.pi)
    return float(np.trapezoid(integrand, x))


def normal_pdf(x: np.ndarray, mu: float = 0.0) -> np.ndarray:
    return np.exp(-0.5 * (x - mu) ** 2) / math.sqrt(2 * math.pi)


def ring_modes(k: int) -> np.ndarray:
    angles = 2.0 * np.pi * np.arange(k) / k
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def grid_modes() -> np.ndarray:
    values = np.arange(-4.0, 5.0, 2.0)
    xs, ys = np.meshgrid(values, values, indexing="ij")
    return np.stack([xs.ravel(), ys.ravel()], axis=1)


def mixture_sample(rng: np.random.Generator, means: np.ndarray, sigma: float, n: int):
    return means[rng.integers(len(means), size=n)] + sigma * rng.standard_normal((n, 2))


def mixture_pdf(means: np.ndarray, sigma: float):
    """Exact density of the equal-weight isotropic 2-D mixture, written independently."""

    def pdf(x: np.ndarray) -> np.ndarray:
        sq = ((x[:, None, :] - means[None, :, :]) ** 2).sum(axis=2)
        return np.exp(-sq / (2 * sigma**2)).mean(axis=1) / (2 * math.pi * sigma**2)

    return pdf


def test_closed_form_helpers_are_sane():
    assert jsd_mode_dropping(8, 8) == pytest.approx(0.0, abs=1e-15)
    assert jsd_mode_dropping(1, 10**9) == pytest.approx(LN2, abs=1e-7)
    assert jsd_shifted_gaussians(0.0) == pytest.approx(0.0, abs=1e-15)
    assert jsd_shifted_gaussians(40.0) == pytest.approx(LN2, abs=1e-12)


# --------------------------------------------------------------------------- mode dropping

MODE_DROPPING = [
    ("ring", 8, 1),
    ("ring", 8, 4),
    ("ring", 8, 7),
    ("ring", 8, 8),
    ("grid", 25, 1),
    ("grid", 25, 10),
    ("grid", 25, 24),
    ("grid", 25, 25),
]


def _layout(name: str) -> tuple[np.ndarray, float, tuple[tuple[float, float], ...]]:
    if name == "ring":
        return ring_modes(8), RING_SIGMA, RING_BOUNDS
    return grid_modes(), GRID_SIGMA, GRID_BOUNDS


@pytest.mark.parametrize(("layout", "big_k", "k"), MODE_DROPPING)
def test_mode_dropping_jsd_from_histograms(layout, big_k, k):
    means, sigma, bounds = _layout(layout)
    rng = np.random.default_rng(big_k * 100 + k)
    real = mixture_sample(rng, means, sigma, N)
    fake = mixture_sample(rng, means[:k], sigma, N)
    result = grid_divergences(real, fake, bounds, length_scale=sigma)
    assert result.bins == 400  # the cap: sigma / 2 cells would need 600 and 440 per axis
    # Measured: |error| < 1.5e-3 on the ring and < 5.5e-3 on the grid, where the plug-in
    # bias of ~2,300 occupied cells dominates; the brief's 1e-2 holds with margin.
    assert result.jsd == pytest.approx(jsd_mode_dropping(k, big_k), abs=1e-2)
    # The TV's plug-in bias, about sqrt(occupied cells / N), is far larger: 0.024 on the
    # ring and 0.058 on the grid at k = K. It is checked exactly in the next test.
    assert 1.0 - k / big_k - 1e-2 <= result.tv <= 1.0 - k / big_k + 0.1
    assert result.fake_outside == 0.0
    assert result.real_outside == 0.0
    assert not result.real_exact


@pytest.mark.parametrize(("layout", "big_k", "k"), MODE_DROPPING)
def test_mode_dropping_jsd_is_exact_from_exact_densities(layout, big_k, k):
    means, sigma, bounds = _layout(layout)
    result = grid_divergences(
        None,
        None,
        bounds,
        length_scale=sigma,
        real_density=mixture_pdf(means, sigma),
        fake_density=mixture_pdf(means[:k], sigma),
    )
    assert result.real_exact
    assert result.jsd == pytest.approx(jsd_mode_dropping(k, big_k), abs=1e-9)
    assert result.tv == pytest.approx(1.0 - k / big_k, abs=1e-9)
    # KL(p_g || p_data) = ln(K / k): the generator only lives where p_data does. The floor
    # spreads eps * cells = 1.6e-5 of each distribution evenly, where the ratio is 1, so
    # the grid gives ln(K / k) (1 - 1.6e-5).
    assert result.kl_fake_real == pytest.approx(math.log(big_k / k), rel=3e-5, abs=1e-12)
    if k < big_k:  # dropped modes: KL(p_data || p_g) is infinite, held finite by the
        # floor at about the dropped mass times ln(cell mass / eps), with cell masses of
        # 1e-5 and more on the modes.
        assert result.kl_real_fake > (1.0 - k / big_k) * math.log(1e-5 / result.eps)
    else:
        assert result.kl_real_fake == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize(("layout", "big_k", "k"), [("ring", 8, 3), ("grid", 25, 12)])
def test_mode_dropping_jsd_with_exact_real_density_and_sampled_fake(layout, big_k, k):
    means, sigma, bounds = _layout(layout)
    fake = mixture_sample(np.random.default_rng(k), means[:k], sigma, N)
    result = grid_divergences(
        None, fake, bounds, length_scale=sigma, real_density=mixture_pdf(means, sigma)
    )
    assert result.real_exact
    assert result.jsd == pytest.approx(jsd_mode_dropping(k, big_k), abs=1e-2)


def test_density_that_returns_none_falls_back_to_the_histogram():
    real = np.zeros((10, 2))
    result = grid_divergences(real, real, RING_BOUNDS, bins=8, real_density=lambda x: None)
    assert not result.real_exact
    assert result.jsd == 0.0


# --------------------------------------------------------------------------- 1-D gaussians


@pytest.mark.parametrize("mu", [0.5, 1.0, 2.0])
def test_shifted_gaussians_jsd_tv_w1(mu):
    rng = np.random.default_rng(int(mu * 10))
    real = rng.standard_normal(N)
    fake = rng.standard_normal(N) + mu
    bounds = ((-6.5, 6.5 + mu),)
    result = grid_divergences(real, fake, bounds, length_scale=1.0)
    assert result.bins == math.ceil((13.0 + mu) * 10)  # cells of length_scale / 10
    # Seed-to-seed std: JSD 9e-4, TV 1.6e-3, W1 3.7e-3.
    assert result.jsd == pytest.approx(jsd_shifted_gaussians(mu), abs=5e-3)
    assert result.tv == pytest.approx(math.erf(mu / (2 * math.sqrt(2))), abs=1e-2)
    assert wasserstein_1d(real, fake) == pytest.approx(mu, abs=2e-2)
    exact = grid_divergences(real, fake, bounds, length_scale=1.0, real_density=normal_pdf)
    assert exact.jsd == pytest.approx(jsd_shifted_gaussians(mu), abs=5e-3)


@pytest.mark.parametrize("mu", [0.5, 1.0])
def test_shifted_gaussians_kl_from_histograms(mu):
    rng = np.random.default_rng(int(mu * 10) + 1)
    real = rng.standard_normal(N)
    fake = rng.standard_normal(N) + mu
    result = grid_divergences(real, fake, ((-6.5, 6.5 + mu),), length_scale=1.0)
    # Both directions are mu^2 / 2. Seed-to-seed: bias +6e-3, std 5e-3 at mu = 1. For a
    # larger shift the tail of one sample falls in cells empty in the other and the floor
    # makes the plug-in KL overshoot (by 0.1 at mu = 2): see the next test.
    assert result.kl_real_fake == pytest.approx(mu**2 / 2, abs=3e-2)
    assert result.kl_fake_real == pytest.approx(mu**2 / 2, abs=3e-2)


@pytest.mark.parametrize("mu", [0.5, 1.0, 2.0])
def test_shifted_gaussians_kl_fake_real_with_exact_density(mu):
    # With p_data exact (positive everywhere) KL(p_g || p_data) has no empty-cell problem.
    fake = np.random.default_rng(int(mu * 10) + 2).standard_normal(N) + mu
    result = grid_divergences(
        None, fake, ((-6.5, 6.5 + mu),), length_scale=1.0, real_density=normal_pdf
    )
    assert result.kl_fake_real == pytest.approx(mu**2 / 2, abs=3e-2)
    # p_data outside the bounds: the two gaussian tails, Phi(-6.5) + 1 - Phi(6.5 + mu).
    tails = 0.5 * (math.erfc(6.5 / math.sqrt(2)) + math.erfc((6.5 + mu) / math.sqrt(2)))
    # The midpoint rule's error, h^2 / 24 |f'| at the two ends, is about 1e-12.
    assert result.real_outside == pytest.approx(tails, abs=5e-12)


def test_shifted_gaussians_exact_on_both_sides():
    mu = 1.0
    result = grid_divergences(
        None,
        None,
        ((-8.0, 9.0),),
        length_scale=1.0,
        real_density=normal_pdf,
        fake_density=lambda x: normal_pdf(x, mu),
    )
    # Only binning (cells of 0.1) and the midpoint rule separate these from the truth:
    # about h^2 / 12 = 1e-3 of the value.
    assert result.jsd == pytest.approx(jsd_shifted_gaussians(mu), rel=2e-3)
    assert result.kl_real_fake == pytest.approx(mu**2 / 2, rel=2e-3)
    assert result.kl_fake_real == pytest.approx(mu**2 / 2, rel=2e-3)
    assert result.tv == pytest.approx(math.erf(mu / (2 * math.sqrt(2))), rel=2e-3)


# --------------------------------------------------------------------------- grid edge cases


def test_identical_samples_give_zero():
    x = np.random.default_rng(0).normal(size=(5000, 2))
    result = grid_divergences(x, x.copy(), ((-3.0, 3.0), (-3.0, 3.0)))
    assert (result.jsd, result.tv, result.kl_real_fake, result.kl_fake_real) == (0, 0, 0, 0)


def test_disjoint_samples_give_ln2_and_tv_one():
    rng = np.random.default_rng(1)
    real = rng.uniform(-1.0, -0.5, size=(3000, 2))
    fake = rng.uniform(0.5, 1.0, size=(2000, 2))
    result = grid_divergences(real, fake, ((-1.0, 1.0), (-1.0, 1.0)), bins=20)
    assert result.jsd == pytest.approx(LN2, abs=1e-12)
    assert result.tv == pytest.approx(1.0, abs=1e-12)
    # Only the floor keeps the KL finite: about ln(cell mass / eps) = ln(1e-2 / 1e-10).
    assert result.kl_real_fake > 15.0


def test_generator_entirely_off_the_grid_is_maximally_divergent():
    real = np.random.default_rng(2).uniform(-1.0, 1.0, size=(1000, 1))
    fake = np.full((500, 1), 50.0)
    result = grid_divergences(real, fake, ((-2.0, 2.0),))
    assert result.fake_outside == 1.0
    assert result.jsd == pytest.approx(LN2, abs=1e-12)
    assert result.tv == pytest.approx(1.0, abs=1e-12)


def test_outside_fractions_are_counted_exactly():
    bounds = ((-1.0, 1.0), (0.0, 2.0))
    fake = np.array(
        [
            [0.0, 1.0],  # inside
            [1.0, 2.0],  # on the upper corner: inside (last cell)
            [-1.0, 0.0],  # on the lower corner: inside
            [1.0 + 1e-12, 1.0],  # just outside in x
            [0.0, -1e-12],  # just outside in y
            [np.nan, 1.0],  # diverged: outside
            [np.inf, np.inf],
            [0.5, 0.5],
        ]
    )
    real = np.array([[0.0, 1.0], [0.0, 5.0], [0.2, 0.2], [0.3, 0.3]])
    result = grid_divergences(real, fake, bounds, bins=4)
    assert result.fake_outside == 4 / 8
    assert result.real_outside == 1 / 4


def test_upper_bound_falls_in_the_last_cell():
    # 0.99 and the upper bound 1.0 share the last of 2 cells; 0.49 is in the first.
    same = grid_divergences(np.array([0.99]), np.array([1.0]), ((0.0, 1.0),), bins=2)
    assert same.jsd == 0.0
    other = grid_divergences(np.array([0.49]), np.array([1.0]), ((0.0, 1.0),), bins=2)
    assert other.jsd == pytest.approx(LN2)


def test_eps_floor_is_reported_and_sets_the_kl_scale():
    real, fake = np.array([[0.1]]), np.array([[0.9]])
    for eps in (1e-10, 1e-4):
        result = grid_divergences(real, fake, ((0.0, 1.0),), bins=2, eps=eps)
        assert result.eps == eps
        # Three cells (two plus overflow), each floored by eps then renormalised.
        p = np.array([1.0 + eps, eps, eps]) / (1.0 + 3 * eps)
        q = np.array([eps, 1.0 + eps, eps]) / (1.0 + 3 * eps)
        assert result.kl_real_fake == pytest.approx(float(np.sum(p * np.log(p / q))))
    assert grid_divergences(real, fake, ((0.0, 1.0),), bins=2, eps=0.0).kl_real_fake == math.inf


def test_default_bins():
    assert default_bins(RING_BOUNDS, 0.1) == 60  # width 3, cells of 0.05
    assert default_bins(RING_BOUNDS, 0.01) == 400  # capped
    assert default_bins(((-2.0, 2.0),), 0.5) == 80  # 1-D: cells of length_scale / 10
    assert default_bins(((-2.0, 2.0),), 1e-6) == 4000
    assert default_bins(((-2.0, 2.0), (0.0, 1.0)), 0.5) == 16  # the widest axis decides
    assert default_bins(RING_BOUNDS) == 100
    assert default_bins(((0.0, 1.0),)) == 200
    with pytest.raises(ValueError, match="1 or 2"):
        default_bins(((0, 1), (0, 1), (0, 1)))


def test_bad_inputs_are_refused():
    x = np.zeros((3, 2))
    with pytest.raises(ValueError, match="shape"):
        grid_divergences(x, np.zeros((3, 1)), RING_BOUNDS)
    with pytest.raises(ValueError, match="bounds"):
        grid_divergences(x, x, ((1.0, -1.0), (0.0, 1.0)))
    with pytest.raises(ValueError, match="no samples"):
        grid_divergences(np.zeros((0, 2)), x, RING_BOUNDS)
    with pytest.raises(ValueError, match="non-negative"):
        grid_divergences(x, x, RING_BOUNDS, bins=4, real_density=lambda p: -np.ones(len(p)))


def test_result_is_frozen():
    result = grid_divergences(np.zeros(4), np.zeros(4), ((-1.0, 1.0),))
    assert isinstance(result, GridDivergences)
    with pytest.raises(AttributeError):
        result.jsd = 1.0  # type: ignore[misc]


points_2d = arrays(
    np.float64,
    st.tuples(st.integers(1, 40), st.just(2)),
    elements=st.floats(-1.5, 1.5, allow_nan=False),
)


@settings(max_examples=60, deadline=None)
@given(real=points_2d, fake=points_2d, bins=st.integers(1, 12))
def test_divergences_are_symmetric_bounded_and_ordered(real, fake, bins):
    bounds = ((-1.0, 1.0), (-1.0, 1.0))
    ab = grid_divergences(real, fake, bounds, bins=bins)
    ba = grid_divergences(fake, real, bounds, bins=bins)
    assert ab.jsd == pytest.approx(ba.jsd, abs=1e-12)
    assert ab.tv == pytest.approx(ba.tv, abs=1e-12)
    assert ab.kl_real_fake == pytest.approx(ba.kl_fake_real, rel=1e-12, abs=1e-12)
    assert (ab.fake_outside, ab.real_outside) == (ba.real_outside, ba.fake_outside)
    assert 0.0 <= ab.jsd <= LN2
    assert 0.0 <= ab.tv <= 1.0
    # TV^2 / 2 <= JSD (Pinsker on each half) and JSD <= ln 2 * TV (Lin, 1991).
    assert ab.tv**2 / 2 - 1e-12 <= ab.jsd <= LN2 * ab.tv + 1e-12
    # Convexity of KL in its second argument: JSD <= (KL(p||q) + KL(q||p)) / 4 (the KLs
    # are of the floored histograms, hence the small slack).
    assert ab.jsd <= (ab.kl_real_fake + ab.kl_fake_real) / 4 + 1e-6


# --------------------------------------------------------------------------- D lower bound


def test_d_lower_bound_is_zero_for_a_constant_half():
    assert d_lower_bound(np.full(64, 0.5), np.full(64, 0.5)) == pytest.approx(0.0, abs=1e-15)


def test_d_lower_bound_tends_to_ln2_for_a_perfect_discriminator():
    values = [d_lower_bound(np.full(8, 1 - e), np.full(8, e)) for e in (1e-1, 1e-3, 1e-5)]
    assert values == sorted(values)
    assert values[-1] == pytest.approx(LN2, abs=1e-4)
    # Saturated in float32: exactly 1 and 0, clipped, still finite and just under ln 2.
    saturated = d_lower_bound(np.ones(8, np.float32), np.zeros(8, np.float32))
    assert LN2 - 1e-6 < saturated < LN2


def test_d_lower_bound_is_zero_not_negative_for_a_worse_than_constant_d():
    # Unclamped, (V + ln 4) / 2 would be 0.5 * (ln 0.7 + ln 0.3 + ln 4) < 0 here.
    assert 0.5 * (math.log(0.7) + math.log(0.3) + math.log(4)) < 0
    assert d_lower_bound(np.full(4, 0.7), np.full(4, 0.7)) == 0.0
    # A D that is confidently wrong, saturated the wrong way round in float32: about
    # -16 nats before the clamp (the issue saw -7 on the plot).
    assert d_lower_bound(np.zeros(8, np.float32), np.ones(8, np.float32)) == 0.0
    assert math.isnan(d_lower_bound(np.array([np.nan]), np.array([0.5])))


def test_d_lower_bound_of_a_better_than_constant_d_is_not_changed_by_the_clamp():
    value = d_lower_bound(np.full(4, 0.7), np.full(4, 0.3))
    assert value == pytest.approx(0.5 * (2 * math.log(0.7) + math.log(4)))
    assert value > 0


@settings(max_examples=200, deadline=None)
@given(
    arrays(np.float64, 16, elements=st.floats(0.0, 1.0)),
    arrays(np.float64, 16, elements=st.floats(0.0, 1.0)),
)
def test_d_lower_bound_lies_in_the_jsd_range(real, fake):
    assert 0.0 <= d_lower_bound(real, fake) <= LN2


def test_d_lower_bound_of_the_optimal_d_estimates_the_jsd():
    mu = 1.0
    rng = np.random.default_rng(5)
    real = rng.standard_normal(N)
    fake = rng.standard_normal(N) + mu

    def optimal(x):
        return normal_pdf(x) / (normal_pdf(x) + normal_pdf(x, mu))

    jsd = jsd_shifted_gaussians(mu)
    assert d_lower_bound(optimal(real), optimal(fake)) == pytest.approx(jsd, abs=5e-3)

    def worse(x):  # a sub-optimal D: the optimal one, squashed towards 1/2
        return 0.5 + 0.5 * (optimal(x) - 0.5)

    assert d_lower_bound(worse(real), worse(fake)) < jsd - 0.03


# --------------------------------------------------------------------------- mode coverage


def test_default_sample_count_is_the_literatures():
    assert DEFAULT_SAMPLES == 2500


@pytest.mark.parametrize("k", [1, 3, 8])
def test_samples_on_k_modes(k):
    modes, sigma = ring_modes(8), 0.01
    rng = np.random.default_rng(k)
    per_mode = 100
    fake = np.repeat(modes[:k], per_mode, axis=0) + 0.5 * sigma * rng.standard_normal(
        (k * per_mode, 2)
    ).clip(-2, 2)  # within 1.4 sigma of their mode: certainly high quality
    result = mode_coverage(fake, modes, sigma)
    assert result.modes_captured == k
    assert result.num_modes == 8
    assert result.high_quality == 1.0
    assert result.counts.tolist() == [per_mode] * k + [0] * (8 - k)
    assert result.reverse_kl == pytest.approx(math.log(8 / k), abs=1e-12)
    assert result.num_samples == k * per_mode


def test_uniform_coverage_has_zero_reverse_kl():
    modes = grid_modes()
    result = mode_coverage(np.repeat(modes, 3, axis=0), modes, 0.05)
    assert result.modes_captured == 25
    assert result.reverse_kl == 0.0


def test_samples_between_modes_are_low_quality():
    modes, sigma = ring_modes(8), 0.01
    between = 0.5 * (modes + np.roll(modes, 1, axis=0))  # midpoints of neighbouring modes
    fake = np.concatenate([between, modes[:2]])
    result = mode_coverage(fake, modes, sigma)
    assert result.high_quality == 2 / 10
    assert result.modes_captured == 2
    assert result.reverse_kl == pytest.approx(math.log(4))


def test_a_sample_counts_for_its_nearest_mode_only():
    modes, sigma = np.array([[0.0], [4.0]]), 1.0
    # 2.5 sigma from mode 0 (within 3 sigma) but 1.5 sigma from mode 1.
    result = mode_coverage(np.array([2.5]), modes, sigma)
    assert result.counts.tolist() == [0, 1]
    assert result.modes_captured == 1
    # On the boundary of 3 sigma: high quality (<=); just beyond: not.
    assert mode_coverage(np.array([[-3.0]]), modes, sigma).high_quality == 1.0
    assert mode_coverage(np.array([[-3.0 - 1e-9]]), modes, sigma).high_quality == 0.0


def test_no_high_quality_sample_gives_infinite_reverse_kl():
    modes = ring_modes(8)
    fake = np.array([[0.0, 0.0], [np.nan, 1.0], [np.inf, 0.0]])
    result = mode_coverage(fake, modes, 0.01)
    assert result.modes_captured == 0
    assert result.high_quality == 0.0
    assert result.reverse_kl == math.inf
    assert result.counts.tolist() == [0] * 8
    assert not result.counts.flags.writeable


def test_mixture_samples_match_the_chi_square_quality():
    # 2,500 samples from the ring itself: every mode is hit, and the high-quality share is
    # P(chi^2_2 <= 9) = 1 - exp(-4.5) for isotropic 2-D gaussians.
    modes, sigma = ring_modes(8), RING_SIGMA
    fake = mixture_sample(np.random.default_rng(3), modes, sigma, DEFAULT_SAMPLES)
    result = mode_coverage(fake, modes, sigma)
    assert result.modes_captured == 8
    p = 1.0 - math.exp(-4.5)
    assert result.high_quality == pytest.approx(p, abs=4 * math.sqrt(p * (1 - p) / 2500))
    assert result.reverse_kl < 0.02  # multinomial noise around 0: about (K - 1) / (2 n)


@settings(max_examples=60, deadline=None)
@given(
    fake=arrays(np.float64, st.tuples(st.integers(1, 50), st.just(2)), elements=st.floats(-2, 2)),
    k=st.integers(1, 8),
    sigma=st.floats(0.01, 0.5),
)
def test_mode_coverage_invariants(fake, k, sigma):
    modes = ring_modes(k)
    result = mode_coverage(fake, modes, sigma)
    assert result.counts.sum() == round(result.high_quality * len(fake))
    assert result.modes_captured == int((result.counts > 0).sum()) <= min(k, len(fake))
    if result.counts.sum():
        assert -1e-12 <= result.reverse_kl <= math.log(k) + 1e-12
    else:
        assert result.reverse_kl == math.inf


# --------------------------------------------------------------------------- Wasserstein


def _w1_by_quantiles(a: np.ndarray, b: np.ndarray) -> float:
    """∫_0^1 |F_a^-1(u) - F_b^-1(u)| du, exactly: the quantiles are constant between the
    breakpoints i / N and j / M. An independent route to the same quantity."""
    a, b = np.sort(a), np.sort(b)
    u = np.union1d(np.arange(len(a) + 1) / len(a), np.arange(len(b) + 1) / len(b))
    mid = 0.5 * (u[1:] + u[:-1])
    qa = a[np.minimum((mid * len(a)).astype(int), len(a) - 1)]
    qb = b[np.minimum((mid * len(b)).astype(int), len(b) - 1)]
    return float(np.sum(np.abs(qa - qb) * np.diff(u)))


samples_1d = arrays(np.float64, st.integers(1, 30), elements=st.floats(-100, 100))


@settings(max_examples=100, deadline=None)
@given(a=samples_1d, b=samples_1d)
def test_wasserstein_matches_the_quantile_formula(a, b):
    w = wasserstein_1d(a, b)
    assert w == pytest.approx(_w1_by_quantiles(a, b), rel=1e-9, abs=1e-9)
    assert w == pytest.approx(wasserstein_1d(b, a), rel=1e-12, abs=1e-12)
    if len(a) == len(b):
        assert w == pytest.approx(np.abs(np.sort(a) - np.sort(b)).mean(), rel=1e-9, abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(a=samples_1d, shift=st.floats(-50, 50))
def test_wasserstein_of_a_shift_is_the_shift(a, shift):
    assert wasserstein_1d(a, a + shift) == pytest.approx(abs(shift), rel=1e-9, abs=1e-9)
    assert wasserstein_1d(a, a.copy()) == 0.0


def test_wasserstein_refuses_empty_or_non_finite():
    with pytest.raises(ValueError, match="non-empty"):
        wasserstein_1d(np.array([]), np.array([1.0]))
    with pytest.raises(ValueError, match="finite"):
        wasserstein_1d(np.array([np.nan]), np.array([1.0]))


# --------------------------------------------------------------------------- with a real source


def test_with_the_registered_ring8_source():
    # How the trainer calls the metrics: the source's bounds, length scale, density, modes.
    source = DATA_SOURCES.get("ring8").build(DataConfig(source="ring8"))
    generator = torch.Generator().manual_seed(0)
    real = source.sample(N, generator)[0].numpy()
    fake = source.sample(DEFAULT_SAMPLES, generator)[0].numpy()
    bounds = source.spec.bounds
    result = grid_divergences(
        real, real, bounds, length_scale=source.length_scale, real_density=source.density
    )
    assert result.real_exact
    assert result.real_outside == pytest.approx(0.0, abs=1e-9)
    assert result.jsd < 5e-3  # the sample against its own exact density
    coverage = mode_coverage(fake, source.modes, source.mode_sigma)
    assert coverage.modes_captured == 8
    assert coverage.high_quality > 0.97


# --------------------------------------------------------------------------- noise floor


def _gaussian_draw(seed: int, shift: float = 0.0, scale: float = 1.0):
    rng = np.random.default_rng(seed)
    return lambda m: rng.normal(shift, scale, size=(m, 2))


BOUNDS_2D = [(-5.0, 5.0), (-5.0, 5.0)]


def test_floor_decreases_with_more_samples():
    floors = [
        toy.divergence_floor(_gaussian_draw(0), n, BOUNDS_2D, bins=40).jsd
        for n in (250, 1000, 4000, 16000)
    ]
    assert all(a > b for a, b in itertools.pairwise(floors))
    # the plug-in bias falls like 1/N: four times the samples, about a quarter of the floor
    assert floors[-1] < floors[0] / 8


@pytest.mark.parametrize("name", ["jsd", "kl_real_fake", "kl_fake_real", "tv"])
def test_floor_of_every_divergence_falls_with_samples(name):
    small = toy.divergence_floor(_gaussian_draw(1), 500, BOUNDS_2D, bins=40)
    large = toy.divergence_floor(_gaussian_draw(1), 8000, BOUNDS_2D, bins=40)
    assert getattr(large, name) < getattr(small, name)


def test_two_real_samples_sit_near_the_floor():
    draw = _gaussian_draw(2)
    floor = toy.divergence_floor(draw, 2500, BOUNDS_2D, bins=40, repeats=8)
    pair = toy.grid_divergences(draw(2500), draw(2500), BOUNDS_2D, bins=40)
    assert floor.jsd > 0
    assert abs(pair.jsd - floor.jsd) < 0.25 * floor.jsd
    assert abs(pair.tv - floor.tv) < 0.25 * floor.tv


def test_a_visibly_wrong_sample_is_far_above_the_floor():
    floor = toy.divergence_floor(_gaussian_draw(3), 2500, BOUNDS_2D, bins=40)
    wrong = _gaussian_draw(4, shift=2.0)(2500)  # shifted by two standard deviations
    div = toy.grid_divergences(_gaussian_draw(5)(2500), wrong, BOUNDS_2D, bins=40)
    assert div.jsd > 5 * floor.jsd
    assert div.tv > 3 * floor.tv


def test_floor_with_an_exact_density_uses_the_same_estimator():
    # Data side from the exact density: the floor is the histogram of one real sample
    # against it, so it is about half the two-histogram floor (one noisy side, not two).
    def density(x):
        return np.exp(-0.5 * (x**2).sum(axis=1)) / (2 * np.pi)

    exact = toy.divergence_floor(_gaussian_draw(6), 2500, BOUNDS_2D, bins=40, real_density=density)
    both = toy.divergence_floor(_gaussian_draw(6), 2500, BOUNDS_2D, bins=40)
    assert 0.3 * both.jsd < exact.jsd < 0.7 * both.jsd


def test_floor_cache_computes_once_per_sample_count_and_grid():
    calls = []
    base = _gaussian_draw(7)

    def draw(m):
        calls.append(m)
        return base(m)

    cache = toy.FloorCache(draw, BOUNDS_2D, repeats=2)
    first = cache.get(500, 40)
    assert cache.get(500, 40) is first
    assert len(calls) == 4  # two pairs
    cache.get(1000, 40)
    cache.get(500, 20)
    assert len(calls) == 12


def test_floor_refuses_no_samples():
    with pytest.raises(ValueError, match="at least 1"):
        toy.divergence_floor(_gaussian_draw(0), 0, BOUNDS_2D)


def test_trainer_reports_each_divergence_with_its_floor():
    from ganlab.engine.trainer import Trainer
    from tests.conftest import tiny_config

    trainer = Trainer(tiny_config(source="gaussian1d"))
    values = trainer.toy_metrics()
    for name in ("jsd", "kl_real_fake", "kl_fake_real", "tv"):
        assert 0 < values[f"{name}_floor"] < 1
    # an untrained generator is far from the data: above the floor
    assert values["jsd"] > values["jsd_floor"]
    again = trainer.toy_metrics()
    assert again["jsd_floor"] == values["jsd_floor"]  # cached for the segment
