"""TensorBoard event files for a run directory: written live, or converted afterwards. No Qt.

Owns the mapping from a run to TensorBoard's event format, used two ways:

- :class:`TensorBoardWriter`, which the recorder (``ganlab.engine.recorder``, in the
  trainer's process) feeds as the run goes: it queues what it is given (already built
  rows, frozen snapshot reports) and writes it in batches every few seconds, in the
  recorder's thread (or, asked, a thread of its own); images and histograms at most
  every :data:`IMAGES_EVERY_S`.
- :func:`export_run`, which converts a run directory that exists already (recorded with
  TensorBoard absent, or from before this module), in the calling thread.

What a run becomes (the same both ways)::

    scalars      the rows of metrics.jsonl at their steps, under the rows' own key names
                 (a live run: ten rows a second, ROWS_EVERY_S; an export: every row)
                 (d_loss, g_loss, grad_norm_d, ..., lr_d, lr_g); per-layer norms as
                 grad_norm_d_layers/<layer>; each "metrics" event's values (jsd, fid, ...)
    images       "samples": the fixed-noise sample grid (one image per snapshot);
                 families with panels of their own: their (N, H, W, C) rows as one grid,
                 or one "samples/<name>" grid each when the shapes differ; 2-D toy runs:
                 "samples": D's field in grey with the real (green) and generated
                 (magenta) points
    histograms   "d_output/real", "d_output/fake": D's outputs on a real and a generated
                 batch (image runs). Toy runs: D's field interpolated (linearly, from its
                 evaluation grid) at the fixed real samples and at the generated samples.

The event files go straight into the run directory, so ``tensorboard --logdir runs/``
lists each run under its folder's name. A new segment (a reset, a rebuild, a checkpoint
loaded, a resumed run) writes TensorBoard's "session start" at its step, which tells
TensorBoard to drop what the file holds from that step on, as the window does.

TensorBoard is optional (``pip install "ganlab[tensorboard]"``): it is imported lazily,
and without it a run writes no event files and nothing fails.
"""

from __future__ import annotations

import collections
import contextlib
import importlib.util
import io
import math
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ganlab.kernel import reports as rep
from ganlab.kernel.errors import GanlabError
from ganlab.kernel.i18n import N_, _
from ganlab.kernel.rundir import metrics_entries

# What a person types to get TensorBoard (said by the CLI and in errors).
INSTALL_HINT = 'pip install "ganlab[tensorboard]"'
# The file name prefix TensorBoard looks for; our suffix tells our files from others'.
EVENTS_PREFIX = "events.out.tfevents."
EVENTS_SUFFIX = ".ganlab"
# Live runs: at most one sample grid and one pair of histograms per this many seconds
# (TensorBoard keeps 10 images per tag unless told --samples_per_plugin images=N).
IMAGES_EVERY_S = 10.0
# Live runs: scalar rows at least this far apart (seconds of the run): ten a second.
ROWS_EVERY_S = 0.1
# Live runs: what is queued is written at least this often (seconds).
FLUSH_EVERY_S = 2.0
# Live runs: write from a thread of the writer's own (see TensorBoardWriter).
THREADED = False
# Histogram buckets over [min, max] of the values.
HISTOGRAM_BINS = 30
# Toy runs' picture: pixels per side.
TOY_IMAGE_SIZE = 256
# Keys of a metrics.jsonl entry that are not measurements.
_META_KEYS = frozenset({"event", "step", "time", "segment"})
# SegmentStarted reasons that (re)start the curves at their step.
_RESTARTS = frozenset({"start", "reset", "rebuild", "checkpoint"})

_FIX_WRITE = N_("Free some disk space, or make the folder writable.")  # as the recorder's
_MISSING = N_(
    "TensorBoard is not installed; install it with: {hint} (the optional extra 'tensorboard')"
)


class TensorBoardMissingError(GanlabError):
    """The ``tensorboard`` package cannot be imported (the message names the extra)."""


def available() -> bool:
    """True when the ``tensorboard`` package can be imported (nothing is imported)."""
    if "tensorboard" in sys.modules:
        return sys.modules["tensorboard"] is not None  # None: imports of it are refused
    try:
        return importlib.util.find_spec("tensorboard") is not None
    except (ImportError, ValueError):
        return False


