"""Building blocks shared by the data sources. No Qt; runs in the trainer thread.

Owns the conventions every source follows and the pieces several modules reuse:

* ``data.sigma``: 0 means the source's own default, a positive value overrides it
  (:func:`resolve_sigma`);
* square plotting bounds centred on the origin (:func:`symmetric_bounds`);
* the exact density of an isotropic gaussian mixture, evaluated in chunks
  (:func:`mixture_density`), and a source that samples such a mixture
  (:class:`GaussianMixtureSource`);
* in-memory uint8 images sampled by index (:class:`ImageTensorSource`), with the channel
  and size conversion the image sources share (:func:`prepare_images`);
* the default download folder (:func:`dataset_root`).

All sampling draws from the ``torch.Generator`` it is given and nothing else, so a run
that restores the generator state resumes with the same data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import platformdirs
import torch
import torch.nn.functional as F

from ganlab.kernel.config import DataConfig
from ganlab.kernel.contracts import DataKind, DataSource, DataSpec
from ganlab.kernel.i18n import N_, _, ngettext

# Work arrays of mixture_density hold about this many float64 values (512 KiB): small
# enough to stay in the CPU cache, which makes it several times faster than large chunks.
_CHUNK_ELEMENTS = 1 << 16
# Images are resized this many at a time, to bound the float32 copy.
_RESIZE_CHUNK = 1024

Bounds = tuple[tuple[float, float], ...]


def resolve_sigma(config: DataConfig, default: float) -> float:
    """The noise / per-mode standard deviation to use.

    Parameters
    ----------
    config
        The data settings; ``config.sigma`` is 0 for "the source's default".
    default
        The source's own standard deviation.
    """
    return float(config.sigma) if config.sigma > 0 else float(default)


def symmetric_bounds(extent: float, dim: int, minimum: float) -> Bounds:
    """Square plotting bounds ``(-h, h)`` per dimension with ``h = max(extent, minimum)``.

    ``h`` is rounded up to a multiple of 0.5 so that small changes of sigma do not move
    the view.
    """
    half = math.ceil(max(extent, minimum) * 2.0 - 1e-9) / 2.0
    return tuple((-half, half) for _ in range(dim))


def dataset_root(config: DataConfig) -> Path:
    """The folder that holds downloaded data sets.

    ``config.root`` when set, otherwise ``<user cache>/ganlab/datasets`` as given by
    ``platformdirs.user_cache_dir("ganlab")``.
    """
    if config.root:
        return Path(config.root).expanduser()
    return Path(platformdirs.user_cache_dir("ganlab")) / "datasets"


def mixture_density(
    x: np.ndarray,
    means: np.ndarray,
    sigmas: float | np.ndarray,
    weights: float | np.ndarray,
) -> np.ndarray:
    """Exact density of an isotropic gaussian mixture.

    Parameters
    ----------
    x
        Points, shape (N, dim) (or (N,) when dim is 1).
    means
        Component centres, shape (K, dim).
    sigmas
        Standard deviation of each component, shape (K,) or one for all.
    weights
        Mixture weights, shape (K,) (or one for all), summing to 1.

    Returns
    -------
    numpy.ndarray
        float64 densities of shape (N,).
    """
    means = np.asarray(means, dtype=np.float64)
    k, dim = means.shape
    pts = np.asarray(x, dtype=np.float64).reshape(-1, dim)
    sigmas = np.broadcast_to(np.asarray(sigmas, dtype=np.float64), (k,))
    weights = np.broadcast_to(np.asarray(weights, dtype=np.float64), (k,))
    norm = weights / (2.0 * np.pi * sigmas**2) ** (dim / 2.0)
    inv_two_var = 1.0 / (2.0 * sigmas**2)
    mean_sq = (means**2).sum(axis=1)
    out = np.empty(len(pts), dtype=np.float64)
    rows = max(1, _CHUNK_ELEMENTS // k)
    for start in range(0, len(pts), rows):
        chunk = pts[start : start + rows]
        # |x - m|^2 = |x|^2 + |m|^2 - 2 x.m, one matrix product instead of a (rows, K, dim)
        # difference array; clamped because rounding can make it slightly negative.
        sq = (chunk**2).sum(axis=1)[:, None] + mean_sq[None, :] - 2.0 * (chunk @ means.T)
        np.maximum(sq, 0.0, out=sq)
        sq *= -inv_two_var
        np.exp(sq, out=sq)
        out[start : start + rows] = sq @ norm
    return out


class GaussianMixtureSource(DataSource):
    """A mixture of isotropic gaussians with exact density.

    Parameters
    ----------
    kind
        ``"toy1d"`` or ``"toy2d"``.
    means
        Component centres, shape (K, dim).
    sigmas
        Standard deviation of each component, a scalar or shape (K,).
    weights
        Mixture weights (normalised here); None for equal weights.
    class_names
        One name per component when samples are labelled by their component; empty for an
        unlabelled source (labels are then None).
    bounds
        Plotting region, one (lo, hi) per dimension.
    text
        What the source is, for :meth:`summary`.
    expose_modes
        Set :attr:`modes` and :attr:`mode_sigma` for the mode-coverage metrics (only
        meaningful for equal-weight mixtures with one common sigma).
    """

    def __init__(
        self,
        *,
        kind: DataKind,
        means: np.ndarray,
        sigmas: float | Sequence[float] | np.ndarray,
        weights: Sequence[float] | np.ndarray | None = None,
        class_names: Sequence[str] = (),
        bounds: Bounds,
        text: str,
        expose_modes: bool = False,
    ):
        self.means = np.asarray(means, dtype=np.float64)
        k, dim = self.means.shape
        self.sigmas = np.broadcast_to(np.asarray(sigmas, dtype=np.float64), (k,)).copy()
        w = np.ones(k) if weights is None else np.asarray(weights, dtype=np.float64)
        self.weights = w / w.sum()
        self.labelled = bool(class_names)
        self.spec = DataSpec(
            kind=kind,
            shape=(dim,),
            num_classes=len(class_names),
            class_names=tuple(class_names),
            bounds=bounds,
        )
        # Smallest feature of the density: a grid finer than this resolves it.
        self.length_scale = float(self.sigmas.min())
        self.text = text
        if expose_modes:
            self.modes = self.means.copy()
            self.mode_sigma = float(self.sigmas[0])
        self._means_t = torch.as_tensor(self.means, dtype=torch.float32)
        self._sigmas_t = torch.as_tensor(self.sigmas, dtype=torch.float32)
        self._cdf_t = torch.as_tensor(np.cumsum(self.weights), dtype=torch.float64)
        self._equal_weights = bool(np.allclose(self.weights, self.weights[0]))

    def sample(
        self, n: int, generator: torch.Generator
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Draw ``n`` points (and their component index when labelled)."""
        k, dim = self.means.shape
        if self._equal_weights:
            comp = torch.randint(k, (n,), generator=generator, device="cpu")
        else:  # inverse CDF (torch.multinomial refuses n = 0)
            u = torch.rand(n, generator=generator, device="cpu", dtype=torch.float64)
            comp = torch.searchsorted(self._cdf_t, u, right=True).clamp_(max=k - 1)
        noise = torch.randn((n, dim), generator=generator, device="cpu", dtype=torch.float32)
        x = self._means_t[comp] + self._sigmas_t[comp, None] * noise
        return x, (comp if self.labelled else None)

    def density(self, x: np.ndarray) -> np.ndarray:
        """Exact mixture density at ``x`` (N, dim)."""
        return mixture_density(x, self.means, self.sigmas, self.weights)

    def summary(self) -> str:
        return self.text


