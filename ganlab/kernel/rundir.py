"""The run directory: experiment.toml, metrics.jsonl, checkpoints/. No Qt, no torch.

Written by the recorder (``ganlab.engine.recorder``, in the trainer's process) from the
loop's reports; read by ``ganlab train --resume``, the window's "open run" and recent
runs, and any tool that reads JSON lines. Layout::

    RUN/
      experiment.toml          the experiment as it started (live changes are events below)
      metrics.jsonl            one JSON object per line: a row per step (step, time,
                               segment, which, losses, D means, grad norms, lrs), and
                               events with an "event" key (setting changes, metrics,
                               diagnoses, checkpoints, and "reset" / "rebuild", which
                               start a segment and carry its experiment as "config")
      checkpoints/step_00001000.pt

:func:`read_history` reads metrics.jsonl back into arrays (the window's curves, markers
and metrics of one segment); :func:`history_for_checkpoint` does so for the run a
checkpoint belongs to, up to the checkpoint's step.

The window's own runs live in :func:`window_runs_folder` (the user's data directory);
:func:`recent_runs` lists them and :func:`prune_runs` keeps them under
:data:`WINDOW_RUNS_MAX_BYTES`, with at most :data:`WINDOW_KEEP_CHECKPOINTS` checkpoints
each (``Recorder(keep_checkpoints=...)``).
"""

from __future__ import annotations

import itertools
import json
import math
import operator
import os
import re
import shutil
import time
import tomllib
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import platformdirs

from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.errors import GanlabError
from ganlab.kernel.i18n import _, ngettext

_CKPT = re.compile(r"^step_(\d+)\.pt$")


def checkpoint_step(path: str | Path) -> int | None:
    """The step in a run checkpoint's name (``step_00001234.pt`` -> 1234), or None."""
    match = _CKPT.match(Path(path).name)
    return int(match.group(1)) if match else None


def default_run_dir(config: cfg.ExperimentConfig, base: str | Path = "runs") -> Path:
    """``base/YYYYmmdd-HHMMSS-<name>``, made unique if it exists."""
    # Letters and digits of any script (a name like "Ω 実験" keeps them); the rest, and
    # characters no file system allows, become "-".
    slug = re.sub(r"[\W_]+", "-", config.name.lower()).strip("-")[:60] or "run"
    stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{slug}"
    path = Path(base) / stem
    n = 1
    while path.exists():
        n += 1
        path = Path(base) / f"{stem}-{n}"
    return path


