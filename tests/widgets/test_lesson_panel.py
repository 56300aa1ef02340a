"""The lesson panel: step texts, the condition line, Back / Next, the highlight frame."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ganlab.widgets.lesson_panel import ExperimentAbout, FrameHighlight, LessonPanel, text_to_html


@pytest.fixture
def panel(qtbot):
    p = LessonPanel()
    qtbot.addWidget(p)
    p.set_lesson("9. Mode collapse", 3, ["Goodfellow et al. 2014, Generative Adversarial Nets"])
    return p


def test_a_step_shows_its_number_title_and_text(panel):
    panel.set_step(1, "Watch the modes", "Press **Play**.\n\nCount the modes.")
    assert panel.progress.text() == "Step 2 of 3"
    assert panel.step_title.text() == "Watch the modes"
    assert panel.text.text() == "<p>Press <b>Play</b>.</p><p>Count the modes.</p>"
    assert "Goodfellow et al. 2014" in panel.papers.text()


def test_spanish_texts_show_as_given(panel):
    panel.set_lesson("9. Colapso de modos", 3)
    panel.set_step(0, "Mira los modos", "Pulsa **Play**: el generador cubre pocos modos.")
    assert panel.lesson_title.text() == "9. Colapso de modos"
    assert "el generador cubre pocos modos" in panel.text.text()
    assert panel.papers.text() == ""


def test_the_last_step_offers_finish_instead_of_next(panel):
    panel.set_step(2, "Last", "Done.")
    assert "Finish" in panel.next_button.text()
    panel.set_step(0, "First", "Go.")
    assert "Next" in panel.next_button.text()


def test_next_and_back_are_requests_only_when_enabled(qtbot, panel):
    panel.set_navigation(True, False)
    with qtbot.assertNotEmitted(panel.next_requested):
        qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.back_requested, timeout=1000):
        qtbot.mouseClick(panel.back_button, Qt.MouseButton.LeftButton)
    panel.set_navigation(False, True)
    with qtbot.waitSignal(panel.next_requested, timeout=1000):
        qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)


def test_the_condition_line_shows_waiting_done_and_hides_without_a_goal(panel):
    panel.set_condition("Waiting for: modes captured ≤ 2 — now 5", "waiting")
    assert panel.condition_state() == "waiting"
    assert "now 5" in panel.condition.text()
    panel.set_condition("Done ✓", "done")
    assert panel.condition_state() == "done"
    panel.set_condition("", "none")
    assert panel.condition_state() == "none"
    assert panel.condition.isHidden()


def test_lesson_text_is_escaped_and_bullets_become_a_list():
    html = text_to_html("Compare:\n- D*(x) = p_data / (p_data + p_g)\n- V < 0 & more")
    assert html == (
        "<p>Compare:</p><ul><li>D*(x) = p_data / (p_data + p_g)</li>"
        "<li>V &lt; 0 &amp; more</li></ul>"
    )


def test_the_text_is_large_enough_for_a_projector(panel):
    assert panel.text.font().pointSizeF() >= 13
    assert panel.text.wordWrap()


def test_the_highlight_frame_covers_its_target_and_lets_clicks_through(qtbot):
    target = QWidget()
    qtbot.addWidget(target)
    target.resize(300, 200)
    frame = FrameHighlight(target)
    target.show()
    target.resize(320, 240)
    assert frame.geometry() == target.rect()
    assert frame.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    image = frame.grab().toImage()
    assert image.pixelColor(2, 120).name() == "#e8590c"


def test_the_experiment_strip_shows_name_and_description(qtbot):
    about = ExperimentAbout()
    qtbot.addWidget(about)
    about.set_config("Ring of 8", "Count the modes <captured>.")
    assert "<b>Ring of 8</b>" in about.text()
    assert "Count the modes &lt;captured&gt;." in about.text()


def test_the_experiment_strip_is_one_sentence_in_presentation_mode(qtbot):
    from ganlab.widgets import style
    from ganlab.widgets.lesson_panel import ExperimentAbout

    strip = ExperimentAbout()
    qtbot.addWidget(strip)
    strip.set_config("Ring of 8", "Eight gaussians. Watch the modes.")
    assert "Watch the modes" in strip.text()
    try:
        style.set_presentation_factor(style.PRESENTATION_FACTOR)
        strip.restyle()
        assert "Eight gaussians." in strip.text()
        assert "Watch the modes" not in strip.text()
        assert "Watch the modes" in strip.toolTip()
    finally:
        style.set_presentation_factor(1.0)
        strip.restyle()
    assert "Watch the modes" in strip.text()
