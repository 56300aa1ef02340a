"""Devices: a run's setting falls back on machines without it; an explicit choice is strict."""

from __future__ import annotations

import pytest
import torch

from ganlab.kernel import device as dev
from ganlab.kernel.errors import ConfigError


@pytest.fixture
def cpu_only(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(dev, "_mps_available", lambda: False)


@pytest.fixture
def two_gpus(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(dev, "_mps_available", lambda: False)


@pytest.mark.parametrize("name", ["cuda", "cuda:0", "cuda:3", "mps", " CUDA "])
def test_a_missing_device_falls_back_to_the_cpu_with_a_note(cpu_only, name):
    device, note = dev.choose_device(name)
    assert device == torch.device("cpu")
    assert note is not None
    assert f"loop.device = '{name.strip().lower()}'" in note
    assert "the CPU instead" in note


def test_mps_falls_back_to_cuda_when_that_is_what_there_is(two_gpus):
    device, note = dev.choose_device("mps")
    assert device == torch.device("cuda")
    assert "Apple MPS" in note


def test_a_missing_gpu_index_falls_back_to_the_first_gpu(two_gpus):
    device, note = dev.choose_device("cuda:5")
    assert device == torch.device("cuda")
    assert "there is no cuda:5" in note
    assert "2 CUDA device(s)" in note


@pytest.mark.parametrize(("name", "expected"), [("auto", "cpu"), ("cpu", "cpu"), ("CPU", "cpu")])
def test_available_settings_are_honoured_without_a_note(cpu_only, name, expected):
    assert dev.choose_device(name) == (torch.device(expected), None)


def test_gpu_settings_are_honoured_where_the_gpu_is(two_gpus):
    assert dev.choose_device("cuda:1") == (torch.device("cuda:1"), None)
    assert dev.choose_device("auto") == (torch.device("cuda"), None)


@pytest.mark.parametrize("name", ["cuda", "mps", "cuda:2"])
def test_strict_resolution_refuses_a_missing_device_naming_the_key(cpu_only, name):
    with pytest.raises(ConfigError) as info:
        dev.resolve_device(name, strict=True, key="--device")
    assert "--device" in str(info.value)
    assert "use auto or cpu" in str(info.value)


@pytest.mark.parametrize("name", ["gpu", "cuda:x", "tpu", ""])
def test_unknown_names_are_refused_even_without_strictness(cpu_only, name):
    with pytest.raises(ConfigError) as info:
        dev.choose_device(name)
    assert "loop.device" in str(info.value)
