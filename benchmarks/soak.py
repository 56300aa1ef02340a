"""Soak: does a long run keep the window's memory flat and its frame rate steady?

Opens the real main window (offscreen by default, or on a display such as Xvfb) on a
preset (ring8) with every live view on screen at once: the toy view with all its layers,
the curves with the per-layer gradient norms, the metrics, the latent explorer walking its
path in a loop and the log, each in a dock of its own (not hidden behind a tab). It
presses Play and, every ``--every`` seconds for ``--minutes``, samples:

- the resident memory (RSS) of the window's process and of its trainer process (a child
  process, read with psutil);
- GUI frames/s: repaints of the central toy view's viewport actually painted (QEvent.Paint
  counted by an event filter on the pyqtgraph viewport), the repaints of every pyqtgraph
  view of the window together, and the window's own refresh-timer ticks;
- training steps/s, from the step the window has seen;
- the sizes of what could grow in the window (Python objects, pyqtgraph items, curve
  points, metric rows, markers, log lines) to tell where any growth is.

The house rule "two things side by side in one go, and their ratio": the two things are
the first minute and the rest. Prints RSS at minute 1 and at the end, the growth, the
frame rate of the first and the last minute and their ratio, and whether the goals of
issue 14 are met: RSS growth <= 50 MB in each process, frame rate at least 90 % of the
first minute's. Writes ``soak.csv`` (one row per sample) and ``soak.png`` (RSS and
frames/s against minutes) into ``--out``. See docs/soak.md.

    QT_QPA_PLATFORM=offscreen python benchmarks/soak.py --minutes 5
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

GOAL_GROWTH_MB = 50.0  # RSS growth allowed over the run, each process
GOAL_FPS_RATIO = 0.90  # the last minute's frame rate over the first minute's, at least
FIRST_MINUTE = 1.0  # minutes: the reference stretch
WINDOW_SIZE = (1600, 1000)  # wide enough for the wide dock layout
OFFSCREEN_SCREEN = {  # Qt's offscreen platform reads its screens from such a file
    "screens": [{"name": "soak", "x": 0, "y": 0, "width": 1920, "height": 1200, "dpr": 1}]
}


@dataclass
class Sample:
    """One row of the soak CSV. Rates are over the interval since the previous sample."""

    minute: float  # since Play
    window_rss_mb: float
    trainer_rss_mb: float  # 0 when the trainer is not a process of its own
    fps: float  # repaints/s of the toy view's viewport (the central view)
    all_views_fps: float  # repaints/s of every pyqtgraph viewport of the window, summed
    ticks_per_s: float  # the window's refresh-timer ticks/s (a tick redraws what changed)
    steps_per_s: float
    step: int
    py_objects: int  # objects the garbage collector tracks in the window's process
    scene_items: int  # graphics items in every pyqtgraph scene of the window
    curve_points: int  # points held by the pyqtgraph curve items, all curves together
    metric_rows: int  # the metrics panel's rows (the session's metric_steps)
    markers: int  # setting markers on the curves
    diagnoses: int  # diagnoses the session keeps
    log_lines: int  # lines in the log panel


@dataclass(frozen=True)
class Figures:
    """What a soak run comes to (see :func:`figures`)."""

    minutes: float
    window_rss_first_mb: float  # at minute 1
    window_rss_end_mb: float
    window_growth_mb: float
    trainer_rss_first_mb: float
    trainer_rss_end_mb: float
    trainer_growth_mb: float
    fps_first: float  # mean over the first minute
    fps_last: float  # mean over the last minute
    fps_ratio: float  # last / first
    steps_per_s_first: float
    steps_per_s_last: float
    memory_ok: bool
    fps_ok: bool


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def _at(samples: Sequence[Sample], minute: float) -> Sample:
    """The sample closest to ``minute``."""
    return min(samples, key=lambda s: abs(s.minute - minute))


def figures(samples: Sequence[Sample]) -> Figures:
    """The soak's figures from its samples (ordered by time).

    The first minute is the reference: RSS growth is measured from the sample nearest
    minute 1 (the start's own allocations are not growth) to the last sample, and the
    frame rate of the last minute is compared with the mean of the first minute's.
    A run shorter than two minutes compares its first and its last halves instead.

    Raises
    ------
    ValueError
        Fewer than two samples.
    """
    if len(samples) < 2:
        raise ValueError("figures need at least two samples")
    end = samples[-1].minute
    first_span = FIRST_MINUTE if end >= 2 * FIRST_MINUTE else end / 2
    first = [s for s in samples if s.minute <= first_span] or [samples[0]]
    last = [s for s in samples if s.minute >= end - first_span] or [samples[-1]]
    ref = _at(samples, first_span)
    final = samples[-1]
    fps_first = _mean([s.fps for s in first])
    fps_last = _mean([s.fps for s in last])
    ratio = fps_last / fps_first if fps_first > 0 else float("nan")
    window_growth = final.window_rss_mb - ref.window_rss_mb
    trainer_growth = final.trainer_rss_mb - ref.trainer_rss_mb
    return Figures(
        minutes=end,
        window_rss_first_mb=ref.window_rss_mb,
        window_rss_end_mb=final.window_rss_mb,
        window_growth_mb=window_growth,
        trainer_rss_first_mb=ref.trainer_rss_mb,
        trainer_rss_end_mb=final.trainer_rss_mb,
        trainer_growth_mb=trainer_growth,
        fps_first=fps_first,
        fps_last=fps_last,
        fps_ratio=ratio,
        steps_per_s_first=_mean([s.steps_per_s for s in first]),
        steps_per_s_last=_mean([s.steps_per_s for s in last]),
        memory_ok=window_growth <= GOAL_GROWTH_MB and trainer_growth <= GOAL_GROWTH_MB,
        fps_ok=ratio >= GOAL_FPS_RATIO,
    )


def report(f: Figures) -> str:
    """The figures as the lines the script prints."""

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    return "\n".join(
        [
            f"minutes                 {f.minutes:.1f}",
            f"window RSS  minute 1    {f.window_rss_first_mb:7.1f} MB   end "
            f"{f.window_rss_end_mb:7.1f} MB   growth {f.window_growth_mb:+6.1f} MB",
            f"trainer RSS minute 1    {f.trainer_rss_first_mb:7.1f} MB   end "
            f"{f.trainer_rss_end_mb:7.1f} MB   growth {f.trainer_growth_mb:+6.1f} MB",
            f"toy view frames/s       first minute {f.fps_first:5.1f}   last minute "
            f"{f.fps_last:5.1f}   ratio last/first {f.fps_ratio:.3f}",
            f"training steps/s        first minute {f.steps_per_s_first:6.1f}   last minute "
            f"{f.steps_per_s_last:6.1f}",
            f"goal RSS growth <= {GOAL_GROWTH_MB:.0f} MB (each process): {verdict(f.memory_ok)}",
            f"goal frames/s >= {GOAL_FPS_RATIO:.0%} of the first minute's: {verdict(f.fps_ok)}",
        ]
    )


def write_csv(samples: Sequence[Sample], path: Path) -> None:
    """One row per sample, a header of :class:`Sample`'s field names."""
    names = [f.name for f in fields(Sample)]
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=names)
        writer.writeheader()
        for s in samples:
            row = asdict(s)
            writer.writerow({k: f"{v:.3f}" if isinstance(v, float) else v for k, v in row.items()})


