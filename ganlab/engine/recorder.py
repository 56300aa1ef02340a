"""The recorder: turns a training loop's reports into its run directory. No Qt.

Runs in the trainer's process (the thread that iterates the loop): the loop writes no
files itself, and whoever drives it passes every report through :meth:`Recorder.consume`
(or :func:`drive`). What it writes, all in ``ganlab.kernel.rundir``'s layout::

    experiment.toml      the experiment as the run started (written here only when the
                         run directory was made without it)
    metrics.jsonl        ScalarBatch -> one row per step; SettingChanged, MetricsReport,
                         Diagnosis, DiagnosisCleared, a reset or rebuild (SegmentStarted)
                         and each checkpoint -> one event line
    checkpoints/         CheckpointState -> step_NNNNNNNN.pt (atomic: temporary file, then
                         rename; read back with weights_only=True)
    <RunFile.name>       RunFile -> a text file (the list of skipped images)
    history/             SegmentStarted and the view snapshots (ToySnapshot, ImageSnapshot,
                         PanelSnapshot) -> the run's bounded, log-spaced history of views
                         (``ganlab.kernel.history``), at most one frame a second
    events.out.tfevents.*  when TensorBoard is installed: the rows and metrics as
                         scalars, snapshots as images and histograms
                         (``ganlab.engine.tensorboard``, in batches every few seconds)

A write that fails (a full disk, a folder made read-only) never raises and never stops
the loop: the recorder answers with a ``TrainingError`` that names the file and the fix
(for metrics.jsonl or experiment.toml once, until a write to it succeeds again; for
each checkpoint every time) and goes on; what the driver
does with it is its own choice (the window shows it, ``ganlab train`` stops). TensorBoard's
files are an extra: a failure there is said once as a warning (``LogMessage``) and ends
only the TensorBoard writing.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Generator, Iterable
from pathlib import Path
from typing import Any

from ganlab.engine import tensorboard as tb
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.checkpoint import save_checkpoint
from ganlab.kernel.files import atomic_file
from ganlab.kernel.history import HISTORY_EVERY_S, HistoryWriter
from ganlab.kernel.i18n import N_, _
from ganlab.kernel.rundir import (
    WINDOW_KEEP_CHECKPOINTS,
    WINDOW_RUNS_MAX_BYTES,
    RunDir,
    default_run_dir,
    prune_runs,
    window_runs_folder,
)

# What a failed write to the run directory asks the user to do.
_FIX = N_("Free some disk space, or make the folder writable.")


def _jsonable(value: Any) -> Any:
    """A setting's value as JSON can hold it (numbers, text, booleans, null; else text)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return str(value)


