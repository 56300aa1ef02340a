"""``ganlab --smoke-test``: prove an installed lab works, end to end, in seconds.

Opens the real main window on the default experiment, trains a few steps, waits until the
window has painted trained samples, prints what ran (versions, device, Qt platform) as one
JSON line on stdout and exits 0. Anything else (a training error, no paint, a hang) exits
1 with the reason in the JSON. Two timeouts: a Qt timer for a slow start, and a
faulthandler watchdog that dumps every thread's stack and kills the process if the event
loop itself is stuck, so a packaging check can never hang.

Used by packaging/smoke_test.sh on the frozen bundle and the installed .deb, and by the
test suite on the source tree.
"""

from __future__ import annotations

import faulthandler
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QTimer, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from ganlab import __version__

DEFAULT_STEPS = 50
DEFAULT_TIMEOUT_S = 120.0
WATCHDOG_GRACE_S = 15.0  # after the Qt deadline, the watchdog kills a stuck event loop
POLL_MS = 20


class _PaintCounter(QObject):
    """Counts paint events delivered to the window and its children (an app-wide filter)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.paints = 0
        self.first_paint_s: float | None = None
        self._t0 = time.monotonic()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and (watched is self.window or self.window.isAncestorOf(watched))
        ):
            self.paints += 1
            if self.first_paint_s is None:
                self.first_paint_s = time.monotonic() - self._t0
        return False


def versions() -> dict[str, Any]:
    """Versions of everything the lab runs on (imports torch: call after the window is up)."""
    import numpy
    import pyqtgraph
    import PySide6
    import torch

    try:
        import torchvision

        tv: str | None = torchvision.__version__
    except Exception as exc:  # a broken torchvision must show up in the report, not crash it
        tv = f"unavailable: {exc}"
    cuda = torch.cuda.is_available()
    return {
        "ganlab": __version__,
        "python": platform.python_version(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "executable": sys.executable,
        "os": platform.platform(),
        "torch": torch.__version__,
        "torch_cuda": torch.version.cuda,
        "cuda_available": cuda,
        "cuda_device": torch.cuda.get_device_name(0) if cuda else None,
        "torchvision": tv,
        "numpy": numpy.__version__,
        "pyside6": PySide6.__version__,
        "qt": qVersion(),
        "pyqtgraph": pyqtgraph.__version__,
    }


def run_smoke_test(
    *,
    steps: int = DEFAULT_STEPS,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    language: str | None = None,
    out: Any = None,
) -> int:
    """Open the window, train ``steps`` iterations, wait for a paint; print JSON; 0 if fine."""
    out = out if out is not None else sys.stdout
    t0 = time.monotonic()
    faulthandler.dump_traceback_later(timeout_s + WATCHDOG_GRACE_S, exit=True)
    try:
        return _run(steps, timeout_s, language, out, t0)
    finally:
        faulthandler.cancel_dump_traceback_later()


def _run(steps: int, timeout_s: float, language: str | None, out: Any, t0: float) -> int:
    from ganlab.app.main import application
    from ganlab.app.main_window import MainWindow
    from ganlab.kernel.presets import DEFAULT_PRESET, default_experiment

    app = application(language=language)
    # A throwaway settings file: a smoke test must not change the user's layout or recents.
    settings_dir = tempfile.TemporaryDirectory(prefix="ganlab-smoke-")
    settings = QSettings(str(Path(settings_dir.name) / "ganlab.ini"), QSettings.Format.IniFormat)
    window = MainWindow(default_experiment(), settings=settings)
    counter = _PaintCounter(window)
    app.installEventFilter(counter)
    result: dict[str, Any] = {"experiment": DEFAULT_PRESET, "steps_wanted": steps}
    state = {"painted_after_steps": False, "paints_at_steps": -1}

    def finish(ok: bool, reason: str | None = None) -> None:
        if "ok" in result:
            return
        session = window.controller.session
        result.update(
            ok=ok,
            reason=reason,
            steps=session.step,
            device=session.info.device if session.info is not None else None,
            platform=QGuiApplication.platformName(),
            paints=counter.paints,
            first_paint_s=_round(counter.first_paint_s),
            seconds=_round(time.monotonic() - t0),
        )
        poll.stop()
        deadline.stop()
        window.close()
        loop.quit()

    def check() -> None:
        session = window.controller.session
        if session.step < steps or session.info is None:
            return
        if state["paints_at_steps"] < 0:
            # Trained far enough: now wait for one more paint, so what was shown is trained.
            state["paints_at_steps"] = counter.paints
            window.update()
        elif counter.paints > state["paints_at_steps"]:
            finish(True)

    def on_error(error: Any) -> None:
        finish(False, f"training error: {getattr(error, 'message', error)}")

    # A local event loop rather than app.exec()/quit(): the caller's application (the test
    # suite's) keeps working afterwards.
    loop = QEventLoop()
    poll = QTimer(window)
    poll.setInterval(POLL_MS)
    poll.timeout.connect(check)
    deadline = QTimer(window)
    deadline.setSingleShot(True)
    deadline.setInterval(int(timeout_s * 1000))
    deadline.timeout.connect(
        lambda: finish(
            False,
            f"timed out after {timeout_s:g} s (step {window.controller.session.step} of "
            f"{steps}, {counter.paints} paints)",
        )
    )
    window.controller.error_reported.connect(on_error)
    # The trainer process ended unasked (it failed to start, or died): say how, at once.
    window.controller.trainer_lost.connect(lambda why: finish(False, f"trainer lost: {why}"))
    window.show()
    window.controller.play()
    poll.start()
    deadline.start()
    loop.exec()
    app.removeEventFilter(counter)
    settings_dir.cleanup()
    result.update(versions())
    print(json.dumps(result), file=out, flush=True)
    return 0 if result.get("ok") else 1


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
