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
  ``data.image_size``, the picture a person sees in an image viewer: EXIF orientation
  applied, the centre square cropped, resized with bicubic resampling. Transparency (an
  alpha channel: RGBA, LA, PA; or a transparent colour or palette entries: 1, L, P, RGB
  with PNG/GIF transparency) is composited on black, the background of the bundled shapes
  and the lowest value of G's tanh. 16-bit gray ("I;16", "I;16B", and "I" from 16-bit
  PGM files) is scaled to 8 bits (/257); other 32-bit gray ("I") is kept when all values
  fit in 0..255, read as 16-bit when they fit in 0..65535, else stretched from its
  minimum to its maximum; float images ("F") are taken as 0..1 when they lie there, else
  stretched likewise. CMYK, YCbCr and other colour modes go through RGB with PIL's
  conversions; RGB becomes gray with PIL's ITU-R 601 luma.
* ``data.size > 0`` caps the number of images loaded, taking files round-robin across
  classes so that a capped set stays balanced.
* Nothing is warned image by image: :meth:`FolderSource.summary` gives one headline and,
  when they apply, one line each for the conversions (how many images came from which
  mode, how many had transparency), the skipped files named with their path relative to
  the folder and their reason (the first :data:`NAMED`, then "and N more"; all of them in
  :attr:`FolderSource.skipped_files`, which :meth:`FolderSource.write_skipped_list`
  writes to a run directory as :data:`SKIPPED_LIST_NAME`), the class folders dropped and
  why, and the files the decoder warned about (corrupt EXIF data, ...) but that loaded.

Built in the trainer thread.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError

from ganlab.data.base import ImageTensorSource, conversion_summary
from ganlab.kernel.config import DataConfig
from ganlab.kernel.errors import DataError
from ganlab.kernel.i18n import N_, _, ngettext

IMAGE_EXTENSIONS = frozenset(
    {
        ".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".bmp", ".dib", ".gif", ".webp",
        ".tif", ".tiff", ".ppm", ".pgm", ".pbm", ".pnm", ".tga", ".ico",
    }
)  # fmt: skip

# Reasons a file is skipped: English in skipped_files.tsv, translated where shown (_()).
EMPTY = N_("empty file")
TRUNCATED = N_("truncated")
UNREADABLE = N_("unreadable")
TOO_LARGE = N_("too large")
LOOSE = N_("not in a class folder")

NAMED = 10  # files named one by one in the summary's lists; the rest are counted
SKIPPED_LIST_NAME = "skipped_files.tsv"  # the full list, in a run directory
_ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})


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


def has_transparency(im: Image.Image) -> bool:
    """Whether a viewer would show some of ``im`` see-through: an alpha channel, or a
    transparent colour / palette entries (PNG tRNS, GIF transparency) in ``im.info``."""
    return im.mode in _ALPHA_MODES or "transparency" in im.info


def _deep_gray_to_8bit(im: Image.Image, file_format: str | None = None) -> Image.Image:
    """ "I;16*", "I" or "F" -> "L" by the rules in the module docstring."""
    raw = np.asarray(im)
    arr = raw.astype(np.float64)
    lo, hi = (float(arr.min()), float(arr.max())) if arr.size else (0.0, 0.0)
    if im.mode == "F":
        if lo < 0.0 or hi > 1.0:
            arr = (arr - lo) / (hi - lo) if hi > lo else np.zeros_like(arr)
        arr = arr * 255.0
    elif im.mode.startswith("I;16") or file_format == "PPM":  # PGM: 16-bit when mode I
        arr = arr / 257.0  # 65535 -> 255
    elif lo < 0.0 or hi > 65535.0:
        arr = (arr - lo) / (hi - lo) * 255.0
    elif hi > 255.0:
        arr = arr / 257.0
    out = np.clip(np.rint(arr), 0, 255).astype(np.uint8)
    key = im.info.get("transparency")
    if isinstance(key, int) and not isinstance(key, bool):  # a transparent gray value
        out[raw == key] = 0
    return Image.fromarray(out, mode="L")


