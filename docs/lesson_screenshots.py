"""Render each shipped lesson's key step in the real window to PNG, for review.

For every lesson in ``resources/lessons`` (or those given with --only): opens the main
window on a simulated 1280 x 720 screen (Qt's offscreen platform, as docs/screenshots.py
does), opens the lesson through the window's own lesson runner, plays every step before
the key step the way a class would (each step's ``until`` reached, then Next), opens the
key step, lets the real training run until the runner reports the step's condition
reached (or its budget spent, or --timeout), and saves the window as
``<out>/lessonNN_<lang>.png`` (``lessonNN_<lang>_stepN.png`` with --step):

    python docs/lesson_screenshots.py [--lang en|es|both] [--only 7 9] [--step N]
                                      [--size 1280x720] [--out ../shots/lessons]

The key step (1-based, as the lesson panel counts) is, unless --step says otherwise, the
one where the lesson's phenomenon happens: KEY_STEPS for the shipped lessons whose last
``until`` step is the remedy, else the last step that has an ``until``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

# The ganlab of this checkout, not another installed copy (a git worktree shares a venv).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _screen_size(argv: list[str]) -> tuple[int, int]:
    """--size WxH from the command line (default 1280x720), read before Qt starts."""
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--size=") else None
        if arg == "--size" and i + 1 < len(argv):
            value = argv[i + 1]
        if value:
            width, height = value.lower().split("x")
            return int(width), int(height)
    return 1280, 720


_SIZE = _screen_size(sys.argv[1:])
# One offscreen screen of that size, no window frame (as in docs/screenshots.py).
_config = Path(tempfile.mkdtemp()) / "screen.json"
_config.write_text(
    json.dumps(
        {
            "windowFrameMargins": False,
            "screens": [
                {
                    "name": "classroom",
                    "x": 0,
                    "y": 0,
                    "width": _SIZE[0],
                    "height": _SIZE[1],
                    "logicalDpi": 96,
                    "logicalBaseDpi": 96,
                    "dpr": 1.0,
                }
            ],
        }
    )
)
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_config}"

from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402 - after the screen

from ganlab.app.main import application  # noqa: E402
from ganlab.app.main_window import MainWindow  # noqa: E402
from ganlab.engine.lesson import Lesson, load_lesson, shipped_lessons  # noqa: E402
from ganlab.kernel import config as cfg  # noqa: E402
from ganlab.kernel import i18n  # noqa: E402

# Lesson number -> key step (1-based) where the last ``until`` step is the remedy, not
# the phenomenon the lesson is about.
KEY_STEPS = {
    5: 3,  # minimax loss: G is stuck (step 4 is the non-saturating fix)
    6: 2,  # big learning rates: oscillation (steps 3-4 are k_D : k_G)
    7: 2,  # D's learning rate 10: NaN, automatic pause (step 3 is the way back)
    8: 2,  # D wins, G's gradient vanishes (step 4 is instance noise)
    9: 2,  # the generator collapses (step 3 is the fix, step 4 the grid)
}


def spin(ms: int) -> None:
    """Run the event loop for ``ms`` milliseconds (drawing, reports)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def key_step(lesson: Lesson) -> int:
    """The key step of ``lesson``, 0-based."""
    if lesson.number in KEY_STEPS:
        return KEY_STEPS[lesson.number] - 1
    with_until = [i for i, s in enumerate(lesson.steps) if s.until]
    return with_until[-1] if with_until else len(lesson.steps) - 1


def wait_for_step(window: MainWindow, timeout_s: float) -> str:
    """Let the current step train until its condition holds ("reached"), its budget is
    spent ("missed") or ``timeout_s`` passes ("timeout"); waits on the runner's
    ``condition_reached`` signal while the event loop runs."""
    runner = window.lessons
    if runner.done:
        return "reached"
    step = runner.step
    if step is not None and step.run != "play":
        window.controller.play()  # a paused step with a condition: the class presses Play
    loop = QEventLoop()
    result = {"why": "timeout"}

    def reached(index: int) -> None:
        if index == runner.index:
            result["why"] = "reached"
            loop.quit()

    def poll() -> None:  # the runner has no signal for a spent budget: look at its flag
        if runner.missed:
            result["why"] = "missed"
            loop.quit()

    runner.condition_reached.connect(reached)
    poller = QTimer()
    poller.timeout.connect(poll)
    poller.start(250)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    poller.stop()
    runner.condition_reached.disconnect(reached)
    return result["why"]


