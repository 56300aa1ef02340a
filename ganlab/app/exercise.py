"""Drive a live window the way a restless user does, and watch the event loop. GUI thread.

``ControlExerciser`` fires one interaction after another from a timer: every curve
control (log scale, per layer, smoothing, the plots' "A" button, a manual zoom), a live
loss switch, a learning-rate edit, the dock tabs. ``StallWatch`` ticks a short timer and
keeps the longest gap between ticks: a gap is the time the GUI thread spent away from its
event loop. The stall test (tests/app/test_event_loop.py) and the stall benchmark
(benchmarks/event_loop_stall.py) use both, so the check in CI and the long measurement
exercise the same things.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Slot

WATCH_MS = 20  # a tick this often; the longest gap between ticks is the longest stall


class StallWatch(QObject):
    """Measures how long the event loop goes without running a 20 ms timer.

    Attributes
    ----------
    longest_s
        The longest gap between two ticks since ``start`` (seconds).
    ticks
        Ticks seen since ``start``.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(WATCH_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._last = 0.0
        self.longest_s = 0.0
        self.longest_at_s = 0.0  # seconds after start when the longest gap ended
        self.ticks = 0
        self._t0 = 0.0

    def start(self) -> None:
        self._t0 = self._last = time.monotonic()
        self.longest_s, self.ticks = 0.0, 0
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def _on_timer_timeout(self) -> None:
        now = time.monotonic()
        gap = now - self._last
        if gap > self.longest_s:
            self.longest_s, self.longest_at_s = gap, now - self._t0
        self._last = now
        self.ticks += 1


class ControlExerciser(QObject):
    """Plays a fixed round of interactions on a ``MainWindow``, one every ``every_ms``.

    Parameters
    ----------
    window
        The ``ganlab.app.main_window.MainWindow`` to drive (duck-typed: no import cycle).
    every_ms
        Milliseconds between two interactions.
    """

    def __init__(self, window: object, every_ms: int = 150) -> None:
        super().__init__()
        self._w = window
        self._timer = QTimer(self)
        self._timer.setInterval(every_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._actions = self._round()
        self.done = 0  # interactions performed so far

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def rounds(self) -> int:
        """Complete rounds of every interaction performed so far."""
        return self.done // len(self._actions)

    def _round(self) -> list[Callable[[], None]]:
        w = self._w
        curves = w.curves  # type: ignore[attr-defined]
        plots = [pw.getPlotItem() for pw in curves.plot_widgets().values()]
        controller = w.controller  # type: ignore[attr-defined]

        def zoom() -> None:
            vb = plots[1].getViewBox()
            vb.scaleBy((0.5, 0.5))
            vb.sigRangeChangedManually.emit([True, True])

        return [
            lambda: curves.set_log_scale(True),
            lambda: curves.set_per_layer(True),
            lambda: curves.set_smoothing(0.0),
            zoom,
            lambda: curves.set_log_scale(False),
            lambda: plots[2].autoBtn.clicked.emit(plots[2].autoBtn),
            lambda: curves.set_smoothing(0.95),
            lambda: curves.set_log_scale(True),
            lambda: plots[0].getViewBox().enableAutoRange(),  # the context menu's auto range
            lambda: controller.change_setting("loss.name", "wgan_gp"),
            lambda: curves.set_per_layer(False),
            lambda: w.metrics_dock.raise_(),  # type: ignore[attr-defined]
            lambda: controller.change_setting("optimizer_d.lr", 0.002),
            lambda: curves.set_log_scale(False),
            lambda: w.curves_dock.raise_(),  # type: ignore[attr-defined]
            lambda: controller.change_setting("loss.name", "non_saturating"),
            lambda: controller.change_setting("optimizer_d.lr", 0.001),
            lambda: curves.set_smoothing(0.9),
        ]

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._actions[self.done % len(self._actions)]()
        self.done += 1
