"""Interpolation paths between latent vectors. numpy only: no Qt, no torch.

Used by the latent explorer (GUI thread) to build the vectors it asks G about. Spherical
interpolation keeps a path inside the typical shell of a gaussian latent space (where |z|
is about sqrt(d)); a straight line between two such points passes closer to the origin,
where G has seen few inputs.
"""

from __future__ import annotations

import numpy as np


def lerp(z0: np.ndarray, z1: np.ndarray, t: np.ndarray | float) -> np.ndarray:
    """Linear interpolation; ``t`` of shape (T,) gives a path of shape (T, dim)."""
    t = np.asarray(t, dtype=np.float64)[..., None]
    return ((1.0 - t) * z0 + t * z1).astype(np.float32)


def slerp(z0: np.ndarray, z1: np.ndarray, t: np.ndarray | float) -> np.ndarray:
    """Spherical interpolation: the angle between z0 and z1 changes linearly with ``t``.

    Lengths are interpolated linearly, so the path also works for vectors of different
    norms. Falls back to ``lerp`` for (anti)parallel vectors, where the great circle is
    undefined.
    """
    z0 = np.asarray(z0, dtype=np.float64)
    z1 = np.asarray(z1, dtype=np.float64)
    n0, n1 = np.linalg.norm(z0), np.linalg.norm(z1)
    if n0 == 0.0 or n1 == 0.0:
        return lerp(z0, z1, t)
    u0, u1 = z0 / n0, z1 / n1
    omega = np.arccos(np.clip(np.dot(u0, u1), -1.0, 1.0))
    if np.sin(omega) < 1e-6:
        return lerp(z0, z1, t)
    t = np.asarray(t, dtype=np.float64)[..., None]
    direction = (np.sin((1.0 - t) * omega) * u0 + np.sin(t * omega) * u1) / np.sin(omega)
    length = (1.0 - t) * n0 + t * n1
    return (direction * length).astype(np.float32)


def path(zs: np.ndarray, steps_per_segment: int, kind: str = "slerp") -> np.ndarray:
    """A piecewise path through the rows of ``zs`` (K, dim): (K-1)*steps+1 points."""
    if len(zs) < 2:
        raise ValueError("a latent path needs at least two vectors")
    interp = slerp if kind == "slerp" else lerp
    t = np.linspace(0.0, 1.0, steps_per_segment + 1)
    parts = [interp(zs[i], zs[i + 1], t[:-1]) for i in range(len(zs) - 1)]
    parts.append(np.asarray(zs[-1:], dtype=np.float32))
    return np.concatenate(parts, axis=0)
