"""The unpaired sources for CycleGAN: procedural shapes and the trainA/trainB folder layout."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from ganlab.data.folder import UNREADABLE
from ganlab.data.unpaired import HELD_OUT, generate_unpaired_shapes
from ganlab.kernel.config import DataConfig
from ganlab.kernel.errors import DataError
from ganlab.kernel.registry import DATA_SOURCES


def _shapes(**overrides):
    return DATA_SOURCES.get("shapes_unpaired").build(
        DataConfig(
            source="shapes_unpaired", **{"size": 300, "image_size": 32, "channels": 3, **overrides}
        )
    )


def _folder(path: Path | str, **overrides):
    return DATA_SOURCES.get("unpaired_folder").build(
        DataConfig(source="unpaired_folder", path=str(path), image_size=16, channels=3, **overrides)
    )


def test_samples_are_pairs_of_both_domains_in_range():
    src = _shapes()
    x, y = src.sample(10, torch.Generator().manual_seed(0))
    assert y is None
    assert x.shape == (10, 2, 3, 32, 32) == (10, *src.spec.shape)
    assert src.spec.kind == "unpaired"
    assert src.spec.domains == ("filled shape", "outline")
    assert x.min() >= -1
    assert x.max() <= 1
    # A: black background (corner pixel), B: light background.
    assert (x[:, 0, :, 0, 0] == -1).all()
    assert (x[:, 1, :, 0, 0] > 0.7).all()


def test_the_two_domains_are_drawn_independently():
    """The B drawn beside an A is not tied to it: with the A indices fixed by the first
    n draws, changing the generator state between the two draws changes B only."""
    src = _shapes()
    n = 200
    g = torch.Generator().manual_seed(3)
    ia = torch.randint(len(src.train_a), (n,), generator=g)
    ib = torch.randint(len(src.train_b), (n,), generator=g)
    x, _ = src.sample(n, torch.Generator().manual_seed(3))
    a_expected = src.train_a[ia].float() / 127.5 - 1
    b_expected = src.train_b[ib].float() / 127.5 - 1
    torch.testing.assert_close(x[:, 0], a_expected)
    torch.testing.assert_close(x[:, 1], b_expected)
    # Independent indices: the same training index for A and B is no more frequent
    # than chance (1 in 300 per row).
    assert (ia == ib).float().mean() < 0.05
    # and the two domains' images were drawn with different shape parameters: the
    # filled area of A's shape does not predict the outline of its partner.
    area_a = (src.train_a[:, 0] > 30).float().mean((1, 2))
    ink_b = (src.train_b[:, 0] < 150).float().mean((1, 2))
    corr = np.corrcoef(area_a.numpy(), ink_b.numpy())[0, 1]
    assert abs(corr) < 0.2


def test_held_out_images_are_fixed_and_never_in_training():
    src = _shapes()
    h1, h2 = src.held_out(8), src.held_out(8)
    assert h1.shape == (8, 2, 3, 32, 32)
    assert torch.equal(h1, h2)
    assert src.held_out(10_000).shape[0] == HELD_OUT
    train = [src.train_a.flatten(1), src.train_b.flatten(1)]
    held = [src.held_a.flatten(1), src.held_b.flatten(1)]
    for t, h in zip(train, held, strict=True):
        same = (t[None, :, :] == h[:, None, :]).all(dim=2)  # (held, train)
        assert not same.any()


def test_the_set_is_a_function_of_its_seed_and_format():
    a = generate_unpaired_shapes(50, 28, 1)
    generate_unpaired_shapes.cache_clear()
    b = generate_unpaired_shapes(50, 28, 1)
    for u, v in zip(a, b, strict=True):
        assert torch.equal(u, v)
    assert a[0].shape == (50, 1, 28, 28)


def _image(path: Path, colour: tuple[int, int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (20, 20), colour).save(path)


def _layout(root: Path, n: int = 3, test: bool = True) -> Path:
    for i in range(n):
        _image(root / "trainA" / f"a{i}.png", (200, 0, 0))
        _image(root / "trainB" / f"b{i}.png", (0, 0, 200))
        if test:
            _image(root / "testA" / f"ta{i}.png", (250, 50, 0))
            _image(root / "testB" / f"tb{i}.png", (0, 50, 250))
    return root


def test_folder_reads_train_and_test_folders(tmp_path):
    src = _folder(_layout(tmp_path / "set"))
    assert src.spec.shape == (2, 3, 16, 16)
    assert src.spec.kind == "unpaired"
    x, _ = src.sample(6, torch.Generator().manual_seed(0))
    assert (x[:, 0, 0] > 0.5).all()
    assert (x[:, 0, 2] < -0.5).all()  # red A
    assert (x[:, 1, 2] > 0.5).all()
    assert (x[:, 1, 0] < -0.5).all()  # blue B
    held = src.held_out(8)
    assert held.shape == (3, 2, 3, 16, 16)
    assert (held[:, 0, 1] > -0.7).all()  # testA's orange, never drawn from trainA
    assert "trainA" in src.summary()
    assert "testA" in src.summary()


def test_folder_without_test_folders_keeps_some_training_images_apart(tmp_path):
    src = _folder(_layout(tmp_path / "set", n=20, test=False))
    assert len(src.train_a) == 18
    assert len(src.held_a) == 2
    assert src.held_out(8).shape[0] == 2


def test_a_small_folder_still_keeps_one_image_of_each_domain_apart_and_says_so(tmp_path):
    src = _folder(_layout(tmp_path / "set", n=4, test=False))
    assert (len(src.train_a), len(src.held_a)) == (3, 1)
    assert (len(src.train_b), len(src.held_b)) == (3, 1)
    summary = src.summary()
    assert "held out: 1 of A, 1 of B (the last tenth of each training folder)" in summary
    assert "only 1 held-out image" in summary
    assert "testA/ and testB/" in summary


def test_bad_files_are_skipped_and_named(tmp_path):
    root = _layout(tmp_path / "set")
    (root / "trainB" / "broken.png").write_bytes(b"not an image")
    src = _folder(root)
    assert len(src.train_b) == 3
    assert src.skipped_files == [("trainB/broken.png", UNREADABLE)]
    assert "trainB/broken.png" in src.summary()
    assert "trainB/broken.png\tunreadable" in src.skipped_list_text()


def test_missing_train_folder_names_the_layout(tmp_path):
    root = tmp_path / "set"
    _image(root / "trainA" / "a.png", (1, 2, 3))
    with pytest.raises(DataError) as info:
        _folder(root)
    text = str(info.value)
    assert "trainB/" in text
    assert str(root) in text


def test_domain_without_usable_images_names_the_files(tmp_path):
    root = _layout(tmp_path / "set")
    for path in (root / "trainA").iterdir():
        path.unlink()
    (root / "trainA" / "zero.png").write_bytes(b"")
    with pytest.raises(DataError) as info:
        _folder(root)
    assert "trainA/zero.png" in str(info.value)


@pytest.mark.parametrize("path", ["", "missing"])
def test_bad_path_is_refused_with_a_fix(tmp_path, path):
    with pytest.raises(DataError) as info:
        _folder(tmp_path / path if path else "")
    assert "trainA" in str(info.value)
