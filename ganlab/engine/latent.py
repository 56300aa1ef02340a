"""Sampling latent vectors. No Qt; runs in the trainer thread.

Paths between latent vectors (linear, spherical) are in ``ganlab.kernel.interpolation``,
which needs only numpy so the latent explorer panel can use it too.
"""

from __future__ import annotations

import torch


def sample_latent(
    n: int, dim: int, dist: str, generator: torch.Generator, device: torch.device | str = "cpu"
) -> torch.Tensor:
    """Draw ``n`` latent vectors from N(0, I) (``gaussian``) or U(-1, 1)^dim (``uniform``)."""
    if dist == "gaussian":
        return torch.randn(n, dim, generator=generator, device=device)
    if dist == "uniform":
        return torch.rand(n, dim, generator=generator, device=device) * 2.0 - 1.0
    raise ValueError(f"unknown latent distribution {dist!r}")
