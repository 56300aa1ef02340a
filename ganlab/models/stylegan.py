"""The ``stylegan`` model family: a small StyleGAN (Karras et al. 2019, 2020) for 28, 32
and 64 px images, with its training objective and its own views.

Runs in whichever thread builds the models and trains them (the trainer thread in the
window, the trainer process headless). No Qt.

Generator
---------
* a **mapping network** z -> w: z is normalised to unit RMS ("pixel norm"), then
  ``model.mapping_layers`` fully connected layers with LeakyReLU(0.2); w has as many
  values as z (``loop.latent_dim``). Its layers learn at 1/10 of the optimizer's rate
  (:data:`MAPPING_LR_MUL`, an equalised-learning-rate multiplier): the paper's 1/100
  keeps a 25-million-image run stable, but would leave w almost untrained in the few
  tens of thousands of images a CPU run sees;
* a **learned constant** 4 x 4 input (7 x 7 for 28 px images) instead of z;
* **per-layer styles** through **modulated convolutions with weight demodulation**
  (StyleGAN2, Karras et al. 2020, eq. 1-3): every 3 x 3 convolution scales its input
  channels by a style ``s = A(w)`` (a learned affine map of w) and then divides each
  output channel by the norm its modulated weights would give, ``1 / sqrt(sum (s_i
  w_ijk)^2 + eps)``. We chose this over AdaIN (StyleGAN 1) because demodulation removes
  the style's effect on the feature statistics from the *weights* instead of
  normalising the feature maps themselves, which is what produced StyleGAN 1's "water
  droplet" artefacts, and because it is the form today's StyleGANs use. We compute it
  un-fused: ``conv(x * s) * d`` equals the convolution with the per-sample modulated,
  demodulated weights (tests check the identity) but runs as one ordinary batched
  convolution, which is much faster on a CPU than a grouped one;
* **per-layer noise** with a learned scale (init 0) added after each convolution;
  training draws it from ``trainer.noise_gen``; every other call (views, evaluation)
  uses a fixed noise map per layer (a buffer), so ``G(z)`` is a deterministic function
  (StyleGAN2-ADA's ``noise_mode="const"``);
* the "skip" output of StyleGAN2: each resolution adds an RGB image (a modulated 1 x 1
  convolution, not demodulated) to the upsampled sum of the coarser ones; ``tanh`` at
  the end keeps images in [-1, 1] like every other family;
* the **truncation trick**: ``w' = w_avg + psi (w - w_avg)`` with ``w_avg`` an
  exponential moving average (decay :data:`W_AVG_BETA`) of the w's of G's training
  batches, a buffer, so checkpoints keep it. Only the objective updates it.

``G.num_ws`` styles feed the layers in order (index 0 the 4 x 4 convolution); each
resolution's RGB layer reads the style of the next convolution, so there is one style
per convolution plus one for the last RGB layer (8 for 32 px, as in StyleGAN2).

Discriminator: the DCGAN discriminator without BatchNorm (strided convolutions,
LeakyReLU); StyleGAN's R1 penalty is ``loss.r1_gamma``.

Training (:class:`Objective`): the non-saturating game of the trainer (any loss of the
registry works; penalties and weight clipping through the trainer), plus

* **lazy R1** as in StyleGAN2 (sec. 3.1): ``loss.r1_gamma``'s penalty on every
  :data:`R1_INTERVAL`-th iteration only, times that interval: about the same
  regularisation for a quarter of its cost (WGAN-GP's penalty stays on every update);
* **style-mixing regularisation** (Karras et al. 2019, sec. 3.1): with probability
  ``model.style_mixing`` a training batch takes its styles from a second z from a
  random crossover layer on, so that neighbouring layers cannot rely on being given
  the same w.

Views (:class:`Views`, panel ``"style"``): the fixed-noise sample grid, the style-mixing
grid and interpolations in z and in w at the current ψ, plus a pixel-space perceptual
path length for z and for w.
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
from ganlab.models.base import LEAKY_SLOPE, display_forward, finish_pair
from ganlab.models.catalogue import STYLEGAN as FAMILY
from ganlab.models.dcgan import SIZES, DCGANDiscriminator, check_image_shape

NAME = FAMILY.name  # the declaration in ganlab.models.catalogue
DATA_KINDS = FAMILY.data_kinds

MAPPING_LR_MUL = 0.1  # learning-rate multiplier of the mapping network (paper: 0.01)
W_AVG_BETA = 0.995  # decay of the running mean of w behind the truncation trick
R1_INTERVAL = 4  # lazy R1: every 4th iteration, times 4 (StyleGAN2 uses 16)
_ACT_GAIN = math.sqrt(2.0)  # StyleGAN's gain after LeakyReLU: keeps the signal's scale
_DEMOD_EPS = 1e-8


def _channels(base_channels: int, side: int) -> int:
    """Feature maps at resolution ``side``: ``base_channels`` up to 8 px (the coarse
    layers), then halving with each doubling of the side, never below 8."""
    doublings = round(math.log2(side / 8)) if side > 8 else 0
    return max(8, base_channels >> doublings)


# --------------------------------------------------------------------------- layers


class MappingLinear(nn.Linear):
    """A fully connected layer with an equalised learning rate and a multiplier
    ``lr_mul`` (Karras et al. 2018, 2019): the weight is stored ~ N(0, 1 / lr_mul^2) and
    scaled by ``lr_mul / sqrt(fan_in)`` at run time, so that Adam moves it ``lr_mul``
    times as fast as an ordinary layer."""

    def __init__(self, in_features: int, out_features: int, lr_mul: float = MAPPING_LR_MUL):
        super().__init__(in_features, out_features)
        self.lr_mul = lr_mul
        self.weight_gain = lr_mul / math.sqrt(in_features)
        with torch.no_grad():
            self.weight.normal_(0.0, 1.0 / lr_mul)
            self.bias.zero_()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight * self.weight_gain, self.bias * self.lr_mul)


class ModulatedConv(nn.Module):
    """A convolution whose input channels are scaled per sample by a style (StyleGAN2).

    ``forward(x, w)``: ``x`` (N, in, H, W), ``w`` (N, w_dim) -> (N, out, H', W'), with
    H' = 2H when ``up`` (nearest-neighbour upsampling first), no bias (the caller adds it).

    ``s = affine(w)`` (N, in), bias initialised to 1 so that styles start near 1. The
    weight is stored ~ N(0, 1) and scaled by ``1 / sqrt(in k k)`` (equalised learning
    rate). With ``demodulate`` each output channel is divided by
    ``sqrt(sum_{i,k} (s_i w_oik)^2 + 1e-8)`` (Karras et al. 2020, eq. 3).
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        w_dim: int,
        kernel: int,
        *,
        demodulate: bool = True,
        up: bool = False,
    ):
        super().__init__()
        self.affine = nn.Linear(w_dim, in_channels)
        nn.init.ones_(self.affine.bias)
        self.weight = nn.Parameter(torch.randn(out_channels, in_channels, kernel, kernel))
        self.weight_gain = 1.0 / math.sqrt(in_channels * kernel * kernel)
        self.demodulate = demodulate
        self.up = up
        self.padding = kernel // 2

    def styles(self, w: torch.Tensor) -> torch.Tensor:
        """The per-sample input-channel scales ``A(w)``, (N, in)."""
        return self.affine(w)

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        s = self.styles(w)
        weight = self.weight * self.weight_gain
        if self.up:  # nearest, as StyleGAN 1 (cheaper than bilinear on a CPU)
            x = F.interpolate(x, scale_factor=2.0, mode="nearest")
        x = F.conv2d(x * s[:, :, None, None].to(x.dtype), weight, padding=self.padding)
        if self.demodulate:
            # sum_{i,k} (s_i w_oik)^2 = sum_i s_i^2 (sum_k w_oik^2): one (N, in) @ (in, out)
            energy = s.square() @ weight.square().sum(dim=(2, 3)).t()
            x = x * torch.rsqrt(energy + _DEMOD_EPS)[:, :, None, None].to(x.dtype)
        return x