class Recorder:
    """Writes a run directory from a loop's reports (see the module docstring).

    Parameters
    ----------
    run_dir
        The run directory to write, made with ``RunDir.create`` (or a bare ``RunDir``:
        its folder and experiment.toml are made from the first ``SegmentStarted``).
        None records nothing but the checkpoints the user saves to a chosen file
        (``CheckpointState`` with a path): what ``loop.run`` puts behind a loop that
        nothing records.
    keep_checkpoints
        Keep at most this many of the run's own checkpoints (``checkpoints/step_*.pt``),
        the highest steps, always with the one just written; 0 keeps them all. Files saved
        to a chosen path are never removed.
    tensorboard
        Also write TensorBoard event files into the run directory when TensorBoard is
        installed (:func:`ganlab.engine.tensorboard.available`); False never does.
    history_every_s
        The history keeps at most one view snapshot per this many seconds (default
        :data:`ganlab.kernel.history.HISTORY_EVERY_S`, one a second; 0 keeps every one).
    """

    def __init__(
        self,
        run_dir: RunDir | None,
        *,
        keep_checkpoints: int = 0,
        tensorboard: bool = True,
        history_every_s: float = HISTORY_EVERY_S,
    ):
        if keep_checkpoints < 0:
            raise ValueError(f"keep_checkpoints must be >= 0, not {keep_checkpoints}")
        if not history_every_s >= 0:
            raise ValueError(f"history_every_s must be >= 0, not {history_every_s}")
        self.run_dir = run_dir
        self.keep_checkpoints = keep_checkpoints
        self.history_every_s = history_every_s
        # The experiment in effect (TOML), from the last SegmentStarted / ConfigInEffect.
        self.config_toml: str | None = None
        self._layer_names: dict[int, dict[str, tuple[str, ...]]] = {}
        self._failing: set[Path] = set()  # files whose last write failed (said once)
        self._history: HistoryWriter | None = None  # made with the first SegmentStarted
        self._tensorboard: tb.TensorBoardWriter | None = None
        if tensorboard and run_dir is not None and tb.available():
            self._tensorboard = tb.TensorBoardWriter(run_dir.path)
        self._handlers: dict[type, Callable[[Any], list[rep.Report]]] = {
            rep.SegmentStarted: self._segment_started,
            rep.ConfigInEffect: self._config_in_effect,
            rep.ScalarBatch: self._scalar_batch,
            rep.SettingChanged: self._setting_changed,
            rep.MetricsReport: self._metrics,
            rep.Diagnosis: self._diagnosis,
            rep.DiagnosisCleared: self._diagnosis_cleared,
            rep.CheckpointState: self._checkpoint,
            rep.RunFile: self._run_file,
            rep.ToySnapshot: self._snapshot,
            rep.ImageSnapshot: self._snapshot,
            rep.PanelSnapshot: self._snapshot,
            rep.StateChanged: self._state_changed,
        }
        self._playing = False  # a loop starts paused or plays at once (StateChanged says)

    @property
    def path(self) -> Path | None:
        """The run directory's folder (None without one)."""
        return self.run_dir.path if self.run_dir is not None else None

    def consume(self, report: rep.Report) -> list[rep.Report]:
        """Write what ``report`` means for the run directory.

        Returns
        -------
        list of Report
            Follow-ups for the window and the log, in order: ``CheckpointSaved`` for a
            checkpoint written, ``TrainingError`` for a write that failed (naming the file
            and the fix), ``LogMessage`` for a side file that could not be written. Empty
            for most reports. Never raises for a failed write.
        """
        handler = self._handlers.get(type(report))
        out = handler(report) if handler is not None else []
        if self._tensorboard is not None:
            out += self._to_tensorboard(report)
        return out

    def close(self) -> None:
        """Keep the last view snapshot in the history, close metrics.jsonl and
        TensorBoard's file, waiting for its last writes (a later report opens them again)."""
        if self._history is not None:
            self._history.close()
        if self.run_dir is not None:
            self.run_dir.close()
        if self._tensorboard is not None:
            self._tensorboard.close()

    def _to_tensorboard(self, report: rep.Report) -> list[rep.Report]:
        """Pass a segment or a snapshot on (the rows go from :meth:`_append`); a problem
        the writer met is said once, and it writes no more."""
        writer = self._tensorboard
        assert writer is not None
        if isinstance(report, rep.SegmentStarted):
            writer.segment(report)
        elif isinstance(report, rep.ToySnapshot | rep.ImageSnapshot | rep.PanelSnapshot):
            writer.snapshot(report)
        elif isinstance(report, rep.StateChanged):
            writer.flush()  # paused or finished: the last rows are not kept waiting
        if writer.problem is None:
            return []
        self._tensorboard = None
        writer.close()
        return [rep.LogMessage(report.segment, writer.problem, "warning")]

    # ------------------------------------------------------------------ writing

    def _failed(self, report: rep.Report, path: Path, message: str) -> list[rep.Report]:
        """A TrainingError for a failed write of ``path``, once until it works again."""
        if path in self._failing:
            return []
        self._failing.add(path)
        step = getattr(report, "step", 0)
        if isinstance(report, rep.ScalarBatch):
            step = int(report.steps[-1]) if len(report) else 0
        return [rep.TrainingError(report.segment, int(step), message)]

    def _append(self, report: rep.Report, rows: list[dict[str, Any]]) -> list[rep.Report]:
        if self.run_dir is None or not rows:
            return []
        metrics = self.run_dir.path / "metrics.jsonl"
        try:
            self.run_dir.append(rows)
        except (OSError, ValueError) as exc:  # ValueError: a closed or broken handle
            self.run_dir.close()  # the next write opens the file again
            return self._failed(
                report,
                metrics,
                _("{path}: could not write the run's history: {error}. {fix}").format(
                    path=metrics, error=exc, fix=_(_FIX)
                ),
            )
        self._failing.discard(metrics)
        if self._tensorboard is not None:
            self._tensorboard.entries(rows)
        return []

    def _ensure_experiment(self, report: rep.Report, config_toml: str) -> list[rep.Report]:
        """Write experiment.toml from the first experiment seen, if the run has none."""
        if self.run_dir is None:
            return []
        target = self.run_dir.path / "experiment.toml"
        if target.exists():
            return []
        try:
            with atomic_file(target) as fh:
                fh.write(config_toml.encode("utf-8"))
        except OSError as exc:
            return self._failed(
                report,
                target,
                _("{path}: could not write the experiment: {error}. {fix}").format(
                    path=target, error=exc, fix=_(_FIX)
                ),
            )
        self._failing.discard(target)
        return []

    # ------------------------------------------------------------------ reports

    def _segment_started(self, r: rep.SegmentStarted) -> list[rep.Report]:
        self.config_toml = r.config_toml
        self._layer_names[r.segment] = dict(r.layer_names)
        out = self._ensure_experiment(r, r.config_toml)
        if r.reason in ("reset", "rebuild"):
            # A new pair: its history starts here (read_history starts a segment over);
            # the experiment it runs, which may differ from experiment.toml, goes with it.
            event = {
                "event": r.reason,
                "step": r.step,
                "segment": r.segment,
                "config": r.config_toml,
            }
            out += self._append(r, [event])
        if self.run_dir is not None:
            if self._history is None:
                self._history = HistoryWriter(self.run_dir.path, every_s=self.history_every_s)
            out += self._history_write(r, lambda h: h.segment(r))
        return out

    def _snapshot(
        self, r: rep.ToySnapshot | rep.ImageSnapshot | rep.PanelSnapshot
    ) -> list[rep.Report]:
        if self._history is None:
            return []
        if self._playing:
            return self._history_write(r, lambda h: h.add(r))

        # Paused: each snapshot is a step the user took by hand (Step, Step D, ...): kept
        # at once, not held for the pace of a playing run.
        def keep_now(history: HistoryWriter) -> None:
            history.add(r)
            history.flush()

        return self._history_write(r, keep_now)

    def _state_changed(self, r: rep.StateChanged) -> list[rep.Report]:
        """Paused, finished or stopped: the newest view is kept now, so the timeline and
        the exports reach the step the run stands at (not the one a second before)."""
        self._playing = r.state == "playing"
        if self._playing or self._history is None:
            return []
        return self._history_write(r, lambda h: h.flush())

    def _history_write(
        self, r: rep.Report, write: Callable[[HistoryWriter], object]
    ) -> list[rep.Report]:
        """One write to the run's history; a failure is said once until one works again."""
        assert self._history is not None
        folder = self._history.folder
        try:
            write(self._history)
        except OSError as exc:
            return self._failed(
                r,
                folder,
                _("{path}: could not keep the views' history: {error}. {fix}").format(
                    path=folder, error=exc, fix=_(_FIX)
                ),
            )
        self._failing.discard(folder)
        return []

    def _config_in_effect(self, r: rep.ConfigInEffect) -> list[rep.Report]:
        self.config_toml = r.config_toml  # each change itself is a "setting" event
        return self._ensure_experiment(r, r.config_toml)

    def _scalar_batch(self, r: rep.ScalarBatch) -> list[rep.Report]:
        names = self._layer_names.get(r.segment)
        if names is not None and any(
            len(names.get(net, ())) != r.layer_norms[net].shape[1] for net in ("d", "g")
        ):
            names = None  # not the layers this batch measured: rows without them
        return self._append(r, r.rows(names))

    def _setting_changed(self, r: rep.SettingChanged) -> list[rep.Report]:
        event = {
            "event": "setting",
            "step": r.step,
            "segment": r.segment,
            "key": r.key,
            "old": _jsonable(r.old),
            "new": _jsonable(r.new),
        }
        return self._append(r, [event])

    def _metrics(self, r: rep.MetricsReport) -> list[rep.Report]:
        event = {
            "event": "metrics",
            "step": r.step,
            "segment": r.segment,
            **{k: rep.plain_number(v) for k, v in r.values.items()},
        }
        return self._append(r, [event])

    def _diagnosis(self, r: rep.Diagnosis) -> list[rep.Report]:
        event = {
            "event": "diagnosis",
            "step": r.step,
            "kind": r.kind,
            "severity": r.severity,
            "message": r.message,
            "segment": r.segment,
            **{k: rep.plain_number(v) for k, v in r.values.items()},
        }
        return self._append(r, [event])

    def _diagnosis_cleared(self, r: rep.DiagnosisCleared) -> list[rep.Report]:
        event = {
            "event": "diagnosis_cleared",
            "step": r.step,
            "kind": r.kind,
            "segment": r.segment,
        }
        return self._append(r, [event])

    def _checkpoint(self, r: rep.CheckpointState) -> list[rep.Report]:
        if r.path is not None:
            target = Path(r.path)
        elif self.run_dir is not None:
            target = self.run_dir.checkpoint_path(r.step)
        else:
            return [
                rep.TrainingError(
                    r.segment,
                    r.step,
                    _("No run directory: choose a file to save the checkpoint."),
                )
            ]
        try:
            written = save_checkpoint(r.state, target)
        except OSError as exc:
            # Said every time: each checkpoint is a separate file the user may rely on.
            return [
                rep.TrainingError(
                    r.segment,
                    r.step,
                    _("{path}: could not write the checkpoint: {error}. {fix}").format(
                        path=target, error=exc, fix=_(_FIX)
                    ),
                )
            ]
        event = {
            "event": "checkpoint",
            "step": r.step,
            "segment": r.segment,
            "path": str(written),
        }
        out = self._append(r, [event])
        if r.path is None:
            self._prune_checkpoints(written)
        return [*out, rep.CheckpointSaved(r.segment, r.step, str(written), r.reason)]

    def _prune_checkpoints(self, written: Path) -> None:
        """Keep ``keep_checkpoints`` of the run's checkpoints: the highest steps, and
        always ``written`` (a run loaded back to an earlier step saves lower steps)."""
        if self.run_dir is None or not self.keep_checkpoints:
            return
        others = [p for p in self.run_dir.checkpoints_newest_first() if p != written]
        for old in others[self.keep_checkpoints - 1 :]:
            # A checkpoint that stays is no loss: the bound is tried again at the next one.
            with contextlib.suppress(OSError):
                old.unlink()

    def _run_file(self, r: rep.RunFile) -> list[rep.Report]:
        if self.run_dir is None:
            return []
        target = self.run_dir.path / Path(r.name).name  # a bare name: never outside the run
        try:
            with atomic_file(target) as fh:
                fh.write(r.text.encode("utf-8"))
        except OSError as exc:
            return [
                rep.LogMessage(
                    r.segment,
                    _("{path}: could not write this file: {error}. {fix}").format(
                        path=target, error=exc, fix=_(_FIX)
                    ),
                    "warning",
                )
            ]
        return []


