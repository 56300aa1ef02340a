"""Live diagnoses for conditional models: "G ignores the label" and "G ignores z".

The trainer's conditioning probe measures, on a fixed grid of z x labels, how much G's
samples vary with z for one label and with the label for one z, against the real data's
within- and between-class spreads; Diagnostics turns those into warnings. Generators are
stub modules (no training), so each test takes well under a second.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from ganlab.engine.trainer import Trainer
from ganlab.kernel import config as cfg
from ganlab.metrics.diagnostics import (
    AGREEMENT_CHANCE,
    CONDITION_WARMUP_STEPS,
    IGNORE_LABEL_FLOOR,
    IGNORE_Z_FLOOR,
    TITLES,
    Diagnostics,
)

AFTER = CONDITION_WARMUP_STEPS + 100


def _trainer(family: str) -> Trainer:
    config = cfg.ExperimentConfig(
        data=cfg.DataConfig(source="shapes", image_size=28, channels=1, size=600),
        model=cfg.ModelConfig(family=family, base_channels=8, embed_dim=4),
        loop=cfg.LoopConfig(batch_size=8, latent_dim=4),
    )
    return Trainer(config)


class _Bank(nn.Module):
    """A stub G that returns real images of the shapes set, chosen by z and / or y.

    ``use_z`` / ``use_y`` say which inputs it looks at: an input it ignores is replaced
    by a constant, as a generator that learned to ignore it would.
    """

    def __init__(self, trainer: Trainer, *, use_z: bool, use_y: bool):
        super().__init__()
        k = trainer.spec.num_classes
        images = trainer.source.images.float().div(127.5).sub(1.0)  # type: ignore[attr-defined]
        labels = trainer.source.labels  # type: ignore[attr-defined]
        per = 40
        self.bank = torch.stack([images[labels == c][:per] for c in range(k)])
        self.use_z, self.use_y = use_z, use_y

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        assert y is not None
        per = self.bank.shape[1]
        pick = (z[:, 0].abs() * 997).long() % per if self.use_z else torch.zeros_like(y)
        cls = y if self.use_y else torch.zeros_like(y)
        return self.bank[cls, pick]


def _kinds(found) -> set[str]:
    return {d.kind for d in found}


@pytest.mark.parametrize("family", ["cgan", "acgan"])
@pytest.mark.parametrize(
    ("use_z", "use_y", "expected"),
    [
        (True, True, set()),
        (False, True, {"ignores_z"}),
        (True, False, {"ignores_label"}),
        (False, False, {"ignores_z", "ignores_label"}),
    ],
    ids=["healthy", "ignores_z", "ignores_label", "ignores_both"],
)
def test_the_probe_finds_what_a_stub_generator_ignores(family, use_z, use_y, expected):
    trainer = _trainer(family)
    trainer.G = _Bank(trainer, use_z=use_z, use_y=use_y)
    same_label, same_z, within, between = trainer.conditioning_probe()
    assert within > 0
    assert between > within
    diagnostics = Diagnostics()
    found = diagnostics.update_conditioning(
        AFTER, same_label, same_z, within, between, num_classes=trainer.spec.num_classes
    )
    assert _kinds(found) == expected
    for d in found:
        assert d.network == "G"
        assert d.severity == "warning"
        assert not d.pause
        assert d.title == TITLES[d.kind]
    if "ignores_z" in expected:
        (d,) = [d for d in found if d.kind == "ignores_z"]
        assert d.values["ratio"] < IGNORE_Z_FLOOR
        assert "z" in d.message
        assert "class" in d.message
    if "ignores_label" in expected:
        (d,) = [d for d in found if d.kind == "ignores_label"]
        assert d.values["ratio"] < IGNORE_LABEL_FLOOR
        assert "label" in d.message


def test_the_probe_is_fixed_and_leaves_training_streams_alone():
    trainer = _trainer("cgan")
    states = [g.get_state() for g in (trainer.data_gen, trainer.noise_gen, trainer.view_gen)]
    first = trainer.conditioning_probe()
    assert first == trainer.conditioning_probe()  # the same z and reals every time
    after = [g.get_state() for g in (trainer.data_gen, trainer.noise_gen, trainer.view_gen)]
    assert all(torch.equal(a, b) for a, b in zip(states, after, strict=True))


def test_the_probe_refuses_an_unconditional_family():
    config = cfg.ExperimentConfig(
        data=cfg.DataConfig(source="shapes", image_size=28, channels=1, size=600),
        model=cfg.ModelConfig(family="dcgan", base_channels=8),
        loop=cfg.LoopConfig(batch_size=8, latent_dim=4),
    )
    with pytest.raises(ValueError, match="conditional"):
        Trainer(config).conditioning_probe()


# ------------------------------------------------------------------ rules on numbers


def test_nothing_is_judged_before_the_warm_up():
    # A fresh G makes the same grey blur for every z and label: not yet a failure.
    d = Diagnostics()
    assert d.update_conditioning(CONDITION_WARMUP_STEPS - 1, 0.0, 0.0, 0.5, 0.8) == []
    assert _kinds(d.update_conditioning(CONDITION_WARMUP_STEPS, 0.0, 0.0, 0.5, 0.8)) == {
        "ignores_z",
        "ignores_label",
    }


def test_one_message_per_episode_and_a_new_one_after_recovery():
    d = Diagnostics()
    assert _kinds(d.update_conditioning(AFTER, 0.01, 0.5, 0.5, 0.8)) == {"ignores_z"}
    assert d.update_conditioning(AFTER + 100, 0.01, 0.5, 0.5, 0.8) == []
    assert "ignores_z" in d.active
    clear = d.thresholds.clear_steps
    assert d.update_conditioning(AFTER + 200, 0.4, 0.5, 0.5, 0.8) == []
    assert d.update_conditioning(AFTER + 200 + clear, 0.4, 0.5, 0.5, 0.8) == []
    assert "ignores_z" not in d.active
    assert _kinds(d.update_conditioning(AFTER + 300 + clear, 0.01, 0.5, 0.5, 0.8)) == {"ignores_z"}


@pytest.mark.parametrize("classes", [2, 6, 10])
def test_agreement_near_chance_means_the_label_is_ignored(classes):
    chance = 1.0 / classes
    healthy = (AFTER, 0.4, 0.6, 0.5, 0.8)
    d = Diagnostics()
    # Samples that differ by label but are not the class asked for (the 7.8 %).
    low = AGREEMENT_CHANCE * chance * 0.9
    (found,) = d.update_conditioning(*healthy, agreement=low, num_classes=classes)
    assert found.kind == "ignores_label"
    assert found.values["agreement"] == pytest.approx(low)
    assert found.values["chance"] == pytest.approx(chance)
    assert f"{chance:.0%}" in found.message
    fine = Diagnostics()
    assert fine.update_conditioning(*healthy, agreement=0.9, num_classes=classes) == []


@pytest.mark.parametrize(
    "bad", [float("nan"), float("inf"), 0.0, -1.0], ids=["nan", "inf", "zero", "negative"]
)
def test_unusable_reference_spreads_skip_the_rule(bad):
    d = Diagnostics()
    assert d.update_conditioning(AFTER, 0.0, 0.0, bad, bad) == []
    assert d.update_conditioning(AFTER, float("nan"), float("nan"), 0.5, 0.8) == []


# ------------------------------------------------------------------ agreement


def _stub_classifier(recognised: list[int], k: int = 3):
    """An OfflineClassifier whose answers are fixed: image i is recognised as
    ``recognised[i]`` (the network is never run)."""
    import numpy as np

    from ganlab.metrics.classifier import ClassifierNet, OfflineClassifier

    clf = OfflineClassifier(
        ClassifierNet(1, k),
        source_name="stub",
        image_size=8,
        channels=1,
        class_names=tuple(f"c{i}" for i in range(k)),
        accuracy=1.0,
    )
    clf.probabilities = lambda images, batch_size=512: np.eye(k)[recognised]  # type: ignore[method-assign]
    return clf


def test_label_agreement_counts_requested_against_recognised_classes():
    import numpy as np

    from ganlab.metrics.classifier import label_agreement

    images = np.zeros((6, 8, 8, 1), dtype=np.uint8)
    clf = _stub_classifier([0, 1, 2, 0, 0, 1])
    agreement, confusion = label_agreement(clf, images, np.array([0, 1, 2, 1, 2, 1]))
    assert agreement == pytest.approx(4 / 6)
    np.testing.assert_allclose(confusion[0], [1, 0, 0])
    np.testing.assert_allclose(confusion[1], [1 / 3, 2 / 3, 0])
    np.testing.assert_allclose(confusion[2], [0.5, 0, 0.5])


@pytest.mark.parametrize(
    "requested", [[0, 1, 3], [-1, 0, 1], [0.0, 1.0, 2.0], []], ids=["high", "neg", "float", "none"]
)
def test_label_agreement_refuses_labels_outside_the_classes(requested):
    import numpy as np

    from ganlab.metrics.classifier import ClassifierError, label_agreement

    clf = _stub_classifier([0, 1, 2])
    with pytest.raises(ClassifierError, match="labels"):
        label_agreement(clf, np.zeros((3, 8, 8, 1), dtype=np.uint8), np.array(requested))
