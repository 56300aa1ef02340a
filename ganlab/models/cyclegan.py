"""The ``cyclegan`` model family: unpaired image-to-image translation (Zhu et al. 2017).

Runs in whichever thread builds and trains the models (the trainer thread or process).
No Qt.

Two generators and two discriminators, scaled down from the paper for 28-64 px images:

* G: A -> B and F: B -> A, each a ResNet-block generator (Johnson et al. 2016, as
  CycleGAN uses it): a 7x7 convolution, two stride-2 convolutions down, ``g_layers``
  residual blocks (the paper: 6 or 9; the preset: 3), two transposed convolutions up and a
  7x7 convolution to ``tanh``; InstanceNorm and ReLU after every convolution but the last,
  reflection padding. ``base_channels`` is the first layer's width (the paper: 64).
  Both live in one module, :class:`CycleGenerator`, called ``G(x, "AB")`` or ``G(x, "BA")``.
* D_A and D_B, each a PatchGAN (Isola et al. 2017): stride-2 and stride-1 4x4 convolutions
  with InstanceNorm and LeakyReLU(0.2), ending in a map of logits, one per image patch
  (a 6x6 map of 22-px patches at 32 px). Both in :class:`CycleDiscriminator`, called
  ``D(x, "A")`` or ``D(x, "B")``. It also holds the two image pools (below) as buffers,
  so that a checkpoint keeps them and a resumed run continues exactly.

Training (:class:`Objective`): per iteration D_A and D_B update on real images and on
images from the pools, then G and F on

    L = L_adv(G, D_B) + L_adv(F, D_A) + λ (|F(G(a)) - a|_1 + |G(F(b)) - b|_1)
        + λ · w_id (|G(b) - b|_1 + |F(a) - a|_1)

with λ = ``loss.cycle_weight`` (paper: 10) and w_id = ``loss.identity_weight`` (paper:
0.5, relative to λ as in the reference implementation). The adversarial terms are the
trainer's loss (the preset sets least squares, as the paper does; any loss works). The
reported ``cycle`` and ``identity`` terms are the unweighted sums of the two L1 means.

Image pool (Shrivastava et al. 2017, used by CycleGAN): D sees, per generated image,
with probability 1/2 an older generated image from a pool of 50 that the new one then
replaces, else the new image; while the pool is filling it sees the new images. The
draws come from ``trainer.noise_gen``.

Data kinds: ``unpaired`` only. Paired data could train it too (ignoring the pairing),
but pix2pix is the family for pairs, and a CycleGAN on pairs would teach nothing the
pix2pix lesson does not; offering it would only make the pickers longer.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

import numpy as np
import torch
from torch import nn

from ganlab.kernel.config import ModelConfig
from ganlab.kernel.contracts import DataSpec
from ganlab.kernel.errors import ConfigError
from ganlab.kernel.i18n import _
from ganlab.kernel.registry import lazy
from ganlab.models.base import LEAKY_SLOPE, display_forward, finish_pair, require_kind
from ganlab.models.catalogue import CYCLEGAN as FAMILY

NAME = FAMILY.name
DATA_KINDS = FAMILY.data_kinds
POOL_SIZE = 50  # generated images D remembers per domain (the paper's value)
MIN_SIDE = 16  # two stride-2 layers down and a PatchGAN need at least this
DIRECTIONS = ("AB", "BA")
DOMAINS = ("A", "B")
INIT_STD = 0.02  # the reference implementation's N(0, 0.02) initialisation


def _init(module: nn.Module) -> None:
    """Convolution weights ~ N(0, 0.02), biases 0 (the reference implementation)."""
    if isinstance(module, nn.Conv2d | nn.ConvTranspose2d):
        nn.init.normal_(module.weight, 0.0, INIT_STD)
        if module.bias is not None:
            nn.init.zeros_(module.bias)


def _norm(channels: int) -> nn.Module:
    return nn.InstanceNorm2d(channels, affine=False)


class ResidualBlock(nn.Module):
    """x + conv(ReLU(IN(conv(x)))) with two 3x3 convolutions and reflection padding."""

    def __init__(self, width: int):
        super().__init__()
        self.body = nn.Sequential(
            OrderedDict(
                pad_a=nn.ReflectionPad2d(1),
                conv_a=nn.Conv2d(width, width, 3),
                norm_a=_norm(width),
                relu=nn.ReLU(),
                pad_b=nn.ReflectionPad2d(1),
                conv_b=nn.Conv2d(width, width, 3),
                norm_b=_norm(width),
            )
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


class ResnetGenerator(nn.Module):
    """One direction's generator ``(N, C, H, W) -> (N, C, H, W)`` in [-1, 1] (H, W
    multiples of 4)."""

    def __init__(self, channels: int, base: int, blocks: int):
        super().__init__()
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        layers["pad_in"] = nn.ReflectionPad2d(3)
        layers["conv_in"] = nn.Conv2d(channels, base, 7)
        layers["norm_in"] = _norm(base)
        layers["relu_in"] = nn.ReLU()
        width = base
        for name in ("down_a", "down_b"):
            layers[name] = nn.Conv2d(width, 2 * width, 3, stride=2, padding=1)
            layers[f"norm_{name}"] = _norm(2 * width)
            layers[f"relu_{name}"] = nn.ReLU()
            width *= 2
        for i in range(blocks):
            layers[f"res_{chr(ord('a') + i)}"] = ResidualBlock(width)
        for name in ("up_a", "up_b"):
            layers[name] = nn.ConvTranspose2d(
                width, width // 2, 3, stride=2, padding=1, output_padding=1
            )
            layers[f"norm_{name}"] = _norm(width // 2)
            layers[f"relu_{name}"] = nn.ReLU()
            width //= 2
        layers["pad_out"] = nn.ReflectionPad2d(3)
        layers["conv_out"] = nn.Conv2d(width, channels, 7)
        layers["tanh"] = nn.Tanh()
        self.net = nn.Sequential(layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class PatchDiscriminator(nn.Module):
    """PatchGAN ``(N, C, H, W) -> (N, 1, H/4 - 2, W/4 - 2)`` logits, one per patch."""

    def __init__(self, channels: int, base: int):
        super().__init__()
        self.net = nn.Sequential(
            OrderedDict(
                conv_a=nn.Conv2d(channels, base, 4, stride=2, padding=1),
                act_a=nn.LeakyReLU(LEAKY_SLOPE),
                conv_b=nn.Conv2d(base, 2 * base, 4, stride=2, padding=1),
                norm_b=_norm(2 * base),
                act_b=nn.LeakyReLU(LEAKY_SLOPE),
                conv_c=nn.Conv2d(2 * base, 4 * base, 4, stride=1, padding=1),
                norm_c=_norm(4 * base),
                act_c=nn.LeakyReLU(LEAKY_SLOPE),
                out=nn.Conv2d(4 * base, 1, 4, stride=1, padding=1),
            )
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class CycleGenerator(nn.Module):
    """G (A -> B) and F (B -> A) in one module: ``forward(x, "AB")`` is G(x),
    ``forward(x, "BA")`` is F(x)."""

    def __init__(self, channels: int, base: int, blocks: int):
        super().__init__()
        self.g_ab = ResnetGenerator(channels, base, blocks)
        self.g_ba = ResnetGenerator(channels, base, blocks)

    def forward(self, x: torch.Tensor, direction: Any = "AB") -> torch.Tensor:
        if direction == "AB":
            return self.g_ab(x)
        if direction == "BA":
            return self.g_ba(x)
        raise ValueError(f"direction must be 'AB' or 'BA', not {direction!r}")


class CycleDiscriminator(nn.Module):
    """D_A and D_B in one module (``forward(x, "A")`` / ``forward(x, "B")``) and the two
    image pools as buffers: ``pool_a`` / ``pool_b`` (POOL_SIZE, C, H, W) and their fill
    counts ``pool_count`` (2,) int64. The pools are part of D's state so a checkpoint
    keeps them; D's forward never reads them."""

    pool_a: torch.Tensor
    pool_b: torch.Tensor
    pool_count: torch.Tensor

    def __init__(self, channels: int, side: int, base: int):
        super().__init__()
        self.d_a = PatchDiscriminator(channels, base)
        self.d_b = PatchDiscriminator(channels, base)
        self.register_buffer("pool_a", torch.zeros(POOL_SIZE, channels, side, side))
        self.register_buffer("pool_b", torch.zeros(POOL_SIZE, channels, side, side))
        self.register_buffer("pool_count", torch.zeros(2, dtype=torch.int64))

    def forward(self, x: torch.Tensor, domain: Any = "B") -> torch.Tensor:
        if domain == "A":
            return self.d_a(x)
        if domain == "B":
            return self.d_b(x)
        raise ValueError(f"domain must be 'A' or 'B', not {domain!r}")


