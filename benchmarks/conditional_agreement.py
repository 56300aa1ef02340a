"""Does a conditional preset condition? Agreement and within-class variety after training.

Trains a preset headless exactly as ``ganlab train`` does (``ganlab.engine.loop.run``
driving a ``Trainer``, no snapshots, scalars at the headless rate, the same live
diagnostics), then, at the end (and optionally every ``--eval-every`` steps, measured
while the loop is suspended between reports, from a separate random generator so
training is unaffected):

* generates ``--per-class`` images per class with fresh z, in one batch with the labels
  mixed (as G's BatchNorm sees them in training);
* classifies them with the offline classifier of :mod:`ganlab.metrics.classifier`
  (trained on the preset's source and format, cached) and prints the **agreement**: the
  share whose recognised class is the requested one (chance: 1 / number of classes);
* prints the **within-class variety**: the mean pairwise pixel distance between the
  images of one requested class (per pixel, pixels in [-1, 1]), averaged over classes,
  divided by the same number for as many real images of each class (1 = as varied as
  the data, 0 = one image per class: G ignores z);
* prints steps, wall time of the training, steps/s, and the diagnoses the loop raised.

Goal (issue 10): shapes_cgan and shapes_acgan reach >= 90 % agreement with visible
variety within 10 minutes of training on a 2-core CPU.

    python benchmarks/conditional_agreement.py --preset shapes_cgan [--steps N]
        [--seed 0] [--per-class 50] [--eval-every 500] [--set model.base_channels=48 ...]
"""

from __future__ import annotations

import argparse
import ast
import queue
import sys
import time

import numpy as np
import torch

from ganlab.cli import HEADLESS_SCALAR_HZ
from ganlab.engine.latent import sample_latent
from ganlab.engine.loop import run
from ganlab.engine.trainer import Trainer
from ganlab.kernel import commands as cmd
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.presets import load_preset
from ganlab.metrics.classifier import OfflineClassifier, label_agreement, load_or_train


def _value(text: str) -> object:
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def within_class_spread(images: np.ndarray, labels: np.ndarray, num_classes: int) -> float:
    """Mean pairwise L2 distance per pixel between images of the same class, averaged over
    the classes present. ``images`` float (N, D) in [-1, 1], ``labels`` int (N,)."""
    spreads = []
    for c in range(num_classes):
        x = torch.as_tensor(images[labels == c], dtype=torch.float32)
        n = len(x)
        if n < 2:
            continue
        d = torch.cdist(x, x)
        spreads.append(float(d.sum() / (n * (n - 1)) / np.sqrt(x.shape[1])))
    return float(np.mean(spreads)) if spreads else float("nan")


