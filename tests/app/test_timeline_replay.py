"""The window's timeline replay (ganlab.app.timeline) on every panel of the routing
table: which panel is set up, with what, and what going live restores. Spy panels stand
in for the real ones (those speak the same protocol: tests/app/test_panels.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QStackedWidget, QWidget

from ganlab.app.panels import PANELS
from ganlab.app.timeline import Timeline
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.history import HistoryWriter
from ganlab.widgets.timeline import TimelinePanel
from tests.conftest import tiny_config

DATA_KIND = {"style": "image", "paired": "image", "unpaired": "image"}


class SpyPanel(QWidget):
    """Records the DataPanel calls it gets, by name (snapshots by step)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, object]] = []

    def clear(self) -> None:
        self.calls.append(("clear", None))

    def show_segment(self, info, family) -> None:
        self.calls.append(("show_segment", (info.segment, family.name)))

    def show_real(self, info) -> None:
        self.calls.append(("show_real", info.segment))

    def show_snapshot(self, snapshot) -> None:
        self.calls.append(("show_snapshot", snapshot.step))

    def set_output_kind(self, kind: str) -> None:
        self.calls.append(("set_output_kind", kind))


class SpyCursor:
    def __init__(self) -> None:
        self.step: int | None = None

    def set_cursor(self, step: int | None) -> None:
        self.step = step


@dataclass
class FakeSession:
    info: rep.SegmentStarted | None = None


@dataclass
class FakeController:
    last_run_dir: Path | None = None
    session: FakeSession = field(default_factory=FakeSession)


def segment(n: int, key: str) -> rep.SegmentStarted:
    return rep.SegmentStarted(
        segment=n,
        step=0,
        config_toml=cfg.dumps(tiny_config()),
        data_kind=DATA_KIND.get(key, key),
        data_shape=(2,),
        class_names=(),
        bounds=None,
        output_kind="probability",
        device="cpu",
        param_counts={"g": 1, "d": 1},
        layer_names={"g": (), "d": ()},
        data_summary="",
        real=np.zeros((4, 2), dtype=np.float32),
        real_labels=None,
        real_density=None,
        panel=key if key in DATA_KIND else "",
    )


def snapshot(n: int, step: int, key: str) -> rep.PanelSnapshot:
    return rep.PanelSnapshot(n, step, key, {"x": np.full((2, 2), step, dtype=np.float32)})


@pytest.fixture
def replay(qtbot, tmp_path):
    """One segment per panel key, one kept frame each (step 10 * segment + 5); the live
    segment is a toy2d one after them."""
    writer = HistoryWriter(tmp_path, every_s=0.0)
    for n, key in enumerate(PANELS):
        writer.segment(segment(n, key))
        writer.add(snapshot(n, 10 * n + 5, key))
    panels = {key: SpyPanel() for key in PANELS}
    views = QStackedWidget()
    for panel in panels.values():
        views.addWidget(panel)
    qtbot.addWidget(views)
    timeline_panel = TimelinePanel()
    qtbot.addWidget(timeline_panel)
    live = segment(len(PANELS), "toy2d")
    controller = FakeController(tmp_path, FakeSession(live))
    cursors = (SpyCursor(), SpyCursor())
    timeline = Timeline(timeline_panel, controller, panels, views, cursors)  # type: ignore[arg-type]
    timeline.segment_started(live)
    return timeline, panels, views, cursors


@pytest.mark.parametrize("key", list(PANELS))
def test_a_kept_frame_is_replayed_into_its_own_panel_set_up_for_its_segment(replay, key):
    timeline, panels, views, cursors = replay
    n = list(PANELS).index(key)
    frame = timeline.panel.frames()[n]
    assert timeline.panel.select(frame.key)
    timeline.tick()
    assert views.currentWidget() is panels[key]
    assert panels[key].calls == [
        ("clear", None),
        ("show_segment", (n, "mlp")),
        ("show_real", n),
        ("show_snapshot", 10 * n + 5),
    ]
    assert [c.step for c in cursors] == [10 * n + 5, 10 * n + 5]
    assert timeline.shown_frame().step == 10 * n + 5


def test_frames_of_one_segment_only_redraw_the_snapshot(replay, tmp_path):
    timeline, panels, _views, _cursors = replay
    writer = HistoryWriter(tmp_path, every_s=0.0)
    writer.add(snapshot(len(PANELS) - 1, 99, "style"))
    timeline.rescan()
    *_, same_segment, newest = timeline.panel.frames()
    timeline.panel.select(same_segment.key)
    timeline.tick()
    timeline.panel.select(newest.key)
    timeline.tick()
    assert [name for name, _ in panels["style"].calls] == [
        "clear",
        "show_segment",
        "show_real",
        "show_snapshot",
        "show_snapshot",
    ]