def note(run_path: str | Path) -> str:
    """One line for ``ganlab train``: how to watch the run in TensorBoard, or how to get
    TensorBoard when it is not installed."""
    if available():
        return _("ganlab: TensorBoard: tensorboard --logdir {folder}").format(
            folder=Path(run_path).parent
        )
    return _("ganlab: no TensorBoard event files; to get them: {hint}").format(hint=INSTALL_HINT)


def _protos() -> Any:
    """TensorBoard's protocol buffers (a module-like namespace); ImportError if absent.

    Only TensorBoard's own compat modules, never ``tensorboard.compat.tf``, which would
    import TensorFlow where it is installed.
    """
    from tensorboard.compat.proto import event_pb2, summary_pb2

    class Protos:
        Event = event_pb2.Event
        SessionLog = event_pb2.SessionLog
        Summary = summary_pb2.Summary
        HistogramProto = summary_pb2.HistogramProto

    return Protos


def _require() -> Any:
    """:func:`_protos`, or :class:`TensorBoardMissingError`."""
    try:
        if not available():  # also when its modules are loaded but imports are refused
            raise ImportError("tensorboard")
        return _protos()
    except ImportError:
        raise TensorBoardMissingError(_(_MISSING).format(hint=INSTALL_HINT)) from None


# ---------------------------------------------------------------------------- content


def scalars(entry: dict[str, Any]) -> dict[str, float]:
    """The scalars of one metrics.jsonl entry, under the entry's own keys.

    A row (no ``event`` key) or a ``metrics`` event gives its numbers; nested mappings of
    numbers (the per-layer gradient norms) give ``key/name``; ``step``, ``time`` and
    ``segment`` are where and when, not measurements; null (NaN) values are left out.
    Any other event gives nothing.
    """
    if entry.get("event") not in (None, "metrics"):
        return {}
    out: dict[str, float] = {}
    for key, value in entry.items():  # once per row: kept to plain type tests
        kind = type(value)
        if kind is float or kind is int:
            if key not in _META_KEYS and _finite(value):
                out[key] = float(value)
        elif kind is dict:
            for name, inner in value.items():
                if _is_number(inner):
                    out[f"{key}/{name}"] = float(inner)
        elif _is_number(value) and key not in _META_KEYS:  # a subclass (numpy float64)
            out[key] = float(value)
    return out


_finite = math.isfinite


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and _finite(value)


def grid(images: np.ndarray, columns: int | None = None, pad: int = 2) -> np.ndarray:
    """Tile images into one picture.

    Parameters
    ----------
    images
        (N, H, W, C) uint8, C 1, 3 or 4.
    columns
        Images per row; default the smallest square that holds N.
    pad
        Pixels of black between images and around them.

    Returns
    -------
    numpy.ndarray
        (rows * (H + pad) + pad, columns * (W + pad) + pad, C) uint8.
    """
    n, h, w, c = images.shape
    columns = max(1, min(columns or math.ceil(math.sqrt(n)), n))
    rows = math.ceil(n / columns)
    out = np.zeros((rows * (h + pad) + pad, columns * (w + pad) + pad, c), np.uint8)
    for i in range(n):
        r, k = divmod(i, columns)
        y, x = pad + r * (h + pad), pad + k * (w + pad)
        out[y : y + h, x : x + w] = images[i]
    return out


def _is_images(array: Any) -> bool:
    return (
        isinstance(array, np.ndarray)
        and array.dtype == np.uint8
        and array.ndim == 4
        and array.shape[0] > 0
        and array.shape[3] in (1, 3, 4)
    )


def _columns(labels: np.ndarray | None, n: int) -> int | None:
    """Conditional samples come in rows per class: as many columns as one class has."""
    if labels is None or len(labels) != n:
        return None
    per_class = collections.Counter(np.asarray(labels).tolist()).most_common(1)
    return per_class[0][1] if per_class else None


def panel_grids(arrays: dict[str, Any]) -> dict[str, np.ndarray]:
    """A family panel's image rows as pictures: one grid with a row per array when all
    have one shape (pix2pix's input / output / target), else one ``samples/<name>`` grid
    each. Arrays that are not (N, H, W, C) uint8 images are left out."""
    images = {name: a for name, a in arrays.items() if _is_images(a)}
    if not images:
        return {}
    shapes = {a.shape for a in images.values()}
    if len(images) > 1 and len(shapes) == 1:
        n = next(iter(shapes))[0]
        return {"samples": grid(np.concatenate(list(images.values())), columns=n)}
    if len(images) == 1:
        return {"samples": grid(next(iter(images.values())))}
    return {f"samples/{name}": grid(a) for name, a in images.items()}


