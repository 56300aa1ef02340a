"""MNIST / Fashion-MNIST / CIFAR-10 through torchvision, with fake files and no network."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path
from urllib.error import URLError

import numpy as np
import platformdirs
import pytest
import torch
import torchvision.datasets

from ganlab.kernel.config import DataConfig
from ganlab.kernel.errors import DataError
from ganlab.kernel.registry import DATA_SOURCES

N_FAKE = 20


def _idx_images(images: np.ndarray) -> bytes:
    # idx3 header: two zero bytes, type 0x08 (uint8), 3 dimensions; then big-endian sizes.
    return bytes([0, 0, 8, 3]) + struct.pack(">III", *images.shape) + images.tobytes()


def _idx_labels(labels: np.ndarray) -> bytes:
    return bytes([0, 0, 8, 1]) + struct.pack(">I", len(labels)) + labels.astype(np.uint8).tobytes()


def write_fake_mnist(root: Path, folder: str = "MNIST", gz: bool = False) -> np.ndarray:
    """Write MNIST-format files under root/folder/raw; return the training images."""
    raw = root / folder / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    train = rng.integers(0, 256, (N_FAKE, 28, 28), dtype=np.uint8)
    files = {
        "train-images-idx3-ubyte": _idx_images(train),
        "train-labels-idx1-ubyte": _idx_labels(np.arange(N_FAKE) % 10),
        "t10k-images-idx3-ubyte": _idx_images(train[:5]),
        "t10k-labels-idx1-ubyte": _idx_labels(np.arange(5)),
    }
    for name, data in files.items():
        if gz:
            (raw / (name + ".gz")).write_bytes(gzip.compress(data))
        else:
            (raw / name).write_bytes(data)
    return train


def _build(name: str, **overrides):
    return DATA_SOURCES.get(name).build(DataConfig(source=name, **overrides))


@pytest.fixture
def no_download(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make torchvision's network fetches fail as they do offline; record the URLs tried."""
    attempts: list[str] = []

    def refuse(url: str, *args, **kwargs) -> None:
        attempts.append(url)
        raise URLError("network unreachable")

    for module in (torchvision.datasets.mnist, torchvision.datasets.cifar):
        monkeypatch.setattr(module, "download_and_extract_archive", refuse)
    return attempts


# --------------------------------------------------------------------------- loading


def test_fake_mnist_loads_images_and_labels(tmp_path: Path) -> None:
    train = write_fake_mnist(tmp_path)
    src = _build("mnist", root=str(tmp_path), download=False)
    assert len(src.images) == N_FAKE
    assert torch.equal(src.images[:, 0], torch.from_numpy(train))
    assert torch.equal(src.labels, torch.arange(N_FAKE) % 10)
    assert src.spec.shape == (1, 28, 28)
    assert src.spec.num_classes == 10
    assert src.spec.class_names == tuple(str(d) for d in range(10))


def test_fake_mnist_samples_are_scaled_to_minus_one_one(tmp_path: Path) -> None:
    train = write_fake_mnist(tmp_path)
    src = _build("mnist", root=str(tmp_path), download=False)
    x, y = src.sample(50, torch.Generator().manual_seed(0))
    assert x.dtype == torch.float32
    assert x.shape == (50, 1, 28, 28)
    assert x.min().item() >= -1.0
    assert x.max().item() <= 1.0
    # Each sample is one training image: find it through its label and compare.
    first = torch.from_numpy(train).float() / 127.5 - 1.0
    matches = [(first - img).abs().flatten(1).max(dim=1).values.min() < 1e-6 for img in x[:, 0]]
    assert all(matches)
    assert y.dtype == torch.int64


def test_fake_mnist_is_resized_and_made_rgb(tmp_path: Path) -> None:
    write_fake_mnist(tmp_path)
    src = _build("mnist", root=str(tmp_path), download=False, image_size=32, channels=3)
    x, _ = src.sample(8, torch.Generator().manual_seed(0))
    assert src.spec.shape == (3, 32, 32)
    assert x.shape == (8, 3, 32, 32)
    assert torch.equal(x[:, 0], x[:, 1])
    assert torch.equal(x[:, 1], x[:, 2])
    assert src.summary().splitlines()[1:] == [f"converted to RGB: all {N_FAKE} from gray (L)"]


def test_summary_has_no_conversion_line_when_nothing_is_converted(tmp_path: Path) -> None:
    write_fake_mnist(tmp_path)
    text = _build("mnist", root=str(tmp_path), download=False, channels=1).summary()
    assert text == (
        f"MNIST: {N_FAKE} training images in 10 classes, 1x28x28, from {tmp_path / 'MNIST/raw'}"
    )