def prepare_images(images: torch.Tensor, channels: int, size: int) -> torch.Tensor:
    """Resize uint8 images to ``size`` x ``size`` and reduce colour to gray if asked.

    Parameters
    ----------
    images
        uint8 tensor (N, C, H, W) with C 1 or 3.
    channels
        The configured channels. RGB -> gray uses the ITU-R 601 luma weights (as PIL's
        ``convert("L")``). Gray images stay one channel when 3 are asked for:
        :class:`ImageTensorSource` repeats the channel when sampling, which saves memory.
    size
        Output side in pixels. Bilinear resampling with antialiasing.

    Returns
    -------
    torch.Tensor
        uint8 tensor (N, C', size, size), C' = 1 or ``channels``.
    """
    n, c, h, w = images.shape
    out_c = 1 if (c == 1 or channels == 1) else 3
    if c == out_c and h == size and w == size:
        return images.contiguous()
    out = torch.empty((n, out_c, size, size), dtype=torch.uint8)
    luma = torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)
    for start in range(0, n, _RESIZE_CHUNK):
        chunk = images[start : start + _RESIZE_CHUNK].to(torch.float32)
        if c == 3 and out_c == 1:
            chunk = (chunk * luma).sum(dim=1, keepdim=True)
        if h != size or w != size:
            chunk = F.interpolate(
                chunk, size=(size, size), mode="bilinear", align_corners=False, antialias=True
            )
        out[start : start + _RESIZE_CHUNK] = chunk.round_().clamp_(0, 255).to(torch.uint8)
    return out


# Mode names as a person reads them in the conversion line; other modes keep PIL's name.
_MODE_WORDS = {
    "1": N_("1-bit"),
    "L": N_("gray (L)"),
    "I": N_("32-bit gray (I)"),
    "F": N_("float gray (F)"),
}