def field_at(field: np.ndarray, axes: tuple[np.ndarray, ...], points: np.ndarray) -> np.ndarray:
    """D's field, evaluated on a grid, linearly interpolated at points.

    Parameters
    ----------
    field
        (G,) for 1-D, (Gy, Gx) indexed [y, x] for 2-D (``ToySnapshot.field``).
    axes
        The grid's coordinates per axis (``SegmentStarted.grid_axes``: x, then y).
    points
        (N, dim) float; points outside the grid take the nearest edge's value.

    Returns
    -------
    numpy.ndarray
        (N,) float64.
    """
    points = np.asarray(points, np.float64)
    if field.ndim == 1:
        return np.interp(points[:, 0], axes[0], field)
    x_axis, y_axis = np.asarray(axes[0], np.float64), np.asarray(axes[1], np.float64)
    fx = _fraction(x_axis, points[:, 0])
    fy = _fraction(y_axis, points[:, 1])
    x0, y0 = np.floor(fx).astype(int), np.floor(fy).astype(int)
    x1, y1 = np.minimum(x0 + 1, len(x_axis) - 1), np.minimum(y0 + 1, len(y_axis) - 1)
    tx, ty = fx - x0, fy - y0
    f = np.asarray(field, np.float64)
    top = f[y0, x0] * (1 - tx) + f[y0, x1] * tx
    bottom = f[y1, x0] * (1 - tx) + f[y1, x1] * tx
    return top * (1 - ty) + bottom * ty


