"""The window on a CycleGAN run: its panel is the unpaired one, with both rows filled."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSettings

from ganlab.app.main_window import MainWindow
from ganlab.widgets.cycle_view import BLOCKS, CyclePanel
from tests.app.conftest import WAIT_MS
from tests.conftest import tiny_config


def _config():
    config = tiny_config(source="shapes_unpaired", family="cyclegan", loss="least_squares")
    return dataclasses.replace(
        config,
        data=dataclasses.replace(config.data, image_size=16, channels=3, size=64),
        model=dataclasses.replace(config.model, base_channels=4, g_layers=1),
        loop=dataclasses.replace(config.loop, batch_size=4),
    )


def test_a_cyclegan_run_shows_its_triplets_with_the_domain_names(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(_config(), settings=settings)
    qtbot.addWidget(win)
    try:
        with qtbot.waitSignal(win.controller.segment_started, timeout=WAIT_MS):
            win.show()
        panel = win.panels["unpaired"]
        assert isinstance(panel, CyclePanel)
        assert panel.isVisible()
        assert panel.image_count("a") == 8  # the held-out images, before any step
        assert panel.row_names(0)[0] == "A: filled shape"
        win.controller.step()
        qtbot.waitUntil(lambda: panel.image_count("bab") == 8, timeout=WAIT_MS)
        assert all(panel.image_count(key) == 8 for keys in BLOCKS for key in keys)
        assert panel._captions[0].text()
    finally:
        win.close()
