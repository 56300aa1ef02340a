"""RingBuffer keeps exactly the newest rows, in order, whatever the append sizes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganlab.kernel.ringbuffer import RingBuffer


@settings(max_examples=200, deadline=None)
@given(
    capacity=st.integers(1, 50),
    sizes=st.lists(st.integers(0, 80), max_size=30),
    width=st.sampled_from([0, 3]),
)
def test_keeps_the_newest_rows_in_order(capacity, sizes, width):
    buf = RingBuffer(capacity, width)
    stream = []
    counter = 0
    for n in sizes:
        rows = np.arange(counter, counter + n, dtype=float)
        if width:
            rows = np.repeat(rows[:, None], width, axis=1)
        counter += n
        stream.extend(rows)
        buf.append(rows)
    expected = (
        np.array(stream[-capacity:]) if stream else np.empty((0,) if not width else (0, width))
    )
    assert np.array_equal(buf.view(), expected.reshape(buf.view().shape))
    assert buf.total == counter


def test_view_is_read_only():
    buf = RingBuffer(4)
    buf.append(np.ones(3))
    with pytest.raises(ValueError, match="read-only"):
        buf.view()[0] = 5


def test_clear_empties():
    buf = RingBuffer(4)
    buf.append(np.ones(3))
    buf.clear()
    assert len(buf) == 0