def _composite_on_black(im: Image.Image) -> Image.Image:
    """Alpha or a transparent colour -> RGB (or L for gray sources) composited on black."""
    gray = im.mode in ("LA", "La", "L", "1")
    target = "LA" if gray else "RGBA"
    arr = np.asarray(im.convert(target)).astype(np.float32)
    colour, alpha = arr[..., :-1], arr[..., -1:] / 255.0
    out = np.rint(colour * alpha).astype(np.uint8)
    return Image.fromarray(out[..., 0], mode="L") if gray else Image.fromarray(out)


def to_gray_or_rgb(im: Image.Image, file_format: str | None = None) -> Image.Image:
    """Any PIL mode -> an 8-bit "L" or "RGB" image as a viewer shows it (module docstring).

    ``file_format`` is the opened file's ``format`` ("PPM" makes mode "I" 16-bit).
    """
    if im.mode in ("I", "F") or im.mode.startswith("I;16"):
        return _deep_gray_to_8bit(im, file_format)
    if has_transparency(im):
        return _composite_on_black(im)
    if im.mode == "1":
        return im.convert("L")
    if im.mode not in ("L", "RGB"):
        return im.convert("RGB")
    return im


@dataclass(frozen=True)
class LoadedImage:
    """One image file read by :func:`read_image`.

    Attributes
    ----------
    pixels
        uint8 array (channels, size, size).
    mode
        The PIL mode the file was stored in ("P", "I;16", "CMYK", ...).
    transparent
        It had transparency, composited on black.
    warnings
        What the decoder warned about while reading it (corrupt EXIF data, ...).
    """

    pixels: np.ndarray
    mode: str
    transparent: bool
    warnings: tuple[str, ...] = ()


# Reason a side-by-side pair file is skipped (pix2pix's "AB" images, ganlab.data.pairs).
NOT_SIDE_BY_SIDE = N_("not two images side by side (narrower than tall)")


def _decode(path: Path, channels: int, size: int, parts: int = 1) -> LoadedImage:
    if path.stat().st_size == 0:
        raise SkippedImageError(EMPTY)
    with Image.open(path) as opened:
        if parts == 1:
            opened.draft(None, (size, size))  # JPEG: decode at a reduced scale, same colours
        opened.load()
        mode, file_format = opened.mode, opened.format
        im = ImageOps.exif_transpose(opened)
        transparent = has_transparency(im)
        im = to_gray_or_rgb(im, file_format)
        im = im.convert("L" if channels == 1 else "RGB")
        if parts > 1 and im.width < im.height:
            raise SkippedImageError(NOT_SIDE_BY_SIDE)
        step = im.width // parts
        pieces = [im.crop((i * step, 0, (i + 1) * step, im.height)) for i in range(parts)]
        arrays = [
            np.asarray(ImageOps.fit(p, (size, size), method=Image.Resampling.BICUBIC), np.uint8)
            for p in pieces
        ]
    arrays = [a[None] if a.ndim == 2 else a.transpose(2, 0, 1) for a in arrays]
    arr = arrays[0] if parts == 1 else np.stack(arrays)
    return LoadedImage(np.ascontiguousarray(arr), mode, transparent)


def read_image(path: Path, channels: int, size: int, *, parts: int = 1) -> LoadedImage:
    """Read one image file as a viewer shows it, with what was converted on the way.

    ``parts > 1``: the file holds that many images side by side (pix2pix's "AB" files):
    it is cut into equal vertical strips, each fitted to ``size`` on its own, and
    :attr:`LoadedImage.pixels` is (parts, channels, size, size); a file narrower than
    tall is skipped (:data:`NOT_SIDE_BY_SIDE`).

    Decoder warnings are collected in :attr:`LoadedImage.warnings`, never shown one by
    one; an image over PIL's pixel limit (``Image.MAX_IMAGE_PIXELS``) is skipped.

    Raises
    ------
    SkippedImageError
        The file cannot be used; its ``reason`` says why.
    """
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            # PIL warns between 1x and 2x its pixel limit and raises above; skip both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            loaded = _decode(path, channels, size, parts)
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
    notes = tuple(dict.fromkeys(" ".join(str(w.message).split()) for w in caught))
    if notes:
        loaded = LoadedImage(loaded.pixels, loaded.mode, loaded.transparent, notes)
    return loaded


