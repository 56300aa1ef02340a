"""LatentExplorerPanel: anchors, paths, the class, the walk and the frames shown."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ganlab.widgets.image_view import SEPARATOR
from ganlab.widgets.latent_explorer import LatentExplorerPanel, latent_from_seed

DIM = 16
H, W = 6, 5


@pytest.fixture
def panel(qtbot):
    widget = LatentExplorerPanel()
    qtbot.addWidget(widget)  # closed at teardown, which stops the walk timer
    widget.configure(DIM, "gaussian", True, ())
    return widget


def _request(qtbot, panel, action):
    """Run ``action`` and return the (z, labels) of the samples_requested it causes."""
    with qtbot.waitSignal(panel.samples_requested, timeout=5000) as blocker:
        action()
    return blocker.args


def _set_anchors(panel, vectors):
    """Replace the anchors with ``vectors`` (the last one added triggers one request)."""
    while panel._anchor_list.count():
        panel._anchor_list.setCurrentRow(0)
        panel._remove.click()
    for i, z in enumerate(vectors):
        panel.add_anchor(z, f"v{i}")


def _frames_for(panel):
    """Images whose pixels hold their frame index: (T, H, W, 3) uint8."""
    count = len(panel.path())
    return np.broadcast_to(np.arange(count, dtype=np.uint8)[:, None, None, None], (count, H, W, 3))


def test_configure_adds_two_seeded_anchors_and_requests_their_path(qtbot):
    panel = LatentExplorerPanel()
    qtbot.addWidget(panel)
    z, labels = _request(qtbot, panel, lambda: panel.configure(DIM, "gaussian", True, ()))
    anchors = panel.anchors()
    assert anchors.shape == (2, DIM)
    assert np.array_equal(
        anchors[0], np.random.default_rng(0).standard_normal(DIM).astype(np.float32)
    )
    assert z.shape == (panel._steps.value() + 1, DIM)
    assert z.dtype == np.float32
    assert np.allclose(z[0], anchors[0])
    assert np.allclose(z[-1], anchors[1])
    assert labels is None


def test_path_has_steps_frames_per_segment(qtbot, panel):
    panel.add_anchor(latent_from_seed(5, DIM, "gaussian"), "third")
    z, _ = _request(qtbot, panel, lambda: panel._steps.setValue(4))
    assert z.shape == (2 * 4 + 1, DIM)
    assert np.allclose(z[4], panel.anchors()[1])
    assert np.array_equal(panel.path(), z)


def test_spherical_midpoint_is_longer_than_linear_for_orthogonal_anchors(qtbot, panel):
    e0, e1 = np.zeros(DIM), np.zeros(DIM)
    e0[0], e1[1] = 4.0, 4.0
    panel._steps.setValue(2)
    panel._kind.setCurrentIndex(panel._kind.findData("lerp"))
    _set_anchors(panel, [e0, e1])
    linear = panel.path()
    spherical, _ = _request(
        qtbot, panel, lambda: panel._kind.setCurrentIndex(panel._kind.findData("slerp"))
    )
    assert np.linalg.norm(linear[1]) == pytest.approx(4.0 / np.sqrt(2.0), rel=1e-5)
    assert np.linalg.norm(spherical[1]) == pytest.approx(4.0, rel=1e-5)


def test_add_by_seed_is_deterministic(panel):
    panel._seed.setValue(7)
    panel._add_seed.click()
    panel._add_seed.click()
    anchors = panel.anchors()
    assert np.array_equal(anchors[2], anchors[3])
    assert np.array_equal(
        anchors[2], np.random.default_rng(7).standard_normal(DIM).astype(np.float32)
    )


def test_uniform_latent_anchors_lie_in_the_unit_cube(panel):
    panel.configure(DIM, "uniform", True, ())
    anchors = panel.anchors()
    assert np.array_equal(
        anchors[1], np.random.default_rng(1).uniform(-1, 1, DIM).astype(np.float32)
    )
    assert np.all(np.abs(anchors) <= 1.0)


def test_add_random_appends_a_vector_and_requests_a_longer_path(qtbot, panel):
    before = len(panel.path())
    z, _ = _request(qtbot, panel, panel._add_random.click)
    assert panel.anchors().shape == (3, DIM)
    assert len(z) == 2 * (before - 1) + 1


def test_controller_anchor_becomes_the_end_of_the_path(qtbot, panel):
    clicked = np.full(DIM, 0.5, dtype=np.float32)
    z, _ = _request(qtbot, panel, lambda: panel.add_anchor(clicked, "sample 3"))
    assert np.array_equal(z[-1], clicked)
    assert "sample 3" in panel._anchor_list.item(2).text()


def test_fewer_than_two_anchors_explains_and_requests_nothing(qtbot, panel):
    panel._anchor_list.setCurrentRow(0)
    with qtbot.assertNotEmitted(panel.samples_requested):
        panel._remove.click()
    assert panel.anchors().shape == (1, DIM)
    assert panel.path().shape == (0, DIM)
    assert "two anchors" in panel._status.text()
    assert not panel._play.isEnabled()


def test_conditional_path_carries_the_chosen_class(qtbot, panel):
    panel.configure(DIM, "gaussian", True, ("cat", "dog", "eel"))
    z, labels = _request(qtbot, panel, lambda: panel._class.setCurrentIndex(2))
    assert labels.dtype == np.int64
    assert labels.shape == (len(z),)
    assert np.all(labels == 2)


def test_class_picker_is_hidden_for_unconditional_models(panel):
    assert not panel._path_form.isRowVisible(panel._class)


def test_slider_move_emits_position_but_requests_nothing(qtbot, panel):
    with (
        qtbot.assertNotEmitted(panel.samples_requested),
        qtbot.waitSignal(panel.position_changed, timeout=5000) as blocker,
    ):
        panel._slider.setValue(3)
    assert blocker.args == [3]
    assert panel.position() == 3


def test_play_walks_to_the_end_and_stops(qtbot, panel):
    panel._steps.setValue(2)
    panel._fps.setValue(60)
    seen = []
    panel.position_changed.connect(seen.append)
    with qtbot.waitSignal(panel.position_changed, timeout=5000, check_params_cb=lambda i: i == 2):
        panel._play.click()
    assert seen == [1, 2]
    assert not panel.is_playing()
    assert panel.position() == 2


def test_loop_walks_back_to_the_start(qtbot, panel):
    panel._steps.setValue(2)
    panel._fps.setValue(60)
    panel._loop.setChecked(True)
    seen = []
    panel.position_changed.connect(seen.append)
    with qtbot.waitSignal(panel.position_changed, timeout=5000, check_params_cb=lambda i: i == 0):
        panel._play.click()
    assert seen == [1, 2, 0]
    assert panel.is_playing()
    panel._play.click()
    assert not panel.is_playing()


def test_hiding_the_panel_stops_the_walk(qtbot, panel):
    panel.show()
    qtbot.waitExposed(panel)
    panel._play.click()
    assert panel.is_playing()
    panel.hide()
    assert not panel.is_playing()


def test_closing_the_panel_stops_the_walk(panel):
    panel._play.click()
    assert panel.is_playing()
    panel.close()
    assert not panel.is_playing()


def test_image_frames_show_the_current_frame_large(panel):
    panel._slider.setValue(5)
    frames = _frames_for(panel)
    panel.set_frames(frames)
    assert np.array_equal(panel._frame_item.image, frames[5])
    panel._slider.setValue(2)
    assert np.array_equal(panel._frame_item.image, frames[2])


def test_image_frames_fill_a_strip_with_one_row_per_segment(panel):
    panel._steps.setValue(3)
    panel.add_anchor(latent_from_seed(2, DIM, "gaussian"), "third")
    frames = _frames_for(panel)
    panel.set_frames(frames)
    strip = panel._strip_item.image
    pitch_y, pitch_x = H + SEPARATOR, W + SEPARATOR
    # Row 1 is the segment A2 -> A3: frames 3..6; its first cell shows frame 3.
    assert np.all(strip[pitch_y : pitch_y + H, 0:W] == 3)
    assert np.all(strip[pitch_y : pitch_y + H, 3 * pitch_x : 3 * pitch_x + W] == 6)


def test_clicking_a_thumbnail_moves_the_position(qtbot, panel):
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel._steps.setValue(4)
    panel.set_frames(_frames_for(panel))
    QApplication.processEvents()  # the strip view applies its range before it paints
    view, item = panel._strip_widget, panel._strip_item
    pos = view.mapFromScene(item.mapToScene(QPointF(3 * (W + SEPARATOR) + W / 2, H / 2)))
    with qtbot.waitSignal(panel.position_changed, timeout=5000) as blocker:
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [3]


def test_toy_frames_show_the_current_point_coordinates(panel):
    panel.configure(2, "gaussian", False, ())
    count = len(panel.path())
    points = np.column_stack([np.arange(count) * 0.25, -np.arange(count) * 1.5])
    panel._slider.setValue(4)
    panel.set_frames(points)
    assert "(1.000, -6.000)" in panel._point_label.text()
    assert panel._views.currentIndex() == 1


def test_every_control_has_a_tooltip(panel):
    controls = [
        panel._anchor_list,
        panel._add_random,
        panel._add_seed,
        panel._seed,
        panel._remove,
        panel._kind,
        panel._steps,
        panel._class,
        panel._slider,
        panel._play,
        panel._loop,
        panel._fps,
    ]
    assert all(control.toolTip() for control in controls)
    assert "shell" in panel._kind.toolTip()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("is_image", [False, True])
def test_the_path_choice_is_in_sight_in_a_short_dock(language, is_image, request, qtbot):
    # Lesson 16 at 1280x720: the explorer is a tab of the right dock, about 375 x 400.
    if language == "es":
        request.getfixturevalue("spanish")
    panel = LatentExplorerPanel()
    qtbot.addWidget(panel)
    panel.configure(2 if not is_image else DIM, "gaussian", is_image, ())
    panel.resize(375, 400)
    panel.show()
    qtbot.waitExposed(panel)
    if not is_image:
        count = len(panel.path())
        panel.set_frames(np.zeros((count, 2), dtype=np.float32))
    area = panel._controls_area
    assert area.verticalScrollBar().value() == 0

    def in_sight():
        viewport = area.viewport()
        for widget in (panel._kind, panel._steps):
            top_left = widget.mapTo(viewport, widget.rect().topLeft())
            bottom = top_left.y() + widget.height()
            if not widget.isVisible() or top_left.y() < 0 or bottom > viewport.height():
                return False
        return True

    qtbot.waitUntil(in_sight)
    if not is_image:  # the read-out takes its lines, not half the dock
        assert panel._views.height() <= panel._point_label.sizeHint().height() + 12
