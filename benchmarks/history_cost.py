"""What keeping a run's history of views costs a headless run.

Runs, in one process, two headless loops as ``ganlab train`` drives them (recording a
run directory through the recorder): one that draws its views once a second for the
run's history (``ganlab.kernel.history``: what ``ganlab train`` does now) and one that
draws none (what it did before). Both train copies of the same networks on the same
data; they alternate in rounds of the same wall time, so machine noise hits both alike.
Prints steps/s of each, their ratio, and the history's frames and bytes on disk.

Goal: ratio (with history / without) >= 0.97 on the CPU.

    python benchmarks/history_cost.py [--preset ring8] [--seconds 20] [--rounds 6]
"""

from __future__ import annotations

import argparse
import dataclasses
import queue
import sys
import tempfile
import time
from pathlib import Path

from ganlab.cli import HEADLESS_SCALAR_HZ
from ganlab.engine.loop import run
from ganlab.engine.recorder import Recorder, drive
from ganlab.engine.trainer import Trainer
from ganlab.kernel import commands as cmd
from ganlab.kernel import reports as rep
from ganlab.kernel.history import HISTORY_EVERY_S, History
from ganlab.kernel.presets import load_preset
from ganlab.kernel.rundir import RunDir


class Variant:
    """One headless loop, consumed in rounds."""

    def __init__(self, name: str, config, folder: Path, *, history: bool):
        self.name = name
        self.folder = folder
        self.inbox: queue.Queue[cmd.Command] = queue.Queue()
        trainer = Trainer(config)
        self.reports = drive(
            run(
                config,
                self.inbox,
                recording=True,
                trainer=trainer,
                snapshots=history,
                snapshot_hz=1.0 / HISTORY_EVERY_S,
                scalar_hz=HEADLESS_SCALAR_HZ,
            ),
            Recorder(RunDir.create(folder, config)),
        )
        self.steps = 0
        self.seconds = 0.0

    def round(self, seconds: float) -> None:
        start = time.perf_counter()
        for report in self.reports:
            if isinstance(report, rep.ScalarBatch):
                self.steps += len(report)
            if time.perf_counter() - start >= seconds:
                break
        self.seconds += time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="ring8")
    parser.add_argument("--seconds", type=float, default=20.0, help="per round and variant")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args(argv)
    config = load_preset(args.preset)
    config = dataclasses.replace(config, loop=dataclasses.replace(config.loop, steps=0))
    with tempfile.TemporaryDirectory() as tmp:
        with_history = Variant("with history", config, Path(tmp) / "a", history=True)
        without = Variant("without", config, Path(tmp) / "b", history=False)
        for _ in range(args.rounds):
            for variant in (with_history, without):
                variant.round(args.seconds)
        rates = {}
        for variant in (with_history, without):
            rates[variant.name] = variant.steps / variant.seconds
            print(
                f"{variant.name:>13}: {variant.steps} steps in {variant.seconds:.1f} s = "
                f"{rates[variant.name]:.1f} steps/s"
            )
        frames = History(with_history.folder).frames()
        size = sum(f.path.stat().st_size for f in frames)
        print(
            f"history: {len(frames)} frames, {size / 1024**2:.1f} MB "
            f"({size / max(len(frames), 1) / 1024:.0f} KB a frame)"
        )
        ratio = rates["with history"] / rates["without"]
        print(f"ratio (with history / without): {ratio:.3f}  goal >= 0.97")
    return 0


if __name__ == "__main__":
    sys.exit(main())
