"""The "Export evolution" dialog: what to export of a run, and where. GUI thread; no torch.

Passive: the caller passes the formats and views it offers (name, words), the run's kept
step range and a default file; the dialog hands back the user's choice
(:meth:`ExportDialog.choice`). It checks nothing about the run itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

FPS_RANGE = (0.5, 60.0)
SIZE_RANGE = ((160, 3840), (120, 2160))


@dataclass(frozen=True)
class ExportChoice:
    """What the user asked for.

    Attributes
    ----------
    fmt, view
        Names from the lists the dialog was given.
    fps
        Frames a second.
    size
        (width, height) in pixels.
    first, last
        The step range (inclusive); None: unbounded (a still has no first; a run without
        frames, exported as a table, has neither).
    path
        The file to write.
    segment
        Only this segment's frames and rows (a reset starts a new one); None: all.
    """

    fmt: str
    view: str
    fps: float
    size: tuple[int, int]
    first: int | None
    last: int | None
    path: Path
    segment: int | None = None


class ExportDialog(QDialog):
    """Format, view, frame rate, size, step range and file of an export.

    Parameters
    ----------
    formats
        ``(name, words, suffix, kind)`` of each format offered, ``kind`` as in
        ``ganlab.app.export.ExportFormat`` ("animation", "still", "table").
    views
        ``(name, words)`` of each view.
    steps
        (first, last) kept step of the run; None when it has no frames (only the
        "table" formats are then offered).
    folder
        Where the file goes by default (its name follows the view and format).
    note
        A sentence shown above the fields (e.g. why the run has no frames), or "".
    segments
        segment -> (first, last) kept step, when the run's frames span several segments
        (a reset, a rebuild or a loaded checkpoint): a Segment field then picks one (its
        steps bound the range) or all of them. None or one segment: no such field.
    """

    def __init__(
        self,
        formats: list[tuple[str, str, str, str]],
        views: list[tuple[str, str]],
        steps: tuple[int, int] | None,
        folder: Path,
        note: str = "",
        size: tuple[int, int] = (800, 600),
        fps: float = 10.0,
        parent: QWidget | None = None,
        segments: dict[int, tuple[int, int]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._steps = steps
        self._segments = dict(segments or {})
        self.setWindowTitle(self.tr("Export evolution"))
        self._folder = Path(folder)
        self._has_steps = steps is not None
        self._kinds = {name: kind for name, _words, _suffix, kind in formats}
        self._suffixes = {name: suffix for name, _words, suffix, _kind in formats}
        self.format_box = QComboBox()
        for name, words, _suffix, kind in formats:
            if steps is not None or kind == "table":
                self.format_box.addItem(words, name)
        self.view_box = QComboBox()
        for name, words in views:
            self.view_box.addItem(words, name)
        self.fps_box = QDoubleSpinBox()
        self.fps_box.setRange(*FPS_RANGE)
        self.fps_box.setDecimals(1)
        self.fps_box.setValue(fps)
        self.fps_box.setSuffix(self.tr(" frames/s"))
        (lo_w, hi_w), (lo_h, hi_h) = SIZE_RANGE
        self.width_box = QSpinBox()
        self.width_box.setRange(lo_w, hi_w)
        self.width_box.setValue(size[0])
        self.height_box = QSpinBox()
        self.height_box.setRange(lo_h, hi_h)
        self.height_box.setValue(size[1])
        lo, hi = steps if steps is not None else (0, 0)
        self.first_box = QSpinBox()
        self.last_box = QSpinBox()
        for box, value in ((self.first_box, lo), (self.last_box, hi)):
            box.setRange(lo, hi)
            box.setValue(value)
        self.segment_box = QComboBox()
        self.segment_box.addItem(self.tr("All segments"), None)
        for n, (a, b) in sorted(self._segments.items()):
            self.segment_box.addItem(
                self.tr("Segment {n} (steps {first} to {last})").format(n=n, first=a, last=b), n
            )
        self.segment_box.setToolTip(
            self.tr(
                "A reset, a rebuild or a loaded checkpoint starts a new segment, whose "
                "steps may start again"
            )
        )
        self.path_edit = QLineEdit()
        self.browse_button = QPushButton(self.tr("Browse…"))

        size_row = QHBoxLayout()
        size_row.addWidget(self.width_box)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_box)
        size_row.addWidget(QLabel(self.tr("pixels")))
        steps_row = QHBoxLayout()
        steps_row.addWidget(self.first_box)
        steps_row.addWidget(QLabel(self.tr("to")))
        steps_row.addWidget(self.last_box)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)

        form = QFormLayout()
        form.addRow(self.tr("Format"), self.format_box)
        form.addRow(self.tr("View"), self.view_box)
        form.addRow(self.tr("Frame rate"), self.fps_box)
        form.addRow(self.tr("Size"), size_row)
        if len(self._segments) > 1:
            form.addRow(self.tr("Segment"), self.segment_box)
        form.addRow(self.tr("Steps"), steps_row)
        form.addRow(self.tr("File"), path_row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Export"))
        layout = QVBoxLayout(self)
        if note:
            label = QLabel(note)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.format_box.currentIndexChanged.connect(self._on_format_box_current_index_changed)
        self.view_box.currentIndexChanged.connect(self._on_format_box_current_index_changed)
        self.first_box.valueChanged.connect(self.last_box.setMinimum)
        self.last_box.valueChanged.connect(self.first_box.setMaximum)
        self.segment_box.currentIndexChanged.connect(self._on_segment_box_current_index_changed)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._on_format_box_current_index_changed()

    def _fmt(self) -> str:
        return str(self.format_box.currentData())

    def _default_name(self) -> str:
        fmt = self._fmt()
        stem = "curves" if self._kinds.get(fmt) == "table" else str(self.view_box.currentData())
        return stem + self._suffixes.get(fmt, "")

    def _on_format_box_current_index_changed(self, _index: int = 0) -> None:
        """Fields that do not apply to the format are disabled; the file name follows."""
        kind = self._kinds.get(self._fmt())
        self.fps_box.setEnabled(kind == "animation")
        for box in (self.width_box, self.height_box, self.view_box):
            box.setEnabled(kind != "table")
        self.first_box.setEnabled(self._has_steps and kind in ("animation", "table"))
        self.last_box.setEnabled(self._has_steps)
        current = self.path_edit.text().strip()
        folder = Path(current).parent if current else self._folder
        self.path_edit.setText(str(folder / self._default_name()))

    def _on_segment_box_current_index_changed(self, _index: int = 0) -> None:
        """The step range spans the chosen segment's kept steps (all: the run's)."""
        segment = self.segment_box.currentData()
        span = self._segments.get(segment) if segment is not None else self._steps
        lo, hi = span if span is not None else (0, 0)
        for box in (self.first_box, self.last_box):
            box.blockSignals(True)
            box.setRange(lo, hi)
            box.blockSignals(False)
        self.first_box.setValue(lo)
        self.last_box.setValue(hi)
        self.first_box.setMaximum(hi)
        self.last_box.setMinimum(lo)

    def _on_browse_button_clicked(self) -> None:
        suffix = self._suffixes.get(self._fmt(), "")
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export evolution"),
            self.path_edit.text(),
            self.tr("{suffix} files (*{suffix})").format(suffix=suffix),
        )
        if path:
            self.path_edit.setText(path)

    def choice(self) -> ExportChoice:
        """The fields as they are now."""
        return ExportChoice(
            fmt=self._fmt(),
            view=str(self.view_box.currentData()),
            fps=float(self.fps_box.value()),
            size=(self.width_box.value(), self.height_box.value()),
            first=self.first_box.value() if self.first_box.isEnabled() else None,
            last=self.last_box.value() if self.last_box.isEnabled() else None,
            path=Path(self.path_edit.text().strip()),
            segment=self.segment_box.currentData() if len(self._segments) > 1 else None,
        )
