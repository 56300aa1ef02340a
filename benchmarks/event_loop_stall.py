"""Event-loop stalls: a window whose controls are exercised vs the same window left alone.

Runs the full main window (offscreen, every panel live) on the default experiment for a
set time, alternating one-minute stretches in which ganlab.app.exercise.ControlExerciser
plays every curve control, a live loss switch, learning-rate edits and the dock tabs
(every 150 ms) with stretches in which nobody touches anything. A 20 ms timer measures
how long the GUI thread stays away from its event loop. Prints the longest stall of
each kind, their ratio, the 99th-percentile gap, steps trained and frames drawn.

Goal: the longest stall stays under 1 s in both kinds, whatever the run length (the
frozen window of issue 9 never came back).

    QT_QPA_PLATFORM=offscreen python benchmarks/event_loop_stall.py [--minutes 10]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtCore import QEventLoop, QObject, QSettings, QTimer, Slot

from ganlab.app.exercise import WATCH_MS, ControlExerciser
from ganlab.app.main import application
from ganlab.app.main_window import MainWindow
from ganlab.kernel.presets import default_experiment


class GapRecorder(QObject):
    """Every gap between two ticks of a 20 ms timer, tagged with the stretch's kind."""

    def __init__(self) -> None:
        super().__init__()
        self.kind = "idle"
        self.gaps: dict[str, list[float]] = {"idle": [], "exercised": []}
        self._last = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(WATCH_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        self._last = time.monotonic()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def _on_timer_timeout(self) -> None:
        now = time.monotonic()
        self.gaps[self.kind].append(now - self._last)
        self._last = now


def spin(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="total time (default 10)")
    parser.add_argument("--stretch", type=float, default=60.0, help="seconds per stretch")
    args = parser.parse_args()

    app = application(["event_loop_stall"])
    settings_path = os.path.join(tempfile.mkdtemp(), "settings.ini")  # not the user's layout
    settings = QSettings(settings_path, QSettings.Format.IniFormat)
    window = MainWindow(default_experiment(), settings=settings)
    window.resize(1280, 720)
    window.show()
    spin(app, 3.0)
    window.controller.play()
    spin(app, 2.0)
    recorder = GapRecorder()
    exerciser = ControlExerciser(window, every_ms=150)
    recorder.start()
    t0 = time.monotonic()
    total = args.minutes * 60.0
    kind = "exercised"
    while time.monotonic() - t0 < total:
        recorder.kind = kind
        if kind == "exercised":
            exerciser.start()
        spin(app, min(args.stretch, total - (time.monotonic() - t0)))
        exerciser.stop()
        elapsed = time.monotonic() - t0
        longest = max(recorder.gaps[kind], default=0.0)
        print(
            f"{elapsed / 60:5.1f} min  {kind:<9}  longest gap so far {longest * 1000:6.0f} ms"
            f"  step {window.controller.session.step}",
            flush=True,
        )
        kind = "idle" if kind == "exercised" else "exercised"
    recorder.stop()
    steps = window.controller.session.step
    frames = window.frames_total
    window.close()

    longest = {k: max(v, default=0.0) for k, v in recorder.gaps.items()}
    p99 = {k: float(np.percentile(v, 99)) if v else 0.0 for k, v in recorder.gaps.items()}
    print()
    print(f"minutes               {args.minutes:g}")
    print(f"interactions          {exerciser.done} ({exerciser.rounds()} rounds)")
    print(f"steps trained         {steps}")
    print(f"frames drawn          {frames}")
    for k in ("exercised", "idle"):
        print(f"{k:<9} longest stall {longest[k] * 1000:7.0f} ms   p99 gap {p99[k] * 1000:5.0f} ms")
    ratio = longest["exercised"] / longest["idle"] if longest["idle"] else float("nan")
    print(f"ratio exercised/idle  {ratio:.2f}")
    print(f"goal: longest stall < 1000 ms: {'met' if max(longest.values()) < 1.0 else 'MISSED'}")


if __name__ == "__main__":
    main()
