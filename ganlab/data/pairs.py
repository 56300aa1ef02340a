"""Paired image sets for pix2pix: each sample is an input image A and its target B. No Qt.

Built in the trainer thread. Samples are one float32 tensor (N, 2, C, H, W) in [-1, 1],
``x[:, 0]`` domain A and ``x[:, 1]`` domain B (ganlab.kernel.contracts). Every source
keeps a fixed set of held-out pairs apart (:meth:`PairSource.held_out`): the views' fixed
rows and the held-out metrics use them, :meth:`PairSource.sample` never draws them.

Two procedural sets drawn from the bundled shapes' geometry (ganlab.data.shapes: the
same signed distances, sizes, positions and colours), from a fixed seed, no download:

* ``shapes_edges``: A is the shape's outline in white on black, B the filled coloured
  shape (the "edges -> photo" task of Isola et al. 2017 in miniature). The outline fixes
  where and what the shape is, not its colour: G has to choose one.
* ``shapes_colorize``: A is the gray image (ITU-R 601 luma), B the colour one; always
  RGB, whatever ``data.channels`` says.

And the user's folder (``pix2pix_folder``, ``data.path``) in the layouts people have:

* side-by-side ``AB`` files as in junyanz/pytorch-CycleGAN-and-pix2pix's aligned sets:
  each file is A and B concatenated horizontally (cut in the middle, each half fitted to
  ``data.image_size`` on its own);
* ``A/`` and ``B/`` folders (either letter case) holding files with matching names
  (matched by the path inside the folder without its extension, so ``A/x.png`` pairs
  with ``B/x.jpg``); names present on one side only are listed, not fatal.

Either layout may sit in the folder itself or in ``train/``, ``val/``, ``test/``
subfolders (also ``A/train/``...): ``val/`` (else ``test/``) is the held-out set;
without one, a fixed share of the pairs is held out. Files are read with
ganlab.data.folder's reader: the same conversions, and bad files skipped and named
with their reason in the summary (and ``skipped_files.tsv`` in the run directory).
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from ganlab.data.base import FEW_HELD_OUT, conversion_summary, few_held_out_note
from ganlab.data.folder import (
    IMAGE_EXTENSIONS,
    SKIPPED_LIST_NAME,
    SkipList,
    SkippedImageError,
    _named,
    read_image,
)
from ganlab.data.shapes import random_shapes, shape_distances
from ganlab.kernel.config import DataConfig
from ganlab.kernel.contracts import DataSource, DataSpec
from ganlab.kernel.errors import DataError
from ganlab.kernel.i18n import N_, _, ngettext

DEFAULT_SIZE = 6000  # training pairs of the procedural sets (1000 per shape)
HELD_OUT = 256  # procedural sets: held-out pairs, drawn after the training ones
SEED = 20_240_617  # the procedural sets are a function of this seed, the size and format
OUTLINE_PX = 1.5  # width of the drawn outline, in pixels
_BATCH = 1024  # images drawn at once, bounding the float32 work arrays
# Folders: share of the pairs held out when there is no val/ or test/ folder (at most
# HELD_OUT, at least 1 when there are 2 pairs or more), chosen with a fixed seed.
HELD_SHARE = 0.1
HELD_OUT_FOLDERS = ("val", "test")  # the first one present is the held-out split
SPLIT_FOLDERS = ("train", *HELD_OUT_FOLDERS)

# Domain names (English msgids; views show them translated).
EDGES_DOMAINS = (N_("outline"), N_("filled shape"))
COLORIZE_DOMAINS = (N_("gray"), N_("colour"))
FOLDER_DOMAINS = (N_("A"), N_("B"))

# Why a file has no partner (listed, not skipped).
NO_PARTNER_IN_B = N_("no file of that name in B/")
NO_PARTNER_IN_A = N_("no file of that name in A/")


class PairSource(DataSource):
    """Image pairs held in memory as uint8, sampled uniformly by index.

    Parameters
    ----------
    pairs
        uint8 tensor (N, 2, C, H, W), H == W: the training pairs (A, B).
    held
        uint8 tensor (M, 2, C, H, W): pairs kept apart (never sampled), M >= 0.
    domains
        Names of domains A and B (English msgids).
    text
        What the set is, for :meth:`summary`.
    """

    def __init__(
        self, pairs: torch.Tensor, held: torch.Tensor, domains: tuple[str, str], text: str
    ):
        if pairs.dtype != torch.uint8 or pairs.ndim != 5 or pairs.shape[1] != 2:
            raise ValueError("pairs must be a uint8 tensor of shape (N, 2, C, H, W)")
        if len(pairs) == 0:
            raise ValueError("a pair source needs at least one training pair")
        self.pairs = pairs
        self.held = held
        self.spec = DataSpec(kind="paired", shape=tuple(pairs.shape[1:]), domains=domains)
        self.text = text

    def __len__(self) -> int:
        return len(self.pairs)

    def sample(
        self, n: int, generator: torch.Generator
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """``n`` training pairs (with replacement), float32 (n, 2, C, H, W) in [-1, 1]."""
        idx = torch.randint(len(self.pairs), (n,), generator=generator, device="cpu")
        return self.pairs[idx].to(torch.float32).div_(127.5).sub_(1.0), None

    def held_out(self, n: int) -> torch.Tensor | None:
        """The first ``min(n, M)`` held-out pairs, float32 in [-1, 1], the same every call
        (None when the source has none)."""
        if len(self.held) == 0:
            return None
        return self.held[:n].to(torch.float32).div(127.5).sub(1.0)

    def mean_target(self) -> torch.Tensor:
        """The mean training target B, float32 (C, H, W) in [-1, 1]: the mean-image
        baseline of the held-out metrics."""
        total = torch.zeros(self.pairs.shape[2:], dtype=torch.float64)
        for start in range(0, len(self.pairs), _BATCH):
            total += self.pairs[start : start + _BATCH, 1].to(torch.float64).sum(dim=0)
        return (total / len(self.pairs) / 127.5 - 1.0).to(torch.float32)

    def summary(self) -> str:
        return self.text


# --------------------------------------------------------------------------- procedural


def _outline_and_fill(
    size: int, image_size: int, channels: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The shapes' geometry drawn twice: outline coverage and filled colour.

    Returns float32 outline (size, 1, H, W) in [0, 1], filled (size, C, H, W) in [0, 1]
    (coloured when ``channels`` is 3, gray brightness otherwise) and int64 labels.
    Every parameter is drawn for every image in a fixed order, as ganlab.data.shapes does.
    """
    labels, scale, centre, tint = random_shapes(np.random.default_rng(SEED), size, channels)
    outline = np.empty((size, 1, image_size, image_size), dtype=np.float32)
    filled = np.empty((size, channels, image_size, image_size), dtype=np.float32)
    for idx, dist in shape_distances(labels, scale, centre, image_size):
        cover = np.clip(0.5 - dist, 0.0, 1.0)
        # A band of OUTLINE_PX pixels centred on the edge, antialiased like the fill.
        outline[idx, 0] = np.clip(0.5 * OUTLINE_PX + 0.5 - np.abs(dist), 0.0, 1.0)
        filled[idx] = cover[:, None] * tint[idx, :, None, None].astype(np.float32)
    return outline, filled, labels


