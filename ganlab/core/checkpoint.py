"""Checkpoint files: atomic writes, safe loads. No Qt; runs in the trainer thread.

A checkpoint holds tensors and primitives only (see ``Trainer.state_dict``) and is read
with ``torch.load(weights_only=True)``: a file carrying a pickled object (code that would
run on load) is refused, and that code never runs.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import torch

from ganlab.core.errors import CheckpointError
from ganlab.core.files import atomic_file


def save_checkpoint(state: dict[str, Any], path: str | Path) -> Path:
    """Write ``state`` to ``path`` atomically: a temporary file in the same folder, flushed
    to disk, then renamed over the target. A crash never leaves a half-written file."""
    path = Path(path)
    with atomic_file(path) as fh:
        torch.save(state, fh)
    return path


def load_checkpoint(path: str | Path, map_location: str | torch.device = "cpu") -> dict[str, Any]:
    """Read a checkpoint with ``weights_only=True``; any problem is a CheckpointError."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such checkpoint file")
    try:
        state = torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise CheckpointError(
            f"{path}: refused: the file contains Python objects other than tensors and plain "
            f"values, which could run code when loaded. Only load checkpoints you trust "
            f"from ganlab itself. ({first})"
        ) from None
    except Exception as exc:  # torch.load raises many types on garbage (IndexError too)
        raise CheckpointError(
            f"{path}: not a readable checkpoint (damaged or another format): "
            f"{type(exc).__name__}: {exc}"
        ) from None
    if not isinstance(state, dict):
        raise CheckpointError(f"{path}: not a ganlab checkpoint")
    return state
