"""Render the real window to PNG for the README and for review.

Opens the main window (offscreen by default) on several presets, trains each for a few
seconds, and saves the whole window plus each view into docs/screenshots/:

    QT_QPA_PLATFORM=offscreen python docs/screenshots.py [--seconds 8] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, QTimer

from ganlab.app.main import application
from ganlab.app.main_window import MainWindow
from ganlab.core import config as cfg
from ganlab.core.presets import load_preset

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--out", default=str(Path(__file__).parent / "screenshots"))
    parser.add_argument("--only", nargs="*", help="preset names to shoot")
    parser.add_argument("--lang", help="interface language, e.g. es")
    args = parser.parse_args(argv)
    application(language=args.lang)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for preset, name in SHOTS.items():
        if args.only and preset not in args.only:
            continue
        for path in shoot(preset, name, args.seconds, out):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
