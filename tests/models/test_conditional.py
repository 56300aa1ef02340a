"""The cgan family: label conditioning of G and D, refusal of unlabelled data."""

from __future__ import annotations

import pytest
import torch

from ganlab.core.config import ModelConfig
from ganlab.core.contracts import DataSpec
from ganlab.core.errors import ConfigError
from ganlab.models import conditional

SMALL = ModelConfig(g_hidden=8, d_hidden=8, base_channels=8, embed_dim=4)


def _labelled(kind, shape, k=4):
    return DataSpec(kind, shape, num_classes=k, class_names=tuple(f"c{i}" for i in range(k)))


TOY = _labelled("toy2d", (2,))
IMAGE = _labelled("image", (1, 28, 28))


@pytest.mark.parametrize(
    "spec", [DataSpec("toy2d", (2,)), DataSpec("image", (1, 28, 28))], ids=["toy", "image"]
)
def test_unlabelled_data_is_refused_naming_the_source_key(spec):
    with pytest.raises(ConfigError) as info:
        conditional.build(SMALL, spec, latent_dim=2)
    assert info.value.key == "data.source"
    assert "cgan" in str(info.value)


@pytest.mark.parametrize("spec", [TOY, IMAGE], ids=["toy", "image"])
def test_generator_output_depends_on_the_label(spec):
    torch.manual_seed(0)
    G, _ = conditional.build(SMALL, spec, latent_dim=2)
    z = torch.randn(1, 2).repeat(spec.num_classes, 1)  # only the label tells the rows apart
    x = G(z, torch.arange(spec.num_classes)).flatten(1)
    assert torch.cdist(x, x).fill_diagonal_(1.0).min() > 1e-3


@pytest.mark.parametrize("spec", [TOY, IMAGE], ids=["toy", "image"])
def test_discriminator_output_depends_on_the_label(spec):
    torch.manual_seed(0)
    _, D = conditional.build(SMALL, spec, latent_dim=2)
    D.eval()
    x = torch.rand(1, *spec.shape).repeat(spec.num_classes, *([1] * len(spec.shape)))
    logits = D(x, torch.arange(spec.num_classes))
    assert torch.unique(logits).numel() == spec.num_classes


def test_generator_without_labels_raises_a_clear_error():
    G, _ = conditional.build(SMALL, TOY, latent_dim=2)
    with pytest.raises(ValueError, match="labels"):
        G(torch.randn(2, 2), None)


def test_image_discriminator_sees_the_label_as_one_extra_plane():
    _, D = conditional.build(SMALL, IMAGE, latent_dim=2)
    assert D.body.net.conv1.in_channels == IMAGE.shape[0] + 1
    assert D.to_plane.out_features == 28 * 28


def test_toy_inputs_are_joined_with_an_embed_dim_vector():
    G, D = conditional.build(SMALL, TOY, latent_dim=2)
    assert G.body.net.fc1.in_features == 2 + SMALL.embed_dim
    assert D.body.net.fc1.in_features == TOY.dim + SMALL.embed_dim


def test_unsupported_image_size_is_refused_with_the_family_name():
    with pytest.raises(ConfigError) as info:
        conditional.build(SMALL, _labelled("image", (1, 40, 40)), latent_dim=2)
    assert info.value.key == "data.image_size"
    assert "cgan" in str(info.value)
