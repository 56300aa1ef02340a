"""Toy sources made of user points: a CSV file (``csv_points``) and drawn anchors (``drawn``).

No Qt; built and sampled in the trainer thread (the window sends the drawn points as
``data.points`` in the config, never as widgets).

CSV format: one point per line, 1 column (1-D) or 2 columns (2-D), separated by commas,
semicolons, tabs or spaces (decimal point, not decimal comma). The first non-blank line
may be a header; blank lines and lines starting with ``#`` are skipped. Any other
non-numeric or non-finite value is an error naming the file and the line.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch

from ganlab.core.config import DataConfig
from ganlab.core.contracts import DataSource, DataSourceEntry, DataSpec
from ganlab.core.errors import DataError
from ganlab.core.registry import DATA_SOURCES
from ganlab.data.base import GaussianMixtureSource, resolve_sigma, symmetric_bounds

DRAWN_SIGMA = 0.05
_SEPARATORS = (",", ";", "\t")


def _split(line: str) -> list[str]:
    for sep in _SEPARATORS:
        if sep in line:
            fields = [f.strip() for f in line.split(sep)]
            while fields and not fields[-1]:  # trailing separators, as spreadsheets write
                fields.pop()
            return fields
    return line.split()


def _parse_row(fields: list[str]) -> list[float] | None:
    """The numbers in ``fields``, or None if any is not a number."""
    try:
        return [float(f) for f in fields]
    except ValueError:
        return None


def _show(line: str) -> str:
    line = line.strip()
    return repr(line if len(line) <= 60 else line[:57] + "...")


def read_points_csv(path: str | Path) -> np.ndarray:
    """Read a CSV of points.

    Parameters
    ----------
    path
        The CSV file.

    Returns
    -------
    numpy.ndarray
        float64 array (N, d), d = 1 or 2.

    Raises
    ------
    DataError
        The file is missing or unreadable, or a line is not 1 or 2 finite numbers (the
        message names the file and the line number).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"CSV file {path} does not exist") from None
    except IsADirectoryError:
        raise DataError(f"{path} is a folder; data.path must name a CSV file of points") from None
    except UnicodeDecodeError:
        raise DataError(f"CSV file {path} is not a text file (UTF-8 expected)") from None
    except OSError as exc:
        raise DataError(f"CSV file {path} cannot be read: {exc.strerror or exc}") from None

    rows: list[list[float]] = []
    columns = 0
    seen_first = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = _split(stripped)
        values = _parse_row(fields)
        if values is None:
            if not seen_first:  # a header
                seen_first = True
                continue
            raise DataError(
                f"CSV file {path}, line {number}: {_show(line)} is not numeric; every line "
                "after the optional header must hold 1 or 2 numbers"
            )
        seen_first = True
        if not all(math.isfinite(v) for v in values):
            raise DataError(f"CSV file {path}, line {number}: {_show(line)} is not finite")
        if columns == 0:
            if len(values) not in (1, 2):
                raise DataError(
                    f"CSV file {path}, line {number}: {len(values)} columns; a points file "
                    "has 1 column (1-D data) or 2 columns (2-D data)"
                )
            columns = len(values)
        elif len(values) != columns:
            raise DataError(
                f"CSV file {path}, line {number}: {len(values)} columns where the earlier "
                f"lines have {columns}"
            )
        rows.append(values)
    if not rows:
        raise DataError(f"CSV file {path} has no points (no numeric lines)")
    return np.asarray(rows, dtype=np.float64)


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
    """

    def __init__(self, points: np.ndarray, sigma: float, origin: str):
        self.points = torch.as_tensor(points, dtype=torch.float32)
        self.sigma = float(sigma)
        self.origin = origin
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
        noise = f", noise sigma {self.sigma:g}" if self.sigma > 0 else ""
        return (
            f"csv_points: {len(self.points)} points in {self.spec.dim}-D from {self.origin}{noise}"
        )


def build_csv_points(config: DataConfig) -> PointsSource:
    """Points read from the CSV file ``data.path``; a positive data.sigma adds noise."""
    if not config.path:
        raise DataError("data.path is empty: choose a CSV file of points (1 or 2 columns)")
    points = read_points_csv(config.path)
    return PointsSource(points, config.sigma, str(Path(config.path)))


def build_drawn(config: DataConfig) -> GaussianMixtureSource:
    """Each sample is one of the drawn anchors ``data.points`` plus gaussian noise.

    Labelled by anchor index. Noise sigma 0.05 unless data.sigma is positive.
    """
    if not config.points:
        raise DataError(
            "no points drawn yet: draw some points on the plot first (data.points is empty)"
        )
    anchors = np.asarray(config.points, dtype=np.float64)
    if anchors.ndim != 2 or anchors.shape[1] != 2 or not np.isfinite(anchors).all():
        raise DataError("data.points must be a list of finite [x, y] pairs")
    sigma = resolve_sigma(config, DRAWN_SIGMA)
    return GaussianMixtureSource(
        kind="toy2d",
        means=anchors,
        sigmas=sigma,
        class_names=[f"point {i + 1}" for i in range(len(anchors))],
        bounds=symmetric_bounds(np.abs(anchors).max() + 5.0 * sigma, 2, 1.5),
        text=f"drawn: {len(anchors)} drawn points with noise sigma {sigma:g}",
    )


DATA_SOURCES.register(
    "csv_points",
    DataSourceEntry(
        name="csv_points",
        title="Points from a CSV file",
        kind="toy2d",
        build=build_csv_points,
        description="Points read from a CSV file with 1 column (1-D) or 2 columns (2-D).",
        reads_path=True,
    ),
)
DATA_SOURCES.register(
    "drawn",
    DataSourceEntry(
        name="drawn",
        title="Draw your own",
        kind="toy2d",
        build=build_drawn,
        description="Points you draw on the plot; each real sample is one of them plus noise.",
    ),
)
