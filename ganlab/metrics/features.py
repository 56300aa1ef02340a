"""Distances between two sets of feature vectors: FID, KID and cached feature statistics.

No Qt; numpy only, float64 throughout. Runs wherever it is called (the trainer thread or
the headless ``ganlab eval``).

Owns the arithmetic shared by every feature space, not the features themselves: the
Inception-v3 features live in :mod:`ganlab.metrics.inception` (through torch-fidelity),
and any other feature space hands its ``(N, d)`` arrays to the functions here.

* :func:`fid` / :func:`fid_from_stats`: the Fréchet distance between the gaussians fitted
  to two feature sets, ``|mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2))``.
* :func:`kid`: the kernel distance, the unbiased estimate of MMD^2 with the cubic
  polynomial kernel ``k(x, y) = (x.y / d + 1)^3``, averaged over random subsets.
* :class:`FeatureStats`: mean, covariance and sample count of one feature set, saved to
  and loaded from ``.npz`` so the statistics of a real data set are computed once.
* :func:`distinct_indices`, :func:`kid_plan`, :func:`sample_report` /
  :class:`SampleReport`: which samples an evaluation uses (each at most once), the KID
  subsets it actually averages, and the notes a reader needs to judge the numbers.

Numerical choices
-----------------
``Tr((S1 S2)^(1/2))`` is computed without a general matrix square root. With
``R = S1^(1/2)`` (symmetric, from ``numpy.linalg.eigh``), ``S1 S2 = R (R S2 R) R^-1`` is
similar to the symmetric positive semi-definite ``R S2 R``, so both have the same
eigenvalues and ``Tr((S1 S2)^(1/2)) = sum(sqrt(eigvalsh(R S2 R)))``. Symmetric
eigensolvers return real eigenvalues, so the tiny imaginary parts that
``scipy.linalg.sqrtm`` produces (which pytorch-fid drops with ``.real`` after checking the
imaginary diagonal is below 1e-3, and torch-fidelity drops by taking ``.real`` of
``sqrt(eigvals(S1 @ S2))``) cannot appear. Round-off can still make an eigenvalue slightly
negative; such values are clipped to 0, the same role as pytorch-fid's ``eps * I``
offset for singular products, but without shifting the well-conditioned ones. This also
stays exact when there are fewer samples than dimensions (singular covariances), where
``sqrtm`` warns or fails. The final distance is clipped at 0: it is a squared
Wasserstein-2 distance, so a negative value can only be round-off.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ganlab.kernel.errors import GanlabError
from ganlab.kernel.files import atomic_file
from ganlab.kernel.i18n import _, ngettext

__all__ = [
    "FID_MIN_SAMPLES",
    "FeatureStats",
    "FeatureStatsError",
    "SampleReport",
    "distinct_indices",
    "fid",
    "fid_from_stats",
    "kid",
    "kid_plan",
    "sample_report",
]

Float64Array = NDArray[np.float64]


class FeatureStatsError(GanlabError):
    """A feature-statistics file is missing, damaged, or not one ganlab wrote."""


def _features(x: ArrayLike, name: str) -> Float64Array:
    """``x`` as a finite float64 ``(N, d)`` array with ``N >= 2``, or a ValueError."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: cannot be read as a numeric array ({exc})") from None
    if arr.ndim != 2:
        raise ValueError(
            f"{name}: expected a 2-D array of shape (samples, features), got {arr.ndim}-D "
            f"with shape {arr.shape}"
        )
    if arr.shape[0] < 2:
        raise ValueError(
            f"{name}: needs at least 2 samples to estimate a covariance, got {arr.shape[0]}"
        )
    if arr.shape[1] < 1:
        raise ValueError(f"{name}: has no feature columns (shape {arr.shape})")
    if not np.isfinite(arr).all():
        bad = int(np.count_nonzero(~np.isfinite(arr)))
        raise ValueError(f"{name}: contains {bad} NaN or infinite value(s)")
    return arr


def _pair(real: ArrayLike, fake: ArrayLike) -> tuple[Float64Array, Float64Array]:
    r = _features(real, "real features")
    f = _features(fake, "fake features")
    if r.shape[1] != f.shape[1]:
        raise ValueError(
            f"feature dimensions differ: real features have {r.shape[1]} columns, "
            f"fake features have {f.shape[1]}"
        )
    return r, f


# --------------------------------------------------------------------------- FID


