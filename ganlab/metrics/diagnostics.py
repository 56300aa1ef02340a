"""Live training diagnostics: early warnings with plain-language explanations.

Owns the detectors behind the "Metrics and diagnostics" feature: NaN/Inf values, exploding
losses or gradients, vanishing generator gradients, the discriminator overpowering the
generator, mode collapse (toy mode counts or image diversity) and oscillation without
progress. A :class:`Diagnostics` object is fed the per-step columns of each ScalarBatch
(and, where a view computes them, mode counts or sample diversity) and returns a
:class:`Diagnosis` when a condition *starts*. Messages are English, for a student: what
is happening, why it matters, what to try; the window translates by ``kind`` (``TITLES``
holds the short English titles). The loop's own NaN/Inf pause (restore the last good
state) stays where it is; these detectors complement it with earlier, gentler warnings.

No Qt; runs in the trainer thread. numpy only; state is O(window): rolling windows of
the most recent steps, never the whole history.

How the rules are evaluated
---------------------------
* Per-step rules (``non_finite``, the absolute bound of ``exploding``) look at every row.
* Window rules (growth, ``vanishing_generator``, ``discriminator_wins``, ``oscillation``)
  are evaluated every ``eval_every`` steps, counted over all rows fed since the last
  :meth:`Diagnostics.reset`, so the result does not depend on how the rows were batched.
  They only judge once at least ``min_fill`` of their window holds finite values (a
  network that did not update in a step has NaN there and is skipped); oscillation
  has its own warm-up and fill (``osc_warmup``, ``osc_fill``).
* Mode collapse is judged whenever :meth:`Diagnostics.update_modes` (toy sources) or
  :meth:`Diagnostics.update_diversity` (images) is called, at the step given.
* Hysteresis: each kind fires once when its condition starts, and can fire again only
  after the condition has stayed false for ``clear_steps`` steps (for the sparse mode
  reports: at a report at least ``clear_steps`` after the first report that found it
  false). A run stuck in one failure therefore produces one message, not one per batch.
  :attr:`Diagnostics.active` lists the kinds whose condition currently holds.

Each detector's rule and thresholds are documented at its constants below; all of them
can be tuned through :class:`Thresholds`.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ganlab.core.ringbuffer import RingBuffer

KINDS: tuple[str, ...] = (
    "non_finite",
    "exploding",
    "vanishing_generator",
    "discriminator_wins",
    "mode_collapse",
    "oscillation",
)

# Short English titles per kind; the window shows them through its own tr().
TITLES: dict[str, str] = {
    "non_finite": "NaN or infinite values",
    "exploding": "Exploding losses or gradients",
    "vanishing_generator": "Vanishing generator gradients",
    "discriminator_wins": "The discriminator overpowers the generator",
    "mode_collapse": "Mode collapse",
    "oscillation": "Oscillation without progress",
}

SEVERITIES: tuple[str, ...] = ("warning", "error")

# ----------------------------------------------------------------------------- general
EVAL_EVERY = 10  # window rules are evaluated every this many steps
CLEAR_STEPS = 50  # a condition must stay false this many steps before it can fire again
MIN_FILL = 0.5  # a window rule judges only when this fraction of its window is finite

# ----------------------------------------------------------------------------- exploding
# Any |loss| or gradient norm above EXPLODE_BOUND in one step (severity "error"), or a
# gradient norm whose median over the newest EXPLODE_SPAN steps of the WINDOW is more
# than EXPLODE_GROWTH times the median over its oldest EXPLODE_SPAN steps and above
# EXPLODE_FLOOR (severity "warning"). The floor keeps a recovery from a tiny gradient
# (1e-3 -> 0.5, say) from counting as an explosion.
EXPLODE_BOUND = 1e4
EXPLODE_GROWTH = 100.0
EXPLODE_SPAN = 20
EXPLODE_FLOOR = 10.0

# ----------------------------------------------------------------------------- vanishing
# Over the last WINDOW steps, G's median gradient norm is below VANISH_ABS, or below
# VANISH_REL times its reference size (the median of its first REFERENCE_STEPS norms),
# while D is confident: the median of D(G(z)) over the window is below CONFIDENT_FAKE.
# The median, not a maximum, because G's norms are heavy-tailed: a few fakes that land
# near D's boundary give occasional spikes even when G is starved. The reference is taken
# from the very first steps because with a fast, confident D the norm collapses within a
# few dozen steps. Measured on the real saturating case (tests): the median falls to
# 1/300-1/1000 of the reference, while healthy runs stay above about 1/5 of it, hence
# 1e-2 (a bound as tight as 1e-4 would never fire: D's growing slope partly offsets the
# saturation, so the norm falls more slowly than D(G(z)) does).
# Score losses (least squares, hinge, Wasserstein) have no probability to be confident
# with, and a critic that has converged (p_g = p_data) is flat too: from these scalars
# "converged" and "starved" look alike. There the rule is stricter: the median must be
# below *both* bounds (essentially zero, and 100x below its start). A weight-clipped
# critic has tiny scores and gradients by construction (1e-5 is normal there), which the
# relative bound keeps from counting; exactly zero gradients (dead units) still count.
WINDOW = 200
VANISH_ABS = 1e-5
VANISH_REL = 1e-2
REFERENCE_STEPS = 10
CONFIDENT_FAKE = 0.05

# ----------------------------------------------------------------------------- D wins
# Probability losses only: in at least WINS_FRACTION of the last WINS_STEPS steps in
# which D updated, D(x) > CONFIDENT_REAL and D(G(z)) < CONFIDENT_FAKE.
# Skipped for score losses on purpose: a critic with a large real-fake gap is doing its
# job (the Wasserstein critic's gap *is* its distance estimate), and scores have no fixed
# scale (a Wasserstein critic can drift by a constant), so no threshold means "D wins".
# The harmful consequence, G starved of gradient, is caught by vanishing_generator.
WINS_STEPS = 200
WINS_FRACTION = 0.9
CONFIDENT_REAL = 0.95

# ----------------------------------------------------------------------------- collapse
# Toy sources: the modes captured drop to at most COLLAPSE_RATIO of their maximum over
# the last MODE_MEMORY_STEPS steps (that maximum being at least 2), or, after
# COLLAPSE_WARMUP_STEPS, fall below COLLAPSE_RATIO of all modes.
# Images: after the warm-up, the diversity of the fixed-noise samples (e.g. their mean
# pairwise distance) is below DIVERSITY_RATIO times that of real samples. The warm-up
# keeps a freshly initialised G (every sample the same grey blur) from counting.
# A drop is only looked for after DROP_WARMUP_STEPS: early in training G is still
# exploring and the count of modes it hits swings widely (5 -> 2 in the first few hundred
# steps of a small healthy run), which is not collapse.
DROP_WARMUP_STEPS = 1000
COLLAPSE_RATIO = 0.5
MODE_MEMORY_STEPS = 2000
COLLAPSE_WARMUP_STEPS = 2000
DIVERSITY_RATIO = 0.5

# ----------------------------------------------------------------------------- oscillation
# A heuristic, stated plainly. The series is the real-fake gap D(x) - D(G(z)) over the
# last OSC_WINDOW steps (the gap rather than G's loss: it is defined for every loss and a
# Wasserstein critic's constant drift cancels in it). It is averaged in blocks of
# OSC_BLOCK steps (to remove per-batch noise), a straight line is fitted to the block
# means and subtracted. It "oscillates without progress" when all of these hold:
#   * the detrended block means swing across zero at least OSC_MIN_CROSSINGS times (at
#     least three up-and-down swings, i.e. a period of at most ~330 steps by default),
#     counting a crossing only when they go from above half their standard deviation to
#     below minus that (or back), so wiggles of noise around zero do not count;
#   * the swing amplitude (sqrt(2) x their standard deviation, exact for a sine) is at
#     least OSC_AMPLITUDE times the loss's natural score range: 1 for probabilities and
#     for least squares (targets 0 and 1), 2 for hinge (margins -1 and +1); losses without
#     a scale (Wasserstein) need OSC_REL_AMPLITUDE times the median |gap| instead;
#   * the swings are real, not batch noise: the block means vary at least OSC_SNR times
#     more than the within-block noise predicts (white noise gives about 1);
#   * no progress: the fitted trend over the whole window is at most OSC_MAX_TREND times
#     the amplitude.
# It misses swings slower than the window and cannot tell a slow but productive cycle
# (G visiting modes in turn on its way to covering them) from an endless one; it is a
# warning, not a verdict. On the tiny ring8 test model, hinge really does swing (the gap
# goes from +0.6 to -0.6 and back every ~250 steps) and is reported; non-saturating and
# minimax, whose gap stays within about ±0.1, are not.
OSC_WINDOW = 1000
OSC_BLOCK = 10
OSC_MIN_CROSSINGS = 6
OSC_AMPLITUDE = 0.15
OSC_REL_AMPLITUDE = 0.5
OSC_SNR = 2.0
OSC_MAX_TREND = 0.5
# The first OSC_WARMUP steps of a generation are ignored, and the rule judges only once
# OSC_FILL of its window holds steps after them: early training is wild with every loss
# (the default model on the ring with hinge swings by ±0.3 for ~350 steps, then settles).
OSC_WARMUP = 1000
OSC_FILL = 0.9
# The natural range of D's score per score loss (probability losses: 1).
OSC_SCORE_SCALES: dict[str, float] = {"least_squares": 1.0, "hinge": 2.0}

_COLUMNS: tuple[str, ...] = ("d_loss", "g_loss", "d_real", "d_fake", "grad_norm_d", "grad_norm_g")
_D_LOSS, _G_LOSS, _D_REAL, _D_FAKE, _NORM_D, _NORM_G = range(6)
_D_GROUP = (_D_LOSS, _D_REAL, _D_FAKE, _NORM_D)  # all computed in a D update, or none
_G_GROUP = (_G_LOSS, _NORM_G)
_LABELS = {
    "d_loss": "D's loss",
    "g_loss": "G's loss",
    "d_real": "D(x)",
    "d_fake": "D(G(z))",
    "grad_norm_d": "‖∇D‖",
    "grad_norm_g": "‖∇G‖",
}


@dataclass(frozen=True)
class Thresholds:
    """Every tunable bound of the detectors; the defaults are the module constants."""

    eval_every: int = EVAL_EVERY
    clear_steps: int = CLEAR_STEPS
    min_fill: float = MIN_FILL
    explode_bound: float = EXPLODE_BOUND
    explode_growth: float = EXPLODE_GROWTH
    explode_span: int = EXPLODE_SPAN
    explode_floor: float = EXPLODE_FLOOR
    window: int = WINDOW
    vanish_abs: float = VANISH_ABS
    vanish_rel: float = VANISH_REL
    reference_steps: int = REFERENCE_STEPS
    confident_fake: float = CONFIDENT_FAKE
    confident_real: float = CONFIDENT_REAL
    wins_steps: int = WINS_STEPS
    wins_fraction: float = WINS_FRACTION
    collapse_ratio: float = COLLAPSE_RATIO
    mode_memory_steps: int = MODE_MEMORY_STEPS
    collapse_warmup_steps: int = COLLAPSE_WARMUP_STEPS
    drop_warmup_steps: int = DROP_WARMUP_STEPS
    diversity_ratio: float = DIVERSITY_RATIO
    osc_window: int = OSC_WINDOW
    osc_block: int = OSC_BLOCK
    osc_min_crossings: int = OSC_MIN_CROSSINGS
    osc_amplitude: float = OSC_AMPLITUDE
    osc_rel_amplitude: float = OSC_REL_AMPLITUDE
    osc_snr: float = OSC_SNR
    osc_max_trend: float = OSC_MAX_TREND
    osc_warmup: int = OSC_WARMUP
    osc_fill: float = OSC_FILL

    def __post_init__(self) -> None:
        for name in ("eval_every", "window", "wins_steps", "osc_window", "osc_block"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if not 2 * self.explode_span <= self.window:
            raise ValueError("explode_span must be at most half the window")
        if not self.osc_window >= 4 * self.osc_block:
            raise ValueError("osc_window must hold at least 4 blocks")
        for name in ("min_fill", "wins_fraction", "osc_fill"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in (0, 1]")
        if self.clear_steps < 0 or self.reference_steps < 1 or self.osc_warmup < 0:
            raise ValueError("clear_steps, osc_warmup must be >= 0, reference_steps >= 1")


@dataclass(frozen=True)
class Diagnosis:
    """One detected condition, at the step it started."""

    kind: str  # one of KINDS
    step: int
    severity: str  # "warning" or "error"
    message: str  # plain English for a student: what, why it matters, what to try
    values: dict[str, float] = field(default_factory=dict)  # the numbers behind it

    @property
    def title(self) -> str:
        return TITLES[self.kind]


class _Latch:
    """Fire once when a condition starts; re-arm after it stayed false ``clear_steps``."""

    def __init__(self) -> None:
        self.active = False
        self.false_since: int | None = None

    def observe(self, condition: bool, step: int, clear_steps: int) -> bool:
        if condition:
            self.false_since = None
            if not self.active:
                self.active = True
                return True
            return False
        if self.active:
            if self.false_since is None:
                self.false_since = step
            if step - self.false_since >= clear_steps:
                self.active = False
                self.false_since = None
        return False


def _fmt(x: float) -> str:
    """A short human number: 3e-6, 0.012, 4.2, 1.5e4, NaN, inf."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    s = f"{x:.2g}"
    if "e" in s:
        mantissa, exponent = s.split("e")
        s = f"{mantissa}e{int(exponent)}"
    return s


