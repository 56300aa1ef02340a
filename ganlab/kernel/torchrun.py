"""Whether this process is a rank of a ``torchrun`` job, read from its environment. No
torch, no Qt: the window's process asks it (opening an experiment prints warnings only
on rank 0) without importing torch; ganlab.engine.distributed builds on it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping


def launched(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this process was started by torchrun (``RANK`` and ``WORLD_SIZE`` set)."""
    env = os.environ if environ is None else environ
    return "RANK" in env and "WORLD_SIZE" in env


def follower_process(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this is a torchrun rank other than 0 (which prints and writes nothing)."""
    env = os.environ if environ is None else environ
    return launched(env) and env.get("RANK", "0").strip() != "0"
