"""StyleGAN-lite: the mapping network, the constant input, modulation and demodulation,
noise, style mixing, truncation, its objective (resume exactness) and its views."""

from __future__ import annotations

import copy
import dataclasses
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from ganlab.engine.trainer import Trainer
from ganlab.kernel.config import ModelConfig
from ganlab.kernel.contracts import DataSpec
from ganlab.models.stylegan import ModulatedConv, StyleGenerator, build, slerp
from tests.conftest import tiny_config

SPEC = DataSpec("image", (3, 32, 32))
LATENT = 8


def _g(mapping_layers: int = 2) -> StyleGenerator:
    torch.manual_seed(0)
    g, _ = build(ModelConfig(base_channels=8, mapping_layers=mapping_layers), SPEC, LATENT)
    assert isinstance(g, StyleGenerator)
    with torch.no_grad():  # non-zero noise scales, so that noise shows in the output
        for name, p in g.named_parameters():
            if name.endswith("noise_strength"):
                p.fill_(0.5)
    return g


def _z(n: int, seed: int = 1) -> torch.Tensor:
    return torch.randn(n, LATENT, generator=torch.Generator().manual_seed(seed))


def _stylegan_config(**loop):
    config = tiny_config(source="shapes", family="stylegan", **loop)
    return dataclasses.replace(
        config,
        data=dataclasses.replace(config.data, image_size=32, channels=3),
        model=dataclasses.replace(config.model, mapping_layers=2),
        loss=dataclasses.replace(config.loss, r1_gamma=0.1),
    )


# ------------------------------------------------------------------ generator


def test_mapping_normalises_z_and_maps_to_w_of_the_latent_size():
    g = _g()
    z = _z(5)
    w = g.mapping(z)
    assert w.shape == (5, LATENT)
    # pixel norm first: scaling z changes nothing
    torch.testing.assert_close(g.mapping(3.0 * z), w)
    # no mapping layers: w is z at unit RMS
    w0 = _g(mapping_layers=0).mapping(z)
    torch.testing.assert_close(w0.square().mean(dim=1), torch.ones(5))


def test_the_synthesis_starts_from_a_learned_constant_not_from_z():
    g = _g()
    assert g.const.shape[1:] == (4, 4)
    assert g.const.requires_grad
    features: list[torch.Tensor] = []
    ws = torch.zeros(2, g.num_ws, LATENT)
    g.synthesis(ws, features=features)
    # the same styles for both: the first layer's input is the constant, so equal outputs
    torch.testing.assert_close(features[0][0], features[0][1])
    assert g.layer_sides == (4, 8, 8, 16, 16, 32, 32, 32)
    assert g.num_ws == 8


def test_modulated_demodulated_conv_equals_the_per_sample_weight_formula():
    torch.manual_seed(3)
    conv = ModulatedConv(3, 4, 5, 3)
    x = torch.randn(2, 3, 6, 6)
    w = torch.randn(2, 5)
    out = conv(x, w)
    s = conv.affine(w)
    weight = conv.weight * conv.weight_gain
    for n in range(2):
        wn = weight * s[n][None, :, None, None]  # modulate: scale input channels
        wn = wn / torch.sqrt(wn.square().sum(dim=(1, 2, 3), keepdim=True) + 1e-8)  # demodulate
        expected = F.conv2d(x[n : n + 1], wn, padding=1)
        torch.testing.assert_close(out[n : n + 1], expected, rtol=1e-4, atol=1e-5)
    # demodulated outputs of unit-variance inputs keep about unit variance, whatever s is
    big = torch.randn(64, 3, 16, 16)
    for scale in (0.1, 10.0):
        with torch.no_grad():
            y = conv(big, torch.randn(64, 5) * scale)
        assert 0.4 < float(y.std()) < 2.5


def test_without_demodulation_the_style_scales_the_output():
    torch.manual_seed(3)
    conv = ModulatedConv(3, 2, 4, 1, demodulate=False)
    x, w = torch.randn(1, 3, 4, 4), torch.randn(1, 4)
    with torch.no_grad():
        conv.affine.weight.zero_()
        conv.affine.bias.fill_(2.0)
        doubled = conv(x, w)
        conv.affine.bias.fill_(1.0)
        single = conv(x, w)
    torch.testing.assert_close(doubled, 2 * single)


