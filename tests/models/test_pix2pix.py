"""The pix2pix family: U-Net G, PatchGAN D, its objective and its views."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest
import torch

from ganlab.engine.trainer import Trainer
from ganlab.kernel import config as cfg
from ganlab.kernel.checkpoint import load_checkpoint
from ganlab.kernel.contracts import DataSpec
from ganlab.kernel.errors import ConfigError
from ganlab.models import pix2pix
from ganlab.models.pix2pix import (
    PatchDiscriminator,
    SeededDropout,
    UNetGenerator,
    build,
    patch_downsamplings,
    unet_levels,
)
from tests.conftest import tiny_config

SPEC32 = DataSpec("paired", (2, 3, 32, 32), domains=("outline", "filled shape"))


def pix2pix_config(**loss: float) -> cfg.ExperimentConfig:
    """Tiny pix2pix on 16 px outline -> shape pairs."""
    config = tiny_config(source="shapes_edges", family="pix2pix", batch_size=8)
    data = dataclasses.replace(config.data, image_size=16, channels=3, size=64)
    return dataclasses.replace(config, data=data, loss=dataclasses.replace(config.loss, **loss))


# --------------------------------------------------------------------------- nets


def test_generator_translates_an_image_into_one_of_the_same_shape():
    g, _d = build(cfg.ModelConfig(base_channels=8), SPEC32, 0)
    x = torch.rand(4, 3, 32, 32) * 2 - 1
    out = g(x)
    assert out.shape == x.shape
    assert out.abs().max() <= 1


@pytest.mark.parametrize(("side", "levels"), [(32, 4), (64, 5), (28, 2), (256, 7), (6, 1)])
def test_unet_halves_down_to_a_small_even_bottleneck(side, levels):
    assert unet_levels(side) == levels


def test_an_odd_image_side_is_refused_naming_the_key():
    spec = DataSpec("paired", (2, 3, 15, 15))
    with pytest.raises(ConfigError) as info:
        build(cfg.ModelConfig(base_channels=8), spec, 0)
    assert info.value.key == "data.image_size"


def test_image_data_is_refused_naming_the_family_key():
    with pytest.raises(ConfigError) as info:
        build(cfg.ModelConfig(base_channels=8), DataSpec("image", (3, 32, 32)), 0)
    assert info.value.key == "model.family"


def test_unet_skips_carry_the_input_past_the_bottleneck():
    """With the bottleneck's output zeroed, the output still follows the input: the
    skip connections carry it."""
    torch.manual_seed(0)
    g = UNetGenerator(3, 32, 8).eval()
    deepest = g.down[-1]
    deepest.register_forward_hook(lambda module, args, out: torch.zeros_like(out))
    x = torch.rand(2, 3, 32, 32) * 2 - 1
    y = x.clone()
    y[:, :, 5:9, 5:9] = -y[:, :, 5:9, 5:9]
    with torch.no_grad():
        change = (g(x) - g(y)).abs()
    assert change.max() > 1e-3
    # the skip of the finest level: the change is largest near the changed pixels
    near = change[:, :, 3:11, 3:11].mean()
    far = change[:, :, 20:, 20:].mean()
    assert near > far


def test_patchgan_judges_the_pair_one_logit_per_patch():
    torch.manual_seed(0)
    d = PatchDiscriminator(3, 32, 8)
    a, b = torch.rand(2, 4, 3, 32, 32) * 2 - 1
    out = d(b, a)
    assert out.shape == (4, 1, 14, 14)  # 32 -> 16 (stride 2) -> 15 -> 14 (4 x 4 convs)
    # the judgement depends on the input A too: it is conditional
    assert not torch.allclose(out, d(b, -a))
    with pytest.raises(ValueError, match="pairs"):
        d(b)


@pytest.mark.parametrize(("side", "layers", "field"), [(32, 1, 16), (128, 2, 34), (256, 3, 70)])
def test_patchgan_receptive_field_scales_the_papers_70_px(side, layers, field):
    assert patch_downsamplings(side) == layers
    # 4 x 4 convolutions: layers with stride 2, then two with stride 1 (the last, the output)
    rf = 1
    for stride in [1, 1] + [2] * layers:  # output side first
        rf = (rf - 1) * stride + 4
    assert rf == field


def test_seeded_dropout_draws_from_its_generator_and_is_off_in_eval():
    drop = SeededDropout(0.5)
    x = torch.ones(1000)
    drop.generator = torch.Generator().manual_seed(3)
    first = drop(x)
    drop.generator = torch.Generator().manual_seed(3)
    assert torch.equal(first, drop(x))
    assert set(first.unique().tolist()) == {0.0, 2.0}
    drop.eval()
    assert torch.equal(drop(x), x)


# --------------------------------------------------------------------------- objective


def test_one_step_reports_the_adversarial_and_l1_terms():
    t = Trainer(pix2pix_config())
    g0 = [p.detach().clone() for p in t.G.parameters()]
    stats = t.read_stats([t.step()])
    v = {k: float(c[0]) for k, c in stats.values.items()}
    for name in ("d_loss", "g_loss", "d_real", "d_fake", "grad_norm_d", "grad_norm_g"):
        assert math.isfinite(v[name]), name
    assert v["g_loss"] == pytest.approx(v["g_adv"] + 100.0 * v["l1"], rel=1e-5)
    assert math.isnan(v["cycle"])
    assert math.isnan(v["identity"])
    assert any(not torch.equal(a, b) for a, b in zip(g0, t.G.parameters(), strict=True))
    assert (stats.layer_norms["g"] > 0).any()
    assert (stats.layer_norms["d"] > 0).any()


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        ({"adv_weight": 0.0}, lambda v: 100.0 * v["l1"]),
        ({"l1_weight": 0.0}, lambda v: v["g_adv"]),
        ({"adv_weight": 2.0, "l1_weight": 10.0}, lambda v: 2.0 * v["g_adv"] + 10.0 * v["l1"]),
    ],
    ids=["adversarial-off", "l1-off", "weighted"],
)
def test_g_loss_weighs_the_terms_by_the_loss_settings(loss, expected):
    t = Trainer(pix2pix_config(**loss))
    stats = t.read_stats([t.step()])
    v = {k: float(c[0]) for k, c in stats.values.items()}
    assert v["g_loss"] == pytest.approx(expected(v), rel=1e-5)


def test_l1_weight_changes_live_without_a_rebuild():
    t = Trainer(pix2pix_config())
    t.step()
    new = cfg.with_value(t.config, "loss.l1_weight", 5.0)
    assert not t.needs_rebuild(new)
    t.apply_config(new)
    v = {k: float(c[0]) for k, c in t.read_stats([t.step()]).values.items()}
    assert v["g_loss"] == pytest.approx(v["g_adv"] + 5.0 * v["l1"], rel=1e-5)
    assert t.step_count == 2


def test_l1_falls_over_a_hundred_steps_on_a_tiny_set():
    config = pix2pix_config()
    config = dataclasses.replace(
        config,
        optimizer_g=dataclasses.replace(config.optimizer_g, lr=1e-3, beta1=0.5),
        optimizer_d=dataclasses.replace(config.optimizer_d, lr=2e-4, beta1=0.5),
    )
    t = Trainer(config)
    l1 = t.read_stats([t.step() for _ in range(100)]).values["l1"]
    assert l1[-10:].mean() < 0.7 * l1[:10].mean()
    metrics = t.family_views.metrics()
    assert metrics["l1_held_out"] < metrics["l1_identity"]


def test_d_only_and_g_only_steps_update_one_net():
    t = Trainer(pix2pix_config())

    def weights(net: torch.nn.Module) -> list[torch.Tensor]:
        return [p.detach().clone() for p in net.parameters()]

    def same(a: list[torch.Tensor], b: list[torch.Tensor]) -> bool:
        return all(torch.equal(x, y) for x, y in zip(a, b, strict=True))

    g0, d0 = weights(t.G), weights(t.D)
    v = t.read_stats([t.step("d")]).values
    assert math.isnan(v["g_loss"][0])
    assert math.isfinite(v["d_loss"][0])
    g1, d1 = weights(t.G), weights(t.D)
    assert same(g0, g1)
    assert not same(d0, d1)
    v = t.read_stats([t.step("g")]).values
    assert math.isnan(v["d_loss"][0])
    assert math.isfinite(v["g_loss"][0])
    assert same(d1, weights(t.D))
    assert not same(g1, weights(t.G))


def test_snapshot_rows_are_the_held_out_inputs_outputs_and_targets():
    t = Trainer(pix2pix_config())
    arrays, values = t.panel_snapshot()
    held = t.source.held_out(8)
    expected_a = ((held[:, 0] + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1)
    assert arrays["input"].shape == arrays["output"].shape == arrays["target"].shape
    assert arrays["input"].shape == (8, 16, 16, 3)
    assert arrays["input"].dtype == np.uint8
    np.testing.assert_array_equal(arrays["input"], expected_a.numpy())
    assert math.isfinite(values["l1"])


def test_views_change_nothing_training_reads():
    t = Trainer(pix2pix_config())
    t.step()
    g_state = {k: v.clone() for k, v in t.G.state_dict().items()}
    rngs = (t.data_gen.get_state(), t.noise_gen.get_state(), t.view_gen.get_state())
    t.panel_snapshot()
    t.quality_metrics()
    t.panel_answer("sketch", {"sketch": np.ones((20, 20), np.float32)})
    assert t.G.training
    for key, value in t.G.state_dict().items():
        assert torch.equal(value, g_state[key]), key
    after = (t.data_gen.get_state(), t.noise_gen.get_state(), t.view_gen.get_state())
    assert all(torch.equal(a, b) for a, b in zip(rngs, after, strict=True))


def test_a_sketch_is_translated_as_an_input_of_the_data_size():
    t = Trainer(pix2pix_config())
    sketch = np.zeros((64, 64), np.float32)
    sketch[10:20, :] = 1.0
    out = t.panel_answer("sketch", {"sketch": sketch})
    assert out["input"].shape == out["output"].shape == (1, 16, 16, 3)
    a = out["input"][0]
    assert (a[:, :, 0] == a[:, :, 1]).all()  # the drawing on every channel, like an outline
    assert a[3:4, :, 0].min() > 200
    assert a[12:, :, 0].max() < 30
    direct = t.family_views._translate(
        torch.from_numpy(a).permute(2, 0, 1)[None].float() / 127.5 - 1
    )
    assert np.abs(pix2pix._to_uint8(direct).astype(int) - out["output"].astype(int)).max() <= 1


@pytest.mark.parametrize(
    ("what", "params"),
    [
        ("mixing", {}),
        ("sketch", {}),
        ("sketch", {"sketch": np.zeros((2, 2, 2))}),
        ("sketch", {"sketch": np.full((4, 4), np.nan)}),
    ],
    ids=["unknown", "missing", "3-d", "nan"],
)
def test_a_bad_request_is_refused_with_a_value_error(what, params):
    t = Trainer(pix2pix_config())
    with pytest.raises(ValueError, match=r"sketch"):
        t.panel_answer(what, params)


def test_psnr_and_l1_of_known_images():
    x = torch.zeros(2, 3, 4, 4)
    y = torch.full((2, 3, 4, 4), 0.2)
    assert pix2pix.l1_distance(x, y) == pytest.approx(0.2)
    assert pix2pix.psnr(x, y) == pytest.approx(10 * math.log10(4 / 0.04))
    assert pix2pix.psnr(x, x) == pytest.approx(100.0)


def test_baselines_are_the_identity_and_the_mean_target():
    t = Trainer(pix2pix_config())
    held = t.source.held_out(pix2pix.HELD_METRICS)
    a, b = held[:, 0], held[:, 1]
    m = t.family_views.metrics()
    assert m["l1_identity"] == pytest.approx(float((a - b).abs().mean()), rel=1e-6)
    assert m["psnr_identity"] == pytest.approx(pix2pix.psnr(a, b), rel=1e-6)
    mean = t.source.mean_target().expand_as(b)
    assert m["l1_mean"] == pytest.approx(float((mean - b).abs().mean()), rel=1e-6)
    assert m["psnr_mean"] == pytest.approx(pix2pix.psnr(mean, b), rel=1e-6)


def test_a_g_that_copies_its_input_scores_the_identity_baseline():
    t = Trainer(pix2pix_config())
    t.G.forward = lambda x, y=None: x  # type: ignore[method-assign]
    m = t.family_views.metrics()
    assert m["l1_held_out"] == pytest.approx(m["l1_identity"], rel=1e-6)
    assert m["psnr"] == pytest.approx(m["psnr_identity"], rel=1e-6)


def test_ganlab_train_runs_the_preset_and_resumes_it(tmp_path):
    from ganlab.cli import main

    run = tmp_path / "run"
    argv = ["train", "--preset", "shapes_pix2pix", "--device", "cpu", "--quiet", "--no-window"]
    assert main([*argv, "--steps", "3", "--out", str(run)]) == 0
    rows = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    scalars = [r for r in rows if "event" not in r]
    assert [r["step"] for r in scalars] == [1, 2, 3]
    assert all(math.isfinite(r["l1"]) and math.isfinite(r["g_adv"]) for r in scalars)
    assert all("cycle" not in r for r in scalars)  # another family's term: left out
    assert main(["train", "--resume", str(run), "--steps", "5", "--quiet", "--no-window"]) == 0
    assert load_checkpoint(run / "checkpoints" / "step_00000005.pt")["step"] == 5


def test_ganlab_data_sample_writes_pairs(tmp_path):
    from ganlab.cli import main

    out = tmp_path / "pairs.npy"
    argv = ["data", "sample", "--source", "shapes_edges", "--n", "5", "--out", str(out)]
    assert main(argv) == 0
    x = np.load(out)
    assert x.shape == (5, 2, 1, 28, 28)  # data.image_size and data.channels defaults
    assert x.min() >= -1
    assert x.max() <= 1
