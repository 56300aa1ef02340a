"""The GAN trainer: one G/D pair, their optimizers, loss and data. No Qt.

Runs in the trainer thread, which owns every tensor. One iteration is ``k_d``
discriminator updates followed by ``k_g`` generator updates; ``step("d")`` and
``step("g")`` run one network's updates only. Step statistics stay on the device as one
``StepStats`` (named tensors) per step: reading them (``read_stats``) is the loop's job,
once per batch of steps, because every read of a GPU value synchronises the device.

What only feeds the views (snapshots, the D field, the manifold, metrics, samples for
the latent explorer) lives in ``ganlab.engine.views``: it reads the nets, never trains.

Randomness comes from three explicit generators so a checkpoint resumes exactly:
``data_gen`` (CPU, real batches), ``noise_gen`` (on the device: z, fake labels, the
penalties' interpolation) and ``view_gen`` (everything only shown, never trained on).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ganlab.engine.latent import sample_latent
from ganlab.engine.views import TrainerViews
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.contracts import DataSource, DataSpec, Loss, ModelFamily
from ganlab.kernel.device import choose_device, configure_threads, describe
from ganlab.kernel.errors import CheckpointError, ConfigError
from ganlab.kernel.i18n import _, ngettext
from ganlab.kernel.registry import DATA_SOURCES, LOSSES, MODEL_FAMILIES
from ganlab.models.base import FamilyViews, Objective

CHECKPOINT_FORMAT = "ganlab-checkpoint"
CHECKPOINT_VERSION = 1

# Fields whose change needs new networks (shapes or the data itself change): the config
# fields' ``rebuilds`` metadata, the same set the window marks with ↻.
_REBUILD_KEYS = tuple(sorted(cfg.rebuild_keys()))


@dataclass(frozen=True)
class StepStats:
    """One training step's statistics, on the trainer's device (nothing read back).

    ``values`` maps each of ``reports.SCALAR_COLUMNS`` to a 0-d tensor; ``layer_norms``
    maps "d" and "g" to that network's per-layer gradient norms, shape (layers,). NaN
    where a value was not computed (the G loss of a D-only step).
    """

    values: dict[str, torch.Tensor]
    layer_norms: dict[str, torch.Tensor]

    def packed(self) -> torch.Tensor:
        """One float tensor (columns, then D's layers, then G's): what crosses to the host,
        so that a batch of steps costs one transfer. :meth:`HostStats.unpack` reverses it."""
        head = torch.stack([self.values[name] for name in rep.SCALAR_COLUMNS]).float()
        return torch.cat([head, self.layer_norms["d"].float(), self.layer_norms["g"].float()])


@dataclass(frozen=True)
class HostStats:
    """A batch of steps' statistics on the host, float64, by name."""

    values: dict[str, np.ndarray]  # each SCALAR_COLUMNS name -> (n,)
    layer_norms: dict[str, np.ndarray]  # "d" -> (n, D layers), "g" -> (n, G layers)

    @classmethod
    def unpack(cls, block: np.ndarray, d_layers: int) -> HostStats:
        """From stacked :meth:`StepStats.packed` rows, shape (n, width)."""
        n_head = len(rep.SCALAR_COLUMNS)
        return cls(
            values={name: block[:, i].copy() for i, name in enumerate(rep.SCALAR_COLUMNS)},
            layer_norms={
                "d": block[:, n_head : n_head + d_layers].copy(),
                "g": block[:, n_head + d_layers :].copy(),
            },
        )


def _value(config: cfg.ExperimentConfig, dotted: str) -> Any:
    section, _, name = dotted.partition(".")
    return getattr(getattr(config, section), name)


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


