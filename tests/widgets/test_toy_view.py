"""ToyViewPanel: layers, heatmap levels, sample clicks, the drawing brush."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ganlab.widgets import style
from ganlab.widgets.toy_view import LAYER_NAMES, ToyViewPanel

BOUNDS = ((-2.0, 2.0), (-2.0, 2.0))
G = 20
GRID = (np.linspace(-2.0, 2.0, G), np.linspace(-2.0, 2.0, G))


@pytest.fixture
def panel(qtbot):
    widget = ToyViewPanel()
    qtbot.addWidget(widget)
    widget.configure(BOUNDS, GRID, "probability")
    return widget


@pytest.fixture
def shown(qtbot, panel):
    panel.resize(700, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.configure(BOUNDS, GRID, "probability")  # range again, now the view has its size
    return panel


def _snapshot(n=16, m=5, seed=0):
    rng = np.random.default_rng(seed)
    fake = rng.uniform(-1.5, 1.5, (n, 2))
    motion = rng.normal(size=(n, 2))
    field = rng.uniform(0, 1, (G, G))
    z = np.linspace(-1, 1, m)
    manifold = np.stack(np.meshgrid(z, z), axis=-1)
    return fake, motion, field, manifold


def _viewport_pos(panel: ToyViewPanel, x: float, y: float) -> QPoint:
    scene = panel.view_box.mapViewToScene(QPointF(x, y))
    return panel.graphics.mapFromScene(scene)


def _send_mouse(panel, kind, pos, buttons):
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    viewport = panel.graphics.viewport()
    local = QPointF(pos)
    event = QMouseEvent(
        kind, local, viewport.mapToGlobal(local), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(viewport, event)


def _drag(panel, start, end, steps=10):
    """A left-button drag from start to end (view coordinates) on the plot's viewport."""
    left = Qt.MouseButton.LeftButton
    _send_mouse(panel, QEvent.Type.MouseButtonPress, _viewport_pos(panel, *start), left)
    for t in np.linspace(0, 1, steps + 1)[1:]:
        point = (start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1]))
        _send_mouse(panel, QEvent.Type.MouseMove, _viewport_pos(panel, *point), left)
    _send_mouse(
        panel, QEvent.Type.MouseButtonRelease, _viewport_pos(panel, *end), Qt.MouseButton.NoButton
    )


def test_set_snapshot_puts_the_given_fake_points_in_the_scatter(panel):
    fake, motion, field, manifold = _snapshot()
    panel.set_snapshot(fake, motion, field, manifold)
    x, y = panel.fake_item.getData()
    np.testing.assert_allclose(np.column_stack([x, y]), fake)


def test_set_real_puts_the_given_points_in_the_real_scatter(panel):
    real = np.array([[0.0, 1.0], [1.0, 0.0], [-1.0, -1.0]])
    panel.set_real(real, None)
    x, y = panel.real_item.getData()
    np.testing.assert_allclose(np.column_stack([x, y]), real)


def test_field_image_holds_the_array_and_covers_the_grid_cells(panel):
    fake, motion, field, manifold = _snapshot()
    panel.set_snapshot(fake, motion, field, manifold)
    np.testing.assert_allclose(panel.field_item.image, field.astype(np.float32))
    rect = panel.field_item.mapRectToParent(panel.field_item.boundingRect())
    half = (4.0 / (G - 1)) / 2  # cell centres at the grid, so the image reaches half a cell out
    assert rect.left() == pytest.approx(-2.0 - half)
    assert rect.right() == pytest.approx(2.0 + half)
    assert rect.top() == pytest.approx(-2.0 - half)
    assert rect.bottom() == pytest.approx(2.0 + half)


def test_probability_field_uses_fixed_levels_zero_to_one(panel):
    fake, motion, _, manifold = _snapshot()
    panel.set_snapshot(fake, motion, np.full((G, G), 0.3), manifold)
    assert tuple(panel.field_item.levels) == (0.0, 1.0)


