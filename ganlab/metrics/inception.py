"""Inception Score, FID and KID with the standard Inception-v3 weights, via torch-fidelity.

No Qt. Runs in the caller's thread (the trainer thread or the headless ``ganlab eval``).

Owns everything about the *Inception* feature space and nothing else:

* where the standard "2015-12-05" weights come from and where ganlab keeps them
  (:data:`WEIGHTS_URL`, :data:`WEIGHTS_FILE_NAME`, :data:`WEIGHTS_SHA256`,
  :func:`weights_path`);
* deciding whether a weights file is safe to hand to torch-fidelity
  (:func:`verify_weights`), fetching it once when online (:func:`download_weights`);
* the thin wrapper that feeds images and the verified file to
  ``torch_fidelity.calculate_metrics`` (:func:`image_metrics`), and the description of
  the sample it computed on (:func:`image_sample_report`: counts, the KID subsets
  torch-fidelity really uses, grayscale inputs repeated to RGB).

The arithmetic on features (FID, KID, cached statistics) is in
:mod:`ganlab.metrics.features`; an offline feature space of ganlab's own would live in a
module of its own, not here.

Why verification matters: torch-fidelity reads a local weights file with
``torch.load(path, weights_only=False)``, i.e. it unpickles it, and unpickling runs any
code the file carries. So before torch-fidelity ever sees a file, it must either have the
SHA-256 of the published weights, or load with ``torch.load(weights_only=True)`` as a
plain state dict (names -> tensors). Anything else is refused, and its code never runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import pickle
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import platformdirs
import torch
from tqdm import tqdm

from ganlab.kernel.errors import GanlabError
from ganlab.kernel.i18n import N_, _
from ganlab.metrics.features import SampleReport, sample_report

__all__ = [
    "METRIC_NAMES",
    "MIRROR_FILE_NAME",
    "MIRROR_URL",
    "WEIGHTS_FILE_NAME",
    "WEIGHTS_SHA256",
    "WEIGHTS_URL",
    "VerifiedWeights",
    "WeightsError",
    "download_weights",
    "image_metrics",
    "image_sample_report",
    "is_grayscale",
    "verify_weights",
    "weights_path",
]

# The URL torch-fidelity 0.4.0 itself downloads the FID Inception weights from:
# URL_INCEPTION_V3 in torch_fidelity/feature_extractor_inceptionv3.py (the weights are
# Google's TensorFlow "inception-2015-12-05" graph converted to PyTorch). A test checks the
# two stay equal, so a torch-fidelity upgrade that moves the file is noticed.
WEIGHTS_URL = (
    "https://github.com/toshas/torch-fidelity/releases/download/v0.2.0/"
    "weights-inception-2015-12-05-6726825d.pth"
)
# The last component of WEIGHTS_URL; ganlab stores the file under this name.
WEIGHTS_FILE_NAME = "weights-inception-2015-12-05-6726825d.pth"
# pytorch-fid publishes the same weights under another name (FID_WEIGHTS_URL in
# pytorch_fid/inception.py); it is tried when the first URL fails, and a user who already
# has this file can pass it with --weights.
MIRROR_URL = (
    "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/"
    "pt_inception-2015-12-05-6726825d.pth"
)
MIRROR_FILE_NAME = "pt_inception-2015-12-05-6726825d.pth"
# SHA-256 of the weights file. torch-fidelity does not ship a hash (it downloads with
# load_state_dict_from_url and no check_hash), and neither does pytorch-fid. Both file
# names end in "-6726825d", which by torch.hub's naming convention is the first 8 hex
# digits of the file's SHA-256. The full value below is the one pinned for this file by
# independent public projects, for both URLs (e.g. snap-research/discoscene
# models/inception_model.py, from genforce, pins it for the pytorch-fid URL; others pin it
# for torch-fidelity's file, 95,628,359 bytes), and it agrees with that prefix. It is a
# fast path only: a file that does not match is not trusted by hash, it must then pass the
# weights_only state-dict check instead, so a wrong value here could never admit a file.
WEIGHTS_SHA256: str | None = "6726825d0af5f729cebd5821db510b11b1cfad8faad88a03f1befd49fb9129b2"

# Names accepted in image_metrics(metrics=...), and the torch-fidelity switch for each.
METRIC_NAMES: dict[str, str] = {"is": "isc", "fid": "fid", "kid": "kid"}
# torch-fidelity's name for the TF-compatible Inception-v3 (its default for IS/FID/KID).
_FEATURE_EXTRACTOR = "inception-v3-compat"
_DOWNLOAD_TIMEOUT_S = 60.0
_CHUNK = 1 << 20


class WeightsError(GanlabError):
    """The Inception weights are missing, cannot be fetched, or were refused as unsafe."""

    def __init__(self, message: str, *, path: str | Path | None = None):
        self.path = None if path is None else Path(path)
        super().__init__(message)


@dataclass(frozen=True)
class VerifiedWeights:
    """A weights file that passed :func:`verify_weights`.

    Attributes
    ----------
    path
        The file.
    sha256
        Its SHA-256, hex.
    method
        ``"published-sha256"``: it is byte-for-byte the published file (never unpickled by
        ganlab); ``"plain-state-dict"``: it loaded with ``torch.load(weights_only=True)``
        as names -> tensors only.
    """

    path: Path
    sha256: str
    method: Literal["published-sha256", "plain-state-dict"]


# --------------------------------------------------------------------------- where


def _default_weights_path() -> Path:
    return Path(platformdirs.user_cache_dir("ganlab")) / "inception" / WEIGHTS_FILE_NAME


def weights_path(user_path: str | Path | None = None) -> Path:
    """Where the Inception weights are read from.

    Parameters
    ----------
    user_path
        A file the user named (``--weights FILE``); ``~`` is expanded. None or an empty
        string means "not given".

    Returns
    -------
    Path
        ``user_path`` when given, otherwise
        ``platformdirs.user_cache_dir("ganlab") / "inception" / WEIGHTS_FILE_NAME``.
        The file need not exist.
    """
    if user_path is not None and str(user_path) != "":
        return Path(user_path).expanduser()
    return _default_weights_path()


# The networks callers name in ``rgb_for`` (sample notes), translated where shown.
RGB_NETWORKS = (N_("Inception"), N_("the classifier"))


def _how_to_get_weights() -> str:
    return _(
        "Download {url} (file {file}) and put it at "
        "{path}, or pass --weights FILE to use a copy kept elsewhere. "
        "pytorch-fid's {mirror_file} ({mirror_url}) is the same file and works too."
    ).format(
        url=WEIGHTS_URL,
        file=WEIGHTS_FILE_NAME,
        path=_default_weights_path(),
        mirror_file=MIRROR_FILE_NAME,
        mirror_url=MIRROR_URL,
    )


# --------------------------------------------------------------------------- verify


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _not_plain_reason(obj: object, where: str = "") -> str | None:
    """Why ``obj`` is not a (possibly nested) mapping of str -> Tensor; None when it is."""
    if not isinstance(obj, Mapping):
        return _("{where} is {type}, not a dict of tensors").format(
            where=where or _("the top level"), type=type(obj).__name__
        )
    for key, value in obj.items():
        if not isinstance(key, str):
            if where:
                return _("key {key} under {where} is not a string").format(
                    key=repr(key), where=where
                )
            return _("key {key} is not a string").format(key=repr(key))
        name = f"{where}.{key}" if where else key
        if isinstance(value, Mapping):
            reason = _not_plain_reason(value, name)
            if reason:
                return reason
        elif not isinstance(value, torch.Tensor):
            return _("entry '{name}' is {type}, not a tensor").format(
                name=name, type=type(value).__name__
            )
    return None


def _unpickler_detail(exc: BaseException) -> str:
    """The specific reason in torch's weights_only error, without its generic advice.

    torch's message suggests retrying with ``weights_only=False``, exactly what must not
    be done with an untrusted file, so only the "WeightsUnpickler error" part is kept.
    """
    text = str(exc)
    marker = "WeightsUnpickler error:"
    if marker in text:
        text = text.split(marker, 1)[1]
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    first = lines[0] if lines else type(exc).__name__
    return first.split(". Please use", 1)[0].rstrip(".")


def _count_tensors(obj: Mapping[str, Any]) -> int:
    return sum(_count_tensors(v) if isinstance(v, Mapping) else 1 for v in obj.values())


def verify_weights(path: str | Path) -> VerifiedWeights:
    """Check that a weights file is safe to unpickle before torch-fidelity does so.

    The file is accepted when its SHA-256 equals :data:`WEIGHTS_SHA256` (it is then not
    loaded at all), or else when ``torch.load(path, weights_only=True)`` reads it as a
    plain state dict: a dict, possibly nested, of str -> Tensor. ``weights_only=True``
    refuses any pickled object other than tensors and plain containers before creating
    it, so a hostile file's code never runs here.

    Parameters
    ----------
    path
        The weights file.

    Returns
    -------
    VerifiedWeights
        The file, its hash and which check it passed.

    Raises
    ------
    WeightsError
        The file is missing (the message says what to download and where to put it), or
        it was refused: its hash is not the published one AND it is not a plain state
        dict (it carries pickled objects, is damaged, or holds something else).
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise WeightsError(
            _(
                "{path}: Inception weights not found. IS, FID and KID need the standard "
                "Inception-v3 (2015-12-05) weights. {how}"
            ).format(path=path, how=_how_to_get_weights()),
            path=path,
        )
    try:
        digest = _sha256(path)
    except OSError as exc:
        raise WeightsError(
            _("{path}: cannot read the weights file: {error}").format(path=path, error=exc),
            path=path,
        ) from None
    if WEIGHTS_SHA256 is not None and digest == WEIGHTS_SHA256:
        return VerifiedWeights(path=path, sha256=digest, method="published-sha256")

    not_published = (
        _("its SHA-256 is not the published one")
        if WEIGHTS_SHA256 is not None
        else _("no published SHA-256 is known")
    )
    refused = _("{path}: refused as Inception weights: {why}, and").format(
        path=path, why=not_published
    )
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        detail = _unpickler_detail(exc)
        if "global" not in detail.lower():
            # Not a refused object but an unreadable stream: garbage or another format.
            raise WeightsError(
                _(
                    "{refused} it is not a readable PyTorch file (damaged, truncated or "
                    "another format). {how} ({detail})"
                ).format(refused=refused, how=_how_to_get_weights(), detail=detail),
                path=path,
            ) from None
        raise WeightsError(
            _(
                "{refused} it is not a plain state dict: it contains pickled Python objects "
                "other than tensors, which could run code when loaded. It was not loaded. "
                "{how} ({detail})"
            ).format(refused=refused, how=_how_to_get_weights(), detail=detail),
            path=path,
        ) from None
    except (RuntimeError, EOFError, OSError, zipfile.BadZipFile, ValueError) as exc:
        raise WeightsError(
            _(
                "{refused} it is not a readable PyTorch file (damaged, truncated or "
                "another format). {how} ({detail})"
            ).format(refused=refused, how=_how_to_get_weights(), detail=exc),
            path=path,
        ) from None
    reason = _not_plain_reason(state)
    if reason is None and _count_tensors(state) == 0:
        reason = _("it holds no tensors")
    if reason is not None:
        raise WeightsError(
            _("{refused} it is not a plain state dict: {reason}. {how}").format(
                refused=refused, reason=reason, how=_how_to_get_weights()
            ),
            path=path,
        )

    return VerifiedWeights(path=path, sha256=digest, method="plain-state-dict")


