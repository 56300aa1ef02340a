"""Contract tests run over every registered model family and every data shape it trains on."""

from __future__ import annotations

import dataclasses
import io

import pytest
import torch
from torch import nn
from torch.nn.utils import parametrize

from ganlab.engine.losses import gradient_penalty, r1_penalty
from ganlab.kernel.config import ModelConfig
from ganlab.kernel.contracts import DataSpec
from ganlab.kernel.registry import MODEL_FAMILIES
from ganlab.models.base import WEIGHT_LAYERS


def _labelled(kind, shape, k):
    return DataSpec(kind, shape, num_classes=k, class_names=tuple(f"c{i}" for i in range(k)))


SPECS = {
    "toy1d": DataSpec("toy1d", (1,)),
    "toy1d-labelled": _labelled("toy1d", (1,), 2),
    "toy2d": DataSpec("toy2d", (2,)),
    "toy2d-labelled": _labelled("toy2d", (2,), 8),
    "gray28": DataSpec("image", (1, 28, 28)),
    "gray28-labelled": _labelled("image", (1, 28, 28), 10),
    "rgb32": DataSpec("image", (3, 32, 32)),
    "rgb32-labelled": _labelled("image", (3, 32, 32), 10),
    "rgb64-labelled": _labelled("image", (3, 64, 64), 3),
    # image pairs (A, B): pix2pix
    "paired-gray28": DataSpec("paired", (2, 1, 28, 28), domains=("a", "b")),
    "paired-rgb32": DataSpec("paired", (2, 3, 32, 32), domains=("a", "b")),
    "unpaired-gray28": DataSpec("unpaired", (2, 1, 28, 28), domains=("a", "b")),
    "unpaired-rgb32": DataSpec("unpaired", (2, 3, 32, 32), domains=("a", "b")),
}

# Small enough that every build and pass takes milliseconds.
SMALL = ModelConfig(g_hidden=8, d_hidden=8, g_layers=2, d_layers=2, base_channels=8, embed_dim=4)
LATENT = 3
BATCH = 4


def _compatible(family_name: str, spec: DataSpec) -> bool:
    family = MODEL_FAMILIES.get(family_name)
    if spec.kind not in family.data_kinds:
        return False
    return spec.num_classes >= 2 or not family.conditional


CASES = [
    pytest.param(family, spec_name, id=f"{family}-{spec_name}")
    for family in MODEL_FAMILIES.names()
    for spec_name, spec in SPECS.items()
    if _compatible(family, spec)
]


def _build(family_name: str, spec: DataSpec, cfg: ModelConfig = SMALL):
    torch.manual_seed(0)
    return MODEL_FAMILIES.get(family_name).build(cfg, spec, LATENT)


def _inputs(spec: DataSpec):
    """G's two arguments: (z, labels) for a latent family; for image-to-image data an
    image batch of one domain and the second argument its kind's G takes ("AB", the
    direction, for unpaired data; None for paired)."""
    g = torch.Generator().manual_seed(1)
    if spec.is_translation:
        x = torch.rand(BATCH, *spec.image_shape, generator=g) * 2 - 1
        return x, ("AB" if spec.kind == "unpaired" else None)
    z = torch.randn(BATCH, LATENT, generator=g)
    y = torch.randint(0, spec.num_classes, (BATCH,), generator=g) if spec.num_classes else None
    return z, y


def _d_condition(spec: DataSpec, g_in, y):
    """D's second argument: the labels; for unpaired data the domain G's output is in
    ("B"); for paired data the input image the output is paired with."""
    if spec.kind == "unpaired":
        return "B"
    if spec.kind == "paired":
        return g_in
    return y


def _sample_shape(spec: DataSpec) -> tuple[int, ...]:
    """One generated sample's shape: one image for image-to-image data."""
    return spec.image_shape if spec.is_translation else spec.shape


def test_the_four_families_are_registered():
    assert set(MODEL_FAMILIES.names()) >= {"mlp", "dcgan", "cgan", "acgan"}