def test_noise_comes_from_the_given_generator_and_is_fixed_without_one():
    g = _g()
    z = _z(3)
    with torch.no_grad():
        fixed_a, fixed_b = g(z), g(z)
        r1 = g(z, noise_gen=torch.Generator().manual_seed(5))
        r2 = g(z, noise_gen=torch.Generator().manual_seed(5))
        r3 = g(z, noise_gen=torch.Generator().manual_seed(6))
    assert torch.equal(fixed_a, fixed_b)
    assert torch.equal(r1, r2)
    assert not torch.equal(r1, r3)
    assert not torch.equal(fixed_a, r1)


def test_style_mixing_changes_only_the_layers_from_the_crossover_on():
    g = _g()
    z, z2 = _z(2, 1), _z(2, 2)
    for crossover in (1, 3, 6):
        plain: list[torch.Tensor] = []
        mixed: list[torch.Tensor] = []
        with torch.no_grad():
            g.synthesis(g.styles(z), features=plain)
            x_mixed = g.synthesis(g.styles(z, mix_z=z2, crossover=crossover), features=mixed)
        # feature i is the output of style layer i (layers 0..6; style 7 is the last RGB)
        for i, (a, b) in enumerate(zip(plain, mixed, strict=True)):
            if i < crossover:
                assert torch.equal(a, b), (crossover, i)
            else:
                assert not torch.equal(a, b), (crossover, i)
        assert not torch.equal(x_mixed, g(z))
    with torch.no_grad():  # crossover past the last layer: no mixing at all
        assert torch.equal(g(z, mix_z=z2, crossover=g.num_ws), g(z))
        assert torch.equal(g(z, mix_z=z2, crossover=torch.tensor(g.num_ws)), g(z))


def test_truncation_psi_zero_gives_the_average_ws_image_and_one_changes_nothing():
    g = _g()
    with torch.no_grad():
        g.w_avg.copy_(torch.randn(LATENT))
        z = _z(3)
        avg = g.synthesis(g.w_avg[None, None, :].expand(3, g.num_ws, -1))
        torch.testing.assert_close(g(z, psi=0.0), avg)
        assert torch.equal(g(z, psi=1.0), g(z))
        half = g.styles(z, psi=0.5)
        torch.testing.assert_close(half, g.w_avg + 0.5 * (g.styles(z) - g.w_avg))


def test_w_avg_is_a_running_mean_of_w_kept_in_the_state_dict():
    g = _g()
    assert "w_avg" in g.state_dict()
    z = _z(16)
    before = g.w_avg.clone()
    g.update_w_avg(z, beta=0.9)
    expected = before + 0.1 * (g.mapping(z).mean(dim=0).detach() - before)
    torch.testing.assert_close(g.w_avg, expected)


def test_slerp_keeps_the_norm_between_orthogonal_unit_vectors():
    a = torch.tensor([[1.0, 0.0]])
    b = torch.tensor([[0.0, 1.0]])
    mid = slerp(a, b, torch.tensor([0.5]))
    torch.testing.assert_close(mid, torch.tensor([[math.sqrt(0.5), math.sqrt(0.5)]]))
    torch.testing.assert_close(slerp(a, a, torch.tensor([0.3])), a)


# ------------------------------------------------------------------ training


def _weights(t: Trainer) -> list[torch.Tensor]:
    return [v.clone() for v in (*t.G.state_dict().values(), *t.D.state_dict().values())]


def test_training_moves_w_avg_and_reports_every_column():
    t = Trainer(_stylegan_config())
    assert t.objective is not None
    stats = t.read_stats([t.step() for _ in range(2)])
    for name in ("d_loss", "g_loss", "d_real", "d_fake", "grad_norm_d", "grad_norm_g"):
        assert np.isfinite(stats.values[name]).all(), name
    assert float(t.G.w_avg.abs().sum()) > 0


