"""Which compute devices this machine offers, found without importing torch. No Qt.

The window lists the devices in its device picker while it starts, and imports no torch
(its trainer process does; importing torch takes seconds). This module answers the same
questions as ``torch.cuda.is_available()``, ``torch.cuda.get_device_name(i)`` and
``torch.backends.mps.is_available()`` without torch:

* which accelerator the installed torch was built for, read from the text of its
  ``torch/version.py`` (``cuda = '12.1'``, ``hip = ...``; None for a CPU-only build);
* the GPUs and their names, from the driver's own library through ctypes
  (``libcuda`` for CUDA, ``libamdhip64`` for ROCm): the same list, in the same order,
  as torch sees (``CUDA_VISIBLE_DEVICES`` and ``CUDA_DEVICE_ORDER`` apply to both), since
  torch's runtime asks that driver;
* Apple's GPU (MPS) on an Apple-silicon Mac with macOS 12.3 or later.

Whatever cannot be found (no driver, no torch, another platform) counts as absent: the
trainer, which resolves ``loop.device`` with torch itself (:mod:`ganlab.kernel.device`),
still has the last word and says why it falls back. Runs in the GUI thread.
"""

from __future__ import annotations

import ctypes
import importlib.util
import platform
import re
import sys
from pathlib import Path

_NAME_BYTES = 256


def torch_build() -> dict[str, str | None]:
    """The accelerators the installed torch was built for: ``{"cuda": "12.1" or None,
    "hip": ... or None}``, read from ``torch/version.py`` without importing torch.

    Both None when torch is not installed or its version file cannot be read.
    """
    build: dict[str, str | None] = {"cuda": None, "hip": None}
    try:
        spec = importlib.util.find_spec("torch")
    except (ImportError, ValueError):
        return build
    if spec is None or not spec.submodule_search_locations:
        return build
    try:
        text = (Path(next(iter(spec.submodule_search_locations))) / "version.py").read_text()
    except OSError:
        return build
    for key in build:
        match = re.search(rf"^{key}\b[^=\n]*=\s*['\"]([^'\"]+)['\"]", text, re.MULTILINE)
        build[key] = match.group(1) if match else None
    return build


def _driver_library(hip: bool) -> ctypes.CDLL | None:
    if hip:
        names = ["libamdhip64.so", "libamdhip64.so.6", "libamdhip64.so.5", "amdhip64.dll"]
    elif sys.platform == "win32":
        names = ["nvcuda.dll"]
    else:
        names = ["libcuda.so.1", "libcuda.so"]
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def gpu_names() -> list[str]:
    """Names of the GPUs torch would see as ``cuda:0``, ``cuda:1``..., in that order.

    Empty for a CPU-only torch, without a GPU driver, or when the driver reports an
    error (no device, a broken installation).
    """
    build = torch_build()
    hip = build["cuda"] is None and build["hip"] is not None
    if build["cuda"] is None and not hip:
        return []
    lib = _driver_library(hip)
    if lib is None:
        return []
    prefix = "hip" if hip else "cu"
    try:
        init = getattr(lib, f"{prefix}Init")
        get_count = getattr(lib, "hipGetDeviceCount" if hip else "cuDeviceGetCount")
        get_device = getattr(lib, f"{prefix}DeviceGet")
        get_name = getattr(lib, f"{prefix}DeviceGetName")
    except AttributeError:
        return []
    count = ctypes.c_int(0)
    if init(0) != 0 or get_count(ctypes.byref(count)) != 0:
        return []
    names: list[str] = []
    for i in range(count.value):
        device = ctypes.c_int(0)
        buffer = ctypes.create_string_buffer(_NAME_BYTES)
        if get_device(ctypes.byref(device), i) != 0:
            return names
        if get_name(buffer, _NAME_BYTES, device) != 0:
            names.append(f"cuda:{i}")
        else:
            names.append(buffer.value.decode(errors="replace").strip() or f"cuda:{i}")
    return names


def mps_available() -> bool:
    """Whether Apple's GPU (MPS) is there: an Apple-silicon Mac on macOS 12.3 or later."""
    if sys.platform != "darwin" or platform.machine() != "arm64":
        return False
    try:
        major, minor = (int(part) for part in [*platform.mac_ver()[0].split("."), "0"][:2])
    except ValueError:
        return False
    return (major, minor) >= (12, 3)