@pytest.mark.parametrize("family_name", MODEL_FAMILIES.names())
def test_entry_name_matches_registry_key(family_name):
    assert MODEL_FAMILIES.get(family_name).name == family_name


def test_every_family_has_at_least_one_test_case():
    covered = {case.values[0] for case in CASES}
    assert covered == set(MODEL_FAMILIES.names())


@pytest.mark.parametrize(("family_name", "spec_name"), CASES)
def test_build_returns_two_modules(family_name, spec_name):
    G, D = _build(family_name, SPECS[spec_name])
    assert isinstance(G, nn.Module)
    assert isinstance(D, nn.Module)


@pytest.mark.parametrize(("family_name", "spec_name"), CASES)
def test_generator_output_has_the_sample_shape(family_name, spec_name):
    spec = SPECS[spec_name]
    G, _ = _build(family_name, spec)
    z, y = _inputs(spec)
    assert G(z, y).shape == (BATCH, *_sample_shape(spec))


@pytest.mark.parametrize(
    ("family_name", "spec_name"), [c for c in CASES if c.values[1].startswith(("gray", "rgb"))]
)
def test_image_generator_output_lies_in_tanh_range(family_name, spec_name):
    spec = SPECS[spec_name]
    G, _ = _build(family_name, spec)
    z, y = _inputs(spec)
    x = G(z * 100, y)
    assert x.min() >= -1.0
    assert x.max() <= 1.0


@pytest.mark.parametrize(("family_name", "spec_name"), CASES)
def test_discriminator_returns_one_logit_per_sample(family_name, spec_name):
    """One logit per sample, or one map of patch logits for an image translator."""
    spec = SPECS[spec_name]
    family = MODEL_FAMILIES.get(family_name)
    G, D = _build(family_name, spec)
    z, y = _inputs(spec)
    out = D(G(z, y), _d_condition(spec, z, y))
    if spec.is_translation:  # PatchGAN: a map of logits per sample
        assert isinstance(out, torch.Tensor)
        assert out.shape[0] == BATCH
    elif family.auxiliary_classifier:
        logits, class_logits = out
        assert logits.shape == (BATCH,)
        assert class_logits.shape == (BATCH, spec.num_classes)
    elif not family.latent:  # image translators: a map of patch logits per sample
        assert isinstance(out, torch.Tensor)
        assert out.shape[0] == BATCH
    else:
        assert isinstance(out, torch.Tensor)
        assert out.shape == (BATCH,)


@pytest.mark.parametrize(("family_name", "spec_name"), CASES)
def test_backward_reaches_every_parameter_with_finite_gradients(family_name, spec_name):
    spec = SPECS[spec_name]
    G, D = _build(family_name, spec)
    z, y = _inputs(spec)
    loss = torch.zeros(())
    # Unpaired data: G holds both directions and D both domains, so pass both ways.
    passes = [("AB", "B"), ("BA", "A")] if spec.kind == "unpaired" else [(y, None)]
    for g_arg, d_arg in passes:
        out = D(G(z, g_arg), d_arg if d_arg is not None else _d_condition(spec, z, y))
        outs = out if isinstance(out, tuple) else (out,)
        loss = loss + sum(o.square().sum() for o in outs)
    loss.backward()
    for name, p in [*G.named_parameters(), *D.named_parameters()]:
        assert p.grad is not None, name
        assert torch.isfinite(p.grad).all(), name
    assert any(p.grad.abs().sum() > 0 for p in G.parameters())


@pytest.mark.parametrize(("family_name", "spec_name"), CASES)
def test_parameter_paths_name_their_layers(family_name, spec_name):
    G, D = _build(family_name, SPECS[spec_name])
    for name, _ in [*G.named_parameters(), *D.named_parameters()]:
        assert not any(part.isdigit() for part in name.split(".")), name


