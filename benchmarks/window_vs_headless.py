"""Window vs headless: does the live window slow training down?

Runs, in one go, the same experiment for the same wall time (1) headless, as a
``ganlab train`` process, and (2) in the full main window (offscreen, every panel live,
redrawn by its timer), whose trainer is a process of its own started the same way.
Alternates the sides so machine noise hits both. Both runs record ``metrics.jsonl``
with each step's time, so the rate of each side is read from its own trainer's clock
over the same measured span (after a warm-up). Prints steps/s for both, their ratio,
the window's frames/s, and how long a learning-rate change takes from the control's
signal to the trainer's report that it set ``param_groups[...]["lr"]`` (a round trip
through the channel).

Goals (issue 12): ratio >= 0.95 on ring8 and shapes_dcgan, >= 30 GUI frames/s, LR
change to optimizer <= 50 ms median.

    QT_QPA_PLATFORM=offscreen python benchmarks/window_vs_headless.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The window records its runs under the user data folder: keep the benchmark's out of the
# user's own (set GANLAB_DATA_DIR to keep them somewhere).
if "GANLAB_DATA_DIR" not in os.environ:
    import atexit
    import shutil

    _data_dir = tempfile.mkdtemp(prefix="ganlab-benchmark-")
    os.environ["GANLAB_DATA_DIR"] = _data_dir
    atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)

from PySide6.QtCore import QEventLoop, QSettings, QTimer

from ganlab.app.main import application
from ganlab.app.main_window import MainWindow
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.presets import load_preset

WARM_UP_S = 2.0  # not counted: the first steps after Play


def rate_from_metrics(run_dir: Path, skip_s: float = WARM_UP_S) -> float:
    """Steps/s of a run over its recorded rows, from ``skip_s`` after its first row."""
    rows = []
    with open(run_dir / "metrics.jsonl", encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            if "step" in entry and "time" in entry and "d_loss" in entry:
                rows.append((float(entry["time"]), int(entry["step"])))
    if len(rows) < 2:
        raise SystemExit(f"{run_dir}: too few rows to measure")
    t_first = rows[0][0]
    kept = [r for r in rows if r[0] >= t_first + skip_s] or rows
    (t0, s0), (t1, s1) = kept[0], kept[-1]
    return (s1 - s0) / (t1 - t0)


def headless(config: cfg.ExperimentConfig, seconds: float) -> float:
    """Steps/s of a ``ganlab train`` process, as a user starts it."""
    folder = Path(tempfile.mkdtemp())
    experiment = folder / "experiment.toml"
    cfg.save(config, experiment)
    out = folder / "run"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ganlab",
            "train",
            str(experiment),
            "--steps",
            "1000000000",
            "--out",
            str(out),
            "--quiet",
            "--no-window",
        ],
    )
    try:
        while not (out / "metrics.jsonl").exists() or not (out / "metrics.jsonl").stat().st_size:
            time.sleep(0.05)  # a benchmark, not a test: polling the file is fine here
        time.sleep(seconds + WARM_UP_S)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(60)
    return rate_from_metrics(out)


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
    window = MainWindow(config, settings=settings, link="process")
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
    spin(int(WARM_UP_S * 1000))
    t0, frames0 = time.perf_counter(), window.frames_total
    per_change = seconds / (lr_changes + 1)
    for i in range(lr_changes):
        spin(int(per_change * 1000))
        lr = 1e-3 * (1.0 + 0.01 * (i + 1))
        sent[lr] = time.perf_counter()
        window.controls.setting_changed.emit("optimizer_d.lr", lr)
    spin(int(per_change * 1000))
    elapsed = time.perf_counter() - t0
    fps = (window.frames_total - frames0) / elapsed
    run_dir = c.last_run_dir
    window.close()
    assert run_dir is not None
    return rate_from_metrics(run_dir), fps, latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="ring8", help="ring8, shapes_dcgan, ...")
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
    print(f"ratio window/headless = {w / h:.3f}  (goal >= 0.95)")
    print(f"GUI frames/s = {statistics.mean(fps):.1f}  (goal >= 30)")
    if lat:
        print(
            f"LR change -> optimizer: median {statistics.median(lat):.1f} ms, max "
            f"{max(lat):.1f} ms over {len(lat)} changes  (goal <= 50 ms)"
        )
    else:
        print("LR change -> optimizer: no change was reported (FAILED)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
