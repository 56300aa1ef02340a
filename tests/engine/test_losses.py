"""Adversarial losses and penalties: closed-form values, stability, the course's lessons."""

from __future__ import annotations

import dataclasses
import math

import pytest
import torch
from torch import nn

from ganlab.engine.losses import (
    adversarial_logits,
    auxiliary_class_loss,
    gradient_penalty,
    r1_penalty,
)
from ganlab.engine.trainer import Trainer
from ganlab.kernel import config as cfg
from ganlab.kernel.config import LossConfig
from ganlab.kernel.contracts import COMMON_LOSS_OPTIONS, FAMILY_LOSS_OPTIONS
from ganlab.kernel.registry import LOSSES, MODEL_FAMILIES
from tests.conftest import tiny_config

CFG = LossConfig()
ALL_LOSSES = LOSSES.names()
BCE_LOSSES = ["minimax", "non_saturating"]
SMOOTHED_LOSSES = [*BCE_LOSSES, "least_squares"]
UNSMOOTHED_LOSSES = ["hinge", "wgan_gp", "wgan_clip"]


def t(*values: float) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float32)


def d_loss(name: str, real, fake, cfg: LossConfig = CFG) -> torch.Tensor:
    return LOSSES.get(name).d_loss(real, fake, cfg)


def g_loss(name: str, fake, cfg: LossConfig = CFG) -> torch.Tensor:
    return LOSSES.get(name).g_loss(fake, cfg)


# --------------------------------------------------------------------------- registry


def test_the_six_losses_are_registered():
    assert set(ALL_LOSSES) >= {
        "minimax",
        "non_saturating",
        "least_squares",
        "hinge",
        "wgan_gp",
        "wgan_clip",
    }


@pytest.mark.parametrize("name", ALL_LOSSES)
def test_entry_name_matches_registry_key(name):
    assert LOSSES.get(name).name == name


def test_only_the_bce_losses_output_probabilities():
    kinds = {name: LOSSES.get(name).output_kind for name in ALL_LOSSES}
    assert {n for n, k in kinds.items() if k == "probability"} == set(BCE_LOSSES)


def test_only_wgan_gp_asks_for_a_gradient_penalty():
    assert [n for n in ALL_LOSSES if LOSSES.get(n).gradient_penalty] == ["wgan_gp"]


def test_only_wgan_clip_asks_for_weight_clipping():
    assert [n for n in ALL_LOSSES if LOSSES.get(n).weight_clipping] == ["wgan_clip"]


def test_display_of_a_probability_loss_is_the_sigmoid():
    torch.testing.assert_close(LOSSES.get("minimax").display(t(0.0, 100.0)), t(0.5, 1.0))


def test_display_of_a_score_loss_is_the_raw_score():
    torch.testing.assert_close(LOSSES.get("hinge").display(t(-3.0, 7.0)), t(-3.0, 7.0))


# --------------------------------------------------------------------------- every loss


@pytest.mark.parametrize("name", ALL_LOSSES)
def test_losses_are_scalars(name):
    real, fake = torch.randn(5), torch.randn(5)
    assert d_loss(name, real, fake).shape == ()
    assert g_loss(name, fake).shape == ()


@pytest.mark.parametrize("name", ALL_LOSSES)
def test_d_loss_is_lower_when_d_tells_real_from_fake(name):
    assert d_loss(name, t(1.0), t(-1.0)) < d_loss(name, t(-1.0), t(1.0))


@pytest.mark.parametrize("name", ALL_LOSSES)
def test_g_loss_is_lower_when_d_scores_the_fakes_as_real(name):
    assert g_loss(name, t(1.0)) < g_loss(name, t(-1.0))


@pytest.mark.parametrize("name", ALL_LOSSES)
@pytest.mark.parametrize("logit", [-100.0, 100.0])
def test_losses_and_gradients_stay_finite_at_extreme_logits(name, logit):
    real = t(logit, -logit).requires_grad_(True)
    fake = t(logit, -logit).requires_grad_(True)
    total = d_loss(name, real, fake) + g_loss(name, fake)
    total.backward()
    assert torch.isfinite(total)
    assert torch.isfinite(real.grad).all()
    assert torch.isfinite(fake.grad).all()