def _symmetric_sqrt(a: Float64Array) -> Float64Array:
    """Square root of a symmetric positive semi-definite matrix; round-off negatives -> 0."""
    eigvals, eigvecs = np.linalg.eigh(a)
    root = np.sqrt(np.clip(eigvals, 0.0, None))
    return np.asarray((eigvecs * root) @ eigvecs.T, dtype=np.float64)


def _trace_sqrt_product(sigma1: Float64Array, sigma2: Float64Array) -> float:
    """``Tr((sigma1 @ sigma2)^(1/2))`` via the similar symmetric matrix ``R sigma2 R``."""
    r = _symmetric_sqrt(sigma1)
    m = r @ sigma2 @ r
    m = (m + m.T) / 2.0  # symmetric in exact arithmetic; remove the round-off asymmetry
    eigvals = np.linalg.eigvalsh(m)
    return float(np.sqrt(np.clip(eigvals, 0.0, None)).sum())


def _stats_arrays(mu: ArrayLike, sigma: ArrayLike, name: str) -> tuple[Float64Array, Float64Array]:
    m = np.asarray(mu, dtype=np.float64)
    s = np.asarray(sigma, dtype=np.float64)
    if m.ndim != 1:
        raise ValueError(f"{name}: mean must be 1-D, got shape {m.shape}")
    if s.shape != (m.shape[0], m.shape[0]):
        raise ValueError(
            f"{name}: covariance must be {m.shape[0]}x{m.shape[0]} to match the mean, "
            f"got shape {s.shape}"
        )
    if not (np.isfinite(m).all() and np.isfinite(s).all()):
        raise ValueError(f"{name}: mean or covariance contains NaN or infinite values")
    return m, s


def fid_from_stats(mu1: ArrayLike, sigma1: ArrayLike, mu2: ArrayLike, sigma2: ArrayLike) -> float:
    """Fréchet distance between two gaussians given their means and covariances.

    Parameters
    ----------
    mu1, mu2
        Means, shape ``(d,)``.
    sigma1, sigma2
        Covariances, shape ``(d, d)``, symmetric positive semi-definite.

    Returns
    -------
    float
        ``|mu1 - mu2|^2 + Tr(sigma1 + sigma2 - 2 (sigma1 sigma2)^(1/2))``, clipped at 0.
        See the module docstring for how the matrix square root is taken.

    Raises
    ------
    ValueError
        Wrong shapes, mismatched dimensions, or NaN / Inf entries.
    """
    m1, s1 = _stats_arrays(mu1, sigma1, "first statistics")
    m2, s2 = _stats_arrays(mu2, sigma2, "second statistics")
    if m1.shape != m2.shape:
        raise ValueError(
            f"feature dimensions differ: {m1.shape[0]} in the first statistics, "
            f"{m2.shape[0]} in the second"
        )
    # eigh reads one triangle only: symmetrise so both triangles count equally.
    s1 = (s1 + s1.T) / 2.0
    s2 = (s2 + s2.T) / 2.0
    diff = m1 - m2
    value = float(diff @ diff + np.trace(s1) + np.trace(s2) - 2.0 * _trace_sqrt_product(s1, s2))
    return max(value, 0.0)


def fid(real: ArrayLike, fake: ArrayLike) -> float:
    """Fréchet distance between gaussians fitted to two feature sets.

    Parameters
    ----------
    real
        Features of real samples, shape ``(N, d)``, ``N >= 2``.
    fake
        Features of generated samples, shape ``(M, d)``, ``M >= 2``.

    Returns
    -------
    float
        The distance (0 for identical sets); means and unbiased (``N - 1``) covariances
        as in pytorch-fid and torch-fidelity.

    Raises
    ------
    ValueError
        Wrong number of dimensions, mismatched feature dimension, fewer than 2 samples,
        or NaN / Inf values.
    """
    r, f = _pair(real, fake)
    a = FeatureStats.from_features(r)
    b = FeatureStats.from_features(f)
    return fid_from_stats(a.mu, a.sigma, b.mu, b.sigma)


# --------------------------------------------------------------------------- KID


def _poly_kernel(x: Float64Array, y: Float64Array) -> Float64Array:
    """Cubic polynomial kernel ``(x.y / d + 1)^3`` between the rows of x and y."""
    d = x.shape[1]
    return np.asarray((x @ y.T / d + 1.0) ** 3, dtype=np.float64)