def test_a_fast_drag_draws_only_the_last_frame_asked_for(replay):
    timeline, panels, _views, _cursors = replay
    for frame in timeline.panel.frames()[:3]:
        timeline.panel.select(frame.key)
    timeline.tick()
    assert panels["toy2d"].calls == []
    assert panels["toy1d"].calls == []
    assert ("show_snapshot", 25) in panels["image"].calls


def test_live_snapshots_are_held_while_scrubbed_and_the_newest_drawn_on_live(replay):
    timeline, panels, views, cursors = replay
    assert timeline.take_live(snapshot(len(PANELS), 500, "toy2d"))  # live: draw it
    timeline.panel.select(timeline.panel.frames()[2].key)
    timeline.tick()
    assert not timeline.take_live(snapshot(len(PANELS), 510, "toy2d"))
    assert not timeline.take_live(snapshot(len(PANELS), 520, "toy2d"))
    assert views.currentWidget() is panels["image"]
    timeline.panel.live_action.trigger()
    timeline.tick()
    assert views.currentWidget() is panels["toy2d"]
    assert panels["toy2d"].calls == [
        ("clear", None),
        ("show_segment", (len(PANELS), "mlp")),
        ("show_real", len(PANELS)),
        ("show_snapshot", 520),
    ]
    assert [c.step for c in cursors] == [None, None]
    assert timeline.shown_frame() is None


def test_a_live_loss_change_is_restored_on_live(replay):
    timeline, panels, _views, _cursors = replay
    timeline.set_output_kind("score")
    timeline.panel.select(timeline.panel.frames()[1].key)
    timeline.tick()
    timeline.panel.live_action.trigger()
    timeline.tick()
    assert ("set_output_kind", "score") in panels["toy2d"].calls


def test_a_new_segment_returns_to_live(qtbot, replay):
    timeline, _panels, _views, cursors = replay
    timeline.panel.select(timeline.panel.frames()[1].key)
    timeline.tick()
    with qtbot.waitSignal(timeline.frame_shown) as shown:
        timeline.segment_started(segment(len(PANELS) + 1, "toy2d"))
    assert shown.args == [None]
    assert timeline.panel.is_live()
    assert [c.step for c in cursors] == [None, None]


def test_a_frame_thinned_away_meanwhile_draws_nothing_and_is_dropped(replay, tmp_path):
    timeline, panels, _views, _cursors = replay
    frame = timeline.panel.frames()[1]
    # The trainer's writer drops it after the list was read.
    next((tmp_path / "history").glob("frame_00000001_*")).unlink()
    timeline.panel.select(frame.key)
    timeline.tick()
    assert panels["toy1d"].calls == []
    assert frame.key not in [f.key for f in timeline.panel.frames()]


def test_a_past_run_is_listed_first_under_its_name(qtbot, tmp_path):
    past = tmp_path / "ring8-past"
    writer = HistoryWriter(past, every_s=0.0)
    writer.segment(segment(0, "toy2d"))
    writer.add(snapshot(0, 300, "toy2d"))
    live = tmp_path / "live"
    HistoryWriter(live, every_s=0.0).segment(segment(0, "toy2d"))
    HistoryWriter(live, every_s=0.0).add(snapshot(0, 300, "toy2d"))
    panel = TimelinePanel()
    qtbot.addWidget(panel)
    views = QStackedWidget()
    qtbot.addWidget(views)
    timeline = Timeline(panel, FakeController(live), {}, views, ())  # type: ignore[arg-type]
    timeline.add_past_run(past)
    assert [(f.step, f.run) for f in panel.frames()] == [(300, "ring8-past"), (300, "")]


def test_going_live_at_once_draws_the_held_snapshot_and_only_when_scrubbed(qtbot, replay):
    """What the window does before a panel asks the current G something (a sketch, a
    style mixing): the answer must not land on a kept frame."""
    timeline, panels, views, cursors = replay
    timeline.take_live(snapshot(len(PANELS), 500, "toy2d"))
    assert not timeline.go_live()  # live already: nothing to do
    timeline.panel.select(timeline.panel.frames()[3].key)
    timeline.tick()
    assert views.currentWidget() is not panels["toy2d"]
    timeline.take_live(snapshot(len(PANELS), 510, "toy2d"))
    with qtbot.waitSignal(timeline.frame_shown) as shown:
        assert timeline.go_live()
    assert shown.args == [None]
    assert timeline.panel.is_live()
    assert views.currentWidget() is panels["toy2d"]
    assert panels["toy2d"].calls[-1] == ("show_snapshot", 510)
    assert [c.step for c in cursors] == [None, None]
    calls = len(panels["toy2d"].calls)
    timeline.tick()  # nothing pending: no second drawing
    assert len(panels["toy2d"].calls) == calls
