"""Analytic toy sources in 1-D and 2-D, each with its exact density. No Qt.

Builds ``gaussian1d``, ``bimodal1d``, ``uniform1d`` (1-D) and ``ring8``,
``ring8_teaching``, ``grid25``, ``grid25_teaching``, ``blobs``, ``two_moons``, ``spiral``,
``swiss_roll``, ``line`` (2-D), declared in :mod:`ganlab.data.catalogue`. Built and
sampled in the trainer thread.

Every source here knows its exact density. The curve sources (moons, spiral, swiss roll)
are defined as ``t ~ Uniform(0, 1)`` on the curve parameter and ``x = curve(t) + N(0,
sigma^2 I)``, so their density is the integral over ``t`` of a gaussian, computed by the
midpoint rule with nodes much closer than sigma along the curve. The line's density has a
closed form. ``data.sigma`` (when positive) replaces the default noise of every source;
for ``uniform1d`` it sets the standard deviation (the half-width becomes sqrt(3) sigma).

Besides the contract's attributes each source has ``length_scale``: the smallest feature
of its density, so that a grid with spacing below it resolves the density.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import torch

from ganlab.data.base import (
    GaussianMixtureSource,
    mixture_density,
    resolve_sigma,
    symmetric_bounds,
)
from ganlab.kernel.config import DataConfig
from ganlab.kernel.contracts import DataSource, DataSpec
from ganlab.kernel.i18n import _

# Nodes of the curve quadrature are at most sigma / _NODES_PER_SIGMA apart along the curve.
# The midpoint rule on a gaussian converges like exp(-2 pi^2 (sigma / h)^2): with h = sigma
# / 3 its error is far below float64 rounding.
_NODES_PER_SIGMA = 3.0
_MAX_NODES = 200_000
# Bounds reach this many standard deviations beyond the outermost mean or curve point.
_BOUNDS_SIGMAS = 5.0


def _fmt(value: float) -> str:
    return f"{value:g}"


# --------------------------------------------------------------------------- 1-D

GAUSSIAN1D_MEAN, GAUSSIAN1D_STD = 2.0, 0.5
BIMODAL1D_MEANS, BIMODAL1D_STD = (-2.0, 2.0), 0.5
UNIFORM1D_HALF_WIDTH = 1.0  # U(-1, 1)


def build_gaussian1d(config: DataConfig) -> GaussianMixtureSource:
    """N(2, 0.5^2): away from 0, where an untrained generator starts, so learning shows."""
    std = resolve_sigma(config, GAUSSIAN1D_STD)
    return GaussianMixtureSource(
        kind="toy1d",
        means=np.array([[GAUSSIAN1D_MEAN]]),
        sigmas=std,
        bounds=symmetric_bounds(abs(GAUSSIAN1D_MEAN) + _BOUNDS_SIGMAS * std, 1, 2.0),
        text=f"gaussian1d: N({_fmt(GAUSSIAN1D_MEAN)}, {_fmt(std)}^2)",
    )


def build_bimodal1d(config: DataConfig) -> GaussianMixtureSource:
    """Equal mixture of N(-2, 0.5^2) and N(2, 0.5^2), labelled by component."""
    std = resolve_sigma(config, BIMODAL1D_STD)
    means = np.array(BIMODAL1D_MEANS).reshape(-1, 1)
    return GaussianMixtureSource(
        kind="toy1d",
        means=means,
        sigmas=std,
        class_names=tuple(f"mode at {_fmt(m)}" for m in BIMODAL1D_MEANS),
        bounds=symmetric_bounds(np.abs(means).max() + _BOUNDS_SIGMAS * std, 1, 2.0),
        text=_("bimodal1d: equal mixture of gaussians at -2 and 2, sigma {sigma}").format(
            sigma=_fmt(std)
        ),
        expose_modes=True,
    )


class UniformSource(DataSource):
    """The uniform distribution on ``[-half_width, half_width]`` (1-D).

    Parameters
    ----------
    half_width
        Half the length of the support.
    """

    def __init__(self, half_width: float):
        self.half_width = float(half_width)
        self.spec = DataSpec(
            kind="toy1d",
            shape=(1,),
            bounds=symmetric_bounds(2.0 * self.half_width, 1, 2.0),
        )
        self.length_scale = self.half_width / 10.0

    def sample(self, n: int, generator: torch.Generator) -> tuple[torch.Tensor, None]:
        u = torch.rand((n, 1), generator=generator, device="cpu", dtype=torch.float32)
        return (u * 2.0 - 1.0) * self.half_width, None

    def density(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64).reshape(-1)
        inside = np.abs(x) <= self.half_width
        return np.where(inside, 1.0 / (2.0 * self.half_width), 0.0)

    def summary(self) -> str:
        h = _fmt(self.half_width)
        return _("uniform1d: uniform on [-{h}, {h}]").format(h=h)


def build_uniform1d(config: DataConfig) -> UniformSource:
    """U(-1, 1); a positive data.sigma sets the standard deviation instead."""
    if config.sigma > 0:
        return UniformSource(math.sqrt(3.0) * config.sigma)
    return UniformSource(UNIFORM1D_HALF_WIDTH)


# --------------------------------------------------------------------------- 2-D mixtures

RING8_RADIUS = 1.0
RING8_SIGMA = 0.01  # as in the mode-collapse literature (e.g. Unrolled GANs, VEEGAN)
RING8_TEACHING_SIGMA = 0.1
GRID25_VALUES = (-4.0, -2.0, 0.0, 2.0, 4.0)
GRID25_SIGMA = 0.05
GRID25_TEACHING_SIGMA = 0.2
# Blobs: centre, standard deviation, weight. Deliberately unequal in size and weight, and
# far enough apart that they stay disjoint.
BLOBS = (
    ((-1.2, 1.0), 0.35, 0.40),
    ((1.3, 1.3), 0.15, 0.15),
    ((1.0, -0.9), 0.25, 0.30),
    ((-1.0, -1.4), 0.08, 0.15),
)


def ring_means(k: int = 8, radius: float = RING8_RADIUS) -> np.ndarray:
    """``k`` points equally spaced on a circle, the first on the positive x axis."""
    angles = 2.0 * np.pi * np.arange(k) / k
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def grid_means(values: Sequence[float] = GRID25_VALUES) -> np.ndarray:
    """All pairs of ``values`` as (x, y), x varying slowest."""
    xs, ys = np.meshgrid(values, values, indexing="ij")
    return np.stack([xs.ravel(), ys.ravel()], axis=1)


def _ring_builder(default_sigma: float, name: str) -> Callable[[DataConfig], DataSource]:
    def build(config: DataConfig) -> GaussianMixtureSource:
        sigma = resolve_sigma(config, default_sigma)
        means = ring_means()
        angles = [f"{round(a)}°" for a in np.degrees(np.arctan2(means[:, 1], means[:, 0])) % 360]
        return GaussianMixtureSource(
            kind="toy2d",
            means=means,
            sigmas=sigma,
            class_names=angles,
            bounds=symmetric_bounds(RING8_RADIUS + _BOUNDS_SIGMAS * sigma, 2, 1.5),
            text=_("{name}: 8 gaussians on a circle of radius 1, sigma {sigma}").format(
                name=name, sigma=_fmt(sigma)
            ),
            expose_modes=True,
        )

    return build


def _grid_builder(default_sigma: float, name: str) -> Callable[[DataConfig], DataSource]:
    def build(config: DataConfig) -> GaussianMixtureSource:
        sigma = resolve_sigma(config, default_sigma)
        means = grid_means()
        return GaussianMixtureSource(
            kind="toy2d",
            means=means,
            sigmas=sigma,
            class_names=[f"({_fmt(x)}, {_fmt(y)})" for x, y in means],
            bounds=symmetric_bounds(max(GRID25_VALUES) + _BOUNDS_SIGMAS * sigma, 2, 5.5),
            text=_("{name}: 5x5 grid of gaussians at {values}^2, sigma {sigma}").format(
                name=name, values="{-4,-2,0,2,4}", sigma=_fmt(sigma)
            ),
            expose_modes=True,
        )

    return build


# The ring and grid builders ganlab.data.catalogue declares.
build_ring8 = _ring_builder(RING8_SIGMA, "ring8")
build_ring8_teaching = _ring_builder(RING8_TEACHING_SIGMA, "ring8_teaching")
build_grid25 = _grid_builder(GRID25_SIGMA, "grid25")
build_grid25_teaching = _grid_builder(GRID25_TEACHING_SIGMA, "grid25_teaching")


def build_blobs(config: DataConfig) -> GaussianMixtureSource:
    """Four disjoint blobs of different sizes and weights.

    A positive data.sigma sets the standard deviation of the largest blob; the others keep
    their proportions.
    """
    means = np.array([b[0] for b in BLOBS])
    base = np.array([b[1] for b in BLOBS])
    sigmas = base * (resolve_sigma(config, base.max()) / base.max())
    extent = (np.abs(means) + _BOUNDS_SIGMAS * sigmas[:, None]).max()
    return GaussianMixtureSource(
        kind="toy2d",
        means=means,
        sigmas=sigmas,
        weights=[b[2] for b in BLOBS],
        class_names=[f"blob {i + 1}" for i in range(len(BLOBS))],
        bounds=symmetric_bounds(extent, 2, 3.0),
        text=_("blobs: {count} gaussian blobs, sigmas {sigmas}, weights {weights}").format(
            count=len(BLOBS),
            sigmas=", ".join(_fmt(round(s, 4)) for s in sigmas),
            weights=", ".join(_fmt(b[2]) for b in BLOBS),
        ),
    )


# --------------------------------------------------------------------------- 2-D curves

Curve = Callable[[torch.Tensor], torch.Tensor]  # t (M,) in [0, 1] -> points (M, 2)


def _polar(r: torch.Tensor, theta: torch.Tensor) -> torch.Tensor:
    return torch.stack([r * torch.cos(theta), r * torch.sin(theta)], dim=1)


def _upper_moon(t: torch.Tensor) -> torch.Tensor:
    a = math.pi * t
    return torch.stack([torch.cos(a) - 0.5, torch.sin(a) - 0.25], dim=1)


def _lower_moon(t: torch.Tensor) -> torch.Tensor:
    a = math.pi * t
    return torch.stack([0.5 - torch.cos(a), 0.25 - torch.sin(a)], dim=1)


def _spiral_arm(offset: float) -> Curve:
    # Archimedean: radius t, 1.5 turns; the second arm is the first turned by 180 degrees.
    def arm(t: torch.Tensor) -> torch.Tensor:
        return _polar(t, 3.0 * math.pi * t + offset)

    return arm


def _swiss_roll(t: torch.Tensor) -> torch.Tensor:
    # sklearn's make_swiss_roll (angle 1.5 pi .. 4.5 pi, radius proportional to the angle),
    # scaled so the radius runs from 0.5 to 1.5.
    theta = 1.5 * math.pi * (1.0 + 2.0 * t)
    return _polar(theta / (3.0 * math.pi), theta)


class CurveSource(DataSource):
    """Points on one or more parametric curves plus isotropic gaussian noise.

    Sampling: pick a curve (equal weights), ``t ~ Uniform(0, 1)``, ``x = curve(t) +
    N(0, sigma^2 I)``. The density is the average over quadrature nodes ``curve(t_j)`` of
    gaussians of std sigma, with nodes at most sigma / 3 apart along each curve.

    Parameters
    ----------
    curves
        Functions from parameters t (M,) in [0, 1] (float64) to points (M, 2).
    sigma
        Noise standard deviation.
    class_names
        One name per curve when samples are labelled by their curve, else empty.
    min_half_width
        Smallest half side of the square plotting bounds.
    text
        What the source is, for :meth:`summary`.
    """

    def __init__(
        self,
        curves: Sequence[Curve],
        sigma: float,
        class_names: Sequence[str],
        min_half_width: float,
        text: str,
    ):
        self.curves = tuple(curves)
        self.sigma = float(sigma)
        self.length_scale = self.sigma
        self.labelled = bool(class_names)
        self.text = text
        nodes = [self._nodes(curve) for curve in self.curves]
        self._nodes_all = np.concatenate(nodes)
        # Each curve has weight 1 / len(curves), spread evenly over its nodes.
        self._node_weights = np.concatenate(
            [np.full(len(n), 1.0 / (len(n) * len(nodes))) for n in nodes]
        )
        extent = np.abs(self._nodes_all).max() + _BOUNDS_SIGMAS * self.sigma
        self.spec = DataSpec(
            kind="toy2d",
            shape=(2,),
            num_classes=len(class_names),
            class_names=tuple(class_names),
            bounds=symmetric_bounds(extent, 2, min_half_width),
        )

    def _nodes(self, curve: Curve) -> np.ndarray:
        fine = curve(torch.linspace(0.0, 1.0, 4097, dtype=torch.float64)).numpy()
        max_step = np.linalg.norm(np.diff(fine, axis=0), axis=1).max()
        speed = max_step * (len(fine) - 1)  # |d curve / dt| at its largest, in units per t
        m = int(np.clip(math.ceil(speed * _NODES_PER_SIGMA / self.sigma), 64, _MAX_NODES))
        t = (torch.arange(m, dtype=torch.float64) + 0.5) / m
        return curve(t).numpy()

    def sample(
        self, n: int, generator: torch.Generator
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        which = torch.randint(len(self.curves), (n,), generator=generator, device="cpu")
        t = torch.rand(n, generator=generator, device="cpu", dtype=torch.float64)
        noise = torch.randn((n, 2), generator=generator, device="cpu", dtype=torch.float64)
        points = torch.empty((n, 2), dtype=torch.float64)
        for i, curve in enumerate(self.curves):
            mask = which == i
            points[mask] = curve(t[mask])
        x = (points + self.sigma * noise).to(torch.float32)
        return x, (which if self.labelled else None)

    def density(self, x: np.ndarray) -> np.ndarray:
        return mixture_density(x, self._nodes_all, self.sigma, self._node_weights)

    def summary(self) -> str:
        return self.text


def build_two_moons(config: DataConfig) -> CurveSource:
    """Two interleaved half circles, labelled upper / lower, noise sigma 0.1."""
    sigma = resolve_sigma(config, 0.1)
    return CurveSource(
        [_upper_moon, _lower_moon],
        sigma,
        ("upper moon", "lower moon"),
        2.0,
        _("two_moons: two interleaved half circles of radius 1, noise sigma {sigma}").format(
            sigma=_fmt(sigma)
        ),
    )


def build_spiral(config: DataConfig) -> CurveSource:
    """Two interleaved arms of an Archimedean spiral (1.5 turns), noise sigma 0.04."""
    sigma = resolve_sigma(config, 0.04)
    return CurveSource(
        [_spiral_arm(0.0), _spiral_arm(math.pi)],
        sigma,
        ("arm 1", "arm 2"),
        1.5,
        _("spiral: two interleaved spiral arms of radius 1, noise sigma {sigma}").format(
            sigma=_fmt(sigma)
        ),
    )


def build_swiss_roll(config: DataConfig) -> CurveSource:
    """The 2-D swiss roll (1.5 turns, radius 0.5 to 1.5), noise sigma 0.05, unlabelled."""
    sigma = resolve_sigma(config, 0.05)
    return CurveSource(
        [_swiss_roll],
        sigma,
        (),
        2.0,
        _("swiss_roll: a rolled curve of radius 0.5 to 1.5, noise sigma {sigma}").format(
            sigma=_fmt(sigma)
        ),
    )


# --------------------------------------------------------------------------- 2-D line

LINE_START, LINE_END, LINE_SIGMA = (-1.0, -1.0), (1.0, 1.0), 0.02


class LineSource(DataSource):
    """A segment, uniform along its length, plus isotropic gaussian noise.

    The density has a closed form: along the segment, the uniform convolved with a
    gaussian, ``(Phi((L - u) / s) - Phi(-u / s)) / L``; across it, a gaussian of std s.

    Parameters
    ----------
    start, end
        End points of the segment.
    sigma
        Noise standard deviation.
    """

    def __init__(self, start: Sequence[float], end: Sequence[float], sigma: float):
        self.start = np.asarray(start, dtype=np.float64)
        self.end = np.asarray(end, dtype=np.float64)
        self.sigma = float(sigma)
        self.length_scale = self.sigma
        delta = self.end - self.start
        self.length = float(np.linalg.norm(delta))
        self._along = delta / self.length
        self._across = np.array([-self._along[1], self._along[0]])
        extent = np.abs(np.stack([self.start, self.end])).max() + _BOUNDS_SIGMAS * self.sigma
        self.spec = DataSpec(kind="toy2d", shape=(2,), bounds=symmetric_bounds(extent, 2, 1.5))
        self._start_t = torch.as_tensor(self.start, dtype=torch.float32)
        self._delta_t = torch.as_tensor(delta, dtype=torch.float32)

    def sample(self, n: int, generator: torch.Generator) -> tuple[torch.Tensor, None]:
        t = torch.rand((n, 1), generator=generator, device="cpu", dtype=torch.float32)
        noise = torch.randn((n, 2), generator=generator, device="cpu", dtype=torch.float32)
        return self._start_t + t * self._delta_t + self.sigma * noise, None

    def density(self, x: np.ndarray) -> np.ndarray:
        rel = np.asarray(x, dtype=np.float64).reshape(-1, 2) - self.start
        u = torch.from_numpy(rel @ self._along)
        v = rel @ self._across
        s = self.sigma
        along = (torch.special.ndtr((self.length - u) / s) - torch.special.ndtr(-u / s)).numpy()
        across = np.exp(-(v**2) / (2 * s * s)) / (math.sqrt(2 * math.pi) * s)
        return along / self.length * across

    def summary(self) -> str:
        return _("line: segment from {start} to {end}, noise sigma {sigma}").format(
            start=f"({_fmt(self.start[0])}, {_fmt(self.start[1])})",
            end=f"({_fmt(self.end[0])}, {_fmt(self.end[1])})",
            sigma=_fmt(self.sigma),
        )


def build_line(config: DataConfig) -> LineSource:
    """The diagonal segment from (-1, -1) to (1, 1), noise sigma 0.02."""
    return LineSource(LINE_START, LINE_END, resolve_sigma(config, LINE_SIGMA))
