"""Training on several processes under torchrun: DistributedDataParallel. No Qt.

Owns the process group of a ``torchrun`` launch, the trainer that trains across ranks
(:class:`DistributedTrainer`) and the channel through which rank 0 drives the other
ranks. Runs in the main thread of each rank's process (``ganlab train`` under
``torchrun``; tests start rank processes the same way).

How the ranks stay in step
--------------------------
Rank 0 runs the ordinary loop (:func:`ganlab.engine.loop.run`): it alone reads commands,
publishes reports and writes the run directory. The other ranks run :func:`follow`, which
decides nothing: every call of rank 0's loop that changes or reads training state (a
step, a learning rate, a loss, a rebuild, a restored or saved state) is first announced
on a control channel, then run on every rank in the same order. Broadcasting the inbox's
commands alone would not be enough: the loop also decides by the wall clock when to
publish statistics (and a NaN or an exploding loss found in them pauses training and
restores an earlier state) and, under a speed limit, when the next step is due; ranks
taking those decisions at different steps would call different collectives and deadlock.
Announcing the trainer's calls makes rank 0's decisions the only ones, and leaves the
loop as it is. A paused rank 0 announces nothing, so every rank waits.

The control channel is a gloo group (CPU tensors) even when gradients go over NCCL, so
ranks waiting for rank 0 block in a socket, not in a spinning GPU kernel. Every group has
a long timeout (:data:`DEFAULT_TIMEOUT_S`, one week; ``GANLAB_DDP_TIMEOUT_S`` seconds to
change it): gloo's default of 30 minutes would end a run whose window paused it for lunch.

Gradients
---------
G and D are wrapped in ``DistributedDataParallel`` (``Trainer.g_train`` / ``d_train``).
D's update calls D's wrapper two or three times (real, fake, and the penalty's points,
whose ``autograd.grad(create_graph=True)`` is taken with respect to the inputs, so no
parameter hook fires there) and backpropagates once: autograd sums a parameter's
contributions before accumulating them, so each gradient hook fires once and DDP averages
the whole gradient. Every loss and penalty is a mean over the batch, so the average of
the ranks' means is the gradient of the mean over all ranks' samples
(tests/engine/test_distributed.py checks one step against one process with the whole
batch, with and without the gradient penalty). G's update goes through the plain D: no D
gradient is taken, and a DDP-wrapped D whose gradients never arrive would stall its next
reduction. Buffers (BatchNorm statistics, spectral norm's vectors) are broadcast from rank
0 at each wrapped forward (``broadcast_buffers``), so every rank holds rank 0's.

BatchNorm: on CUDA, the nets the family names in ``ModelFamily.batch_norm`` get
``SyncBatchNorm`` (batch statistics over all ranks' samples). PyTorch's SyncBatchNorm runs
on GPUs only, so on the CPU each rank normalises over its own batch. Views run G on rank 0
alone; there G's synchronised layers normalise locally (:func:`local_batch_norm`).

Randomness: weights start from the run's seed on every rank (and DDP broadcasts rank 0's
at wrapping). Each rank draws its own real batches and noise from generators seeded per
rank (:func:`rank_seed`); rank 0's are a single process's, so one rank trains exactly
like a plain run. Checkpoints hold the plain modules' state (no ``module.`` prefix) and
every rank's generators (``rng_ranks``), so a run resumes in one process or on N ranks,
exactly when N is the same.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import types
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm
from torch.nn.parallel import DistributedDataParallel

from ganlab.engine.trainer import StepStats, Trainer
from ganlab.kernel import config as cfg
from ganlab.kernel.contracts import DataSource
from ganlab.kernel.device import choose_device, configure_threads
from ganlab.kernel.errors import CheckpointError, ConfigError
from ganlab.kernel.i18n import _
from ganlab.kernel.torchrun import follower_process, launched  # noqa: F401 - re-exported

TIMEOUT_ENV = "GANLAB_DDP_TIMEOUT_S"
DEFAULT_TIMEOUT_S = 7 * 24 * 3600  # a week: how long ranks wait for a paused rank 0

# Control messages: three int64 values (code, n, width) broadcast from rank 0.
_STOP, _STEP_BOTH, _STEP_D, _STEP_G, _CALL, _STATE, _REDUCE = range(7)
_STEP_CODES = {"both": _STEP_BOTH, "d": _STEP_D, "g": _STEP_G}
_STEP_WHICH = {code: which for which, code in _STEP_CODES.items()}
# The trainer calls rank 0 announces with their arguments (see DistributedTrainer).
_ANNOUNCED_CALLS = frozenset(
    {
        "set_learning_rate",
        "set_betas",
        "set_update_ratio",
        "set_loss",
        "apply_config",
        "rebuild",
        "load_state_dict",
    }
)
# Announced calls after which rank 0's unpublished statistics are gone (a new pair).
_NEW_PAIR_CALLS = frozenset({"rebuild", "load_state_dict", "apply_config"})


@dataclass(frozen=True)
class DistributedContext:
    """This process's place in a torchrun job.

    Attributes
    ----------
    rank, world_size
        Global rank in ``[0, world_size)`` and the number of processes.
    local_rank, local_world_size
        Rank on this node and processes on this node (CUDA: the GPU index).
    backend
        ``"gloo"`` (CPU) or ``"nccl"`` (CUDA): the group the gradients go through.
    device
        This rank's device: ``cpu`` or ``cuda:LOCAL_RANK``.
    """

    rank: int
    world_size: int
    local_rank: int
    local_world_size: int
    backend: str
    device: torch.device

    @property
    def is_main(self) -> bool:
        """Rank 0: the one that writes the run directory and serves a window."""
        return self.rank == 0


_context: DistributedContext | None = None
_control: Any = None  # the control channel's group; None is the default (gloo) group
_leader: DistributedTrainer | None = None


def current() -> DistributedContext | None:
    """The context of :func:`initialize`, or None outside a torchrun job."""
    return _context


def _env_int(env: Mapping[str, str], name: str, default: str | None = None) -> int:
    raw = env.get(name, default)
    try:
        return int(str(raw))
    except ValueError:
        raise ConfigError(
            _(
                "environment variable {name} = {value!r} is not a whole number; "
                "start ganlab with torchrun, which sets it"
            ).format(name=name, value=raw)
        ) from None


def timeout_seconds(environ: Mapping[str, str] | None = None) -> float:
    """Seconds a collective may wait (``GANLAB_DDP_TIMEOUT_S``, default one week).

    Raises
    ------
    ConfigError
        The variable is set but is not a positive number.
    """
    env = os.environ if environ is None else environ
    raw = env.get(TIMEOUT_ENV)
    if raw is None or not raw.strip():
        return float(DEFAULT_TIMEOUT_S)
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ConfigError(
            _("environment variable {name} = {value!r}: give a positive number of seconds").format(
                name=TIMEOUT_ENV, value=raw
            )
        )
    return value


def initialize(device_setting: str, environ: Mapping[str, str] | None = None) -> DistributedContext:
    """Join the torchrun job: ``init_process_group`` and the control channel.

    Parameters
    ----------
    device_setting
        ``loop.device`` (or ``--device``): ``auto``, ``cpu``, ``cuda``... A CUDA choice
        puts this rank on ``cuda:LOCAL_RANK`` with NCCL; the CPU uses gloo.
    environ
        The environment torchrun set (``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``,
        ``LOCAL_WORLD_SIZE``, ``MASTER_ADDR``, ``MASTER_PORT``); ``os.environ`` when None.

    Raises
    ------
    ConfigError
        Bad rank variables, an Apple MPS device (DDP runs on cpu or cuda), or more
        processes on a node than it has GPUs.
    RuntimeError
        Already initialised in this process.
    """
    global _context, _control
    if _context is not None or (dist.is_available() and dist.is_initialized()):
        raise RuntimeError("the process group is already initialised")
    env = os.environ if environ is None else environ
    rank = _env_int(env, "RANK")
    world = _env_int(env, "WORLD_SIZE")
    local_rank = _env_int(env, "LOCAL_RANK", "0")
    local_world = _env_int(env, "LOCAL_WORLD_SIZE", str(world))
    if world < 1 or not 0 <= rank < world:
        raise ConfigError(
            _("RANK = {rank} and WORLD_SIZE = {world} do not make a job; use torchrun").format(
                rank=rank, world=world
            )
        )
    device, _note = choose_device(device_setting)
    if device.type == "cuda":
        count = torch.cuda.device_count()
        if local_rank >= count:
            raise ConfigError(
                _(
                    "rank {rank} would use cuda:{local} but this node has {count} CUDA "
                    "device(s): start at most {count} processes per node (--nproc_per_node)"
                ).format(rank=rank, local=local_rank, count=count)
            )
        device = torch.device("cuda", local_rank)
        torch.cuda.set_device(device)
        backend = "nccl"
    elif device.type == "cpu":
        backend = "gloo"
    else:
        raise ConfigError(
            _(
                "training under torchrun runs on cpu or cuda, not on {device}; "
                "set --device cpu or cuda"
            ).format(device=device.type),
            key="loop.device",
        )
    timeout = datetime.timedelta(seconds=timeout_seconds(env))
    # A conv weight with one output channel ((1, C, k, k)) has two equally contiguous
    # stride layouts; DDP's reducer warns that the gradient's is "not the bucket's", a
    # false alarm (the copy is exact) that every rank would print.
    warnings.filterwarnings("ignore", message="Grad strides do not match bucket view strides")
    env_vars = {k: env[k] for k in ("MASTER_ADDR", "MASTER_PORT") if k in env}
    os.environ.update(env_vars)  # init_method env:// reads them from the process
    dist.init_process_group(backend, rank=rank, world_size=world, timeout=timeout)
    # Collective: every rank creates the group, in the same order.
    _control = dist.new_group(backend="gloo", timeout=timeout) if backend != "gloo" else None
    _context = DistributedContext(rank, world, local_rank, local_world, backend, device)
    return _context


def shutdown() -> None:
    """Leave the job: rank 0 first tells the followers to stop (if it leads), then the
    process group is destroyed. Safe to call when nothing was initialised."""
    global _context, _control, _leader
    try:
        if _leader is not None:
            _leader.release()
    finally:
        _leader = None
        _control = None
        _context = None
        if dist.is_available() and dist.is_initialized():
            dist.destroy_process_group()


@contextlib.contextmanager
def session(
    device_setting: str, environ: Mapping[str, str] | None = None
) -> Iterator[DistributedContext]:
    """:func:`initialize` for the block, :func:`shutdown` after it, whatever happens."""
    context = initialize(device_setting, environ)
    try:
        yield context
    finally:
        shutdown()


def rank_seed(seed: int, rank: int, stream: int, step: int | None = None) -> int:
    """The seed of rank ``rank``'s random stream ``stream`` (1 data, 2 noise).

    Rank 0 keeps one process's seeds (``seed + stream``, as :class:`Trainer`), so a
    one-rank job draws what a plain run draws. Other ranks get seeds mixed by NumPy's
    ``SeedSequence`` from ``(seed, stream, rank)``: independent of each other and of rank
    0's. ``step`` mixes in a step for a rank whose stream a checkpoint lacks (resuming
    on more ranks than the run had, or a single process's checkpoint).
    """
    if rank == 0 and step is None:
        return seed + stream
    words = [seed % 2**64, stream, rank] + ([] if step is None else [step])
    return int(np.random.SeedSequence(words).generate_state(1, dtype=np.uint64)[0])


@contextlib.contextmanager
def local_batch_norm(module: nn.Module) -> Iterator[None]:
    """Run ``module``'s SyncBatchNorm layers as plain BatchNorm (this rank's batch only).

    For forwards on rank 0 alone (the views): a synchronised layer would wait for the
    other ranks, which are not running it. Parameters and buffers are the same tensors.
    """
    layers = [m for m in module.modules() if isinstance(m, nn.SyncBatchNorm)]
    for layer in layers:
        setattr(layer, "forward", types.MethodType(_BatchNorm.forward, layer))  # noqa: B010
    try:
        yield
    finally:
        for layer in layers:
            del layer.forward


# ---------------------------------------------------------------------- control channel


def _send(code: int, n: int = 0, width: int = 0) -> None:
    dist.broadcast(torch.tensor([code, n, width], dtype=torch.int64), src=0, group=_control)


def _receive() -> tuple[int, int, int]:
    message = torch.zeros(3, dtype=torch.int64)
    dist.broadcast(message, src=0, group=_control)
    code, n, width = (int(v) for v in message)
    return code, n, width


def _share(value: Any = None) -> Any:
    """Rank 0's ``value`` on every rank (pickled: plain values, tensors on the CPU)."""
    box = [value]
    dist.broadcast_object_list(box, src=0, group=_control)
    return box[0]


