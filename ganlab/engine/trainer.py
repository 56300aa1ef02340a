"""The GAN trainer: one G/D pair, their optimizers, loss and data. No Qt.

Runs in the trainer thread, which owns every tensor. One iteration is ``k_d``
discriminator updates followed by ``k_g`` generator updates; ``step("d")`` and
``step("g")`` run one network's updates only. Step statistics stay on the device as one
stacked tensor per step: reading them (``.cpu()``) is the loop's job, once per batch of
steps, because every read of a GPU value synchronises the device.

Randomness comes from three explicit generators so a checkpoint resumes exactly:
``data_gen`` (CPU, real batches), ``noise_gen`` (on the device: z, fake labels, the
penalties' interpolation) and ``view_gen`` (everything only shown, never trained on).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ganlab.engine.latent import sample_latent
from ganlab.kernel import config as cfg
from ganlab.kernel.contracts import DataSource, DataSpec, Loss, ModelFamily
from ganlab.kernel.device import choose_device, configure_threads, describe
from ganlab.kernel.errors import CheckpointError, ConfigError
from ganlab.kernel.i18n import _, ngettext
from ganlab.kernel.registry import DATA_SOURCES, LOSSES, MODEL_FAMILIES

CHECKPOINT_FORMAT = "ganlab-checkpoint"
CHECKPOINT_VERSION = 1

# Fields whose change needs new networks (shapes or the data itself change): the config
# fields' ``rebuilds`` metadata, the same set the window marks with ↻.
_REBUILD_KEYS = tuple(sorted(cfg.rebuild_keys()))


def _value(config: cfg.ExperimentConfig, dotted: str) -> Any:
    section, _, name = dotted.partition(".")
    return getattr(getattr(config, section), name)


_IMAGE_FIXED_SAMPLES = 64  # sample grid: 8 x 8, or rows per class
_MANIFOLD_SIDE = 21  # toy manifold: G over a 21 x 21 grid of (z0, z1)
_DENSITY_SAMPLES = 8192  # 1-D: generated samples behind the KDE of p_g
_PCA_SAMPLES = 1024  # images: real samples the projection is fitted on
_FLOOR_SEED = 20_240_611  # toy metrics: the real samples behind the noise floors
_PROBE_Z = 8  # conditional families: noise vectors of the conditioning probe (x labels)
_PROBE_REAL = 256  # real samples behind the probe's within / between-class spreads


def build_data_source(data: cfg.DataConfig) -> DataSource:
    """The real data of an experiment, built the one way training builds it."""
    return DATA_SOURCES.get(data.source).build(data)


def data_generator(seed: int) -> torch.Generator:
    """The CPU generator that orders the real data of a run seeded with ``seed``."""
    return torch.Generator().manual_seed(seed + 1)


def draw_real_batches(
    source: DataSource, generator: torch.Generator, batch_size: int, n: int
) -> tuple[np.ndarray, np.ndarray | None]:
    """The first ``n`` real items of batches of ``batch_size``, as D's updates draw them.

    Returns float32 x (images (n, C, H, W) in [-1, 1], points (n, d)) and int64 labels
    (n,) for a labelled source, else None. Advances ``generator``.

    Raises
    ------
    ValueError
        ``n`` or ``batch_size`` is not positive.
    """
    if n <= 0 or batch_size <= 0:
        raise ValueError(f"n and batch_size must be positive, got {n} and {batch_size}")
    xs: list[torch.Tensor] = []
    ys: list[torch.Tensor] = []
    drawn = 0
    while drawn < n:
        x, y = source.sample(batch_size, generator)
        xs.append(x.detach().to("cpu", torch.float32))
        if y is not None:
            ys.append(y.detach().to("cpu", torch.int64))
        drawn += len(x)
    return torch.cat(xs)[:n].numpy(), (torch.cat(ys)[:n].numpy() if ys else None)


class _GradNorms:
    """Per-layer and total L2 gradient norms of a module, computed on the device.

    Parameters are grouped by their module path ("net.0.weight" -> "net.0"), so a
    layer's weight and bias count as one layer. One ``_foreach_norm`` call per update.
    """

    def __init__(self, module: nn.Module):
        self.params: list[torch.Tensor] = []
        names: list[str] = []
        index: list[int] = []
        for name, p in module.named_parameters():
            if not p.requires_grad:
                continue
            layer = name.rsplit(".", 1)[0] if "." in name else name
            # Spectral norm reparametrises "x.weight" as "x.parametrizations.weight.original".
            layer = layer.replace(".parametrizations.weight", "").replace(".parametrizations", "")
            if layer not in names:
                names.append(layer)
            index.append(names.index(layer))
            self.params.append(p)
        self.names = tuple(names)
        device = self.params[0].device if self.params else torch.device("cpu")
        self.index = torch.tensor(index, dtype=torch.long, device=device)

    def compute(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(total norm, per-layer norms) of the current gradients; missing grads count 0."""
        grads = [p.grad for p in self.params if p.grad is not None]
        if len(grads) != len(self.params):
            grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in self.params]
        norms = torch.stack(torch._foreach_norm(grads))
        squared = norms.square()
        per_layer = torch.zeros(len(self.names), device=squared.device, dtype=squared.dtype)
        per_layer.index_add_(0, self.index, squared)
        return squared.sum().sqrt(), per_layer.sqrt()


def _make_optimizer(
    parameters: Iterator[nn.Parameter], oc: cfg.OptimizerConfig, device: torch.device
) -> torch.optim.Optimizer:
    params = list(parameters)
    # foreach kernels batch the update of all parameters: fewer launches, same maths.
    if oc.name == "adam":
        return torch.optim.Adam(params, lr=oc.lr, betas=(oc.beta1, oc.beta2), foreach=True)
    if oc.name == "rmsprop":
        return torch.optim.RMSprop(params, lr=oc.lr, momentum=oc.momentum, foreach=True)
    return torch.optim.SGD(params, lr=oc.lr, momentum=oc.momentum, foreach=True)