def load_image(path: Path, channels: int, size: int) -> np.ndarray:
    """Read one image file as uint8 (channels, size, size); see :func:`read_image`.

    Raises
    ------
    SkippedImageError
        The file cannot be used; its ``reason`` says why.
    """
    return read_image(path, channels, size).pixels


def _named(items: Sequence[str], where: str = "") -> str:
    """The first :data:`NAMED` items joined, then "and N more"."""
    text = ", ".join(items[:NAMED])
    if len(items) > NAMED:
        text += _(" and {count} more{where}").format(count=len(items) - NAMED, where=where)
    return text


class SkipList:
    """The list of image files a folder source skipped, shared by every folder source
    (``image_folder`` here, CycleGAN's ``trainA/`` + ``trainB/`` in ganlab.data.unpaired).

    Attributes
    ----------
    folder
        The folder read; skipped paths are shown relative to it.
    skipped
        ``(file, reason)`` for every image file that could not be used (absolute paths).
    """

    folder: Path
    skipped: list[tuple[Path, str]]

    @property
    def skipped_counts(self) -> Counter[str]:
        """Number of skipped files per reason."""
        return Counter(reason for _, reason in self.skipped)

    def _relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.folder).as_posix()
        except ValueError:
            return str(path)

    @property
    def skipped_files(self) -> list[tuple[str, str]]:
        """Every skipped file as ``(path relative to the folder, reason)``, sorted by path.

        Paths use ``/`` on every system; a loose image beside the class folders is a bare
        file name.
        """
        return sorted((self._relative(path), reason) for path, reason in self.skipped)

    def skipped_list_text(self) -> str:
        """:attr:`skipped_files` as tab-separated text: a header line, then one file a line."""
        lines = ["path\treason"] + [f"{path}\t{reason}" for path, reason in self.skipped_files]
        return "\n".join(lines) + "\n"

    def write_skipped_list(self, run_dir: Path) -> Path | None:
        """Write :meth:`skipped_list_text` to ``run_dir`` / :data:`SKIPPED_LIST_NAME`.

        Returns the file written, or None when nothing was skipped (no file is written).
        Raises ``OSError`` when the file cannot be written.
        """
        if not self.skipped:
            return None
        path = Path(run_dir) / SKIPPED_LIST_NAME
        path.write_text(self.skipped_list_text(), encoding="utf-8")
        return path

    def skipped_line(self) -> str:
        """One line naming the skipped files and their reasons (the first :data:`NAMED`),
        in the language in use; empty when nothing was skipped."""
        if not self.skipped:
            return ""
        files = [f"{path} ({_(reason)})" for path, reason in self.skipped_files]
        where = _(", all {total} listed in {file} in the run directory").format(
            total=len(files), file=SKIPPED_LIST_NAME
        )
        return _("skipped: {files}").format(files=_named(files, where))