def query_pool(
    d: CycleDiscriminator, domain: str, images: torch.Tensor, generator: torch.Generator
) -> torch.Tensor:
    """The images D is shown instead of ``images`` (N, C, H, W), updating the pool of
    ``domain`` ("A" or "B") in place (Shrivastava et al. 2017; CycleGAN's ImagePool).

    While the pool holds fewer than :data:`POOL_SIZE` images, each new image is stored
    and shown. Then, per image, with probability 1/2 a random stored image is shown and
    the new one takes its place, else the new image is shown. Draws exactly ``2 N``
    numbers from ``generator`` (N uniforms, N indices) whatever the pool's state.
    """
    images = images.detach()
    n = len(images)
    pool = d.pool_a if domain == "A" else d.pool_b
    slot = 0 if domain == "A" else 1
    u = torch.rand(n, generator=generator, device=generator.device)
    idx = torch.randint(POOL_SIZE, (n,), generator=generator, device=generator.device)
    u_host, idx_host = u.tolist(), idx.tolist()
    count = int(d.pool_count[slot])
    out = images.clone()
    with torch.no_grad():
        for i in range(n):
            if count < POOL_SIZE:
                pool[count].copy_(images[i])
                count += 1
            elif u_host[i] < 0.5:
                j = idx_host[i]
                out[i].copy_(pool[j])
                pool[j].copy_(images[i])
        d.pool_count[slot] = count
    return out


