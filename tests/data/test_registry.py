"""Every registered data source: entries, building, sampling, import hygiene."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import pytest
import torch

import ganlab.data
from ganlab.kernel.config import DataConfig
from ganlab.kernel.contracts import DataKind, DataSource, DataSourceEntry
from ganlab.kernel.registry import DATA_SOURCES

# Names other code (presets, trainer, window) refers to.
EXPECTED = {
    "gaussian1d": "toy1d",
    "bimodal1d": "toy1d",
    "uniform1d": "toy1d",
    "ring8": "toy2d",
    "ring8_teaching": "toy2d",
    "grid25": "toy2d",
    "grid25_teaching": "toy2d",
    "two_moons": "toy2d",
    "spiral": "toy2d",
    "swiss_roll": "toy2d",
    "line": "toy2d",
    "blobs": "toy2d",
    "csv_points": "toy2d",
    "drawn": "toy2d",
    "shapes": "image",
    "mnist": "image",
    "fashion_mnist": "image",
    "cifar10": "image",
    "image_folder": "image",
    "shapes_edges": "paired",
    "shapes_colorize": "paired",
    "pix2pix_folder": "paired",
    "shapes_unpaired": "unpaired",
    "unpaired_folder": "unpaired",
}
# Sources that build with the default config plus drawn points: no file, no download.
SELF_CONTAINED = [n for n, e in DATA_SOURCES.items() if not (e.reads_path or e.downloads)]


def _build(name: str) -> DataSource:
    config = DataConfig(source=name, points=[[0.0, 0.0], [1.0, 0.0]], size=200)
    return DATA_SOURCES.get(name).build(config)


@pytest.mark.parametrize(("name", "kind"), EXPECTED.items())
def test_fixed_names_are_registered_with_their_kind(name: str, kind: str) -> None:
    assert DATA_SOURCES.get(name).kind == kind


@pytest.mark.parametrize("name", DATA_SOURCES.names())
def test_entry_is_complete(name: str) -> None:
    entry = DATA_SOURCES.get(name)
    assert isinstance(entry, DataSourceEntry)
    assert entry.name == name
    assert entry.kind in typing.get_args(DataKind)
    assert callable(entry.build)
    for text in (entry.title, entry.description):
        assert text
        assert text.strip() == text
        assert "\n" not in text
    assert entry.description.endswith(".")


def test_only_csv_and_folders_read_a_path() -> None:
    reading = {n for n, e in DATA_SOURCES.items() if e.reads_path}
    assert reading == {"csv_points", "image_folder", "pix2pix_folder", "unpaired_folder"}


def test_only_torchvision_sets_download() -> None:
    downloading = {n for n, e in DATA_SOURCES.items() if e.downloads}
    assert downloading == {"mnist", "fashion_mnist", "cifar10"}


@pytest.mark.parametrize("name", SELF_CONTAINED)
def test_self_contained_source_builds_and_samples_its_spec(name: str) -> None:
    src = _build(name)
    assert isinstance(src, DataSource)
    assert src.spec.kind == DATA_SOURCES.get(name).kind
    x, y = src.sample(16, torch.Generator().manual_seed(0))
    assert x.shape == (16, *src.spec.shape)
    assert x.dtype == torch.float32
    if src.spec.is_image or src.spec.is_translation:
        assert x.min().item() >= -1.0
        assert x.max().item() <= 1.0
    assert (y is None) == (src.spec.num_classes == 0)
    assert len(src.spec.class_names) == src.spec.num_classes


@pytest.mark.parametrize("name", SELF_CONTAINED)
def test_self_contained_source_summary_is_one_line(name: str) -> None:
    text = _build(name).summary()
    assert text
    assert "\n" not in text
    assert text != type(_build(name)).__name__


@pytest.mark.parametrize("name", SELF_CONTAINED)
def test_modes_when_set_match_the_spec(name: str) -> None:
    src = _build(name)
    if src.modes is None:
        assert src.mode_sigma is None
    else:
        assert src.modes.shape[1] == src.spec.dim
        assert src.mode_sigma > 0


def _imported_modules(tree: ast.Module, top_level_only: bool) -> set[str]:
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", sorted(Path(ganlab.data.__file__).parent.glob("*.py")))
def test_data_modules_never_import_qt(module: Path) -> None:
    used = _imported_modules(ast.parse(module.read_text()), top_level_only=False)
    assert not used & {"PySide6", "pyqtgraph", "PyQt5", "PyQt6"}


@pytest.mark.parametrize("module", sorted(Path(ganlab.data.__file__).parent.glob("*.py")))
def test_data_modules_import_torchvision_only_when_building(module: Path) -> None:
    """Importing ganlab.data (every registry lookup does) stays fast."""
    assert "torchvision" not in _imported_modules(ast.parse(module.read_text()), True)