class FolderSource(SkipList, ImageTensorSource):
    """Images loaded from a folder (see the module docstring for the rules).

    Attributes
    ----------
    folder
        The folder read.
    skipped
        ``(file, reason)`` for every image file that could not be used (absolute paths).
    ignored
        Number of files ignored because their extension is not an image extension.
    stored_modes
        Number of loaded images per PIL mode they were stored in ("P", "CMYK", ...).
    transparent
        Number of loaded images that had transparency (composited on black).
    dropped
        ``(class folder name, why)`` for every class folder without a usable image.
    warned
        ``(file, decoder warnings)`` for loaded images the decoder warned about.
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
        *,
        stored_modes: Counter[str] | None = None,
        transparent: int = 0,
        dropped: list[tuple[str, str]] | None = None,
        warned: list[tuple[Path, str]] | None = None,
    ):
        self.folder = folder
        self.skipped = skipped
        self.ignored = ignored
        self.stored_modes: Counter[str] = stored_modes if stored_modes is not None else Counter()
        self.transparent = transparent
        self.dropped = dropped or []
        self.warned = warned or []
        super().__init__(images, labels, class_names, channels, "")
        self.text = self._describe()

    def _describe(self) -> str:
        n = len(self.images)
        what = ngettext("{count} image", "{count} images", n).format(count=n)
        k = self.spec.num_classes
        where = (
            ngettext(" in {count} class", " in {count} classes", k).format(count=k)
            if k
            else _(" (no classes)")
        )
        head = _("folder {folder}: {what}{where}").format(
            folder=self.folder, what=what, where=where
        )
        if self.dropped:
            d = len(self.dropped)
            head += ngettext(
                " ({count} class folder dropped)", " ({count} class folders dropped)", d
            ).format(count=d)
        if self.skipped:
            reasons = ", ".join(f"{c} {_(r)}" for r, c in self.skipped_counts.most_common())
            head += _("; skipped {count} ({reasons})").format(
                count=len(self.skipped), reasons=reasons
            )
        lines = [head]
        converted = conversion_summary(n, self.channels, self.stored_modes, self.transparent)
        if converted:
            lines.append(converted)
        lines += self.problem_lines()
        if self.warned:
            w = len(self.warned)
            notes = [f"{self._relative(path)} ({note})" for path, note in sorted(self.warned)]
            lines.append(
                ngettext(
                    "decoder warnings for {count} image (loaded all the same): {notes}",
                    "decoder warnings for {count} images (loaded all the same): {notes}",
                    w,
                ).format(count=w, notes=_named(notes))
            )
        return "\n".join(lines)

    def problem_lines(self) -> list[str]:
        """The summary's lines about skipped files and dropped class folders, in the
        language in use (a caller that prints only the problems uses these)."""
        lines: list[str] = []
        if self.skipped:
            lines.append(self.skipped_line())
        lines += [
            _("class '{name}' dropped: {why}").format(name=name, why=why)
            for name, why in self.dropped[:NAMED]
        ]
        if len(self.dropped) > NAMED:
            lines.append(
                _("and {count} more class folders dropped").format(count=len(self.dropped) - NAMED)
            )
        return lines


@dataclass
class _Loaded:
    """What :func:`_load_all` read."""

    images: np.ndarray  # uint8 (N, C, H, W)
    labels: np.ndarray  # int64 (N,)
    skipped: list[tuple[Path, str]]
    read: int  # how many entries of the file list were tried (the rest: after the cap)
    modes: Counter[str]
    transparent: int
    warned: list[tuple[Path, str]]


def _load_all(files: list[tuple[Path, int]], channels: int, size: int, cap: int) -> _Loaded:
    """Load files in order until ``cap`` images (0 = all) are usable."""
    limit = min(cap, len(files)) if cap > 0 else len(files)
    out = np.empty((limit, channels, size, size), dtype=np.uint8)
    labels = np.empty(limit, dtype=np.int64)
    result = _Loaded(out, labels, [], 0, Counter(), 0, [])
    count = 0
    for path, label in files:
        if count == limit:
            break
        result.read += 1
        try:
            loaded = read_image(path, channels, size)
        except SkippedImageError as skip:
            result.skipped.append((path, skip.reason))
            continue
        out[count] = loaded.pixels
        labels[count] = label
        result.modes[loaded.mode] += 1
        result.transparent += loaded.transparent
        if loaded.warnings:
            result.warned.append((path, "; ".join(loaded.warnings)))
        count += 1
    if count < limit:  # give back the room reserved for skipped files
        result.images, result.labels = out[:count].copy(), labels[:count].copy()
    return result


def _why_dropped(
    name: str, files: list[Path], skipped: set[Path], unread: set[Path], cap: int
) -> str:
    """Why the class folder ``name`` holding image ``files`` has no usable image."""
    if not files:
        return _("no usable image in {name}/ (it holds no image file)").format(name=name)
    if any(path in unread for path in files):
        return _("data.size = {cap} images were loaded before any image of {name}/").format(
            cap=cap, name=name
        )
    bad = sum(path in skipped for path in files)
    return ngettext(
        "no usable image in {name}/ ({count} image file skipped)",
        "no usable image in {name}/ ({count} image files skipped)",
        bad,
    ).format(name=name, count=bad)


def build_image_folder(config: DataConfig) -> FolderSource:
    """Every usable image in the folder ``data.path`` (see the module docstring).

    Raises
    ------
    DataError
        The path is empty, missing, not a folder, cannot be listed, or holds no usable
        image (the message names the folder and the reasons).
    """
    if not config.path:
        raise DataError(_("data.path is empty: choose a folder of images"))
    folder = Path(config.path).expanduser()
    if not folder.exists():
        raise DataError(_("image folder {folder} does not exist").format(folder=folder))
    if not folder.is_dir():
        raise DataError(
            _("{folder} is not a folder; data.path must name a folder of images").format(
                folder=folder
            )
        )

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
        raise DataError(
            _("image folder {folder} cannot be listed: {error}").format(folder=folder, error=exc)
        ) from None

    skipped: list[tuple[Path, str]] = []
    if subfolders:
        skipped = [(path, LOOSE) for path in loose]
        # Round-robin across classes, so that a capped load stays balanced.
        labelled = [[(path, i) for path in files] for i, files in enumerate(per_class)]
        order = [item for group in zip_longest(*labelled) for item in group if item is not None]
    else:
        order = [(path, 0) for path in loose]

    loaded = _load_all(order, config.channels, config.image_size, config.size)
    skipped += loaded.skipped
    if len(loaded.images) == 0:
        extensions = ", ".join(sorted(IMAGE_EXTENSIONS))
        if not skipped:
            raise DataError(
                _(
                    "image folder {folder} has no image files (image files end in {extensions})"
                ).format(folder=folder, extensions=extensions)
            )
        reasons = Counter(reason for _path, reason in skipped)
        detail = ", ".join(f"{c} {_(r)}" for r, c in reasons.most_common())
        rel = sorted(
            f"{path.relative_to(folder).as_posix()} ({_(reason)})" for path, reason in skipped
        )
        raise DataError(
            _(
                "image folder {folder} has no usable images "
                "({count} image files: {detail}): {files}"
            ).format(folder=folder, count=len(skipped), detail=detail, files=_named(rel))
        )

    class_names: tuple[str, ...] = ()
    label_tensor: torch.Tensor | None = None
    dropped: list[tuple[str, str]] = []
    if subfolders:
        # Drop class folders without a usable image, so every label in range occurs.
        present = sorted(set(loaded.labels.tolist()))
        remap = np.full(len(subfolders), -1, dtype=np.int64)
        remap[present] = np.arange(len(present))
        class_names = tuple(subfolders[i].name for i in present)
        label_tensor = torch.from_numpy(remap[loaded.labels])
        bad = {path for path, _ in loaded.skipped}
        unread = {path for path, _ in order[loaded.read :]}
        dropped = [
            (sub.name, _why_dropped(sub.name, per_class[i], bad, unread, config.size))
            for i, sub in enumerate(subfolders)
            if remap[i] < 0
        ]
    return FolderSource(
        folder,
        torch.from_numpy(loaded.images),
        label_tensor,
        class_names,
        config.channels,
        skipped,
        ignored,
        stored_modes=loaded.modes,
        transparent=loaded.transparent,
        dropped=dropped,
        warned=loaded.warned,
    )
