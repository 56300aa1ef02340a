"""The image_folder source: layouts, odd image modes, bad files, errors."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image, ImageOps

from ganlab.data.folder import (
    EMPTY,
    LOOSE,
    SKIPPED_LIST_NAME,
    TOO_LARGE,
    TRUNCATED,
    UNREADABLE,
)
from ganlab.kernel.config import DataConfig
from ganlab.kernel.errors import DataError
from ganlab.kernel.registry import DATA_SOURCES

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
    head = _build(messy_folder).summary().splitlines()[0]
    assert head.startswith(
        f"folder {messy_folder}: 12 images in 2 classes (2 class folders dropped); skipped 6 ("
    )
    for part in ("2 unreadable", "2 truncated", "1 empty file", "1 not in a class folder"):
        assert part in head


def test_messy_folder_names_every_skipped_file_and_dropped_class(messy_folder: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing is warned image by image
        src = _build(messy_folder, channels=3)
    expected = [
        ("cats/k_garbage.png", UNREADABLE),
        ("cats/l_truncated.jpg", TRUNCATED),
        ("cats/m_empty.png", EMPTY),
        ("dogs/c_truncated.png", TRUNCATED),
        ("loose.png", LOOSE),
        ("only_bad/x.png", UNREADABLE),
    ]
    assert src.skipped_files == expected
    lines = src.summary().splitlines()
    assert lines[2] == "skipped: " + ", ".join(f"{p} ({r})" for p, r in expected)
    assert lines[3:] == [
        "class 'empty_class' dropped: no usable image in empty_class/ (it holds no image file)",
        "class 'only_bad' dropped: no usable image in only_bad/ (1 image file skipped)",
    ]
    assert src.dropped == [
        ("empty_class", "no usable image in empty_class/ (it holds no image file)"),
        ("only_bad", "no usable image in only_bad/ (1 image file skipped)"),
    ]


def test_messy_folder_summary_has_one_conversion_line(messy_folder: Path) -> None:
    lines = _build(messy_folder, channels=3).summary().splitlines()
    assert [line for line in lines if line.startswith("converted")] == [lines[1]]
    assert lines[1] == (
        "converted to RGB: 3 of 12 from P, 1 from 1-bit, 1 from CMYK, 1 from 32-bit gray (I), "
        "1 from 16-bit gray (I;16), 1 from LA, 1 from RGBA; 3 of 12 with transparency, "
        "composited on black"
    )


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
    assert src.summary().splitlines() == [
        f"folder {tmp_path / 'flat'}: 3 images (no classes)",
        "converted to gray (L): all 3 from RGB"
        " (colour images: set data.channels = 3 to train in colour)",
    ]
    assert _build(tmp_path / "flat", channels=3).summary() == (
        f"folder {tmp_path / 'flat'}: 3 images (no classes)"  # nothing converted or skipped
    )


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


# --------------------------------------------------------------------------- as a viewer shows


def _pixels(seed: int, shape: tuple[int, ...], high: int = 256, dtype=np.uint8) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, high, shape).astype(dtype)


def _rgb() -> Image.Image:
    return Image.fromarray(_pixels(1, (8, 8, 3)))


def _two_level_rgb() -> Image.Image:  # few colours, so a palette holds them exactly
    return Image.fromarray(_pixels(2, (8, 8, 3), high=2) * 255)


def _gray() -> Image.Image:
    return Image.fromarray(_pixels(3, (8, 8), high=4) * 60)


def _bilevel() -> Image.Image:
    return Image.fromarray(_pixels(4, (8, 8), high=2) * 255).convert("1")


_ROTATE = Image.Exif()
_ROTATE[0x0112] = 6  # EXIF orientation: turn 90 degrees clockwise to view


def _big_endian_16() -> Image.Image:
    values = _pixels(6, (8, 8), high=65536, dtype=np.uint16)
    return Image.frombytes("I;16B", (8, 8), values.astype(">u2").tobytes())


# (id, file name, image, save parameters): every mode Pillow opens, in the formats that
# keep it, with and without transparency.
VIEWER_CASES = [
    ("1", "a.png", _bilevel, {}),
    ("1-bmp", "a.bmp", _bilevel, {}),
    ("1-transparent", "a.png", _bilevel, {"transparency": 255}),
    ("L", "a.png", _gray, {}),
    ("L-jpeg", "a.jpg", lambda: Image.fromarray(_pixels(7, (8, 8))), {"quality": 90}),
    ("L-transparent", "a.png", _gray, {"transparency": 60}),
    ("LA", "a.png", lambda: Image.fromarray(_pixels(8, (8, 8, 2)), "LA"), {}),
    ("LA-tiff", "a.tif", lambda: Image.fromarray(_pixels(8, (8, 8, 2)), "LA"), {}),
    ("P", "a.png", lambda: _rgb().convert("P"), {}),
    ("P-gif", "a.gif", lambda: _rgb().convert("P"), {}),
    ("P-transparent", "a.png", lambda: _two_level_rgb().convert("P"), {"transparency": 0}),
    ("P-transparent-gif", "a.gif", lambda: _two_level_rgb().convert("P"), {"transparency": 0}),
    (
        "P-alpha-table",
        "a.png",
        lambda: _two_level_rgb().convert("P"),
        {"transparency": bytes([0, 128, 255, 40, 200])},
    ),
    ("PA-tiff", "a.tif", lambda: Image.fromarray(_pixels(9, (8, 8, 4))).convert("PA"), {}),
    ("RGB", "a.png", _rgb, {}),
    ("RGB-jpeg", "a.jpg", _rgb, {"quality": 90}),
    ("RGB-webp", "a.webp", _rgb, {}),
    ("RGB-transparent", "a.png", _two_level_rgb, {"transparency": (255, 255, 255)}),
    ("RGBA", "a.png", lambda: Image.fromarray(_pixels(10, (8, 8, 4))), {}),
    ("RGBA-tiff", "a.tif", lambda: Image.fromarray(_pixels(10, (8, 8, 4))), {}),
    ("RGBA-webp", "a.webp", lambda: Image.fromarray(_pixels(10, (8, 8, 4))), {"lossless": True}),
    (
        "RGBA-exif-rotated",
        "a.png",
        lambda: Image.fromarray(_pixels(5, (8, 8, 4))),
        {"exif": _ROTATE},
    ),
    ("I;16", "a.png", lambda: Image.fromarray(_pixels(11, (8, 8), 65536, np.uint16)), {}),
    ("I;16-tiff", "a.tif", lambda: Image.fromarray(_pixels(11, (8, 8), 65536, np.uint16)), {}),
    ("I;16B-tiff", "a.tif", _big_endian_16, {}),
    ("I-16bit-pgm", "a.pgm", lambda: Image.fromarray(_pixels(12, (8, 8), 65536, np.int32)), {}),
    ("I-dark-16bit-pgm", "a.pgm", lambda: Image.fromarray(_pixels(12, (8, 8), 200, np.int32)), {}),
    ("I-8bit-values", "a.tif", lambda: Image.fromarray(_pixels(13, (8, 8), 256, np.int32)), {}),
    ("I-16bit-values", "a.tif", lambda: Image.fromarray(_pixels(13, (8, 8), 65536, np.int32)), {}),
    ("I-signed", "a.tif", lambda: Image.fromarray(_pixels(14, (8, 8), 2000, np.int32) - 1000), {}),
    ("F-unit", "a.tif", lambda: Image.fromarray(_pixels(15, (8, 8), 1000, np.float32) / 999), {}),
    ("F-wide", "a.tif", lambda: Image.fromarray(_pixels(15, (8, 8), 1000, np.float32) - 300), {}),
    ("CMYK-tiff", "a.tif", lambda: _rgb().convert("CMYK"), {}),
    ("CMYK-jpeg", "a.jpg", lambda: _rgb().convert("CMYK"), {"quality": 95}),
    ("YCbCr-tiff", "a.tif", lambda: _rgb().convert("YCbCr"), {}),
    ("YCbCr-jpeg", "a.jpg", lambda: _rgb().convert("YCbCr"), {"quality": 95}),
]


def _as_a_viewer_shows(path: Path, channels: int) -> np.ndarray:
    """The reference: the picture on screen, composited on black, as (H, W) or (H, W, 3).

    PIL's own conversions for the 8-bit modes; for deep gray the documented mapping
    (16-bit /257, 32-bit kept when in 0..255, else as 16-bit or stretched; float 0..1
    scaled, else stretched).
    """
    with Image.open(path) as opened:
        opened.load()
        im = ImageOps.exif_transpose(opened)
        if im.mode in ("I", "F") or im.mode.startswith("I;16"):
            a = np.asarray(im).astype(np.float64)
            lo, hi = a.min(), a.max()
            if im.mode == "F":
                a = a * 255 if lo >= 0 and hi <= 1 else (a - lo) / (hi - lo) * 255
            elif im.mode.startswith("I;16") or opened.format == "PPM":
                a = a / 257
            elif lo < 0 or hi > 65535:
                a = (a - lo) / (hi - lo) * 255
            elif hi > 255:
                a = a / 257
            im = Image.fromarray(np.rint(a).astype(np.uint8))
        elif "A" in im.mode or "transparency" in im.info:
            black = Image.new("RGBA", im.size, (0, 0, 0, 255))
            im = Image.alpha_composite(black, im.convert("RGBA"))
        return np.asarray(im.convert("RGB" if channels == 3 else "L"))


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize(
    ("name", "make", "params"),
    [pytest.param(n, m, p, id=i) for i, n, m, p in VIEWER_CASES],
)
def test_every_mode_reaches_the_model_as_a_viewer_shows_it(
    tmp_path: Path, name: str, make, params: dict, channels: int
) -> None:
    path = _save(tmp_path / "flat" / name, make(), **params)
    src = _build(tmp_path / "flat", channels=channels, image_size=8)
    assert src.skipped == [], src.summary()
    got = src.images[0].numpy()
    assert got.shape == (channels, 8, 8)
    want = _as_a_viewer_shows(path, channels)
    want = want[None] if want.ndim == 2 else want.transpose(2, 0, 1)
    # Compositing rounds once more or less than PIL's alpha_composite: 1 level at most.
    assert np.abs(got.astype(int) - want.astype(int)).max() <= 1
    assert float(np.abs(got.astype(int) - want.astype(int)).mean()) < 0.5


def test_transparent_pixels_of_single_colour_transparency_become_black(tmp_path: Path) -> None:
    im = Image.new("RGB", (8, 8), RED)
    im.paste((255, 255, 255), (0, 0, 4, 8))  # left half white, the transparent colour
    _save(tmp_path / "flat" / "one.png", im, transparency=(255, 255, 255))
    img = _build(tmp_path / "flat", channels=3, image_size=8).images[0]
    assert img[:, 3, 1].tolist() == [0, 0, 0]
    assert img[:, 3, 6].tolist() == [255, 0, 0]


# --------------------------------------------------------------------------- named, not counted


def test_conversion_line_counts_modes_and_transparency(tmp_path: Path) -> None:
    flat = tmp_path / "flat"
    for i in range(3):
        _save(flat / f"gray{i}.png", Image.new("L", (8, 8), 40 * i))
    for i in range(2):
        _save(flat / f"alpha{i}.png", Image.new("RGBA", (8, 8), (9, 9, 9, 100)))
    _save(flat / "colour.png", Image.new("RGB", (8, 8), RED))
    _save(flat / "key.png", Image.new("RGB", (8, 8), RED), transparency=(255, 0, 0))
    lines = _build(flat, channels=3, image_size=8).summary().splitlines()
    assert lines[1:] == [
        "converted to RGB: 3 of 7 from gray (L), 2 from RGBA; 3 of 7 with transparency, "
        "composited on black"
    ]
    src = _build(flat, channels=1, image_size=8)
    assert src.modes is None  # DataSource.modes: mixture modes for the metrics, not these
    lines = src.summary().splitlines()
    assert lines[1:] == [
        "converted to gray (L): 2 of 7 from RGB, 2 from RGBA; 3 of 7 with transparency, "
        "composited on black (colour images: set data.channels = 3 to train in colour)"
    ]


def test_many_skipped_files_name_ten_and_count_the_rest(tmp_path: Path) -> None:
    flat = tmp_path / "flat"
    _save(flat / "good.png", Image.new("RGB", (8, 8), RED))
    for i in range(15):
        (flat / f"bad{i:02d}.png").write_bytes(b"")
    src = _build(flat, channels=3, image_size=8)
    assert src.skipped_files == [(f"bad{i:02d}.png", EMPTY) for i in range(15)]
    line = src.summary().splitlines()[1]
    named = ", ".join(f"bad{i:02d}.png (empty file)" for i in range(10))
    assert line == (
        f"skipped: {named} and 5 more, all 15 listed in {SKIPPED_LIST_NAME} in the run directory"
    )
    (tmp_path / "run").mkdir()
    written = src.write_skipped_list(tmp_path / "run")
    assert written == tmp_path / "run" / SKIPPED_LIST_NAME
    rows = written.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "path\treason"
    assert rows[1:] == [f"bad{i:02d}.png\tempty file" for i in range(15)]


def test_nothing_skipped_writes_no_list(tmp_path: Path) -> None:
    _save(tmp_path / "flat" / "good.png", Image.new("RGB", (8, 8), RED))
    assert _build(tmp_path / "flat").write_skipped_list(tmp_path) is None
    assert not (tmp_path / SKIPPED_LIST_NAME).exists()


def _text_as_png(folder: Path) -> None:
    (folder / "notes.png").write_text("a text file named .png")


def _only_text(folder: Path) -> None:
    (folder / "readme.txt").write_text("not an image")


def _truncated_and_empty(folder: Path) -> None:
    (folder / "t.jpg").write_bytes(_encoded(_noise_rgb(64), "JPEG")[:700])
    (folder / "e.png").write_bytes(b"")


@pytest.mark.parametrize(
    ("fill", "why"),
    [
        (lambda f: None, "no usable image in dog/ (it holds no image file)"),
        (_only_text, "no usable image in dog/ (it holds no image file)"),
        (_text_as_png, "no usable image in dog/ (1 image file skipped)"),
        (_truncated_and_empty, "no usable image in dog/ (2 image files skipped)"),
    ],
    ids=["empty", "only-text", "text-named-png", "truncated-and-empty"],
)
def test_class_folder_without_usable_image_is_named_as_dropped(
    tmp_path: Path, fill, why: str
) -> None:
    root = tmp_path / "pets"
    _save(root / "cat" / "a.png", Image.new("RGB", (8, 8), RED))
    (root / "dog").mkdir()
    fill(root / "dog")
    src = _build(root, image_size=8)
    assert src.spec.class_names == ("cat",)
    assert src.dropped == [("dog", why)]
    assert f"class 'dog' dropped: {why}" in src.summary().splitlines()
    assert "(1 class folder dropped)" in src.summary().splitlines()[0]


def test_class_folder_never_read_under_the_size_cap_says_so(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        _save(tmp_path / "root" / name / "0.png", Image.new("RGB", (8, 8), RED))
    src = _build(tmp_path / "root", size=2, image_size=8)
    assert src.spec.class_names == ("a", "b")
    assert src.dropped == [("c", "data.size = 2 images were loaded before any image of c/")]


def test_loose_images_beside_class_folders_are_named(tmp_path: Path) -> None:
    root = tmp_path / "root"
    _save(root / "cat" / "a.png", Image.new("RGB", (8, 8), RED))
    _save(root / "stray.png", Image.new("RGB", (8, 8), BLUE))
    src = _build(root, channels=3, image_size=8)
    assert src.skipped_files == [("stray.png", LOOSE)]
    assert "skipped: stray.png (not in a class folder)" in src.summary().splitlines()


def test_decoder_warnings_are_one_line_not_one_warning_per_image(tmp_path: Path) -> None:
    # EXIF whose orientation tag points past its end: PIL warns, the picture is fine.
    bad_exif = (
        b"Exif\x00\x00MM\x00*\x00\x00\x00\x08"  # big-endian TIFF header
        b"\x00\x01\x01\x12\x00\x07\x00\x00\xff\xff\x00\x00\x00\x00"  # tag 274: 65535 bytes
    )
    for i in range(3):
        _save(tmp_path / "flat" / f"{i}.jpg", Image.new("RGB", (8, 8), RED), exif=bad_exif)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        src = _build(tmp_path / "flat", channels=3, image_size=8)
    assert len(src.images) == 3
    assert [p.name for p, _ in src.warned] == ["0.jpg", "1.jpg", "2.jpg"]
    lines = src.summary().splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("decoder warnings for 3 images (loaded all the same): 0.jpg (")
    assert "Corrupt EXIF data" in lines[1]


def test_folder_with_only_bad_images_names_them(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "a.png").write_bytes(b"")
    (tmp_path / "bad" / "b.jpg").write_bytes(b"garbage")
    with pytest.raises(DataError) as err:
        _build(tmp_path / "bad")
    assert str(err.value).endswith("a.png (empty file), b.jpg (unreadable)")
