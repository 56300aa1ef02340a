"""Load points asks which columns to use when the file has more than two."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog

from ganlab.app.point_columns import PointColumnsDialog
from ganlab.kernel.presets import load_preset
from tests.app.test_main_window import WAIT_MS, open_window, small


@pytest.fixture
def window(qtbot, tmp_path):
    win = open_window(qtbot, tmp_path, small(load_preset("ring8")))
    yield win
    win.close()


def _choose(monkeypatch, path: Path, pick) -> list:
    """Answer the file dialog with ``path`` and the columns dialog with ``pick``."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    shown = []

    def fake_exec(dialog: PointColumnsDialog) -> int:
        shown.append(dialog)
        return pick(dialog)

    monkeypatch.setattr(PointColumnsDialog, "exec", fake_exec)
    return shown


def test_three_column_file_asks_and_trains_on_the_chosen_columns(
    window, qtbot, tmp_path, monkeypatch
):
    path = tmp_path / "weather.csv"
    path.write_text("t;temp;rain\n0;1,5;2\n1;3;4\n2;2,5;0\n", encoding="utf-8")

    def pick(dialog):
        dialog.x_combo.setCurrentIndex(2)
        dialog.y_combo.setCurrentIndex(1)
        return QDialog.DialogCode.Accepted

    shown = _choose(monkeypatch, path, pick)
    with qtbot.waitSignal(window.controller.segment_started, timeout=WAIT_MS):
        window._on_load_points_requested()
    assert len(shown) == 1
    assert shown[0].x_combo.count() == 3
    data = window.controller.session.config.data
    assert data.source == "csv_points"
    assert data.columns == [2, 1]


def test_cancelling_the_column_question_loads_nothing(window, tmp_path, monkeypatch):
    path = tmp_path / "wide.csv"
    path.write_text("1,2,3\n4,5,6\n", encoding="utf-8")
    before = window.controller.session.config
    shown = _choose(monkeypatch, path, lambda dialog: QDialog.DialogCode.Rejected)
    window._on_load_points_requested()
    assert len(shown) == 1
    assert window.controller.session.config == before


def test_two_column_file_is_loaded_without_a_question(window, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "xy.csv"
    path.write_text("x;y\n0,5;1\n1;2\n", encoding="utf-8")
    shown = _choose(monkeypatch, path, lambda dialog: QDialog.DialogCode.Accepted)
    with qtbot.waitSignal(window.controller.segment_started, timeout=WAIT_MS):
        window._on_load_points_requested()
    assert shown == []
    assert window.controller.session.config.data.columns == []


def test_dialog_offers_1d_and_refuses_the_same_column_twice(qtbot):
    dialog = PointColumnsDialog(["0 (a)", "1 (b)", "2 (c)"], "f.csv")
    qtbot.addWidget(dialog)
    ok = dialog._buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.columns() == [0, 1]
    dialog.y_combo.setCurrentIndex(0)
    assert not ok.isEnabled()
    dialog.y_combo.setCurrentIndex(3)  # none: 1-D points
    assert ok.isEnabled()
    assert dialog.columns() == [0]


def test_opening_an_experiment_on_a_wide_file_asks_which_columns(
    window, qtbot, tmp_path, monkeypatch
):
    data = tmp_path / "wide.csv"
    data.write_text("t;x;y\n0;1,5;2\n1;3;4\n2;2,5;0\n", encoding="utf-8")
    exp = tmp_path / "wide.toml"
    exp.write_text(f'[data]\nsource = "csv_points"\npath = "{data.as_posix()}"\n')

    def pick(dialog):
        dialog.x_combo.setCurrentIndex(1)
        dialog.y_combo.setCurrentIndex(2)
        return QDialog.DialogCode.Accepted

    shown = _choose(monkeypatch, data, pick)
    with qtbot.waitSignal(window.controller.segment_started, timeout=WAIT_MS):
        assert window.open_experiment(str(exp))
    assert len(shown) == 1
    assert window.controller.session.config.data.columns == [1, 2]


def test_cancelling_the_question_when_opening_keeps_the_experiment(window, tmp_path, monkeypatch):
    data = tmp_path / "wide.csv"
    data.write_text("1,2,3\n4,5,6\n", encoding="utf-8")
    exp = tmp_path / "wide.toml"
    exp.write_text(f'[data]\nsource = "csv_points"\npath = "{data.as_posix()}"\n')
    before = window.controller.session.config
    _choose(monkeypatch, data, lambda dialog: QDialog.DialogCode.Rejected)
    assert not window.open_experiment(str(exp))
    assert window.controller.session.config == before
