"""The timeline's step cursor on the Curves and Metrics panels."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

from ganlab.widgets import style
from ganlab.widgets.curves import CurvesPanel
from ganlab.widgets.metrics_view import MetricsPanel


@pytest.fixture
def curves(qtbot):
    panel = CurvesPanel()
    qtbot.addWidget(panel)
    return panel


def cursor_lines(widget):
    plot = widget.getPlotItem()
    return [
        item
        for item in plot.items
        if isinstance(item, pg.InfiniteLine)
        and item.angle == 90
        and item.pen.color().name() == style.CURSOR
    ]


def test_the_curves_cursor_stands_at_the_step_on_every_plot(curves):
    curves.set_cursor(120)
    assert curves.cursor() == 120
    for widget in curves.plot_widgets().values():
        (line,) = cursor_lines(widget)
        assert line.isVisible()
        assert line.value() == 120


def test_live_hides_the_curves_cursor(curves):
    curves.set_cursor(120)
    curves.set_cursor(None)
    assert curves.cursor() is None
    for widget in curves.plot_widgets().values():
        assert not any(line.isVisible() for line in cursor_lines(widget))


def test_the_cursor_is_not_a_setting_marker_and_leaves_them_alone(curves):
    curves.set_markers([(50, "lr_d 0.001→0.01")])
    curves.set_cursor(80)
    curves.set_cursor(None)
    losses = curves.plot_widgets()["losses"].getPlotItem()
    shown = [
        item.value()
        for item in losses.items
        if isinstance(item, pg.InfiniteLine) and item.angle == 90 and item.isVisible()
    ]
    assert shown == [50]


def test_the_cursor_does_not_stretch_the_plots(curves):
    steps = np.arange(1, 101, dtype=np.int64)
    series = {"d_loss": np.linspace(1, 2, 100), "g_loss": np.linspace(2, 1, 100)}
    curves.set_data(steps, series)
    before = curves.plot_widgets()["losses"].getPlotItem().getViewBox().viewRange()[0]
    curves.set_cursor(50)
    after = curves.plot_widgets()["losses"].getPlotItem().getViewBox().viewRange()[0]
    assert after == before


def test_the_metrics_cursor_follows_the_same_step(qtbot):
    panel = MetricsPanel()
    qtbot.addWidget(panel)
    panel.set_cursor(300)
    assert panel.cursor() == 300
    for widget in panel.plot_widgets().values():
        (line,) = cursor_lines(widget)
        assert line.value() == 300
    panel.set_cursor(None)
    assert panel.cursor() is None
