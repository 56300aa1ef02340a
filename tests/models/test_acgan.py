"""The acgan family: conditional G, two-headed D that ignores the label."""

from __future__ import annotations

import pytest
import torch

from ganlab.kernel.config import ModelConfig
from ganlab.kernel.contracts import DataSpec
from ganlab.kernel.errors import ConfigError
from ganlab.models import acgan

SMALL = ModelConfig(g_hidden=8, d_hidden=8, base_channels=8, embed_dim=4)


def _labelled(kind, shape, k=5):
    return DataSpec(kind, shape, num_classes=k, class_names=tuple(f"c{i}" for i in range(k)))


TOY = _labelled("toy2d", (2,))
IMAGE = _labelled("image", (3, 32, 32))


@pytest.mark.parametrize("spec", [TOY, IMAGE], ids=["toy", "image"])
def test_discriminator_ignores_the_label(spec):
    torch.manual_seed(0)
    _, D = acgan.build(SMALL, spec, latent_dim=2)
    D.eval()
    x = torch.rand(3, *spec.shape)
    without = D(x, None)
    with_labels = D(x, torch.tensor([0, 1, 2]))
    for a, b in zip(without, with_labels, strict=True):
        torch.testing.assert_close(a, b)


@pytest.mark.parametrize("spec", [TOY, IMAGE], ids=["toy", "image"])
def test_both_heads_share_one_body(spec):
    _, D = acgan.build(SMALL, spec, latent_dim=2)
    heads = {id(p) for p in D.body.out.parameters()} | {id(p) for p in D.classifier.parameters()}
    body = {id(p) for p in D.body.parameters()} - {id(p) for p in D.body.out.parameters()}
    assert body
    assert heads.isdisjoint(body)
    assert sum(1 for _ in D.parameters()) == len(body) + len(heads)


def test_unlabelled_data_is_refused_naming_the_source_key():
    with pytest.raises(ConfigError) as info:
        acgan.build(SMALL, DataSpec("image", (3, 32, 32)), latent_dim=2)
    assert info.value.key == "data.source"
    assert "acgan" in str(info.value)


def test_generator_output_depends_on_the_label():
    torch.manual_seed(0)
    G, _ = acgan.build(SMALL, IMAGE, latent_dim=2)
    z = torch.randn(1, 2).repeat(2, 1)  # one z twice: only the label can tell them apart
    a, b = G(z, torch.tensor([0, 1]))
    assert (a - b).abs().max() > 1e-3
