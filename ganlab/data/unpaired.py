"""Unpaired image-to-image data for CycleGAN: two domains, drawn independently. No Qt.

Two sources, both of data kind ``"unpaired"`` (samples ``(N, 2, C, H, W)`` in [-1, 1],
``x[:, 0]`` from domain A, ``x[:, 1]`` from domain B, the two drawn independently: the
pair in one row shows two unrelated images):

* ``shapes_unpaired``, generated from a fixed seed, nothing downloaded. Both domains show
  the six shapes of the bundled ``shapes`` set (ganlab.data.shapes, the same
  signed-distance drawing), in two styles a small CycleGAN learns to translate in minutes:

  - A, "filled shape": a shape filled in a warm colour (red, orange, yellow) on black;
  - B, "outline": the same kinds of shapes drawn as a thick outline in a cool colour
    (cyan, blue) on a light gray background.

  Each domain's shapes have their own random kind, size, position and colour, so no
  image of A has a partner in B: a translator has to learn the styles, and only the
  cycle loss ties G(A)'s shape to A's (Zhu et al. 2017). The held-out images
  (:meth:`UnpairedSource.held_out`) are drawn from another seed, so training never sees
  them.
* ``unpaired_folder``: a folder (``data.path``) in the layout of CycleGAN's "unaligned"
  data sets (junyanz/pytorch-CycleGAN-and-pix2pix): ``trainA/`` and ``trainB/``, and
  ``testA/`` + ``testB/`` as the held-out images when both are there (otherwise the last
  tenth of each training folder, at most :data:`HELD_OUT`, is kept apart). Images are read
  and bad files skipped by the rules of ganlab.data.folder (``image_folder``): skipped
  files are named in the summary with their reason, and listed in the run directory.

Built in the trainer thread (or the trainer process).
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import torch

from ganlab.data.base import FEW_HELD_OUT, few_held_out_note
from ganlab.data.folder import (
    IMAGE_EXTENSIONS,
    SkipList,
    _image_files,
    _load_all,
    _named,
)
from ganlab.data.shapes import _SCALE_RANGE, SHAPE_CLASSES, _hsv_to_rgb, shape_distances
from ganlab.kernel.config import DataConfig
from ganlab.kernel.contracts import DataSource, DataSpec
from ganlab.kernel.errors import DataError
from ganlab.kernel.i18n import N_, _

# Domain names (English msgids; views show them translated with _()).
FILLED = N_("filled shape")
OUTLINE = N_("outline")
SHAPES_DOMAINS = (FILLED, OUTLINE)
FOLDER_DOMAINS = (N_("domain A"), N_("domain B"))

DEFAULT_SIZE = 4000  # images per domain in training
HELD_OUT = 64  # held-out images per domain
SEED = 20_261_201  # training images; the held-out ones use SEED + 1

_BORDER = 0.95
_BACKGROUND_B = np.array([0.90, 0.90, 0.92])  # light gray of domain B
_WARM_HUES = (-0.04, 0.15)  # red .. yellow
_COOL_HUES = (0.48, 0.70)  # cyan .. blue
_OUTLINE_WIDTH = 0.09  # half-width of B's stroke, in units of half the image side


def _draw_domain(
    n: int, image_size: int, channels: int, domain: int, rng: np.random.Generator
) -> np.ndarray:
    """``n`` images of one domain as uint8 (n, channels, size, size).

    Domain 0 (A): filled warm shapes on black; domain 1 (B): cool outlines on light gray.
    Every parameter is drawn for every image in a fixed order (kind, size, centre, hue,
    saturation, value), whatever the format.
    """
    kinds = rng.integers(0, len(SHAPE_CLASSES), n)
    scale = rng.uniform(*_SCALE_RANGE, n)
    centre = rng.uniform(-1.0, 1.0, (n, 2)) * (_BORDER - scale)[:, None]
    lo, hi = _WARM_HUES if domain == 0 else _COOL_HUES
    hue = rng.uniform(lo, hi, n) % 1.0
    sat = rng.uniform(0.7, 1.0, n)
    val = rng.uniform(0.85, 1.0, n) if domain == 0 else rng.uniform(0.45, 0.75, n)
    colour = _hsv_to_rgb(hue, sat, val).astype(np.float32)  # (n, 3)

    rgb = np.empty((n, 3, image_size, image_size), dtype=np.float32)
    stroke = _OUTLINE_WIDTH * image_size / 2.0  # the stroke's half-width in pixels
    for idx, dist in shape_distances(kinds, scale, centre, image_size):
        if domain == 1:  # a stroke along the edge: |distance| below the half-width
            dist = np.abs(dist) - stroke
        cover = np.clip(0.5 - dist, 0.0, 1.0)[:, None]  # (m, 1, H, W)
        paint = colour[idx, :, None, None]
        if domain == 0:
            rgb[idx] = cover * paint
        else:
            back = _BACKGROUND_B.astype(np.float32)[None, :, None, None]
            rgb[idx] = back + cover * (paint - back)
    if channels == 1:
        luma = np.array([0.299, 0.587, 0.114], dtype=np.float32)[None, :, None, None]
        rgb = (rgb * luma).sum(axis=1, keepdims=True)
    return np.rint(np.clip(rgb, 0.0, 1.0) * 255.0).astype(np.uint8)


@functools.lru_cache(maxsize=2)
def generate_unpaired_shapes(
    size: int = DEFAULT_SIZE, image_size: int = 32, channels: int = 3
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Draw the ``shapes_unpaired`` set.

    Returns
    -------
    train_a, train_b, held_a, held_b
        uint8 tensors (size, channels, image_size, image_size) for training and
        (:data:`HELD_OUT`, ...) held out, each domain drawn with its own parameters.
    """
    train = np.random.default_rng(SEED)
    held = np.random.default_rng(SEED + 1)
    a = _draw_domain(size, image_size, channels, 0, train)
    b = _draw_domain(size, image_size, channels, 1, train)
    ha = _draw_domain(HELD_OUT, image_size, channels, 0, held)
    hb = _draw_domain(HELD_OUT, image_size, channels, 1, held)
    return tuple(torch.from_numpy(v) for v in (a, b, ha, hb))  # type: ignore[return-value]


