"""Reports from the training loop to whoever consumes it (window, CLI, tests). No Qt.

Reports are frozen dataclasses of numpy arrays (copies, never views of live tensors) and
Python scalars, so they can cross threads safely. Every report carries the
``segment`` it belongs to: a reset or an architecture switch starts a new segment
and consumers drop reports from an older one.

A few reports are for the trainer's own process only (``local_only``): they carry what
the recorder (``ganlab.engine.recorder``) writes to the run directory, such as a checkpoint's
tensors. A channel to a window never sends them; the recorder answers them with plain
reports (``CheckpointSaved``, ``TrainingError``) that do go out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

# The parts of G's loss that some families add (ModelFamily.loss_terms); NaN for the
# others. Their weighted sum plus the adversarial term is g_loss.
TERM_COLUMNS: tuple[str, ...] = (
    "g_adv",  # G's adversarial term alone
    "l1",  # pix2pix: mean |G(A) - B| (unweighted)
    "cycle",  # CycleGAN: mean |F(G(A)) - A| + mean |G(F(B)) - B| (unweighted)
    "identity",  # CycleGAN: mean |G(B) - B| + mean |F(A) - A| (unweighted)
)

# Columns of a ScalarBatch, in the order the trainer stacks them. NaN where a value was
# not computed in that step (e.g. the G loss of a D-only step).
SCALAR_COLUMNS: tuple[str, ...] = (
    "d_loss",  # D's total loss, penalties included
    "g_loss",  # G's loss
    "d_real",  # mean D output on real data (probability, or raw score for score losses)
    "d_fake",  # mean D output on generated data
    "grad_norm_d",  # L2 norm of all of D's gradients, before the update
    "grad_norm_g",  # L2 norm of all of G's gradients
    *TERM_COLUMNS,
)


@dataclass(frozen=True)
class Report:
    segment: int

    # True: engine-internal (tensors, files to write); never sent to a window.
    local_only: ClassVar[bool] = False


@dataclass(frozen=True)
class SegmentStarted(Report):
    """A new model pair was built: everything a view needs to set itself up."""

    step: int
    config_toml: str  # the experiment as TOML, for display and saving
    data_kind: str  # toy1d, toy2d, image
    data_shape: tuple[int, ...]
    class_names: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...] | None  # toy: region shown and evaluated
    output_kind: str  # "probability" or "score": how to read D's outputs
    device: str  # human description of the device
    param_counts: dict[str, int]  # {"g": ..., "d": ...}
    layer_names: dict[str, tuple[str, ...]]  # {"g": (...), "d": (...)} per-layer norm order
    data_summary: str
    real: np.ndarray  # fixed real samples: toy (N, dim) float32; images (N, H, W, C) uint8
    real_labels: np.ndarray | None
    real_density: np.ndarray | None  # toy: exact density on the field grid, if known
    grid_axes: tuple[np.ndarray, ...] = ()  # toy: coordinates of the field grid per axis
    real_projection: np.ndarray | None = None  # images: fixed real samples on 2 PCA axes
    fixed_z: np.ndarray | None = None  # (N, latent_dim) the fixed noise behind the shown fakes
    latent_dist: str = "gaussian"
    # The window panel that shows this run (a key of ganlab.app.panels.PANELS): the
    # family's own panel, else the data kind's.
    panel: str = ""
    # Image-to-image data: the names of domains A and B (English msgids).
    domains: tuple[str, ...] = ()
    reason: str = "start"  # start, reset, rebuild, checkpoint, attach (a window joined)


@dataclass(frozen=True)
class ScalarBatch(Report):
    """Per-step scalars for all steps since the previous batch (one device sync)."""

    steps: np.ndarray  # (n,) int64, the step number after each update
    times: np.ndarray  # (n,) float64, seconds since the loop started
    which: tuple[str, ...]  # (n,) "both", "d" or "g"
    values: dict[str, np.ndarray]  # SCALAR_COLUMNS -> (n,) float64
    lrs: dict[str, np.ndarray]  # {"d": (n,), "g": (n,)} learning rates in effect
    layer_norms: dict[str, np.ndarray]  # {"d": (n, Ld), "g": (n, Lg)} per-layer grad norms

    def __len__(self) -> int:
        return len(self.steps)

    def rows(self, layer_names: dict[str, tuple[str, ...]] | None = None) -> list[dict[str, Any]]:
        """One plain dict per step, NaN as None: the rows of metrics.jsonl."""
        out = []
        for i in range(len(self.steps)):
            row: dict[str, Any] = {
                "step": int(self.steps[i]),
                "time": round(float(self.times[i]), 4),
                "segment": self.segment,
                "which": self.which[i],
            }
            for name, column in self.values.items():
                value = plain_number(column[i])
                if value is None and name in TERM_COLUMNS:
                    continue  # a term this family does not have: kept out of the file
                row[name] = value
            row["lr_d"] = plain_number(self.lrs["d"][i])
            row["lr_g"] = plain_number(self.lrs["g"][i])
            if layer_names:
                for net in ("d", "g"):
                    norms = self.layer_norms[net][i]
                    row[f"grad_norm_{net}_layers"] = {
                        n: plain_number(v) for n, v in zip(layer_names[net], norms, strict=True)
                    }
            out.append(row)
        return out


def plain_number(value: float) -> float | None:
    """A float for JSON: NaN and infinities become None, 7 significant digits."""
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return float(f"{value:.7g}")


@dataclass(frozen=True)
class ToySnapshot(Report):
    """The state of a toy (1-D / 2-D) experiment for the layered view."""

    step: int
    fake: np.ndarray  # (N, dim) G(z) for the fixed noise batch; row i is always the same z
    fake_labels: np.ndarray | None
    fake_motion: np.ndarray  # (N, dim) -dL_G/dx per sample: where G's update pushes each point
    field: np.ndarray  # D's output on the grid: (grid,) for 1-D, (grid, grid) [y, x] for 2-D
    manifold: np.ndarray  # G over a grid of the first two latent dims: (m, m, dim)
    fake_density: np.ndarray | None = None  # 1-D: KDE of p_g on the grid (for D* = p/(p+p_g))


@dataclass(frozen=True)
class ImageSnapshot(Report):
    """The state of an image experiment: sample grid and D's judgement."""

    step: int
    fake: np.ndarray  # (N, H, W, C) uint8 from the fixed noise batch
    fake_labels: np.ndarray | None  # (N,) for conditional families (rows per class)
    d_real: np.ndarray  # (B,) D's output on a batch of real images
    d_fake: np.ndarray  # (B,) D's output on a batch of generated images
    fake_projection: np.ndarray  # (B, 2) that batch on the real data's 2 PCA axes