class RunDir:
    """A run directory being written (or read for a resume)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._metrics: TextIO | None = None

    @classmethod
    def create(cls, path: str | Path, config: cfg.ExperimentConfig) -> RunDir:
        run = cls(path)
        try:
            run.checkpoints.mkdir(parents=True, exist_ok=True)
            cfg.save(config, run.path / "experiment.toml")
        except OSError as exc:
            raise GanlabError(
                _("{path}: cannot create the run directory: {error}").format(
                    path=run.path, error=exc
                )
            ) from None
        return run

    @classmethod
    def open_existing(cls, path: str | Path) -> RunDir:
        run = cls(path)
        if not (run.path / "experiment.toml").is_file():
            raise GanlabError(
                _("{path}: not a ganlab run directory (no experiment.toml)").format(path=run.path)
            )
        return run

    def trained(self) -> bool:
        """Whether any training is recorded: a checkpoint after step 0 or a metrics row
        past step 0. A run that failed before its first step holds neither, and a re-run
        may replace it."""
        newest = self.checkpoints_newest_first()
        if newest and newest[0].name != self.checkpoint_path(0).name:
            return True
        metrics = self.path / "metrics.jsonl"
        if not metrics.is_file():
            return False
        with open(metrics, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                try:
                    row = json.loads(line)
                except ValueError:
                    return True  # something was written; keep it
                if (
                    isinstance(row, dict)
                    and isinstance(row.get("step"), int | float)
                    and row["step"] > 0
                ):
                    return True
        return False

    def discard(self) -> None:
        """Remove a run that never trained (see :meth:`trained`): its files and folder."""
        if self.trained():
            raise GanlabError(
                _("{path}: holds training results; not removing it").format(path=self.path)
            )
        self.close()
        shutil.rmtree(self.path, ignore_errors=True)

    @property
    def checkpoints(self) -> Path:
        return self.path / "checkpoints"

    def experiment(self) -> cfg.ExperimentConfig:
        return cfg.load(self.path / "experiment.toml")

    def checkpoint_path(self, step: int) -> Path:
        return self.checkpoints / f"step_{step:08d}.pt"

    def checkpoints_newest_first(self) -> list[Path]:
        """The run's checkpoint files (``checkpoints/step_NNNNNNNN.pt``), highest step first."""
        found = []
        if self.checkpoints.is_dir():
            for p in self.checkpoints.iterdir():
                m = _CKPT.match(p.name)
                if m and p.is_file():
                    found.append((int(m.group(1)), p))
        return [p for _, p in sorted(found, reverse=True)]

    def latest_checkpoint(self) -> Path | None:
        """The newest checkpoint file, intact or not (see ``loop.resume``), or None."""
        found = self.checkpoints_newest_first()
        return found[0] if found else None

    def append(self, rows: list[dict[str, Any]]) -> None:
        """Append rows to metrics.jsonl (flushed, so a crash keeps what was written)."""
        if not rows:
            return
        if self._metrics is None:
            self._metrics = open(self.path / "metrics.jsonl", "a", encoding="utf-8")  # noqa: SIM115
        self._metrics.write("".join(json.dumps(r, allow_nan=False) + "\n" for r in rows))
        self._metrics.flush()

    def close(self) -> None:
        if self._metrics is not None:
            self._metrics.close()
            self._metrics = None


# ---------------------------------------------------------------------- reading history

# The curve columns of a metrics row, in the order the window keeps them.
HISTORY_COLUMNS: tuple[str, ...] = (*rep.SCALAR_COLUMNS, "lr_d", "lr_g")
# Keys of a "metrics" / "diagnosis" event that are not measured values.
# What older runs' metrics.jsonl called the segment (a reset or rebuild starts a new one).
LEGACY_SEGMENT_KEY = "generation"
_METRIC_META = frozenset({"event", "step", "segment"})
_DIAGNOSIS_META = frozenset({"event", "step", "segment", "kind", "severity", "message"})
# Where a row or an event starts: finds a whole line glued behind a cut-off one.
_LINE_START = re.compile(r'\{"(?:step|event)": ')
# Lines named one by one in RunHistory.skipped_summary; the rest are counted.
_NAMED_SKIPS = 5
_NUMERIC = frozenset({int, float, type(None)})
_COLUMN_VALUES = operator.itemgetter(*HISTORY_COLUMNS)


