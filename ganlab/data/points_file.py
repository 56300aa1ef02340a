"""Reading a file of points (CSV as spreadsheets write it) into a table. No Qt, no torch.

Used by the ``csv_points`` source (:mod:`ganlab.data.points`, in the trainer process) and
by the window, which calls :func:`inspect_points_file` in the GUI thread to ask which
columns to use before a run starts: it imports only numpy, so the window never needs
torch for it.

Point files as spreadsheets write them
--------------------------------------
One point per line. The dialect is decided once for the whole file, never line by line:

* Encoding: UTF-8 with or without a byte-order mark; Windows-1252 when the file is not
  UTF-8 (the "CSV" of many Windows spreadsheets). Line ends ``\\n``, ``\\r\\n`` or ``\\r``;
  line numbers count them as an editor does. Blank lines and lines starting with ``#``
  are skipped (and still counted).
* Delimiter: a tab if any line has one, else ``;`` if any line has one, else ``,`` if
  any line has one (see the decimal-comma rules), else runs of spaces. Fields may be
  quoted (``"1,5";"2,3"``), as LibreOffice and Excel write them (RFC 4180).
* Decimal comma: with a tab, ``;`` or space delimiter, a comma inside a number
  (``0,53``) is a decimal comma, for the whole file. With no other delimiter, commas are
  ambiguous (``1,60`` is one number in a Spanish export, two in an English one). Rules:

  - when spaces separate the fields and every field is a number (``0,5 -1,25``), spaces
    are the delimiter and commas decimal commas;
  - a header with a single name (``x``) means one column, so its data's commas are
    decimal commas: ``x / 1,60 / 2,12`` is the 1-D values 1.60 and 2.12;
  - a header with several comma-separated names means the comma separates columns;
  - without a header the comma separates columns, as in RFC 4180: ``1,60`` is the point
    (1, 60). The source's summary (shown in the log and by the CLI) says how the file was
    read, so this reading is never silent; add a one-name header for decimal values.

  Digit grouping (``1.234,5``) is not read: such a value is a bad line.
* Header: the first non-blank line is a header when none of its fields is a number;
  its names can then pick columns. Otherwise every line is data.
* Columns: 1 column gives 1-D points, 2 columns 2-D points. A file with more columns
  needs ``data.columns`` (two 0-based indices or header names, or one for 1-D points);
  ``data.columns`` may also reorder or pick columns of any file. Trailing delimiters
  (``1,2,``) add no column.
* Bad lines: the file is refused, and the message lists EVERY bad line by number (the
  first ones with their content and what is wrong: not a number, not finite (``nan``,
  ``inf``), too large for float64 (``1e309``), a missing value, too many values), and how
  to fix the file. Nothing is dropped silently and no NaN reaches training. Values in
  columns that are not used are not checked.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ganlab.kernel.config import check_columns
from ganlab.kernel.errors import ConfigError, DataError
from ganlab.kernel.i18n import N_, _, ngettext

# Bad lines shown with their content in a refusal; the rest are listed by number only.
_SHOWN_BAD_LINES = 10
# A number written with a decimal comma: 0,53  -1,2e3  ,5
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$")
# Training runs in float32: a larger value would become inf there.
_FLOAT32_MAX = float(np.finfo(np.float32).max)
_DELIMITER_NAMES = {
    "\t": N_("tab-separated"),
    ";": N_("semicolon-separated"),
    ",": N_("comma-separated"),
    " ": N_("space-separated"),
}


@dataclass(frozen=True)
class PointsTable:
    """A point file read as a table of text fields, before columns are chosen.

    Attributes
    ----------
    path
        The file.
    names
        Header names, one per column, or None when the file has no header.
    columns
        Number of columns (the header's names, else the most common count per line).
    rows
        ``(line number, raw line, fields)`` per data line; ``fields`` is padded with
        empty strings to ``columns`` (a missing value) and may be longer (too many).
    delimiter
        ``"\\t"``, ``";"``, ``","`` or ``" "`` (runs of spaces).
    decimal_comma
        True when a comma in a number is the decimal separator.
    """

    path: Path
    names: list[str] | None
    columns: int
    rows: list[tuple[int, str, list[str]]]
    delimiter: str
    decimal_comma: bool

    def describe(self) -> str:
        """How the file was read, e.g. ``'2 columns, semicolon-separated, decimal comma'``."""
        parts = [
            ngettext("{count} column", "{count} columns", self.columns).format(count=self.columns)
        ]
        if self.columns > 1:
            parts.append(_(_DELIMITER_NAMES[self.delimiter]))
        parts.append(_("decimal comma") if self.decimal_comma else _("decimal point"))
        parts.append(
            _("header {names}").format(names=", ".join(self.names))
            if self.names
            else _("no header")
        )
        return ", ".join(parts)

    def column_labels(self) -> list[str]:
        """One label per column, numbered from 0 as in ``data.columns``: ``'0 (x)'``."""
        if self.names:
            return [f"{i} ({name})" for i, name in enumerate(self.names)]
        return [str(i) for i in range(self.columns)]


def inspect_points_file(path: str | Path) -> PointsTable:
    """Read a point file's dialect, header and rows (as text), without choosing columns.

    Parameters
    ----------
    path
        The file (CSV, TSV or text; see the module docstring for the dialects read).

    Returns
    -------
    PointsTable

    Raises
    ------
    DataError
        The file is missing, a folder, not text, or has no data lines.
    """
    path = Path(path)
    lines = _read_lines(path)
    content = [(n, line) for n, line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not content:
        raise DataError(_("CSV file {path} has no points (no numeric lines)").format(path=path))
    delimiter, decimal_comma, names = _dialect(content)
    first = 1 if names is not None else 0
    rows = [(n, line, _trimmed(_split(line, delimiter))) for n, line in content[first:]]
    if not rows:
        raise DataError(
            _("CSV file {path} has no points (no numeric lines), only a header").format(path=path)
        )
    if names is not None:
        columns = len(names)
    else:
        counts = Counter(len(fields) for _, _, fields in rows)
        columns = max(counts, key=lambda c: (counts[c], c))
    rows = [(n, line, fields + [""] * (columns - len(fields))) for n, line, fields in rows]
    return PointsTable(path, names, columns, rows, delimiter, decimal_comma)


def read_points_csv(path: str | Path, columns: list[int | str] | None = None) -> np.ndarray:
    """Read a file of points, as spreadsheets write them (module docstring: dialects).

    Parameters
    ----------
    path
        The file.
    columns
        The columns to use: one (1-D points) or two (2-D points), each a 0-based index or
        a header name (``data.columns``). None or empty: all columns, which must be 1 or 2.

    Returns
    -------
    numpy.ndarray
        float64 array (N, d), d = 1 or 2, every value finite.

    Raises
    ------
    DataError
        The file is unreadable or has no points; it has more than 2 columns and
        ``columns`` is empty; ``columns`` names a column the file lacks; or some lines are
        bad (the message lists every one by number, see the module docstring).
    """
    return points_of(inspect_points_file(path), columns)


def parse_columns_option(text: str, key: str = "--columns") -> list[int | str]:
    """``data.columns`` from a command-line value: ``"0,2"`` -> [0, 2], ``"x,z"`` -> names.

    Digits are 0-based column indices, anything else a header name; one value picks
    1-D points. Raises ConfigError naming ``key`` for an empty value, more than two
    values or a repeated one.
    """
    parts = [p.strip() for p in text.split(",")]
    if not text.strip() or any(not p for p in parts):
        raise ConfigError(
            _(
                "expected one or two columns separated by a comma, e.g. 0,2 or x,z; got {text}"
            ).format(text=repr(text)),
            key=key,
        )
    chosen: list[int | str] = [int(p) if p.isdigit() else p for p in parts]
    check_columns(chosen, key)
    return chosen


# --------------------------------------------------------------------------- reading


def _read_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, line) for every line; numbers count \\n, \\r\\n and \\r line ends."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(_("CSV file {path} does not exist").format(path=path)) from None
    except IsADirectoryError:
        raise DataError(
            _("{path} is a folder; data.path must name a CSV file of points").format(path=path)
        ) from None
    except OSError as exc:
        raise DataError(
            _("CSV file {path} cannot be read: {error}").format(
                path=path, error=exc.strerror or exc
            )
        ) from None
    if b"\x00" in raw:  # UTF-16 ("Unicode text") or binary
        raise DataError(
            _(
                "CSV file {path} is not a text file (UTF-8 expected); if a spreadsheet wrote "
                "it as 'Unicode text', save it as 'CSV UTF-8' instead"
            ).format(path=path)
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise DataError(
                _("CSV file {path} is not a text file (UTF-8 expected)").format(path=path)
            ) from None
    # str.splitlines would also split at \f, \v, \x1c-\x1e, \x85 and \u2028, which editors
    # do not count as line ends: line numbers would then be wrong.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return list(enumerate(text.split("\n"), start=1))


def _split(line: str, delimiter: str) -> list[str]:
    if delimiter == " ":
        return line.split()
    fields = next(csv.reader([line], delimiter=delimiter, skipinitialspace=True))
    return [f.strip() for f in fields]


def _trimmed(fields: list[str]) -> list[str]:
    """Without the empty fields that trailing delimiters leave (``1,2,``)."""
    end = len(fields)
    while end and not fields[end - 1]:
        end -= 1
    return fields[:end]


def _looks_numeric(field: str) -> bool:
    for candidate in (field, field.replace(",", ".")):
        try:
            float(candidate)
        except ValueError:
            continue
        return True
    return False


def _spaced_decimal_commas(lines: list[str]) -> bool:
    """Whether spaces separate numbers written with decimal commas (``0,5 -1,25``)."""
    tokens = [line.split() for line in lines]
    if tokens and not any(_looks_numeric(t) for t in tokens[0]):
        tokens = tokens[1:]  # a header
    spaced = any(len(t) > 1 for t in tokens)
    return spaced and all(_DECIMAL_COMMA.match(f) or _is_float(f) for t in tokens for f in t)


def _is_float(field: str) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True


def _dialect(content: list[tuple[int, str]]) -> tuple[str, bool, list[str] | None]:
    """(delimiter, decimal comma, header names or None) for the whole file."""
    lines = [line for _, line in content]
    if any("\t" in line for line in lines):
        delimiter = "\t"
    elif any(";" in line for line in lines):
        delimiter = ";"
    elif any("," in line for line in lines) and not _spaced_decimal_commas(lines):
        delimiter = ","
    else:
        delimiter = " "
    first = _trimmed(_split(lines[0], delimiter))
    has_header = bool(first) and not any(_looks_numeric(f) for f in first if f)
    if delimiter == "," and has_header and len(first) == 1:
        # One header name: one column, so the data's commas are decimal commas.
        delimiter = " "
        first = _trimmed(_split(lines[0], delimiter))
    data = lines[1:] if has_header else lines
    if delimiter == ",":  # a comma inside a field can only come from quotes: "1,5"
        decimal_comma = any("," in f for line in data for f in _split(line, ","))
    else:
        decimal_comma = any(
            _DECIMAL_COMMA.match(f) for line in data for f in _split(line, delimiter)
        )
    return delimiter, decimal_comma, first if has_header else None


def column_indices(table: PointsTable, columns: list[int | str] | None) -> list[int]:
    """The 0-based columns of ``table`` that ``columns`` (``data.columns``) picks.

    Raises
    ------
    DataError
        No columns given for a file of more than 2 columns, or a name or index that the
        file does not have (the message lists the file's columns).
    """
    path = table.path
    labels = _("columns {labels}").format(labels=", ".join(table.column_labels()))
    if not columns:
        if table.columns in (1, 2):
            return list(range(table.columns))
        raise DataError(
            _(
                "CSV file {path} has {count} columns ({labels}); points are 1-D "
                "(1 column) or 2-D (2 columns). Choose which with data.columns, e.g. "
                'data.columns = [0, 1] (0-based) or ["x", "y"] (header names), or '
                "'ganlab train ... --columns 0,1'; the window's Load points asks which"
            ).format(path=path, count=table.columns, labels=labels)
        )
    check_columns(columns)
    chosen: list[int] = []
    for c in columns:
        if isinstance(c, int):
            if c >= table.columns:
                raise DataError(
                    _(
                        "data.columns: column {column} does not exist in {path}, which has "
                        "{count} columns, numbered 0 to {last} ({labels})"
                    ).format(
                        column=c,
                        path=path,
                        count=table.columns,
                        last=table.columns - 1,
                        labels=labels,
                    )
                )
            chosen.append(c)
            continue
        if table.names is None:
            raise DataError(
                _(
                    "data.columns: {path} has no header, so name its columns by 0-based "
                    "number (0 to {last}), not {column}"
                ).format(path=path, last=table.columns - 1, column=repr(c))
            )
        folded = [n.strip().casefold() for n in table.names]
        if c.strip().casefold() not in folded:
            raise DataError(
                _(
                    "data.columns: {path} has no column named {column}; its header names: {names}"
                ).format(path=path, column=repr(c), names=", ".join(repr(n) for n in table.names))
            )
        chosen.append(folded.index(c.strip().casefold()))
    if len(set(chosen)) != len(chosen):
        raise DataError(
            _("data.columns: {columns} names the same column of {path} twice").format(
                columns=repr(columns), path=path
            )
        )
    return chosen


def _value(field: str, decimal_comma: bool) -> tuple[float | None, str]:
    """(value, "") or (None, what is wrong with the field)."""
    if not field:
        return None, _("a missing value")
    try:
        value = float(field.replace(",", ".") if decimal_comma else field)
    except ValueError:
        hint = "" if decimal_comma or "," not in field else _(" (decimal comma?)")
        return None, _("{field} is not a number{hint}").format(field=repr(field), hint=hint)
    if math.isnan(value) or (math.isinf(value) and "inf" in field.lower()):
        return None, _("{field} is not finite").format(field=repr(field))
    if math.isinf(value):
        return None, _("{field} is too large for a 64-bit float (limit 1.8e308)").format(
            field=repr(field)
        )
    if abs(value) > _FLOAT32_MAX:
        return None, _("{field} is too large for training in float32 (limit 3.4e38)").format(
            field=repr(field)
        )
    return value, ""


def points_of(table: PointsTable, columns: list[int | str] | None) -> np.ndarray:
    """The points of ``table`` in the chosen columns: float64 array (N, 1) or (N, 2).

    Raises
    ------
    DataError
        A bad column choice (see :func:`column_indices`), or any bad line (all named).
    """
    chosen = column_indices(table, columns)
    points: list[list[float]] = []
    bad: list[tuple[int, str, str]] = []
    for number, line, fields in table.rows:
        if len(fields) > table.columns:
            bad.append(
                (
                    number,
                    line,
                    _("{count} values where the file has {columns} columns").format(
                        count=len(fields), columns=table.columns
                    ),
                )
            )
            continue
        row: list[float] = []
        for i in chosen:
            value, problem = _value(fields[i], table.decimal_comma)
            if value is None:
                where = (
                    _("column {label}: ").format(label=table.column_labels()[i])
                    if table.columns > 1
                    else ""
                )
                bad.append((number, line, where + problem))
                break
            row.append(value)
        else:
            points.append(row)
    if bad:
        raise DataError(_bad_lines_message(table, bad))
    return np.asarray(points, dtype=np.float64)


def _bad_lines_message(table: PointsTable, bad: list[tuple[int, str, str]]) -> str:
    count = len(bad)
    shown = "; ".join(
        _("line {number}: {line}: {problem}").format(number=n, line=_show(line), problem=problem)
        for n, line, problem in bad[:_SHOWN_BAD_LINES]
    )
    more = (
        _("; and {count} more").format(count=count - _SHOWN_BAD_LINES)
        if count > _SHOWN_BAD_LINES
        else ""
    )
    return ngettext(
        "CSV file {path}: {count} bad line ({lines}), read as {reading}. "
        "{shown}{more}. Fix or delete these lines (every point needs a finite number in "
        "each column used), then load the file again",
        "CSV file {path}: {count} bad lines ({lines}), read as {reading}. "
        "{shown}{more}. Fix or delete these lines (every point needs a finite number in "
        "each column used), then load the file again",
        count,
    ).format(
        path=table.path,
        count=count,
        lines=_line_ranges([n for n, _line, _problem in bad]),
        reading=table.describe(),
        shown=shown,
        more=more,
    )


def _line_ranges(numbers: list[int]) -> str:
    """'line 4' or 'lines 2, 4-7, 9': every number, consecutive runs as ranges."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)
    return (_("lines {numbers}") if len(numbers) > 1 else _("line {numbers}")).format(numbers=text)


def _show(line: str) -> str:
    line = line.strip()
    return repr(line if len(line) <= 60 else line[:57] + "...")