def check_image_shape(spec: DataSpec) -> tuple[int, int]:
    """``(channels, side)`` of one domain's images, or a ConfigError (key
    ``data.image_size``) when they are not square, a multiple of 4 and at least 16 px."""
    require_kind(spec, NAME, DATA_KINDS)
    channels, height, width = spec.image_shape
    if height != width or height % 4 or height < MIN_SIDE:
        raise ConfigError(
            _(
                "model family '{family}' translates square images whose side is a multiple "
                "of 4 and at least {minimum} pixels; this data is {size}. Set data.image_size "
                "to 32, for example."
            ).format(family=NAME, minimum=MIN_SIDE, size=f"{height}x{width}"),
            key="data.image_size",
        )
    return channels, height


def build(model_cfg: ModelConfig, spec: DataSpec, latent_dim: int) -> tuple[nn.Module, nn.Module]:
    """Build the ``cyclegan`` pair (G holding G and F, D holding D_A and D_B) for
    ``spec``; ``latent_dim`` is unused (no z). ``model.g_layers`` residual blocks (at
    least 1), ``model.base_channels`` feature maps in the first layers."""
    channels, side = check_image_shape(spec)
    base = model_cfg.base_channels
    generator = CycleGenerator(channels, base, max(1, model_cfg.g_layers))
    discriminator = CycleDiscriminator(channels, side, base)
    generator.apply(_init)
    discriminator.apply(_init)
    return finish_pair(generator, discriminator, model_cfg)


# --------------------------------------------------------------------------- training


