"""The dialog that asks which columns of a point file to train on. GUI thread.

Shown by the window's Load points, and when an experiment that reads such a file without
``data.columns`` is opened, when the file has more than two columns; the answer becomes
``data.columns`` (0-based indices).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)


class PointColumnsDialog(QDialog):
    """Two combos: the column for x, and the column for y or none (1-D points).

    Parameters
    ----------
    labels
        One label per column of the file (``PointsTable.column_labels``), at least 2.
    file_name
        Shown in the question.
    """

    def __init__(self, labels: list[str], file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Choose columns"))
        layout = QVBoxLayout(self)
        question = QLabel(
            self.tr("{file} has {n} columns. Which ones hold the points?").format(
                file=file_name, n=len(labels)
            )
        )
        question.setWordWrap(True)
        layout.addWidget(question)
        form = QFormLayout()
        self.x_combo = QComboBox()
        self.x_combo.setObjectName("x_column")
        self.x_combo.addItems(labels)
        self.y_combo = QComboBox()
        self.y_combo.setObjectName("y_column")
        self.y_combo.addItems(labels)
        self.y_combo.addItem(self.tr("none (1-D points)"))
        self.y_combo.setCurrentIndex(1)
        form.addRow(self.tr("x (first column):"), self.x_combo)
        form.addRow(self.tr("y (second column):"), self.y_combo)
        layout.addLayout(form)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        layout.addWidget(self._buttons)
        self._columns = len(labels)
        self.x_combo.currentIndexChanged.connect(self._on_combo_changed)
        self.y_combo.currentIndexChanged.connect(self._on_combo_changed)
        self._on_combo_changed()

    def columns(self) -> list[int]:
        """The chosen 0-based columns: [x, y], or [x] for 1-D points."""
        x, y = self.x_combo.currentIndex(), self.y_combo.currentIndex()
        return [x] if y >= self._columns else [x, y]

    def _on_combo_changed(self) -> None:
        # The same column twice would put every point on the diagonal: not allowed.
        ok = self.x_combo.currentIndex() != self.y_combo.currentIndex()
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)


def choose_point_columns(path: str, parent: QWidget | None = None) -> list[int] | None:
    """Ask which columns of the point file ``path`` to use, if it has more than two.

    Returns [] for a 1- or 2-column file (nothing to ask) and for a file that cannot be
    read (loading it then reports why, in the log); the chosen 0-based columns; or None
    if the person cancelled.
    """
    from ganlab.data.points_file import inspect_points_file  # numpy only: no torch here
    from ganlab.kernel.errors import GanlabError

    try:
        table = inspect_points_file(path)
    except GanlabError:
        return []
    if table.columns <= 2:
        return []
    dialog = PointColumnsDialog(table.column_labels(), Path(path).name, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.columns()


def with_point_columns(config, parent: QWidget | None = None):  # -> ExperimentConfig | None
    """``config`` with ``data.columns`` asked for when it reads a point file of more than
    two columns and names none; ``config`` itself otherwise; None if cancelled."""
    from ganlab.kernel import config as cfg

    data = config.data
    if data.source != "csv_points" or data.columns or not data.path:
        return config
    columns = choose_point_columns(data.path, parent)
    if columns is None:
        return None
    return cfg.with_value(config, "data.columns", columns) if columns else config
