"""What the window knows about the running experiment. GUI thread only; no drawing.

The controller's report slot writes here (O(batch) appends to ring buffers, the newest
snapshot, markers) and marks views dirty; the refresh timer reads and draws. Nothing here
touches torch: reports carry numpy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ganlab.core import config as cfg
from ganlab.core import reports as rep
from ganlab.core.ringbuffer import RingBuffer

HISTORY = 200_000  # steps of curve history kept per generation


@dataclass
class Session:
    """State of one window's experiment, as seen from the GUI thread."""

    config: cfg.ExperimentConfig
    generation: int = -1
    info: rep.GenerationStarted | None = None
    state: str = "starting"  # starting, playing, paused, finished, stopped
    step: int = 0
    steps: RingBuffer = field(default_factory=lambda: RingBuffer(HISTORY, dtype=np.int64))
    columns: dict[str, RingBuffer] = field(default_factory=dict)
    layer_norms: dict[str, RingBuffer] = field(default_factory=dict)
    markers: list[tuple[int, str]] = field(default_factory=list)
    snapshot: rep.ToySnapshot | rep.ImageSnapshot | None = None  # newest, not yet drawn
    dirty: set[str] = field(default_factory=set)
    dropped_reports: int = 0  # stale reports from an older generation
    history: list[rep.SettingChanged] = field(default_factory=list)  # every change, all runs
    metric_steps: list[int] = field(default_factory=list)  # about one entry per second
    metrics: dict[str, list[float]] = field(default_factory=dict)
    diagnoses: list[rep.Diagnosis] = field(default_factory=list)

    def start_generation(self, info: rep.GenerationStarted) -> None:
        self.generation = info.generation
        self.info = info
        self.step = info.step
        self.config = cfg.loads(info.config_toml)
        self.steps.clear()
        names = [*rep.SCALAR_COLUMNS, "lr_d", "lr_g"]
        self.columns = {n: RingBuffer(HISTORY) for n in names}
        self.layer_norms = {
            net: RingBuffer(HISTORY, width=max(1, len(info.layer_names[net]))) for net in ("d", "g")
        }
        self.markers = []
        self.metric_steps = []
        self.metrics = {}
        self.snapshot = None
        self.dirty |= {"generation", "curves", "real"}

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
        short = change.key.split(".")[-1]
        network = change.key.split(".")[0].removeprefix("optimizer_")
        label = f"{short}_{network}" if change.key.startswith("optimizer_") else short
        self.markers.append((change.step, f"{label} {_fmt(change.old)}→{_fmt(change.new)}"))
        self.dirty.add("curves")

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


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _csv(value: float) -> str:
    return "" if value != value else f"{value:.7g}"