def _to_float(images: torch.Tensor, channels: int) -> torch.Tensor:
    x = images.to(torch.float32).div_(127.5).sub_(1.0)
    if x.shape[1] != channels:
        x = x.expand(-1, channels, -1, -1).contiguous()
    return x


class UnpairedSource(DataSource):
    """Two domains of uint8 images, sampled independently (see the module docstring).

    Parameters
    ----------
    train_a, train_b
        uint8 (N_A, C, H, W) and (N_B, C, H, W) training images; a one-channel store is
        repeated when ``channels`` is 3. N_A and N_B may differ.
    held_a, held_b
        Held-out images of each domain (may be empty).
    channels
        Channels of the samples.
    domains
        The names of domains A and B (English msgids).
    text
        What the set is, for :meth:`summary`.
    """

    def __init__(
        self,
        train_a: torch.Tensor,
        train_b: torch.Tensor,
        held_a: torch.Tensor,
        held_b: torch.Tensor,
        channels: int,
        domains: tuple[str, str],
        text: str,
    ):
        for images in (train_a, train_b):
            if images.dtype != torch.uint8 or images.ndim != 4 or not len(images):
                raise ValueError("training images must be a non-empty uint8 (N, C, H, W) tensor")
        self.train_a, self.train_b = train_a, train_b
        self.held_a, self.held_b = held_a, held_b
        self.channels = channels
        size = train_a.shape[-1]
        self.spec = DataSpec(kind="unpaired", shape=(2, channels, size, size), domains=domains)
        self.text = text

    def sample(self, n: int, generator: torch.Generator) -> tuple[torch.Tensor, None]:
        """``n`` rows (n, 2, C, H, W) in [-1, 1]: A and B drawn independently, with
        replacement (first the n indices of A, then those of B)."""
        ia = torch.randint(len(self.train_a), (n,), generator=generator, device="cpu")
        ib = torch.randint(len(self.train_b), (n,), generator=generator, device="cpu")
        a = _to_float(self.train_a[ia], self.channels)
        b = _to_float(self.train_b[ib], self.channels)
        return torch.stack([a, b], dim=1), None

    def held_out(self, n: int) -> torch.Tensor | None:
        """The first ``n`` held-out images of each domain side by side, (m, 2, C, H, W)
        with m = min(n, held-out images of A, of B); None when there are none."""
        m = min(n, len(self.held_a), len(self.held_b))
        if m <= 0:
            return None
        a = _to_float(self.held_a[:m], self.channels)
        b = _to_float(self.held_b[:m], self.channels)
        return torch.stack([a, b], dim=1)

    def domain_images(self, domain: int, split: str = "train") -> torch.Tensor:
        """All uint8 (N, C, H, W) images of domain 0 (A) or 1 (B), ``split`` "train" or
        "held": what the domain classifier (ganlab.metrics.domains) is trained on."""
        table = {
            ("train", 0): self.train_a,
            ("train", 1): self.train_b,
            ("held", 0): self.held_a,
            ("held", 1): self.held_b,
        }
        return table[(split, domain)]

    def summary(self) -> str:
        return self.text


