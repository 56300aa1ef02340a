"""Checkpoint files: atomic writes, safe loads. No Qt; runs in the trainer thread.

A checkpoint holds tensors and primitives only (see ``Trainer.state_dict``) and is read
with ``torch.load(weights_only=True)``: a file carrying a pickled object (code that would
run on load) is refused, and that code never runs.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import torch

from ganlab.kernel.errors import CheckpointError
from ganlab.kernel.files import atomic_file
from ganlab.kernel.i18n import _

T = TypeVar("T")

# Terminal colour and style codes (ESC [ ... m) that torch puts in some messages.
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def plain_text(text: str) -> str:
    """``text`` without terminal escape codes, on one line, for logs and message boxes."""
    return " ".join(_ANSI.sub("", text).split())


def _first_sentence(text: str, limit: int = 240) -> str:
    """The first sentence of a library's message (torch's run on for a paragraph)."""
    end = text.find(". ")
    if 0 <= end < limit:
        return text[: end + 1]
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)] + " ..."


def _unsafe_types(path: Path) -> list[str]:
    """The Python types a file would have to unpickle beyond tensors and plain values,
    read without unpickling anything (``torch.serialization.get_unsafe_globals_in_checkpoint``);
    empty when it cannot tell."""
    try:
        found = torch.serialization.get_unsafe_globals_in_checkpoint(path)
    except Exception:  # an old-format or damaged file: fall back to the message
        return []
    return sorted(str(name) for name in found)


def save_checkpoint(state: dict[str, Any], path: str | Path) -> Path:
    """Write ``state`` to ``path`` atomically: a temporary file in the same folder, flushed
    to disk, then renamed over the target. A crash never leaves a half-written file."""
    path = Path(path)
    with atomic_file(path) as fh:
        torch.save(state, fh)
    return path


def load_checkpoint(path: str | Path, map_location: str | torch.device = "cpu") -> dict[str, Any]:
    """Read a checkpoint with ``weights_only=True``; any problem is a CheckpointError.

    The error names the file and, for a file that carries Python objects, every type it
    would have had to unpickle (``argparse.Namespace``, ``numpy...scalar``); messages are
    plain text (torch's terminal colour codes are removed).
    """
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(_("{path}: no such checkpoint file").format(path=path))
    if path.stat().st_size == 0:
        raise CheckpointError(
            _("{path}: empty file (0 bytes): the write never finished").format(path=path)
        )
    try:
        state = torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as exc:
        types = _unsafe_types(path)
        if types:
            what = _("Python objects of type {types}").format(types=", ".join(types))
        else:
            detail = plain_text(str(exc))
            marker = "Unsupported global:"
            found = (
                detail[detail.index(marker) :].split(".")[0] if marker in detail else detail[:200]
            )
            what = _("Python objects ({detail})").format(detail=found)
        raise CheckpointError(
            _(
                "{path}: refused: besides tensors and plain values, the file holds {what}, "
                "and unpickling them could run code. ganlab only loads its own checkpoints; "
                "if you trust this file, load it in Python and save its tensors with torch.save."
            ).format(path=path, what=what)
        ) from None
    except Exception as exc:  # torch.load raises many types on garbage (IndexError too)
        raise CheckpointError(
            _(
                "{path}: not a readable checkpoint (truncated, damaged or another format): {error}"
            ).format(
                path=path,
                error=f"{type(exc).__name__}: {_first_sentence(plain_text(str(exc)))}",
            )
        ) from None
    if not isinstance(state, dict):
        raise CheckpointError(
            _("{path}: not a ganlab checkpoint (holds a {type})").format(
                path=path, type=type(state).__name__
            )
        )
    return state


def load_newest_intact(
    candidates: Iterable[str | Path],
    apply: Callable[[dict[str, Any], Path], T],
    map_location: str | torch.device = "cpu",
) -> tuple[Path, T, list[str]]:
    """Load the first checkpoint of ``candidates`` (newest first) that is intact.

    Each candidate is read with :func:`load_checkpoint` and handed to ``apply(state, path)``
    (e.g. ``Trainer.load_state_dict``); a candidate that fails either is skipped.

    Returns
    -------
    (path, result, problems)
        The checkpoint used, what ``apply`` returned, and one message per skipped file
        (naming it and what is wrong), newest first.

    Raises
    ------
    CheckpointError
        No candidate is intact; the message lists every file and its problem.
    """
    problems: list[str] = []
    for candidate in candidates:
        path = Path(candidate)
        try:
            result = apply(load_checkpoint(path, map_location), path)
        except CheckpointError as exc:
            problems.append(str(exc))
            continue
        return path, result, problems
    if not problems:
        raise CheckpointError(_("no checkpoint to load"))
    raise CheckpointError(
        _(
            "no intact checkpoint: {problems}. The run cannot be resumed; "
            "start a new run from its experiment.toml"
        ).format(problems="; ".join(problems))
    )