class StyleLayer(nn.Module):
    """Modulated 3 x 3 convolution, per-pixel noise times a learned scale, bias,
    LeakyReLU(0.2) times sqrt(2). ``forward(x, w, noise_gen)``; with ``noise_gen`` None
    the layer's fixed noise map (buffer ``noise_const``) is used."""

    noise_const: torch.Tensor

    def __init__(self, in_channels: int, out_channels: int, w_dim: int, side: int, *, up: bool):
        super().__init__()
        self.conv = ModulatedConv(in_channels, out_channels, w_dim, 3, up=up)
        self.noise_strength = nn.Parameter(torch.zeros(()))
        self.bias = nn.Parameter(torch.zeros(out_channels))
        self.register_buffer("noise_const", torch.randn(1, 1, side, side))
        self.side = side

    def forward(
        self, x: torch.Tensor, w: torch.Tensor, noise_gen: torch.Generator | None = None
    ) -> torch.Tensor:
        x = self.conv(x, w)
        if noise_gen is None:
            noise = self.noise_const.to(x.dtype)
        else:
            noise = torch.randn(
                (x.shape[0], 1, self.side, self.side),
                generator=noise_gen,
                device=x.device,
                dtype=x.dtype,
            )
        x = x + noise * self.noise_strength + self.bias[None, :, None, None]
        return F.leaky_relu(x, LEAKY_SLOPE) * _ACT_GAIN