def _to_uint8(x: np.ndarray) -> np.ndarray:
    return np.rint(np.clip(x, 0.0, 1.0) * 255.0).astype(np.uint8)


def generate_pairs(
    task: str, size: int, image_size: int = 32, channels: int = 3
) -> tuple[torch.Tensor, torch.Tensor]:
    """Draw ``size`` training pairs and :data:`HELD_OUT` held-out ones of ``task``.

    Parameters
    ----------
    task
        ``"edges"`` (A: white outline, B: filled shape) or ``"colorize"`` (A: gray, B:
        colour; needs ``channels`` 3).
    size, image_size, channels
        Training pairs, side in pixels, 1 (gray) or 3 (RGB).

    Returns
    -------
    train, held
        uint8 tensors (size, 2, C, H, W) and (HELD_OUT, 2, C, H, W). The held-out pairs
        are the last ones drawn: other shapes than every training pair.
    """
    outline, filled, _labels = _outline_and_fill(size + HELD_OUT, image_size, channels)
    target = _to_uint8(filled)
    if task == "edges":
        source = _to_uint8(np.repeat(outline, channels, axis=1))
    elif task == "colorize":
        luma = np.tensordot(np.array([0.299, 0.587, 0.114], np.float32), filled, axes=(0, 1))
        source = _to_uint8(np.repeat(luma[:, None], channels, axis=1))
    else:
        raise ValueError(f"unknown pair task {task!r}")
    both = torch.from_numpy(np.stack([source, target], axis=1))
    return both[:size].clone(), both[size:].clone()