@dataclass(frozen=True)
class RunHistory:
    """One segment's history, read back from a run's metrics.jsonl.

    Arrays are new (not views of anything) and the window may keep them.

    Attributes
    ----------
    path
        The metrics.jsonl read.
    segment
        The segment these rows belong to (-1 if the file held none).
    step
        The step the history leads up to: the checkpoint's step for
        :func:`history_for_checkpoint`, else the last row's step (0 without rows).
    steps
        (n,) int64, strictly increasing: the step number after each update.
    columns
        :data:`HISTORY_COLUMNS` -> (n,) float64; NaN where a value was not computed
        (the G loss of a D-only step) or not written.
    layer_names
        ``{"d": names, "g": names}``: the per-layer gradient norms' layers, in order
        (empty when the rows hold none).
    layer_norms
        ``{"d": (n, Ld), "g": (n, Lg)}`` float64 per-layer gradient norms; NaN where absent.
    settings
        Live setting changes, oldest first (``step``, dotted ``key``, ``old``, ``new``).
    metric_steps
        (m,) int64 steps of the quality-metric events.
    metrics
        Metric name -> (m,) float64; NaN where a metric was absent from an event.
    diagnoses
        The live diagnostics' findings, oldest first.
    skipped
        ``(line number, reason)`` of each line that could not be read (1-based); the
        rest of the file was read.
    """

    path: Path
    segment: int
    step: int
    steps: np.ndarray
    columns: dict[str, np.ndarray]
    layer_names: dict[str, tuple[str, ...]]
    layer_norms: dict[str, np.ndarray]
    settings: tuple[rep.SettingChanged, ...] = ()
    metric_steps: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    metrics: dict[str, np.ndarray] = field(default_factory=dict)
    diagnoses: tuple[rep.Diagnosis, ...] = ()
    skipped: tuple[tuple[int, str], ...] = ()

    def __len__(self) -> int:
        return len(self.steps)

    def skipped_summary(self) -> str | None:
        """One message naming the unreadable lines (None if every line was read)."""
        if not self.skipped:
            return None
        named = "; ".join(
            _("line {number}: {why}").format(number=n, why=why)
            for n, why in self.skipped[:_NAMED_SKIPS]
        )
        more = len(self.skipped) - _NAMED_SKIPS
        rest = _("; and {count} more").format(count=more) if more > 0 else ""
        return ngettext(
            "{path}: skipped {count} unreadable line ({named}{rest})",
            "{path}: skipped {count} unreadable lines ({named}{rest})",
            len(self.skipped),
        ).format(path=self.path, count=len(self.skipped), named=named, rest=rest)


class _BadLineError(Exception):
    """A line of metrics.jsonl that cannot be used; the message says why."""


def _number(value: Any, key: str) -> float:
    if value is None:
        return math.nan
    kind = type(value)
    if kind is float or kind is int:
        return float(value)
    raise _BadLineError(_("'{key}' is not a number ({value})").format(key=key, value=repr(value)))


def _numbers(values: tuple[Any, ...], keys: tuple[str, ...], prefix: str = "") -> tuple[Any, ...]:
    """``values`` if each is a number or None (JSON null, NaN later); else why not."""
    if not _NUMERIC.issuperset(map(type, values)):
        for key, value in zip(keys, values, strict=True):
            _number(value, prefix + key)  # raises, naming the key
    return values


def _whole(entry: dict[str, Any], key: str, default: int | None = None) -> int:
    value = entry.get(key, default)
    if type(value) is not int or value < 0:
        if key not in entry and default is None:
            raise _BadLineError(_("'{key}' is missing").format(key=key))
        raise _BadLineError(
            _("'{key}' is not a whole number >= 0 ({value})").format(key=key, value=repr(value))
        )
    return value


