"""The window's device list without torch (core.devices) agrees with torch itself."""

from __future__ import annotations

import importlib.machinery

import torch

from ganlab.kernel import devices


def test_the_torch_build_is_read_as_torch_reports_it():
    build = devices.torch_build()
    assert build["cuda"] == torch.version.cuda
    assert build["hip"] == torch.version.hip


def test_the_gpus_are_those_torch_sees_in_its_order():
    expected = []
    if torch.cuda.is_available():
        expected = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    assert devices.gpu_names() == expected


def test_apple_gpu_as_torch_says():
    assert devices.mps_available() == torch.backends.mps.is_available()


def test_a_cpu_only_torch_or_none_offers_no_gpu(tmp_path, monkeypatch):
    package = tmp_path / "torch"
    package.mkdir()
    (package / "version.py").write_text("cuda: Optional[str] = None\nhip: Optional[str] = None\n")
    spec = importlib.machinery.ModuleSpec("torch", None, is_package=True)
    spec.submodule_search_locations = [str(package)]
    monkeypatch.setattr(devices.importlib.util, "find_spec", lambda name: spec)
    assert devices.torch_build() == {"cuda": None, "hip": None}
    assert devices.gpu_names() == []
    monkeypatch.setattr(devices.importlib.util, "find_spec", lambda name: None)
    assert devices.torch_build() == {"cuda": None, "hip": None}
    assert devices.gpu_names() == []