def build_shapes_unpaired(config: DataConfig) -> UnpairedSource:
    """The procedural unpaired shapes at data.image_size and data.channels; data.size
    images per domain (default 4000), plus 64 held-out images per domain."""
    size = config.size if config.size > 0 else DEFAULT_SIZE
    a, b, ha, hb = generate_unpaired_shapes(size, config.image_size, config.channels)
    s = config.image_size
    text = _(
        "unpaired shapes: {count} generated images per domain, A {a}, B {b} "
        "(drawn independently), {held} held out per domain, {shape}"
    ).format(
        count=size,
        a=_(FILLED),
        b=_(OUTLINE),
        held=HELD_OUT,
        shape=f"{config.channels}x{s}x{s}",
    )
    return UnpairedSource(a, b, ha, hb, config.channels, SHAPES_DOMAINS, text)


# --------------------------------------------------------------------------- folders

TRAIN_DIRS = ("trainA", "trainB")
TEST_DIRS = ("testA", "testB")


class UnpairedFolderSource(SkipList, UnpairedSource):
    """CycleGAN's ``trainA/`` + ``trainB/`` (+ ``testA/`` + ``testB/``) folder layout.

    Attributes
    ----------
    folder, skipped
        As :class:`ganlab.data.folder.SkipList` (skipped paths relative to ``folder``,
        e.g. ``trainA/broken.png``).
    ignored
        Files ignored because their extension is not an image extension.
    """

    def __init__(
        self,
        folder: Path,
        images: dict[str, torch.Tensor],
        channels: int,
        skipped: list[tuple[Path, str]],
        ignored: int,
        held_from_train: bool,
    ):
        self.folder = folder
        self.skipped = skipped
        self.ignored = ignored
        counts = {name: len(v) for name, v in images.items()}
        head = _(
            "CycleGAN folder {folder}: {a} images in trainA/, {b} in trainB/; held out: {ha} of A, "
            "{hb} of B ({where})"
        ).format(
            folder=folder,
            a=counts["trainA"],
            b=counts["trainB"],
            ha=counts["testA"],
            hb=counts["testB"],
            where=_("the last tenth of each training folder")
            if held_from_train
            else "testA/, testB/",
        )
        if skipped:
            reasons = ", ".join(f"{c} {_(r)}" for r, c in self.skipped_counts.most_common())
            head += _("; skipped {count} ({reasons})").format(count=len(skipped), reasons=reasons)
        lines = [head]
        few = min(counts["testA"], counts["testB"])
        if few < FEW_HELD_OUT:
            lines.append(few_held_out_note(few))
        if skipped:
            lines.append(self.skipped_line())
        super().__init__(
            images["trainA"],
            images["trainB"],
            images["testA"],
            images["testB"],
            channels,
            FOLDER_DOMAINS,
            "\n".join(lines),
        )

    def problem_lines(self) -> list[str]:
        """The summary's line about skipped files (none when nothing was skipped)."""
        return [self.skipped_line()] if self.skipped else []