class _Segment:
    """What the file says about one segment so far: plain lists while reading (fast to
    append and to cut back), arrays at the end."""

    def __init__(self) -> None:
        self.steps: list[int] = []
        self.rows: list[tuple[Any, ...]] = []  # HISTORY_COLUMNS values, None for NaN
        self.layer_names: dict[str, tuple[str, ...]] = {}
        self.layers: dict[str, list[tuple[Any, ...]]] = {"d": [], "g": []}
        self.settings: list[rep.SettingChanged] = []
        self.metrics: list[tuple[int, dict[str, float]]] = []
        self.diagnoses: list[rep.Diagnosis] = []

    def add_row(self, row: dict[str, Any], step: int) -> None:
        try:
            values = _COLUMN_VALUES(row)
        except KeyError:  # a row without some column: NaN there
            values = tuple(row.get(n) for n in HISTORY_COLUMNS)
        values = _numbers(values, HISTORY_COLUMNS)
        layers, names_of = {}, {}
        for net in ("d", "g"):
            key = f"grad_norm_{net}_layers"
            found = row.get(key)
            if found is None:
                found = {}
            if not isinstance(found, dict):
                raise _BadLineError(_("'{key}' is not an object").format(key=key))
            names = names_of[net] = self.layer_names.get(net, tuple(found))
            if tuple(found) == names:
                norms = tuple(found.values())
            else:
                norms = tuple(found.get(n) for n in names)
            layers[net] = _numbers(norms, names, f"{key}.")
        # Checked in full above before anything is kept: a bad row leaves no trace.
        self.layer_names = names_of  # the first row's layers, for the whole segment
        if self.steps and step <= self.steps[-1]:
            self.rewind(step)
        self.steps.append(step)
        self.rows.append(values)
        self.layers["d"].append(layers["d"])
        self.layers["g"].append(layers["g"])

    def rewind(self, step: int) -> None:
        """Forget everything from ``step`` on: the run was resumed from an earlier checkpoint
        (after a crash, the rows past that checkpoint are written again)."""
        keep = bisect_left(self.steps, step)
        del self.steps[keep:]
        del self.rows[keep:]
        for rows in self.layers.values():
            del rows[keep:]
        self.settings = [s for s in self.settings if s.step < step]
        self.metrics = [m for m in self.metrics if m[0] < step]
        self.diagnoses = [d for d in self.diagnoses if d.step < step]

    def history(
        self,
        path: Path,
        segment: int,
        up_to_step: int | None,
        skipped: list[tuple[int, str]],
    ) -> RunHistory:
        steps = np.asarray(self.steps, dtype=np.int64)
        keep = (
            len(steps) if up_to_step is None else int(np.searchsorted(steps, up_to_step, "right"))
        )
        limit = up_to_step if up_to_step is not None else math.inf
        metric_rows = [m for m in self.metrics if m[0] <= limit]
        names: dict[str, None] = {}
        for _step, values in metric_rows:
            names.update(dict.fromkeys(values))
        layer_names = {net: self.layer_names.get(net, ()) for net in ("d", "g")}
        # None (JSON null: not computed) becomes NaN in a float array.
        table = np.array(self.rows[:keep], dtype=np.float64).reshape(keep, len(HISTORY_COLUMNS))
        return RunHistory(
            path=path,
            segment=segment,
            step=up_to_step if up_to_step is not None else int(steps[keep - 1]) if keep else 0,
            steps=steps[:keep].copy(),
            columns=dict(zip(HISTORY_COLUMNS, table.T.copy(), strict=True)),
            layer_names=layer_names,
            layer_norms={
                net: np.asarray(self.layers[net][:keep], dtype=np.float64).reshape(
                    keep, len(layer_names[net])
                )
                for net in ("d", "g")
            },
            settings=tuple(s for s in self.settings if s.step <= limit),
            metric_steps=np.asarray([m[0] for m in metric_rows], dtype=np.int64),
            metrics={
                n: np.asarray([m[1].get(n, math.nan) for m in metric_rows], dtype=np.float64)
                for n in names
            },
            diagnoses=tuple(d for d in self.diagnoses if d.step <= limit),
            skipped=tuple(skipped),
        )


def metrics_entries(path: str | Path) -> Iterator[dict[str, Any]]:
    """The entries (rows and events) of a metrics.jsonl file, in order, as plain dicts;
    lines that are not JSON objects (one cut off by a killed run) are skipped.

    Raises
    ------
    OSError
        The file cannot be opened or read.
    """
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                yield entry


def _metrics_file(path: str | Path) -> Path:
    path = Path(path)
    return path / "metrics.jsonl" if path.is_dir() else path


def _parse(text: str) -> tuple[dict[str, Any], str | None]:
    """A line's JSON object, and a note when only the end of a glued line was usable."""
    try:
        entry = json.loads(text)
    except ValueError:
        # A run killed mid-write leaves a partial line; a resumed run appends right behind
        # it, so the next whole line may follow on the same line.
        starts = [m.start() for m in _LINE_START.finditer(text) if m.start() > 0]
        for start in reversed(starts):
            try:
                entry = json.loads(text[start:])
            except ValueError:
                continue
            if isinstance(entry, dict):
                return _current_names(entry), _(
                    "cut off (a run stopped while writing it); the rest was read"
                )
        if not text.endswith("\n"):  # only the file's last line can lack its newline
            raise _BadLineError(_("cut off (the run stopped while writing it)")) from None
        raise _BadLineError(_("not valid JSON")) from None
    if not isinstance(entry, dict):
        raise _BadLineError(_("not a JSON object"))
    return _current_names(entry), None