def _fraction(axis: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Fractional grid index of each value on an increasing axis, clipped to the grid."""
    return np.interp(values, axis, np.arange(len(axis), dtype=np.float64))


def toy_picture(info: rep.SegmentStarted, snap: rep.ToySnapshot) -> np.ndarray | None:
    """A 2-D toy run as a picture: D's field in grey (dark low, light high), the fixed
    real samples in green and G's samples in magenta. None for 1-D runs.

    Returns (TOY_IMAGE_SIZE, TOY_IMAGE_SIZE, 3) uint8, y up.
    """
    if snap.field.ndim != 2 or info.bounds is None or len(info.bounds) != 2:
        return None
    size = TOY_IMAGE_SIZE
    field = np.asarray(snap.field, np.float64)
    low, high = np.nanmin(field), np.nanmax(field)
    scaled = (field - low) / (high - low) if high > low else np.full_like(field, 0.5)
    rows = np.linspace(0, field.shape[0] - 1, size).round().astype(int)
    cols = np.linspace(0, field.shape[1] - 1, size).round().astype(int)
    grey = (40 + 150 * np.nan_to_num(scaled[np.ix_(rows, cols)])).astype(np.uint8)[::-1]
    picture = np.repeat(grey[:, :, None], 3, axis=2)
    (x_lo, x_hi), (y_lo, y_hi) = info.bounds
    for points, colour in ((info.real, (60, 200, 90)), (snap.fake, (230, 60, 220))):
        p = np.asarray(points, np.float64)[:, :2]
        x = ((p[:, 0] - x_lo) / (x_hi - x_lo) * (size - 1)).round().astype(int)
        y = ((y_hi - p[:, 1]) / (y_hi - y_lo) * (size - 1)).round().astype(int)
        inside = (x >= 1) & (x < size - 1) & (y >= 1) & (y < size - 1)
        for dy in (-1, 0, 1):  # 3x3 dots
            for dx in (-1, 0, 1):
                picture[y[inside] + dy, x[inside] + dx] = colour
    return picture


@dataclass(frozen=True)
class Pictures:
    """What one snapshot shows TensorBoard: images (tag -> (H, W, C) uint8) and
    histograms (tag -> values)."""

    images: dict[str, np.ndarray]
    histograms: dict[str, np.ndarray]


def pictures(info: rep.SegmentStarted | None, snap: rep.Report) -> Pictures:
    """The images and histograms of a snapshot report (see the module docstring).

    ``info`` is its segment's ``SegmentStarted`` (toy runs need its real samples, grid and
    bounds; without it a toy snapshot gives nothing).
    """
    if isinstance(snap, rep.ImageSnapshot):
        images = {}
        if _is_images(snap.fake):
            images["samples"] = grid(snap.fake, _columns(snap.fake_labels, len(snap.fake)))
        return Pictures(images, _d_outputs(snap.d_real, snap.d_fake))
    if isinstance(snap, rep.PanelSnapshot):
        return Pictures(
            panel_grids(snap.arrays),
            _d_outputs(snap.arrays.get("d_real"), snap.arrays.get("d_fake")),
        )
    if isinstance(snap, rep.ToySnapshot) and info is not None and info.grid_axes:
        histograms = {}
        if len(info.real):
            histograms["d_output/real"] = field_at(snap.field, info.grid_axes, info.real)
        if len(snap.fake):
            histograms["d_output/fake"] = field_at(snap.field, info.grid_axes, snap.fake)
        picture = toy_picture(info, snap)
        return Pictures({"samples": picture} if picture is not None else {}, histograms)
    return Pictures({}, {})


def _d_outputs(real: Any, fake: Any) -> dict[str, np.ndarray]:
    out = {}
    for tag, values in (("d_output/real", real), ("d_output/fake", fake)):
        if isinstance(values, np.ndarray) and values.size:
            out[tag] = values.reshape(-1)
    return out


# ---------------------------------------------------------------------------- events


class EventFile:
    """One TensorBoard event file, written by TensorBoard's own ``EventFileWriter``
    (its record framing and checksums; it writes from a thread of its own).

    Used by one thread at a time. ``write_*`` hand events to the writer; :meth:`flush`
    waits until they are on disk. Raises OSError for a failed write.

    Parameters
    ----------
    folder
        Where the file goes (made if missing). Its name is TensorBoard's
        ``events.out.tfevents.<time>.<host>.<pid>.<n>`` with our suffix.
    protos
        :func:`_protos`.
    """

    def __init__(self, folder: Path, protos: Any):
        from tensorboard.summary.writer.event_file_writer import EventFileWriter

        self.p = protos
        folder.mkdir(parents=True, exist_ok=True)
        before = set(folder.glob(f"{EVENTS_PREFIX}*{EVENTS_SUFFIX}"))
        self._writer = EventFileWriter(
            str(folder),
            max_queue_size=1000,
            flush_secs=FLUSH_EVERY_S,
            filename_suffix=EVENTS_SUFFIX,
        )
        made = set(folder.glob(f"{EVENTS_PREFIX}*{EVENTS_SUFFIX}")) - before
        self.path = made.pop() if len(made) == 1 else Path(self._writer._file_name)

    def write_restart(self, step: int, wall_time: float) -> None:
        """TensorBoard's session start at ``step``: it drops what it read at ``step`` and
        after (a segment that starts after step N restarts at N + 1)."""
        log = self.p.SessionLog(status=self.p.SessionLog.START)
        self._writer.add_event(self.p.Event(wall_time=wall_time, step=step, session_log=log))

    def write_scalars(self, step: int, wall_time: float, values: dict[str, float]) -> None:
        """One event holding all of a step's scalars."""
        if not values:
            return
        summary = self.p.Summary(
            value=[self.p.Summary.Value(tag=tag, simple_value=v) for tag, v in values.items()]
        )
        self._writer.add_event(self.p.Event(wall_time=wall_time, step=step, summary=summary))

    def write_pictures(self, step: int, wall_time: float, shown: Pictures) -> None:
        """The images (PNG) and histograms of one snapshot, in one event."""
        from PIL import Image

        values = []
        for tag, picture in shown.images.items():
            channels = picture.shape[2]
            pil = Image.fromarray(picture[:, :, 0] if channels == 1 else picture)
            png = io.BytesIO()
            pil.save(png, format="PNG", compress_level=1)  # fast; sample grids are small
            image = self.p.Summary.Image(
                height=picture.shape[0],
                width=picture.shape[1],
                colorspace=channels,
                encoded_image_string=png.getvalue(),
            )
            values.append(self.p.Summary.Value(tag=tag, image=image))
        for tag, data in shown.histograms.items():
            histo = _histogram(self.p, np.asarray(data, np.float64))
            if histo is not None:
                values.append(self.p.Summary.Value(tag=tag, histo=histo))
        if values:
            summary = self.p.Summary(value=values)
            self._writer.add_event(self.p.Event(wall_time=wall_time, step=step, summary=summary))

    def flush(self) -> None:
        """Wait until every event handed over is written."""
        self._writer.flush()

    def close(self) -> None:
        self._writer.close()