# --------------------------------------------------------------------------- download


def _fetch(url: str, tmp: Path, progress: bool) -> None:
    """Stream ``url`` into the file ``tmp``, with a tqdm byte counter; OSError if cut short."""
    request = urllib.request.Request(url, headers={"User-Agent": "ganlab"})
    with urllib.request.urlopen(request, timeout=_DOWNLOAD_TIMEOUT_S) as response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and str(length).isdigit() else None
        with (
            tmp.open("wb") as fh,
            tqdm(
                total=total,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                desc=WEIGHTS_FILE_NAME,
                disable=not progress,
                file=sys.stderr,
            ) as bar,
        ):
            received = 0
            while block := response.read(_CHUNK):
                fh.write(block)
                received += len(block)
                bar.update(len(block))
            fh.flush()
            os.fsync(fh.fileno())
        if total is not None and received != total:
            raise OSError(f"connection closed after {received} of {total} bytes")


def download_weights(dest: str | Path | None = None, progress: bool = True) -> VerifiedWeights:
    """Download the Inception weights once, verify them, and move them into place.

    The bytes go to a temporary file next to ``dest``; only after
    :func:`verify_weights` accepts it is it renamed over ``dest`` (atomic on one file
    system), so ``dest`` never holds a partial or refused file. :data:`WEIGHTS_URL` is
    tried first, then :data:`MIRROR_URL`.

    Parameters
    ----------
    dest
        Target file; default :func:`weights_path` ``(None)``, the user cache.
    progress
        Show a tqdm byte counter on stderr.

    Returns
    -------
    VerifiedWeights
        For ``dest``.

    Raises
    ------
    WeightsError
        No URL could be fetched (offline, HTTP error, truncated transfer): the message
        gives the manual steps; or the download was refused by :func:`verify_weights`.
    """
    dest = weights_path(dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WeightsError(
            _("{path}: cannot create the folder: {error}").format(path=dest.parent, error=exc),
            path=dest,
        ) from None
    failures: list[str] = []
    for url in (WEIGHTS_URL, MIRROR_URL):
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            try:
                _fetch(url, tmp, progress)
            except (OSError, ValueError, http.client.HTTPException) as exc:
                # OSError covers URLError / HTTPError (offline, 404), timeouts and short
                # transfers; HTTPException a broken response (IncompleteRead...).
                failures.append(f"{url}: {getattr(exc, 'reason', None) or exc}")
                continue
            try:
                verified = verify_weights(tmp)
            except WeightsError as exc:
                raise WeightsError(
                    _(
                        "{path}: the file downloaded from {url} was refused and not kept: {error}"
                    ).format(path=dest, url=url, error=exc),
                    path=dest,
                ) from None
            os.replace(tmp, dest)
            return replace(verified, path=dest)
        finally:
            tmp.unlink(missing_ok=True)
    raise WeightsError(
        _("{path}: could not download the Inception weights ({failures}). {how}").format(
            path=dest, failures="; ".join(failures), how=_how_to_get_weights()
        ),
        path=dest,
    )


# --------------------------------------------------------------------------- images


class _DatasetLike(Protocol):
    def __len__(self) -> int: ...
    def __getitem__(self, index: int, /) -> Any: ...


def _chw3(image: torch.Tensor) -> torch.Tensor:
    """A (1 or 3, H, W) uint8 tensor as (3, H, W): grey is repeated, Inception wants RGB."""
    return image.expand(3, -1, -1) if image.shape[0] == 1 else image


class _UInt8ImageDataset(torch.utils.data.Dataset[torch.Tensor]):
    """What torch-fidelity reads: item i is a uint8 (3, H, W) tensor, all the same shape."""

    def __init__(self, images: torch.Tensor):
        self.images = images  # uint8 (N, C, H, W), C in {1, 3}

    def __len__(self) -> int:
        return int(self.images.shape[0])

    def __getitem__(self, index: int) -> torch.Tensor:
        return _chw3(self.images[index]).contiguous()


class _WrappedDataset(torch.utils.data.Dataset[torch.Tensor]):
    """A dataset whose items are uint8 (C, H, W) images or (image, label) pairs."""

    def __init__(self, source: _DatasetLike, name: str):
        self.source = source
        self.name = name

    def __len__(self) -> int:
        return len(self.source)

    def __getitem__(self, index: int) -> torch.Tensor:
        item = self.source[index]
        if isinstance(item, tuple | list):
            item = item[0]
        image = torch.as_tensor(item) if isinstance(item, np.ndarray) else item
        if not isinstance(image, torch.Tensor):
            raise ValueError(
                f"{self.name}: item {index} is a {type(image).__name__}; expected a uint8 "
                f"tensor (C, H, W) or an (image, label) pair"
            )
        if image.dtype != torch.uint8 or image.ndim != 3 or image.shape[0] not in (1, 3):
            raise ValueError(
                f"{self.name}: item {index} is a {image.dtype} tensor of shape "
                f"{tuple(image.shape)}; expected uint8 (C, H, W) with C = 1 or 3 "
                f"(convert floats with (x * 255).round().to(torch.uint8))"
            )
        return _chw3(image).contiguous()


def _as_fidelity_input(images: object, name: str) -> _UInt8ImageDataset | _WrappedDataset:
    """Images in ganlab's accepted forms -> a dataset torch-fidelity accepts; ValueError if not."""
    if isinstance(images, np.ndarray | torch.Tensor):
        t = torch.as_tensor(images)
        if t.dtype != torch.uint8:
            raise ValueError(
                f"{name}: expected uint8 pixels 0..255, got {t.dtype}; convert floats in "
                f"[0, 1] with (x * 255).round() as uint8"
            )
        if t.ndim != 4 or t.shape[-1] not in (1, 3):
            raise ValueError(
                f"{name}: expected shape (N, H, W, C) with C = 1 or 3, got {tuple(t.shape)} "
                f"(for (N, C, H, W) use .permute(0, 2, 3, 1))"
            )
        if t.shape[0] < 2:
            raise ValueError(f"{name}: needs at least 2 images, got {t.shape[0]}")
        return _UInt8ImageDataset(t.permute(0, 3, 1, 2).cpu())
    if isinstance(images, str | bytes | os.PathLike):
        raise ValueError(
            f"{name}: got the path {images!r}; expected a uint8 array (N, H, W, C) or a "
            f"dataset of uint8 (C, H, W) images (load the folder with ganlab.data first)"
        )
    if hasattr(images, "__len__") and hasattr(images, "__getitem__"):
        dataset = _WrappedDataset(images, name)  # type: ignore[arg-type]
        if len(dataset) < 2:
            raise ValueError(f"{name}: needs at least 2 images, got {len(dataset)}")
        _ = dataset[0]  # fail here, with ganlab's message, rather than inside torch-fidelity
        return dataset
    raise ValueError(
        f"{name}: expected a uint8 array (N, H, W, C) or a dataset of uint8 (C, H, W) "
        f"images, got {type(images).__name__}"
    )


@contextlib.contextmanager
def _on_device(device: str | torch.device) -> Iterator[bool]:
    """Yield torch-fidelity's ``cuda`` flag for ``device``; select the CUDA index if given."""
    try:
        dev = torch.device(device)
    except RuntimeError:
        raise ValueError(
            f"'{device}' is not a device name; use 'cpu', 'cuda' or 'cuda:N'"
        ) from None
    if dev.type == "cpu":
        yield False
        return
    if dev.type != "cuda":
        raise ValueError(f"image metrics run on 'cpu' or 'cuda[:N]', not '{device}'")
    if not torch.cuda.is_available():
        raise ValueError(f"device '{device}' asked for, but no CUDA GPU is available here")
    if dev.index is None:
        yield True
        return
    with torch.cuda.device(dev.index):
        yield True


def image_metrics(
    real_images: object,
    fake_images: object,
    metrics: Sequence[str] = ("is", "fid", "kid"),
    weights: str | Path | None = None,
    device: str | torch.device = "cpu",
    progress: bool | None = None,
    *,
    batch_size: int = 64,
    kid_subset_size: int = 1000,
    kid_subsets: int = 100,
    isc_splits: int = 10,
    seed: int = 2020,
) -> dict[str, float]:
    """Inception Score, FID and KID of generated images, computed by torch-fidelity.

    Parameters
    ----------
    real_images
        Real images: a uint8 array or tensor ``(N, H, W, C)`` with ``C`` 1 or 3, or a
        dataset-like object (``__len__``, ``__getitem__``) whose items are uint8
        ``(C, H, W)`` tensors or ``(image, label)`` pairs. Grey images are repeated to RGB.
        May be None when only ``"is"`` is asked.
    fake_images
        Generated images, same forms. The Inception Score is computed on these.
    metrics
        Any of ``"is"``, ``"fid"``, ``"kid"``.
    weights
        Weights file; None means the user cache (:func:`weights_path`). It is checked
        with :func:`verify_weights` before torch-fidelity unpickles it.
    device
        ``"cpu"``, ``"cuda"`` or ``"cuda:N"``.
    progress
        Show torch-fidelity's progress output; None shows it when stderr is a terminal.
    batch_size
        Images per Inception forward pass.
    kid_subset_size, kid_subsets
        KID subsets: the size is lowered to the smaller image count when needed, and when
        it then equals both counts one subset is used (all would be the same images).
        :func:`image_sample_report` says what was used.
    isc_splits
        Inception Score splits (lowered to the number of fake images when needed).
    seed
        torch-fidelity's ``rng_seed`` (KID subsets, IS shuffling).

    Returns
    -------
    dict of str to float
        torch-fidelity's keys for the metrics asked: ``inception_score_mean``,
        ``inception_score_std``, ``frechet_inception_distance``,
        ``kernel_inception_distance_mean``, ``kernel_inception_distance_std``.

    Raises
    ------
    WeightsError
        Weights missing or refused (nothing was unpickled), or the file is a state dict
        but not the Inception-v3 weights.
    ValueError
        Unknown metric names, images in the wrong form, or an unavailable device.
    GanlabError
        torch-fidelity is not installed.

    Notes
    -----
    Images are passed as in-memory datasets, so torch-fidelity's on-disk feature cache is
    turned off (``cache=False``: it would otherwise be read back with
    ``weights_only=False``) and no DataLoader worker processes are started
    (``save_cpu_ram=True``), which matters when this runs in the trainer thread. The
    file is verified, then opened by torch-fidelity: keep it where only you can write.
    """
    asked = [m.lower() for m in metrics]
    unknown = sorted(set(asked) - set(METRIC_NAMES))
    if unknown or not asked:
        raise ValueError(
            f"unknown image metric(s) {unknown}; choose from {sorted(METRIC_NAMES)}"
            if unknown
            else f"no image metric asked; choose from {sorted(METRIC_NAMES)}"
        )
    needs_real = "fid" in asked or "kid" in asked
    fake = _as_fidelity_input(fake_images, "fake images")
    real = _as_fidelity_input(real_images, "real images") if needs_real else None
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")

    verified = verify_weights(weights_path(weights))

    try:
        import torch_fidelity
    except ImportError:
        raise GanlabError(
            "image metrics need the torch-fidelity package: pip install torch-fidelity"
        ) from None

    n_fake = len(fake)
    kid_size, kid_count = (
        _fidelity_kid_plan(len(real), n_fake, kid_subset_size, kid_subsets)
        if real is not None
        else (kid_subset_size, kid_subsets)
    )
    kwargs: dict[str, Any] = {
        # torch-fidelity computes the Inception Score on input1, so that is the generator.
        "input1": fake,
        "input2": real,
        "isc": "is" in asked,
        "fid": "fid" in asked,
        "kid": "kid" in asked,
        "feature_extractor": _FEATURE_EXTRACTOR,
        "feature_extractor_weights_path": str(verified.path),
        "batch_size": batch_size,
        "isc_splits": max(1, min(isc_splits, n_fake)),
        "kid_subsets": kid_count,
        "kid_subset_size": kid_size,
        "rng_seed": seed,
        "cache": False,
        "save_cpu_ram": True,
        "datasets_download": False,
        "verbose": sys.stderr.isatty() if progress is None else bool(progress),
    }
    with _on_device(device) as cuda:
        kwargs["cuda"] = cuda
        try:
            result = torch_fidelity.calculate_metrics(**kwargs)
        except RuntimeError as exc:
            if "state_dict" not in str(exc):
                raise
            raise WeightsError(
                _(
                    "{path}: a plain state dict, but not the Inception-v3 weights "
                    "torch-fidelity expects (the layer names or shapes differ). {how} ({detail})"
                ).format(
                    path=verified.path,
                    how=_how_to_get_weights(),
                    detail=str(exc).splitlines()[0],
                ),
                path=verified.path,
            ) from None
    return {str(k): float(v) for k, v in result.items()}


def _fidelity_kid_plan(n_real: int, n_fake: int, subset_size: int, subsets: int) -> tuple[int, int]:
    """KID ``(subset size, subsets)`` as passed to torch-fidelity by :func:`image_metrics`.

    torch-fidelity draws every subset without replacement from each side, so the size
    cannot exceed the smaller count; when it equals both counts every subset would be
    all the images, and one is enough.
    """
    size = min(subset_size, n_real, n_fake)
    return size, (1 if size == n_real == n_fake else subsets)


def _item_is_grey(item: object) -> bool:
    if isinstance(item, tuple | list):
        item = item[0]
    t = torch.as_tensor(item)  # (C, H, W)
    return bool(t.shape[0] == 1 or (torch.equal(t[0], t[1]) and torch.equal(t[1], t[2])))


def is_grayscale(images: object) -> bool:
    """Whether every image is gray: one channel, or three equal channels.

    Parameters
    ----------
    images
        A uint8 array or tensor ``(N, H, W, C)``, or a dataset of ``(C, H, W)`` images or
        ``(image, label)`` pairs, as accepted by :func:`image_metrics`.

    Gray images reach Inception-v3 (an RGB network) with the channel repeated; a folder
    of gray files read as RGB arrives that way already. Either way the features are those
    of colourless images, which the reader of an FID should know.
    """
    if isinstance(images, np.ndarray | torch.Tensor):
        t = torch.as_tensor(images)
        if t.shape[-1] == 1:
            return True
        return bool(torch.equal(t[..., 0], t[..., 1]) and torch.equal(t[..., 1], t[..., 2]))
    data = images  # dataset-like: checked item by item
    return all(_item_is_grey(data[i]) for i in range(len(data)))  # type: ignore[arg-type, index]


def image_sample_report(
    real_images: object,
    fake_images: object,
    metrics: Sequence[str] = ("is", "fid", "kid"),
    *,
    kid_subset_size: int = 1000,
    kid_subsets: int = 100,
    notes: Sequence[str] = (),
    rgb_for: str | None = "Inception",
    plan: Callable[[int, int, int, int], tuple[int, int]] | None = None,
) -> SampleReport:
    """What :func:`image_metrics` computes on, for the same arguments.

    Parameters
    ----------
    real_images, fake_images, metrics, kid_subset_size, kid_subsets
        As given to :func:`image_metrics` (``real_images`` may be None for IS alone).
    notes
        The caller's notes (shortfalls), listed first.
    rgb_for
        The network the grayscale note names (``"Inception"``, or ``"the classifier"``
        when the offline classifier reads the images as RGB); None when gray images are
        not made RGB (a one-channel classifier), so no such note is due.
    plan
        The KID subsets the implementation uses: None for torch-fidelity's (as
        :func:`image_metrics`), :func:`ganlab.metrics.features.kid_plan` for ganlab's.

    Returns
    -------
    SampleReport
        Counts, the KID subsets torch-fidelity really uses, and notes: FID below
        :data:`ganlab.metrics.features.FID_MIN_SAMPLES`, a lowered KID subset size, and
        "real images were grayscale: channels replicated to RGB for Inception".
    """
    asked = {m.lower() for m in metrics}
    needs_real = bool({"fid", "kid"} & asked) and real_images is not None
    out = list(notes)
    real_note = N_("real images were grayscale: channels replicated to RGB for {network}")
    fake_note = N_("generated images were grayscale: channels replicated to RGB for {network}")
    sides = ((real_note, real_images),) if needs_real else ()
    for note, images in (*sides, (fake_note, fake_images)):
        if rgb_for is not None and is_grayscale(images):
            out.append(_(note).format(network=_(rgb_for)))

    return sample_report(
        len(real_images) if needs_real else None,  # type: ignore[arg-type]
        len(fake_images),  # type: ignore[arg-type]
        fid="fid" in asked,
        kid="kid" in asked,
        kid_subset_size=kid_subset_size,
        kid_subsets=kid_subsets,
        plan=_fidelity_kid_plan if plan is None else plan,
        notes=out,
    )