def test_mnist_gz_files_placed_by_hand_are_unpacked(tmp_path: Path) -> None:
    train = write_fake_mnist(tmp_path, gz=True)
    src = _build("mnist", root=str(tmp_path), download=False)
    assert torch.equal(src.images[:, 0], torch.from_numpy(train))
    assert (tmp_path / "MNIST" / "raw" / "train-images-idx3-ubyte").is_file()


def test_corrupt_gz_file_is_a_data_error_naming_the_folder(tmp_path: Path) -> None:
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    (raw / "train-images-idx3-ubyte.gz").write_bytes(b"not gzip at all")
    with pytest.raises(DataError, match="cannot be unpacked") as err:
        _build("mnist", root=str(tmp_path), download=False)
    assert str(raw) in str(err.value)


def test_size_caps_the_number_of_images(tmp_path: Path) -> None:
    write_fake_mnist(tmp_path)
    assert len(_build("mnist", root=str(tmp_path), download=False, size=7).images) == 7


def test_fashion_mnist_uses_its_own_folder_and_class_names(tmp_path: Path) -> None:
    write_fake_mnist(tmp_path, folder="FashionMNIST")
    src = _build("fashion_mnist", root=str(tmp_path), download=False)
    assert src.spec.class_names[0] == "T-shirt/top"
    assert len(src.images) == N_FAKE


def test_existing_files_are_used_without_downloading(tmp_path: Path, no_download) -> None:
    write_fake_mnist(tmp_path)
    src = _build("mnist", root=str(tmp_path), download=True)
    assert len(src.images) == N_FAKE
    assert no_download == []


def test_cifar_like_colour_data_converts_to_gray(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeCIFAR10:
        def __init__(self, root: str, train: bool, download: bool):
            self.data = np.zeros((4, 32, 32, 3), dtype=np.uint8)
            self.data[:, :, :, 0] = 255  # pure red
            self.targets = [0, 1, 2, 3]
            self.classes = ["airplane", "automobile", "bird", "cat"]

    monkeypatch.setattr(torchvision.datasets, "CIFAR10", FakeCIFAR10)
    src = _build("cifar10", channels=1, image_size=16, root="/nonexistent")
    assert src.spec.shape == (1, 16, 16)
    assert src.spec.class_names == ("airplane", "automobile", "bird", "cat")
    assert (src.images == round(0.299 * 255)).all()  # ITU-R 601 luma of red
    assert src.summary().splitlines()[1:] == [
        "converted to gray (L): all 4 from RGB"
        " (colour images: set data.channels = 3 to train in colour)"
    ]


# --------------------------------------------------------------------------- offline messages


def test_missing_mnist_with_download_off_names_folder_files_and_address(tmp_path: Path) -> None:
    with pytest.raises(DataError) as err:
        _build("mnist", root=str(tmp_path), download=False)
    message = str(err.value)
    assert message.startswith("MNIST is not available")
    assert str(tmp_path / "MNIST" / "raw") in message
    assert "downloading is off" in message
    for name in ("train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        assert name in message
    assert "https://" in message
    assert "data.download" in message
    assert "Traceback" not in message


def test_failed_download_says_it_failed_and_why(tmp_path: Path, no_download) -> None:
    with pytest.raises(DataError) as err:
        _build("mnist", root=str(tmp_path), download=True)
    message = str(err.value)
    assert no_download  # it did try
    assert "failed" in message
    assert "network unreachable" in message
    assert str(tmp_path / "MNIST" / "raw") in message


def test_default_root_is_the_user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda *a, **k: str(tmp_path / "cache"))
    with pytest.raises(DataError) as err:
        _build("fashion_mnist", download=False)
    assert str(tmp_path / "cache" / "datasets" / "FashionMNIST" / "raw") in str(err.value)
    assert "Fashion-MNIST" in str(err.value)


def test_missing_cifar10_names_the_archive_and_folder(tmp_path: Path, no_download) -> None:
    with pytest.raises(DataError) as err:
        _build("cifar10", root=str(tmp_path), download=True)
    message = str(err.value)
    assert "CIFAR-10" in message
    assert "cifar-10-python.tar.gz" in message
    assert f"in the folder {tmp_path}" in message


@pytest.mark.parametrize("name", ["mnist", "fashion_mnist", "cifar10"])
def test_vision_entries_are_image_sources_that_download(name: str) -> None:
    entry = DATA_SOURCES.get(name)
    assert entry.kind == "image"
    assert entry.downloads
    assert not entry.reads_path
