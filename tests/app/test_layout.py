"""The window fits classroom screens: first-start size, dock placement, minimum sizes.

Screens are simulated by replacing ``available_geometry`` (the offscreen platform has a
single fixed screen); everything else is the real window, offscreen.
"""

from __future__ import annotations

from importlib import resources

import pytest
from PySide6.QtCore import QRect, QSettings, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QDockWidget, QToolBar

from ganlab.app import main_window as mw
from ganlab.app.main_window import MainWindow
from ganlab.kernel.presets import load_preset
from ganlab.widgets import style
from tests.app.test_main_window import WAIT_MS, small

QM = resources.files("ganlab.resources") / "translations" / "ganlab_es.qm"
SCREENS = [(1280, 720), (1366, 768), (1920, 1080)]
# A maximised window on a desktop loses its title bar and the task bar to the screen.
DECORATIONS_PX = 60


@pytest.fixture
def spanish(qapp):
    translator = QTranslator()
    assert translator.load(str(QM))
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)


def open_on_screen(qtbot, tmp_path, monkeypatch, width, height, settings=None) -> MainWindow:
    monkeypatch.setattr(mw, "available_geometry", lambda _widget: QRect(0, 0, width, height))
    if settings is None:
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(small(load_preset("ring8")), settings=settings)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.controller.segment_started, timeout=WAIT_MS):
        window.show()
    return window


def assert_docks_fit(window: MainWindow) -> None:
    """Every dock, raised in turn, gets at least its widget's minimum size hint (the
    Lesson dock, hidden until a lesson opens, is shown for it)."""
    docks = [d for d in window.findChildren(QDockWidget) if not d.isFloating()]
    for dock in docks:
        dock.show()
        dock.raise_()
        QApplication.processEvents()
        widget = dock.widget()
        hint = widget.minimumSizeHint()
        assert widget.isVisible(), dock.objectName()
        assert widget.width() >= hint.width(), (dock.objectName(), widget.size(), hint)
        assert widget.height() >= hint.height(), (dock.objectName(), widget.size(), hint)
    central = window.centralWidget()
    assert central.width() >= central.minimumSizeHint().width()
    assert central.height() >= central.minimumSizeHint().height()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_window_fits_the_screen_and_every_dock_gets_its_minimum_size(
    qtbot, tmp_path, monkeypatch, request, language, width, height
):
    if language == "es":
        request.getfixturevalue("spanish")
    window = open_on_screen(qtbot, tmp_path, monkeypatch, width, height)
    try:
        if language == "es":
            assert window.curves_dock.windowTitle() == "Curvas"  # the translator is in use
        room = QRect(0, 0, width, height - DECORATIONS_PX)
        hint = window.minimumSizeHint()
        assert hint.width() <= room.width(), hint
        assert hint.height() <= room.height(), hint
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.resize(room.size())
        QApplication.processEvents()
        assert window.size() == room.size()  # nothing forced it larger
        assert_docks_fit(window)
    finally:
        window.close()


def test_first_start_on_a_small_screen_is_no_larger_than_the_screen(qtbot, tmp_path, monkeypatch):
    window = open_on_screen(qtbot, tmp_path, monkeypatch, 1024, 600)
    try:
        # Maximised (the desktop fits it to the screen, title bar included), and its
        # normal geometry, used when un-maximised, is the screen's available area.
        assert window.isMaximized()
        assert QRect(0, 0, 1024, 600).contains(window.normalGeometry())
    finally:
        window.close()


def test_first_start_on_a_large_screen_takes_most_of_it_centred(qtbot, tmp_path, monkeypatch):
    window = open_on_screen(qtbot, tmp_path, monkeypatch, 1920, 1080)
    try:
        geometry = window.geometry()
        assert 0.85 * 1920 <= geometry.width() <= 1920
        assert 0.85 * 1080 <= geometry.height() <= 1080
        assert abs(geometry.center().x() - 960) <= 2
    finally:
        window.close()


