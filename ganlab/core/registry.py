"""Name -> object registries for model families, losses and data sources. No Qt.

A new family, loss or source is added by registering one object; the CLI and the window
list what is registered instead of keeping if-chains.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Generic, TypeVar

from ganlab.core.contracts import DataSourceEntry, Loss, ModelFamily
from ganlab.core.errors import ConfigError
from ganlab.core.i18n import N_, _

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered mapping from a unique name to an entry.

    Parameters
    ----------
    kind
        What the entries are, in words ("model family", "loss", "data source"): an
        English msgid (``N_``), translated in error messages.
    """

    def __init__(self, kind: str):
        self.kind = kind
        self._entries: dict[str, T] = {}

    def register(self, name: str, entry: T) -> T:
        if name in self._entries:
            raise ValueError(f"{self.kind} '{name}' is already registered")  # a programming error
        self._entries[name] = entry
        return entry

    def get(self, name: str, *, key: str | None = None, path: str | None = None) -> T:
        """Return the entry called ``name`` or raise a ConfigError listing the known names."""
        try:
            return self._entries[name]
        except KeyError:
            known = ", ".join(sorted(self._entries))
            raise ConfigError(
                _("unknown {kind} '{name}'; known: {known}").format(
                    kind=_(self.kind), name=name, known=known
                ),
                key=key,
                path=path,
            ) from None

    def names(self) -> list[str]:
        return list(self._entries)

    def items(self) -> list[tuple[str, T]]:
        return list(self._entries.items())

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


class AutoloadRegistry(Registry[T]):
    """A registry that imports the module holding its entries on first use.

    The engine (``ganlab.core``) looks entries up by name but must not import the model
    and data packages statically (they import core); the first lookup imports them.
    """

    def __init__(self, kind: str, module: str):
        super().__init__(kind)
        self._module = module
        self._loaded = False

    def _load(self) -> None:
        if not self._loaded:
            self._loaded = True
            importlib.import_module(self._module)

    def get(self, name: str, *, key: str | None = None, path: str | None = None) -> T:
        self._load()
        return super().get(name, key=key, path=path)

    def names(self) -> list[str]:
        self._load()
        return super().names()

    def items(self) -> list[tuple[str, T]]:
        self._load()
        return super().items()

    def __contains__(self, name: object) -> bool:
        self._load()
        return super().__contains__(name)

    def __iter__(self) -> Iterator[str]:
        self._load()
        return super().__iter__()

    def __len__(self) -> int:
        self._load()
        return super().__len__()


# The three registries the UI and the CLI list. Entries are registered by the modules of
# ganlab.models, ganlab.data and ganlab.core.losses when those are imported.
# Titles and descriptions of entries are English msgids (``N_``): show them as ``_(title)``.
MODEL_FAMILIES: AutoloadRegistry[ModelFamily] = AutoloadRegistry(
    N_("model family"), "ganlab.models"
)
DATA_SOURCES: AutoloadRegistry[DataSourceEntry] = AutoloadRegistry(N_("data source"), "ganlab.data")
LOSSES: AutoloadRegistry[Loss] = AutoloadRegistry(N_("loss"), "ganlab.core.losses")
