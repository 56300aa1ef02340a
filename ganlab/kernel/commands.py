"""Commands from a controller to the training loop. No Qt; any thread may create them.

Commands are frozen dataclasses put on the loop's inbox (a ``queue.Queue``). The loop
drains the inbox between steps; for commands that set the same thing (the same
``setting_key``) only the last one drained takes effect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

if TYPE_CHECKING:
    from ganlab.kernel.config import ExperimentConfig, LossConfig, ModelConfig

Network = Literal["d", "g"]
Which = Literal["both", "d", "g"]


@dataclass(frozen=True)
class Command:
    """Base class. ``setting_key`` is not None for commands where the last one wins."""

    @property
    def setting_key(self) -> object | None:
        return None


@dataclass(frozen=True)
class SetSpeed(Command):
    """Limit continuous training to ``steps_per_second`` iterations a second, so that a
    class can watch it happen; 0 means full speed. Step and the views are unaffected."""

    steps_per_second: float  # >= 0; 0 = as fast as the device allows

    @property
    def setting_key(self) -> object:
        return "speed"


@dataclass(frozen=True)
class Play(Command):
    """Train continuously."""

    @property
    def setting_key(self) -> object:
        return "run-state"


@dataclass(frozen=True)
class Pause(Command):
    """Stop after the current step and wait for commands (sample requests still answered)."""

    @property
    def setting_key(self) -> object:
        return "run-state"


@dataclass(frozen=True)
class Step(Command):
    """Run one update while paused: a full iteration, D only, or G only."""

    which: Which = "both"


@dataclass(frozen=True)
class SetLearningRate(Command):
    """Change one network's learning rate; the optimizer keeps its state."""

    network: Network
    lr: float

    @property
    def setting_key(self) -> object:
        return ("lr", self.network)


@dataclass(frozen=True)
class SetBetas(Command):
    """Change Adam's (beta1, beta2) for one network, keeping its moment estimates."""

    network: Network
    beta1: float
    beta2: float

    @property
    def setting_key(self) -> object:
        return ("betas", self.network)


@dataclass(frozen=True)
class SetUpdateRatio(Command):
    """Set k_D and k_G: discriminator and generator updates per iteration."""

    k_d: int
    k_g: int

    @property
    def setting_key(self) -> object:
        return "k"


@dataclass(frozen=True)
class SetLoss(Command):
    """Switch the loss or its options (smoothing, instance noise, penalties) live."""

    loss: LossConfig

    @property
    def setting_key(self) -> object:
        return "loss"


@dataclass(frozen=True)
class SwitchArchitecture(Command):
    """Rebuild G and D with another model config (and latent size); bumps the segment."""

    model: ModelConfig
    latent_dim: int | None = None

    @property
    def setting_key(self) -> object:
        return "rebuild"


@dataclass(frozen=True)
class ApplyConfig(Command):
    """Move to a whole new config: live where possible, rebuilding where shapes change."""

    config: ExperimentConfig

    @property
    def setting_key(self) -> object:
        return "rebuild"


@dataclass(frozen=True)
class Reset(Command):
    """Rebuild everything (new weights) from ``config``, or from the current config when
    None; bumps the segment. One command, so that "this experiment, fresh" cannot be
    split by the inbox's last-one-wins rule into only its second half."""

    seed: int | None = None  # None keeps the config's seed
    config: ExperimentConfig | None = None

    @property
    def setting_key(self) -> object:
        return "rebuild"


@dataclass(frozen=True)
class RequestSamples(Command):
    """Ask for G's output at given latent vectors (or ``n`` random ones).

    Answered with a ``SamplesReady`` report carrying the same ``request_id``, also while
    paused, so the latent explorer works without training.
    """

    request_id: int
    z: np.ndarray | None = None  # (M, latent_dim) float32; None = draw ``n`` vectors
    n: int = 0
    labels: np.ndarray | None = None  # (M,) int, for conditional families


@dataclass(frozen=True)
class RequestPanel(Command):
    """Ask a family's views for something its panel shows on demand: ``what`` names it
    (e.g. ``"sketch"`` with ``params["sketch"]`` a drawn (H, W) float32 image in [0, 1];
    ``"mixing"`` with ``params["psi"]``). Answered with a ``PanelAnswer`` carrying the
    same ``request_id``, also while paused; a refused request with a TrainingError."""

    request_id: int
    what: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestEvaluationSamples(Command):
    """Ask for ``n`` generated and ``n`` real images (uint8) to evaluate elsewhere.

    The trainer only generates them; computing IS/FID/KID happens in another thread so
    training goes on. Answered with an ``EvaluationSamples`` report.
    """

    request_id: int
    n: int = 1000


@dataclass(frozen=True)
class SnapshotTaken(Command):
    """The consumer has taken the last snapshot; the loop may publish the next one."""


@dataclass(frozen=True)
class SaveCheckpoint(Command):
    """Write a checkpoint now (into the run directory, or to ``path``)."""

    path: str | None = None


@dataclass(frozen=True)
class LoadCheckpoint(Command):
    """Continue from a checkpoint file (weights, optimizers, step); a new segment."""

    path: str

    @property
    def setting_key(self) -> object:
        return "rebuild"


@dataclass(frozen=True)
class Stop(Command):
    """Finish: flush the last reports, write the final checkpoint, end the loop."""


@dataclass(frozen=True)
class SetViews(Command):
    """A window attached (True) or left (False): publish view snapshots and scalars at a
    window's pace, or only what a headless run records. Answered, when True, with the
    current segment's ``SegmentStarted`` (reason "attach"), its config and state,
    so a window that attaches mid-run can set itself up."""

    enabled: bool

    @property
    def setting_key(self) -> object:
        return "views"


@dataclass(frozen=True)
class Detach(Command):
    """Sent by a window leaving a trainer; handled by the channel, never by the loop.

    ``keep_training``: the user chose to leave the run training in the background. A
    window's own trainer stops when its window leaves without it.
    """

    keep_training: bool = True
