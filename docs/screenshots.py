"""Render the real window to PNG for the README and for review.

Without --size: opens the main window (offscreen) on several presets, trains each for a
few seconds, and saves the whole window plus each view into docs/screenshots/:

    python docs/screenshots.py [--seconds 8] [--out docs/screenshots]

With --size: one window on a simulated screen of that size (Qt's offscreen platform,
configured with one screen of WxH logical pixels), opened as at a first start (the dock
layout and size chosen for that screen), trained for a few seconds on --preset, then
saved as <out>/window_<W>x<H>_<lang>[_presentation].png:

    python docs/screenshots.py --size 1280x720 --lang es --presentation --out shots/
    python docs/screenshots.py --size 3840x2160 --scale 2 --out shots/   # 4K at 200 %
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path


def _screen_size(argv: list[str]) -> tuple[int, int] | None:
    """--size WxH from the command line, read before Qt starts (it fixes the screen)."""
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--size=") else None
        if arg == "--size" and i + 1 < len(argv):
            value = argv[i + 1]
        if value:
            width, height = value.lower().split("x")
            return int(width), int(height)
    return None


def _screen_scale(argv: list[str]) -> float:
    """--scale S: the platform's display scaling (2 for a 4K screen at 200 %)."""
    for i, arg in enumerate(argv):
        if arg.startswith("--scale="):
            return float(arg.split("=", 1)[1])
        if arg == "--scale" and i + 1 < len(argv):
            return float(argv[i + 1])
    return 1.0


_SIZE = _screen_size(sys.argv[1:])
_SCALE = _screen_scale(sys.argv[1:])
if _SIZE is not None:
    # One offscreen screen of that size, no window frame: "maximised" and "full screen"
    # then mean exactly WxH, as on a projector.
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
                        # Logical pixels: a 3840 x 2160 screen at scale 2 is 1920 x 1080.
                        "width": round(_SIZE[0] / _SCALE),
                        "height": round(_SIZE[1] / _SCALE),
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": _SCALE,
                    }
                ],
            }
        )
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_config}"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402 - after the screen

from ganlab.app.main import application  # noqa: E402
from ganlab.app.main_window import MainWindow  # noqa: E402
from ganlab.kernel import config as cfg  # noqa: E402
from ganlab.kernel.presets import load_preset  # noqa: E402

# preset -> (seconds of training, what to save)
SHOTS = {
    "ring8": "main",
    "gaussian1d": "density",
    "shapes_cgan": "images",
    "two_moons": "moons",
}


def spin(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(preset: str, name: str, seconds: float, out: Path) -> list[Path]:
    config = cfg.with_value(load_preset(preset), "loop.device", "cpu")
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(config, settings=settings)
    window.resize(1680, 1050)
    window.show()
    while window.controller.session.info is None:
        spin(50)
    window.play_action.trigger()
    spin(int(seconds * 1000))
    window.controller.pause()
    spin(600)  # the last snapshot and curves are drawn
    written = []
    for suffix, widget in (
        ("window", window),
        ("view", window.views.currentWidget()),
        ("curves", window.curves),
        ("explorer", window.explorer),
        ("controls", window.controls),
    ):
        path = out / f"{name}_{suffix}.png"
        widget.grab().save(str(path))
        written.append(path)
    window.close()
    return written


def shoot_window(preset: str, seconds: float, language: str, presentation: bool, out: Path) -> Path:
    """The whole window at a first start on the configured screen, after training."""
    config = cfg.with_value(load_preset(preset), "loop.device", "cpu")
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(config, settings=settings)
    window.show()
    while window.controller.session.info is None:
        spin(50)
    if presentation:
        window.presentation_action.trigger()
    window.play_action.trigger()
    spin(int(seconds * 1000))
    window.controller.pause()
    spin(800)  # the last snapshot and curves are drawn
    assert _SIZE is not None
    suffix = ("_presentation" if presentation else "") + (
        f"_scale{_SCALE:g}" if _SCALE != 1.0 else ""
    )
    path = out / f"window_{_SIZE[0]}x{_SIZE[1]}_{language}{suffix}.png"
    window.grab().save(str(path))
    print(path, "window", window.width(), "x", window.height(), flush=True)
    window.close()
    spin(500)  # the trainer thread ends and the window is gone before Python tears down
    window.deleteLater()
    spin(100)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--out", default=str(Path(__file__).parent / "screenshots"))
    parser.add_argument("--only", nargs="*", help="preset names to shoot")
    parser.add_argument("--lang", help="interface language, e.g. es")
    parser.add_argument("--size", help="one window on a WxH screen, e.g. 1280x720")
    parser.add_argument("--presentation", action="store_true", help="presentation mode")
    parser.add_argument("--scale", type=float, default=1.0, help="with --size: display scaling")
    parser.add_argument("--preset", default="ring8", help="with --size: the experiment")
    args = parser.parse_args(argv)
    application(language=args.lang)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.size:
        seconds = args.seconds if "--seconds" in (argv or sys.argv) else 4.0
        shoot_window(args.preset, seconds, args.lang or "en", args.presentation, out)
        return 0
    for preset, name in SHOTS.items():
        if args.only and preset not in args.only:
            continue
        for path in shoot(preset, name, args.seconds, out):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
