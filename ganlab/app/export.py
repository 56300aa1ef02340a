"""Exports of a run's evolution: animated GIF, MP4, PNG and SVG stills, curves as CSV.

Runs in the GUI thread of whatever process has a ``QApplication`` (the window, or
``ganlab export``, which makes an offscreen one): frames are drawn by the window's own
panels (:data:`ganlab.app.panels.PANELS`, or the curves panel), built here once per export,
never shown on screen, and fed the run's recorded history (:class:`ganlab.kernel.history.
History`) through the :class:`~ganlab.app.panels.DataPanel` protocol, exactly as the
window replays a frame. Every frame carries a caption strip above the picture with the step
(and the segment when the run has several), so the text never covers the content.

The work is a generator (:meth:`Export.frames`) that yields after each frame: the command
line drives it to the end with a progress bar (:func:`run_export`); the window drives a
few frames per event-loop turn with a timer (:class:`ExportJob`) so it stays responsive,
and cancelling closes the generator, which removes the unfinished file. Files are written
beside their destination and renamed into place only when complete.

Encoders: Pillow (GIF), PyAV (MP4, H.264 in yuv420p; the wheel brings its own ffmpeg),
Qt (PNG, SVG through QtSvg's ``QSvgGenerator``). No torch here.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEvent,
    QIODevice,
    QObject,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QWidget,
)

from ganlab.app.panels import PANELS
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.errors import GanlabError
from ganlab.kernel.files import atomic_file
from ganlab.kernel.i18n import N_, _, ngettext
from ganlab.kernel.registry import MODEL_FAMILIES
from ganlab.kernel.rundir import metrics_entries
from ganlab.widgets import style

DEFAULT_FPS = 10.0  # frames a second of an animation
MAX_FPS = 60.0
# A GIF frame lasts whole hundredths of a second, and browsers play delays under 2 as 10.
GIF_MAX_FPS = 50.0
DEFAULT_SIZE = (800, 600)  # pixels, caption strip included
MIN_SIZE = (160, 120)
MAX_SIZE = (3840, 2160)
# Frames of the same segment drawn (not kept) before the first kept one: some panels get
# their views in turns (StyleGAN-lite's mixing grid and interpolations come every few
# snapshots), and a still or an animation's first frame should show them all.
PREROLL_FRAMES = 8
FRAMES_PER_TURN = 3  # the window draws this many frames per event-loop turn
MP4_CRF = "18"  # x264 quality (lower is better; 18 keeps thin plot lines and text crisp)
MP4_PRESET = "veryfast"  # x264 speed: plots compress well, fast presets lose little
_CAPTION_BACKGROUND = "#f2f2f2"
_CAPTION_TEXT = "#202020"
_SIZE = re.compile(r"^\s*(\d+)\s*[xX×]\s*(\d+)\s*$")


@dataclass(frozen=True)
class ExportFormat:
    """One kind of file an export writes.

    Attributes
    ----------
    name
        What ``--format`` takes.
    suffix
        The file's extension, with its dot.
    kind
        ``"animation"`` (every frame in the range), ``"still"`` (one frame: the last in
        the range) or ``"table"`` (the curves of metrics.jsonl; no frames needed).
    title
        Words for a menu (a gettext msgid).
    """

    name: str
    suffix: str
    kind: str
    title: str


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("gif", ".gif", "animation", N_("animated GIF")),
        ExportFormat("mp4", ".mp4", "animation", N_("MP4 video (H.264)")),
        ExportFormat("png", ".png", "still", N_("PNG image (one step)")),
        ExportFormat("svg", ".svg", "still", N_("SVG drawing (one step)")),
        ExportFormat("csv", ".csv", "table", N_("CSV table of the curves")),
    )
}

# What ``--view`` takes: the run's data panel (its family's or its data kind's, as in the
# window) or the training curves.
VIEWS: dict[str, str] = {
    "data": N_("the run's data view (samples, D's field, image grids)"),
    "curves": N_("the training curves (losses, D's outputs, gradient norms, learning rates)"),
}


@dataclass(frozen=True)
class ExportOptions:
    """What to export of a run and how (every field has the default of the command).

    Attributes
    ----------
    view
        A key of :data:`VIEWS`.
    fps
        Frames a second of an animation, in (0, :data:`MAX_FPS`].
    size
        (width, height) of every frame in pixels, caption strip included. MP4 rounds
        both down to even numbers (H.264 in yuv420p needs them even).
    first, last
        Keep frames (and CSV rows) at steps in [first, last]; None: unbounded.
    segment
        Keep only the frames (and CSV rows) of this segment (a reset, a rebuild or a
        checkpoint loaded starts a new one, whose steps may start again); None: all.
    """

    view: str = "data"
    fps: float = DEFAULT_FPS
    size: tuple[int, int] = DEFAULT_SIZE
    first: int | None = None
    last: int | None = None
    segment: int | None = None


def parse_size(text: str) -> tuple[int, int]:
    """``"800x600"`` -> (800, 600).

    Raises
    ------
    GanlabError
        Not WIDTHxHEIGHT, or outside :data:`MIN_SIZE` .. :data:`MAX_SIZE`; the message
        names ``--size`` and gives an example.
    """
    match = _SIZE.match(text)
    if match is None:
        raise GanlabError(
            _("--size {value!r}: expected WIDTHxHEIGHT in pixels, e.g. --size 800x600").format(
                value=text
            )
        )
    width, height = int(match.group(1)), int(match.group(2))
    check_size((width, height))
    return width, height


def check_size(size: tuple[int, int]) -> None:
    """Raise GanlabError (naming ``--size``) unless ``size`` is within the limits."""
    (lo_w, lo_h), (hi_w, hi_h) = MIN_SIZE, MAX_SIZE
    width, height = size
    if not (lo_w <= width <= hi_w and lo_h <= height <= hi_h):
        raise GanlabError(
            _(
                "--size {width}x{height}: a frame must be {lo_w}x{lo_h} to {hi_w}x{hi_h} "
                "pixels, e.g. --size 800x600"
            ).format(width=width, height=height, lo_w=lo_w, lo_h=lo_h, hi_w=hi_w, hi_h=hi_h)
        )


def default_out(run_dir: str | Path, fmt: str, view: str = "data") -> Path:
    """Where an export goes when no path is given: ``RUN_DIR/exports/<view><suffix>``
    (``curves.csv`` for CSV)."""
    suffix = FORMATS[fmt].suffix
    name = "curves" if FORMATS[fmt].kind == "table" else view
    return Path(run_dir) / "exports" / f"{name}{suffix}"


def check_run(run_dir: str | Path) -> Path:
    """The run directory, or GanlabError saying why ``run_dir`` is not one."""
    path = Path(run_dir)
    if not path.is_dir():
        raise GanlabError(_("{path}: no such folder").format(path=path))
    if not (path / "experiment.toml").is_file():
        raise GanlabError(
            _(
                "{path}: not a ganlab run directory (no experiment.toml); give the folder "
                "that 'ganlab train' printed as its run directory"
            ).format(path=path)
        )
    return path


def _readable(path: Path) -> None:
    """Give a finished export the permissions of any new file (the temporary file it was
    written as is private to its owner)."""
    umask = os.umask(0)
    os.umask(umask)
    with contextlib.suppress(OSError):
        path.chmod(0o666 & ~umask)


# ---------------------------------------------------------------------- the curves (CSV)


def _segment_of(entry: dict[str, Any]) -> int:
    value = entry.get("segment", entry.get("generation", 0))
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def curve_rows(
    run_dir: str | Path,
    first: int | None = None,
    last: int | None = None,
    segment: int | None = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    """The per-step rows of a run's metrics.jsonl: (column names, rows).

    Columns are the row's scalar keys as metrics.jsonl writes them (``step``, ``time``,
    ``segment``, ``which``, the losses, D's means, gradient norms, loss terms, learning
    rates), in the order they first appear, then the values of the metrics events (``fid``,
    ``kid``, ``jsd``, ...: the Metrics panel's curves) on the row of their step, empty on
    other rows (a metrics event at a step without a row gets a row of its own). The
    per-layer gradient norms (nested objects) and the other events are left out. Runs of
    earlier versions that called the segment "generation" get a ``segment`` column. When
    a resumed run wrote a step again, the newer row replaces the older ones of its segment
    from that step on, and the older metrics with them (as the window's curves read it).
    Unreadable lines are skipped. ``first``/``last`` bound the steps and ``segment``
    keeps one segment's rows (None: every one).

    Raises
    ------
    GanlabError
        No metrics.jsonl, or it cannot be read.
    """
    path = Path(run_dir) / "metrics.jsonl"
    if not path.is_file():
        raise GanlabError(
            _("{path}: no such file (is {folder} a ganlab run?)").format(
                path=path, folder=path.parent
            )
        )
    names: dict[str, None] = {}
    metric_names: dict[str, None] = {}
    segments: dict[int, list[dict[str, Any]]] = {}
    metrics: dict[int, dict[int, dict[str, Any]]] = {}  # segment -> step -> values
    order: list[int] = []
    try:
        for entry in metrics_entries(path):
            if not isinstance(entry.get("step"), int):
                continue
            entry_segment = _segment_of(entry)
            if entry_segment not in order:
                order.append(entry_segment)
            if entry.get("event") == "metrics":
                values = {
                    k: v
                    for k, v in entry.items()
                    if k not in _METRICS_EVENT_META and not isinstance(v, dict | list)
                }
                for key in values:
                    metric_names.setdefault(key, None)
                metrics.setdefault(entry_segment, {}).setdefault(entry["step"], {}).update(values)
                continue
            if "event" in entry:
                continue
            row = {
                ("segment" if k == "generation" else k): v
                for k, v in entry.items()
                if not isinstance(v, dict | list)
            }
            row["segment"] = entry_segment
            for key in row:
                names.setdefault(key, None)
            rows = segments.setdefault(entry_segment, [])
            if rows and rows[-1]["step"] >= row["step"]:
                # A resumed run's newer rows (and metrics) replace the older ones.
                while rows and rows[-1]["step"] >= row["step"]:
                    rows.pop()
                older = metrics.get(entry_segment, {})
                for step in [s for s in older if s >= row["step"]]:
                    del older[step]
            rows.append(row)
    except OSError as exc:
        raise GanlabError(
            _("{path}: cannot read the run's history: {error}").format(path=path, error=exc)
        ) from None
    for key in metric_names:
        names.setdefault(key, None)
    kept = [
        row
        for n in order
        if segment is None or n == segment
        for row in _with_metrics(segments.get(n, []), metrics.get(n, {}), n)
        if (first is None or row["step"] >= first) and (last is None or row["step"] <= last)
    ]
    return list(names), kept


_METRICS_EVENT_META = frozenset({"event", "step", "segment", "generation", "time"})


def _with_metrics(
    rows: list[dict[str, Any]], metrics: dict[int, dict[str, Any]], segment: int
) -> list[dict[str, Any]]:
    """A segment's rows with its metrics events' values merged in by step, in step order."""
    if not metrics:
        return rows
    by_step = {row["step"]: row for row in rows}
    merged = list(rows)
    for step, values in metrics.items():
        if step in by_step:
            by_step[step].update(values)
        else:
            merged.append({"step": step, "segment": segment, **values})
    merged.sort(key=lambda row: row["step"])
    return merged


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    return str(value)


def write_curves_csv(out: Path, names: list[str], rows: list[dict[str, Any]]) -> None:
    """Write the rows of :func:`curve_rows` as CSV (a header line, one row per step)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_value(row.get(name)) for name in names])
    with atomic_file(out) as fh:
        fh.write(text.getvalue().encode("utf-8"))
    _readable(out)


