"""Name -> object registries for model families, losses and data sources. No Qt, no torch.

A new family, loss or source is added by registering one object; the CLI and the window
list what is registered instead of keeping if-chains.

Entries are declarations: their metadata (titles, data kinds, settings...) is plain
Python, and the callables that need torch (``build``, ``d_loss``, ``g_loss``) are
:func:`lazy` references that import their module on the first call. The modules that
register entries (``ganlab.models.catalogue``, ``ganlab.data.catalogue``,
``ganlab.engine.loss_catalogue``) therefore import no torch, and the window can list and
validate everything without it; torch is imported where a model, loss or source is
actually built (the trainer process).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from ganlab.kernel.contracts import DataSourceEntry, Loss, ModelFamily
from ganlab.kernel.errors import ConfigError
from ganlab.kernel.i18n import N_, _

T = TypeVar("T")


class LazyCallable:
    """A callable that stands for ``module:attribute`` and imports it on the first call.

    Picklable (it pickles as its target's name) and compared by that name. Create one
    with :func:`lazy`; :meth:`resolve` imports the target without calling it.

    Parameters
    ----------
    target
        ``"package.module:name"``; ``name`` may be dotted (an attribute of an attribute).

    Raises
    ------
    ValueError
        At creation, when ``target`` has no ``:`` (a programming error).
    """

    __slots__ = ("_function", "target")

    def __init__(self, target: str):
        module, sep, attribute = target.partition(":")
        if not (sep and module and attribute):
            raise ValueError(f"lazy target must be 'module:attribute', got {target!r}")
        self.target = target
        self._function: Any = None

    def resolve(self) -> Any:
        """Import the target module and return the object named (cached after the first)."""
        if self._function is None:
            module, _sep, attribute = self.target.partition(":")
            obj: Any = importlib.import_module(module)
            for part in attribute.split("."):
                obj = getattr(obj, part)
            if not callable(obj):
                raise TypeError(f"lazy target {self.target!r} is not callable")
            self._function = obj
        return self._function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __repr__(self) -> str:
        return f"lazy({self.target!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyCallable) and other.target == self.target

    def __hash__(self) -> int:
        return hash(self.target)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (LazyCallable, (self.target,))


def lazy(target: str) -> Any:
    """A reference to the callable ``"module:attribute"``, imported on its first call.

    Registry entries use it for the callables that need torch, so that declaring (and
    listing) an entry imports nothing heavy. Typed ``Any`` so that it fills any callable
    field of an entry; tests/kernel/test_registry_lazy.py resolves every one.
    """
    return LazyCallable(target)


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

    The kernel (``ganlab.kernel``) looks entries up by name but must not import the model
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


# The three registries the UI and the CLI list. Entries are declared (without importing
# torch) by ganlab.models.catalogue, ganlab.data.catalogue and ganlab.engine.loss_catalogue,
# which these registries import on first use.
# Titles and descriptions of entries are English msgids (``N_``): show them as ``_(title)``.
MODEL_FAMILIES: AutoloadRegistry[ModelFamily] = AutoloadRegistry(
    N_("model family"), "ganlab.models.catalogue"
)
DATA_SOURCES: AutoloadRegistry[DataSourceEntry] = AutoloadRegistry(
    N_("data source"), "ganlab.data.catalogue"
)
LOSSES: AutoloadRegistry[Loss] = AutoloadRegistry(N_("loss"), "ganlab.engine.loss_catalogue")
