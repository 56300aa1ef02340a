"""Experiment configuration: frozen dataclasses, TOML in and out, validation. No Qt.

An experiment file is TOML with one table per section::

    name = "Ring of 8"
    [data]
    source = "ring8"
    [model]
    family = "mlp"
    [loss]
    name = "non_saturating"
    [optimizer_d]
    lr = 0.001
    [optimizer_g]
    lr = 0.001
    [loop]
    batch_size = 256

Every field has a default, so a file only names what differs. Unknown keys, wrong types
and out-of-range values raise :class:`ConfigError` naming the file, the dotted key and
what is allowed. Names that refer to registries (data source, model family, loss) are
checked against the registries by :func:`check_names`, which the trainer calls; it also
refuses what cannot train (one sample per batch under BatchNorm). Settings that are
allowed but have no effect or are unwise are not errors: :func:`config_warnings` lists
them, for the CLI to print and the window to log.
Change a config with :func:`dataclasses.replace` or :func:`with_value`.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from ganlab.kernel.errors import ConfigError
from ganlab.kernel.files import atomic_file
from ganlab.kernel.i18n import N_, _, ngettext


def _opt(
    default: Any = dataclasses.MISSING,
    *,
    factory: Any = dataclasses.MISSING,
    lo: float | None = None,
    hi: float | None = None,
    choices: tuple[Any, ...] | None = None,
    lo_open: bool = False,
    rebuilds: bool = False,
    label: str | None = None,
    help: str | None = None,
    kind: str | None = None,
    section: str | None = None,
    step: float | None = None,
    decimals: int | None = None,
    picks: tuple[Any, ...] | None = None,
    pick_labels: tuple[str, ...] | None = None,
    zero_text: str | None = None,
    when: dict[str, tuple[str, ...]] | None = None,
    data_kinds: tuple[str, ...] | None = None,
    unused: str = "grey",
) -> Any:
    """A dataclass field with its allowed range or choices, and how the window shows it.

    ``lo``/``hi``/``lo_open``/``choices`` are what :func:`from_dict` accepts. ``rebuilds``:
    changing the field needs new networks (the trainer's :meth:`needs_rebuild` and the
    panel's ↻ mark both read it). A field with a ``label`` is a setting of the window's
    panel: see :func:`settings_schema` for the other keys (``label`` and ``help`` are
    English msgids marked with ``N_``).
    """
    meta: dict[str, Any] = {
        "lo": lo,
        "hi": hi,
        "choices": choices,
        "lo_open": lo_open,
        "rebuilds": rebuilds,
    }
    if label is not None:
        meta["ui"] = {
            "label": label,
            "help": help or "",
            "kind": kind,
            "section": section,
            "step": step,
            "decimals": decimals,
            "picks": picks,
            "pick_labels": pick_labels,
            "zero_text": zero_text,
            "when": when,
            "data_kinds": data_kinds,
            "unused": unused,
        }
    if factory is not dataclasses.MISSING:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


_TOY = ("toy1d", "toy2d")


@dataclass(frozen=True)
class DataConfig:
    # registered data source name (`ganlab sources` lists them)
    source: str = _opt(
        "ring8_teaching",
        rebuilds=True,
        label=N_("Data set"),
        help=N_("The distribution G learns to imitate: 1-D and 2-D toy data or images."),
        kind="choice",
    )
    # std dev of modes / point noise; 0 = default
    sigma: float = _opt(
        0.0,
        lo=0.0,
        hi=10.0,
        rebuilds=True,
        label=N_("Noise σ"),
        help=N_(
            "How spread out each cluster of the toy data is (standard deviation); "
            "0 uses the data set's own value."
        ),
        step=0.01,
        decimals=3,
        zero_text=N_("default"),
        data_kinds=_TOY,
        unused="hide",
    )
    # CSV file of points, or folder of images, for the sources that read files
    path: str = _opt("", rebuilds=True)
    # image side in pixels (28, 32 or 64 for DCGAN)
    image_size: int = _opt(
        28,
        lo=8,
        hi=256,
        rebuilds=True,
        label=N_("Image size"),
        help=N_("Side of the square images, in pixels."),
        kind="choice",
        picks=(28, 32, 64),
        pick_labels=(N_("{value} × {value} px"),) * 3,
        data_kinds=("image", "paired", "unpaired"),
        unused="hide",
    )
    # 1 = grayscale, 3 = RGB (2 is refused)
    channels: int = _opt(
        1,
        lo=1,
        hi=3,
        rebuilds=True,
        label=N_("Channels"),
        help=N_("Grayscale or colour images."),
        kind="choice",
        picks=(1, 3),
        pick_labels=(N_("1 (grayscale)"), N_("3 (RGB colour)")),
        data_kinds=("image", "paired", "unpaired"),
        unused="hide",
    )
    # draw-your-own anchors [[x, y], ...]
    points: list[list[float]] = _opt(factory=list, rebuilds=True)  # noqa: RUF009 - a field()
    # folder for downloaded data sets; "" = the user cache directory
    root: str = _opt("", rebuilds=True)
    # allow downloading MNIST / Fashion-MNIST / CIFAR-10 when missing
    download: bool = _opt(True, rebuilds=True)
    # number of training items to use; 0 = source default
    size: int = _opt(0, lo=0, hi=10_000_000, rebuilds=True)
    # csv_points: the 1 (1-D) or 2 (2-D) columns to use, 0-based or header names; [] = all
    columns: list[int | str] = _opt(factory=list, rebuilds=True)  # noqa: RUF009 - a field()


def _width(default: int, lo: int, hi: int, label: str, help: str) -> Any:
    """An MLP width or depth of G or D: shown only for the families that read it."""
    return _opt(default, lo=lo, hi=hi, rebuilds=True, label=label, help=help, unused="hide")


@dataclass(frozen=True)
class ModelConfig:
    # registered model family: mlp, dcgan, cgan, acgan
    family: str = _opt(
        "mlp",
        rebuilds=True,
        label=N_("Architecture"),
        help=N_("The kind of networks G and D are: MLP for toy data, DCGAN for images, ..."),
        kind="choice",
    )
    # MLP: neurons per hidden layer of G, hidden layers in G, and the same for D
    g_hidden: int = _width(64, 1, 8192, N_("G width"), N_("Neurons in each hidden layer of G."))
    g_layers: int = _width(2, 0, 16, N_("G depth"), N_("Number of hidden layers in G."))
    d_hidden: int = _width(64, 1, 8192, N_("D width"), N_("Neurons in each hidden layer of D."))
    d_layers: int = _width(2, 0, 16, N_("D depth"), N_("Number of hidden layers in D."))
    # MLP hidden activation
    activation: str = _opt(
        "relu",
        choices=("relu", "leaky_relu", "tanh", "elu"),
        rebuilds=True,
        label=N_("Activation"),
        help=N_("The function after each hidden layer of the MLPs of G and D."),
        pick_labels=(N_("ReLU"), N_("Leaky ReLU"), N_("tanh"), N_("ELU")),
        unused="hide",
    )
    # DCGAN family: feature maps of the widest layer
    base_channels: int = _opt(
        64,
        lo=4,
        hi=1024,
        rebuilds=True,
        label=N_("Feature maps"),
        help=N_("Feature maps in the widest convolution layer of G and D."),
        unused="hide",
    )
    # conditional: size of the label embedding
    embed_dim: int = _opt(
        16,
        lo=1,
        hi=1024,
        rebuilds=True,
        label=N_("Label embedding"),
        help=N_("Conditional GANs: how many numbers stand for the class label that G and D see."),
        unused="hide",
    )
    # stylegan: fully connected layers of the mapping network z -> w
    mapping_layers: int = _opt(
        4,
        lo=0,
        hi=8,
        rebuilds=True,
        label=N_("Mapping layers"),
        help=N_(
            "StyleGAN: layers of the mapping network that turns z into the style vector w "
            "(0: w is z itself)."
        ),
        unused="hide",
    )
    # stylegan: probability that a training batch mixes the styles of two z (Karras 2019)
    style_mixing: float = _opt(
        0.9,
        lo=0.0,
        hi=1.0,
        rebuilds=True,
        label=N_("Style mixing"),
        help=N_(
            "StyleGAN: share of training batches whose later layers take their styles from "
            "a second z, so that each layer's style must work on its own."
        ),
        step=0.05,
        decimals=2,
        unused="hide",
    )
    # spectral normalisation on D's weight layers
    spectral_norm_d: bool = _opt(
        False,
        rebuilds=True,
        label=N_("Spectral norm on D"),
        help=N_("Limit how steeply D's output can change (spectral normalisation)."),
    )
    # spectral normalisation on G's weight layers
    spectral_norm_g: bool = _opt(
        False,
        rebuilds=True,
        label=N_("Spectral norm on G"),
        help=N_("Apply spectral normalisation to G's layers too."),
    )


@dataclass(frozen=True)
class LossConfig:
    # registered loss: minimax, non_saturating, least_squares, hinge, wgan_gp, wgan_clip
    name: str = _opt(
        "non_saturating",
        label=N_("Loss"),
        help=N_("The game G and D play: how each one is scored."),
        kind="choice",
    )
    # one-sided: real target is 1 - s
    label_smoothing: float = _opt(
        0.0,
        lo=0.0,
        hi=0.5,
        label=N_("Label smoothing"),
        help=N_("D aims at 1 − s instead of 1 for real samples, so it is less sure of itself."),
        step=0.05,
        decimals=2,
    )
    # std of gaussian noise added to D's inputs
    instance_noise: float = _opt(
        0.0,
        lo=0.0,
        hi=10.0,
        label=N_("Instance noise"),
        help=N_("Blur what D sees by adding random noise of this size to every sample."),
        step=0.05,
        decimals=3,
    )
    # R1 penalty on D's gradient at real data; 0 off
    r1_gamma: float = _opt(
        0.0,
        lo=0.0,
        hi=1e4,
        label=N_("R1 penalty"),
        help=N_("Punish D for steep slopes at the real data; 0 turns it off."),
        step=1.0,
        decimals=2,
        zero_text=N_("off"),
    )
    # WGAN-GP gradient penalty weight (lambda)
    gp_weight: float = _opt(
        10.0,
        lo=0.0,
        hi=1e4,
        label=N_("Gradient penalty"),
        help=N_("WGAN-GP: how strongly D's slope is pulled towards 1 (lambda)."),
        step=1.0,
        decimals=2,
    )
    # WGAN weight clipping bound c
    clip_value: float = _opt(
        0.01,
        lo=0.0,
        hi=10.0,
        lo_open=True,
        label=N_("Weight clip"),
        help=N_("WGAN: every weight of D is kept between −c and c."),
        step=0.005,
        decimals=4,
    )
    # ACGAN: weight of the class loss
    aux_weight: float = _opt(
        1.0,
        lo=0.0,
        hi=100.0,
        label=N_("Class loss weight"),
        help=N_("AC-GAN: how much the class loss of D and G counts next to real or fake."),
        step=0.1,
        decimals=2,
    )
    # pix2pix: lambda, the weight of the L1 distance to the target (Isola et al. 2017: 100)
    l1_weight: float = _opt(
        100.0,
        lo=0.0,
        hi=1e4,
        label=N_("L1 weight (λ)"),
        help=N_("pix2pix: how much G is pulled towards the target image, next to fooling D."),
        step=10.0,
        decimals=1,
        zero_text=N_("off"),
    )
    # pix2pix: weight of G's adversarial term (1 = the paper; 0 = L1 alone, D unheeded)
    adv_weight: float = _opt(
        1.0,
        lo=0.0,
        hi=100.0,
        label=N_("Adversarial weight"),
        help=N_(
            "pix2pix: how much G tries to fool D, next to the L1 pull; 0 turns it off "
            "and G learns from L1 alone."
        ),
        step=0.5,
        decimals=2,
        zero_text=N_("off"),
    )
    # CycleGAN: lambda_cyc, the weight of the cycle-consistency loss (Zhu et al. 2017: 10)
    cycle_weight: float = _opt(
        10.0,
        lo=0.0,
        hi=1e3,
        label=N_("Cycle weight"),
        help=N_("CycleGAN: how much translating there and back must give the image back."),
        step=1.0,
        decimals=2,
        zero_text=N_("off"),
    )
    # CycleGAN: weight of the identity loss, relative to the cycle weight (paper: 0.5)
    identity_weight: float = _opt(
        0.5,
        lo=0.0,
        hi=10.0,
        label=N_("Identity weight (× cycle)"),
        help=N_(
            "CycleGAN: how much an image already in the target domain must pass unchanged "
            "(times the cycle weight)."
        ),
        step=0.1,
        decimals=2,
        zero_text=N_("off"),
    )


@dataclass(frozen=True)
class OptimizerConfig:
    # the label and help of these fields name the net as {net} (D or G)
    name: str = _opt(
        "adam",
        choices=("sgd", "adam", "rmsprop"),
        label=N_("Optimizer"),
        help=N_("How {net}'s weights follow their gradients: SGD, Adam or RMSprop."),
        pick_labels=(N_("SGD"), N_("Adam"), N_("RMSprop")),
    )
    # learning rate
    lr: float = _opt(
        2e-4,
        lo=0.0,
        hi=10.0,
        lo_open=True,
        label=N_("Learning rate"),
        help=N_("How big a step {net} takes at each update. Drag (log scale) or type a number."),
        kind="lr",
    )
    # Adam beta1 (momentum of the gradient)
    beta1: float = _opt(
        0.5,
        lo=0.0,
        hi=0.9999,
        label=N_("β1"),
        help=N_("Adam: how much of the past gradients {net} keeps (momentum)."),
        step=0.05,
        decimals=4,
        when={"name": ("adam",)},
        unused="hide",
    )
    # Adam beta2 (of the squared gradient)
    beta2: float = _opt(
        0.999,
        lo=0.0,
        hi=0.99999,
        label=N_("β2"),
        help=N_("Adam: how slowly {net}'s step sizes adapt to the gradient sizes."),
        step=0.001,
        decimals=5,
        when={"name": ("adam",)},
        unused="hide",
    )
    # SGD / RMSprop momentum
    momentum: float = _opt(
        0.0,
        lo=0.0,
        hi=0.9999,
        label=N_("Momentum"),
        help=N_("How much of its previous step {net} keeps; 0 for none."),
        step=0.05,
        decimals=4,
        when={"name": ("sgd", "rmsprop")},
        unused="hide",
    )


@dataclass(frozen=True)
class LoopConfig:
    # samples per batch, for D and for G
    batch_size: int = _opt(
        128,
        lo=1,
        hi=65536,
        label=N_("Batch size"),
        help=N_("Real and generated samples used for each update of D and of G."),
    )
    # discriminator updates per iteration
    k_d: int = _opt(
        1,
        lo=0,
        hi=100,
        label=N_("Steps (k)"),
        help=N_("How many times D is updated in each training iteration (k)."),
        section="optimizer_d",
    )
    # generator updates per iteration
    k_g: int = _opt(
        1,
        lo=0,
        hi=100,
        label=N_("Steps (k)"),
        help=N_("How many times G is updated in each training iteration (k)."),
        section="optimizer_g",
    )
    # size of the noise vector z
    latent_dim: int = _opt(
        2,
        lo=1,
        hi=4096,
        rebuilds=True,
        label=N_("Noise size"),
        help=N_("Number of random numbers in the noise vector z that G turns into a sample."),
    )
    # N(0, I) or U(-1, 1)
    latent_dist: str = _opt(
        "gaussian",
        choices=("gaussian", "uniform"),
        rebuilds=True,
        label=N_("Noise"),
        help=N_("The distribution the noise z is drawn from."),
        pick_labels=(N_("Gaussian N(0, 1)"), N_("Uniform U(−1, 1)")),
    )
    # seeds weights, data order, noise
    seed: int = _opt(
        0,
        lo=0,
        hi=2**63 - 1,
        rebuilds=True,
        label=N_("Seed"),
        help=N_("Fixes the random numbers: the same seed gives the same run."),
        kind="seed",
    )
    # auto (CUDA, then MPS, then CPU), cpu, cuda, cuda:N, mps
    device: str = _opt(
        "auto",
        rebuilds=True,
        label=N_("Device"),
        help=N_("Where the networks run: the GPU when there is one, or the CPU."),
        kind="device",
    )
    steps: int = _opt(0, lo=0, hi=10**12)  # total iterations for a headless run; 0 = until stopped
    fixed_samples: int = _opt(512, lo=1, hi=100_000)  # fixed-noise samples shown (toy); images: 64
    grid_size: int = _opt(100, lo=8, hi=1000)  # toy: D's field is grid_size^2 (1-D: grid_size)
    # Scalar reports per second (at most). The window redraws curves 4 times a second; each
    # report costs the trainer a device sync and a diagnostics pass (30 cost ring8 8 %).
    scalar_hz: float = _opt(10.0, lo=0.1, hi=1000.0)
    snapshot_hz: float = _opt(4.0, lo=0.01, hi=100.0)  # snapshot reports per second (at most)
    checkpoint_every: int = _opt(0, lo=0, hi=10**9)  # iterations between checkpoints; 0 = end only
    # CPU threads for torch; 0 = all cores but one
    threads: int = _opt(0, lo=0, hi=1024, rebuilds=True)


@dataclass(frozen=True)
class ExperimentConfig:
    name: str = "Untitled"  # window title and run directory name; a file's stem if unset
    description: str = ""  # what the experiment demonstrates, in a sentence or two
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    loss: LossConfig = field(default_factory=LossConfig)
    optimizer_d: OptimizerConfig = field(default_factory=lambda: OptimizerConfig(lr=1e-3))
    optimizer_g: OptimizerConfig = field(default_factory=lambda: OptimizerConfig(lr=1e-3))
    loop: LoopConfig = field(default_factory=LoopConfig)


_SECTIONS = ("data", "model", "loss", "optimizer_d", "optimizer_g", "loop")


# --------------------------------------------------------------------------- schema

# The window's panel shows these sections in this order; a field may name another
# section than its own (loop.k_d sits with D's optimizer).
_PANEL_SECTIONS = ("data", "model", "loss", "optimizer_d", "optimizer_g", "loop")
_NETS = {"optimizer_d": "D", "optimizer_g": "G"}  # the {net} in OptimizerConfig's texts


def _section_fields() -> list[tuple[str, dataclasses.Field[Any]]]:
    hints = typing.get_type_hints(ExperimentConfig)
    return [(s, f) for s in _SECTIONS for f in dataclasses.fields(hints[s])]


def rebuild_keys() -> frozenset[str]:
    """The dotted keys whose change rebuilds G and D with new weights.

    One definition (the fields' ``rebuilds`` metadata) read by the trainer's
    ``needs_rebuild`` and shown by the window's ↻ mark: every data and model setting
    (the data or the shapes change), and the loop's latent size and distribution, seed,
    device and thread count. Everything else applies live.
    """
    return frozenset(f"{s}.{f.name}" for s, f in _section_fields() if f.metadata.get("rebuilds"))


def _kind(ui: dict[str, Any], tp: Any, meta: Any) -> str:
    if ui["kind"]:
        return str(ui["kind"])
    if meta.get("choices") or ui["picks"]:
        return "choice"
    return {bool: "bool", int: "int", float: "float"}.get(tp, "text")


def settings_schema() -> list[dict[str, Any]]:
    """The settings a person edits in the window, as plain data (JSON-able), in panel order.

    One dict per dotted key, built from the config fields' metadata (a field with a
    ``label`` in :func:`_opt` is a setting; add one and it appears in the window):

    ``key`` ("optimizer_g.lr"); ``section`` (the panel box: "data", "model", "loss",
    "optimizer_d", "optimizer_g", "loop"); ``kind`` ("int", "float", "lr", "bool",
    "choice", "text", "seed", "path", "device"); ``default`` (the value in a default
    ExperimentConfig); ``lo``, ``hi``, ``lo_open`` (the accepted range, None when
    unbounded); ``choices`` (the accepted values, or the registered names for data.source,
    model.family and loss.name; None for free values); ``choice_labels`` (an English msgid
    per choice, ``{value}`` replaced by the value, or None: the app passes registry titles);
    ``step`` and ``decimals`` (arrow step and decimals of a number field, None for the
    editor's default); ``zero_text`` (msgid shown instead of the minimum, e.g. "off");
    ``rebuilds`` (changing it rebuilds the networks: :func:`rebuild_keys`); ``when``
    (dotted picker key -> the values with which the setting applies, or None);
    ``data_kinds`` (the data kinds it applies to, or None for all); ``unused`` ("hide" or
    "grey": how the panel shows it where it does not apply); ``label`` and ``help``
    (English msgids, to be translated with ``ganlab.kernel.i18n._`` where shown, then
    formatted with ``args``); ``args`` (str.format names for label and help, e.g.
    ``{"net": "D"}``).

    Texts stay msgids so the schema is the same data in every language (lessons, tests and
    JSON dumps compare keys and English); the panel translates them when it builds rows.
    """
    from ganlab.kernel.registry import DATA_SOURCES, LOSSES, MODEL_FAMILIES

    registered = {
        "data.source": list(DATA_SOURCES.names()),
        "model.family": list(MODEL_FAMILIES.names()),
        "loss.name": list(LOSSES.names()),
    }
    defaults = to_dict(ExperimentConfig())
    hints = typing.get_type_hints(ExperimentConfig)
    rows: list[dict[str, Any]] = []
    for section, f in _section_fields():
        ui = f.metadata.get("ui")
        if ui is None:
            continue
        meta = f.metadata
        key = f"{section}.{f.name}"
        tp = typing.get_type_hints(hints[section])[f.name]
        choices = ui["picks"] or meta.get("choices") or registered.get(key)
        when = ui["when"]
        rows.append(
            {
                "key": key,
                "section": ui["section"] or section,
                "kind": _kind(ui, tp, meta),
                "default": defaults[section][f.name],
                "lo": meta.get("lo"),
                "hi": meta.get("hi"),
                "lo_open": bool(meta.get("lo_open")),
                "choices": list(choices) if choices is not None else None,
                "choice_labels": list(ui["pick_labels"]) if ui["pick_labels"] else None,
                "step": ui["step"],
                "decimals": ui["decimals"],
                "zero_text": ui["zero_text"],
                "rebuilds": bool(meta.get("rebuilds")),
                "when": ({f"{section}.{k}": list(v) for k, v in when.items()} if when else None),
                "data_kinds": list(ui["data_kinds"]) if ui["data_kinds"] else None,
                "unused": ui["unused"],
                "label": ui["label"],
                "help": ui["help"],
                "args": {"net": _NETS[section]} if section in _NETS else {},
            }
        )
    order = {name: i for i, name in enumerate(_PANEL_SECTIONS)}
    return sorted(rows, key=lambda row: order.get(row["section"], len(order)))


# The settings of the latent z: a family without one (pix2pix, CycleGAN) does not use them.
LATENT_SETTINGS: tuple[str, ...] = ("loop.latent_dim", "loop.latent_dist")


def family_settings() -> dict[str, dict[str, list[str]]]:
    """What each registered model family uses, per data kind, as dotted keys (plain data).

    ``ModelFamily.settings`` as ``"model.*"`` keys, plus its ``loss_options`` as
    ``"loss.*"`` keys (``loss.aux_weight`` for a family with an auxiliary classifier,
    ``loss.l1_weight`` for pix2pix, ...), and the latent z's settings for a family with a
    z (:data:`LATENT_SETTINGS`). A family that declares nothing is left out (it
    uses everything). The window hides or greys what the chosen family does not use.
    """
    from ganlab.kernel.registry import MODEL_FAMILIES

    return {
        name: {
            kind: sorted(f"model.{key}" for key in keys)
            + sorted(f"loss.{key}" for key in family.loss_options)
            + (list(LATENT_SETTINGS) if family.latent else [])
            for kind, keys in family.settings.items()
        }
        for name, family in MODEL_FAMILIES.items()
        if family.settings
    }


# --------------------------------------------------------------------------- validation


def _type_name(tp: Any) -> str:
    if tp == list[int | str]:
        return _('a list of column numbers or names, e.g. [0, 2] or ["x", "z"]')
    names = {
        int: N_("an integer"),
        float: N_("a number"),
        str: N_("a string"),
        bool: N_("true or false"),
    }
    return _(names.get(tp, N_("a list of [x, y] pairs")))


def _coerce(value: Any, tp: Any, key: str, path: str | None) -> Any:
    """Check ``value`` against the field type ``tp`` and return it in canonical form."""
    if tp is bool:
        if isinstance(value, bool):
            return value
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not math.isfinite(value):
                raise ConfigError(
                    _("must be a finite number, got {value}").format(value=repr(value)),
                    key=key,
                    path=path,
                )
            return float(value)
    elif tp is str:
        if isinstance(value, str):
            return value
    elif tp == list[int | str]:
        if isinstance(value, list | tuple) and all(
            isinstance(c, int | str) and not isinstance(c, bool) for c in value
        ):
            return list(value)
    elif typing.get_origin(tp) is list:
        ok = isinstance(value, list) and all(
            isinstance(p, list | tuple)
            and len(p) == 2
            and all(isinstance(c, int | float) and not isinstance(c, bool) for c in p)
            for p in value
        )
        if ok:
            return [[float(c) for c in p] for p in value]
    raise ConfigError(
        _("must be {what}, got {type} {value}").format(
            what=_type_name(tp), type=type(value).__name__, value=repr(value)
        ),
        key=key,
        path=path,
    )


def _check_range(value: Any, meta: Any, key: str, path: str | None) -> None:
    choices = meta.get("choices")
    if choices is not None and value not in choices:
        raise ConfigError(
            _("'{value}' is not allowed; choose one of: {choices}").format(
                value=value, choices=", ".join(choices)
            ),
            key=key,
            path=path,
        )
    lo, hi = meta.get("lo"), meta.get("hi")
    if lo is None and hi is None:
        return
    too_low = lo is not None and (value <= lo if meta.get("lo_open") else value < lo)
    too_high = hi is not None and value > hi
    if too_low or too_high:
        left = "(" if meta.get("lo_open") else "["
        raise ConfigError(
            _("{value} is out of range; allowed: {range}").format(
                value=repr(value), range=f"{left}{lo}, {hi}]"
            ),
            key=key,
            path=path,
        )


def _build_section(cls: type, table: Any, prefix: str, path: str | None) -> Any:
    if not isinstance(table, dict):
        raise ConfigError(
            _("must be a table of settings, got {value}").format(value=repr(table)),
            key=prefix,
            path=path,
        )
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs = {}
    for key, value in table.items():
        dotted = f"{prefix}.{key}" if prefix else key
        if key not in fields:
            known = ", ".join(fields)
            raise ConfigError(
                _("unknown setting; known here: {known}").format(known=known),
                key=dotted,
                path=path,
            )
        value = _coerce(value, hints[key], dotted, path)
        _check_range(value, fields[key].metadata, dotted, path)
        kwargs[key] = value
    try:
        obj = cls(**kwargs)
    except TypeError as exc:  # pragma: no cover - fields are checked above
        raise ConfigError(str(exc), key=prefix, path=path) from None
    _check_consistency(obj, prefix, path)
    return obj


def check_columns(
    columns: list[int | str], key: str = "data.columns", path: str | None = None
) -> None:
    """Refuse a column choice other than [], or 1 or 2 distinct indices (>= 0) or names."""
    if len(columns) > 2 or len(set(columns)) != len(columns) or "" in columns:
        raise ConfigError(
            _(
                "must name one column (1-D points) or two different columns (2-D), as 0-based "
                'numbers or header names, e.g. [0, 2] or ["x", "z"]; got {columns}'
            ).format(columns=repr(columns)),
            key=key,
            path=path,
        )
    for c in columns:
        if isinstance(c, int) and c < 0:
            raise ConfigError(
                _("column numbers start at 0; got {column}").format(column=c), key=key, path=path
            )


def _check_consistency(obj: Any, prefix: str, path: str | None) -> None:
    if isinstance(obj, DataConfig) and obj.channels == 2:
        raise ConfigError(
            _("must be 1 (grayscale) or 3 (RGB)"), key=f"{prefix}.channels", path=path
        )
    if isinstance(obj, DataConfig):
        check_columns(obj.columns, f"{prefix}.columns", path)
    if isinstance(obj, LoopConfig) and obj.k_d == 0 and obj.k_g == 0:
        raise ConfigError(_("k_d and k_g cannot both be 0"), key=f"{prefix}.k_d", path=path)


def from_dict(data: dict[str, Any], path: str | None = None) -> ExperimentConfig:
    """Build a validated ExperimentConfig from a parsed TOML document."""
    if not isinstance(data, dict):
        raise ConfigError(_("an experiment must be a TOML table"), path=path)
    hints = typing.get_type_hints(ExperimentConfig)
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key in _SECTIONS:
            kwargs[key] = _build_section(hints[key], value, key, path)
        elif key in ("name", "description"):
            kwargs[key] = _coerce(value, str, key, path)
        else:
            known = ", ".join(("name", "description", *_SECTIONS))
            raise ConfigError(
                _("unknown setting; known at the top level: {known}").format(known=known),
                key=key,
                path=path,
            )
    # Optimizer defaults differ from OptimizerConfig's when the table is absent.
    for section in ("optimizer_d", "optimizer_g"):
        if section not in kwargs:
            kwargs[section] = OptimizerConfig(lr=1e-3)
    return ExperimentConfig(**kwargs)


def to_dict(config: ExperimentConfig) -> dict[str, Any]:
    """A plain dict that :func:`from_dict` turns back into an equal config."""
    return dataclasses.asdict(config)


def loads(text: str, path: str | None = None) -> ExperimentConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_("is not valid TOML: {error}").format(error=exc), path=path) from None
    return from_dict(data, path)


def dumps(config: ExperimentConfig) -> str:
    return tomli_w.dumps(to_dict(config))


def load(path: str | Path) -> ExperimentConfig:
    """Read and validate an experiment file. Raises ConfigError naming the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(_("no such experiment file"), path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(_("cannot be read: {error}").format(error=exc), path=str(path)) from None
    config = loads(text, str(path))
    if config.name == ExperimentConfig.name:
        # An experiment file without a name is called after the file.
        config = dataclasses.replace(config, name=path.stem)
    return config


def save(config: ExperimentConfig, path: str | Path) -> None:
    """Write ``config`` as TOML (atomically: a temporary file renamed over the target)."""
    with atomic_file(path) as fh:
        fh.write(dumps(config).encode("utf-8"))


def with_value(config: ExperimentConfig, dotted: str, value: Any) -> ExperimentConfig:
    """Return a copy of ``config`` with ``section.key`` set to a validated ``value``."""
    section, _sep, key = dotted.partition(".")
    if section not in _SECTIONS or not key:
        raise ConfigError(_("expected section.key"), key=dotted)
    current = dataclasses.asdict(getattr(config, section))
    current[key] = value
    hints = typing.get_type_hints(ExperimentConfig)
    new_section = _build_section(hints[section], current, section, None)
    return dataclasses.replace(config, **{section: new_section})


def check_names(config: ExperimentConfig, path: str | None = None) -> None:
    """Check that the registry names in ``config`` exist and fit together."""
    from ganlab.kernel.registry import DATA_SOURCES, LOSSES, MODEL_FAMILIES

    source = DATA_SOURCES.get(config.data.source, key="data.source", path=path)
    family = MODEL_FAMILIES.get(config.model.family, key="model.family", path=path)
    LOSSES.get(config.loss.name, key="loss.name", path=path)
    if source.kind not in family.data_kinds:
        raise ConfigError(
            _(
                "model family '{family}' does not train on {kind} data "
                "(source '{source}'); it supports: {kinds}"
            ).format(
                family=family.name,
                kind=source.kind,
                source=source.name,
                kinds=", ".join(sorted(family.data_kinds)),
            ),
            key="model.family",
            path=path,
        )
    _check_batch_norm(config, source.kind, path)


def _check_batch_norm(config: ExperimentConfig, kind: str, path: str | None) -> None:
    """Refuse one sample per batch where G or D normalises over the batch (BatchNorm)."""
    from ganlab.kernel.registry import MODEL_FAMILIES

    family = MODEL_FAMILIES.get(config.model.family)
    if config.loop.batch_size >= 2 or family.batch_norm is None:
        return
    nets = family.batch_norm(config.model, kind)  # type: ignore[arg-type]
    if not nets:
        return
    without = [
        name
        for name, other in MODEL_FAMILIES.items()
        if kind in other.data_kinds
        and (other.batch_norm is None or not other.batch_norm(config.model, kind))  # type: ignore[arg-type]
    ]
    alternative = (
        _(", or choose a model family without BatchNorm: {families}").format(
            families=_names(without)
        )
        if without
        else ""
    )
    raise ConfigError(
        ngettext(
            "1 sample per batch cannot train model family '{family}' on {kind} data: "
            "{networks} uses BatchNorm, which "
            "normalises each feature over the batch, so one sample gives it no batch statistics "
            "and its training and sampling disagree. Set loop.batch_size to 2 or more (16 or "
            "more for steady statistics){alternative}",
            "1 sample per batch cannot train model family '{family}' on {kind} data: "
            "{networks} use BatchNorm, which "
            "normalises each feature over the batch, so one sample gives it no batch statistics "
            "and its training and sampling disagree. Set loop.batch_size to 2 or more (16 or "
            "more for steady statistics){alternative}",
            len(nets),
        ).format(
            family=family.name,
            kind=kind,
            networks=_(" and ").join(nets),
            alternative=alternative,
        ),
        key="loop.batch_size",
        path=path,
    )


# --------------------------------------------------------------------------- warnings

# Optimizer settings and the optimizers that use them (trainer.make_optimizer).
# Read from the fields' ``when`` metadata (the panel hides them by the same data).
_OPTIMIZER_OPTIONS: dict[str, frozenset[str]] = {
    name: frozenset(
        f.name
        for f in dataclasses.fields(OptimizerConfig)
        if name in ((f.metadata.get("ui") or {}).get("when") or {}).get("name", ())
    )
    for name in ("sgd", "adam", "rmsprop")
}


def _names(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) == 1:
        return items[0]
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _family_loss_options() -> frozenset[str]:
    """The LossConfig fields some model family reads (``ModelFamily.loss_options``)."""
    from ganlab.kernel.registry import MODEL_FAMILIES

    return frozenset().union(*(f.loss_options for _, f in MODEL_FAMILIES.items()))


def inapplicable_settings(config: ExperimentConfig) -> list[tuple[str, str]]:
    """The settings ``config`` sets away from their default that have no effect in it.

    A loss option its loss does not use (``Loss.options``: label_smoothing outside the
    BCE and least-squares losses, gp_weight outside wgan_gp, clip_value outside
    wgan_clip), ``loss.aux_weight`` with a family without an auxiliary classifier, and
    Adam's betas under SGD / RMSprop or their momentum under Adam. A value equal to the
    field's default is not reported: saved files carry every field.

    Returns
    -------
    list of (dotted key, reason)
        The reason completes a sentence about the key, e.g. ``"has no effect with loss
        'hinge' (only minimax, non_saturating and least_squares use it)"``. Empty when
        everything set applies.

    Raises
    ------
    ConfigError
        For an unregistered loss or model family (call :func:`check_names` first).
    """
    from ganlab.kernel.registry import LOSSES, MODEL_FAMILIES

    loss = LOSSES.get(config.loss.name, key="loss.name")
    family = MODEL_FAMILIES.get(config.model.family, key="model.family")
    found: list[tuple[str, str]] = []
    defaults = LossConfig()
    for f in dataclasses.fields(LossConfig):
        if f.name == "name" or getattr(config.loss, f.name) == getattr(defaults, f.name):
            continue
        if f.name not in loss.options:
            users = [name for name, entry in LOSSES.items() if f.name in entry.options]
            found.append(
                (
                    f"loss.{f.name}",
                    ngettext(
                        "has no effect with loss '{name}' (only {users} uses it)",
                        "has no effect with loss '{name}' (only {users} use it)",
                        len(users),
                    ).format(name=loss.name, users=_names(users)),
                )
            )
        elif f.name in _family_loss_options() and f.name not in family.loss_options:
            users = [name for name, entry in MODEL_FAMILIES.items() if f.name in entry.loss_options]
            found.append(
                (
                    f"loss.{f.name}",
                    ngettext(
                        "has no effect with model family '{family}' (only {users} uses it)",
                        "has no effect with model family '{family}' (only {users} use it)",
                        len(users),
                    ).format(family=family.name, users=_names(users)),
                )
            )
    plain = OptimizerConfig()
    for section in ("optimizer_d", "optimizer_g"):
        oc: OptimizerConfig = getattr(config, section)
        for key in ("beta1", "beta2", "momentum"):
            if getattr(oc, key) == getattr(plain, key) or key in _OPTIMIZER_OPTIONS[oc.name]:
                continue
            users = [name for name, keys in _OPTIMIZER_OPTIONS.items() if key in keys]
            found.append(
                (
                    f"{section}.{key}",
                    ngettext(
                        "has no effect with optimizer '{name}' (only {users} uses it)",
                        "has no effect with optimizer '{name}' (only {users} use it)",
                        len(users),
                    ).format(name=oc.name, users=_names(users)),
                )
            )
    return found


def _critic_momentum(config: ExperimentConfig) -> tuple[str, float] | None:
    """D's momentum setting and value when D's optimizer uses momentum, else None."""
    oc = config.optimizer_d
    key = "beta1" if oc.name == "adam" else "momentum"
    value = getattr(oc, key)
    return (f"optimizer_d.{key}", value) if value > 0 else None


def config_warnings(
    config: ExperimentConfig, path: str | None = None, *, inapplicable: bool = True
) -> list[str]:
    """Messages, one a line, about settings that are allowed but wrong for ``config``.

    * every :func:`inapplicable_settings` entry: ``"exp.toml: loss.label_smoothing = 0.1
      has no effect with loss 'hinge' (only ... use it); remove it"``;
    * a weight-clipped critic (wgan_clip) driven with momentum (Adam's beta1 > 0, or SGD /
      RMSprop momentum > 0): Arjovsky et al. 2017 (section 3) found it unstable and used
      RMSprop without momentum; the message gives the paper's recipe.

    ``path`` (a file or a label) starts each message. Warnings, not errors: the run
    trains as set (a file saved from the window carries every field, so refusing would
    refuse the window's own files). The CLI prints them, the window logs them.
    ``inapplicable=False`` leaves out the first kind: the window's edits show those as
    disabled controls, which a person cannot "remove".

    Raises
    ------
    ConfigError
        For an unregistered loss or model family (call :func:`check_names` first).
    """
    from ganlab.kernel.registry import LOSSES

    where = f"{path}: " if path else ""
    messages = []
    for key, reason in inapplicable_settings(config) if inapplicable else []:
        section, _sep, name = key.partition(".")
        value = getattr(getattr(config, section), name)
        messages.append(
            where
            + _("{key} = {value} {reason}; remove it").format(
                key=key, value=repr(value), reason=reason
            )
        )
    loss = LOSSES.get(config.loss.name, key="loss.name")
    momentum = _critic_momentum(config) if loss.weight_clipping else None
    if momentum is not None:
        key, value = momentum
        recipe = ", ".join(
            f"{k} = {v!r}" for k, v in loss.paper_settings if k.startswith("optimizer_d.")
        )
        messages.append(
            where
            + _(
                "{key} = {value} gives the critic of loss '{loss}' momentum, which "
                "makes weight-clipped training unstable (Arjovsky et al. 2017, section 3); "
                "the paper uses {recipe}"
            ).format(key=key, value=repr(value), loss=loss.name, recipe=recipe)
            + (f" ({loss.paper})" if loss.paper else "")
        )

    return messages
