"""The run history: log-spaced bounds (a property test over run lengths), the file format
round trip, the writer's pace, bounds on disk and resume, and the reader's answers to
files that vanish or are broken."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganlab.kernel import reports as rep
from ganlab.kernel.history import (
    DECODED_KEPT,
    History,
    HistoryError,
    HistoryWriter,
    decode_report,
    encode_report,
    history_note,
    thin,
)


def _kept_after(length: int, capacity: int) -> list[int]:
    """The positions kept after ``length`` frames arrived one by one."""
    kept: list[int] = []
    for position in range(length):
        kept.append(position)
        drop = set(thin(kept, capacity))
        kept = [k for i, k in enumerate(kept) if i not in drop]
    return kept


@settings(max_examples=40, deadline=None)
@given(length=st.integers(1, 2500), capacity=st.integers(4, 64))
def test_history_is_bounded_and_log_spaced_for_any_run_length(length, capacity):
    kept = _kept_after(length, capacity)
    assert len(kept) == min(length, capacity)
    assert kept == sorted(set(kept))
    assert kept[0] == 0, "the run's first frame is always kept"
    assert kept[-1] == length - 1, "and its newest"
    now = length - 1
    ages = [now - k for k in kept]
    if capacity >= 2 * math.log2(max(length, 2)) + 2:
        # The whole life: every octave of age [a, 2a] holds a frame...
        a = 1
        while 2 * a <= now:
            assert any(a <= age <= 2 * a for age in ages), (length, capacity, a)
            a *= 2
    if length > 2 * capacity:
        # ...and denser recently: more frames in the newer half of the run than the older.
        newer = sum(age < now / 2 for age in ages)
        assert newer > len(ages) - newer


def test_an_hour_at_one_frame_a_second_keeps_hundreds_from_the_whole_run():
    kept = _kept_after(3600, 400)
    assert len(kept) == 400
    assert sum(k < 1800 for k in kept) >= 40  # the first half hour is still there
    assert kept[-60:] == list(range(3540, 3600))  # the last minute, every second


def test_thin_refuses_a_capacity_below_two():
    with pytest.raises(ValueError, match="at least 2"):
        thin([0, 1, 2], 1)


def _segment(segment=0, step=0):
    return rep.SegmentStarted(
        segment,
        step,
        config_toml='[model]\nfamily = "mlp"\n',
        data_kind="toy2d",
        data_shape=(2,),
        class_names=("a", "b"),
        bounds=((-2.0, 2.0), (-1.5, 1.5)),
        output_kind="probability",
        device="CPU",
        param_counts={"g": 10, "d": 12},
        layer_names={"g": ("fc1", "fc2"), "d": ("fc1",)},
        data_summary="8 modes",
        real=np.arange(8, dtype=np.float32).reshape(4, 2),
        real_labels=None,
        real_density=np.ones((3, 3), np.float32),
        grid_axes=(np.linspace(-2, 2, 3), np.linspace(-1.5, 1.5, 3)),
        fixed_z=np.zeros((4, 2), np.float32),
        panel="toy2d",
    )


def _toy(step, segment=0):
    rng = np.random.default_rng(step)
    return rep.ToySnapshot(
        segment,
        step,
        fake=rng.normal(size=(16, 2)).astype(np.float32),
        fake_labels=None,
        fake_motion=rng.normal(size=(16, 2)).astype(np.float32),
        field=rng.random((5, 5)).astype(np.float32),
        manifold=rng.random((3, 3, 2)).astype(np.float32),
    )


def _assert_same(a, b):
    assert type(a) is type(b)
    for name, value in vars(a).items():
        other = getattr(b, name)
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, other)
            assert value.dtype == other.dtype
        elif (
            isinstance(value, dict) and value and isinstance(next(iter(value.values())), np.ndarray)
        ):
            assert value.keys() == other.keys()
            for key in value:
                np.testing.assert_array_equal(value[key], other[key])
        elif isinstance(value, tuple) and value and isinstance(value[0], np.ndarray):
            assert len(value) == len(other)
            for x, y in zip(value, other, strict=True):
                np.testing.assert_array_equal(x, y)
        else:
            assert value == other, name


@pytest.mark.parametrize(
    "report",
    [
        _segment(),
        _toy(7),
        rep.ImageSnapshot(
            1,
            30,
            fake=np.arange(2 * 4 * 4 * 3, dtype=np.uint8).reshape(2, 4, 4, 3),
            fake_labels=np.array([0, 1]),
            d_real=np.array([0.9, 0.8], np.float32),
            d_fake=np.array([0.1, 0.2], np.float32),
            fake_projection=np.zeros((2, 2), np.float32),
        ),
        rep.PanelSnapshot(
            2,
            5,
            "style",
            {"samples": np.ones((2, 4, 4, 3), np.uint8), "mixing": np.zeros((3, 3), np.uint8)},
            {"ppl_z": 1.5, "ppl_w": 0.5},
        ),
    ],
    ids=["segment", "toy", "image", "panel"],
)
def test_every_kind_a_history_holds_comes_back_the_same(report):
    _assert_same(decode_report(encode_report(report)), report)


def test_a_broken_file_is_a_history_error_and_other_reports_are_refused():
    with pytest.raises(HistoryError):
        decode_report(b"PK\x03\x04 not a zip at all")
    with pytest.raises(TypeError, match="no LogMessage"):
        encode_report(rep.LogMessage(0, "hi"))


class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_the_writer_keeps_one_frame_a_second_and_the_last_state(tmp_path):
    clock = _Clock()
    writer = HistoryWriter(tmp_path, every_s=1.0, clock=clock)
    writer.segment(_segment())
    assert writer.add(_toy(1)) is True  # a segment's first frame at once
    clock.now = 0.5
    assert writer.add(_toy(2)) is False  # too soon: held
    clock.now = 0.9
    assert writer.add(_toy(3)) is False  # the newer one is held instead
    clock.now = 1.2
    assert writer.add(_toy(4)) is True
    clock.now = 1.3
    writer.add(_toy(5))
    writer.close()  # the run ends: its last state is kept
    assert [f.step for f in History(tmp_path).frames()] == [1, 4, 5]
    # The same state again (a paused window) is not a new frame.
    writer.add(_toy(5))
    writer.close()
    assert len(History(tmp_path).frames()) == 3


def test_the_writer_bounds_frames_and_bytes_and_drops_unused_segments(tmp_path):
    clock = _Clock()
    writer = HistoryWriter(tmp_path, capacity=10, every_s=0.0, clock=clock)
    writer.segment(_segment(0))
    for step in range(20):
        writer.add(_toy(step, 0))
    writer.segment(_segment(1))
    for step in range(40):
        writer.add(_toy(step, 1))
    frames = History(tmp_path).frames()
    assert len(frames) == 10 == len(writer.frames)
    assert frames[0].segment == 0
    assert frames[0].step == 0
    assert frames[-1].segment == 1
    assert frames[-1].step == 39
    one = frames[-1].path.stat().st_size
    small = HistoryWriter(tmp_path / "small", max_bytes=int(one * 3.5), every_s=0.0)
    small.segment(_segment(0))
    for step in range(12):
        small.add(_toy(step))
    assert len(small.frames) == 3
    assert sum(f.path.stat().st_size for f in small.frames) <= one * 3.5
    # Segment 1's frames all thinned away: its set-up goes too; the first and the
    # current segment's stay.
    writer2 = HistoryWriter(tmp_path / "segs", capacity=3, every_s=0.0)
    writer2.segment(_segment(0))
    writer2.add(_toy(0, 0))
    writer2.segment(_segment(1))
    writer2.add(_toy(1, 1))
    writer2.segment(_segment(2))
    for step in range(2, 8):
        writer2.add(_toy(step, 2))
    history = History(tmp_path / "segs")
    assert [f.segment for f in history.frames()] == [0, 2, 2]
    assert history.segment(0) is not None
    assert history.segment(1) is None
    assert history.segment(2) is not None


def test_a_resumed_writer_continues_the_same_history(tmp_path):
    first = HistoryWriter(tmp_path, every_s=0.0)
    first.segment(_segment(0))
    for step in range(3):
        first.add(_toy(step))
    again = HistoryWriter(tmp_path, every_s=0.0)
    again.segment(_segment(1, step=2))
    again.add(_toy(3, 1))
    frames = History(tmp_path).frames()
    assert [(f.seq, f.segment, f.step) for f in frames] == [
        (0, 0, 0),
        (1, 0, 1),
        (2, 0, 2),
        (3, 1, 3),
    ]


def test_the_reader_answers_frames_gone_broken_and_nearest(tmp_path):
    writer = HistoryWriter(tmp_path, every_s=0.0)
    writer.segment(_segment())
    for step in (0, 10, 20, 30, 40, 50):
        writer.add(_toy(step))
    history = History(tmp_path)
    frames = history.frames()
    _assert_same(history.load(frames[2]), _toy(20))
    _assert_same(history.segment(0), _segment())
    assert history.nearest(24).step == 20
    assert history.nearest(25).step == 30  # a tie: the later one
    frames[3].path.unlink()  # thinned away by the writer meanwhile
    assert history.load(frames[3]) is None
    frames[4].path.write_bytes(b"garbage")
    assert history.load(frames[4]) is None
    assert history.unreadable == [frames[4].path]
    for frame in frames:
        history.load(frame)
    assert len(history._decoded) <= DECODED_KEPT
    assert history.segment(7) is None


def test_a_run_without_frames_says_so(tmp_path):
    assert History(tmp_path).frames() == []
    assert "CSV" in history_note(tmp_path)
    writer = HistoryWriter(tmp_path)
    writer.segment(_segment())
    writer.add(_toy(1))
    assert history_note(tmp_path) is None
