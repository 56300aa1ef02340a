"""The training loop: a plain generator of reports. Runs in the trainer thread. No Qt.

``run(config, inbox)`` builds a :class:`Trainer` and yields reports until a ``Stop``
command arrives or ``config.loop.steps`` is reached. Between steps it drains the inbox
(commands from ``ganlab.kernel.commands``; for one setting the last command wins). While
paused it blocks on the inbox instead of spinning, and still answers sample requests.

Publishing is by wall-clock time, not step count: step statistics accumulate on the
device and are read back in one ``.cpu()`` at most ``scalar_hz`` times a second; the
heavier snapshots (fixed-noise samples, D's field, the manifold, image grids) go out at
most ``snapshot_hz`` times a second, and, when the consumer asked for acknowledgements,
only after it has taken the previous one.

The loop writes no files. What belongs in a run directory (scalar rows, setting changes,
metrics, diagnoses, checkpoints) goes out as reports; with ``recording=True`` the caller
passes them through a :class:`ganlab.engine.recorder.Recorder`, which writes them. A
checkpoint leaves the loop as a ``CheckpointState`` report (the trainer's tensors), which
only a recorder consumes. Reading checkpoints (resume, ``LoadCheckpoint``) stays here.
"""

from __future__ import annotations

import contextlib
import copy
import queue
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ganlab.engine.trainer import StepStats, Trainer
from ganlab.kernel import commands as cmd
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.checkpoint import load_checkpoint, load_newest_intact
from ganlab.kernel.errors import GanlabError
from ganlab.kernel.i18n import _
from ganlab.kernel.rundir import RunDir, history_for_checkpoint
from ganlab.metrics.diagnostics import PAUSING_KINDS, Diagnosis, Diagnostics
from ganlab.metrics.diagnostics import title as diagnosis_title

# Keep an in-memory copy of the last state whose statistics were all finite, at most
# this often (in steps), so a NaN/Inf can be undone without a checkpoint on disk.
GOOD_STATE_EVERY = 200
# A live change (learning rate, k_D : k_G, betas, loss) keeps the state it found as the
# one to go back to, when the settings before it had trained this many steps with clean
# statistics: what the user changed is what a blow-up right after it is undone to.
SETTLED_STEPS = 20
# Quality metrics (toy divergences, mode coverage) at most this often while playing, and
# after every manual step. About 5 ms each on a CPU (2,500 samples, cached densities).
METRICS_EVERY_S = 1.0
# Images: the fixed batches' diversity (a G forward on 64 images) feeds the mode-collapse
# detector, which looks at thousands of steps: every 5 s is plenty and costs ~0.2 %.
DIVERSITY_EVERY_S = 5.0


def drain(
    inbox: queue.Queue[cmd.Command], *, block: bool, timeout: float | None = None
) -> list[cmd.Command]:
    """Take every queued command (waiting for one if ``block``, at most ``timeout`` seconds
    when given); the last of each setting wins."""
    taken: list[cmd.Command] = []
    if block:
        try:
            taken.append(inbox.get(timeout=timeout))
        except queue.Empty:
            return []
    while True:
        try:
            taken.append(inbox.get_nowait())
        except queue.Empty:
            break
    last: dict[object, int] = {}
    for i, c in enumerate(taken):
        if c.setting_key is not None:
            last[c.setting_key] = i
    return [c for i, c in enumerate(taken) if c.setting_key is None or last[c.setting_key] == i]


def resume(trainer: Trainer, source: str | Path) -> list[str]:
    """Load a checkpoint file, or a run directory's newest intact checkpoint, into ``trainer``.

    Returns the notes to show: one per damaged checkpoint skipped (named, with its
    problem) and which checkpoint the run resumes from when it is not the newest.

    Raises
    ------
    CheckpointError
        The file is unusable, or the run has no intact checkpoint (every file named).
    GanlabError
        ``source`` is a folder that is not a run directory, or a run without checkpoints.
    """
    source = Path(source)
    if not source.is_dir():
        trainer.load_state_dict(load_checkpoint(source, trainer.device), source_path=str(source))
        return []
    run = RunDir.open_existing(source)
    candidates = run.checkpoints_newest_first()
    if not candidates:
        raise GanlabError(
            _("{path}: this run has no checkpoint to resume from").format(path=run.path)
        )
    path, _state, problems = load_newest_intact(
        candidates,
        lambda state, p: trainer.load_state_dict(state, source_path=str(p)),
        trainer.device,
    )
    if not problems:
        return []
    return [_("skipped a checkpoint: {problem}").format(problem=p) for p in problems] + [
        _(
            "resumed from {name} (step {step}), the newest intact checkpoint; "
            "the skipped files were left in place"
        ).format(name=path.name, step=trainer.step_count)
    ]