@pytest.mark.parametrize("name", ALL_LOSSES)
def test_losses_average_over_the_batch(name):
    real, fake = t(0.3, -1.2, 2.0), t(-0.5, 0.1, 1.5)
    single = torch.stack([d_loss(name, real[i : i + 1], fake[i : i + 1]) for i in range(3)])
    torch.testing.assert_close(d_loss(name, real, fake), single.mean())


# --------------------------------------------------------------------------- BCE losses


@pytest.mark.parametrize("name", BCE_LOSSES)
def test_d_loss_at_the_nash_equilibrium_is_log_4(name):
    # D = 1/2 everywhere (logits 0): -V(D*, G) = -2 log(1/2) = log 4.
    assert d_loss(name, torch.zeros(8), torch.zeros(8)).item() == pytest.approx(math.log(4))


@pytest.mark.parametrize("name", BCE_LOSSES)
def test_bce_d_loss_matches_hand_computed_value(name):
    # -log sigmoid(2) - log(1 - sigmoid(-1)) = log(1 + e^-2) + log(1 + e^-1)
    expected = 0.126928011 + 0.313261687
    assert d_loss(name, t(2.0), t(-1.0)).item() == pytest.approx(expected, rel=1e-6)


def test_minimax_g_loss_matches_hand_computed_value():
    # log(1 - sigmoid(0.5)) = -log(1 + e^0.5)
    assert g_loss("minimax", t(0.5)).item() == pytest.approx(-0.974076984, rel=1e-6)


def test_non_saturating_g_loss_matches_hand_computed_value():
    # -log sigmoid(0.5) = log(1 + e^-0.5)
    assert g_loss("non_saturating", t(0.5)).item() == pytest.approx(0.474076984, rel=1e-6)


@pytest.mark.parametrize("name", BCE_LOSSES)
def test_bce_d_loss_tends_to_zero_for_a_perfect_d_and_to_200_for_a_reversed_one(name):
    assert d_loss(name, t(100.0), t(-100.0)).item() == pytest.approx(0.0, abs=1e-12)
    assert d_loss(name, t(-100.0), t(100.0)).item() == pytest.approx(200.0, rel=1e-6)


def test_g_losses_have_the_right_limits_when_d_rejects_the_fakes():
    # D(G(z)) -> 0: log(1 - D) -> 0 (saturated), -log D -> +inf (here 100).
    assert g_loss("minimax", t(-100.0)).item() == pytest.approx(0.0, abs=1e-12)
    assert g_loss("non_saturating", t(-100.0)).item() == pytest.approx(100.0, rel=1e-6)


def _g_grad(name: str, fake_logit: float) -> float:
    fake = t(fake_logit).requires_grad_(True)
    g_loss(name, fake).backward()
    return fake.grad.item()


def test_saturating_generator_gradient_vanishes_where_d_rejects_the_fakes():
    # d/dx [-softplus(x)] = -sigmoid(x): ~ -4.5e-5 at x = -10.
    assert abs(_g_grad("minimax", -10.0)) < 1e-4


def test_non_saturating_generator_gradient_stays_strong_where_d_rejects_the_fakes():
    # d/dx softplus(-x) = -sigmoid(-x): ~ -1 at x = -10.
    assert _g_grad("non_saturating", -10.0) == pytest.approx(-1.0, abs=1e-4)


def test_both_generator_losses_push_the_fake_logit_the_same_way():
    assert _g_grad("minimax", 0.0) < 0
    assert _g_grad("non_saturating", 0.0) < 0


# --------------------------------------------------------------------------- smoothing


def _real_grad(name: str, real_logit: float, smoothing: float) -> float:
    real = t(real_logit).requires_grad_(True)
    d_loss(name, real, t(0.0), LossConfig(label_smoothing=smoothing)).backward()
    return real.grad.item()


@pytest.mark.parametrize("name", BCE_LOSSES)
def test_label_smoothing_moves_the_optimal_real_probability_to_one_minus_s(name):
    at_0_9 = math.log(0.9 / 0.1)  # logit of 0.9
    assert _real_grad(name, at_0_9, smoothing=0.1) == pytest.approx(0.0, abs=1e-6)
    assert _real_grad(name, at_0_9, smoothing=0.0) < -0.05  # unsmoothed: push further


