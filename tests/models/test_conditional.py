"""The cgan family: label conditioning of G and D, refusal of unlabelled data."""

from __future__ import annotations

import pytest
import torch

from ganlab.kernel.config import ModelConfig
from ganlab.kernel.contracts import DataSpec
from ganlab.kernel.errors import ConfigError
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


def test_image_discriminator_is_a_projection_discriminator():
    # Miyato & Koyama 2018: D(x, y) = out(h) + <embed(y), sum-pooled h>.
    _, D = conditional.build(SMALL, IMAGE, latent_dim=2)
    assert isinstance(D, conditional.ProjectionDiscriminator)
    assert D.body.net.conv1.in_channels == IMAGE.shape[0]  # no label plane
    h = D.body.features(torch.rand(2, *IMAGE.shape))
    assert D.embed.weight.shape == (IMAGE.num_classes, h.shape[1])
    with torch.no_grad():
        D.embed.weight[0].zero_()
    D.eval()
    x = torch.rand(1, *IMAGE.shape).repeat(2, 1, 1, 1)
    logits = D(x, torch.tensor([0, 1]))
    h = D.body.features(x[:1]).sum(dim=(2, 3)).flatten()
    expected = D.body.out(D.body.features(x[:1])).flatten() + (D.embed.weight[1] * h).sum()
    torch.testing.assert_close(logits[1:], expected)
    torch.testing.assert_close(logits[0], D.body.out(D.body.features(x[:1])).flatten()[0])


@pytest.mark.parametrize("family", ["cgan", "acgan"])
@pytest.mark.parametrize("shape", [(1, 28, 28), (3, 32, 32)], ids=["gray28", "rgb32"])
def test_image_generator_takes_the_label_through_conditional_batchnorm(family, shape):
    # z alone enters the first layer; every BatchNorm's scale and shift come from y, so
    # the label cannot crowd z out of the normalised activations.
    from ganlab.models import acgan

    spec = _labelled("image", shape)
    build = conditional.build if family == "cgan" else acgan.build
    G, _ = build(SMALL, spec, latent_dim=3)
    assert isinstance(G, conditional.ConditionalDCGANGenerator)
    assert G.net.convt1.in_channels == 3
    bns = [m for m in G.net if isinstance(m, conditional.ConditionalBatchNorm2d)]
    assert len(bns) >= 2
    assert not any(isinstance(m, torch.nn.BatchNorm2d) and m.affine for m in G.modules())
    torch.manual_seed(0)
    with torch.no_grad():
        for bn in bns:
            bn.beta.weight.normal_()
    z = torch.randn(4, 3)
    a = G(z, torch.zeros(4, dtype=torch.long))
    b = G(z, torch.ones(4, dtype=torch.long))
    assert a.shape == (4, *shape)
    assert (a - b).abs().max() > 1e-3  # the label changes the images
    assert (a[0] - a[1]).abs().max() > 1e-3  # and so does z, for one label


def test_toy_inputs_are_joined_with_an_embed_dim_vector():
    G, D = conditional.build(SMALL, TOY, latent_dim=2)
    assert G.body.net.fc1.in_features == 2 + SMALL.embed_dim
    assert D.body.net.fc1.in_features == TOY.dim + SMALL.embed_dim


def test_unsupported_image_size_is_refused_with_the_family_name():
    with pytest.raises(ConfigError) as info:
        conditional.build(SMALL, _labelled("image", (1, 40, 40)), latent_dim=2)
    assert info.value.key == "data.image_size"
    assert "cgan" in str(info.value)