def _times(x: float) -> str:
    """A ratio for a sentence: 4.2, 37, 1,200."""
    if x < 10:
        return f"{x:.2g}"
    return f"{float(f'{x:.2g}'):,.0f}"


class Diagnostics:
    """Watches the training scalars of one generation and explains what goes wrong.

    Parameters
    ----------
    thresholds
        The detectors' bounds; the module constants by default.
    """

    def __init__(self, thresholds: Thresholds | None = None):
        self.thresholds = thresholds or Thresholds()
        self.reset()

    def reset(self) -> None:
        """Forget everything: a new generation (reset, rebuild, checkpoint) starts clean."""
        th = self.thresholds
        capacity = max(th.window, th.wins_steps, th.osc_window)
        self._rows = RingBuffer(capacity, width=len(_COLUMNS))
        self._seen = 0  # rows fed since the reset (drives the evaluation schedule)
        self._seen_finite = False
        self._latches = {kind: _Latch() for kind in KINDS}
        self._growth: tuple[bool, dict[str, float]] = (False, {})
        self._g_early: list[float] = []
        self._g_reference: float | None = None
        self._modes: deque[tuple[int, int]] = deque()
        self._output_kind = "probability"
        self._loss_name = ""

    @property
    def active(self) -> frozenset[str]:
        """The kinds whose condition currently holds (fired and not yet cleared)."""
        return frozenset(k for k, latch in self._latches.items() if latch.active)

    # ------------------------------------------------------------------ scalars

    def update(
        self,
        steps: np.ndarray,
        values: Mapping[str, np.ndarray],
        output_kind: str,
        loss_name: str,
    ) -> list[Diagnosis]:
        """Feed one batch of per-step scalars; returns the conditions that started.

        ``values`` maps the ScalarBatch columns (d_loss, g_loss, d_real, d_fake,
        grad_norm_d, grad_norm_g) to arrays as long as ``steps``; a missing column counts
        as not computed (NaN), other keys are ignored. ``output_kind`` is the loss's
        ("probability" or "score"), ``loss_name`` its registry name (for the advice).
        """
        steps = np.asarray(steps, dtype=np.int64).reshape(-1)
        n = len(steps)
        table = np.full((n, len(_COLUMNS)), np.nan)
        for i, name in enumerate(_COLUMNS):
            if name in values:
                column = np.asarray(values[name], dtype=np.float64).reshape(-1)
                if len(column) != n:
                    raise ValueError(f"column {name!r} has {len(column)} values for {n} steps")
                table[:, i] = column
        self._output_kind = output_kind
        self._loss_name = loss_name
        found: list[Diagnosis] = []
        every = self.thresholds.eval_every
        i = 0
        while i < n:
            take = min(n - i, every - self._seen % every)
            found += self._piece(steps[i : i + take], table[i : i + take])
            i += take
        return found

    def _piece(self, steps: np.ndarray, rows: np.ndarray) -> list[Diagnosis]:
        """Rows up to the next evaluation point: per-step rules, then window rules."""
        th = self.thresholds
        self._rows.append(rows)
        self._seen += len(rows)
        self._collect_reference(rows[:, _NORM_G])
        chunk_end = self._seen % th.eval_every == 0
        window_results: list[tuple[str, bool, Diagnosis | None]] = []
        growing_before = self._growth[0]  # the growth verdict holds until re-evaluated
        if chunk_end:
            step = int(steps[-1])
            self._growth = self._growth_condition()
            window_results = [
                ("vanishing_generator", *self._vanishing(step)),
                ("discriminator_wins", *self._discriminator_wins(step)),
                ("oscillation", *self._oscillation(step)),
            ]
        found: list[Diagnosis] = []
        finite = np.isfinite(rows)
        broken = self._non_finite_rows(rows, finite)
        with np.errstate(invalid="ignore"):
            big = finite & (np.abs(rows) > th.explode_bound)
        too_big = big.any(axis=1)
        for r, step_value in enumerate(steps):
            step = int(step_value)
            growing = self._growth[0] if r == len(rows) - 1 else growing_before
            if self._latches["exploding"].observe(
                bool(too_big[r]) or growing, step, th.clear_steps
            ):
                if too_big[r]:
                    found.append(self._exploding_bound(step, rows[r], big[r]))
                else:
                    found.append(self._exploding_growth(step, self._growth[1]))
            if self._latches["non_finite"].observe(bool(broken[r]), step, th.clear_steps):
                found.append(self._non_finite_diagnosis(step, rows[r], finite[r]))
        for kind, condition, diagnosis in window_results:
            if self._latches[kind].observe(condition, int(steps[-1]), th.clear_steps):
                assert diagnosis is not None
                found.append(diagnosis)
        return found

    def _collect_reference(self, g_norms: np.ndarray) -> None:
        if self._g_reference is not None:
            return
        self._g_early += [float(v) for v in g_norms[np.isfinite(g_norms)]]
        if len(self._g_early) >= self.thresholds.reference_steps:
            early = self._g_early[: self.thresholds.reference_steps]
            self._g_reference = float(np.median(early))
            self._g_early = []

    def _recent(self, n: int) -> np.ndarray:
        view = self._rows.view()
        return view[len(view) - min(n, len(view)) :]

    def _enough(self, values: np.ndarray, window: int) -> bool:
        return len(values) >= max(2, math.ceil(self.thresholds.min_fill * window))

    # ------------------------------------------------------------------ non-finite

    def _non_finite_rows(self, rows: np.ndarray, finite: np.ndarray) -> np.ndarray:
        """Per row: Inf anywhere; NaN beside finite values of the same network's update
        (its loss is NaN but its gradient norm is not, say); or a row that is all NaN
        after finite rows (every number broke; a step that updates neither network,
        k_d = k_g = 0, looks the same and is reported too, once)."""
        bad = np.isinf(rows).any(axis=1)
        for group in (_D_GROUP, _G_GROUP):
            computed = finite[:, list(group)]
            bad |= computed.any(axis=1) & ~computed.all(axis=1)
        any_finite = finite.any(axis=1)
        seen_before = np.logical_or.accumulate(np.concatenate([[self._seen_finite], any_finite]))
        bad |= ~any_finite & seen_before[:-1]
        self._seen_finite = bool(seen_before[-1])
        return bad

    def _non_finite_diagnosis(self, step: int, row: np.ndarray, finite: np.ndarray) -> Diagnosis:
        broken = {name: float(row[i]) for i, name in enumerate(_COLUMNS) if not finite[i]}
        if np.isfinite(row).any():
            broken = {k: v for k, v in broken.items() if not _not_computed(k, row)}
        what = ", ".join(f"{_LABELS[k]} = {_fmt(v)}" for k, v in broken.items())
        return Diagnosis(
            kind="non_finite",
            step=step,
            severity="error",
            message=(
                f"At step {step} the training numbers stopped being numbers ({what}). "
                "Some value overflowed, and once a NaN or an infinity reaches the weights "
                "the networks compute nothing useful any more. The usual cause is a "
                "learning rate too large for this loss and model: lower the learning "
                "rates (try 10 times smaller), prefer Adam to plain SGD, or add a "
                "gradient penalty; then go back to the last good state or reset."
            ),
            values=broken,
        )

    # ------------------------------------------------------------------ exploding

    def _exploding_bound(self, step: int, row: np.ndarray, big: np.ndarray) -> Diagnosis:
        i = int(np.argmax(np.where(big, np.abs(row), -np.inf)))
        name = _COLUMNS[i]
        value = float(row[i])
        network = "D" if i in _D_GROUP else "G"
        return Diagnosis(
            kind="exploding",
            step=step,
            severity="error",
            message=(
                f"{_LABELS[name]} reached {_fmt(value)} at step {step}, far beyond any "
                f"normal size (the bound is {_fmt(self.thresholds.explode_bound)}). "
                "Updates this large throw the weights far away and usually end in NaN "
                f"a few steps later. Lower {network}'s learning rate (or both), prefer "
                "Adam to plain SGD, and consider a gradient penalty or spectral "
                "normalisation to keep D smooth."
            ),
            values={name: value, "bound": self.thresholds.explode_bound},
        )

    def _growth_condition(self) -> tuple[bool, dict[str, float]]:
        th = self.thresholds
        recent = self._recent(th.window)
        for i in (_NORM_D, _NORM_G):
            x = recent[:, i]
            x = x[np.isfinite(x)]
            if not self._enough(x, th.window) or len(x) < 2 * th.explode_span:
                continue
            early = float(np.median(x[: th.explode_span]))
            late = float(np.median(x[-th.explode_span :]))
            if late > th.explode_floor and late > th.explode_growth * max(early, 1e-30):
                return True, {
                    "column": float(i),
                    "early": early,
                    "late": late,
                    "ratio": late / max(early, 1e-30),
                    "steps": float(len(recent)),
                }
        return False, {}

    def _exploding_growth(self, step: int, info: dict[str, float]) -> Diagnosis:
        name = _COLUMNS[int(info["column"])]
        network = "D" if name == "grad_norm_d" else "G"
        values = {
            f"{name}_early": info["early"],
            f"{name}_late": info["late"],
            "ratio": info["ratio"],
            "steps": info["steps"],
        }
        return Diagnosis(
            kind="exploding",
            step=step,
            severity="warning",
            message=(
                f"{_LABELS[name]} grew {_times(info['ratio'])} times within the last "
                f"{int(info['steps'])} steps (from about {_fmt(info['early'])} to "
                f"{_fmt(info['late'])}). A gradient that keeps growing like this is the "
                "usual prelude to a blow-up into NaN. Lower "
                f"{network}'s learning rate now, or add a gradient penalty or spectral "
                "normalisation to keep D smooth."
            ),
            values=values,
        )

    # ------------------------------------------------------------------ vanishing G

    def _vanishing(self, step: int) -> tuple[bool, Diagnosis | None]:
        th = self.thresholds
        recent = self._recent(th.window)
        g = recent[:, _NORM_G]
        g = g[np.isfinite(g)]
        if not self._enough(g, th.window):
            return False, None
        typical = float(np.median(g))
        probability = self._output_kind == "probability"
        ref = self._g_reference
        absolute = typical < th.vanish_abs
        relative = ref is not None and typical < th.vanish_rel * ref
        if not ((absolute or relative) if probability else (absolute and relative)):
            return False, None
        fake = recent[:, _D_FAKE]
        fake = fake[np.isfinite(fake)]
        d_fake = float(np.median(fake)) if len(fake) else math.nan
        if probability and not (len(fake) and d_fake < th.confident_fake):
            return False, None
        values = {"grad_norm_g": typical}
        if ref is not None:
            values["grad_norm_g_early"] = ref
        if probability:
            values["d_fake"] = d_fake
        smaller = ""
        if ref is not None and 0 < typical < ref:
            smaller = f", {_times(ref / typical)} times smaller than early on"
        if probability and self._loss_name == "minimax":
            text = (
                f"D is confident (D(G(z)) ≈ {_fmt(d_fake)}) and the saturating generator "
                f"loss gives G almost no gradient (‖∇G‖ ≈ {_fmt(typical)}{smaller}). "
                "log(1 - D(G(z))) is flat exactly where D rejects the fakes, so G has "
                "stopped learning. Switch to the non-saturating loss, or lower D's "
                "learning rate or its updates per step (k_d)."
            )
        elif probability:
            text = (
                f"G's gradient has almost vanished (‖∇G‖ ≈ {_fmt(typical)}{smaller}) "
                f"while D is confident (D(G(z)) ≈ {_fmt(d_fake)}). D's output is flat "
                "around the fakes, so G cannot tell which way to move and has stopped "
                "learning. Lower D's learning rate or its updates per step (k_d), add "
                "instance noise or label smoothing, or make D smaller."
            )
        else:
            text = (
                f"G's gradient has almost vanished (‖∇G‖ ≈ {_fmt(typical)}{smaller}). "
                "D's score is flat around the generated samples, so G cannot tell which "
                "way to move and has stopped learning. "
                + (
                    "Weight clipping tends to make the critic flat: try the gradient "
                    "penalty (wgan_gp) instead, or a larger clip value."
                    if self._loss_name == "wgan_clip"
                    else "Lower D's learning rate or its updates per step (k_d), or raise "
                    "G's learning rate."
                )
            )
        return True, Diagnosis("vanishing_generator", step, "warning", text, values)

    # ------------------------------------------------------------------ D wins

    def _discriminator_wins(self, step: int) -> tuple[bool, Diagnosis | None]:
        th = self.thresholds
        if self._output_kind != "probability":
            return False, None
        recent = self._recent(th.wins_steps)
        real, fake = recent[:, _D_REAL], recent[:, _D_FAKE]
        ok = np.isfinite(real) & np.isfinite(fake)
        real, fake = real[ok], fake[ok]
        if not self._enough(real, th.wins_steps):
            return False, None
        wins = (real > th.confident_real) & (fake < th.confident_fake)
        fraction = float(wins.mean())
        if fraction < th.wins_fraction:
            return False, None
        r, f = float(np.median(real)), float(np.median(fake))
        extra = (
            " Switching to the non-saturating loss also helps G."
            if (self._loss_name == "minimax")
            else ""
        )
        text = (
            f"For the last {len(recent)} steps D has told real from fake almost perfectly "
            f"(D(x) ≈ {_fmt(r)}, D(G(z)) ≈ {_fmt(f)}). When D wins this clearly, G's "
            "learning signal becomes weak or erratic and the game stops being a game. "
            "Give G a chance: lower D's learning rate or its updates per step (k_d), "
            "raise G's learning rate, add label smoothing or instance noise, or make D "
            f"smaller.{extra}"
        )
        values = {"d_real": r, "d_fake": f, "fraction": fraction, "steps": float(len(recent))}
        return True, Diagnosis("discriminator_wins", step, "warning", text, values)

    # ------------------------------------------------------------------ oscillation

    def _oscillation(self, step: int) -> tuple[bool, Diagnosis | None]:
        th = self.thresholds
        after_warmup = min(th.osc_window, self._seen - th.osc_warmup)
        if after_warmup < th.osc_fill * th.osc_window:
            return False, None
        recent = self._recent(after_warmup)
        gap = recent[:, _D_REAL] - recent[:, _D_FAKE]
        gap = gap[np.isfinite(gap)]
        if len(gap) < th.osc_fill * th.osc_window:
            return False, None
        n_blocks = len(gap) // th.osc_block
        if n_blocks < 4:
            return False, None
        blocks = gap[len(gap) - n_blocks * th.osc_block :].reshape(n_blocks, th.osc_block)
        means = blocks.mean(axis=1)
        t = np.arange(n_blocks, dtype=np.float64)
        slope, intercept = np.polyfit(t, means, 1)
        resid = means - (slope * t + intercept)
        spread = float(resid.std())
        amplitude = math.sqrt(2.0) * spread
        crossings = _swings(resid, 0.5 * spread)
        noise = float(np.sqrt(blocks.var(axis=1).mean() / th.osc_block))
        trend = abs(float(slope)) * (n_blocks - 1)
        if self._output_kind == "probability":
            bound = th.osc_amplitude
        elif self._loss_name in OSC_SCORE_SCALES:
            bound = th.osc_amplitude * OSC_SCORE_SCALES[self._loss_name]
        else:
            bound = th.osc_rel_amplitude * float(np.median(np.abs(gap)))
        oscillating = (
            crossings >= th.osc_min_crossings
            and amplitude >= bound
            and spread >= th.osc_snr * noise
            and trend <= th.osc_max_trend * amplitude
        )
        if not oscillating:
            return False, None
        swings = crossings // 2
        text = (
            f"Over the last {len(recent)} steps the real-fake gap D(x) - D(G(z)) swung "
            f"up and down {swings} times by about ±{_fmt(amplitude)} without moving on "
            "(its trend is small). D and G take turns winning instead of settling: "
            "each undoes what the other just learned. Lower both learning rates (or "
            "Adam's beta1), or add a regulariser that damps the back-and-forth: R1 or a "
            "gradient penalty, or spectral normalisation of D."
        )
        values = {
            "amplitude": amplitude,
            "crossings": float(crossings),
            "trend": trend,
            "noise": noise,
            "steps": float(len(recent)),
        }
        return True, Diagnosis("oscillation", step, "warning", text, values)

    # ------------------------------------------------------------------ mode collapse

    def update_modes(self, step: int, modes_captured: int, total_modes: int) -> list[Diagnosis]:
        """Feed the toy metric "modes captured" (of ``total_modes``) at ``step``."""
        th = self.thresholds
        while self._modes and self._modes[-1][0] > step:  # steps went back (a restore)
            self._modes.pop()
        while self._modes and self._modes[0][0] < step - th.mode_memory_steps:
            self._modes.popleft()
        self._modes.append((step, int(modes_captured)))
        recent_max = max(count for _, count in self._modes)
        dropped = (
            step >= th.drop_warmup_steps
            and recent_max >= 2
            and modes_captured <= th.collapse_ratio * recent_max
        )
        few = (
            step >= th.collapse_warmup_steps
            and total_modes > 0
            and modes_captured < th.collapse_ratio * total_modes
        )
        if not self._latches["mode_collapse"].observe(dropped or few, step, th.clear_steps):
            return []
        if dropped:
            what = (
                f"G now covers only {modes_captured} of the {total_modes} modes, down from "
                f"{recent_max} a little earlier."
            )
        else:
            what = (
                f"After {step} steps G still covers only {modes_captured} of the "
                f"{total_modes} modes."
            )
        text = (
            f"{what} It puts its samples on a few modes and ignores the rest: mode "
            "collapse. D then learns to reject those modes, G jumps to others, and the "
            "cycle repeats. Try a gradient penalty loss (wgan_gp), spectral normalisation "
            "of D, R1 regularisation, or lower learning rates."
        )
        values = {
            "modes_captured": float(modes_captured),
            "total_modes": float(total_modes),
            "recent_max": float(recent_max),
        }
        return [Diagnosis("mode_collapse", step, "warning", text, values)]

    def update_diversity(
        self, step: int, fake_diversity: float, real_diversity: float
    ) -> list[Diagnosis]:
        """Feed an image diversity measure (e.g. mean pairwise distance) of the
        fixed-noise samples and of real samples at ``step``."""
        th = self.thresholds
        if not (math.isfinite(fake_diversity) and math.isfinite(real_diversity)):
            return []
        low = (
            step >= th.collapse_warmup_steps
            and real_diversity > 0
            and fake_diversity < th.diversity_ratio * real_diversity
        )
        if not self._latches["mode_collapse"].observe(low, step, th.clear_steps):
            return []
        ratio = fake_diversity / real_diversity
        text = (
            "The generated images are much less varied than the real ones (diversity "
            f"{_fmt(fake_diversity)} against {_fmt(real_diversity)}, {ratio:.0%}): many "
            "different noise vectors give nearly the same picture. That is mode "
            "collapse: G found a few outputs that fool D and stopped exploring. Try "
            "spectral normalisation of D, a gradient penalty loss (wgan_gp) or R1, a "
            "lower G learning rate, or minibatch-friendly settings such as a larger batch."
        )
        values = {
            "fake_diversity": float(fake_diversity),
            "real_diversity": float(real_diversity),
            "ratio": ratio,
        }
        return [Diagnosis("mode_collapse", step, "warning", text, values)]


def _swings(x: np.ndarray, band: float) -> int:
    """Sign changes of ``x`` that go from above ``+band`` to below ``-band`` or back:
    wiggles inside the band (noise around zero) do not count."""
    count = 0
    side = 0
    for v in x:
        now = 1 if v > band else -1 if v < -band else 0
        if now and now != side:
            count += side != 0
            side = now
    return count


def _not_computed(name: str, row: np.ndarray) -> bool:
    """True when ``name``'s network did not update in ``row`` (its whole group is NaN)."""
    i = _COLUMNS.index(name)
    group = _D_GROUP if i in _D_GROUP else _G_GROUP
    return bool(np.isnan(row[list(group)]).all())
