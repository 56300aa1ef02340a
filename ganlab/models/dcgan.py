"""The ``dcgan`` model family: the convolutional GAN of Radford et al. (2016).

Runs in whichever thread builds the models (the trainer thread in the window). No Qt.

The DCGAN design rules, as the course states them:

* strided convolutions in D and fractionally-strided (transposed) ones in G, no pooling;
* BatchNorm in G (all layers but the output) and in D (all layers but the first);
* no fully connected hidden layers: z is projected to a ``k x k`` map by a transposed
  convolution applied to ``z`` seen as a ``1 x 1`` image, and D ends with a convolution
  over its last ``k x k`` map;
* ReLU in G with a ``tanh`` output, LeakyReLU(0.2) in D;
* weights ~ N(0, 0.02), BatchNorm scale ~ N(1, 0.02) and shift 0.

``base_channels`` is the number of feature maps of the widest layer (G's first, D's last);
each layer towards the image halves it. With spectral normalisation on D, D has no
BatchNorm: SN takes its place (as in SN-GAN), and BatchNorm would make the gradient
penalty ill-defined anyway.

Sizes: 28 px (7 -> 14 -> 28), 32 px (4 -> 8 -> 16 -> 32) and 64 px
(4 -> 8 -> 16 -> 32 -> 64); gray or RGB.
"""

from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn

from ganlab.kernel.config import ModelConfig
from ganlab.kernel.contracts import DataSpec
from ganlab.kernel.errors import ConfigError
from ganlab.kernel.i18n import _
from ganlab.models.base import LEAKY_SLOPE, finish_pair, init_dcgan_, require_kind
from ganlab.models.catalogue import DCGAN as FAMILY

NAME = FAMILY.name  # the declaration in ganlab.models.catalogue
DATA_KINDS = FAMILY.data_kinds

# Image side (px) -> (side of the smallest feature map, number of stride-2 layers).
SIZES: dict[int, tuple[int, int]] = {28: (7, 2), 32: (4, 3), 64: (4, 4)}

_KERNEL, _STRIDE, _PADDING = 4, 2, 1  # each stride-2 layer doubles / halves the side


def check_image_shape(spec: DataSpec, family_name: str) -> tuple[int, int]:
    """Return ``(channels, side)`` of ``spec``'s images, or raise a ConfigError.

    Raises
    ------
    ConfigError
        Key ``data.image_size`` when the images are not square with a supported side.
    """
    require_kind(spec, family_name, DATA_KINDS)
    channels, height, width = spec.shape
    if height != width or height not in SIZES:
        allowed = ", ".join(str(s) for s in SIZES)
        raise ConfigError(
            _(
                "model family '{family}' builds square images of {allowed} pixels; "
                "this data is {size}. Set data.image_size to one of {allowed}."
            ).format(family=family_name, allowed=allowed, size=f"{height}x{width}"),
            key="data.image_size",
        )
    return channels, height


def _widths(base_channels: int, n_layers: int) -> list[int]:
    """Feature maps per layer, widest first, halving each layer (never below 1)."""
    return [max(1, base_channels >> i) for i in range(n_layers)]


class DCGANGenerator(nn.Module):
    """Transposed-convolution generator ``(N, in_dim) -> (N, C, side, side)`` in [-1, 1].

    Parameters
    ----------
    in_dim
        Size of G's input: the latent size (plus the label embedding for cgan / acgan).
    channels, side
        Shape of the images it makes.
    base_channels
        Feature maps of the first (widest) layer.
    """

    def __init__(self, in_dim: int, channels: int, side: int, base_channels: int):
        super().__init__()
        start, n_up = SIZES[side]
        widths = _widths(base_channels, n_up)
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        # Layer 1 projects z (a 1 x 1 image) to a start x start map: the "project and
        # reshape" of the paper, done as a convolution.
        layers["convt1"] = nn.ConvTranspose2d(in_dim, widths[0], start, 1, 0, bias=False)
        layers["bn1"] = nn.BatchNorm2d(widths[0])
        layers["act1"] = nn.ReLU()
        for i in range(1, n_up):
            layers[f"convt{i + 1}"] = nn.ConvTranspose2d(
                widths[i - 1], widths[i], _KERNEL, _STRIDE, _PADDING, bias=False
            )
            layers[f"bn{i + 1}"] = nn.BatchNorm2d(widths[i])
            layers[f"act{i + 1}"] = nn.ReLU()
        self.net = nn.Sequential(layers)
        self.out = nn.ConvTranspose2d(widths[-1], channels, _KERNEL, _STRIDE, _PADDING)
        self.apply(init_dcgan_)

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return torch.tanh(self.out(self.net(z.view(z.shape[0], -1, 1, 1))))


class DCGANDiscriminator(nn.Module):
    """Strided-convolution discriminator ``(N, C, side, side) -> (N,)`` logits.

    Follows :class:`ganlab.models.base.DiscriminatorBody`: ``features`` ends with the
    ``base_channels x k x k`` map, ``out`` is a ``k x k`` convolution to one logit.

    Parameters
    ----------
    channels, side
        Shape of the images it judges (cgan adds a label plane to ``channels``).
    base_channels
        Feature maps of the last (widest) layer.
    batch_norm
        BatchNorm after every convolution but the first; off under spectral norm.
    """

    def __init__(self, channels: int, side: int, base_channels: int, *, batch_norm: bool = True):
        super().__init__()
        end, n_down = SIZES[side]
        widths = _widths(base_channels, n_down)[::-1]  # narrowest first
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        width = channels
        for i, w in enumerate(widths, start=1):
            use_bn = batch_norm and i > 1
            layers[f"conv{i}"] = nn.Conv2d(width, w, _KERNEL, _STRIDE, _PADDING, bias=not use_bn)
            if use_bn:
                layers[f"bn{i}"] = nn.BatchNorm2d(w)
            layers[f"act{i}"] = nn.LeakyReLU(LEAKY_SLOPE)
            width = w
        self.net = nn.Sequential(layers)
        self.feature_channels = width
        self.feature_side = end
        self.out = self.make_head(1)
        self.apply(init_dcgan_)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)

    def make_head(self, n_out: int) -> nn.Module:
        head = nn.Conv2d(self.feature_channels, n_out, self.feature_side, 1, 0)
        init_dcgan_(head)
        return head

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.out(self.features(x)).flatten()


def build(model_cfg: ModelConfig, spec: DataSpec, latent_dim: int) -> tuple[nn.Module, nn.Module]:
    """Build the ``dcgan`` pair (G, D) for ``spec``; see :class:`ModelFamily`."""
    channels, side = check_image_shape(spec, NAME)
    generator = DCGANGenerator(latent_dim, channels, side, model_cfg.base_channels)
    discriminator = DCGANDiscriminator(
        channels, side, model_cfg.base_channels, batch_norm=not model_cfg.spectral_norm_d
    )
    return finish_pair(generator, discriminator, model_cfg)