def _current_names(entry: dict[str, Any]) -> dict[str, Any]:
    """Runs written by earlier versions called a segment a "generation"."""
    if LEGACY_SEGMENT_KEY in entry and "segment" not in entry:
        entry["segment"] = entry.pop(LEGACY_SEGMENT_KEY)
    return entry


class _Reader:
    """Reads metrics.jsonl line by line into one :class:`_Segment` per segment."""

    def __init__(self) -> None:
        self.segments: dict[int, _Segment] = {}
        self.current = -1  # segment of the last line that names one
        self.skipped: list[tuple[int, str]] = []

    def feed(self, line_no: int, text: str) -> None:
        if not text.strip():
            return
        try:
            entry, note = _parse(text)
            if note is not None:
                self.skipped.append((line_no, note))
            self._entry(entry)
        except _BadLineError as exc:
            self.skipped.append((line_no, str(exc)))

    def _segment(self, entry: dict[str, Any]) -> tuple[int, _Segment]:
        gen = _whole(entry, "segment", max(self.current, 0))
        return gen, self.segments.setdefault(gen, _Segment())

    def _entry(self, entry: dict[str, Any]) -> None:
        event = entry.get("event")
        if event is None:
            step = _whole(entry, "step")
            gen, history = self._segment(entry)
            history.add_row(entry, step)
        elif event in ("reset", "rebuild"):
            gen = _whole(entry, "segment")
            self.segments[gen] = _Segment()  # a new pair: its history starts here
        elif event == "setting":
            step = _whole(entry, "step")
            key = entry.get("key")
            if not isinstance(key, str):
                raise _BadLineError(_("a setting change without a 'key'"))
            gen, history = self._segment(entry)
            history.settings.append(
                rep.SettingChanged(gen, step, key, entry.get("old"), entry.get("new"))
            )
        elif event == "metrics":
            step = _whole(entry, "step")
            values = {k: _number(v, k) for k, v in entry.items() if k not in _METRIC_META}
            gen, history = self._segment(entry)
            history.metrics.append((step, values))
        elif event == "diagnosis":
            step = _whole(entry, "step")
            kind, severity, message = (entry.get(k) for k in ("kind", "severity", "message"))
            if not (
                isinstance(kind, str) and isinstance(severity, str) and isinstance(message, str)
            ):
                raise _BadLineError(_("a diagnosis without its kind, severity and message"))
            values = {k: _number(v, k) for k, v in entry.items() if k not in _DIAGNOSIS_META}
            gen, history = self._segment(entry)
            history.diagnoses.append(rep.Diagnosis(gen, step, kind, severity, message, values))
        else:
            return  # "checkpoint", and events a newer ganlab writes: nothing for the curves
        self.current = gen


def _read(
    metrics: Path, *, up_to_step: int | None, segment: int | None, end_line: int | None
) -> RunHistory:
    reader = _Reader()
    try:
        with open(metrics, encoding="utf-8", errors="replace") as fh:
            for line_no, text in enumerate(itertools.islice(fh, end_line), 1):
                reader.feed(line_no, text)
    except OSError as exc:
        raise GanlabError(
            _("{path}: cannot read the run's history: {error}").format(path=metrics, error=exc)
        ) from None
    wanted = reader.current if segment is None else segment
    found = reader.segments.get(wanted, _Segment())
    return found.history(metrics, wanted, up_to_step, reader.skipped)


