"""A run's history of view snapshots: bounded, log-spaced, on disk. No Qt, no torch.

Every run with a run directory (the window's own, ``ganlab train``, a ``torchrun`` job's
rank 0) keeps the snapshots its views are drawn from, so that the window can scrub any
view back to an earlier step, and exports (GIF, MP4, stills, TensorBoard) can replay the
run's evolution afterwards. The recorder (``ganlab.engine.recorder``, in the trainer's
process) writes with :class:`HistoryWriter`; readers (the window's timeline in the GUI
thread, ``ganlab export``) use :class:`History`. The layout, in the run directory::

    history/segment_SSSS.npz                   a SegmentStarted: what a panel needs to
                                               set itself up (shapes, real samples, ...)
    history/frame_QQQQQQQQ_SSSS_NNNNNNNNNN.npz one snapshot (ToySnapshot, ImageSnapshot or
                                               PanelSnapshot): Q its order of recording,
                                               S its segment, N its step

Each file is written atomically (a temporary file, then a rename), so a reader sees a
whole file or none, and holds only arrays and JSON text: it loads with
``numpy.load(allow_pickle=False)``.

**Bounds.** At most ``capacity`` frames (:data:`FRAMES_KEPT`) and ``max_bytes``
(:data:`HISTORY_MAX_BYTES`) per run on disk, and never more than one frame a second is
written (:data:`HISTORY_EVERY_S`). When a new frame would pass the bound, :func:`thin`
drops the kept frame whose loss leaves the smallest gap relative to its age, so the kept
frames end up spaced roughly geometrically: dense near now, sparser further back, always
with the first and the newest. A 1-hour run at one frame a second keeps 400 frames from
its whole life, the newest ones a second apart. In memory a writer holds the list of kept
frames (names only) and at most one snapshot not yet written; a reader the same list and
a few decoded frames (:data:`DECODED_KEPT`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import re
import time
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ganlab.kernel import reports as rep
from ganlab.kernel.files import atomic_file
from ganlab.kernel.i18n import _

HISTORY_FOLDER = "history"
FRAMES_KEPT = 400  # frames per run; a 1-hour run keeps frames from its whole life
HISTORY_EVERY_S = 1.0  # at most one frame a second (seconds of the writer's clock)
HISTORY_MAX_BYTES = 300 * 1024**2  # on disk per run: large image grids get fewer frames
DECODED_KEPT = 4  # decoded frames a reader keeps (scrubbing back and forth)

SnapshotReport = rep.ToySnapshot | rep.ImageSnapshot | rep.PanelSnapshot
# The report kinds a history holds, by the name stored in each file.
_KINDS: dict[str, type[rep.Report]] = {
    cls.__name__: cls
    for cls in (rep.SegmentStarted, rep.ToySnapshot, rep.ImageSnapshot, rep.PanelSnapshot)
}
_FRAME = re.compile(r"^frame_(\d{8,})_(\d{4,})_(\d{10,})\.npz$")
_SEGMENT = re.compile(r"^segment_(\d{4,})\.npz$")
_META = "__meta__"


class HistoryError(ValueError):
    """A history file that cannot be read (truncated, not ours, a newer format)."""


@dataclass(frozen=True, order=True)
class Frame:
    """One kept snapshot: ``seq`` is its order of recording (0, 1, ... over the whole
    run, across segments: it orders the timeline), ``segment`` and ``step`` say which
    state of training it shows, ``path`` is its file."""

    seq: int
    segment: int
    step: int
    path: Path


def frame_name(seq: int, segment: int, step: int) -> str:
    """The file name of a frame (see the module docstring)."""
    return f"frame_{seq:08d}_{segment:04d}_{step:010d}.npz"


def segment_name(segment: int) -> str:
    """The file name of a segment's set-up."""
    return f"segment_{segment:04d}.npz"


# ---------------------------------------------------------------------------- encoding


