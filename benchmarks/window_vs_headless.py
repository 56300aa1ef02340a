"""Window vs headless: does the live window slow training down?

Runs, in one process, the same experiment for the same wall time (1) headless, as
``ganlab train`` does, and (2) in the full main window (offscreen, every panel live,
redrawn by its timer), alternating so machine noise hits both. Prints steps/s for both,
their ratio, the window's frames/s, and how long a learning-rate change takes to reach
the optimizer while training (from the control's signal to the trainer's report that it
set ``param_groups[...]["lr"]``).

Goals: ratio >= 0.9, >= 30 GUI frames/s, LR change visible within 100 ms.

    QT_QPA_PLATFORM=offscreen python benchmarks/window_vs_headless.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The script's folder is on sys.path when run as a script: share the timed headless loop.
from engine_vs_reference import engine_for
from PySide6.QtCore import QEventLoop, QSettings, QTimer

from ganlab.app.main import application
from ganlab.app.main_window import MainWindow
from ganlab.core import config as cfg
from ganlab.core import reports as rep
from ganlab.core.presets import load_preset
from ganlab.core.trainer import Trainer


def headless(config: cfg.ExperimentConfig, seconds: float) -> float:
    """Steps/s of the headless loop, as ``ganlab train`` runs it."""
    steps, elapsed = engine_for(Trainer(config), seconds)
    return steps / elapsed


def spin(ms: int) -> None:
    """Run the Qt event loop for ``ms`` milliseconds."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def windowed(
    config: cfg.ExperimentConfig, seconds: float, lr_changes: int
) -> tuple[float, float, list[float]]:
    """(steps/s, GUI frames/s, LR latencies in ms) for the full window."""
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(config, settings=settings)
    window.resize(1600, 1000)
    window.show()
    c = window.controller
    while c.session.info is None:
        spin(20)
    latencies: list[float] = []
    sent: dict[float, float] = {}

    def on_recorded(change: rep.SettingChanged) -> None:
        if change.key == "optimizer_d.lr" and change.new in sent:
            latencies.append((time.perf_counter() - sent[change.new]) * 1000)

    c.setting_recorded.connect(on_recorded)
    window.play_action.trigger()
    spin(500)  # let it reach full speed
    step0, t0, frames0 = c.session.step, time.perf_counter(), window.frames_total
    per_change = seconds / (lr_changes + 1)
    for i in range(lr_changes):
        spin(int(per_change * 1000))
        lr = 1e-3 * (1.0 + 0.01 * (i + 1))
        sent[lr] = time.perf_counter()
        window.controls.setting_changed.emit("optimizer_d.lr", lr)
    spin(int(per_change * 1000))
    elapsed = time.perf_counter() - t0
    rate = (c.session.step - step0) / elapsed
    fps = (window.frames_total - frames0) / elapsed
    window.close()
    return rate, fps, latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="ring8")
    parser.add_argument("--seconds", type=float, default=10.0, help="wall time per run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--lr-changes", type=int, default=8)
    args = parser.parse_args(argv)

    application()
    config = cfg.with_value(load_preset(args.preset), "loop.device", "cpu")
    print(
        f"preset {args.preset}: {config.model.family} on {config.data.source}, batch "
        f"{config.loop.batch_size}, {args.rounds} rounds of {args.seconds:.0f} s each side"
    )
    head, win, fps, lat = [], [], [], []
    for _ in range(args.rounds):
        head.append(headless(config, args.seconds))
        r, f, latency = windowed(config, args.seconds, args.lr_changes)
        win.append(r)
        fps.append(f)
        lat += latency
    h, w = statistics.mean(head), statistics.mean(win)
    print(f"headless  {h:8.1f} steps/s  (rounds: {', '.join(f'{x:.0f}' for x in head)})")
    print(f"window    {w:8.1f} steps/s  (rounds: {', '.join(f'{x:.0f}' for x in win)})")
    print(f"ratio window/headless = {w / h:.3f}  (goal >= 0.9)")
    print(f"GUI frames/s = {statistics.mean(fps):.1f}  (goal >= 30)")
    if lat:
        print(
            f"LR change -> optimizer: median {statistics.median(lat):.1f} ms, max "
            f"{max(lat):.1f} ms over {len(lat)} changes  (goal <= 100 ms)"
        )
    else:
        print("LR change -> optimizer: no change was reported (FAILED)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