def test_a_layout_saved_on_a_large_screen_shrinks_to_a_small_one(qtbot, tmp_path, monkeypatch):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = open_on_screen(qtbot, tmp_path, monkeypatch, 2560, 1440, settings)
    window.resize(2400, 1350)
    window.close()
    assert settings.value("window/geometry") is not None
    window = open_on_screen(qtbot, tmp_path, monkeypatch, 1280, 720, settings)
    try:
        assert window.width() <= 1280
        assert window.height() <= 720
    finally:
        window.close()


def test_compact_screens_put_the_explorer_beside_the_curves_wide_ones_under_the_view(
    qtbot, tmp_path, monkeypatch
):
    right = Qt.DockWidgetArea.RightDockWidgetArea
    bottom = Qt.DockWidgetArea.BottomDockWidgetArea
    window = open_on_screen(qtbot, tmp_path, monkeypatch, 1366, 768)
    try:
        assert window.dockWidgetArea(window.explorer_dock) == right
        assert window.explorer_dock in window.tabifiedDockWidgets(window.curves_dock)
    finally:
        window.close()
    window = open_on_screen(qtbot, tmp_path / "wide", monkeypatch, 1920, 1200)
    try:
        assert window.dockWidgetArea(window.explorer_dock) == bottom
        assert window.log_dock in window.tabifiedDockWidgets(window.explorer_dock)
        # The strip sits under the view and the curves: the settings keep the full height.
        assert window.controls_dock.geometry().bottom() > window.explorer_dock.geometry().top()
        assert window.curves_dock.geometry().bottom() < window.explorer_dock.geometry().top()
    finally:
        window.close()


def test_presentation_mode_is_full_screen_scales_everything_and_restores_it_exactly(
    qtbot, tmp_path, monkeypatch
):
    window = open_on_screen(qtbot, tmp_path, monkeypatch, 1280, 720)
    try:
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.resize(760, 700)  # within the offscreen platform's own 800 x 800 screen
        size = window.size()
        losses_axis = window.curves.plot_widgets()["losses"].getPlotItem().getAxis("left")
        view_axis = window.toy_view.plot.getAxis("bottom")

        def sizes():
            return {
                "app": QApplication.font().pointSizeF(),
                "toolbar": window.findChild(QToolBar).font().pointSizeF(),
                "curve ticks": losses_axis.style["tickFont"].pointSizeF(),
                "view ticks": view_axis.style["tickFont"].pointSizeF(),
                "view label": view_axis.label.font().pointSizeF(),
                "legend": window.toy_view.legend.opts["labelTextSize"],
                "colour bar": window.toy_view.color_bar.axis.style["tickFont"].pointSizeF(),
                "markers": window.toy_view.fake_item.opts["size"],
                "lines": window.toy_view.manifold_item.opts["pen"].widthF(),
            }

        before = sizes()
        window.presentation_action.trigger()
        assert window.isFullScreen()
        during = sizes()
        factor = style.PRESENTATION_FACTOR
        for key in before:
            if key == "legend":
                assert float(during[key][:-2]) == pytest.approx(float(before[key][:-2]) * factor)
            else:
                assert during[key] == pytest.approx(before[key] * factor), key
        window.presentation_action.trigger()
        assert not window.isFullScreen()
        assert sizes() == before
        # The layout before: settings on the left again, about the same size (Qt rounds
        # the docks' widths when it restores a dock state).
        assert window.dockWidgetArea(window.controls_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
        assert abs(window.width() - size.width()) <= 40
        assert abs(window.height() - size.height()) <= 40
    finally:
        window.close()


def test_a_dock_the_table_does_not_name_becomes_a_tab_on_the_right(qtbot, tmp_path, monkeypatch):
    window = open_on_screen(qtbot, tmp_path, monkeypatch, 1280, 720)
    try:
        extra = QDockWidget("Lesson", window)
        extra.setObjectName("dock-not-in-the-table")
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, extra)
        extra.show()  # added after the window was shown: hidden until shown
        window._arrange_docks(compact=True)
        assert window.dockWidgetArea(extra) == Qt.DockWidgetArea.RightDockWidgetArea
        assert extra in window.tabifiedDockWidgets(window.curves_dock)
    finally:
        window.close()
