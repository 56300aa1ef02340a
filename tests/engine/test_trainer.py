"""The trainer over every registered model family and loss, live changes and views."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from ganlab.engine.trainer import Trainer
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.registry import LOSSES, MODEL_FAMILIES
from tests.conftest import tiny_config


def params(module: torch.nn.Module) -> list[torch.Tensor]:
    return [p.detach().clone() for p in module.parameters()]


def changed(before: list[torch.Tensor], module: torch.nn.Module) -> bool:
    return any(not torch.equal(a, b) for a, b in zip(before, module.parameters(), strict=True))


def _cases():
    for family_name, family in MODEL_FAMILIES.items():
        sources = []
        if "toy2d" in family.data_kinds:
            sources.append("ring8_teaching")  # labelled: conditional families work too
        if "image" in family.data_kinds:
            sources.append("shapes")
        for source in sources:
            for loss in LOSSES.names():
                yield pytest.param(family_name, source, loss, id=f"{family_name}-{source}-{loss}")


@pytest.mark.parametrize(("family", "source", "loss"), list(_cases()))
def test_every_family_and_loss_trains_a_few_steps(family, source, loss):
    config = tiny_config(source=source, family=family, loss=loss)
    config = dataclasses.replace(config, loss=dataclasses.replace(config.loss, r1_gamma=0.1))
    t = Trainer(config)
    g0, d0 = params(t.G), params(t.D)
    stats = t.read_stats([t.step() for _ in range(3)])
    d_layers, g_layers = stats.layer_norms["d"], stats.layer_norms["g"]
    terms = MODEL_FAMILIES.get(family).loss_terms
    for name, column in stats.values.items():
        if name in rep.TERM_COLUMNS and name not in terms:
            continue  # a term the family does not have: NaN
        assert np.isfinite(column).all(), (name, column)
    assert changed(g0, t.G)
    assert changed(d0, t.D)
    assert d_layers.shape == (3, len(t.layer_names()["d"]))
    assert (d_layers > 0).any()
    assert (g_layers > 0).any()
    assert t.step_count == 3


def test_d_only_step_changes_only_d(tiny):
    t = Trainer(tiny)
    g0, d0 = params(t.G), params(t.D)
    t.step("d")
    assert changed(d0, t.D)
    assert not changed(g0, t.G)


def test_g_only_step_changes_only_g(tiny):
    t = Trainer(tiny)
    g0, d0 = params(t.G), params(t.D)
    t.step("g")
    assert changed(g0, t.G)
    assert not changed(d0, t.D)


def test_k_d_discriminator_updates_per_iteration(tiny):
    config = dataclasses.replace(tiny, loop=dataclasses.replace(tiny.loop, k_d=3))
    t = Trainer(config)
    t.step()
    assert t.opt_d.state[next(iter(t.D.parameters()))]["step"].item() == 3
    assert t.opt_g.state[next(iter(t.G.parameters()))]["step"].item() == 1


def test_learning_rate_change_keeps_optimizer_state(tiny):
    t = Trainer(tiny)
    for _ in range(3):
        t.step()
    p = next(iter(t.D.parameters()))
    moment = t.opt_d.state[p]["exp_avg"].clone()
    t.set_learning_rate("d", 0.05)
    assert all(g["lr"] == 0.05 for g in t.opt_d.param_groups)
    assert torch.equal(t.opt_d.state[p]["exp_avg"], moment)
    assert t.config.optimizer_d.lr == 0.05
    assert t.history[-1]["key"] == "optimizer_d.lr"


def test_betas_change_live(tiny):
    t = Trainer(tiny)
    t.set_betas("g", 0.1, 0.9)
    assert t.opt_g.param_groups[0]["betas"] == (0.1, 0.9)


def test_shape_change_rebuilds_and_bumps_segment(tiny):
    t = Trainer(tiny)
    t.step()
    new = cfg.with_value(tiny, "model.g_hidden", 32)
    assert t.needs_rebuild(new)
    t.apply_config(new)
    assert t.segment == 1
    assert t.step_count == 0
    assert t.G.state_dict()[next(iter(t.G.state_dict()))].shape[0] == 32


def test_live_change_does_not_rebuild(tiny):
    t = Trainer(tiny)
    t.step()
    weights = params(t.G)
    t.apply_config(cfg.with_value(tiny, "loss.label_smoothing", 0.1))
    assert t.segment == 0
    assert not changed(weights, t.G)
    assert t.config.loss.label_smoothing == 0.1


def test_refused_rebuild_keeps_the_working_pair(tiny):
    t = Trainer(tiny)
    bad = cfg.with_value(tiny, "model.family", "dcgan")  # image family on toy data
    with pytest.raises(cfg.ConfigError):
        t.apply_config(bad)
    assert t.config.model.family == "mlp"
    t.step()


def test_weight_clipping_bounds_d(tiny):
    config = tiny_config(loss="wgan_clip")
    t = Trainer(config)
    for _ in range(3):
        t.step()
    c = config.loss.clip_value
    assert all(p.abs().max() <= c + 1e-7 for p in t.D.parameters())


def test_displaying_samples_does_not_change_training(tiny):
    """Views read G in train mode but restore its buffers: training is unaffected."""
    config = tiny_config(source="shapes", family="dcgan")
    a, b = Trainer(config), Trainer(config)
    for _ in range(3):
        a.step()
        b.step()
        b.image_snapshot_arrays()
    for pa, pb in zip(a.G.state_dict().values(), b.G.state_dict().values(), strict=True):
        assert torch.equal(pa, pb)


def test_conditional_image_grid_has_one_row_per_class():
    t = Trainer(tiny_config(source="shapes", family="cgan"))
    arrays = t.image_snapshot_arrays()
    labels = arrays["fake_labels"]
    k = min(t.spec.num_classes, 10)
    assert sorted(set(labels.tolist())) == list(range(k))
    assert arrays["fake"].dtype == np.uint8
    assert arrays["fake"].shape[1:] == (28, 28, 1)


@pytest.mark.parametrize(("n", "used"), [(40, 40), (256, 256), (400, 256)])
def test_evaluation_samples_use_each_real_image_at_most_once(n, used):
    """Issue 10: 'Evaluate now' drew real images with replacement (~63 % distinct)."""
    t = Trainer(tiny_config(source="shapes", family="dcgan"))  # 256 images
    real, fake = t.evaluation_samples(n)
    assert fake.shape == (n, 28, 28, 1)
    assert real.shape == (used, 28, 28, 1)
    stored = t.source.images.permute(0, 2, 3, 1).numpy().reshape(256, -1)
    rows = {r.tobytes() for r in real.reshape(used, -1)}
    assert len(rows) == used  # no image twice
    assert rows <= {r.tobytes() for r in stored}  # and all from the data set
    again, _ = t.evaluation_samples(n)
    assert np.array_equal(again, real)  # the same subset at every evaluation