@contextmanager
def _display_forward(module: nn.Module) -> Iterator[None]:
    """Run ``module`` for display without changing its training state.

    G is evaluated in training mode (its BatchNorm normalises with batch statistics, as
    when it trains), but every buffer (BN running statistics, spectral norm's power
    iteration vectors) is restored afterwards, so showing samples never changes what
    training computes next.
    """
    saved = [b.detach().clone() for b in module.buffers()]
    try:
        with torch.no_grad():
            yield
    finally:
        with torch.no_grad():
            for b, s in zip(module.buffers(), saved, strict=True):
                b.copy_(s)


@contextmanager
def _eval_mode(module: nn.Module) -> Iterator[None]:
    was_training = module.training
    module.eval()
    try:
        yield
    finally:
        module.train(was_training)


class Trainer:
    """Builds and trains one GAN from an :class:`ExperimentConfig`.

    Parameters
    ----------
    config
        The experiment. Registry names are checked; a bad one raises ConfigError.
    source
        An already built data source to reuse (saves reloading an image folder when
        only the model changes). Built from ``config.data`` when None.
    """

    def __init__(self, config: cfg.ExperimentConfig, *, source: DataSource | None = None):
        self.generation = 0
        self.history: list[dict[str, Any]] = []
        self._build(config, source=source)

    # ------------------------------------------------------------------ building

    def _build(self, config: cfg.ExperimentConfig, *, source: DataSource | None = None) -> None:
        cfg.check_names(config)
        self.config = config
        self.device, self.device_note = self._place(config)
        if source is None:
            source = build_data_source(config.data)
        self.source: DataSource = source
        self.spec: DataSpec = source.spec
        self.family: ModelFamily = MODEL_FAMILIES.get(config.model.family)
        if self.spec.kind not in self.family.data_kinds:  # e.g. a one-column CSV is 1-D
            raise ConfigError(
                _("model family '{family}' does not train on {kind} data ({source})").format(
                    family=self.family.name, kind=self.spec.kind, source=source.summary()
                ),
                key="model.family",
            )
        if self.family.conditional and self.spec.num_classes < 2:
            raise ConfigError(
                _(
                    "model family '{family}' needs a labelled data source; "
                    "'{source}' has no classes"
                ).format(family=self.family.name, source=config.data.source),
                key="data.source",
            )
        self.loss: Loss = LOSSES.get(config.loss.name)
        seed = config.loop.seed
        torch.manual_seed(seed)  # weight initialisation uses the global generator
        g, d = self.family.build(config.model, self.spec, config.loop.latent_dim)
        self.G: nn.Module = g.to(self.device)
        self.D: nn.Module = d.to(self.device)
        # The modules the training updates call where gradients are taken: G and D here,
        # their DistributedDataParallel wrappers under torchrun (core.distributed). Views,
        # checkpoints and G's update through D use the plain modules.
        self.g_train: nn.Module = self.G
        self.d_train: nn.Module = self.D
        self.opt_g = _make_optimizer(self.G.parameters(), config.optimizer_g, self.device)
        self.opt_d = _make_optimizer(self.D.parameters(), config.optimizer_d, self.device)
        self.norms_g = _GradNorms(self.G)
        self.norms_d = _GradNorms(self.D)
        self.data_gen = data_generator(seed)
        self.noise_gen = torch.Generator(device=self.device).manual_seed(seed + 2)
        self.view_gen = torch.Generator().manual_seed(seed + 3)
        self.step_count = 0
        self._nan = torch.full((), float("nan"), device=self.device)
        self._nan_layers = {
            "d": torch.full((len(self.norms_d.names),), float("nan"), device=self.device),
            "g": torch.full((len(self.norms_g.names),), float("nan"), device=self.device),
        }
        self._make_view_fixtures()
        # conditioning_probe's fixed z and real spreads, made on first use
        self._probe: tuple[torch.Tensor, float, float] | None = None

    def _place(self, config: cfg.ExperimentConfig) -> tuple[torch.device, str | None]:
        """The device (and its fallback note) for ``config``; sets CPU threads or cuDNN.

        A setting from a run made elsewhere (cuda on a laptop) falls back, with a note the
        loop reports once; an explicit --device is checked strictly by the CLI.
        """
        device, note = choose_device(config.loop.device)
        if device.type == "cpu":
            configure_threads(config.loop.threads)
        elif device.type == "cuda":
            torch.backends.cudnn.benchmark = True
        return device, note

    def _make_view_fixtures(self) -> None:
        """The fixed noise batch, fixed real samples and the toy grid (per generation)."""
        self._density_cache: tuple[object, np.ndarray | None] | None = None
        self._floors: Any = None  # metrics.toy.FloorCache of this source, made on first use
        lc = self.config.loop
        n = _IMAGE_FIXED_SAMPLES if self.spec.is_image else lc.fixed_samples
        k = self.spec.num_classes
        if self.family.conditional and k:
            # Images: one row per class (up to 10 classes, 8 columns); toy: round robin.
            if self.spec.is_image:
                rows = min(k, 10)
                per_row = max(1, n // rows)
                labels = torch.arange(rows).repeat_interleave(per_row)
            else:
                labels = torch.arange(n) % k
            self.fixed_y: torch.Tensor | None = labels.to(self.device)
            n = len(labels)
        else:
            self.fixed_y = None
        self.fixed_z = sample_latent(n, lc.latent_dim, lc.latent_dist, self.view_gen).to(
            self.device
        )
        n_real = _IMAGE_FIXED_SAMPLES if self.spec.is_image else lc.fixed_samples
        real, real_y = self.source.sample(n_real, self.view_gen)
        self.fixed_real = real
        self.fixed_real_y = real_y
        self.grid_axes: list[np.ndarray] = []
        self.grid_points: torch.Tensor | None = None
        if not self.spec.is_image and self.spec.bounds:
            gs = lc.grid_size
            self.grid_axes = [
                np.linspace(lo, hi, gs, dtype=np.float32) for lo, hi in self.spec.bounds
            ]
            if self.spec.kind == "toy1d":
                pts = self.grid_axes[0][:, None]
            else:
                xx, yy = np.meshgrid(self.grid_axes[0], self.grid_axes[1])  # [y, x] layout
                pts = np.stack([xx.ravel(), yy.ravel()], axis=1)
            self.grid_points = torch.from_numpy(pts).to(self.device)
        # 1-D: a large fixed noise batch for the generated density (KDE on the grid).
        self.density_z = (
            sample_latent(_DENSITY_SAMPLES, lc.latent_dim, lc.latent_dist, self.view_gen).to(
                self.device
            )
            if self.spec.kind == "toy1d"
            else None
        )
        self._fit_projection()

    def _fit_projection(self) -> None:
        """Images: PCA fitted once per generation on real images, a fixed 2-D feature space
        in which real and generated samples can be compared as point clouds."""
        self.pca_mean: torch.Tensor | None = None
        self.pca_axes: torch.Tensor | None = None
        self.real_projection: np.ndarray | None = None
        if not self.spec.is_image:
            return
        real, _ = self.source.sample(_PCA_SAMPLES, self.view_gen)
        flat = real.reshape(len(real), -1).float()
        mean = flat.mean(dim=0, keepdim=True)
        # Top two right singular vectors of the centred data = the first two PCA axes.
        _, _, v = torch.pca_lowrank(flat - mean, q=2, center=False, niter=4)
        self.pca_mean, self.pca_axes = mean.to(self.device), v[:, :2].to(self.device)
        self.real_projection = self.project(self.fixed_real).cpu().numpy()

    def project(self, images: torch.Tensor) -> torch.Tensor:
        """Coordinates of ``images`` (N, C, H, W) on the real data's first two PCA axes."""
        assert self.pca_mean is not None
        assert self.pca_axes is not None
        flat = images.to(self.device).reshape(len(images), -1).float()
        return (flat - self.pca_mean) @ self.pca_axes

    def rebuild(self, config: cfg.ExperimentConfig, reason: str = "rebuild") -> None:
        """New networks from ``config``; bumps the generation. Reuses the data if unchanged."""
        source = self.source if config.data == self.config.data else None
        old = self.config
        try:
            self._build(config, source=source)
        except Exception:
            # Keep a working pair when the new config is refused.
            self._build(old, source=self.source)
            raise
        self.generation += 1
        self.history.append(
            {"step": 0, "generation": self.generation, "key": reason, "old": None, "new": None}
        )

    # ------------------------------------------------------------------ live changes

    def _record(self, key: str, old: Any, new: Any) -> dict[str, Any]:
        entry = {
            "step": self.step_count,
            "generation": self.generation,
            "key": key,
            "old": old,
            "new": new,
        }
        self.history.append(entry)
        return entry

    def _optimizer(self, network: str) -> torch.optim.Optimizer:
        if network not in ("d", "g"):
            raise ValueError(f"network must be 'd' or 'g', not {network!r}")
        return self.opt_d if network == "d" else self.opt_g

    def set_learning_rate(self, network: str, lr: float) -> list[dict[str, Any]]:
        """Set one network's learning rate in place; Adam's moments etc. are kept."""
        section = f"optimizer_{network}"
        new_cfg = cfg.with_value(self.config, f"{section}.lr", float(lr))
        old = getattr(self.config, section).lr
        for group in self._optimizer(network).param_groups:
            group["lr"] = float(lr)
        self.config = new_cfg
        return [self._record(f"{section}.lr", old, float(lr))] if old != lr else []

    def set_betas(self, network: str, beta1: float, beta2: float) -> list[dict[str, Any]]:
        section = f"optimizer_{network}"
        new_cfg = cfg.with_value(self.config, f"{section}.beta1", float(beta1))
        new_cfg = cfg.with_value(new_cfg, f"{section}.beta2", float(beta2))
        old = getattr(self.config, section)
        for group in self._optimizer(network).param_groups:
            if "betas" in group:
                group["betas"] = (float(beta1), float(beta2))
        self.config = new_cfg
        changes = []
        if old.beta1 != beta1:
            changes.append(self._record(f"{section}.beta1", old.beta1, float(beta1)))
        if old.beta2 != beta2:
            changes.append(self._record(f"{section}.beta2", old.beta2, float(beta2)))
        return changes

    def set_update_ratio(self, k_d: int, k_g: int) -> list[dict[str, Any]]:
        new_cfg = cfg.with_value(self.config, "loop.k_d", int(k_d))
        new_cfg = cfg.with_value(new_cfg, "loop.k_g", int(k_g))
        old = self.config.loop
        self.config = new_cfg
        changes = []
        if old.k_d != k_d:
            changes.append(self._record("loop.k_d", old.k_d, int(k_d)))
        if old.k_g != k_g:
            changes.append(self._record("loop.k_g", old.k_g, int(k_g)))
        return changes

    def set_loss(self, loss: cfg.LossConfig) -> list[dict[str, Any]]:
        """Switch the loss or its options; no network or optimizer state changes."""
        new_cfg = dataclasses.replace(self.config, loss=loss)
        cfg.check_names(new_cfg)
        old = self.config.loss
        self.loss = LOSSES.get(loss.name)
        self.config = new_cfg
        return [
            self._record(f"loss.{f.name}", getattr(old, f.name), getattr(loss, f.name))
            for f in dataclasses.fields(loss)
            if getattr(old, f.name) != getattr(loss, f.name)
        ]

    def needs_rebuild(self, new: cfg.ExperimentConfig) -> bool:
        """Whether moving to ``new`` changes shapes or data (so a new generation)."""
        old = self.config
        return any(_value(old, key) != _value(new, key) for key in _REBUILD_KEYS)

    def apply_config(self, new: cfg.ExperimentConfig) -> list[dict[str, Any]]:
        """Move to ``new``: live changes where possible, else a rebuild (new generation)."""
        if self.needs_rebuild(new):
            self.rebuild(new)
            return []
        changes: list[dict[str, Any]] = []
        for net in ("d", "g"):
            section = f"optimizer_{net}"
            old_oc, new_oc = getattr(self.config, section), getattr(new, section)
            if old_oc == new_oc:
                continue
            if old_oc.name != new_oc.name or old_oc.momentum != new_oc.momentum:
                # Another optimizer: fresh state for that network only, weights kept.
                module = self.D if net == "d" else self.G
                opt = _make_optimizer(module.parameters(), new_oc, self.device)
                setattr(self, f"opt_{net}", opt)
                self.config = dataclasses.replace(self.config, **{section: new_oc})
                changes.append(self._record(f"{section}.name", old_oc.name, new_oc.name))
                continue
            changes += self.set_learning_rate(net, new_oc.lr)
            changes += self.set_betas(net, new_oc.beta1, new_oc.beta2)
        if new.loss != self.config.loss:
            changes += self.set_loss(new.loss)
        changes += self.set_update_ratio(new.loop.k_d, new.loop.k_g)
        for f in dataclasses.fields(new.loop):
            old_v, new_v = getattr(self.config.loop, f.name), getattr(new.loop, f.name)
            if old_v != new_v:
                changes.append(self._record(f"loop.{f.name}", old_v, new_v))
        view_changed = (
            new.loop.fixed_samples != self.config.loop.fixed_samples
            or new.loop.grid_size != self.config.loop.grid_size
        )
        self.config = dataclasses.replace(
            self.config, loop=new.loop, name=new.name, description=new.description
        )
        if view_changed:
            self._make_view_fixtures()
        return changes

    # ------------------------------------------------------------------ training

    def _real_batch(self, n: int) -> tuple[torch.Tensor, torch.Tensor | None]:
        x, y = self.source.sample(n, self.data_gen)
        non_blocking = self.device.type == "cuda"
        x = x.to(self.device, non_blocking=non_blocking)
        if y is not None:
            y = y.to(self.device, non_blocking=non_blocking)
        return x, y

    def real_batches(self, n: int) -> tuple[np.ndarray, np.ndarray | None]:
        """The first ``n`` real items the next D updates will see (:func:`draw_real_batches`
        on a copy of the data generator: training itself is not disturbed). Instance noise,
        a loss option added inside the D update, is not included."""
        generator = torch.Generator().set_state(self.data_gen.get_state())
        return draw_real_batches(self.source, generator, self.config.loop.batch_size, n)

    def _noise(self, n: int) -> tuple[torch.Tensor, torch.Tensor | None]:
        lc = self.config.loop
        z = sample_latent(n, lc.latent_dim, lc.latent_dist, self.noise_gen, self.device)
        y = None
        if self.family.conditional:
            y = torch.randint(
                0, self.spec.num_classes, (n,), generator=self.noise_gen, device=self.device
            )
        return z, y

    def _instance_noise(self, x: torch.Tensor) -> torch.Tensor:
        std = self.config.loss.instance_noise
        if std <= 0.0:
            return x
        return x + std * torch.randn(
            x.shape, generator=self.noise_gen, device=x.device, dtype=x.dtype
        )

    def _d_outputs(
        self, x: torch.Tensor, y: torch.Tensor | None, d: nn.Module | None = None
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        out = (self.D if d is None else d)(x, y)
        if isinstance(out, tuple):
            return out[0], out[1]
        return out, None

    def _update_d(
        self, fake: torch.Tensor | None = None, fake_y: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, ...]:
        """One D update. ``fake`` may be given (reused by the G update that follows)."""
        from ganlab.engine.losses import gradient_penalty, r1_penalty

        lc, lcfg = self.config.loop, self.config.loss
        real, real_y = self._real_batch(lc.batch_size)
        if fake is None:
            z, fake_y = self._noise(lc.batch_size)
            with torch.no_grad():
                fake = self.G(z, fake_y)
        fake = fake.detach()
        real_in = self._instance_noise(real)
        fake_in = self._instance_noise(fake)
        d_y = real_y if self.family.conditional else None
        d = self.d_train
        out_real, cls_real = self._d_outputs(real_in, d_y, d)
        out_fake, cls_fake = self._d_outputs(fake_in, fake_y, d)
        loss = self.loss.d_loss(out_real, out_fake, lcfg)
        if self.loss.gradient_penalty and lcfg.gp_weight > 0:
            loss = loss + lcfg.gp_weight * gradient_penalty(d, real, fake, d_y, self.noise_gen)
        if lcfg.r1_gamma > 0:
            loss = loss + 0.5 * lcfg.r1_gamma * r1_penalty(d, real, d_y)
        if cls_real is not None and cls_fake is not None and real_y is not None:
            assert fake_y is not None  # auxiliary-classifier families are conditional
            loss = loss + lcfg.aux_weight * (
                F.cross_entropy(cls_real, real_y) + F.cross_entropy(cls_fake, fake_y)
            )
        self.opt_d.zero_grad(set_to_none=True)
        loss.backward()
        total, layers = self.norms_d.compute()
        self.opt_d.step()
        if self.loss.weight_clipping:
            c = lcfg.clip_value
            with torch.no_grad():
                torch._foreach_clamp_min_(self.norms_d.params, -c)
                torch._foreach_clamp_max_(self.norms_d.params, c)
        with torch.no_grad():
            d_real = self.loss.display(out_real).mean()
            d_fake = self.loss.display(out_fake).mean()
        return loss.detach(), d_real, d_fake, total, layers

    def _update_g(
        self, fake: torch.Tensor | None = None, fake_y: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, ...]:
        """One G update, through D with D's parameters frozen (no D gradients computed).

        D is the plain module here even under DistributedDataParallel: no D gradient is
        taken, so there is nothing of D's to synchronise.
        """
        lcfg = self.config.loss
        if fake is None:
            z, fake_y = self._noise(self.config.loop.batch_size)
            fake = self.g_train(z, fake_y)
        self.D.requires_grad_(False)
        try:
            out_fake, cls_fake = self._d_outputs(self._instance_noise(fake), fake_y)
        finally:
            self.D.requires_grad_(True)
        loss = self.loss.g_loss(out_fake, lcfg)
        if cls_fake is not None and fake_y is not None:
            loss = loss + lcfg.aux_weight * F.cross_entropy(cls_fake, fake_y)
        self.opt_g.zero_grad(set_to_none=True)
        loss.backward()
        total, layers = self.norms_g.compute()
        self.opt_g.step()
        return loss.detach(), total, layers

    def step(self, which: str = "both") -> torch.Tensor:
        """Run one iteration (``both``) or one network's updates (``d`` / ``g``).

        Returns the step's statistics stacked on the device: the SCALAR_COLUMNS values
        followed by D's and G's per-layer gradient norms (NaN for a network that did not
        update). Nothing is read back to the host here.
        """
        if which not in ("both", "d", "g"):
            raise ValueError(f"which must be 'both', 'd' or 'g', not {which!r}")
        lc = self.config.loop
        k_d = lc.k_d if which != "g" else 0
        k_g = lc.k_g if which != "d" else 0
        if which == "d":
            k_d = max(k_d, 1)
        if which == "g":
            k_g = max(k_g, 1)
        nan = self._nan
        d_loss = d_real = d_fake = d_norm = nan
        d_layers = self._nan_layers["d"]
        g_loss = g_norm = nan
        g_layers = self._nan_layers["g"]
        # With one D update before G's, the fake batch is generated once with its graph
        # and reused for G's update (as the PyTorch DCGAN example does): one G forward
        # per iteration instead of two.
        reuse: tuple[torch.Tensor, torch.Tensor | None] | None = None
        for i in range(k_d):
            fake = fake_y = None
            if i == k_d - 1 and k_g > 0:
                z, fake_y = self._noise(lc.batch_size)
                fake = self.g_train(z, fake_y)
                reuse = (fake, fake_y)
            d_loss, d_real, d_fake, d_norm, d_layers = self._update_d(fake, fake_y)
        for i in range(k_g):
            if i == 0 and reuse is not None:
                g_loss, g_norm, g_layers = self._update_g(*reuse)
            else:
                g_loss, g_norm, g_layers = self._update_g()
        self.step_count += 1
        head = torch.stack([d_loss, g_loss, d_real, d_fake, d_norm, g_norm]).float()
        return torch.cat([head, d_layers.float(), g_layers.float()])

    def split_stats(self, stats: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Split stacked step statistics (n, width) into (scalars, D layers, G layers)."""
        n_head = 6
        n_d = len(self.norms_d.names)
        return stats[:, :n_head], stats[:, n_head : n_head + n_d], stats[:, n_head + n_d :]

    def learning_rates(self) -> tuple[float, float]:
        return (float(self.opt_d.param_groups[0]["lr"]), float(self.opt_g.param_groups[0]["lr"]))

    # ------------------------------------------------------------------ views

    def _images_to_uint8(self, x: torch.Tensor) -> np.ndarray:
        """(N, C, H, W) in [-1, 1] -> (N, H, W, C) uint8 on the host."""
        x = ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
        return x.permute(0, 2, 3, 1).cpu().numpy()

    def generate(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        """G(z) for display, leaving G's buffers (BN statistics) untouched."""
        with _display_forward(self.G):
            return self.G(z.to(self.device), None if y is None else y.to(self.device))

    def discriminate(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        """D's output for display (probability or score), in eval mode."""
        with _eval_mode(self.D), torch.no_grad():
            out, _ = self._d_outputs(x.to(self.device), y)
            return self.loss.display(out)

    def _field(self) -> np.ndarray:
        """D's output over the toy grid; conditional D is averaged over the classes."""
        assert self.grid_points is not None
        pts = self.grid_points
        if self.family.conditional:
            k = self.spec.num_classes
            acc = torch.zeros(len(pts), device=self.device)
            for c in range(k):
                acc += self.discriminate(pts, torch.full((len(pts),), c, device=self.device))
            values = acc / k
        else:
            values = self.discriminate(pts)
        gs = len(self.grid_axes[0])
        shape = (gs,) if self.spec.kind == "toy1d" else (gs, gs)
        return values.float().cpu().numpy().reshape(shape)

    def _fake_motion(self, fake: torch.Tensor) -> np.ndarray:
        """-dL_G/dx for each displayed fake sample: the direction G's update pushes it.

        The loss is summed (not averaged) so an arrow does not shrink with the batch size.
        """
        x = fake.detach().clone().requires_grad_(True)
        with _eval_mode(self.D), torch.enable_grad():
            out, _ = self._d_outputs(x, self.fixed_y)
            loss = self.loss.g_loss(out, self.config.loss) * len(x)
            (grad,) = torch.autograd.grad(loss, x)
        return (-grad).float().cpu().numpy()

    def _manifold(self) -> np.ndarray:
        lc = self.config.loop
        span = 2.0 if lc.latent_dist == "gaussian" else 1.0
        axis = torch.linspace(-span, span, _MANIFOLD_SIDE)
        if lc.latent_dim == 1:
            z = axis[:, None]
            shape = (_MANIFOLD_SIDE, 1)
        else:
            zz0, zz1 = torch.meshgrid(axis, axis, indexing="ij")
            z = torch.zeros(_MANIFOLD_SIDE * _MANIFOLD_SIDE, lc.latent_dim)
            z[:, 0], z[:, 1] = zz0.ravel(), zz1.ravel()
            shape = (_MANIFOLD_SIDE, _MANIFOLD_SIDE)
        y = None
        if self.family.conditional:
            y = torch.zeros(len(z), dtype=torch.long)
        out = self.generate(z, y)
        return out.float().cpu().numpy().reshape(*shape, -1)

    def _fake_density(self) -> np.ndarray | None:
        """1-D: gaussian KDE of p_g on the grid from a large fixed noise batch.

        Bandwidth by Silverman's rule, floored at one grid cell so a collapsed generator
        shows as a narrow peak rather than a spike that falls between grid points.
        """
        if self.density_z is None or self.grid_points is None:
            return None
        y = None
        if self.family.conditional:
            y = torch.arange(len(self.density_z), device=self.device) % self.spec.num_classes
        x = self.generate(self.density_z, y).reshape(-1).float()
        grid = self.grid_points.reshape(-1).float()
        cell = float(grid[1] - grid[0]) if len(grid) > 1 else 1.0
        bandwidth = max(1.06 * float(x.std()) * len(x) ** -0.2, cell)
        u = (grid[:, None] - x[None, :]) / bandwidth
        density = torch.exp(-0.5 * u.square()).mean(dim=1) / (bandwidth * math.sqrt(2 * math.pi))
        return density.cpu().numpy()

    def toy_snapshot_arrays(self) -> dict[str, Any]:
        fake = self.generate(self.fixed_z, self.fixed_y)
        return {
            "fake_density": self._fake_density(),
            "fake": fake.float().cpu().numpy(),
            "fake_labels": None if self.fixed_y is None else self.fixed_y.cpu().numpy(),
            "fake_motion": self._fake_motion(fake),
            "field": self._field(),
            "manifold": self._manifold(),
        }

    def image_snapshot_arrays(self) -> dict[str, Any]:
        """The fixed-noise grid, D's outputs on the fixed real and generated batches, and
        the generated batch in the PCA space. Reusing the fixed batches costs one G and two
        D forwards of 64 images per snapshot (no fresh batch), and each point in the
        histograms and the projection is the same individual from frame to frame."""
        fake = self.generate(self.fixed_z, self.fixed_y)
        real_y = self.fixed_real_y if self.family.conditional else None
        return {
            "fake": self._images_to_uint8(fake),
            "fake_labels": None if self.fixed_y is None else self.fixed_y.cpu().numpy(),
            "d_real": self.discriminate(
                self.fixed_real, None if real_y is None else real_y.to(self.device)
            )
            .float()
            .cpu()
            .numpy(),
            "d_fake": self.discriminate(fake, self.fixed_y).float().cpu().numpy(),
            "fake_projection": self.project(fake).cpu().numpy(),
        }

    def toy_metrics(self) -> dict[str, float]:
        """Divergences and mode coverage of G against the data, for a toy source.

        Uses ``DEFAULT_SAMPLES`` fresh generated samples (view generator: training is not
        affected) against the exact data density where the source has one (cached on the
        grid for the generation), else as many real samples. Probability losses also get
        the JSD lower bound implied by D. Values are plain floats (NaN when undefined).
        """
        from ganlab.metrics import toy

        if self.spec.is_image or not self.spec.bounds:
            return {}
        n = toy.DEFAULT_SAMPLES
        lc = self.config.loop
        z = sample_latent(n, lc.latent_dim, lc.latent_dist, self.view_gen)
        y = None
        if self.family.conditional:
            y = torch.randint(0, self.spec.num_classes, (n,), generator=self.view_gen)
        fake_t = self.generate(z, y)
        fake = fake_t.double().cpu().numpy()
        real_t, real_y = self.source.sample(n, self.view_gen)
        real = real_t.double().numpy()
        length_scale = getattr(self.source, "length_scale", None)
        div = toy.grid_divergences(
            real,
            fake,
            self.spec.bounds,
            real_density=self._cached_density,
            length_scale=length_scale,
        )
        if self._floors is None:
            # Its own seeded stream: the floor never shifts training's or the view's draws.
            floor_gen = torch.Generator().manual_seed(_FLOOR_SEED)
            self._floors = toy.FloorCache(
                lambda m: self.source.sample(m, floor_gen)[0].double().numpy(),
                self.spec.bounds,
                real_density=self._cached_density,
                length_scale=length_scale,
            )
        floor = self._floors.get(n, div.bins)
        out: dict[str, float] = {
            "jsd": div.jsd,
            "kl_real_fake": div.kl_real_fake,
            "kl_fake_real": div.kl_fake_real,
            "tv": div.tv,
            "fake_outside": div.fake_outside,
            # the same estimator on two independent samples of the data: the noise floor
            "jsd_floor": floor.jsd,
            "kl_real_fake_floor": floor.kl_real_fake,
            "kl_fake_real_floor": floor.kl_fake_real,
            "tv_floor": floor.tv,
        }
        if self.loss.output_kind == "probability":
            d_y = real_y if self.family.conditional else None
            d_real = self.discriminate(real_t, None if d_y is None else d_y.to(self.device))
            d_fake = self.discriminate(fake_t, None if y is None else y.to(self.device))
            out["d_bound"] = toy.d_lower_bound(
                d_real.double().cpu().numpy(), d_fake.double().cpu().numpy()
            )
        if self.source.modes is not None and self.source.mode_sigma:
            cover = toy.mode_coverage(fake, self.source.modes, self.source.mode_sigma)
            out.update(
                modes_captured=float(cover.modes_captured),
                num_modes=float(cover.num_modes),
                high_quality=cover.high_quality,
                reverse_kl=cover.reverse_kl,
            )
        if self.spec.kind == "toy1d":
            out["w1"] = toy.wasserstein_1d(real[:, 0], fake[:, 0])
        return {k: float(v) for k, v in out.items()}

    def evaluation_samples(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Real and ``n`` generated images as uint8 (N, H, W, C), for image metrics.

        Generated in chunks (bounded memory) from the view generator, so training's own
        random streams are untouched; conditional models get uniformly drawn labels.
        The real images are ``min(n, data set size)`` distinct ones: a random subset, in
        the data set's order, all of them once when it has fewer than ``n`` (so fewer real
        than generated images means the data set is that small). The subset is the same
        at every evaluation, so the numbers over training follow the generator alone.
        """
        if not self.spec.is_image:
            raise ValueError("image metrics need an image experiment")
        lc = self.config.loop
        fakes, reals = [], []
        for start in range(0, n, 250):
            m = min(250, n - start)
            z = sample_latent(m, lc.latent_dim, lc.latent_dist, self.view_gen)
            y = None
            if self.family.conditional:
                y = torch.randint(0, self.spec.num_classes, (m,), generator=self.view_gen)
            fakes.append(self._images_to_uint8(self.generate(z, y)))
        stored = getattr(self.source, "images", None)  # in-memory sets: without replacement
        if isinstance(stored, torch.Tensor):
            fixed = torch.Generator().manual_seed(0)
            pick = torch.randperm(len(stored), generator=fixed)[:n].sort().values
            real = stored[pick].expand(-1, self.spec.shape[0], -1, -1)
            reals = [real.permute(0, 2, 3, 1).contiguous().numpy()]
        else:
            for start in range(0, n, 250):
                sampled, _ = self.source.sample(min(250, n - start), self.view_gen)
                reals.append(self._images_to_uint8(sampled))
        return np.concatenate(reals), np.concatenate(fakes)

    def image_diversity(self) -> tuple[float, float]:
        """(generated, real) diversity: mean pairwise distance of the fixed batches, per
        pixel. A collapsing generator's fixed-noise samples become alike while the real
        batch keeps its spread."""
        fake = self.generate(self.fixed_z, self.fixed_y).reshape(len(self.fixed_z), -1)
        real = self.fixed_real.to(self.device).reshape(len(self.fixed_real), -1)

        def spread(x: torch.Tensor) -> float:
            d = torch.cdist(x.float(), x.float())
            n = len(x)
            return float(d.sum() / max(n * (n - 1), 1) / math.sqrt(x.shape[1]))

        return spread(fake), spread(real)

    def conditioning_probe(self) -> tuple[float, float, float, float]:
        """How much a conditional G's samples depend on z and on the label.

        Generates a fixed grid (per build of the networks) of ``_PROBE_Z`` noise vectors times the
        first ``min(classes, 10)`` labels in one batch, and returns ``(same_label,
        same_z, real_within, real_between)``: the mean pairwise distance (per value) among
        the samples of one label (averaged over labels), among those of one z (averaged
        over z), and, from ``_PROBE_REAL`` fixed real samples, between real samples of
        one class and of different classes. Costs one G forward of at most 80 samples;
        draws nothing from the training or view generators.

        Raises
        ------
        ValueError
            The family is not conditional.
        """
        if not self.family.conditional:
            raise ValueError("the conditioning probe needs a conditional model family")
        if self._probe is None:
            lc = self.config.loop
            gen = torch.Generator().manual_seed(lc.seed + 4)
            z = sample_latent(_PROBE_Z, lc.latent_dim, lc.latent_dist, gen)
            real, real_y = self.source.sample(_PROBE_REAL, gen)
            assert real_y is not None
            flat = real.reshape(len(real), -1).float()
            same = real_y[:, None] == real_y[None, :]
            dist = torch.cdist(flat, flat) / math.sqrt(flat.shape[1])
            off = ~torch.eye(len(flat), dtype=torch.bool)
            within = float(dist[same & off].mean())
            between = float(dist[~same].mean())
            self._probe = (z, within, between)
        z, within, between = self._probe
        k = min(self.spec.num_classes, 10)
        y = torch.arange(k).repeat_interleave(_PROBE_Z)
        x = self.generate(z.repeat(k, 1), y).float().reshape(k, _PROBE_Z, -1)

        def spread(groups: torch.Tensor) -> float:
            # (G, n, D): mean pairwise distance within each group, averaged over groups
            n = groups.shape[1]
            d = torch.cdist(groups, groups) / math.sqrt(groups.shape[2])
            return float(d.sum() / (groups.shape[0] * n * (n - 1)))

        return spread(x), spread(x.transpose(0, 1)), within, between

    def _cached_density(self, x: np.ndarray) -> np.ndarray | None:
        """The source's exact density, remembered for the last grid it was asked about.

        The metrics grid is the same all generation long, and some densities (curves)
        are integrals that take a second on a 400 x 400 grid.
        """
        key = (x.shape, float(x.flat[0]), float(x.flat[-1])) if x.size else None
        cached = self._density_cache
        if cached is not None and cached[0] == key:
            return cached[1]
        value = self.source.density(x)
        self._density_cache = (key, value)
        return value

    def samples_for(
        self, z: np.ndarray | None, n: int, labels: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """G at the given latent vectors (or ``n`` random ones): (z, samples, labels)."""
        lc = self.config.loop
        if z is None:
            zt = sample_latent(max(n, 1), lc.latent_dim, lc.latent_dist, self.view_gen)
        else:
            zt = torch.as_tensor(np.asarray(z, dtype=np.float32))
            if zt.ndim != 2 or zt.shape[1] != lc.latent_dim:
                raise ValueError(
                    f"latent vectors must have shape (M, {lc.latent_dim}), got {tuple(zt.shape)}"
                )
        yt = None
        if self.family.conditional:
            if labels is None:
                yt = torch.zeros(len(zt), dtype=torch.long)
            else:
                yt = torch.as_tensor(np.asarray(labels, dtype=np.int64))
        out = self.generate(zt, yt)
        samples = self._images_to_uint8(out) if self.spec.is_image else out.float().cpu().numpy()
        return zt.numpy(), samples, None if yt is None else yt.numpy()

    def fixed_real_for_view(self) -> tuple[np.ndarray, np.ndarray | None]:
        real = self.fixed_real
        arr = self._images_to_uint8(real) if self.spec.is_image else real.float().numpy()
        labels = None if self.fixed_real_y is None else self.fixed_real_y.numpy()
        return arr, labels

    def real_density_on_grid(self) -> np.ndarray | None:
        if self.grid_points is None:
            return None
        dens = self.source.density(self.grid_points.cpu().numpy())
        if dens is None:
            return None
        gs = len(self.grid_axes[0])
        shape = (gs,) if self.spec.kind == "toy1d" else (gs, gs)
        return np.asarray(dens, dtype=np.float32).reshape(shape)

    def describe_device(self) -> str:
        return describe(self.device)

    def param_counts(self) -> dict[str, int]:
        return {
            "g": sum(p.numel() for p in self.G.parameters()),
            "d": sum(p.numel() for p in self.D.parameters()),
        }

    def layer_names(self) -> dict[str, tuple[str, ...]]:
        return {"d": self.norms_d.names, "g": self.norms_g.names}

    # ------------------------------------------------------------------ checkpoints

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue exactly: tensors and primitives only."""
        return {
            "format": CHECKPOINT_FORMAT,
            "version": CHECKPOINT_VERSION,
            "step": self.step_count,
            "generation": self.generation,
            "config_toml": cfg.dumps(self.config),
            "g": self.G.state_dict(),
            "d": self.D.state_dict(),
            "opt_g": self.opt_g.state_dict(),
            "opt_d": self.opt_d.state_dict(),
            "rng": {
                "data": self.data_gen.get_state(),
                "noise": self.noise_gen.get_state(),
                "view": self.view_gen.get_state(),
            },
            "history": [_plain(h) for h in self.history],
            # The class -> index map (index order), so that a resume on renamed, added or
            # removed classes is refused instead of silently relabelling them.
            "class_names": [str(n) for n in self.spec.class_names],
        }

    def load_state_dict(self, state: dict[str, Any], *, source_path: str = "checkpoint") -> None:
        """Restore a :meth:`state_dict`; rebuilds first if the checkpoint's config differs."""
        if not isinstance(state, dict) or state.get("format") != CHECKPOINT_FORMAT:
            raise CheckpointError(_("{path}: not a ganlab checkpoint").format(path=source_path))
        if state.get("version") != CHECKPOINT_VERSION:
            raise CheckpointError(
                _(
                    "{path}: checkpoint version {version} is not supported "
                    "(this ganlab reads {supported})"
                ).format(
                    path=source_path, version=state.get("version"), supported=CHECKPOINT_VERSION
                )
            )
        try:
            saved = cfg.loads(
                state["config_toml"], _("{path} (embedded experiment)").format(path=source_path)
            )
            # The device belongs to this machine, not to the run: keep the one in use.
            saved = cfg.with_value(saved, "loop.device", self.config.loop.device)
            source = self.source if saved.data == self.config.data else None
            if source is None:  # other data: read it first, to refuse before changing anything
                cfg.check_names(saved)
                source = build_data_source(saved.data)
            _check_class_names(state.get("class_names"), source.spec.class_names, source_path)
            if saved != self.config:
                if self.needs_rebuild(saved):
                    self._build(saved, source=source)
                else:
                    self.config = saved
                    self.loss = LOSSES.get(saved.loss.name)
            self.G.load_state_dict(state["g"])
            self.D.load_state_dict(state["d"])
            self.opt_g = _make_optimizer(self.G.parameters(), saved.optimizer_g, self.device)
            self.opt_d = _make_optimizer(self.D.parameters(), saved.optimizer_d, self.device)
            self.opt_g.load_state_dict(state["opt_g"])
            self.opt_d.load_state_dict(state["opt_d"])
            self.data_gen.set_state(state["rng"]["data"])
            self.noise_gen.set_state(state["rng"]["noise"])
            self.view_gen.set_state(state["rng"]["view"])
            self.step_count = int(state["step"])
            self.generation = int(state.get("generation", 0))
            self.history = list(state.get("history", []))
        except (KeyError, TypeError, RuntimeError, ValueError) as exc:
            raise CheckpointError(
                _(
                    "{path}: checkpoint does not match this experiment or is damaged: {error}"
                ).format(path=source_path, error=exc)
            ) from None


def _class_list(names: list[str] | tuple[str, ...], shown: int = 20) -> str:
    if not names:
        return _("no classes (unlabelled)")
    listed = ", ".join(repr(n) for n in names[:shown])
    more = (
        _(", ... and {count} more").format(count=len(names) - shown) if len(names) > shown else ""
    )
    return ngettext(
        "{count} class: {listed}{more}", "{count} classes: {listed}{more}", len(names)
    ).format(count=len(names), listed=listed, more=more)


def _check_class_names(saved: Any, current: tuple[str, ...], source_path: str) -> None:
    """Refuse a checkpoint whose class -> index map differs from the data set's.

    ``saved`` is the checkpoint's ``class_names`` (a list of str in index order), or None
    for a checkpoint written before class names were stored: that one loads unchecked.

    Raises
    ------
    CheckpointError
        The names differ (renamed, added, removed or reordered); the message lists both
        and says how to fix it.
    """
    if saved is None:
        return
    if not isinstance(saved, list | tuple) or not all(isinstance(n, str) for n in saved):
        raise CheckpointError(
            _("{path}: class_names is not a list of names: damaged").format(path=source_path)
        )
    if tuple(saved) == tuple(current):
        return
    gone = [n for n in saved if n not in current]
    new = [n for n in current if n not in saved]
    if gone or new:
        what = "; ".join(
            part
            for part in (
                _("missing now: {names}").format(names=", ".join(map(repr, gone))) if gone else "",
                _("new: {names}").format(names=", ".join(map(repr, new))) if new else "",
            )
            if part
        )
    else:
        what = _("the same names in another order")
    raise CheckpointError(
        _(
            "{path}: the data set's classes are not the checkpoint's ({what}), so every "
            "class index would mean another class. Checkpoint: {saved}. "
            "Data set now: {current}. Put the class folders back as they were "
            "(rename them back, remove added ones, restore removed ones), or start a new run "
            "on this data."
        ).format(
            path=source_path,
            what=what,
            saved=_class_list(list(saved)),
            current=_class_list(list(current)),
        )
    )


def _plain(entry: dict[str, Any]) -> dict[str, Any]:
    """History entries with values a weights_only checkpoint may hold."""

    def conv(v: Any) -> Any:
        if v is None or isinstance(v, bool | int | float | str):
            return v
        return str(v)

    return {k: conv(v) for k, v in entry.items()}