def _histogram(protos: Any, values: np.ndarray) -> Any:
    """A ``HistogramProto`` of the finite values (None if there are none)."""
    values = values[np.isfinite(values)]
    if not values.size:
        return None
    counts, edges = np.histogram(values, bins=HISTOGRAM_BINS)
    return protos.HistogramProto(
        min=float(values.min()),
        max=float(values.max()),
        num=float(values.size),
        sum=float(values.sum()),
        sum_squares=float(np.dot(values, values)),
        bucket_limit=[float(e) for e in edges[1:]],  # each bucket's right edge
        bucket=[float(c) for c in counts],
    )


# ---------------------------------------------------------------------------- live writer


class TensorBoardWriter:
    """Writes a run's event files as it trains (see the module docstring).

    Every method is for the recorder's thread. What it is given is queued and written
    in batches, at least every ``flush_every_s`` (the first at once, which imports
    TensorBoard and makes the file as the run starts), by the recorder's thread itself
    or, ``threaded``, by a worker thread of the writer's own. A failure (no TensorBoard,
    a write that fails) stops the writing and is kept in :attr:`problem` for the
    recorder to say once.

    Writing in the recorder's thread is the default: a batch of rows costs it well
    under a millisecond (``benchmarks/tensorboard_cost.py``), while a worker competes
    with the loop for Python's interpreter lock, which on a busy CPU cost the loop more
    than the writing itself.

    Parameters
    ----------
    folder
        The run directory.
    images_every_s
        At most one set of images and histograms per this many seconds of ``clock``;
        the first snapshot is always written.
    flush_every_s
        Write the queue at least this often; default :data:`FLUSH_EVERY_S`.
    clock
        Seconds (monotonic), for the throttle and the batches.
    threaded
        Write from a worker thread; default :data:`THREADED`.
    rows_every_s
        Scalar rows at least this many seconds of the run apart (:data:`ROWS_EVERY_S`);
        0 writes every row. Metrics events and a rewound run's rows are always written.
    """

    def __init__(
        self,
        folder: str | Path,
        *,
        images_every_s: float = IMAGES_EVERY_S,
        flush_every_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        threaded: bool | None = None,
        rows_every_s: float | None = None,
    ):
        self.folder = Path(folder)
        self.images_every_s = images_every_s
        self.flush_every_s = FLUSH_EVERY_S if flush_every_s is None else flush_every_s
        self.clock = clock
        self.threaded = THREADED if threaded is None else threaded
        self.problem: str | None = None  # why writing stopped, for a person
        self.path: Path | None = None  # the event file, once made
        self.cpu_s = 0.0  # CPU seconds spent converting and writing
        self._last_pictures: float | None = None
        self._held: rep.Report | None = None  # a snapshot the throttle left out, newest
        self._last_flush: float | None = None
        self._queue: collections.deque[tuple[str, Any, float]] = collections.deque()
        self._events: EventFile | None = None
        self._converter = _Converter(ROWS_EVERY_S if rows_every_s is None else rows_every_s)
        self._wake = threading.Event()
        self._stop = False
        self._worker: threading.Thread | None = None

    # -- the recorder's thread

    def segment(self, info: rep.SegmentStarted) -> None:
        """A new segment: its real samples are kept for toy histograms; a start, reset,
        rebuild or checkpoint load restarts the curves at its step."""
        if self._held is not None:  # the last segment's last state first
            held, self._held = self._held, None
            self._put("snapshot", held)
        self._put("segment", info)
        if info.reason in _RESTARTS:
            self._last_pictures = None  # the new segment's first snapshot is shown

    def entries(self, entries: Iterable[dict[str, Any]]) -> None:
        """metrics.jsonl entries just written (rows, events): their scalars."""
        self._put("entries", list(entries))

    def snapshot(self, snap: rep.Report) -> bool:
        """A view snapshot; queued unless one was less than ``images_every_s`` ago.

        Returns True when it was queued.
        """
        now = self.clock()
        if self._last_pictures is not None and now - self._last_pictures < self.images_every_s:
            self._held = snap  # the newest not shown: written at close (a run's last state)
            return False
        self._last_pictures = now
        self._held = None
        self._put("snapshot", snap)
        return True

    def flush(self) -> None:
        """Write what is queued now (the loop paused or finished: nothing may come for a
        while). The worker, if any, writes on its own."""
        if self._worker is None and self._queue:
            self._last_flush = self.clock()
            self._write()

    def close(self) -> None:
        """Write everything queued and close the file (waiting for the worker, if any).
        A later call starts a new event file."""
        if self._held is not None:
            held, self._held = self._held, None
            self._put("snapshot", held)
        if self._worker is not None:
            self._stop = True
            self._wake.set()
            self._worker.join()
            self._worker = None
        else:
            self._write(closing=True)

    def _put(self, kind: str, item: Any) -> None:
        if self.problem is not None:
            return
        self._queue.append((kind, item, time.time()))
        if self.threaded:
            if self._worker is None:
                self._stop = False
                self._wake.clear()
                self._worker = threading.Thread(
                    target=self._work, name="ganlab-tensorboard", daemon=True
                )
                self._worker.start()
            return
        now = self.clock()
        if self._last_flush is None or now - self._last_flush >= self.flush_every_s:
            self._last_flush = now
            self._write()

    # -- writing (the recorder's thread, or the worker)

    def _write(self, *, closing: bool = False) -> None:
        """Write what is queued; on ``closing`` also close the file. Never raises: a
        failure is kept in :attr:`problem` and ends the writing."""
        started = time.thread_time()
        try:
            if self.problem is None and (self._queue or closing):
                if self._events is None:
                    self._events = EventFile(self.folder, _require())
                    self.path = self._events.path
                while self._queue:
                    kind, item, wall = self._queue.popleft()
                    self._converter.feed(self._events, kind, item, wall)
                self._events.flush()
        except TensorBoardMissingError as exc:
            self.problem = str(exc)
        except Exception as exc:  # a full disk, a read-only folder, a bad report
            self.problem = _(
                "{path}: could not write the TensorBoard events: {error}. {fix}"
            ).format(path=self.path or self.folder, error=exc, fix=_(_FIX_WRITE))
        if self.problem is not None or closing:
            self._queue.clear()
            events, self._events = self._events, None
            if events is not None:
                try:
                    events.close()
                except Exception as exc:
                    self.problem = self.problem or _(
                        "{path}: could not write the TensorBoard events: {error}. {fix}"
                    ).format(path=events.path, error=exc, fix=_(_FIX_WRITE))
        self.cpu_s += time.thread_time() - started

    def _work(self) -> None:
        """The worker (``threaded``): write at least every ``flush_every_s`` until closed."""
        while self.problem is None:
            stopping = self._stop
            self._write(closing=stopping)
            if stopping:
                return
            self._wake.wait(self.flush_every_s)
            self._wake.clear()