def read_history(
    path: str | Path, *, up_to_step: int | None = None, segment: int | None = None
) -> RunHistory:
    """Read one segment's curves, setting changes, metrics and diagnoses from a run.

    Lines that cannot be read (a last line cut off by a killed run, a damaged line) are
    skipped and listed in ``RunHistory.skipped`` with their line numbers; they never stop
    the reading. When a resumed run wrote steps again (it restarted from a checkpoint
    older than its last rows), the newer rows replace the older ones from that step on.

    Parameters
    ----------
    path
        A run directory, or its metrics.jsonl.
    up_to_step
        Keep only rows and events at steps <= this (a checkpoint's step).
    segment
        The segment to read; default: the last one in the file (a reset or a rebuild
        starts a new segment, and the window shows only the current one).

    Returns
    -------
    RunHistory
        Empty (no rows) if the file holds nothing of that segment.

    Raises
    ------
    GanlabError
        The file is missing or cannot be read; the message names it.
    """
    metrics = _metrics_file(path)
    if not metrics.is_file():
        raise GanlabError(
            _("{path}: no such file (is {folder} a ganlab run?)").format(
                path=metrics, folder=metrics.parent
            )
        )
    return _read(metrics, up_to_step=up_to_step, segment=segment, end_line=None)


def history_for_checkpoint(path: str | Path) -> RunHistory | None:
    """The history that belongs to a checkpoint of a run directory, up to its step.

    A checkpoint ``RUN/checkpoints/step_NNNNNNNN.pt`` of a run with experiment.toml and
    metrics.jsonl gets the segment it was saved in, read up to the line that records
    it, so rows and changes written after it (a later reset, a later part of the run) are
    left out, and only steps <= NNNNNNNN are kept.

    Parameters
    ----------
    path
        The checkpoint file.

    Returns
    -------
    RunHistory or None
        None when the checkpoint is not inside a run directory (a lone file): the curves
        then start at the checkpoint's step.

    Raises
    ------
    GanlabError
        The run's metrics.jsonl exists but cannot be read.
    """
    ckpt = Path(path)
    match = _CKPT.match(ckpt.name)
    if match is None or ckpt.parent.name != "checkpoints":
        return None
    run = ckpt.parent.parent
    metrics = run / "metrics.jsonl"
    if not (run / "experiment.toml").is_file() or not metrics.is_file():
        return None
    step = int(match.group(1))
    end_line = _checkpoint_line(metrics, ckpt.name, step)
    return _read(metrics, up_to_step=step, segment=None, end_line=end_line)


def _checkpoint_line(metrics: Path, name: str, step: int) -> int | None:
    """The last line that records saving checkpoint ``name`` at ``step`` (None if none)."""
    found = None
    try:
        with open(metrics, encoding="utf-8", errors="replace") as fh:
            for line_no, text in enumerate(fh, 1):
                if '"checkpoint"' not in text:  # cheap filter: no JSON for the rows
                    continue
                try:
                    entry = json.loads(text)
                except ValueError:
                    continue
                if (
                    isinstance(entry, dict)
                    and entry.get("event") == "checkpoint"
                    and entry.get("step") == step
                    and Path(str(entry.get("path", ""))).name == name
                ):
                    found = line_no
    except OSError as exc:
        raise GanlabError(
            _("{path}: cannot read the run's history: {error}").format(path=metrics, error=exc)
        ) from None
    return found


# ---------------------------------------------------------------------- the window's runs

# Environment variable naming a folder for ganlab's user data instead of the platform's
# (``platformdirs.user_data_dir("ganlab")``): tests, portable installs, a shared lab disk.
DATA_DIR_ENV = "GANLAB_DATA_DIR"
# The window's runs together stay under this many bytes (2 GiB): the oldest whole runs go.
WINDOW_RUNS_MAX_BYTES = 2 * 1024**3
# Checkpoints a window run keeps (the highest steps, always with the one just written).
WINDOW_KEEP_CHECKPOINTS = 5
# How much of the end of metrics.jsonl a summary reads to find the last step.
_TAIL_BYTES = 64 * 1024


def user_data_folder() -> Path:
    """ganlab's folder for user data: ``$GANLAB_DATA_DIR`` when set, else the platform's
    user data directory (``platformdirs.user_data_dir("ganlab")``). Not created here."""
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("ganlab"))


def window_runs_folder() -> Path:
    """Where the window's own runs live: ``user_data_folder() / "runs"`` (not created)."""
    return user_data_folder() / "runs"