def read_csv(path: Path) -> list[Sample]:
    """The samples of a soak CSV (to redraw or re-read an earlier run)."""
    kinds = {f.name: f.type for f in fields(Sample)}
    with open(path, newline="", encoding="utf-8") as f:
        return [
            Sample(**{k: (int(v) if kinds[k] in (int, "int") else float(v)) for k, v in r.items()})
            for r in csv.DictReader(f)
        ]


def write_png(samples: Sequence[Sample], path: Path, title: str = "") -> None:
    """Window RSS, trainer RSS (MB) and frames/s against minutes, drawn with pyqtgraph.

    Needs a QApplication (any platform, offscreen included).
    """
    import numpy as np
    import pyqtgraph as pg
    from pyqtgraph.exporters import ImageExporter
    from PySide6.QtWidgets import QApplication

    minutes = np.array([s.minute for s in samples])
    layout = pg.GraphicsLayoutWidget()
    layout.setBackground("w")
    layout.setFixedSize(1000, 900)
    if title:
        layout.addLabel(title, row=0, col=0, color="#111111", size="11pt")
    rows = [
        ("window RSS (MB)", [("window", "#1f77b4", [s.window_rss_mb for s in samples])]),
        ("trainer RSS (MB)", [("trainer", "#ff7f0e", [s.trainer_rss_mb for s in samples])]),
        (
            "frames/s",
            [
                ("toy view repaints", "#2ca02c", [s.fps for s in samples]),
                ("refresh ticks", "#7f7f7f", [s.ticks_per_s for s in samples]),
            ],
        ),
    ]
    first = None
    for row, (name, lines) in enumerate(rows, start=1):
        plot = layout.addPlot(row=row, col=0)
        plot.setTitle(name, color="#111111")
        plot.showGrid(x=True, y=True, alpha=0.3)
        plot.setMouseEnabled(False, False)
        for axis in ("left", "bottom"):
            plot.getAxis(axis).enableAutoSIPrefix(False)
            plot.getAxis(axis).setTextPen("#111111")
        plot.setLabel("bottom", "minutes since Play")
        if len(lines) > 1:
            plot.addLegend(offset=(10, 10), labelTextColor="#111111")
        for label, colour, values in lines:
            plot.plot(minutes, values, pen=pg.mkPen(colour, width=2), name=label)
        top = max(max(vals, default=0.0) for _, _, vals in lines)
        if name == "frames/s":
            plot.setYRange(0, max(top, 1.0) * 1.1)
        else:  # at least a 60 MB span: growth under the goal looks small, as it is
            low = min(min(vals, default=0.0) for _, _, vals in lines)
            plot.setYRange(low - 5, max(top, low + 55) + 5)
        if first is None:
            first = plot
        else:
            plot.setXLink(first)
    layout.show()
    QApplication.processEvents()
    exporter = ImageExporter(layout.ci)
    exporter.parameters()["width"] = 1000
    exporter.export(str(path))
    layout.close()


