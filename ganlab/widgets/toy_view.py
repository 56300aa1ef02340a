"""The layered 2-D view of a toy experiment (GAN Lab's main picture). GUI thread; no torch.

Owns one plot with five toggleable layers, drawn bottom to top: D's output on a grid
(heatmap), the warped latent grid G(z) (manifold), the real samples, the generated samples
from the fixed noise batch, and the arrows of G's gradient on each generated sample. On
top of those: the latent explorer's path, a ring around the selected sample and the
points drawn with the brush. Every plot item is created once; the setters only call
``setData`` / ``setImage`` / ``setRect`` / ``setVisible``, so they can run from the ~30 Hz
refresh timer.

The plot keeps the shape of the bounds (square for square bounds): with the 1:1 aspect
lock a wider plot would show area outside the grid D's field was computed on, where the
heatmap has nothing to draw. What D's output means ("probability" or critic "score") can
change live with the loss; :meth:`ToyViewPanel.set_output_kind` relabels and re-levels the
heatmap without losing what is shown.

The panel is passive: the controller passes numpy arrays in, and the panel emits intent
signals out (a clicked sample, drawn points to use as data).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QIcon,
    QKeyEvent,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QLabel, QToolButton, QVBoxLayout, QWidget

from ganlab.widgets import style
from ganlab.widgets.flow_layout import FlowLayout

if TYPE_CHECKING:
    from ganlab.kernel import reports as rep

LAYER_NAMES: tuple[str, ...] = ("real", "fake", "field", "motion", "manifold")
OUTPUT_KINDS: tuple[str, ...] = ("probability", "score")

CLICK_RADIUS_PX = 8.0  # a click selects the nearest generated sample within this distance
ARROW_FRACTION = 0.08  # the longest gradient arrow is this fraction of the view width
HEAD_FRACTION = 0.012  # arrow-head length, fraction of the view width (capped by the arrow)
HEAD_ANGLE = np.deg2rad(28.0)  # half-angle of the arrow head
_HEAD_LEFT = np.array(
    [[np.cos(HEAD_ANGLE), -np.sin(HEAD_ANGLE)], [np.sin(HEAD_ANGLE), np.cos(HEAD_ANGLE)]]
)  # rotation by +HEAD_ANGLE
_HEAD_RIGHT = _HEAD_LEFT.T  # rotation by -HEAD_ANGLE
STROKE_SPACING = 0.01  # brush points are this fraction of the view width apart
SCORE_PERCENTILES = (1.0, 99.0)  # a critic score's colour range: these percentiles of the field
PLOT_MARGIN = 1.0  # pyqtgraph's own margin around a PlotItem's contents, in pixels
LEGEND_MAX_SHARE = 0.25  # the legend hides when it would take more of the view height

# Checked toggles must read as "on" from the back of a room, in any platform style.
_TOOLBAR_STYLE = """
QToolButton { padding: 3px 8px; border: 1px solid #9a9a9a; border-radius: 4px;
              background: #f2f2f2; color: #202020; }
QToolButton:checkable:!checked { background: #ffffff; color: #707070; border-style: dashed; }
QToolButton:checked { background: #cfe0f5; border: 2px solid #2f5f9e; color: #000000; }
QToolButton:disabled { color: #a8a8a8; border-color: #cccccc; }
QLabel#drawHint { background: #fff4c2; border: 1px solid #c9a227; border-radius: 4px;
                  padding: 3px 8px; color: #202020; }
"""

_EMPTY_2D = np.empty((0, 2))


class _BrushViewBox(pg.ViewBox):
    """A ViewBox that hands left-button drags to a stroke callback while drawing."""

    def __init__(self) -> None:
        super().__init__()
        self.stroke_callback = None  # callable(view_point: QPointF, is_start: bool) or None

    def mouseDragEvent(self, ev, axis=None):  # noqa: N802 (Qt/pyqtgraph name)
        if self.stroke_callback is not None and ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            if ev.isStart():
                self.stroke_callback(self.mapSceneToView(ev.buttonDownScenePos()), True)
            self.stroke_callback(self.mapSceneToView(ev.scenePos()), False)
            return
        super().mouseDragEvent(ev, axis)


def _swatch(fill: str | None, outline: str, shape: str = "dot") -> QIcon:
    """A small coloured icon so each layer button doubles as its legend entry."""
    pixmap = QPixmap(18, 18)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(outline))
    pen.setWidthF(2.0)
    painter.setPen(pen)
    if shape == "dot":
        painter.setBrush(QColor(fill) if fill else Qt.GlobalColor.transparent)
        painter.drawEllipse(QPointF(9, 9), 6, 6)
    elif shape == "arrow":
        painter.drawLine(QPointF(3, 15), QPointF(15, 3))
        painter.drawLine(QPointF(15, 3), QPointF(9, 4))
        painter.drawLine(QPointF(15, 3), QPointF(14, 9))
    elif shape == "grid":
        for k in (3, 9, 15):
            painter.drawLine(QPointF(k, 2), QPointF(k, 16))
            painter.drawLine(QPointF(2, k), QPointF(16, k))
    elif shape == "ramp":
        gradient_colors = (style.FAKE, "#f7f7f7", style.REAL)
        for i, c in enumerate(gradient_colors):
            painter.fillRect(2 + 5 * i, 2, 5, 14, QColor(c))
    painter.end()
    return QIcon(pixmap)


def _line_connect(m: int) -> np.ndarray:
    """Connect array for 2*m polylines of m vertices each: no segment between lines."""
    connect = np.ones(2 * m * m, dtype=bool)
    if m > 0:
        connect[m - 1 :: m] = False
    return connect


class ToyViewPanel(QWidget):
    """GAN Lab's layered 2-D view: data, D's heatmap, G's samples, gradients, manifold."""

    sample_clicked = Signal(int)  # index of the fixed generated sample the user clicked
    drawn_points_applied = Signal(object)  # np.ndarray (K, 2): brush points, on "Apply"
    layer_visibility_changed = Signal(str, bool)  # (layer name, shown) after any toggle

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bounds = ((-1.0, 1.0), (-1.0, 1.0))
        self._output_kind = "probability"
        self._grid_rect = (-1.0, -1.0, 2.0, 2.0)
        self._fake = _EMPTY_2D
        self._selected: int | None = None
        self._field: np.ndarray | None = None  # the field shown, to re-level it on a switch
        self._drawn: list[tuple[float, float]] = []
        self._last_stroke_point: tuple[float, float] | None = None
        self._manifold_connect = _line_connect(0)

        self._build_toolbar()
        self._build_plot()
        self.draw_hint = QLabel(
            self.tr(
                "Drawing: drag on the plot to add points, then Apply to train on them. "
                "Clicking a generated sample does not select it while drawing. "
                "Esc leaves drawing and discards the points not yet applied."
            ),
            self,
        )
        self.draw_hint.setObjectName("drawHint")
        self.draw_hint.setWordWrap(True)
        self.draw_hint.setFont(style.font(0.95))
        self.draw_hint.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(self._toolbar)
        layout.addWidget(self.draw_hint)
        layout.addWidget(self.graphics, 1)
        # Esc must reach the panel whichever of its children has the focus.
        self.graphics.installEventFilter(self)
        self.graphics.viewport().installEventFilter(self)

        self.configure(self._bounds, (np.linspace(-1, 1, 2), np.linspace(-1, 1, 2)), "probability")

    # ------------------------------------------------------------------ construction

    def _build_toolbar(self) -> None:
        # Wraps onto a second line in a narrow window instead of forcing its width.
        self._toolbar = FlowLayout(spacing=4)
        self.setStyleSheet(_TOOLBAR_STYLE)
        specs = {
            "real": (
                self.tr("Real"),
                _swatch(style.REAL, "#ffffff"),
                self.tr("Show the real data samples (green): what G should learn to imitate."),
            ),
            "fake": (
                self.tr("Generated"),
                _swatch(style.FAKE, "#ffffff"),
                self.tr(
                    "Show G's samples (purple). They come from a fixed batch of noise, so "
                    "each dot is the same individual from frame to frame: click one to "
                    "select it."
                ),
            ),
            "field": (
                self.tr("D heatmap"),
                _swatch(None, "#333333", "ramp"),
                self.tr(
                    "Show the discriminator's judgement of every point of the plane: green "
                    "where D says 'real', purple where it says 'fake', white where it "
                    "cannot tell."
                ),
            ),
            "motion": (
                self.tr("G gradients"),
                _swatch(None, style.MOTION, "arrow"),
                self.tr(
                    "Show arrows from each generated sample in the direction G's next "
                    "update moves it (minus the gradient of G's loss). The longest arrow "
                    "is scaled to 8% of the view width; the others in proportion."
                ),
            ),
            "manifold": (
                self.tr("Manifold"),
                _swatch(None, style.G_COLOR, "grid"),
                self.tr(
                    "Show the generator's manifold: a square grid of noise vectors "
                    "(first two latent dimensions) after G has warped it into data space."
                ),
            ),
        }
        self._layer_buttons: dict[str, QToolButton] = {}
        for name in LAYER_NAMES:
            text, icon, tip = specs[name]
            button = self._tool_button(text, tip, checkable=True)
            button.setIcon(icon)
            button.setChecked(True)
            button.toggled.connect(lambda on, layer=name: self._on_layer_button_toggled(layer, on))
            self._layer_buttons[name] = button
            self._toolbar.addWidget(button)

        self.draw_button = self._tool_button(
            self.tr("Draw"),
            self.tr(
                "Draw your own data: while this is on, drag with the left mouse button on "
                "the plot to add points along the stroke. Panning and selecting samples are "
                "off while drawing. Apply uses the points as data; Esc leaves drawing and "
                "discards the points not yet applied."
            ),
            checkable=True,
        )
        self.draw_button.setIcon(_swatch(None, "#111111"))
        self.draw_button.toggled.connect(self._on_draw_button_toggled)
        self.clear_drawing_button = self._tool_button(
            self.tr("Clear"), self.tr("Remove every point drawn with the brush.")
        )
        self.clear_drawing_button.clicked.connect(self._on_clear_drawing_clicked)
        self.apply_button = self._tool_button(
            self.tr("Apply"),
            self.tr("Use the drawn points as the real data set (restarts the experiment)."),
        )
        self.apply_button.clicked.connect(self._on_apply_clicked)
        for button in (self.draw_button, self.clear_drawing_button, self.apply_button):
            self._toolbar.addWidget(button)
        self._update_drawing_buttons()

    def _tool_button(self, text: str, tip: str, checkable: bool = False) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setCheckable(checkable)
        button.setFont(style.font(0.95))
        button.setIconSize(QSize(16, 16))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button

    def _build_plot(self) -> None:
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setToolTip(
            self.tr(
                "Real data (green), generated samples (purple), the discriminator's heatmap "
                "and G's gradients. Click a generated sample to select it."
            )
        )
        self.view_box = _BrushViewBox()
        self.plot = self.graphics.addPlot(row=0, col=0, viewBox=self.view_box)
        style.style_plot(self.plot)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setLabel("bottom", self.tr("x₁"))
        self.plot.setLabel("left", self.tr("x₂"))

        self.view_box.sigResized.connect(self._on_view_box_resized)

        self.field_item = pg.ImageItem(axisOrder="row-major")
        self.field_item.setZValue(-100)
        self.manifold_item = pg.PlotDataItem(
            pen=pg.mkPen(style.color(style.G_COLOR, 140), width=1.2), connect="all"
        )
        self.manifold_item.setZValue(-10)
        self.real_item = pg.ScatterPlotItem(
            size=7, pen=pg.mkPen("#ffffff", width=0.8), brush=pg.mkBrush(style.REAL)
        )
        self.fake_item = pg.ScatterPlotItem(
            size=8, pen=pg.mkPen("#ffffff", width=0.8), brush=pg.mkBrush(style.FAKE)
        )
        self.fake_item.setZValue(10)
        self.motion_item = pg.PlotDataItem(
            pen=pg.mkPen(style.MOTION, width=1.6), connect="pairs", skipFiniteCheck=True
        )
        self.motion_item.setZValue(20)
        self.path_item = pg.PlotDataItem(pen=pg.mkPen(style.D_COLOR, width=3))
        self.path_item.setZValue(30)
        self.path_marker = pg.ScatterPlotItem(
            size=16, pen=pg.mkPen("#000000", width=2), brush=pg.mkBrush(style.D_COLOR)
        )
        self.path_marker.setZValue(31)
        self.selection_item = pg.ScatterPlotItem(
            size=24, pen=pg.mkPen(style.D_COLOR, width=3.5), brush=pg.mkBrush(None)
        )
        self.selection_item.setZValue(40)
        self.drawn_item = pg.ScatterPlotItem(
            size=9,
            symbol="o",
            pen=pg.mkPen("#000000", width=1.8),
            brush=pg.mkBrush(255, 255, 255, 200),
        )
        self.drawn_item.setZValue(50)
        for item in (
            self.field_item,
            self.manifold_item,
            self.real_item,
            self.fake_item,
            self.motion_item,
            self.path_item,
            self.path_marker,
            self.selection_item,
            self.drawn_item,
        ):
            self.plot.addItem(item)
        self._layer_items = {
            "real": (self.real_item,),
            "fake": (self.fake_item, self.selection_item),
            "field": (self.field_item,),
            "motion": (self.motion_item,),
            "manifold": (self.manifold_item,),
        }

        self.color_bar = pg.ColorBarItem(
            values=(0.0, 1.0), colorMap=style.d_colormap(), interactive=False, width=18
        )
        self.color_bar.setImageItem(self.field_item, insert_in=self.plot)
        self.color_bar.axis.setTickFont(style.font(0.85))
        bar_label = self.color_bar.getAxis("left")
        bar_label.label.setFont(style.font(0.95))
        # The bar's title runs along the bar: elided to its height (whole in the tooltip),
        # never over the plot and the legend when the view is short (a projector's 720 px).
        self._bar_title = ""
        self._bar_title_shown: str | None = None
        self.color_bar.getViewBox().sigResized.connect(self._fit_bar_title)

        self.legend = pg.LegendItem(
            colCount=3,
            labelTextSize=f"{style.font(0.95).pointSizeF():.0f}pt",
            labelTextColor="#111111",
            frame=False,
        )
        self.graphics.addItem(self.legend, row=1, col=0)
        self.legend.addItem(self.real_item, self.tr("real data"))
        self.legend.addItem(self.fake_item, self.tr("generated (fixed noise)"))
        self.legend.addItem(self.motion_item, self.tr("G's gradient (longest = 8% of width)"))
        self.legend.addItem(self.manifold_item, self.tr("G's manifold (warped noise grid)"))
        self.legend.addItem(self.path_item, self.tr("latent path"))
        self.legend.addItem(self.drawn_item, self.tr("drawn points"))
        self.legend.sigSampleClicked.connect(self._on_legend_sample_clicked)
        self._legend_extra = (self.path_item, self.drawn_item)  # the window's own layers

        self.plot.scene().sigMouseClicked.connect(self._on_scene_clicked)

    # ------------------------------------------------------------------ public API

    def configure(
        self,
        bounds: tuple[tuple[float, float], tuple[float, float]],
        grid_axes: tuple[np.ndarray, np.ndarray],
        output_kind: str,
    ) -> None:
        """Set up the view for a new segment.

        Parameters
        ----------
        bounds : ((x0, x1), (y0, y1))
            Region shown; the view range is set to it with a locked 1:1 aspect ratio.
        grid_axes : (x_coords (G,), y_coords (G,))
            Cell centres of D's field grid; the heatmap covers their cells exactly.
        output_kind : {"probability", "score"}
            How to read D's output; see :meth:`set_output_kind`.

        The plot takes the bounds' shape, so the view shows the bounds and nothing
        outside them. Does not empty the layers; call :meth:`clear` for that.
        """
        _check_output_kind(output_kind)
        (x0, x1), (y0, y1) = bounds
        self._bounds = ((float(x0), float(x1)), (float(y0), float(y1)))
        self._grid_rect = _grid_rect(np.asarray(grid_axes[0]), np.asarray(grid_axes[1]))
        self.field_item.setRect(*self._grid_rect)
        self._output_kind = output_kind
        self._apply_output_kind()

        self.view_box.setAspectLocked(True, ratio=1.0)
        self._fit_plot_to_bounds()
        self.view_box.setRange(xRange=self._bounds[0], yRange=self._bounds[1], padding=0.0)

    def set_output_kind(self, kind: str) -> None:
        """Say what D's output is, live (a loss switch), keeping everything shown.

        Parameters
        ----------
        kind : {"probability", "score"}
            "probability": D(x) in [0, 1], drawn on fixed levels with white at ½ = can't
            tell. "score": an unbounded critic score, drawn on levels that follow each
            field (its 1st to 99th percentile), labelled as a score, without a ½ meaning.

        Raises
        ------
        ValueError
            For any other kind. Calling it again with the current kind changes nothing.
        """
        _check_output_kind(kind)
        if kind == self._output_kind:
            return
        self._output_kind = kind
        self._apply_output_kind()

    def output_kind(self) -> str:
        """How the heatmap reads D's output now: "probability" or "score"."""
        return self._output_kind

    def set_real(self, points: np.ndarray, labels: np.ndarray | None = None) -> None:
        """Show the real samples (green).

        Parameters
        ----------
        points : (N, 2) array
        labels : (N,) int array or None
            Class of each sample; with more than one class each gets its own symbol.
        """
        points = _as_points(points)
        symbols: str | list[str] = "o"
        if labels is not None and len(labels) == len(points):
            labels = np.asarray(labels)
            if np.unique(labels).size > 1:
                shapes = ("o", "s", "t", "d", "star", "h", "p", "t1", "t2", "t3")
                _, codes = np.unique(labels, return_inverse=True)
                symbols = [shapes[int(c) % len(shapes)] for c in codes]
        self.real_item.setData(pos=points, symbol=symbols)

    def set_snapshot(
        self,
        fake: np.ndarray,
        motion: np.ndarray | None,
        field: np.ndarray | None,
        manifold: np.ndarray | None,
    ) -> None:
        """Update G's samples, their gradient arrows, D's heatmap and the manifold.

        Parameters
        ----------
        fake : (N, 2) array
            G(z) for the fixed noise batch; row i is the same individual every frame.
        motion : (N, 2) array or None
            -dL_G/dx per sample. Drawn as arrows from each sample, all scaled by one
            factor so the longest is 8% of the view width.
        field : (G, G) array or None
            D's output on the grid, indexed [y, x].
        manifold : (m, m, 2) array or None
            G over an m x m grid of (z0, z1); its rows and columns are drawn as lines.
        """
        self._fake = _as_points(fake)
        self.fake_item.setData(pos=self._fake)
        self._update_selection()
        self.motion_item.setData(*self._arrow_segments(self._fake, motion))
        self._set_field(field)
        self._set_manifold(manifold)

    def set_latent_path(self, path: np.ndarray | None, current: int | None = None) -> None:
        """Show the latent explorer's path G(z(t)) on top, highlighting one point.

        Parameters
        ----------
        path : (T, 2) array or None
            None hides the path.
        current : int or None
            Index into ``path`` of the point to highlight.
        """
        if path is None or len(path) == 0:
            self.path_item.setData(_EMPTY_2D)
            self.path_marker.setData(pos=_EMPTY_2D)
            return
        path = _as_points(path)
        self.path_item.setData(path[:, 0], path[:, 1])
        if current is not None and 0 <= current < len(path):
            self.path_marker.setData(pos=path[current : current + 1])
        else:
            self.path_marker.setData(pos=_EMPTY_2D)

    def set_selected(self, index: int | None) -> None:
        """Draw a ring around generated sample ``index`` (follows it frame to frame)."""
        self._selected = None if index is None else int(index)
        self._update_selection()

    def selected(self) -> int | None:
        """Index of the selected generated sample, or None."""
        return self._selected

    def set_layer_visible(self, name: str, visible: bool) -> None:
        """Show or hide one layer: "real", "fake", "field", "motion" or "manifold"."""
        button = self._layer_button(name)
        if button.isChecked() == bool(visible):
            self._apply_layer_visibility(name, bool(visible))
        else:
            button.setChecked(bool(visible))  # the toggled handler updates the items

    def layer_visible(self, name: str) -> bool:
        """Whether layer ``name`` is shown."""
        return self._layer_button(name).isChecked()

    def is_drawing(self) -> bool:
        """Whether draw mode is on (drags add points, clicks do not select samples)."""
        return self.draw_button.isChecked()

    def stop_drawing(self) -> None:
        """Leave draw mode and discard the drawn points not yet applied.

        What Esc does while drawing; the window calls it for a new experiment or preset.
        Data already applied is not touched: it is the experiment's data set.
        """
        self.draw_button.setChecked(False)
        self._clear_drawing()

    def drawn_points(self) -> np.ndarray:
        """The points drawn with the brush so far, as a (K, 2) float array."""
        if not self._drawn:
            return _EMPTY_2D.copy()
        return np.asarray(self._drawn, dtype=float)

    # -- the window's DataPanel protocol (ganlab.app.panels) ------------------------

    def show_segment(self, info: rep.SegmentStarted, family: Any) -> None:
        """A new segment: empty, then set up for its bounds, field grid and D's unit."""
        self.clear()
        bounds = info.bounds or ((-2.0, 2.0), (-2.0, 2.0))
        self.configure(bounds, info.grid_axes, info.output_kind)

    def show_real(self, info: rep.SegmentStarted) -> None:
        self.set_real(info.real, info.real_labels)

    def show_snapshot(self, snapshot: Any) -> None:
        self.set_snapshot(snapshot.fake, snapshot.fake_motion, snapshot.field, snapshot.manifold)

    def show_answer(self, answer: Any) -> None:
        """No requests of its own: nothing to show."""

    def prepare_export(self) -> None:
        """A recorded frame has no latent path and no drawn points (those belong to the
        window's latent explorer and pen): an exported picture's legend leaves them out."""
        for item in self._legend_extra:
            self.legend.removeItem(item)

    def clear(self) -> None:
        """Empty every layer, the selection and the latent path; leave draw mode.

        The drawn points not yet applied are discarded (see :meth:`stop_drawing`).
        """
        self._fake = _EMPTY_2D
        self._field = None
        self._selected = None
        self.real_item.setData(pos=_EMPTY_2D)
        self.fake_item.setData(pos=_EMPTY_2D)
        self.selection_item.setData(pos=_EMPTY_2D)
        self.motion_item.setData(_EMPTY_2D)
        self.manifold_item.setData(_EMPTY_2D)
        self.field_item.clear()
        self.set_latent_path(None)
        self.stop_drawing()

    # ------------------------------------------------------------------ drawing helpers

    def _view_width(self) -> float:
        (x0, x1), _ = self.view_box.viewRange()
        width = float(x1 - x0)
        return width if width > 0 else float(self._bounds[0][1] - self._bounds[0][0])

    def _arrow_segments(
        self, start: np.ndarray, motion: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """x, y of 3 segments per arrow (shaft and two head strokes), for connect='pairs'."""
        if motion is None or len(start) == 0:
            return np.empty(0), np.empty(0)
        motion = np.asarray(motion, dtype=float).reshape(-1, 2)
        if motion.shape != start.shape:
            raise ValueError(f"motion has shape {motion.shape}, fake has {start.shape}")
        length = np.hypot(motion[:, 0], motion[:, 1])
        valid = np.isfinite(length) & np.isfinite(start).all(axis=1) & (length > 0.0)
        if not valid.any():
            return np.empty(0), np.empty(0)
        start, motion, length = start[valid], motion[valid], length[valid]
        # One factor for all arrows, so their lengths still compare.
        width = float(self._bounds[0][1] - self._bounds[0][0])
        factor = ARROW_FRACTION * width / float(length.max())
        tip = start + factor * motion
        head = np.minimum(HEAD_FRACTION * width, 0.45 * factor * length)[:, None]
        back = -motion / length[:, None]  # unit vectors from tip to tail
        verts = np.empty((len(start), 6, 2))
        verts[:, 0] = start
        verts[:, 1] = tip
        verts[:, 2] = tip
        verts[:, 3] = tip + head * (back @ _HEAD_LEFT.T)
        verts[:, 4] = tip
        verts[:, 5] = tip + head * (back @ _HEAD_RIGHT.T)
        verts = verts.reshape(-1, 2)
        return verts[:, 0], verts[:, 1]

    def _set_field(self, field: np.ndarray | None) -> None:
        if field is None or np.size(field) == 0:
            self._field = None
            self.field_item.clear()
            return
        self._field = np.asarray(field, dtype=np.float32)
        levels = self._field_levels(self._field)
        self.field_item.setImage(self._field, autoLevels=False, levels=levels)
        self.field_item.setRect(*self._grid_rect)
        if self.color_bar.levels() != levels:
            self.color_bar.setLevels(levels)

    def _field_levels(self, field: np.ndarray | None) -> tuple[float, float]:
        """[0, 1] for a probability; for a score the field's robust range.

        A critic's score has no fixed scale or offset (WGAN), so fixed or zero-centred
        levels can leave the whole plane one colour; percentiles use the whole map.
        """
        if self._output_kind == "probability":
            return (0.0, 1.0)
        finite = np.empty(0) if field is None else field[np.isfinite(field)]
        if finite.size == 0:
            return (-1.0, 1.0)
        finite = finite[:: max(1, finite.size // 65536)]  # enough for percentiles, and cheap
        low, high = (float(v) for v in np.percentile(finite, SCORE_PERCENTILES))
        if high - low <= 1e-6 * max(1.0, abs(low), abs(high)):
            return (low - 1.0, high + 1.0)  # a flat field: its value in the neutral middle
        return (low, high)

    def _set_bar_title(self, text: str) -> None:
        self._bar_title = text
        self._bar_title_shown = None
        self._fit_bar_title()

    def _fit_bar_title(self, *_: object) -> None:
        """The colour bar's title, elided to the bar's height; hidden below 60 px."""
        axis = self.color_bar.getAxis("left")
        room = self.color_bar.getViewBox().height() - 12.0
        shown = QFontMetricsF(axis.label.font()).elidedText(
            self._bar_title, Qt.TextElideMode.ElideRight, max(room, 0.0)
        )
        if shown != self._bar_title and room < 60:
            shown = ""
        if shown == self._bar_title_shown:
            return
        self._bar_title_shown = shown
        if shown:
            axis.setLabel(shown)  # shows the label again
        else:
            axis.showLabel(False)

    def _apply_output_kind(self) -> None:
        """Labels, tooltips and levels for the current output kind; keeps the field."""
        bar_axis = self.color_bar.getAxis("left")
        field_button = self._layer_buttons["field"]
        if self._output_kind == "probability":
            self._set_bar_title(self.tr("D(x): 1 = real, ½ = can't tell, 0 = fake"))
            self.color_bar.setToolTip(
                self.tr(
                    "Discriminator output D(x), the probability it gives that x is real: "
                    "green 1 = real, white ½ = can't tell, purple 0 = fake."
                )
            )
            field_button.setToolTip(
                self.tr(
                    "Show the discriminator's judgement of every point of the plane: green "
                    "where D says 'real', purple where it says 'fake', white where it "
                    "cannot tell."
                )
            )
        else:
            self._set_bar_title(self.tr("critic score: higher = judged more real"))
            self.color_bar.setToolTip(
                self.tr(
                    "Critic score of each point, not a probability: green = higher = judged "
                    "more real, purple = lower. A critic's scores have no fixed scale and no "
                    "neutral value: the colours span the current field, so white is only the "
                    "middle of its range."
                )
            )
            field_button.setToolTip(
                self.tr(
                    "Show the critic's score of every point of the plane: greener where it "
                    "scores higher (judged more real), more purple where it scores lower."
                )
            )
        bar_axis.label.setFont(style.font(0.95))
        self._bar_title_shown = None
        self._fit_bar_title()  # with the font it is drawn in
        bar_axis.resizeEvent()  # pyqtgraph places a label only on resize: centre the new text
        levels = self._field_levels(self._field)
        if self._field is not None:
            self.field_item.setLevels(levels)
        self.color_bar.setLevels(levels)

    def _fit_plot_to_bounds(self) -> None:
        """Give the ViewBox the bounds' aspect ratio, centred, with white space around.

        With the 1:1 aspect lock, a ViewBox of another shape shows more than the bounds
        on one axis: area outside the grid of D's field, where the heatmap is empty.
        """
        layout = self.plot.layout
        left, top, right, bottom = layout.getContentsMargins()
        box = self.view_box.size()
        if box.width() <= 0 or box.height() <= 0:
            return
        # What the ViewBox would get with no extra margins (axes and colour bar take the rest).
        free_w = box.width() + left + right - 2 * PLOT_MARGIN
        free_h = box.height() + top + bottom - 2 * PLOT_MARGIN
        (x0, x1), (y0, y1) = self._bounds
        aspect = (x1 - x0) / (y1 - y0) if y1 > y0 and x1 > x0 else 1.0
        extra_x = max(0.0, (free_w - free_h * aspect) / 2)
        extra_y = max(0.0, (free_h - free_w / aspect) / 2)
        margins = (PLOT_MARGIN + extra_x, PLOT_MARGIN + extra_y) * 2
        if max(abs(a - b) for a, b in zip(margins, (left, top, right, bottom), strict=True)) > 0.5:
            layout.setContentsMargins(*margins)
            layout.activate()  # resize the ViewBox now, not one frame late

    def _set_manifold(self, manifold: np.ndarray | None) -> None:
        if manifold is None or np.size(manifold) == 0:
            self.manifold_item.setData(_EMPTY_2D)
            return
        manifold = np.asarray(manifold, dtype=float)
        if manifold.ndim != 3 or manifold.shape[0] != manifold.shape[1] or manifold.shape[2] != 2:
            raise ValueError(f"manifold must be (m, m, 2), not {manifold.shape}")
        m = manifold.shape[0]
        if len(self._manifold_connect) != 2 * m * m:
            self._manifold_connect = _line_connect(m)
        rows = manifold.reshape(m * m, 2)
        cols = manifold.transpose(1, 0, 2).reshape(m * m, 2)
        lines = np.concatenate([rows, cols])
        self.manifold_item.setData(lines[:, 0], lines[:, 1], connect=self._manifold_connect)

    def _update_selection(self) -> None:
        index = self._selected
        if index is None or not 0 <= index < len(self._fake):
            self.selection_item.setData(pos=_EMPTY_2D)
        else:
            self.selection_item.setData(pos=self._fake[index : index + 1])

    def _layer_button(self, name: str) -> QToolButton:
        try:
            return self._layer_buttons[name]
        except KeyError:
            raise KeyError(f"unknown layer {name!r}; layers are {', '.join(LAYER_NAMES)}") from None

    def _apply_layer_visibility(self, name: str, visible: bool) -> None:
        for item in self._layer_items[name]:
            item.setVisible(visible)
        for sample, _ in self.legend.items:
            sample.update()  # a hidden layer's legend sample shows a crossed-out eye

    def _add_stroke_point(self, point: QPointF, is_start: bool) -> None:
        x, y = float(point.x()), float(point.y())
        spacing = STROKE_SPACING * self._view_width()
        last = None if is_start else self._last_stroke_point
        if last is None:
            self._drawn.append((x, y))
            self._last_stroke_point = (x, y)
        else:
            dx, dy = x - last[0], y - last[1]
            n = int(np.hypot(dx, dy) // spacing)
            if n == 0:
                return
            # Points every `spacing` along the segment, so fast strokes stay evenly filled.
            t = np.arange(1, n + 1) * (spacing / np.hypot(dx, dy))
            new = np.stack([last[0] + t * dx, last[1] + t * dy], axis=1)
            self._drawn.extend(map(tuple, new.tolist()))
            self._last_stroke_point = (float(new[-1, 0]), float(new[-1, 1]))
        self.drawn_item.setData(pos=self.drawn_points())
        self._update_drawing_buttons()

    def _clear_drawing(self) -> None:
        self._drawn = []
        self._last_stroke_point = None
        self.drawn_item.setData(pos=_EMPTY_2D)
        self._update_drawing_buttons()

    def _update_drawing_buttons(self) -> None:
        has_points = bool(self._drawn)
        self.apply_button.setEnabled(has_points)
        self.clear_drawing_button.setEnabled(has_points)

    # ------------------------------------------------------------------ handlers

    def _on_layer_button_toggled(self, name: str, visible: bool) -> None:
        self._apply_layer_visibility(name, visible)
        self.layer_visibility_changed.emit(name, visible)

    def _on_legend_sample_clicked(self, item) -> None:
        # A legend sample toggles its item itself; keep the layer button in step.
        for name, items in self._layer_items.items():
            if items[0] is item:
                self.set_layer_visible(name, item.isVisible())

    def _on_draw_button_toggled(self, on: bool) -> None:
        self.view_box.stroke_callback = self._add_stroke_point if on else None
        self.view_box.setMouseEnabled(x=not on, y=not on)
        cursor = Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor
        self.graphics.viewport().setCursor(cursor)
        self.draw_hint.setVisible(on)
        if on:
            self.graphics.setFocus(Qt.FocusReason.OtherFocusReason)  # so Esc reaches us

    def _on_view_box_resized(self) -> None:
        self._fit_plot_to_bounds()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._fit_legend()

    def restyle(self) -> None:
        """After the presentation factor changed: the legend's columns and the colour
        bar's title for their new sizes."""
        self._fit_legend()
        self._bar_title_shown = None
        self._fit_bar_title()

    def _fit_legend(self) -> None:
        """As many legend columns as the width holds: a legend wider than the view would
        push the colour bar and its own last column out of sight.

        On a short or narrow view (longer Spanish names, a projector's larger text) the
        legend first gets a smaller font, then entries shortened to two columns ("…",
        the full name in the entry's tooltip); it hides only when even that would take
        more than ``LEGEND_MAX_SHARE`` of the height (the layer buttons' swatches name
        the colours then).
        """
        if not hasattr(self, "_legend_names"):
            self._legend_names = [label.text for _s, label in self.legend.items]
        room = self.graphics.width() - 24  # the layout's margins and the legend's own
        most_height = LEGEND_MAX_SHARE * self.graphics.height()
        for scale, elide in ((0.95, False), (0.8, False), (0.8, True)):
            size = f"{style.font(scale).pointSizeF():.1f}pt"
            columns = 2 if elide else 3
            for (sample, label), name in zip(self.legend.items, self._legend_names, strict=True):
                text = name
                if elide:
                    f = style.font(scale)
                    width = room / columns - sample.boundingRect().width() - 16
                    text = QFontMetricsF(f).elidedText(name, Qt.TextElideMode.ElideRight, width)
                label.setToolTip(name if text != name else "")
                if label.text != text or label.opts.get("size") != size:
                    label.setText(text, size=size)
            if not elide:
                columns = style.legend_columns(self.legend, room, most=3)
            rows = -(-len(self.legend.items) // columns)
            row_height = max(
                (label.item.boundingRect().height() for _s, label in self.legend.items),
                default=0,
            )
            fits = rows * row_height <= most_height
            if fits:
                break
        if columns != self.legend.columnCount:
            self.legend.setColumnCount(columns)
        if fits != self.legend.isVisible():
            self.legend.setVisible(fits)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        """Esc on the plot leaves draw mode (before any window shortcut takes the key)."""
        if (
            event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.is_drawing()
        ):
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                self.stop_drawing()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        """Esc anywhere in the panel (a toolbar button has the focus) leaves draw mode."""
        if event.key() == Qt.Key.Key_Escape and self.is_drawing():
            event.accept()
            self.stop_drawing()
            return
        super().keyPressEvent(event)

    def _on_clear_drawing_clicked(self) -> None:
        self._clear_drawing()

    def _on_apply_clicked(self) -> None:
        points = self.drawn_points()
        if len(points):
            # The points stay on show (and can be applied again if the window refuses
            # them); the restart's clear() removes them.
            self.draw_button.setChecked(False)
            self.drawn_points_applied.emit(points)

    def _on_scene_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.view_box.stroke_callback:
            return
        if not self.layer_visible("fake") or len(self._fake) == 0:
            return
        if not self.view_box.sceneBoundingRect().contains(event.scenePos()):
            return
        click = self.view_box.mapSceneToView(event.scenePos())
        px, py = self.view_box.viewPixelSize()  # view units per pixel
        dist2 = ((self._fake[:, 0] - click.x()) / px) ** 2 + (
            (self._fake[:, 1] - click.y()) / py
        ) ** 2
        dist2 = np.where(np.isfinite(dist2), dist2, np.inf)
        nearest = int(np.argmin(dist2))
        if dist2[nearest] <= CLICK_RADIUS_PX**2:
            event.accept()
            self.sample_clicked.emit(nearest)


def _check_output_kind(kind: str) -> None:
    if kind not in OUTPUT_KINDS:
        raise ValueError(f"output kind must be 'probability' or 'score', not {kind!r}")


def _as_points(points: np.ndarray) -> np.ndarray:
    points = np.asarray(points, dtype=float)
    if points.size == 0:
        return _EMPTY_2D
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"expected an (N, 2) array, got shape {points.shape}")
    return points


def _grid_rect(xs: np.ndarray, ys: np.ndarray) -> tuple[float, float, float, float]:
    """(x, y, w, h) covering the cells whose centres are xs, ys (uniform spacing)."""

    def span(c: np.ndarray) -> tuple[float, float]:
        c = np.asarray(c, dtype=float).ravel()
        step = (c[-1] - c[0]) / (len(c) - 1) if len(c) > 1 else 1.0
        return float(c[0] - step / 2), float(step * len(c))

    x, w = span(xs)
    y, h = span(ys)
    return x, y, w, h