class _Converter:
    """Turns queued items into events (live and export share it)."""

    def __init__(self, rows_every_s: float = 0.0) -> None:
        self.segments: dict[int, rep.SegmentStarted] = {}
        self.last_step: int | None = None
        # Rows closer than this (seconds of the run, their "time") are left out: a live
        # run writes a few rows a second, not every step (TensorBoard keeps 1,000 points
        # a curve anyway); metrics.jsonl and an export keep every row.
        self.rows_every_s = rows_every_s
        self.last_row_time: float | None = None

    def feed(self, events: EventFile, kind: str, item: Any, wall: float) -> None:
        if kind == "segment":
            self.segments[item.segment] = item
            if item.reason in _RESTARTS:  # the rows up to its step stay
                events.write_restart(int(item.step) + 1, wall)
                self.last_step = int(item.step)
        elif kind == "entries":
            for entry in item:
                self.entry(events, entry, wall)
        elif kind == "snapshot":
            shown = pictures(self.segments.get(item.segment), item)
            events.write_pictures(int(item.step), wall, shown)

    def entry(self, events: EventFile, entry: dict[str, Any], wall: float) -> None:
        step = entry.get("step")
        if not isinstance(step, int) or isinstance(step, bool):
            return
        if entry.get("event") in ("reset", "rebuild"):
            events.write_restart(step + 1, wall)
            self.last_step = step
            return
        values = scalars(entry)
        if not values:
            return
        if entry.get("event") is None:
            rewound = self.last_step is not None and step <= self.last_step
            if rewound:
                # Rows again from an earlier step: a run resumed from an older checkpoint.
                events.write_restart(step, wall)
            self.last_step = step
            when = entry.get("time")
            if self.rows_every_s and isinstance(when, int | float) and not rewound:
                if self.last_row_time is not None and when - self.last_row_time < self.rows_every_s:
                    return
                self.last_row_time = float(when)
            elif isinstance(when, int | float):
                self.last_row_time = float(when)
        events.write_scalars(step, wall, values)


