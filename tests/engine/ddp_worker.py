"""One rank of the 2-rank CPU job that tests/engine/test_distributed.py starts.

    RANK=r WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=P python ddp_worker.py OUT_DIR P2

Runs five scenarios in one job (starting a rank costs seconds on a 2-core machine) and
writes what each rank saw to ``OUT_DIR/rank{r}.pt``; the test process compares them:

1. ``equivalence``: one step per loss with batch B per rank, with every real batch,
   noise batch and gradient-penalty weight recorded, and the parameters and gradients
   after the step.
2. ``commands``: rank 0 runs the loop with an inbox; a SetLearningRate and a Pause reach
   it after step 3, then Step("d"), another SetLearningRate and Play. Each rank logs every
   step it trains (step, which, learning rates, its own losses); rank 0 logs the
   published losses.
3. ``resume``: 4 steps, a state, 2 steps; the state loaded back, 2 steps again.
4. ``families``: every registered model family (toy data for mlp, shapes for the image
   families, shapes pairs for pix2pix), the losses in turn, a few steps of each kind;
   each rank's weights after.
5. ``train``: ``ganlab train OUT_DIR/exp.toml --steps 4 --out OUT_DIR/run --quiet``, the
   command's own entry point on each rank, as ``torchrun -m ganlab train`` runs it (in a
   new process group on port P2); its exit code.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import os
import queue
import sys
from pathlib import Path
from typing import Any

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: conftest's configs
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's ganlab

from conftest import tiny_config

from ganlab.cli import main as ganlab_main
from ganlab.engine import distributed, losses
from ganlab.engine.loop import run
from ganlab.engine.trainer import StepStats
from ganlab.kernel import commands as cmd
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.registry import LOSSES, MODEL_FAMILIES

BATCH = 8  # per rank
EQUIVALENCE_LOSSES = ("non_saturating", "wgan_gp")
LR_D, LR_G = 0.0123, 0.0456
# families: the data each family trains on, by the first kind it supports in this order
SOURCE_OF_KIND = {
    "toy2d": "ring8_teaching",
    "image": "shapes",
    "paired": "shapes_edges",
    "unpaired": "shapes_unpaired",
}


def equivalence_config(loss: str, batch: int) -> cfg.ExperimentConfig:
    """A tiny MLP without BatchNorm, trained by plain SGD (an update proportional to the
    gradient, so parameters differ only as much as gradients do)."""
    config = tiny_config(loss=loss, batch_size=batch, k_d=1, k_g=1)
    sgd = cfg.OptimizerConfig(name="sgd", lr=0.05, momentum=0.0)
    return dataclasses.replace(config, optimizer_d=sgd, optimizer_g=sgd)


def snapshot(trainer: Any) -> dict[str, dict[str, torch.Tensor]]:
    out: dict[str, dict[str, torch.Tensor]] = {}
    for net, module in (("G", trainer.G), ("D", trainer.D)):
        out[net] = {n: p.detach().clone() for n, p in module.named_parameters()}
        out[net + "_grad"] = {n: p.grad.detach().clone() for n, p in module.named_parameters()}
    return out


def record_draws(trainer: Any) -> dict[str, list[torch.Tensor]]:
    """Wrap the trainer's draws so every real batch, noise batch and penalty weight is kept."""
    draws: dict[str, list[torch.Tensor]] = {"real": [], "noise": [], "eps": []}
    real_batch, noise = trainer._real_batch, trainer._noise

    def recorded_real(n: int):
        x, y = real_batch(n)
        draws["real"].append(x.clone())
        return x, y

    def recorded_noise(n: int):
        z, y = noise(n)
        draws["noise"].append(z.clone())
        return z, y

    trainer._real_batch, trainer._noise = recorded_real, recorded_noise
    return draws


def equivalence(context: distributed.DistributedContext) -> dict[str, Any]:
    results: dict[str, Any] = {}
    penalty = losses.gradient_penalty
    for loss in EQUIVALENCE_LOSSES:
        trainer = distributed.DistributedTrainer(equivalence_config(loss, BATCH), context)
        draws = record_draws(trainer)

        def recorded_penalty(D, real, fake, y, generator, draws=draws):  # noqa: N803
            eps = torch.rand(len(real), generator=generator, device=generator.device)
            draws["eps"].append(eps.clone())
            return penalty(D, real, fake, y, generator, eps=eps)

        losses.gradient_penalty = recorded_penalty
        try:
            trainer.step("both")
        finally:
            losses.gradient_penalty = penalty
        results[loss] = {"draws": draws, **snapshot(trainer)}
    return results


