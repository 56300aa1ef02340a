"""The dcgan family: the DCGAN design rules, supported sizes and initialisation."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from ganlab.kernel.config import ModelConfig
from ganlab.kernel.contracts import DataSpec
from ganlab.kernel.errors import ConfigError
from ganlab.models import dcgan

GRAY28 = DataSpec("image", (1, 28, 28))
RGB64 = DataSpec("image", (3, 64, 64))
SMALL = ModelConfig(base_channels=8)


@pytest.mark.parametrize("side", [16, 48, 128])
def test_unsupported_image_size_names_the_image_size_key(side):
    with pytest.raises(ConfigError) as info:
        dcgan.build(SMALL, DataSpec("image", (1, side, side)), latent_dim=4)
    assert info.value.key == "data.image_size"
    assert all(str(s) in str(info.value) for s in (28, 32, 64))


def test_non_square_images_are_refused():
    with pytest.raises(ConfigError) as info:
        dcgan.build(SMALL, DataSpec("image", (1, 28, 32)), latent_dim=4)
    assert info.value.key == "data.image_size"


def test_toy_data_is_refused_naming_the_family_key():
    with pytest.raises(ConfigError) as info:
        dcgan.build(SMALL, DataSpec("toy2d", (2,)), latent_dim=4)
    assert info.value.key == "model.family"


@pytest.mark.parametrize("spec", [GRAY28, RGB64], ids=["28", "64"])
def test_no_pooling_and_no_fully_connected_layers(spec):
    G, D = dcgan.build(SMALL, spec, latent_dim=4)
    for net in (G, D):
        kinds = {type(m) for m in net.modules()}
        assert not kinds & {nn.Linear, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d}


def test_discriminator_downsamples_with_stride_two_convolutions():
    _, D = dcgan.build(SMALL, RGB64, latent_dim=4)
    strided = [m for m in D.net.modules() if isinstance(m, nn.Conv2d)]
    assert len(strided) == 4  # 64 -> 32 -> 16 -> 8 -> 4
    assert all(m.stride == (2, 2) for m in strided)


def test_generator_upsamples_with_transposed_convolutions():
    G, _ = dcgan.build(SMALL, RGB64, latent_dim=4)
    convs = [m for m in G.modules() if isinstance(m, nn.Conv2d | nn.ConvTranspose2d)]
    assert all(isinstance(m, nn.ConvTranspose2d) for m in convs)


def test_generator_has_batchnorm_after_every_layer_but_the_output():
    G, _ = dcgan.build(SMALL, RGB64, latent_dim=4)
    names = list(G.net._modules)
    convs = [n for n in names if n.startswith("convt")]
    assert all(f"bn{n[len('convt') :]}" in names for n in convs)
    assert not isinstance(G.out, nn.BatchNorm2d)
    assert sum(isinstance(m, nn.BatchNorm2d) for m in G.modules()) == len(convs)


def test_discriminator_has_batchnorm_on_every_layer_but_the_first():
    _, D = dcgan.build(SMALL, RGB64, latent_dim=4)
    names = list(D.net._modules)
    assert "bn1" not in names
    assert {"bn2", "bn3", "bn4"} <= set(names)


def test_spectral_norm_on_discriminator_replaces_its_batchnorm():
    _, D = dcgan.build(ModelConfig(base_channels=8, spectral_norm_d=True), RGB64, latent_dim=4)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in D.modules())


def test_activations_are_relu_in_g_and_leaky_relu_in_d():
    G, D = dcgan.build(SMALL, GRAY28, latent_dim=4)
    assert all(isinstance(m, nn.ReLU) for n, m in G.net.named_children() if n.startswith("act"))
    leaky = [m for n, m in D.net.named_children() if n.startswith("act")]
    assert leaky
    assert all(isinstance(m, nn.LeakyReLU) and m.negative_slope == 0.2 for m in leaky)


@pytest.mark.parametrize("side", [28, 32, 64])
def test_base_channels_is_the_width_of_the_widest_layer(side):
    spec = DataSpec("image", (1, side, side))
    G, D = dcgan.build(ModelConfig(base_channels=32), spec, latent_dim=4)
    g_widths = [m.out_channels for m in G.net.modules() if isinstance(m, nn.ConvTranspose2d)]
    d_widths = [m.out_channels for m in D.net.modules() if isinstance(m, nn.Conv2d)]
    assert g_widths[0] == max(g_widths) == 32
    assert d_widths[-1] == max(d_widths) == 32


def test_initial_weights_are_normal_with_std_0_02():
    torch.manual_seed(0)
    G, D = dcgan.build(ModelConfig(base_channels=64), DataSpec("image", (3, 32, 32)), 16)
    for net in (G, D):
        weights = torch.cat(
            [
                m.weight.detach().flatten()
                for m in net.modules()
                if isinstance(m, nn.Conv2d | nn.ConvTranspose2d)
            ]
        )
        assert weights.mean().item() == pytest.approx(0.0, abs=1e-3)
        assert weights.std().item() == pytest.approx(0.02, rel=0.05)


def test_initial_batchnorm_scale_is_normal_around_one_and_shift_zero():
    torch.manual_seed(0)
    G, D = dcgan.build(ModelConfig(base_channels=512), GRAY28, latent_dim=4)
    bns = [m for net in (G, D) for m in net.modules() if isinstance(m, nn.BatchNorm2d)]
    scale = torch.cat([m.weight.detach() for m in bns])
    shift = torch.cat([m.bias.detach() for m in bns])
    assert scale.mean().item() == pytest.approx(1.0, abs=0.005)
    assert scale.std().item() == pytest.approx(0.02, rel=0.15)
    assert torch.count_nonzero(shift) == 0


def test_grayscale_and_rgb_images_get_their_channel_count():
    for spec in (GRAY28, RGB64):
        G, _ = dcgan.build(SMALL, spec, latent_dim=4)
        assert G(torch.randn(2, 4)).shape[1] == spec.shape[0]
