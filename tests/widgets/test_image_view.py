"""ImagePanel: tiled grids, rows per class, D's histograms, the projection, clicks."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ganlab.widgets.image_view import (
    PROBABILITY_BINS,
    SEPARATOR,
    ImagePanel,
    grid_cells,
    tile_images,
)

H, W = 8, 6  # not square, so a swapped axis shows up
NAMES = ("cat", "dog", "eel")


def _constant_images(values, channels=3):
    """One image per value, every pixel equal to that value (tells tiles apart)."""
    values = np.asarray(values, dtype=np.uint8)
    return np.broadcast_to(values[:, None, None, None], (len(values), H, W, channels)).copy()


def _tile(image, row, col):
    """The block of a tiled array holding cell (row, col)."""
    y, x = row * (H + SEPARATOR), col * (W + SEPARATOR)
    return image[y : y + H, x : x + W]


def _snapshot(panel, fake, labels=None, b=64, seed=0):
    rng = np.random.default_rng(seed)
    d_real, d_fake = rng.beta(5, 2, b), rng.beta(2, 5, b)
    projection = rng.normal(size=(b, 2))
    panel.set_snapshot(fake, labels, d_real, d_fake, projection)
    return d_real, d_fake, projection


@pytest.fixture
def panel(qtbot):
    widget = ImagePanel()
    qtbot.addWidget(widget)
    widget.configure((H, W, 3), (), False, "probability")
    return widget


@pytest.fixture
def conditional(qtbot):
    widget = ImagePanel()
    qtbot.addWidget(widget)
    widget.configure((H, W, 3), NAMES, True, "probability")
    return widget


def test_grid_cells_without_labels_fill_a_square_grid_row_major():
    cells = grid_cells(10)
    assert cells.shape == (3, 4)
    assert cells.reshape(-1).tolist() == [*range(10), -1, -1]


def test_grid_cells_with_labels_put_each_class_in_its_row_in_order():
    labels = np.array([2, 0, 2, 1, 0, 2])
    cells = grid_cells(6, labels, rows=4)
    assert cells.tolist() == [[1, 4, -1], [3, -1, -1], [0, 2, 5], [-1, -1, -1]]


def test_tile_images_places_image_k_in_cell_k():
    images = _constant_images(np.arange(6) * 40)
    tiled = tile_images(images, grid_cells(6))
    assert tiled.shape == (2 * H + SEPARATOR, 3 * W + 2 * SEPARATOR, 3)
    for k in range(6):
        assert np.all(_tile(tiled, k // 3, k % 3) == k * 40)


def test_fake_grid_shows_the_tiled_generated_images(panel):
    fake = np.random.default_rng(1).integers(0, 256, (9, H, W, 3), dtype=np.uint8)
    _snapshot(panel, fake)
    shown = panel._fake_grid.item.image
    assert np.array_equal(_tile(shown, 1, 2), fake[5])
    assert panel._fake_grid.item.getLevels().tolist() == [0, 255]


def test_gray_images_are_shown_as_a_two_dimensional_array(panel):
    panel.configure((H, W, 1), (), False, "probability")
    fake = _constant_images([10, 20, 30, 40], channels=1)
    _snapshot(panel, fake)
    shown = panel._fake_grid.item.image
    assert shown.ndim == 2
    assert np.all(_tile(shown, 1, 1) == 40)


def test_real_grid_shows_the_real_images(panel):
    real = _constant_images([5, 50, 150, 250])
    panel.set_real(real, None, None)
    assert np.all(_tile(panel._real_grid.item.image, 1, 0) == 150)


def test_conditional_fake_grid_has_one_row_per_class_from_fake_labels(conditional):
    labels = np.array([2, 0, 1, 2, 0, 1])
    fake = _constant_images(labels * 100)  # the pixel value tells the class
    _snapshot(conditional, fake, labels)
    shown = conditional._fake_grid.item.image
    for row in range(3):
        for col in range(2):
            assert np.all(_tile(shown, row, col) == row * 100)


def test_conditional_rows_are_labelled_with_class_names(conditional):
    labels = np.array([0, 1, 2])
    _snapshot(conditional, _constant_images([0, 1, 2]), labels)
    axis = conditional._fake_grid.widget.getPlotItem().getAxis("left")
    ticks = axis._tickLevels[0]
    assert axis.isVisible()
    assert [name for _, name in ticks] == list(NAMES)
    assert [y for y, _ in ticks] == [r * (H + SEPARATOR) + H / 2 for r in range(3)]


def test_unconditional_grid_has_no_row_labels(panel):
    _snapshot(panel, _constant_images([1, 2, 3]))
    assert not panel._fake_grid.widget.getPlotItem().getAxis("left").isVisible()


def test_conditional_real_grid_is_as_wide_as_the_fake_grid(conditional):
    real_labels = np.array([0, 0, 0, 0, 1, 2])
    conditional.set_real(_constant_images(real_labels * 100), real_labels, None)
    fake_labels = np.repeat(np.arange(3), 2)
    _snapshot(conditional, _constant_images(fake_labels), fake_labels)
    assert conditional._real_grid.cells.shape == conditional._fake_grid.cells.shape == (3, 2)


def test_clicking_a_fake_image_emits_its_index(qtbot, panel):
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitExposed(panel)
    _snapshot(panel, _constant_images(np.arange(9) * 20))
    QApplication.processEvents()  # the view applies its new range before it paints
    grid = panel._fake_grid
    center = QPointF(1 * (W + SEPARATOR) + W / 2, 2 * (H + SEPARATOR) + H / 2)  # row 2, col 1
    pos = grid.widget.mapFromScene(grid.item.mapToScene(center))
    with qtbot.waitSignal(panel.sample_clicked, timeout=1000) as blocker:
        QTest.mouseClick(grid.widget.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [7]


def test_clicking_a_separator_emits_nothing(qtbot, panel):
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitExposed(panel)
    _snapshot(panel, _constant_images(np.arange(9) * 20))
    QApplication.processEvents()
    grid = panel._fake_grid
    emitted = []
    panel.sample_clicked.connect(emitted.append)
    viewport = grid.widget.viewport()
    for point in (QPointF(W + SEPARATOR / 2, H / 2), QPointF(W / 2, H / 2)):  # gap, image 0
        pos = grid.widget.mapFromScene(grid.item.mapToScene(point))
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
    assert emitted == [0]


def test_probability_histograms_match_numpy_on_fixed_bins(panel):
    d_real, d_fake, _ = _snapshot(panel, _constant_images([0]))
    for item, values in ((panel._hist_real, d_real), (panel._hist_fake, d_fake)):
        edges, counts = item.getOriginalDataset()
        expected, _ = np.histogram(values, bins=PROBABILITY_BINS)
        assert np.array_equal(edges, PROBABILITY_BINS)
        assert np.array_equal(counts, expected)


def test_probability_output_shows_the_half_line_in_plot_and_legend(panel):
    assert panel._half_line.isVisible()
    assert panel._half_line.value() == 0.5
    names = [label.text for _, label in panel._hist_legend.items]
    assert panel._half_legend_name in names


def test_score_histograms_span_the_data_and_drop_the_half_line(panel):
    panel.configure((H, W, 3), (), False, "score")
    rng = np.random.default_rng(3)
    d_real, d_fake = rng.normal(3, 1, 50), rng.normal(-4, 2, 50)
    panel.set_snapshot(_constant_images([0]), None, d_real, d_fake, np.zeros((50, 2)))
    edges, counts = panel._hist_fake.getOriginalDataset()
    both = np.concatenate([d_real, d_fake])
    assert edges[0] == both.min()
    assert edges[-1] == both.max()
    assert np.array_equal(counts, np.histogram(d_fake, bins=edges)[0])
    assert not panel._half_line.isVisible()
    names = [label.text for _, label in panel._hist_legend.items]
    assert panel._half_legend_name not in names


def test_projection_scatter_holds_real_and_generated_points(panel):
    real_points = np.array([[0.0, 1.0], [2.0, -1.0], [3.0, 0.5]])
    panel.set_real(_constant_images([1, 2, 3]), None, real_points)
    _, _, fake_points = _snapshot(panel, _constant_images([0]))
    x, y = panel._proj_real.getOriginalDataset()
    assert np.array_equal(np.column_stack([x, y]), real_points)
    x, y = panel._proj_fake.getOriginalDataset()
    assert np.array_equal(np.column_stack([x, y]), fake_points)


def test_projection_axes_say_pca_fitted_on_real_images(panel):
    plot = panel._proj_widget.getPlotItem()
    assert plot.getAxis("bottom").labelText == "PCA 1"
    assert plot.getAxis("left").labelText == "PCA 2"
    assert "fitted once on real" in panel._proj_widget.toolTip()


def test_clear_removes_images_histograms_and_points(panel):
    panel.set_real(_constant_images([1, 2]), None, np.zeros((2, 2)))
    _snapshot(panel, _constant_images([1, 2]))
    panel.clear()
    assert panel._fake_grid.item.image is None
    assert panel._real_grid.item.image is None
    assert panel._hist_real.getOriginalDataset() == (None, None)
    assert panel._proj_fake.getOriginalDataset() == (None, None)


def test_every_view_has_a_tooltip(panel):
    views = [
        panel._fake_grid.widget,
        panel._real_grid.widget,
        panel._hist_widget,
        panel._proj_widget,
    ]
    assert all(view.toolTip() for view in views)


def _hist_label(panel) -> str:
    return panel._hist_widget.getPlotItem().getAxis("bottom").labelText


def _legend_names(panel) -> list[str]:
    return [label.text for _, label in panel._hist_legend.items]


def _score_batches(seed=3, b=50):
    rng = np.random.default_rng(seed)
    return rng.normal(30, 5, b), rng.normal(-40, 8, b)


def test_switching_to_score_live_rebins_the_shown_batches_and_drops_the_half_line(panel):
    fake = _constant_images([7, 9])
    d_real, d_fake = _score_batches()
    panel.set_snapshot(fake, None, d_real, d_fake, np.zeros((50, 2)))
    panel.set_output_kind("score")
    edges, counts = panel._hist_real.getOriginalDataset()
    both = np.concatenate([d_real, d_fake])
    assert edges[0] == both.min()
    assert edges[-1] == both.max()
    assert np.array_equal(counts, np.histogram(d_real, bins=edges)[0])
    assert not panel._half_line.isVisible()
    assert panel._half_legend_name not in _legend_names(panel)
    assert "critic score" in _hist_label(panel)
    assert panel._fake_grid.item.image is not None  # nothing else was cleared


def test_switching_back_to_probability_restores_fixed_bins_and_the_half_line(panel):
    _, d_fake, _ = _snapshot(panel, _constant_images([0]))
    panel.set_output_kind("score")
    panel.set_output_kind("probability")
    edges, counts = panel._hist_fake.getOriginalDataset()
    assert np.array_equal(edges, PROBABILITY_BINS)
    assert np.array_equal(counts, np.histogram(d_fake, bins=PROBABILITY_BINS)[0])
    assert panel._half_line.isVisible()
    assert _legend_names(panel).count(panel._half_legend_name) == 1
    assert "probability" in _hist_label(panel)
    low, high = panel._hist_widget.getPlotItem().viewRange()[0]
    assert low < 0.0 < 1.0 < high < 1.1


def test_set_output_kind_twice_is_the_same_as_once(panel):
    _snapshot(panel, _constant_images([0]))
    panel.set_output_kind("score")
    once = (_hist_label(panel), _legend_names(panel), panel._hist_real.getOriginalDataset()[0])
    panel.set_output_kind("score")
    label, names, edges = (
        _hist_label(panel),
        _legend_names(panel),
        panel._hist_real.getOriginalDataset()[0],
    )
    assert (label, names) == once[:2]
    assert np.array_equal(edges, once[2])
    assert panel.output_kind() == "score"


def test_unknown_output_kind_is_an_error(panel):
    with pytest.raises(ValueError, match="probability"):
        panel.set_output_kind("logit")
    with pytest.raises(ValueError, match="probability"):
        panel.configure((H, W, 3), (), False, "logit")


@pytest.mark.parametrize("kind", ["probability", "score"])
def test_histogram_label_and_legend_fit_in_a_realistic_window(qtbot, kind, tmp_path):
    """GANLAB_SHOTS=dir keeps the PNG to look at."""
    widget = ImagePanel()
    qtbot.addWidget(widget)
    widget.configure((28, 28, 1), tuple(str(i) for i in range(10)), True, "probability")
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (60, 28, 28, 1), dtype=np.uint8)
    labels = np.repeat(np.arange(10), 6)
    widget.set_real(images, labels, rng.normal(size=(60, 2)))
    widget.set_output_kind(kind)
    d_real, d_fake = (
        (rng.beta(5, 2, 64), rng.beta(2, 5, 64))
        if kind == "probability"
        else (
            rng.normal(20, 5, 64),
            rng.normal(-30, 8, 64),
        )
    )
    widget.set_snapshot(images, labels, d_real, d_fake, rng.normal(size=(64, 2)))
    QApplication.processEvents()  # the layout requests of the new data
    pixmap = widget.grab()
    out = Path(os.environ.get("GANLAB_SHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    assert pixmap.save(str(out / f"image_view_{kind}.png"))
    plot = widget._hist_widget.getPlotItem()
    view = widget._hist_widget
    scene_rect = view.mapToScene(view.viewport().rect()).boundingRect()
    label = plot.getAxis("bottom").label
    text = label.mapRectToScene(label.boundingRect()).adjusted(4, 4, -4, -4)  # text margins
    assert scene_rect.contains(text)
    assert text.center().x() == pytest.approx(
        plot.getViewBox().sceneBoundingRect().center().x(), abs=4
    )
    # The legend sits in the title band: above the bars and the ½ line, inside the view.
    legend = widget._hist_legend.mapRectToScene(widget._hist_legend.boundingRect())
    assert legend.bottom() <= plot.getViewBox().sceneBoundingRect().top() + 1
    assert scene_rect.contains(legend)


def test_spanish_titles_and_axis_titles_fit_a_narrow_view_or_are_elided(spanish, qtbot):
    # The central view at 1280x720 beside the lesson and the curves: about 545 px wide.
    widget = ImagePanel()
    qtbot.addWidget(widget)
    widget.configure((28, 28, 1), (), False, "probability")
    widget.resize(545, 560)
    widget.show()
    qtbot.waitExposed(widget)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (64, 28, 28, 1), dtype=np.uint8)
    widget.set_real(images, None, rng.normal(size=(64, 2)))
    d_real, d_fake = rng.beta(5, 2, 64), rng.beta(2, 5, 64)
    widget.set_snapshot(images, None, d_real, d_fake, rng.normal(size=(64, 2)))
    for view in (widget._hist_widget, widget._proj_widget):
        plot = view.getPlotItem()
        visible = view.mapToScene(view.viewport().rect()).boundingRect().adjusted(-1, -1, 1, 1)

        def inside(view=view, plot=plot, visible=visible):
            items = [plot.titleLabel.item, plot.legend]
            items += [plot.getAxis(a).label for a in ("bottom", "left")]
            return all(  # less the 4 px the text items pad their text with
                visible.contains(i.mapRectToScene(i.boundingRect()).adjusted(4, 4, -4, -4))
                for i in items
                if i.isVisible()
            )

        qtbot.waitUntil(inside)
    title = widget._proj_widget.getPlotItem().titleLabel.text
    assert "Dónde" in title
    if "…" in title:  # elided: the whole title is in the tooltip
        assert "Dónde están las imágenes" in widget._proj_widget.toolTip()
    label = widget._hist_widget.getPlotItem().getAxis("bottom").labelText
    if "…" in label:
        assert "D(x): probabilidad de que x sea real" in widget._hist_widget.toolTip()
    # The histogram keeps room for its bars: its legend fits in two rows.
    legend = widget._hist_legend
    assert legend.columnCount == 2
    view = widget._hist_widget.getPlotItem().getViewBox()
    assert view.height() >= 70