def commands(context: distributed.DistributedContext) -> dict[str, Any]:
    trainer = distributed.DistributedTrainer(tiny_config(steps=10), context)
    steps: list[tuple[int, str, float, float]] = []
    own: list[list[float]] = []
    plain_step = trainer.step

    def logged_step(which: str = "both") -> StepStats:
        stats = plain_step(which)
        steps.append((trainer.step_count, which, *trainer.learning_rates()))
        own.append([float(stats.values[c]) for c in ("d_loss", "g_loss", "d_real", "d_fake")])
        return stats

    trainer.step = logged_step  # type: ignore[method-assign]
    published: list[tuple[int, list[float]]] = []
    if not context.is_main:
        distributed.follow(trainer)
    else:
        trainer.lead()
        inbox: queue.Queue[cmd.Command] = queue.Queue()
        ticks = itertools.count()  # a clock one second on at every look: publish every step
        paused_once = stepped = False
        reports = run(trainer.config, inbox, clock=lambda: float(next(ticks)), trainer=trainer)
        for report in reports:
            if isinstance(report, rep.ScalarBatch):
                columns = ("d_loss", "g_loss", "d_real", "d_fake")
                for i, step in enumerate(report.steps):
                    published.append((int(step), [float(report.values[c][i]) for c in columns]))
                if not paused_once and report.steps[-1] >= 3:
                    inbox.put(cmd.SetLearningRate("d", LR_D))
                    inbox.put(cmd.Pause())
                    paused_once = True
            elif isinstance(report, rep.StateChanged) and report.state == "paused":
                if not stepped:
                    inbox.put(cmd.Step("d"))
                    inbox.put(cmd.SetLearningRate("g", LR_G))
                    inbox.put(cmd.Play())
                    stepped = True
            elif isinstance(report, rep.TrainingError):
                raise RuntimeError(report.message)
        trainer.release()
    return {"steps": steps, "own": own, "published": published, **snapshot(trainer)}


def resume(context: distributed.DistributedContext) -> dict[str, Any]:
    trainer = distributed.DistributedTrainer(tiny_config(), context)
    if not context.is_main:
        distributed.follow(trainer)
        return {}
    trainer.lead()
    for _ in range(4):
        trainer.step()
    state = copy.deepcopy(trainer.state_dict())  # the state's tensors are the live ones
    for _ in range(2):
        trainer.step()
    straight = snapshot(trainer)
    trainer.load_state_dict(state, source_path="step 4")
    for _ in range(2):
        trainer.step()
    again = snapshot(trainer)
    trainer.release()
    return {"straight": straight, "again": again, "rng_ranks": len(state["rng_ranks"])}


# An offline source of each data kind the image families train on.


def families(context: distributed.DistributedContext) -> dict[str, Any]:
    """Weights after 2 iterations, a D step and a G step, per family (k_D = 2: the plain
    G forward of the first D update and the reused fake of the second both occur)."""
    results: dict[str, Any] = {}
    for family, loss in zip(MODEL_FAMILIES.names(), itertools.cycle(LOSSES.names()), strict=False):
        kinds = MODEL_FAMILIES.get(family).data_kinds
        source = next(
            name for kind, name in SOURCE_OF_KIND.items() if kind in kinds
        )  # toy data where the family trains on it
        config = tiny_config(source=source, family=family, loss=loss, k_d=2, k_g=1)
        config = cfg.with_value(config, "loss.r1_gamma", 1.0)
        trainer = distributed.DistributedTrainer(config, context)
        for which in ("both", "both", "d", "g"):
            trainer.step(which)
        results[family] = {"loss": loss, **snapshot(trainer)}
    return results


def main(out: Path, train_port: str) -> None:
    torch.set_num_threads(1)
    with distributed.session("cpu") as context:
        results = {
            "equivalence": equivalence(context),
            "commands": commands(context),
            "resume": resume(context),
            "families": families(context),
        }
    os.environ["MASTER_PORT"] = train_port
    argv = ["train", str(out / "exp.toml"), "--steps", "4", "--out", str(out / "run"), "--quiet"]
    results["train"] = ganlab_main(argv)
    torch.save(results, out / f"rank{context.rank}.pt")


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main(Path(sys.argv[1]), sys.argv[2])
