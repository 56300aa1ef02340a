"""Paired image sources (ganlab.data.pairs): procedural shapes pairs and pair folders."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from ganlab.data import pairs
from ganlab.kernel.config import DataConfig
from ganlab.kernel.errors import DataError
from ganlab.kernel.registry import DATA_SOURCES


def _build(source: str, **data: object) -> pairs.PairSource:
    config = DataConfig(source=source, image_size=16, channels=3, size=120, **data)  # type: ignore[arg-type]
    return DATA_SOURCES.get(source).build(config)


def _bbox(mask: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return rows[0], rows[-1], cols[0], cols[-1]


def test_edges_pairs_are_the_outline_and_the_fill_of_the_same_shape():
    source = _build("shapes_edges")
    assert source.spec.kind == "paired"
    assert source.spec.shape == (2, 3, 16, 16)
    assert source.spec.domains == ("outline", "filled shape")

    def gap(x: tuple[int, ...], y: tuple[int, ...]) -> int:
        return max(abs(p - q) for p, q in zip(x, y, strict=True))

    boxes_a, boxes_b = [], []
    for a, b in source.pairs[:40].numpy():
        assert (a[0] == a[1]).all()
        assert (a[1] == a[2]).all()
        boxes_a.append(_bbox(a[0] > 127))
        boxes_b.append(_bbox(b.max(axis=0) > 60))
    # The outline runs along the fill's edge (it straddles it: up to 2 px wider) ...
    assert all(gap(x, y) <= 2 for x, y in zip(boxes_a, boxes_b, strict=True))
    # ... and not along the next pair's: the alignment says something.
    shifted = [gap(x, y) > 2 for x, y in zip(boxes_a, boxes_b[1:] + boxes_b[:1], strict=True)]
    assert sum(shifted) > 30


def test_colorize_pairs_are_the_gray_and_the_colour_image():
    source = _build("shapes_colorize")
    a = source.pairs[:, 0].double()
    b = source.pairs[:, 1].double()
    luma = 0.299 * b[:, 0] + 0.587 * b[:, 1] + 0.114 * b[:, 2]
    assert (a[:, 0] - luma).abs().max() <= 1.5  # rounding of both to uint8
    assert torch.equal(a[:, 0], a[:, 2])
    assert (b[:, 0] != b[:, 1]).any()  # B has colour


def test_colorize_is_rgb_whatever_the_channels_setting():
    source = DATA_SOURCES.get("shapes_colorize").build(
        DataConfig(source="shapes_colorize", image_size=16, channels=1, size=10)
    )
    assert source.spec.shape == (2, 3, 16, 16)


@pytest.mark.parametrize("name", ["shapes_edges", "shapes_colorize"])
def test_held_out_pairs_are_fixed_and_never_sampled(name):
    source = _build(name)
    held = source.held_out(pairs.HELD_OUT)
    assert held is not None
    assert held.shape == (pairs.HELD_OUT, 2, 3, 16, 16)
    assert torch.equal(held, source.held_out(pairs.HELD_OUT))
    assert torch.equal(source.held_out(5), held[:5])
    train = {bytes(p) for p in source.pairs.numpy()}
    kept = {bytes(p) for p in source.held.numpy()}
    assert not train & kept
    drawn, labels = source.sample(2000, torch.Generator().manual_seed(0))
    assert labels is None
    drawn_u8 = ((drawn + 1) * 127.5).round().to(torch.uint8).numpy()
    assert not {bytes(p) for p in drawn_u8} & kept
    assert drawn.min() >= -1
    assert drawn.max() <= 1


def test_a_procedural_set_is_the_same_on_every_build():
    assert torch.equal(_build("shapes_edges").pairs, _build("shapes_edges").pairs)


def test_mean_target_is_the_mean_training_b():
    source = _build("shapes_edges")
    expected = source.pairs[:, 1].double().mean(dim=0) / 127.5 - 1
    torch.testing.assert_close(source.mean_target().double(), expected, atol=1e-6, rtol=0)


# --------------------------------------------------------------------------- folders

RED, BLUE, GREEN, WHITE = (255, 0, 0), (0, 0, 255), (0, 255, 0), (255, 255, 255)


def _save(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (8, 8)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)


def _save_ab(path: Path, left: tuple[int, int, int], right: tuple[int, int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (16, 8), left)
    image.paste(Image.new("RGB", (8, 8), right), (8, 0))
    image.save(path)


def _folder(path: Path, size: int = 0) -> pairs.PairFolderSource:
    config = DataConfig(
        source="pix2pix_folder", path=str(path), image_size=8, channels=3, size=size
    )
    source = DATA_SOURCES.get("pix2pix_folder").build(config)
    assert isinstance(source, pairs.PairFolderSource)
    return source


def _colours(x: torch.Tensor) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    """(A colour, B colour) of each uint8 pair (N, 2, 3, H, W), read at the centre."""
    return {(tuple(p[0, :, 4, 4].tolist()), tuple(p[1, :, 4, 4].tolist())) for p in x}


def test_side_by_side_files_split_into_a_and_b_with_val_held_out(tmp_path):
    for i in range(3):
        _save_ab(tmp_path / "train" / f"{i}.png", RED, BLUE)
    _save_ab(tmp_path / "val" / "v.png", GREEN, WHITE)
    source = _folder(tmp_path)
    assert source.spec.shape == (2, 3, 8, 8)
    assert len(source) == 3
    assert _colours(source.pairs) == {(RED, BLUE)}
    assert _colours(source.held) == {(GREEN, WHITE)}
    assert source.held_from == "val"
    assert "val/" in source.summary()


def test_a_and_b_folders_pair_files_by_name(tmp_path):
    _save(tmp_path / "A" / "x.png", RED)
    _save(tmp_path / "B" / "x.png", BLUE)
    _save(tmp_path / "A" / "z.png", BLUE)
    _save(tmp_path / "B" / "z.png", RED)
    _save(tmp_path / "A" / "y.png", GREEN)
    _save(tmp_path / "B" / "y.jpg", WHITE)  # the same name with another extension
    _save(tmp_path / "A" / "lonely.png", RED)
    _save(tmp_path / "A" / "val" / "v.png", WHITE)
    _save(tmp_path / "B" / "val" / "v.png", GREEN)
    source = _folder(tmp_path)
    assert len(source) == 3
    assert {(RED, BLUE), (BLUE, RED)} <= _colours(source.pairs)  # JPEG colours are inexact
    assert _colours(source.held) == {(WHITE, GREEN)}
    assert [(p.name, why) for p, why in source.unmatched] == [("lonely.png", pairs.NO_PARTNER_IN_B)]
    assert "A/lonely.png" in source.summary()


def test_without_a_val_folder_a_fixed_share_is_held_out(tmp_path):
    for i in range(20):
        _save_ab(tmp_path / f"{i:02d}.png", (i * 10, 0, 0), BLUE)
    first, second = _folder(tmp_path), _folder(tmp_path)
    assert len(first.held) == 2
    assert len(first) == 18
    assert torch.equal(first.held, second.held)
    assert not {bytes(p) for p in first.held.numpy()} & {bytes(p) for p in first.pairs.numpy()}


def test_bad_files_are_skipped_and_named_with_their_reason(tmp_path):
    for i in range(3):
        _save_ab(tmp_path / f"{i}.png", RED, BLUE)
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "broken.jpg").write_bytes(b"not an image at all")
    _save(tmp_path / "tall.png", RED, size=(8, 16))
    (tmp_path / "notes.txt").write_text("ignored, not an image file")
    source = _folder(tmp_path)
    reasons = dict(source.skipped_files)
    assert reasons == {
        "broken.jpg": "unreadable",
        "empty.png": "empty file",
        "tall.png": "not two images side by side (narrower than tall)",
    }
    summary = source.summary()
    for name in reasons:
        assert name in summary
    assert source.skipped_list_text().splitlines()[0] == "path\treason"


def test_a_folder_without_pairs_is_refused_with_the_layouts(tmp_path):
    (tmp_path / "empty.png").write_bytes(b"")
    with pytest.raises(DataError) as info:
        _folder(tmp_path)
    message = str(info.value)
    assert str(tmp_path) in message
    assert "empty.png" in message
    assert "A/ and B/" in message


def test_a_and_b_folders_without_matching_names_are_refused_listing_them(tmp_path):
    _save(tmp_path / "A" / "x.png", RED)
    _save(tmp_path / "B" / "y.png", BLUE)
    with pytest.raises(DataError) as info:
        _folder(tmp_path)
    message = str(info.value)
    assert "A/x.png (no file of that name in B/)" in message
    assert "B/y.png (no file of that name in A/)" in message


@pytest.mark.parametrize(("have", "missing"), [("A", "B"), ("B", "A")])
def test_half_of_the_two_folder_layout_is_refused_naming_the_missing_folder(
    tmp_path, have, missing
):
    _save(tmp_path / have / "x.png", RED)  # 32 x 32: would pass as a side-by-side file
    with pytest.raises(DataError) as info:
        _folder(tmp_path)
    message = str(info.value)
    assert f"has a {have}/ folder but no {missing}/" in message
    assert "same file name" in message


def test_a_folder_with_few_pairs_says_what_the_held_out_measures_rest_on(tmp_path):
    for i in range(3):
        _save_ab(tmp_path / f"{i}.png", RED, BLUE)
    summary = _folder(tmp_path).summary()
    assert "2 training pairs, 1 held out" in summary
    assert "only 1 held-out image" in summary


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(DataError, match="not a folder"):
        _folder(tmp_path / "nowhere")
