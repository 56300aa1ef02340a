"""Many runs side by side: list the runs in folders, read their curves, name what differs.

Torch-free and Qt-free (numpy only); read in the window's GUI thread by the Runs panel
(``ganlab.app.runs_compare``), and by any tool. Builds on :mod:`ganlab.kernel.rundir`
(the run directory's layout, :func:`~ganlab.kernel.rundir.summarize_run`).

- :func:`list_runs`: the runs directly inside some folders, newest first, each with its
  family, loss, last step and last quality metrics (read from the end of metrics.jsonl,
  so listing 50 runs costs milliseconds however long they are).
- :class:`RunCurves`: one run's curves (losses, D's outputs, gradient norms, learning
  rates, quality metrics) against steps, read incrementally: a refresh reads only what
  the run wrote since. Each curve keeps at most :data:`CURVE_POINTS` points whatever the
  length of the run (each bucket of rows keeps its lowest and its highest value, so
  spikes survive), so memory stays bounded for a run of millions of steps.
- :func:`differing_settings`: which settings differ among some experiments, as
  ``"key = value"`` texts per run, for a legend.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ganlab.kernel import config as cfg
from ganlab.kernel.errors import GanlabError
from ganlab.kernel.i18n import _, ngettext
from ganlab.kernel.rundir import (
    HISTORY_COLUMNS,
    _BadLineError,
    _last_step,
    _last_write,
    _parse,
    _runs_in,
)

CURVE_POINTS = 4000  # the most points a curve keeps, however long the run
# How much of the end of metrics.jsonl the list reads for the last quality metrics.
_METRICS_TAIL_BYTES = 256 * 1024
_READ_BYTES = 4 * 1024 * 1024  # metrics.jsonl is read this much at a time
_SKIPS_KEPT = 20  # unreadable lines kept by line number; the rest are counted
# Settings that say how a run is recorded or shown, or how long it runs (the Steps
# column shows that), not what it learns: never "differ".
RECORDING_KEYS = frozenset(
    {
        "name",
        "description",
        "loop.steps",
        "loop.scalar_hz",
        "loop.snapshot_hz",
        "loop.checkpoint_every",
        "loop.threads",
    }
)
# Curves of the per-layer gradient norms are called "grad_norm_d/<layer>".
LAYER_SEPARATOR = "/"
METRIC_PREFIX = "metric:"  # a quality metric's curve: "metric:jsd"


# ---------------------------------------------------------------------- listing


@dataclass(frozen=True)
class RunInfo:
    """One run, as the Runs panel's table lists it.

    Attributes
    ----------
    path
        The run directory.
    name
        The experiment's name (the folder's name if experiment.toml cannot be read).
    family, loss
        The model family and the loss ("" when unknown).
    steps
        The last step recorded (0 without rows).
    modified
        Seconds since the epoch of the run's last write.
    metrics
        The last quality-metrics event's values (empty if none near the file's end).
    """

    path: Path
    name: str
    family: str
    loss: str
    steps: int
    modified: float
    metrics: dict[str, float]


def _experiment_table(run: Path) -> dict[str, Any]:
    try:
        with open(run / "experiment.toml", "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def _last_metrics(metrics: Path) -> dict[str, float]:
    """The values of the last "metrics" event near the end of metrics.jsonl."""
    try:
        with open(metrics, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - _METRICS_TAIL_BYTES))
            tail = fh.read().decode("utf-8", errors="replace")
    except OSError:
        return {}
    for line in reversed(tail.splitlines()):
        if '"metrics"' not in line:  # cheap filter: no JSON for the rows
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("event") == "metrics":
            return {
                k: float(v)
                for k, v in entry.items()
                if k not in ("event", "step", "segment") and type(v) in (int, float)
            }
    return {}


def run_info(path: str | Path) -> RunInfo:
    """A :class:`RunInfo` of one run directory (reads experiment.toml and the end of
    metrics.jsonl; whatever of them can be read)."""
    run = Path(path)
    table = _experiment_table(run)
    model, loss = table.get("model"), table.get("loss")
    return RunInfo(
        path=run,
        name=str(table.get("name") or run.name),
        family=str(model.get("family", "")) if isinstance(model, dict) else "",
        loss=str(loss.get("name", "")) if isinstance(loss, dict) else "",
        steps=_last_step(run / "metrics.jsonl"),
        modified=_last_write(run),
        metrics=_last_metrics(run / "metrics.jsonl"),
    )


def list_runs(folders: Iterable[str | Path]) -> list[RunInfo]:
    """The run directories directly inside each of ``folders``, newest first.

    What counts as a run is :func:`ganlab.kernel.rundir.recent_runs`'s rule (a real
    folder holding experiment.toml); a folder that does not exist has none, and a run
    inside a folder named twice is listed once.
    """
    seen: set[Path] = set()
    found: list[Path] = []
    for folder in folders:
        for run in _runs_in(Path(folder)):
            key = run.resolve()
            if key not in seen:
                seen.add(key)
                found.append(run)
    return sorted((run_info(p) for p in found), key=lambda r: r.modified, reverse=True)


# ---------------------------------------------------------------------- settings


def flat_settings(experiment: cfg.ExperimentConfig | Mapping[str, Any]) -> dict[str, Any]:
    """``{"section.key": value}`` of an experiment (a config or its TOML table)."""
    table = (
        cfg.to_dict(experiment)
        if isinstance(experiment, cfg.ExperimentConfig)
        else dict(experiment)
    )
    out: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            out[prefix] = value

    walk("", table)
    return out


def setting_text(value: Any) -> str:
    """A setting's value as a legend shows it: TOML's spelling (``true``, ``"a"`` as
    ``a``), floats in Python's shortest form (``5e-05``, ``0.0002``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(setting_text(v) for v in value) + "]"
    return str(value)


