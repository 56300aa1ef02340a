"""Toy sources made of user points: a file of points (``csv_points``) and drawn anchors (``drawn``).

No Qt; built and sampled in the trainer process (the window sends the drawn points as
``data.points`` in the config, never as widgets). Point files are read by
:mod:`ganlab.data.points_file` (no torch; the window also inspects a file there, to ask
which columns to use before a run starts), whose reading functions are re-exported here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from ganlab.data.base import GaussianMixtureSource, resolve_sigma, symmetric_bounds
from ganlab.data.points_file import (
    PointsTable,
    column_indices,
    inspect_points_file,
    parse_columns_option,
    points_of,
    read_points_csv,
)
from ganlab.kernel.config import DataConfig
from ganlab.kernel.contracts import DataSource, DataSpec
from ganlab.kernel.errors import DataError
from ganlab.kernel.i18n import _

__all__ = [
    "PointsSource",
    "PointsTable",
    "build_csv_points",
    "build_drawn",
    "inspect_points_file",
    "parse_columns_option",
    "read_points_csv",
]

DRAWN_SIGMA = 0.05


class PointsSource(DataSource):
    """The empirical distribution of a set of points, optionally blurred by gaussian noise.

    Parameters
    ----------
    points
        float array (N, d), d = 1 or 2.
    sigma
        Standard deviation of gaussian noise added to each sample; 0 returns the points.
    origin
        Where the points come from, for :meth:`summary`.
    reading
        How the file was read (:meth:`PointsTable.describe`), for :meth:`summary`.
    """

    def __init__(self, points: np.ndarray, sigma: float, origin: str, reading: str = ""):
        self.points = torch.as_tensor(points, dtype=torch.float32)
        self.sigma = float(sigma)
        self.origin = origin
        self.reading = reading
        lo, hi = points.min(axis=0), points.max(axis=0)
        pad = np.maximum(0.1 * (hi - lo), 0.5) + 3.0 * self.sigma
        dim = points.shape[1]
        self.spec = DataSpec(
            kind="toy1d" if dim == 1 else "toy2d",
            shape=(dim,),
            bounds=tuple((float(a), float(b)) for a, b in zip(lo - pad, hi + pad, strict=True)),
        )

    def sample(self, n: int, generator: torch.Generator) -> tuple[torch.Tensor, None]:
        idx = torch.randint(len(self.points), (n,), generator=generator, device="cpu")
        x = self.points[idx]
        if self.sigma > 0:
            noise = torch.randn(x.shape, generator=generator, device="cpu", dtype=torch.float32)
            x = x + self.sigma * noise
        return x, None

    def summary(self) -> str:
        noise = _(", noise sigma {sigma}").format(sigma=f"{self.sigma:g}") if self.sigma > 0 else ""
        reading = _(" (read as {reading})").format(reading=self.reading) if self.reading else ""
        return _("csv_points: {count} points in {dim}-D from {origin}{reading}{noise}").format(
            count=len(self.points),
            dim=self.spec.dim,
            origin=self.origin,
            reading=reading,
            noise=noise,
        )


def build_csv_points(config: DataConfig) -> PointsSource:
    """Points read from the CSV file ``data.path``; a positive data.sigma adds noise."""
    if not config.path:
        raise DataError(_("data.path is empty: choose a CSV file of points (1 or 2 columns)"))
    table = inspect_points_file(config.path)
    points = points_of(table, config.columns)
    used = column_indices(table, config.columns)
    if used != list(range(table.columns)):
        labels = table.column_labels()
        reading = _("{reading}; using columns {columns}").format(
            reading=table.describe(), columns=", ".join(labels[i] for i in used)
        )
    else:
        reading = table.describe()
    return PointsSource(points, config.sigma, str(Path(config.path)), reading)


def build_drawn(config: DataConfig) -> GaussianMixtureSource:
    """Each sample is one of the drawn anchors ``data.points`` plus gaussian noise.

    Labelled by anchor index. Noise sigma 0.05 unless data.sigma is positive.
    """
    if not config.points:
        raise DataError(
            _("no points drawn yet: draw some points on the plot first (data.points is empty)")
        )
    anchors = np.asarray(config.points, dtype=np.float64)
    if anchors.ndim != 2 or anchors.shape[1] != 2 or not np.isfinite(anchors).all():
        raise DataError(_("data.points must be a list of finite [x, y] pairs"))
    sigma = resolve_sigma(config, DRAWN_SIGMA)
    return GaussianMixtureSource(
        kind="toy2d",
        means=anchors,
        sigmas=sigma,
        class_names=[f"point {i + 1}" for i in range(len(anchors))],
        bounds=symmetric_bounds(np.abs(anchors).max() + 5.0 * sigma, 2, 1.5),
        text=_("drawn: {count} drawn points with noise sigma {sigma}").format(
            count=len(anchors), sigma=f"{sigma:g}"
        ),
    )
