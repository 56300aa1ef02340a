"""Live diagnostics: each detector fires on purpose, once, and stays quiet when healthy.

Synthetic streams pin the rules down; short real runs of the Trainer show the detectors
on the failures they are meant for (saturating loss against a strong D, a huge SGD
learning rate) and quiet on a healthy run.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest
import torch

from ganlab.core import config as cfg
from ganlab.core.reports import SCALAR_COLUMNS
from ganlab.core.trainer import Trainer
from ganlab.metrics import diagnostics as dg
from ganlab.metrics.diagnostics import KINDS, TITLES, Diagnosis, Diagnostics, Thresholds
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
    values = {k: np.concatenate([p[1][k] for p in parts]) for k in SCALAR_COLUMNS}
    return steps, values


def segment(n: int, start: int, seed: int = 1, **overrides: float | np.ndarray):
    """A healthy segment with some columns replaced (a constant or an array)."""
    steps, values = healthy(n, start, seed)
    for k, v in overrides.items():
        values[k] = np.broadcast_to(np.asarray(v, dtype=np.float64), (n,)).copy()
    return steps, values


def feed(
    stream,
    diag: Diagnostics | None = None,
    *,
    output_kind: str = "probability",
    loss: str = "non_saturating",
    batch: int = 37,
) -> list[Diagnosis]:
    diag = diag if diag is not None else Diagnostics()
    steps, values = stream
    out: list[Diagnosis] = []
    for i in range(0, len(steps), batch):
        chunk = {k: v[i : i + batch] for k, v in values.items()}
        out += diag.update(steps[i : i + batch], chunk, output_kind, loss)
    return out


def kinds(found: list[Diagnosis]) -> list[str]:
    return [d.kind for d in found]


# --------------------------------------------------------------------------- basics


def test_every_kind_has_a_title_and_a_diagnosis_is_frozen():
    assert set(TITLES) == set(KINDS)
    assert all(TITLES[k] for k in KINDS)
    d = Diagnosis("exploding", 3, "error", "text", {"x": 1.0})
    assert d.title == TITLES["exploding"]
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
        segment(400, 301, d_real=0.995, d_fake=0.004, grad_norm_g=2e-4),
        segment(100, 701, grad_norm_d=5e4),
        healthy(200, 801),
    )
    one = feed(stream, batch=10_000)
    assert kinds(one) == ["vanishing_generator", "discriminator_wins", "exploding"]
    rng = np.random.default_rng(3)
    steps, values = stream
    diag, ragged, i = Diagnostics(), [], 0
    while i < len(steps):
        n = int(rng.integers(1, 60))
        chunk = {k: v[i : i + n] for k, v in values.items()}
        ragged += diag.update(steps[i : i + n], chunk, "probability", "non_saturating")
        i += n
    assert [(d.kind, d.step, d.values) for d in ragged] == [(d.kind, d.step, d.values) for d in one]


def test_bad_input_is_refused_and_missing_columns_count_as_not_computed():
    diag = Diagnostics()
    with pytest.raises(ValueError, match="d_loss"):
        diag.update(np.arange(3), {"d_loss": np.zeros(2)}, "probability", "minimax")
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


def test_non_finite_fires_once_per_episode_and_again_after_recovery():
    broken_d = segment(5, 301, d_loss=np.nan)  # D updated (its norm is finite), loss NaN
    all_nan = segment(200, 306, **dict.fromkeys(SCALAR_COLUMNS, np.nan))  # weights broken
    restored = healthy(300, 506, seed=2)  # the loop restored the last good state
    infinite = segment(3, 806, grad_norm_g=np.inf)
    found = feed(concat(healthy(300), broken_d, all_nan, restored, infinite, healthy(50, 809)))
    assert kinds(found) == ["non_finite", "non_finite"]
    first, second = found
    assert (first.step, first.severity) == (301, "error")
    assert np.isnan(first.values["d_loss"])
    assert "D's loss = NaN" in first.message
    assert "learning rate" in first.message
    assert second.step == 806
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


# --------------------------------------------------------------------------- exploding


def test_exploding_fires_above_the_absolute_bound_once_and_after_clearing():
    stream = concat(
        healthy(300),
        segment(500, 301, grad_norm_d=3e5),  # long: must not flood
        healthy(300, 801),
        segment(2, 1101, g_loss=-2e4),  # |loss| counts too
        healthy(100, 1103),
    )
    found = feed(stream)
    assert kinds(found) == ["exploding", "exploding"]
    assert (found[0].step, found[0].severity) == (301, "error")
    assert found[0].values == {"grad_norm_d": 3e5, "bound": dg.EXPLODE_BOUND}
    assert "‖∇D‖ reached 3e5" in found[0].message
    assert "Lower D's learning rate" in found[0].message
    assert found[1].step == 1101
    assert "G's loss" in found[1].message


def test_exploding_warns_early_when_a_gradient_grows_steadily():
    growth = np.geomspace(0.5, 5000.0, 300)  # 10^4x in 300 steps, still below 1e4
    found = feed(concat(healthy(300), segment(300, 301, grad_norm_g=growth)))
    assert kinds(found) == ["exploding"]
    (d,) = found
    assert d.severity == "warning"
    assert d.values["ratio"] > dg.EXPLODE_GROWTH
    assert d.values["grad_norm_g_late"] > dg.EXPLODE_FLOOR
    assert 301 < d.step < 600
    assert growth[d.step - 301] < dg.EXPLODE_BOUND / 10  # well before the hard bound
    assert "‖∇G‖ grew" in d.message


def test_a_gradient_recovering_from_tiny_is_not_exploding():
    recovery = np.geomspace(1e-4, 0.5, 300)  # 5000x growth, but to a normal size
    assert feed(concat(healthy(300), segment(300, 301, grad_norm_d=recovery))) == []


def test_the_exploding_bound_is_tunable():
    # 40 is 80x the usual 0.5: neither above the bound nor 100x growth by default.
    stream = concat(healthy(300), segment(20, 301, grad_norm_d=40.0), healthy(100, 321))
    assert feed(stream) == []
    found = feed(stream, Diagnostics(Thresholds(explode_bound=30.0)))
    assert [(d.kind, d.step) for d in found] == [("exploding", 301)]


# --------------------------------------------------------------------------- vanishing


def starved(n: int, start: int, g: float = 3e-4, **extra: float):
    return segment(n, start, d_real=0.9995, d_fake=2e-4, grad_norm_g=g, **extra)


def test_vanishing_generator_with_a_confident_d():
    found = feed(concat(healthy(300), starved(2000, 301)), loss="minimax")
    vanishing = [d for d in found if d.kind == "vanishing_generator"]
    assert len(vanishing) == 1  # 2000 starved steps: one message
    (d,) = vanishing
    assert d.severity == "warning"
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
        healthy(300), starved(500, 301), healthy(500, 801), starved(500, 1301), healthy(50, 1801)
    )
    found = [d for d in feed(stream, loss="minimax") if d.kind == "vanishing_generator"]
    assert len(found) == 2
    assert 301 < found[0].step <= 301 + dg.WINDOW  # within a window of each episode
    assert 1301 < found[1].step <= 1301 + dg.WINDOW


def test_vanishing_thresholds_are_tunable():
    mild = concat(healthy(300), starved(600, 301, g=0.02))  # only 25x below its start
    assert "vanishing_generator" not in kinds(feed(mild))
    tuned = Diagnostics(Thresholds(vanish_rel=0.1))
    assert "vanishing_generator" in kinds(feed(mild, tuned))


# --------------------------------------------------------------------------- D wins


def test_discriminator_wins_is_sustained_and_fires_once():
    wins = segment(5000, 301, d_real=0.99, d_fake=0.01)
    found = feed(concat(healthy(300), wins))
    assert kinds(found) == ["discriminator_wins"]
    (d,) = found
    # Needs 90 % of a 200-step window: about 180 winning steps.
    assert 301 + 170 <= d.step <= 301 + 200
    assert d.values["d_real"] == pytest.approx(0.99)
    assert d.values["fraction"] >= dg.WINS_FRACTION
    assert "learning rate" in d.message


def test_short_bursts_of_d_winning_do_not_count():
    # (Kept shorter than the oscillation warm-up: D winning and losing in turn every 200
    # steps is exactly what the oscillation rule reports, see the next test.)
    bursts = []
    for i in range(7):  # 100 winning, 100 balanced: never 90 % of 200 steps
        bursts += [
            segment(100, 301 + 200 * i, d_real=0.99, d_fake=0.01),
            healthy(100, 401 + 200 * i, seed=i),
        ]
    assert feed(concat(healthy(300), *bursts)) == []


def test_d_winning_and_losing_in_turn_is_oscillation():
    bursts = []
    for i in range(12):
        bursts += [
            segment(100, 301 + 200 * i, d_real=0.99, d_fake=0.01),
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
        segment(300, 301, d_real=0.99, d_fake=0.01),
        healthy(400, 601),
        segment(300, 1001, d_real=0.99, d_fake=0.01),
    )
    assert kinds(feed(stream)) == ["discriminator_wins"] * 2
    strict = Diagnostics(Thresholds(confident_real=0.995))
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
    assert "swung" in d.message


def test_swings_that_are_small_slow_or_trending_are_not_oscillation():
    assert feed(swinging(4000, 1, amplitude=0.1, period=200)) == []  # small
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
    swings = swinging(3000, 1, amplitude=0.25, period=200)
    assert kinds(feed(swings, output_kind="score", loss="least_squares")) == ["oscillation"]
    assert feed(swings, output_kind="score", loss="hinge") == []  # hinge's range is 2
    # Wasserstein: no natural scale; relative to the size of the gap itself.
    t = np.arange(3000, dtype=np.float64)
    big = segment(3000, 1, d_real=3 + 1.5 * np.sin(2 * np.pi * t / 200), d_fake=1.0)
    assert kinds(feed(big, output_kind="score", loss="wgan_gp")) == ["oscillation"]


def test_oscillation_warm_up_is_tunable():
    th = Thresholds(osc_warmup=0, osc_window=400, osc_fill=1.0)
    found = feed(swinging(1000, 1, amplitude=0.5, period=100), Diagnostics(th))
    assert [(d.kind, d.step) for d in found] == [("oscillation", 400)]


# --------------------------------------------------------------------------- mode collapse


def test_modes_dropping_to_half_their_recent_maximum():
    diag = Diagnostics()
    counts = [(200, 2), (400, 5), (600, 8), (800, 8), (1000, 3), (1200, 3), (1400, 2)]
    found = [d for step, c in counts for d in diag.update_modes(step, c, 8)]
    assert [(d.kind, d.step, d.severity) for d in found] == [("mode_collapse", 1000, "warning")]
    assert found[0].values == {"modes_captured": 3.0, "total_modes": 8.0, "recent_max": 8.0}
    assert "3 of the 8 modes" in found[0].message
    assert "down from 8" in found[0].message
    # Recovery, then a new collapse: a new message.
    again = [
        d for step, c in [(1600, 8), (1800, 8), (2000, 4)] for d in diag.update_modes(step, c, 8)
    ]
    assert [(d.kind, d.step) for d in again] == [("mode_collapse", 2000)]


def test_few_modes_after_the_warm_up():
    diag = Diagnostics()
    steps = range(200, 4001, 200)
    found = [d for s in steps for d in diag.update_modes(s, 3, 8)]  # never more than 3
    assert [d.step for d in found] == [dg.COLLAPSE_WARMUP_STEPS]
    assert "still covers only 3 of the 8" in found[0].message


def test_early_and_noisy_mode_counts_are_quiet():
    diag = Diagnostics()
    counts = [1, 2, 2, 3, 4, 3, 5, 6, 5, 7, 8, 7, 8, 8, 6, 8, 7, 8, 8, 8]
    assert [d for i, c in enumerate(counts) for d in diag.update_modes(200 * (i + 1), c, 8)] == []


def test_mode_thresholds_are_tunable():
    diag = Diagnostics(Thresholds(collapse_ratio=0.8, collapse_warmup_steps=10**9))
    found = [d for s, c in [(500, 8), (1000, 6)] for d in diag.update_modes(s, c, 8)]
    assert [d.step for d in found] == [1000]


def test_image_diversity_drop():
    diag = Diagnostics()
    assert diag.update_diversity(500, 0.1, 1.0) == []  # a fresh G is dull: warm-up
    assert diag.update_diversity(2500, 0.8, 1.0) == []
    found = diag.update_diversity(3000, 0.3, 1.0)
    assert [(d.kind, d.step) for d in found] == [("mode_collapse", 3000)]
    assert found[0].values["ratio"] == pytest.approx(0.3)
    assert "30%" in found[0].message
    assert diag.update_diversity(3500, 0.2, 1.0) == []  # still collapsed: no repeat
    assert diag.update_diversity(4000, 0.9, 1.0) == []
    assert diag.update_diversity(4100, 0.9, 1.0) == []  # cleared after 100 steps
    assert len(diag.update_diversity(4500, 0.2, 1.0)) == 1
    assert diag.update_diversity(5000, float("nan"), 1.0) == []


# --------------------------------------------------------------------------- reset


def test_reset_forgets_state_and_active_reports_current_conditions():
    diag = Diagnostics()
    stream = concat(healthy(300), segment(400, 301, d_real=0.99, d_fake=0.01))
    assert kinds(feed(stream, diag)) == ["discriminator_wins"]
    assert diag.active == frozenset({"discriminator_wins"})
    more = segment(400, 701, d_real=0.99, d_fake=0.01)
    assert feed(more, diag) == []  # still winning: no repeat
    diag.reset()
    assert diag.active == frozenset()
    assert kinds(feed(stream, diag)) == ["discriminator_wins"]


def test_thresholds_are_validated():
    with pytest.raises(ValueError, match="explode_span"):
        Thresholds(window=30, explode_span=20)
    with pytest.raises(ValueError, match="wins_fraction"):
        Thresholds(wins_fraction=1.5)
    with pytest.raises(ValueError, match="eval_every"):
        Thresholds(eval_every=0)


# --------------------------------------------------------------------------- real runs


def run_real(config: cfg.ExperimentConfig, steps: int, batch: int = 25) -> list[Diagnosis]:
    """Train and feed the diagnostics the way the loop publishes ScalarBatches."""
    trainer = Trainer(config)
    diag = Diagnostics()
    found: list[Diagnosis] = []
    for _ in range(steps // batch):
        stats = [trainer.step() for _ in range(batch)]
        numbers = np.arange(trainer.step_count - batch + 1, trainer.step_count + 1)
        head, _, _ = trainer.split_stats(torch.stack(stats).cpu().numpy().astype(np.float64))
        values = {name: head[:, i].copy() for i, name in enumerate(SCALAR_COLUMNS)}
        found += diag.update(numbers, values, trainer.loss.output_kind, config.loss.name)
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


def test_real_non_saturating_loss_keeps_g_fed_against_the_same_d():
    # The same strong D: it still wins, but the non-saturating loss does not starve G.
    found = run_real(strong_d("non_saturating"), 400)
    assert kinds(found) == ["discriminator_wins"]


def test_real_huge_sgd_learning_rate_explodes_before_it_turns_nan():
    sgd = cfg.OptimizerConfig(name="sgd", lr=10.0)
    config = dataclasses.replace(tiny_config(), optimizer_d=sgd, optimizer_g=sgd)
    found = run_real(config, 100)
    assert kinds(found) == ["exploding", "non_finite"]  # the early warning comes first
    exploding, non_finite = found
    assert exploding.severity == non_finite.severity == "error"
    assert exploding.step < non_finite.step <= 20  # observed: steps 3 and 11


@pytest.mark.parametrize("seed", [0, 1])
def test_real_healthy_run_is_quiet(seed):
    # 500 steps of the default teaching set-up. Nothing fires: the window rules see
    # balanced outputs and normal gradients, and oscillation only judges after its
    # warm-up (1900 steps), so the wild first steps of every GAN do not count.
    found = run_real(tiny_config(seed=seed), 500)
    assert not [d for d in found if d.severity == "error"]
    assert not {"vanishing_generator", "discriminator_wins"} & set(kinds(found))
    assert found == []