def evaluate(
    trainer: Trainer, classifier: OfflineClassifier, per_class: int, seed: int
) -> dict[str, float]:
    """Agreement and variety of ``per_class`` fresh samples per class (see module doc)."""
    k = trainer.spec.num_classes
    lc = trainer.config.loop
    gen = torch.Generator().manual_seed(10_000 + seed)
    labels = torch.arange(k).repeat(per_class)  # mixed in one batch
    z = sample_latent(len(labels), lc.latent_dim, lc.latent_dist, gen)
    fake = trainer.generate(z, labels).float().cpu()
    fake_u8 = trainer._images_to_uint8(fake)
    agreement, _ = label_agreement(classifier, fake_u8, labels.numpy())
    real, real_y = trainer.source.sample(per_class * k * 4, gen)
    assert real_y is not None
    # As many reals of each class as fakes (the spread estimate depends little on n).
    keep = np.concatenate([np.flatnonzero(real_y.numpy() == c)[:per_class] for c in range(k)])
    fake_spread = within_class_spread(fake.reshape(len(fake), -1).numpy(), labels.numpy(), k)
    real_spread = within_class_spread(
        real[keep].reshape(len(keep), -1).numpy(), real_y.numpy()[keep], k
    )
    return {
        "agreement": agreement,
        "fake_within": fake_spread,
        "real_within": real_spread,
        "variety": fake_spread / real_spread,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", default="shapes_cgan")
    parser.add_argument("--steps", type=int, default=0, help="0: the preset's loop.steps")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-class", type=int, default=50)
    parser.add_argument("--eval-every", type=int, default=0, help="also evaluate every N steps")
    parser.add_argument("--grid", default="", help="save a PNG: one row per class, 10 z")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)

    config = load_preset(args.preset)
    for item in args.set:
        key, _, text = item.partition("=")
        config = cfg.with_value(config, key, _value(text))
    config = cfg.with_value(config, "loop.seed", args.seed)
    steps = args.steps or config.loop.steps
    if not steps:
        parser.error("the preset has no loop.steps; give --steps")
    config = cfg.with_value(config, "loop.steps", steps)
    trainer = Trainer(config)
    if not trainer.family.conditional:
        parser.error(f"preset {args.preset} is not conditional")
    dc = config.data
    t0 = time.perf_counter()
    classifier = load_or_train(dc.source, dc.image_size, dc.channels)
    print(
        f"classifier: {classifier.feature_space}, held-out accuracy "
        f"{classifier.accuracy:.3f} ({classifier.origin}, {time.perf_counter() - t0:.1f} s)"
    )
    print(f"preset {args.preset}: {trainer.describe_device()}, {torch.get_num_threads()} threads")
    print(f"overrides: {args.set or 'none'}; steps {steps}; seed {args.seed}")

    inbox: queue.Queue[cmd.Command] = queue.Queue()
    reports = run(config, inbox, trainer=trainer, snapshots=False, scalar_hz=HEADLESS_SCALAR_HZ)
    train_time = 0.0
    t_start = time.perf_counter()
    next_eval = args.eval_every or steps + 1
    diagnoses: list[rep.Diagnosis] = []
    for report in reports:
        if isinstance(report, rep.Diagnosis):
            diagnoses.append(report)
            print(f"  diagnosis at step {report.step}: {report.kind}: {report.message}")
        elif isinstance(report, rep.TrainingError):
            print(f"training error: {report.message}", file=sys.stderr)
            inbox.put(cmd.Stop())
        elif isinstance(report, rep.ScalarBatch) and trainer.step_count >= next_eval:
            train_time += time.perf_counter() - t_start
            m = evaluate(trainer, classifier, args.per_class, args.seed)
            print(
                f"  step {trainer.step_count:6d}  {train_time:7.1f} s  agreement "
                f"{m['agreement']:6.1%}  variety {m['variety']:.2f}",
                flush=True,
            )
            next_eval = (trainer.step_count // args.eval_every + 1) * args.eval_every
            t_start = time.perf_counter()
    train_time += time.perf_counter() - t_start
    m = evaluate(trainer, classifier, args.per_class, args.seed)
    k = trainer.spec.num_classes
    print(
        f"RESULT preset={args.preset} seed={args.seed} steps={trainer.step_count} "
        f"train_s={train_time:.1f} steps_per_s={trainer.step_count / train_time:.2f} "
        f"agreement={m['agreement']:.3f} (chance {1 / k:.3f}, {args.per_class}/class) "
        f"variety={m['variety']:.2f} (within-class spread {m['fake_within']:.3f} vs real "
        f"{m['real_within']:.3f}) diagnoses={[d.kind for d in diagnoses] or 'none'}"
    )
    if args.grid:
        save_grid(trainer, args.grid)
    return 0


def save_grid(trainer: Trainer, path: str, per_row: int = 10) -> None:
    """One row per class, ``per_row`` fresh z (the same z in every row), as a PNG."""
    from PIL import Image

    k = trainer.spec.num_classes
    lc = trainer.config.loop
    z = sample_latent(per_row, lc.latent_dim, lc.latent_dist, torch.Generator().manual_seed(7))
    y = torch.arange(k).repeat_interleave(per_row)
    img = trainer._images_to_uint8(trainer.generate(z.repeat(k, 1), y))
    _, h, w, c = img.shape
    rows = img.reshape(k, per_row, h, w, c).transpose(0, 2, 1, 3, 4).reshape(k * h, per_row * w, c)
    Image.fromarray(rows.squeeze()).resize((per_row * w * 2, k * h * 2)).save(path)


if __name__ == "__main__":
    raise SystemExit(main())
