"""The window with a StyleGAN-lite run: its style panel, ψ requests while paused, and the
Evaluate action (the same offline FID/KID as DCGAN's)."""

from __future__ import annotations

import numpy as np

from ganlab.kernel.presets import load_preset
from ganlab.widgets.style_view import StylePanel
from tests.app.test_main_window import WAIT_MS, Recorder, open_window, small


def test_a_stylegan_run_shows_the_style_panel_and_answers_psi_while_paused(
    qtbot, tmp_path, monkeypatch
):
    win = open_window(qtbot, tmp_path, small(load_preset("shapes_stylegan")))
    panel = win.panels["style"]
    assert isinstance(panel, StylePanel)
    assert win.views.currentWidget() is panel
    shown = Recorder(panel, "show_snapshot", monkeypatch)
    win.play_action.trigger()
    qtbot.waitUntil(lambda: win.controller.session.step >= 5 and bool(shown.calls), timeout=WAIT_MS)
    win.play_action.trigger()  # pause
    qtbot.waitUntil(lambda: win.controller.session.state == "paused", timeout=WAIT_MS)
    assert panel.crossover_box.count() == 7  # 32 px: 8 styles, crossovers 1..7
    with qtbot.waitSignal(win.controller.panel_answer_ready, timeout=WAIT_MS) as blocker:
        panel.psi_slider.setValue(0)
    answer = blocker.args[0]
    assert answer.panel == "style"
    assert float(answer.arrays["psi"]) == 0.0
    samples = answer.arrays["samples"]
    assert (samples == samples[0]).all()  # ψ = 0: every z gives the average image
    assert np.array_equal(panel.samples.item.image[:32, :32], samples[0])
    win.close()
