"""Class names and their indices travel in the checkpoint; a data set whose classes changed
is refused with both lists instead of silently relabelling every class."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import torch
from PIL import Image

from ganlab.engine.trainer import Trainer
from ganlab.kernel import config as cfg
from ganlab.kernel.checkpoint import load_checkpoint, save_checkpoint
from ganlab.kernel.errors import CheckpointError
from tests.conftest import tiny_config

COLOURS = {"cat": 40, "dog": 120, "eel": 200}


def _folder(root: Path, classes: dict[str, int]) -> Path:
    for name, gray in classes.items():
        (root / name).mkdir(parents=True)
        for i in range(2):
            Image.new("L", (8, 8), gray + i).save(root / name / f"{i}.png")
    return root


def _config(folder: Path, family: str = "cgan") -> cfg.ExperimentConfig:
    base = tiny_config(family=family)
    data = cfg.DataConfig(source="image_folder", path=str(folder), image_size=28, channels=1)
    return dataclasses.replace(base, data=data)


def _trained_checkpoint(tmp_path: Path, family: str = "cgan") -> tuple[Path, Path]:
    folder = _folder(tmp_path / "pets", COLOURS)
    t = Trainer(_config(folder, family))
    for _ in range(2):
        t.step()
    return folder, save_checkpoint(t.state_dict(), tmp_path / "c.pt")


def test_checkpoint_holds_class_names_in_index_order(tmp_path: Path) -> None:
    _folder_path, path = _trained_checkpoint(tmp_path)
    state = torch.load(path, weights_only=True)  # primitives only
    assert state["class_names"] == ["cat", "dog", "eel"]


def test_unlabelled_set_stores_an_empty_list(tmp_path: Path) -> None:
    t = Trainer(tiny_config(source="swiss_roll"))  # unlabelled
    assert t.spec.class_names == ()
    assert t.state_dict()["class_names"] == []


def test_same_class_names_load_and_resume(tmp_path: Path) -> None:
    folder, path = _trained_checkpoint(tmp_path)
    resumed = Trainer(_config(folder))
    resumed.load_state_dict(load_checkpoint(path))
    assert resumed.step_count == 2
    resumed.step()
    assert resumed.step_count == 3


def _rename_dog(folder: Path) -> None:
    (folder / "dog").rename(folder / "wolf")


def _rename_cat_last(folder: Path) -> None:
    (folder / "cat").rename(folder / "zebra")  # same names but one, and every index moves


def _add_fox(folder: Path) -> None:
    _folder(folder, {"fox": 80})


def _empty_eel(folder: Path) -> None:
    for path in (folder / "eel").iterdir():
        path.unlink()  # the class folder is dropped: no usable image


@pytest.mark.parametrize(
    ("change", "now"),
    [
        pytest.param(_rename_dog, ["cat", "eel", "wolf"], id="renamed"),
        pytest.param(_rename_cat_last, ["dog", "eel", "zebra"], id="reordered"),
        pytest.param(_add_fox, ["cat", "dog", "eel", "fox"], id="added"),
        pytest.param(_empty_eel, ["cat", "dog"], id="removed"),
    ],
)
def test_changed_classes_are_refused_with_both_lists(tmp_path: Path, change, now) -> None:
    folder, path = _trained_checkpoint(tmp_path)
    change(folder)
    fresh = Trainer(_config(folder))
    assert list(fresh.spec.class_names) == now
    g_before = {k: v.clone() for k, v in fresh.G.state_dict().items()}
    with pytest.raises(CheckpointError) as err:
        fresh.load_state_dict(load_checkpoint(path), source_path=str(path))
    message = str(err.value)
    assert str(path) in message
    assert "'cat', 'dog', 'eel'" in message  # the checkpoint's classes
    assert ", ".join(repr(n) for n in now) in message  # the data set's classes
    assert "Put the class folders back as they were" in message  # the fixes
    assert "start a new run" in message
    # Refused before anything was restored: the trainer is as it was.
    assert fresh.step_count == 0
    for key, value in fresh.G.state_dict().items():
        assert torch.equal(value, g_before[key])


def test_unconditional_model_is_refused_too(tmp_path: Path) -> None:
    """The class map is the data's identity, whatever the model does with labels."""
    folder, path = _trained_checkpoint(tmp_path, family="mlp")
    (folder / "dog").rename(folder / "wolf")
    with pytest.raises(CheckpointError, match="wolf"):
        Trainer(_config(folder, "mlp")).load_state_dict(load_checkpoint(path))


def test_checkpoint_without_class_names_still_loads(tmp_path: Path) -> None:
    folder, path = _trained_checkpoint(tmp_path)
    state = load_checkpoint(path)
    del state["class_names"]  # as written before class names were stored
    resumed = Trainer(_config(folder))
    resumed.load_state_dict(state)
    assert resumed.step_count == 2
