"""The contracts between the engine and its plug-ins: data sources, model families, losses.

No Qt, and no torch at import: the window (which imports no torch) lists and validates
the registered entries. Torch appears only in annotations (``TYPE_CHECKING``) and inside
:meth:`Loss.display`. The entries' torch-dependent callables are
:func:`ganlab.kernel.registry.lazy` references. Runs in whichever process uses it: the
window lists entries, the trainer process builds them.

Conventions every plug-in follows:

* Samples are float32 tensors. Toy samples have shape ``(N, dim)`` with dim 1 or 2; images
  have shape ``(N, C, H, W)`` scaled to ``[-1, 1]`` (the range of G's ``tanh`` output).
  Image-to-image sources ("paired", "unpaired") give both domains in one tensor of shape
  ``(N, 2, C, H, W)``: ``x[:, 0]`` is domain A (pix2pix's input), ``x[:, 1]`` domain B (its
  target). A paired source's two images show the same scene; an unpaired source draws
  the two independently.
* Labels are int64 tensors of shape ``(N,)`` in ``[0, num_classes)``, or ``None`` for a
  source without classes.
* A generator is an ``nn.Module`` called as ``G(z, y)``: ``z`` is ``(N, latent_dim)``, ``y``
  the labels (``None`` for unconditional families). It returns samples of the data shape.
* A discriminator is an ``nn.Module`` called as ``D(x, y)``. It returns the adversarial
  logits of shape ``(N,)``, or for a family with an auxiliary classifier (ACGAN) the pair
  ``(logits (N,), class_logits (N, num_classes))``.
* Randomness always comes from an explicit ``torch.Generator`` so that runs resume exactly.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

if TYPE_CHECKING:
    import torch

    from ganlab.kernel.config import DataConfig, LossConfig, ModelConfig

DataKind = Literal["toy1d", "toy2d", "image", "paired", "unpaired"]

# The data kinds whose samples are image pairs (A, B) of shape (2, C, H, W).
TRANSLATION_KINDS: frozenset[str] = frozenset({"paired", "unpaired"})


@dataclass(frozen=True)
class DataSpec:
    """What a data source produces, for building models and views."""

    kind: DataKind
    shape: tuple[int, ...]  # one sample: (1,), (2,), (C, H, W), or (2, C, H, W) for pairs
    num_classes: int = 0  # 0 = unlabelled
    class_names: tuple[str, ...] = ()  # len == num_classes when labelled
    # Toy sources: the region the views and metrics cover, one (lo, hi) per dimension.
    bounds: tuple[tuple[float, float], ...] | None = None
    # Image-to-image sources: the names of domains A and B (English msgids, e.g.
    # ("outline", "filled shape")); () for every other kind.
    domains: tuple[str, ...] = ()

    @property
    def is_image(self) -> bool:
        """Single images (N, C, H, W): what the DCGAN-style views and metrics read."""
        return self.kind == "image"

    @property
    def is_translation(self) -> bool:
        """Image pairs (N, 2, C, H, W) from domains A and B (pix2pix, CycleGAN)."""
        return self.kind in TRANSLATION_KINDS

    @property
    def image_shape(self) -> tuple[int, ...]:
        """One image's (C, H, W): the whole shape of an image source, one domain's of a
        pair source. Raises ValueError for toy data."""
        if self.is_image:
            return tuple(self.shape)
        if self.is_translation:
            return tuple(self.shape[1:])
        raise ValueError(f"{self.kind} data has no image shape")

    @property
    def dim(self) -> int:
        """Number of values in one flattened sample."""
        return int(np.prod(self.shape))


class DataSource(ABC):
    """A source of real samples. Built from a DataConfig by its registry entry.

    Subclasses set ``spec`` in ``__init__`` and implement :meth:`sample`.
    """

    spec: DataSpec
    # Mixture sources: the mode centres (K, dim) and their common std dev, for the
    # mode-coverage metrics. None for sources that are not a mixture of gaussians.
    modes: np.ndarray | None = None
    mode_sigma: float | None = None

    @abstractmethod
    def sample(
        self, n: int, generator: torch.Generator
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Draw ``n`` real samples (and labels, or None) on the CPU using ``generator``."""

    def held_out(self, n: int) -> torch.Tensor | None:
        """Image-to-image sources: up to ``n`` fixed pairs (N, 2, C, H, W) that training
        never draws, for the views' fixed rows and the held-out metrics; the same ones
        on every call. None for every other kind (and a source without held-out pairs)."""
        return None

    def density(self, x: np.ndarray) -> np.ndarray | None:
        """Exact probability density at points ``x`` of shape (N, dim), or None if unknown."""
        return None

    def summary(self) -> str:
        """For the log: a headline (what this is, how many items, what was skipped and why),
        then, for sources that have them, detail lines (conversions, skipped files named)."""
        return type(self).__name__


@dataclass(frozen=True)
class DataSourceEntry:
    """A registered data source."""

    name: str  # registry key, used in experiment files: data.source
    title: str  # short English title; the UI translates it
    kind: DataKind
    build: Callable[[DataConfig], DataSource]
    description: str = ""  # one sentence for tooltips and `ganlab presets`
    reads_path: bool = False  # uses data.path (CSV or image folder)
    downloads: bool = False  # may download into the user cache


