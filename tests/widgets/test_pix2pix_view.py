"""Pix2PixPanel: held-out rows input -> output -> target, and the sketch pad's requests."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ganlab.kernel import reports as rep
from ganlab.widgets.image_view import SEPARATOR
from ganlab.widgets.pix2pix_view import PAD_SCALE, PENDING_FILL, Pix2PixPanel

SIDE = 8


class _Family:
    latent = False
    conditional = False


def _info(n: int = 3, domains: tuple[str, ...] = ("outline", "filled shape")) -> rep.SegmentStarted:
    real = np.zeros((n, 2, SIDE, SIDE, 3), np.uint8)
    real[:, 0] = 10  # A
    real[:, 1] = 200  # B
    return rep.SegmentStarted(
        segment=0,
        step=0,
        config_toml="",
        data_kind="paired",
        data_shape=(2, 3, SIDE, SIDE),
        class_names=(),
        bounds=None,
        output_kind="probability",
        device="CPU",
        param_counts={"g": 1, "d": 1},
        layer_names={"g": (), "d": ()},
        data_summary="",
        real=real,
        real_labels=None,
        real_density=None,
        panel="paired",
        domains=domains,
    )


def _snapshot(n: int = 3, value: int = 99) -> rep.PanelSnapshot:
    arrays = {
        "input": np.full((n, SIDE, SIDE, 3), 10, np.uint8),
        "output": np.full((n, SIDE, SIDE, 3), value, np.uint8),
        "target": np.full((n, SIDE, SIDE, 3), 200, np.uint8),
    }
    return rep.PanelSnapshot(0, 5, "paired", arrays, {"l1": 0.5})


@pytest.fixture
def panel(qtbot):
    widget = Pix2PixPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show_segment(_info(), _Family())
    return widget


def test_rows_show_input_output_target_per_pair(panel):
    panel.show_real(_info())
    before = panel.rows_image()
    assert before is not None
    step = SIDE + SEPARATOR
    assert before.shape == (3 * step - SEPARATOR, 3 * step - SEPARATOR, 3)
    assert (before[:SIDE, :SIDE] == 10).all()  # input
    assert (before[:SIDE, step : step + SIDE] == PENDING_FILL).all()  # no output yet
    assert (before[:SIDE, 2 * step : 2 * step + SIDE] == 200).all()  # target
    panel.show_snapshot(_snapshot())
    after = panel.rows_image()
    assert (after[2 * step : 2 * step + SIDE, step : step + SIDE] == 99).all()


def test_a_stroke_asks_for_gs_output_for_the_drawing(panel, qtbot):
    with qtbot.waitSignal(panel.panel_requested) as blocker:
        panel.pad.draw_stroke([(1.0, 1.0), (6.0, 1.0)])
    what, params = blocker.args
    assert what == "sketch"
    sketch = params["sketch"]
    assert sketch.dtype == np.float32
    assert sketch.shape == (SIDE * PAD_SCALE, SIDE * PAD_SCALE)
    assert sketch.min() >= 0.0
    assert sketch.max() <= 1.0
    row = int(1.0 * PAD_SCALE)
    assert sketch[row, 3 * PAD_SCALE] == pytest.approx(1.0)  # on the stroke
    assert sketch[6 * PAD_SCALE, 3 * PAD_SCALE] == 0.0  # far from it


def _mouse(widget, kind: QEvent.Type, pos: QPoint, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)


def test_drawing_with_the_mouse_asks_when_the_button_is_released(panel, qtbot):
    pad = panel.pad
    rect = pad._target()
    start = QPoint(int(rect.left() + rect.width() * 0.2), int(rect.center().y()))
    end = QPoint(int(rect.left() + rect.width() * 0.8), int(rect.center().y()))
    with qtbot.assertNotEmitted(panel.panel_requested):
        _mouse(pad, QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
        _mouse(pad, QEvent.Type.MouseMove, end, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.panel_requested) as blocker:
        _mouse(pad, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)
    sketch = blocker.args[1]["sketch"]
    middle = sketch[sketch.shape[0] // 2]
    assert middle[sketch.shape[1] // 2] > 0.9  # the line runs through the centre
    assert sketch[: sketch.shape[0] // 4].max() == 0.0  # nothing drawn near the top


def test_each_snapshot_asks_again_while_a_drawing_exists(panel, qtbot):
    with qtbot.assertNotEmitted(panel.panel_requested):
        panel.show_snapshot(_snapshot())  # nothing drawn: nothing to ask
    panel.pad.draw_stroke([(2.0, 2.0)])
    with qtbot.waitSignal(panel.panel_requested) as blocker:
        panel.show_snapshot(_snapshot())
    assert blocker.args[0] == "sketch"


def test_the_answer_is_shown_and_clear_wipes_the_drawing(panel, qtbot):
    panel.pad.draw_stroke([(2.0, 2.0), (5.0, 5.0)])
    out = np.zeros((1, SIDE, SIDE, 3), np.uint8)
    out[0, :, :, 0] = 255
    answer = rep.PanelAnswer(0, 1, "paired", "sketch", {"input": out, "output": out})
    panel.show_answer(answer)
    assert np.array_equal(panel._output_item.image, out[0])
    QTest.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert not panel.pad.has_sketch()
    assert panel.pad.sketch().max() == 0.0
    assert panel._output_item.image is None
    with qtbot.assertNotEmitted(panel.panel_requested):
        panel.show_snapshot(_snapshot())


def test_the_brush_slider_sets_the_stroke_width(panel, qtbot):
    panel.brush_slider.setValue(panel.brush_slider.minimum())
    panel.pad.draw_stroke([(1.0, 4.0), (7.0, 4.0)])
    thin = (panel.pad.sketch() > 0.5).sum()
    panel.pad.clear()
    panel.brush_slider.setValue(panel.brush_slider.maximum())
    panel.pad.draw_stroke([(1.0, 4.0), (7.0, 4.0)])
    thick = (panel.pad.sketch() > 0.5).sum()
    assert thick > 2 * thin


def test_domain_names_title_the_rows_and_a_new_size_starts_a_blank_pad(panel, qtbot):
    title = panel.rows_widget.getPlotItem().titleLabel.text
    assert "outline" in title
    assert "filled shape" in title
    panel.pad.draw_stroke([(2.0, 2.0)])
    info = _info()
    bigger = dataclasses.replace(info, real=np.zeros((2, 2, 16, 16, 3), np.uint8))
    panel.show_segment(bigger, _Family())
    assert panel.pad.sketch().shape == (16 * PAD_SCALE, 16 * PAD_SCALE)
    assert not panel.pad.has_sketch()


def test_more_than_four_pairs_are_shown_in_two_groups_of_rows(panel):
    panel.show_real(_info(n=8))
    panel.show_snapshot(_snapshot(n=8, value=99))
    mosaic = panel.rows_image()
    step = SIDE + SEPARATOR
    assert mosaic.shape[:2] == (4 * step - SEPARATOR, 7 * step - SEPARATOR)
    assert (mosaic[:SIDE, 3 * step : 3 * step + SIDE] == 255).all()  # the gap column
    for group in (0, 4):  # input, output, target in each group
        x = group * step
        assert (mosaic[:SIDE, x : x + SIDE] == 10).all()
        assert (mosaic[:SIDE, x + step : x + step + SIDE] == 99).all()
        assert (mosaic[:SIDE, x + 2 * step : x + 2 * step + SIDE] == 200).all()


def _in(panel, widget) -> QRect:
    """``widget``'s rectangle in the panel's coordinates."""
    return QRect(widget.mapTo(panel, QPoint(0, 0)), widget.size())


def test_a_tall_panel_stacks_the_drawing_under_the_rows(panel, qtbot):
    panel.show()
    panel.resize(900, 500)
    qtbot.waitUntil(lambda: not panel.is_stacked())
    wide_pad = _in(panel, panel.pad)
    wide_rows = _in(panel, panel.rows_widget)
    assert wide_pad.left() > wide_rows.right()  # beside the rows
    panel.resize(400, 900)
    qtbot.waitUntil(panel.is_stacked)
    qtbot.waitUntil(lambda: _in(panel, panel.pad).top() > _in(panel, panel.rows_widget).bottom())
    # pad and G's answer side by side below the rows
    assert _in(panel, panel.output_widget).left() > _in(panel, panel.pad).left()

    # stacked, the rows keep most of the height
    assert _in(panel, panel.rows_widget).height() > _in(panel, panel.pad).height()
