"""Every model family, declared: what the window lists and config validation reads.

No Qt, no torch: importing this module (which :data:`ganlab.kernel.registry.MODEL_FAMILIES`
does on its first lookup, in the window as in the trainer process) registers every
family without building or importing a network. Each declaration names its module's
``build`` through :func:`~ganlab.kernel.registry.lazy`, imported on the first build.

A new family is one declaration here plus its module (``ganlab/models/<name>.py``, with
a ``build(model_cfg, spec, latent_dim)``); the module reads its name and data kinds back
from its declaration (``FAMILY``). Declaration order is the order the UI lists them.
tests/models/test_families.py checks every family against the contract;
tests/kernel/test_registry_lazy.py resolves every lazy reference.
"""

from __future__ import annotations

from ganlab.kernel.config import ModelConfig
from ganlab.kernel.contracts import CONV_SETTINGS, MLP_SETTINGS, DataKind, ModelFamily
from ganlab.kernel.i18n import N_
from ganlab.kernel.registry import MODEL_FAMILIES, lazy

ALL_KINDS: frozenset[DataKind] = frozenset({"toy1d", "toy2d", "image"})

# The conditional families: MLP bodies on toy data, DCGAN bodies on images, both with a
# label embedding of embed_dim values.
CONDITIONAL_SETTINGS: dict[DataKind, frozenset[str]] = {
    "toy1d": MLP_SETTINGS | {"embed_dim"},
    "toy2d": MLP_SETTINGS | {"embed_dim"},
    "image": CONV_SETTINGS | {"embed_dim"},
}


def batch_norm_nets(model_cfg: ModelConfig, kind: DataKind) -> tuple[str, ...]:
    """Which nets hold BatchNorm layers when the DCGAN bodies are used (image data): G
    always, D unless spectral normalisation replaces it. ``()`` for toy data, where the
    conditional families use MLP bodies. The ModelFamily ``batch_norm`` of dcgan, cgan
    and acgan; tests/kernel/test_config.py checks it against the built modules."""
    if kind != "image":
        return ()
    return ("G",) if model_cfg.spectral_norm_d else ("G", "D")


MLP = MODEL_FAMILIES.register(
    "mlp",
    ModelFamily(
        name="mlp",
        title=N_("MLP GAN"),
        data_kinds=ALL_KINDS,
        build=lazy("ganlab.models.mlp:build"),
        settings=dict.fromkeys(ALL_KINDS, MLP_SETTINGS),
        description=N_("The original GAN: fully connected generator and discriminator."),
    ),
)

DCGAN_KINDS: frozenset[DataKind] = frozenset({"image"})
DCGAN = MODEL_FAMILIES.register(
    "dcgan",
    ModelFamily(
        name="dcgan",
        title=N_("DCGAN"),
        data_kinds=DCGAN_KINDS,
        build=lazy("ganlab.models.dcgan:build"),
        settings=dict.fromkeys(DCGAN_KINDS, CONV_SETTINGS),
        batch_norm=batch_norm_nets,
        description=N_(
            "Deep convolutional GAN: strided convolutions, BatchNorm, no pooling "
            "(28, 32 or 64 px images)."
        ),
    ),
)

CGAN = MODEL_FAMILIES.register(
    "cgan",
    ModelFamily(
        name="cgan",
        title=N_("Conditional GAN"),
        data_kinds=ALL_KINDS,
        build=lazy("ganlab.models.conditional:build"),
        settings=CONDITIONAL_SETTINGS,
        batch_norm=batch_norm_nets,
        conditional=True,
        description=N_(
            "Conditional GAN: G and D both see the class label through a learned embedding."
        ),
    ),
)

ACGAN = MODEL_FAMILIES.register(
    "acgan",
    ModelFamily(
        name="acgan",
        title=N_("AC-GAN"),
        data_kinds=ALL_KINDS,
        build=lazy("ganlab.models.acgan:build"),
        settings=CONDITIONAL_SETTINGS,
        batch_norm=batch_norm_nets,
        conditional=True,
        auxiliary_classifier=True,
        loss_options=frozenset({"aux_weight"}),
        description=N_(
            "Auxiliary-classifier GAN: G is told the class, D tells real from fake "
            "and also predicts the class."
        ),
    ),
)

PAIRED_KINDS: frozenset[DataKind] = frozenset({"paired"})
PIX2PIX = MODEL_FAMILIES.register(
    "pix2pix",
    ModelFamily(
        name="pix2pix",
        title=N_("pix2pix"),
        data_kinds=PAIRED_KINDS,
        build=lazy("ganlab.models.pix2pix:build"),
        settings=dict.fromkeys(PAIRED_KINDS, CONV_SETTINGS),
        loss_options=frozenset({"l1_weight", "adv_weight"}),
        loss_terms=("g_adv", "l1"),
        objective=lazy("ganlab.models.pix2pix:Objective"),
        views=lazy("ganlab.models.pix2pix:Views"),
        latent=False,
        description=N_(
            "Image-to-image translation (Isola et al. 2017): a U-Net G turns an input "
            "image into its target, a PatchGAN D judges (input, output) pairs patch by "
            "patch; G's loss adds λ times the L1 distance to the target."
        ),
    ),
)

# CycleGAN: two ResNet generators (G: A -> B, F: B -> A) and two PatchGAN discriminators,
# InstanceNorm throughout (no BatchNorm: batch size 1 works, as in the paper).
CYCLEGAN_KINDS: frozenset[DataKind] = frozenset({"unpaired"})
CYCLEGAN = MODEL_FAMILIES.register(
    "cyclegan",
    ModelFamily(
        name="cyclegan",
        title=N_("CycleGAN"),
        data_kinds=CYCLEGAN_KINDS,
        build=lazy("ganlab.models.cyclegan:build"),
        settings=dict.fromkeys(
            CYCLEGAN_KINDS, frozenset({"base_channels", "g_layers"}) | CONV_SETTINGS
        ),
        loss_options=frozenset({"cycle_weight", "identity_weight"}),
        loss_terms=("g_adv", "cycle", "identity"),
        objective=lazy("ganlab.models.cyclegan:Objective"),
        views=lazy("ganlab.models.cyclegan:Views"),
        latent=False,
        description=N_(
            "Unpaired translation: G turns A into B, F turns B into A, and the cycle loss "
            "asks F(G(a)) to give a back (Zhu et al. 2017)."
        ),
    ),
)

STYLEGAN_KINDS: frozenset[DataKind] = frozenset({"image"})
STYLEGAN = MODEL_FAMILIES.register(
    "stylegan",
    ModelFamily(
        name="stylegan",
        title=N_("StyleGAN-lite"),
        data_kinds=STYLEGAN_KINDS,
        build=lazy("ganlab.models.stylegan:build"),
        settings=dict.fromkeys(STYLEGAN_KINDS, CONV_SETTINGS | {"mapping_layers", "style_mixing"}),
        objective=lazy("ganlab.models.stylegan:Objective"),
        views=lazy("ganlab.models.stylegan:Views"),
        latent=True,
        panel="style",
        description=N_(
            "A small StyleGAN: a mapping network from z to w, a learned constant input, "
            "styles per layer through modulated convolutions, noise per layer, style "
            "mixing and the truncation trick ψ (28, 32 or 64 px images)."
        ),
    ),
)