def _to_cpu(value: Any) -> Any:
    """``value`` with every tensor moved to the CPU (so no rank unpickles onto cuda:0)."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu()
    if isinstance(value, dict):
        return {k: _to_cpu(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_to_cpu(v) for v in value)
    return value


def _sum_over_ranks(block: torch.Tensor) -> torch.Tensor:
    """Element-wise sum of a float64 CPU tensor over all ranks (one all-reduce)."""
    dist.all_reduce(block, group=_control)
    return block


# ---------------------------------------------------------------------- the trainer


class DistributedTrainer(Trainer):
    """A :class:`Trainer` on one rank of a torchrun job.

    Every rank builds one from the same config (and resumes the same checkpoint). Rank 0
    then calls :meth:`lead` and drives the loop; the others call :func:`follow`.

    Parameters
    ----------
    config
        The experiment, as for :class:`Trainer`.
    context
        This rank's :class:`DistributedContext` (from :func:`initialize`).
    source
        An already built data source, as for :class:`Trainer`.
    """

    def __init__(
        self,
        config: cfg.ExperimentConfig,
        context: DistributedContext,
        *,
        source: DataSource | None = None,
    ):
        self.context = context
        self.synced_batch_norm: tuple[str, ...] = ()  # nets with SyncBatchNorm ("G", "D")
        self._leading = False
        self._depth = 0  # nesting of announced calls: only the outermost is announced
        super().__init__(config, source=source)

    # ------------------------------------------------------------------ building

    def _place(self, config: cfg.ExperimentConfig) -> tuple[torch.device, str | None]:
        """This rank's device; CPU threads default to the cores shared among the node's
        ranks (``loop.threads = 0``), so ranks do not oversubscribe the cores."""
        device = self.context.device
        if device.type == "cpu":
            threads = config.loop.threads
            if threads <= 0:
                threads = max(1, (os.cpu_count() or 1) // self.context.local_world_size)
            configure_threads(threads)
        else:
            torch.backends.cudnn.benchmark = True
        return device, None

    def _build(self, config: cfg.ExperimentConfig, *, source: DataSource | None = None) -> None:
        super()._build(config, source=source)
        rank, seed = self.context.rank, config.loop.seed
        self.data_gen = torch.Generator().manual_seed(rank_seed(seed, rank, 1))
        self.noise_gen = torch.Generator(device=self.device).manual_seed(rank_seed(seed, rank, 2))
        with_bn = (
            self.family.batch_norm(config.model, self.spec.kind) if self.family.batch_norm else ()
        )
        sync = with_bn if self.device.type == "cuda" else ()
        self.synced_batch_norm = tuple(sync)
        self.g_train = self._wrap(self.G, "G" in sync)
        self.d_train = self._wrap(self.D, "D" in sync)

    def _wrap(self, module: nn.Module, sync_batch_norm: bool) -> nn.Module:
        if sync_batch_norm:
            # Replaces the BatchNorm children in place, sharing their parameters and
            # buffers: the optimizer, the checkpoints and the views keep working.
            nn.SyncBatchNorm.convert_sync_batchnorm(module)
        ids = [self.device.index] if self.device.type == "cuda" else None
        # DDP's default broadcasts rank 0's buffers at each forward (see the module notes).
        return DistributedDataParallel(module, device_ids=ids)

    # ------------------------------------------------------------------ rank 0 leads

    def lead(self) -> None:
        """Rank 0, once the other ranks are in :func:`follow`: announce from now on every
        call that changes training state; :func:`shutdown` tells them to stop.

        Raises
        ------
        RuntimeError
            Called on a rank other than 0.
        """
        global _leader
        if not self.context.is_main:
            raise RuntimeError("only rank 0 leads")
        self._leading = True
        _leader = self

    def release(self) -> None:
        """Stop leading: the followers' :func:`follow` returns. Idempotent."""
        if self._leading:
            self._leading = False
            _send(_STOP)

    def _announcing(self) -> bool:
        return self._leading and self._depth == 0

    @contextlib.contextmanager
    def _announced(self, name: str, *args: Any, **kwargs: Any) -> Iterator[None]:
        if self._announcing():
            _send(_CALL)
            _share((name, _to_cpu(args), _to_cpu(kwargs)))
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1

    def step(self, which: str = "both") -> StepStats:
        if self._announcing() and which in _STEP_CODES:
            _send(_STEP_CODES[which])
        self._depth += 1
        try:
            return super().step(which)
        finally:
            self._depth -= 1

    def set_learning_rate(self, network: str, lr: float) -> list[dict[str, Any]]:
        with self._announced("set_learning_rate", network, lr):
            return super().set_learning_rate(network, lr)

    def set_betas(self, network: str, beta1: float, beta2: float) -> list[dict[str, Any]]:
        with self._announced("set_betas", network, beta1, beta2):
            return super().set_betas(network, beta1, beta2)

    def set_update_ratio(self, k_d: int, k_g: int) -> list[dict[str, Any]]:
        with self._announced("set_update_ratio", k_d, k_g):
            return super().set_update_ratio(k_d, k_g)

    def set_loss(self, loss: cfg.LossConfig) -> list[dict[str, Any]]:
        with self._announced("set_loss", loss):
            return super().set_loss(loss)

    def apply_config(self, new: cfg.ExperimentConfig) -> list[dict[str, Any]]:
        with self._announced("apply_config", new):
            return super().apply_config(new)

    def rebuild(self, config: cfg.ExperimentConfig, reason: str = "rebuild") -> None:
        with self._announced("rebuild", config, reason):
            super().rebuild(config, reason)

    # ------------------------------------------------------------------ checkpoints

    def state_dict(self) -> dict[str, Any]:
        """:meth:`Trainer.state_dict` plus ``rng_ranks``: every rank's data and noise
        generator states, in rank order (one gather on the control channel)."""
        if self._announcing():
            _send(_STATE)
        state = super().state_dict()
        mine = {"data": self.data_gen.get_state(), "noise": self.noise_gen.get_state()}
        everyone: list[Any] = [mine]
        if self.context.world_size > 1:
            everyone = [None] * self.context.world_size
            dist.all_gather_object(everyone, mine, group=_control)
        state["rng_ranks"] = everyone
        return state

    def load_state_dict(self, state: dict[str, Any], *, source_path: str = "checkpoint") -> None:
        """:meth:`Trainer.load_state_dict`, then this rank's generators: its own from
        ``rng_ranks`` when the checkpoint has them, else seeded from (seed, rank, step)."""
        with self._announced("load_state_dict", state, source_path=source_path):
            super().load_state_dict(state, source_path=source_path)
            self._load_rank_generators(state, source_path)

    def _load_rank_generators(self, state: dict[str, Any], source_path: str) -> None:
        rank = self.context.rank
        if rank == 0:
            return  # the checkpoint's "rng" is rank 0's (or a single process's)
        ranks = state.get("rng_ranks")
        if isinstance(ranks, list) and rank < len(ranks):
            try:
                self.data_gen.set_state(ranks[rank]["data"])
                self.noise_gen.set_state(ranks[rank]["noise"])
            except (KeyError, TypeError, RuntimeError) as exc:
                raise CheckpointError(
                    _("{path}: rng_ranks is damaged: {error}").format(path=source_path, error=exc)
                ) from None
            return
        seed, step = self.config.loop.seed, self.step_count
        self.data_gen.manual_seed(rank_seed(seed, rank, 1, step))
        self.noise_gen.manual_seed(rank_seed(seed, rank, 2, step))

    # ------------------------------------------------------------------ views, statistics

    def generate(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        """G(z) for display on this rank alone (synchronised BatchNorm runs locally)."""
        with local_batch_norm(self.G):
            return super().generate(z, y)

    def _combine_ranks(self, block: np.ndarray) -> np.ndarray:
        """Rank 0 leading: the rows' mean over all ranks (one all-reduce per published
        batch). Losses and mean D outputs become those of the whole batch over ranks;
        gradient norms are already the same on every rank."""
        if self._announcing() and self.context.world_size > 1 and len(block):
            n, width = block.shape
            _send(_REDUCE, n, width)
            summed = _sum_over_ranks(torch.from_numpy(np.array(block, dtype=np.float64)))
            block = (summed / self.context.world_size).numpy()
        return block


def follow(trainer: DistributedTrainer) -> None:
    """Ranks other than 0: run rank 0's announced calls, in order, until it stops.

    Settings rank 0 refuses are refused here too (rank 0 reports them); an error in a
    training step ends this rank, and torchrun then ends the job.
    """
    unpublished: list[StepStats] = []  # this rank's step statistics since the last mean
    while True:
        code, n, width = _receive()
        if code == _STOP:
            return
        if code in _STEP_WHICH:
            unpublished.append(trainer.step(_STEP_WHICH[code]))
        elif code == _STATE:
            trainer.state_dict()
        elif code == _REDUCE:
            rows = unpublished[-n:] if n else []
            unpublished.clear()
            block = torch.full((n, width), float("nan"), dtype=torch.float64)
            if rows:
                mine = torch.stack([r.packed() for r in rows]).to("cpu", torch.float64)
                if mine.shape[1] == width:
                    block[n - len(mine) :] = mine
            _sum_over_ranks(block)
        elif code == _CALL:
            name, args, kwargs = _share()
            if name not in _ANNOUNCED_CALLS:
                raise RuntimeError(f"rank 0 announced an unknown call {name!r}")
            if name in _NEW_PAIR_CALLS:
                unpublished.clear()
            with contextlib.suppress(Exception):  # refused on rank 0 as well, which reports it
                getattr(trainer, name)(*args, **kwargs)
        else:
            raise RuntimeError(f"unknown control message {code}")
