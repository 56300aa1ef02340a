"""Presets: experiment files shipped in resources/presets, one lesson each. No Qt.

A preset's name is its file name without ``.toml``. The same format as a user's own
experiment files, so a teacher can copy one, edit it and hand it out.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from ganlab.core import config as cfg
from ganlab.core.errors import ConfigError

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
        raise ConfigError(f"no preset called '{name}'; known presets: {known}")
    return cfg.loads(entry.read_text(encoding="utf-8"), f"preset {name}")


def default_experiment() -> cfg.ExperimentConfig:
    return load_preset(DEFAULT_PRESET)