# ------------------------------------------------------------------ the live window


class _PaintCounter:
    """Counts QEvent.Paint on the viewports it watches (one event filter each)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEvent, QObject

        paint = QEvent.Type.Paint

        class Filter(QObject):
            def __init__(self, viewport) -> None:
                super().__init__(viewport)  # dies with the viewport
                self.paints = 0

            def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
                if event.type() == paint:
                    self.paints += 1
                return False

        self._make = Filter
        self._filters: list = []
        self._viewports: list = []

    def watch(self, viewport):
        """Count ``viewport``'s repaints from now on (once, however often asked)."""
        for seen, f in zip(self._viewports, self._filters, strict=True):
            if seen is viewport:
                return f
        f = self._make(viewport)
        viewport.installEventFilter(f)
        self._viewports.append(viewport)
        self._filters.append(f)
        return f

    def count(self, viewport=None) -> int:
        """Repaints of ``viewport``, or of every watched viewport together."""
        if viewport is not None:
            return self.watch(viewport).paints
        return sum(f.paints for f in self._filters)


def _spin(app, seconds: float) -> None:
    from PySide6.QtCore import QEventLoop

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def _every_view_live(window) -> None:
    """Put each live panel in a dock of its own (none hidden behind a tab), every toy
    layer and the per-layer gradient norms on, and the latent explorer walking its path."""
    from PySide6.QtCore import Qt

    from ganlab.widgets.toy_view import LAYER_NAMES

    right = Qt.DockWidgetArea.RightDockWidgetArea
    bottom = Qt.DockWidgetArea.BottomDockWidgetArea
    window.addDockWidget(right, window.curves_dock)
    window.splitDockWidget(window.curves_dock, window.metrics_dock, Qt.Orientation.Vertical)
    window.addDockWidget(bottom, window.explorer_dock)
    window.splitDockWidget(window.explorer_dock, window.log_dock, Qt.Orientation.Horizontal)
    for dock in (window.curves_dock, window.metrics_dock, window.explorer_dock, window.log_dock):
        dock.show()
    for name in LAYER_NAMES:
        window.toy_view.set_layer_visible(name, True)
    window.curves.set_per_layer(True)


def _start_walk(explorer) -> bool:
    """Loop the latent explorer's walk; False when it has no path to walk."""
    if not len(explorer.path()):
        return False
    explorer._loop.setChecked(True)
    if not explorer.is_playing():
        explorer._on_play_clicked()
    return explorer.is_playing()