def test_label_smoothing_moves_the_least_squares_real_target_to_one_minus_s():
    assert _real_grad("least_squares", 0.9, smoothing=0.1) == pytest.approx(0.0, abs=1e-6)
    assert _real_grad("least_squares", 0.9, smoothing=0.0) < 0


@pytest.mark.parametrize("name", SMOOTHED_LOSSES)
def test_label_smoothing_leaves_the_fake_term_and_g_loss_alone(name):
    smooth = LossConfig(label_smoothing=0.2)
    fake = t(0.7, -0.4)
    assert g_loss(name, fake, smooth) == g_loss(name, fake)
    # Only the real term changes, so the change does not depend on the fake logits.
    delta_a = d_loss(name, t(1.0), fake, smooth) - d_loss(name, t(1.0), fake)
    delta_b = d_loss(name, t(1.0), -fake, smooth) - d_loss(name, t(1.0), -fake)
    torch.testing.assert_close(delta_a, delta_b)


@pytest.mark.parametrize("name", UNSMOOTHED_LOSSES)
def test_label_smoothing_is_ignored_by_margin_and_wasserstein_losses(name):
    real, fake = t(0.3, 1.7), t(-0.2, 0.9)
    assert d_loss(name, real, fake, LossConfig(label_smoothing=0.3)) == d_loss(name, real, fake)


# --------------------------------------------------------------------------- other losses


def test_least_squares_matches_hand_computed_values():
    # D: 1/2 mean((1-1)^2, (0-1)^2) + 1/2 mean(0.5^2) = 0.25 + 0.125
    assert d_loss("least_squares", t(1.0, 0.0), t(0.5)).item() == pytest.approx(0.375)
    # G: 1/2 (0.5 - 1)^2
    assert g_loss("least_squares", t(0.5)).item() == pytest.approx(0.125)


def test_hinge_matches_hand_computed_values():
    # mean(relu(1 - 0.5), relu(1 - 2)) + mean(relu(1 + 0.25), relu(1 - 3)) = 0.25 + 0.625
    assert d_loss("hinge", t(0.5, 2.0), t(0.25, -3.0)).item() == pytest.approx(0.875)
    assert g_loss("hinge", t(0.25, -3.0)).item() == pytest.approx(1.375)


@pytest.mark.parametrize("name", ["wgan_gp", "wgan_clip"])
def test_wasserstein_losses_match_hand_computed_values(name):
    # mean(fake) - mean(real) = 0.5 - 2.0
    assert d_loss(name, t(1.0, 3.0), t(0.0, 1.0)).item() == pytest.approx(-1.5)
    assert g_loss(name, t(0.0, 1.0)).item() == pytest.approx(-0.5)


# --------------------------------------------------------------------------- helpers


def test_adversarial_logits_takes_the_first_output_of_a_two_headed_d():
    logits, class_logits = torch.randn(4), torch.randn(4, 3)
    assert adversarial_logits((logits, class_logits)) is logits


def test_adversarial_logits_passes_plain_logits_through():
    logits = torch.randn(4)
    assert adversarial_logits(logits) is logits


def test_auxiliary_class_loss_is_log_k_for_uniform_class_logits():
    loss = auxiliary_class_loss(torch.zeros(6, 5), torch.arange(6) % 5)
    assert loss.item() == pytest.approx(math.log(5))


class LinearD(nn.Module):
    """D(x, y) = <w, x> + b with a fixed weight, for toy or image inputs."""

    def __init__(self, shape: tuple[int, ...], scale: float):
        super().__init__()
        torch.manual_seed(0)
        w = torch.randn(*shape)
        self.w = nn.Parameter(scale * w / w.norm())
        self.b = nn.Parameter(torch.tensor(0.3))

    def forward(self, x, y=None):
        return (x * self.w).flatten(1).sum(1) + self.b


class TupleD(LinearD):
    def forward(self, x, y=None):
        return super().forward(x, y), torch.zeros(x.shape[0], 3)


SHAPES = pytest.mark.parametrize("shape", [(2,), (1, 6, 6)], ids=["toy", "image"])


