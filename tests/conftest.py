"""Shared test set-up: offscreen Qt, small deterministic experiments."""

from __future__ import annotations

import dataclasses
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from ganlab.core import config as cfg


def tiny_config(
    source: str = "ring8_teaching",
    family: str = "mlp",
    loss: str = "non_saturating",
    **loop: object,
) -> cfg.ExperimentConfig:
    """A fast experiment: small networks, small batches, CPU, one thread."""
    base = cfg.ExperimentConfig(
        name="test",
        data=cfg.DataConfig(source=source, image_size=28, channels=1, size=256),
        model=cfg.ModelConfig(
            family=family,
            g_hidden=16,
            d_hidden=16,
            g_layers=1,
            d_layers=1,
            base_channels=8,
            embed_dim=4,
        ),
        loss=cfg.LossConfig(name=loss),
        loop=cfg.LoopConfig(
            batch_size=16,
            latent_dim=4 if source == "shapes" else 2,
            device="cpu",
            threads=1,
            fixed_samples=64,
            grid_size=16,
        ),
    )
    if loop:
        base = dataclasses.replace(base, loop=dataclasses.replace(base.loop, **loop))
    return base


@pytest.fixture
def tiny() -> cfg.ExperimentConfig:
    return tiny_config()
