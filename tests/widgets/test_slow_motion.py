"""SlowMotionPanel: highlights the stage and the network it is told, explains it, and
emits the start and speed intents."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from ganlab.widgets.slow_motion import SlowMotionPanel

STAGE_COUNT = 6


@pytest.fixture
def panel(qtbot):
    widget = SlowMotionPanel()
    qtbot.addWidget(widget)
    return widget


def child(panel: SlowMotionPanel, name: str) -> QWidget:
    widget = panel.findChild(QWidget, name)
    assert widget is not None, name
    return widget


def stage_states(panel: SlowMotionPanel) -> list[str]:
    return [child(panel, f"stage_{i}").property("state") for i in range(STAGE_COUNT)]


def test_the_stages_are_the_six_named_sub_steps(panel):
    assert len(SlowMotionPanel.STAGES) == STAGE_COUNT
    texts = [child(panel, f"stage_{i}").text() for i in range(STAGE_COUNT)]
    assert all(name in text for name, text in zip(SlowMotionPanel.STAGES, texts, strict=True))


def test_set_stage_highlights_only_that_stage(panel):
    panel.set_stage(3, "g")
    assert stage_states(panel) == ["idle", "idle", "idle", "current_g", "idle", "idle"]
    assert child(panel, "stage_3").font().bold()
    assert not child(panel, "stage_2").font().bold()


def test_set_stage_none_clears_the_highlight(panel):
    panel.set_stage(2, "d")
    panel.set_stage(None, None)
    assert stage_states(panel) == ["idle"] * STAGE_COUNT


@pytest.mark.parametrize(("network", "other"), [("d", "g"), ("g", "d")])
def test_the_active_network_badge_is_filled_and_the_other_greyed(panel, network, other):
    panel.set_stage(0, network)
    assert child(panel, f"badge_{network}").property("state") == "active"
    assert child(panel, f"badge_{other}").property("state") == "inactive"


def test_the_generator_loss_is_explained_in_plain_words(panel):
    panel.set_stage(3, "g")
    text = child(panel, "explanation").text()
    assert "−log D(G(z))" in text
    assert panel.explanation() == text
    assert panel.current_stage() == (3, "g")


@pytest.mark.parametrize("index", range(STAGE_COUNT))
def test_each_stage_has_its_own_explanation_for_d_and_for_g(panel, index):
    panel.set_stage(index, "d")
    for_d = panel.explanation()
    panel.set_stage(index, "g")
    for_g = panel.explanation()
    assert for_d
    assert for_g
    assert for_d != for_g


def test_an_unknown_stage_is_refused(panel):
    with pytest.raises(IndexError):
        panel.set_stage(STAGE_COUNT, "d")


def test_the_start_button_requests_one_slow_iteration(panel, qtbot):
    with qtbot.waitSignal(panel.start_requested, timeout=500):
        panel.findChild(QAbstractButton, "start").click()


def test_set_running_disables_the_start_button(panel):
    button = panel.findChild(QAbstractButton, "start")
    panel.set_running(True)
    running = button.isEnabled()
    panel.set_running(False)
    assert (running, button.isEnabled()) == (False, True)


def test_moving_the_speed_slider_emits_seconds_per_step(panel, qtbot):
    slider = panel.findChild(QAbstractSlider, "speed")
    with qtbot.waitSignal(panel.speed_changed, timeout=500) as blocker:
        slider.setValue(25)
    assert blocker.args == [2.5]
    assert panel.speed() == 2.5


def test_the_speed_stays_between_0_2_and_3_seconds(panel):
    slider = panel.findChild(QAbstractSlider, "speed")
    slider.setValue(slider.minimum())
    slowest_first = panel.speed()
    slider.setValue(slider.maximum())
    assert (slowest_first, panel.speed()) == (0.2, 3.0)


def test_set_speed_does_not_emit(panel):
    got = []
    panel.speed_changed.connect(got.append)
    panel.set_speed(0.5)
    assert (got, panel.speed()) == ([], 0.5)


def test_the_speed_is_shown_in_seconds(panel):
    panel.set_speed(1.5)
    assert any("1.5 s" in label.text() for label in panel.findChildren(QLabel))


def test_every_control_has_a_tooltip(panel):
    kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QAbstractSlider, QLineEdit)
    controls = [w for w in panel.findChildren(QWidget) if isinstance(w, kinds)]
    assert len(controls) >= 2
    assert [w.objectName() for w in controls if not w.toolTip()] == []


def test_unavailable_narration_says_why_and_cannot_start(panel):
    start = child(panel, "start")
    panel.set_unavailable("pix2pix has no z")
    assert not panel.is_available()
    assert not start.isEnabled()
    assert panel.explanation() == "pix2pix has no z"
    panel.set_running(False)  # the end of a narration does not re-enable it
    assert not start.isEnabled()
    panel.set_unavailable(None)
    assert panel.is_available()
    assert start.isEnabled()
    assert "Play one iteration slowly" in panel.explanation()