def _mmd2_unbiased(x: Float64Array, y: Float64Array) -> float:
    """Unbiased MMD^2: within-set sums leave out the diagonal (i == j)."""
    n, m = x.shape[0], y.shape[0]
    k_xx = _poly_kernel(x, x)
    k_yy = _poly_kernel(y, y)
    k_xy = _poly_kernel(x, y)
    within_x = (k_xx.sum() - np.trace(k_xx)) / (n * (n - 1))
    within_y = (k_yy.sum() - np.trace(k_yy)) / (m * (m - 1))
    across = k_xy.sum() / (n * m)
    return float(within_x + within_y - 2.0 * across)


def kid(
    real: ArrayLike,
    fake: ArrayLike,
    subset_size: int = 1000,
    subsets: int = 100,
    seed: int = 0,
) -> tuple[float, float]:
    """Kernel distance: unbiased MMD^2 with the kernel ``(x.y / d + 1)^3``.

    Parameters
    ----------
    real
        Features of real samples, shape ``(N, d)``, ``N >= 2``.
    fake
        Features of generated samples, shape ``(M, d)``, ``M >= 2``.
    subset_size
        Samples drawn (without replacement) from each set per subset. When it is at least
        ``N`` or ``M``, subsets are pointless: the estimate is computed once over all
        samples of both sets, deterministically, and the std is 0.
    subsets
        Number of random subsets averaged.
    seed
        Seeds the subset draws (``numpy.random.default_rng``), so a call is repeatable.

    Returns
    -------
    tuple of float
        ``(mean, std)`` over the subsets; std is the population std (``ddof=0``), as in
        torch-fidelity. Small negative values are valid: the estimator is unbiased, and
        distributions that are very close scatter around 0.

    Raises
    ------
    ValueError
        Invalid features (see :func:`fid`), ``subset_size < 2`` or ``subsets < 1``.
    """
    r, f = _pair(real, fake)
    if subset_size < 2:
        raise ValueError(f"subset_size must be at least 2, got {subset_size}")
    if subsets < 1:
        raise ValueError(f"subsets must be at least 1, got {subsets}")
    if subset_size >= r.shape[0] or subset_size >= f.shape[0]:  # as in kid_plan
        return _mmd2_unbiased(r, f), 0.0
    rng = np.random.default_rng(seed)
    values = np.empty(subsets, dtype=np.float64)
    for i in range(subsets):
        ri = rng.choice(r.shape[0], subset_size, replace=False)
        fi = rng.choice(f.shape[0], subset_size, replace=False)
        values[i] = _mmd2_unbiased(r[ri], f[fi])
    return float(values.mean()), float(values.std())


# --------------------------------------------------------------------------- statistics

_STATS_FORMAT = "ganlab-feature-stats-1"


