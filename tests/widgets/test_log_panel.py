"""LogPanel: timestamps, level colours, line limit, scrolling, details, clearing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QPushButton, QToolTip

from ganlab.widgets import log_panel
from ganlab.widgets.log_panel import LogPanel


@pytest.fixture
def panel(qtbot):
    widget = LogPanel()
    qtbot.addWidget(widget)
    return widget


def log_view(panel):
    return panel.findChild(QPlainTextEdit, "log_view")


def details_view(panel):
    return panel.findChild(QPlainTextEdit, "details_view")


def line_format(panel, number):
    """The character format of the line's first character."""
    document = log_view(panel).document()
    cursor = QTextCursor(document.findBlockByNumber(number))
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
    return cursor.charFormat()


def click_line(qtbot, panel, number):
    view = log_view(panel)
    cursor = QTextCursor(view.document().findBlockByNumber(number))
    pos = view.cursorRect(cursor).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_each_line_starts_with_the_local_time(panel):
    panel.append("Data: 8 Gaussians on a ring")
    assert re.fullmatch(r"\d\d:\d\d:\d\d  Data: 8 Gaussians on a ring", panel.text())


def test_errors_are_red_and_bold_and_say_so(panel):
    panel.append("Loss became NaN", "error")
    fmt = line_format(panel, 0)
    assert fmt.foreground().color() == QColor(log_panel.LEVEL_COLORS["error"])
    assert fmt.fontWeight() >= 700
    assert "Error: Loss became NaN" in panel.text()


def test_warnings_are_dark_orange_and_not_bold(panel):
    panel.append("D is overpowering G", "warning")
    fmt = line_format(panel, 0)
    assert fmt.foreground().color() == QColor(log_panel.LEVEL_COLORS["warning"])
    assert fmt.fontWeight() < 700
    assert "Warning: D is overpowering G" in panel.text()


def test_an_info_line_after_an_error_takes_no_error_colour(panel):
    panel.append("broken", "error")
    panel.append("Checkpoint saved")
    fmt = line_format(panel, 1)
    assert fmt.foreground().color() != QColor(log_panel.LEVEL_COLORS["error"])
    assert fmt.fontWeight() < 700


def test_an_unknown_level_is_shown_as_info(panel):
    panel.append("downloading", "debug")
    assert line_format(panel, 0).fontWeight() < 700
    assert panel.text().endswith("  downloading")


def test_the_oldest_lines_are_dropped_past_the_maximum(panel):
    for i in range(log_panel.MAX_LINES + 10):
        panel.append(f"line {i}")
    lines = panel.text().splitlines()
    assert len(lines) == log_panel.MAX_LINES == panel.line_count()
    assert lines[0].endswith("line 10")
    assert lines[-1].endswith(f"line {log_panel.MAX_LINES + 9}")


def test_a_multi_line_message_stays_one_entry(panel):
    panel.append("first\nsecond")
    assert panel.line_count() == 1
    assert panel.text().splitlines()[1] == "second"


def test_the_view_follows_new_lines(panel, qtbot):
    panel.resize(500, 200)
    panel.show()
    qtbot.waitExposed(panel)
    for i in range(100):
        panel.append(f"line {i}")
    bar = log_view(panel).verticalScrollBar()
    assert bar.maximum() > 0
    assert bar.value() == bar.maximum()


def test_the_view_stays_put_when_the_user_scrolled_up(panel, qtbot):
    panel.resize(500, 200)
    panel.show()
    qtbot.waitExposed(panel)
    for i in range(100):
        panel.append(f"line {i}")
    bar = log_view(panel).verticalScrollBar()
    bar.setValue(10)
    panel.append("one more")
    assert bar.value() == 10


def test_clicking_an_error_line_shows_its_details(panel, qtbot):
    panel.resize(600, 300)
    panel.show()
    qtbot.waitExposed(panel)
    panel.append("started")
    panel.append("Loss became NaN", "error", details="Traceback ...\nFloatingPointError")
    assert not details_view(panel).isVisible()
    click_line(qtbot, panel, 1)
    assert details_view(panel).isVisible()
    assert details_view(panel).toPlainText() == "Traceback ...\nFloatingPointError"
    click_line(qtbot, panel, 0)
    assert not details_view(panel).isVisible()


def test_hovering_a_line_with_details_shows_them_as_a_tooltip(panel, qtbot):
    panel.resize(600, 300)
    panel.show()
    qtbot.waitExposed(panel)
    panel.append("Loss became NaN", "error", details="FloatingPointError: nan")
    view = log_view(panel)
    pos = view.cursorRect(QTextCursor(view.document().firstBlock())).center()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    assert QToolTip.text() == "FloatingPointError: nan"
    QToolTip.hideText()


def test_the_clear_button_empties_the_log(panel, qtbot):
    panel.append("a")
    panel.append("b", "error", details="x")
    button = next(b for b in panel.findChildren(QPushButton) if b.text() == "Clear")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert panel.text() == ""
    assert panel.line_count() == 0


def test_the_log_is_read_only(panel):
    assert log_view(panel).isReadOnly()
    assert details_view(panel).isReadOnly()


def test_every_control_has_a_tooltip(panel):
    button = next(b for b in panel.findChildren(QPushButton) if b.text() == "Clear")
    assert button.toolTip()
    assert details_view(panel).toolTip()


def test_render_for_review(panel, qtbot):
    """Not a pixel test: writes /tmp/shots/log_panel.png for a person to look at."""
    panel.resize(700, 300)
    panel.show()
    qtbot.waitExposed(panel)
    panel.append("Data: 8 Gaussians on a ring, 2500 real samples")
    panel.append("Device: CPU (4 threads)")
    panel.append("Learning rate of D changed 0.001 → 0.01")
    panel.append("D is overpowering G: D(G(z)) below 0.05 for 500 steps", "warning")
    panel.append(
        "Loss became NaN at step 5120; training paused",
        "error",
        details='Traceback (most recent call last):\n  File "loop.py", line 10\nFloatingPointError',
    )
    panel.append("Checkpoint saved to runs/ring/step_5000.pt")
    click_line(qtbot, panel, 4)
    qtbot.waitUntil(lambda: details_view(panel).height() > 30)  # the splitter lays it out
    out = Path("/tmp/shots")
    out.mkdir(parents=True, exist_ok=True)
    assert panel.grab().save(str(out / "log_panel.png"))