def _load_domain(
    sub: Path, top: Path, channels: int, size: int, cap: int
) -> tuple[np.ndarray, list[tuple[Path, str]], int]:
    """Usable images of one domain folder (uint8 (N, C, H, W)), the skipped files and
    the number of non-image files ignored."""
    files, ignored = _image_files(sub, top, recursive=True)
    loaded = _load_all([(path, 0) for path in files], channels, size, cap)
    return loaded.images, loaded.skipped, ignored


def build_unpaired_folder(config: DataConfig) -> UnpairedFolderSource:
    """The CycleGAN folder ``data.path`` (see the module docstring); ``data.size > 0``
    caps the training images loaded per domain.

    Raises
    ------
    DataError
        The path is empty, missing or not a folder, ``trainA/`` or ``trainB/`` is missing,
        or a training folder holds no usable image (the message names the folder, the
        skipped files and the fix).
    """
    if not config.path:
        raise DataError(
            _("data.path is empty: choose a folder that holds trainA/ and trainB/ (CycleGAN)")
        )
    folder = Path(config.path).expanduser()
    if not folder.is_dir():
        raise DataError(
            _(
                "{folder} is not a folder; data.path must name a folder holding trainA/ and trainB/"
            ).format(folder=folder)
        )
    missing = [name for name in TRAIN_DIRS if not (folder / name).is_dir()]
    if missing:
        raise DataError(
            _(
                "{folder} has no {missing}: a CycleGAN data set holds the images of domain A "
                "in trainA/ and of domain B in trainB/ (optionally testA/ and testB/ for "
                "held-out images); create them and put the images there"
            ).format(folder=folder, missing=", ".join(f"{m}/" for m in missing))
        )
    use_test = all((folder / name).is_dir() for name in TEST_DIRS)
    images: dict[str, torch.Tensor] = {}
    skipped: list[tuple[Path, str]] = []
    ignored = 0
    try:
        for name in TRAIN_DIRS + (TEST_DIRS if use_test else ()):
            cap = config.size if name in TRAIN_DIRS else HELD_OUT
            found, bad, n_ignored = _load_domain(
                folder / name, folder, config.channels, config.image_size, cap
            )
            skipped += bad
            ignored += n_ignored
            if name in TRAIN_DIRS and not len(found):
                files = sorted(
                    f"{p.relative_to(folder).as_posix()} ({_(r)})"
                    for p, r in bad
                    if p.is_relative_to(folder / name)
                )
                detail = (
                    _("its image files cannot be used: {files}").format(files=_named(files))
                    if files
                    else _("it holds no image file (image files end in {extensions})").format(
                        extensions=", ".join(sorted(IMAGE_EXTENSIONS))
                    )
                )
                raise DataError(
                    _("{folder}/{name} has no usable image: {detail}; add images there").format(
                        folder=folder, name=name, detail=detail
                    )
                )
            images[name] = torch.from_numpy(found)
    except OSError as exc:
        raise DataError(
            _("image folder {folder} cannot be listed: {error}").format(folder=folder, error=exc)
        ) from None
    if not use_test:
        # No test folders: keep the last tenth of each training folder apart (at least
        # one image where the folder has two or more).
        for train, test in zip(TRAIN_DIRS, TEST_DIRS, strict=True):
            whole = images[train]
            k = min(HELD_OUT, max(1, len(whole) // 10)) if len(whole) >= 2 else 0
            images[train], images[test] = whole[: len(whole) - k], whole[len(whole) - k :]
    return UnpairedFolderSource(folder, images, config.channels, skipped, ignored, not use_test)


__all__ = [
    "FILLED",
    "OUTLINE",
    "UnpairedFolderSource",
    "UnpairedSource",
    "build_shapes_unpaired",
    "build_unpaired_folder",
    "generate_unpaired_shapes",
]