@dataclass(frozen=True)
class RunSummary:
    """One run directory, as a list of recent runs shows it.

    Attributes
    ----------
    path
        The run directory.
    name
        The experiment's name (the folder's name when experiment.toml cannot be read).
    family
        The model family ("" when unknown).
    steps
        The last step recorded in metrics.jsonl (0 without rows).
    modified
        Seconds since the epoch of the run's last write (experiment.toml, metrics.jsonl
        or a checkpoint).
    """

    path: Path
    name: str
    family: str
    steps: int
    modified: float


def _is_run(path: Path) -> bool:
    """A real folder (not a link) holding experiment.toml."""
    return path.is_dir() and not path.is_symlink() and (path / "experiment.toml").is_file()


def _runs_in(folder: Path) -> list[Path]:
    try:
        return [p for p in Path(folder).iterdir() if _is_run(p)]
    except OSError:  # no folder yet, or unreadable: no runs
        return []


def _last_write(run: Path) -> float:
    """The newest modification time among the files a recorder writes."""
    times = []
    for p in (run / "experiment.toml", run / "metrics.jsonl", run / "checkpoints"):
        try:
            times.append(p.stat().st_mtime)
        except OSError:
            continue
    return max(times, default=0.0)


def _last_step(metrics: Path) -> int:
    """The step of the last row (else event) near the end of metrics.jsonl; 0 if none."""
    try:
        with open(metrics, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - _TAIL_BYTES))
            tail = fh.read().decode("utf-8", errors="replace")
    except OSError:
        return 0
    event_step = 0
    for line in reversed(tail.splitlines()):
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut by the tail's start, or by a killed run
        if not isinstance(entry, dict) or type(entry.get("step")) is not int:
            continue
        if "event" not in entry:
            return int(entry["step"])
        event_step = event_step or int(entry["step"])
    return event_step


def summarize_run(path: str | Path) -> RunSummary:
    """A :class:`RunSummary` of one run directory (whatever of it can be read)."""
    run = Path(path)
    name, family = run.name, ""
    try:
        with open(run / "experiment.toml", "rb") as fh:
            experiment = tomllib.load(fh)
        name = str(experiment.get("name") or name)
        model = experiment.get("model")
        family = str(model.get("family", "")) if isinstance(model, dict) else ""
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        pass  # listed by its folder name: opening it will say what is wrong
    return RunSummary(run, name, family, _last_step(run / "metrics.jsonl"), _last_write(run))


def recent_runs(folder: str | Path, limit: int | None = None) -> list[RunSummary]:
    """The run directories directly inside ``folder``, newest first (by last write).

    Folders without experiment.toml and links are not runs and are left out; a missing
    ``folder`` has none. ``limit`` caps the list (None: all).
    """
    runs = sorted(_runs_in(Path(folder)), key=_last_write, reverse=True)
    return [summarize_run(p) for p in runs[:limit]]


def folder_size(path: str | Path) -> int:
    """Bytes of the files under ``path`` (links are not followed)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def prune_runs(
    folder: str | Path, max_bytes: int = WINDOW_RUNS_MAX_BYTES, keep: Iterable[Path] = ()
) -> list[Path]:
    """Delete the oldest whole run directories in ``folder`` until the runs there take at
    most ``max_bytes`` together.

    Only run directories (real folders holding experiment.toml) count and may go; other
    files and folders are left alone. A run in ``keep`` (the one being recorded, one open
    in a window) is never deleted, even when the bound cannot be met without it.

    Returns
    -------
    list of Path
        The run directories deleted, oldest first (one that could be removed only in
        part is not listed).
    """
    kept = {Path(p).resolve() for p in keep}
    runs = sorted(_runs_in(Path(folder)), key=_last_write)  # oldest first
    sizes = {run: folder_size(run) for run in runs}
    total = sum(sizes.values())
    removed: list[Path] = []
    for run in runs:
        if total <= max_bytes:
            break
        if run.resolve() in kept:
            continue
        shutil.rmtree(run, ignore_errors=True)
        if run.exists():  # partly removed (a file in use): count what is left
            total -= sizes[run] - folder_size(run)
            continue
        total -= sizes[run]
        removed.append(run)
    return removed