def window_recorder(
    config: cfg.ExperimentConfig,
    *,
    keep: Iterable[Path] = (),
    folder: str | Path | None = None,
    path: str | Path | None = None,
    max_bytes: int = WINDOW_RUNS_MAX_BYTES,
    keep_checkpoints: int = WINDOW_KEEP_CHECKPOINTS,
) -> Recorder:
    """A recorder for a run made in the window: a new run directory in the window's runs
    folder, after the oldest runs there are pruned to ``max_bytes`` (never one in
    ``keep``, such as a run the window has open).

    Parameters
    ----------
    config
        The experiment as the run starts (its name names the folder).
    keep
        Run directories that pruning must not delete.
    folder
        The runs folder; default :func:`ganlab.kernel.rundir.window_runs_folder`.
    path
        The new run directory, inside ``folder`` (default: one named after the
        experiment and the time). The window names it before its trainer starts.
    max_bytes, keep_checkpoints
        The bounds: all the window's runs together, and checkpoints per run.

    Raises
    ------
    GanlabError
        The run directory cannot be made (the message names it).
    """
    base = Path(folder) if folder is not None else window_runs_folder()
    target = Path(path) if path is not None else default_run_dir(config, base)
    prune_runs(base, max_bytes, [*keep, target])
    run = RunDir.create(target, config)
    return Recorder(run, keep_checkpoints=keep_checkpoints)


def drive(reports: Iterable[rep.Report], recorder: Recorder) -> Generator[rep.Report, None, None]:
    """Pass every report of a loop through ``recorder``: yield each, then its follow-ups.

    Each report is recorded before it is yielded, so a consumer that stops early (an
    interrupted command line run) never leaves out one it has seen.

    ``local_only`` reports (``CheckpointState``, ``RunFile``) are yielded too, so the
    caller sees everything in order; a channel to a window skips them. Closing this
    generator closes the loop's.
    """
    try:
        for report in reports:
            follow_ups = recorder.consume(report)  # recorded before anyone acts on it
            yield report
            yield from follow_ups
    finally:
        close = getattr(reports, "close", None)
        if close is not None:
            close()
