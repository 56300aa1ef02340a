"""Shared model building blocks: checks, activations and spectral normalisation."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn.utils import parametrize

from ganlab.kernel.contracts import DataSpec
from ganlab.kernel.errors import ConfigError
from ganlab.models.base import apply_spectral_norm, mlp_stack, require_kind, require_labels


def test_require_kind_names_the_family_key_and_the_supported_kinds():
    with pytest.raises(ConfigError) as info:
        require_kind(DataSpec("toy2d", (2,)), "dcgan", frozenset({"image"}))
    assert info.value.key == "model.family"
    assert "image" in str(info.value)


@pytest.mark.parametrize("num_classes", [0, 1])
def test_require_labels_refuses_fewer_than_two_classes_naming_the_source_key(num_classes):
    spec = DataSpec("toy2d", (2,), num_classes=num_classes, class_names=("a",) * num_classes)
    with pytest.raises(ConfigError) as info:
        require_labels(spec, "cgan")
    assert info.value.key == "data.source"
    assert "labelled" in str(info.value)


def test_require_labels_returns_the_class_count():
    spec = DataSpec("toy2d", (2,), num_classes=3, class_names=("a", "b", "c"))
    assert require_labels(spec, "cgan") == 3


def test_mlp_stack_with_zero_layers_is_the_identity():
    x = torch.randn(3, 5)
    assert torch.equal(mlp_stack(5, 8, 0, "relu")(x), x)


def test_spectral_norm_applied_twice_wraps_each_weight_once():
    net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    apply_spectral_norm(apply_spectral_norm(net))
    assert all(len(m.parametrizations.weight) == 1 for m in net if isinstance(m, nn.Linear))


def test_spectral_norm_leaves_embeddings_and_batchnorm_alone():
    net = nn.Sequential(nn.Embedding(3, 4), nn.BatchNorm1d(4))
    apply_spectral_norm(net)
    assert not any(parametrize.is_parametrized(m) for m in net)


def test_spectral_norm_bounds_the_largest_singular_value_by_one():
    torch.manual_seed(0)
    layer = nn.Linear(6, 6)
    with torch.no_grad():
        layer.weight.mul_(10)
    apply_spectral_norm(layer)
    for _ in range(20):  # power iterations run in train-mode forward passes
        layer(torch.randn(2, 6))
    assert torch.linalg.matrix_norm(layer.weight, ord=2).item() == pytest.approx(1.0, rel=1e-3)
