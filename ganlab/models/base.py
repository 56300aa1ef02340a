"""Building blocks shared by the model families: activations, MLP stacks, weight init,
spectral normalisation and the checks that turn a bad pairing of data and family into a
:class:`ConfigError`.

Runs in whichever thread builds the models (the trainer thread in the window). No Qt.

Every discriminator *body* (the MLP and DCGAN discriminators) follows one small protocol,
:class:`DiscriminatorBody`, so that the conditional and auxiliary-classifier families can
reuse it: ``features(x)`` maps an input batch to hidden features, ``out`` is the head that
turns features into one adversarial logit, and ``make_head(n)`` builds (and initialises)
another head of the same kind with ``n`` outputs.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import torch
from torch import nn
from torch.nn.utils import parametrize
from torch.nn.utils.parametrizations import spectral_norm

from ganlab.kernel.config import ModelConfig
from ganlab.kernel.contracts import DataKind, DataSpec
from ganlab.kernel.errors import ConfigError
from ganlab.kernel.i18n import _

# Slope of LeakyReLU for x < 0, as in the DCGAN paper.
LEAKY_SLOPE = 0.2

ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(LEAKY_SLOPE),
    "tanh": nn.Tanh,
    "elu": nn.ELU,
}

# Layers whose weight spectral normalisation wraps.
WEIGHT_LAYERS = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.ConvTranspose2d)


def make_activation(name: str) -> nn.Module:
    """A fresh activation module for ``model.activation``.

    Raises
    ------
    ConfigError
        If ``name`` is not one of :data:`ACTIVATIONS` (key ``model.activation``).
    """
    try:
        return ACTIVATIONS[name]()
    except KeyError:
        raise ConfigError(
            _("unknown activation '{name}'; choose one of: {choices}").format(
                name=name, choices=", ".join(ACTIVATIONS)
            ),
            key="model.activation",
        ) from None


def mlp_stack(in_dim: int, hidden: int, layers: int, activation: str) -> nn.Sequential:
    """``layers`` hidden layers of ``hidden`` units, named ``fc1, act1, fc2, act2, ...``.

    Returns an empty ``nn.Sequential`` (the identity) when ``layers`` is 0. The output
    layer is left to the caller so that it can be named ``out``.
    """
    modules: OrderedDict[str, nn.Module] = OrderedDict()
    width = in_dim
    for i in range(1, layers + 1):
        modules[f"fc{i}"] = nn.Linear(width, hidden)
        modules[f"act{i}"] = make_activation(activation)
        width = hidden
    return nn.Sequential(modules)


# --------------------------------------------------------------------------- initialisation


def init_lecun_normal_(module: nn.Module) -> None:
    """Linear weights ~ N(0, 1/fan_in), biases 0: GAN Lab's initialisation of its MLPs.

    Meant for ``module.apply``; leaves every other kind of layer alone.
    """
    if isinstance(module, nn.Linear):
        nn.init.normal_(module.weight, 0.0, 1.0 / math.sqrt(module.in_features))
        if module.bias is not None:
            nn.init.zeros_(module.bias)


# DCGAN paper: all weights from N(0, 0.02); BatchNorm scale from N(1, 0.02).
DCGAN_INIT_STD = 0.02


def init_dcgan_(module: nn.Module) -> None:
    """DCGAN initialisation for ``module.apply``: conv and linear weights ~ N(0, 0.02),
    BatchNorm weight ~ N(1, 0.02), all biases 0."""
    if isinstance(module, nn.Conv2d | nn.ConvTranspose2d | nn.Linear):
        nn.init.normal_(module.weight, 0.0, DCGAN_INIT_STD)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, DCGAN_INIT_STD)
        nn.init.zeros_(module.bias)


# --------------------------------------------------------------------------- spectral norm


def apply_spectral_norm(module: nn.Module) -> nn.Module:
    """Wrap the weight of every Linear / Conv / ConvTranspose layer in ``module`` with
    spectral normalisation (in place; returns ``module``).

    Uses :func:`torch.nn.utils.parametrizations.spectral_norm`, so the state dict holds
    only tensors: ``<layer>.parametrizations.weight.original`` and the power-iteration
    vectors ``_u`` / ``_v``. Apply it after initialisation: the stored weight is the
    initialised one.
    """
    for layer in list(module.modules()):
        if isinstance(layer, WEIGHT_LAYERS) and not parametrize.is_parametrized(layer, "weight"):
            spectral_norm(layer)
    return module


def finish_pair(
    generator: nn.Module, discriminator: nn.Module, model_cfg: ModelConfig
) -> tuple[nn.Module, nn.Module]:
    """Apply the spectral-norm options of ``model_cfg`` and return ``(G, D)``."""
    if model_cfg.spectral_norm_g:
        apply_spectral_norm(generator)
    if model_cfg.spectral_norm_d:
        apply_spectral_norm(discriminator)
    return generator, discriminator


# --------------------------------------------------------------------------- checks


def require_kind(spec: DataSpec, family_name: str, kinds: frozenset[DataKind]) -> None:
    """Raise a ConfigError (key ``model.family``) if the family cannot train on ``spec``."""
    if spec.kind not in kinds:
        raise ConfigError(
            _("model family '{family}' does not train on {kind} data; it supports: {kinds}").format(
                family=family_name, kind=spec.kind, kinds=", ".join(sorted(kinds))
            ),
            key="model.family",
        )


def require_labels(spec: DataSpec, family_name: str) -> int:
    """Return the number of classes of ``spec``, or raise if a conditional family cannot
    use it.

    Raises
    ------
    ConfigError
        Key ``data.source``, when the source has fewer than two classes.
    """
    if spec.num_classes < 2:
        raise ConfigError(
            _(
                "model family '{family}' is conditional and needs labelled data "
                "(a source with at least 2 classes); this source has {what}. "
                "Choose a labelled source or an unconditional family (mlp, dcgan)."
            ).format(
                family=family_name,
                what=_("no labels") if spec.num_classes == 0 else _("a single class"),
            ),
            key="data.source",
        )
    return spec.num_classes


# --------------------------------------------------------------------------- display


@contextmanager
def display_forward(*modules: nn.Module, eval_mode: bool = False) -> Iterator[None]:
    """Run ``modules`` for people to look at, never changing what training computes next:
    no gradients, and every buffer (BatchNorm's running statistics, spectral norm's
    power-iteration vectors, StyleGAN's w_avg, CycleGAN's image pools) as it was
    afterwards. ``eval_mode``: in eval mode meanwhile (no dropout; BatchNorm with its
    running statistics); by default the modules stay in their mode, so a G with BatchNorm
    normalises with batch statistics, as when it trains."""
    saved = [[b.detach().clone() for b in m.buffers()] for m in modules]
    was_training = [m.training for m in modules]
    if eval_mode:
        for m in modules:
            m.eval()
    try:
        with torch.no_grad():
            yield
    finally:
        with torch.no_grad():
            for m, kept, was in zip(modules, saved, was_training, strict=True):
                m.train(was)
                for b, s in zip(m.buffers(), kept, strict=True):
                    b.copy_(s)


# --------------------------------------------------------------------------- protocols


class DiscriminatorBody(Protocol):
    """What the conditional and auxiliary-classifier families need from a discriminator."""

    @property
    def out(self) -> nn.Module:
        """The head from features to the adversarial logit (``out(h).flatten()`` is (N,))."""
        ...

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Hidden features of a batch of inputs."""
        ...

    def make_head(self, n_out: int) -> nn.Module:
        """A new initialised head from features to ``n_out`` logits (``head(h).flatten(1)``
        has shape ``(N, n_out)``)."""
        ...


