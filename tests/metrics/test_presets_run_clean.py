"""Every shipped preset whose lesson is not a failure runs clean: no diagnosis fires.

Each preset is trained headless with the real engine (the Trainer the loop drives, on the
CPU, one thread) and its statistics are fed to the diagnostics the way the loop feeds
them: every ScalarBatch with its learning rates and the experiment in effect, and every
so often the toy metrics' mode count or the image diversity. A diagnosis on a healthy
preset is a false alarm: it teaches the wrong thing and trains students to ignore the
banner.

The step counts keep the file near a minute on a 2-core CPU. They are chosen to reach the
point where each detector can first judge (D wins and vanishing gradients: ~100-200
steps; mode drops: 1,000; oscillation: 1,900) on the fast presets, and, for the image
presets, the seed and length on which the old thresholds raised "D is winning" (at step
270 for the DCGAN, 250 for the cGAN with seed 1). The detectors' thresholds were
calibrated on longer runs (2,000-4,000 steps, three seeds each; see the constants in
ganlab.metrics.diagnostics).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from ganlab.engine.trainer import Trainer
from ganlab.kernel import config as cfg
from ganlab.kernel.errors import DataError
from ganlab.kernel.presets import load_preset, preset_names
from ganlab.metrics.diagnostics import Diagnosis, Diagnostics

# Presets whose lesson *is* the failure: a diagnosis there is the point, not a defect.
FAILURE_LESSONS = {
    "ring8_mode_collapse": "a plain GAN covering a few modes and hopping between them",
    "saturating_loss": "G's gradient vanishing under the minimax loss",
}
# Presets that need a download: run only when the data is already in the user cache.
DOWNLOADS = {"mnist_dcgan": 300}
# Healthy presets: (steps, seed).
HEALTHY = {
    "ring8": (2000, 0),  # the default: long enough for every rule, oscillation included
    "gaussian1d": (1000, 0),
    "two_moons": (1000, 0),
    "spiral": (500, 0),
    "grid25": (500, 0),
    "wgan_gp_ring": (500, 0),
    "wgan_clip_ring": (500, 0),  # clean at 1,000 too; 500 keeps the file near a minute
    "shapes_dcgan": (350, 0),  # old thresholds: "D is winning" at step 270
    "shapes_cgan": (350, 1),  # old thresholds: "D is winning" at step 250
    "shapes_acgan": (250, 0),
    "shapes_pix2pix": (200, 0),
    "shapes_cyclegan": (200, 0),
    "shapes_stylegan": (250, 0),
}
BATCH = 25  # steps per ScalarBatch
METRICS_EVERY = 100  # steps between mode counts / diversity measurements


def train_and_diagnose(config: cfg.ExperimentConfig, steps: int) -> list[Diagnosis]:
    """Train ``config`` for ``steps`` and return every diagnosis, fed as the loop feeds
    them (scalars with learning rates and the experiment; modes or image diversity)."""
    trainer = Trainer(config)
    diag = Diagnostics()
    found: list[Diagnosis] = []
    while trainer.step_count < steps:
        stats, lr_d, lr_g = [], [], []
        for _ in range(BATCH):
            stats.append(trainer.step())
            d, g = trainer.learning_rates()
            lr_d.append(d)
            lr_g.append(g)
        numbers = np.arange(trainer.step_count - BATCH + 1, trainer.step_count + 1)
        values = trainer.read_stats(stats).values
        found += diag.update(
            numbers,
            values,
            trainer.loss.output_kind,
            trainer.config.loss.name,
            lrs={"d": np.asarray(lr_d), "g": np.asarray(lr_g)},
            config=trainer.config,
        )
        if trainer.step_count % METRICS_EVERY:
            continue
        if trainer.spec.is_image:
            found += diag.update_diversity(trainer.step_count, *trainer.image_diversity())
            continue
        values = trainer.quality_metrics()  # toy metrics, or the family's held-out ones
        if "modes_captured" in values:
            found += diag.update_modes(
                trainer.step_count, int(values["modes_captured"]), int(values["num_modes"])
            )
    return found


def on_cpu(name: str, seed: int) -> cfg.ExperimentConfig:
    """The preset exactly as shipped, but on the CPU with one thread and the given seed."""
    config = load_preset(name)
    loop = dataclasses.replace(config.loop, device="cpu", threads=1, seed=seed)
    return dataclasses.replace(config, loop=loop)


def describe(found: list[Diagnosis]) -> str:
    return "\n".join(f"step {d.step} {d.kind}: {d.message}" for d in found)


def test_every_shipped_preset_is_either_checked_or_a_failure_lesson():
    assert set(preset_names()) == set(HEALTHY) | set(FAILURE_LESSONS) | set(DOWNLOADS)
    assert not set(HEALTHY) & set(FAILURE_LESSONS)
    for name in FAILURE_LESSONS:  # the lesson is said in the preset itself
        description = load_preset(name).description.lower()
        assert "collapse" in description or "gradient vanishes" in description


@pytest.mark.parametrize("name", sorted(HEALTHY))
def test_a_healthy_preset_raises_no_diagnosis(name):
    steps, seed = HEALTHY[name]
    found = train_and_diagnose(on_cpu(name, seed), steps)
    assert found == [], describe(found)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_a_preset_that_needs_a_download_runs_clean_when_its_data_is_cached(name):
    config = on_cpu(name, 0)
    config = dataclasses.replace(config, data=dataclasses.replace(config.data, download=False))
    try:
        found = train_and_diagnose(config, DOWNLOADS[name])
    except DataError as exc:  # never download in a test
        pytest.skip(f"{name}: its data is not in the cache ({exc})")
    assert found == [], describe(found)