def _plain(value: Any) -> Any:
    """A JSON value for ``value``: tuples become lists, numpy scalars numbers."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _tupled(value: Any) -> Any:
    """Back from JSON: every list was a tuple in the report."""
    if isinstance(value, list):
        return tuple(_tupled(v) for v in value)
    if isinstance(value, dict):
        return {k: _tupled(v) for k, v in value.items()}
    return value


def encode_report(report: rep.Report) -> bytes:
    """A SegmentStarted or a snapshot report as ``.npz`` bytes (compressed).

    Arrays (also those in a dict, such as ``PanelSnapshot.arrays``, or a tuple, such as
    ``SegmentStarted.grid_axes``) are stored as arrays; everything else as JSON.

    Raises
    ------
    TypeError
        ``report`` is not a kind a history holds.
    """
    kind = type(report).__name__
    if _KINDS.get(kind) is not type(report):
        raise TypeError(f"a history holds no {kind}")
    arrays: dict[str, np.ndarray] = {}
    meta: dict[str, Any] = {"kind": kind, "fields": {}, "arrays": {}}
    for f in dataclasses.fields(report):
        value = getattr(report, f.name)
        if isinstance(value, np.ndarray):
            arrays[f"a.{f.name}"] = value
            meta["arrays"][f.name] = "array"
        elif (
            isinstance(value, dict)
            and value
            and all(isinstance(v, np.ndarray) for v in value.values())
        ):
            for key, array in value.items():
                arrays[f"d.{f.name}.{key}"] = array
            meta["arrays"][f.name] = ["dict", list(value)]
        elif isinstance(value, tuple) and value and all(isinstance(v, np.ndarray) for v in value):
            for i, array in enumerate(value):
                arrays[f"t.{f.name}.{i}"] = array
            meta["arrays"][f.name] = ["tuple", len(value)]
        else:
            meta["fields"][f.name] = _plain(value)
    arrays[_META] = np.array(json.dumps(meta))
    buffer = io.BytesIO()
    # The .npz layout numpy.load reads. Pictures (uint8) are deflated, fast (level 1);
    # float arrays barely compress (about 15 %) at ten times the cost, so they are stored.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as npz:
        for name, array in arrays.items():
            packed = array.dtype == np.uint8 and array.size >= 1024
            # A name is written with the archive's compression; a bare ZipInfo is stored.
            entry = f"{name}.npy" if packed else zipfile.ZipInfo(f"{name}.npy")
            with npz.open(entry, "w") as fh:
                np.lib.format.write_array(fh, array, allow_pickle=False)
    return buffer.getvalue()


def decode_report(data: bytes) -> rep.Report:
    """The report :func:`encode_report` made.

    Raises
    ------
    HistoryError
        ``data`` is not a whole history file of a kind this version knows.
    """
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            meta = json.loads(str(npz[_META]))
            kind = _KINDS[meta["kind"]]
            values: dict[str, Any] = {k: _tupled(v) for k, v in meta["fields"].items()}
            for name, how in meta["arrays"].items():
                if how == "array":
                    values[name] = npz[f"a.{name}"]
                elif how[0] == "dict":
                    values[name] = {key: npz[f"d.{name}.{key}"] for key in how[1]}
                else:
                    values[name] = tuple(npz[f"t.{name}.{i}"] for i in range(how[1]))
            return kind(**values)
    except HistoryError:
        raise
    except Exception as exc:  # zip, JSON, key and field errors alike: not a frame we know
        raise HistoryError(str(exc) or type(exc).__name__) from exc


# ---------------------------------------------------------------------------- thinning


def thin(positions: Sequence[int], capacity: int) -> list[int]:
    """Which frames to drop so that at most ``capacity`` remain, log-spaced.

    Parameters
    ----------
    positions
        The kept frames' positions (their ``seq``), strictly ascending; the last is now.
    capacity
        Frames to keep, at least 2.

    Returns
    -------
    list of int
        Indexes into ``positions`` to drop, ascending. The first and the last frame are
        never dropped. Each drop removes the interior frame ``i`` whose removal leaves
        the smallest gap ``p[i+1] - p[i-1]`` relative to that gap's age
        ``now - p[i-1]``; repeated as frames arrive, this spaces the kept frames about
        geometrically in age (every gap about the same fraction of its age).

    Raises
    ------
    ValueError
        ``capacity`` < 2.
    """
    if capacity < 2:
        raise ValueError(f"capacity must be at least 2, not {capacity}")
    p = np.asarray(positions, dtype=np.float64)
    keep = np.ones(len(p), dtype=bool)
    excess = len(p) - capacity
    dropped: list[int] = []
    while excess > 0:
        idx = np.flatnonzero(keep)
        q = p[idx]
        now = q[-1]
        merged = q[2:] - q[:-2]
        cost = merged / (now - q[:-2] + 1.0)
        # Ties (the same relative gap): drop the older one, so recent frames stay dense.
        i = int(np.argmin(cost)) + 1
        keep[idx[i]] = False
        dropped.append(int(idx[i]))
        excess -= 1
    return sorted(dropped)


# ---------------------------------------------------------------------------- reading


def _scan(folder: Path) -> tuple[list[Frame], dict[int, Path]]:
    """The frames (ordered by seq) and segment files in ``folder`` (empty if none)."""
    frames: list[Frame] = []
    segments: dict[int, Path] = {}
    try:
        names = [entry.name for entry in folder.iterdir()]
    except OSError:
        return frames, segments
    for name in names:
        if m := _FRAME.match(name):
            frames.append(Frame(int(m[1]), int(m[2]), int(m[3]), folder / name))
        elif m := _SEGMENT.match(name):
            segments[int(m[1])] = folder / name
    frames.sort()
    return frames, segments


class History:
    """Reads a run directory's history (any thread that owns it; no Qt, no torch).

    Parameters
    ----------
    run_dir
        The run directory (its ``history/`` folder may not exist yet: no frames). A run
        that is still training adds and drops frames meanwhile; :meth:`frames` rescans.
    """

    def __init__(self, run_dir: str | Path):
        self.run_dir = Path(run_dir)
        self.folder = self.run_dir / HISTORY_FOLDER
        self._decoded: OrderedDict[Path, SnapshotReport] = OrderedDict()
        self._segments: dict[int, rep.SegmentStarted] = {}
        self._frames: list[Frame] = []
        self.unreadable: list[Path] = []  # files found broken (named once each)

    def frames(self) -> list[Frame]:
        """The kept frames, rescanned, ordered by ``seq`` (a listing: cheap)."""
        self._frames, _segments = _scan(self.folder)
        return list(self._frames)

    def load(self, frame: Frame) -> SnapshotReport | None:
        """The snapshot of ``frame``; None when it was thinned away since the last
        :meth:`frames`, or is unreadable (then also listed in :attr:`unreadable`)."""
        if (hit := self._decoded.get(frame.path)) is not None:
            self._decoded.move_to_end(frame.path)
            return hit
        report = self._read(frame.path)
        if report is None or not isinstance(report, SnapshotReport):
            return None
        self._decoded[frame.path] = report
        while len(self._decoded) > DECODED_KEPT:
            self._decoded.popitem(last=False)
        return report

    def segment(self, segment: int) -> rep.SegmentStarted | None:
        """The set-up of ``segment`` (None if its file is missing or unreadable)."""
        if (hit := self._segments.get(segment)) is not None:
            return hit
        report = self._read(self.folder / segment_name(segment))
        if not isinstance(report, rep.SegmentStarted):
            return None
        self._segments[segment] = report
        return report

    def nearest(self, step: int, segment: int | None = None) -> Frame | None:
        """The kept frame closest to ``step`` (of ``segment`` if given; the later one on
        a tie), from the last :meth:`frames` (scanned now if never)."""
        frames = self._frames or self.frames()
        if segment is not None:
            frames = [f for f in frames if f.segment == segment]
        if not frames:
            return None
        return min(reversed(frames), key=lambda f: abs(f.step - step))

    def _read(self, path: Path) -> rep.Report | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None  # thinned away (or the run folder went): not an error
        try:
            return decode_report(data)
        except HistoryError:
            if path not in self.unreadable:
                self.unreadable.append(path)
            return None


# ---------------------------------------------------------------------------- writing


class HistoryWriter:
    """Writes a run's history (the recorder, in the trainer's process).

    Parameters
    ----------
    run_dir
        The run directory; ``history/`` is made on the first write. Frames already
        there (a run resumed into the same directory) are kept and counted.
    capacity
        Frames kept, at least 2 (:data:`FRAMES_KEPT`).
    max_bytes
        Bytes kept on disk; past it, frames are thinned below ``capacity``.
    every_s
        Seconds between frames at least: a snapshot that comes sooner is held, and
        written only if no other comes before the next segment or :meth:`close` (so a
        run's last state is always kept).
    clock
        Seconds, monotonic; injectable for tests.

    Raises
    ------
    ValueError
        ``capacity`` < 2 or ``max_bytes`` < 1.
    """

    def __init__(
        self,
        run_dir: str | Path,
        *,
        capacity: int = FRAMES_KEPT,
        max_bytes: int = HISTORY_MAX_BYTES,
        every_s: float = HISTORY_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ):
        if capacity < 2:
            raise ValueError(f"capacity must be at least 2, not {capacity}")
        if max_bytes < 1:
            raise ValueError(f"max_bytes must be positive, not {max_bytes}")
        self.folder = Path(run_dir) / HISTORY_FOLDER
        self.capacity = capacity
        self.max_bytes = max_bytes
        self.every_s = every_s
        self.clock = clock
        found, _segments = _scan(self.folder)
        self._frames: list[Frame] = found
        self._sizes: dict[Path, int] = {}
        for frame in found:
            with contextlib.suppress(OSError):
                self._sizes[frame.path] = frame.path.stat().st_size
        self._next_seq = found[-1].seq + 1 if found else 0
        self._last_write: float | None = None
        self._held: SnapshotReport | None = None
        self._segment: int | None = None
        self._segment_written = False

    @property
    def frames(self) -> list[Frame]:
        """The kept frames, ordered by ``seq``."""
        return list(self._frames)

    @property
    def size_bytes(self) -> int:
        """Bytes of the kept frames on disk."""
        return sum(self._sizes.values())

    def segment(self, info: rep.SegmentStarted) -> None:
        """A new segment: write its set-up (the held frame of the last one first).

        Raises
        ------
        OSError
            The file could not be written.
        """
        self.flush()
        self._segment = info.segment
        self._last_write = None  # the new segment's first frame is written at once
        self._write(self.folder / segment_name(info.segment), encode_report(info))

    def add(self, snapshot: SnapshotReport) -> bool:
        """Keep ``snapshot`` if a frame is due (else hold it); True if written.

        Raises
        ------
        OSError
            The file could not be written (the snapshot stays held, tried again later).
        """
        now = self.clock()
        if self._last_write is not None and now - self._last_write < self.every_s:
            self._held = snapshot
            return False
        self._held = snapshot
        self._write_frame(now)
        return True

    def flush(self) -> None:
        """Write the held snapshot, if any (a run's last state, before it ends).

        Raises
        ------
        OSError
            The file could not be written.
        """
        if self._held is not None:
            self._write_frame(self.clock())

    def close(self) -> None:
        """:meth:`flush`, never raising (the run is ending)."""
        with contextlib.suppress(OSError):
            self.flush()

    def _write(self, path: Path, data: bytes) -> None:
        with atomic_file(path, suffix=".npz") as fh:
            fh.write(data)

    def _write_frame(self, now: float) -> None:
        snapshot = self._held
        assert snapshot is not None
        last = self._frames[-1] if self._frames else None
        if last is not None and (last.segment, last.step) == (snapshot.segment, snapshot.step):
            self._held = None  # the same state again (paused): nothing new to keep
            return
        path = self.folder / frame_name(self._next_seq, snapshot.segment, snapshot.step)
        data = encode_report(snapshot)
        self._write(path, data)
        self._held = None
        self._last_write = now
        self._frames.append(Frame(self._next_seq, snapshot.segment, snapshot.step, path))
        self._sizes[path] = len(data)
        self._next_seq += 1
        self._bound()

    def _bound(self) -> None:
        """Thin to ``capacity`` frames and ``max_bytes``; drop unused segment files."""
        frames = self._frames
        drop = set(thin([f.seq for f in frames], self.capacity))
        total = self.size_bytes - sum(self._sizes.get(frames[i].path, 0) for i in drop)
        while total > self.max_bytes and len(frames) - len(drop) > 2:
            left = [i for i in range(len(frames)) if i not in drop]
            extra = left[thin([frames[i].seq for i in left], len(left) - 1)[0]]
            drop.add(extra)
            total -= self._sizes.get(frames[extra].path, 0)
        if not drop:
            return
        for i in drop:
            self._sizes.pop(frames[i].path, None)
            # A file that stays is no loss: it is thinned again at the next frame.
            with contextlib.suppress(OSError):
                frames[i].path.unlink()
        self._frames = [f for i, f in enumerate(frames) if i not in drop]
        used = {f.segment for f in self._frames}
        if self._segment is not None:
            used.add(self._segment)
        for segment, path in _scan(self.folder)[1].items():
            if segment not in used:
                with contextlib.suppress(OSError):
                    path.unlink()


def history_note(run_dir: str | Path) -> str | None:
    """Why ``run_dir`` has no frames to show, in words (None when it has some)."""
    if _scan(Path(run_dir) / HISTORY_FOLDER)[0]:
        return None
    return _(
        "{path} has no view history: runs recorded before ganlab kept one (or stopped "
        "before their first frame) can still export their curves as CSV."
    ).format(path=run_dir)
