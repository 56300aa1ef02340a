"""The window's timeline: which histories it lists, replaying a kept frame, going live.

Runs in the GUI thread. The window's :class:`~ganlab.widgets.timeline.TimelinePanel`
lists the kept frames (``ganlab.kernel.history``) of the run directories the window
shows: the run ``ganlab --run DIR`` opened (its past), and each run directory its
trainers record into or that it is attached to (``Controller.last_run_dir``). Choosing a
frame replays it into the panel of its segment through the DataPanel protocol
(``clear``, ``show_segment``, ``show_real``, ``show_snapshot``) and puts the Curves' and
Metrics' cursor at its step. Meanwhile live snapshots keep arriving and are acknowledged
(training and its history go on); the newest one is kept here, and "Back to live"
restores the live segment's set-up and draws it at once.

Memory stays bounded: per run directory a :class:`~ganlab.kernel.history.History` (its
frame list and its own few decoded frames) and here one live snapshot. The folders are
rescanned at most every :data:`RESCAN_EVERY_S` seconds, when live snapshots arrive.
Drawing happens only in :meth:`Timeline.tick`, called by the window's refresh timer.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QStackedWidget

from ganlab.app.controller import Controller
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.errors import GanlabError
from ganlab.kernel.history import Frame, History, SnapshotReport
from ganlab.kernel.registry import MODEL_FAMILIES
from ganlab.widgets.timeline import TimelineFrame, TimelinePanel

RESCAN_EVERY_S = 2.0  # seconds between rescans of the history folders, at most

_LIVE = object()  # a pending request: back to live


@dataclass
class _Source:
    """One run directory the timeline lists (its index in the list is part of each key)."""

    run_dir: Path
    history: History
    frames: dict[int, Frame]  # by seq, from the last scan


class Timeline(QObject):
    """Keeps the timeline panel's frames current and replays the one the user chose.

    Parameters
    ----------
    panel
        The timeline row (intent signals in, frames out).
    controller
        The window's controller: its session (the live segment) and run directory.
    panels
        The window's data panels by panel key (``ganlab.app.panels.PANELS``).
    views
        The stack that shows one of them.
    cursors
        Panels with ``set_cursor(step | None)``: the Curves and the Metrics.
    """

    # The frame now drawn (its TimelineFrame key), or None: live again. After drawing.
    frame_shown = Signal(object)

    def __init__(
        self,
        panel: TimelinePanel,
        controller: Controller,
        panels: dict[str, Any],
        views: QStackedWidget,
        cursors: tuple[Any, ...],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.panel = panel
        self._controller = controller
        self._panels = panels
        self._views = views
        self._cursors = cursors
        self._sources: list[_Source] = []
        self._past_runs: list[Path] = []  # shown before the window's own (ganlab --run)
        self._requested: object = None  # a key, _LIVE, or None: nothing to do
        self._shown_key: Hashable | None = None  # the frame drawn now; None: live
        self._shown_setup: tuple[int, int] | None = None  # (source, segment) set up
        self._shown_panel: Any = None
        self._live: SnapshotReport | None = None  # the newest live snapshot (drawn or held)
        self._output_kind: str | None = None  # D's unit now (a live loss change)
        self._scan_due = True
        self._last_scan = -float("inf")
        panel.frame_requested.connect(self._on_panel_frame_requested)
        panel.live_requested.connect(self._on_panel_live_requested)

    # -- what the window tells it ------------------------------------------------------

    def add_past_run(self, run_dir: str | Path) -> None:
        """List the frames of ``run_dir`` before the window's own (``ganlab --run``)."""
        path = Path(run_dir)
        if path not in self._past_runs:
            self._past_runs.append(path)
        self.rescan()

    def is_live(self) -> bool:
        """Whether the views follow training (False: the user scrubbed back)."""
        return self.panel.is_live()

    def go_live(self) -> bool:
        """Return the views to live now (a panel's question is about the current G, so
        its answer must not land on a kept frame); True if the timeline was scrubbed."""
        if self.panel.is_live() and self._shown_key is None:
            return False
        self.panel.show_live()
        self._requested = None
        self._show_live()
        return True

    def take_live(self, snapshot: SnapshotReport) -> bool:
        """A live snapshot arrived: keep it; True if the window should draw it now
        (live), False if it is held while a kept frame is shown."""
        self._live = snapshot
        self._scan_due = True
        return self.panel.is_live()

    def segment_started(self, info: rep.SegmentStarted) -> None:
        """A new segment (reset, rebuild, checkpoint): the window sets it up live, so a
        scrubbed timeline returns to live; the frame list is read again."""
        self._live = None
        self._shown_setup = None
        self._shown_panel = None
        self._output_kind = None
        self.panel.set_live_segment(info.segment)
        if self._shown_key is not None or not self.panel.is_live():
            self.panel.show_live()
            self._shown_key = None
            self._requested = None
            self._set_cursors(None)
            self.frame_shown.emit(None)
        self.rescan()

    def set_output_kind(self, output_kind: str) -> None:
        """D's outputs are now of this kind (a live loss change): live restores it."""
        self._output_kind = output_kind

    def tick(self, now: float | None = None) -> None:
        """Rescan when due and draw what the user asked for (the refresh timer)."""
        now = time.monotonic() if now is None else now
        if self._scan_due and now - self._last_scan >= RESCAN_EVERY_S:
            self.rescan(now)
        requested, self._requested = self._requested, None
        if requested is _LIVE:
            self._show_live()
        elif requested is not None:
            self._show_frame(requested)

    def rescan(self, now: float | None = None) -> None:
        """Read the history folders again and give the panel the frames they keep."""
        self._last_scan = time.monotonic() if now is None else now
        self._scan_due = False
        live = self._controller.last_run_dir
        for run_dir in [*self._past_runs, *([live] if live is not None else [])]:
            if all(s.run_dir != run_dir for s in self._sources):
                self._sources.append(_Source(run_dir, History(run_dir), {}))
        listed: list[TimelineFrame] = []
        for index, source in enumerate(self._sources):
            frames = source.history.frames()
            source.frames = {f.seq: f for f in frames}
            run = "" if source.run_dir == live else source.run_dir.name
            listed += [TimelineFrame((index, f.seq), f.step, f.segment, run) for f in frames]
        if listed != self.panel.frames():
            self.panel.set_frames(listed)

    def run_to_export(self) -> Path | None:
        """The run directory whose history the views show: the run of the kept frame on
        screen; live, the window's own run once it has kept frames of its own, else the
        newest run it was opened on (``ganlab --run``: its past is where the frames are)."""
        if self._shown_key is not None:
            index, _seq = self._shown_key  # type: ignore[misc]
            return self._sources[index].run_dir
        self.rescan()
        live = self._controller.last_run_dir
        if any(s.run_dir == live and len(s.frames) > 1 for s in self._sources):
            return live
        past = [s.run_dir for s in self._sources if s.run_dir != live and s.frames]
        return past[-1] if past else live

    def newest_live(self) -> SnapshotReport | None:
        """The newest live snapshot of the current segment (drawn, or held while a kept
        frame is shown), or None before the first."""
        return self._live

    def shown_frame(self) -> Frame | None:
        """The kept frame the views show now, or None when live."""
        if self._shown_key is None:
            return None
        index, seq = self._shown_key  # type: ignore[misc]
        return self._sources[index].frames.get(seq)

    # -- the panel's requests ----------------------------------------------------------

    @Slot(object)
    def _on_panel_frame_requested(self, key: Hashable) -> None:
        self._requested = key  # drawn by the next tick: a fast drag draws once a frame

    @Slot()
    def _on_panel_live_requested(self) -> None:
        self._requested = _LIVE

    # -- drawing -----------------------------------------------------------------------

    def _show_frame(self, key: Any) -> None:
        index, seq = key
        source = self._sources[index]
        frame = source.frames.get(seq)
        snapshot = source.history.load(frame) if frame is not None else None
        if frame is None or snapshot is None:  # thinned away meanwhile
            self.rescan()
            return
        setup = (index, frame.segment)
        if setup != self._shown_setup or self._shown_panel is None:
            info = source.history.segment(frame.segment)
            panel = self._set_up(info) if info is not None else None
            if panel is None:
                return
            self._shown_setup, self._shown_panel = setup, panel
        self._shown_panel.show_snapshot(snapshot)
        self._shown_key = key
        self._set_cursors(frame.step)
        self.frame_shown.emit(key)

    def _show_live(self) -> None:
        self._shown_key = None
        self._shown_setup = None
        self._shown_panel = None
        self._set_cursors(None)
        info = self._controller.session.info
        panel = self._set_up(info) if info is not None else None
        if panel is not None:
            if self._output_kind is not None:
                panel.set_output_kind(self._output_kind)
            live = self._live
            if live is not None and info is not None and live.segment == info.segment:
                panel.show_snapshot(live)
        self.frame_shown.emit(None)

    def _set_up(self, info: rep.SegmentStarted) -> Any:
        """Put the panel of ``info``'s run in front, set up for it with its real samples;
        None (nothing changes) if the segment names a family or panel not known here."""
        try:
            family = MODEL_FAMILIES.get(cfg.loads(info.config_toml).model.family)
        except (GanlabError, ValueError):
            return None
        panel = self._panels.get(info.panel or info.data_kind)
        if panel is None:
            return None
        panel.clear()
        panel.show_segment(info, family)
        panel.show_real(info)
        self._views.setCurrentWidget(panel)
        return panel

    def _set_cursors(self, step: int | None) -> None:
        for view in self._cursors:
            view.set_cursor(step)
