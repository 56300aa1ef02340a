"""Checkpoints: exact resume, atomic writes, hostile files refused without side effects."""

from __future__ import annotations

import pathlib

import pytest
import torch

from ganlab.engine.trainer import Trainer
from ganlab.kernel.checkpoint import load_checkpoint, save_checkpoint
from ganlab.kernel.errors import CheckpointError
from tests.conftest import tiny_config


class SideEffect:
    """Unpickling this creates a file: the side effect a hostile checkpoint would have."""

    def __init__(self, target: str):
        self.target = target

    def __reduce__(self):
        return (pathlib.Path.touch, (pathlib.Path(self.target),))


@pytest.mark.parametrize(
    ("source", "family"),
    [
        ("ring8_teaching", "mlp"),
        ("shapes", "dcgan"),
        ("shapes", "acgan"),
        ("shapes_edges", "pix2pix"),  # its own objective; dropout masks from noise_gen
        ("shapes_unpaired", "cyclegan"),  # its own objective; the image pools in D's state
        ("shapes", "stylegan"),  # its own objective; mixing and noise from noise_gen, w_avg
    ],
)
def test_resume_continues_exactly(tmp_path, source, family):
    config = tiny_config(source=source, family=family)
    straight = Trainer(config)
    for _ in range(8):
        straight.step()

    first = Trainer(config)
    for _ in range(5):
        first.step()
    path = save_checkpoint(first.state_dict(), tmp_path / "c.pt")
    resumed = Trainer(config)
    resumed.load_state_dict(load_checkpoint(path))
    for _ in range(3):
        resumed.step()

    assert resumed.step_count == straight.step_count == 8
    for name in ("G", "D"):
        a, b = getattr(straight, name).state_dict(), getattr(resumed, name).state_dict()
        for key in a:
            assert torch.equal(a[key], b[key]), f"{name}.{key} differs after resume"


def test_checkpoint_holds_only_tensors_and_primitives(tmp_path, tiny):
    t = Trainer(tiny)
    t.step()
    path = save_checkpoint(t.state_dict(), tmp_path / "c.pt")
    state = torch.load(path, weights_only=True)  # would raise on any other object
    assert state["format"] == "ganlab-checkpoint"
    assert state["step"] == 1


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path, tiny):
    target = tmp_path / "c.pt"
    target.write_bytes(b"previous")
    save_checkpoint(Trainer(tiny).state_dict(), target)
    assert [p.name for p in tmp_path.iterdir()] == ["c.pt"]
    assert target.read_bytes() != b"previous"


def test_failed_write_keeps_the_previous_file(tmp_path):
    target = tmp_path / "c.pt"
    target.write_bytes(b"previous")
    with pytest.raises(Exception):  # noqa: B017,PT011 - any pickling error
        save_checkpoint({"bad": lambda: None}, target)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["c.pt"]


def test_pickled_object_is_refused_and_its_code_never_runs(tmp_path, tiny):
    sentinel = tmp_path / "pwned"
    state = Trainer(tiny).state_dict()
    state["extra"] = SideEffect(str(sentinel))
    path = tmp_path / "hostile.pt"
    torch.save(state, path)
    with pytest.raises(CheckpointError, match="refused") as info:
        load_checkpoint(path)
    assert str(path) in str(info.value)
    assert not sentinel.exists()


@pytest.mark.parametrize("content", [b"", b"not a checkpoint at all", bytes(range(256)) * 4])
def test_garbage_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "bad.pt"
    path.write_bytes(content)
    with pytest.raises(CheckpointError, match=r"bad\.pt"):
        load_checkpoint(path)


def test_foreign_state_dict_is_refused(tmp_path, tiny):
    path = tmp_path / "weights.pt"
    torch.save({"weight": torch.zeros(3)}, path)
    t = Trainer(tiny)
    with pytest.raises(CheckpointError, match="not a ganlab checkpoint"):
        t.load_state_dict(load_checkpoint(path), source_path=str(path))


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CheckpointError, match="no such checkpoint"):
        load_checkpoint(tmp_path / "nope.pt")


def test_garbage_that_makes_torch_raise_index_error_is_a_clear_error(tmp_path):
    path = tmp_path / "odd.pt"
    path.write_bytes(b"\x80\x02]q\x00.")  # a pickle of an empty list: torch.load pops it
    with pytest.raises(CheckpointError, match=r"odd\.pt"):
        load_checkpoint(path)
