"""The ``acgan`` model family: auxiliary-classifier GAN (Odena et al. 2017).

Runs in whichever thread builds the models (the trainer thread in the window). No Qt.

G is the conditional generator of ``cgan`` (label embedding joined to ``z``). D does not
see the label: a shared body (MLP for toy data, DCGAN for images) feeds two heads, the
adversarial logit (``body.out``) and the class logits (``classifier``). The trainer adds
the class loss (cross-entropy on real and fake, weighted by ``loss.aux_weight``).
"""

from __future__ import annotations

import torch
from torch import nn

from ganlab.kernel.config import ModelConfig
from ganlab.kernel.contracts import DataSpec
from ganlab.models.base import DiscriminatorBody, finish_pair, require_kind, require_labels
from ganlab.models.catalogue import ACGAN as FAMILY
from ganlab.models.conditional import conditional_generator, discriminator_body

ACGAN_LABEL_SHIFT_STD = 0.0  # G's per-class BatchNorm shifts start equal (see build)
NAME = FAMILY.name  # the declaration in ganlab.models.catalogue
DATA_KINDS = FAMILY.data_kinds


class AuxiliaryClassifierDiscriminator(nn.Module):
    """``D(x) -> (logits (N,), class_logits (N, num_classes))`` from one shared body."""

    def __init__(self, body: DiscriminatorBody, num_classes: int):
        super().__init__()
        self.body = body
        self.classifier = body.make_head(num_classes)

    def forward(
        self, x: torch.Tensor, y: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        # y is ignored: the class is what D has to tell, not what it is told.
        h = self.body.features(x)
        return self.body.out(h).flatten(), self.classifier(h).flatten(1)


def build(model_cfg: ModelConfig, spec: DataSpec, latent_dim: int) -> tuple[nn.Module, nn.Module]:
    """Build the ``acgan`` pair (G, D) for a labelled ``spec``; see :class:`ModelFamily`."""
    require_kind(spec, NAME, DATA_KINDS)
    num_classes = require_labels(spec, NAME)
    # ACGAN's class loss pushes G's label shifts from the first step: they start at 0
    # (shapes_acgan, seed 0: 87.7 % agreement at step 6,000 and 93 % at 8,000 from 0;
    # 78 % at step 6,000 from a spread of 0.5).
    generator = conditional_generator(
        model_cfg, spec, latent_dim, num_classes, NAME, shift_std=ACGAN_LABEL_SHIFT_STD
    )
    body = discriminator_body(model_cfg, spec, family_name=NAME)
    discriminator = AuxiliaryClassifierDiscriminator(body, num_classes)
    return finish_pair(generator, discriminator, model_cfg)
