"""The image_folder source: layouts, odd image modes, bad files, errors."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from ganlab.core.config import DataConfig
from ganlab.core.errors import DataError
from ganlab.core.registry import DATA_SOURCES
from ganlab.data.folder import EMPTY, LOOSE, TOO_LARGE, TRUNCATED, UNREADABLE

RED, BLUE = (255, 0, 0), (0, 0, 255)


def _build(path: Path | str, **overrides):
    return DATA_SOURCES.get("image_folder").build(
        DataConfig(source="image_folder", path=str(path), **overrides)
    )


def _save(path: Path, image: Image.Image, **params) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **params)
    return path


def _encoded(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def _noise_rgb(size: int = 40, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (size, size, 3), dtype=np.uint8))


def _single(tmp_path: Path, image: Image.Image, name: str = "one.png", **overrides):
    """Build a flat folder holding one image; return its only image as uint8 (C, H, W)."""
    _save(tmp_path / "flat" / name, image)
    src = _build(tmp_path / "flat", **overrides)
    assert len(src.images) == 1, src.summary()
    return src.images[0]


@pytest.fixture
def messy_folder(tmp_path: Path) -> Path:
    """Class folders with good images in many modes and every kind of bad file."""
    root = tmp_path / "messy"
    cats, dogs = root / "cats", root / "dogs"
    _save(cats / "a_red.png", Image.new("RGB", (40, 30), RED))
    _save(cats / "b_red.jpg", Image.new("RGB", (32, 32), RED), quality=95)
    _save(cats / "c_cmyk.jpg", Image.new("CMYK", (32, 32), (0, 255, 255, 0)))
    _save(cats / "d_16bit.png", Image.new("I;16", (32, 32), 40000))
    _save(cats / "e_int32.tif", Image.new("I", (32, 32), 200))
    _save(cats / "f_palette.png", Image.new("RGB", (32, 32), RED).convert("P"))
    _save(cats / "g_palette_transparent.png", Image.new("P", (32, 32), 0), transparency=0)
    _save(cats / "h_rgba.png", Image.new("RGBA", (32, 32), (255, 0, 0, 128)))
    _save(cats / "i_la.png", Image.new("LA", (32, 32), (200, 255)))
    _save(cats / "j_bilevel.bmp", Image.new("1", (32, 32), 1))
    (cats / "k_garbage.png").write_bytes(b"this is not a png at all" * 10)
    (cats / "l_truncated.jpg").write_bytes(_encoded(_noise_rgb(64), "JPEG")[:700])
    (cats / "m_empty.png").write_bytes(b"")
    (cats / "notes.txt").write_text("ignored: not an image extension")
    (cats / ".hidden.png").write_bytes(b"garbage, but hidden")
    _save(dogs / "a_blue.png", Image.new("RGB", (50, 50), BLUE))
    _save(dogs / "nested" / "b_blue.gif", Image.new("RGB", (20, 20), BLUE))
    (dogs / "c_truncated.png").write_bytes(_encoded(_noise_rgb(64), "PNG")[:2000])
    (root / "empty_class").mkdir()
    (root / "only_bad").mkdir()
    (root / "only_bad" / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    _save(root / "loose.png", Image.new("RGB", (32, 32), RED))
    return root


# --------------------------------------------------------------------------- messy folder


def test_messy_folder_counts_usable_images_and_skips_by_reason(messy_folder: Path) -> None:
    src = _build(messy_folder, channels=3)
    assert len(src.images) == 12
    assert src.skipped_counts == {UNREADABLE: 2, TRUNCATED: 2, EMPTY: 1, LOOSE: 1}
    assert {(p.name, r) for p, r in src.skipped} >= {
        ("k_garbage.png", UNREADABLE),
        ("l_truncated.jpg", TRUNCATED),
        ("c_truncated.png", TRUNCATED),
        ("m_empty.png", EMPTY),
        ("x.png", UNREADABLE),
        ("loose.png", LOOSE),
    }
    assert src.ignored == 1  # notes.txt


def test_messy_folder_classes_are_subfolders_with_usable_images(messy_folder: Path) -> None:
    src = _build(messy_folder)
    assert src.spec.class_names == ("cats", "dogs")
    assert src.spec.num_classes == 2
    assert torch.bincount(src.labels).tolist() == [10, 2]


def test_messy_folder_summary_gives_counts_and_reasons(messy_folder: Path) -> None:
    text = _build(messy_folder).summary()
    assert text.startswith(f"folder {messy_folder}: 12 images in 2 classes; skipped 6 (")
    for part in ("2 unreadable", "2 truncated", "1 empty file", "1 not in a class folder"):
        assert part in text
    assert "\n" not in text


def test_messy_folder_labels_follow_their_folder(messy_folder: Path) -> None:
    src = _build(messy_folder, channels=3)
    dogs = src.images[src.labels == src.spec.class_names.index("dogs")]
    assert (dogs[:, 2] > 200).all()
    assert (dogs[:, 0] < 50).all()


def test_messy_folder_samples_have_configured_shape_and_range(messy_folder: Path) -> None:
    src = _build(messy_folder, channels=3, image_size=16)
    x, y = src.sample(40, torch.Generator().manual_seed(0))
    assert x.shape == (40, 3, 16, 16)
    assert x.dtype == torch.float32
    assert x.min().item() >= -1.0
    assert x.max().item() <= 1.0
    assert y.dtype == torch.int64
    assert set(y.tolist()) <= {0, 1}


# --------------------------------------------------------------------------- conversions


def test_rgba_is_composited_on_black(tmp_path: Path) -> None:
    img = _single(tmp_path, Image.new("RGBA", (20, 20), (255, 0, 0, 128)), channels=3)
    assert img[:, 0, 0].tolist() == [128, 0, 0]


def test_fully_transparent_pixels_become_black(tmp_path: Path) -> None:
    img = _single(tmp_path, Image.new("RGBA", (20, 20), (255, 255, 255, 0)), channels=3)
    assert (img == 0).all()


def test_la_is_composited_on_black(tmp_path: Path) -> None:
    img = _single(tmp_path, Image.new("LA", (20, 20), (200, 128)), channels=1)
    assert (img == round(200 * 128 / 255)).all()


def test_palette_transparency_becomes_black(tmp_path: Path) -> None:
    im = Image.new("P", (20, 20), 1)
    im.putpalette([255, 255, 255, 0, 255, 0] + [0] * 762)
    im.paste(0, (0, 0, 10, 20))  # left half: index 0, white, transparent
    _save(tmp_path / "flat" / "p.png", im, transparency=0)
    img = _build(tmp_path / "flat", channels=3, image_size=20).images[0]
    assert img[:, 10, 2].tolist() == [0, 0, 0]
    assert img[:, 10, 17].tolist() == [0, 255, 0]


def test_sixteen_bit_gray_is_scaled_to_eight_bits(tmp_path: Path) -> None:
    img = _single(tmp_path, Image.new("I;16", (20, 20), 257 * 100), channels=1)
    assert (img == 100).all()


def test_thirty_two_bit_gray_with_small_values_is_kept(tmp_path: Path) -> None:
    img = _single(tmp_path, Image.new("I", (20, 20), 200), name="i.tif", channels=1)
    assert (img == 200).all()


def test_float_image_in_unit_range_is_scaled(tmp_path: Path) -> None:
    img = _single(tmp_path, Image.new("F", (20, 20), 0.5), name="f.tif", channels=1)
    assert (img == 128).all()


def test_cmyk_is_converted_through_rgb(tmp_path: Path) -> None:
    cmyk = Image.new("CMYK", (20, 20), (0, 255, 255, 0))  # no cyan, full magenta+yellow: red
    img = _single(tmp_path, cmyk, name="c.tif", channels=3)
    assert img[:, 5, 5].tolist() == [255, 0, 0]


def test_rgb_becomes_gray_with_601_luma(tmp_path: Path) -> None:
    img = _single(tmp_path, Image.new("RGB", (20, 20), RED), channels=1)
    assert img.shape == (1, 28, 28)
    assert (img == round(0.299 * 255)).all()


def test_gray_becomes_three_equal_channels(tmp_path: Path) -> None:
    img = _single(tmp_path, Image.new("L", (20, 20), 77), channels=3)
    assert img.shape == (3, 28, 28)
    assert (img == 77).all()


def test_non_square_image_is_centre_cropped(tmp_path: Path) -> None:
    wide = Image.new("RGB", (60, 20), RED)
    wide.paste(BLUE, (20, 0, 40, 20))  # the middle square is blue
    img = _single(tmp_path, wide, channels=3, image_size=10)
    assert img.shape == (3, 10, 10)
    # Squashing instead of cropping would leave red thirds at the sides; the resampling
    # kernel only blends a little red into the outermost columns.
    assert (img[2] > 200).all()
    assert (img[0] < 40).all()


def test_images_over_the_pixel_limit_are_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    flat = tmp_path / "flat"
    _save(flat / "small.png", Image.new("RGB", (20, 20), RED))
    _save(flat / "warns.png", Image.new("RGB", (40, 40), RED))  # over the limit: a warning
    _save(flat / "bomb.png", Image.new("RGB", (50, 50), RED))  # over twice the limit: an error
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may leak out as a warning either
        src = _build(flat)
    assert len(src.images) == 1
    assert sorted(p.name for p, r in src.skipped if r == TOO_LARGE) == ["bomb.png", "warns.png"]


# --------------------------------------------------------------------------- layouts


def test_flat_folder_is_unlabelled(tmp_path: Path) -> None:
    for i in range(3):
        _save(tmp_path / "flat" / f"{i}.png", _noise_rgb(24, seed=i))
    src = _build(tmp_path / "flat")
    _x, y = src.sample(5, torch.Generator().manual_seed(0))
    assert y is None
    assert src.spec.num_classes == 0
    assert src.spec.class_names == ()
    assert src.summary() == f"folder {tmp_path / 'flat'}: 3 images (no classes)"


def test_size_caps_the_load_round_robin_across_classes(tmp_path: Path) -> None:
    for cls, colour in (("a", RED), ("b", BLUE)):
        for i in range(5):
            _save(tmp_path / "root" / cls / f"{i}.png", Image.new("RGB", (20, 20), colour))
    src = _build(tmp_path / "root", size=4)
    assert len(src.images) == 4
    assert torch.bincount(src.labels).tolist() == [2, 2]


def test_loading_is_deterministic(messy_folder: Path) -> None:
    first, second = _build(messy_folder), _build(messy_folder)
    assert torch.equal(first.images, second.images)
    assert torch.equal(first.labels, second.labels)


# --------------------------------------------------------------------------- errors


def test_missing_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist") as err:
        _build(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(err.value)


def test_a_file_instead_of_a_folder_is_an_error(tmp_path: Path) -> None:
    path = _save(tmp_path / "one.png", Image.new("RGB", (8, 8)))
    with pytest.raises(DataError, match=re.escape(f"{path} is not a folder")):
        _build(path)


def test_empty_path_asks_for_a_folder() -> None:
    with pytest.raises(DataError, match=r"data\.path is empty"):
        DATA_SOURCES.get("image_folder").build(DataConfig(source="image_folder"))


def test_folder_without_images_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "readme.txt").write_text("hello")
    with pytest.raises(DataError, match="has no image files") as err:
        _build(tmp_path / "docs")
    assert str(tmp_path / "docs") in str(err.value)


def test_folder_with_only_bad_images_says_why(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "a.png").write_bytes(b"")
    (tmp_path / "bad" / "b.jpg").write_bytes(b"garbage")
    with pytest.raises(DataError, match=r"no usable images \(2 image files: ") as err:
        _build(tmp_path / "bad")
    assert "1 empty file" in str(err.value)
    assert "1 unreadable" in str(err.value)


def test_image_folder_entry_reads_path() -> None:
    entry = DATA_SOURCES.get("image_folder")
    assert entry.reads_path
    assert entry.kind == "image"
    assert not entry.downloads
