"""The image panel: what an image GAN is doing. GUI thread; no torch.

Owns four views, each built once per panel and updated in place:

- the grid of images generated from the fixed noise batch (one row per class for a
  conditional model, with the class names at the left), clickable;
- the grid of fixed real images beside it;
- histograms of D's output on a real batch (green) and a generated batch (purple), read as
  a probability or a critic score (switchable live with the loss: ``set_output_kind``);
- a scatter of real and generated samples on two fixed PCA axes fitted on real images.

It also owns the numpy helpers that tile a batch of images into one array
(:func:`grid_cells`, :func:`tile_images`), which the latent explorer reuses.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics, QPainter, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QWidget

from ganlab.widgets import style

if TYPE_CHECKING:
    from ganlab.kernel import reports as rep

SEPARATOR = 2  # pixels between tiles, in image pixels
SEPARATOR_FILL = 255  # separators and empty cells blend into the white background
PROBABILITY_BINS = np.linspace(0.0, 1.0, 26)  # 25 bins of width 0.04 on [0, 1]
OUTPUT_KINDS: tuple[str, ...] = ("probability", "score")
SCORE_BIN_COUNT = 30  # bins spread over the data range for unbounded critic scores


def grid_cells(
    count: int, labels: np.ndarray | None = None, rows: int = 0, max_cols: int = 0
) -> np.ndarray:
    """Which image goes in which cell of a grid.

    Parameters
    ----------
    count
        Number of images.
    labels
        Class of each image, or None. With labels there is one row per class (at least
        ``rows`` rows) holding that class's images in their original order.
    rows
        Minimum number of rows when ``labels`` is given (the number of classes).
    max_cols
        With labels and > 0: exactly this many columns; a class's extra images are left
        out.

    Returns
    -------
    np.ndarray
        (R, C) int array of indices into the images; -1 marks an empty cell. Without
        labels the grid is about square and filled row-major.
    """
    if count == 0:
        return np.full((0, 0), -1, dtype=np.int64)
    if labels is None:
        cols = math.ceil(math.sqrt(count))
        n_rows = math.ceil(count / cols)
        cells = np.arange(n_rows * cols, dtype=np.int64)
        cells[cells >= count] = -1
        return cells.reshape(n_rows, cols)
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)[:count]
    n_rows = max(int(rows), int(labels.max()) + 1)
    counts = np.bincount(labels, minlength=n_rows)
    order = np.argsort(labels, kind="stable")
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    sorted_labels = labels[order]
    rank = np.arange(count) - starts[sorted_labels]
    n_cols = int(max_cols) if max_cols > 0 else max(1, int(counts.max()))
    keep = rank < n_cols
    cells = np.full((n_rows, n_cols), -1, dtype=np.int64)
    cells[sorted_labels[keep], rank[keep]] = order[keep]
    return cells


def tile_images(images: np.ndarray, cells: np.ndarray, separator: int = SEPARATOR) -> np.ndarray:
    """Tile (N, H, W, C) uint8 images into one array following ``cells`` (see grid_cells).

    Returns a 2-D (rows, cols) array for gray images (C = 1) and (rows, cols, C)
    otherwise, with ``separator`` pixels of SEPARATOR_FILL between tiles.
    """
    n, h, w, c = images.shape
    n_rows, n_cols = cells.shape
    # One blank tile at index n so that empty cells (-1) pick it up.
    padded = np.concatenate([images, np.full((1, h, w, c), SEPARATOR_FILL, images.dtype)])
    tiles = padded[np.where(cells < 0, n, cells)]  # (R, Cc, H, W, C)
    canvas = np.full((n_rows, h + separator, n_cols, w + separator, c), SEPARATOR_FILL, np.uint8)
    canvas[:, :h, :, :w] = tiles.transpose(0, 2, 1, 3, 4)
    canvas = canvas.reshape(n_rows * (h + separator), n_cols * (w + separator), c)
    canvas = canvas[: canvas.shape[0] - separator, : canvas.shape[1] - separator]
    return canvas[:, :, 0] if c == 1 else canvas


def cell_at(
    x: float, y: float, cells: np.ndarray, tile_shape: tuple[int, int], separator: int = SEPARATOR
) -> int:
    """Index of the image under image-pixel position (x, y), or -1 (separator, outside)."""
    h, w = tile_shape
    if x < 0 or y < 0 or cells.size == 0:
        return -1
    col, dx = divmod(int(x), w + separator)
    row, dy = divmod(int(y), h + separator)
    if dx >= w or dy >= h or row >= cells.shape[0] or col >= cells.shape[1]:
        return -1
    return int(cells[row, col])


class PixelImageItem(pg.ImageItem):
    """An ImageItem drawn with nearest-neighbour scaling that reports left clicks."""

    pixel_clicked = Signal(float, float)  # position in image pixels (x right, y down)

    def paint(self, painter, *args):
        # Pixels stay crisp squares when a 32x32 image fills a large view.
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        super().paint(painter, *args)

    def mouseClickEvent(self, ev):  # noqa: N802 (pyqtgraph API)
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.pixel_clicked.emit(ev.pos().x(), ev.pos().y())
        else:
            super().mouseClickEvent(ev)


def image_plot(title: str) -> tuple[pg.PlotWidget, PixelImageItem]:
    """A passive view for an image: locked aspect, y down, no axes, no mouse panning."""
    widget = pg.PlotWidget()
    plot = widget.getPlotItem()
    style.style_plot(plot)
    plot.showGrid(x=False, y=False)
    plot.setTitle(title, size=f"{style.font(1.15).pointSizeF():.0f}pt")
    plot.hideAxis("bottom")
    plot.hideAxis("left")
    row_axis = plot.getAxis("left")  # shows class names for a conditional grid
    row_axis.setStyle(tickLength=0)
    row_axis.setPen(pg.mkPen(None))
    plot.setMouseEnabled(x=False, y=False)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.invertY(True)
    plot.setAspectLocked(True)
    item = PixelImageItem(levels=(0, 255))
    item.setAutoDownsample(False)
    plot.addItem(item)
    return widget, item


def _legend(plot: pg.PlotItem, columns: int) -> pg.LegendItem:
    """A legend in the title band above the data (over the bars it hid them and the ½
    line), in as many columns (up to ``columns``) as the width holds."""
    legend = plot.addLegend(
        offset=(6, 4),
        labelTextSize=f"{style.font(0.85).pointSizeF():.1f}pt",
    )
    legend.setColumnCount(columns)
    legend.layout.setContentsMargins(2, 2, 2, 2)  # no frame to keep clear of
    plot.geometryChanged.connect(
        lambda: style.place_header_legend(plot, most=columns, from_axis=False)
    )
    return legend


class _ImageGrid:
    """One tiled grid: its ImageItem, the cell layout and the row labels."""

    def __init__(self, widget: pg.PlotWidget, item: PixelImageItem) -> None:
        self.widget = widget
        self.item = item
        self.cells = np.full((0, 0), -1, dtype=np.int64)
        self.tile_shape: tuple[int, int] = (0, 0)
        self._shown_shape: tuple[int, ...] = ()
        self._row_key: tuple = ()  # what the row labels were last drawn for

    def show(
        self,
        images: np.ndarray,
        labels: np.ndarray | None,
        class_names: tuple[str, ...],
        max_cols: int = 0,
    ) -> None:
        images = _as_nhwc(images)
        n, h, w, _ = images.shape
        if n == 0:
            self.clear()
            return
        rows = len(class_names)
        self.cells = grid_cells(n, labels, rows, max_cols)
        self.tile_shape = (h, w)
        tiled = tile_images(images, self.cells)
        self.item.setImage(tiled, autoLevels=False, levels=(0, 255))
        if tiled.shape != self._shown_shape:
            self._shown_shape = tiled.shape
            self.widget.getPlotItem().setRange(
                xRange=(0, tiled.shape[1]), yRange=(0, tiled.shape[0]), padding=0.02
            )
        names = class_names if labels is not None else None
        key = (names, h, self.cells.shape[0])
        if key != self._row_key:
            self._row_key = key
            self._set_row_names(names, h, self.cells.shape[0])

    def _set_row_names(self, names: tuple[str, ...] | None, tile_h: int, n_rows: int) -> None:
        """Class names as tick labels at the left of each row; None hides them."""
        plot = self.widget.getPlotItem()
        if names is None:
            plot.hideAxis("left")
            return
        pitch = tile_h + SEPARATOR
        ticks = [
            ((r * pitch + tile_h / 2), names[r] if r < len(names) else str(r))
            for r in range(n_rows)
        ]
        axis = plot.getAxis("left")
        axis.setTicks([ticks, []])
        # Size the axis for the longest name now: auto-expansion happens one paint late.
        metrics = QFontMetrics(axis.style["tickFont"] or style.font(0.9))
        axis.setWidth(max(metrics.horizontalAdvance(text) for _, text in ticks) + 14)
        plot.showAxis("left")

    def clear(self) -> None:
        self.item.clear()
        self.cells = np.full((0, 0), -1, dtype=np.int64)
        self._shown_shape = ()

    def index_at(self, x: float, y: float) -> int:
        return cell_at(x, y, self.cells, self.tile_shape)


def _check_output_kind(kind: str) -> None:
    if kind not in OUTPUT_KINDS:
        raise ValueError(f"output kind must be 'probability' or 'score', not {kind!r}")


def _as_nhwc(images: np.ndarray) -> np.ndarray:
    """(N, H, W) gray images get their channel axis; anything else is kept."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    return images.astype(np.uint8, copy=False)


