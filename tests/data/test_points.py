"""Points from a CSV file (csv_points) and drawn points (drawn)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from ganlab.core.config import DataConfig
from ganlab.core.errors import DataError
from ganlab.core.registry import DATA_SOURCES
from ganlab.data.points import read_points_csv


def _csv(tmp_path: Path, text: str, name: str = "points.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _build_csv(path: Path, **overrides):
    return DATA_SOURCES.get("csv_points").build(
        DataConfig(source="csv_points", path=str(path), **overrides)
    )


def _build_drawn(points, **overrides):
    return DATA_SOURCES.get("drawn").build(DataConfig(source="drawn", points=points, **overrides))


# --------------------------------------------------------------------------- CSV


def test_csv_with_header_and_two_columns_is_2d(tmp_path: Path) -> None:
    src = _build_csv(_csv(tmp_path, "x,y\n1.0,2.0\n3.5,-4\n"))
    assert src.spec.kind == "toy2d"
    assert src.spec.shape == (2,)


def test_csv_samples_without_sigma_are_rows_of_the_file(tmp_path: Path) -> None:
    src = _build_csv(_csv(tmp_path, "x,y\n1.0,2.0\n3.5,-4\n0,0\n"))
    x, labels = src.sample(200, torch.Generator().manual_seed(0))
    rows = {(1.0, 2.0), (3.5, -4.0), (0.0, 0.0)}
    assert {tuple(r) for r in x.tolist()} == rows
    assert labels is None


def test_csv_with_one_column_is_1d(tmp_path: Path) -> None:
    src = _build_csv(_csv(tmp_path, "0.5\n1.5\n2.5\n"))
    x, _ = src.sample(10, torch.Generator().manual_seed(0))
    assert src.spec.kind == "toy1d"
    assert x.shape == (10, 1)


def test_csv_without_header_keeps_its_first_row(tmp_path: Path) -> None:
    points = read_points_csv(_csv(tmp_path, "7,8\n1,2\n"))
    np.testing.assert_array_equal(points, [[7, 8], [1, 2]])


@pytest.mark.parametrize(
    "text",
    ["1;2\n3;4\n", "1\t2\n3\t4\n", "1 2\n3  4\n", "1,2,\n3,4,\n", "# comment\n\n1,2\n\n3,4\n"],
    ids=["semicolons", "tabs", "spaces", "trailing-commas", "comments-and-blanks"],
)
def test_csv_accepts_common_separators_and_blank_lines(tmp_path: Path, text: str) -> None:
    np.testing.assert_array_equal(read_points_csv(_csv(tmp_path, text)), [[1, 2], [3, 4]])


def test_csv_non_numeric_row_after_header_names_file_and_line(tmp_path: Path) -> None:
    path = _csv(tmp_path, "x,y\n1,2\nthree,4\n")
    with pytest.raises(DataError) as err:
        _build_csv(path)
    assert str(path) in str(err.value)
    assert "line 3" in str(err.value)
    assert "three" in str(err.value)


def test_csv_with_three_columns_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = _csv(tmp_path, "a,b,c\n1,2,3\n")
    with pytest.raises(DataError, match=r"line 2: 3 columns"):
        _build_csv(path)


def test_csv_with_ragged_rows_is_an_error_naming_the_line(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"points.csv, line 3: 1 columns"):
        _build_csv(_csv(tmp_path, "1,2\n3,4\n5\n"))


def test_csv_with_nan_is_an_error_naming_the_line(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"line 2: .* not finite"):
        _build_csv(_csv(tmp_path, "1,2\nnan,4\n"))


@pytest.mark.parametrize("text", ["", "x,y\n", "\n\n# only a comment\n"])
def test_csv_without_points_is_an_error(tmp_path: Path, text: str) -> None:
    path = _csv(tmp_path, text)
    with pytest.raises(DataError, match="no points") as err:
        _build_csv(path)
    assert str(path) in str(err.value)


def test_csv_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    with pytest.raises(DataError, match="does not exist") as err:
        _build_csv(path)
    assert str(path) in str(err.value)


def test_csv_that_is_a_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="is a folder"):
        _build_csv(tmp_path)


def test_csv_binary_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "points.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\x90garbage")
    with pytest.raises(DataError, match="not a text file"):
        _build_csv(path)


def test_csv_empty_path_asks_for_a_file() -> None:
    with pytest.raises(DataError, match=r"data\.path is empty"):
        DATA_SOURCES.get("csv_points").build(DataConfig(source="csv_points"))


def test_csv_source_has_no_density(tmp_path: Path) -> None:
    assert _build_csv(_csv(tmp_path, "1,2\n3,4\n")).density(np.zeros((3, 2))) is None


def test_csv_bounds_contain_every_point(tmp_path: Path) -> None:
    src = _build_csv(_csv(tmp_path, "0,100\n10,300\n"))
    (xlo, xhi), (ylo, yhi) = src.spec.bounds
    assert xlo < 0
    assert xhi > 10
    assert ylo < 100
    assert yhi > 300


def test_csv_positive_sigma_adds_noise_of_that_size(tmp_path: Path) -> None:
    src = _build_csv(_csv(tmp_path, "1,1\n"), sigma=0.3)
    x, _ = src.sample(20_000, torch.Generator().manual_seed(0))
    assert (x - 1.0).std().item() == pytest.approx(0.3, rel=0.05)


def test_csv_entry_reads_path_and_is_listed_as_2d() -> None:
    entry = DATA_SOURCES.get("csv_points")
    assert entry.reads_path
    assert entry.kind == "toy2d"


# --------------------------------------------------------------------------- drawn


def test_drawn_without_points_asks_to_draw_first() -> None:
    with pytest.raises(DataError, match="draw some points"):
        _build_drawn([])


def test_drawn_samples_are_anchors_plus_noise_of_sigma_005() -> None:
    anchors = [[0.0, 0.0], [1.0, -1.0], [0.5, 0.5]]
    src = _build_drawn(anchors)
    x, y = src.sample(30_000, torch.Generator().manual_seed(0))
    offsets = x - torch.tensor(anchors)[y]
    assert offsets.std().item() == pytest.approx(0.05, rel=0.05)
    assert offsets.mean().abs().max().item() < 0.005


def test_drawn_labels_each_anchor_as_a_class() -> None:
    src = _build_drawn([[0.0, 0.0], [1.0, 1.0]])
    _, y = src.sample(1000, torch.Generator().manual_seed(0))
    assert src.spec.num_classes == 2
    assert set(y.tolist()) == {0, 1}


def test_drawn_positive_sigma_sets_the_noise() -> None:
    src = _build_drawn([[0.0, 0.0]], sigma=0.2)
    x, _ = src.sample(20_000, torch.Generator().manual_seed(0))
    assert x.std().item() == pytest.approx(0.2, rel=0.05)


def test_drawn_bounds_grow_to_contain_far_points() -> None:
    src = _build_drawn([[3.0, -2.0]])
    (lo, hi), _ = src.spec.bounds
    assert lo < -3.2
    assert hi > 3.2


def test_drawn_density_is_highest_at_an_anchor() -> None:
    src = _build_drawn([[0.5, 0.5]])
    d = src.density(np.array([[0.5, 0.5], [0.6, 0.5], [1.5, 1.5]]))
    assert d[0] > d[1] > d[2]
