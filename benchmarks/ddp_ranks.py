"""DistributedDataParallel on this machine: samples/s with 1 rank vs 2 ranks.

Trains the same experiment (an MLP GAN on the 8-gaussian ring, 3 hidden layers of 256,
batch 256 per rank, CPU, gloo) as a 1-rank job and as a 2-rank job, in one go, and
prints real samples seen per second (iterations x batch x ranks / seconds) for each and
their ratio. Each rank runs one CPU thread (``OMP_NUM_THREADS=1``, ``loop.threads = 1``),
so 2 ranks use 2 cores where 1 rank uses 1: the ideal ratio is 2. The ranks are started
with the variables torchrun sets (``RANK``, ``WORLD_SIZE``, ``MASTER_ADDR``...), as
``torchrun --standalone --nproc_per_node=N`` would, and time ``Trainer.step`` between two
barriers after a warm-up.

    python benchmarks/ddp_ranks.py [--steps 300] [--batch 256] [--hidden 256]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARMUP_STEPS = 20
ALLREDUCE_REPEATS = 50


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rank_main(steps: int, batch: int, hidden: int) -> None:
    """One rank: build, warm up, time ``steps`` iterations; rank 0 prints a JSON line."""
    sys.path.insert(0, str(ROOT))
    import torch
    import torch.distributed as dist

    from ganlab.engine import distributed
    from ganlab.kernel import config as cfg

    config = cfg.ExperimentConfig(
        name="ddp-benchmark",
        data=cfg.DataConfig(source="ring8"),
        model=cfg.ModelConfig(
            family="mlp", g_hidden=hidden, d_hidden=hidden, g_layers=3, d_layers=3
        ),
        loop=cfg.LoopConfig(batch_size=batch, device="cpu", threads=1),
    )
    with distributed.session("cpu") as context:
        trainer = distributed.DistributedTrainer(config, context)
        for _ in range(WARMUP_STEPS):
            trainer.step()
        dist.barrier()
        start = time.perf_counter()
        for _ in range(steps):
            trainer.step()
        dist.barrier()
        elapsed = time.perf_counter() - start
        # The gradients' share: all-reduces of G's and D's gradient sizes, as DDP runs them.
        sizes = [sum(p.numel() for p in m.parameters()) for m in (trainer.G, trainer.D)]
        buffers = [torch.zeros(n) for n in sizes]
        dist.barrier()
        t0 = time.perf_counter()
        for _ in range(ALLREDUCE_REPEATS):
            for buffer in buffers:
                dist.all_reduce(buffer)
        allreduce_s = (time.perf_counter() - t0) / ALLREDUCE_REPEATS
        if context.is_main:
            samples = steps * batch * context.world_size
            line = {
                "ranks": context.world_size,
                "samples_per_s": samples / elapsed,
                "seconds": elapsed,
                "iteration_ms": 1000 * elapsed / steps,
                "allreduce_ms": 1000 * allreduce_s,
                "parameters": sum(sizes),
                "threads_per_rank": torch.get_num_threads(),
            }
            print(json.dumps(line), flush=True)


def launch(ranks: int, args: argparse.Namespace) -> dict:
    """Start ``ranks`` rank processes of this script and return rank 0's measurement."""
    port = str(_free_port())
    procs = []
    for rank in range(ranks):
        env = {
            **os.environ,
            "OMP_NUM_THREADS": "1",
            "RANK": str(rank),
            "WORLD_SIZE": str(ranks),
            "LOCAL_RANK": str(rank),
            "LOCAL_WORLD_SIZE": str(ranks),
            "MASTER_ADDR": "127.0.0.1",
            "MASTER_PORT": port,
        }
        command = [sys.executable, __file__, "--rank-process"]
        command += ["--steps", str(args.steps), "--batch", str(args.batch)]
        command += ["--hidden", str(args.hidden)]
        procs.append(subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True))
    outputs = [p.communicate(timeout=args.timeout)[0] for p in procs]
    for p in procs:
        if p.returncode != 0:
            raise SystemExit(f"a rank of the {ranks}-rank job failed (exit {p.returncode})")
    return json.loads(outputs[0].strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300, help="timed iterations per job")
    parser.add_argument("--batch", type=int, default=256, help="batch per rank")
    parser.add_argument("--hidden", type=int, default=256, help="width of G's and D's layers")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per job")
    parser.add_argument("--rank-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rank_process:
        rank_main(args.steps, args.batch, args.hidden)
        return
    print(
        f"MLP GAN on ring8, {args.hidden} wide, 3 layers; batch {args.batch} per rank; "
        f"{args.steps} timed iterations; CPU, gloo, 1 thread per rank; "
        f"{os.cpu_count()} cores here, load average {os.getloadavg()[0]:.1f} before"
    )
    one = launch(1, args)
    two = launch(2, args)
    for result in (one, two):
        print(
            f"{result['ranks']} rank(s): {result['samples_per_s']:8.0f} samples/s  "
            f"({result['iteration_ms']:.1f} ms an iteration, of which G's and D's gradient "
            f"all-reduces take {result['allreduce_ms']:.2f} ms; "
            f"{result['threads_per_rank']} thread per rank)"
        )
    ratio = two["samples_per_s"] / one["samples_per_s"]
    print(f"2 ranks / 1 rank: {ratio:.2f} (2.00 would be perfect scaling)")
    print(f"load average after: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    extra = two["iteration_ms"] - one["iteration_ms"]
    print(
        f"What limits it here: a 2-rank iteration takes {two['iteration_ms']:.1f} ms against "
        f"{one['iteration_ms']:.1f} ms on 1 rank (the same per-rank work). Of the "
        f"{extra:.1f} ms more, about {two['allreduce_ms']:.1f} ms are the gradient "
        "all-reduces over loopback TCP (gloo, measured on their own); the rest is ranks "
        f"waiting for a core: each rank runs one thread, and this machine's "
        f"{os.cpu_count()} cores also run gloo's threads and whatever else is running "
        "(the load averages above)."
    )


if __name__ == "__main__":
    main()