@pytest.mark.parametrize(("family_name", "spec_name"), CASES)
@pytest.mark.parametrize(("sn_g", "sn_d"), [(False, True), (True, False), (True, True)])
def test_spectral_norm_wraps_every_weight_layer_of_the_chosen_nets(
    family_name, spec_name, sn_g, sn_d
):
    cfg = dataclasses.replace(SMALL, spectral_norm_g=sn_g, spectral_norm_d=sn_d)
    G, D = _build(family_name, SPECS[spec_name], cfg)
    for net, on in ((G, sn_g), (D, sn_d)):
        layers = [m for m in net.modules() if isinstance(m, WEIGHT_LAYERS)]
        assert layers
        assert all(parametrize.is_parametrized(m, "weight") == on for m in layers)


SN_OPTIONS = pytest.mark.parametrize("spectral_norm", [False, True], ids=["plain", "sn"])


@pytest.mark.parametrize(("family_name", "spec_name"), CASES)
@SN_OPTIONS
def test_state_dict_holds_only_tensors(family_name, spec_name, spectral_norm):
    cfg = dataclasses.replace(SMALL, spectral_norm_g=spectral_norm, spectral_norm_d=spectral_norm)
    G, D = _build(family_name, SPECS[spec_name], cfg)
    for net in (G, D):
        assert all(isinstance(v, torch.Tensor) for v in net.state_dict().values())


def _weights_only_copy(state):
    buffer = io.BytesIO()
    torch.save(state, buffer)
    buffer.seek(0)
    return torch.load(buffer, weights_only=True)


def _as_tuple(out):
    return out if isinstance(out, tuple) else (out,)


@pytest.mark.parametrize(("family_name", "spec_name"), CASES)
@SN_OPTIONS
def test_weights_only_checkpoint_restores_the_same_function(family_name, spec_name, spectral_norm):
    spec = SPECS[spec_name]
    cfg = dataclasses.replace(SMALL, spectral_norm_g=spectral_norm, spectral_norm_d=spectral_norm)
    G, D = _build(family_name, spec, cfg)
    z, y = _inputs(spec)
    d_arg = _d_condition(spec, z, y)
    with torch.no_grad():
        x = G(z, y)  # a train-mode pass moves BatchNorm statistics and SN power iterations
        D(x, d_arg)
    torch.manual_seed(123)
    twin_g, twin_d = MODEL_FAMILIES.get(family_name).build(cfg, spec, LATENT)
    for net, twin, inputs, arg in ((G, twin_g, z, y), (D, twin_d, x, d_arg)):
        twin.load_state_dict(_weights_only_copy(net.state_dict()))
        net.eval()
        twin.eval()
        with torch.no_grad():
            for a, b in zip(_as_tuple(net(inputs, arg)), _as_tuple(twin(inputs, arg)), strict=True):
                torch.testing.assert_close(a, b)


@pytest.mark.parametrize("family_name", MODEL_FAMILIES.names())
def test_build_is_reproducible_from_the_global_seed(family_name):
    spec_name = next(c.values[1] for c in CASES if c.values[0] == family_name)
    spec = SPECS[spec_name]
    G1, _ = _build(family_name, spec)
    G2, _ = _build(family_name, spec)
    for a, b in zip(G1.state_dict().values(), G2.state_dict().values(), strict=True):
        assert torch.equal(a, b)


@pytest.mark.parametrize(("family_name", "spec_name"), CASES)
def test_gradient_penalty_and_r1_backpropagate_into_every_discriminator(family_name, spec_name):
    spec = SPECS[spec_name]
    G, D = _build(family_name, spec)
    z, y = _inputs(spec)
    fake = G(z, y)
    real = torch.rand_like(fake) * 2 - 1
    d_arg = _d_condition(spec, z, y)
    penalty = gradient_penalty(D, real, fake, d_arg, torch.Generator().manual_seed(0))
    penalty = penalty + r1_penalty(D, real, d_arg)
    penalty.backward()
    assert torch.isfinite(penalty)
    grads = [p.grad for p in D.parameters() if p.grad is not None]
    assert grads
    assert all(torch.isfinite(g).all() for g in grads)
