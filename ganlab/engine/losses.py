"""The adversarial losses' math (torch), and the penalties the trainer adds (WGAN-GP
gradient penalty, R1).

The losses are declared by name, options and paper recipe in
:mod:`ganlab.engine.loss_catalogue` (no torch), which registers them in
:data:`ganlab.kernel.registry.LOSSES` with lazy references to the functions here: a new
loss is one declaration there plus its ``d_loss``/``g_loss`` here.

Runs in the trainer process. No Qt.

Every loss is computed on D's raw outputs (logits or critic scores), never on
probabilities: ``log D(x) = -softplus(-x)`` and ``log(1 - D(x)) = -softplus(x)`` stay finite
for any logit, where ``log(sigmoid(x))`` underflows to ``-inf``. Both losses are the
quantity the respective network *minimises*; batch means stand for expectations.

With ``s = loss.label_smoothing``, the real target becomes ``1 - s`` (one-sided label
smoothing, Salimans et al. 2016) in the BCE losses (minimax, non_saturating) and in
least_squares, whose real target ``b`` (Mao et al. 2017) is a target like BCE's: moving
it to ``1 - s`` caps how far D pushes its real scores, the same effect as in the BCE
losses, while G's target ``c = 1`` stays. Hinge and the Wasserstein losses have no target
to smooth and ignore it.

Sign conventions the views rely on:

* minimax / non_saturating: D's loss is ``-V(D, G)`` of the original paper, so at the
  Nash equilibrium (D = 1/2 everywhere, logits 0) it equals ``2 ln 2 = log 4``.
* wgan_*: D's loss is ``E[D(fake)] - E[D(real)]``, minus the Wasserstein estimate.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ganlab.kernel.config import LossConfig

# --------------------------------------------------------------------------- BCE losses


def bce_d_loss(real: torch.Tensor, fake: torch.Tensor, cfg: LossConfig) -> torch.Tensor:
    """-E[t log D(x) + (1 - t) log(1 - D(x))] - E[log(1 - D(G(z)))], t = 1 - s."""
    real_term = F.binary_cross_entropy_with_logits(
        real, torch.full_like(real, 1.0 - cfg.label_smoothing)
    )
    fake_term = F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake))
    return real_term + fake_term


def minimax_g_loss(fake: torch.Tensor, cfg: LossConfig) -> torch.Tensor:
    """E[log(1 - D(G(z)))] = -E[softplus(fake)]. Saturates: its gradient vanishes where
    D confidently rejects the fakes, which is where G most needs to learn."""
    return -F.softplus(fake).mean()


def non_saturating_g_loss(fake: torch.Tensor, cfg: LossConfig) -> torch.Tensor:
    """-E[log D(G(z))] = E[softplus(-fake)]: the same fixed point, strong gradients early."""
    return F.softplus(-fake).mean()


# --------------------------------------------------------------------------- least squares


def least_squares_d_loss(real: torch.Tensor, fake: torch.Tensor, cfg: LossConfig) -> torch.Tensor:
    """LSGAN (Mao et al. 2017), targets a = 0 (fake), b = 1 - s (real):
    1/2 E[(D(x) - b)^2] + 1/2 E[D(G(z))^2]."""
    real_target = 1.0 - cfg.label_smoothing
    return 0.5 * (real - real_target).square().mean() + 0.5 * fake.square().mean()


def least_squares_g_loss(fake: torch.Tensor, cfg: LossConfig) -> torch.Tensor:
    """1/2 E[(D(G(z)) - 1)^2]: G wants its samples scored as real (c = 1)."""
    return 0.5 * (fake - 1.0).square().mean()


# --------------------------------------------------------------------------- hinge


def hinge_d_loss(real: torch.Tensor, fake: torch.Tensor, cfg: LossConfig) -> torch.Tensor:
    """E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))]: no push beyond a margin of 1."""
    return F.relu(1.0 - real).mean() + F.relu(1.0 + fake).mean()


def critic_g_loss(fake: torch.Tensor, cfg: LossConfig) -> torch.Tensor:
    """-E[D(G(z))]: the generator loss of hinge and Wasserstein GANs."""
    return -fake.mean()


# --------------------------------------------------------------------------- Wasserstein


def wasserstein_d_loss(real: torch.Tensor, fake: torch.Tensor, cfg: LossConfig) -> torch.Tensor:
    """E[D(G(z))] - E[D(x)]; its negative estimates W1 when D is 1-Lipschitz."""
    return fake.mean() - real.mean()


# --------------------------------------------------------------------------- helpers


def adversarial_logits(out: torch.Tensor | tuple[torch.Tensor, ...]) -> torch.Tensor:
    """The adversarial logits of a discriminator's output: ``out[0]`` for a family with an
    auxiliary classifier (which returns ``(logits, class_logits)``), else ``out``."""
    return out[0] if isinstance(out, tuple) else out


def auxiliary_class_loss(class_logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """ACGAN's class loss: mean cross-entropy of D's class logits ``(N, K)`` against the
    labels ``(N,)``. The caller weights it by ``loss.aux_weight``."""
    return F.cross_entropy(class_logits, labels)


# Keeps the gradient of the norm finite where D's input gradient is exactly zero.
_NORM_EPS = 1e-12


def gradient_penalty(
    D: nn.Module,  # noqa: N803 - the course's name for the discriminator
    real: torch.Tensor,
    fake: torch.Tensor,
    y: torch.Tensor | None,
    generator: torch.Generator,
    *,
    eps: torch.Tensor | None = None,
) -> torch.Tensor:
    """WGAN-GP penalty (Gulrajani et al. 2017): ``E[(||grad D(x_hat)||_2 - 1)^2]``.

    ``x_hat = eps * real + (1 - eps) * fake`` with one ``eps ~ U(0, 1)`` per sample. The
    graph is kept (``create_graph=True``) so the penalty can be backpropagated into D's
    weights. The weight (``loss.gp_weight``, lambda) is left to the caller.

    Parameters
    ----------
    D
        The discriminator, called as ``D(x_hat, y)``; a tuple output (ACGAN) is reduced
        to its adversarial logits.
    real, fake
        Batches of the same shape, ``(N, dim)`` or ``(N, C, H, W)``. Both are detached.
    y
        Labels passed to D (for a conditional D, those of the real batch), or None.
    generator
        Source of ``eps``; drawn on the generator's device, then moved to ``real``'s.
    eps
        The interpolation weights ``(N,)`` to use instead of drawing them (nothing is
        drawn then); tests compare runs that must see the same ones.

    Returns
    -------
    Tensor
        A scalar.
    """
    n = real.shape[0]
    eps_shape = (n,) + (1,) * (real.dim() - 1)
    if eps is None:
        eps = torch.rand(eps_shape, generator=generator, device=generator.device)
    eps = eps.reshape(eps_shape).to(device=real.device, dtype=real.dtype)
    x_hat = (eps * real.detach() + (1.0 - eps) * fake.detach()).requires_grad_(True)
    out = adversarial_logits(D(x_hat, y))
    (grad,) = torch.autograd.grad(out.sum(), x_hat, create_graph=True)
    norm = torch.sqrt(grad.flatten(1).square().sum(dim=1) + _NORM_EPS)
    return (norm - 1.0).square().mean()


def r1_penalty(
    D: nn.Module,  # noqa: N803 - the course's name for the discriminator
    real: torch.Tensor,
    y: torch.Tensor | None,
) -> torch.Tensor:
    """R1 penalty (Mescheder et al. 2018): ``E[||grad_x D(x)||_2^2]`` over real data.

    The factor ``gamma / 2`` (``loss.r1_gamma``) is left to the caller. The graph is kept
    (``create_graph=True``) so the penalty can be backpropagated into D's weights.

    Parameters
    ----------
    D
        The discriminator, called as ``D(x, y)``; a tuple output (ACGAN) is reduced to
        its adversarial logits.
    real
        Real batch, ``(N, dim)`` or ``(N, C, H, W)``; detached.
    y
        Labels of the real batch passed to D, or None.

    Returns
    -------
    Tensor
        A scalar.
    """
    x = real.detach().requires_grad_(True)
    out = adversarial_logits(D(x, y))
    (grad,) = torch.autograd.grad(out.sum(), x, create_graph=True)
    return grad.flatten(1).square().sum(dim=1).mean()