def test_score_field_levels_span_the_fields_robust_range(panel):
    panel.configure(BOUNDS, GRID, "score")
    fake, motion, _, manifold = _snapshot()
    field = np.linspace(-1.0, 3.0, G * G).reshape(G, G)
    panel.set_snapshot(fake, motion, field, manifold)
    expected = tuple(np.percentile(field, [1.0, 99.0]))
    assert tuple(panel.field_item.levels) == pytest.approx(expected, rel=1e-5)
    assert tuple(panel.color_bar.levels()) == pytest.approx(expected, rel=1e-5)


def _bar_label(panel) -> str:
    return panel.color_bar.getAxis("left").labelText


def _score_field(scale=50.0):
    """A smooth field of critic scores from about -scale to +scale."""
    xs, ys = np.meshgrid(*GRID)
    return scale * np.tanh(xs + 0.5 * ys)


def test_switching_to_score_live_relabels_and_relevels_the_shown_field(panel):
    fake, motion, _, manifold = _snapshot()
    field = _score_field()
    panel.set_snapshot(fake, motion, field, manifold)
    panel.set_output_kind("score")
    np.testing.assert_allclose(panel.field_item.image, field.astype(np.float32))  # kept
    low, high = panel.field_item.levels
    assert low < -40.0
    assert high > 40.0
    assert tuple(panel.color_bar.levels()) == pytest.approx((low, high))
    assert "critic score" in _bar_label(panel)
    for text in (
        _bar_label(panel),
        panel.color_bar.toolTip(),
        panel._layer_buttons["field"].toolTip(),
    ):
        assert "½" not in text
        assert "can't tell" not in text
        assert "cannot tell" not in text


def test_switching_back_to_probability_restores_fixed_levels_and_the_half_meaning(panel):
    fake, motion, field, manifold = _snapshot()
    panel.set_snapshot(fake, motion, field, manifold)
    panel.set_output_kind("score")
    panel.set_output_kind("probability")
    assert tuple(panel.field_item.levels) == (0.0, 1.0)
    assert tuple(panel.color_bar.levels()) == (0.0, 1.0)
    assert "½ = can't tell" in _bar_label(panel)
    assert "critic" not in _bar_label(panel)
    np.testing.assert_allclose(panel.field_item.image, field.astype(np.float32))


def test_set_output_kind_twice_is_the_same_as_once(panel):
    fake, motion, _, manifold = _snapshot()
    panel.set_snapshot(fake, motion, _score_field(), manifold)
    panel.set_output_kind("score")
    once = (_bar_label(panel), tuple(panel.field_item.levels), panel.color_bar.toolTip())
    panel.set_output_kind("score")
    assert (_bar_label(panel), tuple(panel.field_item.levels), panel.color_bar.toolTip()) == once
    assert panel.output_kind() == "score"


def test_unknown_output_kind_is_an_error(panel):
    with pytest.raises(ValueError, match="probability"):
        panel.set_output_kind("logit")
    with pytest.raises(ValueError, match="probability"):
        panel.configure(BOUNDS, GRID, "logit")


def _heatmap_colours(panel) -> set[str]:
    """Distinct colours drawn inside the ViewBox, other layers hidden."""
    for name in ("real", "fake", "motion", "manifold"):
        panel.set_layer_visible(name, False)
    panel.plot.showGrid(x=False, y=False)
    image = panel.graphics.grab().toImage()
    # Inside the axes' tick marks, which pyqtgraph draws 5 px into the view box.
    box = panel.view_box.sceneBoundingRect().toRect().adjusted(7, 7, -7, -7)
    return {
        image.pixelColor(x, y).name()
        for x in range(box.left(), box.right(), 2)
        for y in range(box.top(), box.bottom(), 2)
    }


def test_score_field_of_large_values_is_drawn_in_many_colours_after_a_live_switch(shown):
    fake, motion, _, manifold = _snapshot()
    shown.set_snapshot(fake, motion, _score_field(), manifold)
    assert len(_heatmap_colours(shown)) <= 4  # read as a probability it saturates
    shown.set_output_kind("score")
    assert len(_heatmap_colours(shown)) > 30