class Objective:
    """CycleGAN's training step (see the module docstring and models.base.Objective)."""

    def __init__(self, trainer: Any):
        self.t = trainer

    def _weights(self) -> tuple[float, float]:
        lcfg = self.t.config.loss
        return float(lcfg.cycle_weight), float(lcfg.cycle_weight * lcfg.identity_weight)

    def _noisy(self, x: torch.Tensor) -> torch.Tensor:
        """D's input with the loss's instance noise, when it asks for some."""
        add = getattr(self.t, "_instance_noise", None)
        return add(x) if add is not None else x

    def _fakes(self, a: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        g = self.t.g_train
        return g(a, "AB"), g(b, "BA")

    def _update_d(
        self, a: torch.Tensor, b: torch.Tensor, fake_b: torch.Tensor, fake_a: torch.Tensor
    ) -> tuple[torch.Tensor, ...]:
        t = self.t
        lcfg = t.config.loss
        d = t.d_train
        plain: CycleDiscriminator = t.D
        shown_b = query_pool(plain, "B", fake_b, t.noise_gen)
        shown_a = query_pool(plain, "A", fake_a, t.noise_gen)
        real_b, out_fake_b = d(self._noisy(b), "B"), d(self._noisy(shown_b), "B")
        real_a, out_fake_a = d(self._noisy(a), "A"), d(self._noisy(shown_a), "A")
        loss = t.loss.d_loss(real_b, out_fake_b, lcfg) + t.loss.d_loss(real_a, out_fake_a, lcfg)
        loss = loss + t.d_penalties(d, b, shown_b, "B") + t.d_penalties(d, a, shown_a, "A")
        total, layers = t.update("d", loss)
        with torch.no_grad():
            show = t.loss.display
            d_real = 0.5 * (show(real_a).mean() + show(real_b).mean())
            d_fake = 0.5 * (show(out_fake_a).mean() + show(out_fake_b).mean())
        return loss.detach(), d_real, d_fake, total, layers

    def _update_g(
        self,
        a: torch.Tensor,
        b: torch.Tensor,
        fake_b: torch.Tensor | None = None,
        fake_a: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, ...]:
        t = self.t
        lcfg = t.config.loss
        g = t.g_train
        if fake_b is None or fake_a is None:
            fake_b, fake_a = self._fakes(a, b)
        rec_a, rec_b = g(fake_b, "BA"), g(fake_a, "AB")
        same_b, same_a = g(b, "AB"), g(a, "BA")
        t.D.requires_grad_(False)
        try:
            adv = t.loss.g_loss(t.D(self._noisy(fake_b), "B"), lcfg) + t.loss.g_loss(
                t.D(self._noisy(fake_a), "A"), lcfg
            )
        finally:
            t.D.requires_grad_(True)
        cycle = (rec_a - a).abs().mean() + (rec_b - b).abs().mean()
        identity = (same_b - b).abs().mean() + (same_a - a).abs().mean()
        w_cycle, w_identity = self._weights()
        loss = adv + w_cycle * cycle + w_identity * identity
        total, layers = t.update("g", loss)
        return loss.detach(), adv.detach(), cycle.detach(), identity.detach(), total, layers

    def _batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        x, _ = self.t.real_batch(self.t.config.loop.batch_size)
        return x[:, 0], x[:, 1]

    def train(
        self, which: str, k_d: int, k_g: int
    ) -> tuple[dict[str, torch.Tensor], dict[str, torch.Tensor]]:
        """``k_d`` updates of D_A and D_B, then ``k_g`` of G and F. With both, the last D
        update's fakes (made with their graph) are reused by the first G update, as the
        trainer's plain game does."""
        values: dict[str, torch.Tensor] = {}
        norms: dict[str, torch.Tensor] = {}
        reuse: tuple[torch.Tensor, ...] | None = None
        for i in range(k_d):
            a, b = self._batch()
            if i == k_d - 1 and k_g > 0:
                fake_b, fake_a = self._fakes(a, b)
                reuse = (a, b, fake_b, fake_a)
            else:
                with torch.no_grad():
                    fake_b, fake_a = self._fakes(a, b)
            loss, d_real, d_fake, total, layers = self._update_d(a, b, fake_b, fake_a)
            values.update(d_loss=loss, d_real=d_real, d_fake=d_fake, grad_norm_d=total)
            norms["d"] = layers
        for i in range(k_g):
            args = reuse if i == 0 and reuse is not None else self._batch()
            loss, adv, cycle, identity, total, layers = self._update_g(*args)
            values.update(g_loss=loss, g_adv=adv, cycle=cycle, identity=identity, grad_norm_g=total)
            norms["g"] = layers
        return values, norms


# --------------------------------------------------------------------------- views

# The A-vs-B judge lives in ganlab.metrics (ganlab.metrics.domains), a layer that models
# may not import (import-linter: models | data | metrics are peers): the views reach it
# through lazy references, imported on the first metrics call, in the trainer.
DOMAIN_CLASSIFIER = lazy("ganlab.metrics.domains:domain_classifier")
TARGET_SHARE = lazy("ganlab.metrics.domains:target_share")
SHOWN = 8  # held-out images per row in the panel
METRIC_IMAGES = 32  # held-out images per domain behind the metrics
# The loop asks for metrics about once a second; these cost a few G passes, as much as a
# training step on a CPU, so they are measured at most every METRICS_MIN_S seconds and
# at most 5 % of the time (the calls in between return {}: nothing new).
METRICS_MIN_S = 3.0
METRICS_SHARE = 0.05


def _uint8(x: torch.Tensor) -> np.ndarray:
    """(N, C, H, W) in [-1, 1] -> (N, H, W, C) uint8 on the host."""
    return ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1).cpu().numpy()


