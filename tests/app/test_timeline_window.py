"""The window's timeline on real runs: scrubbing back while training goes on, back to
live, and a finished run opened afterwards.

The window's own run keeps its history in its trainer's process (the recorder), so the
live test starts a real trainer process; the finished run is made by ``ganlab train``.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from ganlab.app.main_window import MainWindow
from ganlab.cli import main
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.history import History, HistoryWriter
from tests.conftest import tiny_config

START_MS = 60_000  # a trainer process imports torch: seconds on a loaded machine


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def shown_fake(window: MainWindow) -> np.ndarray:
    x, y = window.toy_view.fake_item.getData()
    return np.column_stack([x, y])


def _is_snapshot(report: object) -> bool:
    return isinstance(report, rep.ToySnapshot)


def test_scrubbing_back_shows_a_kept_frame_while_training_goes_on(qtbot, window, tmp_path):
    """A real run in a thread; its history written as the recorder writes it (in the
    trainer's process: the next test)."""
    writer = HistoryWriter(tmp_path, every_s=0.0)  # every snapshot a frame: a short test

    def record(report: object) -> None:
        if isinstance(report, rep.SegmentStarted):
            writer.segment(report)
        elif isinstance(report, rep.ToySnapshot):
            writer.add(report)

    record(window.controller.session.info)
    window.controller.report_received.connect(record)
    window.controller.last_run_dir = tmp_path  # where the window's trainer records
    check_scrubbing(qtbot, window, lambda: len(writer.frames) >= 4)


@pytest.mark.slow
def test_a_window_s_own_process_run_lists_and_replays_its_frames(qtbot, settings):
    """The trainer process's recorder keeps the frames (one a second) where the window
    looks for them; the full scrubbing behaviour is the test above."""
    win = MainWindow(tiny_config(), settings=settings, link="process")
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.controller.segment_started, timeout=START_MS):
        win.show()
    run_dir = win.controller.last_run_dir
    # The log says where the run is recorded (once), so the user can find it.
    said = [t for t in win.log.text().splitlines() if str(run_dir) in t]
    assert len(said) == 1
    assert "recorded in" in said[0]
    win.controller.play()
    qtbot.waitUntil(lambda: len(History(run_dir).frames()) >= 2, timeout=START_MS)
    win.timeline.rescan()
    first = win.timeline_panel.frames()[0]
    assert first.run == ""  # the window's own run
    with qtbot.waitSignal(win.timeline.frame_shown, timeout=START_MS):
        win.timeline_panel.select(first.key)
    kept = History(run_dir).load(History(run_dir).frames()[0])
    np.testing.assert_allclose(shown_fake(win), kept.fake, rtol=1e-6)
    assert win.curves.cursor() == first.step
    win.controller.pause()
    win.close()


def check_scrubbing(qtbot, win: MainWindow, enough_frames) -> None:
    """Play until ``enough_frames()``; scrub back to the second frame, let training go
    on, go back to live: what the views show at each moment."""
    timeline, panel = win.timeline, win.timeline_panel
    win.controller.play()
    qtbot.waitUntil(enough_frames, timeout=START_MS)
    timeline.rescan()
    chosen = panel.frames()[1]
    with qtbot.waitSignal(timeline.frame_shown, timeout=START_MS) as shown:
        assert panel.select(chosen.key)
    assert shown.args == [chosen.key]
    frame = timeline.shown_frame()
    assert frame is not None
    assert frame.step == chosen.step
    kept = History(win.controller.last_run_dir).load(frame)
    assert isinstance(kept, rep.ToySnapshot)
    np.testing.assert_allclose(shown_fake(win), kept.fake, rtol=1e-6)
    assert win.curves.cursor() == chosen.step
    assert win.metrics.cursor() == chosen.step
    assert panel.indicator_text() == f"Step {chosen.step}"

    # Training goes on: new snapshots arrive (each one taken by the window, or the
    # trainer would not send the next), are held, and the kept frame stays.
    for _ in range(2):
        with qtbot.waitSignal(
            win.controller.report_received, timeout=START_MS, check_params_cb=_is_snapshot
        ):
            pass
    newest = timeline.newest_live()
    assert newest is not None
    assert newest.step > chosen.step
    np.testing.assert_allclose(shown_fake(win), kept.fake, rtol=1e-6)
    assert not np.allclose(newest.fake, kept.fake)
    assert not panel.is_live()

    with qtbot.waitSignal(timeline.frame_shown, timeout=START_MS) as back:
        panel.live_action.trigger()
    assert back.args == [None]
    np.testing.assert_allclose(shown_fake(win), timeline.newest_live().fake, rtol=1e-6)
    assert win.curves.cursor() is None
    assert panel.indicator_text() == "Live"
    assert win.views.currentWidget() is win.toy_view
    win.controller.pause()


def test_a_finished_run_opens_with_a_usable_timeline(qtbot, tmp_path, monkeypatch):
    """'ganlab --run DIR' on a run 'ganlab train' finished: its kept frames are on the
    timeline (named by the run's folder) and replay into the view."""
    experiment = tmp_path / "exp.toml"
    cfg.save(tiny_config(), experiment)
    out = tmp_path / "run"
    assert main(["train", str(experiment), "--steps", "30", "--out", str(out), "--quiet"]) == 0
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    seen: dict[str, object] = {}

    def event_loop(*_args) -> int:
        """Instead of the lab's event loop: scrub the window 'ganlab --run' opened."""
        windows = QApplication.topLevelWidgets()
        win = next(w for w in windows if isinstance(w, MainWindow) and w.isVisible())
        qtbot.waitUntil(lambda: win.controller.session.info is not None, timeout=START_MS)
        panel = win.timeline_panel
        seen["frames"] = [(f.step, f.run) for f in panel.frames()]
        # What File > Export evolution exports: the opened run, whose past is on screen
        # (the window's own new run has no frames of its own yet).
        seen["export"] = win.timeline.run_to_export()
        with qtbot.waitSignal(win.timeline.frame_shown, timeout=START_MS):
            panel.select(panel.frames()[0].key)
        seen["fake"] = shown_fake(win)
        seen["indicator"] = panel.indicator_text()
        seen["indicator_tip"] = panel._indicator.toolTip()
        seen["cursor"] = win.curves.cursor()
        with qtbot.waitSignal(win.timeline.frame_shown, timeout=START_MS) as back:
            panel.live_action.trigger()
        seen["back"] = back.args
        win.close()
        win.deleteLater()
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    assert main(["--run", str(out)]) == 0
    frames = seen["frames"]
    assert frames[0] == (0, out.name)
    assert frames[-1] == (30, out.name)
    assert seen["export"] == out
    history = History(out)
    np.testing.assert_allclose(seen["fake"], history.load(history.frames()[0]).fake, rtol=1e-6)
    assert seen["indicator"] == "Step 0 · earlier run"
    assert out.name in seen["indicator_tip"]
    assert seen["cursor"] == 0
    assert seen["back"] == [None]
