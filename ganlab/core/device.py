"""Choosing the torch device and CPU thread count. No Qt; runs in the trainer thread."""

from __future__ import annotations

import os

import torch

from ganlab.core.errors import ConfigError


def resolve_device(name: str) -> torch.device:
    """Turn ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps`` into an available device.

    ``auto`` picks CUDA, then Apple's MPS, then the CPU. Asking for a device that is not
    there is a ConfigError (key ``loop.device``), not a crash at the first tensor.
    """
    name = name.strip().lower()
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name == "mps":
        if not _mps_available():
            raise ConfigError(
                "this machine has no Apple MPS device; use auto or cpu", key="loop.device"
            )
        return torch.device("mps")
    if name == "cuda" or name.startswith("cuda:"):
        if not torch.cuda.is_available():
            raise ConfigError(
                "no CUDA GPU is available here (or torch was built without CUDA); use auto or cpu",
                key="loop.device",
            )
        try:
            device = torch.device(name)
        except RuntimeError:
            raise ConfigError(f"'{name}' is not a device name", key="loop.device") from None
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise ConfigError(
                f"there is no {name}; this machine has {torch.cuda.device_count()} CUDA device(s)",
                key="loop.device",
            )
        return device
    raise ConfigError(
        f"unknown device '{name}'; use auto, cpu, cuda, cuda:N or mps", key="loop.device"
    )


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
    return f"CPU ({torch.get_num_threads()} threads)"
