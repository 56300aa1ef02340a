"""The ``mlp`` model family: the original GAN, fully connected G and D.

Runs in whichever thread builds the models (the trainer thread in the window). No Qt.

Trains on 1-D and 2-D toy data and on (small) images, which are flattened for D and
produced through ``tanh`` and reshaped to ``(C, H, W)`` by G. Toy outputs are linear: GAN
Lab squashes G's output with ``tanh``, but our toy sets reach beyond [-1, 1] (the grid of
25 gaussians spans [-4, 4]).

Layer names (``net.fc1``, ``net.act1``, ..., ``out``) are what the per-layer gradient-norm
curves show.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ganlab.kernel.config import ModelConfig
from ganlab.kernel.contracts import DataSpec
from ganlab.models.base import finish_pair, init_lecun_normal_, mlp_stack, require_kind
from ganlab.models.catalogue import MLP as FAMILY

NAME = FAMILY.name  # the declaration in ganlab.models.catalogue
DATA_KINDS = FAMILY.data_kinds

# Named MLP sizes (fields of ModelConfig) for presets: ``dataclasses.replace(model_cfg,
# **MLP_SIZES["ganlab"])``. Our ``*_layers`` count hidden layers, i.e. hidden Linear +
# activation pairs; ``g_layers = 0`` makes G a single linear map.
MLP_SIZES: dict[str, dict[str, int]] = {
    # GAN Lab (poloclub/ganlab) defaults: its UI says "1 hidden layer, 8 neurons" for both
    # nets, but it always adds an input layer (noise -> neurons) in front of the counted
    # ones, so the network it builds is 2 -> 8 -> 8 -> 2 (G) and 2 -> 8 -> 8 -> 1 (D), with
    # ReLU and N(0, 1/fan_in) weights. Its UI allows up to 5 (+1) layers of 100 neurons.
    "ganlab": {"g_hidden": 8, "g_layers": 2, "d_hidden": 8, "d_layers": 2},
    # ModelConfig's defaults.
    "default": {"g_hidden": 64, "g_layers": 2, "d_hidden": 64, "d_layers": 2},
    # More capacity, for the many-mode and curved sets (grid of 25, spiral) and images.
    "large": {"g_hidden": 128, "g_layers": 3, "d_hidden": 128, "d_layers": 3},
}


class MLPGenerator(nn.Module):
    """Fully connected generator ``in_dim -> hidden x layers -> prod(out_shape)``.

    Parameters
    ----------
    in_dim
        Size of G's input: the latent size (plus the label embedding for cgan / acgan).
    out_shape
        Shape of one sample: ``(dim,)`` for toy data, ``(C, H, W)`` for images.
    hidden, layers, activation
        Width, number and activation of the hidden layers.
    tanh_output
        Squash the output into ``[-1, 1]`` (images).
    """

    def __init__(
        self,
        in_dim: int,
        out_shape: tuple[int, ...],
        hidden: int,
        layers: int,
        activation: str,
        *,
        tanh_output: bool,
    ):
        super().__init__()
        self.out_shape = tuple(out_shape)
        out_dim = math.prod(self.out_shape)
        self.net = mlp_stack(in_dim, hidden, layers, activation)
        self.out = nn.Linear(hidden if layers else in_dim, out_dim)
        self.tanh_output = tanh_output
        self.apply(init_lecun_normal_)

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        x = self.out(self.net(z))
        if self.tanh_output:
            x = torch.tanh(x)
        return x.view(z.shape[0], *self.out_shape)


class MLPDiscriminator(nn.Module):
    """Fully connected discriminator: flattened input -> hidden x layers -> 1 logit.

    Follows :class:`ganlab.models.base.DiscriminatorBody`; ``forward`` returns logits of
    shape ``(N,)``.
    """

    def __init__(self, in_dim: int, hidden: int, layers: int, activation: str):
        super().__init__()
        self.net = mlp_stack(in_dim, hidden, layers, activation)
        self.feature_dim = hidden if layers else in_dim
        self.out = nn.Linear(self.feature_dim, 1)
        self.apply(init_lecun_normal_)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.flatten(1))

    def make_head(self, n_out: int) -> nn.Module:
        head = nn.Linear(self.feature_dim, n_out)
        init_lecun_normal_(head)
        return head

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.out(self.features(x)).flatten()


def build(model_cfg: ModelConfig, spec: DataSpec, latent_dim: int) -> tuple[nn.Module, nn.Module]:
    """Build the ``mlp`` pair (G, D) for ``spec``; see :class:`ModelFamily`."""
    require_kind(spec, NAME, DATA_KINDS)
    generator = MLPGenerator(
        latent_dim,
        spec.shape,
        model_cfg.g_hidden,
        model_cfg.g_layers,
        model_cfg.activation,
        tanh_output=spec.is_image,
    )
    discriminator = MLPDiscriminator(
        spec.dim, model_cfg.d_hidden, model_cfg.d_layers, model_cfg.activation
    )
    return finish_pair(generator, discriminator, model_cfg)
