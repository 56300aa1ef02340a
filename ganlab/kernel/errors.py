"""Errors the engine raises for bad input. Each carries a message meant for a person.

The CLI turns any ``GanlabError`` into exit code 2 and its message, never a traceback.
"""

from __future__ import annotations

from ganlab.kernel.i18n import _


class GanlabError(Exception):
    """Base class: bad input or an unavailable resource, explained in plain words."""


class ConfigError(GanlabError):
    """An experiment file or setting is wrong. Names the file, the key and what is allowed."""

    def __init__(self, message: str, *, key: str | None = None, path: str | None = None):
        self.key = key
        self.path = path
        where = []
        if path:
            where.append(str(path))
        if key:
            # A command-line option ("--device") is an option, not an experiment key.
            where.append(
                _("option {key}").format(key=key)
                if key.startswith("-")
                else _("key '{key}'").format(key=key)
            )

        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class DataError(GanlabError):
    """A data source cannot be built: missing folder, no usable images, offline download..."""


class CheckpointError(GanlabError):
    """A checkpoint file is missing, corrupt, from another format, or refused as unsafe."""
