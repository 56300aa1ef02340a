"""Points from a CSV file (csv_points) and drawn points (drawn)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch

from ganlab.data.points import inspect_points_file, parse_columns_option, read_points_csv
from ganlab.kernel.config import DataConfig
from ganlab.kernel.errors import DataError
from ganlab.kernel.registry import DATA_SOURCES


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


def test_csv_with_three_columns_and_no_choice_asks_for_data_columns(tmp_path: Path) -> None:
    path = _csv(tmp_path, "a,b,c\n1,2,3\n")
    with pytest.raises(DataError, match=r"has 3 columns .*data\.columns") as err:
        _build_csv(path)
    assert str(path) in str(err.value)


def test_csv_with_ragged_rows_is_an_error_naming_the_line(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"points.csv: 1 bad line \(line 3\).*missing value"):
        _build_csv(_csv(tmp_path, "1,2\n3,4\n5\n"))


def test_csv_with_nan_is_an_error_naming_the_line(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"line 2: 'nan,4': .* not finite"):
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


# --------------------------------------------------------------------------- dialects


def _write(tmp_path: Path, text: str, *, bom: bool = False, crlf: bool = False) -> Path:
    if crlf:
        text = text.replace("\n", "\r\n")
    path = tmp_path / "points.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def _rows(values: list[list[float]], sep: str, decimal_comma: bool) -> list[str]:
    def fmt(v: float) -> str:
        text = repr(v)
        return text.replace(".", ",") if decimal_comma else text

    return [sep.join(fmt(v) for v in row) for row in values]


POINTS_1D = [[1.6], [2.12], [-0.5]]
POINTS_2D = [[0.53, -1.2], [2.25, 3.0], [-4.5, 0.125]]
POINTS_3D = [[0.5, 1.25, -2.0], [3.0, -0.75, 4.5], [1.0, 2.0, 3.0]]
# (delimiter, decimal comma): every pair a spreadsheet writes; a comma delimiter with a
# decimal comma needs quotes and is tested apart.
DIALECTS = [(",", False), (";", False), (";", True), ("\t", False), ("\t", True), (" ", False)]
DIALECTS += [(" ", True)]


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("bom", [False, True], ids=["nobom", "bom"])
@pytest.mark.parametrize("header", [False, True], ids=["noheader", "header"])
@pytest.mark.parametrize(("sep", "decimal_comma"), DIALECTS, ids=[repr(d) for d in DIALECTS])
def test_two_column_dialects_read_the_same_points(
    tmp_path: Path, sep: str, decimal_comma: bool, header: bool, bom: bool, crlf: bool
) -> None:
    lines = _rows(POINTS_2D, sep, decimal_comma)
    lines.insert(2, "")  # a blank line in the middle
    if header:
        lines.insert(0, sep.join(["x", "y"]))
    path = _write(tmp_path, "\n".join(lines) + "\n\n", bom=bom, crlf=crlf)
    np.testing.assert_array_equal(read_points_csv(path), POINTS_2D)


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("bom", [False, True], ids=["nobom", "bom"])
@pytest.mark.parametrize("decimal_comma", [False, True], ids=["point", "comma"])
def test_one_column_with_a_header_is_1d_even_with_decimal_commas(
    tmp_path: Path, decimal_comma: bool, bom: bool, crlf: bool
) -> None:
    path = _write(tmp_path, "\n".join(["x", *_rows(POINTS_1D, ",", decimal_comma)]), bom=bom)
    np.testing.assert_array_equal(read_points_csv(path), POINTS_1D)


def test_issue_spanish_one_column_export_gives_the_values_1_60_and_2_12(tmp_path: Path) -> None:
    np.testing.assert_array_equal(
        read_points_csv(_write(tmp_path, "x\n1,60\n2,12\n")), [[1.6], [2.12]]
    )


def test_issue_semicolon_export_with_decimal_commas_gives_2d_points(tmp_path: Path) -> None:
    path = _write(tmp_path, "x;y\n0,53;-1,20\n")
    np.testing.assert_array_equal(read_points_csv(path), [[0.53, -1.2]])


def test_ambiguous_comma_without_header_separates_columns(tmp_path: Path) -> None:
    # The documented rule: no header, so RFC 4180 applies and "1,60" is the point (1, 60).
    path = _write(tmp_path, "1,60\n2,12\n")
    np.testing.assert_array_equal(read_points_csv(path), [[1, 60], [2, 12]])
    src = _build_csv(path)
    assert "comma-separated" in src.summary()
    assert "no header" in src.summary()


def test_header_with_two_names_makes_the_comma_a_separator(tmp_path: Path) -> None:
    np.testing.assert_array_equal(read_points_csv(_write(tmp_path, "x,y\n1,60\n")), [[1, 60]])


def test_quoted_decimal_commas_in_a_comma_separated_file(tmp_path: Path) -> None:
    path = _write(tmp_path, '"x","y"\n"0,53","-1,2"\n"2,5","3"\n')
    np.testing.assert_array_equal(read_points_csv(path), [[0.53, -1.2], [2.5, 3.0]])


def test_windows_1252_header_is_read(tmp_path: Path) -> None:
    path = tmp_path / "points.csv"
    path.write_bytes("año;peso\r\n1,5;2\r\n".encode("cp1252"))
    np.testing.assert_array_equal(read_points_csv(path), [[1.5, 2.0]])


def test_utf16_file_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "points.csv"
    path.write_bytes("x\ty\r\n1\t2\r\n".encode("utf-16"))
    with pytest.raises(DataError, match="CSV UTF-8"):
        read_points_csv(path)


# --------------------------------------------------------------------------- columns


@pytest.mark.parametrize(("sep", "decimal_comma"), DIALECTS, ids=[repr(d) for d in DIALECTS])
@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ([0, 2], [[0.5, -2.0], [3.0, 4.5], [1.0, 3.0]]),
        ([2, 1], [[-2.0, 1.25], [4.5, -0.75], [3.0, 2.0]]),
        ([1], [[1.25], [-0.75], [2.0]]),
    ],
    ids=["0-2", "2-1", "1"],
)
def test_three_columns_by_index(
    tmp_path: Path, sep: str, decimal_comma: bool, columns: list, expected: list
) -> None:
    path = _write(tmp_path, "\n".join(_rows(POINTS_3D, sep, decimal_comma)))
    np.testing.assert_array_equal(read_points_csv(path, columns), expected)


def test_columns_by_header_name_ignore_case(tmp_path: Path) -> None:
    path = _write(tmp_path, "a;B;c\n1;2;3\n4;5;6\n")
    np.testing.assert_array_equal(read_points_csv(path, ["c", "b"]), [[3, 2], [6, 5]])


def test_data_columns_in_the_config_builds_a_2d_source(tmp_path: Path) -> None:
    src = _build_csv(_write(tmp_path, "t\tx\ty\n0\t1,5\t2\n1\t3\t4\n"), columns=["x", "y"])
    assert src.spec.kind == "toy2d"
    x, _ = src.sample(50, torch.Generator().manual_seed(0))
    assert {tuple(r) for r in x.tolist()} == {(1.5, 2.0), (3.0, 4.0)}
    assert "using columns 1 (x), 2 (y)" in src.summary()


@pytest.mark.parametrize(
    ("columns", "match"),
    [([3], r"column 3 does not exist .* 0 to 2"), (["z"], r"no column named 'z'.*'a', 'b', 'c'")],
)
def test_unknown_column_is_refused_naming_data_columns(tmp_path: Path, columns, match) -> None:
    path = _write(tmp_path, "a,b,c\n1,2,3\n")
    with pytest.raises(DataError, match=r"data\.columns: ") as err:
        read_points_csv(path, columns)
    assert re.search(match, str(err.value))


def test_column_name_without_header_asks_for_numbers(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"no header, so name its columns by 0-based number"):
        read_points_csv(_write(tmp_path, "1,2,3\n"), ["x", "y"])


def test_values_in_unused_columns_are_not_checked(tmp_path: Path) -> None:
    path = _write(tmp_path, "a;b;c\n1;2;nan\n3;4;\n")
    np.testing.assert_array_equal(read_points_csv(path, [0, 1]), [[1, 2], [3, 4]])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([0, 0], "two different columns"),
        ([0, 1, 2], "one column"),
        ([-1], "start at 0"),
        ([True], "must be a list"),
    ],
)
def test_bad_data_columns_in_a_file_names_the_key(value, message) -> None:
    from ganlab.kernel import config as cfg
    from ganlab.kernel.errors import ConfigError

    with pytest.raises(ConfigError, match=rf"exp.toml, key 'data.columns': .*{message}"):
        cfg.from_dict({"data": {"columns": value}}, "exp.toml")


@pytest.mark.parametrize(("text", "expected"), [("0,2", [0, 2]), ("x, z", ["x", "z"]), ("1", [1])])
def test_columns_option_parses_numbers_and_names(text: str, expected: list) -> None:
    assert parse_columns_option(text) == expected


@pytest.mark.parametrize("text", ["", "0,", "0,1,2", "x,x"])
def test_columns_option_refuses_bad_values_naming_the_option(text: str) -> None:
    from ganlab.kernel.errors import ConfigError

    with pytest.raises(ConfigError, match=r"option --columns"):
        parse_columns_option(text)


def test_inspect_reports_the_column_names_for_a_chooser(tmp_path: Path) -> None:
    table = inspect_points_file(_write(tmp_path, "\ufefft;x;y\n0;1,5;2\n"))
    assert table.columns == 3
    assert table.names == ["t", "x", "y"]
    assert table.decimal_comma


# --------------------------------------------------------------------------- bad lines

# Each bad line of the issue's kind, with what the message must say about it.
BAD_LINES = [
    ("nan,4", "'nan' is not finite"),
    ("1,inf", "'inf' is not finite"),
    ("1e309,2", "'1e309' is too large"),
    ("3,", "missing value"),
    ("1e39,2", "too large for training in float32"),
    ("1,2,3", "3 values where the file has 2 columns"),
    ("abc,2", "'abc' is not a number"),
]


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("bom", [False, True], ids=["nobom", "bom"])
def test_every_bad_line_is_listed_with_its_number_and_content(
    tmp_path: Path, bom: bool, crlf: bool
) -> None:
    # good lines, blank lines and a comment between the bad ones shift the numbering
    lines = ["x,y", "0,0"]
    expected: dict[int, tuple[str, str]] = {}
    for bad, reason in BAD_LINES:
        lines += ["", "# note", "1,1"]
        lines.append(bad)
        expected[len(lines)] = (bad, reason)
    path = _write(tmp_path, "\n".join(lines) + "\n", bom=bom, crlf=crlf)
    with pytest.raises(DataError) as err:
        read_points_csv(path)
    message = str(err.value)
    assert str(path) in message
    assert f"{len(BAD_LINES)} bad lines" in message
    for number, (content, reason) in expected.items():
        assert re.search(rf"line {number}: '{re.escape(content)}': [^;]*{reason}", message)
    assert "Fix or delete these lines" in message


def test_a_line_number_counts_lone_carriage_returns_and_form_feeds_as_an_editor_does(
    tmp_path: Path,
) -> None:
    path = tmp_path / "points.csv"
    path.write_bytes(b"1,2\r3,4\r5,\x0c6\rx,1\n")  # \x0c is not a line end for an editor
    with pytest.raises(DataError) as err:
        read_points_csv(path)
    assert "1 bad line (line 4)" in str(err.value)  # str.splitlines would say line 5


def test_many_bad_lines_are_all_numbered_as_ranges(tmp_path: Path) -> None:
    text = "x\n" + "nan\n" * 30 + "1\n" + "nan\n" * 2
    with pytest.raises(DataError) as err:
        read_points_csv(_write(tmp_path, text))
    assert "32 bad lines (lines 2-31, 33-34)" in str(err.value)
    assert "and 22 more" in str(err.value)


def test_first_line_with_a_number_is_data_not_a_header(tmp_path: Path) -> None:
    # "1,abc" is not silently taken for a header: it is reported
    with pytest.raises(DataError, match=r"line 1: '1,abc'"):
        read_points_csv(_write(tmp_path, "1,abc\n2,3\n"))
