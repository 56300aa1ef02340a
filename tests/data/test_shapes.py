"""The bundled offline image set ``shapes``."""

from __future__ import annotations

import pytest
import torch

from ganlab.data.shapes import DEFAULT_SIZE, SHAPE_CLASSES, generate_shapes
from ganlab.kernel.config import DataConfig
from ganlab.kernel.registry import DATA_SOURCES


def _build(**overrides):
    return DATA_SOURCES.get("shapes").build(DataConfig(source="shapes", **overrides))


def test_generation_is_deterministic() -> None:
    first_images, first_labels = generate_shapes(600, 28, 3)
    second_images, second_labels = generate_shapes(600, 28, 3)
    assert torch.equal(first_images, second_images)
    assert torch.equal(first_labels, second_labels)


def test_gray_and_colour_sets_have_the_same_shapes() -> None:
    gray, gray_labels = generate_shapes(300, 28, 1)
    colour, colour_labels = generate_shapes(300, 28, 3)
    assert torch.equal(gray_labels, colour_labels)
    # Same geometry: the lit pixels agree up to the faintest antialiased edge pixels.
    gray_mask, colour_mask = gray[:, 0] > 0, colour.amax(dim=1) > 0
    iou = (gray_mask & colour_mask).sum() / (gray_mask | colour_mask).sum()
    assert iou.item() > 0.97


def test_classes_are_balanced() -> None:
    _, labels = generate_shapes(1003, 28, 1)
    counts = torch.bincount(labels, minlength=len(SHAPE_CLASSES))
    assert counts.max() - counts.min() <= 1
    assert counts.sum() == 1003


def test_default_set_has_the_default_size_as_uint8() -> None:
    images, _ = generate_shapes(DEFAULT_SIZE, 28, 1)
    assert images.shape == (DEFAULT_SIZE, 1, 28, 28)
    assert images.dtype == torch.uint8


def test_every_image_has_a_shape_on_a_black_background() -> None:
    images, _ = generate_shapes(600, 28, 1)
    lit = (images > 127).flatten(1).sum(dim=1)
    assert lit.min() >= 10  # at least a few bright pixels (the smallest bar is ~3x11)
    corners = images[:, 0, [0, 0, -1, -1], [0, -1, 0, -1]]
    assert (corners == 0).all()


def test_classes_look_different_from_each_other() -> None:
    images, labels = generate_shapes(1200, 28, 1)
    means = torch.stack([images[labels == k].float().mean(dim=0) for k in range(6)])
    distance = torch.cdist(means.flatten(1), means.flatten(1))
    off_diagonal = distance[~torch.eye(6, dtype=torch.bool)]
    assert off_diagonal.min() > 100  # in uint8 units over 784 pixels


def test_ring_has_a_hole_and_circle_does_not() -> None:
    images, labels = generate_shapes(600, 64, 1)
    ring, circle = SHAPE_CLASSES.index("ring"), SHAPE_CLASSES.index("circle")
    # The shape centre is where the hole of a ring is. Find it from the lit pixels.
    for k, hollow in ((ring, True), (circle, False)):
        for img in images[labels == k][:20, 0]:
            ys, xs = torch.nonzero(img > 127, as_tuple=True)
            centre = img[int(ys.float().mean().round()), int(xs.float().mean().round())]
            assert (centre < 64) == hollow


@pytest.mark.parametrize(("channels", "size"), [(1, 28), (3, 32), (1, 17), (3, 64)])
def test_samples_have_configured_shape_and_range(channels: int, size: int) -> None:
    src = _build(channels=channels, image_size=size, size=120)
    x, y = src.sample(64, torch.Generator().manual_seed(0))
    assert x.shape == (64, channels, size, size)
    assert x.dtype == torch.float32
    assert x.min().item() == -1.0
    assert x.max().item() <= 1.0
    assert y.dtype == torch.int64
    assert y.min() >= 0
    assert y.max() < len(SHAPE_CLASSES)


def test_colour_set_has_coloured_pixels() -> None:
    images, _ = generate_shapes(100, 28, 3)
    assert (images.amax(dim=1).int() - images.amin(dim=1).int()).max() > 100


def test_spec_lists_the_shape_classes() -> None:
    src = _build(size=60)
    assert src.spec.kind == "image"
    assert src.spec.class_names == SHAPE_CLASSES
    assert src.spec.num_classes == len(SHAPE_CLASSES)


def test_size_sets_the_number_of_images() -> None:
    assert len(_build(size=90).images) == 90
    assert len(_build().images) == DEFAULT_SIZE


def test_sampling_is_deterministic_for_a_seed() -> None:
    src = _build(size=300)
    x1, y1 = src.sample(32, torch.Generator().manual_seed(4))
    x2, y2 = src.sample(32, torch.Generator().manual_seed(4))
    assert torch.equal(x1, x2)
    assert torch.equal(y1, y2)


def test_summary_names_count_and_classes() -> None:
    text = _build(size=60).summary()
    assert "60" in text
    assert "circle" in text
    assert "\n" not in text