_cached_pairs = functools.lru_cache(maxsize=2)(generate_pairs)


def _procedural(config: DataConfig, task: str, domains: tuple[str, str], what: str) -> PairSource:
    size = config.size if config.size > 0 else DEFAULT_SIZE
    train, held = _cached_pairs(task, size, config.image_size, config.channels)
    s = config.image_size
    text = _("{what}: {count} generated pairs and {held} held out, {shape}").format(
        what=what, count=size, held=len(held), shape=f"{config.channels}x{s}x{s}"
    )
    return PairSource(train, held, domains, text)


def build_shapes_edges(config: DataConfig) -> PairSource:
    """``shapes_edges``: outline -> filled coloured shape (see the module docstring)."""
    return _procedural(config, "edges", EDGES_DOMAINS, _("shapes outline → filled shape"))


def build_shapes_colorize(config: DataConfig) -> PairSource:
    """``shapes_colorize``: gray -> colour shape. Always RGB (gray to gray would be the
    identity): ``data.channels`` is not read."""
    rgb = dataclasses.replace(config, channels=3)
    return _procedural(rgb, "colorize", COLORIZE_DOMAINS, _("shapes gray → colour"))


# --------------------------------------------------------------------------- folders


@dataclass
class _Found:
    """Pair files found in one split: side-by-side files, or matched A/B files."""

    side_by_side: list[Path] = field(default_factory=list)
    matched: list[tuple[Path, Path]] = field(default_factory=list)
    unmatched: list[tuple[Path, str]] = field(default_factory=list)


def _visible(path: Path, top: Path) -> bool:
    return not any(part.startswith(".") for part in path.relative_to(top).parts)


def _images_under(folder: Path, top: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and _visible(p, top) and p.suffix.lower() in IMAGE_EXTENSIONS
    )


def _child(folder: Path, name: str) -> Path | None:
    """``folder``'s subfolder called ``name`` in any letter case, or None."""
    for p in sorted(folder.iterdir()):
        if p.is_dir() and p.name.lower() == name.lower():
            return p
    return None


def _split_of(relative: Path) -> str:
    """'held' for a path under val/ or test/, else 'train' (the first folder decides)."""
    first = relative.parts[0].lower() if len(relative.parts) > 1 else ""
    return first if first in SPLIT_FOLDERS else "train"


