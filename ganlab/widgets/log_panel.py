"""The log of what happened in the lab: one timestamped line per event.

Owns the read-only list of lines (at most ``MAX_LINES``; the oldest are dropped), their
colours by level, and the details (e.g. a traceback) shown when a line is hovered or
clicked. GUI thread; no torch.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QColor, QFontDatabase, QHelpEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ganlab.widgets import style

MAX_LINES = 5000  # oldest lines are dropped past this
LEVEL_COLORS = {"warning": "#b34700", "error": "#c62828"}  # dark orange, red; info: default
_TOOLTIP_LINES = 25  # a hover shows the start of long details; a click shows all of them
_NO_DETAILS = -1  # QTextBlock.userState of a line without details


class LogPanel(QWidget):
    """Timestamped log lines coloured by level, with details on demand.

    Lines are prefixed with the local time (HH:MM:SS). Errors are red and bold, warnings
    dark orange, and both also say their level in words. The view follows new lines
    unless the user has scrolled up to read.
    """

    LEVELS = ("info", "warning", "error")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._details: dict[int, str] = {}  # line id -> details
        self._next_id = 0

        self._view = QPlainTextEdit()
        self._view.setObjectName("log_view")
        self._view.setReadOnly(True)
        self._view.setUndoRedoEnabled(False)
        self._view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._view.document().setMaximumBlockCount(MAX_LINES)
        self._view.setToolTip("")  # per-line tooltips come from the event filter
        self._view.viewport().installEventFilter(self)

        self._details_label = QLabel(self.tr("Details of the selected line"))
        self._details_view = QPlainTextEdit()
        self._details_view.setObjectName("details_view")
        self._details_view.setReadOnly(True)
        self._details_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self._details_view.setToolTip(self.tr("Technical details of the selected log line."))
        details_box = QWidget()
        details_layout = QVBoxLayout(details_box)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self._details_label)
        details_layout.addWidget(self._details_view)
        self._details_box = details_box
        self._details_box.hide()

        self._clear_button = QPushButton(self.tr("Clear"))
        self._clear_button.setToolTip(
            self.tr("Remove every line from this log. Saved run files keep their own record.")
        )
        self._clear_button.clicked.connect(self.clear)
        self._hint = QLabel(self.tr("Click a line marked … to see its details."))
        self._hint.setWordWrap(True)  # a narrow dock wraps it rather than widening

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._view)
        splitter.addWidget(self._details_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        buttons = QHBoxLayout()
        buttons.addWidget(self._hint, 1)
        buttons.addStretch(1)
        buttons.addWidget(self._clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.restyle()

    # -- public API --------------------------------------------------------------------

    def append(self, message: str, level: str = "info", details: str = "") -> None:
        """Add one line at the end.

        Parameters
        ----------
        message
            What happened, for a person; line breaks are kept inside the one entry.
        level
            ``"info"``, ``"warning"`` or ``"error"``; anything else is shown as info.
        details
            Optional technical detail (a traceback...), shown when the line is hovered
            or clicked.
        """
        level = level if level in self.LEVELS else "info"
        prefix = time.strftime("%H:%M:%S")
        words = {"warning": self.tr("Warning: "), "error": self.tr("Error: ")}.get(level, "")
        marker = " …" if details else ""
        # U+2028 keeps a multi-line message in one block: one entry, one userState.
        text = f"{prefix}  {words}{message}{marker}".replace("\r\n", "\n").replace("\n", "\u2028")

        fmt = QTextCharFormat()
        if level in LEVEL_COLORS:
            fmt.setForeground(QColor(LEVEL_COLORS[level]))
        if level == "error":
            fmt.setFontWeight(700)

        bar = self._view.verticalScrollBar()
        follow = bar.value() >= bar.maximum() - 1  # the user has not scrolled up
        doc = self._view.document()
        cursor = QTextCursor(doc)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if not doc.isEmpty():
            cursor.insertBlock()
        cursor.setBlockCharFormat(fmt)
        cursor.insertText(text, fmt)
        line_id = _NO_DETAILS
        if details:
            line_id = self._next_id
            self._next_id += 1
            self._details[line_id] = details
        cursor.block().setUserState(line_id)
        self._forget_dropped_details()
        if follow:
            bar.setValue(bar.maximum())

    def clear(self) -> None:
        """Remove every line and its details."""
        self._view.clear()
        self._details.clear()
        self._details_view.clear()
        self._details_box.hide()

    def text(self) -> str:
        """The log as plain text, one line per entry (for tests and export)."""
        return self._view.toPlainText().replace("\u2028", "\n")

    def line_count(self) -> int:
        """How many entries the log holds."""
        return 0 if self._view.document().isEmpty() else self._view.document().blockCount()

    def restyle(self) -> None:
        """Re-apply fonts, e.g. after the presentation factor changed."""
        mono = style.font()
        mono.setFamily(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family())
        self._view.setFont(mono)
        self._details_view.setFont(mono)
        for w in (self._details_label, self._clear_button, self._hint):
            w.setFont(style.font(0.9))

    # -- details -----------------------------------------------------------------------

    def _details_at(self, pos: QPoint) -> str:
        block = self._view.cursorForPosition(pos).block()
        return self._details.get(block.userState(), "")

    def _forget_dropped_details(self) -> None:
        """Drop details whose lines fell off the top (ids grow with the line order)."""
        if not self._details or self._view.document().blockCount() < MAX_LINES:
            return
        block = self._view.document().firstBlock()
        while block.isValid() and block.userState() == _NO_DETAILS:
            block = block.next()
        oldest = block.userState() if block.isValid() else self._next_id
        for line_id in [i for i in self._details if i < oldest]:
            del self._details[line_id]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if watched is self._view.viewport() and event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            details = self._details_at(event.pos())
            if details:
                lines = details.splitlines()
                shown = "\n".join(lines[:_TOOLTIP_LINES])
                if len(lines) > _TOOLTIP_LINES:
                    shown += "\n" + self.tr("… (click the line to see everything)")
                QToolTip.showText(event.globalPos(), shown, self._view)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        if (
            watched is self._view.viewport()
            and event.type() == QEvent.Type.MouseButtonRelease
            and event.button() == Qt.MouseButton.LeftButton
        ):
            self._show_details(self._details_at(event.position().toPoint()))
        return super().eventFilter(watched, event)

    def _show_details(self, details: str) -> None:
        """Open the pane below with the clicked line's details; close it for a plain line."""
        if details:
            self._details_view.setPlainText(details)
            self._details_box.show()
        else:
            self._details_box.hide()
