"""TimelinePanel: the frame slider, the Live / Step N indicator, back to live, keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QPushButton, QVBoxLayout, QWidget

from ganlab.widgets.timeline import TimelineFrame, TimelinePanel


def frames(steps, segment=0, first_seq=0):
    return [TimelineFrame((0, first_seq + i), s, segment) for i, s in enumerate(steps)]


@pytest.fixture
def panel(qtbot):
    p = TimelinePanel()
    qtbot.addWidget(p)
    p.resize(900, 32)
    p.show()
    return p


def test_the_slider_has_one_position_per_frame_and_live_at_the_right_end(panel):
    panel.set_frames(frames([0, 10, 20, 40]))
    slider = panel.slider()
    assert (slider.minimum(), slider.maximum()) == (0, 4)
    assert slider.value() == 4
    assert panel.is_live()
    assert panel.indicator_text() == "Live"


def test_without_frames_the_slider_is_disabled_and_it_stays_live(panel):
    panel.set_frames([])
    assert not panel.slider().isEnabled()
    assert panel.is_live()


def test_moving_the_slider_asks_for_that_frame_and_says_its_step(qtbot, panel):
    panel.set_frames(frames([0, 10, 20, 40]))
    with qtbot.waitSignal(panel.frame_requested) as blocker:
        panel.slider().setValue(1)
    assert blocker.args == [(0, 1)]
    assert not panel.is_live()
    assert panel.selected().step == 10
    assert panel.indicator_text() == "Step 10"


def test_a_frame_of_another_segment_names_its_segment(qtbot, panel):
    panel.set_frames(frames([0, 10], segment=0) + frames([0, 5], segment=1, first_seq=2))
    panel.set_live_segment(1)
    panel.select((0, 1))
    assert panel.indicator_text() == "Step 10 · segment 0"
    panel.select((0, 3))
    assert panel.indicator_text() == "Step 5"


def test_a_frame_of_an_earlier_run_names_the_run(panel):
    panel.set_frames([TimelineFrame((0, 0), 300, 0, run="ring8-1"), *frames([300], first_seq=1)])
    panel.select((0, 0))
    assert panel.indicator_text() == "Step 300 · earlier run"
    assert "ring8-1" in panel._indicator.toolTip()


def test_back_to_live_is_offered_only_while_scrubbed_and_announces_live(qtbot, panel):
    panel.set_frames(frames([0, 10, 20]))
    assert not panel.live_action.isEnabled()
    panel.select((0, 0))
    assert panel.live_action.isEnabled()
    with qtbot.waitSignal(panel.live_requested):
        panel.live_action.trigger()
    assert panel.is_live()
    assert panel.slider().value() == 3
    assert panel.indicator_text() == "Live"
    assert not panel.live_action.isEnabled()


def test_the_button_goes_back_to_live(qtbot, panel):
    panel.set_frames(frames([0, 10, 20]))
    panel.select((0, 2))
    live = panel.findChild(QPushButton, "timeline-live")
    with qtbot.waitSignal(panel.live_requested):
        qtbot.mouseClick(live, Qt.MouseButton.LeftButton)
    assert panel.is_live()


def test_new_frames_keep_the_chosen_frame_and_do_not_move_to_live(qtbot, panel):
    panel.set_frames(frames([0, 10, 20]))
    panel.select((0, 1))
    with (
        qtbot.assertNotEmitted(panel.frame_requested),
        qtbot.assertNotEmitted(panel.live_requested),
    ):
        # Training goes on: frames appended, the oldest thinned away.
        panel.set_frames([f for f in frames([0, 10, 20, 30, 40]) if f.key != (0, 0)])
    assert panel.selected().key == (0, 1)
    assert panel.slider().value() == 0
    assert panel.slider().maximum() == 4


def test_a_thinned_away_frame_keeps_showing_with_the_handle_where_it_stood(qtbot, panel):
    panel.set_frames(frames([0, 10, 20, 30]))
    panel.select((0, 1))
    with qtbot.assertNotEmitted(panel.frame_requested):
        panel.set_frames([f for f in frames([0, 10, 20, 30]) if f.key != (0, 1)])
    assert panel.selected().step == 10
    assert panel.slider().value() == 1  # now the step-20 frame's place, the next to the right


def test_while_the_slider_is_held_new_frames_wait_for_the_release(panel):
    panel.set_frames(frames([0, 10, 20]))
    panel.slider().setSliderDown(True)
    panel.set_frames(frames([0, 10, 20, 30, 40]))
    assert panel.slider().maximum() == 3
    panel.slider().setSliderDown(False)
    panel.slider().sliderReleased.emit()
    assert panel.slider().maximum() == 5


def test_left_and_right_step_one_frame_even_under_a_window_s_right_shortcut(qtbot):
    """The window's Right is "Step": with the slider focused, the slider gets the key."""
    window = QMainWindow()
    qtbot.addWidget(window)
    step = QAction("Step", window)
    step.setShortcut(QKeySequence("Right"))
    window.addAction(step)
    panel = TimelinePanel()
    window.setCentralWidget(panel)
    with qtbot.waitExposed(window):
        window.show()
    panel.set_frames(frames([0, 10, 20, 30]))
    panel.select((0, 1))
    panel.slider().setFocus()
    with qtbot.assertNotEmitted(step.triggered):
        with qtbot.waitSignal(panel.frame_requested) as right:
            qtbot.keyClick(panel.slider(), Qt.Key.Key_Right)
        with qtbot.waitSignal(panel.frame_requested) as left:
            qtbot.keyClick(panel.slider(), Qt.Key.Key_Left)
    assert right.args == [(0, 2)]
    assert left.args == [(0, 1)]


