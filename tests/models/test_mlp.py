"""The mlp family: sizes, the single-linear-map case, activations, GAN Lab's presets."""

from __future__ import annotations

import dataclasses

import pytest
import torch
from torch import nn

from ganlab.kernel.config import ModelConfig
from ganlab.kernel.contracts import DataSpec
from ganlab.kernel.errors import ConfigError
from ganlab.models import mlp
from ganlab.models.base import ACTIVATIONS

TOY2D = DataSpec("toy2d", (2,))
SMALL = ModelConfig(g_hidden=8, d_hidden=8, g_layers=2, d_layers=2)


def _linears(net: nn.Module) -> list[nn.Linear]:
    return [m for m in net.modules() if isinstance(m, nn.Linear)]


def test_hidden_layers_have_the_configured_count_and_width():
    cfg = ModelConfig(g_hidden=16, g_layers=3, d_hidden=12, d_layers=1)
    G, D = mlp.build(cfg, TOY2D, latent_dim=5)
    assert [(m.in_features, m.out_features) for m in _linears(G)] == [
        (5, 16),
        (16, 16),
        (16, 16),
        (16, 2),
    ]
    assert [(m.in_features, m.out_features) for m in _linears(D)] == [(2, 12), (12, 1)]


def test_zero_generator_layers_make_a_single_linear_map():
    G, _ = mlp.build(dataclasses.replace(SMALL, g_layers=0), TOY2D, latent_dim=2)
    assert len(_linears(G)) == 1
    z1, z2 = torch.randn(4, 2), torch.randn(4, 2)
    torch.testing.assert_close(G(0.3 * z1 + 0.7 * z2), 0.3 * G(z1) + 0.7 * G(z2))


def test_zero_discriminator_layers_make_logistic_regression():
    _, D = mlp.build(dataclasses.replace(SMALL, d_layers=0), TOY2D, latent_dim=2)
    assert [(m.in_features, m.out_features) for m in _linears(D)] == [(2, 1)]


def test_toy_generator_output_is_not_squashed():
    G, _ = mlp.build(SMALL, TOY2D, latent_dim=2)
    torch.manual_seed(0)
    assert G(1000 * torch.randn(64, 2)).abs().max() > 1.0


def test_image_generator_reshapes_to_channels_height_width():
    spec = DataSpec("image", (1, 12, 10))  # any size works for the MLP
    G, D = mlp.build(SMALL, spec, latent_dim=2)
    x = G(torch.randn(3, 2))
    assert x.shape == (3, 1, 12, 10)
    assert D(x).shape == (3,)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_hidden_layers_use_the_configured_activation(activation):
    G, D = mlp.build(dataclasses.replace(SMALL, activation=activation), TOY2D, latent_dim=2)
    expected = type(ACTIVATIONS[activation]())
    for net in (G, D):
        assert isinstance(net.net.act1, expected)
        assert isinstance(net.net.act2, expected)


def test_unknown_activation_names_the_config_key():
    with pytest.raises(ConfigError) as info:
        mlp.build(dataclasses.replace(SMALL, activation="swish"), TOY2D, latent_dim=2)
    assert info.value.key == "model.activation"


def test_weights_follow_ganlab_lecun_normal_initialisation():
    torch.manual_seed(0)
    G, _ = mlp.build(ModelConfig(g_hidden=256, g_layers=2), TOY2D, latent_dim=2)
    fc2 = G.net.fc2
    assert fc2.weight.std().item() == pytest.approx(1 / 16, rel=0.05)  # 1 / sqrt(256)
    assert torch.count_nonzero(fc2.bias) == 0


@pytest.mark.parametrize("preset", list(mlp.MLP_SIZES))
def test_size_presets_are_valid_model_config_fields(preset):
    cfg = dataclasses.replace(ModelConfig(), **mlp.MLP_SIZES[preset])
    G, D = mlp.build(cfg, TOY2D, latent_dim=2)
    assert len(_linears(G)) == cfg.g_layers + 1
    assert len(_linears(D)) == cfg.d_layers + 1


def test_ganlab_preset_builds_ganlabs_two_by_eight_networks():
    cfg = dataclasses.replace(ModelConfig(), **mlp.MLP_SIZES["ganlab"])
    G, D = mlp.build(cfg, TOY2D, latent_dim=2)
    assert [m.out_features for m in _linears(G)] == [8, 8, 2]
    assert [m.out_features for m in _linears(D)] == [8, 8, 1]