class Objective(Protocol):
    """How a family that is not the plain G(z) / D(x) game trains (``ModelFamily.objective``
    builds one from the trainer: ``objective(trainer)``). pix2pix and CycleGAN have one.

    The objective reads the trainer's nets (``G``, ``D``, and the modules the updates call,
    ``g_train`` / ``d_train``, which are DistributedDataParallel wrappers under torchrun),
    ``loss`` and ``config``; it adds D's penalties with ``trainer.d_penalties`` and makes
    each optimizer step with ``trainer.update(network, loss)`` (gradient norms, WGAN's
    clipping). It draws real batches with ``trainer.real_batch(n)`` and all other
    training randomness from ``trainer.noise_gen``, so that a checkpoint resumes exactly.
    It writes no file and keeps no state of its own: what must survive a resume lives in
    the nets' buffers (CycleGAN's image pools are buffers of its D), which checkpoints
    hold.
    """

    def train(
        self, which: str, k_d: int, k_g: int
    ) -> tuple[dict[str, torch.Tensor], dict[str, torch.Tensor]]:
        """One iteration: ``k_d`` D updates then ``k_g`` G updates (``which`` is "both",
        "d" or "g"; k_d / k_g are already 0 for the network not trained).

        Returns the step's values by ``reports.SCALAR_COLUMNS`` name as 0-d tensors on
        the device (those left out are NaN), and ``{"d": (layers,), "g": (layers,)}``
        per-layer gradient norms of the networks updated (``norms_*.compute()``).
        Nothing is read back to the host.
        """
        ...


class FamilyViews(Protocol):
    """A family's own views (``ModelFamily.views`` builds one from the trainer). Runs in
    the trainer, reads the nets without training them (``ganlab.engine.views``'s rules:
    display forwards leave every buffer as it was, randomness from ``trainer.view_gen``
    or fixed seeds only)."""

    def snapshot(self) -> tuple[dict[str, Any], dict[str, float]]:
        """The panel's arrays (numpy; images as (N, H, W, C) uint8) and scalar values for
        one ``PanelSnapshot``."""
        ...

    def answer(self, what: str, params: dict[str, Any]) -> dict[str, Any]:
        """The arrays a ``RequestPanel`` asks for. Raises ValueError for a request the
        family does not know or bad ``params`` (the loop reports it and goes on)."""
        ...

    def metrics(self) -> dict[str, float]:
        """Held-out quality measures (pix2pix L1/PSNR, CycleGAN cycle error ...), plain
        floats by name; {} when the family has none. Called about every few seconds."""
        ...