class ToRGB(nn.Module):
    """Modulated 1 x 1 convolution to the image channels (not demodulated), plus a bias."""

    def __init__(self, in_channels: int, channels: int, w_dim: int):
        super().__init__()
        self.conv = ModulatedConv(in_channels, channels, w_dim, 1, demodulate=False)
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        return self.conv(x, w) + self.bias[None, :, None, None]


class SynthesisBlock(nn.Module):
    """One resolution: (an upsampling style layer,) a style layer and an RGB output."""

    def __init__(
        self, in_channels: int, out_channels: int, channels: int, w_dim: int, side: int
    ) -> None:
        super().__init__()
        self.first = in_channels == 0
        if not self.first:
            self.conv_up = StyleLayer(in_channels, out_channels, w_dim, side, up=True)
        self.conv = StyleLayer(out_channels, out_channels, w_dim, side, up=False)
        self.torgb = ToRGB(out_channels, channels, w_dim)
        self.num_convs = 1 if self.first else 2


# --------------------------------------------------------------------------- generator


class StyleGenerator(nn.Module):
    """StyleGAN-lite generator ``G(z, y=None) -> (N, C, side, side)`` in [-1, 1].

    Parameters
    ----------
    latent_dim
        Size of z, and of w.
    channels, side
        Shape of the images it makes (side 28, 32 or 64).
    base_channels
        Feature maps of the coarse (4 and 8 px) layers; halving per doubling after.
    mapping_layers
        Fully connected layers of the mapping network (0: w is the normalised z).
    """

    w_avg: torch.Tensor

    def __init__(
        self, latent_dim: int, channels: int, side: int, base_channels: int, mapping_layers: int
    ):
        super().__init__()
        start, n_up = SIZES[side]
        self.w_dim = latent_dim
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        for i in range(1, mapping_layers + 1):
            layers[f"fc{i}"] = MappingLinear(latent_dim, latent_dim)
            layers[f"act{i}"] = nn.LeakyReLU(LEAKY_SLOPE)
        self.mapping_net = nn.Sequential(layers)
        self.register_buffer("w_avg", torch.zeros(latent_dim))
        c0 = _channels(base_channels, start)
        self.const = nn.Parameter(torch.randn(c0, start, start))
        blocks: OrderedDict[str, nn.Module] = OrderedDict()
        sides = [start << i for i in range(n_up + 1)]
        width_in = 0
        layer_sides: list[int] = []
        for s in sides:
            width = _channels(base_channels, s)
            block = SynthesisBlock(width_in, width, channels, latent_dim, s)
            blocks[f"b{s}"] = block
            layer_sides += [s] * block.num_convs
            width_in = width
        self.blocks = nn.ModuleDict(blocks)
        layer_sides.append(sides[-1])  # the last RGB layer's style
        self.layer_sides: tuple[int, ...] = tuple(layer_sides)
        self.num_ws = len(layer_sides)
        self.side = side

    # -- mapping and truncation

    def mapping(self, z: torch.Tensor) -> torch.Tensor:
        """w for each z: (N, latent_dim) -> (N, w_dim). z is scaled to unit RMS first."""
        z = z.reshape(z.shape[0], -1)
        z = z * torch.rsqrt(z.square().mean(dim=1, keepdim=True) + 1e-8)
        return self.mapping_net(z)

    def truncate(self, ws: torch.Tensor, psi: float) -> torch.Tensor:
        """The truncation trick: ``w_avg + psi (w - w_avg)`` for any (..., w_dim)."""
        if psi == 1.0:
            return ws
        return self.w_avg.to(ws.dtype) + psi * (ws - self.w_avg.to(ws.dtype))

    def styles(
        self,
        z: torch.Tensor,
        *,
        psi: float = 1.0,
        mix_z: torch.Tensor | None = None,
        crossover: int | torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Per-layer styles (N, num_ws, w_dim) for ``z``; with ``mix_z``, layers from
        ``crossover`` on (an int or a 0-d tensor; ``num_ws``: none) take ``mix_z``'s w."""
        ws = self.mapping(z)[:, None, :].expand(-1, self.num_ws, -1)
        if mix_z is not None:
            if crossover is None:
                raise ValueError("style mixing needs a crossover layer")
            ws2 = self.mapping(mix_z)[:, None, :]
            index = torch.arange(self.num_ws, device=ws.device)
            late = (index >= crossover)[None, :, None]
            ws = torch.where(late, ws2, ws)
        return self.truncate(ws, psi)

    def update_w_avg(self, z: torch.Tensor, beta: float = W_AVG_BETA) -> None:
        """Move ``w_avg`` towards the mean w of ``z`` (no gradient): the objective's job."""
        with torch.no_grad():
            self.w_avg.lerp_(self.mapping(z).mean(dim=0).to(self.w_avg.dtype), 1.0 - beta)

    # -- synthesis

    def synthesis(
        self,
        ws: torch.Tensor,
        noise_gen: torch.Generator | None = None,
        *,
        features: list[torch.Tensor] | None = None,
    ) -> torch.Tensor:
        """Images from per-layer styles ``ws`` (N, num_ws, w_dim). ``features``, when a
        list, receives every style layer's output in order (for tests and views)."""
        n = ws.shape[0]
        x = self.const[None].expand(n, -1, -1, -1).to(ws.dtype)
        img: torch.Tensor | None = None
        i = 0
        for block in self.blocks.values():
            assert isinstance(block, SynthesisBlock)
            if not block.first:
                x = block.conv_up(x, ws[:, i], noise_gen)
                i += 1
                if features is not None:
                    features.append(x)
            x = block.conv(x, ws[:, i], noise_gen)
            i += 1
            if features is not None:
                features.append(x)
            rgb = block.torgb(x, ws[:, i])
            if img is not None:
                img = F.interpolate(img, scale_factor=2.0, mode="bilinear", align_corners=False)
                rgb = rgb + img
            img = rgb
        assert img is not None
        return torch.tanh(img)

    def forward(
        self,
        z: torch.Tensor,
        y: torch.Tensor | None = None,
        *,
        psi: float = 1.0,
        mix_z: torch.Tensor | None = None,
        crossover: int | torch.Tensor | None = None,
        noise_gen: torch.Generator | None = None,
    ) -> torch.Tensor:
        """``G(z)``: (N, latent_dim) -> (N, C, side, side). ``y`` is ignored (unconditional).
        ``psi``: truncation; ``mix_z`` / ``crossover``: style mixing (see :meth:`styles`);
        ``noise_gen``: draw the per-layer noise from it (training), else fixed maps."""
        return self.synthesis(self.styles(z, psi=psi, mix_z=mix_z, crossover=crossover), noise_gen)


def build(model_cfg: ModelConfig, spec: DataSpec, latent_dim: int) -> tuple[nn.Module, nn.Module]:
    """Build the ``stylegan`` pair (G, D) for ``spec``; see :class:`ModelFamily`."""
    channels, side = check_image_shape(spec, NAME)
    generator = StyleGenerator(
        latent_dim, channels, side, model_cfg.base_channels, model_cfg.mapping_layers
    )
    discriminator = DCGANDiscriminator(channels, side, model_cfg.base_channels, batch_norm=False)
    return finish_pair(generator, discriminator, model_cfg)


# --------------------------------------------------------------------------- training


class Objective:
    """The non-saturating (or any registered) game with style mixing, per-layer noise from
    ``trainer.noise_gen`` and the running mean of w; see the module docstring.

    Randomness per G forward, always drawn (so the streams do not depend on the mixing
    draw): z, a second z, one uniform number (mix or not), one crossover layer in
    [1, num_ws), then the noise maps. No host synchronisation.
    """

    def __init__(self, trainer: Any):
        self.t = trainer

    def _fake(self, n: int) -> tuple[torch.Tensor, torch.Tensor]:
        """(images with their graph, z) from the training G (``g_train``)."""
        t = self.t
        gen = t.noise_gen
        z, _ = t._noise(n)  # the trainer's latent distribution, from noise_gen
        z2, _ = t._noise(n)
        num_ws = t.G.num_ws
        u = torch.rand((), generator=gen, device=t.device)
        cut = torch.randint(1, num_ws, (), generator=gen, device=t.device)
        none = torch.full_like(cut, num_ws)
        crossover = torch.where(u < t.config.model.style_mixing, cut, none)
        fake = t.g_train(z, None, mix_z=z2, crossover=crossover, noise_gen=gen)
        return fake, z

    def _update_d(self, fake: torch.Tensor, lazy: bool) -> tuple[torch.Tensor, ...]:
        """One D update; R1 (``lazy``: the iteration's first D update) every
        :data:`R1_INTERVAL` iterations, times the interval."""
        t = self.t
        lcfg = t.config.loss
        real, _ = t.real_batch(t.config.loop.batch_size)
        fake = fake.detach()
        d = t.d_train
        out_real = d(t._instance_noise(real), None)
        out_fake = d(t._instance_noise(fake), None)
        loss = t.loss.d_loss(out_real, out_fake, lcfg)
        if t.loss.gradient_penalty:  # WGAN-GP's penalty belongs to every update
            loss = loss + t.d_penalties(d, real, fake, None)
        elif lazy and t.step_count % R1_INTERVAL == 0:
            loss = loss + R1_INTERVAL * t.d_penalties(d, real, fake, None)
        total, layers = t.update("d", loss)
        with torch.no_grad():
            d_real = t.loss.display(out_real).mean()
            d_fake = t.loss.display(out_fake).mean()
        return loss.detach(), d_real, d_fake, total, layers

    def _update_g(self, fake: torch.Tensor, z: torch.Tensor) -> tuple[torch.Tensor, ...]:
        t = self.t
        t.D.requires_grad_(False)
        try:
            out_fake = t.D(t._instance_noise(fake), None)
        finally:
            t.D.requires_grad_(True)
        loss = t.loss.g_loss(out_fake, t.config.loss)
        total, layers = t.update("g", loss)
        t.G.update_w_avg(z)
        return loss.detach(), total, layers

    def train(
        self, which: str, k_d: int, k_g: int
    ) -> tuple[dict[str, torch.Tensor], dict[str, torch.Tensor]]:
        """One iteration, as ``ganlab.models.base.Objective`` says."""
        n = self.t.config.loop.batch_size
        values: dict[str, torch.Tensor] = {}
        norms: dict[str, torch.Tensor] = {}
        reuse: tuple[torch.Tensor, torch.Tensor] | None = None
        for i in range(k_d):
            if i == k_d - 1 and k_g > 0:
                fake, z = self._fake(n)  # kept with its graph for G's first update
                reuse = (fake, z)
            else:
                with torch.no_grad():
                    fake, z = self._fake(n)
            d_loss, d_real, d_fake, d_norm, d_layers = self._update_d(fake, lazy=i == 0)
            values.update(d_loss=d_loss, d_real=d_real, d_fake=d_fake, grad_norm_d=d_norm)
            norms["d"] = d_layers
        for i in range(k_g):
            fake, z = reuse if (i == 0 and reuse is not None) else self._fake(n)
            g_loss, g_norm, g_layers = self._update_g(fake, z)
            values.update(g_loss=g_loss, grad_norm_g=g_norm)
            norms["g"] = g_layers
        return values, norms


# --------------------------------------------------------------------------- views

MIX_ROWS = 4  # style-mixing grid: sources of the coarse styles
MIX_COLS = 5  # sources of the fine styles
INTERP_STEPS = 9  # images per interpolation row
PPL_PAIRS = 24  # path-length pairs (about 0.1 s on one CPU core at 32 px)
PPL_EPS = 1e-3  # path-length step (Karras et al. 2019 use 1e-4 with LPIPS; pixels here)
_VIEW_SEED = 2019  # fixed latents of the views: loop.seed + this
_PPL_SEED = 2020


def _latent(n: int, dim: int, dist: str, gen: torch.Generator) -> torch.Tensor:
    if dist == "uniform":
        return torch.rand(n, dim, generator=gen) * 2.0 - 1.0
    return torch.randn(n, dim, generator=gen)


def slerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Spherical interpolation between rows of ``a`` and ``b`` (N, D) at ``t`` (N,)
    (the path Karras et al. 2019 take in Z; linear where a and b are parallel)."""
    an = a / a.norm(dim=1, keepdim=True).clamp_min(1e-12)
    bn = b / b.norm(dim=1, keepdim=True).clamp_min(1e-12)
    omega = torch.acos((an * bn).sum(dim=1).clamp(-1.0, 1.0))[:, None]
    so = torch.sin(omega)
    t = t[:, None]
    lin = (1 - t) * a + t * b
    sph = (torch.sin((1 - t) * omega) * a + torch.sin(t * omega) * b) / so.clamp_min(1e-12)
    return torch.where(so > 1e-6, sph, lin)


def to_uint8(x: torch.Tensor) -> np.ndarray:
    """(N, C, H, W) in [-1, 1] -> (N, H, W, C) uint8 on the host."""
    x = ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    return x.permute(0, 2, 3, 1).cpu().numpy()


class Views:
    """The ``style`` panel's views: see :meth:`snapshot` for the arrays.

    Fixed latents per build (``loop.seed`` + a constant): 4 row and 5 column sources of
    the mixing grid, the two ends of the interpolations; the sample grid uses the
    trainer's fixed noise. ψ (default 1: the grid shows what G really samples, the
    distribution FID measures; lower it to see the truncation trade quality for
    variety) and the crossover layer (default: the first 16 px layer, so rows give the
    4-8 px styles) persist between requests.
    """

    def __init__(self, trainer: Any):
        self.t = trainer
        g: StyleGenerator = trainer.G
        lc = trainer.config.loop
        gen = torch.Generator().manual_seed(lc.seed + _VIEW_SEED)
        dim, dist = lc.latent_dim, lc.latent_dist
        self.row_z = _latent(MIX_ROWS, dim, dist, gen)
        self.col_z = _latent(MIX_COLS, dim, dist, gen)
        self.ends_z = _latent(2, dim, dist, gen)
        pgen = torch.Generator().manual_seed(lc.seed + _PPL_SEED)
        self.ppl_z = _latent(2 * PPL_PAIRS, dim, dist, pgen)
        self.ppl_t = torch.rand(PPL_PAIRS, generator=pgen)
        self.psi = 1.0
        fine = [i for i, s in enumerate(g.layer_sides) if s >= 16]
        self.crossover = fine[0] if fine and fine[0] > 0 else max(1, g.num_ws // 2)
        self.last_metrics: dict[str, float] = {}
        self._snapshots = 0  # snapshots made since the segment began
        self._segment = getattr(trainer, "segment", 0)

    @property
    def gen(self) -> StyleGenerator:
        """The trainer's current generator."""
        return self.t.G  # type: ignore[no-any-return]

    def _dev(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(self.t.device)

    def _set(self, params: dict[str, Any]) -> None:
        if "psi" in params:
            try:
                psi = float(params["psi"])
            except (TypeError, ValueError):
                raise ValueError(f"psi must be a number, got {params['psi']!r}") from None
            if not 0.0 <= psi <= 1.0:
                raise ValueError(f"psi must lie in [0, 1], got {psi}")
            self.psi = psi
        if "crossover" in params:
            c = params["crossover"]
            if isinstance(c, bool) or not isinstance(c, int | np.integer):
                raise ValueError(f"crossover must be a layer number, got {c!r}")
            if not 1 <= int(c) < self.gen.num_ws:
                raise ValueError(f"crossover must lie in [1, {self.gen.num_ws - 1}], got {c}")
            self.crossover = int(c)

    def _samples(self) -> dict[str, Any]:
        with display_forward(self.gen):
            x = self.gen(self._dev(self.t.fixed_z), psi=self.psi)
        return {"samples": to_uint8(x)}

    def _mixing(self) -> dict[str, Any]:
        g = self.gen
        with display_forward(g):
            rows = g.styles(self._dev(self.row_z), psi=self.psi)  # (R, L, D)
            cols = g.styles(self._dev(self.col_z), psi=self.psi)  # (C, L, D)
            r, c = len(rows), len(cols)
            grid = rows[:, None].expand(-1, c, -1, -1).clone()  # (R, C, L, D)
            grid[:, :, self.crossover :] = cols[None, :, self.crossover :]
            images = g.synthesis(torch.cat([rows, cols, grid.reshape(r * c, *rows.shape[1:])]))
        out = to_uint8(images)
        return {
            "mix_rows": out[:r],
            "mix_cols": out[r : r + c],
            "mixing": out[r + c :],
            "layer_sides": np.asarray(g.layer_sides, dtype=np.int64),
            "crossover": np.asarray(self.crossover, dtype=np.int64),
            "psi": np.asarray(self.psi, dtype=np.float64),
        }

    def _interpolation(self) -> dict[str, Any]:
        g = self.gen
        t = torch.linspace(0.0, 1.0, INTERP_STEPS)
        a, b = self.ends_z[:1].expand(INTERP_STEPS, -1), self.ends_z[1:].expand(INTERP_STEPS, -1)
        with display_forward(g):
            z_path = self._dev(slerp(a, b, t))
            wz = g.styles(z_path, psi=self.psi)
            w_ends = g.mapping(self._dev(self.ends_z))
            tt = self._dev(t)[:, None]
            w_path = (1 - tt) * w_ends[:1] + tt * w_ends[1:]
            ww = g.truncate(w_path, self.psi)[:, None, :].expand(-1, g.num_ws, -1)
            images = g.synthesis(torch.cat([wz, ww]))
        out = to_uint8(images)
        return {"interp_z": out[:INTERP_STEPS], "interp_w": out[INTERP_STEPS:]}

    def snapshot(self) -> tuple[dict[str, Any], dict[str, float]]:
        """The first snapshot of a segment has every array below; later ones one part each
        in turn (samples; the mixing arrays; the interpolations), so that drawing costs
        a third as much while training runs (a panel keeps the parts it has).

        Arrays (images (N, H, W, C) uint8): ``samples`` (the fixed-noise grid),
        ``mix_rows`` (4), ``mix_cols`` (5), ``mixing`` (20, row-major: row r's coarse
        styles, column c's fine ones), ``interp_z`` and ``interp_w`` (9 each, the same
        two ends), ``layer_sides`` (num_ws,) int64 (the resolution each style feeds),
        ``crossover`` and ``psi`` (0-d). Values: psi, crossover, num_ws and the latest
        path lengths (``ppl_z``, ``ppl_w``) once measured."""
        parts = (self._samples, self._mixing, self._interpolation)
        segment = getattr(self.t, "segment", 0)
        if self._snapshots == 0 or segment != self._segment:
            # a new segment (a loaded checkpoint): the panel starts empty, send everything
            arrays = {k: v for part in parts for k, v in part().items()}
            self._snapshots = 0
        else:  # one part per snapshot: a third of the cost, each view at a third of the rate
            arrays = parts[(self._snapshots - 1) % len(parts)]()
        self._snapshots += 1
        self._segment = segment
        values = {
            "psi": float(self.psi),
            "crossover": float(self.crossover),
            "num_ws": float(self.gen.num_ws),
            **self.last_metrics,
        }
        return arrays, values

    def answer(self, what: str, params: dict[str, Any]) -> dict[str, Any]:
        """``"mixing"`` ({"psi", "crossover"}), ``"interpolation"`` ({"psi"}),
        ``"samples"`` ({"psi"}) or ``"all"`` (both keys): the arrays of :meth:`snapshot`
        for that part, after setting the given ψ / crossover for later snapshots too.

        Raises
        ------
        ValueError
            An unknown ``what``, ψ outside [0, 1], a crossover outside [1, num_ws).
        """
        parts = {
            "mixing": (self._mixing,),
            "interpolation": (self._interpolation,),
            "samples": (self._samples,),
            "all": (self._samples, self._mixing, self._interpolation),
        }
        if what not in parts:
            raise ValueError(f"unknown style request {what!r}; known: {', '.join(parts)}")
        self._set(params)
        out: dict[str, Any] = {
            "psi": np.asarray(self.psi, dtype=np.float64),
            "crossover": np.asarray(self.crossover, dtype=np.int64),
        }
        for part in parts[what]:
            out.update(part())
        return out

    def path_lengths(self) -> tuple[float, float]:
        """Perceptual path length, pixel version (Karras et al. 2019, sec. 4.2, with the
        mean squared pixel difference in place of LPIPS): ``E[d(G(p(t)), G(p(t + eps)))
        / eps^2]`` over 24 fixed pairs and t, with p a slerp in Z and a lerp in W, at
        ψ = 1 and fixed noise. Lower: smaller image changes per step along the path.
        Returns (ppl_z, ppl_w)."""
        g = self.gen
        n = PPL_PAIRS
        a, b = self.ppl_z[:n], self.ppl_z[n:]
        t0 = self.ppl_t
        t1 = t0 + PPL_EPS
        with display_forward(g):
            z_both = self._dev(torch.cat([slerp(a, b, t0), slerp(a, b, t1)]))
            wa, wb = g.mapping(self._dev(a)), g.mapping(self._dev(b))
            t_both = self._dev(torch.cat([t0, t1]))[:, None]
            w_both = torch.cat([wa, wa]) * (1 - t_both) + torch.cat([wb, wb]) * t_both
            ws = torch.cat([g.styles(z_both), w_both[:, None, :].expand(-1, g.num_ws, -1)])
            x = g.synthesis(ws).float().reshape(4, n, -1)

        def ppl(p: torch.Tensor, q: torch.Tensor) -> float:
            return float(((p - q).square().mean(dim=1) / PPL_EPS**2).mean())

        return ppl(x[0], x[1]), ppl(x[2], x[3])

    def metrics(self) -> dict[str, float]:
        """``ppl_z`` and ``ppl_w`` (:meth:`path_lengths`)."""
        ppl_z, ppl_w = self.path_lengths()
        self.last_metrics = {"ppl_z": ppl_z, "ppl_w": ppl_w}
        return dict(self.last_metrics)