def test_a_checkpoint_resumes_exactly():
    config = _stylegan_config()
    a = Trainer(config)
    for _ in range(2):
        a.step()
    state = copy.deepcopy(a.state_dict())  # state_dict shares the live tensors
    for _ in range(3):
        a.step()
    b = Trainer(config)
    b.load_state_dict(state)
    for _ in range(3):
        b.step()
    for x, y in zip(_weights(a), _weights(b), strict=True):
        assert torch.equal(x, y)


def test_views_do_not_change_training():
    config = _stylegan_config()
    a, b = Trainer(config), Trainer(config)
    for _ in range(3):
        a.step()
        b.step()
        b.panel_snapshot()
        b.panel_answer("all", {"psi": 0.3, "crossover": 2})
        b.quality_metrics()
        b.evaluation_samples(8)
    for x, y in zip(_weights(a), _weights(b), strict=True):
        assert torch.equal(x, y)


def test_snapshot_arrays_and_answers():
    t = Trainer(_stylegan_config())
    t.step()
    arrays, values = t.panel_snapshot()
    assert arrays["samples"].shape == (64, 32, 32, 3)
    assert arrays["samples"].dtype == np.uint8
    assert arrays["mix_rows"].shape == (4, 32, 32, 3)
    assert arrays["mix_cols"].shape == (5, 32, 32, 3)
    assert arrays["mixing"].shape == (20, 32, 32, 3)
    assert arrays["interp_z"].shape == arrays["interp_w"].shape == (9, 32, 32, 3)
    assert tuple(arrays["layer_sides"]) == t.G.layer_sides
    assert values["psi"] == 1.0
    # both interpolations start and end at the same two images
    assert np.array_equal(arrays["interp_z"][[0, -1]], arrays["interp_w"][[0, -1]])
    # the crossover decides which mixing cells equal their sources
    answer = t.panel_answer("mixing", {"psi": 1.0, "crossover": t.G.num_ws - 1})
    assert int(answer["crossover"]) == t.G.num_ws - 1
    zero = t.panel_answer("all", {"psi": 0.0})
    assert float(zero["psi"]) == 0.0
    # ψ = 0: every image is the average one
    assert (zero["samples"] == zero["samples"][0]).all()
    assert t.panel_snapshot()[1]["psi"] == 0.0  # remembered for later snapshots


@pytest.mark.parametrize(
    ("what", "params", "match"),
    [
        ("nonsense", {}, "unknown style request"),
        ("mixing", {"psi": 1.5}, "psi must lie in"),
        ("mixing", {"psi": "high"}, "psi must be a number"),
        ("mixing", {"crossover": 0}, "crossover must lie in"),
        ("mixing", {"crossover": 99}, "crossover must lie in"),
        ("mixing", {"crossover": 2.5}, "crossover must be a layer number"),
    ],
)
def test_bad_requests_are_refused(what, params, match):
    t = Trainer(_stylegan_config())
    with pytest.raises(ValueError, match=match):
        t.panel_answer(what, params)


def test_metrics_are_the_two_path_lengths():
    t = Trainer(_stylegan_config())
    t.step()
    m = t.quality_metrics()
    assert set(m) == {"ppl_z", "ppl_w"}
    assert all(math.isfinite(v) and v >= 0 for v in m.values())
    assert m == t.quality_metrics()  # fixed paths: the same network gives the same numbers


def test_r1_is_lazy_every_fourth_iteration(monkeypatch):
    from ganlab.models.stylegan import R1_INTERVAL

    t = Trainer(_stylegan_config())
    calls: list[int] = []
    real = t.d_penalties

    def counted(d, x, fake, y):
        calls.append(t.step_count)
        return real(d, x, fake, y)

    monkeypatch.setattr(t, "d_penalties", counted)
    for _ in range(2 * R1_INTERVAL):
        t.step()
    assert calls == [0, R1_INTERVAL]


def test_snapshots_send_one_part_each_after_a_full_one_per_segment():
    t = Trainer(_stylegan_config())
    full = set(t.panel_snapshot()[0])
    parts = [set(t.panel_snapshot()[0]) for _ in range(3)]
    assert {"samples"} in parts
    assert {"interp_z", "interp_w"} in parts
    assert set().union(*parts) == full
    t.segment += 1  # as a loaded checkpoint does: the panel was cleared
    assert set(t.panel_snapshot()[0]) == full
