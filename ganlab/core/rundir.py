"""The run directory: experiment.toml, metrics.jsonl, checkpoints/. No Qt.

Written by the training loop (trainer thread); read by ``ganlab train --resume``, the
window's "open run", and any tool that reads JSON lines. Layout::

    RUN/
      experiment.toml          the experiment as it started (live changes are events below)
      metrics.jsonl            one JSON object per line: a row per step (step, time,
                               generation, which, losses, D means, grad norms, lrs), and
                               events with an "event" key (setting changes, checkpoints)
      checkpoints/step_00001000.pt
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any, TextIO

from ganlab.core import config as cfg
from ganlab.core.errors import GanlabError

_CKPT = re.compile(r"^step_(\d+)\.pt$")


def default_run_dir(config: cfg.ExperimentConfig, base: str | Path = "runs") -> Path:
    """``base/YYYYmmdd-HHMMSS-<name>``, made unique if it exists."""
    slug = re.sub(r"[^a-z0-9]+", "-", config.name.lower()).strip("-") or "run"
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
            raise GanlabError(f"{run.path}: cannot create the run directory: {exc}") from None
        return run

    @classmethod
    def open_existing(cls, path: str | Path) -> RunDir:
        run = cls(path)
        if not (run.path / "experiment.toml").is_file():
            raise GanlabError(f"{run.path}: not a ganlab run directory (no experiment.toml)")
        return run

    @property
    def checkpoints(self) -> Path:
        return self.path / "checkpoints"

    def experiment(self) -> cfg.ExperimentConfig:
        return cfg.load(self.path / "experiment.toml")

    def checkpoint_path(self, step: int) -> Path:
        return self.checkpoints / f"step_{step:08d}.pt"

    def latest_checkpoint(self) -> Path | None:
        found = []
        if self.checkpoints.is_dir():
            for p in self.checkpoints.iterdir():
                m = _CKPT.match(p.name)
                if m:
                    found.append((int(m.group(1)), p))
        return max(found)[1] if found else None

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