@dataclass
class _Pending:
    """Step statistics not yet published (device tensors + host-side metadata)."""

    stats: list[StepStats] = field(default_factory=list)
    steps: list[int] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    which: list[str] = field(default_factory=list)
    lr_d: list[float] = field(default_factory=list)
    lr_g: list[float] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.steps)


class _Session:
    """The loop's state; ``run`` drives it. Split out so each part reads on its own."""

    def __init__(
        self,
        config: cfg.ExperimentConfig,
        inbox: queue.Queue[cmd.Command],
        *,
        clock: Callable[[], float],
        start_paused: bool,
        recording: bool,
        snapshot_ack: bool,
        resume_from: str | None,
        trainer: Trainer | None = None,
        snapshots: bool = True,
        scalar_hz: float | None = None,
        at_limit: str = "finish",
        first_segment: int = 0,
        good_state_every_s: float | None = None,
        snapshot_hz: float | None = None,
    ):
        if at_limit not in ("finish", "pause"):
            raise ValueError(f"at_limit must be 'finish' or 'pause', not {at_limit!r}")
        self.config = config
        self.inbox = inbox
        self.clock = clock
        self.playing = not start_paused
        self.recording = recording  # a recorder downstream writes the run directory
        # (segment, step) of the last checkpoint into the run: the end of a run or a
        # Stop right after one does not write the same state twice.
        self.saved_in_run: tuple[int, int] | None = None
        self.snapshot_ack = snapshot_ack
        self.resume_from = resume_from
        self.trainer: Trainer | None = trainer
        self.t0 = clock()
        self.last_scalar = -float("inf")
        self.last_snapshot = -float("inf")
        self.last_metrics = -float("inf")
        self.last_diversity = -float("inf")
        self.metrics_due = False
        self.awaiting_ack = False
        self.snapshot_due = False
        self.pending = _Pending()
        self.good_state: dict[str, Any] | None = None
        self.good_step = -GOOD_STATE_EVERY
        self.good_state_every_s = good_state_every_s
        self.good_saved_at = clock()  # the first is due a full period after the start
        # (step, state) taken at a clean batch; good once the next batch is clean too.
        self.candidate: tuple[int, dict[str, Any]] | None = None
        self.last_batch_clean = False  # the last scalar batch had no NaN/Inf, nothing pausing
        self.last_change_step = 0  # step of the last live setting change (or segment start)
        self.stopped = False
        self.snapshots = snapshots
        self.scalar_hz = scalar_hz  # overrides config.loop.scalar_hz when given
        self.snapshot_hz = snapshot_hz  # overrides config.loop.snapshot_hz when given
        # (snapshots, snapshot_ack, scalar_hz, snapshot_hz) of the run without a window,
        # saved when a window first attaches (SetViews) and restored when it leaves.
        self.headless_views: tuple[bool, bool, float | None, float | None] | None = None
        self.diagnostics = Diagnostics()
        self.at_limit = at_limit
        self.first_segment = first_segment
        # Set once Play is pressed at or past config.loop.steps: the user chose to go on.
        self.past_limit = False
        self.device_note: str | None = None  # the device fallback, once reported
        self.speed = 0.0  # continuous training: iterations a second at most; 0 = full speed
        self.next_step_at = -float("inf")  # the clock time the next throttled step is due
        # Diagnosis kinds whose episode is open, to report when one clears.
        self.open_kinds: frozenset[str] = frozenset()

    # -------------------------------------------------------------- building

    def build(self, config: cfg.ExperimentConfig, reason: str) -> Iterator[rep.Report]:
        """(Re)build the trainer; on failure report it and stay paused."""
        segment = self.trainer.segment if self.trainer else 0
        notes: list[str] = []
        try:
            if reason == "start" and self.trainer is not None:
                pass  # built (and maybe resumed) by the caller
            elif self.trainer is None:
                trainer = Trainer(config)
                if self.resume_from:
                    notes.extend(resume(trainer, self.resume_from))
                    reason = "checkpoint"
                self.trainer = trainer
            else:
                self.trainer.rebuild(config, reason)
        except GanlabError as exc:
            self.playing = False
            yield rep.TrainingError(segment, self.step, str(exc), recoverable=False)
            yield from self.config_in_effect()
            return
        except Exception as exc:  # a bug or an environment problem: report, keep the loop alive
            self.playing = False
            yield rep.TrainingError(
                segment,
                self.step,
                _("Could not build the experiment: {error}").format(error=exc),
                traceback.format_exc(),
                recoverable=False,
            )
            yield from self.config_in_effect()
            return
        # A restarted trainer continues the numbering, so its reports are not taken as stale.
        self.trainer.segment = max(self.trainer.segment, self.first_segment)
        self.past_limit = False
        self.config = self.trainer.config
        self.pending = _Pending()
        # The state a segment starts from (fresh weights, or a checkpoint) is good: a
        # blow-up in the first steps goes back to it, never keeps the exploded weights.
        self.good_state = copy.deepcopy(self.trainer.state_dict())
        self.good_step = self.trainer.step_count
        self.candidate = None
        self.last_batch_clean = False
        self.last_change_step = self.trainer.step_count
        self.awaiting_ack = False
        self.diagnostics.reset()
        self.open_kinds = frozenset()
        yield self.segment_started(reason)
        device_note = self.trainer.device_note
        if device_note and device_note != self.device_note:
            self.device_note = device_note  # once per run, not at every rebuild
            notes.insert(0, device_note)
        yield from self._skipped_list()
        for note in notes:
            yield rep.LogMessage(self.trainer.segment, note, "warning")
        self.snapshot_due = True

    def _skipped_list(self) -> Iterator[rep.Report]:
        """The full list of skipped images, which the data summary points to, for the
        run directory (a folder source that skipped files, when something records)."""
        source = self.trainer.source if self.trainer is not None else None
        if source is None or not self.recording or not getattr(source, "skipped_files", None):
            return
        from ganlab.data.folder import SKIPPED_LIST_NAME

        text = source.skipped_list_text()  # type: ignore[attr-defined]
        yield rep.RunFile(self.segment, SKIPPED_LIST_NAME, text)

    def segment_started(self, reason: str) -> rep.SegmentStarted:
        t = self.trainer
        assert t is not None
        real, real_labels = t.fixed_real_for_view()
        return rep.SegmentStarted(
            segment=t.segment,
            step=t.step_count,
            config_toml=cfg.dumps(t.config),
            data_kind=t.spec.kind,
            data_shape=tuple(t.spec.shape),
            class_names=tuple(t.spec.class_names),
            bounds=t.spec.bounds,
            output_kind=t.loss.output_kind,
            device=t.describe_device(),
            param_counts=t.param_counts(),
            layer_names=t.layer_names(),
            data_summary=t.source.summary(),
            real=real,
            real_labels=real_labels,
            real_density=t.real_density_on_grid(),
            grid_axes=tuple(t.grid_axes),
            real_projection=t.real_projection,
            fixed_z=t.fixed_z.float().cpu().numpy(),
            latent_dist=t.config.loop.latent_dist,
            panel=t.panel_name(),
            domains=tuple(t.spec.domains),
            reason=reason,
        )

    def config_in_effect(self) -> Iterator[rep.Report]:
        """Say which experiment the trainer runs now (after a change or a refusal)."""
        t = self.trainer
        if t is None:
            return
        self.config = t.config
        yield rep.ConfigInEffect(t.segment, t.step_count, cfg.dumps(t.config), t.loss.output_kind)

    def throttle_wait(self) -> float:
        """Seconds until the next continuous step is due under the speed limit (0: now)."""
        if self.speed <= 0:
            return 0.0
        return max(0.0, self.next_step_at - self.clock())

    def took_step(self) -> None:
        """Book a continuous step against the speed limit."""
        if self.speed > 0:
            now, period = self.clock(), 1.0 / self.speed
            # On schedule: the next due time follows the last (no drift from late wake-ups).
            # After a pause or a slow step: a full period from now, never a burst to catch up.
            on_time = now - self.next_step_at < period
            self.next_step_at = self.next_step_at + period if on_time else now + period

    @property
    def step(self) -> int:
        return self.trainer.step_count if self.trainer else 0

    @property
    def segment(self) -> int:
        return self.trainer.segment if self.trainer else 0

    # -------------------------------------------------------------- commands

    def handle(self, command: cmd.Command) -> Iterator[rep.Report]:
        t = self.trainer
        if isinstance(command, cmd.Stop):
            self.stopped = True
            return
        if isinstance(command, cmd.SetSpeed):
            speed = float(command.steps_per_second)
            self.speed = speed if speed > 0 and speed != float("inf") else 0.0
            self.next_step_at = -float("inf")  # the new pace starts now
            return
        if isinstance(command, cmd.Play | cmd.Pause):
            playing = isinstance(command, cmd.Play) and t is not None
            if playing and t is not None and self.at_limit_now():
                self.past_limit = True  # Play after the limit: go on past it
            if playing != self.playing:
                self.playing = playing
                if not playing:
                    yield from self.flush(force_snapshot=True)
                yield rep.StateChanged(self.segment, "playing" if playing else "paused", self.step)
            return
        if isinstance(command, cmd.SnapshotTaken):
            self.awaiting_ack = False
            return
        if isinstance(command, cmd.SetViews):
            yield from self.set_views(command.enabled)
            return
        if isinstance(command, cmd.Reset | cmd.ApplyConfig | cmd.SwitchArchitecture):
            yield from self._rebuild_command(command)
            return
        if t is None:
            return  # nothing to train yet: only a new config can help
        if isinstance(command, cmd.Step):
            yield from self.train_step(command.which)
            yield from self.flush(force_snapshot=True)
            return
        if isinstance(command, cmd.RequestSamples):
            try:
                z, samples, labels = t.samples_for(command.z, command.n, command.labels)
            except (ValueError, RuntimeError) as exc:
                yield rep.TrainingError(
                    t.segment,
                    t.step_count,
                    _("Sample request refused: {error}").format(error=exc),
                )
                return
            yield rep.SamplesReady(t.segment, command.request_id, z, samples, labels)
            return
        if isinstance(command, cmd.RequestPanel):
            try:
                arrays = t.panel_answer(command.what, command.params)
            except (ValueError, RuntimeError) as exc:
                yield rep.TrainingError(
                    t.segment,
                    t.step_count,
                    _("Panel request refused: {error}").format(error=exc),
                )
                return
            yield rep.PanelAnswer(
                t.segment, command.request_id, t.panel_name(), command.what, arrays
            )
            return
        if isinstance(command, cmd.RequestEvaluationSamples):
            try:
                real, fake = t.evaluation_samples(max(2, command.n))
            except (ValueError, RuntimeError) as exc:
                yield rep.TrainingError(
                    t.segment, t.step_count, _("Evaluation refused: {error}").format(error=exc)
                )
                return
            yield rep.EvaluationSamples(
                t.segment, command.request_id, t.step_count, t.config.data.source, real, fake
            )
            return
        if isinstance(command, cmd.SaveCheckpoint):
            yield from self.save(command.path, "command")
            return
        if isinstance(command, cmd.LoadCheckpoint):
            yield from self.load(command.path)
            return
        yield from self._keep_state_before_change()
        changes: list[dict[str, Any]] = []
        try:
            if isinstance(command, cmd.SetLearningRate):
                changes = t.set_learning_rate(command.network, command.lr)
            elif isinstance(command, cmd.SetBetas):
                changes = t.set_betas(command.network, command.beta1, command.beta2)
            elif isinstance(command, cmd.SetUpdateRatio):
                changes = t.set_update_ratio(command.k_d, command.k_g)
            elif isinstance(command, cmd.SetLoss):
                changes = t.set_loss(command.loss)
            else:
                raise TypeError(f"unknown command {command!r}")
        except (GanlabError, ValueError, TypeError) as exc:
            yield rep.TrainingError(
                t.segment, t.step_count, _("Setting refused: {error}").format(error=exc)
            )
            yield from self.config_in_effect()
            return
        yield from self.changed(changes)
        yield from self.config_in_effect()

    def set_views(self, enabled: bool) -> Iterator[rep.Report]:
        """A window attached (publish at its pace, announce the segment) or left."""
        if self.headless_views is None:
            self.headless_views = (
                self.snapshots,
                self.snapshot_ack,
                self.scalar_hz,
                self.snapshot_hz,
            )
        if not enabled:
            (self.snapshots, self.snapshot_ack, self.scalar_hz, self.snapshot_hz) = (
                self.headless_views
            )
            self.awaiting_ack = False
            return
        self.snapshots, self.snapshot_ack, self.scalar_hz, self.snapshot_hz = True, True, None, None
        self.awaiting_ack = False
        if self.trainer is None:
            return
        yield self.segment_started("attach")
        yield from self.config_in_effect()
        yield rep.StateChanged(self.segment, "playing" if self.playing else "paused", self.step)
        yield from self.flush(force_snapshot=True)

    def at_limit_now(self) -> bool:
        """Whether the step limit (``loop.steps``, 0 = none) is reached and still holds."""
        t = self.trainer
        limit = t.config.loop.steps if t is not None else 0
        return bool(t is not None and limit and t.step_count >= limit and not self.past_limit)

    def _rebuild_command(self, command: cmd.Command) -> Iterator[rep.Report]:
        base = self.trainer.config if self.trainer else self.config
        if isinstance(command, cmd.Reset):
            new = command.config if command.config is not None else base
            if command.seed is not None:
                new = cfg.with_value(new, "loop.seed", command.seed)
            reason = "reset"
        elif isinstance(command, cmd.SwitchArchitecture):
            new = cfg.ExperimentConfig(**{**base.__dict__, "model": command.model})
            if command.latent_dim is not None:
                new = cfg.with_value(new, "loop.latent_dim", command.latent_dim)
            reason = "rebuild"
        else:
            assert isinstance(command, cmd.ApplyConfig)
            new = command.config
            reason = "rebuild"
        yield from self.flush()
        if self.trainer is not None and reason != "reset" and not self.trainer.needs_rebuild(new):
            yield from self._keep_state_before_change()
            try:
                changes = self.trainer.apply_config(new)
            except (GanlabError, ValueError, TypeError) as exc:
                t = self.trainer
                yield rep.TrainingError(
                    t.segment, t.step_count, _("Setting refused: {error}").format(error=exc)
                )
                yield from self.config_in_effect()
                return
            yield from self.changed(changes)
            yield from self.config_in_effect()
            return
        self.config = new
        yield from self.build(new, reason)

    def _keep_state_before_change(self) -> Iterator[rep.Report]:
        """Before a live change: the state trained under the old settings becomes the one
        to go back to, if those settings trained ``SETTLED_STEPS`` steps and the latest
        statistics are clean (published first, so a blow-up already under way is seen)."""
        yield from self.flush()
        t = self.trainer
        if t is None:
            return
        settled = t.step_count - self.last_change_step >= SETTLED_STEPS
        if (
            settled
            and self.last_batch_clean
            and t.step_count > self.good_step
            and not self.diagnostics.active & PAUSING_KINDS
        ):
            self.good_step, self.good_state = t.step_count, copy.deepcopy(t.state_dict())
            self.candidate = None
        self.last_change_step = t.step_count

    def changed(self, changes: list[dict[str, Any]]) -> Iterator[rep.Report]:
        for c in changes:
            yield rep.SettingChanged(c["segment"], c["step"], c["key"], c["old"], c["new"])

    # -------------------------------------------------------------- training

    def train_step(self, which: str) -> Iterator[rep.Report]:
        t = self.trainer
        assert t is not None
        try:
            stats = t.step(which)
        except Exception as exc:
            self.playing = False
            yield from self.flush()
            message = _("Training stopped at step {step}: {error}").format(
                step=t.step_count, error=exc
            )
            if isinstance(exc, torch.cuda.OutOfMemoryError):
                message = _(
                    "The GPU ran out of memory at step {step}. Lower the batch "
                    "size or the model width, then reset."
                ).format(step=t.step_count)
            yield rep.TrainingError(t.segment, t.step_count, message, traceback.format_exc())
            yield rep.StateChanged(t.segment, "paused", t.step_count)
            return
        lr_d, lr_g = t.learning_rates()
        p = self.pending
        p.stats.append(stats)
        p.steps.append(t.step_count)
        p.times.append(self.clock() - self.t0)
        p.which.append(which)
        p.lr_d.append(lr_d)
        p.lr_g.append(lr_g)
        every = t.config.loop.checkpoint_every
        if every and self.recording and t.step_count % every == 0:
            yield from self.flush()
            yield from self.save(None, "every")

    # -------------------------------------------------------------- publishing

    def flush(self, *, force_snapshot: bool = False) -> Iterator[rep.Report]:
        """Publish pending scalars now (and a snapshot if forced and allowed)."""
        t = self.trainer
        if t is None:
            return
        if len(self.pending):
            yield from self._scalars()
        if force_snapshot:
            self.snapshot_due = True
            self.metrics_due = True
        if self.snapshot_due:
            yield from self._snapshot()
        if self.metrics_due:
            yield from self._metrics()

    def publish(self) -> Iterator[rep.Report]:
        """Publish whatever is due by the clock."""
        now = self.clock()
        hz = self.scalar_hz or self.config.loop.scalar_hz
        if len(self.pending) and now - self.last_scalar >= 1.0 / hz:
            self.last_scalar = now
            yield from self._scalars()
        snapshot_hz = self.snapshot_hz or self.config.loop.snapshot_hz
        if self.playing and now - self.last_snapshot >= 1.0 / snapshot_hz:
            self.snapshot_due = True
        if self.snapshot_due:
            yield from self._snapshot()
        if self.playing and now - self.last_metrics >= METRICS_EVERY_S:
            self.metrics_due = True
        if self.metrics_due:
            yield from self._metrics()

    def _metrics(self) -> Iterator[rep.Report]:
        t = self.trainer
        self.metrics_due = False
        self.last_metrics = self.clock()
        if t is None or t.step_count == 0:
            return
        try:
            values = t.quality_metrics()
        except Exception as exc:
            yield rep.TrainingError(
                t.segment,
                t.step_count,
                _("Could not compute the metrics: {error}").format(error=exc),
                traceback.format_exc(),
            )
            return
        if t.spec.is_image and not values:
            now = self.clock()
            if now - self.last_diversity < DIVERSITY_EVERY_S:
                return
            self.last_diversity = now
            fake_div, real_div = t.image_diversity()
            yield from self._diagnoses(
                self.diagnostics.update_diversity(t.step_count, fake_div, real_div)
            )
            if t.family.conditional:
                yield from self._diagnoses(
                    self.diagnostics.update_conditioning(
                        t.step_count, *t.conditioning_probe(), num_classes=t.spec.num_classes
                    )
                )
            return
        if not values:
            return
        if "modes_captured" in values:
            yield from self._diagnoses(
                self.diagnostics.update_modes(
                    t.step_count, int(values["modes_captured"]), int(values["num_modes"])
                )
            )
        yield rep.MetricsReport(t.segment, t.step_count, values)

    def _diagnoses(self, found: Iterable[Diagnosis]) -> Iterator[rep.Report]:
        t = self.trainer
        assert t is not None
        for d in found:
            yield rep.Diagnosis(
                t.segment, d.step, d.kind, d.severity, d.message, dict(d.values), d.title
            )
        now = self.diagnostics.active
        for kind in sorted(self.open_kinds - now):
            yield rep.DiagnosisCleared(t.segment, t.step_count, kind, diagnosis_title(kind))

        self.open_kinds = now

    def _scalars(self) -> Iterator[rep.Report]:
        t = self.trainer
        assert t is not None
        p, self.pending = self.pending, _Pending()
        stats = t.read_stats(p.stats)  # the one device sync
        batch = rep.ScalarBatch(
            segment=t.segment,
            steps=np.asarray(p.steps, dtype=np.int64),
            times=np.asarray(p.times, dtype=np.float64),
            which=tuple(p.which),
            values=stats.values,
            lrs={"d": np.asarray(p.lr_d), "g": np.asarray(p.lr_g)},
            layer_norms=stats.layer_norms,
        )
        yield batch
        diverged = self._diverged(batch.values)
        found = self.diagnostics.update(
            batch.steps,
            batch.values,
            t.loss.output_kind,
            t.config.loss.name,
            lrs=batch.lrs,
            config=t.config,
        )
        yield from self._diagnoses(found)
        pausing = [d for d in found if d.pause]
        self.last_batch_clean = not (diverged or pausing)
        if diverged or pausing:
            self.candidate = None
            yield from self._on_divergence(int(p.steps[-1]), pausing)
        elif not self.diagnostics.active & PAUSING_KINDS:
            # A state becomes the one to go back to only once the batch after it is clean
            # too: the step that applies a learning rate of 10 still reports finite
            # numbers, and the blow-up shows only in the next rows.
            if self.candidate is not None:
                self.good_step, self.good_state = self.candidate
                self.candidate = None
                yield from self._keep_good_state_on_disk()
            if t.step_count - self.good_step >= GOOD_STATE_EVERY:
                self.candidate = (t.step_count, copy.deepcopy(t.state_dict()))

    def _keep_good_state_on_disk(self) -> Iterator[rep.Report]:
        """Every ``good_state_every_s`` of training, record the last good state as a
        checkpoint: a trainer process that dies then loses at most that much."""
        t = self.trainer
        every = self.good_state_every_s
        if not every or not self.recording or t is None or self.good_state is None:
            return
        now = self.clock()
        if now - self.good_saved_at < every:
            return
        self.good_saved_at = now
        state = copy.deepcopy(self.good_state)
        yield rep.CheckpointState(t.segment, self.good_step, state, None, "good")

    @staticmethod
    def _diverged(values: dict[str, np.ndarray]) -> bool:
        """NaN in a value that was computed, or an infinite loss or gradient norm.

        ``values``: a ScalarBatch's columns by name, each (n,)."""
        if any(np.isinf(column).any() for column in values.values()):
            return True
        d_rows = ~np.isnan(values["grad_norm_d"])  # D updated in this row (its norm exists)...
        g_rows = ~np.isnan(values["grad_norm_g"])
        # ...but its loss is NaN: the update produced NaN.
        return bool(
            np.isnan(values["d_loss"][d_rows]).any() or np.isnan(values["g_loss"][g_rows]).any()
        )

    def _on_divergence(self, step: int, pausing: list[Diagnosis]) -> Iterator[rep.Report]:
        """Pause, go back to the last good state and say so (NaN/Inf or exploding values).

        ``pausing`` are the diagnoses that asked for it; they already explained what
        happened and what to change, so the error only says what the loop did.
        """
        t = self.trainer
        assert t is not None
        self.playing = False
        restored = ""
        if self.good_state is not None:
            t.load_state_dict(copy.deepcopy(self.good_state), source_path=_("last good state"))
            self.diagnostics.restored(self.good_step)
            self.open_kinds = self.diagnostics.active  # closed by the restore, not cleared
            restored = _(
                " The last good state (step {step}) has been restored, with the settings it had."
            ).format(step=self.good_step)
        if pausing:
            what = ", ".join(sorted({d.title.lower() for d in pausing}))
            message = _("Training paused at step {step}: {what}.{restored}").format(
                step=step, what=what, restored=restored
            )
        else:
            message = _(
                "The losses or gradients became NaN or infinite by step {step}, so training "
                "was paused.{restored} Lower the learning rates, then play again, or reset."
            ).format(step=step, restored=restored)
        yield rep.TrainingError(t.segment, step, message)
        yield from self.config_in_effect()  # the restored state may have other settings
        yield rep.StateChanged(t.segment, "paused", t.step_count)

    def _snapshot(self) -> Iterator[rep.Report]:
        t = self.trainer
        if t is None or not self.snapshots or (self.snapshot_ack and self.awaiting_ack):
            return
        self.snapshot_due = False
        self.last_snapshot = self.clock()
        try:
            if t.family_views is not None:
                arrays, values = t.panel_snapshot()
                yield rep.PanelSnapshot(t.segment, t.step_count, t.panel_name(), arrays, values)
            elif t.spec.is_image:
                yield rep.ImageSnapshot(t.segment, t.step_count, **t.image_snapshot_arrays())
            else:
                yield rep.ToySnapshot(t.segment, t.step_count, **t.toy_snapshot_arrays())
        except Exception as exc:
            yield rep.TrainingError(
                t.segment,
                t.step_count,
                _("Could not draw the views: {error}").format(error=exc),
                traceback.format_exc(),
            )
            return
        self.awaiting_ack = self.snapshot_ack

    def load(self, path: str) -> Iterator[rep.Report]:
        """Replace the pair's state with a checkpoint's; a new segment for the views."""
        t = self.trainer
        assert t is not None
        yield from self.flush()
        before = t.segment
        try:
            t.load_state_dict(load_checkpoint(path, t.device), source_path=path)
        except GanlabError as exc:
            yield rep.TrainingError(t.segment, t.step_count, str(exc))
            return
        t.segment = before + 1
        t._make_view_fixtures()
        self.config = t.config
        self.pending = _Pending()
        self.good_state = copy.deepcopy(t.state_dict())  # a loaded checkpoint is good
        self.good_step = t.step_count
        self.candidate = None
        self.awaiting_ack = False
        yield self.segment_started("checkpoint")
        self.snapshot_due = True
        history, problem = None, ""
        try:
            history = history_for_checkpoint(path)
        except GanlabError as exc:
            problem = str(exc)
        yield rep.CheckpointLoaded(t.segment, t.step_count, path, history, problem)

    def save(self, path: str | None, reason: str) -> Iterator[rep.Report]:
        """Hand the trainer's state to the recorder as a checkpoint: to ``path``, or (None)
        into the run directory; without a recorder, say there is nowhere to put it.

        ``reason`` is "every", "end", "stop" or "command" (see ``rep.CheckpointState``).
        """
        t = self.trainer
        assert t is not None
        if path is None and not self.recording:
            yield rep.TrainingError(
                t.segment,
                t.step_count,
                _("No run directory: choose a file to save the checkpoint."),
            )
            return
        here = (t.segment, t.step_count)
        if path is None:
            if reason in ("end", "stop") and self.saved_in_run == here:
                return
            self.saved_in_run = here
        # A copy: the recorder may write it after training has moved the live tensors.
        state = copy.deepcopy(t.state_dict())
        yield rep.CheckpointState(t.segment, t.step_count, state, path, reason)


