"""The ``image_folder`` source: any folder of images, subfolders as classes. No Qt.

Layout rules, decided here:

* A folder with no subfolders is one unlabelled set. A folder with subfolders is
  labelled: each subfolder (searched recursively) is a class, named after the subfolder,
  classes sorted by name; loose images beside the class folders are skipped ("not in a
  class folder"); a class folder without one usable image is dropped.
* Files and folders whose names start with a dot are ignored, as are files whose
  extension is not an image extension (``.txt``, ``.csv``, ...): silently, they are not
  "skipped" (their number is in :attr:`FolderSource.ignored`). A file with an image
  extension that cannot be used is skipped and counted by reason: ``empty file`` (zero
  bytes), ``truncated``, ``unreadable`` (not an image, corrupt, unreadable), ``too large``
  (more pixels than PIL's decompression-bomb limit ``Image.MAX_IMAGE_PIXELS``).
* Every usable image becomes ``data.channels`` x ``data.image_size`` x
  ``data.image_size``: EXIF orientation applied, the centre square cropped, resized with
  bicubic resampling. Transparency (RGBA, LA, palette with transparency) is composited on
  black, the background of the bundled shapes and the lowest value of G's tanh. 16-bit
  gray ("I;16") is scaled to 8 bits; 32-bit gray ("I") is kept when all values fit in
  0..255 and read as 16-bit otherwise; float images ("F") are taken as 0..1 when they lie
  there, else stretched from their minimum to their maximum. CMYK and other colour modes
  go through RGB; RGB becomes gray with PIL's ITU-R 601 luma.
* ``data.size > 0`` caps the number of images loaded, taking files round-robin across
  classes so that a capped set stays balanced.

Built in the trainer thread.
"""

from __future__ import annotations

import warnings
from collections import Counter
from itertools import zip_longest
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError

from ganlab.core.config import DataConfig
from ganlab.core.contracts import DataSourceEntry
from ganlab.core.errors import DataError
from ganlab.core.registry import DATA_SOURCES
from ganlab.data.base import ImageTensorSource

IMAGE_EXTENSIONS = frozenset(
    {
        ".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".bmp", ".dib", ".gif", ".webp",
        ".tif", ".tiff", ".ppm", ".pgm", ".pbm", ".pnm", ".tga", ".ico",
    }
)  # fmt: skip

EMPTY = "empty file"
TRUNCATED = "truncated"
UNREADABLE = "unreadable"
TOO_LARGE = "too large"
LOOSE = "not in a class folder"


