"""The A-vs-B domain classifier behind CycleGAN's target-share metric."""

from __future__ import annotations

import math

import pytest
import torch

from ganlab.kernel.config import DataConfig
from ganlab.kernel.registry import DATA_SOURCES
from ganlab.metrics import domains


@pytest.fixture
def source():
    config = DataConfig(source="shapes_unpaired", image_size=16, channels=3, size=64)
    return DATA_SOURCES.get("shapes_unpaired").build(config)


@pytest.fixture(autouse=True)
def _fresh_memory(monkeypatch):
    monkeypatch.setattr(domains, "_memory", {})


def test_it_tells_the_domains_apart_on_held_out_images(source):
    judge = domains.train_domain_classifier(source)
    assert judge.accuracy > 0.95
    held = source.held_out(64)
    assert domains.target_share(judge, held[:, 1], 1) > 0.95
    assert domains.target_share(judge, held[:, 0], 0) > 0.95
    assert domains.target_share(judge, held[:, 0], 1) < 0.05
    assert math.isnan(domains.target_share(judge, held[:0, 0], 1))  # no images


def test_training_is_deterministic_and_leaves_the_global_rng_alone(source):
    torch.manual_seed(7)
    before = torch.get_rng_state()
    a = domains.train_domain_classifier(source)
    assert torch.equal(torch.get_rng_state(), before)
    b = domains.train_domain_classifier(source)
    for x, y in zip(a.net.state_dict().values(), b.net.state_dict().values(), strict=True):
        assert torch.equal(x, y)


def test_cached_on_disk_by_the_data_and_retrained_over_a_damaged_file(source, tmp_path):
    first = domains.domain_classifier(source, tmp_path)
    files = list(tmp_path.iterdir())
    assert [f.name for f in files] == [domains.cache_file(first.fingerprint, tmp_path).name]
    domains._memory.clear()
    loaded = domains.domain_classifier(source, tmp_path)
    for x, y in zip(first.net.state_dict().values(), loaded.net.state_dict().values(), strict=True):
        assert torch.equal(x, y)
    assert domains.domain_classifier(source, tmp_path) is loaded  # then from memory
    domains._memory.clear()
    files[0].write_bytes(b"damaged")
    again = domains.domain_classifier(source, tmp_path)
    assert again.accuracy == pytest.approx(first.accuracy)
    other = DATA_SOURCES.get("shapes_unpaired").build(
        DataConfig(source="shapes_unpaired", image_size=16, channels=1, size=64)
    )
    assert domains.domain_classifier(other, tmp_path).fingerprint != first.fingerprint


def test_a_source_without_domains_is_refused():
    src = DATA_SOURCES.get("shapes").build(DataConfig(source="shapes", size=60))
    with pytest.raises(ValueError, match="no domains"):
        domains.train_domain_classifier(src)