class Trainer(TrainerViews):
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
        self.segment = 0
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
        # Families that train other than by the plain G(z) / D(x) game (pix2pix, CycleGAN)
        # bring their own objective; their own views likewise (ganlab.models.base).
        self.objective: Objective | None = (
            self.family.objective(self) if self.family.objective is not None else None
        )
        self.family_views: FamilyViews | None = (
            self.family.views(self) if self.family.views is not None else None
        )
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

    def rebuild(self, config: cfg.ExperimentConfig, reason: str = "rebuild") -> None:
        """New networks from ``config``; bumps the segment. Reuses the data if unchanged."""
        source = self.source if config.data == self.config.data else None
        old = self.config
        try:
            self._build(config, source=source)
        except Exception:
            # Keep a working pair when the new config is refused.
            self._build(old, source=self.source)
            raise
        self.segment += 1
        self.history.append(
            {"step": 0, "segment": self.segment, "key": reason, "old": None, "new": None}
        )

    # ------------------------------------------------------------------ live changes

    def _record(self, key: str, old: Any, new: Any) -> dict[str, Any]:
        entry = {
            "step": self.step_count,
            "segment": self.segment,
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
        """Whether moving to ``new`` changes shapes or data (so a new segment)."""
        old = self.config
        return any(_value(old, key) != _value(new, key) for key in _REBUILD_KEYS)

    def apply_config(self, new: cfg.ExperimentConfig) -> list[dict[str, Any]]:
        """Move to ``new``: live changes where possible, else a rebuild (new segment)."""
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

    def real_batch(self, n: int) -> tuple[torch.Tensor, torch.Tensor | None]:
        """The next real batch of ``n`` on the trainer's device, from the data stream
        (what a family's objective trains on)."""
        return self._real_batch(n)

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

    def d_penalties(
        self, d: nn.Module, real: torch.Tensor, fake: torch.Tensor, y: Any = None
    ) -> torch.Tensor:
        """The penalties on D the loss settings ask for, as one 0-d tensor to add to D's
        loss: WGAN-GP's ``gp_weight * (|grad D(x_hat)| - 1)^2`` when the loss has a
        gradient penalty (Gulrajani et al. 2017), and R1's ``r1_gamma / 2 * |grad D(real)|^2``
        (Mescheder et al. 2018). ``d`` is called as ``d(x, y)``; randomness from
        ``noise_gen``. 0 when neither applies. A family's objective calls it too."""
        from ganlab.engine.losses import gradient_penalty, r1_penalty

        lcfg = self.config.loss
        total = torch.zeros((), device=real.device)
        if self.loss.gradient_penalty and lcfg.gp_weight > 0:
            total = total + lcfg.gp_weight * gradient_penalty(d, real, fake, y, self.noise_gen)
        if lcfg.r1_gamma > 0:
            total = total + 0.5 * lcfg.r1_gamma * r1_penalty(d, real, y)
        return total

    def update(self, network: str, loss: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """One optimizer step of ``network`` ("d" or "g") on ``loss`` (a 0-d tensor with
        its graph): zero the gradients, backpropagate, measure the gradient norms, step
        the optimizer, and for D clip its weights where the loss asks (WGAN). Returns
        (total gradient norm, per-layer norms), on the device. A family's objective
        makes its updates with it too."""
        optimizer = self._optimizer(network)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        total, layers = (self.norms_d if network == "d" else self.norms_g).compute()
        optimizer.step()
        if network == "d":
            self.clip_d_weights()
        return total, layers

    def clip_d_weights(self) -> None:
        """WGAN (Arjovsky et al. 2017): after D's update, clamp every weight of D to
        ``[-clip_value, clip_value]`` when the loss clips weights; nothing otherwise."""
        if self.loss.weight_clipping:
            c = self.config.loss.clip_value
            with torch.no_grad():
                torch._foreach_clamp_min_(self.norms_d.params, -c)
                torch._foreach_clamp_max_(self.norms_d.params, c)

    def _update_d(
        self, fake: torch.Tensor | None = None, fake_y: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, ...]:
        """One D update. ``fake`` may be given (reused by the G update that follows)."""
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
        loss = self.loss.d_loss(out_real, out_fake, lcfg) + self.d_penalties(d, real, fake, d_y)
        if cls_real is not None and cls_fake is not None and real_y is not None:
            assert fake_y is not None  # auxiliary-classifier families are conditional
            loss = loss + lcfg.aux_weight * (
                F.cross_entropy(cls_real, real_y) + F.cross_entropy(cls_fake, fake_y)
            )
        total, layers = self.update("d", loss)
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
        total, layers = self.update("g", loss)
        return loss.detach(), total, layers

    def step(self, which: str = "both") -> StepStats:
        """Run one iteration (``both``) or one network's updates (``d`` / ``g``).

        Returns the step's statistics by name, still on the device (NaN for a network
        that did not update): nothing is read back to the host here. Read a batch of
        them with :meth:`read_stats`, which synchronises the device once.
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
        if self.objective is not None:
            values, layer_norms = self.objective.train(which, k_d, k_g)
            self.step_count += 1
            return StepStats(
                values={name: values.get(name, nan) for name in rep.SCALAR_COLUMNS},
                layer_norms={net: layer_norms.get(net, self._nan_layers[net]) for net in "dg"},
            )
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
        return StepStats(
            values={
                "d_loss": d_loss,
                "g_loss": g_loss,
                "d_real": d_real,
                "d_fake": d_fake,
                "grad_norm_d": d_norm,
                "grad_norm_g": g_norm,
                **dict.fromkeys(rep.TERM_COLUMNS, nan),
            },
            layer_norms={"d": d_layers, "g": g_layers},
        )

    def read_stats(self, stats: list[StepStats]) -> HostStats:
        """Bring a batch of steps' statistics to the host with one device sync.

        Returns float64 arrays by name: each ``values`` column (n,), and the per-layer
        gradient norms (n, layers) of D and G.
        """
        block = torch.stack([s.packed() for s in stats]).cpu().numpy().astype(np.float64)
        return HostStats.unpack(self._combine_ranks(block), len(self.norms_d.names))

    def _combine_ranks(self, block: np.ndarray) -> np.ndarray:
        """The statistics of all training processes (one here: unchanged)."""
        return block

    def learning_rates(self) -> tuple[float, float]:
        return (float(self.opt_d.param_groups[0]["lr"]), float(self.opt_g.param_groups[0]["lr"]))

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
            "segment": self.segment,
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
            # "generation": checkpoints written before the counter was called a segment
            self.segment = int(
                state["segment"] if "segment" in state else state.get("generation", 0)
            )
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