def test_end_goes_back_to_live_from_anywhere_in_the_window(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    central = QWidget()
    column = QVBoxLayout(central)
    elsewhere = QPushButton("elsewhere")
    panel = TimelinePanel()
    column.addWidget(elsewhere)
    column.addWidget(panel)
    window.setCentralWidget(central)
    window.addAction(panel.live_action)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    panel.set_frames(frames([0, 10, 20]))
    panel.select((0, 0))
    elsewhere.setFocus()
    with qtbot.waitSignal(panel.live_requested):
        qtbot.keyClick(elsewhere, Qt.Key.Key_End)
    assert panel.is_live()


def test_show_live_returns_without_announcing(qtbot, panel):
    panel.set_frames(frames([0, 10]))
    panel.select((0, 0))
    with qtbot.assertNotEmitted(panel.live_requested):
        panel.show_live()
    assert panel.is_live()
    assert panel.slider().value() == 2


def test_choosing_the_frame_the_handle_already_stands_on_shows_it(qtbot, panel):
    panel.set_frames(frames([0, 10, 20, 30]))
    panel.select((0, 1))
    panel.set_frames([f for f in frames([0, 10, 20, 30]) if f.key != (0, 1)])
    assert panel.slider().value() == 1  # the step-20 frame's place
    with qtbot.waitSignal(panel.frame_requested) as chosen:
        assert panel.select((0, 2))
    assert chosen.args == [(0, 2)]
    assert panel.indicator_text() == "Step 20"


def test_scrubbing_does_not_change_the_width_the_row_asks_for(qtbot, panel):
    """A wider badge would widen the central view and push the window's docks aside."""
    panel.set_frames(
        [
            TimelineFrame((0, 0), 123456, 0, run="ring8-1"),
            *frames([0, 10], segment=0, first_seq=1),
            *frames([99999], segment=3, first_seq=3),
        ]
    )
    panel.set_live_segment(3)
    live = panel.minimumSizeHint().width()
    for key in ((0, 0), (0, 1), (0, 3)):
        panel.select(key)
        assert panel.minimumSizeHint().width() == live, panel.indicator_text()
        panel.layout().activate()  # room to spare: the whole text shows
        assert panel._indicator.width() >= panel._indicator.sizeHint().width()
