"""The ``pix2pix`` model family: image-to-image translation with a conditional GAN
(Isola et al. 2017, "Image-to-Image Translation with Conditional Adversarial Networks").

Runs in the trainer (its thread or process). No Qt.

* G is a **U-Net**: an encoder of stride-2 convolutions down to a 2 x 2 bottleneck
  (fewer levels when the side stops being even), a decoder of transposed convolutions
  back up, and a skip connection from each encoder level to the decoder level of the
  same size, so the fine detail of the input (where the outline runs) need not squeeze
  through the bottleneck. G has no z: as in the paper, the noise is dropout (p = 0.5)
  in the deepest decoder layers, applied while training only; the views show G's
  deterministic output (dropout off).
* D is a **PatchGAN**: a fully convolutional net that sees the pair (input A, candidate
  B) stacked as channels and answers real / fake for every patch, one logit per
  position of its output map. The paper's 70 x 70 D on 256 px images has three stride-2
  layers; here there are ``max(1, log2(side) - 5)``, so a 32 px image gets one and a
  16 x 16 px receptive field (the paper's 256 px image would get its three and 70 x 70).
* Normalisation is instance normalisation (learned scale and shift) where the paper
  has BatchNorm at batch size 1, which is the same operation: no net has BatchNorm, so
  G's output for one image never depends on the rest of the batch (the sketch pad
  translates one drawing at a time) and no running statistics need keeping.
* The objective (:class:`Objective`) is ``adv_weight * adversarial + l1_weight * L1``:
  G is scored by the chosen loss on D's patch logits plus the mean absolute difference
  to the target (λ = 100 in the paper). ``loss.adv_weight = 0`` leaves L1 alone (the
  paper's "L1 only" column, blurry); ``loss.l1_weight = 0`` leaves the adversarial
  term alone ("cGAN only", sharp but free to invent). D is trained the same either way.

Views (:class:`Views`): the fixed held-out inputs with G's outputs and targets, G's
output for a drawn sketch, and L1 / PSNR on the held-out pairs beside the identity and
mean-image baselines.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ganlab.kernel.config import ModelConfig
from ganlab.kernel.contracts import DataSpec
from ganlab.kernel.errors import ConfigError
from ganlab.kernel.i18n import _
from ganlab.models.base import (
    LEAKY_SLOPE,
    display_forward,
    finish_pair,
    init_dcgan_,
    require_kind,
)
from ganlab.models.catalogue import PIX2PIX as FAMILY

NAME = FAMILY.name  # the declaration in ganlab.models.catalogue
DATA_KINDS = FAMILY.data_kinds

_KERNEL, _STRIDE, _PADDING = 4, 2, 1  # each stride-2 layer halves / doubles the side
DROPOUT = 0.5  # the paper's dropout in G's deepest decoder layers
MAX_LEVELS = 8  # U-Net levels at most (the paper's 256 px G has 8)
WIDTH_CAP = 8  # no layer is wider than 8 x base_channels (the paper: 64 -> 512)
HELD_METRICS = 256  # held-out pairs the metrics are measured on (at most)


# --------------------------------------------------------------------------- nets


def unet_levels(side: int) -> int:
    """Encoder levels of the U-Net for images of ``side`` px: halve while the side is
    even and the result at least 2 px (32 -> 4 levels, bottleneck 2 x 2), at most 8."""
    levels = 0
    while side % 2 == 0 and side // 2 >= 2 and levels < MAX_LEVELS:
        side //= 2
        levels += 1
    return levels


def patch_downsamplings(side: int) -> int:
    """Stride-2 layers of the PatchGAN: the paper's 3 at 256 px, one fewer per halving,
    at least 1 (32 px: 1, a 16 x 16 px receptive field)."""
    return max(1, int(math.log2(max(side, 1))) - 5)


def check_image_shape(spec: DataSpec) -> tuple[int, int]:
    """``(channels, side)`` of one image of ``spec``'s pairs, or a ConfigError.

    Raises
    ------
    ConfigError
        Key ``model.family`` for data that is not paired; ``data.image_size`` for
        images that are not square or whose side is odd (no U-Net level fits).
    """
    require_kind(spec, NAME, DATA_KINDS)
    channels, height, width = spec.image_shape
    if height != width or unet_levels(height) == 0:
        raise ConfigError(
            _(
                "model family '{family}' needs square images with an even side of at "
                "least 4 pixels; this data is {size}. Set data.image_size to 32 or 64."
            ).format(family=NAME, size=f"{height}x{width}"),
            key="data.image_size",
        )
    return channels, height


class SeededDropout(nn.Module):
    """Dropout that draws its mask from :attr:`generator` (the trainer's noise
    generator, so that a resumed run drops the same units) or, when None, from torch's
    global generator. Identity in eval mode."""

    def __init__(self, p: float):
        super().__init__()
        self.p = p
        self.generator: torch.Generator | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        keep = torch.empty_like(x).bernoulli_(1.0 - self.p, generator=self.generator)
        return x * keep / (1.0 - self.p)


def _norm(width: int) -> nn.Module:
    return nn.InstanceNorm2d(width, affine=True)


class UNetGenerator(nn.Module):
    """U-Net ``(N, C, side, side) -> (N, C, side, side)`` in [-1, 1] (module docstring).

    Parameters
    ----------
    channels, side
        Shape of the images it translates (input and output alike).
    base_channels
        Feature maps of the first encoder layer; each level doubles them, up to
        8 x base_channels.
    """

    def __init__(self, channels: int, side: int, base_channels: int):
        super().__init__()
        n = unet_levels(side)
        widths = [base_channels * min(2**i, WIDTH_CAP) for i in range(n)]
        down: OrderedDict[str, nn.Module] = OrderedDict()
        width = channels
        for k, w in enumerate(widths, start=1):
            block: OrderedDict[str, nn.Module] = OrderedDict()
            if k > 1:
                block["act"] = nn.LeakyReLU(LEAKY_SLOPE)
            block["conv"] = nn.Conv2d(width, w, _KERNEL, _STRIDE, _PADDING, bias=k in (1, n))
            if 1 < k < n:  # not on the input layer nor on the 2 x 2 bottleneck
                block["norm"] = _norm(w)
            down[f"down{k}"] = nn.Sequential(block)
            width = w
        up: OrderedDict[str, nn.Module] = OrderedDict()
        n_dropout = math.ceil(3 * n / 8)  # the paper: 3 of 8 decoder layers
        for j in range(n):
            in_w = widths[n - 1] if j == 0 else 2 * widths[n - 1 - j]
            last = j == n - 1
            out_w = channels if last else widths[n - 2 - j]
            block = OrderedDict()
            block["act"] = nn.ReLU()
            block["convt"] = nn.ConvTranspose2d(in_w, out_w, _KERNEL, _STRIDE, _PADDING, bias=last)
            if not last:
                block["norm"] = _norm(out_w)
                if j < n_dropout:
                    block["dropout"] = SeededDropout(DROPOUT)
            up[f"up{n - j}"] = nn.Sequential(block)
        self.down = nn.Sequential(down)
        self.up = nn.Sequential(up)
        self.apply(init_dcgan_)

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        skips = []
        h = x
        for block in self.down:
            h = block(h)
            skips.append(h)
        h = skips.pop()  # the bottleneck
        for block in self.up:
            h = block(h)
            if skips:
                h = torch.cat([h, skips.pop()], dim=1)
        return torch.tanh(h)


class PatchDiscriminator(nn.Module):
    """PatchGAN ``D(x, y)``: ``x`` the candidate B (N, C, side, side), ``y`` the input A of
    the same shape; returns (N, 1, h, w) logits, one per patch (module docstring).

    Parameters
    ----------
    channels, side
        Shape of one image of the pair.
    base_channels
        Feature maps of the first layer; each layer doubles them (up to 8 x).
    """

    def __init__(self, channels: int, side: int, base_channels: int):
        super().__init__()
        n_down = patch_downsamplings(side)
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        width = 2 * channels  # A and B stacked
        for k in range(1, n_down + 2):
            w = base_channels * min(2 ** (k - 1), WIDTH_CAP)
            stride = _STRIDE if k <= n_down else 1
            layers[f"conv{k}"] = nn.Conv2d(width, w, _KERNEL, stride, _PADDING, bias=k == 1)
            if k > 1:
                layers[f"norm{k}"] = _norm(w)
            layers[f"act{k}"] = nn.LeakyReLU(LEAKY_SLOPE)
            width = w
        self.net = nn.Sequential(layers)
        self.out = nn.Conv2d(width, 1, _KERNEL, 1, _PADDING)
        self.apply(init_dcgan_)

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        if y is None:
            raise ValueError("the pix2pix discriminator judges pairs: call it as D(b, a)")
        return self.out(self.net(torch.cat([y, x], dim=1)))


def build(model_cfg: ModelConfig, spec: DataSpec, latent_dim: int) -> tuple[nn.Module, nn.Module]:
    """Build the ``pix2pix`` pair (G, D) for ``spec`` (paired data); ``latent_dim`` is
    unused (G has no z)."""
    channels, side = check_image_shape(spec)
    generator = UNetGenerator(channels, side, model_cfg.base_channels)
    discriminator = PatchDiscriminator(channels, side, model_cfg.base_channels)
    return finish_pair(generator, discriminator, model_cfg)


# --------------------------------------------------------------------------- training


class Objective:
    """pix2pix's training step (``ModelFamily.objective``; ganlab.models.base.Objective).

    D update: ``d_loss(D(B, A), D(G(A), A))`` plus the penalties the loss settings ask
    for. G update: ``adv_weight * g_loss(D(G(A), A)) + l1_weight * mean|G(A) - B|``.
    Real pairs come from ``trainer.real_batch``, dropout masks and instance noise from
    ``trainer.noise_gen``: a checkpoint resumes exactly. With one D update before G's,
    G(A) is computed once and reused for G's update, as the plain trainer does.
    """

    def __init__(self, trainer: Any):
        self.t = trainer
        self._dropouts = [m for m in trainer.G.modules() if isinstance(m, SeededDropout)]

    def _noisy(self, x: torch.Tensor) -> torch.Tensor:
        std = self.t.config.loss.instance_noise
        if std <= 0.0:
            return x
        gen = self.t.noise_gen
        return x + std * torch.randn(x.shape, generator=gen, device=x.device, dtype=x.dtype)

    def _pairs(self) -> tuple[torch.Tensor, torch.Tensor]:
        x, _ = self.t.real_batch(self.t.config.loop.batch_size)
        return x[:, 0], x[:, 1]

    def _update_d(
        self, a: torch.Tensor, b: torch.Tensor, fake: torch.Tensor
    ) -> tuple[torch.Tensor, ...]:
        t = self.t
        d = t.d_train
        fake = fake.detach()
        out_real = d(self._noisy(b), a)
        out_fake = d(self._noisy(fake), a)
        loss = t.loss.d_loss(out_real, out_fake, t.config.loss) + t.d_penalties(d, b, fake, a)
        total, layers = t.update("d", loss)
        with torch.no_grad():
            d_real = t.loss.display(out_real).mean()
            d_fake = t.loss.display(out_fake).mean()
        return loss.detach(), d_real, d_fake, total, layers

    def _update_g(
        self, a: torch.Tensor, b: torch.Tensor, fake: torch.Tensor
    ) -> tuple[torch.Tensor, ...]:
        t = self.t
        lcfg = t.config.loss
        t.D.requires_grad_(False)  # no D gradients: the plain module, even under DDP
        try:
            adv = t.loss.g_loss(t.D(self._noisy(fake), a), lcfg)
        finally:
            t.D.requires_grad_(True)
        l1 = (fake - b).abs().mean()
        loss = lcfg.adv_weight * adv + lcfg.l1_weight * l1
        total, layers = t.update("g", loss)
        return loss.detach(), adv.detach(), l1.detach(), total, layers

    def train(
        self, which: str, k_d: int, k_g: int
    ) -> tuple[dict[str, torch.Tensor], dict[str, torch.Tensor]]:
        """``k_d`` D updates then ``k_g`` G updates (see ganlab.models.base.Objective)."""
        # G's dropout draws from the trainer's noise generator as it is now (a
        # distributed trainer gives each rank its own after building the objective).
        for module in self._dropouts:
            module.generator = self.t.noise_gen
        values: dict[str, torch.Tensor] = {}
        layers: dict[str, torch.Tensor] = {}
        reuse: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None
        for i in range(k_d):
            a, b = self._pairs()
            if i == k_d - 1 and k_g > 0:
                fake = self.t.g_train(a)  # kept with its graph for G's update
                reuse = (a, b, fake)
            else:
                with torch.no_grad():
                    fake = self.t.g_train(a)
            d_loss, d_real, d_fake, d_norm, layers["d"] = self._update_d(a, b, fake)
            values.update(d_loss=d_loss, d_real=d_real, d_fake=d_fake, grad_norm_d=d_norm)
        for i in range(k_g):
            if i == 0 and reuse is not None:
                a, b, fake = reuse
            else:
                a, b = self._pairs()
                fake = self.t.g_train(a)
            g_loss, adv, l1, g_norm, layers["g"] = self._update_g(a, b, fake)
            values.update(g_loss=g_loss, g_adv=adv, l1=l1, grad_norm_g=g_norm)
        return values, layers


# --------------------------------------------------------------------------- views


def _to_uint8(x: torch.Tensor) -> np.ndarray:
    """(N, C, H, W) in [-1, 1] -> (N, H, W, C) uint8 on the host."""
    x = ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    return x.permute(0, 2, 3, 1).cpu().numpy()


def l1_distance(x: torch.Tensor, y: torch.Tensor) -> float:
    """Mean absolute difference of two image batches in [-1, 1] (the unit of the
    training's ``l1`` term: 0 identical, 2 black against white)."""
    return float((x - y).abs().mean())


def psnr(x: torch.Tensor, y: torch.Tensor) -> float:
    """Peak signal-to-noise ratio in dB of two image batches in [-1, 1]:
    ``10 log10(peak^2 / MSE)`` with the peak-to-peak range 2, per image, averaged over
    the images (an identical image counts as 100 dB)."""
    mse = (x - y).square().flatten(1).mean(dim=1).double()
    per_image = 10.0 * torch.log10(4.0 / mse.clamp_min(4e-10))
    return float(per_image.mean())


class Views:
    """pix2pix's views (``ModelFamily.views``; ganlab.models.base.FamilyViews).

    * :meth:`snapshot`: arrays ``input``, ``output``, ``target`` — the fixed held-out
      pairs' A, G(A) and B, each (N, H, W, C) uint8 — and the value ``l1`` of those rows.
    * :meth:`answer` ``("sketch", {"sketch": (H, W) float32 in [0, 1]})``: the drawing
      as an input image (its value on every channel, resized to the data's side) and
      G's output for it: ``input`` and ``output``, each (1, H, W, C) uint8.
    * :meth:`metrics`: ``l1_held_out`` and ``psnr`` of G on up to 256 held-out pairs,
      with ``l1_identity`` / ``psnr_identity`` (output = the input) and ``l1_mean`` /
      ``psnr_mean`` (output = the mean training target) beside them.

    Only G's display forward runs (:func:`~ganlab.models.base.display_forward`); nothing
    random is drawn.
    """

    def __init__(self, trainer: Any):
        self.t = trainer
        self._held: torch.Tensor | None = None
        self._baselines: dict[str, float] | None = None

    def _pairs(self) -> torch.Tensor:
        """The held-out pairs (M, 2, C, H, W) on the device (a fixed-seed sample of the
        training pairs for a source that keeps none)."""
        if self._held is None:
            held = self.t.source.held_out(HELD_METRICS)
            if held is None:
                held, _ = self.t.source.sample(HELD_METRICS, torch.Generator().manual_seed(0))
            self._held = held.to(self.t.device)
        return self._held

    def _translate(self, a: torch.Tensor) -> torch.Tensor:
        with display_forward(self.t.G, eval_mode=True):
            return torch.cat([self.t.G(a[i : i + 64]) for i in range(0, len(a), 64)])

    def snapshot(self) -> tuple[dict[str, Any], dict[str, float]]:
        rows = self.t.fixed_real.to(self.t.device)
        a, b = rows[:, 0], rows[:, 1]
        out = self._translate(a)
        arrays = {"input": _to_uint8(a), "output": _to_uint8(out), "target": _to_uint8(b)}
        return arrays, {"l1": l1_distance(out, b)}

    def answer(self, what: str, params: dict[str, Any]) -> dict[str, Any]:
        if what != "sketch":
            raise ValueError(f"pix2pix answers 'sketch' requests, not {what!r}")
        sketch = params.get("sketch")
        arr = np.asarray(sketch, dtype=np.float32) if sketch is not None else None
        if arr is None or arr.ndim != 2 or arr.size == 0 or not np.isfinite(arr).all():
            raise ValueError("params['sketch'] must be a finite (H, W) array in [0, 1]")
        channels, side, _w = self.t.spec.image_shape
        x = torch.from_numpy(np.clip(arr, 0.0, 1.0))[None, None]
        if x.shape[-2:] != (side, side):
            x = F.interpolate(x, size=(side, side), mode="bilinear", antialias=True)
        a = (x.clamp(0, 1) * 2.0 - 1.0).expand(1, channels, side, side).to(self.t.device)
        return {"input": _to_uint8(a), "output": _to_uint8(self._translate(a))}

    def _baseline_values(self) -> dict[str, float]:
        if self._baselines is None:
            pairs = self._pairs()
            a, b = pairs[:, 0], pairs[:, 1]
            mean_of = getattr(self.t.source, "mean_target", None)
            if mean_of is not None:
                mean = mean_of().to(self.t.device)
            else:
                drawn, _ = self.t.source.sample(1024, torch.Generator().manual_seed(0))
                mean = drawn[:, 1].mean(dim=0).to(self.t.device)
            guess = mean.expand_as(b)
            self._baselines = {
                "l1_identity": l1_distance(a, b),
                "psnr_identity": psnr(a, b),
                "l1_mean": l1_distance(guess, b),
                "psnr_mean": psnr(guess, b),
            }
        return self._baselines

    def metrics(self) -> dict[str, float]:
        pairs = self._pairs()
        out = self._translate(pairs[:, 0])
        b = pairs[:, 1]
        return {"l1_held_out": l1_distance(out, b), "psnr": psnr(out, b), **self._baseline_values()}
