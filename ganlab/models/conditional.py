"""The ``cgan`` model family (conditional GAN, Mirza & Osindero 2014), and the label
conditioning it shares with ``acgan``.

Runs in whichever thread builds the models (the trainer thread in the window). No Qt.

Both nets see the label through a learned embedding of ``model.embed_dim`` values:

* G: the embedding is concatenated to ``z``, and an unconditional body (MLP for toy data,
  DCGAN for images) maps the joint vector to a sample.
* D, toy data: the embedding is concatenated to the sample vector.
* D, images: the embedding is projected by a linear layer to one extra ``H x W`` plane,
  concatenated to the image channels.

The bodies are the ``mlp`` and ``dcgan`` modules themselves, so parameter paths read
``embed.weight``, ``body.net.fc1.weight``, ``body.out.weight``.
"""

from __future__ import annotations

import torch
from torch import nn

from ganlab.kernel.config import ModelConfig
from ganlab.kernel.contracts import DataSpec
from ganlab.models.base import finish_pair, require_kind, require_labels
from ganlab.models.catalogue import CGAN as FAMILY
from ganlab.models.dcgan import DCGANDiscriminator, DCGANGenerator, check_image_shape
from ganlab.models.mlp import MLPDiscriminator, MLPGenerator

NAME = FAMILY.name  # the declaration in ganlab.models.catalogue
DATA_KINDS = FAMILY.data_kinds


# Spread of the per-class BatchNorm shifts in G at initialisation: the label's effect on
# G's feature maps (normalised to unit variance) starts at this size, instead of growing
# from 0 at Adam's pace (about lr per step, 0.2 after 1,000 steps at 2e-4).
LABEL_SHIFT_STD = 0.5
# Initial spread of the projection discriminator's class embedding (see
# ProjectionDiscriminator); measured on shapes_cgan, seed 0: 0.02 gave 24 % agreement at
# step 2,500, 0.25 gave 76 % at step 6,000 and rising.
PROJECTION_INIT_STD = 0.25


def _need_labels(y: torch.Tensor | None) -> torch.Tensor:
    if y is None:
        raise ValueError("a conditional model needs the labels y, got None")
    return y


class ConditionalGenerator(nn.Module):
    """``G(z, y) = body(concat(z, embed(y)))``."""

    def __init__(self, body: nn.Module, num_classes: int, embed_dim: int):
        super().__init__()
        self.embed = nn.Embedding(num_classes, embed_dim)
        self.body = body

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.body(torch.cat([z, self.embed(_need_labels(y))], dim=1))


class ConditionalBatchNorm2d(nn.Module):
    """BatchNorm whose scale and shift are chosen by the label (de Vries et al. 2017;
    as in G of Miyato & Koyama 2018): ``gamma[y] * BN(x) + beta[y]``.

    The batch statistics are those of the activations alone, which in G come from z
    only: the label cannot crowd z out of the normalised activations (with the label
    embedding joined to z, G learned to enlarge the label's share until every z gave
    the same image of a class). Scales start at 1 + N(0, 0.02), as the DCGAN
    initialisation of a plain BatchNorm; the shifts start spread by
    :data:`LABEL_SHIFT_STD` so that the label matters from the first step.
    """

    def __init__(self, channels: int, num_classes: int, shift_std: float = LABEL_SHIFT_STD):
        super().__init__()
        self.bn = nn.BatchNorm2d(channels, affine=False)
        self.gamma = nn.Embedding(num_classes, channels)
        self.beta = nn.Embedding(num_classes, channels)
        nn.init.normal_(self.gamma.weight, 1.0, 0.02)
        nn.init.normal_(self.beta.weight, 0.0, shift_std)

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        out = self.bn(x)
        return self.gamma(y)[:, :, None, None] * out + self.beta(y)[:, :, None, None]


class ConditionalDCGANGenerator(nn.Module):
    """Images: the DCGAN generator with every BatchNorm made conditional on the label.

    ``G(z, y)``: z alone enters the first transposed convolution; each ``bn{i}`` is a
    :class:`ConditionalBatchNorm2d`, so the label sets the scale and shift of every
    layer's feature maps. Same layer names and sizes as
    :class:`~ganlab.models.dcgan.DCGANGenerator` (``net.convt1``, ``net.bn1``, ...,
    ``out``); output ``(N, C, side, side)`` in [-1, 1].
    """

    def __init__(self, body: DCGANGenerator, num_classes: int, shift_std: float = LABEL_SHIFT_STD):
        super().__init__()
        for name, layer in list(body.net.named_children()):
            if isinstance(layer, nn.BatchNorm2d):
                cbn = ConditionalBatchNorm2d(layer.num_features, num_classes, shift_std)
                setattr(body.net, name, cbn)
        self.net = body.net
        self.out = body.out

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        labels = _need_labels(y)
        h = z.view(z.shape[0], -1, 1, 1)
        for layer in self.net:
            h = layer(h, labels) if isinstance(layer, ConditionalBatchNorm2d) else layer(h)
        return torch.tanh(self.out(h))


