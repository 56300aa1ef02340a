"""The Runs panel's reader: lists the runs of its folders and reads the ticked ones.

Owns one :class:`ganlab.kernel.runs.RunCurves` per ticked run (kept while ticked, so a
refresh reads only what a run still training wrote since; the ticked runs are read again
every few seconds while the panel is on screen) and feeds the passive
:class:`ganlab.widgets.runs_view.RunsPanel` plain data. Listing runs happens in the
GUI thread (it reads only each run's experiment.toml and the end of its metrics.jsonl:
~50 runs in ~0.2 s); the curves are read in one reading thread, incrementally and kept
bounded (see the kernel module), and handed to the GUI thread by a queued signal.
"""

from __future__ import annotations

import contextlib
import dataclasses
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot

from ganlab.kernel import i18n
from ganlab.kernel.config import ExperimentConfig
from ganlab.kernel.errors import GanlabError
from ganlab.kernel.registry import LOSSES, MODEL_FAMILIES, Registry
from ganlab.kernel.rundir import window_runs_folder
from ganlab.kernel.runs import (
    METRIC_PREFIX,
    RunCurves,
    differing_settings,
    experiment_of,
    list_runs,
)
from ganlab.widgets.runs_view import RunsPanel

# How often the ticked runs are read again while the panel is on screen (runs still
# training grow); a reading of a run with nothing new costs a stat and a short read.
FOLLOW_MS = 5000


def default_folders() -> list[str]:
    """The window's own runs folder, then ``./runs`` (where ``ganlab train`` writes by
    default) when it exists."""
    folders = [str(window_runs_folder())]
    here = Path("runs")
    if here.is_dir():
        folders.append(str(here.resolve()))
    return folders


def _title(registry: Registry[Any], name: str) -> str:
    """A registered entry's title in the user's language; an unknown name as it is."""
    try:
        return i18n._(registry.get(name).title)
    except GanlabError:
        return name


