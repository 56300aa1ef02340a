"""What writing TensorBoard event files costs a headless run.

Runs, in one process, two headless loops as ``ganlab train`` drives them (recording a
run directory through the recorder, views drawn once a second for the run's history):
one whose recorder also writes TensorBoard event files (``ganlab.engine.tensorboard``:
what a run does where TensorBoard is installed) and one whose recorder does not. Both
train copies of the same networks on the same data; they alternate in rounds of the same
wall time (after one warm-up round each, which also imports TensorBoard), in turns that
alternate which goes first, so machine noise hits both alike. Prints steps/s of each,
their ratio, the writer thread's CPU time and the event files' size.

The writer writes what it was given at most FLUSH_EVERY_S (2 s) later, so a little of
one round's writing may fall into the next round (with --threaded, the other
variant's): with rounds of a few seconds or more that is noise.

Goal: ratio (with TensorBoard / without) >= 0.97 on the CPU.

    python benchmarks/tensorboard_cost.py [--preset ring8] [--seconds 20] [--rounds 6]

``--control`` runs the same with TensorBoard off in both (an A/A run): its ratio is the
noise of the machine, to read the real one against. ``--threaded`` has the writer write
from a thread of its own (``TensorBoardWriter(threaded=True)``) instead of the
recorder's.
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
from ganlab.engine import tensorboard
from ganlab.engine.loop import run
from ganlab.engine.recorder import Recorder, drive
from ganlab.engine.tensorboard import EVENTS_PREFIX, available
from ganlab.engine.trainer import Trainer
from ganlab.kernel import commands as cmd
from ganlab.kernel import reports as rep
from ganlab.kernel.history import HISTORY_EVERY_S
from ganlab.kernel.presets import load_preset
from ganlab.kernel.rundir import RunDir


class Variant:
    """One headless loop, consumed in rounds."""

    def __init__(self, name: str, config, folder: Path, *, tensorboard: bool):
        self.name = name
        self.folder = folder
        self.inbox: queue.Queue[cmd.Command] = queue.Queue()
        self.recorder = Recorder(RunDir.create(folder, config), tensorboard=tensorboard)
        self.reports = drive(
            run(
                config,
                self.inbox,
                recording=True,
                trainer=Trainer(config),
                snapshot_hz=1.0 / HISTORY_EVERY_S,
                scalar_hz=HEADLESS_SCALAR_HZ,
            ),
            self.recorder,
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

    def close(self) -> None:
        self.reports.close()
        self.recorder.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="ring8")
    parser.add_argument("--seconds", type=float, default=20.0, help="per round and variant")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--control", action="store_true", help="TensorBoard off in both")
    parser.add_argument(
        "--threaded", action="store_true", help="the writer writes from a thread of its own"
    )
    args = parser.parse_args(argv)
    tensorboard.THREADED = args.threaded
    if not available():
        print('TensorBoard is not installed: pip install "ganlab[tensorboard]"', file=sys.stderr)
        return 2
    config = load_preset(args.preset)
    config = dataclasses.replace(config, loop=dataclasses.replace(config.loop, steps=0))
    with tempfile.TemporaryDirectory() as tmp:
        with_tb = Variant("with TensorBoard", config, Path(tmp) / "a", tensorboard=not args.control)
        without = Variant("without", config, Path(tmp) / "b", tensorboard=False)
        for variant in (with_tb, without):  # warm-up, not counted: the writer's import
            variant.round(args.seconds)
            variant.steps, variant.seconds = 0, 0.0
        for n in range(args.rounds):  # ABBA: neither goes first more often
            for variant in (with_tb, without) if n % 2 == 0 else (without, with_tb):
                variant.round(args.seconds)
        rates = {}
        writer = with_tb.recorder._tensorboard  # what its worker thread spent, in CPU
        for variant in (with_tb, without):
            variant.close()
            rates[variant.name] = variant.steps / variant.seconds
            print(
                f"{variant.name:>16}: {variant.steps} steps in {variant.seconds:.1f} s = "
                f"{rates[variant.name]:.1f} steps/s"
            )
        files = list(with_tb.folder.glob(f"{EVENTS_PREFIX}*"))
        size = sum(f.stat().st_size for f in files)
        print(f"event files: {len(files)}, {size / 1024**2:.2f} MB (warm-up round included)")
        if writer is not None:
            print(
                f"writer thread: {writer.cpu_s:.2f} CPU s = "
                f"{writer.cpu_s / max(with_tb.steps, 1) * 1e6:.0f} us a step, "
                f"{writer.cpu_s / with_tb.seconds * 100:.1f} % of one core"
            )
        ratio = rates["with TensorBoard"] / rates["without"]
        print(f"ratio (with TensorBoard / without): {ratio:.3f}  goal >= 0.97")
    return 0


if __name__ == "__main__":
    sys.exit(main())
