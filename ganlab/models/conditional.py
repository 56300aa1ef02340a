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

from ganlab.core.config import ModelConfig
from ganlab.core.contracts import DataKind, DataSpec, ModelFamily
from ganlab.core.registry import MODEL_FAMILIES
from ganlab.models.base import finish_pair, require_kind, require_labels
from ganlab.models.dcgan import (
    DCGANDiscriminator,
    DCGANGenerator,
    batch_norm_nets,
    check_image_shape,
)
from ganlab.models.mlp import MLPDiscriminator, MLPGenerator

NAME = "cgan"
DATA_KINDS: frozenset[DataKind] = frozenset({"toy1d", "toy2d", "image"})


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


class ConcatLabelDiscriminator(nn.Module):
    """Toy data: ``D(x, y) = body(concat(x, embed(y)))``."""

    def __init__(self, body: nn.Module, num_classes: int, embed_dim: int):
        super().__init__()
        self.embed = nn.Embedding(num_classes, embed_dim)
        self.body = body

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.body(torch.cat([x.flatten(1), self.embed(_need_labels(y))], dim=1))


class LabelPlaneDiscriminator(nn.Module):
    """Images: ``D(x, y) = body(concat_channels(x, plane(embed(y))))``, one extra plane."""

    def __init__(self, body: nn.Module, num_classes: int, embed_dim: int, side: int):
        super().__init__()
        self.side = side
        self.embed = nn.Embedding(num_classes, embed_dim)
        self.to_plane = nn.Linear(embed_dim, side * side)
        self.body = body

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        plane = self.to_plane(self.embed(_need_labels(y)))
        return self.body(torch.cat([x, plane.view(-1, 1, self.side, self.side)], dim=1))


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
) -> ConditionalGenerator:
    """G for the conditional families: label embedding joined to ``z``."""
    body = generator_body(model_cfg, spec, latent_dim + model_cfg.embed_dim, family_name)
    return ConditionalGenerator(body, num_classes, model_cfg.embed_dim)


def build(model_cfg: ModelConfig, spec: DataSpec, latent_dim: int) -> tuple[nn.Module, nn.Module]:
    """Build the ``cgan`` pair (G, D) for a labelled ``spec``; see :class:`ModelFamily`."""
    require_kind(spec, NAME, DATA_KINDS)
    num_classes = require_labels(spec, NAME)
    generator = conditional_generator(model_cfg, spec, latent_dim, num_classes)
    discriminator: nn.Module
    if spec.is_image:
        _, side = check_image_shape(spec, NAME)
        discriminator = LabelPlaneDiscriminator(
            discriminator_body(model_cfg, spec, extra=1), num_classes, model_cfg.embed_dim, side
        )
    else:
        discriminator = ConcatLabelDiscriminator(
            discriminator_body(model_cfg, spec, extra=model_cfg.embed_dim),
            num_classes,
            model_cfg.embed_dim,
        )
    return finish_pair(generator, discriminator, model_cfg)


FAMILY = MODEL_FAMILIES.register(
    NAME,
    ModelFamily(
        name=NAME,
        title="Conditional GAN",
        data_kinds=DATA_KINDS,
        build=build,
        batch_norm=batch_norm_nets,
        conditional=True,
        description=(
            "Conditional GAN: G and D both see the class label through a learned embedding."
        ),
    ),
)