class RunsCompare(QObject):
    """Connects a :class:`RunsPanel` to the run directories of its folders.

    Listing runs happens in the GUI thread (milliseconds); reading the ticked runs'
    curves in one reading thread of its own (a run of millions of steps takes seconds
    the first time), whose results come back by the queued ``runs_read`` signal.

    Signals
    -------
    runs_shown()
        Every reading asked for so far has reached the panel.

    Parameters
    ----------
    panel
        The panel to feed.
    folders
        The folders the picker offers (default: :func:`default_folders`).
    parent
        The owner (default: ``panel``, so the reader lives as long as its panel).
    """

    runs_read = Signal(object)  # {run: _News}, from the reading thread
    runs_shown = Signal()

    def __init__(
        self, panel: RunsPanel, folders: list[str] | None = None, parent: QObject | None = None
    ):
        super().__init__(parent if parent is not None else panel)
        self.panel = panel
        self._readers: dict[str, RunCurves] = {}
        self._experiments: dict[str, ExperimentConfig | dict[str, Any]] = {}
        self._problems: dict[str, str] = {}
        self._labels: dict[str, str] = {}  # the legend texts the panel shows
        # One reading thread: readings run one after the other, the GUI never waits.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ganlab-runs")
        self._reading = 0  # readings submitted and not shown yet
        self.runs_read.connect(self._on_runs_read)
        executor = self._executor  # not self: the lambda must not keep this object alive
        self.destroyed.connect(lambda *_: executor.shutdown(wait=False, cancel_futures=True))
        panel.set_folders(folders if folders is not None else default_folders())
        panel.folders_changed.connect(self._on_panel_folders_changed)
        panel.refresh_requested.connect(self._on_panel_refresh_requested)
        panel.selection_changed.connect(self._on_panel_selection_changed)
        # Follow the ticked runs: runs still training get their new steps every few
        # seconds while the panel is on screen (the list itself is read again by Refresh).
        self.follow_timer = QTimer(self)
        self.follow_timer.setInterval(FOLLOW_MS)
        self.follow_timer.timeout.connect(self._follow)
        panel.installEventFilter(self)
        if panel.isVisible():
            self.follow_timer.start()

    def refresh(self) -> None:
        """List the folders' runs again and read what the ticked runs wrote since. Runs
        that never took a step (a window opened and closed) have nothing to compare and
        are left out."""
        # The family and loss by their registry titles, in the user's language.
        rows = [
            dataclasses.replace(
                r, family=_title(MODEL_FAMILIES, r.family), loss=_title(LOSSES, r.loss)
            )
            for r in list_runs(self.panel.folders())
            if r.steps > 0
        ]
        self.panel.set_runs(rows)  # may change the ticks
        self._read(self.panel.ticked())

    @Slot(list)
    def _on_panel_folders_changed(self, _folders: list) -> None:
        self.refresh()

    @Slot()
    def _on_panel_refresh_requested(self) -> None:
        self.refresh()

    @Slot(list)
    def _on_panel_selection_changed(self, ticked: list) -> None:
        self._read([str(t) for t in ticked])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """The follow timer runs while the panel is shown (a hidden dock costs nothing)."""
        if watched is self.panel:
            if event.type() == QEvent.Type.Show:
                self.follow_timer.start()
            elif event.type() == QEvent.Type.Hide:
                self.follow_timer.stop()
        return False

    @Slot()
    def _follow(self) -> None:
        """Read the ticked runs' new steps, unless hidden or a reading is under way."""
        if self._reading or not self.panel.isVisible():
            return
        ticked = self.panel.ticked()
        if ticked:
            self._read(ticked)

    def _read(self, ticked: list[str]) -> None:
        """Read the ticked runs' news in the reading thread; :meth:`_on_runs_read` shows it."""
        for run in list(self._readers):
            if run not in ticked:
                del self._readers[run]
                self._experiments.pop(run, None)
                self._problems.pop(run, None)
        jobs = []
        for run in ticked:
            reader = self._readers.get(run)
            if reader is None:
                reader = self._readers[run] = RunCurves(run)
            jobs.append((run, reader))
        self._reading += 1
        self._executor.submit(self._read_in_thread, jobs)

    def _read_in_thread(self, jobs: list[tuple[str, RunCurves]]) -> None:
        """Reading thread: update each reader (only this thread touches them) and send
        copies of what changed to the GUI thread."""
        news: dict[str, _News] = {}
        for run, reader in jobs:
            try:
                fresh = reader.segment < 0 and reader.last_step == 0 and not reader.names()
                changed = reader.update() or fresh
            except GanlabError as exc:  # no metrics.jsonl yet: listed, no curves
                news[run] = _News(None, experiment_of(run, None), str(exc), None)
                continue
            curves = {n: reader.curve(n) for n in reader.names()} if changed else None
            experiment = experiment_of(run, reader.segment_config) if changed else None
            steps = reader.last_step if changed else None
            news[run] = _News(curves, experiment, reader.skipped_summary(), steps)
        with contextlib.suppress(RuntimeError):  # RuntimeError: the panel closed meanwhile
            self.runs_read.emit(news)  # queued to the GUI thread

    @Slot(object)
    def _on_runs_read(self, news: dict[str, _News]) -> None:
        self._reading -= 1
        ticked = self.panel.ticked()
        fresh_curves: dict[str, dict[str, tuple[Any, Any]]] = {}
        progress: dict[str, tuple[int, dict[str, float]]] = {}
        for run, found in news.items():
            if run not in ticked or run not in self._readers:
                continue  # unticked while it was read
            if found.experiment is not None:
                self._experiments[run] = found.experiment
            if found.curves is not None:
                fresh_curves[run] = found.curves
            if found.steps is not None:
                progress[run] = (found.steps, _last_metrics(found.curves or {}))
            if found.problem:
                self._problems[run] = found.problem
            else:
                self._problems.pop(run, None)
        differs = differing_settings([self._experiments.get(r, {}) for r in ticked])
        labels = {r: ", ".join(d) for r, d in zip(ticked, differs, strict=True)}
        if progress:
            self.panel.set_progress(progress)
        if fresh_curves or labels != self._labels:
            self.panel.show_runs(fresh_curves, labels)
        self._labels = labels
        self.panel.set_problem("\n".join(self._problems[r] for r in ticked if r in self._problems))
        if not self._reading:
            self.runs_shown.emit()

    def busy(self) -> bool:
        """Whether a reading is under way (``runs_shown`` follows when all are done)."""
        return self._reading > 0


def _last_metrics(curves: dict[str, tuple[Any, Any]]) -> dict[str, float]:
    """The latest value of each quality metric among a run's curves (name -> (x, y))."""
    out = {}
    for name, (_x, y) in curves.items():
        if name.startswith(METRIC_PREFIX) and len(y):
            out[name[len(METRIC_PREFIX) :]] = float(y[-1])
    return out


@dataclasses.dataclass(frozen=True)
class _News:
    """What the reading thread found for one run: its curves (None: unchanged), its
    experiment (None: unchanged), a problem to show (None: none) and its last step
    (None: unchanged)."""

    curves: dict[str, tuple[Any, Any]] | None
    experiment: ExperimentConfig | dict[str, Any] | None
    problem: str | None
    steps: int | None