class ImagePanel(QWidget):
    """Sample grids, D's output histograms and a fixed 2-D projection for an image GAN.

    Passive: the controller calls :meth:`configure` once per segment, then
    :meth:`set_real` and :meth:`set_snapshot` from its refresh timer.
    """

    sample_clicked = Signal(int)  # index into the fixed fake batch of the clicked image

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._class_names: tuple[str, ...] = ()
        self._conditional = False
        self._output_kind = "probability"
        self._image_shape: tuple[int, int, int] = (0, 0, 0)
        self._projection_bounds: np.ndarray | None = None  # xmin, xmax, ymin, ymax
        self._hist_top = 0.0  # upper end of the histogram's y range, in images
        self._real_images: np.ndarray | None = None
        self._real_labels: np.ndarray | None = None
        self._d_outputs: tuple[np.ndarray, np.ndarray] | None = None  # (d_real, d_fake) shown

        fake_widget, fake_item = image_plot(self.tr("Generated (fixed noise)"))
        fake_widget.setToolTip(
            self.tr(
                "Images the generator makes from the same noise vectors every frame, so you"
                " watch each one change as training goes on. Click an image to send its"
                " noise vector to the latent explorer."
            )
        )
        self._fake_grid = _ImageGrid(fake_widget, fake_item)
        fake_item.pixel_clicked.connect(self._on_fake_pixel_clicked)

        real_widget, real_item = image_plot(self.tr("Real"))
        real_widget.setToolTip(
            self.tr("A fixed set of training images: what the generator tries to imitate.")
        )
        self._real_grid = _ImageGrid(real_widget, real_item)

        self._hist_widget = self._build_histogram()
        self._proj_widget = self._build_projection()
        self._apply_output_kind()

        layout = QGridLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(6)
        layout.addWidget(fake_widget, 0, 0)
        layout.addWidget(real_widget, 0, 1)
        layout.addWidget(self._hist_widget, 1, 0)
        layout.addWidget(self._proj_widget, 1, 1)
        layout.setRowStretch(0, 3)
        layout.setRowStretch(1, 2)

    # -- construction ----------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._fit_hist_legend()

    def restyle(self) -> None:
        """After the presentation factor changed: the legend's columns for its new size."""
        self._fit_hist_legend()

    def _fit_hist_legend(self) -> None:
        """The legends' columns and the title band for the current width and font."""
        for widget in (self._hist_widget, self._proj_widget):
            style.place_header_legend(widget.getPlotItem(), most=3, from_axis=False)

    def _build_histogram(self) -> pg.PlotWidget:
        widget = pg.PlotWidget()
        plot = widget.getPlotItem()
        style.style_plot(plot)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.disableAutoRange(axis="y")
        self._hist_legend = _legend(plot, columns=3)
        self._hist_real = plot.plot(
            name=self.tr("real batch"),
            stepMode="center",
            fillLevel=0,
            brush=style.color(style.REAL, 90),
            pen=pg.mkPen(style.REAL, width=2.5),
        )
        self._hist_fake = plot.plot(
            name=self.tr("generated batch"),
            stepMode="center",
            fillLevel=0,
            brush=style.color(style.FAKE, 90),
            pen=pg.mkPen(style.FAKE, width=2.5),
        )
        dashed = pg.mkPen(style.NEUTRAL, width=2, style=Qt.PenStyle.DashLine)
        self._half_line = pg.InfiniteLine(pos=0.5, angle=90, pen=dashed, movable=False)
        plot.addItem(self._half_line)
        # The legend needs a curve-like sample for the line; this one is never plotted.
        self._half_legend_sample = pg.PlotDataItem(pen=dashed)
        self._half_legend_name = self.tr("D = 1/2: cannot tell")
        self._hist_texts = style.PlotTexts(
            widget,
            title=self.tr("What D says"),
            left=self.tr("images in the batch"),
            tooltip=self.tr(
                "How D judges a batch of real images (green) and a batch of generated images"
                " (purple). Early on D separates them; if G catches up both pile up around"
                " the same value."
            ),
            from_axis=False,
        )
        return widget

    def _build_projection(self) -> pg.PlotWidget:
        widget = pg.PlotWidget()
        plot = widget.getPlotItem()
        style.style_plot(plot)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.disableAutoRange()
        _legend(plot, columns=2)
        self._proj_real = plot.plot(
            name=self.tr("real"),
            pen=None,
            symbol="o",
            symbolSize=8,
            symbolPen=None,
            symbolBrush=style.color(style.REAL, 170),
        )
        self._proj_fake = plot.plot(
            name=self.tr("generated"),
            pen=None,
            symbol="t",
            symbolSize=9,
            symbolPen=None,
            symbolBrush=style.color(style.FAKE, 190),
        )
        self._proj_texts = style.PlotTexts(
            widget,
            title=self.tr("Where the images lie"),
            bottom=self.tr("PCA 1"),
            left=self.tr("PCA 2"),
            tooltip=self.tr(
                "Real (green) and generated (purple) images as points on the two main"
                " directions (PCA) of the real images. The axes were fitted once on real"
                " images and never move, so you can see the generated cloud travel toward"
                " the real one."
            ),
            from_axis=False,
        )
        return widget

    def _apply_output_kind(self) -> None:
        """Axis, ½ line, legend and bins for the current output kind; keeps the data."""
        plot = self._hist_widget.getPlotItem()
        probability = self._output_kind == "probability"
        self._half_line.setVisible(probability)
        for item in (self._half_legend_sample, self._hist_real, self._hist_fake):
            self._hist_legend.removeItem(item)
        # The longest entry first: row-major, it shares its column with the shortest,
        # and the three then fit two columns in a narrow view.
        if probability:
            self._hist_legend.addItem(self._half_legend_sample, self._half_legend_name)
        self._hist_legend.addItem(self._hist_real, self.tr("real batch"))
        self._hist_legend.addItem(self._hist_fake, self.tr("generated batch"))
        if probability:
            self._hist_texts.set_text("bottom", self.tr("D(x): probability that x is real"))
            plot.disableAutoRange(axis="x")
            plot.setXRange(0.0, 1.0, padding=0.02)
        else:
            self._hist_texts.set_text("bottom", self.tr("critic score: higher = judged more real"))
            plot.enableAutoRange(axis="x")
        plot.getAxis("bottom").resizeEvent()  # pyqtgraph places a label only on resize
        style.place_header_legend(plot, most=3, from_axis=False)  # one entry more or less
        if self._d_outputs is not None:
            self._set_histograms(*self._d_outputs)  # the same batches on the new bins

    # -- public API --------------------------------------------------------------------

    def configure(
        self,
        image_shape: tuple[int, int, int],
        class_names: tuple[str, ...],
        conditional: bool,
        output_kind: str,
    ) -> None:
        """Set up for a new segment and clear everything shown.

        Parameters
        ----------
        image_shape
            (H, W, C) of one image.
        class_names
            Name of each class (may be empty).
        conditional
            True if G takes a class: the generated grid then has one row per class.
        output_kind
            "probability" (D outputs in [0, 1]) or "score" (unbounded critic); see
            :meth:`set_output_kind`.
        """
        _check_output_kind(output_kind)
        self._image_shape = tuple(int(v) for v in image_shape)  # type: ignore[assignment]
        self._class_names = tuple(str(n) for n in class_names)
        self._conditional = bool(conditional)
        self._output_kind = output_kind
        self.clear()
        self._apply_output_kind()

    def set_output_kind(self, kind: str) -> None:
        """Say what D's output is, live (a loss switch), keeping everything shown.

        Parameters
        ----------
        kind : {"probability", "score"}
            "probability": D's histograms on fixed bins over [0, 1] with the line D = ½
            (can't tell). "score": bins spread over the batches' range of critic scores,
            no ½ line. The batches shown are re-binned at once.

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
        """How the histograms read D's output now: "probability" or "score"."""
        return self._output_kind

    def set_real(
        self,
        images: np.ndarray,
        labels: np.ndarray | None,
        projection: np.ndarray | None,
    ) -> None:
        """Show the fixed real images (N, H, W, C) uint8 and their (N, 2) projection.

        For a conditional model with ``labels`` the grid has one row per class.
        """
        self._real_images = _as_nhwc(images)
        self._real_labels = None if labels is None else np.asarray(labels)
        self._show_real()
        if projection is None or len(projection) == 0:
            self._proj_real.clear()
            return
        points = np.asarray(projection, dtype=np.float64)
        self._proj_real.setData(points[:, 0], points[:, 1])
        self._projection_bounds = None  # a new real cloud defines a new view
        self._grow_projection_range(points)

    def set_snapshot(
        self,
        fake: np.ndarray,
        fake_labels: np.ndarray | None,
        d_real: np.ndarray,
        d_fake: np.ndarray,
        fake_projection: np.ndarray,
    ) -> None:
        """Show the generated grid, D's output histograms and the generated projection.

        Parameters
        ----------
        fake
            (N, H, W, C) uint8 images from the fixed noise batch.
        fake_labels
            (N,) class of each image for a conditional model, else None.
        d_real, d_fake
            (B,) D's outputs on a real batch and on a generated batch.
        fake_projection
            (B, 2) the generated batch on the real data's PCA axes.
        """
        row_labels = fake_labels if self._conditional else None
        self._fake_grid.show(fake, row_labels, self._class_names)
        if self._conditional and self._real_grid.cells.shape[1] != self._fake_columns():
            self._show_real()  # once: the real grid takes the generated grid's columns
        self._d_outputs = (
            np.asarray(d_real, np.float64).ravel(),
            np.asarray(d_fake, np.float64).ravel(),
        )
        self._set_histograms(*self._d_outputs)
        points = np.asarray(fake_projection, dtype=np.float64).reshape(-1, 2)
        self._proj_fake.setData(points[:, 0], points[:, 1])
        self._grow_projection_range(points)

    # -- the window's DataPanel protocol (ganlab.app.panels) ------------------------

    def show_segment(self, info: rep.SegmentStarted, family: Any) -> None:
        """A new segment: empty, then set up for its image shape, classes and D's unit.
        Class names show translated where the catalogue knows them (the bundled shapes)."""
        from ganlab.kernel import i18n

        self.clear()
        h, w, c = info.real.shape[1:]
        names = tuple(i18n._(n) for n in info.class_names)
        self.configure((h, w, c), names, family.conditional, info.output_kind)

    def show_real(self, info: rep.SegmentStarted) -> None:
        self.set_real(info.real, info.real_labels, info.real_projection)

    def show_snapshot(self, snapshot: Any) -> None:
        self.set_snapshot(
            snapshot.fake,
            snapshot.fake_labels,
            snapshot.d_real,
            snapshot.d_fake,
            snapshot.fake_projection,
        )

    def show_answer(self, answer: Any) -> None:
        """No requests of its own: nothing to show."""

    def clear(self) -> None:
        """Remove all images, histograms and points (the configuration is kept)."""
        self._fake_grid.clear()
        self._real_grid.clear()
        self._hist_real.clear()
        self._hist_fake.clear()
        self._d_outputs = None
        self._proj_real.clear()
        self._proj_fake.clear()
        self._projection_bounds = None
        self._hist_top = 0.0
        self._real_images = None
        self._real_labels = None

    # -- updates -----------------------------------------------------------------------

    def _histogram_edges(self, d_real: np.ndarray, d_fake: np.ndarray) -> np.ndarray:
        """Bin edges used for D's outputs: fixed on [0, 1] for probabilities, else the
        common range of both batches."""
        if self._output_kind == "probability":
            return PROBABILITY_BINS
        values = np.concatenate([d_real, d_fake])
        values = values[np.isfinite(values)]
        if values.size == 0:
            return np.linspace(0.0, 1.0, SCORE_BIN_COUNT + 1)
        return np.histogram_bin_edges(values, bins=SCORE_BIN_COUNT)

    def _fake_columns(self) -> int:
        return int(self._fake_grid.cells.shape[1])

    def _show_real(self) -> None:
        """Real grid; for a conditional model rows per class, as wide as the fake grid so
        that the two grids line up class by class."""
        images = self._real_images
        if images is None:
            self._real_grid.clear()
            return
        labels = self._real_labels if self._conditional else None
        max_cols = 0
        if labels is not None:
            rows = max(1, len(self._class_names))
            max_cols = self._fake_columns() or math.ceil(len(images) / rows)
        self._real_grid.show(images, labels, self._class_names, max_cols)

    def _set_histograms(self, d_real: np.ndarray, d_fake: np.ndarray) -> None:
        edges = self._histogram_edges(d_real, d_fake)
        peak = 0.0
        for item, values in ((self._hist_real, d_real), (self._hist_fake, d_fake)):
            finite = values[np.isfinite(values)]
            if self._output_kind == "probability":
                finite = np.clip(finite, 0.0, 1.0)
            counts, _ = np.histogram(finite, bins=edges)
            item.setData(edges, counts.astype(np.float64))
            peak = max(peak, float(counts.max(initial=0)))
        # Rescale only on a clear change so the axis stays calm.
        top = max(1.0, peak) * 1.1
        if top > self._hist_top or top < 0.6 * self._hist_top:
            self._hist_top = top
            self._hist_widget.getPlotItem().setYRange(0.0, top, padding=0.02)

    def _grow_projection_range(self, points: np.ndarray) -> None:
        """Keep the view fixed while points stay inside it; grow it when they leave."""
        finite = points[np.all(np.isfinite(points), axis=1)]
        if finite.size == 0:
            return
        new = np.array(
            [finite[:, 0].min(), finite[:, 0].max(), finite[:, 1].min(), finite[:, 1].max()]
        )
        old = self._projection_bounds
        if old is not None:
            new = np.array(
                [min(old[0], new[0]), max(old[1], new[1]), min(old[2], new[2]), max(old[3], new[3])]
            )
            if np.array_equal(new, old):
                return
        self._projection_bounds = new
        plot = self._proj_widget.getPlotItem()
        plot.setRange(xRange=(new[0], new[1]), yRange=(new[2], new[3]), padding=0.06)

    def _on_fake_pixel_clicked(self, x: float, y: float) -> None:
        index = self._fake_grid.index_at(x, y)
        if index >= 0:
            self.sample_clicked.emit(index)