def run(
    config: cfg.ExperimentConfig,
    inbox: queue.Queue[cmd.Command],
    *,
    clock: Callable[[], float] = time.monotonic,
    start_paused: bool = False,
    recording: bool = False,
    snapshot_ack: bool = False,
    resume_from: str | None = None,
    trainer: Trainer | None = None,
    snapshots: bool = True,
    scalar_hz: float | None = None,
    at_limit: str = "finish",
    first_segment: int = 0,
    good_state_every_s: float | None = None,
    snapshot_hz: float | None = None,
) -> Iterator[rep.Report]:
    """Train ``config`` and yield reports until Stop or ``config.loop.steps``.

    Parameters
    ----------
    config
        The experiment.
    inbox
        Commands from the controller.
    clock
        Seconds, monotonic; injectable so tests control publishing without sleeping.
    start_paused
        Begin paused (the window) instead of playing (the CLI).
    recording
        A recorder (``ganlab.engine.recorder``) consumes these reports and writes a run
        directory: the loop then yields checkpoints of ``loop.checkpoint_every``, of the
        end of the run and of Stop (as ``CheckpointState``), the list of skipped images
        (``RunFile``), and ``SaveCheckpoint(None)`` saves into the run. False: nothing
        records, and those are not made; a checkpoint the user saves to a chosen file is
        then written by a recorder without a run directory that ``run`` puts behind
        the loop itself, so no ``local_only`` report ever comes out.
    snapshot_ack
        Publish a snapshot only after the consumer sent ``SnapshotTaken`` for the last.
    resume_from
        A checkpoint to continue from.
    trainer
        An already built (and maybe resumed) trainer to drive instead of building one
        from ``config``; the CLI builds first so bad input fails before any file is made.
    snapshots
        Publish view snapshots. A run that shows nothing and records nothing turns them
        off; a headless run that records keeps them for the run's history of views
        (``ganlab.kernel.history``), at ``snapshot_hz``.
    scalar_hz
        Scalar batches per second, instead of ``config.loop.scalar_hz``: a headless run
        redraws nothing and publishes less often (every row still reaches metrics.jsonl).
    at_limit
        What reaching ``config.loop.steps`` does: ``"finish"`` ends the loop (a headless
        run); ``"pause"`` pauses with state ``"finished"`` and keeps the loop alive (the
        window), where Play goes on past the limit and Reset or any setting still works.
    first_segment
        Number the first segment at least this: a trainer restarted by a window that
        already saw segments continues after them.
    snapshot_hz
        Snapshots per second at most, instead of ``config.loop.snapshot_hz``: a headless
        run takes only what its history keeps (``HISTORY_EVERY_S``).
    good_state_every_s
        With ``recording``: also record the last good state (the one a NaN rolls back
        to) as a checkpoint this often, in seconds of the loop's clock. A window's own
        trainer process uses it, so that a crash loses at most this much training.

    Raises
    ------
    ValueError
        ``at_limit`` is neither "finish" nor "pause".
    """
    reports = _reports(
        config,
        inbox,
        clock=clock,
        start_paused=start_paused,
        recording=recording,
        snapshot_ack=snapshot_ack,
        resume_from=resume_from,
        trainer=trainer,
        snapshots=snapshots,
        scalar_hz=scalar_hz,
        at_limit=at_limit,
        first_segment=first_segment,
        good_state_every_s=good_state_every_s,
        snapshot_hz=snapshot_hz,
    )
    return reports if recording else _unrecorded(reports)