def shoot(
    path: Path, lang: str, step_override: int | None, timeout_s: float, seconds: float, out: Path
) -> Path:
    """Open lesson ``path`` in a fresh window, reach its key step, save the window (a key
    step that plays with no ``until`` trains ``seconds`` first)."""
    lesson = load_lesson(path)
    target = key_step(lesson) if step_override is None else step_override - 1
    target = max(0, min(target, len(lesson.steps) - 1))
    config = cfg.with_value(lesson.config_for_step(0), "loop.device", "cpu")
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(config, settings=settings)
    window.show()
    while window.controller.session.info is None:
        spin(50)
    t0 = time.monotonic()
    if not window.lessons.open(path):
        raise SystemExit(f"{path}: the window refused the lesson (see its log)")
    runner = window.lessons
    trail = []
    while True:
        why = wait_for_step(window, timeout_s)
        values = runner.watcher.values() if runner.watcher is not None else {}
        now = ",".join(f"{k}={v:.3g}" for k, v in values.items())
        trail.append(f"{runner.index + 1}:{why}@{window.controller.session.step}({now})")
        if runner.index >= target:
            break
        if runner.done:
            runner.next()  # as the Next button does
        else:  # missed or timed out: Next refuses, go on anyway
            window.controller.pause()
            runner.go_to(runner.index + 1)
    step = lesson.steps[target]
    if step.until is None and step.run == "play" and seconds > 0:
        # Nothing to wait for: the step trains as long as the class watches it.
        spin(int(seconds * 1000))
        trail.append(f"played {seconds:g} s")
    window.controller.pause()
    spin(800)  # the last snapshot, curves and the banner are drawn
    suffix = "" if step_override is None else f"_step{target + 1}"
    name = out / f"lesson{lesson.number:02d}_{lang}{suffix}.png"
    window.grab().save(str(name))
    print(
        f"{name}  step {target + 1}/{len(lesson.steps)}  [{' '.join(trail)}]  "
        f"trainer step {window.controller.session.step}  {time.monotonic() - t0:.0f} s",
        flush=True,
    )
    window.close()
    window.deleteLater()
    spin(100)
    return name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("en", "es", "both"), default="both")
    parser.add_argument("--only", nargs="*", type=int, help="lesson numbers to shoot")
    parser.add_argument("--step", type=int, help="the step to shoot (1-based), for every lesson")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per step at most")
    parser.add_argument(
        "--seconds",
        type=float,
        default=8.0,
        help="training before the shot of a step that plays with no condition",
    )
    parser.add_argument("--size", default="1280x720", help="the simulated screen, WxH")
    parser.add_argument(
        "--out", default=str(Path(__file__).resolve().parents[2] / "shots" / "lessons")
    )
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    langs = ["en", "es"] if args.lang == "both" else [args.lang]
    paths = [p for p in shipped_lessons() if not args.only or load_lesson(p).number in args.only]
    application(language=langs[0])
    for lang in langs:
        if lang != i18n.language():
            # Qt's translators and the engine's catalogue are chosen once per process:
            # the other language in a child process.
            rest = list(argv if argv is not None else sys.argv[1:])
            for i, a in enumerate(rest):
                if a == "--lang":
                    rest[i + 1] = lang
            if "--lang" not in rest:
                rest += ["--lang", lang]
            code = os.spawnv(os.P_WAIT, sys.executable, [sys.executable, __file__, *rest])
            if code:
                return code
            continue
        for path in paths:
            shoot(path, lang, args.step, args.timeout, args.seconds, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