def mode_word(mode: str) -> str:
    """A PIL mode as the conversion line names it (``"1"`` -> ``"1-bit"``)."""
    if mode.startswith("I;16"):
        return _("16-bit gray ({mode})").format(mode=mode)
    return _(_MODE_WORDS[mode]) if mode in _MODE_WORDS else mode


def conversion_summary(
    total: int, channels: int, modes: Mapping[str, int], transparent: int = 0
) -> str:
    """One line saying which images were converted to the model's colour mode.

    Parameters
    ----------
    total
        Number of images in the set.
    channels
        The model's channels: 3 (RGB) or 1 (gray, PIL's "L").
    modes
        Number of images per PIL mode they were stored in (``"RGB"``, ``"P"``, ...).
    transparent
        Number of images with transparency (an alpha channel or a transparent colour),
        composited on black.

    Returns
    -------
    str
        For example ``"converted to RGB: 3 of 23 from gray (L), 1 from CMYK; 2 of 23 with
        transparency, composited on black"``; empty when every image was already in the
        model's mode and none had transparency.
    """
    target = "RGB" if channels == 3 else "L"
    converted = sorted(
        ((n, m) for m, n in modes.items() if m != target and n > 0), key=lambda t: (-t[0], t[1])
    )
    parts = []
    if converted:
        items = [_("{count} from {mode}").format(count=n, mode=mode_word(m)) for n, m in converted]
        count = sum(n for n, _mode in converted)
        first = (
            _("all {total}").format(total=total)
            if count == total and len(converted) == 1
            else _("{count} of {total}").format(count=converted[0][0], total=total)
        )
        items[0] = _("{count} from {mode}").format(count=first, mode=mode_word(converted[0][1]))
        parts.append(", ".join(items))
    if transparent:
        parts.append(
            _("{count} of {total} with transparency, composited on black").format(
                count=transparent, total=total
            )
        )
    if not parts:
        return ""
    line = _("converted to {mode}: {parts}").format(mode=mode_word(target), parts="; ".join(parts))
    colour = sum(n for m, n in modes.items() if m in _COLOUR_MODES)
    if channels == 1 and colour:  # colour photos, trained gray: say how to keep colour
        line += _(" (colour images: set data.channels = 3 to train in colour)")

    return line


# PIL modes that hold colour; a gray model (channels = 1) loses it.
_COLOUR_MODES = frozenset({"RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "LAB", "HSV", "P", "PA"})


class ImageTensorSource(DataSource):
    """Images held in memory as uint8, sampled uniformly by index.

    Parameters
    ----------
    images
        uint8 tensor (N, C, H, W) with H == W; C is 1 or ``channels``.
    labels
        int64 tensor (N,) of class indices, or None for an unlabelled set.
    class_names
        One name per class (empty when unlabelled).
    channels
        Channels of the samples; a one-channel store is repeated to 3 when 3 are asked.
    text
        What the set is, for :meth:`summary`.
    """

    def __init__(
        self,
        images: torch.Tensor,
        labels: torch.Tensor | None,
        class_names: Sequence[str],
        channels: int,
        text: str,
    ):
        if images.dtype != torch.uint8 or images.ndim != 4:
            raise ValueError("images must be a uint8 tensor of shape (N, C, H, W)")
        self.images = images
        self.labels = None if labels is None else labels.to(torch.int64)
        self.channels = channels
        size = images.shape[-1]
        self.spec = DataSpec(
            kind="image",
            shape=(channels, size, size),
            num_classes=len(class_names) if labels is not None else 0,
            class_names=tuple(class_names) if labels is not None else (),
        )
        self.text = text

    def __len__(self) -> int:
        return len(self.images)

    def sample(
        self, n: int, generator: torch.Generator
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Draw ``n`` images (with replacement) scaled to [-1, 1], and their labels."""
        idx = torch.randint(len(self.images), (n,), generator=generator, device="cpu")
        x = self.images[idx].to(torch.float32).div_(127.5).sub_(1.0)
        if x.shape[1] != self.channels:
            x = x.expand(-1, self.channels, -1, -1).contiguous()
        return x, (None if self.labels is None else self.labels[idx])

    def summary(self) -> str:
        return self.text


# Image-to-image folders: below this many held-out images the held-out measures say little.
FEW_HELD_OUT = 8


def few_held_out_note(count: int) -> str:
    """The summary line of an image-to-image folder with fewer than :data:`FEW_HELD_OUT`
    held-out images: what the held-out measures rest on, and how to have more."""
    return ngettext(
        "note: only {count} held-out image: the held-out measures (L1, PSNR, cycle error) "
        "rest on it alone; put more in val/ (pairs) or testA/ and testB/ (two domains)",
        "note: only {count} held-out images: the held-out measures (L1, PSNR, cycle error) "
        "rest on them alone; put more in val/ (pairs) or testA/ and testB/ (two domains)",
        count,
    ).format(count=count)