class SkippedImageError(Exception):
    """An image file that cannot be used; ``reason`` is one of the reasons above."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _hidden(path: Path, top: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(top).parts)


def _image_files(folder: Path, top: Path, recursive: bool) -> tuple[list[Path], int]:
    """Image files under ``folder`` (sorted) and the number of other files ignored."""
    found = folder.rglob("*") if recursive else folder.iterdir()
    images, ignored = [], 0
    for path in sorted(found):
        if not path.is_file() or _hidden(path, top):
            continue
        if path.suffix.lower() in IMAGE_EXTENSIONS:
            images.append(path)
        else:
            ignored += 1
    return images, ignored


def _deep_gray_to_8bit(im: Image.Image) -> Image.Image:
    arr = np.asarray(im).astype(np.float64)
    if im.mode == "F":
        lo, hi = float(arr.min(initial=0.0)), float(arr.max(initial=0.0))
        if lo < 0.0 or hi > 1.0:
            arr = (arr - lo) / (hi - lo) if hi > lo else np.zeros_like(arr)
        arr = arr * 255.0
    elif im.mode.startswith("I;16") or arr.max(initial=0) > 255:
        arr = arr / 257.0  # 65535 -> 255
    return Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8), mode="L")


def _composite_on_black(im: Image.Image) -> Image.Image:
    """RGBA / LA (and the premultiplied or palette forms) -> RGB / L on black."""
    target = "LA" if im.mode in ("LA", "La") else "RGBA"
    arr = np.asarray(im.convert(target)).astype(np.float32)
    colour, alpha = arr[..., :-1], arr[..., -1:] / 255.0
    out = np.rint(colour * alpha).astype(np.uint8)
    return Image.fromarray(out[..., 0], mode="L") if target == "LA" else Image.fromarray(out)


def to_gray_or_rgb(im: Image.Image) -> Image.Image:
    """Any PIL mode -> an 8-bit "L" or "RGB" image (see the module docstring)."""
    if im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    if im.mode in ("RGBA", "RGBa", "LA", "La", "PA"):
        return _composite_on_black(im)
    if im.mode in ("I", "F") or im.mode.startswith("I;16"):
        return _deep_gray_to_8bit(im)
    if im.mode == "1":
        return im.convert("L")
    if im.mode not in ("L", "RGB"):
        return im.convert("RGB")
    return im


def load_image(path: Path, channels: int, size: int) -> np.ndarray:
    """Read one image file as uint8 (channels, size, size).

    Raises
    ------
    SkippedImageError
        The file cannot be used; its ``reason`` says why. Call under a warnings filter
        that turns ``Image.DecompressionBombWarning`` into an error (as
        :func:`build_image_folder` does) to skip images over the pixel limit.
    """
    try:
        if path.stat().st_size == 0:
            raise SkippedImageError(EMPTY)
        with Image.open(path) as opened:
            opened.draft("RGB" if channels == 3 else "L", (size, size))  # faster JPEG decode
            opened.load()
            im = ImageOps.exif_transpose(opened)
            im = to_gray_or_rgb(im)
            im = im.convert("L" if channels == 1 else "RGB")
            im = ImageOps.fit(im, (size, size), method=Image.Resampling.BICUBIC)
            arr = np.asarray(im, dtype=np.uint8)
    except SkippedImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise SkippedImageError(TOO_LARGE) from None
    except UnidentifiedImageError:
        raise SkippedImageError(UNREADABLE) from None
    except (OSError, EOFError) as exc:
        truncated = isinstance(exc, EOFError) or "truncat" in str(exc).lower()
        raise SkippedImageError(TRUNCATED if truncated else UNREADABLE) from None
    except Exception:  # decoders raise anything on hostile input: skip, never crash
        raise SkippedImageError(UNREADABLE) from None
    arr = arr[None] if arr.ndim == 2 else arr.transpose(2, 0, 1)
    return np.ascontiguousarray(arr)


class FolderSource(ImageTensorSource):
    """Images loaded from a folder (see the module docstring for the rules).

    Attributes
    ----------
    folder
        The folder read.
    skipped
        ``(file, reason)`` for every image file that could not be used.
    ignored
        Number of files ignored because their extension is not an image extension.
    """

    def __init__(
        self,
        folder: Path,
        images: torch.Tensor,
        labels: torch.Tensor | None,
        class_names: tuple[str, ...],
        channels: int,
        skipped: list[tuple[Path, str]],
        ignored: int,
    ):
        self.folder = folder
        self.skipped = skipped
        self.ignored = ignored
        super().__init__(images, labels, class_names, channels, "")
        self.text = self._describe()

    @property
    def skipped_counts(self) -> Counter[str]:
        """Number of skipped files per reason."""
        return Counter(reason for _, reason in self.skipped)

    def _describe(self) -> str:
        n = len(self.images)
        what = f"{n} image{'s' if n != 1 else ''}"
        k = self.spec.num_classes
        where = f" in {k} class{'es' if k != 1 else ''}" if k else " (no classes)"
        text = f"folder {self.folder}: {what}{where}"
        if self.skipped:
            reasons = ", ".join(f"{c} {r}" for r, c in self.skipped_counts.most_common())
            text += f"; skipped {len(self.skipped)} ({reasons})"
        return text


def _load_all(
    files: list[tuple[Path, int]], channels: int, size: int, cap: int
) -> tuple[np.ndarray, np.ndarray, list[tuple[Path, str]]]:
    """Load files in order until ``cap`` images (0 = all) are usable."""
    limit = min(cap, len(files)) if cap > 0 else len(files)
    out = np.empty((limit, channels, size, size), dtype=np.uint8)
    labels = np.empty(limit, dtype=np.int64)
    skipped: list[tuple[Path, str]] = []
    count = 0
    with warnings.catch_warnings():
        # PIL warns between 1x and 2x its pixel limit and raises above; skip both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        for path, label in files:
            if count == limit:
                break
            try:
                out[count] = load_image(path, channels, size)
            except SkippedImageError as skip:
                skipped.append((path, skip.reason))
                continue
            labels[count] = label
            count += 1
    if count < limit:  # give back the room reserved for skipped files
        return out[:count].copy(), labels[:count].copy(), skipped
    return out, labels, skipped


def build_image_folder(config: DataConfig) -> FolderSource:
    """Every usable image in the folder ``data.path`` (see the module docstring)."""
    if not config.path:
        raise DataError("data.path is empty: choose a folder of images")
    folder = Path(config.path).expanduser()
    if not folder.exists():
        raise DataError(f"image folder {folder} does not exist")
    if not folder.is_dir():
        raise DataError(f"{folder} is not a folder; data.path must name a folder of images")

    try:
        subfolders = sorted(
            p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
        )
        loose, ignored = _image_files(folder, folder, recursive=False)
        per_class: list[list[Path]] = []
        for sub in subfolders:
            files, n_ignored = _image_files(sub, folder, recursive=True)
            per_class.append(files)
            ignored += n_ignored
    except OSError as exc:
        raise DataError(f"image folder {folder} cannot be listed: {exc}") from None

    skipped: list[tuple[Path, str]] = []
    if subfolders:
        skipped = [(path, LOOSE) for path in loose]
        # Round-robin across classes, so that a capped load stays balanced.
        labelled = [[(path, i) for path in files] for i, files in enumerate(per_class)]
        order = [item for group in zip_longest(*labelled) for item in group if item is not None]
    else:
        order = [(path, 0) for path in loose]

    images, labels, bad = _load_all(order, config.channels, config.image_size, config.size)
    skipped += bad
    if len(images) == 0:
        extensions = ", ".join(sorted(IMAGE_EXTENSIONS))
        if not skipped:
            raise DataError(
                f"image folder {folder} has no image files (image files end in {extensions})"
            )
        reasons = Counter(reason for _, reason in skipped)
        detail = ", ".join(f"{c} {r}" for r, c in reasons.most_common())
        raise DataError(
            f"image folder {folder} has no usable images ({len(skipped)} image files: {detail})"
        )

    class_names: tuple[str, ...] = ()
    label_tensor: torch.Tensor | None = None
    if subfolders:
        # Drop class folders without a usable image, so every label in range occurs.
        present = sorted(set(labels.tolist()))
        remap = np.full(len(subfolders), -1, dtype=np.int64)
        remap[present] = np.arange(len(present))
        class_names = tuple(subfolders[i].name for i in present)
        label_tensor = torch.from_numpy(remap[labels])
    return FolderSource(
        folder,
        torch.from_numpy(images),
        label_tensor,
        class_names,
        config.channels,
        skipped,
        ignored,
    )


DATA_SOURCES.register(
    "image_folder",
    DataSourceEntry(
        name="image_folder",
        title="Folder of images",
        kind="image",
        build=build_image_folder,
        description="Any folder of images; its subfolders, if any, are the classes.",
        reads_path=True,
    ),
)