def _batches(shape):
    g = torch.Generator().manual_seed(3)
    return torch.randn(8, *shape, generator=g), torch.randn(8, *shape, generator=g)


@SHAPES
def test_gradient_penalty_vanishes_for_a_unit_gradient_linear_d(shape):
    real, fake = _batches(shape)
    gp = gradient_penalty(LinearD(shape, 1.0), real, fake, None, torch.Generator())
    assert gp.item() == pytest.approx(0.0, abs=1e-8)


@SHAPES
def test_gradient_penalty_of_a_linear_d_is_its_squared_norm_excess(shape):
    real, fake = _batches(shape)
    gp = gradient_penalty(LinearD(shape, 3.0), real, fake, None, torch.Generator())
    assert gp.item() == pytest.approx((3.0 - 1.0) ** 2, rel=1e-5)


def test_gradient_penalty_backpropagates_into_d_weights():
    real, fake = _batches((2,))
    D = LinearD((2,), 3.0)
    gradient_penalty(D, real, fake, None, torch.Generator()).backward()
    assert D.w.grad is not None
    assert D.w.grad.norm() > 0


def test_gradient_penalty_uses_the_adversarial_logits_of_a_two_headed_d():
    real, fake = _batches((2,))
    gp = gradient_penalty(TupleD((2,), 3.0), real, fake, None, torch.Generator())
    assert gp.item() == pytest.approx(4.0, rel=1e-5)


def test_gradient_penalty_is_reproducible_from_the_generator_seed():
    real, fake = _batches((2,))
    D = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1), nn.Flatten(0))

    def penalty(seed):
        return gradient_penalty(
            lambda x, y: D(x), real, fake, None, torch.Generator().manual_seed(seed)
        )

    assert penalty(7).item() == penalty(7).item()
    assert penalty(7).item() != penalty(8).item()


def test_gradient_penalty_passes_labels_to_d():
    seen = []

    def D(x, y):
        seen.append(y)
        return x.sum(1)

    real, fake = _batches((2,))
    labels = torch.arange(8)
    gradient_penalty(D, real, fake, labels, torch.Generator())
    assert seen[0] is labels


@SHAPES
def test_r1_penalty_of_a_linear_d_is_its_squared_weight_norm(shape):
    real, _ = _batches(shape)
    D = LinearD(shape, 2.5)
    assert r1_penalty(D, real, None).item() == pytest.approx(2.5**2, rel=1e-5)


def test_r1_penalty_is_zero_for_a_constant_d():
    real, _ = _batches((2,))
    assert r1_penalty(lambda x, y: 0.0 * x.sum(1) + 1.0, real, None).item() == 0.0


def test_r1_penalty_backpropagates_into_d_weights():
    real, _ = _batches((1, 6, 6))
    D = LinearD((1, 6, 6), 2.0)
    r1_penalty(D, real, None).backward()
    assert D.w.grad.norm() > 0


# --------------------------------------------------------------------------- declared options

LOSS_FIELDS = [f.name for f in dataclasses.fields(LossConfig) if f.name != "name"]
# A value away from each field's default, large enough to change one D step.
CHANGED = {
    "label_smoothing": 0.2,
    "instance_noise": 0.3,
    "r1_gamma": 5.0,
    "gp_weight": 1.0,
    "clip_value": 0.001,
    "aux_weight": 3.0,
    "l1_weight": 10.0,
    "cycle_weight": 3.0,
    "identity_weight": 1.0,
    "adv_weight": 0.5,
}


def test_every_loss_field_has_a_changed_value_here():
    assert set(CHANGED) == set(LOSS_FIELDS)
    defaults = LossConfig()
    assert all(CHANGED[k] != getattr(defaults, k) for k in LOSS_FIELDS)


@pytest.mark.parametrize("name", ALL_LOSSES)
def test_each_loss_declares_loss_config_fields_and_the_common_ones(name):
    options = LOSSES.get(name).options
    assert options <= set(LOSS_FIELDS)
    assert options >= COMMON_LOSS_OPTIONS