class ConcatLabelDiscriminator(nn.Module):
    """Toy data: ``D(x, y) = body(concat(x, embed(y)))``."""

    def __init__(self, body: nn.Module, num_classes: int, embed_dim: int):
        super().__init__()
        self.embed = nn.Embedding(num_classes, embed_dim)
        self.body = body

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.body(torch.cat([x.flatten(1), self.embed(_need_labels(y))], dim=1))


class ProjectionDiscriminator(nn.Module):
    """Images: the projection discriminator of Miyato & Koyama (2018),
    ``D(x, y) = out(h) + <embed(y), sum_hw h>`` with ``h = body.features(x)``.

    ``out(h)`` is the unconditional logit; the inner product of a learned per-class
    vector with the globally sum-pooled features (as in the paper) is the conditional
    part: the logit of "x is a real image *of class y*". Unlike
    feeding the label in as an extra image plane, D cannot learn to ignore it: its only
    way to use class information is the term that G's gradient passes through, so G is
    pushed towards the requested class from the first steps.

    ``embed`` starts at N(0, PROJECTION_INIT_STD^2), about Xavier's scale for the
    paper's embedding, not the DCGAN 0.02: with 0.02 the class term stayed too small for
    thousands of steps and G learned shapes whatever the label.
    """

    def __init__(self, body: DCGANDiscriminator, num_classes: int):
        super().__init__()
        self.body = body
        self.embed = nn.Embedding(num_classes, body.feature_channels)
        nn.init.normal_(self.embed.weight, 0.0, PROJECTION_INIT_STD)

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        h = self.body.features(x)
        pooled = h.flatten(2).sum(dim=2) if h.ndim == 4 else h  # global sum pooling
        projection = (self.embed(_need_labels(y)) * pooled).sum(dim=1)
        return self.body.out(h).flatten() + projection


def generator_body(
    model_cfg: ModelConfig, spec: DataSpec, in_dim: int, family_name: str = NAME
) -> MLPGenerator | DCGANGenerator:
    """An unconditional generator for ``spec`` taking ``in_dim`` inputs: MLP for toy data,
    DCGAN for images. ``family_name`` is the family named in errors."""
    if spec.is_image:
        channels, side = check_image_shape(spec, family_name)
        return DCGANGenerator(in_dim, channels, side, model_cfg.base_channels)
    return MLPGenerator(
        in_dim,
        spec.shape,
        model_cfg.g_hidden,
        model_cfg.g_layers,
        model_cfg.activation,
        tanh_output=False,
    )


def discriminator_body(
    model_cfg: ModelConfig, spec: DataSpec, extra: int = 0, family_name: str = NAME
) -> MLPDiscriminator | DCGANDiscriminator:
    """An unconditional discriminator for ``spec``: MLP for toy data, DCGAN for images.

    ``extra`` widens its input: values appended to a toy vector, or channels appended to
    an image. ``family_name`` is the family named in errors.
    """
    if spec.is_image:
        channels, side = check_image_shape(spec, family_name)
        return DCGANDiscriminator(
            channels + extra,
            side,
            model_cfg.base_channels,
            batch_norm=not model_cfg.spectral_norm_d,
        )
    return MLPDiscriminator(
        spec.dim + extra, model_cfg.d_hidden, model_cfg.d_layers, model_cfg.activation
    )


def conditional_generator(
    model_cfg: ModelConfig,
    spec: DataSpec,
    latent_dim: int,
    num_classes: int,
    family_name: str = NAME,
    shift_std: float = LABEL_SHIFT_STD,
) -> ConditionalGenerator | ConditionalDCGANGenerator:
    """G for the conditional families: for images the DCGAN generator with conditional
    BatchNorm (:class:`ConditionalDCGANGenerator`, label shifts initialised with spread
    ``shift_std``), for toy data an MLP on ``z`` joined to the label embedding."""
    if spec.is_image:
        channels, side = check_image_shape(spec, family_name)
        dcgan = DCGANGenerator(latent_dim, channels, side, model_cfg.base_channels)
        return ConditionalDCGANGenerator(dcgan, num_classes, shift_std)
    body = generator_body(model_cfg, spec, latent_dim + model_cfg.embed_dim, family_name)
    return ConditionalGenerator(body, num_classes, model_cfg.embed_dim)


def build(model_cfg: ModelConfig, spec: DataSpec, latent_dim: int) -> tuple[nn.Module, nn.Module]:
    """Build the ``cgan`` pair (G, D) for a labelled ``spec``; see :class:`ModelFamily`."""
    require_kind(spec, NAME, DATA_KINDS)
    num_classes = require_labels(spec, NAME)
    generator = conditional_generator(model_cfg, spec, latent_dim, num_classes)
    discriminator: nn.Module
    if spec.is_image:
        body = discriminator_body(model_cfg, spec)
        assert isinstance(body, DCGANDiscriminator)
        discriminator = ProjectionDiscriminator(body, num_classes)
    else:
        discriminator = ConcatLabelDiscriminator(
            discriminator_body(model_cfg, spec, extra=model_cfg.embed_dim),
            num_classes,
            model_cfg.embed_dim,
        )
    return finish_pair(generator, discriminator, model_cfg)
