"""Fixtures shared by the app tests (a test module's own fixture of the same name wins)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from ganlab.app.main_window import MainWindow
from tests.conftest import tiny_config

WAIT_MS = 20_000


@pytest.fixture(autouse=True)
def _trainer_in_a_thread(monkeypatch):
    """The window's behaviour tests run its trainer in a thread: it starts in no time,
    and they start hundreds. The trainer process itself is tested in
    test_trainer_process.py, with real processes."""
    from ganlab.app import controller

    monkeypatch.setattr(controller, "DEFAULT_LINK", "thread")


@pytest.fixture
def window(qtbot, tmp_path):
    """The main window on a tiny experiment, shown once its trainer has built the pair."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(tiny_config(), settings=settings)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.controller.segment_started, timeout=WAIT_MS):
        win.show()
    yield win
    win.close()
