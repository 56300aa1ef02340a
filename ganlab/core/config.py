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

from ganlab.core.errors import ConfigError
from ganlab.core.files import atomic_file
from ganlab.core.i18n import N_, _, ngettext


def _opt(
    default: Any,
    *,
    lo: float | None = None,
    hi: float | None = None,
    choices: tuple[str, ...] | None = None,
    lo_open: bool = False,
) -> Any:
    """A dataclass field with its allowed range or choices in the metadata."""
    meta = {"lo": lo, "hi": hi, "choices": choices, "lo_open": lo_open}
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class DataConfig:
    source: str = "ring8_teaching"  # registered data source name (`ganlab sources` lists them)
    sigma: float = _opt(0.0, lo=0.0, hi=10.0)  # std dev of modes / point noise; 0 = default
    path: str = ""  # CSV file of points, or folder of images, for the sources that read files
    image_size: int = _opt(28, lo=8, hi=256)  # image side in pixels (28, 32 or 64 for DCGAN)
    channels: int = _opt(1, lo=1, hi=3)  # 1 = grayscale, 3 = RGB (2 is refused)
    points: list[list[float]] = field(default_factory=list)  # draw-your-own anchors [[x, y], ...]
    root: str = ""  # folder for downloaded data sets; "" = the user cache directory
    download: bool = True  # allow downloading MNIST / Fashion-MNIST / CIFAR-10 when missing
    size: int = _opt(0, lo=0, hi=10_000_000)  # number of training items to use; 0 = source default
    # csv_points: the 1 (1-D) or 2 (2-D) columns to use, 0-based or header names; [] = all
    columns: list[int | str] = field(default_factory=list)


@dataclass(frozen=True)
class ModelConfig:
    family: str = "mlp"  # registered model family: mlp, dcgan, cgan, acgan
    g_hidden: int = _opt(64, lo=1, hi=8192)  # MLP: neurons per hidden layer of G
    d_hidden: int = _opt(64, lo=1, hi=8192)  # MLP: neurons per hidden layer of D
    g_layers: int = _opt(2, lo=0, hi=16)  # MLP: hidden layers in G
    d_layers: int = _opt(2, lo=0, hi=16)  # MLP: hidden layers in D
    activation: str = _opt("relu", choices=("relu", "leaky_relu", "tanh", "elu"))  # MLP hidden act.
    base_channels: int = _opt(64, lo=4, hi=1024)  # DCGAN family: feature maps of the widest layer
    embed_dim: int = _opt(16, lo=1, hi=1024)  # conditional: size of the label embedding
    spectral_norm_d: bool = False  # spectral normalisation on D's weight layers
    spectral_norm_g: bool = False  # spectral normalisation on G's weight layers


@dataclass(frozen=True)
class LossConfig:
    # registered loss: minimax, non_saturating, least_squares, hinge, wgan_gp, wgan_clip
    name: str = "non_saturating"
    label_smoothing: float = _opt(0.0, lo=0.0, hi=0.5)  # one-sided: real target is 1 - s
    instance_noise: float = _opt(0.0, lo=0.0, hi=10.0)  # std of gaussian noise added to D's inputs
    r1_gamma: float = _opt(0.0, lo=0.0, hi=1e4)  # R1 penalty on D's gradient at real data; 0 off
    gp_weight: float = _opt(10.0, lo=0.0, hi=1e4)  # WGAN-GP gradient penalty weight (lambda)
    clip_value: float = _opt(0.01, lo=0.0, hi=10.0, lo_open=True)  # WGAN weight clipping bound c
    aux_weight: float = _opt(1.0, lo=0.0, hi=100.0)  # ACGAN: weight of the class loss


@dataclass(frozen=True)
class OptimizerConfig:
    name: str = _opt("adam", choices=("sgd", "adam", "rmsprop"))  # optimizer
    lr: float = _opt(2e-4, lo=0.0, hi=10.0, lo_open=True)  # learning rate
    beta1: float = _opt(0.5, lo=0.0, hi=0.9999)  # Adam beta1 (momentum of the gradient)
    beta2: float = _opt(0.999, lo=0.0, hi=0.99999)  # Adam beta2 (of the squared gradient)
    momentum: float = _opt(0.0, lo=0.0, hi=0.9999)  # SGD / RMSprop momentum


@dataclass(frozen=True)
class LoopConfig:
    batch_size: int = _opt(128, lo=1, hi=65536)  # samples per batch, for D and for G
    k_d: int = _opt(1, lo=0, hi=100)  # discriminator updates per iteration
    k_g: int = _opt(1, lo=0, hi=100)  # generator updates per iteration
    latent_dim: int = _opt(2, lo=1, hi=4096)  # size of the noise vector z
    latent_dist: str = _opt("gaussian", choices=("gaussian", "uniform"))  # N(0, I) or U(-1, 1)
    seed: int = _opt(0, lo=0, hi=2**63 - 1)  # seeds weights, data order, noise
    device: str = "auto"  # auto (CUDA, then MPS, then CPU), cpu, cuda, cuda:N, mps
    steps: int = _opt(0, lo=0, hi=10**12)  # total iterations for a headless run; 0 = until stopped
    fixed_samples: int = _opt(512, lo=1, hi=100_000)  # fixed-noise samples shown (toy); images: 64
    grid_size: int = _opt(100, lo=8, hi=1000)  # toy: D's field is grid_size^2 (1-D: grid_size)
    scalar_hz: float = _opt(30.0, lo=0.1, hi=1000.0)  # scalar reports per second (at most)
    snapshot_hz: float = _opt(4.0, lo=0.01, hi=100.0)  # snapshot reports per second (at most)
    checkpoint_every: int = _opt(0, lo=0, hi=10**9)  # iterations between checkpoints; 0 = end only
    threads: int = _opt(0, lo=0, hi=1024)  # CPU threads for torch; 0 = all cores but one


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
    from ganlab.core.registry import DATA_SOURCES, LOSSES, MODEL_FAMILIES

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
    from ganlab.core.registry import MODEL_FAMILIES

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
_OPTIMIZER_OPTIONS: dict[str, frozenset[str]] = {
    "adam": frozenset({"beta1", "beta2"}),
    "sgd": frozenset({"momentum"}),
    "rmsprop": frozenset({"momentum"}),
}


def _names(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) == 1:
        return items[0]
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


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
    from ganlab.core.registry import LOSSES, MODEL_FAMILIES

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
        elif f.name == "aux_weight" and not family.auxiliary_classifier:
            users = [name for name, entry in MODEL_FAMILIES.items() if entry.auxiliary_classifier]
            found.append(
                (
                    "loss.aux_weight",
                    _(
                        "has no effect with model family '{family}' (only families with "
                        "an auxiliary classifier use it: {users})"
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
    from ganlab.core.registry import LOSSES

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