# ---------------------------------------------------------------------------- export


def export_run(
    run_dir: str | Path,
    out_dir: str | Path | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Convert a run directory into a TensorBoard event file.

    Scalars come from metrics.jsonl (every row and metrics event, as the live writer
    writes them), images and histograms from every frame of the run's history
    (``ganlab.kernel.history``; none if the run has no history folder). The event files
    ganlab wrote in ``out_dir`` before (live, or an earlier export) are removed once the
    new one is written, so the run shows once in TensorBoard; other programs' files stay.
    Meant for a run that is not training now (its live file would be removed).

    Parameters
    ----------
    run_dir
        A ganlab run directory (with metrics.jsonl).
    out_dir
        Where the event file goes; default the run directory itself, so that
        ``tensorboard --logdir runs/`` shows the run under its folder's name.
    progress
        Called as ``progress(done, total)`` (entries and frames written so far, of
        all); ``done == total`` at the end.

    Returns
    -------
    Path
        The event file written.

    Raises
    ------
    TensorBoardMissingError
        TensorBoard is not installed (the message names the extra to install).
    GanlabError
        The run has no metrics.jsonl, or it or ``out_dir`` cannot be read or written
        (the message names the file).
    """
    protos = _require()
    run = Path(run_dir)
    metrics = run / "metrics.jsonl"
    if not metrics.is_file():
        raise GanlabError(
            _("{path}: no such file (is {folder} a ganlab run?)").format(path=metrics, folder=run)
        )
    if _training(run):
        raise GanlabError(
            _(
                "{path} is still training, and its own TensorBoard files follow it; "
                "convert it once it has finished or been stopped."
            ).format(path=run)
        )
    target = Path(out_dir) if out_dir is not None else run
    try:
        entries = list(metrics_entries(metrics))
        frames, history = _history_frames(run)
        # Rows carry seconds since their loop started: wall times from the run's start.
        started = run / "experiment.toml"
        base = (started if started.exists() else metrics).stat().st_mtime
        # ganlab's earlier event files there (live or exported) are replaced; files of
        # other programs stay.
        before = set(target.glob(f"{EVENTS_PREFIX}*{EVENTS_SUFFIX}")) if target.is_dir() else set()
        total = len(entries) + len(frames)
        done = 0
        events = EventFile(target, protos)
        try:
            converter = _Converter()
            walls: dict[Any, float] = {}  # step -> wall time of its row, for the frames
            wall = base
            for entry in entries:
                when = entry.get("time")
                if isinstance(when, int | float) and not isinstance(when, bool):
                    wall = base + float(when)
                    walls[entry.get("step")] = wall
                # Events (metrics, settings) carry no time: the latest row's.
                converter.entry(events, entry, wall)
                done += 1
                if progress is not None and done % 1000 == 0:
                    progress(done, total)
            for frame in frames:
                info = history.segment(frame.segment)
                snap = history.load(frame)
                if snap is not None:
                    wall = walls.get(frame.step, base)
                    events.write_pictures(int(frame.step), wall, pictures(info, snap))
                done += 1
                if progress is not None:
                    progress(done, total)
        finally:
            events.close()
    except OSError as exc:
        raise GanlabError(
            _("{path}: could not write the TensorBoard events: {error}").format(
                path=target, error=exc
            )
        ) from None
    for old in before - {events.path}:
        with contextlib.suppress(OSError):  # an older file that stays shows the run twice
            old.unlink()
    if progress is not None:
        progress(total, total)
    return events.path


def _training(run: Path) -> bool:
    """Whether a trainer serves ``run`` now (its trainer.json names a live process)."""
    from ganlab.engine.channel import ChannelError, read_endpoint

    try:
        read_endpoint(run)
    except ChannelError:
        return False
    return True


def _history_frames(run: Path) -> tuple[list[Any], Any]:
    """The run's history frames and reader; none when it has no history (or this ganlab
    has no history module)."""
    try:
        from ganlab.kernel.history import HISTORY_FOLDER, History
    except ImportError:
        return [], None
    if not (run / HISTORY_FOLDER).is_dir():
        return [], None
    history = History(run)
    return history.frames(), history