@dataclass(frozen=True)
class FeatureStats:
    """Mean, covariance and sample count of one feature set.

    Attributes
    ----------
    mu
        Mean, float64 ``(d,)``.
    sigma
        Unbiased covariance, float64 ``(d, d)``.
    n
        Number of samples the statistics were computed from.
    feature_space
        Which features these are (for example ``"inception-2048"``); statistics from
        different feature spaces must never be compared. Empty when not recorded.
    """

    mu: Float64Array
    sigma: Float64Array
    n: int
    feature_space: str = ""

    @classmethod
    def from_features(cls, features: ArrayLike, feature_space: str = "") -> FeatureStats:
        """Statistics of an ``(N, d)`` feature array (validated as in :func:`fid`)."""
        x = _features(features, "features")
        mu = x.mean(axis=0)
        sigma = np.atleast_2d(np.cov(x, rowvar=False))
        return cls(mu=mu, sigma=sigma, n=int(x.shape[0]), feature_space=feature_space)

    @property
    def dim(self) -> int:
        """Feature dimension ``d``."""
        return int(self.mu.shape[0])

    def fid(self, other: FeatureStats) -> float:
        """:func:`fid_from_stats` between these statistics and ``other``.

        Raises
        ------
        ValueError
            The two were recorded in different feature spaces, or have different sizes.
        """
        if self.feature_space and other.feature_space and self.feature_space != other.feature_space:
            raise ValueError(
                f"cannot compare statistics from different feature spaces: "
                f"'{self.feature_space}' and '{other.feature_space}'"
            )
        return fid_from_stats(self.mu, self.sigma, other.mu, other.sigma)

    def save(self, path: str | Path) -> Path:
        """Write the statistics to ``path`` (``.npz``) atomically; returns the path.

        The file is written to a temporary name in the same folder and renamed, so a
        crash never leaves a half-written cache.
        """
        path = Path(path)
        with atomic_file(path) as fh:
            np.savez(
                fh,
                format=np.array(_STATS_FORMAT),
                mu=np.asarray(self.mu, dtype=np.float64),
                sigma=np.asarray(self.sigma, dtype=np.float64),
                n=np.array(self.n, dtype=np.int64),
                feature_space=np.array(self.feature_space),
            )
        return path

    @classmethod
    def load(cls, path: str | Path) -> FeatureStats:
        """Read statistics written by :meth:`save`.

        Loads with ``numpy.load(allow_pickle=False)``: a file holding pickled objects is
        refused without running them.

        Raises
        ------
        FeatureStatsError
            The file is missing, damaged, holds pickled objects, or lacks the fields.
        """
        path = Path(path)
        if not path.is_file():
            raise FeatureStatsError(_("{path}: no such feature-statistics file").format(path=path))
        try:
            data = np.load(path, allow_pickle=False)
            if not isinstance(data, np.lib.npyio.NpzFile):
                raise FeatureStatsError(
                    _("{path}: not a feature-statistics file (a single array, not an .npz)").format(
                        path=path
                    )
                )
            with data:
                missing = [k for k in ("format", "mu", "sigma", "n") if k not in data.files]
                if missing:
                    raise FeatureStatsError(
                        _("{path}: not a ganlab feature-statistics file (missing {keys})").format(
                            path=path, keys=", ".join(missing)
                        )
                    )
                fmt = str(data["format"])
                mu = np.asarray(data["mu"], dtype=np.float64)
                sigma = np.asarray(data["sigma"], dtype=np.float64)
                n = int(data["n"])
                space = str(data["feature_space"]) if "feature_space" in data.files else ""
        except FeatureStatsError:
            raise
        except ValueError as exc:
            # With allow_pickle=False numpy raises ValueError for object (pickled) arrays,
            # and for any file that is neither .npy nor .npz (it would have to be a pickle).
            raise FeatureStatsError(
                _(
                    "{path}: refused: not an .npz of plain arrays; it holds pickled Python "
                    "objects (or is another format), which ganlab never unpickles ({error})"
                ).format(path=path, error=exc)
            ) from None
        except (OSError, EOFError, zipfile.BadZipFile, KeyError, TypeError) as exc:
            raise FeatureStatsError(
                _("{path}: damaged or not an .npz file: {error}").format(path=path, error=exc)
            ) from None
        if fmt != _STATS_FORMAT:
            raise FeatureStatsError(
                _("{path}: unknown statistics format '{format}'").format(path=path, format=fmt)
            )
        try:
            mu, sigma = _stats_arrays(mu, sigma, str(path))
        except ValueError as exc:
            raise FeatureStatsError(str(exc)) from None
        if n < 2:
            raise FeatureStatsError(
                _("{path}: records {count} samples; at least 2 are needed").format(
                    path=path, count=n
                )
            )
        return cls(mu=mu, sigma=sigma, n=n, feature_space=space)


# --------------------------------------------------------------------------- the sample

# Below this many samples per side, FID is reported with a warning. 2048 is the dimension
# of the Inception pool features: with fewer samples their covariance is rank-deficient,
# and pytorch-fid's README asks for at least 2048 for that reason. FID is biased upward
# at any finite N, by roughly a constant over N (Chong & Forsyth, "Effectively Unbiased
# FID and Inception Score and where to find them", CVPR 2020), so values computed with
# different N are not comparable; the bias is largest exactly below this size.
FID_MIN_SAMPLES = 2048


def distinct_indices(available: int, n: int, seed: int) -> NDArray[np.int64]:
    """Indices of ``min(n, available)`` distinct items of ``range(available)``, seeded.

    The first ``n`` entries of a random permutation (``numpy.random.default_rng(seed)``),
    sorted ascending: each item is used at most once, and when ``n >= available`` the
    result is every item once, in order. An evaluation that draws with replacement
    instead sees only about ``1 - 1/e`` (63 %) distinct items when ``n == available``.

    Raises
    ------
    ValueError
        ``available < 0`` or ``n < 0``.
    """
    if available < 0 or n < 0:
        raise ValueError(f"counts must be non-negative (available={available}, n={n})")
    if n >= available:
        return np.arange(available, dtype=np.int64)
    order = np.random.default_rng(seed).permutation(available)[:n]
    return np.sort(order).astype(np.int64)


