"""Launch to window: how long from starting the lab's process to its window's first paint?

Issue 12: the window's process imports no torch; the window appears before its trainer
process has finished importing torch and building the models. This measures, side by
side and alternating so machine noise hits both, a fresh Python process that

* ``before``: does what the window's process did before (imports torch, every model
  family's and data source's module and the loss math, as the registries' first lookup
  did), then builds and shows the window with its trainer in a thread of the same
  process, building the models there as the window comes up;
* ``after``: only builds and shows the window, its trainer starting in a process of its
  own (today's path: ``ganlab`` without a command does the same through
  ``ganlab.app.main.run_app``).

Both open the ``ring8`` preset offscreen
(``QT_QPA_PLATFORM=offscreen``). The time is from just before ``Popen`` to the first
``Paint`` event any widget of the window receives (an application-wide event filter), as
stamped by the child with the wall clock. The child then closes the window, waits for
its trainer process to end (killing it after 30 s) and exits without the interpreter's
teardown; the parent kills a child that hangs. Each child also says whether torch was
imported in the window's process at that first paint. Prints each run, the medians and
the before/after ratio.

    python benchmarks/launch_to_window.py [--rounds 5] [--preset ring8]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 300

CHILD = textwrap.dedent(
    """
    import sys, time

    side, preset, settings_path = sys.argv[1:4]
    if side == "before":  # what the registries' first lookup imported before issue 12
        import torch  # noqa: F401
        import ganlab.engine.losses
        import ganlab.data.folder, ganlab.data.points, ganlab.data.shapes
        import ganlab.data.toy, ganlab.data.vision
        import ganlab.models.acgan, ganlab.models.conditional
        import ganlab.models.dcgan, ganlab.models.mlp

    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from ganlab.app.main_window import MainWindow
    from ganlab.kernel.presets import load_preset

    class FirstPaint(QObject):
        def __init__(self, window):
            super().__init__(window)
            self.window = window
            self.done = False

        def eventFilter(self, watched, event):
            if (
                not self.done
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and (watched is self.window or self.window.isAncestorOf(watched))
            ):
                self.done = True
                print(f"PAINT {time.time():.6f} torch={'torch' in sys.modules}", flush=True)
                QTimer.singleShot(0, self.window.close)
            return False

    app = QApplication([])
    settings = QSettings(settings_path, QSettings.Format.IniFormat)
    # Before issue 12 the trainer was a thread of the window's process (the thread link
    # is that code path); after, it is a process of its own.
    link = "thread" if side == "before" else "process"
    window = MainWindow(load_preset(preset), settings=settings, link=link)
    process = getattr(window.controller.link, "process", None)
    app.installEventFilter(FirstPaint(window))
    window.show()
    app.exec()
    if process is not None:
        try:
            process.wait(30)
        except Exception:
            process.kill()
            process.wait()
    print("ENDED", flush=True)
    # Skip the interpreter's teardown: with torch and Qt in one process it can crash
    # there (SIGSEGV seen on the 'before' side), after everything measured.
    import os
    os._exit(0)
    """
)


def launch(side: str, preset: str, folder: str) -> tuple[float, bool]:
    """Seconds from Popen to the child's first paint, and whether torch was loaded then."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "GANLAB_DATA_DIR": folder,  # the window's runs go here, not the user's folder
    }
    settings = str(Path(folder) / f"settings-{side}.ini")
    t0 = time.time()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, side, preset, settings],
        cwd=ROOT,  # this checkout's ganlab
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = child.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        sys.exit(f"{side}: no window within {TIMEOUT_S} s")
    paint = next((line.split() for line in out.splitlines() if line.startswith("PAINT")), None)
    if child.returncode != 0 or paint is None or "ENDED" not in out:
        sys.exit(f"{side} failed ({child.returncode}):\n{out}\n{err}")
    return float(paint[1]) - t0, paint[2] == "torch=True"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--preset", default="ring8")
    args = parser.parse_args()
    times: dict[str, list[float]] = {"before": [], "after": []}
    torch_loaded: dict[str, set[bool]] = {"before": set(), "after": set()}
    with tempfile.TemporaryDirectory() as folder:
        launch("after", args.preset, folder)  # warm the page cache for both sides
        launch("before", args.preset, folder)
        for i in range(args.rounds):
            for side in ("before", "after") if i % 2 == 0 else ("after", "before"):
                seconds, loaded = launch(side, args.preset, folder)
                times[side].append(seconds)
                torch_loaded[side].add(loaded)
                print(
                    f"round {i + 1} {side:<6} {seconds:7.3f} s  torch in window process: {loaded}"
                )
    before, after = (statistics.median(times[s]) for s in ("before", "after"))
    print(f"\nlaunch to first paint, median of {args.rounds} ({args.preset}, offscreen):")
    print(f"  before (torch + registries' modules imported first): {before:7.3f} s")
    print(f"  after  (the window alone):                           {after:7.3f} s")
    print(f"  before / after: {before / after:.2f}x, {before - after:.3f} s sooner")
    print(f"  torch in the window's process: before {torch_loaded['before']}, ", end="")
    print(f"after {torch_loaded['after']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