def test_longest_gradient_arrow_is_eight_percent_of_the_view_width(panel):
    fake = np.array([[0.0, 0.0], [1.0, 1.0]])
    motion = np.array([[10.0, 0.0], [0.0, -5.0]])
    panel.set_snapshot(fake, motion, None, None)
    x, y = panel.motion_item.getData()
    shafts = np.column_stack([x, y]).reshape(-1, 6, 2)[:, :2]  # 3 segments per arrow
    np.testing.assert_allclose(shafts[:, 0], fake)
    np.testing.assert_allclose(shafts[:, 1] - fake, [[0.32, 0.0], [0.0, -0.16]])


def test_manifold_is_one_item_with_a_break_between_grid_lines(panel):
    fake, motion, field, manifold = _snapshot(m=5)
    panel.set_snapshot(fake, motion, field, manifold)
    x, _ = panel.manifold_item.getData()
    assert len(x) == 2 * 5 * 5
    connect = panel.manifold_item.opts["connect"]
    assert np.flatnonzero(~connect).tolist() == list(range(4, 50, 5))


@pytest.mark.parametrize(
    ("layer", "attribute"),
    [
        ("real", "real_item"),
        ("fake", "fake_item"),
        ("field", "field_item"),
        ("motion", "motion_item"),
        ("manifold", "manifold_item"),
    ],
)
def test_hiding_a_layer_hides_its_item(panel, layer, attribute):
    panel.set_layer_visible(layer, False)
    assert not getattr(panel, attribute).isVisible()
    assert not panel.layer_visible(layer)


def test_layer_button_toggles_the_layer_and_reports_it(qtbot, panel):
    with qtbot.waitSignal(panel.layer_visibility_changed) as blocker:
        panel._layer_buttons["motion"].click()
    assert blocker.args == ["motion", False]
    assert not panel.motion_item.isVisible()


def test_unknown_layer_name_is_an_error(panel):
    with pytest.raises(KeyError, match="layers are"):
        panel.set_layer_visible("heatmap", False)


def test_every_layer_button_and_drawing_button_has_a_tooltip(panel):
    buttons = [panel._layer_buttons[name] for name in LAYER_NAMES]
    buttons += [panel.draw_button, panel.clear_drawing_button, panel.apply_button]
    assert all(b.toolTip().strip() for b in buttons)


