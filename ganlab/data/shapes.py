"""The bundled offline image set ``shapes``: labelled geometric shapes. No Qt.

Nothing is downloaded or read from disk: the images are drawn from a fixed seed, so every
machine gets the same set. Six classes (circle, square, triangle, cross, ring, bar), one
bright shape per image on a black background, with random size, position and brightness
(random colour when ``data.channels`` is 3). Edges are antialiased by drawing each shape
from its signed distance function on the pixel grid, which works at any image size and is
vectorised over all images of a class. Shapes are not rotated, so a small DCGAN learns
them in minutes on a CPU.

Built in the trainer thread; the generated tensor is cached for the last two settings.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import numpy as np
import torch

from ganlab.data.base import ImageTensorSource
from ganlab.kernel.config import DataConfig
from ganlab.kernel.i18n import N_, _

# Stored as these English words (checkpoints and caches compare them); marked for the
# catalogue so that views show them translated: ``_(name)``.
SHAPE_CLASSES = (N_("circle"), N_("square"), N_("triangle"), N_("cross"), N_("ring"), N_("bar"))
DEFAULT_SIZE = 12_000  # 2000 per class
SEED = 20_240_601  # the set is a function of this seed, the size and the image format
_BATCH = 2048  # images drawn at once, bounding the float32 work arrays

# Shape half-extent as a fraction of half the image side, and the margin kept to the border.
_SCALE_RANGE = (0.40, 0.75)
_BORDER = 0.95


def _box(px: np.ndarray, py: np.ndarray, hx: np.ndarray, hy: np.ndarray) -> np.ndarray:
    """Signed distance to an axis-aligned box of half sizes (hx, hy) centred at 0."""
    qx, qy = np.abs(px) - hx, np.abs(py) - hy
    outside = np.hypot(np.maximum(qx, 0.0), np.maximum(qy, 0.0))
    return outside + np.minimum(np.maximum(qx, qy), 0.0)


def _sdf(kind: str, px: np.ndarray, py: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Signed distance (negative inside) to shape ``kind`` of half-extent ``s``; y points up."""
    if kind == "circle":
        return np.hypot(px, py) - s
    if kind == "square":
        return _box(px, py, 0.8 * s, 0.8 * s)
    if kind == "triangle":
        # Equilateral, pointing up, circumradius s: three half planes at distance s / 2.
        c = np.sqrt(3.0) / 2.0
        return np.maximum(np.maximum(-py, c * px + 0.5 * py), -c * px + 0.5 * py) - 0.5 * s
    if kind == "cross":
        return np.minimum(_box(px, py, 0.9 * s, 0.25 * s), _box(px, py, 0.25 * s, 0.9 * s))
    if kind == "ring":
        return np.abs(np.hypot(px, py) - 0.7 * s) - 0.25 * s
    if kind == "bar":
        return _box(px, py, 0.95 * s, 0.3 * s)
    raise ValueError(f"unknown shape {kind!r}")


def _hsv_to_rgb(h: np.ndarray, s: np.ndarray, v: np.ndarray) -> np.ndarray:
    """(N,) hue, saturation, value in [0, 1] -> (N, 3) RGB in [0, 1]."""
    k = (np.array([5.0, 3.0, 1.0])[None, :] + 6.0 * h[:, None]) % 6.0
    return v[:, None] - v[:, None] * s[:, None] * np.clip(np.minimum(k, 4.0 - k), 0.0, 1.0)