def _unrecorded(reports: Iterator[rep.Report]) -> Iterator[rep.Report]:
    """A loop nothing records: a recorder without a run directory writes the checkpoints
    the user saves to a chosen file, and no ``local_only`` report comes out."""
    from ganlab.engine.recorder import Recorder, drive

    with contextlib.closing(drive(reports, Recorder(None))) as recorded:
        for report in recorded:
            if not report.local_only:
                yield report


def _reports(
    config: cfg.ExperimentConfig, inbox: queue.Queue[cmd.Command], **options: Any
) -> Iterator[rep.Report]:
    """The loop itself (see :func:`run`): a generator, so nothing runs before the first
    report is asked for."""
    s = _Session(config, inbox, **options)
    yield from s.build(config, "start")
    yield rep.StateChanged(s.segment, "playing" if s.playing else "paused", s.step)
    # The views of the state it starts in (a resumed run's), before it waits for a
    # command: paused, nothing else would publish them.
    yield from s.publish()
    while True:
        wait = s.throttle_wait() if s.playing else 0.0
        block = not s.playing or wait > 0  # a throttled run waits for its next step
        for command in drain(inbox, block=block, timeout=wait if s.playing else None):
            yield from s.handle(command)
            if s.stopped:
                break
        if s.stopped:
            break
        if s.playing and s.trainer is not None:
            if s.throttle_wait() > 0:  # woken by a command before the step is due
                yield from s.publish()
                continue
            if s.at_limit_now():
                yield from s.flush(force_snapshot=True)
                if s.recording:
                    yield from s.save(None, "end")
                yield rep.StateChanged(s.segment, "finished", s.step)
                if s.at_limit == "finish":
                    return
                s.playing = False  # the window: wait for Play (past the limit) or more
                continue
            yield from s.train_step("both")
            s.took_step()
        yield from s.publish()
    yield from s.flush()
    if s.recording and s.trainer is not None and s.trainer.step_count > 0:
        yield from s.save(None, "stop")
    yield rep.StateChanged(s.segment, "stopped", s.step)
