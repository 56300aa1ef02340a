"""MNIST, Fashion-MNIST and CIFAR-10 through torchvision. No Qt.

Builds ``mnist``, ``fashion_mnist`` and ``cifar10`` (declared in ganlab.data.catalogue). The
training split is read into memory once as uint8, converted to ``data.channels`` and
``data.image_size``, and sampled by index; the summary's second line says when colour was
converted (all images from gray to RGB, or from RGB to gray). Files live in ``data.root``
or, when that is empty, in ``platformdirs.user_cache_dir("ganlab")/datasets``. They are
downloaded (with torchvision's progress bar on the terminal) only when ``data.download`` is
true. Archives that a person downloaded by hand and put in the right folder are unpacked
here, so the lab also works on a machine that never goes online. When the files are missing
and cannot be downloaded the error says which data set, the exact folder and the file names
with their address.

Built in the trainer thread. torchvision is imported only when one of these is built.
"""

from __future__ import annotations

import gzip
import shutil
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ganlab.data.base import (
    ImageTensorSource,
    conversion_summary,
    dataset_root,
    prepare_images,
)
from ganlab.kernel.config import DataConfig
from ganlab.kernel.errors import DataError
from ganlab.kernel.i18n import _

_IDX_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)


@dataclass(frozen=True)
class VisionSet:
    """How to find, fetch and describe one torchvision data set.

    Attributes
    ----------
    name, title
        Registry key and display title.
    dataset_class
        Class name in ``torchvision.datasets``.
    subfolder
        Folder under the root where the files go (relative path).
    files
        File names a person can put in that folder.
    url
        Where to download those files by hand.
    class_names
        Class names, or () to take them from the torchvision data set.
    archive_folder
        For a data set shipped as one tar archive: the folder (under the root) it unpacks
        to. Empty for sets of gzip files that unpack one by one.
    """

    name: str
    title: str
    dataset_class: str
    subfolder: str
    files: tuple[str, ...]
    url: str
    class_names: tuple[str, ...] = ()
    archive_folder: str = ""

    def folder(self, root: Path) -> Path:
        """The exact folder that must hold :attr:`files`."""
        return root / self.subfolder if self.subfolder else root


MNIST = VisionSet(
    "mnist",
    "MNIST",
    "MNIST",
    "MNIST/raw",
    _IDX_FILES,
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    tuple(str(d) for d in range(10)),
)
FASHION_MNIST = VisionSet(
    "fashion_mnist",
    "Fashion-MNIST",
    "FashionMNIST",
    "FashionMNIST/raw",
    _IDX_FILES,
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
)
CIFAR10 = VisionSet(
    "cifar10",
    "CIFAR-10",
    "CIFAR10",
    "",
    ("cifar-10-python.tar.gz",),
    "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
    archive_folder="cifar-10-batches-py",
)


def _unpack_local_files(vset: VisionSet, root: Path) -> None:
    """Unpack archives placed by hand, where torchvision expects the unpacked files."""
    folder = vset.folder(root)
    try:
        if vset.archive_folder:
            archive = folder / vset.files[0]
            if archive.is_file() and not (root / vset.archive_folder).exists():
                # The "data" filter refuses absolute paths and links out of the folder.
                safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
                with tarfile.open(archive, "r:gz") as tar:
                    tar.extractall(root, **safe)  # type: ignore[arg-type]
            return
        for name in vset.files:
            packed, unpacked = folder / name, folder / name.removesuffix(".gz")
            if packed.is_file() and not unpacked.exists():
                partial = unpacked.with_name(unpacked.name + ".part")
                with gzip.open(packed, "rb") as src, partial.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
                partial.replace(unpacked)
    except (OSError, EOFError, tarfile.TarError) as exc:
        raise DataError(
            _(
                "{title}: the files in {folder} cannot be unpacked ({error}); delete them "
                "and download {files} again from {url}"
            ).format(
                title=vset.title,
                folder=folder,
                error=exc,
                files=", ".join(vset.files),
                url=vset.url,
            )
        ) from exc


def missing_message(vset: VisionSet, root: Path, download: bool, error: BaseException) -> str:
    """The message for a data set that is neither on disk nor downloadable."""
    folder = vset.folder(root)
    if download:
        detail = " ".join(str(error).split()) or repr(error)
        if len(detail) > 300:
            detail = detail[:297] + "..."
        reason = _("downloading it into {folder} failed ({detail})").format(
            folder=folder, detail=detail
        )
    else:
        reason = _("it is not in {folder} and downloading is off (data.download = false)").format(
            folder=folder
        )
    names = ", ".join(vset.files)
    files = (_("the file {names}") if len(vset.files) == 1 else _("the files {names}")).format(
        names=names
    )
    retry = _("try again when online") if download else _("set data.download = true while online")
    return _(
        "{title} is not available: {reason}. To use it offline, put {files} "
        "(from {url}) in the folder {folder}; or {retry}."
    ).format(title=vset.title, reason=reason, files=files, url=vset.url, folder=folder, retry=retry)


def _load(vset: VisionSet, config: DataConfig) -> ImageTensorSource:
    root = dataset_root(config)
    _unpack_local_files(vset, root)
    from torchvision import datasets  # slow import, only when an image set is used

    dataset_class: Callable[..., object] = getattr(datasets, vset.dataset_class)
    try:
        dataset = dataset_class(root=str(root), train=True, download=config.download)
    except Exception as exc:  # torchvision raises many kinds; none may escape raw
        raise DataError(missing_message(vset, root, config.download, exc)) from exc

    data = dataset.data  # type: ignore[attr-defined]
    images = data if isinstance(data, torch.Tensor) else torch.from_numpy(np.asarray(data))
    # MNIST-like: (N, H, W); CIFAR: (N, H, W, 3).
    images = images.unsqueeze(1) if images.ndim == 3 else images.permute(0, 3, 1, 2)
    labels = torch.as_tensor(np.asarray(dataset.targets), dtype=torch.int64)  # type: ignore[attr-defined]
    if config.size > 0:
        images, labels = images[: config.size], labels[: config.size]
    stored = "L" if images.shape[1] == 1 else "RGB"
    images = prepare_images(images.to(torch.uint8), config.channels, config.image_size)
    names = vset.class_names or tuple(str(c) for c in dataset.classes)  # type: ignore[attr-defined]
    s = config.image_size
    text = _(
        "{title}: {count} training images in {classes} classes, {shape}, from {folder}"
    ).format(
        title=vset.title,
        count=len(images),
        classes=len(names),
        shape=f"{config.channels}x{s}x{s}",
        folder=vset.folder(root),
    )
    converted = conversion_summary(len(images), config.channels, {stored: len(images)})
    return ImageTensorSource(
        images, labels, names, config.channels, f"{text}\n{converted}" if converted else text
    )


def _builder(vset: VisionSet) -> Callable[[DataConfig], ImageTensorSource]:
    def build(config: DataConfig) -> ImageTensorSource:
        return _load(vset, config)

    build.__doc__ = f"The {vset.title} training set, downloaded once when allowed."
    return build


# The builders ganlab.data.catalogue declares.
build_mnist = _builder(MNIST)
build_fashion_mnist = _builder(FASHION_MNIST)
build_cifar10 = _builder(CIFAR10)
