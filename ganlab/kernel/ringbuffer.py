"""A fixed-capacity numpy ring buffer for curve histories. No Qt, no torch.

Owned by the GUI thread (the controller appends each ScalarBatch; the refresh timer reads).
Appending is O(batch): the storage is twice the capacity, so the newest ``capacity`` rows
are always one contiguous slice and reading never copies more than asked for.
"""

from __future__ import annotations

import numpy as np


class RingBuffer:
    """The newest ``capacity`` rows of a stream of fixed-width rows.

    Parameters
    ----------
    capacity
        Rows kept.
    width
        Values per row (0 for a stream of scalars: rows are then plain numbers).
    dtype
        Storage type.
    """

    def __init__(self, capacity: int, width: int = 0, dtype: type = np.float64):
        if capacity <= 0:
            raise ValueError("capacity must be positive")
        self.capacity = capacity
        shape = (2 * capacity,) if width == 0 else (2 * capacity, width)
        fill = np.nan if np.dtype(dtype).kind == "f" else 0
        self._data: np.ndarray = np.full(shape, fill, dtype=dtype)
        self._start = 0  # first valid row in _data
        self._end = 0  # one past the last valid row
        self.total = 0  # rows ever appended

    def __len__(self) -> int:
        return self._end - self._start

    def append(self, rows: np.ndarray) -> None:
        """Append rows (shape (n,) or (n, width)); the oldest fall out past capacity."""
        rows = np.asarray(rows)
        n = len(rows)
        if n == 0:
            return
        self.total += n
        if n >= self.capacity:
            self._data[: self.capacity] = rows[-self.capacity :]
            self._start, self._end = 0, self.capacity
            return
        if self._end + n > len(self._data):
            keep = min(len(self), self.capacity - n)
            self._data[:keep] = self._data[self._end - keep : self._end]
            self._start, self._end = 0, keep
        self._data[self._end : self._end + n] = rows
        self._end += n
        if len(self) > self.capacity:
            self._start = self._end - self.capacity

    def view(self) -> np.ndarray:
        """The stored rows, oldest first (a read-only view; copy it to keep it)."""
        out = self._data[self._start : self._end]
        out.flags.writeable = False
        return out

    def clear(self) -> None:
        self._start = self._end = 0
        self.total = 0
