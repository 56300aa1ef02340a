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


def test_evaluate_now_works_for_a_stylegan_run(qtbot, tmp_path, monkeypatch):
    from ganlab.app import main_window
    from ganlab.metrics import classifier, inception

    def no_weights(path):
        raise inception.WeightsError(f"{path}: Inception weights not found", path=str(path))

    real_load = classifier.load_or_train
    monkeypatch.setattr(inception, "verify_weights", no_weights)
    monkeypatch.setattr(
        classifier,
        "load_or_train",
        lambda *a, **k: real_load(
            *a, cache_dir=tmp_path / "classifiers", steps=120, data_size=1200
        ),
    )
    monkeypatch.setattr(main_window, "EVALUATION_IMAGES", 64)
    win = open_window(qtbot, tmp_path, small(load_preset("shapes_stylegan")))
    assert win.evaluate_action.isEnabled()
    win.play_action.trigger()
    win.evaluate_action.trigger()
    qtbot.waitUntil(lambda: bool(win.image_results), timeout=60_000)
    result = win.image_results[-1]
    assert result["feature_space"].startswith("classifier:shapes")
    assert result["classifier_fid"] >= 0.0
    assert (result["n_real"], result["n_fake"]) == (64, 64)
    win.close()
