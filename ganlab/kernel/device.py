"""Choosing the torch device and CPU thread count. No Qt; runs in the trainer thread."""

from __future__ import annotations

import os

import torch

from ganlab.kernel.errors import ConfigError
from ganlab.kernel.i18n import _, ngettext


def _best_available() -> torch.device:
    if torch.cuda.is_available():
        return torch.device("cuda")
    if _mps_available():
        return torch.device("mps")
    return torch.device("cpu")


def resolve_device(name: str, *, strict: bool = True, key: str = "loop.device") -> torch.device:
    """Turn ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps`` into an available device.

    ``auto`` picks CUDA, then Apple's MPS, then the CPU. With ``strict`` (what the user
    asked for just now, e.g. ``--device``), a device that is not there is a ConfigError
    (naming ``key``), not a crash at the first tensor. Without it (a setting read
    from an experiment or a run made on another machine) use :func:`choose_device`.

    Raises
    ------
    ConfigError
        An unknown name, or with ``strict`` a device this machine does not have.
    """
    device, note = choose_device(name)
    if note is not None and strict:
        # The note's first clause says what is missing (see _fallback).
        raise ConfigError(_("{why}; use auto or cpu").format(why=note.split("; ")[0]), key=key)
    return device


def choose_device(name: str) -> tuple[torch.device, str | None]:
    """The device for the setting ``name``, falling back when it is not on this machine.

    A run belongs to its files, not to the machine: an experiment or run that asks for
    ``cuda`` (or ``cuda:3``, or ``mps``) opens on a machine without it on the best device
    there is (CUDA, then MPS, then the CPU).

    Returns
    -------
    (device, note)
        ``note`` is None when the setting was honoured, else one sentence saying what
        was asked for and what is used instead.

    Raises
    ------
    ConfigError
        ``name`` is not a device name at all (key ``loop.device``).
    """
    name = name.strip().lower()
    if name == "auto":
        return _best_available(), None
    if name == "cpu":
        return torch.device("cpu"), None
    if name == "mps":
        if _mps_available():
            return torch.device("mps"), None
        return _fallback(name, _("this machine has no Apple MPS device"))
    if name == "cuda" or name.startswith("cuda:"):
        try:
            device = torch.device(name)
        except RuntimeError:
            raise ConfigError(
                _("'{name}' is not a device name; use auto, cpu, cuda, cuda:N or mps").format(
                    name=name
                ),
                key="loop.device",
            ) from None
        if not torch.cuda.is_available():
            return _fallback(
                name, _("no CUDA GPU is available here (or torch was built without CUDA)")
            )
        if device.index is not None and device.index >= torch.cuda.device_count():
            return _fallback(
                name,
                _("there is no {name}; this machine has {count} CUDA device(s)").format(
                    name=name, count=torch.cuda.device_count()
                ),
            )
        return device, None
    raise ConfigError(
        _("unknown device '{name}'; use auto, cpu, cuda, cuda:N or mps").format(name=name),
        key="loop.device",
    )


def _fallback(name: str, why: str) -> tuple[torch.device, str]:
    device = _best_available()
    shown = _("the CPU") if device.type == "cpu" else str(device)
    # Keep "{why}; " first: strict callers keep only the text before the first "; ".
    return device, _(
        "{why}; the experiment asks for loop.device = '{name}', so it runs on {shown} "
        "instead (set loop.device or --device to choose)"
    ).format(why=why, name=name, shown=shown)


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend and backend.is_available())


def configure_threads(threads: int) -> int:
    """Set torch's intra-op threads: ``threads``, or all cores but one when 0.

    One core is left to the GUI thread so the window stays responsive while the
    trainer runs on the CPU.
    """
    if threads <= 0:
        threads = max(1, (os.cpu_count() or 2) - 1)
    torch.set_num_threads(threads)
    return threads


def describe(device: torch.device) -> str:
    """A short human name: 'CPU (8 threads)', 'NVIDIA H100 (cuda:0)', 'Apple MPS'."""
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        return f"{torch.cuda.get_device_name(index)} (cuda:{index})"
    if device.type == "mps":
        return "Apple MPS"
    n = torch.get_num_threads()
    return ngettext("CPU ({count} thread)", "CPU ({count} threads)", n).format(count=n)