# ---------------------------------------------------------------------- drawing frames


def _hide_controls(panel: QWidget) -> None:
    """A picture of a panel leaves out what only answers the hand: buttons, sliders,
    combo boxes, spin boxes, and whatever the panel names itself (its optional
    ``export_hidden()``, e.g. pix2pix's sketch pad)."""
    for kind in (QAbstractButton, QAbstractSlider, QComboBox, QAbstractSpinBox):
        for child in panel.findChildren(kind):
            child.hide()
    hidden = getattr(panel, "export_hidden", None)
    if callable(hidden):
        for child in hidden():
            child.hide()
    prepare = getattr(panel, "prepare_export", None)
    if callable(prepare):
        prepare()


def _build_offscreen(make: Callable[[], QWidget], size: QSize) -> QWidget:
    widget = make()
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    _hide_controls(widget)
    widget.resize(size)
    widget.show()  # laid out and polished, never on a screen
    return widget


def _settle() -> None:
    """Let the panel's layouts follow what it was just given before it is painted."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


class FrameDrawer:
    """Draws frames of one run: a view's panel below a caption strip. GUI thread.

    Parameters
    ----------
    history
        The run's history (``ganlab.kernel.history.History``: ``frames()``,
        ``load(frame)``, ``segment(n)``).
    run_dir
        The run directory (the curves view reads its metrics.jsonl).
    view
        A key of :data:`VIEWS`.
    size
        (width, height) of a frame in pixels.
    segments
        How many segments the run has: "segment k" is drawn only when more than one.

    Attributes
    ----------
    until
        segment -> the last step the export draws of it: the curves view's x axis ends
        there (missing: the panel's own headroom past the newest step).
    """

    def __init__(
        self,
        history: Any,
        run_dir: Path,
        view: str,
        size: tuple[int, int],
        segments: int,
    ) -> None:
        style.configure_pyqtgraph()  # the window's look (white plots), also without a window
        self.history = history
        self.run_dir = run_dir
        self.view = view
        self.width, self.height = size
        self.strip = max(18, round(self.height * 0.06))
        self.segments = segments
        self._panels: dict[str, QWidget] = {}
        self._segment: int | None = None
        self._info: rep.SegmentStarted | None = None
        self._panel: Any = None
        self._curves: tuple[np.ndarray, dict[str, np.ndarray]] | None = None
        self.until: dict[int, int] = {}

    @property
    def segment(self) -> int | None:
        """The segment the panel is set up for (None before the first)."""
        return self._segment

    @property
    def picture_size(self) -> QSize:
        return QSize(self.width, self.height - self.strip)

    def close(self) -> None:
        """Destroy the panels built for this export."""
        for panel in self._panels.values():
            panel.close()
            panel.deleteLater()
        self._panels.clear()
        self._panel = None

    def _panel_for(self, key: str) -> Any:
        if key not in self._panels:
            if self.view == "curves":
                from ganlab.widgets.curves import CurvesPanel

                make: Callable[[], QWidget] = CurvesPanel
            else:
                make = PANELS[key]
            self._panels[key] = _build_offscreen(make, self.picture_size)
        return self._panels[key]

    def begin_segment(self, segment: int) -> bool:
        """Set the panel up for ``segment``; False when the history lacks its start."""
        if segment == self._segment:
            return self._info is not None
        self._segment = segment
        info = self.history.segment(segment)
        self._info = info
        if info is None:
            return False
        family = MODEL_FAMILIES.get(cfg.loads(info.config_toml).model.family)
        if self.view == "curves":
            from ganlab.kernel.rundir import HISTORY_COLUMNS, read_history

            panel = self._panel_for("curves")
            panel.clear()
            panel.set_loss_terms(family.loss_terms)
            panel.set_output_kind(info.output_kind)
            past = read_history(self.run_dir, segment=segment)
            self._curves = (past.steps, {k: past.columns[k] for k in HISTORY_COLUMNS})
            # The x axis spans what the export shows of the segment, not the window's
            # headroom for a run still growing.
            panel.set_x_end(self.until.get(segment))
        else:
            panel = self._panel_for(info.panel or info.data_kind)
            panel.clear()
            panel.show_segment(info, family)
            panel.show_real(info)
        self._panel = panel
        return True

    def feed(self, snapshot: Any) -> None:
        """Give the panel one snapshot of the current segment (drawn, not yet kept)."""
        if self.view == "curves":
            assert self._curves is not None
            steps, columns = self._curves
            n = int(np.searchsorted(steps, snapshot.step, side="right"))
            self._panel.set_data(steps[:n], {k: v[:n] for k, v in columns.items()})
        else:
            self._panel.show_snapshot(snapshot)

    def caption(self, segment: int, step: int) -> str:
        text = _("step {step}").format(step=step)
        if self.segments > 1:
            text = _("{step_text} · segment {segment}").format(step_text=text, segment=segment)
        return text

    def paint(self, painter: QPainter, segment: int, step: int) -> None:
        """Paint the caption strip and the panel as it is now onto ``painter``."""
        _settle()
        painter.fillRect(QRect(0, 0, self.width, self.strip), QColor(_CAPTION_BACKGROUND))
        font = QFont(painter.font())
        font.setPixelSize(max(11, round(self.strip * 0.62)))
        painter.setFont(font)
        painter.setPen(QColor(_CAPTION_TEXT))
        margin = max(4, self.strip // 3)
        text_rect = QRect(margin, 0, self.width - 2 * margin, self.strip)
        align = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(text_rect, align | Qt.AlignmentFlag.AlignLeft, self.caption(segment, step))
        painter.drawText(text_rect, align | Qt.AlignmentFlag.AlignRight, self.run_dir.name)
        self._panel.render(painter, QPoint(0, self.strip))

    def image(self, segment: int, step: int) -> QImage:
        """The frame as an RGB image of the export's size."""
        image = QImage(self.width, self.height, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            self.paint(painter, segment, step)
        finally:
            painter.end()
        return image


def rgb_array(image: QImage) -> np.ndarray:
    """(height, width, 3) uint8 copy of ``image``."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    height, width, stride = rgb.height(), rgb.width(), rgb.bytesPerLine()
    data = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=stride * height)
    return data.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()


# ---------------------------------------------------------------------- encoders


class _GifWriter:
    """Collects palette frames (1 byte a pixel) and writes the GIF at the end."""

    def __init__(self, fh: Any, size: tuple[int, int], fps: float) -> None:
        self.fh, self.fps = fh, fps
        self.frames: list[Any] = []

    def add(self, image: QImage) -> None:
        from PIL import Image

        frame = Image.fromarray(rgb_array(image), "RGB")
        # Median cut keeps D's smooth field smooth (the fast octree turned the colours
        # near D = 1/2 into white blocks); the palette is found on a quarter-size copy
        # (12 ms instead of 43 ms a frame at 800x600) and the frame mapped onto it.
        palette = frame.reduce(4).quantize(256, method=Image.Quantize.MEDIANCUT)
        self.frames.append(frame.quantize(palette=palette, dither=Image.Dither.NONE))

    def finish(self) -> None:
        first, *rest = self.frames
        first.save(
            self.fh,
            format="GIF",
            save_all=True,
            append_images=rest,
            duration=round(1000.0 / self.fps),
            loop=0,
            optimize=False,
        )


class _Mp4Writer:
    """H.264 in yuv420p through PyAV, frame by frame (nothing kept in memory)."""

    def __init__(self, fh: Any, size: tuple[int, int], fps: float) -> None:
        from fractions import Fraction

        import av

        self.container = av.open(fh, mode="w", format="mp4")
        rate = Fraction(fps).limit_denominator(1001)
        self.stream = self.container.add_stream("libx264", rate=rate)
        self.stream.width, self.stream.height = size
        self.stream.pix_fmt = "yuv420p"
        self.stream.options = {"crf": MP4_CRF, "preset": MP4_PRESET}
        self._frame_type = av.VideoFrame

    def add(self, image: QImage) -> None:
        frame = self._frame_type.from_ndarray(rgb_array(image), format="rgb24")
        for packet in self.stream.encode(frame):
            self.container.mux(packet)

    def finish(self) -> None:
        for packet in self.stream.encode(None):
            self.container.mux(packet)
        self.container.close()

    def abandon(self) -> None:
        self.container.close()


_ANIMATION_WRITERS: dict[str, Callable[[Any, tuple[int, int], float], Any]] = {
    "gif": _GifWriter,
    "mp4": _Mp4Writer,
}


def _write_png(fh: Any, drawer: FrameDrawer, segment: int, step: int) -> None:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not drawer.image(segment, step).save(buffer, "PNG"):
        raise GanlabError(_("could not encode the PNG image"))
    buffer.close()
    fh.write(bytes(data.data()))


@contextlib.contextmanager
def _symbols_as_vectors(widget: QWidget) -> Iterator[None]:
    """While drawing an SVG: scatter markers as shapes. pyqtgraph draws them from a
    cached atlas image, which an SVG would embed once per marker, whole (every shape)."""
    import pyqtgraph as pg

    items = [
        item
        for view in widget.findChildren(pg.GraphicsView)
        for item in view.scene().items()
        if isinstance(item, pg.ScatterPlotItem)
    ]
    for item in items:
        item.setExportMode(True, {"antialias": True})  # the way pyqtgraph's exporters draw
    try:
        yield
    finally:
        for item in items:
            item.setExportMode(False)


def _write_svg(fh: Any, drawer: FrameDrawer, segment: int, step: int) -> None:
    from PySide6.QtSvg import QSvgGenerator

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(drawer.width, drawer.height))
    generator.setViewBox(QRect(0, 0, drawer.width, drawer.height))
    generator.setTitle(f"ganlab — {drawer.run_dir.name}")
    generator.setDescription(drawer.caption(segment, step))
    painter = QPainter()
    if not painter.begin(generator):
        raise GanlabError(_("could not start the SVG drawing"))
    try:
        painter.fillRect(QRect(0, 0, drawer.width, drawer.height), QColor("white"))
        with _symbols_as_vectors(drawer._panel):
            drawer.paint(painter, segment, step)
    finally:
        painter.end()
    buffer.close()
    svg = bytes(data.data())
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise GanlabError(
            _("the SVG drawing came out malformed: {error}").format(error=exc)
        ) from None
    if not root.tag.endswith("svg"):
        raise GanlabError(_("the SVG drawing came out malformed: no <svg> element"))
    fh.write(svg)


_STILL_WRITERS: dict[str, Callable[[Any, FrameDrawer, int, int], None]] = {
    "png": _write_png,
    "svg": _write_svg,
}


# ---------------------------------------------------------------------- one export


def _open_history(run_dir: Path) -> Any:
    from ganlab.kernel.history import History

    return History(run_dir)


class Export:
    """One export of one run, prepared and checked; :meth:`frames` does the work.

    Parameters
    ----------
    run_dir
        A run directory.
    fmt
        A key of :data:`FORMATS`.
    out
        The file to write; None: :func:`default_out`.
    options
        View, frame rate, size, step range.
    history
        The run's history (default: ``History(run_dir)``); tests may pass another
        object with the same ``frames`` / ``load`` / ``segment`` methods.

    Raises
    ------
    GanlabError
        Not a run; no history for a format that draws frames (runs recorded before
        this version have none); no frame in the step range; a bad size, rate, view or
        format. Each message names the path or the option and the fix.
    """

    def __init__(
        self,
        run_dir: str | Path,
        fmt: str,
        out: str | Path | None = None,
        options: ExportOptions | None = None,
        *,
        history: Any = None,
    ) -> None:
        options = options or ExportOptions()
        self.run_dir = check_run(run_dir)
        if fmt not in FORMATS:
            raise GanlabError(
                _("unknown format {name!r}; choose one of {names}").format(
                    name=fmt, names=", ".join(FORMATS)
                )
            )
        if options.view not in VIEWS:
            raise GanlabError(
                _("--view {name!r}: unknown view; choose one of {names}").format(
                    name=options.view, names=", ".join(VIEWS)
                )
            )
        if not (0 < options.fps <= MAX_FPS) or not math.isfinite(options.fps):
            raise GanlabError(
                _("--fps {value}: give a rate above 0 and at most {most}").format(
                    value=f"{options.fps:g}", most=f"{MAX_FPS:g}"
                )
            )
        check_size(options.size)
        if options.first is not None and options.last is not None and options.first > options.last:
            raise GanlabError(
                _("--from {first} is after --to {last}: give --from at most --to").format(
                    first=options.first, last=options.last
                )
            )
        self.format = FORMATS[fmt]
        if fmt == "mp4":  # yuv420p halves the colour planes: both sides must be even
            width, height = options.size
            options = replace(options, size=(width - width % 2, height - height % 2))
        self.options = options
        self.out = Path(out) if out is not None else default_out(self.run_dir, fmt, options.view)
        if self.out.is_dir():
            raise GanlabError(
                _("{path}: is a folder; give --out a file name ending in {suffix}").format(
                    path=self.out, suffix=self.format.suffix
                )
            )
        other = {f.suffix for f in FORMATS.values()} - {self.format.suffix}
        if self.out.suffix.lower() in other:
            raise GanlabError(
                _(
                    "{path}: the name says {named} but the format is {fmt}; end the name "
                    "in {suffix}, or choose the format its name says"
                ).format(path=self.out, named=self.out.suffix, fmt=fmt, suffix=self.format.suffix)
            )
        if fmt == "gif" and options.fps > GIF_MAX_FPS:
            raise GanlabError(
                _(
                    "--fps {value}: a GIF plays at most {most} frames a second (browsers "
                    "slow faster ones down to 10); use --format mp4 for more"
                ).format(value=f"{options.fps:g}", most=f"{GIF_MAX_FPS:g}")
            )
        self.chosen: list[Any] = []  # the history frames drawn and kept, in order
        self._history = None
        self._all: list[Any] = []
        if self.format.kind == "table":
            self._names, self._rows = curve_rows(
                self.run_dir, options.first, options.last, options.segment
            )
            if not self._rows:
                raise GanlabError(self._no_rows_message())
            self.total = 1
            return
        self._history = history if history is not None else _open_history(self.run_dir)
        self._all = list(self._history.frames())
        if not self._all:
            raise GanlabError(
                _(
                    "{path}: this run has no recorded frames (no history folder, or an "
                    "empty one); runs recorded before this version of ganlab have none. "
                    "Train it on with 'ganlab train --resume {path} --steps N' to record "
                    "frames from now on; '--format csv' exports its curves as they are"
                ).format(path=self.run_dir)
            )
        first, last = options.first, options.last
        if options.segment is not None:
            segments = sorted({f.segment for f in self._all})
            if options.segment not in segments:
                raise GanlabError(
                    _(
                        "--segment {segment}: {path} has no recorded frame of that segment; "
                        "its frames are of segment {segments}"
                    ).format(
                        segment=options.segment,
                        path=self.run_dir,
                        segments=", ".join(str(n) for n in segments),
                    )
                )
        kept = [f for f in self._all if options.segment is None or f.segment == options.segment]
        in_range = [
            f
            for f in kept
            if (first is None or f.step >= first) and (last is None or f.step <= last)
        ]
        if not in_range:
            steps = [f.step for f in kept]
            raise GanlabError(
                _(
                    "no recorded frame between step {first} and step {last} in {path} (its "
                    "frames run from step {lo} to step {hi}); widen --from/--to"
                ).format(
                    first=first if first is not None else min(steps),
                    last=last if last is not None else max(steps),
                    path=self.run_dir,
                    lo=min(steps),
                    hi=max(steps),
                )
            )
        self.chosen = in_range if self.format.kind == "animation" else in_range[-1:]
        self.total = len(self.chosen) + 1  # every frame, and writing the file

    def _no_rows_message(self) -> str:
        first, last = self.options.first, self.options.last
        if self.options.segment is not None:
            segments = sorted({row["segment"] for row in curve_rows(self.run_dir)[1]})
            if segments and self.options.segment not in segments:
                return _(
                    "--segment {segment}: {path} has no step of that segment; its steps "
                    "are of segment {segments}"
                ).format(
                    segment=self.options.segment,
                    path=self.run_dir / "metrics.jsonl",
                    segments=", ".join(str(n) for n in segments),
                )
        if first is None and last is None:
            return _("{path}: metrics.jsonl holds no steps yet; train the run first").format(
                path=self.run_dir / "metrics.jsonl"
            )
        return _(
            "{path}: no step between {first} and {last} in metrics.jsonl; widen --from/--to"
        ).format(
            path=self.run_dir / "metrics.jsonl",
            first=first if first is not None else "…",
            last=last if last is not None else "…",
        )

    def describe(self) -> str:
        """One line: what is written where."""
        if self.format.kind == "table":
            return ngettext(
                "{path}: {n} row of curves", "{path}: {n} rows of curves", len(self._rows)
            ).format(path=self.out, n=len(self._rows))
        width, height = self.options.size
        return ngettext(
            "{path}: {n} frame of {width}x{height}",
            "{path}: {n} frames of {width}x{height}",
            len(self.chosen),
        ).format(path=self.out, n=len(self.chosen), width=width, height=height)

    def frames(self) -> Iterator[tuple[int, int]]:
        """Do the export, yielding ``(done, total)`` after each frame and at the end.

        Closing the generator early (``close()``, or dropping it) leaves no file behind.
        The history may thin a frame away meanwhile (a live run): it is skipped, and the
        total shrinks with it.
        """
        if self.format.kind == "table":
            write_curves_csv(self.out, self._names, self._rows)
            yield 1, 1
            return
        segments = len({f.segment for f in self._all})
        drawer = FrameDrawer(
            self._history, self.run_dir, self.options.view, self.options.size, segments
        )
        for f in self.chosen:
            drawer.until[f.segment] = max(drawer.until.get(f.segment, f.step), f.step)
        try:
            yield from self._draw(drawer)
        finally:
            drawer.close()

    def _preroll(self, drawer: FrameDrawer, frame: Any) -> None:
        """Feed the frames of ``frame``'s segment just before it (see PREROLL_FRAMES)."""
        index = self._all.index(frame)
        before = [
            f
            for f in self._all[max(0, index - PREROLL_FRAMES) : index]
            if f.segment == frame.segment
        ]
        for f in before:
            snapshot = self._history.load(f)
            if snapshot is not None:
                drawer.feed(snapshot)

    def _draw(self, drawer: FrameDrawer) -> Iterator[tuple[int, int]]:
        total = self.total
        suffix = self.format.suffix
        with atomic_file(self.out, suffix=suffix) as fh:
            writer = None
            if self.format.kind == "animation":
                writer = _ANIMATION_WRITERS[self.format.name](
                    fh, self.options.size, self.options.fps
                )
            done = 0
            kept = 0
            try:
                for i, frame in enumerate(self.chosen):
                    fresh = frame.segment != drawer.segment
                    if not drawer.begin_segment(frame.segment):
                        total -= 1
                        continue
                    if i == 0 or fresh:
                        self._preroll(drawer, frame)
                    snapshot = self._history.load(frame)
                    if snapshot is None:
                        total -= 1
                        continue
                    drawer.feed(snapshot)
                    if writer is not None:
                        writer.add(drawer.image(frame.segment, frame.step))
                    else:
                        _STILL_WRITERS[self.format.name](fh, drawer, frame.segment, frame.step)
                    kept += 1
                    done += 1
                    yield done, total
                if kept == 0:
                    raise GanlabError(
                        _(
                            "{path}: the frames in the range could not be read (removed or "
                            "damaged meanwhile); try again, or widen --from/--to"
                        ).format(path=self.run_dir)
                    )
                if writer is not None:
                    writer.finish()
            except BaseException:
                if isinstance(writer, _Mp4Writer):
                    writer.abandon()
                raise
        _readable(self.out)
        yield total, total


def run_export(
    run_dir: str | Path,
    fmt: str,
    out: str | Path | None = None,
    options: ExportOptions | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    history: Any = None,
) -> Path:
    """Export ``run_dir`` in one go (see :class:`Export`); returns the file written.

    ``progress(done, total)`` is called after each frame and once at the end with
    ``done == total``. Needs a ``QApplication`` (any platform, offscreen included).
    """
    export = Export(run_dir, fmt, out, options, history=history)
    for done, total in export.frames():
        if progress is not None:
            progress(done, total)
    return export.out


class ExportJob(QObject):
    """An :class:`Export` driven by a timer in the GUI thread, a few frames a turn.

    Signals
    -------
    progress_changed(int, int)
        ``(done, total)`` after each frame.
    finished(str)
        The file written.
    failed(str)
        Why the export stopped (a message for the user).
    """

    progress_changed = Signal(int, int)
    finished = Signal(str)
    failed = Signal(str)

    def __init__(self, export: Export, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.export = export
        self._work: Iterator[tuple[int, int]] | None = export.frames()
        self._timer = QTimer(self)
        self._timer.setInterval(0)  # as soon as the event loop has nothing else to do
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        self._timer.start()

    def is_running(self) -> bool:
        return self._work is not None

    def cancel(self) -> None:
        """Stop now and remove the unfinished file."""
        self._timer.stop()
        if self._work is not None:
            work, self._work = self._work, None
            work.close()  # type: ignore[attr-defined]

    def _on_timer_timeout(self) -> None:
        if self._work is None:
            self._timer.stop()
            return
        try:
            for _turn in range(FRAMES_PER_TURN):
                done, total = next(self._work)
                self.progress_changed.emit(done, total)
                if done >= total:
                    self._timer.stop()
                    work, self._work = self._work, None
                    work.close()  # type: ignore[attr-defined]  # the drawer's panels go
                    self.finished.emit(str(self.export.out))
                    return
        except StopIteration:
            self._timer.stop()
            self._work = None
            self.finished.emit(str(self.export.out))
        except Exception as exc:
            # Any failure ends the job and is said to the user (GanlabError and OSError
            # explain themselves; an encoder's own error is named by its type). The
            # generator is finished, so its unfinished file is gone.
            self._timer.stop()
            self._work = None
            text = str(exc)
            if not isinstance(exc, GanlabError | OSError):
                text = f"{type(exc).__name__}: {text}"
            self.failed.emit(text)


class ExportFlow(QObject):
    """File › Export evolution… in the window: the dialog, then the export with a
    cancellable progress dialog, the window staying responsive (GUI thread).

    Parameters
    ----------
    run_dir
        The run the window shows.
    log
        ``log(message, level)``: the window's log ("info", "error").
    parent
        The window (the dialogs' parent).
    """

    def __init__(self, run_dir: Path, log: Callable[[str, str], None], parent: QWidget) -> None:
        super().__init__(parent)
        self.run_dir = Path(run_dir)
        self.log = log
        self.window = parent
        self.job: ExportJob | None = None
        self.progress: Any = None
        self.dialog: Any = None

    def open(self) -> None:
        """Show the dialog (window-modal); an accepted one starts the export."""
        from ganlab.kernel.history import History, history_note
        from ganlab.widgets.export_dialog import ExportDialog

        try:
            check_run(self.run_dir)
        except GanlabError as exc:
            self.log(str(exc), "error")
            return
        frames = History(self.run_dir).frames()
        steps = [f.step for f in frames]
        segments: dict[int, tuple[int, int]] = {}
        for f in frames:
            a, b = segments.get(f.segment, (f.step, f.step))
            segments[f.segment] = (min(a, f.step), max(b, f.step))
        formats = [(f.name, _(f.title), f.suffix, f.kind) for f in FORMATS.values()]
        views = [(name, _(words)) for name, words in VIEWS.items()]
        self.dialog = ExportDialog(
            formats,
            views,
            (min(steps), max(steps)) if steps else None,
            self.run_dir / "exports",
            note=history_note(self.run_dir) or "",
            size=DEFAULT_SIZE,
            fps=DEFAULT_FPS,
            parent=self.window,
            segments=segments,
        )
        self.dialog.accepted.connect(self._on_dialog_accepted)
        self.dialog.open()

    def _on_dialog_accepted(self) -> None:
        choice = self.dialog.choice()
        self.start(
            choice.fmt,
            choice.path,
            ExportOptions(
                view=choice.view,
                fps=choice.fps,
                size=choice.size,
                first=choice.first,
                last=choice.last,
                segment=choice.segment,
            ),
        )

    def start(self, fmt: str, out: Path, options: ExportOptions) -> bool:
        """Start an export (without the dialog); False, said in the log, if refused."""
        from PySide6.QtWidgets import QProgressDialog

        try:
            export = Export(self.run_dir, fmt, out, options)
        except GanlabError as exc:
            self.log(str(exc), "error")
            return False
        self.job = ExportJob(export, self)
        self.progress = QProgressDialog(
            self.tr("Exporting {path}…").format(path=export.out),
            self.tr("Cancel"),
            0,
            export.total,
            self.window,
        )
        self.progress.setWindowTitle(self.tr("Export evolution"))
        self.progress.setMinimumDuration(500)  # a quick export shows no dialog at all
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self._on_progress_canceled)
        self.job.progress_changed.connect(self._on_job_progress_changed)
        self.job.finished.connect(self._on_job_finished)
        self.job.failed.connect(self._on_job_failed)
        self.job.start()
        return True

    def _on_job_progress_changed(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(total)
            self.progress.setValue(done)

    def _on_progress_canceled(self) -> None:
        if self.job is not None and self.job.is_running():
            self.job.cancel()
            self.log(self.tr("Export cancelled; nothing was written."), "info")
        self._close_progress()

    def _on_job_finished(self, path: str) -> None:
        self._close_progress()
        self.log(self.tr("Exported {path}").format(path=path), "info")

    def _on_job_failed(self, message: str) -> None:
        self._close_progress()
        self.log(self.tr("Export failed: {message}").format(message=message), "error")

    def _close_progress(self) -> None:
        if self.progress is not None:
            progress, self.progress = self.progress, None
            progress.canceled.disconnect(self._on_progress_canceled)
            progress.close()
            progress.deleteLater()