def random_shapes(
    rng: np.random.Generator, size: int, channels: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The shapes set's parameters, drawn from ``rng`` in its fixed order (class, size,
    centre, brightness, colour), every one for every image whatever the format.

    Returns int labels (size,) balanced over :data:`SHAPE_CLASSES`, half-extents
    (size,) and centres (size, 2) in image coordinates [-1, 1], and the tint (size, C)
    in [0, 1] (a gray brightness when ``channels`` is 1, else an RGB colour).
    """
    labels = rng.permutation(np.arange(size) % len(SHAPE_CLASSES))
    scale = rng.uniform(*_SCALE_RANGE, size)
    centre = rng.uniform(-1.0, 1.0, (size, 2)) * (_BORDER - scale)[:, None]
    gray = rng.uniform(0.6, 1.0, size)
    colour = _hsv_to_rgb(
        rng.uniform(0, 1, size), rng.uniform(0.55, 1, size), rng.uniform(0.8, 1, size)
    )
    return labels, scale, centre, (gray[:, None] if channels == 1 else colour)


def shape_distances(
    labels: np.ndarray, scale: np.ndarray, centre: np.ndarray, image_size: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Signed distances to each image's shape on its pixel grid, a batch at a time.

    Yields (indices into the set (m,), distance (m, H, W) float32 in pixels, negative
    inside); each batch holds images of one class, at most ``_BATCH`` of them, so the
    work arrays stay bounded. A coverage of ``clip(0.5 - distance, 0, 1)`` draws the
    filled shape with a one-pixel antialiased edge.
    """
    pixel = 2.0 / image_size  # one pixel in the [-1, 1] image coordinates
    axis = ((np.arange(image_size) + 0.5) * pixel - 1.0).astype(np.float32)
    gx = axis[None, None, :]
    gy = -axis[None, :, None]  # image rows run downward, y runs up
    for k, kind in enumerate(SHAPE_CLASSES):
        members = np.flatnonzero(labels == k)
        for start in range(0, len(members), _BATCH):
            idx = members[start : start + _BATCH]
            cx = centre[idx, 0, None, None].astype(np.float32)
            cy = centre[idx, 1, None, None].astype(np.float32)
            s = scale[idx, None, None].astype(np.float32)
            yield idx, _sdf(kind, gx - cx, gy - cy, s) / pixel


def generate_shapes(
    size: int = DEFAULT_SIZE, image_size: int = 28, channels: int = 1
) -> tuple[torch.Tensor, torch.Tensor]:
    """Draw the shapes set.

    Parameters
    ----------
    size
        Number of images. Classes are balanced (counts differ by at most one).
    image_size
        Side of each image in pixels.
    channels
        1 for gray shapes, 3 for coloured ones. The geometry is the same for both.

    Returns
    -------
    images, labels
        uint8 tensor (size, channels, image_size, image_size) and int64 labels (size,)
        indexing :data:`SHAPE_CLASSES`.
    """
    labels, scale, centre, tint = random_shapes(np.random.default_rng(SEED), size, channels)
    out = np.empty((size, channels, image_size, image_size), dtype=np.uint8)
    for idx, dist in shape_distances(labels, scale, centre, image_size):
        cover = np.clip(0.5 - dist, 0.0, 1.0)  # a one-pixel-wide ramp at the edge
        values = cover[:, None] * tint[idx, :, None, None].astype(np.float32)
        out[idx] = np.rint(values * 255.0).astype(np.uint8)
    return torch.from_numpy(out), torch.from_numpy(labels.astype(np.int64))


_cached_shapes = functools.lru_cache(maxsize=2)(generate_shapes)


def build_shapes(config: DataConfig) -> ImageTensorSource:
    """The shapes set at data.image_size and data.channels, data.size images (default 12000)."""
    size = config.size if config.size > 0 else DEFAULT_SIZE
    images, labels = _cached_shapes(size, config.image_size, config.channels)
    s = config.image_size
    return ImageTensorSource(
        images,
        labels,
        SHAPE_CLASSES,
        config.channels,
        _("shapes: {count} generated images of {classes} classes ({names}), {shape}").format(
            count=size,
            classes=len(SHAPE_CLASSES),
            names=", ".join(SHAPE_CLASSES),
            shape=f"{config.channels}x{s}x{s}",
        ),
    )