@dataclass(frozen=True)
class PanelSnapshot(Report):
    """The state of a family with views of its own (``ModelFamily.views``): named
    arrays for its panel (``ModelFamily.panel``), e.g. pix2pix's ``input``, ``output``
    and ``target`` rows as (N, H, W, C) uint8. What each panel reads is documented with
    its family's views (ganlab.models.<family>)."""

    step: int
    panel: str
    arrays: dict[str, np.ndarray]
    values: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class PanelAnswer(Report):
    """Answer to RequestPanel: the arrays a panel asked for (e.g. G's output for a
    drawn sketch, a style-mixing grid at another truncation ψ)."""

    request_id: int
    panel: str
    what: str
    arrays: dict[str, np.ndarray]


@dataclass(frozen=True)
class MetricsReport(Report):
    """Quality measures of G at one step (toy: divergences, mode coverage, W1)."""

    step: int
    values: dict[str, float]  # jsd, kl_real_fake, kl_fake_real, tv, d_bound, modes_captured...


@dataclass(frozen=True)
class Diagnosis(Report):
    """A problem detected in the training curves, explained for a person."""

    step: int
    kind: str  # non_finite, exploding, vanishing_generator, discriminator_wins, ...
    severity: str  # warning or error
    message: str
    values: dict[str, float] = field(default_factory=dict)
    title: str = ""  # the kind in a few words (metrics.diagnostics.TITLES)


@dataclass(frozen=True)
class DiagnosisCleared(Report):
    """A diagnosed condition has been gone long enough for its episode to close."""

    step: int
    kind: str
    title: str


