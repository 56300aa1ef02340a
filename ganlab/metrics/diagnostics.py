"""Live training diagnostics: warnings with plain-language explanations.

Owns the detectors behind the "Metrics and diagnostics" feature: NaN/Inf values, exploding
losses or gradients, vanishing generator gradients, the discriminator overpowering the
generator, mode collapse (toy mode counts or image diversity) and oscillation without
progress. A :class:`Diagnostics` object is fed the per-step columns of each ScalarBatch
(with the learning rates and the experiment, so the advice fits the settings in use)
and, where a view computes them, mode counts or sample diversity; it returns a
:class:`Diagnosis` when a condition *starts*. Messages are for a student: which
network and which number, why it matters, what to try with the current settings; they are
translated when built (gettext, ``ganlab.kernel.i18n``), and :func:`title` gives a kind's
short title in the language in use (``TITLES`` holds the English msgids).

No Qt; runs in the trainer thread. numpy only; state is O(window): rolling windows of
the most recent steps, never the whole history.

How the rules are evaluated
---------------------------
* Per-step rules (``non_finite``, ``exploding``) look at every row. Their diagnoses have
  ``pause=True``: the caller pauses training and goes back to its last good state, then
  calls :meth:`Diagnostics.restored`.
* Window rules (``vanishing_generator``, ``discriminator_wins``, ``oscillation``) are
  evaluated every ``eval_every`` steps, counted over all rows fed since the last
  :meth:`Diagnostics.reset`, so the result does not depend on how the rows were batched.
  They only judge once at least ``min_fill`` of their window holds finite values (a
  network that did not update in a step has NaN there and is skipped); oscillation
  has its own warm-up and fill (``osc_warmup``, ``osc_fill``).
* The conditioning rules (``ignores_label``, ``ignores_z``, conditional families only)
  are judged whenever :meth:`Diagnostics.update_conditioning` is called, at the step
  given, with spreads the trainer measures on a small fixed probe batch.
* Mode collapse is judged whenever :meth:`Diagnostics.update_modes` (toy sources) or
  :meth:`Diagnostics.update_diversity` (images) is called, at the step given.
* One message per episode: each kind fires once when its condition starts, then stays
  silent until the condition has stayed false for ``clear_steps`` steps in a row (for
  the sparse mode reports: at a report at least ``clear_steps`` after the first report
  that found it false); only then can a new episode fire again. A run stuck in one
  failure, or flickering in and out of it, therefore produces one message, not one per
  check. :attr:`Diagnostics.active` lists the kinds whose episode is still open.
  Going back to a saved state (:meth:`Diagnostics.restored`) closes the pausing kinds'
  episodes: a repeat after the restore is a new episode, and pauses again.
* A change of loss in the middle of a run (a live switch) starts the windows afresh:
  numbers from another loss are not comparable (probabilities against scores, other
  gradient scales).

Each detector's rule and thresholds are documented at its constants below, with the
measurements behind them; all of them can be tuned through :class:`Thresholds`.
"Healthy" below means the shipped presets that are not about a failure, trained with the
real engine on a CPU for 2,000-4,000 steps and up to three seeds each
(tests/metrics/test_presets_run_clean.py reruns a shorter version of every one).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ganlab.kernel.i18n import N_, _
from ganlab.kernel.ringbuffer import RingBuffer

if TYPE_CHECKING:
    from ganlab.kernel.config import ExperimentConfig

KINDS: tuple[str, ...] = (
    "non_finite",
    "exploding",
    "vanishing_generator",
    "discriminator_wins",
    "mode_collapse",
    "oscillation",
    "ignores_label",
    "ignores_z",
)

# Short English titles per kind (gettext msgids): show them translated, ``title(kind)``.
TITLES: dict[str, str] = {
    "non_finite": N_("NaN or infinite values"),
    "exploding": N_("Exploding losses or gradients"),
    "vanishing_generator": N_("Vanishing generator gradients"),
    "discriminator_wins": N_("The discriminator overpowers the generator"),
    "mode_collapse": N_("Mode collapse"),
    "oscillation": N_("Oscillation without progress"),
    "ignores_label": N_("G ignores the label"),
    "ignores_z": N_("G ignores z"),
}


def title(kind: str) -> str:
    """The short title of a diagnosis ``kind`` in the language in use (the kind if unknown)."""
    return _(TITLES[kind]) if kind in TITLES else kind


SEVERITIES: tuple[str, ...] = ("warning", "error")

# The kinds whose diagnoses pause training (severity "error", ``pause=True``): once a
# value is NaN or absurdly large, every further step only damages the weights.
PAUSING_KINDS: frozenset[str] = frozenset({"non_finite", "exploding"})

# ----------------------------------------------------------------------------- general
EVAL_EVERY = 10  # window rules are evaluated every this many steps
# An episode ends only after its condition stayed false this many steps in a row. Long
# enough that a failure which comes and goes (a D with a huge learning rate explodes,
# recovers for ~200 steps, explodes again; a starved G gets a few steps of gradient) is
# one episode; short compared with a lesson, so a new failure later is still reported.
CLEAR_STEPS = 500
MIN_FILL = 0.5  # a window rule judges only when this fraction of its window is finite

# ----------------------------------------------------------------------------- exploding
# Any |loss| above EXPLODE_LOSS_BOUND or gradient norm above EXPLODE_NORM_BOUND in one
# step. Measured: healthy runs stay far below (probability losses <= 12 and toy gradient
# norms <= 30; the image presets' ‖∇D‖ spikes to ~1,500 when G catches up with a D that
# was winning), while every blow-up measured crosses a bound in its first bad step:
# a learning rate of 10 for D or G, at the start or switched live, and SGD at 0.3-10,
# reach 1e4-1e9 at once. There is deliberately no "growing gradient" early warning: in
# the healthy DCGAN preset ‖∇D‖ legitimately jumps 100-2,000 fold within 50 steps (D
# losing its grip), and a real blow-up takes 1-3 steps, leaving nothing to warn early.
EXPLODE_LOSS_BOUND = 1e4
EXPLODE_NORM_BOUND = 1e5

# ----------------------------------------------------------------------------- blame
# Which network's learning rate the advice for NaN and exploding values names. The
# numbers cannot say it: G's gradient flows through D and D is trained on G's samples, so
# a D thrown off by a huge step makes ‖∇G‖ explode first (measured: D's rate switched
# from 1e-3 to 10 -> ‖∇G‖ = 4e8 while D's own loss is still 6e3), and the other way
# round. The learning rates (ScalarBatch.lrs) can: a network whose rate is at least
# LR_RAISED times its lowest value within the rows kept (up to OSC_WINDOW steps) was
# raised just before it broke; otherwise a network whose rate is at least LR_RATIO times
# the other's is the suspect; otherwise both rates are named.
LR_RAISED = 2.0
LR_RATIO = 10.0

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
# which D updated, D(x) > CONFIDENT_REAL and D(G(z)) < WINS_FAKE: D separates the two
# perfectly and its own loss is ~0.002, so it has stopped learning too.
# Calibrated on real runs. Image GANs spend their first hundreds of steps with D well
# ahead and that is healthy: the shapes DCGAN and cGAN presets sit at D(x) ~ 0.99,
# D(G(z)) ~ 0.005-0.02 for 300-1,300 steps while G's samples improve (with the
# non-saturating loss G's gradient stays large, ‖∇G‖ ~ 15-40). Bounds of 0.95 / 0.05
# fired on every seed within 250-900 steps; at 0.995 / 0.005 one seed still held 96 % of
# a window; at 0.999 / 0.001 no healthy window reaches even 1 %. A D that really wins (a
# G too slow to follow: G's rate 100x below D's, on the 1-D gaussian and on shapes with
# the DCGAN) holds 100 % at 0.999 / 0.001 from step ~200 on.
# With one-sided label smoothing s the real target is 1 - s, so D(x) must exceed
# (1 - s) * CONFIDENT_REAL instead.
# Skipped for score losses on purpose: a critic with a large real-fake gap is doing its
# job (the Wasserstein critic's gap *is* its distance estimate), and scores have no fixed
# scale (a Wasserstein critic can drift by a constant), so no threshold means "D wins".
# The harmful consequence, G starved of gradient, is caught by vanishing_generator.
WINS_STEPS = 200
WINS_FRACTION = 0.9
CONFIDENT_REAL = 0.999
WINS_FAKE = 0.001

# ----------------------------------------------------------------------------- collapse
# Toy sources. The count of modes captured is noisy (2,500 samples; on the grid of 25 it
# hops between 12 and 22 from one report to the next in a healthy run), so the rules use
# its median over the last MODE_SMOOTH reports. Collapse is a drop, after
# DROP_WARMUP_STEPS, to at most COLLAPSE_RATIO of the count's maximum over the last
# MODE_MEMORY_STEPS steps (that maximum being at least 2), or, after
# COLLAPSE_WARMUP_STEPS, a count of at most FEW_MODES_RATIO of all modes: "a few modes".
# Early in training G is still exploring and the count swings widely (5 -> 2 in the first
# few hundred steps of a small healthy run), which is not collapse. Measured on the grid
# of 25 preset (3 seeds, 4,000 steps): the median count drifts from a peak of 18-20
# (steps 500-900) down to 10-16 over the next 1,000-2,000 steps and back up. That slow
# drift is the partial coverage that makes the preset a hard test, not a collapse onto a
# few modes, hence a memory of 1,000 steps (a collapse is a fall within it) and "few"
# meaning a quarter; single raw counts fell to 9 and a 2,000-step memory fired.
# Images: the diversity of the fixed-noise samples (their mean pairwise distance)
# against that of real samples. A freshly initialised G gives near-identical grey blurs,
# and in the healthy shapes presets G's diversity stays below 0.25 of the real one for up
# to 1,300 steps before it grows (to 0.7-1.0 by step 2,000). So a collapse is either a
# drop (after DROP_WARMUP_STEPS, to at most COLLAPSE_RATIO of its maximum over the last
# MODE_MEMORY_STEPS, that maximum having reached DIVERSITY_RATIO of the real diversity:
# healthy runs, 3 seeds of each shapes preset, never fell below 0.73 of their maximum
# once there), or, after COLLAPSE_WARMUP_STEPS, a diversity still below DIVERSITY_FLOOR
# of the real one.
DROP_WARMUP_STEPS = 1000
COLLAPSE_RATIO = 0.5
FEW_MODES_RATIO = 0.25
MODE_SMOOTH = 5
MODE_MEMORY_STEPS = 1000
COLLAPSE_WARMUP_STEPS = 2000
DIVERSITY_RATIO = 0.5
DIVERSITY_FLOOR = 0.25

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
# minimax, whose gap stays within about ±0.1, are not. The image presets swing more than
# the toys while healthy (D wins for a few hundred steps, G catches up, D pulls ahead
# again): amplitudes up to 0.22, and up to 0.15 where the other three conditions held
# too (the shapes DCGAN, seed 0, step 1,900), hence OSC_AMPLITUDE = 0.25 rather than
# 0.15; the toy presets stay below 0.05.
OSC_WINDOW = 1000
OSC_BLOCK = 10
OSC_MIN_CROSSINGS = 6
OSC_AMPLITUDE = 0.25
OSC_REL_AMPLITUDE = 0.5
OSC_SNR = 2.0
OSC_MAX_TREND = 0.5
# The first OSC_WARMUP steps of a segment are ignored, and the rule judges only once
# OSC_FILL of its window holds steps after them: early training is wild with every loss
# (the default model on the ring with hinge swings by ±0.3 for ~350 steps, then settles).
OSC_WARMUP = 1000
OSC_FILL = 0.9
# The natural range of D's score per score loss (probability losses: 1).
OSC_SCORE_SCALES: dict[str, float] = {"least_squares": 1.0, "hinge": 2.0}

# ----------------------------------------------------------------------------- conditioning
# Conditional families (cgan, acgan). The trainer generates a fixed probe grid: PROBE_Z
# noise vectors, each with every label (``Trainer.conditioning_probe``), and measures two
# spreads of it (mean pairwise pixel distance, per pixel): among the samples of one label
# (z varies; averaged over labels) and among the samples of one z (the label varies;
# averaged over z). Each is compared with the real data's: the spread of real images
# within a class, and between images of different classes.
# * "G ignores z": the same-label spread is below IGNORE_Z_FLOOR of the real within-class
#   spread, after CONDITION_WARMUP_STEPS: every z gives (nearly) the same image of a
#   class, a mode collapse inside each class. The all-sample diversity of the mode
#   collapse rule does not see it, because the labels alone keep a grid varied.
# * "G ignores the label": the same-z spread is below IGNORE_LABEL_FLOOR of the real
#   between-class spread, or (when the caller can classify the samples, e.g. with the
#   offline classifier) the share of samples recognised as the requested class is at most
#   AGREEMENT_CHANCE times chance (1 / classes), after CONDITION_WARMUP_STEPS.
# A freshly initialised G gives near-identical grey blurs for every z and label (ratios
# of 0.05-0.1), so neither rule judges before the warm-up. Measured on shapes with
# benchmarks/conditional_agreement.py (its "variety" is the same-label ratio on 50
# samples per class): the cGAN of issue 10 (label embedding joined to z) sat at
# 0.02-0.05 from step 1,000 on, one image per label, and so did the acgan preset (0.05 at
# step 600) and every variant that joined the embedding to z; generators with
# conditional BatchNorm stayed at 0.3-1.0 from step 1,000 on. A cGAN that used z but not
# the label (agreement 17-25 %, chance 17 %) had a same-z ratio of 0.13 at step 1,500;
# conditioned generators change the shape with the label at a fixed z, which moves a
# third or more of the pixels.
CONDITION_WARMUP_STEPS = 1500
IGNORE_Z_FLOOR = 0.2
IGNORE_LABEL_FLOOR = 0.2
AGREEMENT_CHANCE = 1.5

_COLUMNS: tuple[str, ...] = ("d_loss", "g_loss", "d_real", "d_fake", "grad_norm_d", "grad_norm_g")
_D_LOSS, _G_LOSS, _D_REAL, _D_FAKE, _NORM_D, _NORM_G = range(6)
_LR_D, _LR_G, _STEP = 6, 7, 8  # the learning rates in effect and the step, per row
_WIDTH = 9
_D_GROUP = (_D_LOSS, _D_REAL, _D_FAKE, _NORM_D)  # all computed in a D update, or none
_G_GROUP = (_G_LOSS, _NORM_G)
_LABELS = {
    "d_loss": N_("D's loss"),
    "g_loss": N_("G's loss"),
    "d_real": "D(x)",
    "d_fake": "D(G(z))",
    "grad_norm_d": "‖∇D‖",
    "grad_norm_g": "‖∇G‖",
}
_WHAT = {  # what a symbol stands for, for a sentence
    "d_real": N_("D's output on real data"),
    "d_fake": N_("D's output on generated data"),
    "grad_norm_d": N_("the norm of D's gradient"),
    "grad_norm_g": N_("the norm of G's gradient"),
}


@dataclass(frozen=True)
class Thresholds:
    """Every tunable bound of the detectors; the defaults are the module constants."""

    eval_every: int = EVAL_EVERY
    clear_steps: int = CLEAR_STEPS
    min_fill: float = MIN_FILL
    explode_loss_bound: float = EXPLODE_LOSS_BOUND
    explode_norm_bound: float = EXPLODE_NORM_BOUND
    lr_raised: float = LR_RAISED
    lr_ratio: float = LR_RATIO
    window: int = WINDOW
    vanish_abs: float = VANISH_ABS
    vanish_rel: float = VANISH_REL
    reference_steps: int = REFERENCE_STEPS
    confident_fake: float = CONFIDENT_FAKE
    confident_real: float = CONFIDENT_REAL
    wins_fake: float = WINS_FAKE
    wins_steps: int = WINS_STEPS
    wins_fraction: float = WINS_FRACTION
    collapse_ratio: float = COLLAPSE_RATIO
    few_modes_ratio: float = FEW_MODES_RATIO
    mode_smooth: int = MODE_SMOOTH
    mode_memory_steps: int = MODE_MEMORY_STEPS
    collapse_warmup_steps: int = COLLAPSE_WARMUP_STEPS
    drop_warmup_steps: int = DROP_WARMUP_STEPS
    diversity_ratio: float = DIVERSITY_RATIO
    diversity_floor: float = DIVERSITY_FLOOR
    condition_warmup_steps: int = CONDITION_WARMUP_STEPS
    ignore_z_floor: float = IGNORE_Z_FLOOR
    ignore_label_floor: float = IGNORE_LABEL_FLOOR
    agreement_chance: float = AGREEMENT_CHANCE
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
        for name in (
            "eval_every",
            "window",
            "wins_steps",
            "osc_window",
            "osc_block",
            "mode_smooth",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if not self.osc_window >= 4 * self.osc_block:
            raise ValueError("osc_window must hold at least 4 blocks")
        for name in ("min_fill", "wins_fraction", "osc_fill"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in (0, 1]")
        for name in ("explode_loss_bound", "explode_norm_bound"):
            if not getattr(self, name) > 0.0:
                raise ValueError(f"{name} must be positive")
        if not (self.lr_raised > 1.0 and self.lr_ratio > 1.0):
            raise ValueError("lr_raised and lr_ratio must be above 1")
        if self.clear_steps < 0 or self.reference_steps < 1 or self.osc_warmup < 0:
            raise ValueError("clear_steps, osc_warmup must be >= 0, reference_steps >= 1")


@dataclass(frozen=True)
class Diagnosis:
    """One detected condition, at the step its episode started.

    ``pause`` is the machine-readable order that goes with NaN/Inf and exploding values:
    stop training now and go back to the last good state (then tell the detectors, see
    :meth:`Diagnostics.restored`). ``network`` is the network the advice acts on first
    (whose learning rate to lower, say), which is not always the one whose number broke:
    a D thrown off by a huge learning rate makes G's gradient explode. ``quantity`` names
    the measured value(s) that triggered the diagnosis, comma-separated.
    """

    kind: str  # one of KINDS
    step: int
    severity: str  # "warning" or "error" (error: training must pause)
    message: str  # plain English for a student: what, why it matters, what to try
    values: dict[str, float] = field(default_factory=dict)  # the numbers behind it
    pause: bool = False  # True: pause training and restore the last good state
    network: str = ""  # "D", "G", or "" (both, or neither)
    quantity: str = ""  # e.g. "grad_norm_g", "d_real,d_fake", "modes_captured"

    @property
    def title(self) -> str:
        """The kind in a few words, in the language in use."""
        return title(self.kind)


class _Latch:
    """One message per episode: fire when a condition starts, then stay silent until it
    has been false for ``clear_steps`` steps in a row."""

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


def _named(name: str) -> str:
    """A column for a sentence: "D's loss", "‖∇G‖ (the norm of G's gradient)"."""
    label = _(_LABELS[name])
    return f"{label} ({_(_WHAT[name])})" if name in _WHAT else label


def _prob(x: float) -> str:
    """A probability with the digits that matter near 1: 0.42, 0.9993, 0.99997."""
    if 0.99 < x < 1.0:
        return f"{x:.{math.ceil(-math.log10(1.0 - x)) + 1}f}"
    return _fmt(x)


def _either(options: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    if len(options) <= 1:
        return "".join(options)
    return _("{items} or {last}").format(items=", ".join(options[:-1]), last=options[-1])


def _network_of(column: int) -> str:
    return "D" if column in _D_GROUP else "G"


class Diagnostics:
    """Watches the training scalars of one segment and explains what goes wrong.

    Parameters
    ----------
    thresholds
        The detectors' bounds; the module constants by default.
    """

    def __init__(self, thresholds: Thresholds | None = None):
        self.thresholds = thresholds or Thresholds()
        self.reset()

    def reset(self) -> None:
        """Forget everything: a new segment (reset, rebuild, checkpoint) starts clean."""
        th = self.thresholds
        capacity = max(th.window, th.wins_steps, th.osc_window)
        self._rows = RingBuffer(capacity, width=_WIDTH)
        self._seen = 0  # rows fed since the reset (drives the evaluation schedule)
        self._origin = 0  # _seen when the loss in use started (a reset or a live switch)
        self._seen_finite = False
        self._latches = {kind: _Latch() for kind in KINDS}
        self._g_early: list[float] = []
        self._g_reference: float | None = None
        self._modes: deque[tuple[int, float]] = deque()  # (step, smoothed count)
        self._counts: list[int] = []  # the last mode_smooth raw counts
        self._diversity: deque[tuple[int, float]] = deque()
        self._output_kind = "probability"
        self._loss_name = ""
        self._config: ExperimentConfig | None = None

    @property
    def active(self) -> frozenset[str]:
        """The kinds whose episode is open (fired, and not yet cleared for long enough)."""
        return frozenset(k for k, latch in self._latches.items() if latch.active)

    def restored(self, step: int) -> None:
        """Tell the detectors that training went back to the state saved at ``step``.

        Call it after a pause for a diagnosis with ``pause=True``, once the last good
        state is loaded. The rows after ``step`` are forgotten (they will be trained
        again) and the pausing kinds' episodes are closed, so that the same blow-up
        after the restore is reported, and pauses, again.
        """
        view = self._rows.view()
        keep = view[view[:, _STEP] <= step].copy()
        self._rows.clear()
        self._rows.append(keep)
        for kind in PAUSING_KINDS:
            self._latches[kind] = _Latch()
        while self._modes and self._modes[-1][0] > step:
            self._modes.pop()
        self._counts = []
        while self._diversity and self._diversity[-1][0] > step:
            self._diversity.pop()

    # ------------------------------------------------------------------ scalars

    def update(
        self,
        steps: np.ndarray,
        values: Mapping[str, np.ndarray],
        output_kind: str,
        loss_name: str,
        *,
        lrs: Mapping[str, np.ndarray] | None = None,
        config: ExperimentConfig | None = None,
    ) -> list[Diagnosis]:
        """Feed one batch of per-step scalars; returns the conditions that started.

        Parameters
        ----------
        steps
            The step numbers of the rows, shape (n,).
        values
            The ScalarBatch columns (d_loss, g_loss, d_real, d_fake, grad_norm_d,
            grad_norm_g), each shape (n,); a missing column counts as not computed
            (NaN), other keys are ignored.
        output_kind
            The loss's: "probability" or "score".
        loss_name
            The loss's registry name. A change from the previous batch (a live switch)
            restarts the windows.
        lrs
            ``{"d": (n,), "g": (n,)}``: the learning rates in effect (ScalarBatch.lrs).
            They tell which network's rate to blame for NaN and exploding values
            (one raised just before, or one far above the other). Without them the
            rates of ``config`` are used, batch by batch; without either, the advice
            names both rates.
        config
            The experiment in effect, so that the advice fits it: which penalties and
            normalisations are already on, the optimizers, k_d, label smoothing and
            instance noise. Without it the advice is generic.
        """
        steps = np.asarray(steps, dtype=np.int64).reshape(-1)
        n = len(steps)
        table = np.full((n, _WIDTH), np.nan)
        for i, name in enumerate(_COLUMNS):
            if name in values:
                table[:, i] = self._column(values[name], name, n)
        if lrs is not None:
            for key, i in (("d", _LR_D), ("g", _LR_G)):
                if key in lrs:
                    table[:, i] = self._column(lrs[key], f"lrs[{key!r}]", n)
        elif config is not None:
            table[:, _LR_D] = config.optimizer_d.lr
            table[:, _LR_G] = config.optimizer_g.lr
        table[:, _STEP] = steps
        if (output_kind, loss_name) != (self._output_kind, self._loss_name) and self._seen:
            self._restart_windows()
        self._output_kind = output_kind
        self._loss_name = loss_name
        self._config = config
        found: list[Diagnosis] = []
        every = self.thresholds.eval_every
        i = 0
        while i < n:
            take = min(n - i, every - self._seen % every)
            found += self._piece(steps[i : i + take], table[i : i + take])
            i += take
        return found

    @staticmethod
    def _column(values: np.ndarray, name: str, n: int) -> np.ndarray:
        column = np.asarray(values, dtype=np.float64).reshape(-1)
        if len(column) != n:
            raise ValueError(f"column {name!r} has {len(column)} values for {n} steps")
        return column

    def _restart_windows(self) -> None:
        """A live change of loss: the rows so far measure another game."""
        self._rows.clear()
        self._origin = self._seen
        self._g_early = []
        self._g_reference = None

    def _piece(self, steps: np.ndarray, rows: np.ndarray) -> list[Diagnosis]:
        """Rows up to the next evaluation point: per-step rules, then window rules."""
        th = self.thresholds
        self._rows.append(rows)
        self._seen += len(rows)
        self._collect_reference(rows[:, _NORM_G])
        window_results: list[tuple[str, bool, Diagnosis | None]] = []
        if self._seen % th.eval_every == 0:
            step = int(steps[-1])
            window_results = [
                ("vanishing_generator", *self._vanishing(step)),
                ("discriminator_wins", *self._discriminator_wins(step)),
                ("oscillation", *self._oscillation(step)),
            ]
        found: list[Diagnosis] = []
        scalars = rows[:, : len(_COLUMNS)]
        finite = np.isfinite(scalars)
        broken = self._non_finite_rows(scalars, finite)
        big = self._too_big(scalars, finite)
        for r, step_value in enumerate(steps):
            step = int(step_value)
            back = len(rows) - 1 - r  # rows fed after this one
            if self._latches["exploding"].observe(bool(big[r].any()), step, th.clear_steps):
                found.append(self._exploding(step, scalars[r], big[r], back))
            if self._latches["non_finite"].observe(bool(broken[r]), step, th.clear_steps):
                found.append(self._non_finite_diagnosis(step, scalars[r], finite[r], back))
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

    # ------------------------------------------------------------------ settings

    def _penalty_on(self) -> bool:
        """A gradient penalty on D is on: WGAN-GP's (unless its weight is 0) or R1."""
        c = self._config
        gp = self._loss_name == "wgan_gp" and (c is None or c.loss.gp_weight > 0)
        return gp or (c is not None and c.loss.r1_gamma > 0)

    def _smoothers(self) -> list[str]:
        """Ways to keep D smooth, for the advice: those not on yet, or a stronger
        penalty when one is on."""
        c = self._config
        out: list[str] = []
        if self._penalty_on():
            assert self._loss_name == "wgan_gp" or c is not None
            if self._loss_name == "wgan_gp" and (c is None or c.loss.gp_weight > 0):
                if c is not None:
                    out.append(
                        _(
                            "a larger weight for the gradient penalty already on "
                            "(gp_weight, now {weight})"
                        ).format(weight=_fmt(c.loss.gp_weight))
                    )
                else:
                    out.append(_("a larger weight for the gradient penalty already on (gp_weight)"))
            else:
                assert c is not None
                out.append(
                    _("a larger R1 weight (r1_gamma, now {weight})").format(
                        weight=_fmt(c.loss.r1_gamma)
                    )
                )
        elif self._loss_name == "wgan_gp":
            out.append(_("turning the gradient penalty on (gp_weight > 0)"))
        else:
            out.append(_("a gradient penalty on D (R1, or the wgan_gp loss)"))
        if c is None or not c.model.spectral_norm_d:
            out.append(_("spectral normalisation of D"))
        return out

    def _optimizer(self, network: str) -> str | None:
        c = self._config
        if c is None:
            return None
        return (c.optimizer_d if network == "D" else c.optimizer_g).name

    def _fewer_d_updates(self) -> str:
        """', or its updates per step (k_d = 5)' when D updates more than once per step."""
        c = self._config
        if c is None:
            return _(" or its updates per step (k_d)")
        if c.loop.k_d > 1:
            return _(" or its updates per step (k_d = {k_d})").format(k_d=c.loop.k_d)
        return ""

    def _noise_options(self) -> list[str]:
        c = self._config
        out = []
        # Label smoothing only where the loss uses it (not hinge or Wasserstein losses).
        from ganlab.kernel.registry import LOSSES  # the declarations only: no torch

        smoothing_applies = c is None or "label_smoothing" in LOSSES.get(c.loss.name).options
        if smoothing_applies and (c is None or c.loss.label_smoothing == 0):
            out.append(_("one-sided label smoothing"))
        if c is None or c.loss.instance_noise == 0:
            out.append(_("instance noise"))
        return out

    # ------------------------------------------------------------------ blame

    def _lr_history(self, back: int) -> np.ndarray:
        """(rows, 3): the learning rates of D and G and the step, up to the row that is
        ``back`` rows before the newest."""
        view = self._rows.view()
        return view[: len(view) - back, _LR_D : _STEP + 1]

    def _blame(self, back: int) -> tuple[str, str, dict[str, float]]:
        """The network whose learning rate the advice names ("" for both), the reason in
        a sentence, and the rates in effect; see the constants LR_RAISED and LR_RATIO."""
        th = self.thresholds
        history = self._lr_history(back)
        if not len(history):
            return "", "", {}
        now = history[-1]
        rates: dict[str, float] = {}
        for j, key in ((0, "lr_d"), (1, "lr_g")):
            if math.isfinite(now[j]):
                rates[key] = float(now[j])
        raised: list[tuple[str, float, int]] = []  # network, old rate, step of the change
        for j, network in ((0, "D"), (1, "G")):
            lr = history[:, j]
            low = lr <= now[j] / th.lr_raised  # NaN compares False
            if math.isfinite(now[j]) and now[j] > 0 and low.any():
                last_low = int(np.flatnonzero(low)[-1])
                raised.append((network, float(lr[last_low]), int(history[last_low + 1, 2])))
        if len(raised) == 1:
            network, old, at = raised[0]
            new = rates["lr_d" if network == "D" else "lr_g"]
            why = _(
                "{network}'s learning rate was raised from {old} to {new} at step {step}."
            ).format(network=network, old=_fmt(old), new=_fmt(new), step=at)
            return network, why, rates
        if len(raised) == 2 or len(rates) < 2 or min(rates.values()) <= 0:
            return "", "", rates
        ratio = rates["lr_d"] / rates["lr_g"]
        if ratio >= th.lr_ratio or ratio <= 1.0 / th.lr_ratio:
            high, low_net = ("D", "G") if ratio > 1 else ("G", "D")
            factor = ratio if ratio > 1 else 1.0 / ratio
            high_lr = rates["lr_d"] if high == "D" else rates["lr_g"]
            why = _("{high}'s learning rate ({lr}) is {factor} times {low}'s.").format(
                high=high, lr=_fmt(high_lr), factor=_times(factor), low=low_net
            )
            return high, why, rates
        return "", "", rates

    def _rate_advice(self, network: str, rates: dict[str, float]) -> str:
        """'Lower D's learning rate (now 10; try 1)' and the optimizer hint."""
        if network:
            lr = rates.get("lr_d" if network == "D" else "lr_g")
            if lr:
                text = _("Lower {network}'s learning rate (now {lr}; try {smaller})").format(
                    network=network, lr=_fmt(lr), smaller=_fmt(lr / 10)
                )
            else:
                text = _("Lower {network}'s learning rate (try 10 times smaller)").format(
                    network=network
                )
            networks = [network]
        else:
            known = _(" and ").join(
                _("{network}'s {lr}").format(network=n, lr=_fmt(rates[k]))
                for n, k in (("D", "lr_d"), ("G", "lr_g"))
                if k in rates
            )
            if known:
                text = _("Lower both learning rates (try 10 times smaller than {known})").format(
                    known=known
                )
            else:
                text = _("Lower both learning rates (try 10 times smaller)")
            networks = ["D", "G"]
        if any(self._optimizer(n) == "sgd" for n in networks):
            text += _(" and prefer Adam to plain SGD")
        return text

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

    def _non_finite_diagnosis(
        self, step: int, row: np.ndarray, finite: np.ndarray, back: int
    ) -> Diagnosis:
        broken = {name: float(row[i]) for i, name in enumerate(_COLUMNS) if not finite[i]}
        if np.isfinite(row).any():
            broken = {k: v for k, v in broken.items() if not _not_computed(k, row)}
            what = ", ".join(f"{_(_LABELS[k])} = {_fmt(v)}" for k, v in broken.items())
        else:
            what = _("every value is NaN")
        network, why, rates = self._blame(back)
        advice = self._rate_advice(network, rates)
        if network != "G":
            advice += _(", or keep D smooth with {options}").format(
                options=_either(self._smoothers())
            )
        lead = _("{network} broke: ").format(network=network) if network else ""
        message = (
            lead
            + _(
                "at step {step} the training numbers stopped being numbers ({what}). "
                "Once a NaN or an infinity reaches the weights the networks compute nothing "
                "useful any more, so training pauses here. "
            ).format(step=step, what=what)
            + (f"{why} " if why else "")
            + _("{advice}; then play again.").format(advice=advice)
        )
        return Diagnosis(
            kind="non_finite",
            step=step,
            severity="error",
            message=message[0].upper() + message[1:],
            values={**broken, **rates},
            pause=True,
            network=network,
            quantity=",".join(broken),
        )

    # ------------------------------------------------------------------ exploding

    def _too_big(self, rows: np.ndarray, finite: np.ndarray) -> np.ndarray:
        """Per value: a loss or gradient norm beyond its bound (D's outputs have none)."""
        th = self.thresholds
        bound = np.full(len(_COLUMNS), np.inf)
        bound[[_D_LOSS, _G_LOSS]] = th.explode_loss_bound
        bound[[_NORM_D, _NORM_G]] = th.explode_norm_bound
        with np.errstate(invalid="ignore"):
            return finite & (np.abs(rows) > bound)

    def _exploding(self, step: int, row: np.ndarray, big: np.ndarray, back: int) -> Diagnosis:
        th = self.thresholds
        i = int(np.argmax(np.where(big, np.abs(row), -np.inf)))
        name = _COLUMNS[i]
        value = float(row[i])
        bound = th.explode_norm_bound if name.startswith("grad_norm") else th.explode_loss_bound
        network, why, rates = self._blame(back)
        whose = _network_of(i)
        lead = _("{network} is exploding: ").format(network=network) if network else ""
        through = ""
        if network == "D" and whose == "G":
            through = _(
                "G's loss and gradient are computed through D, so when a huge step throws "
                "D's weights far, G's numbers explode first. "
            )
        elif network == "G" and whose == "D":
            through = _(
                "D is trained on G's samples, so when a huge step throws G's weights far, "
                "its samples land far away and D's numbers explode first. "
            )
        advice = self._rate_advice(network, rates)
        if network != "G":
            advice += _(", and keep D smooth with {options}").format(
                options=_either(self._smoothers())
            )
        message = (
            lead
            + _(
                "{quantity} reached {value} at step {step}, far beyond any normal size "
                "(the bound is {bound}). Values this large end in NaN within a few steps, "
                "so training pauses here. "
            ).format(quantity=_named(name), value=_fmt(value), step=step, bound=_fmt(bound))
            + through
            + (f"{why} " if why else "")
            + _("{advice}; then play again.").format(advice=advice)
        )
        return Diagnosis(
            kind="exploding",
            step=step,
            severity="error",
            message=message[0].upper() + message[1:],
            values={name: value, "bound": bound, **rates},
            pause=True,
            network=network,
            quantity=name,
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
        d_norms = recent[:, _NORM_D]
        d_norms = d_norms[np.isfinite(d_norms)]
        if typical == 0.0 and len(d_norms) and float(np.median(d_norms)) == 0.0:
            return True, self._dead(step)
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
            smaller = _(", {factor} times smaller than early on").format(
                factor=_times(ref / typical)
            )
        slower_d = _("lower D's learning rate{fewer_updates}").format(
            fewer_updates=self._fewer_d_updates()
        )
        if probability and self._loss_name == "minimax":
            text = _(
                "D is confident (D(G(z)) ≈ {d_fake}) and the saturating generator "
                "loss gives G almost no gradient (‖∇G‖ ≈ {norm}{smaller}). "
                "log(1 - D(G(z))) is flat exactly where D rejects the fakes, so G has "
                "stopped learning. Switch to the non-saturating loss, or {slower_d}."
            ).format(d_fake=_fmt(d_fake), norm=_fmt(typical), smaller=smaller, slower_d=slower_d)
        elif probability:
            noise = self._noise_options()
            options = [slower_d]
            if noise:
                options.append(_("add {noise}").format(noise=_(" or ").join(noise)))
            options.append(_("make D smaller"))
            remedy = _either(options)
            text = _(
                "G's gradient has almost vanished (‖∇G‖ ≈ {norm}{smaller}) "
                "while D is confident (D(G(z)) ≈ {d_fake}). D's output is flat "
                "around the fakes, so G cannot tell which way to move and has stopped "
                "learning. {remedy}."
            ).format(
                norm=_fmt(typical),
                smaller=smaller,
                d_fake=_fmt(d_fake),
                remedy=f"{remedy[0].upper()}{remedy[1:]}",
            )
        else:
            text = _(
                "G's gradient has almost vanished (‖∇G‖ ≈ {norm}{smaller}). "
                "D's score is flat around the generated samples, so G cannot tell which "
                "way to move and has stopped learning. "
            ).format(norm=_fmt(typical), smaller=smaller) + (
                _(
                    "Weight clipping tends to make the critic flat: try the gradient "
                    "penalty (wgan_gp) instead, or a larger clip value."
                )
                if self._loss_name == "wgan_clip"
                else _("{slower_d}, or raise G's learning rate.").format(
                    slower_d=f"{slower_d[0].upper()}{slower_d[1:]}"
                )
            )
        quantity = "grad_norm_g,d_fake" if probability else "grad_norm_g"
        return True, Diagnosis(
            "vanishing_generator", step, "warning", text, values, network="D", quantity=quantity
        )

    def _dead(self, step: int) -> Diagnosis:
        """Both gradients exactly zero: nothing can learn any more (dead units)."""
        rates = self._lr_history(0)
        lr_d, lr_g = (float(rates[-1, 0]), float(rates[-1, 1])) if len(rates) else (0.0, 0.0)
        now = (
            _(" (now {lr_d} for D and {lr_g} for G)").format(lr_d=_fmt(lr_d), lr_g=_fmt(lr_g))
            if lr_d and lr_g
            else ""
        )
        text = _(
            "Training has stopped: the gradients of G and D are exactly zero, so no update "
            "changes anything any more. Too large a step has usually killed the units of the "
            "ReLU layers (they output 0 for every input) and D says the same for every "
            "sample. Lower the learning rates{now}, then reset; a leaky_relu activation "
            "keeps units from dying."
        ).format(now=now)
        values = {"grad_norm_g": 0.0, "grad_norm_d": 0.0}
        return Diagnosis(
            "vanishing_generator", step, "warning", text, values, quantity="grad_norm_g,grad_norm_d"
        )

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
        c = self._config
        smoothing = c.loss.label_smoothing if c is not None else 0.0
        wins = (real > (1.0 - smoothing) * th.confident_real) & (fake < th.wins_fake)
        fraction = float(wins.mean())
        if fraction < th.wins_fraction:
            return False, None
        r, f = float(np.median(real)), float(np.median(fake))
        lr = recent[-1, _LR_D : _LR_G + 1]
        d_now = _(" (now {lr})").format(lr=_fmt(lr[0])) if math.isfinite(lr[0]) else ""
        g_now = _(" (now {lr})").format(lr=_fmt(lr[1])) if math.isfinite(lr[1]) else ""
        options = [
            _("lower D's learning rate{fewer_updates}").format(
                fewer_updates=d_now + self._fewer_d_updates()
            ),
            _("raise G's learning rate{now}").format(now=g_now),
        ]
        noise = self._noise_options()
        if noise:
            options.append(_("add {noise}").format(noise=_(" or ").join(noise)))
        options.append(_("make D smaller"))
        extra = (
            _(" Switching to the non-saturating loss also helps G.")
            if (self._loss_name == "minimax")
            else ""
        )
        text = _(
            "For the last {steps} steps D has told real from fake perfectly "
            "(D(x) ≈ {d_real}, D(G(z)) ≈ {d_fake}): its own loss is near zero, so it "
            "has stopped learning, and G is not catching up. Give G a chance: "
            "{options}.{extra}"
        ).format(
            steps=len(recent),
            d_real=_prob(r),
            d_fake=_fmt(f),
            options=_either(options),
            extra=extra,
        )
        values = {"d_real": r, "d_fake": f, "fraction": fraction, "steps": float(len(recent))}
        return True, Diagnosis(
            "discriminator_wins",
            step,
            "warning",
            text,
            values,
            network="D",
            quantity="d_real,d_fake",
        )

    # ------------------------------------------------------------------ oscillation

    def _oscillation(self, step: int) -> tuple[bool, Diagnosis | None]:
        th = self.thresholds
        after_warmup = min(th.osc_window, self._seen - self._origin - th.osc_warmup)
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
        adam = all(self._optimizer(n) in (None, "adam") for n in ("D", "G"))
        damp = (
            _("Lower both learning rates (or Adam's beta1)")
            if adam
            else _("Lower both learning rates")
        )
        text = _(
            "Over the last {steps} steps the real-fake gap D(x) - D(G(z)) swung "
            "up and down {swings} times by about ±{amplitude} without moving on "
            "(its trend is small). D and G take turns winning instead of settling: "
            "each undoes what the other just learned. {damp}, or damp the "
            "back-and-forth with {options}."
        ).format(
            steps=len(recent),
            swings=swings,
            amplitude=_fmt(amplitude),
            damp=damp,
            options=_either(self._smoothers()),
        )

        values = {
            "amplitude": amplitude,
            "crossings": float(crossings),
            "trend": trend,
            "noise": noise,
            "steps": float(len(recent)),
        }
        return True, Diagnosis(
            "oscillation", step, "warning", text, values, quantity="d_real,d_fake"
        )

    # ------------------------------------------------------------------ mode collapse

    def _collapse_advice(self) -> str:
        options = []
        if self._loss_name != "wgan_gp":
            options.append(_("the Wasserstein loss with a gradient penalty (wgan_gp)"))
        options += self._smoothers()
        return _("Try {options}, or lower learning rates.").format(options=_either(options))

    def update_modes(self, step: int, modes_captured: int, total_modes: int) -> list[Diagnosis]:
        """Feed the toy metric "modes captured" (of ``total_modes``) at ``step``."""
        th = self.thresholds
        while self._modes and self._modes[-1][0] > step:  # steps went back (a restore)
            self._modes.pop()
        while self._modes and self._modes[0][0] < step - th.mode_memory_steps:
            self._modes.popleft()
        self._counts.append(int(modes_captured))
        del self._counts[: -th.mode_smooth]
        count = float(np.median(self._counts))
        self._modes.append((step, count))
        recent_max = max(c for _, c in self._modes)
        dropped = (
            step >= th.drop_warmup_steps
            and recent_max >= 2
            and count <= th.collapse_ratio * recent_max
        )
        few = (
            step >= th.collapse_warmup_steps
            and total_modes > 0
            and count <= th.few_modes_ratio * total_modes
        )
        if not self._latches["mode_collapse"].observe(dropped or few, step, th.clear_steps):
            return []
        now = round(count)
        if dropped:
            what = _(
                "G now covers only {now} of the {total} modes, down from {before} a little earlier."
            ).format(now=now, total=total_modes, before=round(recent_max))
        else:
            what = _("After {step} steps G still covers only {now} of the {total} modes.").format(
                step=step, now=now, total=total_modes
            )
        text = _(
            "{what} It puts its samples on a few modes and ignores the rest: mode "
            "collapse. D then learns to reject those modes, G jumps to others, and the "
            "cycle repeats. {advice}"
        ).format(what=what, advice=self._collapse_advice())
        values = {
            "modes_captured": count,
            "total_modes": float(total_modes),
            "recent_max": float(recent_max),
        }
        return [
            Diagnosis(
                "mode_collapse",
                step,
                "warning",
                text,
                values,
                network="G",
                quantity="modes_captured",
            )
        ]

    def update_diversity(
        self, step: int, fake_diversity: float, real_diversity: float
    ) -> list[Diagnosis]:
        """Feed an image diversity measure (e.g. mean pairwise distance) of the
        fixed-noise samples and of real samples at ``step``."""
        th = self.thresholds
        if not (math.isfinite(fake_diversity) and math.isfinite(real_diversity)):
            return []
        if real_diversity <= 0:
            return []
        while self._diversity and self._diversity[-1][0] > step:
            self._diversity.pop()
        while self._diversity and self._diversity[0][0] < step - th.mode_memory_steps:
            self._diversity.popleft()
        ratio = fake_diversity / real_diversity
        self._diversity.append((step, ratio))
        best = max(r for _, r in self._diversity)
        dropped = (
            step >= th.drop_warmup_steps
            and best >= th.diversity_ratio
            and ratio <= th.collapse_ratio * best
        )
        low = step >= th.collapse_warmup_steps and ratio < th.diversity_floor
        if not self._latches["mode_collapse"].observe(dropped or low, step, th.clear_steps):
            return []
        if dropped:
            what = _(
                "The generated images have become much less varied: their diversity fell "
                "to {ratio} of the real images' ({fake} against {real}), from {best} a "
                "little earlier."
            ).format(
                ratio=f"{ratio:.0%}",
                fake=_fmt(fake_diversity),
                real=_fmt(real_diversity),
                best=f"{best:.0%}",
            )
        else:
            what = _(
                "After {step} steps the generated images are still much less varied than "
                "the real ones (diversity {fake} against {real}, {ratio})."
            ).format(
                step=step,
                fake=_fmt(fake_diversity),
                real=_fmt(real_diversity),
                ratio=f"{ratio:.0%}",
            )
        text = _(
            "{what} Many different noise vectors give nearly the same picture: mode "
            "collapse. G found a few outputs that fool D and stopped exploring. "
            "{advice}"
        ).format(what=what, advice=self._collapse_advice())
        values = {
            "fake_diversity": float(fake_diversity),
            "real_diversity": float(real_diversity),
            "ratio": ratio,
            "recent_max": best,
        }
        return [
            Diagnosis(
                "mode_collapse",
                step,
                "warning",
                text,
                values,
                network="G",
                quantity="fake_diversity",
            )
        ]

    # ------------------------------------------------------------------ conditioning

    def update_conditioning(
        self,
        step: int,
        same_label_spread: float,
        same_z_spread: float,
        real_within: float,
        real_between: float,
        *,
        agreement: float | None = None,
        num_classes: int = 0,
    ) -> list[Diagnosis]:
        """Feed a conditional generator's probe spreads at ``step``.

        Parameters
        ----------
        same_label_spread
            Mean pairwise distance (per pixel or per coordinate) among samples generated
            for one label with different z, averaged over the labels.
        same_z_spread
            The same among samples generated for one z with different labels, averaged
            over the z.
        real_within, real_between
            The real data's spread within a class, and between samples of different
            classes (same distance). Non-positive or non-finite values skip the rule
            that needs them.
        agreement
            Optional: the share of generated samples that a classifier recognises as the
            requested class, in [0, 1]; needs ``num_classes`` (chance is ``1 /
            num_classes``).

        Returns
        -------
        list of Diagnosis
            ``ignores_z`` and / or ``ignores_label`` when such an episode starts (see the
            constants above for the rules); empty otherwise.
        """
        th = self.thresholds
        warm = step >= th.condition_warmup_steps
        found: list[Diagnosis] = []
        z_ratio = _ratio(same_label_spread, real_within)
        ignores_z = warm and z_ratio is not None and z_ratio < th.ignore_z_floor
        if self._latches["ignores_z"].observe(ignores_z, step, th.clear_steps):
            assert z_ratio is not None
            text = _(
                "For one label, different noise vectors z give nearly the same image: the "
                "samples of a class vary only {ratio} as much as real images of a "
                "class do ({spread} against {real}). G "
                "ignores z and makes one picture per label, a mode collapse inside each "
                "class that the grid hides because its rows still differ. "
                "{advice}"
            ).format(
                ratio=f"{z_ratio:.0%}",
                spread=_fmt(same_label_spread),
                real=_fmt(real_within),
                advice=self._collapse_advice(),
            )
            values = {
                "same_label_spread": float(same_label_spread),
                "real_within": float(real_within),
                "ratio": z_ratio,
            }
            found.append(
                Diagnosis(
                    "ignores_z",
                    step,
                    "warning",
                    text,
                    values,
                    network="G",
                    quantity="same_label_spread",
                )
            )
        label_ratio = _ratio(same_z_spread, real_between)
        chance = 1.0 / num_classes if num_classes > 1 else math.nan
        near_chance = (
            agreement is not None
            and math.isfinite(agreement)
            and math.isfinite(chance)
            and agreement <= th.agreement_chance * chance
        )
        flat = label_ratio is not None and label_ratio < th.ignore_label_floor
        ignores_label = warm and (flat or near_chance)
        if self._latches["ignores_label"].observe(ignores_label, step, th.clear_steps):
            parts = []
            values = {}
            if flat:
                assert label_ratio is not None
                parts.append(
                    _(
                        "the same noise vector z gives nearly the same image whatever the "
                        "label: changing the label changes the image only {ratio} "
                        "as much as real images of different classes differ "
                        "({spread} against {real})"
                    ).format(
                        ratio=f"{label_ratio:.0%}",
                        spread=_fmt(same_z_spread),
                        real=_fmt(real_between),
                    )
                )
                values.update(
                    same_z_spread=float(same_z_spread),
                    real_between=float(real_between),
                    ratio=label_ratio,
                )
            if near_chance:
                assert agreement is not None
                parts.append(
                    _(
                        "only {agreement} of the samples are recognised as the class "
                        "they were asked for (chance: {chance})"
                    ).format(agreement=f"{agreement:.0%}", chance=f"{chance:.0%}")
                )
                values.update(agreement=float(agreement), chance=chance)
            text = _(
                "G ignores the label: {findings}. The rows of the grid are "
                "not the classes they are labelled with. D must make G pay for a wrong "
                "class: use a conditional family whose D sees the label (cgan, with its "
                "projection discriminator) or predicts it (acgan, raise loss.aux_weight), "
                "and check that the data source's labels are the ones shown."
            ).format(findings=_(" and ").join(parts))

            found.append(
                Diagnosis(
                    "ignores_label",
                    step,
                    "warning",
                    text,
                    values,
                    network="G",
                    quantity="same_z_spread" if flat else "agreement",
                )
            )
        return found


def _ratio(value: float, reference: float) -> float | None:
    """``value / reference``, or None when either is unusable (non-finite, reference <= 0)."""
    if not (math.isfinite(value) and math.isfinite(reference)) or reference <= 0:
        return None
    return value / reference


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
