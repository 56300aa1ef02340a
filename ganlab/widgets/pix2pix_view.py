"""The image-pair panel: what an image-to-image translator (pix2pix) does. GUI thread; no
torch.

Owns two views, built once and updated in place:

- the rows of the fixed held-out pairs: input → G's output → target, one pair a row
  (``PanelSnapshot`` arrays ``input``, ``output``, ``target``, each (N, H, W, C) uint8;
  the inputs and targets are shown from the segment's start, G's outputs from the
  first snapshot);
- a **sketch pad** (:class:`SketchPad`): the user draws an input with the mouse (a
  white brush on black, like the outlines of the bundled pairs), and G's output for
  the drawing appears beside it. The panel asks for it with
  ``panel_requested("sketch", {"sketch": (H, W) float32 in [0, 1]})`` at the end of
  every stroke and at every new snapshot while a drawing exists, so the output follows
  training; the loop answers while paused too. Answers arrive at :meth:`show_answer`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ganlab.widgets import style
from ganlab.widgets.image_view import image_plot, tile_images

PAD_SCALE = 4  # the pad's drawing holds this many pixels per image pixel
DEFAULT_BRUSH = 1.5  # brush width in image pixels: the bundled outlines' width
BRUSH_RANGE = (1.0, 4.0)  # brush widths offered, image pixels
_BRUSH_STEPS = 2  # slider steps per image pixel (0.5 px)
PENDING_FILL = 64  # a dark gray tile where G's output is not computed yet
ROWS_PER_GROUP = 4  # more pairs than this: shown as two groups of rows side by side


QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum" for widget sizes
HINT_MIN_HEIGHT = 300  # pixels: below this the hint under the pad is hidden


class SketchPad(QWidget):
    """A square canvas to draw on with the mouse: a white brush on black.

    The drawing is held at ``PAD_SCALE`` times the image side and read with
    :meth:`sketch` as float32 (H, W) in [0, 1]; the widget shows it scaled to its size.
    ``stroke_finished`` fires when the mouse button is released after drawing.
    """

    stroke_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.brush = DEFAULT_BRUSH
        self._image = QImage()
        self._last: QPointF | None = None
        self._drawn = False
        self.side = 0
        self.set_side(32)
        self.setMinimumSize(64, 64)  # shrinks with a short centre view, never overlaps
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def set_side(self, side: int) -> None:
        """A blank drawing for images of ``side`` pixels."""
        self.side = max(1, int(side))
        n = self.side * PAD_SCALE
        self._image = QImage(n, n, QImage.Format.Format_Grayscale8)
        self.clear()

    def clear(self) -> None:
        """Wipe the drawing."""
        self._image.fill(QColor(0, 0, 0))
        self._drawn = False
        self.update()

    def has_sketch(self) -> bool:
        """Whether something has been drawn since the last clear."""
        return self._drawn

    def sketch(self) -> np.ndarray:
        """The drawing as float32 (H, W) in [0, 1], H = W = PAD_SCALE x the image side."""
        n = self._image.width()
        bits = self._image.constBits()
        rows = np.frombuffer(bits, np.uint8).reshape(n, self._image.bytesPerLine())
        return rows[:, :n].astype(np.float32) / 255.0

    def draw_stroke(self, points: list[tuple[float, float]]) -> None:
        """Draw a polyline through ``points`` given in image pixels (x right, y down),
        as a mouse stroke would, and emit ``stroke_finished``."""
        last: QPointF | None = None
        for x, y in points:
            point = QPointF(x * PAD_SCALE, y * PAD_SCALE)
            self._segment(last or point, point)
            last = point
        self.stroke_finished.emit()

    # -- drawing ----------------------------------------------------------------

    def _target(self) -> QRectF:
        """Where the drawing is shown: the largest centred square."""
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def _to_image(self, pos: QPointF) -> QPointF:
        rect = self._target()
        k = self._image.width() / max(rect.width(), 1.0)
        return QPointF((pos.x() - rect.x()) * k, (pos.y() - rect.y()) * k)

    def _segment(self, a: QPointF, b: QPointF) -> None:
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(QColor(255, 255, 255), self.brush * PAD_SCALE)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        if a == b:
            painter.drawPoint(a)
        else:
            painter.drawLine(a, b)
        painter.end()
        self._drawn = True
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._last = self._to_image(event.position())
        self._segment(self._last, self._last)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        if self._last is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        point = self._to_image(event.position())
        self._segment(self._last, point)
        self._last = point

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        if event.button() != Qt.MouseButton.LeftButton or self._last is None:
            return
        self._last = None
        self.stroke_finished.emit()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        rect = self._target()
        painter.drawImage(rect, self._image)
        painter.setPen(QPen(QColor(style.NEUTRAL), 1))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.end()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(200, 200)


class Pix2PixPanel(QWidget):
    """Rows of held-out input → output → target, and the sketch pad (module docstring)."""

    panel_requested = Signal(str, object)  # (what, params): ("sketch", {"sketch": array})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._domains: tuple[str, str] = (self.tr("input"), self.tr("target"))
        self._inputs: np.ndarray | None = None  # (N, H, W, C) uint8
        self._targets: np.ndarray | None = None
        self._outputs: np.ndarray | None = None
        self._shape: tuple[int, int, int] = (32, 32, 3)
        # Wide panel: rows | drawing column (pad above G's answer). Tall panel (a narrow
        # centre view): rows above, pad and answer side by side below. See resizeEvent.
        self._outer = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._outer.setContentsMargins(2, 2, 2, 2)
        self.rows_widget, self._rows_item = image_plot(self._rows_title())
        self._outer.addWidget(self.rows_widget, 3)

        self._side = QWidget()  # the drawing column: title, pad, G's answer, tools, hint
        side = QVBoxLayout(self._side)
        side.setContentsMargins(0, 0, 0, 0)
        self._pad_title = QLabel()
        self._pad_title.setFont(style.font(1.05, bold=True))
        self._pad_title.setWordWrap(True)
        side.addWidget(self._pad_title)
        self.pad = SketchPad()
        self.pad.setToolTip(
            self.tr(
                "Draw an input with the mouse; G's output for it appears beside it and "
                "follows training, also while paused."
            )
        )
        self.output_widget, self._output_item = image_plot(self.tr("G(drawing)"))
        self._pictures = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._pictures.addWidget(self.pad, 1)
        self._pictures.addWidget(self.output_widget, 1)
        side.addLayout(self._pictures, 1)
        tools = QHBoxLayout()
        self._brush_label = QLabel()
        tools.addWidget(self._brush_label)
        self.brush_slider = QSlider(Qt.Orientation.Horizontal)
        self.brush_slider.setMinimumWidth(60)
        lo, hi = BRUSH_RANGE
        self.brush_slider.setRange(int(lo * _BRUSH_STEPS), int(hi * _BRUSH_STEPS))
        self.brush_slider.setValue(int(DEFAULT_BRUSH * _BRUSH_STEPS))
        self.brush_slider.setToolTip(self.tr("Brush width, in image pixels."))
        self.brush_slider.valueChanged.connect(self._on_brush_slider_value_changed)
        tools.addWidget(self.brush_slider, 1)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Wipe the drawing."))
        self.clear_button.clicked.connect(self._on_clear_button_clicked)
        tools.addWidget(self.clear_button)
        side.addLayout(tools)
        self._hint = QLabel(self.tr("Draw in the black box to see what G makes of it."))
        self._hint.setWordWrap(True)
        self._hint.setFont(style.font(0.95))
        side.addWidget(self._hint)
        self._outer.addWidget(self._side, 2)
        self.pad.stroke_finished.connect(self._on_pad_stroke_finished)
        self._on_brush_slider_value_changed(self.brush_slider.value())
        self._retitle()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        """Stack the drawing under the rows when the panel is taller than wide."""
        tall = self.height() > self.width()
        self._outer.setDirection(
            QBoxLayout.Direction.TopToBottom if tall else QBoxLayout.Direction.LeftToRight
        )
        self._pictures.setDirection(
            QBoxLayout.Direction.LeftToRight if tall else QBoxLayout.Direction.TopToBottom
        )
        # Stacked, the rows keep most of the height (the drawing column would take it
        # all); a short panel keeps its room for the pictures (the tooltip says the hint).
        self._side.setMaximumHeight(round(self.height() * 0.45) if tall else QWIDGETSIZE_MAX)
        self._hint.setVisible(self.height() >= HINT_MIN_HEIGHT)
        super().resizeEvent(event)

    def export_hidden(self) -> list[QWidget]:
        """What a picture of the panel leaves out (``ganlab.app.export``): the drawing
        column, which answers the user's sketch rather than showing the run."""
        return [self._side]

    def is_stacked(self) -> bool:
        """Whether the drawing sits under the rows (a panel taller than wide)."""
        return self._outer.direction() == QBoxLayout.Direction.TopToBottom

    # -- the window's DataPanel protocol (ganlab.app.panels) ------------------------

    def show_segment(self, info: Any, family: Any) -> None:
        """A new segment: forget the pictures, take the image shape and domain names.
        Domain names show translated where the catalogue knows them (bundled pairs)."""
        from ganlab.kernel import i18n

        self.clear()
        shape = tuple(info.real.shape[2:]) if info.real is not None else self._shape
        self._shape = (int(shape[0]), int(shape[1]), int(shape[2]))
        if len(info.domains) == 2:
            self._domains = (i18n._(info.domains[0]), i18n._(info.domains[1]))
        if self.pad.side != self._shape[0]:
            self.pad.set_side(self._shape[0])  # another image size: a blank drawing
        self._retitle()

    def show_real(self, info: Any) -> None:
        """The held-out pairs (``info.real``: (N, 2, H, W, C) uint8, A then B)."""
        real = np.asarray(info.real)
        self._inputs, self._targets = real[:, 0], real[:, 1]
        self._outputs = None
        self._draw_rows()

    def show_snapshot(self, snapshot: Any) -> None:
        """A PanelSnapshot: G's outputs for the fixed inputs; asks again for the sketch."""
        arrays = snapshot.arrays
        if "output" not in arrays:
            return
        self._inputs = np.asarray(arrays.get("input", self._inputs))
        self._targets = np.asarray(arrays.get("target", self._targets))
        self._outputs = np.asarray(arrays["output"])
        self._draw_rows()
        if self.pad.has_sketch():
            self.request_sketch()

    def show_answer(self, answer: Any) -> None:
        """G's output for the drawing (a PanelAnswer with ``what`` "sketch")."""
        if answer.what != "sketch" or "output" not in answer.arrays:
            return
        out = np.asarray(answer.arrays["output"])
        image = out[0]
        self._output_item.setImage(image[:, :, 0] if image.shape[-1] == 1 else image)
        self.output_widget.getPlotItem().autoRange(padding=0.02)
        self._hint.setVisible(False)

    def set_output_kind(self, output_kind: str) -> None:
        """D's outputs are not shown here: nothing to change."""

    def clear(self) -> None:
        """Forget the rows and G's last answer (the drawing stays)."""
        self._inputs = self._targets = self._outputs = None
        self._rows_item.clear()
        self._output_item.clear()
        self._hint.setVisible(True)

    # -- requests -----------------------------------------------------------------

    def request_sketch(self) -> None:
        """Ask for G's output for the drawing (nothing when the pad is empty)."""
        if self.pad.has_sketch():
            self.panel_requested.emit("sketch", {"sketch": self.pad.sketch()})

    # -- drawing ------------------------------------------------------------------

    def _rows_title(self) -> str:
        a, b = self._domains
        return self.tr("{input} → G({input}) → {target}").format(input=a, target=b)

    def _retitle(self) -> None:
        self.rows_widget.getPlotItem().setTitle(
            self._rows_title(), size=f"{style.font(1.15).pointSizeF():.0f}pt"
        )
        self._pad_title.setText(self.tr("Draw: {input}").format(input=self._domains[0]))

    def rows_image(self) -> np.ndarray | None:
        """The rows as one uint8 mosaic (input | output | target per row, in two groups of
        rows side by side for more than :data:`ROWS_PER_GROUP` pairs), or None. A dark
        gray tile (:data:`PENDING_FILL`) stands for outputs not computed yet."""
        if self._inputs is None or self._targets is None or len(self._inputs) == 0:
            return None
        n = len(self._inputs)
        outputs = self._outputs
        if outputs is None or len(outputs) != n:
            outputs = np.full_like(self._inputs, PENDING_FILL)
        images = np.concatenate([self._inputs, outputs, self._targets])
        triples = np.stack([np.arange(n), np.arange(n) + n, np.arange(n) + 2 * n], axis=1)
        if n <= ROWS_PER_GROUP:
            return tile_images(images, triples)
        # Two groups of triples side by side, a blank column between: larger images in a
        # panel wider than tall.
        half = -(-n // 2)
        cells = np.full((half, 7), -1, dtype=np.int64)
        cells[:, :3] = triples[:half]
        cells[: n - half, 4:] = triples[half:]
        return tile_images(images, cells)

    def _draw_rows(self) -> None:
        mosaic = self.rows_image()
        if mosaic is None:
            self._rows_item.clear()
            return
        self._rows_item.setImage(mosaic)
        self.rows_widget.getPlotItem().autoRange(padding=0.01)

    # -- handlers -----------------------------------------------------------------

    def _on_pad_stroke_finished(self) -> None:
        self.request_sketch()

    def _on_clear_button_clicked(self) -> None:
        self.pad.clear()
        self._output_item.clear()
        self._hint.setVisible(True)

    def _on_brush_slider_value_changed(self, value: int) -> None:
        self.pad.brush = value / _BRUSH_STEPS
        self._brush_label.setText(self.tr("Brush {width} px").format(width=f"{self.pad.brush:g}"))
