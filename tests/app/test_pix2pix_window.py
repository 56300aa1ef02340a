"""The pix2pix preset in the window: its panel shows the run, the sketch pad is answered
by the trainer (also while paused), and the latent explorer is off."""

from __future__ import annotations

from ganlab.kernel.presets import load_preset
from tests.app.test_main_window import WAIT_MS, Recorder, open_window, small


def test_the_pix2pix_preset_runs_in_its_panel_and_answers_a_sketch(qtbot, tmp_path, monkeypatch):
    win = open_window(qtbot, tmp_path, small(load_preset("shapes_pix2pix")))
    panel = win.panels["paired"]
    snapshots = Recorder(panel, "show_snapshot", monkeypatch)
    errors = []
    win.controller.error_reported.connect(errors.append)
    assert win.views.currentWidget() is panel
    assert not win.explorer.isEnabled()  # no latent z to explore
    assert not win.explorer_dock.toggleViewAction().isChecked()  # so its dock is put away
    assert not win.slow_motion.is_available()  # its narration is of G(z) against D(x)
    assert "no z" in win.slow_motion.explanation()
    win.step_action.trigger()
    win.step_action.trigger()
    qtbot.waitUntil(
        lambda: len(snapshots.calls) >= 1 and win.controller.session.step >= 2, timeout=WAIT_MS
    )
    assert panel.rows_image() is not None
    # paused: a stroke on the pad is still answered with G's output for it
    with qtbot.waitSignal(win.controller.panel_answer_ready, timeout=WAIT_MS) as blocker:
        panel.pad.draw_stroke([(8.0, 8.0), (24.0, 8.0), (24.0, 24.0), (8.0, 8.0)])
    answer = blocker.args[0]
    assert answer.what == "sketch"
    assert answer.arrays["output"].shape == (1, 32, 32, 3)
    assert panel._output_item.image is not None
    assert not errors
    # a family with a z brings the latent explorer back where it was
    with qtbot.waitSignal(win.controller.segment_started, timeout=WAIT_MS):
        win.controls.setting_changed.emit("data.source", "shapes")
    assert win.explorer.isEnabled()
    assert win.explorer_dock.toggleViewAction().isChecked()
    assert win.slow_motion.is_available()
    win.close()