@dataclass(frozen=True)
class ModelFamily:
    """A registered pair of architectures (G, D)."""

    name: str  # registry key: model.family
    title: str
    data_kinds: frozenset[DataKind]  # which data it trains on
    build: Callable[[ModelConfig, DataSpec, int], tuple[torch.nn.Module, torch.nn.Module]]
    conditional: bool = False  # G and D take labels (needs a labelled source)
    auxiliary_classifier: bool = False  # D returns (logits, class_logits)
    description: str = ""
    # Which of the nets ("G", "D") hold BatchNorm layers for a model config and data kind;
    # None: neither ever does. BatchNorm normalises over the batch, so config.check_names
    # refuses loop.batch_size = 1 where this names a net.
    batch_norm: Callable[[ModelConfig, DataKind], tuple[str, ...]] | None = None
    # The ModelConfig fields its G and D read, per data kind it trains on (the MLP widths
    # on toy data, base_channels on images, ...). The window shows only these. {}: all.
    settings: Mapping[DataKind, frozenset[str]] = field(default_factory=dict)
    # The LossConfig fields the family itself reads, besides the loss's own options
    # (acgan: aux_weight; pix2pix: l1_weight, adv_weight; cyclegan: cycle_weight, identity_weight).
    loss_options: frozenset[str] = frozenset()
    # The extra loss terms its training reports each step, names from
    # reports.TERM_COLUMNS ("g_adv", "l1", "cycle", "identity"); the curves plot these.
    loss_terms: tuple[str, ...] = ()
    # How it trains when not as the plain G(z) / D(x) game of ganlab.engine.trainer:
    # ``objective(trainer)`` returns an object with ``train(which, k_d, k_g)`` (see
    # ganlab.engine.trainer.Objective). None: the plain game.
    objective: Callable[[Any], Any] | None = None
    # Its own views: a lazy reference to a ganlab.engine.panels.FamilyViews factory
    # (snapshot arrays, answers to the panel's requests, held-out metrics). None: the
    # data kind's standard views.
    views: Callable[[Any], Any] | None = None
    # Its generator starts from a latent z (False: pix2pix and CycleGAN translate an
    # image instead, so the latent explorer and z-based views do not apply).
    latent: bool = True
    # The window panel that shows it (a key of ganlab.app.panels.PANELS); "": the data
    # kind's panel.
    panel: str = ""


# ModelConfig fields read by fully connected nets (models/mlp.py) and by the DCGAN nets;
# spectral normalisation is applied to any family's layers (models/base.py).
MLP_SETTINGS: frozenset[str] = frozenset(
    {
        "g_hidden",
        "g_layers",
        "d_hidden",
        "d_layers",
        "activation",
        "spectral_norm_d",
        "spectral_norm_g",
    }
)
CONV_SETTINGS: frozenset[str] = frozenset({"base_channels", "spectral_norm_d", "spectral_norm_g"})


OutputKind = Literal["probability", "score"]

# The loss settings every loss allows: noise on D's inputs, the R1 penalty, and the
# weights of the terms a model family adds (``ModelFamily.loss_options``: the class
# loss, pix2pix's L1, CycleGAN's cycle and identity losses).
FAMILY_LOSS_OPTIONS: frozenset[str] = frozenset(
    {"aux_weight", "l1_weight", "adv_weight", "cycle_weight", "identity_weight"}
)
COMMON_LOSS_OPTIONS: frozenset[str] = (
    frozenset({"instance_noise", "r1_gamma"}) | FAMILY_LOSS_OPTIONS
)


@dataclass(frozen=True)
class Loss:
    """A registered adversarial loss, computed on D's raw outputs (logits).

    ``d_loss(real, fake, options)`` and ``g_loss(fake, options)`` return scalar tensors.
    Penalties that need D itself (gradient penalty, R1) and weight clipping are applied
    by the trainer, which reads the flags below.
    """

    name: str
    title: str
    d_loss: Callable[[torch.Tensor, torch.Tensor, LossConfig], torch.Tensor]
    g_loss: Callable[[torch.Tensor, LossConfig], torch.Tensor]
    # "probability": D's output is a logit and sigmoid(output) is D's belief that x is
    # real; "score": an unbounded critic score (hinge, Wasserstein).
    output_kind: OutputKind = "probability"
    gradient_penalty: bool = False  # WGAN-GP: penalise (|grad D(x_hat)| - 1)^2
    weight_clipping: bool = False  # WGAN: clamp D's weights to [-c, c] after each update
    description: str = ""
    # The LossConfig fields (besides ``name``) that have an effect with this loss. The
    # others are ignored: the window disables them, config.inapplicable_settings names
    # them when a file sets them.
    options: frozenset[str] = COMMON_LOSS_OPTIONS
    # The settings of the paper that introduced the loss, as (dotted key, value) pairs,
    # e.g. ("optimizer_d.lr", 5e-5); ``paper`` cites it. Empty: no such recipe.
    paper_settings: tuple[tuple[str, float | int | str], ...] = ()
    paper: str = ""

    def display(self, outputs: torch.Tensor) -> torch.Tensor:
        """D's outputs in the unit the views show: a probability, or the raw score."""
        import torch  # here, not at the top: the window imports this module without torch

        return torch.sigmoid(outputs) if self.output_kind == "probability" else outputs
