"""Metrics for the toy (1-D and 2-D) distributions, computed on numpy arrays.

No Qt; called from the trainer thread and the CLI. No torch either: the trainer hands
over samples and discriminator outputs as numpy arrays, and everything here is float64.

Owns:

* :func:`grid_divergences`: JSD, KL in both directions and total variation between the
  data and the generator, from normalised histograms on one shared grid over the data
  bounds (or from the exact data density integrated per cell);
* :func:`divergence_floor` and :class:`FloorCache`: the same divergences between two
  independent samples of the data itself, the estimator's noise floor for a sample count
  and grid: a generator is only measurably better than another above it;
* :func:`d_lower_bound`: the lower bound on the JSD implied by a learned discriminator;
* :func:`mode_coverage`: modes captured, fraction of high-quality samples and the reverse
  KL of the mode histogram, as in VEEGAN and PacGAN, for mixtures of gaussians;
* :func:`wasserstein_1d`: the exact 1-Wasserstein distance between two 1-D samples.

All logarithms are natural: divergences are in nats (the JSD lies in ``[0, ln 2]``).

GAN Lab's grid KL / JS are biased: they are in bits, add a 1e-4 floor per cell without
renormalising, and count only part of the real samples (the loop that reads them shrinks
the array it reads with ``splice``). Here both distributions are normalised probability
vectors over the same cells, so the results converge to the divergences of the binned
distributions and, when every cell is small compared with the density's features, to the
true ones.
For example a generator that covers ``k`` of ``K`` equal, well-separated modes exactly
has ``JSD = ½[(k/K) ln(2k/(k+K)) + ((K-k)/K) ln 2 + ln(2K/(k+K))]``, and the grid gives
that value to rounding from exact densities and to sampling noise from histograms.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

# The mode-coverage statistics of VEEGAN (Srivastava et al., 2017) and PacGAN (Lin et al.,
# 2018) are computed on this many generated samples; comparisons with the literature
# should use the same number, because "modes captured" grows with the sample count.
DEFAULT_SAMPLES = 2500
# A sample is high quality when it lies within this many standard deviations of a mode.
DEFAULT_THRESHOLD = 3.0

# Default grid when no length scale is known: fine enough for the toy sources at their
# teaching scales, coarse enough that a few thousand samples fill the occupied cells.
_DEFAULT_BINS_1D = 200
_DEFAULT_BINS_2D = 100
# With a length scale the cell side is at most length_scale / cells-per-length. In 1-D
# cells are cheap, and binning a gaussian with cell h loses about h^2 / (12 sigma^2) of
# a divergence, so 1-D uses 10 cells per length scale (0.1 % loss); 2-D uses 2, which
# keeps well-separated modes in separate cells, the property the closed forms need.
_CELLS_PER_LENGTH_1D = 10.0
_CELLS_PER_LENGTH_2D = 2.0
# Caps: 400^2 = 160,000 cells in 2-D keep one histogram well under a few MB and fast.
_MAX_BINS_1D = 4000
_MAX_BINS_2D = 400
_MIN_BINS = 10
# Discriminator probabilities are clipped to [clip, 1 - clip] before the logarithm: D
# computed in float32 saturates at exactly 0 or 1, and 1e-7 is about float32's spacing
# below 1, so the clip changes no value that float32 can tell apart from the boundary.
_D_CLIP = 1e-7
# mode_coverage computes sample-to-mode distances this many values at a time.
_CHUNK_ELEMENTS = 1 << 18

Bounds = Sequence[tuple[float, float]]
Density = Callable[[np.ndarray], np.ndarray | None]


@dataclass(frozen=True)
class GridDivergences:
    """Divergences between the data and the generator on one grid, in nats.

    Attributes
    ----------
    jsd
        Jensen-Shannon divergence, in ``[0, ln 2]``.
    kl_real_fake
        KL(p_data || p_g): large when the generator drops data mass (mode dropping).
        Infinite in theory when p_g is 0 where p_data is not; here bounded by the floor
        ``eps``, so it is roughly the dropped mass times ``ln(cell mass / eps)``.
    kl_fake_real
        KL(p_g || p_data): large when the generator puts mass where there is no data.
    tv
        Total variation distance ``½ Σ |p - q|``, in ``[0, 1]``.
    bins
        Cells per axis of the grid (``bins ** d`` cells, plus one overflow cell).
    eps
        Probability floor added to every cell before the KL divergences.
    fake_outside
        Fraction of the generated samples outside the bounds (non-finite ones included).
    real_outside
        Fraction of the real mass outside the bounds: of the samples, or ``1 -`` the
        integral of the density over the grid.
    real_exact
        True when p_data came from the exact density rather than the real histogram.
    """

    jsd: float
    kl_real_fake: float
    kl_fake_real: float
    tv: float
    bins: int
    eps: float
    fake_outside: float
    real_outside: float
    real_exact: bool = False


@dataclass(frozen=True, eq=False)
class ModeCoverage:
    """How well generated samples cover the modes of a mixture of gaussians.

    Attributes
    ----------
    modes_captured
        Modes with at least one high-quality sample assigned to them.
    num_modes
        K, the number of modes.
    high_quality
        Fraction of the samples within ``threshold * sigma`` of their nearest mode.
    reverse_kl
        KL(generated mode histogram || uniform over the K modes) in nats, in
        ``[0, ln K]``; ``math.inf`` when no sample is high quality.
    counts
        High-quality samples assigned to each mode, int64 (K,), read-only.
    num_samples
        Number of generated samples evaluated.
    """

    modes_captured: int
    num_modes: int
    high_quality: float
    reverse_kl: float
    counts: np.ndarray
    num_samples: int


def default_bins(bounds: Bounds, length_scale: float | None = None) -> int:
    """Cells per axis that resolve a density with smallest feature ``length_scale``.

    Parameters
    ----------
    bounds
        One ``(lo, hi)`` per dimension (1 or 2 of them).
    length_scale
        Smallest feature size of the data density (a source's ``length_scale``, e.g. the
        standard deviation of its modes), or None for a fixed default.

    Returns
    -------
    int
        In 2-D, enough cells that a cell side is at most ``length_scale / 2`` on every
        axis, capped at 400; in 1-D at most ``length_scale / 10``, capped at 4000 (a 1-D
        histogram is cheap and the finer cells remove the binning bias of the KL).
        Without a length scale: 200 in 1-D, 100 in 2-D.
    """
    dim = len(bounds)
    if dim not in (1, 2):
        raise ValueError(f"toy metrics need 1 or 2 dimensions, got {dim}")
    if length_scale is None:
        return _DEFAULT_BINS_1D if dim == 1 else _DEFAULT_BINS_2D
    if not (length_scale > 0 and math.isfinite(length_scale)):
        raise ValueError(f"length_scale must be positive and finite, got {length_scale}")
    per_length, cap = (
        (_CELLS_PER_LENGTH_1D, _MAX_BINS_1D) if dim == 1 else (_CELLS_PER_LENGTH_2D, _MAX_BINS_2D)
    )
    widest = max(hi - lo for lo, hi in bounds)
    # The small slack keeps an exact multiple (width 3, cell 0.5) from gaining a cell.
    needed = math.ceil(widest * per_length / length_scale - 1e-9)
    return int(min(max(needed, _MIN_BINS), cap))


def grid_divergences(
    real: np.ndarray | None,
    fake: np.ndarray | None,
    bounds: Bounds,
    bins: int | None = None,
    eps: float = 1e-10,
    real_density: Density | None = None,
    *,
    length_scale: float | None = None,
    fake_density: Density | None = None,
) -> GridDivergences:
    """JSD, KL both ways and TV between real and generated samples on a shared grid.

    Both distributions become probability vectors over the same cells: a regular grid of
    ``bins`` cells per axis covering ``bounds`` (edges included), plus one overflow cell
    that holds everything outside the bounds, non-finite samples included. The overflow
    cell keeps a generator that wanders off the grid from looking good: its mass counts
    against it instead of being dropped before normalising.

    The JSD and TV need no floor (``0 ln 0 = 0`` and the mixture is positive wherever
    either distribution is), so they are computed from the histograms as they are. The KL
    divergences are infinite as soon as one histogram has an empty cell where the other
    has mass, which finite samples almost always produce; for them ``eps`` is added to
    every cell of both vectors, which are then renormalised.

    Parameters
    ----------
    real
        Real samples, shape (N, d) or (N,) with d = 1 or 2. Unused (may be None) when
        ``real_density`` gives the density.
    fake
        Generated samples, shape (M, d) or (M,). Unused (may be None) with
        ``fake_density``.
    bounds
        One ``(lo, hi)`` per dimension: the region of the grid (``DataSpec.bounds``).
    bins
        Cells per axis; None for :func:`default_bins` of ``bounds`` and ``length_scale``.
    eps
        Probability floor per cell for the KL divergences (see above), non-negative.
    real_density
        Exact density of the data, called on cell centres (C, d) and returning (C,)
        (``DataSource.density``). When given, p_data per cell is the density at the cell
        centre times the cell volume (midpoint rule) and ``real`` is not histogrammed; if
        it returns None (density unknown) the real histogram is used.
    length_scale
        Smallest feature of the data density, for the default bin count.
    fake_density
        Exact density of the generator, integrated the same way; for checks against
        closed forms. When given, ``fake`` is not histogrammed.

    Returns
    -------
    GridDivergences
        The divergences in nats and the grid settings.

    Notes
    -----
    The histogram estimates are biased upwards by sampling noise: the JSD by roughly
    (occupied cells) / (4 N) with N samples per side, the TV much more, by roughly
    sqrt(occupied cells / N). Use many samples (or the exact density) for fine grids.
    From two histograms the KL divergences overshoot wherever the second sample leaves
    cells empty under mass of the first (the tails of well-separated distributions),
    each such cell adding ``p ln(p / eps)``; ``kl_fake_real`` from an exact density that
    is positive everywhere does not have this problem. The floor itself moves the KL
    divergences by about ``eps * cells`` of their value. Binning can only lower a
    divergence (data processing), by a relative amount of order (cell / length scale)^2.
    """
    dim = len(bounds)
    if dim not in (1, 2):
        raise ValueError(f"toy metrics need 1 or 2 dimensions, got {dim}")
    lo = np.array([b[0] for b in bounds], dtype=np.float64)
    hi = np.array([b[1] for b in bounds], dtype=np.float64)
    if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi)) and np.all(hi > lo)):
        raise ValueError(f"bounds must be finite with lo < hi, got {bounds}")
    nbins = default_bins(bounds, length_scale) if bins is None else int(bins)
    if nbins < 1:
        raise ValueError(f"bins must be at least 1, got {bins}")
    if not (eps >= 0 and math.isfinite(eps)):
        raise ValueError(f"eps must be non-negative and finite, got {eps}")

    p, real_exact = None, False
    if real_density is not None:
        p = _density_cells(real_density, lo, hi, nbins)
        real_exact = p is not None
    if p is None:
        p = _histogram(_as_points(real, dim, "real"), lo, hi, nbins)
    q = _density_cells(fake_density, lo, hi, nbins) if fake_density is not None else None
    if q is None:
        q = _histogram(_as_points(fake, dim, "fake"), lo, hi, nbins)

    jsd = 0.5 * (_half_jsd_terms(p, q) + _half_jsd_terms(q, p))
    tv = 0.5 * float(np.abs(p - q).sum())
    p_floor = (p + eps) / (1.0 + eps * p.size)
    q_floor = (q + eps) / (1.0 + eps * q.size)
    return GridDivergences(
        # Rounding can step a hair outside the mathematical ranges; clamp it back.
        jsd=float(min(max(jsd, 0.0), math.log(2.0))),
        kl_real_fake=max(_kl_terms(p_floor, q_floor), 0.0),
        kl_fake_real=max(_kl_terms(q_floor, p_floor), 0.0),
        tv=min(max(tv, 0.0), 1.0),
        bins=nbins,
        eps=float(eps),
        fake_outside=float(q[-1]),
        real_outside=float(p[-1]),
        real_exact=real_exact,
    )


@dataclass(frozen=True)
class DivergenceFloor:
    """What :func:`grid_divergences` reports for a perfect generator, in nats.

    Each value is the mean over ``repeats`` draws of the divergence between the data and
    an independent sample of the data of the same size, on the same grid with the same
    estimator (exact density or histogram on the data side). A generator's value at or
    below its floor is indistinguishable from the data at this sample count.

    Attributes
    ----------
    jsd, kl_real_fake, kl_fake_real, tv
        Mean floors of the four divergences (see :class:`GridDivergences`).
    jsd_spread
        Standard deviation of the JSD over the repeats (0 for one repeat).
    samples, bins, repeats
        Sample count per side, cells per axis and number of draws averaged.
    """

    jsd: float
    kl_real_fake: float
    kl_fake_real: float
    tv: float
    jsd_spread: float
    samples: int
    bins: int
    repeats: int


def divergence_floor(
    draw: Callable[[int], np.ndarray],
    n: int,
    bounds: Bounds,
    bins: int | None = None,
    *,
    real_density: Density | None = None,
    length_scale: float | None = None,
    repeats: int = 4,
) -> DivergenceFloor:
    """The noise floor of :func:`grid_divergences` for ``n`` samples on one grid.

    Runs the estimator with a second, independent sample of the data in the place of the
    generated one: ``grid_divergences(draw(n), draw(n), ...)`` with the same grid and,
    when given, the same exact density, averaged over ``repeats`` pairs. The floor is the
    plug-in estimator's upward bias from sampling noise, of order (occupied cells) / N for
    the JSD and sqrt(cells / N) for the TV (Miller 1955; Paninski, "Estimation of entropy
    and mutual information", Neural Computation 15, 2003), which a generator's value
    contains too: only the part above the floor is a difference from the data.

    The grid stays the one chosen from the data's length scale (:func:`default_bins`),
    not one chosen from the sample count. Measured on the registered sources with 2,500
    samples, halving the cells until each occupied cell holds 10 samples lowers some
    floors (spiral JSD 0.23 -> 0.12) but raises others (grid25 at 50 cells: 0.12 -> 0.42,
    because the exact density is integrated by the midpoint rule, which needs cells
    smaller than the modes), and no fixed count per cell was better on every source. So
    the floor is reported beside the value instead, which is right on every grid.

    Parameters
    ----------
    draw
        ``draw(m)`` returns ``m`` fresh, independent samples of the data, (m, d) or (m,).
    n
        Samples per side: the generated sample count the floor is for.
    bounds, bins, real_density, length_scale
        As for :func:`grid_divergences`; pass the ones used for the generator.
    repeats
        Pairs averaged, at least 1.

    Returns
    -------
    DivergenceFloor
    """
    if n < 1 or repeats < 1:
        raise ValueError(f"n and repeats must be at least 1, got {n}, {repeats}")
    results = [
        grid_divergences(
            draw(n),
            draw(n),
            bounds,
            bins,
            real_density=real_density,
            length_scale=length_scale,
        )
        for _ in range(repeats)
    ]
    jsd = np.array([r.jsd for r in results])
    return DivergenceFloor(
        jsd=float(jsd.mean()),
        kl_real_fake=float(np.mean([r.kl_real_fake for r in results])),
        kl_fake_real=float(np.mean([r.kl_fake_real for r in results])),
        tv=float(np.mean([r.tv for r in results])),
        jsd_spread=float(jsd.std()),
        samples=int(n),
        bins=results[0].bins,
        repeats=int(repeats),
    )


class FloorCache:
    """Floors of one data source, computed once per (sample count, grid).

    Parameters
    ----------
    draw, bounds, real_density, length_scale
        As for :func:`divergence_floor`; fixed for the cache's life (one data source on
        one grid region: make a new cache when the data changes).
    repeats
        Pairs averaged per floor.
    """

    def __init__(
        self,
        draw: Callable[[int], np.ndarray],
        bounds: Bounds,
        *,
        real_density: Density | None = None,
        length_scale: float | None = None,
        repeats: int = 4,
    ):
        self._draw = draw
        self._bounds = tuple((float(lo), float(hi)) for lo, hi in bounds)
        self._density = real_density
        self._length_scale = length_scale
        self._repeats = repeats
        self._floors: dict[tuple[int, int], DivergenceFloor] = {}

    def get(self, n: int, bins: int) -> DivergenceFloor:
        """The floor for ``n`` samples per side on ``bins`` cells per axis."""
        key = (int(n), int(bins))
        if key not in self._floors:
            self._floors[key] = divergence_floor(
                self._draw,
                n,
                self._bounds,
                bins,
                real_density=self._density,
                length_scale=self._length_scale,
                repeats=self._repeats,
            )
        return self._floors[key]


def d_lower_bound(d_real: np.ndarray, d_fake: np.ndarray, clip: float = _D_CLIP) -> float:
    """The lower bound on JSD(p_data, p_g) implied by a discriminator, in nats.

    ``max(0, (V + ln 4) / 2)`` with ``V = mean ln D(x) + mean ln(1 - D(G(z)))``, the GAN
    value function estimated on a batch. For every D, the population value satisfies
    ``V(D) <= 2 JSD - ln 4``, with equality only for the optimal discriminator
    ``D* = p_data / (p_data + p_g)`` (Goodfellow et al., 2014). So ``(V + ln 4) / 2`` is
    a lower bound on the JSD that is tight only when D is optimal: a weak or lagging D
    gives a loose bound, and it says nothing about the JSD's upper side. The batch
    estimate is not a guaranteed bound either: measured on the batch D was just trained
    on, it can overshoot; evaluate on fresh samples.

    Why the clamp at 0: a D that does worse than the constant ½ (early in training, or
    after a live change of loss or learning rate) gives a negative ``(V + ln 4) / 2``,
    down to about -16 nats with the clipping below. The JSD is never negative, so such a
    value bounds nothing: ``JSD >= 0`` is already known, and the larger of two lower
    bounds is still a lower bound. Plotted raw, those values (several nats below zero)
    would also squash the JSD curve, whose whole range is ``[0, ln 2]``.

    Parameters
    ----------
    d_real
        D's probabilities that real samples are real, shape (B,) (sigmoid of the logits).
    d_fake
        D's probabilities that generated samples are real, shape (B',).
    clip
        Probabilities are clipped to ``[clip, 1 - clip]`` so that a saturated D (exactly
        0 or 1 in float32) gives a finite value; the default 1e-7 is float32's resolution
        near 1. Each clipped term is then at most ``ln(1 / clip)`` ≈ 16 nats.

    Returns
    -------
    float
        In ``[0, ln 2]``: 0 for D ≡ ½ and for any D that does no better than ½, close to
        ln 2 for a perfect D. NaN when any output is NaN.
    """
    if not 0.0 < clip < 0.5:
        raise ValueError(f"clip must be in (0, 0.5), got {clip}")
    real = np.asarray(d_real, dtype=np.float64).reshape(-1)
    fake = np.asarray(d_fake, dtype=np.float64).reshape(-1)
    if real.size == 0 or fake.size == 0:
        raise ValueError("d_lower_bound needs at least one real and one generated output")
    if np.isnan(real).any() or np.isnan(fake).any():
        return math.nan  # a NaN D must not be mistaken for a value
    value = np.log(np.clip(real, clip, 1.0 - clip)).mean()
    value += np.log1p(-np.clip(fake, clip, 1.0 - clip)).mean()
    return max(0.0, float(0.5 * (value + math.log(4.0))))


def mode_coverage(
    fake: np.ndarray, modes: np.ndarray, sigma: float, threshold: float = DEFAULT_THRESHOLD
) -> ModeCoverage:
    """Modes captured, high-quality fraction and reverse KL of the mode histogram.

    Each sample is assigned to its nearest mode (ties go to the lower index). It is high
    quality when that distance is at most ``threshold * sigma``; a sample within that
    radius of a mode but nearer to another counts for the nearer one. A mode is captured
    when at least one high-quality sample is assigned to it. The reverse KL compares the
    histogram of high-quality samples over the modes with the uniform target, as in
    VEEGAN and PacGAN (meant for equal-weight mixtures), so it is 0 for even coverage and
    ``ln(K / k)`` when ``k`` modes are equally filled. With no high-quality sample the
    histogram is undefined; the result is then ``math.inf``, larger than any finite value
    (at most ``ln K``), so that it never reads as a good score.

    Parameters
    ----------
    fake
        Generated samples, shape (M, d) or (M,). Non-finite samples are never high
        quality. The literature uses :data:`DEFAULT_SAMPLES` = 2,500.
    modes
        Mode centres, shape (K, d) (``DataSource.modes``).
    sigma
        The modes' common standard deviation (``DataSource.mode_sigma``).
    threshold
        Radius of "high quality" in units of ``sigma``.

    Returns
    -------
    ModeCoverage
    """
    centres = np.asarray(modes, dtype=np.float64)
    if centres.ndim == 1:
        centres = centres.reshape(-1, 1)
    k, dim = centres.shape
    if k == 0:
        raise ValueError("mode_coverage needs at least one mode")
    if not (sigma > 0 and math.isfinite(sigma)) or not threshold > 0:
        raise ValueError(f"sigma and threshold must be positive, got {sigma}, {threshold}")
    pts = _as_points(fake, dim, "fake")
    m = len(pts)
    nearest = np.zeros(m, dtype=np.int64)
    dist_sq = np.full(m, np.inf)
    rows = max(1, _CHUNK_ELEMENTS // (k * dim))
    for start in range(0, m, rows):
        chunk = pts[start : start + rows]
        # Direct differences, not |x|^2 + |m|^2 - 2 x.m: with sigma = 0.01 at radius 1 the
        # cancellation of the expanded form would eat into the distances that matter.
        sq = ((chunk[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        sq[~np.isfinite(sq)] = np.inf
        nearest[start : start + rows] = sq.argmin(axis=1)
        dist_sq[start : start + rows] = sq.min(axis=1)
    good = dist_sq <= (threshold * sigma) ** 2
    counts = np.bincount(nearest[good], minlength=k).astype(np.int64)
    counts.setflags(write=False)
    total = int(counts.sum())
    if total == 0:
        reverse_kl = math.inf
    else:
        share = counts[counts > 0] / total
        reverse_kl = max(float((share * np.log(share * k)).sum()), 0.0)
    return ModeCoverage(
        modes_captured=int((counts > 0).sum()),
        num_modes=k,
        high_quality=total / m,
        reverse_kl=reverse_kl,
        counts=counts,
        num_samples=m,
    )


def wasserstein_1d(a: np.ndarray, b: np.ndarray) -> float:
    """Exact 1-Wasserstein distance between two 1-D empirical distributions.

    ``W1 = ∫ |F_a(t) - F_b(t)| dt``, integrated exactly: both empirical CDFs are step
    functions, constant between consecutive points of the merged sorted samples.

    Parameters
    ----------
    a, b
        Samples, shape (N,) / (M,) (or (N, 1)); finite, sizes may differ.

    Returns
    -------
    float
        The distance, in the units of the samples.
    """
    x = np.sort(np.asarray(a, dtype=np.float64).reshape(-1))
    y = np.sort(np.asarray(b, dtype=np.float64).reshape(-1))
    if x.size == 0 or y.size == 0:
        raise ValueError("wasserstein_1d needs non-empty samples")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("wasserstein_1d needs finite samples")
    merged = np.sort(np.concatenate([x, y]))
    widths = np.diff(merged)
    # F(t) on [merged[i], merged[i + 1]): the share of samples <= merged[i].
    cdf_x = np.searchsorted(x, merged[:-1], side="right") / x.size
    cdf_y = np.searchsorted(y, merged[:-1], side="right") / y.size
    return float((np.abs(cdf_x - cdf_y) * widths).sum())


# --------------------------------------------------------------------------- helpers


def _as_points(x: np.ndarray | None, dim: int, name: str) -> np.ndarray:
    if x is None:
        raise ValueError(f"{name} samples are needed when its density is not given")
    pts = np.asarray(x, dtype=np.float64)
    if pts.ndim == 1 and dim == 1:
        pts = pts.reshape(-1, 1)
    if pts.ndim != 2 or pts.shape[1] != dim:
        raise ValueError(f"{name} must have shape (N, {dim}), got {np.shape(x)}")
    if len(pts) == 0:
        raise ValueError(f"{name} has no samples")
    return pts


def _histogram(pts: np.ndarray, lo: np.ndarray, hi: np.ndarray, bins: int) -> np.ndarray:
    """Probabilities of the ``bins ** d`` cells (row-major) and, last, the overflow cell."""
    inside = np.all(np.isfinite(pts) & (pts >= lo) & (pts <= hi), axis=1)
    cells = bins ** pts.shape[1]
    scaled = (pts[inside] - lo) / (hi - lo) * bins
    # floor puts a point on an inner edge in the cell above it; the upper bound itself
    # (and rounding just below it) belongs to the last cell, as in numpy.histogram.
    idx = np.clip(np.floor(scaled).astype(np.int64), 0, bins - 1)
    flat = np.ravel_multi_index(tuple(idx.T), (bins,) * pts.shape[1])
    counts = np.bincount(flat, minlength=cells).astype(np.float64)
    return np.append(counts, len(pts) - counts.sum()) / len(pts)


def _density_cells(
    density: Density, lo: np.ndarray, hi: np.ndarray, bins: int
) -> np.ndarray | None:
    """Cell probabilities by the midpoint rule and the overflow cell; None if unknown."""
    dim = len(lo)
    width = (hi - lo) / bins
    axes = [lo[i] + (np.arange(bins) + 0.5) * width[i] for i in range(dim)]
    centres = np.stack([g.ravel() for g in np.meshgrid(*axes, indexing="ij")], axis=1)
    values = density(centres)
    if values is None:
        return None
    mass = np.asarray(values, dtype=np.float64).reshape(-1) * float(np.prod(width))
    if mass.shape != (len(centres),) or not np.all(np.isfinite(mass)) or np.any(mass < 0):
        raise ValueError("density must return finite non-negative values, one per point")
    inside = float(mass.sum())
    if inside <= 0.0:
        raise ValueError("density has no mass on the grid")
    # The midpoint rule can overshoot 1 by a hair on a truncated or sharp-edged density:
    # then everything is inside and the cells are renormalised.
    if inside > 1.0:
        mass /= inside
        inside = 1.0
    return np.append(mass, 1.0 - inside)


def _half_jsd_terms(p: np.ndarray, q: np.ndarray) -> float:
    """Σ p ln(p / m) with m = (p + q) / 2, over the cells where p > 0.

    Written as ln(2p / (p + q)) rather than with m: halving a subnormal p (exact densities
    far in a gaussian's tail) can round m to 0, while 2p / (p + q) >= p cannot underflow.
    """
    mask = p > 0
    pm, qm = p[mask], q[mask]
    return float(np.sum(pm * np.log(2.0 * pm / (pm + qm))))


def _kl_terms(p: np.ndarray, q: np.ndarray) -> float:
    """Σ p ln(p / q) over the cells where p > 0 (0 ln 0 = 0); q must be > 0 there."""
    mask = p > 0
    # eps = 0 is allowed: an empty cell of q under mass of p then gives inf, not a warning.
    with np.errstate(divide="ignore"):
        return float(np.sum(p[mask] * np.log(p[mask] / q[mask])))
