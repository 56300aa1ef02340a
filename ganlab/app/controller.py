"""The controller: owns the link to the trainer and the session. GUI thread.

The window calls its methods (play, step, change_setting...), which only put commands on
the inbox. Reports come back through ``_on_worker_report``, a @Slot on this GUI-thread
object (a queued connection from the worker thread); it does O(batch) work — appends to
ring buffers, keeps the newest snapshot, marks views dirty — and re-emits what the
window needs to know. Reports stamped with an older segment are dropped. Nothing here
draws or touches a tensor.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import secrets
import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from ganlab.app.session import Session
from ganlab.app.trainer_link import AttachLink, ProcessLink, ThreadLink, TrainerLink
from ganlab.kernel import commands as cmd
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.errors import ConfigError
from ganlab.kernel.rundir import window_runs_folder

# Reports that mean something before the first segment is announced.
_BEFORE_ANY_SEGMENT = (rep.TrainingError, rep.LogMessage, rep.StateChanged)

# How the window runs its own trainer: "process" (the lab) or "thread" (tests of the
# window's behaviour, which start hundreds of trainers: see app.trainer_link).
DEFAULT_LINK = "process"

# Keys whose change is sent as its own fast command; every other change goes as ApplyConfig
# and the trainer decides whether it applies live or needs new networks.
_LR_KEYS = {"optimizer_d.lr": "d", "optimizer_g.lr": "g"}

# When the data kind changes, settings that only make sense for the other kind follow.
# What follows a switch between toy data and images (image pairs count as images). Where
# the family so chosen does not train on the new kind (dcgan on image pairs), it becomes
# the first registered unconditional family that does.
_KIND_DEFAULTS: dict[str, dict[str, Any]] = {
    "image": {
        "model.family": "dcgan",
        "loop.latent_dim": 64,
        "loop.batch_size": 64,
        "optimizer_d.lr": 2e-4,
        "optimizer_g.lr": 2e-4,
    },
    "toy": {
        "model.family": "mlp",
        "loop.latent_dim": 2,
        "loop.batch_size": 256,
        "optimizer_d.lr": 1e-3,
        "optimizer_g.lr": 1e-3,
    },
}


def _kind_group(kind: str) -> str:
    return "toy" if kind in ("toy1d", "toy2d") else "image"


class Controller(QObject):
    """Drives one experiment in a trainer thread on behalf of the window."""

    segment_started = Signal(object)  # rep.SegmentStarted
    state_changed = Signal(str)  # playing, paused, finished, stopped
    setting_recorded = Signal(object)  # rep.SettingChanged (also a curve marker)
    error_reported = Signal(object)  # rep.TrainingError
    message_logged = Signal(str, str)  # (message, level)
    samples_ready = Signal(object)  # rep.SamplesReady for the newest request
    panel_answer_ready = Signal(object)  # rep.PanelAnswer, the newest of its kind (what)
    checkpoint_saved = Signal(str)  # a checkpoint the user asked for (a path)
    # Every checkpoint written (rep.CheckpointSaved, with why: timers and stops included).
    checkpoint_recorded = Signal(object)
    config_changed = Signal(object)  # the desired ExperimentConfig after a user edit
    thread_finished = Signal()  # the trainer (thread or process) has ended
    trainer_lost = Signal(str)  # it ended without being asked to: why, in words
    config_in_effect = Signal(object)  # rep.ConfigInEffect: what the trainer runs now
    trainer_restarted = Signal()  # a new trainer thread replaced one that had ended
    checkpoint_loaded = Signal(object)  # rep.CheckpointLoaded, with its run's history
    diagnosis_reported = Signal(object)  # rep.Diagnosis
    diagnosis_cleared = Signal(object)  # rep.DiagnosisCleared
    evaluation_samples_ready = Signal(object)  # rep.EvaluationSamples
    # Every report of the current segment, once the session has taken it in (a running
    # lesson feeds them to its ConditionWatcher). Emitted in the GUI thread.
    report_received = Signal(object)

    def __init__(
        self,
        config: cfg.ExperimentConfig,
        parent: QObject | None = None,
        *,
        link: str | None = None,
        attach_to: str | Path | None = None,
    ):
        super().__init__(parent)
        self.session = Session(config=config)
        # "process": the window's own trainer process; "attach": the run at attach_to;
        # "thread": the loop in a thread of this process (see app.trainer_link).
        self.link_kind = "attach" if attach_to is not None else (link or DEFAULT_LINK)
        self.attach_to = Path(attach_to) if attach_to is not None else None
        self.link: TrainerLink | None = None
        self._request_id = 0
        self._panel_request_id = 0
        self._panel_requests: dict[str, int] = {}  # what -> newest request id
        self._stopped_by_owner = False
        self.speed = 0.0  # continuous training: iterations a second at most; 0 = full speed
        self._rate_window: collections.deque[tuple[float, int]] = collections.deque()
        self.last_run_dir: Path | None = None  # the run directory of the last trainer

    # ---------------------------------------------------------------- life cycle

    def _new_link(self) -> TrainerLink:
        if self.link_kind == "attach":
            assert self.attach_to is not None
            return AttachLink(self.attach_to, self)
        if self.link_kind == "thread":
            return ThreadLink(self)
        return ProcessLink(window_runs_folder(), self, previous_run=self.last_run_dir)

    def start(self, resume_from: str | None = None) -> None:
        """Start the trainer (paused) on the session's config, or attach to the run."""
        if self.link is not None:
            raise RuntimeError("the trainer is already running")
        self._stopped_by_owner = False
        link = self._new_link()
        self.link = link
        link.report_ready.connect(self._on_worker_report)
        link.lost.connect(self._on_link_lost)
        link.finished.connect(self._on_thread_finished)
        link.start(
            self.session.config,
            resume_from=resume_from,
            first_segment=self.session.segment + 1,
        )
        self.last_run_dir = link.run_dir
        if self.speed > 0:  # a restarted trainer keeps the pace the class is watching
            link.send(cmd.SetSpeed(self.speed))

    def stop(self, timeout_ms: int = 2000) -> bool:
        """End the trainer (an attached run only loses its window) and wait for it;
        True if it ended in time (a trainer process that did not is killed)."""
        self._stopped_by_owner = True  # nothing restarts a trainer after this
        link = self.link
        if link is None:
            return True
        finished = link.stop(timeout_ms)
        if finished or link.kind != "thread":
            self._release_link()
        return finished

    def keep_training(self) -> bool:
        """Leave the window's own trainer process training without this window.

        Returns False when there is nothing to leave (no trainer process)."""
        link = self.link
        if not isinstance(link, ProcessLink) or not link.is_running():
            return False
        self._stopped_by_owner = True
        link.keep_training()
        self._release_link()
        return True

    def is_running(self) -> bool:
        return self.link is not None and self.link.is_running()

    def trainer_pid(self) -> int | None:
        """The trainer's process id when it runs in a process of its own on this machine."""
        link = self.link
        if isinstance(link, ProcessLink) and link.process is not None:
            return link.process.pid
        return None

    @property
    def controllable(self) -> bool:
        """Whether this window may change the training (False: a read-only attach)."""
        return self.link is None or self.link.controllable

    def restart(self) -> bool:
        """Start a new trainer on the session's settings if the last one has ended.

        A trainer ends on Stop or on an error it could not survive; the window then
        must not dead-end: Play, Step, Reset and every setting restart it. The new one
        starts at step 0 of a new segment. Returns True if a trainer was started.
        An attached run that ended is not restarted: it was not ours.
        """
        if self._stopped_by_owner or self.link_kind == "attach":
            return False
        if self.link is not None:
            if self.link.is_running():
                return False
            self._release_link()  # dead, its end not handled yet
        self.start()
        self.message_logged.emit(
            self.tr("The trainer had stopped; a new one starts from the current settings."),
            "info",
        )
        self.trainer_restarted.emit()
        return True

    def stop_run(self) -> None:
        """Stop the attached run itself (it writes its last checkpoint and ends)."""
        self.send(cmd.Stop())

    def restart_from(self, checkpoint: str | None) -> None:
        """After a trainer was lost: start a new one from ``checkpoint`` (None: fresh)."""
        if self.link is not None and self.link.is_running():
            return
        self._release_link()  # a dead link whose end has not been handled yet
        self._stopped_by_owner = False
        self.start(resume_from=checkpoint)
        self.trainer_restarted.emit()

    @Slot(str)
    def _on_link_lost(self, why: str) -> None:
        if self.sender() is not self.link:
            return  # an older link, already replaced
        self.trainer_lost.emit(why)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self.sender() is not self.link:
            return  # an older link, already replaced
        self._release_link()
        self._rate_window.clear()
        if self.session.state != "stopped":  # a trainer that died said nothing itself
            self.session.state = "stopped"
            self.state_changed.emit("stopped")
        self.thread_finished.emit()

    def _release_link(self) -> None:
        link, self.link = self.link, None
        if link is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                link.report_ready.disconnect(self._on_worker_report)
                link.lost.disconnect(self._on_link_lost)
                link.finished.disconnect(self._on_thread_finished)
            link.deleteLater()

    # ---------------------------------------------------------------- commands

    def send(self, command: cmd.Command) -> None:
        if self.link is not None:
            self.link.send(command)

    def play(self) -> None:
        self.restart()
        self.send(cmd.Play())

    def set_speed(self, steps_per_second: float) -> None:
        """Limit continuous training to ``steps_per_second`` iterations a second (0: full
        speed). Kept across resets and restarted trainers."""
        self.speed = max(0.0, float(steps_per_second))
        if self.link is not None:
            self.send(cmd.SetSpeed(self.speed))

    def pause(self) -> None:
        self.send(cmd.Pause())

    def toggle_play(self) -> None:
        self.pause() if self.session.state == "playing" else self.play()

    def step(self, which: str = "both") -> None:
        self.restart()
        self.send(cmd.Step(which))  # type: ignore[arg-type]

    def reset(self, seed: int | None = None, config: cfg.ExperimentConfig | None = None) -> None:
        """New networks at step 0: new random weights from a fresh seed unless ``seed``
        is given; the seed in use shows in the settings (loop.seed), so it can be rerun.
        With ``config``, the fresh networks are that experiment's (one command: a lesson
        step that opens another experiment)."""
        if config is not None:
            self.session.config = config
        if not self.restart():  # a new trainer already starts from new networks
            self.send(cmd.Reset(secrets.randbelow(2**31) if seed is None else seed, config))
        if config is not None:
            self.config_changed.emit(config)

    def save_checkpoint(self, path: str) -> None:
        self.send(cmd.SaveCheckpoint(path))

    def load_checkpoint(self, path: str) -> None:
        self.restart()
        self.send(cmd.LoadCheckpoint(path))

    def request_panel(self, what: str, params: dict) -> int:
        """Ask the family's views for ``what`` (see ``commands.RequestPanel``); only the
        newest request of each ``what`` has its answer re-emitted (panel_answer_ready)."""
        self._panel_request_id += 1
        self._panel_requests[what] = self._panel_request_id
        self.send(cmd.RequestPanel(self._panel_request_id, what, dict(params)))
        return self._panel_request_id

    def request_samples(self, z: np.ndarray, labels: np.ndarray | None = None) -> int:
        """Ask G for samples at ``z``; only the newest request's answer is re-emitted."""
        self._request_id += 1
        self.send(
            cmd.RequestSamples(self._request_id, z=np.asarray(z, dtype=np.float32), labels=labels)
        )
        return self._request_id

    def request_evaluation(self, n: int = 1000) -> int:
        """Ask the trainer for ``n`` real and generated images to compute image metrics on."""
        self._request_id += 1
        self.send(cmd.RequestEvaluationSamples(self._request_id, n))
        return self._request_id

    def snapshot_taken(self) -> None:
        """The window drew the last snapshot: the trainer may publish the next."""
        self.send(cmd.SnapshotTaken())

    def apply_config(self, config: cfg.ExperimentConfig) -> None:
        """Move to a new experiment (a file, a preset): live where possible, else rebuild."""
        self.session.config = config
        if not self.restart():
            self.send(cmd.ApplyConfig(config))
        self.config_changed.emit(config)

    def change_setting(self, key: str, value: Any) -> bool:
        """One user edit (dotted key). Returns False, with a logged message, if refused."""
        try:
            new = cfg.with_value(self.session.config, key, value)
            if key == "data.source":
                new = self._follow_data_kind(new)
            cfg.check_names(new)
        except ConfigError as exc:
            self.message_logged.emit(str(exc), "error")
            self.config_changed.emit(self.session.config)  # put the control back
            return False
        # New advice (wgan_clip's critic with momentum); settings the new choice ignores
        # show as disabled controls instead.
        known = set(cfg.config_warnings(self.session.config, inapplicable=False))
        self.session.config = new
        for message in cfg.config_warnings(new, inapplicable=False):
            if message not in known:
                self.message_logged.emit(message, "warning")
        if self.restart():
            pass  # the new trainer starts on the new settings
        elif key in _LR_KEYS:
            self.send(cmd.SetLearningRate(_LR_KEYS[key], float(value)))  # type: ignore[arg-type]
        else:
            self.send(cmd.ApplyConfig(new))
        self.config_changed.emit(new)
        return True

    def _follow_data_kind(self, new: cfg.ExperimentConfig) -> cfg.ExperimentConfig:
        """Switching between toy and image data also switches the settings that must follow."""
        from ganlab.kernel.registry import DATA_SOURCES, MODEL_FAMILIES

        old_kind = DATA_SOURCES.get(self.session.config.data.source).kind
        new_kind = DATA_SOURCES.get(new.data.source).kind
        family = MODEL_FAMILIES.get(new.model.family)
        same_group = _kind_group(old_kind) == _kind_group(new_kind)
        if new_kind in family.data_kinds and same_group:
            return new
        defaults: dict[str, Any] = {} if same_group else dict(_KIND_DEFAULTS[_kind_group(new_kind)])
        chosen = MODEL_FAMILIES.get(defaults.get("model.family", new.model.family))
        if new_kind not in chosen.data_kinds:
            defaults["model.family"] = next(
                name
                for name, f in MODEL_FAMILIES.items()
                if new_kind in f.data_kinds and not f.conditional
            )
        changed = []
        for key, value in defaults.items():
            section, name = key.split(".")
            if getattr(getattr(new, section), name) != value:
                new = cfg.with_value(new, key, value)
                changed.append(f"{key} = {value}")
        if changed:
            self.message_logged.emit(
                self.tr("Switched to {kind} data, so also set: {changes}").format(
                    kind=new_kind, changes=", ".join(changed)
                ),
                "info",
            )
        return new

    def apply_drawn_points(self, points: np.ndarray) -> None:
        pts = [[float(x), float(y)] for x, y in np.asarray(points, dtype=float).reshape(-1, 2)]
        new = dataclasses.replace(
            self.session.config,
            name=self.tr("{n} drawn points").format(n=len(pts)),  # the title says what trains
            data=dataclasses.replace(self.session.config.data, source="drawn", points=pts),
        )
        self.apply_config(new)

    def load_points(self, path: str, columns: list[int] | None = None) -> None:
        """Train on the points of ``path``, using ``columns`` (``data.columns``; [] = all)."""
        data = dataclasses.replace(
            self.session.config.data, source="csv_points", path=path, columns=list(columns or [])
        )
        new = dataclasses.replace(self.session.config, name=Path(path).name, data=data)
        self.apply_config(new)

    # ---------------------------------------------------------------- reports

    @Slot(object)
    def _on_worker_report(self, report: rep.Report) -> None:
        s = self.session
        if isinstance(report, rep.SegmentStarted):
            if report.segment < s.segment:
                s.dropped_reports += 1
                return
            s.start_segment(report)
            self._rate_window.clear()
            # Skipped files and dropped classes (detail lines of the summary) are warnings.
            details = report.data_summary.splitlines()[1:]
            lost = any(line.startswith(("skipped", "class ")) for line in details)
            self.message_logged.emit(
                self.tr("Data: {summary}").format(summary=report.data_summary),
                "warning" if lost else "info",
            )
            self.segment_started.emit(report)
            self.report_received.emit(report)
            return
        if 0 <= report.segment < s.segment:
            s.dropped_reports += 1  # from before a reset or a rebuild: stale
            return
        if s.info is None and not isinstance(report, _BEFORE_ANY_SEGMENT):
            # A run attached to mid-way sends what it was doing before it announces its
            # segment (SegmentStarted, reason "attach"); the views are not set up.
            s.dropped_reports += 1
            return
        self._dispatch(report)
        self.report_received.emit(report)

    def _dispatch(self, report: rep.Report) -> None:
        """Take one current report into the session and re-emit what the window needs."""
        s = self.session
        if isinstance(report, rep.ScalarBatch):
            s.add_scalars(report)
            self._note_rate(int(report.steps[-1]))
        elif isinstance(report, rep.ToySnapshot | rep.ImageSnapshot | rep.PanelSnapshot):
            s.snapshot = report
            s.dirty.add("snapshot")
        elif isinstance(report, rep.MetricsReport):
            s.add_metrics(report)
        elif isinstance(report, rep.Diagnosis):
            s.diagnoses.append(report)
            self.diagnosis_reported.emit(report)
        elif isinstance(report, rep.DiagnosisCleared):
            self.diagnosis_cleared.emit(report)
        elif isinstance(report, rep.EvaluationSamples):
            if report.request_id == self._request_id:
                self.evaluation_samples_ready.emit(report)
        elif isinstance(report, rep.SamplesReady):
            if report.request_id == self._request_id:
                self.samples_ready.emit(report)
        elif isinstance(report, rep.PanelAnswer):
            if report.request_id == self._panel_requests.get(report.what):
                self.panel_answer_ready.emit(report)
        elif isinstance(report, rep.StateChanged):
            s.state = report.state
            s.step = max(s.step, report.step) if report.segment >= 0 else s.step
            if report.state != "playing":
                self._rate_window.clear()
            self.state_changed.emit(report.state)
        elif isinstance(report, rep.SettingChanged):
            s.add_marker(report)
            self.setting_recorded.emit(report)
        elif isinstance(report, rep.ConfigInEffect):
            # The trainer's word wins over the edit that asked for it (a refused change).
            s.config = cfg.loads(report.config_toml)
            self.config_in_effect.emit(report)
            self.config_changed.emit(s.config)
        elif isinstance(report, rep.TrainingError):
            self.error_reported.emit(report)
        elif isinstance(report, rep.CheckpointLoaded):
            self.checkpoint_loaded.emit(report)
        elif isinstance(report, rep.CheckpointSaved):
            self.checkpoint_recorded.emit(report)
            if report.reason == "command":
                self.checkpoint_saved.emit(report.path)
        elif isinstance(report, rep.LogMessage):
            self.message_logged.emit(report.message, report.level)

    def _note_rate(self, step: int) -> None:
        now = time.monotonic()
        self._rate_window.append((now, step))
        while len(self._rate_window) > 2 and now - self._rate_window[0][0] > 2.0:
            self._rate_window.popleft()

    def steps_per_second(self) -> float:
        """Training speed over the last ~2 s of scalar reports."""
        if len(self._rate_window) < 2:
            return 0.0
        (t0, s0), (t1, s1) = self._rate_window[0], self._rate_window[-1]
        return (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0
