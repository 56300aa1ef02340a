"""Fixtures shared by the app tests (a test module's own fixture of the same name wins)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from ganlab.app.main_window import MainWindow
from tests.conftest import tiny_config

WAIT_MS = 20_000


@pytest.fixture
def window(qtbot, tmp_path):
    """The main window on a tiny experiment, shown once its trainer has built the pair."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(tiny_config(), settings=settings)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.controller.generation_started, timeout=WAIT_MS):
        win.show()
    yield win
    win.close()
