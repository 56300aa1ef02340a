"""The latent explorer panel: walk a path through G's latent space. GUI thread; no torch.

Owns the anchors (latent vectors the user picked), the interpolated path between them
(built with :mod:`ganlab.kernel.interpolation`), the position along it and the walk
animation. It asks for the path's samples with ``samples_requested`` and shows what the
controller answers through :meth:`LatentExplorerPanel.set_frames`: for images a strip of
thumbnails and the current frame large, for toy data the current point's coordinates
(the path itself is drawn on the 2-D view by the controller).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFontMetrics, QHideEvent, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGraphicsRectItem,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ganlab.kernel import interpolation
from ganlab.widgets import style
from ganlab.widgets.flow_layout import FlowLayout
from ganlab.widgets.image_view import SEPARATOR, cell_at, image_plot, tile_images

THUMBNAILS_PER_ROW = 12  # steps shown per segment in the strip (plus its end anchor)
DEFAULT_STEPS = 12  # steps per segment between two anchors
DEFAULT_FPS = 12  # walk speed, frames per second
EXPLORER_MIN_HEIGHT = 90  # pixels of controls before they scroll
# Wider than this many times its height, the panel puts the controls beside the view
# (a strip under the data view); narrower, above it (a tab in a side dock).
SIDE_BY_SIDE_ASPECT = 1.6


def latent_from_seed(seed: int, latent_dim: int, latent_dist: str) -> np.ndarray:
    """A reproducible latent vector: N(0, I) for "gaussian", U(-1, 1) for "uniform".

    Returns
    -------
    np.ndarray
        (latent_dim,) float32, drawn with ``np.random.default_rng(seed)``.
    """
    rng = np.random.default_rng(seed)
    if latent_dist == "uniform":
        return rng.uniform(-1.0, 1.0, latent_dim).astype(np.float32)
    return rng.standard_normal(latent_dim).astype(np.float32)


def thumbnail_cells(
    count: int, steps_per_segment: int, per_row: int = THUMBNAILS_PER_ROW
) -> np.ndarray:
    """Which frame of a path of ``count`` frames goes in each cell of the thumbnail strip.

    A path made of whole segments gets one row per segment, from its first anchor to the
    next (both ends shown, so an anchor ends one row and starts the next), subsampled to
    at most ``per_row`` + 1 frames. Any other length gets one evenly subsampled row.

    Returns
    -------
    np.ndarray
        (rows, cols) int array of frame indices; -1 marks an empty cell.
    """
    if count == 0:
        return np.full((0, 0), -1, dtype=np.int64)
    steps = max(1, steps_per_segment)
    segments = (count - 1) // steps
    if segments == 0 or segments * steps != count - 1:
        picks = np.linspace(0, count - 1, min(count, per_row + 1))
        return np.unique(np.round(picks).astype(np.int64))[None, :]
    offsets = np.unique(np.round(np.linspace(0, steps, min(steps, per_row) + 1)).astype(np.int64))
    return np.arange(segments)[:, None] * steps + offsets[None, :]


class LatentExplorerPanel(QWidget):
    """Pick anchor vectors, interpolate between them, and walk the path.

    Passive: the controller calls :meth:`configure` once per segment, answers
    ``samples_requested`` with :meth:`set_frames`, and may add anchors (for example the
    noise vector of a sample the user clicked) with :meth:`add_anchor`.
    """

    samples_requested = Signal(object, object)  # z (T, latent_dim) float32, labels (T,) | None
    position_changed = Signal(int)  # index along the path now shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(style.font())
        self._latent_dim = 0
        self._latent_dist = "gaussian"
        self._is_image = True
        self._conditional = False
        self._anchors: list[np.ndarray] = []
        self._anchor_names: list[str] = []
        self._path = np.zeros((0, 0), dtype=np.float32)
        self._frames: np.ndarray | None = None
        self._thumbs = np.full((0, 0), -1, dtype=np.int64)  # frame index per strip cell
        self._thumb_shape: tuple[int, int] = (0, 0)
        self._frame_range: tuple[int, int] = (0, 0)  # (W, H) the large view is fitted to
        self._seed_rng = np.random.default_rng()  # only picks the seed for "Add random"
        self._batch_update = False  # set while several changes make one new path

        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)

        # The three groups wrap like words: side by side in a wide strip under the view,
        # one under the other in a narrow dock, scrolled when even that is too short.
        # The path's choices first: a lesson asks for them, and in a short dock the
        # anchor list under them would scroll them out of sight.
        groups = QWidget()
        flow = FlowLayout(groups, spacing=6)
        flow.addWidget(self._build_path_box())
        anchors = self._build_anchor_box()
        walk = QWidget()
        walk_column = QVBoxLayout(walk)
        walk_column.setContentsMargins(0, 0, 0, 0)
        walk_column.addWidget(self._build_walk_box())
        self._status = QLabel()
        self._status.setWordWrap(True)
        self._status.setFont(style.font(1.0, bold=True))
        walk_column.addWidget(self._status)
        flow.addWidget(walk)
        flow.addWidget(anchors)
        self._controls_area = QScrollArea()
        self._controls_area.setWidget(groups)
        self._controls_area.setWidgetResizable(True)
        self._controls_area.setFrameShape(QFrame.Shape.NoFrame)
        self._controls_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bar = self._controls_area.verticalScrollBar().sizeHint().width()
        self._controls_area.setMinimumWidth(flow.minimumSize().width() + bar)
        self._controls_area.setMinimumHeight(EXPLORER_MIN_HEIGHT)

        self._views = QStackedWidget()
        self._views.addWidget(self._build_image_page())
        self._views.addWidget(self._build_toy_page())

        # Narrow first: hidden in a tab, the panel asks no more width than a side dock has.
        self._layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self._layout.addWidget(self._controls_area, 3)
        self._layout.addWidget(self._views, 2)
        self._refresh_controls()

    # -- construction ----------------------------------------------------------------

    def _build_anchor_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Anchors"))
        self._anchor_list = QListWidget()
        self._anchor_list.setToolTip(
            self.tr(
                "The latent vectors the path goes through, in order. Click a generated"
                " image in the image view to add its noise vector here."
            )
        )
        self._anchor_list.setMinimumHeight(70)
        # About five anchors in sight, the rest scroll: the list must not take the dock.
        self._anchor_list.setMaximumHeight(
            QFontMetrics(self._anchor_list.font()).lineSpacing() * 5 + 12
        )
        self._anchor_list.currentRowChanged.connect(self._on_anchor_list_current_row_changed)

        self._add_random = QPushButton(self.tr("Add random"))
        self._add_random.setToolTip(
            self.tr("Add a random latent vector; its seed is shown so you can find it again.")
        )
        self._add_random.clicked.connect(self._on_add_random_clicked)
        self._remove = QPushButton(self.tr("Remove"))
        self._remove.setToolTip(self.tr("Remove the selected anchor from the path."))
        self._remove.clicked.connect(self._on_remove_clicked)

        self._seed = QSpinBox()
        self._seed.setRange(0, 2**31 - 1)
        self._seed.setToolTip(
            self.tr("Seed of the random generator: the same seed always gives the same vector.")
        )
        self._add_seed = QPushButton(self.tr("Add by seed"))
        self._add_seed.setToolTip(self.tr("Add the latent vector drawn with this seed."))
        self._add_seed.clicked.connect(self._on_add_seed_clicked)

        row1 = QHBoxLayout()
        row1.addWidget(self._add_random)
        row1.addWidget(self._remove)
        row2 = QHBoxLayout()
        row2.addWidget(self._seed, 1)
        row2.addWidget(self._add_seed)
        layout = QVBoxLayout(box)
        layout.addWidget(self._anchor_list)
        layout.addLayout(row1)
        layout.addLayout(row2)
        return box

    def _build_path_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Path"))
        self._kind = QComboBox()
        self._kind.addItem(self.tr("Spherical"), "slerp")
        self._kind.addItem(self.tr("Linear"), "lerp")
        self._kind.setToolTip(
            self.tr(
                "Linear: a straight line between anchors. It cuts through the middle of the"
                " latent space, closer to the origin than any sample the generator was"
                " trained on.\nSpherical: follows the arc between anchors, so the vectors"
                " keep their length and the path stays in the typical shell of a gaussian"
                " (length about the square root of the latent size)."
            )
        )
        self._kind.currentIndexChanged.connect(self._on_kind_current_index_changed)

        self._steps = QSpinBox()
        self._steps.setRange(1, 200)
        self._steps.setValue(DEFAULT_STEPS)
        self._steps.setToolTip(
            self.tr("How many frames the path takes from one anchor to the next.")
        )
        self._steps.valueChanged.connect(self._on_steps_value_changed)

        self._class = QComboBox()
        self._class.setToolTip(
            self.tr("The class the conditional generator is asked for along the whole path.")
        )
        self._class.currentIndexChanged.connect(self._on_class_current_index_changed)

        self._path_form = QFormLayout(box)
        self._path_form.addRow(self.tr("Interpolation"), self._kind)
        self._path_form.addRow(self.tr("Steps per segment"), self._steps)
        self._path_form.addRow(self.tr("Class"), self._class)
        return box

    def _build_walk_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Walk"))
        self._slider = QSlider(Qt.Orientation.Horizontal)
        self._slider.setToolTip(self.tr("Move along the path: left is the first anchor."))
        self._slider.valueChanged.connect(self._on_slider_value_changed)

        self._play = QPushButton(self.tr("Play walk"))
        self._play.setToolTip(self.tr("Animate the walk along the path, or pause it."))
        self._play.clicked.connect(self._on_play_clicked)
        self._loop = QCheckBox(self.tr("Loop"))
        self._loop.setToolTip(self.tr("Start again from the first anchor after the last one."))
        self._fps = QSpinBox()
        self._fps.setRange(1, 60)
        self._fps.setValue(DEFAULT_FPS)
        self._fps.setSuffix(self.tr(" frames/s"))
        self._fps.setToolTip(self.tr("Speed of the walk in frames per second."))
        self._fps.valueChanged.connect(self._on_fps_value_changed)
        self._timer.setInterval(round(1000 / DEFAULT_FPS))

        row = QHBoxLayout()
        row.addWidget(self._play)
        row.addWidget(self._loop)
        row.addWidget(self._fps)
        layout = QVBoxLayout(box)
        layout.addWidget(self._slider)
        layout.addLayout(row)
        return box

    def _build_image_page(self) -> QWidget:
        page = QWidget()
        self._frame_widget, self._frame_item = image_plot(self.tr("Current frame"))
        self._frame_widget.setToolTip(
            self.tr("What the generator makes at this point of the path.")
        )
        self._strip_widget, self._strip_item = image_plot(self.tr("The path, anchor to anchor"))
        self._strip_widget.setToolTip(
            self.tr(
                "Thumbnails along the path, one row from each anchor to the next. The framed"
                " one is shown large. Click a thumbnail to jump there."
            )
        )
        strip_plot = self._strip_widget.getPlotItem()
        self._strip_item.pixel_clicked.connect(self._on_strip_pixel_clicked)
        self._highlight = QGraphicsRectItem()
        pen = pg.mkPen(style.D_COLOR, width=3)
        pen.setCosmetic(True)
        self._highlight.setPen(pen)
        self._highlight.setVisible(False)
        strip_plot.addItem(self._highlight)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._frame_widget, 3)
        layout.addWidget(self._strip_widget, 2)
        return page

    def _build_toy_page(self) -> QWidget:
        page = QWidget()
        self._point_label = QLabel()
        self._point_label.setFont(style.font(1.0))
        self._point_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._point_label.setWordWrap(True)
        self._point_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._point_label.setToolTip(
            self.tr("Where the current latent vector lands in data space (see the 2-D view).")
        )
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._point_label)
        return page

    # -- public API --------------------------------------------------------------------

    def configure(
        self,
        latent_dim: int,
        latent_dist: str,
        is_image: bool,
        class_names: tuple[str, ...],
        *,
        conditional: bool | None = None,
    ) -> None:
        """Set up for a new segment: clear the anchors and add two random ones.

        Parameters
        ----------
        latent_dim
            Length of a latent vector.
        latent_dist
            "gaussian" (N(0, I)) or "uniform" (U(-1, 1)).
        is_image
            True for image data (thumbnails), False for toy data (coordinates).
        class_names
            The classes a conditional generator takes.
        conditional
            Whether to show the class picker; None means "if there are class names".

        Emits ``samples_requested`` once for the path between seeds 0 and 1.
        """
        self.stop()
        self._latent_dim = int(latent_dim)
        self._latent_dist = latent_dist
        self._is_image = bool(is_image)
        self._conditional = bool(class_names) if conditional is None else bool(conditional)
        self._class.blockSignals(True)
        self._class.clear()
        self._class.addItems([str(name) for name in class_names])
        self._class.blockSignals(False)
        self._path_form.setRowVisible(self._class, self._conditional)
        self._views.setCurrentIndex(0 if self._is_image else 1)
        # A toy point's read-out is a few lines: the controls keep the rest of the dock.
        self._layout.setStretch(1, 2 if self._is_image else 0)
        self._views.setSizePolicy(
            QSizePolicy.Policy.Preferred,
            QSizePolicy.Policy.Expanding if self._is_image else QSizePolicy.Policy.Maximum,
        )
        for index in range(self._views.count()):  # only the page shown asks for room
            shown = index == self._views.currentIndex()
            policy = QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored
            self._views.widget(index).setSizePolicy(policy, policy)
        self._anchors.clear()
        self._anchor_names.clear()
        self._anchor_list.clear()
        self._frames = None
        self._show_frame()
        self._batch_update = True
        try:
            for seed in (0, 1):
                self.add_anchor(self._vector(seed), self.tr("seed {0}").format(seed))
        finally:
            self._batch_update = False
        self._rebuild_path()

    def add_anchor(self, z: np.ndarray, label: str) -> None:
        """Append a latent vector (latent_dim,) to the path under ``label``."""
        z = np.asarray(z, dtype=np.float32).reshape(-1)
        if self._latent_dim == 0:
            self._latent_dim = z.size
        if z.size != self._latent_dim:
            raise ValueError(f"anchor has {z.size} values, the latent space has {self._latent_dim}")
        self._anchors.append(z.copy())
        self._anchor_names.append(str(label))
        self._anchor_list.addItem(self._anchor_text(len(self._anchors) - 1))
        self._rebuild_path()

    def anchors(self) -> np.ndarray:
        """The anchors in path order, (K, latent_dim) float32."""
        if not self._anchors:
            return np.zeros((0, self._latent_dim), dtype=np.float32)
        return np.stack(self._anchors)

    def set_frames(self, frames: np.ndarray) -> None:
        """Show the samples of the path: images (T, H, W, C) uint8 or toy points (T, dim)."""
        frames = np.asarray(frames)
        if frames.ndim == 3 and self._is_image:
            frames = frames[..., None]  # (T, H, W) gray
        self._frames = frames
        self._views.setCurrentIndex(0 if frames.ndim == 4 else 1)
        if frames.ndim == 4:
            self._show_strip()
        self._show_frame()

    def position(self) -> int:
        """Index along the path now shown (0 when there is no path)."""
        return self._slider.value() if len(self._path) else 0

    def path(self) -> np.ndarray:
        """The current path, (T, latent_dim) float32; empty with fewer than two anchors."""
        return self._path.copy()

    def refresh_samples(self) -> bool:
        """Ask again for the samples of the current path, e.g. because G has trained since.

        Emits ``samples_requested`` when there is a path; returns whether it did.
        """
        if not len(self._path):
            return False
        self.samples_requested.emit(self._path.copy(), self._labels(len(self._path)))
        return True

    def is_playing(self) -> bool:
        """True while the walk animation runs."""
        return self._timer.isActive()

    def stop(self) -> None:
        """Pause the walk animation."""
        self._timer.stop()
        self._play.setText(self.tr("Play walk"))

    # -- path --------------------------------------------------------------------------

    def _vector(self, seed: int) -> np.ndarray:
        return latent_from_seed(seed, self._latent_dim, self._latent_dist)

    def _anchor_text(self, index: int) -> str:
        norm = float(np.linalg.norm(self._anchors[index]))
        return self.tr("A{0}  {1}  (length {2:.2f})").format(
            index + 1, self._anchor_names[index], norm
        )

    def _labels(self, count: int) -> np.ndarray | None:
        if not self._conditional:
            return None
        return np.full(count, max(0, self._class.currentIndex()), dtype=np.int64)

    def _rebuild_path(self) -> None:
        """New path from the anchors and settings; ask for its samples."""
        if self._batch_update:
            return
        if len(self._anchors) < 2:
            self.stop()
            self._path = np.zeros((0, self._latent_dim), dtype=np.float32)
            self._frames = None  # the old samples belong to no path now
            self._show_frame()
        else:
            kind = self._kind.currentData()
            self._path = interpolation.path(self.anchors(), self._steps.value(), kind)
        self._slider.blockSignals(True)
        old = self._slider.value()
        self._slider.setRange(0, max(0, len(self._path) - 1))
        self._slider.blockSignals(False)
        self._refresh_controls()
        if len(self._path):
            self.samples_requested.emit(self._path.copy(), self._labels(len(self._path)))
            if self._slider.value() != old:  # the path got shorter than the position
                self._on_slider_value_changed(self._slider.value())

    def _refresh_controls(self) -> None:
        has_path = len(self._path) > 0
        self._slider.setEnabled(has_path)
        self._play.setEnabled(has_path)
        self._remove.setEnabled(self._anchor_list.currentRow() >= 0)
        self._update_status()

    def _update_status(self) -> None:
        count = len(self._path)
        if count == 0:
            self._status.setText(
                self.tr("Add at least two anchors: the walk goes from one to the next.")
            )
            return
        position = self._slider.value()
        steps = self._steps.value()
        segment = min(position // steps, len(self._anchors) - 2)
        t = (position - segment * steps) / steps
        self._status.setText(
            self.tr("A{0} to A{1}, t = {2:.2f}  (frame {3} of {4})").format(
                segment + 1, segment + 2, t, position + 1, count
            )
        )

    # -- display -----------------------------------------------------------------------

    def _show_strip(self) -> None:
        frames = self._frames
        assert frames is not None
        count, h, w = frames.shape[:3]
        steps = self._steps.value()
        self._thumbs = thumbnail_cells(count, steps)
        self._thumb_shape = (h, w)
        tiled = tile_images(frames.astype(np.uint8, copy=False), self._thumbs)
        self._strip_item.setImage(tiled, autoLevels=False, levels=(0, 255))
        plot = self._strip_widget.getPlotItem()
        plot.setRange(xRange=(0, tiled.shape[1]), yRange=(0, tiled.shape[0]), padding=0.02)
        rows = self._thumbs.shape[0]
        axis = plot.getAxis("left")
        if rows > 1 or count == len(self._path):
            ticks = [
                (r * (h + SEPARATOR) + h / 2, self.tr("A{0} → A{1}").format(r + 1, r + 2))
                for r in range(rows)
            ]
            axis.setTicks([ticks, []])
            metrics = QFontMetrics(axis.style["tickFont"] or style.font(0.9))
            axis.setWidth(max(metrics.horizontalAdvance(t) for _, t in ticks) + 14)
            plot.showAxis("left")
        else:
            plot.hideAxis("left")

    def _show_frame(self) -> None:
        frames = self._frames
        if frames is None or len(frames) == 0:
            self._frame_item.clear()
            self._strip_item.clear()
            self._highlight.setVisible(False)
            self._point_label.setText(self.tr("No samples yet."))
            return
        index = min(self.position(), len(frames) - 1)
        total = len(frames)
        if frames.ndim == 4:
            image = frames[index]
            image = image[..., 0] if image.shape[-1] == 1 else image
            self._frame_item.setImage(image, autoLevels=False, levels=(0, 255))
            plot = self._frame_widget.getPlotItem()
            if (image.shape[1], image.shape[0]) != self._frame_range:
                self._frame_range = (image.shape[1], image.shape[0])
                plot.setRange(xRange=(0, image.shape[1]), yRange=(0, image.shape[0]), padding=0.02)
            plot.setTitle(
                self.tr("Frame {0} of {1}").format(index + 1, total),
                size=f"{style.font(1.15).pointSizeF():.0f}pt",
            )
            self._move_highlight(index)
        else:
            point = ", ".join(f"{v:.3f}" for v in frames[index].reshape(-1))
            z = self._path[min(index, len(self._path) - 1)] if len(self._path) else None
            z_text = "" if z is None else ", ".join(f"{v:.2f}" for v in z[:8])
            if z is not None and len(z) > 8:
                z_text += ", …"
            self._point_label.setText(
                self.tr(
                    "Point {0} of {1}\nin data space: ({2})\nz = ({3})\n"
                    "The path itself is drawn on the 2-D view."
                ).format(index + 1, total, point, z_text)
            )

    def _move_highlight(self, index: int) -> None:
        """Frame the thumbnail nearest to ``index`` in the row of the current segment."""
        cells = self._thumbs
        if cells.size == 0:
            self._highlight.setVisible(False)
            return
        steps = self._steps.value()
        row = min(index // steps, cells.shape[0] - 1) if cells.shape[0] > 1 else 0
        distance = np.where(cells[row] >= 0, np.abs(cells[row] - index), np.iinfo(np.int64).max)
        col = int(np.argmin(distance))
        h, w = self._thumb_shape
        x, y = col * (w + SEPARATOR), row * (h + SEPARATOR)
        self._highlight.setRect(QRectF(x - 1.0, y - 1.0, w + 2.0, h + 2.0))
        self._highlight.setVisible(True)

    # -- handlers ----------------------------------------------------------------------

    def _on_anchor_list_current_row_changed(self, _row: int) -> None:
        self._remove.setEnabled(self._anchor_list.currentRow() >= 0)

    def _on_add_random_clicked(self) -> None:
        seed = int(self._seed_rng.integers(0, 2**31 - 1))
        self.add_anchor(self._vector(seed), self.tr("random, seed {0}").format(seed))

    def _on_add_seed_clicked(self) -> None:
        seed = self._seed.value()
        self.add_anchor(self._vector(seed), self.tr("seed {0}").format(seed))

    def _on_remove_clicked(self) -> None:
        row = self._anchor_list.currentRow()
        if row < 0:
            return
        del self._anchors[row]
        del self._anchor_names[row]
        self._anchor_list.takeItem(row)
        for i in range(self._anchor_list.count()):
            self._anchor_list.item(i).setText(self._anchor_text(i))
        self._rebuild_path()

    def _on_kind_current_index_changed(self, _index: int) -> None:
        self._rebuild_path()

    def _on_steps_value_changed(self, _value: int) -> None:
        self._rebuild_path()

    def _on_class_current_index_changed(self, _index: int) -> None:
        self._rebuild_path()

    def _on_slider_value_changed(self, value: int) -> None:
        self._update_status()
        self._show_frame()
        self.position_changed.emit(value)

    def _on_play_clicked(self) -> None:
        if self.is_playing():
            self.stop()
            return
        if len(self._path) == 0:
            return
        if self._slider.value() >= self._slider.maximum() and not self._loop.isChecked():
            self._slider.setValue(0)  # a finished walk starts over
        self._timer.start()
        self._play.setText(self.tr("Pause walk"))

    def _on_fps_value_changed(self, fps: int) -> None:
        self._timer.setInterval(round(1000 / fps))

    def _on_timer_timeout(self) -> None:
        last = self._slider.maximum()
        step = self._slider.value() + 1
        if step > last:
            if not self._loop.isChecked():
                self.stop()
                return
            step = 0
        self._slider.setValue(step)
        if step == last and not self._loop.isChecked():
            self.stop()  # the walk ends on the last anchor

    def _on_strip_pixel_clicked(self, x: float, y: float) -> None:
        frame = cell_at(x, y, self._thumbs, self._thumb_shape)
        if frame >= 0:
            self._slider.setValue(frame)

    # -- Qt events ---------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        size = event.size()
        wide = size.width() >= SIDE_BY_SIDE_ASPECT * size.height()
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        self.stop()  # no walk runs in a hidden tab or after the window closed
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.stop()
        super().closeEvent(event)