def _find_pairs(folder: Path) -> dict[str, _Found]:
    """Pair files per split ("train", "val", "test") in either layout."""
    found: dict[str, _Found] = {}
    tops = [(s, _child(folder, s)) for s in SPLIT_FOLDERS]
    splits = [(s, p) for s, p in tops if p is not None] or [("train", folder)]
    for split, top in splits:
        a_dir, b_dir = _child(top, "A"), _child(top, "B")
        if (a_dir is None) != (b_dir is None):  # half of the two-folder layout
            have, missing = ("A", "B") if a_dir is not None else ("B", "A")
            raise DataError(
                _(
                    "{folder} has a {have}/ folder but no {missing}/: put the other image "
                    "of each pair in {missing}/ under the same file name as in {have}/, "
                    "or use files that hold A and B side by side (A|B) instead of the "
                    "two folders"
                ).format(folder=top, have=have, missing=missing)
            )
        if a_dir is not None and b_dir is not None:
            keyed_a = {p.relative_to(a_dir).with_suffix(""): p for p in _images_under(a_dir, top)}
            keyed_b = {p.relative_to(b_dir).with_suffix(""): p for p in _images_under(b_dir, top)}
            for key in sorted(keyed_a.keys() | keyed_b.keys()):
                sub = _split_of(key) if top is folder else split
                entry = found.setdefault(sub, _Found())
                if key in keyed_a and key in keyed_b:
                    entry.matched.append((keyed_a[key], keyed_b[key]))
                elif key in keyed_a:
                    entry.unmatched.append((keyed_a[key], NO_PARTNER_IN_B))
                else:
                    entry.unmatched.append((keyed_b[key], NO_PARTNER_IN_A))
        else:
            for path in _images_under(top, top):
                found.setdefault(split, _Found()).side_by_side.append(path)
    return found


@dataclass
class _Read:
    pairs: list[np.ndarray] = field(default_factory=list)  # each (2, C, S, S) uint8
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    modes: Counter[str] = field(default_factory=Counter)
    transparent: int = 0


def _read_split(found: _Found, channels: int, size: int, cap: int, out: _Read) -> int:
    """Read one split's pairs into ``out`` (at most ``cap``, 0 = all); returns how many."""
    count = 0
    for path in found.side_by_side:
        if cap and count >= cap:
            return count
        try:
            loaded = read_image(path, channels, size, parts=2)
        except SkippedImageError as skip:
            out.skipped.append((path, skip.reason))
            continue
        out.pairs.append(loaded.pixels)
        out.modes[loaded.mode] += 1
        out.transparent += loaded.transparent
        count += 1
    for a_path, b_path in found.matched:
        if cap and count >= cap:
            return count
        halves = []
        for path in (a_path, b_path):
            try:
                loaded = read_image(path, channels, size)
            except SkippedImageError as skip:
                out.skipped.append((path, skip.reason))
                break
            halves.append(loaded.pixels)
            out.modes[loaded.mode] += 1
            out.transparent += loaded.transparent
        if len(halves) == 2:
            out.pairs.append(np.stack(halves))
            count += 1
    return count


class PairFolderSource(SkipList, PairSource):
    """Pairs read from the folder ``data.path`` (module docstring: layouts, held-out).

    Attributes
    ----------
    folder
        The folder read.
    skipped
        ``(file, reason)`` for every image file that could not be used.
    unmatched
        ``(file, why)`` for every A/ or B/ file without a partner of the same name.
    held_from
        Where the held-out pairs come from: "val", "test" or "" (a share of the pairs).
    """

    def __init__(
        self,
        folder: Path,
        pairs: torch.Tensor,
        held: torch.Tensor,
        read: _Read,
        unmatched: list[tuple[Path, str]],
        held_from: str,
    ):
        self.folder = folder
        self.skipped = read.skipped
        self.unmatched = unmatched
        self.held_from = held_from
        super().__init__(pairs, held, FOLDER_DOMAINS, "")
        self.text = self._describe(read)

    def _describe(self, read: _Read) -> str:
        n, m = len(self.pairs), len(self.held)
        where = (
            _("held out: the {folder}/ folder").format(folder=self.held_from)
            if self.held_from
            else _("held out: a fixed {share:.0%} of the pairs").format(share=HELD_SHARE)
        )
        head = ngettext(
            "pair folder {folder}: {count} training pair, {held} held out ({where})",
            "pair folder {folder}: {count} training pairs, {held} held out ({where})",
            n,
        ).format(folder=self.folder, count=n, held=m, where=where)
        lines = [head]
        if m < FEW_HELD_OUT:
            lines.append(few_held_out_note(m))
        converted = conversion_summary(
            sum(read.modes.values()), self.spec.image_shape[0], read.modes, read.transparent
        )
        if converted:
            lines.append(converted)
        lines += self.problem_lines()
        return "\n".join(lines)

    def problem_lines(self) -> list[str]:
        """The summary's lines about skipped files and files without a partner."""
        lines: list[str] = []
        if self.skipped:
            files = [f"{path} ({_(reason)})" for path, reason in self.skipped_files]
            where = _(", all {total} listed in {file} in the run directory").format(
                total=len(files), file=SKIPPED_LIST_NAME
            )
            lines.append(_("skipped: {files}").format(files=_named(files, where)))
        if self.unmatched:
            names = sorted(f"{self._relative(p)} ({_(why)})" for p, why in self.unmatched)
            lines.append(
                ngettext(
                    "{count} file without a partner of the same name (left out): {files}",
                    "{count} files without a partner of the same name (left out): {files}",
                    len(names),
                ).format(count=len(names), files=_named(names))
            )
        return lines


