"""Every adversarial loss, declared: what the window lists and config validation reads.

No Qt, no torch: importing this module (which :data:`ganlab.kernel.registry.LOSSES` does on
its first lookup, in the window as in the trainer process) registers every loss with
its title, output kind, flags, options and paper recipe. ``d_loss`` and ``g_loss`` are
:func:`~ganlab.kernel.registry.lazy` references to the math in :mod:`ganlab.engine.losses`,
imported on the first call. A new loss is one declaration here plus its two functions
there; declaration order is the order the UI lists them. tests/engine/test_losses.py checks
the math, tests/kernel/test_registry_lazy.py resolves every lazy reference.

Each entry declares in ``options`` the LossConfig fields that have an effect with it
(:data:`~ganlab.kernel.contracts.COMMON_LOSS_OPTIONS` for all, plus label_smoothing,
gp_weight or clip_value); :func:`ganlab.kernel.config.inapplicable_settings` warns about
the others. The Wasserstein losses also carry their paper's recipe (``paper_settings``).
"""

from __future__ import annotations

from ganlab.kernel.contracts import COMMON_LOSS_OPTIONS, Loss
from ganlab.kernel.i18n import N_
from ganlab.kernel.registry import LOSSES, lazy

# Label smoothing moves a real target: the BCE losses and least squares have one.
_TARGET_OPTIONS = COMMON_LOSS_OPTIONS | {"label_smoothing"}

# Arjovsky, Chintala & Bottou 2017, "Wasserstein GAN", Algorithm 1 (default values):
# RMSprop at alpha = 5e-5 for both nets, clipping c = 0.01, batch m = 64, n_critic = 5.
# Section 3 reports that momentum (Adam with beta1 > 0) on the critic made training
# unstable, hence RMSprop without momentum.
WGAN_CLIP_PAPER = "Arjovsky et al. 2017, Algorithm 1"
WGAN_CLIP_SETTINGS: tuple[tuple[str, float | int | str], ...] = (
    ("optimizer_d.name", "rmsprop"),
    ("optimizer_d.lr", 5e-5),
    ("optimizer_d.momentum", 0.0),
    ("optimizer_g.name", "rmsprop"),
    ("optimizer_g.lr", 5e-5),
    ("optimizer_g.momentum", 0.0),
    ("loss.clip_value", 0.01),
    ("loop.k_d", 5),
    ("loop.k_g", 1),
    ("loop.batch_size", 64),
)
# Gulrajani et al. 2017, "Improved Training of Wasserstein GANs", Algorithm 1 (default
# values): lambda = 10, n_critic = 5, Adam with alpha = 1e-4, beta1 = 0, beta2 = 0.9.
WGAN_GP_PAPER = "Gulrajani et al. 2017, Algorithm 1"
WGAN_GP_SETTINGS: tuple[tuple[str, float | int | str], ...] = (
    ("optimizer_d.name", "adam"),
    ("optimizer_d.lr", 1e-4),
    ("optimizer_d.beta1", 0.0),
    ("optimizer_d.beta2", 0.9),
    ("optimizer_g.name", "adam"),
    ("optimizer_g.lr", 1e-4),
    ("optimizer_g.beta1", 0.0),
    ("optimizer_g.beta2", 0.9),
    ("loss.gp_weight", 10.0),
    ("loop.k_d", 5),
    ("loop.k_g", 1),
)


LOSSES.register(
    "minimax",
    Loss(
        name="minimax",
        title=N_("Minimax (saturating)"),
        d_loss=lazy("ganlab.engine.losses:bce_d_loss"),
        g_loss=lazy("ganlab.engine.losses:minimax_g_loss"),
        options=_TARGET_OPTIONS,
        description=N_(
            "The original minimax game: G minimises log(1 - D(G(z))), whose gradient "
            "vanishes when D easily spots the fakes."
        ),
    ),
)
LOSSES.register(
    "non_saturating",
    Loss(
        name="non_saturating",
        title=N_("Non-saturating"),
        d_loss=lazy("ganlab.engine.losses:bce_d_loss"),
        g_loss=lazy("ganlab.engine.losses:non_saturating_g_loss"),
        options=_TARGET_OPTIONS,
        description=N_(
            "G maximises log D(G(z)) instead: same equilibrium, strong gradients early in training."
        ),
    ),
)
LOSSES.register(
    "least_squares",
    Loss(
        name="least_squares",
        title=N_("Least squares"),
        d_loss=lazy("ganlab.engine.losses:least_squares_d_loss"),
        g_loss=lazy("ganlab.engine.losses:least_squares_g_loss"),
        output_kind="score",
        options=_TARGET_OPTIONS,
        description=N_("LSGAN: squared distance of D's raw output to 1 (real) and 0 (fake)."),
    ),
)
LOSSES.register(
    "hinge",
    Loss(
        name="hinge",
        title=N_("Hinge"),
        d_loss=lazy("ganlab.engine.losses:hinge_d_loss"),
        g_loss=lazy("ganlab.engine.losses:critic_g_loss"),
        output_kind="score",
        description=N_("Hinge loss: D scores real above +1 and fake below -1; G raises its score."),
    ),
)
LOSSES.register(
    "wgan_gp",
    Loss(
        name="wgan_gp",
        title=N_("Wasserstein + gradient penalty"),
        d_loss=lazy("ganlab.engine.losses:wasserstein_d_loss"),
        g_loss=lazy("ganlab.engine.losses:critic_g_loss"),
        output_kind="score",
        gradient_penalty=True,
        options=COMMON_LOSS_OPTIONS | {"gp_weight"},
        paper_settings=WGAN_GP_SETTINGS,
        paper=WGAN_GP_PAPER,
        description=N_(
            "WGAN-GP: a critic estimates the Wasserstein distance; a penalty keeps its "
            "gradient norm near 1."
        ),
    ),
)
LOSSES.register(
    "wgan_clip",
    Loss(
        name="wgan_clip",
        title=N_("Wasserstein + weight clipping"),
        d_loss=lazy("ganlab.engine.losses:wasserstein_d_loss"),
        g_loss=lazy("ganlab.engine.losses:critic_g_loss"),
        output_kind="score",
        weight_clipping=True,
        options=COMMON_LOSS_OPTIONS | {"clip_value"},
        paper_settings=WGAN_CLIP_SETTINGS,
        paper=WGAN_CLIP_PAPER,
        description=N_(
            "The original WGAN: the critic stays Lipschitz by clamping its weights "
            "to [-c, c] after each update."
        ),
    ),
)