def _pyqtgraph_views(window) -> list:
    import pyqtgraph as pg

    return [v for v in window.findChildren(pg.GraphicsView) if v.isVisible()]


def _curve_points(window) -> int:
    import pyqtgraph as pg

    total = 0
    for view in window.findChildren(pg.GraphicsView):
        for item in view.items():
            if isinstance(item, pg.PlotDataItem):
                x = item.xData
                total += 0 if x is None else len(x)
    return total


def _tracemalloc_top(before, after, n: int = 15) -> str:
    stats = after.compare_to(before, "lineno")
    return "\n".join(str(s) for s in stats[:n])


def run(args: argparse.Namespace) -> int:
    # The window records its runs under the user data folder: keep the soak's out of it.
    if "GANLAB_DATA_DIR" not in os.environ:
        import atexit
        import shutil

        data_dir = tempfile.mkdtemp(prefix="ganlab-soak-")
        os.environ["GANLAB_DATA_DIR"] = data_dir
        atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    import psutil
    from PySide6.QtCore import QSettings

    from ganlab.app.main import application
    from ganlab.app.main_window import MainWindow
    from ganlab.kernel import config as cfg
    from ganlab.kernel.presets import load_preset

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = application(["soak"])
    config = cfg.with_value(load_preset(args.preset), "loop.device", "cpu")
    settings = QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(config, settings=settings, link="process")
    window.resize(*WINDOW_SIZE)
    window.show()
    _every_view_live(window)
    while window.controller.session.info is None:
        _spin(app, 0.05)
    _spin(app, 1.0)
    walking = _start_walk(window.explorer)
    counter = _PaintCounter()
    toy_viewport = window.toy_view.graphics.viewport()
    counter.watch(toy_viewport)
    for view in _pyqtgraph_views(window):
        counter.watch(view.viewport())
    me = psutil.Process()
    trainer_pid = window.controller.trainer_pid()
    trainer = psutil.Process(trainer_pid) if trainer_pid is not None else None

    def rss(process) -> float:
        try:
            return process.memory_info().rss / 2**20 if process is not None else 0.0
        except psutil.Error:
            return 0.0

    print(
        f"soak: preset {args.preset}, {args.minutes:g} min, a sample every {args.every:g} s, "
        f"platform {app.platformName()}, window pid {me.pid}, trainer pid {trainer_pid}, "
        f"explorer walk {'on' if walking else 'OFF (no path)'}, ganlab from "
        f"{Path(sys.modules['ganlab'].__file__ or '').parent}, "
        f"{len(_pyqtgraph_views(window))} pyqtgraph views watched",
        flush=True,
    )
    print(
        "frames/s = repaints of the toy view's viewport (QEvent.Paint); the CSV also has "
        "every view's repaints and the refresh timer's ticks",
        flush=True,
    )
    window.play_action.trigger()
    if args.tracemalloc:
        tracemalloc.start(args.tracemalloc)
    snapshot_1min = None
    samples: list[Sample] = []
    t0 = time.monotonic()
    last_t, last_paints, last_all = t0, 0, 0
    last_ticks, last_step = window.frames_total, window.controller.session.step
    total = args.minutes * 60.0
    next_at = args.every
    while True:
        _spin(app, max(0.0, t0 + next_at - time.monotonic()))
        for view in _pyqtgraph_views(window):  # views made since (the metrics' plots)
            counter.watch(view.viewport())
        now = time.monotonic()
        dt = now - last_t
        paints, every, ticks = counter.count(toy_viewport), counter.count(), window.frames_total
        s = window.controller.session
        sample = Sample(
            minute=(now - t0) / 60.0,
            window_rss_mb=rss(me),
            trainer_rss_mb=rss(trainer),
            fps=(paints - last_paints) / dt,
            all_views_fps=(every - last_all) / dt,
            ticks_per_s=(ticks - last_ticks) / dt,
            steps_per_s=(s.step - last_step) / dt,
            step=s.step,
            py_objects=len(gc.get_objects()),
            scene_items=sum(len(v.items()) for v in window.findChildren(_graphics_view())),
            curve_points=_curve_points(window),
            metric_rows=len(s.metric_steps),
            markers=len(s.markers),
            diagnoses=len(s.diagnoses),
            log_lines=window.log._view.document().blockCount(),
        )
        samples.append(sample)
        last_t, last_paints, last_all, last_ticks, last_step = now, paints, every, ticks, s.step
        print(
            f"{sample.minute:6.2f} min  window {sample.window_rss_mb:7.1f} MB  trainer "
            f"{sample.trainer_rss_mb:7.1f} MB  {sample.fps:5.1f} frames/s  "
            f"{sample.steps_per_s:6.1f} steps/s  step {sample.step}  objects "
            f"{sample.py_objects}  items {sample.scene_items}  points {sample.curve_points}",
            flush=True,
        )
        if args.tracemalloc and snapshot_1min is None and sample.minute >= FIRST_MINUTE:
            snapshot_1min = tracemalloc.take_snapshot()
        if now - t0 >= total - 1e-6:
            break
        next_at = min(next_at + args.every, total)
    if args.tracemalloc and snapshot_1min is not None:
        print("\ntracemalloc: the window process's biggest growth since minute 1")
        print(_tracemalloc_top(snapshot_1min, tracemalloc.take_snapshot()))
        tracemalloc.stop()
    window.close()
    _spin(app, 0.5)

    result = figures(samples)
    csv_path, png_path = out / "soak.csv", out / "soak.png"
    write_csv(samples, csv_path)
    write_png(samples, png_path, _title(args.preset, result))
    print()
    print(report(result))
    print(f"samples {csv_path}\ncurve   {png_path}")
    return 0 if result.memory_ok and result.fps_ok else 1