_MISSING = object()


def differing_settings(
    experiments: Sequence[cfg.ExperimentConfig | Mapping[str, Any]],
    ignore: Iterable[str] = RECORDING_KEYS,
) -> list[list[str]]:
    """The settings that differ among ``experiments``, as ``"key = value"`` per run.

    Every setting is compared as a dotted key (``optimizer_d.lr``, ``loss.name``,
    ``loop.seed``); a key some runs lack counts as differing (shown as ``-`` there).
    Keys in ``ignore`` (by default :data:`RECORDING_KEYS`: the name, the description and
    how often a run records) are left out.

    Parameters
    ----------
    experiments
        One config (or TOML table) per run.

    Returns
    -------
    list of list of str
        For each run, in order, ``"key = value"`` for each differing key, keys in the
        order of the first experiment's settings (then any others, sorted). Empty lists
        when fewer than two runs or nothing differs.
    """
    flats = [flat_settings(e) for e in experiments]
    if len(flats) < 2:
        return [[] for _ in flats]
    skipped = frozenset(ignore)
    keys = list(flats[0])
    keys += sorted({k for f in flats[1:] for k in f} - set(keys))
    differing = [
        k for k in keys if k not in skipped and len({repr(f.get(k, _MISSING)) for f in flats}) > 1
    ]
    return [[f"{k} = {setting_text(f[k]) if k in f else '-'}" for k in differing] for f in flats]


def run_experiment(path: str | Path) -> cfg.ExperimentConfig | dict[str, Any]:
    """The experiment a run's current segment trains: the config of its last reset or
    rebuild event if any, else experiment.toml. A file this version cannot validate (an
    older or newer ganlab's) gives its plain TOML table instead; an unreadable one ``{}``.
    """
    run = Path(path)
    return experiment_of(run, _last_segment_config(run / "metrics.jsonl"))


def experiment_of(
    path: str | Path, segment_config: str | None
) -> cfg.ExperimentConfig | dict[str, Any]:
    """Like :func:`run_experiment`, given the current segment's config already read
    (``RunCurves.segment_config``; None: the run's experiment.toml holds it)."""
    run = Path(path)
    text = segment_config
    if text is None:
        try:
            text = (run / "experiment.toml").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return {}
    try:
        return cfg.loads(text, str(run / "experiment.toml"))
    except (GanlabError, ValueError):
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return {}