def test_clicking_near_a_fake_sample_emits_its_index(qtbot, shown):
    fake = np.array([[-1.0, -1.0], [0.5, 0.25], [1.0, 1.0]])
    shown.set_snapshot(fake, None, None, None)
    pos = _viewport_pos(shown, 0.5, 0.25) + QPoint(3, -2)  # a few pixels off the point
    with qtbot.waitSignal(shown.sample_clicked, timeout=1000) as blocker:
        QTest.mouseClick(shown.graphics.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [1]


def test_clicking_far_from_every_sample_emits_nothing(qtbot, shown):
    shown.set_snapshot(np.array([[1.0, 1.0]]), None, None, None)
    with qtbot.assertNotEmitted(shown.sample_clicked):
        QTest.mouseClick(
            shown.graphics.viewport(), Qt.MouseButton.LeftButton, pos=_viewport_pos(shown, -1, -1)
        )


def test_selection_ring_follows_the_selected_sample(panel):
    fake, motion, field, manifold = _snapshot()
    panel.set_selected(3)
    panel.set_snapshot(fake, motion, field, manifold)
    x, y = panel.selection_item.getData()
    np.testing.assert_allclose(np.column_stack([x, y]), fake[3:4])


def test_latent_path_none_hides_the_path(panel):
    path = np.column_stack([np.linspace(-1, 1, 9), np.zeros(9)])
    panel.set_latent_path(path, 4)
    np.testing.assert_allclose(panel.path_marker.getData()[0], [0.0])
    panel.set_latent_path(None, None)
    assert panel.path_item.getData() == (None, None)
    assert len(panel.path_marker.getData()[0]) == 0


def test_drawing_a_stroke_then_apply_emits_points_along_it(qtbot, shown):
    shown.draw_button.setChecked(True)
    assert not shown.apply_button.isEnabled()
    _drag(shown, (-1.0, -0.5), (1.0, 0.5))
    with qtbot.waitSignal(shown.drawn_points_applied, timeout=1000) as blocker:
        shown.apply_button.click()
    points = blocker.args[0]
    assert points.ndim == 2
    assert points.shape[1] == 2
    assert len(points) >= 20  # 2.2 units of stroke at about 1% of the view width apart
    tolerance = 0.05  # a pixel or two of mapping error
    assert points[:, 0].min() >= -1.0 - tolerance
    assert points[:, 0].max() <= 1.0 + tolerance
    assert points[:, 1].min() >= -0.5 - tolerance
    assert points[:, 1].max() <= 0.5 + tolerance


def _draw_mode_settled(panel):
    """Turn draw mode on; its hint above the plot shrinks the plot, so lay out again."""
    panel.draw_button.setChecked(True)
    QApplication.processEvents()  # the layout request posted by showing the hint


def test_dragging_while_drawing_does_not_pan(shown):
    _draw_mode_settled(shown)
    before = shown.view_box.viewRange()
    _drag(shown, (-1.0, 0.0), (1.0, 0.0))
    np.testing.assert_allclose(shown.view_box.viewRange(), before)


def test_applying_drawn_points_turns_draw_mode_off(qtbot, shown):
    _draw_mode_settled(shown)
    _drag(shown, (-1.0, 0.0), (1.0, 0.0))
    with qtbot.waitSignal(shown.drawn_points_applied, timeout=1000):
        shown.apply_button.click()
    assert not shown.draw_button.isChecked()
    assert not shown.is_drawing()
    assert not shown.draw_hint.isVisible()
    assert len(shown.drawn_points()) > 0  # kept until the restart clears the view


def test_stop_drawing_leaves_draw_mode_and_discards_points_not_applied(shown):
    _draw_mode_settled(shown)
    _drag(shown, (-1.0, 0.0), (1.0, 0.0))
    shown.stop_drawing()
    assert not shown.is_drawing()
    assert shown.drawn_points().shape == (0, 2)
    assert not shown.apply_button.isEnabled()


def test_escape_while_drawing_leaves_draw_mode_and_discards_points_not_applied(shown):
    _draw_mode_settled(shown)
    _drag(shown, (-1.0, 0.0), (1.0, 0.0))
    QTest.keyClick(shown.graphics, Qt.Key.Key_Escape)
    assert not shown.draw_button.isChecked()
    assert shown.drawn_points().shape == (0, 2)
    assert shown.view_box.stroke_callback is None


def test_escape_with_a_toolbar_button_focused_leaves_draw_mode(shown):
    _draw_mode_settled(shown)
    QTest.keyClick(shown.draw_button, Qt.Key.Key_Escape)
    assert not shown.is_drawing()


def test_clear_for_a_new_experiment_leaves_draw_mode(panel):
    panel.draw_button.setChecked(True)
    panel.clear()
    assert not panel.is_drawing()


def test_draw_mode_says_that_clicks_do_not_select_samples(shown):
    assert not shown.draw_hint.isVisible()
    _draw_mode_settled(shown)
    assert shown.draw_hint.isVisible()
    assert "does not select" in shown.draw_hint.text()
    assert "Esc" in shown.draw_hint.text()
    assert shown.graphics.viewport().cursor().shape() == Qt.CursorShape.CrossCursor


def test_clicking_a_sample_while_drawing_emits_nothing(qtbot, shown):
    _draw_mode_settled(shown)
    shown.set_snapshot(np.array([[0.5, 0.25]]), None, None, None)
    with qtbot.assertNotEmitted(shown.sample_clicked):
        QTest.mouseClick(
            shown.graphics.viewport(),
            Qt.MouseButton.LeftButton,
            pos=_viewport_pos(shown, 0.5, 0.25),
        )


def test_clicking_a_sample_after_drawing_emits_its_index_again(qtbot, shown):
    _draw_mode_settled(shown)
    shown.stop_drawing()
    QApplication.processEvents()  # the hint is gone: the plot takes its room back
    shown.set_snapshot(np.array([[-1.0, 1.0], [0.5, 0.25]]), None, None, None)
    with qtbot.waitSignal(shown.sample_clicked, timeout=1000) as blocker:
        QTest.mouseClick(
            shown.graphics.viewport(),
            Qt.MouseButton.LeftButton,
            pos=_viewport_pos(shown, 0.5, 0.25),
        )
    assert blocker.args == [1]
    assert shown.graphics.viewport().cursor().shape() == Qt.CursorShape.ArrowCursor


def test_clear_drawing_empties_the_points_and_disables_apply(shown):
    shown.draw_button.setChecked(True)
    _drag(shown, (-1.0, 0.0), (1.0, 0.0))
    shown.clear_drawing_button.click()
    assert shown.drawn_points().shape == (0, 2)
    assert not shown.apply_button.isEnabled()


def test_clear_empties_every_layer(panel):
    fake, motion, field, manifold = _snapshot()
    panel.set_real(fake, None)
    panel.set_snapshot(fake, motion, field, manifold)
    panel.set_selected(0)
    panel.clear()
    for item in (panel.real_item, panel.fake_item, panel.selection_item):
        assert len(item.getData()[0]) == 0
    assert panel.motion_item.getData() == (None, None)
    assert panel.manifold_item.getData() == (None, None)
    assert panel.field_item.image is None


@pytest.mark.parametrize(
    ("size", "bounds"),
    [
        ((900, 700), ((-1.5, 1.5), (-1.5, 1.5))),  # a wide window, the ring's square bounds
        ((700, 900), ((-1.5, 1.5), (-1.5, 1.5))),  # a tall one
        ((900, 700), ((0.0, 4.0), (-1.0, 1.0))),  # bounds of drawn data need not be square
    ],
)
def test_heatmap_covers_the_grid_extent_and_the_whole_visible_plot(qtbot, panel, size, bounds):
    (x0, x1), (y0, y1) = bounds
    grid = (np.linspace(x0, x1, 100), np.linspace(y0, y1, 80))
    panel.resize(*size)
    panel.show()
    qtbot.waitExposed(panel)
    panel.configure(bounds, grid, "probability")
    panel.set_snapshot(np.empty((0, 2)), None, np.full((80, 100), 0.7), None)
    rect = panel.field_item.mapRectToParent(panel.field_item.boundingRect())
    half_x, half_y = (x1 - x0) / 99 / 2, (y1 - y0) / 79 / 2
    assert (rect.left(), rect.right()) == pytest.approx((x0 - half_x, x1 + half_x))
    assert (rect.top(), rect.bottom()) == pytest.approx((y0 - half_y, y1 + half_y))
    (vx0, vx1), (vy0, vy1) = panel.view_box.viewRange()
    assert rect.left() <= vx0 <= x0 + 1e-6
    assert x1 - 1e-6 <= vx1 <= rect.right()
    assert rect.top() <= vy0 <= y0 + 1e-6
    assert y1 - 1e-6 <= vy1 <= rect.bottom()


def test_configure_sets_the_view_to_the_bounds_with_locked_aspect(shown):
    shown.configure(((0.0, 4.0), (-1.0, 1.0)), GRID, "probability")
    (x0, x1), (y0, y1) = shown.view_box.viewRange()
    assert x0 <= 0.0 + 1e-9
    assert x1 >= 4.0 - 1e-9
    assert y0 <= -1.0 + 1e-9
    assert y1 >= 1.0 - 1e-9
    assert shown.view_box.state["aspectLocked"] == 1.0


def test_renders_realistic_data_in_the_layer_colours(panel, tmp_path):
    """A ring of 8 gaussians and G's samples; GANLAB_SHOTS=dir keeps the PNG to look at."""
    rng = np.random.default_rng(1)
    angles = np.arange(8) * np.pi / 4
    centres = np.column_stack([np.cos(angles), np.sin(angles)]) * 1.4
    real = centres[rng.integers(0, 8, 512)] + 0.06 * rng.normal(size=(512, 2))
    t = rng.uniform(0, 2 * np.pi, 512)
    fake = np.column_stack([np.cos(t), np.sin(t)]) + 0.12 * rng.normal(size=(512, 2))
    nearest = centres[np.argmin(((fake[:, None] - centres[None]) ** 2).sum(-1), axis=1)]
    motion = nearest - fake
    xs, ys = np.meshgrid(*GRID)
    field = 1 / (1 + np.exp(-6 * (np.hypot(xs, ys) - 1.2)))
    z = np.linspace(-2, 2, 21)
    z0, z1 = np.meshgrid(z, z)
    manifold = np.stack([np.tanh(z0) + 0.2 * z1, np.tanh(z1) - 0.2 * z0], axis=-1)
    panel.set_real(real, None)
    panel.set_snapshot(fake, motion, field, manifold)
    panel.set_selected(0)
    panel.resize(900, 700)
    pixmap = panel.grab()
    out = Path(os.environ.get("GANLAB_SHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    assert pixmap.save(str(out / "toy_view.png"))
    image = pixmap.toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, 900, 3) for y in range(40, 640, 3)}
    assert style.REAL in colours
    assert style.FAKE in colours


def test_samples_with_non_finite_motion_get_no_arrow(panel):
    fake = np.array([[0.0, 0.0], [1.0, 1.0], [-1.0, 0.5]])
    motion = np.array([[1.0, 0.0], [np.nan, 0.0], [0.0, 0.0]])
    panel.set_snapshot(fake, motion, None, None)
    x, y = panel.motion_item.getData()
    shafts = np.column_stack([x, y]).reshape(-1, 6, 2)[:, :2]
    np.testing.assert_allclose(shafts, [[[0.0, 0.0], [0.32, 0.0]]])


def test_real_samples_of_different_classes_get_different_symbols(panel):
    real = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    panel.set_real(real, np.array([0, 1, 0]))
    symbols = [point.symbol() for point in panel.real_item.points()]
    assert symbols[0] == symbols[2]
    assert symbols[0] != symbols[1]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_legend_stays_in_a_1280x720_window_compact_if_need_be(language, request, qtbot):
    if language == "es":
        request.getfixturevalue("spanish")
    panel = ToyViewPanel()
    qtbot.addWidget(panel)
    panel.configure(BOUNDS, GRID, "probability")
    panel.resize(545, 560)  # the central view beside the lesson and the curves
    panel.show()
    qtbot.waitExposed(panel)
    legend = panel.legend
    qtbot.waitUntil(legend.isVisible)
    view = panel.graphics
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    qtbot.waitUntil(lambda: visible.contains(legend.mapRectToScene(legend.boundingRect())))
    assert legend.boundingRect().height() <= 0.3 * view.height()
    for _sample, label in legend.items:
        if "…" in label.text:  # shortened: the whole name in its tooltip
            assert label.toolTip()
            assert label.toolTip().startswith(label.text[:-1])


def test_the_colour_bar_title_never_runs_past_the_bar(qtbot):
    """A short view (a projector's 720 px, presentation mode): the title along the colour
    bar is elided to the bar's height, or hidden, instead of crossing the plot."""
    from PySide6.QtGui import QFontMetricsF

    panel = ToyViewPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 260)
    panel.show()
    qtbot.waitExposed(panel)
    axis = panel.color_bar.getAxis("left")
    room = panel.color_bar.getViewBox().height()
    shown = panel._bar_title_shown or ""
    assert shown != panel._bar_title  # too long for this bar
    width = QFontMetricsF(axis.label.font()).horizontalAdvance(shown)
    assert width <= room
    panel.resize(700, 900)
    qtbot.waitUntil(lambda: panel._bar_title_shown == panel._bar_title, timeout=5000)