def kid_plan(n_real: int, n_fake: int, subset_size: int, subsets: int) -> tuple[int, int]:
    """The ``(subset size, number of subsets)`` :func:`kid` actually uses.

    When ``subset_size`` is at least the smaller sample count, :func:`kid` computes the
    estimate once over all samples (one "subset", std 0) and the size reported is that
    smaller count; otherwise it is ``(subset_size, subsets)`` unchanged.
    """
    smaller = min(n_real, n_fake)
    if subset_size >= smaller:
        return smaller, 1
    return subset_size, subsets


@dataclass(frozen=True)
class SampleReport:
    """How many samples an evaluation used, and what a reader must know about them.

    Attributes
    ----------
    n_real, n_fake
        Samples used on each side (each at most once); ``n_real`` is None when no real
        samples were needed (Inception Score alone).
    kid_subset_size, kid_subsets
        The KID subset size and number of subsets actually used; None without KID.
    notes
        Sentences to show beside the numbers: shortfalls ("asked for 5000, the folder
        has 250: using 250"), the small-N bias of FID, grayscale inputs, lowered KID
        subsets.
    """

    n_real: int | None
    n_fake: int
    kid_subset_size: int | None = None
    kid_subsets: int | None = None
    notes: tuple[str, ...] = ()

    def fields(self) -> dict[str, int | list[str] | None]:
        """The report as JSON-ready fields (``notes`` a list of strings)."""
        return {
            "n_real": self.n_real,
            "n_fake": self.n_fake,
            "kid_subset_size": self.kid_subset_size,
            "kid_subsets": self.kid_subsets,
            "notes": list(self.notes),
        }

    def summary(self) -> str:
        """One line: the sample counts and KID subsets, e.g. for stderr or a tooltip."""
        if self.n_real is None:
            text = _("N = {fake} generated samples, each used once").format(fake=self.n_fake)
        else:
            text = _("N = {real} real and {fake} generated samples, each used once").format(
                real=self.n_real, fake=self.n_fake
            )
        if self.kid_subset_size is not None:
            text += ngettext(
                "; KID on {count} subset of {size}",
                "; KID on {count} subsets of {size}",
                self.kid_subsets or 0,
            ).format(count=self.kid_subsets, size=self.kid_subset_size)
        return text


def sample_report(
    n_real: int | None,
    n_fake: int,
    *,
    fid: bool = True,
    kid: bool = True,
    kid_subset_size: int = 1000,
    kid_subsets: int = 100,
    plan: Callable[[int, int, int, int], tuple[int, int]] = kid_plan,
    notes: Sequence[str] = (),
) -> SampleReport:
    """Describe the sample of an FID / KID evaluation (see :class:`SampleReport`).

    Parameters
    ----------
    n_real, n_fake
        Samples used on each side; ``n_real`` None when only the generated side was used.
    fid, kid
        Which of the two distances were computed.
    kid_subset_size, kid_subsets
        The KID subsets asked for.
    plan
        Maps ``(n_real, n_fake, size, subsets)`` to what the KID implementation really
        uses: :func:`kid_plan` for :func:`kid`, another for torch-fidelity.
    notes
        Notes known to the caller (shortfalls, grayscale inputs), listed first.

    Returns
    -------
    SampleReport
        With a note when FID used fewer than :data:`FID_MIN_SAMPLES` samples on a side,
        and when the KID subsets were smaller or fewer than asked.
    """
    out = list(notes)
    size: int | None = None
    count: int | None = None
    if n_real is not None:
        smaller = min(n_real, n_fake)
        if fid and smaller < FID_MIN_SAMPLES:
            out.append(
                _(
                    "FID with N < {minimum} (here {count}) is biased upward; "
                    "compare only runs with the same N"
                ).format(minimum=FID_MIN_SAMPLES, count=smaller)
            )
        if kid:
            size, count = plan(n_real, n_fake, kid_subset_size, kid_subsets)
            if size < kid_subset_size:
                detail = (
                    _("computed once on all samples (std 0)")
                    if count == 1
                    else _("{count} subsets of {size}").format(count=count, size=size)
                )
                out.append(
                    _(
                        "KID subset size lowered from {asked} to {size} (the smaller "
                        "side has {count} samples): {detail}"
                    ).format(asked=kid_subset_size, size=size, count=smaller, detail=detail)
                )

    return SampleReport(n_real, n_fake, size, count, tuple(out))