def _stack(items: list[np.ndarray], channels: int, size: int) -> torch.Tensor:
    if not items:
        return torch.empty((0, 2, channels, size, size), dtype=torch.uint8)
    return torch.from_numpy(np.stack(items))


def build_pair_folder(config: DataConfig) -> PairFolderSource:
    """Every usable pair in the folder ``data.path`` (see the module docstring).

    Raises
    ------
    DataError
        The path is empty, missing, not a folder, cannot be listed, or holds no usable
        pair (the message names the folder, what was found and how to lay it out).
    """
    if not config.path:
        raise DataError(_("data.path is empty: choose a folder of image pairs"))
    folder = Path(config.path).expanduser()
    if not folder.is_dir():
        raise DataError(
            _(
                "{folder} is not a folder; data.path must name a folder of image pairs "
                "(A|B side by side, or A/ and B/ folders)"
            ).format(folder=folder)
        )
    try:
        found = _find_pairs(folder)
    except OSError as exc:
        raise DataError(
            _("pair folder {folder} cannot be listed: {error}").format(folder=folder, error=exc)
        ) from None
    c, s = config.channels, config.image_size
    held_from = next((name for name in HELD_OUT_FOLDERS if name in found), "")
    unmatched = [u for f in found.values() for u in f.unmatched]
    read = _Read()
    _read_split(found.get("train", _Found()), c, s, config.size, read)
    train_items = read.pairs
    read.pairs = []
    if held_from:
        _read_split(found[held_from], c, s, HELD_OUT, read)
    held_items = read.pairs
    if not held_from and len(train_items) >= 2:
        # No val/ or test/: hold out a fixed share, chosen with a fixed seed.
        k = min(HELD_OUT, max(1, round(HELD_SHARE * len(train_items))))
        pick = set(np.random.default_rng(0).permutation(len(train_items))[:k].tolist())
        held_items = [p for i, p in enumerate(train_items) if i in pick]
        train_items = [p for i, p in enumerate(train_items) if i not in pick]
    if not train_items:
        problems = []
        if read.skipped:
            files = sorted(f"{_rel(p, folder)} ({_(r)})" for p, r in read.skipped)
            problems.append(_("skipped: {files}").format(files=_named(files)))
        if unmatched:
            files = sorted(f"{_rel(p, folder)} ({_(why)})" for p, why in unmatched)
            problems.append(_("no partner: {files}").format(files=_named(files)))
        detail = "; ".join(problems)
        raise DataError(
            _(
                "pair folder {folder} has no usable training pair{detail}. Put files that "
                "hold A and B side by side (A|B) in it, or A/ and B/ folders with files of "
                "the same names (optionally inside train/ and val/)."
            ).format(folder=folder, detail=f" ({detail})" if detail else "")
        )
    return PairFolderSource(
        folder, _stack(train_items, c, s), _stack(held_items, c, s), read, unmatched, held_from
    )


def _rel(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)
