"""The start page: lessons, presets and recent files, to open one. GUI thread; no torch.

A passive dialog: the window fills the three lists with plain strings (texts already in
the reader's language) and opens what the user picks. Keyboard first: Tab moves between
the lists, the arrows move within one, Enter opens the current entry, Esc closes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ganlab.widgets import style

_KEY = Qt.ItemDataRole.UserRole  # the entry's key: a lesson's path, a preset's name, a file
_DETAIL = Qt.ItemDataRole.UserRole + 1  # the full description shown under the list


class StartPage(QDialog):
    """Three lists to start from: Lessons, Presets (each with its description), Recent.

    Signals
    -------
    lesson_chosen(str)
        The path of the lesson file to open.
    preset_chosen(str)
        The name of the preset to open.
    recent_chosen(str)
        The path of a recent file (experiment, lesson or checkpoint) to open.

    The dialog closes itself after a choice; Esc or Close closes it without one.
    """

    lesson_chosen = Signal(str)
    preset_chosen = Signal(str)
    recent_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("start_page")
        self.setWindowTitle(self.tr("ganlab — start"))
        self.heading = QLabel(self.tr("What would you like to do?"))
        self.heading.setObjectName("start_heading")
        self.hint = QLabel(
            self.tr(
                "Tab moves between the lists, the arrow keys within one, Enter opens, "
                "Esc closes this page."
            )
        )
        self.hint.setWordWrap(True)
        self.lessons = self._list("lessons", self.tr("Guided lessons, one per topic"))
        self.presets = self._list("presets", self.tr("Ready-made experiments"))
        self.recent = self._list("recent", self.tr("Files and runs opened before"))
        self._titles = [
            QLabel(self.tr("Lessons")),
            QLabel(self.tr("Presets")),
            QLabel(self.tr("Recent")),
        ]
        self._details = [QLabel(), QLabel(), QLabel()]
        grid = QGridLayout()
        for column, (title, view, detail) in enumerate(
            zip(self._titles, (self.lessons, self.presets, self.recent), self._details, strict=True)
        ):
            title.setBuddy(view)
            detail.setObjectName(f"{view.objectName()}_detail")
            detail.setWordWrap(True)
            detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            detail.setMinimumHeight(90)
            detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(title, 0, column)
            grid.addWidget(view, 1, column)
            grid.addWidget(detail, 2, column)
            grid.setColumnStretch(column, 3 if column < 2 else 2)
        grid.setRowStretch(1, 1)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setObjectName("start_open")
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("start_close")
        for button in (self.open_button, self.close_button):
            button.setAutoDefault(False)  # Enter opens the focused list's entry, once
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(grid, 1)
        layout.addLayout(buttons)
        self._last_list: QListWidget = self.lessons
        self.restyle()
        self.resize(1100, 620)

    def _list(self, name: str, tip: str) -> QListWidget:
        view = QListWidget()
        view.setObjectName(name)
        view.setToolTip(tip)
        view.setWordWrap(True)
        view.setUniformItemSizes(False)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setSpacing(2)
        view.installEventFilter(self)  # the list focused last is the one Open opens from
        view.itemActivated.connect(self._on_item_activated)
        view.currentItemChanged.connect(self._on_current_item_changed)
        return view

    def restyle(self) -> None:
        """Fonts of the current presentation factor."""
        self.heading.setFont(style.font(1.5, bold=True))
        for title in self._titles:
            title.setFont(style.font(1.2, bold=True))
        for view in (self.lessons, self.presets, self.recent):
            view.setFont(style.font(1.05))
        for detail in self._details:
            detail.setFont(style.font(1.0))

    # ------------------------------------------------------------------ filling

    def set_lessons(self, lessons: Sequence[tuple[str, int, str, str]]) -> None:
        """``(path, number, title, summary)`` for each lesson, in course order."""
        self._fill(
            self.lessons,
            [(path, f"{number}. {title}", summary) for path, number, title, summary in lessons],
            self.tr("No lessons found."),
        )

    def set_presets(self, presets: Sequence[tuple[str, str, str]]) -> None:
        """``(name, title, description)`` for each preset."""
        self._fill(self.presets, presets, self.tr("No presets found."))

    def set_recent(self, files: Sequence[tuple[str, str]]) -> None:
        """``(path, what)`` for each recent file, newest first (``what``: "lesson", …)."""
        self._fill(
            self.recent,
            [(path, _file_name(path), f"{what}: {path}") for path, what in files],
            self.tr("Nothing opened yet."),
            summarise=False,
        )

    def _fill(
        self,
        view: QListWidget,
        entries: Sequence[tuple[str, str, str]],
        empty: str,
        summarise: bool = True,
    ) -> None:
        """Each entry shows its title and the first sentence of its detail; the whole
        detail shows under the list when the entry is current."""
        view.clear()
        for key, title, detail in entries:
            first = detail.split(". ")[0].rstrip(".") + "." if summarise else detail
            text = f"{title}\n{first}" if detail else title
            item = QListWidgetItem(text)
            item.setData(_KEY, key)
            item.setData(_DETAIL, f"<b>{_escape(title)}</b><br>{_escape(detail)}")
            item.setToolTip(detail)
            view.addItem(item)
        if not entries:
            placeholder = QListWidgetItem(empty)
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            view.addItem(placeholder)
        else:
            view.setCurrentRow(0)
        self._on_current_item_changed(view.currentItem(), None, view)

    # ------------------------------------------------------------------ choosing

    def entries(self, which: str) -> list[tuple[str, str]]:
        """``(key, text)`` of each entry of the list ``which`` ("lessons", "presets",
        "recent"), as shown."""
        view = {"lessons": self.lessons, "presets": self.presets, "recent": self.recent}[which]
        out = []
        for row in range(view.count()):
            item = view.item(row)
            key = item.data(_KEY)
            if key is not None:
                out.append((str(key), item.text()))
        return out

    def detail(self, which: str) -> str:
        """The description shown under the list ``which`` (rich text)."""
        index = ("lessons", "presets", "recent").index(which)
        return self._details[index].text()

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current_item_changed(
        self,
        current: QListWidgetItem | None,
        _previous: QListWidgetItem | None,
        view: QListWidget | None = None,
    ) -> None:
        view = view or self.sender()  # type: ignore[assignment]
        if not isinstance(view, QListWidget):
            return
        index = (self.lessons, self.presets, self.recent).index(view)
        detail = current.data(_DETAIL) if current is not None else None
        self._details[index].setText(str(detail) if detail else "")

    @Slot(QListWidgetItem)
    def _on_item_activated(self, item: QListWidgetItem) -> None:
        view = item.listWidget()
        self._choose(view, item)

    @Slot()
    def _on_open_button_clicked(self) -> None:
        view = self._last_list
        self._choose(view, view.currentItem())

    def _choose(self, view: QListWidget, item: QListWidgetItem | None) -> None:
        key = item.data(_KEY) if item is not None else None
        if key is None:
            return
        self.accept()
        signal = {
            id(self.lessons): self.lesson_chosen,
            id(self.presets): self.preset_chosen,
            id(self.recent): self.recent_chosen,
        }[id(view)]
        signal.emit(str(key))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QListWidget):
            self._last_list = watched
        return False

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.lessons.setFocus(Qt.FocusReason.OtherFocusReason)


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
