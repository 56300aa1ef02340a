"""Engine vs a hand-written PyTorch loop: does ganlab's training loop add overhead?

Runs, in one process, ganlab's headless loop (``ganlab.engine.loop.run`` driving the
``Trainer``, publishing scalars as ``ganlab train`` does) and a plain PyTorch DCGAN loop
written the way the PyTorch DCGAN example writes it, on the same networks (same family,
same initial weights), the same data source, batch size and device. The two alternate in
short rounds for the same wall time each, so machine noise hits both alike, and the
script prints steps/s of each and their ratio.

Goal: ratio (engine / reference) >= 1.0 on the CPU.

    python benchmarks/engine_vs_reference.py [--seconds 20] [--rounds 10] [--device cpu]
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import queue
import sys
import time

import torch
import torch.nn.functional as F

from ganlab.cli import HEADLESS_SCALAR_HZ
from ganlab.engine.loop import run
from ganlab.engine.trainer import Trainer
from ganlab.kernel import commands as cmd
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.presets import load_preset


class ReferenceLoop:
    """The PyTorch DCGAN example's loop, on copies of the engine's initial networks."""

    def __init__(self, trainer: Trainer):
        self.G = copy.deepcopy(trainer.G)
        self.D = copy.deepcopy(trainer.D)
        oc_g, oc_d = trainer.config.optimizer_g, trainer.config.optimizer_d
        self.opt_g = torch.optim.Adam(
            self.G.parameters(), lr=oc_g.lr, betas=(oc_g.beta1, oc_g.beta2)
        )
        self.opt_d = torch.optim.Adam(
            self.D.parameters(), lr=oc_d.lr, betas=(oc_d.beta1, oc_d.beta2)
        )
        self.source = trainer.source
        self.device = trainer.device
        self.batch = trainer.config.loop.batch_size
        self.latent = trainer.config.loop.latent_dim
        self.gen = torch.Generator().manual_seed(1)
        self.steps = 0

    def step(self) -> None:
        real, _ = self.source.sample(self.batch, self.gen)
        real = real.to(self.device)
        ones = torch.ones(self.batch, device=self.device)
        zeros = torch.zeros(self.batch, device=self.device)
        # (1) D: maximise log D(x) + log(1 - D(G(z)))
        self.D.zero_grad()
        err_real = F.binary_cross_entropy_with_logits(self.D(real, None), ones)
        err_real.backward()
        noise = torch.randn(self.batch, self.latent, device=self.device)
        fake = self.G(noise, None)
        err_fake = F.binary_cross_entropy_with_logits(self.D(fake.detach(), None), zeros)
        err_fake.backward()
        self.opt_d.step()
        # (2) G: maximise log D(G(z)), reusing the fake batch
        self.G.zero_grad()
        err_g = F.binary_cross_entropy_with_logits(self.D(fake, None), ones)
        err_g.backward()
        self.opt_g.step()
        self.steps += 1

    def run_for(self, seconds: float) -> tuple[int, float]:
        start_steps, t0 = self.steps, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            self.step()
        if self.device.type == "cuda":
            torch.cuda.synchronize()
        return self.steps - start_steps, time.perf_counter() - t0


def engine_for(trainer: Trainer, seconds: float) -> tuple[int, float]:
    """Drive the real headless loop, published as ``ganlab train`` does, for ``seconds``."""
    inbox: queue.Queue[cmd.Command] = queue.Queue()
    start = trainer.step_count
    t0 = time.perf_counter()
    stopped = False
    for report in run(
        trainer.config, inbox, trainer=trainer, snapshots=False, scalar_hz=HEADLESS_SCALAR_HZ
    ):
        if (
            isinstance(report, rep.ScalarBatch)
            and not stopped
            and time.perf_counter() - t0 >= seconds
        ):
            inbox.put(cmd.Stop())
            stopped = True
    if trainer.device.type == "cuda":
        torch.cuda.synchronize()
    return trainer.step_count - start, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="shapes_dcgan")
    parser.add_argument("--seconds", type=float, default=20.0, help="wall time for each side")
    parser.add_argument("--rounds", type=int, default=10, help="alternating rounds")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--batch", type=int, default=None)
    args = parser.parse_args(argv)

    config = load_preset(args.preset)
    config = cfg.with_value(config, "loop.device", args.device)
    if args.batch:
        config = cfg.with_value(config, "loop.batch_size", args.batch)
    # A plain non-saturating GAN without extras, like the reference.
    config = dataclasses.replace(config, loss=cfg.LossConfig(name="non_saturating"))
    trainer = Trainer(config)
    reference = ReferenceLoop(trainer)
    print(
        f"preset {args.preset}: {config.model.family}, {config.data.source} "
        f"{config.data.image_size}px x{config.data.channels}, batch {config.loop.batch_size}, "
        f"latent {config.loop.latent_dim}, device {trainer.describe_device()}, "
        f"torch {torch.__version__}"
    )
    # Warm up both (allocator, kernels) before timing.
    engine_for(trainer, 1.0)
    reference.run_for(1.0)

    per_round = args.seconds / args.rounds
    totals = {"engine": [0, 0.0], "reference": [0, 0.0]}
    for i in range(args.rounds):
        order = (
            ("engine", lambda: engine_for(trainer, per_round)),
            ("reference", lambda: reference.run_for(per_round)),
        )
        if i % 2:
            order = order[::-1]
        for name, fn in order:
            steps, secs = fn()
            totals[name][0] += steps
            totals[name][1] += secs
    rate = {k: v[0] / v[1] for k, v in totals.items()}
    print(
        f"engine    {rate['engine']:8.2f} steps/s  ({totals['engine'][0]} steps in "
        f"{totals['engine'][1]:.1f} s)"
    )
    print(
        f"reference {rate['reference']:8.2f} steps/s  ({totals['reference'][0]} steps in "
        f"{totals['reference'][1]:.1f} s)"
    )
    ratio = rate["engine"] / rate["reference"]
    print(f"ratio engine/reference = {ratio:.3f}  (goal >= 1.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