def _last_segment_config(metrics: Path) -> str | None:
    found = None
    try:
        with open(metrics, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if '"config"' not in line:  # cheap filter: no JSON for the rows
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if (
                    isinstance(entry, dict)
                    and entry.get("event") in ("reset", "rebuild")
                    and isinstance(entry.get("config"), str)
                ):
                    found = entry["config"]
    except OSError:
        return None
    return found


# ---------------------------------------------------------------------- curves


class Decimator:
    """A curve of any length kept in at most ``max_points`` points.

    Values arrive in step order and fill buckets of ``width`` finite values; each bucket
    keeps its lowest and its highest value with their steps. When the buckets reach
    ``max_points // 2``, neighbours merge pairwise and the width doubles: old and new
    parts of the curve keep the same resolution, and memory is O(max_points) however many
    values arrive. Until the first merge every value is kept as it came. Non-finite
    values are skipped.

    Parameters
    ----------
    max_points
        The most points :meth:`points` returns (at least 4).
    """

    def __init__(self, max_points: int = CURVE_POINTS) -> None:
        if max_points < 4:
            raise ValueError(f"max_points must be at least 4, not {max_points}")
        self.capacity = max_points // 2 - 1  # closed buckets; the open one is the last
        self.width = 1
        # Closed buckets: step and value of the lowest and of the highest value.
        self._lo_x = np.zeros(0, dtype=np.int64)
        self._lo_y = np.zeros(0)
        self._hi_x = np.zeros(0, dtype=np.int64)
        self._hi_y = np.zeros(0)
        # The bucket being filled: [count, lo step, lo value, hi step, hi value], or None.
        self._open: list[Any] | None = None
        self.count = 0  # finite values seen
        self.last_step = -1  # the last step added

    def __len__(self) -> int:
        return len(self.points()[0])

    def extend(self, steps: np.ndarray, values: np.ndarray) -> None:
        """Add values at increasing steps (after every step added before)."""
        values = np.asarray(values, dtype=np.float64)
        if len(steps) and self.count and int(steps[0]) <= self.last_step:
            self.cut(int(steps[0]))  # a step written again: the newer values win
        if len(steps):
            self.last_step = int(steps[-1])
        finite = np.isfinite(values)
        steps = np.asarray(steps, dtype=np.int64)[finite]
        values = values[finite]
        self.count += len(values)
        if self._open is not None and len(values):
            count, lo_x, lo_y, hi_x, hi_y = self._open
            take = min(self.width - count, len(values))
            x, y = steps[:take], values[:take]
            lo, hi = int(y.argmin()), int(y.argmax())
            if y[lo] < lo_y:
                lo_x, lo_y = int(x[lo]), float(y[lo])
            if y[hi] > hi_y:
                hi_x, hi_y = int(x[hi]), float(y[hi])
            steps, values = steps[take:], values[take:]
            if count + take < self.width:
                self._open = [count + take, lo_x, lo_y, hi_x, hi_y]
                return
            self._open = None
            self._append(*(np.array([v]) for v in (lo_x, lo_y, hi_x, hi_y)))
        full = len(values) // self.width * self.width
        if full:
            x = steps[:full].reshape(-1, self.width)
            y = values[:full].reshape(-1, self.width)
            lo, hi = y.argmin(axis=1), y.argmax(axis=1)
            rows = np.arange(len(y))
            self._append(x[rows, lo], y[rows, lo], x[rows, hi], y[rows, hi])
        if full < len(values):
            x, y = steps[full:], values[full:]
            lo, hi = int(y.argmin()), int(y.argmax())
            self._open = [len(y), int(x[lo]), float(y[lo]), int(x[hi]), float(y[hi])]

    def _append(self, lo_x: np.ndarray, lo_y: np.ndarray, hi_x: np.ndarray, hi_y: np.ndarray):
        self._lo_x = np.concatenate([self._lo_x, lo_x])
        self._lo_y = np.concatenate([self._lo_y, lo_y])
        self._hi_x = np.concatenate([self._hi_x, hi_x])
        self._hi_y = np.concatenate([self._hi_y, hi_y])
        while len(self._lo_x) > self.capacity:
            self._merge()

    def _merge(self) -> None:
        """Merge neighbouring buckets pairwise; an odd last one stays as it is."""
        n = len(self._lo_x) // 2 * 2
        tail = slice(n, None)
        lo_y = self._lo_y[:n].reshape(-1, 2)
        hi_y = self._hi_y[:n].reshape(-1, 2)
        lo = lo_y.argmin(axis=1)
        hi = hi_y.argmax(axis=1)
        rows = np.arange(n // 2)
        self._lo_x = np.concatenate([self._lo_x[:n].reshape(-1, 2)[rows, lo], self._lo_x[tail]])
        self._lo_y = np.concatenate([lo_y[rows, lo], self._lo_y[tail]])
        self._hi_x = np.concatenate([self._hi_x[:n].reshape(-1, 2)[rows, hi], self._hi_x[tail]])
        self._hi_y = np.concatenate([hi_y[rows, hi], self._hi_y[tail]])
        self.width *= 2

    def cut(self, step: int) -> None:
        """Forget every bucket holding a value at ``step`` or later (a resumed run writes
        those steps again). The bucket that straddles ``step`` goes whole: a gap of at
        most one bucket's width before ``step``."""
        keep = np.maximum(self._lo_x, self._hi_x) < step
        self._lo_x, self._lo_y = self._lo_x[keep], self._lo_y[keep]
        self._hi_x, self._hi_y = self._hi_x[keep], self._hi_y[keep]
        if self._open is not None and max(self._open[1], self._open[3]) >= step:
            self._open = None

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps int64, values float64), in step order, at most ``max_points`` each."""
        lo_x, lo_y, hi_x, hi_y = self._lo_x, self._lo_y, self._hi_x, self._hi_y
        if self._open is not None:
            _count, *extremes = self._open
            lo_x, lo_y, hi_x, hi_y = (
                np.append(a, v) for a, v in zip((lo_x, lo_y, hi_x, hi_y), extremes, strict=True)
            )
        first = lo_x <= hi_x
        x = np.stack([np.where(first, lo_x, hi_x), np.where(first, hi_x, lo_x)], axis=1).ravel()
        y = np.stack([np.where(first, lo_y, hi_y), np.where(first, hi_y, lo_y)], axis=1).ravel()
        # A bucket of one value (or whose extremes share a step) gives one point.
        single = np.zeros(len(x), dtype=bool)
        single[1::2] = x[1::2] == x[0::2]
        return x[~single], y[~single]


class RunCurves:
    """One run's curves from its metrics.jsonl, read incrementally and kept bounded.

    Curves (see :meth:`names`): the columns of a step row (:data:`HISTORY_COLUMNS`:
    ``d_loss``, ``g_loss``, ``d_real``, ``d_fake``, ``grad_norm_d``, ``grad_norm_g``, the
    loss terms, ``lr_d``, ``lr_g``), each layer's gradient norm
    (``grad_norm_d/<layer>``), and each value of the quality-metric events
    (``metric:jsd``, ``metric:modes_captured``...). Each keeps at most ``max_points``
    points (:class:`Decimator`).

    Like :func:`ganlab.kernel.rundir.read_history`, only the run's current segment is
    kept (a reset or a rebuild starts the curves over), a resumed run's rewritten steps
    replace the old ones, and unreadable lines are skipped and named (:attr:`skipped`,
    :meth:`skipped_summary`), never fatal. A line still being written (no newline yet) is
    read at the next :meth:`update`.

    Parameters
    ----------
    path
        A run directory, or its metrics.jsonl.
    max_points
        The most points per curve.
    """

    def __init__(self, path: str | Path, max_points: int = CURVE_POINTS) -> None:
        path = Path(path)
        self.path = path / "metrics.jsonl" if path.is_dir() else path
        self.max_points = max_points
        self._restart()

    def _restart(self) -> None:
        self._offset = 0  # bytes read up to the end of the last whole line
        self._line_no = 0
        self._size = -1
        self.segment = -1
        self.last_step = 0  # the last row's step
        self._curves: dict[str, Decimator] = {}
        self.metrics: dict[str, float] = {}  # the last metrics event's values
        # The experiment (TOML) of the last reset or rebuild; None: experiment.toml's.
        self.segment_config: str | None = None
        self.skipped: list[tuple[int, str]] = []
        self.skipped_count = 0
        self._problem: str | None = None

    def names(self) -> list[str]:
        """The curves that have data, in the order they first appeared."""
        return [n for n, d in self._curves.items() if d.count]

    def curve(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(steps, values) of one curve; empty arrays for a name without data."""
        found = self._curves.get(name)
        if found is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return found.points()

    def update(self) -> bool:
        """Read what the run wrote since the last call. Returns whether anything changed.

        Raises
        ------
        GanlabError
            metrics.jsonl cannot be read (it is missing, or a read fails); the message
            names the file.
        """
        try:
            size = self.path.stat().st_size
        except OSError as exc:
            raise GanlabError(
                _("{path}: cannot read the run's history: {error}").format(
                    path=self.path, error=exc
                )
            ) from None
        if size < self._offset:  # replaced or cut short: read it again from the start
            self._restart()
        if size == self._size:
            return False
        self._size = size
        changed = False
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self._offset)
                carry = b""
                while True:
                    block = fh.read(_READ_BYTES)
                    if not block:
                        break
                    block = carry + block
                    end = block.rfind(b"\n") + 1
                    carry = block[end:]
                    if end:
                        self._feed(block[:end].decode("utf-8", errors="replace").splitlines())
                        self._offset += end
                        changed = True
        except OSError as exc:
            raise GanlabError(
                _("{path}: cannot read the run's history: {error}").format(
                    path=self.path, error=exc
                )
            ) from None
        return changed

    def _skip(self, line_no: int, why: str) -> None:
        self.skipped_count += 1
        if len(self.skipped) < _SKIPS_KEPT:
            self.skipped.append((line_no, why))

    def skipped_summary(self) -> str | None:
        """One message naming the unreadable lines (None if every line was read)."""
        if not self.skipped_count:
            return None
        named = "; ".join(
            _("line {number}: {why}").format(number=n, why=why) for n, why in self.skipped[:5]
        )
        more = self.skipped_count - min(5, len(self.skipped))
        rest = _("; and {count} more").format(count=more) if more > 0 else ""
        return ngettext(
            "{path}: skipped {count} unreadable line ({named}{rest})",
            "{path}: skipped {count} unreadable lines ({named}{rest})",
            self.skipped_count,
        ).format(path=self.path, count=self.skipped_count, named=named, rest=rest)

    def _decimator(self, name: str) -> Decimator:
        found = self._curves.get(name)
        if found is None:
            found = self._curves[name] = Decimator(self.max_points)
        return found

    def _new_segment(self, segment: int) -> None:
        self.segment = segment
        self.last_step = 0
        self._curves = {}
        self.metrics = {}

    def _feed(self, lines: list[str]) -> None:
        # Rows and metrics events are gathered and handed to the decimators a block at a
        # time: one numpy call per curve and block, not per line.
        rows: list[tuple[int, dict[str, Any]]] = []  # (step, curve -> value)
        events: list[tuple[int, dict[str, Any]]] = []

        def flush() -> None:
            for found, prefix in ((rows, ""), (events, METRIC_PREFIX)):
                if not found:
                    continue
                names: dict[str, None] = {}
                for _step, values in found:
                    names.update(dict.fromkeys(values))
                steps = np.fromiter((step for step, _v in found), np.int64, len(found))
                for name in names:
                    # None (JSON null: not computed) becomes NaN, which the decimator skips.
                    column = np.array([v.get(name) for _s, v in found], dtype=np.float64)
                    self._decimator(prefix + name).extend(steps, column)
                found.clear()

        for text in lines:
            self._line_no += 1
            if not text.strip():
                continue
            try:
                entry, note = _parse(text + "\n")
            except _BadLineError as exc:
                self._skip(self._line_no, str(exc))
                continue
            if note is not None:
                self._skip(self._line_no, note)
            event = entry.get("event")
            step: Any = entry.get("step")  # checked just below
            segment = entry.get("segment", max(self.segment, 0))
            key = next(
                (
                    k
                    for k, v in (("step", step), ("segment", segment))
                    if type(v) is not int or v < 0
                ),
                "",
            )
            if key:
                if event is None or event == "metrics":
                    why = _("'{key}' is not a whole number >= 0 ({value})")
                    self._skip(self._line_no, why.format(key=key, value=repr(entry.get(key))))
                continue
            if event in ("reset", "rebuild") or segment > self.segment:
                rows.clear()  # an older segment's: not shown
                events.clear()
                self._new_segment(segment)
                if event in ("reset", "rebuild"):
                    config = entry.get("config")
                    self.segment_config = config if isinstance(config, str) else None
                    continue
            elif segment < self.segment:
                continue  # an older segment's line after a newer one's: not shown
            if event is None:
                row, bad = _row_values(entry)
                if bad:
                    why = _("'{key}' is not a number ({value})")
                    self._skip(self._line_no, why.format(key=bad, value=repr(row[bad])))
                    continue
                if step <= self.last_step and (rows or events or self._curves):
                    # A resumed run writes the steps after its checkpoint again.
                    flush()
                    for curve in self._curves.values():
                        curve.cut(step)
                self.last_step = step
                rows.append((step, row))
            elif event == "metrics":
                values = {
                    k: float(v)
                    for k, v in entry.items()
                    if k not in _EVENT_KEYS and type(v) in (int, float)
                }
                events.append((step, values))
                self.metrics = values
        flush()


_EVENT_KEYS = frozenset({"event", "step", "segment"})
_COLUMNS = frozenset(HISTORY_COLUMNS)
_NUMBERS = frozenset({int, float, type(None)})
_LAYER_KEYS = {"grad_norm_d_layers": "grad_norm_d", "grad_norm_g_layers": "grad_norm_g"}


def _row_values(entry: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """A step row's curve values (None where not computed), and the name of a value that
    is not a number ("" if none)."""
    row = {k: v for k, v in entry.items() if k in _COLUMNS}
    for key, total in _LAYER_KEYS.items():
        layers = entry.get(key)
        if isinstance(layers, dict):
            row.update({f"{total}{LAYER_SEPARATOR}{k}": v for k, v in layers.items()})
    if not _NUMBERS.issuperset(map(type, row.values())):
        return row, next(k for k, v in row.items() if type(v) not in _NUMBERS)
    return row, ""