@dataclass(frozen=True)
class EvaluationSamples(Report):
    """Answer to RequestEvaluationSamples: images to compute image metrics on."""

    request_id: int
    step: int
    source: str  # the data source name, to cache real-data statistics per data set
    real: np.ndarray  # (n, H, W, C) uint8
    fake: np.ndarray  # (n, H, W, C) uint8


@dataclass(frozen=True)
class SamplesReady(Report):
    """Answer to RequestSamples."""

    request_id: int
    z: np.ndarray  # (M, latent_dim) float32
    samples: np.ndarray  # toy (M, dim) float32; images (M, H, W, C) uint8
    labels: np.ndarray | None


@dataclass(frozen=True)
class StateChanged(Report):
    """The loop is now playing, paused, finished (reached its step count) or stopped."""

    state: str
    step: int


@dataclass(frozen=True)
class SettingChanged(Report):
    """A live change, for the run history and the curve markers."""

    step: int
    key: str  # dotted config key, e.g. "optimizer_d.lr"
    old: Any
    new: Any


@dataclass(frozen=True)
class ConfigInEffect(Report):
    """The experiment the trainer runs now, after a change was applied live or refused.

    Sent after every command that could change the config, so a consumer never shows
    settings, labels or units of a change the trainer did not make.
    """

    step: int
    config_toml: str
    output_kind: str  # "probability" or "score": how to read D's outputs under this loss


@dataclass(frozen=True)
class CheckpointLoaded(Report):
    """A checkpoint replaced the pair's state (after its ``SegmentStarted``).

    ``history`` is the curve history of the run the checkpoint was saved in, up to its
    step (a ``ganlab.kernel.rundir.RunHistory``, read in the trainer thread so the window
    never waits on a long metrics.jsonl), or None for a checkpoint outside a run.
    """

    step: int
    path: str
    history: Any = None
    problem: str = ""  # why the history could not be read, for the log; "" if none


@dataclass(frozen=True)
class CheckpointSaved(Report):
    step: int
    path: str
    # Why it was written: "command" (the user asked), "every", "end", "stop", "good"
    # (the window's trainer keeping its last good state); see CheckpointState.
    reason: str = "command"


@dataclass(frozen=True)
class CheckpointState(Report):
    """The trainer's state to save as a checkpoint (for the recorder; never leaves the
    trainer's process).

    ``state`` is ``Trainer.state_dict()``: tensors and primitives, a deep copy the loop no
    longer touches. ``path`` is where the user asked for it, or None for the run
    directory's ``checkpoints/step_NNNNNNNN.pt``.
    """

    local_only: ClassVar[bool] = True

    step: int
    state: dict[str, Any]
    path: str | None
    # "every" (loop.checkpoint_every), "end" (the step limit), "stop", "command", "good"
    # (the last good state, recorded on a timer by a window's own trainer)
    reason: str


@dataclass(frozen=True)
class RunFile(Report):
    """A text file for the run directory (e.g. the list of skipped images), written by
    the recorder; never leaves the trainer's process."""

    local_only: ClassVar[bool] = True

    name: str  # a bare file name inside the run directory
    text: str


@dataclass(frozen=True)
class TrainingError(Report):
    """Something went wrong; training is paused. ``message`` is for a person."""

    step: int
    message: str
    details: str = ""  # traceback or technical detail, for the log panel
    recoverable: bool = True  # False: the config itself is unusable (fix it, then reset)


@dataclass(frozen=True)
class LogMessage(Report):
    """A line for the log: data summary, skipped files, downloads..."""

    message: str
    level: str = "info"
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TrainerInfo(Report):
    """The first message a trainer sends a window that attaches (segment -1).

    Tells the window which process it talks to and what it may do there.
    """

    pid: int  # the trainer process
    run_dir: str  # the run directory it records into
    control: bool  # accepts commands that change the training (pause, step, lr, ...)
    owned: bool  # a window's own run: it ends when that window closes


@dataclass(frozen=True)
class TakenOver(Report):
    """Sent to a window (segment -1) just before the trainer drops it because another
    window attached to the same run: it shows the run no longer."""