class Views:
    """CycleGAN's panel rows and held-out metrics (models.base.FamilyViews).

    ``snapshot()`` arrays, each (N, H, W, C) uint8 for the same N fixed held-out images:
    ``a``, ``ab`` = G(a), ``aba`` = F(G(a)), ``b``, ``ba`` = F(b), ``bab`` = G(F(b)); and
    ``aba_error`` / ``bab_error`` (N,) float32, each image's mean |F(G(a)) - a| (and for
    b) on the [-1, 1] scale. Values: ``cycle_error_a`` / ``cycle_error_b`` of those rows.

    ``metrics()`` / ``measure()`` (held-out images, up to :data:`METRIC_IMAGES` per domain):
    ``cycle_error_a`` = mean |F(G(a)) - a|, ``cycle_error_b`` = mean |G(F(b)) - b|,
    ``cycle_error`` their mean (pixel values on the [-1, 1] scale, so 0..2);
    ``target_share_ab`` = share of G(a) the domain classifier (:data:`DOMAIN_CLASSIFIER`)
    judges to be B, ``target_share_ba`` = share of F(b) judged A, ``target_share`` their
    mean (0..1); ``real_share`` = its accuracy on the real held-out images (the ceiling).
    """

    def __init__(self, trainer: Any):
        self.t = trainer
        held = trainer.source.held_out(METRIC_IMAGES)
        if held is None:
            held, _ = trainer.source.sample(METRIC_IMAGES, torch.Generator().manual_seed(0))
        self.held = held
        self._classifier: Any = None
        self._last_metrics: tuple[float, float] | None = None  # (when, seconds it took)

    def _rows(self, a: torch.Tensor, b: torch.Tensor) -> dict[str, torch.Tensor]:
        t = self.t
        g = t.G
        with display_forward(g, eval_mode=True):
            a, b = a.to(t.device), b.to(t.device)
            ab = g(a, "AB")
            ba = g(b, "BA")
            return {"a": a, "ab": ab, "aba": g(ab, "BA"), "b": b, "ba": ba, "bab": g(ba, "AB")}

    def snapshot(self) -> tuple[dict[str, Any], dict[str, float]]:
        shown = self.t.fixed_real[:SHOWN]
        rows = self._rows(shown[:, 0], shown[:, 1])
        err_a = (rows["aba"] - rows["a"]).abs().flatten(1).mean(1)
        err_b = (rows["bab"] - rows["b"]).abs().flatten(1).mean(1)
        arrays: dict[str, Any] = {key: _uint8(value) for key, value in rows.items()}
        arrays["aba_error"] = err_a.float().cpu().numpy()
        arrays["bab_error"] = err_b.float().cpu().numpy()
        values = {"cycle_error_a": float(err_a.mean()), "cycle_error_b": float(err_b.mean())}
        return arrays, values

    def answer(self, what: str, params: dict[str, Any]) -> dict[str, Any]:
        raise ValueError(f"the cyclegan panel asks nothing; got request {what!r}")

    def classifier(self) -> Any:
        """The data set's domain classifier, trained or loaded on first use."""
        if self._classifier is None:
            self._classifier = DOMAIN_CLASSIFIER(self.t.source)
        return self._classifier

    def metrics(self) -> dict[str, float]:
        """:meth:`measure`, when due (see :data:`METRICS_MIN_S`); {} in between."""
        now = time.monotonic()
        if self._last_metrics is not None:
            at, took = self._last_metrics
            if now - at < max(METRICS_MIN_S, took / METRICS_SHARE):
                return {}
        values = self.measure()
        self._last_metrics = (now, time.monotonic() - now)
        return values

    def measure(self) -> dict[str, float]:
        """The held-out metrics now (see the class docstring)."""
        target_share = TARGET_SHARE

        rows = self._rows(self.held[:, 0], self.held[:, 1])
        cyc_a = float((rows["aba"] - rows["a"]).abs().mean())
        cyc_b = float((rows["bab"] - rows["b"]).abs().mean())
        judge = self.classifier()
        share_ab = target_share(judge, rows["ab"], 1)
        share_ba = target_share(judge, rows["ba"], 0)
        real = 0.5 * (target_share(judge, rows["b"], 1) + target_share(judge, rows["a"], 0))
        return {
            "cycle_error": 0.5 * (cyc_a + cyc_b),
            "cycle_error_a": cyc_a,
            "cycle_error_b": cyc_b,
            "target_share": 0.5 * (share_ab + share_ba),
            "target_share_ab": share_ab,
            "target_share_ba": share_ba,
            "real_share": real,
        }
