"""The lesson panel: the open lesson's current step, its condition, Back / Next. GUI thread.

A passive panel: the runner (``ganlab.app.lessons``) sets plain strings in (the texts
already in the reader's language) and listens to ``back_requested`` / ``next_requested``.
Texts are large enough to read on a projector and wrap to the dock's width. Also here:
:class:`FrameHighlight`, the frame drawn over the panel a lesson step points at.
No torch.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ganlab.widgets import style

HIGHLIGHT = "#e8590c"  # the frame around the panel a step points at (orange)
DONE = "#1a7f37"  # a reached condition (green)
WAITING = "#8a4b00"  # a condition not reached yet (dark amber)
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def text_to_html(text: str) -> str:
    """A lesson text as rich text: paragraphs at blank lines, ``- `` / ``• `` lines as a
    bulleted list, ``**bold**``; everything else is shown as written (formulas in Unicode,
    ``<`` and ``&`` escaped)."""
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    out = []
    for block in blocks:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        plain: list[str] = []
        items: list[str] = []
        for line in [*lines, ""]:  # "" flushes the last run
            if line.startswith(("- ", "• ")):
                if plain:
                    out.append("<p>" + "<br>".join(plain) + "</p>")
                    plain = []
                items.append(_inline(line[2:]))
                continue
            if items:
                out.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
                items = []
            if line:
                plain.append(_inline(line))
        if plain:
            out.append("<p>" + "<br>".join(plain) + "</p>")
    return "".join(out)


def _inline(line: str) -> str:
    return _BOLD.sub(r"<b>\1</b>", html.escape(line, quote=False))


class LessonPanel(QWidget):
    """One lesson step at a time, readable from the back of a room.

    Shows the lesson's title, "Step k of n", the step's title and text, the condition that
    completes it ("Waiting for: … — now …" / "Done ✓"), the papers behind the lesson, and
    Back / Next buttons. The panel decides nothing: the runner enables Next.

    Signals
    -------
    back_requested, next_requested
        The user asked for the previous / next step (buttons; the window's Lesson menu
        adds the keyboard shortcuts).
    """

    back_requested = Signal()
    next_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._n_steps = 0
        self.lesson_title = QLabel()
        self.lesson_title.setObjectName("lesson_title")
        self.lesson_title.setWordWrap(True)
        self.progress = QLabel()
        self.progress.setObjectName("lesson_progress")
        self.step_title = QLabel()
        self.step_title.setObjectName("step_title")
        self.step_title.setWordWrap(True)
        self.text = QLabel()
        self.text.setObjectName("step_text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.papers = QLabel()
        self.papers.setObjectName("lesson_papers")
        self.papers.setWordWrap(True)
        self.papers.setTextFormat(Qt.TextFormat.RichText)
        self.condition = QLabel()
        self.condition.setObjectName("step_condition")
        self.condition.setWordWrap(True)
        self.condition.setTextFormat(Qt.TextFormat.RichText)
        self.back_button = QPushButton(self.tr("◀ Back"))
        self.back_button.setObjectName("lesson_back")
        self.back_button.setToolTip(self.tr("The previous step (Page Up)"))
        self.next_button = QPushButton(self.tr("Next ▶"))
        self.next_button.setObjectName("lesson_next")
        self.next_button.setToolTip(
            self.tr("The next step (Page Down), once this step's goal is reached")
        )
        for button in (self.back_button, self.next_button):
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.back_button.clicked.connect(self.back_requested)
        self.next_button.clicked.connect(self.next_requested)

        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(8, 8, 8, 8)
        column.addWidget(self.step_title)
        column.addWidget(self.text)
        column.addStretch(1)
        column.addWidget(self.papers)
        scroll = QScrollArea()
        scroll.setObjectName("lesson_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.scroll = scroll

        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.lesson_title)
        layout.addWidget(self.progress)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.condition)
        layout.addLayout(buttons)
        self.setMinimumWidth(220)
        self.restyle()
        self.clear()

    def restyle(self) -> None:
        """Apply the fonts of the current presentation factor (after F11 toggles it)."""
        self.lesson_title.setFont(style.font(1.15, bold=True))
        self.progress.setFont(style.font(1.0))
        self.step_title.setFont(style.font(1.35, bold=True))
        self.text.setFont(style.font(1.25))
        self.papers.setFont(style.font(0.95))
        self.condition.setFont(style.font(1.15, bold=True))
        for button in (self.back_button, self.next_button):
            button.setFont(style.font(1.15))

    def clear(self) -> None:
        """No lesson open."""
        self._n_steps = 0
        self.lesson_title.setText(self.tr("No lesson open"))
        self.progress.clear()
        self.step_title.clear()
        self.text.setText(
            self.tr(
                "Open a lesson from File › Open lesson… or from the start page "
                "(File › Start page…)."
            )
        )
        self.papers.clear()
        self.condition.clear()
        self.condition.hide()
        self.set_navigation(False, False)

    def set_lesson(self, title: str, n_steps: int, papers: Sequence[str] = ()) -> None:
        """A new lesson: its title (in the reader's language), step count and sources."""
        self._n_steps = int(n_steps)
        self.lesson_title.setText(title)
        if papers:
            names = "".join(f"<li>{html.escape(p)}</li>" for p in papers)
            self.papers.setText(
                "<b>" + html.escape(self.tr("Papers")) + f"</b><ul style='margin:0'>{names}</ul>"
            )
        else:
            self.papers.clear()

    def set_step(self, index: int, title: str, text: str) -> None:
        """Show step ``index`` (0-based) with its title and text (plain lesson text:
        blank lines separate paragraphs, ``- `` starts a bullet, ``**bold**``)."""
        self.progress.setText(
            self.tr("Step {k} of {n}").format(k=index + 1, n=max(self._n_steps, index + 1))
        )
        self.step_title.setText(title)
        self.text.setText(text_to_html(text))
        self.scroll.verticalScrollBar().setValue(0)
        last = index + 1 >= self._n_steps
        self.next_button.setText(self.tr("Finish ✓") if last else self.tr("Next ▶"))

    def set_condition(self, text: str, state: str) -> None:
        """The step's goal: ``state`` is "none" (no goal: hidden), "waiting", "done" or
        "missed" (its step budget ran out); ``text`` is shown as written."""
        if state == "none":
            self.condition.clear()
            self.condition.hide()
            return
        colour = DONE if state == "done" else WAITING
        self.condition.setText(f"<span style='color:{colour}'>{html.escape(text)}</span>")
        self.condition.setProperty("state", state)
        self.condition.show()

    def condition_state(self) -> str:
        """The state last given to :meth:`set_condition` ("none" when hidden)."""
        if self.condition.isHidden():
            return "none"
        return str(self.condition.property("state") or "none")

    def set_navigation(self, can_back: bool, can_next: bool) -> None:
        """Enable Back / Next."""
        self.back_button.setEnabled(can_back)
        self.next_button.setEnabled(can_next)


class FrameHighlight(QWidget):
    """A thick coloured frame drawn over ``target`` (mouse clicks pass through it).

    Follows the target's size; ``hide()`` / ``deleteLater()`` removes it.
    """

    def __init__(self, target: QWidget, colour: str = HIGHLIGHT, width: int = 5):
        super().__init__(target)
        self.setObjectName("lesson_highlight")
        self._pen = QPen(QColor(colour), width)
        self._width = width
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        target.installEventFilter(self)
        self.setGeometry(target.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.parent() and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.setGeometry(watched.rect())  # type: ignore[attr-defined]
            self.raise_()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setPen(self._pen)
        half = self._width // 2
        painter.drawRect(self.rect().adjusted(half, half, -half - 1, -half - 1))
        painter.end()


class ExperimentAbout(QLabel):
    """One strip above the view: the experiment's name and what it demonstrates (its
    ``description``, so a preset's lesson is always in sight)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("experiment_about")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setContentsMargins(6, 2, 6, 2)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        self._name = ""
        self._description = ""
        self.restyle()

    def restyle(self) -> None:
        """Fonts of the current presentation factor; in presentation mode only the first
        sentence of the description (the view needs the height; the rest is in the
        tooltip)."""
        self.setFont(style.font(1.0))
        self._show()

    def set_config(self, name: str, description: str) -> None:
        """Show ``name`` in bold and ``description`` after it (hidden when both are empty)."""
        self._name, self._description = name, description
        self._show()
        self.setToolTip(description)
        self.setVisible(bool(name or description))

    def _show(self) -> None:
        description = self._description
        if style.presentation_factor() > 1.0:
            first = description.split(". ")[0]
            description = first if first == description else first + "."
        text = f"<b>{html.escape(self._name)}</b>"
        if description:
            text += " — " + html.escape(description)
        self.setText(text)