def test_the_declared_options_are_the_ones_the_issue_names():
    users = {
        field: {n for n in ALL_LOSSES if field in LOSSES.get(n).options}
        for field in ("label_smoothing", "gp_weight", "clip_value")
    }
    assert users == {
        "label_smoothing": set(SMOOTHED_LOSSES),
        "gp_weight": {"wgan_gp"},
        "clip_value": {"wgan_clip"},
    }


def _d_after_one_step(loss: str, family: str, **options: float) -> list[torch.Tensor]:
    """D's weights after one D update of a tiny experiment. Plain SGD, so that any change
    of the gradient shows (Adam's first step is lr * sign(gradient))."""
    config = tiny_config(family=family, loss=loss, batch_size=8)
    config = dataclasses.replace(
        config,
        loss=dataclasses.replace(config.loss, **options),
        optimizer_d=cfg.OptimizerConfig(name="sgd", lr=0.5),
    )
    trainer = Trainer(config)
    trainer.step("d")
    return [p.detach().clone() for p in trainer.D.parameters()]


def _same(a: list[torch.Tensor], b: list[torch.Tensor]) -> bool:
    return all(torch.equal(x, y) for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("name", ALL_LOSSES)
def test_a_declared_option_changes_training_and_an_undeclared_one_does_not(name):
    """Loss.options is what the trainer really uses: with every other setting equal,
    changing a declared option changes D's update; changing an undeclared one leaves it
    bit for bit. The weights of the terms a family adds (FAMILY_LOSS_OPTIONS) are
    allowed by every loss and used by their family only: aux_weight is tried with acgan,
    whose D has a class head, and none changes the MLP GAN's update."""
    loss = LOSSES.get(name)
    base = _d_after_one_step(name, "mlp")
    for field in LOSS_FIELDS:
        moved = _d_after_one_step(name, "mlp", **{field: CHANGED[field]})
        if field in FAMILY_LOSS_OPTIONS:
            assert _same(moved, base), field
        else:
            assert _same(moved, base) is (field not in loss.options), field
    base = _d_after_one_step(name, "acgan")
    assert not _same(_d_after_one_step(name, "acgan", aux_weight=CHANGED["aux_weight"]), base)


@pytest.mark.parametrize("field", sorted(FAMILY_LOSS_OPTIONS))
def test_a_family_loss_option_is_declared_by_some_family(field):
    """Every weight the loss settings offer for a family's own term has a family that reads
    it (ModelFamily.loss_options), so the window can say which."""
    assert any(field in family.loss_options for _, family in MODEL_FAMILIES.items())


# --------------------------------------------------------------------------- paper recipes


def test_wgan_clip_carries_the_wgan_papers_algorithm_1_defaults():
    recipe = dict(LOSSES.get("wgan_clip").paper_settings)
    assert recipe["optimizer_d.name"] == recipe["optimizer_g.name"] == "rmsprop"
    assert recipe["optimizer_d.lr"] == recipe["optimizer_g.lr"] == 5e-5
    assert recipe["optimizer_d.momentum"] == 0.0
    assert recipe["loss.clip_value"] == 0.01
    assert recipe["loop.k_d"] == 5
    assert recipe["loop.batch_size"] == 64
    assert "Arjovsky" in LOSSES.get("wgan_clip").paper


def test_wgan_gp_carries_the_improved_wgan_papers_algorithm_1_defaults():
    recipe = dict(LOSSES.get("wgan_gp").paper_settings)
    assert recipe["optimizer_d.lr"] == 1e-4
    assert (recipe["optimizer_d.beta1"], recipe["optimizer_d.beta2"]) == (0.0, 0.9)
    assert recipe["loss.gp_weight"] == 10.0
    assert recipe["loop.k_d"] == 5
    assert "Gulrajani" in LOSSES.get("wgan_gp").paper


@pytest.mark.parametrize("name", [n for n in ALL_LOSSES if LOSSES.get(n).paper_settings])
def test_a_paper_recipe_is_a_valid_experiment_with_nothing_to_warn_about(name):
    config = cfg.ExperimentConfig(loss=LossConfig(name=name))
    for key, value in LOSSES.get(name).paper_settings:
        config = cfg.with_value(config, key, value)
    cfg.check_names(config)
    assert cfg.config_warnings(config) == []
