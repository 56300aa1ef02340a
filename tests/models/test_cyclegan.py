"""The cyclegan family: nets, objective, image pool, views and metrics, resume."""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pytest
import torch

from ganlab.engine.trainer import Trainer
from ganlab.kernel import config as cfg
from ganlab.kernel.contracts import DataSpec
from ganlab.kernel.errors import ConfigError
from ganlab.kernel.registry import MODEL_FAMILIES
from ganlab.models import cyclegan
from tests.conftest import tiny_config

SPEC = DataSpec("unpaired", (2, 3, 32, 32), domains=("filled shape", "outline"))
SMALL = cfg.ModelConfig(family="cyclegan", base_channels=4, g_layers=1)


def _config(**loss: object) -> cfg.ExperimentConfig:
    config = tiny_config(source="shapes_unpaired", family="cyclegan", loss="least_squares")
    return dataclasses.replace(
        config,
        data=dataclasses.replace(config.data, image_size=16, channels=3, size=64),
        model=SMALL,
        loss=dataclasses.replace(config.loss, **loss),
        loop=dataclasses.replace(config.loop, batch_size=4),
    )


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch, tmp_path):
    """The domain classifier's weights go to a cache of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_declaration_names_its_capabilities():
    family = MODEL_FAMILIES.get("cyclegan")
    assert family.data_kinds == {"unpaired"}
    assert not family.latent
    assert family.loss_options == {"cycle_weight", "identity_weight"}
    assert family.loss_terms == ("g_adv", "cycle", "identity")
    assert family.batch_norm is None


@pytest.mark.parametrize("direction", ["AB", "BA"])
def test_generators_keep_the_image_shape_in_both_directions(direction):
    G, _ = cyclegan.build(SMALL, SPEC, 0)
    x = torch.rand(2, 3, 32, 32) * 2 - 1
    y = G(x * 50, direction)
    assert y.shape == x.shape
    assert y.abs().max() <= 1
    assert not torch.equal(G(x, "AB"), G(x, "BA"))  # two different nets


@pytest.mark.parametrize("domain", ["A", "B"])
def test_discriminators_give_a_map_of_patch_logits(domain):
    _, D = cyclegan.build(SMALL, SPEC, 0)
    out = D(torch.zeros(2, 3, 32, 32), domain)
    assert out.shape == (2, 1, 6, 6)


def test_unknown_direction_and_domain_are_refused():
    G, D = cyclegan.build(SMALL, SPEC, 0)
    with pytest.raises(ValueError, match="direction"):
        G(torch.zeros(1, 3, 32, 32), "AA")
    with pytest.raises(ValueError, match="domain"):
        D(torch.zeros(1, 3, 32, 32), "C")


def test_odd_image_size_is_refused_with_the_key():
    with pytest.raises(ConfigError) as info:
        cyclegan.build(SMALL, DataSpec("unpaired", (2, 3, 30, 30)), 0)
    assert info.value.key == "data.image_size"


def test_pool_fills_then_swaps_half_on_average():
    _, D = cyclegan.build(SMALL, SPEC, 0)
    gen = torch.Generator().manual_seed(0)
    first = torch.arange(cyclegan.POOL_SIZE, dtype=torch.float32).view(-1, 1, 1, 1)
    first = first.expand(-1, 3, 32, 32)
    shown = cyclegan.query_pool(D, "A", first, gen)
    assert torch.equal(shown, first)  # filling: the new images are shown and stored
    assert int(D.pool_count[0]) == cyclegan.POOL_SIZE
    assert int(D.pool_count[1]) == 0  # B's pool untouched
    new = (1000 + torch.arange(400, dtype=torch.float32)).view(-1, 1, 1, 1).expand(-1, 3, 32, 32)
    shown = cyclegan.query_pool(D, "A", new, gen)
    from_pool = shown[:, 0, 0, 0] != new[:, 0, 0, 0]
    assert 0.4 < from_pool.float().mean() < 0.6  # about half come from history
    # An image shown from the pool is one stored earlier, never a later one.
    for i in torch.nonzero(from_pool).flatten().tolist():
        assert shown[i, 0, 0, 0] < new[i, 0, 0, 0]
    # The pool now holds the newest images it swapped in.
    assert (D.pool_a[:, 0, 0, 0] >= 1000).sum() > 0


def test_pool_draws_a_fixed_amount_of_randomness():
    _, D = cyclegan.build(SMALL, SPEC, 0)
    g1, g2 = torch.Generator().manual_seed(5), torch.Generator().manual_seed(5)
    cyclegan.query_pool(D, "B", torch.zeros(4, 3, 32, 32), g1)
    torch.rand(4, generator=g2)
    torch.randint(cyclegan.POOL_SIZE, (4,), generator=g2)
    assert torch.equal(g1.get_state(), g2.get_state())


def test_objective_reports_its_terms_and_the_cycle_loss_falls():
    torch.manual_seed(0)
    t = Trainer(_config())
    first = t.read_stats([t.step() for _ in range(5)])
    for name in ("d_loss", "g_loss", "d_real", "d_fake", "g_adv", "cycle", "identity"):
        assert np.isfinite(first.values[name]).all(), name
    assert np.isnan(first.values["l1"]).all()
    later = t.read_stats([t.step() for _ in range(60)])
    assert later.values["cycle"][-10:].mean() < 0.7 * first.values["cycle"].mean()


def test_g_loss_is_the_weighted_sum_of_its_terms():
    t = Trainer(_config(cycle_weight=3.0, identity_weight=0.5))
    v = {k: float(c[0]) for k, c in t.read_stats([t.step("g")]).values.items()}
    assert v["g_loss"] == pytest.approx(v["g_adv"] + 3.0 * v["cycle"] + 1.5 * v["identity"])


def test_d_only_and_g_only_steps_update_one_side():
    t = Trainer(_config())
    g0 = copy.deepcopy(t.G.state_dict())
    t.step("d")
    after = t.G.state_dict().values()
    assert all(torch.equal(a, b) for a, b in zip(g0.values(), after, strict=True))
    d0 = [p.detach().clone() for p in t.D.parameters()]
    t.step("g")
    assert all(torch.equal(a, b) for a, b in zip(d0, t.D.parameters(), strict=True))


def test_checkpoint_resumes_exactly_pool_included():
    t = Trainer(_config())
    for _ in range(4):
        t.step()
    state = copy.deepcopy(t.state_dict())
    for _ in range(3):
        t.step()
    twin = Trainer(_config())
    twin.load_state_dict(state)
    for _ in range(3):
        twin.step()
    for a, b in ((t.G, twin.G), (t.D, twin.D)):
        for (name, x), y in zip(a.state_dict().items(), b.state_dict().values(), strict=True):
            assert torch.equal(x, y), name


def test_views_do_not_change_training():
    a, b = Trainer(_config()), Trainer(_config())
    a.step()
    b.step()
    a.family_views.snapshot()
    a.family_views.measure()
    for _ in range(2):
        a.step()
        b.step()
    for x, y in zip(a.G.state_dict().values(), b.G.state_dict().values(), strict=True):
        assert torch.equal(x, y)


def test_snapshot_rows_are_uint8_triplets():
    t = Trainer(_config())
    arrays, values = t.family_views.snapshot()
    for key in ("a", "ab", "aba", "b", "ba", "bab"):
        assert arrays[key].dtype == np.uint8
        assert arrays[key].shape == (8, 16, 16, 3)
    assert arrays["aba_error"].shape == (8,)
    assert values["cycle_error_a"] == pytest.approx(float(arrays["aba_error"].mean()), rel=1e-5)
    real = t.fixed_real_for_view()[0]
    assert np.array_equal(arrays["a"], real[:, 0])
    with pytest.raises(ValueError, match="sketch"):
        t.family_views.answer("sketch", {})


class _Identity(torch.nn.Module):
    def forward(self, x, direction="AB"):
        return x


def test_cycle_error_is_zero_for_identity_nets_and_shares_are_sane():
    t = Trainer(_config())
    t.G = _Identity()
    values = t.family_views.measure()
    assert values["cycle_error"] == 0.0
    assert values["cycle_error_a"] == values["cycle_error_b"] == 0.0
    # Identity "translations" stay in their own domain: the classifier says so.
    assert values["real_share"] > 0.95
    assert values["target_share_ab"] < 0.05
    assert values["target_share_ba"] < 0.05


def test_translations_that_look_right_but_invent_score_full_share_and_a_cycle_error():
    """G puts held-out B images in place of the A images; F answers with the A images
    in another order: every translation lies in its target domain, but F(G(a)) is
    another A image than a (invented), which only the cycle error shows."""
    t = Trainer(_config())
    held = t.family_views.held

    class Invent(torch.nn.Module):
        def forward(self, x, direction="AB"):
            if direction == "AB":
                return held[: len(x), 1]
            return held[: len(x), 0].roll(1, dims=0)

    t.G = Invent()
    values = t.family_views.measure()
    assert values["target_share"] == 1.0
    assert values["cycle_error_a"] > 0.1


def test_metrics_are_measured_at_most_every_few_seconds():
    t = Trainer(_config())
    first = t.family_views.metrics()
    assert set(first) >= {"cycle_error", "target_share"}
    assert t.family_views.metrics() == {}  # right after: nothing new
