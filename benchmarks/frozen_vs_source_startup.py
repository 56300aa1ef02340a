"""Frozen vs source: how much slower does the packaged lab start?

Runs, alternating so machine noise hits both, (1) the PyInstaller bundle's ``ganlab`` and
(2) ``python -m ganlab`` from the environment the bundle was built from (same torch, Qt,
pyqtgraph), for two commands:

- ``--version``: process start to exit, nothing imported but the CLI;
- ``--smoke-test``: process start to exit of a window that trains 50 steps and paints
  (offscreen), i.e. what a user waits for, and the first-paint time it reports.

Prints the median of each and the frozen/source ratio and difference. Goal: the bundle
starts no more than ~0.5 s slower than Python (onefolder: no unpacking at start).

    python benchmarks/frozen_vs_source_startup.py [--bundle build/bundle-cpu/ganlab/ganlab]
        [--python build/pkg-cpu/bin/python] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], cwd: str) -> tuple[float, dict | None]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    report = next((json.loads(x) for x in done.stdout.splitlines() if x.startswith("{")), None)
    return elapsed, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", default=str(ROOT / "build/bundle-cpu/ganlab/ganlab"))
    parser.add_argument("--python", default=str(ROOT / "build/pkg-cpu/bin/python"))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for path in (args.bundle, args.python):
        if not Path(path).exists():
            sys.exit(f"{path}: not found (build it first: packaging/build.sh cpu)")
    variants = {"frozen": [args.bundle], "source": [args.python, "-m", "ganlab"]}
    # Run outside the checkout so `python -m ganlab` imports the installed lab, as the
    # bundle does, not the source tree.
    with tempfile.TemporaryDirectory() as cwd:
        for cmd in variants.values():  # warm the page cache once for each
            timed([*cmd, "--version"], cwd)
        results: dict[str, dict[str, list[float]]] = {
            n: {"version": [], "smoke": [], "paint": []} for n in variants
        }
        for _ in range(args.rounds):
            for name, cmd in variants.items():
                results[name]["version"].append(timed([*cmd, "--version"], cwd)[0])
                elapsed, report = timed([*cmd, "--smoke-test"], cwd)
                if report is None or not report["ok"]:
                    sys.exit(f"{name} smoke test failed: {report}")
                results[name]["smoke"].append(elapsed)
                results[name]["paint"].append(report["first_paint_s"])
    med = {n: {k: statistics.median(v) for k, v in r.items()} for n, r in results.items()}
    print(f"{args.rounds} rounds, medians (s)        frozen    source   frozen/source  diff")
    for key, label in (
        ("version", "ganlab --version"),
        ("smoke", "ganlab --smoke-test (exit)"),
        ("paint", "  first paint once window is built"),
    ):
        f, s = med["frozen"][key], med["source"][key]
        print(f"{label:<33} {f:8.3f}  {s:8.3f}  {f / s:10.2f}  {f - s:+7.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
