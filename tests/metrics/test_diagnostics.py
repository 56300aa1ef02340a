"""Live diagnostics: each detector fires on purpose, once per episode, with advice that fits
the settings, and stays quiet when training is healthy.

Synthetic streams pin the rules down; short real runs of the Trainer show the detectors
on the failures they are meant for (saturating loss against a strong D, a learning rate
of 10 for D or for G, a huge SGD learning rate) and quiet on a healthy run. Every shipped
preset is run in tests/metrics/test_presets_run_clean.py.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest

from ganlab.engine.trainer import Trainer
from ganlab.kernel import config as cfg
from ganlab.kernel.reports import SCALAR_COLUMNS
from ganlab.metrics import diagnostics as dg
from ganlab.metrics.diagnostics import (
    KINDS,
    PAUSING_KINDS,
    TITLES,
    Diagnosis,
    Diagnostics,
    Thresholds,
)
from tests.conftest import tiny_config

# --------------------------------------------------------------------------- helpers


def healthy(n: int, start: int = 1, seed: int = 0) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """A stream that looks like balanced training: D(x), D(G(z)) near 1/2, norms ~0.5."""
    rng = np.random.default_rng(seed)
    steps = np.arange(start, start + n)
    values = {
        "d_loss": 1.35 + 0.05 * rng.standard_normal(n),
        "g_loss": 0.72 + 0.05 * rng.standard_normal(n),
        "d_real": 0.53 + 0.03 * rng.standard_normal(n),
        "d_fake": 0.47 + 0.03 * rng.standard_normal(n),
        "grad_norm_d": 0.5 * np.exp(0.4 * rng.standard_normal(n)),
        "grad_norm_g": 0.5 * np.exp(0.4 * rng.standard_normal(n)),
    }
    return steps, values


def concat(*parts: tuple[np.ndarray, dict[str, np.ndarray]]):
    steps = np.concatenate([p[0] for p in parts])
    values = {k: np.concatenate([p[1][k] for p in parts]) for k in parts[0][1]}
    return steps, values


def segment(n: int, start: int, seed: int = 1, **overrides: float | np.ndarray):
    """A healthy segment with some columns replaced (a constant or an array)."""
    steps, values = healthy(n, start, seed)
    for k, v in overrides.items():
        values[k] = np.broadcast_to(np.asarray(v, dtype=np.float64), (n,)).copy()
    return steps, values


def rates(
    steps: np.ndarray, d: float, g: float, changes: dict[int, tuple[float, float]] | None = None
) -> dict[str, np.ndarray]:
    """Per-step learning rates: ``d`` and ``g``, switched to new values from the steps in
    ``changes`` on (as ScalarBatch.lrs carries them)."""
    lr_d = np.full(len(steps), d)
    lr_g = np.full(len(steps), g)
    for at, (new_d, new_g) in (changes or {}).items():
        lr_d[steps >= at] = new_d
        lr_g[steps >= at] = new_g
    return {"d": lr_d, "g": lr_g}


def feed(
    stream,
    diag: Diagnostics | None = None,
    *,
    output_kind: str = "probability",
    loss: str = "non_saturating",
    batch: int = 37,
    lrs: dict[str, np.ndarray] | None = None,
    config: cfg.ExperimentConfig | None = None,
) -> list[Diagnosis]:
    diag = diag if diag is not None else Diagnostics()
    steps, values = stream
    out: list[Diagnosis] = []
    for i in range(0, len(steps), batch):
        chunk = {k: v[i : i + batch] for k, v in values.items()}
        lr = None if lrs is None else {k: v[i : i + batch] for k, v in lrs.items()}
        out += diag.update(steps[i : i + batch], chunk, output_kind, loss, lrs=lr, config=config)
    return out


def kinds(found: list[Diagnosis]) -> list[str]:
    return [d.kind for d in found]


def experiment(loss: str = "non_saturating", **changes: object) -> cfg.ExperimentConfig:
    """The default experiment with ``section.key`` changes (``loss__gp_weight=0``)."""
    config = dataclasses.replace(cfg.ExperimentConfig(), loss=cfg.LossConfig(name=loss))
    for key, value in changes.items():
        config = cfg.with_value(config, key.replace("__", "."), value)
    return config


# Advice that would tell a student to add a penalty that is already on.
ADD_A_PENALTY = ("a gradient penalty on D", "turning the gradient penalty on", "(wgan_gp)")


# --------------------------------------------------------------------------- basics


def test_every_kind_has_a_title_and_a_diagnosis_is_frozen():
    assert set(TITLES) == set(KINDS)
    assert all(TITLES[k] for k in KINDS)
    assert {"non_finite", "exploding"} == PAUSING_KINDS
    d = Diagnosis("exploding", 3, "error", "text", {"x": 1.0})
    assert d.title == TITLES["exploding"]
    assert (d.pause, d.network, d.quantity) == (False, "", "")  # old call sites still work
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.step = 4  # type: ignore[misc]


def test_a_healthy_stream_is_quiet_for_long():
    assert feed(healthy(6000)) == []


@pytest.mark.parametrize("output_kind", ["probability", "score"])
def test_steps_where_one_network_did_not_update_are_not_errors(output_kind):
    # D-only steps leave G's columns NaN and G-only steps D's: by design, not a fault.
    steps, values = healthy(400)
    values["g_loss"][::2] = np.nan
    values["grad_norm_g"][::2] = np.nan
    for k in ("d_loss", "d_real", "d_fake", "grad_norm_d"):
        values[k][1::4] = np.nan
    assert feed((steps, values), output_kind=output_kind) == []


def test_a_stream_that_never_computed_anything_is_not_an_error():
    # k_d = k_g = 0 from the start: every row NaN, nothing ever finite, nothing broke.
    steps = np.arange(1, 101)
    nan = np.full(100, np.nan)
    assert feed((steps, dict.fromkeys(SCALAR_COLUMNS, nan))) == []


def test_batching_does_not_change_what_is_found():
    stream = concat(
        healthy(300),
        segment(400, 301, d_real=0.9995, d_fake=4e-4, grad_norm_g=2e-4),
        segment(100, 701, grad_norm_d=5e5),
        healthy(200, 801),
    )
    lrs = rates(stream[0], 1e-3, 1e-3, {650: (1e-2, 1e-3)})
    one = feed(stream, batch=10_000, lrs=lrs)
    assert kinds(one) == ["vanishing_generator", "discriminator_wins", "exploding"]
    rng = np.random.default_rng(3)
    steps, values = stream
    diag, ragged, i = Diagnostics(), [], 0
    while i < len(steps):
        n = int(rng.integers(1, 60))
        chunk = {k: v[i : i + n] for k, v in values.items()}
        lr = {k: v[i : i + n] for k, v in lrs.items()}
        ragged += diag.update(steps[i : i + n], chunk, "probability", "non_saturating", lrs=lr)
        i += n
    assert [(d.kind, d.step, d.values, d.message) for d in ragged] == [
        (d.kind, d.step, d.values, d.message) for d in one
    ]


def test_bad_input_is_refused_and_missing_columns_count_as_not_computed():
    diag = Diagnostics()
    with pytest.raises(ValueError, match="d_loss"):
        diag.update(np.arange(3), {"d_loss": np.zeros(2)}, "probability", "minimax")
    with pytest.raises(ValueError, match="lrs"):
        diag.update(np.arange(3), {}, "probability", "minimax", lrs={"d": np.zeros(2)})
    assert diag.update(np.arange(0), {}, "probability", "minimax") == []
    # Only G's columns: D did not update in these steps.
    only_g = {"g_loss": np.full(50, 0.7), "grad_norm_g": np.full(50, 0.4)}
    assert diag.update(np.arange(1, 51), only_g, "probability", "minimax") == []


def test_the_module_imports_neither_qt_nor_torch():
    code = (
        "import sys, ganlab.metrics.diagnostics; "
        "bad = [m for m in ('torch', 'PySide6', 'pyqtgraph') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------- non-finite


def test_non_finite_pauses_once_per_episode_and_again_after_recovery():
    broken_d = segment(5, 301, d_loss=np.nan)  # D updated (its norm is finite), loss NaN
    all_nan = segment(200, 306, **dict.fromkeys(SCALAR_COLUMNS, np.nan))  # weights broken
    recovered = healthy(600, 506, seed=2)  # long enough to close the episode
    infinite = segment(3, 1106, grad_norm_g=np.inf)
    stream = concat(healthy(300), broken_d, all_nan, recovered, infinite, healthy(50, 1109))
    found = feed(stream)
    assert kinds(found) == ["non_finite", "non_finite"]
    first, second = found
    assert (first.step, first.severity, first.pause) == (301, "error", True)
    assert np.isnan(first.values["d_loss"])
    assert first.quantity == "d_loss"
    assert "D's loss = NaN" in first.message
    assert "training pauses" in first.message
    assert "learning rate" in first.message
    assert (second.step, second.pause, second.quantity) == (1106, True, "grad_norm_g")
    assert second.values == {"grad_norm_g": np.inf}
    assert "‖∇G‖ = inf" in second.message


def test_non_finite_clears_only_after_enough_healthy_steps():
    th = Thresholds(clear_steps=100)
    flicker = []
    for i in range(6):  # one bad step every 30: never 100 clean steps in a row
        flicker += [healthy(29, 301 + 30 * i), segment(1, 330 + 30 * i, g_loss=np.inf)]
    found = feed(concat(healthy(300), *flicker), Diagnostics(th))
    assert kinds(found) == ["non_finite"]
    found = feed(concat(healthy(300), *flicker), Diagnostics(Thresholds(clear_steps=10)))
    assert kinds(found) == ["non_finite"] * 6


def test_non_finite_blames_the_learning_rate_that_was_raised():
    stream = concat(healthy(300), segment(5, 301, g_loss=np.nan))
    lrs = rates(stream[0], 2e-4, 2e-4, {300: (0.5, 2e-4)})
    (d,) = feed(stream, lrs=lrs, config=experiment())
    assert (d.kind, d.network, d.quantity) == ("non_finite", "D", "g_loss")
    assert "D's learning rate was raised from 0.0002 to 0.5 at step 300" in d.message
    assert "Lower D's learning rate (now 0.5; try 0.05)" in d.message
    assert d.values["lr_d"] == 0.5


# --------------------------------------------------------------------------- exploding


def test_exploding_pauses_names_the_quantity_and_fires_once_per_episode():
    stream = concat(
        healthy(300),
        segment(500, 301, grad_norm_d=3e5),  # long: must not flood
        healthy(600, 801),
        segment(2, 1401, g_loss=-2e4),  # |loss| counts too
        healthy(100, 1403),
    )
    found = feed(stream)
    assert kinds(found) == ["exploding", "exploding"]
    first, second = found
    assert (first.step, first.severity, first.pause) == (301, "error", True)
    assert first.values == {"grad_norm_d": 3e5, "bound": dg.EXPLODE_NORM_BOUND}
    assert first.quantity == "grad_norm_d"
    assert "‖∇D‖ (the norm of D's gradient) reached 3e5" in first.message
    assert "training pauses" in first.message
    assert (second.step, second.quantity) == (1401, "g_loss")
    assert "G's loss reached -2e4" in second.message


def test_an_explosion_that_comes_and_goes_is_one_episode():
    # A D with a huge learning rate explodes, recovers for a while, explodes again.
    parts = [healthy(300)]
    for i in range(5):
        parts += [segment(3, 301 + 200 * i, d_loss=2e5), healthy(197, 304 + 200 * i, seed=i)]
    found = feed(concat(*parts, healthy(600, 1301)), Diagnostics())
    assert [(d.kind, d.step) for d in found] == [("exploding", 301)]
    # Once it has stayed clear for clear_steps, a new explosion is a new episode.
    later = feed(concat(*parts, healthy(600, 1301), segment(3, 1901, d_loss=2e5)))
    assert [(d.kind, d.step) for d in later] == [("exploding", 301), ("exploding", 1901)]


def test_a_d_learning_rate_raised_live_is_blamed_even_when_gs_gradient_explodes_first():
    # Measured on the ring preset: D's rate switched from 1e-3 to 10 at step 501 makes
    # ‖∇G‖ 4e8 at step 502, while D's own loss is still "only" 6e3.
    stream = concat(healthy(500), segment(2, 501, grad_norm_g=4.3e8, d_loss=5.8e3))
    lrs = rates(stream[0], 1e-3, 1e-3, {501: (10.0, 1e-3)})
    (d,) = feed(stream, lrs=lrs, config=experiment())
    assert (d.kind, d.network, d.quantity, d.pause) == ("exploding", "D", "grad_norm_g", True)
    assert d.message.startswith("D is exploding: ‖∇G‖ (the norm of G's gradient) reached 4.3e8")
    assert "computed through D" in d.message
    assert "D's learning rate was raised from 0.001 to 10 at step 501" in d.message
    assert "Lower D's learning rate (now 10; try 1)" in d.message
    assert "Lower G's" not in d.message
    assert (d.values["lr_d"], d.values["lr_g"]) == (10.0, 1e-3)


def test_a_g_learning_rate_raised_live_is_blamed_when_ds_gradient_explodes():
    stream = concat(healthy(500), segment(2, 501, grad_norm_d=2e5))
    lrs = rates(stream[0], 1e-3, 1e-3, {501: (1e-3, 10.0)})
    (d,) = feed(stream, lrs=lrs, config=experiment())
    assert (d.network, d.quantity) == ("G", "grad_norm_d")
    assert d.message.startswith("G is exploding: ‖∇D‖")
    assert "D is trained on G's samples" in d.message
    assert "Lower G's learning rate (now 10; try 1)" in d.message
    assert "Lower D's" not in d.message
    assert "spectral normalisation" not in d.message  # D's smoothness is not the issue


def test_a_learning_rate_far_above_the_others_is_blamed_from_the_start():
    stream = segment(3, 1, d_loss=6.3e5)
    (d,) = feed(stream, lrs=rates(stream[0], 10.0, 1e-3))
    assert d.network == "D"
    assert "D's learning rate (10) is 10,000 times G's" in d.message
    (d,) = feed(stream, lrs=rates(stream[0], 1e-3, 10.0))
    assert d.network == "G"


def test_without_a_culprit_both_learning_rates_are_named():
    stream = concat(healthy(100), segment(3, 101, d_loss=7e7))
    for lrs in (rates(stream[0], 10.0, 10.0), None):
        (d,) = feed(stream, lrs=lrs)
        assert d.network == ""
        assert "Lower both learning rates" in d.message
        assert not d.message.startswith(("D is", "G is"))
    # Both raised together: no single culprit either.
    (d,) = feed(stream, lrs=rates(stream[0], 1e-3, 1e-3, {101: (1.0, 1.0)}))
    assert d.network == ""


def test_learning_rates_can_come_from_the_config_alone():
    stream = segment(3, 1, d_loss=6.3e5)
    config = experiment(optimizer_d__lr=10.0, optimizer_g__lr=1e-3)
    (d,) = feed(stream, config=config)
    assert d.network == "D"
    assert "Lower D's learning rate (now 10; try 1)" in d.message


def test_exploding_advice_fits_the_optimizer_and_the_penalties_in_use():
    stream = concat(healthy(100), segment(3, 101, d_loss=7e7))
    lrs = rates(stream[0], 10.0, 10.0)
    sgd = experiment(optimizer_d__name="sgd", optimizer_g__name="sgd")
    (d,) = feed(stream, lrs=lrs, config=sgd)
    assert "prefer Adam to plain SGD" in d.message
    assert "a gradient penalty on D" in d.message
    assert "spectral normalisation of D" in d.message
    (d,) = feed(stream, lrs=lrs, config=experiment())
    assert "SGD" not in d.message
    guarded = experiment(loss__r1_gamma=1.0, model__spectral_norm_d=True)
    (d,) = feed(stream, lrs=lrs, config=guarded)
    assert "a larger R1 weight (r1_gamma, now 1)" in d.message
    assert "spectral normalisation" not in d.message
    assert not any(a in d.message for a in ADD_A_PENALTY)


def test_healthy_image_gan_gradient_spikes_are_not_exploding():
    # The shapes DCGAN preset: ‖∇D‖ jumps ~2,000 fold within 50 steps when G catches up
    # with a D that was winning, to ~1,500 at most.
    jump = np.concatenate([np.full(100, 0.3), np.full(100, 40.0)])
    jump[150::10] = 1500.0
    stream = concat(healthy(300), segment(200, 301, grad_norm_d=jump, d_loss=8.0))
    assert feed(stream) == []


def test_the_exploding_bounds_are_tunable():
    stream = concat(healthy(300), segment(20, 301, grad_norm_d=40.0), healthy(100, 321))
    assert feed(stream) == []
    found = feed(stream, Diagnostics(Thresholds(explode_norm_bound=30.0)))
    assert [(d.kind, d.step) for d in found] == [("exploding", 301)]
    stream = concat(healthy(300), segment(20, 301, d_loss=40.0), healthy(100, 321))
    found = feed(stream, Diagnostics(Thresholds(explode_loss_bound=30.0)))
    assert [(d.kind, d.step) for d in found] == [("exploding", 301)]


# --------------------------------------------------------------------------- restore


def test_after_a_restore_the_same_blow_up_pauses_again():
    diag = Diagnostics()
    first = feed(concat(healthy(400), segment(3, 401, grad_norm_d=5e5)), diag)
    assert [(d.kind, d.pause) for d in first] == [("exploding", True)]
    assert diag.active == {"exploding"}
    diag.restored(200)  # the loop loaded its last good state, saved at step 200
    assert diag.active == frozenset()
    again = feed(concat(healthy(200, 201), segment(3, 401, grad_norm_d=5e5)), diag)
    assert [(d.kind, d.step, d.pause) for d in again] == [("exploding", 401, True)]


def test_restore_forgets_the_rows_after_the_saved_step():
    # Without the restore, the rows trained again after it would double the window.
    diag = Diagnostics()
    feed(concat(healthy(300), segment(100, 301, d_real=0.9995, d_fake=4e-4)), diag)
    diag.restored(300)
    # 100 winning steps before the restore were dropped: 150 now are not 90 % of 200.
    assert feed(segment(150, 301, d_real=0.9995, d_fake=4e-4), diag) == []
    assert kinds(feed(segment(60, 451, d_real=0.9995, d_fake=4e-4), diag)) == ["discriminator_wins"]


# --------------------------------------------------------------------------- vanishing


def starved(n: int, start: int, g: float = 3e-4, **extra: float):
    return segment(n, start, d_real=0.9995, d_fake=2e-4, grad_norm_g=g, **extra)


def test_vanishing_generator_with_a_confident_d():
    found = feed(concat(healthy(300), starved(2000, 301)), loss="minimax")
    vanishing = [d for d in found if d.kind == "vanishing_generator"]
    assert len(vanishing) == 1  # 2000 starved steps: one message
    (d,) = vanishing
    assert (d.severity, d.pause, d.network) == ("warning", False, "D")
    assert d.quantity == "grad_norm_g,d_fake"
    assert 301 < d.step <= 301 + dg.WINDOW
    assert d.values["grad_norm_g"] == pytest.approx(3e-4)
    assert d.values["d_fake"] == pytest.approx(2e-4)
    assert 0.3 < d.values["grad_norm_g_early"] < 0.8
    assert "saturating" in d.message
    assert "non-saturating" in d.message
    # The same starvation under another loss gets advice without the loss switch.
    other = feed(concat(healthy(300), starved(400, 301)), loss="non_saturating")
    (d2,) = [d for d in other if d.kind == "vanishing_generator"]
    assert "non-saturating" not in d2.message
    assert "k_d" in d2.message


def test_vanishing_advice_fits_k_d_label_smoothing_and_instance_noise():
    stream = concat(healthy(300), starved(400, 301))
    (d,) = [d for d in feed(stream, config=experiment()) if d.kind == "vanishing_generator"]
    assert "k_d" not in d.message  # D updates once per step already
    assert "one-sided label smoothing or instance noise" in d.message
    config = experiment(loop__k_d=5, loss__label_smoothing=0.1, loss__instance_noise=0.1)
    (d,) = [d for d in feed(stream, config=config) if d.kind == "vanishing_generator"]
    assert "its updates per step (k_d = 5)" in d.message
    assert "smoothing" not in d.message
    assert "instance noise" not in d.message


def test_vanishing_needs_a_confident_d_with_probability_losses():
    # Tiny G gradients while D is unsure (D(G(z)) ~ 0.47): not the saturation case.
    assert feed(concat(healthy(300), segment(600, 301, grad_norm_g=1e-7))) == []


def test_vanishing_with_score_losses_needs_an_essentially_zero_gradient():
    small = concat(healthy(300), segment(600, 301, grad_norm_g=1e-4))  # 5000x below start
    assert feed(small, output_kind="score", loss="hinge") == []
    zero = concat(healthy(300), segment(600, 301, grad_norm_g=0.0))
    found = feed(zero, output_kind="score", loss="wgan_clip")
    assert kinds(found) == ["vanishing_generator"]
    assert "wgan_gp" in found[0].message


def test_vanishing_fires_again_only_after_recovery():
    stream = concat(
        healthy(300), starved(500, 301), healthy(800, 801), starved(500, 1601), healthy(50, 2101)
    )
    found = [d for d in feed(stream, loss="minimax") if d.kind == "vanishing_generator"]
    assert len(found) == 2
    assert 301 < found[0].step <= 301 + dg.WINDOW  # within a window of each episode
    assert 1601 < found[1].step <= 1601 + dg.WINDOW
    # A short recovery (300 steps, less than clear_steps after the window clears) is
    # the same episode.
    stream = concat(healthy(300), starved(500, 301), healthy(300, 801), starved(500, 1101))
    found = [d for d in feed(stream, loss="minimax") if d.kind == "vanishing_generator"]
    assert len(found) == 1


def test_vanishing_thresholds_are_tunable():
    mild = concat(healthy(300), starved(600, 301, g=0.02))  # only 25x below its start
    assert "vanishing_generator" not in kinds(feed(mild))
    tuned = Diagnostics(Thresholds(vanish_rel=0.1))
    assert "vanishing_generator" in kinds(feed(mild, tuned))


def test_a_live_loss_switch_is_not_judged_on_the_old_losss_numbers():
    # Non-saturating first (‖∇G‖ ~ 0.5), then wgan_clip, whose clipped critic gives G
    # gradients of ~1e-6 by construction: not 100x below "its start".
    before = healthy(300)
    after = segment(600, 301, grad_norm_g=1e-6, d_real=0.01, d_fake=0.0099)
    diag = Diagnostics()
    assert feed(before, diag) == []
    assert feed(after, diag, output_kind="score", loss="wgan_clip") == []
    # Fed as one game, the same numbers would look starved.
    assert kinds(feed(after, Diagnostics(), output_kind="score", loss="wgan_clip")) == []
    mixed = Diagnostics()
    feed(before, mixed, output_kind="score", loss="wgan_clip")
    assert kinds(feed(after, mixed, output_kind="score", loss="wgan_clip")) == [
        "vanishing_generator"
    ]


# --------------------------------------------------------------------------- D wins


def test_discriminator_wins_is_sustained_and_fires_once():
    wins = segment(5000, 301, d_real=0.9995, d_fake=4e-4)
    found = feed(concat(healthy(300), wins))
    assert kinds(found) == ["discriminator_wins"]
    (d,) = found
    # Needs 90 % of a 200-step window: about 180 winning steps.
    assert 301 + 170 <= d.step <= 301 + 200
    assert (d.severity, d.pause, d.network, d.quantity) == (
        "warning",
        False,
        "D",
        "d_real,d_fake",
    )
    assert d.values["d_real"] == pytest.approx(0.9995)
    assert d.values["fraction"] >= dg.WINS_FRACTION
    assert "D(x) ≈ 0.9995" in d.message
    assert "learning rate" in d.message


def test_a_d_that_is_ahead_like_a_healthy_image_gan_is_not_winning():
    # The shapes DCGAN and cGAN presets: D(x) ~ 0.99, D(G(z)) ~ 0.005-0.02 for hundreds of
    # steps while G's samples improve. The old bounds (0.95 / 0.05) fired at step 250-590.
    rng = np.random.default_rng(7)
    real = 1 - np.exp(rng.uniform(np.log(2e-3), np.log(3e-2), 2000))
    fake = np.exp(rng.uniform(np.log(3e-3), np.log(3e-2), 2000))
    assert feed(concat(healthy(300), segment(2000, 301, d_real=real, d_fake=fake))) == []


def test_discriminator_wins_advice_fits_the_settings():
    stream = concat(healthy(300), segment(400, 301, d_real=0.9995, d_fake=4e-4))
    lrs = rates(stream[0], 3e-2, 1e-6)
    config = experiment(loop__k_d=5, loss__instance_noise=0.1)
    (d,) = feed(stream, lrs=lrs, config=config, loss="minimax")
    assert "lower D's learning rate (now 0.03) or its updates per step (k_d = 5)" in d.message
    assert "raise G's learning rate (now 1e-6)" in d.message
    assert "add one-sided label smoothing" in d.message
    assert "instance noise" not in d.message
    assert "non-saturating" in d.message


def test_discriminator_wins_allows_for_label_smoothing():
    # With one-sided smoothing 0.1 the real target is 0.9: a winning D sits just below it.
    stream = concat(healthy(300), segment(400, 301, d_real=0.8995, d_fake=4e-4))
    assert feed(stream) == []
    assert kinds(feed(stream, config=experiment(loss__label_smoothing=0.1))) == [
        "discriminator_wins"
    ]


def test_short_bursts_of_d_winning_do_not_count():
    # (Kept shorter than the oscillation warm-up: D winning and losing in turn every 200
    # steps is exactly what the oscillation rule reports, see the next test.)
    bursts = []
    for i in range(7):  # 100 winning, 100 balanced: never 90 % of 200 steps
        bursts += [
            segment(100, 301 + 200 * i, d_real=0.9995, d_fake=4e-4),
            healthy(100, 401 + 200 * i, seed=i),
        ]
    assert feed(concat(healthy(300), *bursts)) == []


def test_d_winning_and_losing_in_turn_is_oscillation():
    bursts = []
    for i in range(12):
        bursts += [
            segment(100, 301 + 200 * i, d_real=0.9995, d_fake=4e-4),
            healthy(100, 401 + 200 * i, seed=i),
        ]
    found = feed(concat(healthy(300), *bursts))
    assert kinds(found) == ["oscillation"]
    assert found[0].values["amplitude"] > 0.5


def test_discriminator_wins_is_skipped_for_score_losses():
    wins = segment(1000, 301, d_real=5.0, d_fake=-5.0)  # a critic doing its job
    assert feed(concat(healthy(300), wins), output_kind="score", loss="wgan_gp") == []


def test_discriminator_wins_clears_and_fires_again_and_is_tunable():
    stream = concat(
        healthy(300),
        segment(300, 301, d_real=0.9995, d_fake=4e-4),
        healthy(800, 601),
        segment(300, 1401, d_real=0.9995, d_fake=4e-4),
    )
    assert kinds(feed(stream)) == ["discriminator_wins"] * 2
    strict = Diagnostics(Thresholds(confident_real=0.9999))
    assert feed(stream, strict) == []


# --------------------------------------------------------------------------- oscillation


def swinging(n: int, start: int, amplitude: float, period: float, trend: float = 0.0):
    t = np.arange(n, dtype=np.float64)
    half_gap = 0.5 * amplitude * np.sin(2 * np.pi * t / period) + 0.5 * trend * t / n
    return segment(n, start, d_real=0.5 + half_gap, d_fake=0.5 - half_gap)


def test_oscillation_without_progress_is_found_after_the_warm_up():
    found = feed(swinging(4000, 1, amplitude=0.5, period=200))
    assert kinds(found) == ["oscillation"]  # one message for 4000 swinging steps
    (d,) = found
    assert d.step == dg.OSC_WARMUP + int(dg.OSC_FILL * dg.OSC_WINDOW)
    assert d.values["amplitude"] == pytest.approx(0.5, rel=0.1)
    assert d.values["crossings"] >= dg.OSC_MIN_CROSSINGS
    assert (d.pause, d.quantity) == (False, "d_real,d_fake")
    assert "swung" in d.message


def test_swings_that_are_small_slow_or_trending_are_not_oscillation():
    # 0.15: what the healthy shapes DCGAN preset swings by (D pulls ahead, G catches up).
    assert feed(swinging(4000, 1, amplitude=0.15, period=200)) == []
    assert feed(swinging(4000, 1, amplitude=0.5, period=2000)) == []  # slower than window
    # Swings riding on a steady climb of 0.8 in every 1000 steps: progress, not a cycle.
    t = np.arange(4000, dtype=np.float64)
    half_gap = 0.1 * np.sin(2 * np.pi * t / 200) + 0.4 * (t % 1000) / 1000
    climbing = segment(4000, 1, d_real=0.2 + half_gap, d_fake=0.2 - half_gap)
    assert "oscillation" not in kinds(feed(climbing))


def test_batch_noise_is_not_oscillation():
    rng = np.random.default_rng(5)
    noisy_gap = 0.4 * rng.standard_normal(4000)  # large but white: no slow swings
    stream = segment(4000, 1, d_real=0.5 + noisy_gap / 2, d_fake=0.5 - noisy_gap / 2)
    assert feed(stream) == []


def test_oscillation_with_score_losses_uses_the_loss_scale():
    swings = swinging(3000, 1, amplitude=0.4, period=200)
    assert kinds(feed(swings, output_kind="score", loss="least_squares")) == ["oscillation"]
    assert feed(swings, output_kind="score", loss="hinge") == []  # hinge's range is 2
    # Wasserstein: no natural scale; relative to the size of the gap itself.
    t = np.arange(3000, dtype=np.float64)
    big = segment(3000, 1, d_real=3 + 1.5 * np.sin(2 * np.pi * t / 200), d_fake=1.0)
    (d,) = feed(big, output_kind="score", loss="wgan_gp")
    assert d.kind == "oscillation"
    # The penalty is on: the advice is to strengthen it, not to add one.
    assert "a larger weight for the gradient penalty already on (gp_weight)" in d.message
    assert not any(a in d.message for a in ADD_A_PENALTY)


def test_oscillation_advice_fits_the_optimizer():
    swings = swinging(3000, 1, amplitude=0.5, period=200)
    (d,) = feed(swings, config=experiment())
    assert "Adam's beta1" in d.message
    assert "a gradient penalty on D" in d.message
    (d,) = feed(swings, config=experiment(optimizer_d__name="sgd"))
    assert "beta1" not in d.message


def test_oscillation_warm_up_is_tunable_and_restarts_with_a_new_loss():
    th = Thresholds(osc_warmup=0, osc_window=400, osc_fill=1.0)
    found = feed(swinging(1000, 1, amplitude=0.5, period=100), Diagnostics(th))
    assert [(d.kind, d.step) for d in found] == [("oscillation", 400)]
    diag = Diagnostics(th)
    feed(healthy(300), diag)
    swings = swinging(1000, 301, amplitude=0.5, period=100)
    found = feed(swings, diag, output_kind="score", loss="least_squares")
    assert [(d.kind, d.step) for d in found] == [("oscillation", 700)]  # 400 after the switch


# --------------------------------------------------------------------------- mode collapse


def modes(diag: Diagnostics, counts: list[tuple[int, int]], total: int = 8) -> list[Diagnosis]:
    return [d for step, c in counts for d in diag.update_modes(step, c, total)]


def test_modes_dropping_to_half_their_recent_maximum():
    diag = Diagnostics()
    rising = [(100 * i, min(8, i)) for i in range(1, 11)]  # 1 ... 8 by step 800
    falling = [(1100, 3), (1200, 3), (1300, 3), (1400, 2), (1500, 3)]
    found = modes(diag, rising + falling)
    # The median of the last 5 counts: 8, 8, 3 -> 8 at 1200; 3 at 1300.
    assert [(d.kind, d.step, d.severity, d.pause) for d in found] == [
        ("mode_collapse", 1300, "warning", False)
    ]
    (d,) = found
    assert d.values == {"modes_captured": 3.0, "total_modes": 8.0, "recent_max": 8.0}
    assert (d.network, d.quantity) == ("G", "modes_captured")
    assert "3 of the 8 modes" in d.message
    assert "down from 8" in d.message
    # Recovery for long enough, then a new collapse: a new message.
    back = [(1600 + 100 * i, 8) for i in range(8)]
    again = modes(diag, [*back, (2400, 3), (2500, 3), (2600, 3)])
    assert [(d.kind, d.step) for d in again] == [("mode_collapse", 2600)]


def test_a_single_low_count_is_noise():
    # The grid of 25 in a healthy run: counts hop between 9 and 22 from report to report.
    rng = np.random.default_rng(4)
    counts = [(100 * i, int(rng.integers(12, 23))) for i in range(1, 41)]
    counts[20] = (2100, 9)
    counts[30] = (3100, 8)
    assert modes(Diagnostics(), counts, total=25) == []


def test_a_slow_drift_is_not_collapse():
    # The grid of 25, seed 0: the median count drifts from ~20 down to ~10 over 1,800
    # steps (and back up later). Halved, but not within the 1,000-step memory.
    drift = np.linspace(20, 8, 25).round().astype(int)
    counts = [(500 + 100 * i, int(c)) for i, c in enumerate(drift)]
    assert modes(Diagnostics(), counts, total=25) == []


def test_few_modes_after_the_warm_up():
    diag = Diagnostics()
    found = modes(diag, [(s, 2) for s in range(200, 4001, 200)])  # never more than 2 of 8
    assert [d.step for d in found] == [dg.COLLAPSE_WARMUP_STEPS]
    assert "still covers only 2 of the 8" in found[0].message
    # Three of eight is not "a few": no message.
    assert modes(Diagnostics(), [(s, 3) for s in range(200, 4001, 200)]) == []


def test_early_and_noisy_mode_counts_are_quiet():
    counts = [1, 2, 2, 3, 4, 3, 5, 6, 5, 7, 8, 7, 8, 8, 6, 8, 7, 8, 8, 8]
    assert modes(Diagnostics(), [(200 * (i + 1), c) for i, c in enumerate(counts)]) == []


def test_mode_thresholds_are_tunable():
    diag = Diagnostics(Thresholds(collapse_ratio=0.8, mode_smooth=1, drop_warmup_steps=0))
    assert [d.step for d in modes(diag, [(500, 8), (1000, 6)])] == [1000]


def test_mode_collapse_advice_under_wgan_gp_does_not_suggest_it():
    diag = Diagnostics()
    stream = healthy(20)
    diag.update(*stream, "score", "wgan_gp", config=experiment("wgan_gp", loss__gp_weight=0.1))
    (d,) = modes(diag, [(s, 2) for s in range(200, 2001, 200)])
    assert not any(a in d.message for a in ADD_A_PENALTY)
    assert "gp_weight, now 0.1" in d.message
    (d,) = modes(Diagnostics(), [(s, 2) for s in range(200, 2001, 200)])
    assert "the Wasserstein loss with a gradient penalty (wgan_gp)" in d.message


def test_image_diversity_drop_and_floor():
    diag = Diagnostics()
    assert diag.update_diversity(500, 0.1, 1.0) == []  # a fresh G is dull: warm-up
    assert diag.update_diversity(1500, 0.8, 1.0) == []
    found = diag.update_diversity(2000, 0.3, 1.0)  # down to 3/8 of its recent best
    assert [(d.kind, d.step, d.network) for d in found] == [("mode_collapse", 2000, "G")]
    assert found[0].values["ratio"] == pytest.approx(0.3)
    assert found[0].quantity == "fake_diversity"
    assert "30%" in found[0].message
    assert "from 80%" in found[0].message
    assert diag.update_diversity(2500, 0.2, 1.0) == []  # still collapsed: no repeat
    assert diag.update_diversity(3000, 0.9, 1.0) == []
    assert diag.update_diversity(3400, 0.9, 1.0) == []  # clear for 400 steps: same episode
    assert diag.update_diversity(3600, 0.9, 1.0) == []  # clear for 600 steps: closed
    assert len(diag.update_diversity(4000, 0.2, 1.0)) == 1
    assert diag.update_diversity(5000, float("nan"), 1.0) == []
    # Never varied: a message once the warm-up is over.
    dull = Diagnostics()
    found = [d for s in range(500, 3001, 500) for d in dull.update_diversity(s, 0.1, 1.0)]
    assert [d.step for d in found] == [dg.COLLAPSE_WARMUP_STEPS]
    assert "still much less varied" in found[0].message


def test_a_slowly_improving_image_generator_is_not_collapsing():
    # The shapes DCGAN preset, seed 1: G's diversity stays at 0.1-0.2 of the real one for
    # 1,300 steps, then grows to 0.9; and once above half it never dropped below 0.73 of
    # its best.
    ratios = [0.13, 0.2, 0.16, 0.13, 0.11, 0.13, 0.09, 0.49, 0.76, 0.67, 0.76, 0.85, 0.62]
    diag = Diagnostics()
    found = [d for i, r in enumerate(ratios) for d in diag.update_diversity(200 * i, r, 1.0)]
    assert found == []
    # Seed 0 is slower: 0.29 at step 900, 0.43 at 1,500, 0.68 at 1,900. A run a few hundred
    # steps slower still is below half the real diversity at step 2,000, and healthy.
    slower = [0.14, 0.21, 0.15, 0.23, 0.25, 0.29, 0.31, 0.33, 0.36, 0.4, 0.43, 0.47, 0.54]
    diag = Diagnostics()
    found = [d for i, r in enumerate(slower) for d in diag.update_diversity(200 * i, r, 1.0)]
    assert found == []


# --------------------------------------------------------------------------- advice


@pytest.mark.parametrize(
    ("kind", "stream", "output_kind"),
    [
        ("non_finite", concat(healthy(300), segment(3, 301, d_loss=np.nan)), "score"),
        ("exploding", concat(healthy(300), segment(3, 301, d_loss=3e4)), "score"),
        ("oscillation", segment(3000, 1, d_real=3 + 1.5 * np.sin(np.arange(3000) / 32)), "score"),
    ],
)
def test_under_wgan_gp_no_advice_adds_a_gradient_penalty(kind, stream, output_kind):
    for config in (None, experiment("wgan_gp")):
        (d,) = feed(stream, output_kind=output_kind, loss="wgan_gp", config=config)
        assert d.kind == kind
        assert not any(a in d.message for a in ADD_A_PENALTY), d.message
    (d,) = feed(stream, output_kind=output_kind, loss="wgan_gp", config=experiment("wgan_gp"))
    assert "gp_weight, now 10" in d.message
    # With the penalty's weight at 0 the advice is to turn it on.
    off = experiment("wgan_gp", loss__gp_weight=0.0)
    (d,) = feed(stream, output_kind=output_kind, loss="wgan_gp", config=off)
    assert "turning the gradient penalty on (gp_weight > 0)" in d.message


def test_reset_forgets_state_and_active_reports_current_episodes():
    diag = Diagnostics()
    stream = concat(healthy(300), segment(400, 301, d_real=0.9995, d_fake=4e-4))
    assert kinds(feed(stream, diag)) == ["discriminator_wins"]
    assert diag.active == frozenset({"discriminator_wins"})
    more = segment(400, 701, d_real=0.9995, d_fake=4e-4)
    assert feed(more, diag) == []  # still winning: no repeat
    diag.reset()
    assert diag.active == frozenset()
    assert kinds(feed(stream, diag)) == ["discriminator_wins"]


def test_thresholds_are_validated():
    with pytest.raises(ValueError, match="osc_window"):
        Thresholds(osc_window=30, osc_block=10)
    with pytest.raises(ValueError, match="wins_fraction"):
        Thresholds(wins_fraction=1.5)
    with pytest.raises(ValueError, match="eval_every"):
        Thresholds(eval_every=0)
    with pytest.raises(ValueError, match="lr_raised"):
        Thresholds(lr_raised=1.0)
    with pytest.raises(ValueError, match="explode_norm_bound"):
        Thresholds(explode_norm_bound=0.0)


# --------------------------------------------------------------------------- real runs


def run_real(
    config: cfg.ExperimentConfig,
    steps: int,
    batch: int = 25,
    change: tuple[int, str, float] | None = None,
) -> list[Diagnosis]:
    """Train and feed the diagnostics the way the loop publishes ScalarBatches (with the
    learning rates and the experiment); ``change`` = (step, network, lr) sets a learning
    rate live at that step."""
    trainer = Trainer(config)
    diag = Diagnostics()
    found: list[Diagnosis] = []
    for _ in range(steps // batch):
        if change is not None and trainer.step_count == change[0]:
            trainer.set_learning_rate(change[1], change[2])
        stats, lr_d, lr_g = [], [], []
        for _ in range(batch):
            stats.append(trainer.step())
            lr = trainer.learning_rates()
            lr_d.append(lr[0])
            lr_g.append(lr[1])
        numbers = np.arange(trainer.step_count - batch + 1, trainer.step_count + 1)
        values = trainer.read_stats(stats).values
        values = values
        found += diag.update(
            numbers,
            values,
            trainer.loss.output_kind,
            trainer.config.loss.name,
            lrs={"d": np.asarray(lr_d), "g": np.asarray(lr_g)},
            config=trainer.config,
        )
    return found


def strong_d(loss: str, seed: int = 0) -> cfg.ExperimentConfig:
    """A D that quickly separates the data (one narrow gaussian) from G's initial output:
    five D updates per step at a high rate, while G barely moves."""
    config = tiny_config(source="gaussian1d", loss=loss, k_d=5, seed=seed)
    return dataclasses.replace(
        config,
        data=dataclasses.replace(config.data, sigma=0.1),
        optimizer_d=cfg.OptimizerConfig(lr=3e-2),
        optimizer_g=cfg.OptimizerConfig(lr=1e-6),
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_real_saturating_loss_against_a_strong_d_starves_g(seed):
    found = run_real(strong_d("minimax", seed), 400)
    by_kind = {d.kind: d for d in found}
    assert set(by_kind) == {"discriminator_wins", "vanishing_generator"}
    vanishing = by_kind["vanishing_generator"]
    assert vanishing.step <= 250  # observed: 140-160
    assert vanishing.values["d_fake"] < 1e-3
    assert vanishing.values["grad_norm_g"] < 0.02 * vanishing.values["grad_norm_g_early"]
    assert "non-saturating" in vanishing.message
    wins = by_kind["discriminator_wins"]
    assert "(k_d = 5)" in wins.message
    assert "raise G's learning rate (now 1e-6)" in wins.message


def test_real_non_saturating_loss_keeps_g_fed_against_the_same_d():
    # The same strong D: it still wins, but the non-saturating loss does not starve G.
    found = run_real(strong_d("non_saturating"), 400)
    assert kinds(found) == ["discriminator_wins"]


def test_real_d_learning_rate_of_10_set_live_names_d_and_pauses():
    # The reported bug: D's rate switched to 10, G's loss explodes first, and the
    # banner said to lower G's learning rate.
    found = run_real(tiny_config(), 400, change=(200, "d", 10.0))
    first = found[0]
    assert (first.kind, first.network, first.pause, first.severity) == (
        "exploding",
        "D",
        True,
        "error",
    )
    assert first.step <= 210  # observed: 202, G's loss at 1.5e4
    assert first.message.startswith("D is exploding")
    assert "Lower D's learning rate (now 10; try 1)" in first.message
    assert "Lower G's" not in first.message
    assert [d.kind for d in found].count("exploding") == 1  # one episode, one message


def test_real_g_learning_rate_of_10_set_live_names_g():
    found = run_real(tiny_config(), 400, change=(200, "g", 10.0))
    first = found[0]
    assert (first.kind, first.network, first.pause) == ("exploding", "G", True)
    assert "Lower G's learning rate (now 10; try 1)" in first.message


def test_real_huge_sgd_learning_rate_explodes_before_it_turns_nan():
    sgd = cfg.OptimizerConfig(name="sgd", lr=10.0)
    config = dataclasses.replace(tiny_config(), optimizer_d=sgd, optimizer_g=sgd)
    found = run_real(config, 100)
    assert kinds(found) == ["exploding", "non_finite"]  # the bound is crossed first
    exploding, non_finite = found
    assert exploding.severity == non_finite.severity == "error"
    assert exploding.pause
    assert non_finite.pause
    assert exploding.step < non_finite.step <= 20  # observed: steps 3 and 11
    assert exploding.network == ""  # both rates are 10: neither stands out
    assert "Lower both learning rates" in exploding.message
    assert "prefer Adam to plain SGD" in exploding.message


@pytest.mark.parametrize("seed", [0, 1])
def test_real_healthy_run_is_quiet(seed):
    # 500 steps of the default teaching set-up. Nothing fires: the window rules see
    # balanced outputs and normal gradients, and oscillation only judges after its
    # warm-up (1900 steps), so the wild first steps of every GAN do not count.
    assert run_real(tiny_config(seed=seed), 500) == []


@pytest.mark.parametrize(
    ("output_kind", "loss"), [("probability", "non_saturating"), ("score", "hinge")]
)
def test_training_with_both_gradients_exactly_zero_is_diagnosed_as_stopped(output_kind, loss):
    # What lr = 0.3 does to ring8's ReLU networks: every unit dead, D(x) = 0.5 for all x.
    stream = concat(
        healthy(300),
        segment(400, 301, d_real=0.5, d_fake=0.5, grad_norm_d=0.0, grad_norm_g=0.0),
    )
    found = feed(stream, output_kind=output_kind, loss=loss, lrs=rates(stream[0], 0.3, 0.3))
    assert kinds(found) == ["vanishing_generator"]
    text = found[0].message
    assert "gradients of G and D are exactly zero" in text
    assert "(now 0.3 for D and 0.3 for G)" in text


def test_label_smoothing_is_not_advised_for_a_loss_that_ignores_it():
    for loss, advised in (("non_saturating", True), ("hinge", False), ("wgan_gp", False)):
        diag = Diagnostics()
        diag._config = tiny_config(loss=loss)
        assert ("one-sided label smoothing" in diag._noise_options()) is advised, loss
