"""What the window knows about the running experiment. GUI thread only; no drawing.

The controller's report slot writes here (O(batch) appends to ring buffers, the newest
snapshot, markers) and marks views dirty; the refresh timer reads and draws. Nothing here
touches torch: reports carry numpy arrays.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.ringbuffer import RingBuffer
from ganlab.kernel.rundir import HISTORY_COLUMNS, RunHistory

# Steps of curve history the window keeps per segment (metrics.jsonl, the Runs panel and
# the exports keep the whole run). Bounds the window's memory: the curves' own caches
# fill up to it (at 100,000 steps they added 47 MB in an hour's soak, at 200,000 about
# 100 MB; benchmarks/soak.py measures it).
HISTORY = 50_000


@dataclass
class Session:
    """State of one window's experiment, as seen from the GUI thread."""

    config: cfg.ExperimentConfig
    segment: int = -1
    info: rep.SegmentStarted | None = None
    state: str = "starting"  # starting, playing, paused, finished, stopped
    step: int = 0
    steps: RingBuffer = field(default_factory=lambda: RingBuffer(HISTORY, dtype=np.int64))
    columns: dict[str, RingBuffer] = field(default_factory=dict)
    layer_norms: dict[str, RingBuffer] = field(default_factory=dict)
    markers: list[tuple[int, str]] = field(default_factory=list)
    # the newest, not yet drawn
    snapshot: rep.ToySnapshot | rep.ImageSnapshot | rep.PanelSnapshot | None = None
    dirty: set[str] = field(default_factory=set)
    dropped_reports: int = 0  # stale reports from an older segment
    history: list[rep.SettingChanged] = field(default_factory=list)  # every change, all runs
    metric_steps: list[int] = field(default_factory=list)  # about one entry per second
    metrics: dict[str, list[float]] = field(default_factory=dict)
    diagnoses: list[rep.Diagnosis] = field(default_factory=list)

    def start_segment(self, info: rep.SegmentStarted) -> None:
        self.segment = info.segment
        self.info = info
        self.step = info.step
        self.config = cfg.loads(info.config_toml)
        self.steps.clear()
        self.columns = {n: RingBuffer(HISTORY) for n in HISTORY_COLUMNS}
        self.layer_norms = {
            net: RingBuffer(HISTORY, width=max(1, len(info.layer_names[net]))) for net in ("d", "g")
        }
        self.markers = []
        self.metric_steps = []
        self.metrics = {}
        self.snapshot = None
        self.dirty |= {"segment", "curves", "real"}

    def add_scalars(self, batch: rep.ScalarBatch) -> None:
        self.steps.append(batch.steps)
        for name, values in batch.values.items():
            self.columns[name].append(values)
        self.columns["lr_d"].append(batch.lrs["d"])
        self.columns["lr_g"].append(batch.lrs["g"])
        for net in ("d", "g"):
            norms = batch.layer_norms[net]
            if norms.shape[1]:
                self.layer_norms[net].append(norms)
        self.step = int(batch.steps[-1])
        self.dirty.add("curves")

    def add_metrics(self, report: rep.MetricsReport) -> None:
        n = len(self.metric_steps)
        self.metric_steps.append(report.step)
        for name, value in report.values.items():
            column = self.metrics.setdefault(name, [float("nan")] * n)
            column.append(value)
        for column in self.metrics.values():
            if len(column) < n + 1:  # a metric absent from this report
                column.append(float("nan"))
        self.dirty.add("metrics")

    def metric_series(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        return np.asarray(self.metric_steps, dtype=np.int64), {
            k: np.asarray(v, dtype=float) for k, v in self.metrics.items()
        }

    def add_marker(self, change: rep.SettingChanged) -> None:
        self.history.append(change)
        self.markers.append((change.step, marker_text(change)))
        self.dirty.add("curves")

    def load_history(self, history: RunHistory) -> None:
        """Show a run's recorded history as the past of the current segment.

        Call it right after :meth:`start_segment` for the segment that a run or a
        checkpoint restores (``history.step`` is then ``info.step``). Rows, setting
        markers, metrics and diagnoses at steps <= the segment's starting step are put
        before anything the segment has already reported; later ones are not its past
        and are left out. The curve buffers keep their bound: of a longer history, the
        newest ``HISTORY`` rows stay. Setting changes become markers only (``history``
        keeps the changes made in this window).

        Parameters
        ----------
        history
            From :func:`ganlab.kernel.rundir.read_history` or ``history_for_checkpoint``.
            Per-layer norms are matched to this segment's layers by name (NaN for a
            layer the history lacks).

        Raises
        ------
        ValueError
            No segment has started yet.
        """
        if self.info is None:
            raise ValueError("load_history needs a started segment (start_segment first)")
        start = self.info.step
        keep = history.steps <= start
        live_steps = self.steps.view().copy()
        live_columns = {n: b.view().copy() for n, b in self.columns.items()}
        live_layers = {net: b.view().copy() for net, b in self.layer_norms.items()}
        self.steps.clear()
        self.steps.append(history.steps[keep])
        self.steps.append(live_steps)
        for name, buffer in self.columns.items():
            buffer.clear()
            past = history.columns.get(name)
            buffer.append(past[keep] if past is not None else np.full(int(keep.sum()), np.nan))
            buffer.append(live_columns[name])
        for net, buffer in self.layer_norms.items():
            names = self.info.layer_names[net]
            if not names:
                continue  # like add_scalars: a network without layer norms keeps none
            buffer.clear()
            buffer.append(_layer_columns(history, net, names)[keep])
            buffer.append(live_layers[net])
        past_markers = [(c.step, marker_text(c)) for c in history.settings if c.step <= start]
        self.markers = past_markers + self.markers
        self._prepend_metrics(history, start)
        past_diagnoses = [
            dataclasses.replace(d, segment=self.segment)
            for d in history.diagnoses
            if d.step <= start
        ]
        ours = [d for d in self.diagnoses if d.segment == self.segment]
        others = [d for d in self.diagnoses if d.segment != self.segment]
        self.diagnoses = others + past_diagnoses + ours
        self.dirty |= {"curves", "metrics"}

    def _prepend_metrics(self, history: RunHistory, start: int) -> None:
        keep = history.metric_steps <= start
        n_past = int(keep.sum())
        n_live = len(self.metric_steps)
        names = dict.fromkeys([*history.metrics, *self.metrics])
        metrics: dict[str, list[float]] = {}
        for name in names:
            past = history.metrics.get(name)
            live = self.metrics.get(name)
            metrics[name] = [
                *(past[keep].tolist() if past is not None else [float("nan")] * n_past),
                *(live if live is not None else [float("nan")] * n_live),
            ]
        self.metric_steps = [*history.metric_steps[keep].tolist(), *self.metric_steps]
        self.metrics = metrics

    def series(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Steps and every scalar column, as read-only views (no copies)."""
        return self.steps.view(), {n: b.view() for n, b in self.columns.items()}

    def curves_csv(self) -> str:
        """The curve history as CSV text (header + one row per step)."""
        steps, cols = self.series()
        names = list(cols)
        lines = [",".join(["step", *names])]
        for i in range(len(steps)):
            lines.append(",".join([str(int(steps[i]))] + [_csv(cols[n][i]) for n in names]))
        return "\n".join(lines) + "\n"


def marker_text(change: rep.SettingChanged) -> str:
    """A curve marker's label, e.g. ``"lr_d 0.001→0.01"`` or ``"loss wgan→hinge"``."""
    section, _, short = change.key.rpartition(".")
    if section.startswith("optimizer_"):
        label = f"{short}_{section.removeprefix('optimizer_')}"
    elif short == "name" and section:
        label = section  # "loss.name" reads as "loss", "model.family" keeps its name
    else:
        label = short
    return f"{label} {_fmt(change.old)}→{_fmt(change.new)}"


def _layer_columns(history: RunHistory, net: str, names: tuple[str, ...]) -> np.ndarray:
    """(n, len(names)) per-layer norms of ``history`` in ``names``' order; NaN if absent."""
    have = {name: i for i, name in enumerate(history.layer_names.get(net, ()))}
    norms = history.layer_norms[net]
    out = np.full((len(history.steps), len(names)), np.nan)
    for j, name in enumerate(names):
        if name in have:
            out[:, j] = norms[:, have[name]]
    return out


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _csv(value: float) -> str:
    return "" if value != value else f"{value:.7g}"
