"""Presets: experiment files shipped in resources/presets, one lesson each. No Qt.

A preset's name is its file name without ``.toml``. The same format as a user's own
experiment files, so a teacher can copy one, edit it and hand it out.

The ``name`` and ``description`` written in a shipped preset are English gettext msgids:
show them through :func:`title` and :func:`description` (the catalogue holds them;
:func:`preset_msgids` lists them for the catalogue's update script). The config itself
keeps the English name, which also names run directories.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from ganlab.kernel import config as cfg
from ganlab.kernel.errors import ConfigError
from ganlab.kernel.i18n import _

DEFAULT_PRESET = "ring8"  # what `ganlab` opens with no arguments: CPU, no download


def _folder() -> Traversable:
    return resources.files("ganlab.resources") / "presets"


def preset_names() -> list[str]:
    """Names of the shipped presets, sorted."""
    return sorted(p.name[:-5] for p in _folder().iterdir() if p.name.endswith(".toml"))


def load_preset(name: str) -> cfg.ExperimentConfig:
    """The preset called ``name``; ConfigError listing the known names if there is none."""
    entry = _folder() / f"{name}.toml"
    if not entry.is_file():
        known = ", ".join(preset_names())
        raise ConfigError(
            _("no preset called '{name}'; known presets: {known}").format(name=name, known=known)
        )
    return cfg.loads(entry.read_text(encoding="utf-8"), f"preset {name}")


def default_experiment() -> cfg.ExperimentConfig:
    return load_preset(DEFAULT_PRESET)


def title(preset: str | cfg.ExperimentConfig) -> str:
    """A preset's name (``preset``: its file name or its loaded config), translated.

    Raises
    ------
    ConfigError
        No shipped preset has that name.
    """
    config = load_preset(preset) if isinstance(preset, str) else preset
    return _(config.name)


def description(preset: str | cfg.ExperimentConfig) -> str:
    """A preset's description, translated ('' when it has none)."""
    config = load_preset(preset) if isinstance(preset, str) else preset
    return _(config.description) if config.description else ""


def preset_msgids() -> list[str]:
    """The English names and descriptions of the shipped presets, for the catalogue."""
    found: list[str] = []
    for name in preset_names():
        config = load_preset(name)
        for text in (config.name, config.description):
            if text and text not in found:
                found.append(text)
    return found