def _graphics_view():
    import pyqtgraph as pg

    return pg.GraphicsView


def _measure_this_checkout() -> None:
    """Import ganlab from the checkout this script is in (``python benchmarks/soak.py``
    would otherwise take whichever ganlab is installed, maybe another checkout). The
    trainer process runs the window's own ganlab (trainer_link._child_environment)."""
    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="run time (default 60)")
    parser.add_argument("--every", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--preset", default="ring8")
    parser.add_argument(
        "--out",
        default=os.path.join(tempfile.gettempdir(), "ganlab-soak"),
        help="folder for soak.csv and soak.png (default: the temp folder's ganlab-soak)",
    )
    parser.add_argument(
        "--tracemalloc",
        type=int,
        default=0,
        metavar="FRAMES",
        help="trace the window's Python allocations (FRAMES deep) and print the biggest "
        "growth from minute 1 to the end (slows the window: a diagnosis, not a measure)",
    )
    parser.add_argument(
        "--replot",
        metavar="CSV",
        help="only read an earlier run's soak.csv, print its figures and redraw its PNG",
    )
    args = parser.parse_args(argv)
    if args.minutes <= 0 or args.every <= 0:
        parser.error("--minutes and --every must be positive")
    _measure_this_checkout()
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display: draw offscreen
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        # Qt's offscreen screen is 800 x 800: the window would get the compact layout, its
        # views a few hundred pixels. A screen of a desktop's size instead.
        Path(args.out).mkdir(parents=True, exist_ok=True)
        screen = Path(args.out) / "offscreen_screen.json"
        screen.write_text(json.dumps(OFFSCREEN_SCREEN), encoding="utf-8")
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    if args.replot:
        return replot(Path(args.replot), args.preset)
    return run(args)


def replot(csv_path: Path, preset: str) -> int:
    """Print the figures of an earlier run's CSV and redraw its PNG beside it."""
    from PySide6.QtWidgets import QApplication

    samples = read_csv(csv_path)
    result = figures(samples)
    _app = QApplication.instance() or QApplication(["soak"])
    png_path = csv_path.with_suffix(".png")
    write_png(samples, png_path, _title(preset, result))
    print(report(result))
    print(f"curve   {png_path}")
    return 0 if result.memory_ok and result.fps_ok else 1


def _title(preset: str, f: Figures) -> str:
    return (
        f"ganlab soak: {preset}, {f.minutes:.1f} min, window growth {f.window_growth_mb:+.1f} MB, "
        f"trainer growth {f.trainer_growth_mb:+.1f} MB, frames/s last/first {f.fps_ratio:.2f}"
    )


if __name__ == "__main__":
    sys.exit(main())
