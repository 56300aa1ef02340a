"""The start page: three lists, descriptions in sight, keyboard only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ganlab.widgets.start_page import StartPage

LESSONS = [("/l/09.toml", 9, "Mode collapse", "G covers a few modes. Then what helps.")]
PRESETS = [
    ("ring8", "Ring of 8", "The built-in default: eight gaussians on a circle."),
    ("spiral", "Spiral", "A spiral arm: a long thin curve."),
]


@pytest.fixture
def page(qtbot):
    p = StartPage()
    qtbot.addWidget(p)
    p.set_lessons(LESSONS)
    p.set_presets(PRESETS)
    p.set_recent([("/home/t/exp.toml", "experiment")])
    return p


def test_lists_show_numbered_lessons_and_presets_with_their_descriptions(page):
    assert page.entries("lessons") == [("/l/09.toml", "9. Mode collapse\nG covers a few modes.")]
    presets = dict(page.entries("presets"))
    assert presets["ring8"] == "Ring of 8\nThe built-in default: eight gaussians on a circle."
    assert "eight gaussians on a circle" in page.detail("presets")
    recent = [("/home/t/exp.toml", "exp.toml\nexperiment: /home/t/exp.toml")]
    assert page.entries("recent") == recent


def test_the_detail_follows_the_current_entry(page):
    page.presets.setCurrentRow(1)
    assert "A spiral arm" in page.detail("presets")
    assert "Then what helps." in page.detail("lessons")


def test_enter_opens_the_current_entry_of_the_focused_list(qtbot, page):
    page.show()
    qtbot.waitExposed(page)
    page.presets.setFocus()
    page.presets.setCurrentRow(1)
    with qtbot.waitSignal(page.preset_chosen, timeout=1000) as chosen:
        qtbot.keyClick(page.presets, Qt.Key.Key_Return)
    assert chosen.args == ["spiral"]
    assert not page.isVisible()


def test_tab_and_arrows_reach_a_lesson_from_the_keyboard(qtbot, page):
    page.show()
    qtbot.waitExposed(page)
    assert page.lessons.hasFocus() or page.focusWidget() is page.lessons
    with qtbot.waitSignal(page.lesson_chosen, timeout=1000) as chosen:
        qtbot.keyClick(page.lessons, Qt.Key.Key_Enter)
    assert chosen.args == ["/l/09.toml"]


def test_enter_emits_one_choice_only(qtbot, page):
    page.show()
    qtbot.waitExposed(page)
    got = []
    page.lesson_chosen.connect(got.append)
    page.preset_chosen.connect(got.append)
    qtbot.keyClick(page.lessons, Qt.Key.Key_Return)
    assert got == ["/l/09.toml"]


def test_escape_closes_without_a_choice(qtbot, page):
    page.show()
    qtbot.waitExposed(page)
    with qtbot.assertNotEmitted(page.lesson_chosen), qtbot.assertNotEmitted(page.preset_chosen):
        qtbot.keyClick(page.lessons, Qt.Key.Key_Escape)
    assert not page.isVisible()


def focus(qtbot, page, view):
    page.show()
    page.activateWindow()
    qtbot.waitActive(page)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=1000)


def test_empty_lists_say_so_and_cannot_be_opened(qtbot, page):
    page.set_recent([])
    assert page.entries("recent") == []
    assert page.recent.item(0).text() == "Nothing opened yet."
    focus(qtbot, page, page.recent)
    with qtbot.assertNotEmitted(page.recent_chosen):
        page.open_button.click()
    assert page.isVisible()


def test_open_opens_from_the_list_focused_last(qtbot, page):
    focus(qtbot, page, page.presets)
    page.presets.setCurrentRow(1)
    with qtbot.waitSignal(page.preset_chosen, timeout=1000) as chosen:
        page.open_button.click()
    assert chosen.args == ["spiral"]
