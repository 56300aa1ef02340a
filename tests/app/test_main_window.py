"""The window driving the real engine in its trainer thread (offscreen, no sleeps)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from ganlab.app.main_window import MainWindow
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.checkpoint import load_checkpoint
from ganlab.kernel.presets import load_preset
from ganlab.kernel.registry import DATA_SOURCES, MODEL_FAMILIES

WAIT_MS = 20_000  # generous: CI machines are shared; tests end as soon as the condition holds


def small(config: cfg.ExperimentConfig) -> cfg.ExperimentConfig:
    """A preset shrunk for a 2-core CI machine: CPU, small networks, small batches."""
    loop = dataclasses.replace(
        config.loop, device="cpu", threads=1, batch_size=16, fixed_samples=128, grid_size=24
    )
    model = dataclasses.replace(config.model, base_channels=8, g_hidden=16, d_hidden=16)
    data = dataclasses.replace(config.data, size=300 if config.data.source == "shapes" else 0)
    return dataclasses.replace(config, loop=loop, model=model, data=data)


class Recorder:
    """Wraps a panel method and records the arguments of every call."""

    def __init__(self, obj, name, monkeypatch):
        self.calls = []
        original = getattr(obj, name)

        def wrapper(*args, **kwargs):
            self.calls.append(args)
            return original(*args, **kwargs)

        monkeypatch.setattr(obj, name, wrapper)


def open_window(qtbot, tmp_path, config) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(config, settings=settings)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.controller.segment_started, timeout=WAIT_MS):
        window.show()
    return window


@pytest.fixture
def window(qtbot, tmp_path):
    win = open_window(qtbot, tmp_path, small(load_preset("ring8")))
    yield win
    win.close()


def wait_steps(qtbot, window, n):
    qtbot.waitUntil(lambda: window.controller.session.step >= n, timeout=WAIT_MS)


def test_window_opens_on_the_default_experiment(window):
    assert window.controller.session.info.data_kind == "toy2d"
    assert window.views.currentWidget() is window.toy_view
    assert "Ring of 8" in window.windowTitle()
    assert window.controller.session.state in ("paused", "starting")
    assert window.controller.is_running()


def test_play_advances_steps_and_every_visible_panel_receives_data(qtbot, window, monkeypatch):
    snapshots = Recorder(window.toy_view, "set_snapshot", monkeypatch)
    curves = Recorder(window.curves, "set_data", monkeypatch)
    window.play_action.trigger()
    wait_steps(qtbot, window, 50)
    qtbot.waitUntil(lambda: bool(snapshots.calls and curves.calls), timeout=WAIT_MS)
    fake, motion, field, manifold = snapshots.calls[-1]
    assert fake.shape == (128, 2)
    assert motion.shape == (128, 2)
    assert field.shape == (24, 24)
    assert manifold.shape[-1] == 2
    steps, series = curves.calls[-1]
    assert len(steps) > 0
    assert np.isfinite(series["d_loss"][-1])
    assert window.play_action.isChecked()


def test_learning_rate_change_reaches_the_optimizer_while_training(qtbot, window):
    window.play_action.trigger()
    wait_steps(qtbot, window, 10)
    with qtbot.waitSignal(window.controller.setting_recorded, timeout=WAIT_MS) as blocker:
        window.controls.setting_changed.emit("optimizer_d.lr", 0.0123)
    assert (blocker.args[0].key, blocker.args[0].new) == ("optimizer_d.lr", 0.0123)
    # The lr column is read from the optimizer's param_groups after each step.
    s = window.controller.session
    qtbot.waitUntil(lambda: s.columns["lr_d"].view()[-1] == 0.0123, timeout=WAIT_MS)
    assert s.markers[-1][1].startswith("lr_d")


def test_step_d_only_changes_only_d(qtbot, window, tmp_path):
    before, after = str(tmp_path / "before.pt"), str(tmp_path / "after.pt")
    c = window.controller
    with qtbot.waitSignal(c.checkpoint_saved, timeout=WAIT_MS):
        c.save_checkpoint(before)
    window.step_d_action.trigger()
    with qtbot.waitSignal(c.checkpoint_saved, timeout=WAIT_MS):
        c.save_checkpoint(after)
    a, b = load_checkpoint(before), load_checkpoint(after)
    assert b["step"] == a["step"] + 1
    assert all(torch.equal(a["g"][k], b["g"][k]) for k in a["g"])
    assert any(not torch.equal(a["d"][k], b["d"][k]) for k in a["d"])


def test_architecture_switch_starts_a_segment_and_drops_stale_reports(qtbot, window):
    c = window.controller
    window.play_action.trigger()
    wait_steps(qtbot, window, 20)
    with qtbot.waitSignal(c.segment_started, timeout=WAIT_MS) as blocker:
        window.controls.setting_changed.emit("model.g_hidden", 24)
    assert blocker.args[0].segment == 1
    wait_steps(qtbot, window, 5)
    steps_before = c.session.steps.view().copy()
    stale = rep.ScalarBatch(
        segment=0,
        steps=np.array([999_999]),
        times=np.array([0.0]),
        which=("both",),
        values={k: np.array([1.0]) for k in rep.SCALAR_COLUMNS},
        lrs={"d": np.array([1.0]), "g": np.array([1.0])},
        layer_norms={"d": np.zeros((1, 0)), "g": np.zeros((1, 0))},
    )
    dropped = c.session.dropped_reports
    c._on_worker_report(stale)
    assert c.session.dropped_reports == dropped + 1
    assert 999_999 not in c.session.steps.view()
    assert steps_before[0] == 1  # the new segment's curve restarted at step 1


@pytest.mark.parametrize(
    ("preset", "view"),
    [
        ("ring8", "toy_view"),
        ("gaussian1d", "density_view"),
        ("shapes_dcgan", "image_view"),
        ("shapes_cgan", "image_view"),
    ],
)
def test_each_data_kind_renders_its_views(qtbot, tmp_path, monkeypatch, preset, view):
    win = open_window(qtbot, tmp_path, small(load_preset(preset)))
    panel = getattr(win, view)
    snapshots = Recorder(panel, "set_snapshot", monkeypatch)
    errors = []
    win.controller.error_reported.connect(errors.append)
    assert win.views.currentWidget() is panel
    win.step_action.trigger()
    win.step_action.trigger()
    qtbot.waitUntil(
        lambda: len(snapshots.calls) >= 1 and win.controller.session.step >= 2, timeout=WAIT_MS
    )
    assert not errors
    win.close()


def test_closing_while_training_stops_the_thread(qtbot, window):
    window.play_action.trigger()
    wait_steps(qtbot, window, 20)
    window.close()
    assert not window.controller.is_running()
    assert not window.refresh_timer.isActive()


def test_a_trainer_error_is_shown_and_training_continues(qtbot, window, tmp_path):
    c = window.controller
    with qtbot.waitSignal(c.error_reported, timeout=WAIT_MS) as blocker:
        c.load_checkpoint(str(tmp_path / "missing.pt"))
    assert "missing.pt" in blocker.args[0].message
    assert "missing.pt" in window.log.text()
    with qtbot.waitSignal(c.segment_started, timeout=WAIT_MS):
        window.reset_action.trigger()
    window.step_action.trigger()
    wait_steps(qtbot, window, 1)


def test_switching_to_image_data_follows_with_an_image_family(qtbot, window):
    c = window.controller
    with qtbot.waitSignal(c.segment_started, timeout=WAIT_MS) as blocker:
        window.controls.setting_changed.emit("data.source", "shapes")
    assert blocker.args[0].data_kind == "image"
    assert c.session.config.model.family == "dcgan"
    assert window.views.currentWidget() is window.image_view


def _bundled_source_of_each_kind() -> list[str]:
    found: dict[str, str] = {}
    for name, entry in DATA_SOURCES.items():
        if not (entry.reads_path or entry.downloads):
            found.setdefault(entry.kind, name)
    return sorted(found.values())


@pytest.mark.parametrize("source", _bundled_source_of_each_kind())
def test_switching_to_any_kind_of_data_picks_a_family_that_trains_on_it(qtbot, window, source):
    c = window.controller
    with qtbot.waitSignal(c.segment_started, timeout=WAIT_MS) as blocker:
        window.controls.setting_changed.emit("data.source", source)
    info = blocker.args[0]
    family = MODEL_FAMILIES.get(c.session.config.model.family)
    assert info.data_kind in family.data_kinds
    assert window.views.currentWidget() is window.panels[info.panel or info.data_kind]


def test_bad_setting_is_refused_with_a_message(qtbot, window):
    window.controls.setting_changed.emit("loop.batch_size", -3)
    assert "loop.batch_size" in window.log.text()
    assert window.controller.session.config.loop.batch_size == 16


def test_layout_is_restored_on_the_next_start(qtbot, tmp_path):
    config = small(load_preset("ring8"))
    first = open_window(qtbot, tmp_path, config)
    first.curves_dock.hide()
    first.close()
    second = open_window(qtbot, tmp_path, config)
    assert not second.curves_dock.isVisible()
    second.close()


def test_exports_write_files(qtbot, window, tmp_path):
    window.step_action.trigger()
    wait_steps(qtbot, window, 1)
    qtbot.waitUntil(lambda: len(window.controller.session.steps) >= 1, timeout=WAIT_MS)
    assert window.export_csv(str(tmp_path / "curves.csv"))
    lines = (tmp_path / "curves.csv").read_text().splitlines()
    assert lines[0].startswith("step,d_loss")
    assert window.export_view(str(tmp_path / "view.png"))
    assert (tmp_path / "view.png").stat().st_size > 1000
    plots = window.export_plots(str(tmp_path))
    assert plots
    assert all((tmp_path / p).exists() for p in plots)


def test_experiment_round_trips_through_save_and_open(qtbot, window, tmp_path):
    path = str(tmp_path / "mine.toml")
    window.save_experiment(path)
    assert cfg.load(path).data.source == window.controller.session.config.data.source
    assert window.open_experiment(path)


def test_opening_a_broken_experiment_names_the_key(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    bad = tmp_path / "bad.toml"
    bad.write_text("[loop]\nbatchsize = 3\n")
    assert not window.open_experiment(str(bad))
    assert "loop.batchsize" in shown[0]


def test_metrics_panel_receives_toy_metrics(qtbot, window, monkeypatch):
    calls = Recorder(window.metrics, "set_metrics", monkeypatch)
    window.step_action.trigger()
    qtbot.waitUntil(lambda: bool(calls.calls), timeout=WAIT_MS)
    steps, values = calls.calls[-1]
    assert list(steps) == [1]
    assert 0.0 <= values["jsd"][0] <= 0.7
    assert values["num_modes"][0] == 8


def test_a_trainer_error_shows_the_banner(qtbot, window, tmp_path):
    with qtbot.waitSignal(window.controller.error_reported, timeout=WAIT_MS):
        window.controller.load_checkpoint(str(tmp_path / "missing.pt"))
    assert window.banner.isVisible()
    assert "missing.pt" in window.banner.text()


# DCGAN, and a family with views of its own on the same data (its FID/KID in the same
# feature space, so the two compare)
@pytest.mark.parametrize("preset", ["shapes_dcgan", "shapes_stylegan"])
def test_evaluate_now_computes_offline_image_metrics_while_training(
    qtbot, tmp_path, monkeypatch, preset
):
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
    win = open_window(qtbot, tmp_path, small(load_preset(preset)))
    assert win.evaluate_action.isEnabled()
    win.play_action.trigger()
    win.evaluate_action.trigger()
    qtbot.waitUntil(lambda: bool(win.image_results), timeout=60_000)
    result = win.image_results[-1]
    assert result["feature_space"].startswith("classifier:shapes")
    assert result["classifier_fid"] >= 0.0
    assert "Inception-v3 weights" in win.log.text()  # it said why it fell back
    # ... and what it computed on, in the log and under the FID plot.
    assert (result["n_real"], result["n_fake"]) == (64, 64)
    for shown in (win.log.text(), win.metrics._image_label.text()):
        assert "N = 64 real and 64 generated images, each used once" in shown
        assert "Note: FID with N < 2048 (here 64) is biased upward" in shown
    assert win.controller.session.state == "playing"  # training went on
    win.close()


def test_a_cleared_diagnosis_is_logged_and_hides_its_banner(window, qtbot):
    from ganlab.kernel import reports as rep

    c = window.controller
    c.diagnosis_reported.emit(rep.Diagnosis(0, 40, "mode_collapse", "warning", "G covers 2 of 8."))
    assert window.banner.isVisibleTo(window)
    c.diagnosis_cleared.emit(rep.DiagnosisCleared(0, 900, "oscillation", "Oscillation"))
    assert window.banner.isVisibleTo(window)  # another kind: the banner still holds
    c.diagnosis_cleared.emit(rep.DiagnosisCleared(0, 900, "mode_collapse", "Mode collapse"))
    assert not window.banner.isVisibleTo(window)
    assert "step 900 — Mode collapse: cleared" in window.log.text()


def test_an_opened_experiment_that_sets_an_ignored_option_is_logged(qtbot, window, tmp_path):
    path = tmp_path / "hinge.toml"
    path.write_text('[loss]\nname = "hinge"\nlabel_smoothing = 0.1\n')
    assert window.open_experiment(str(path))
    assert f"{path}: loss.label_smoothing = 0.1 has no effect with loss 'hinge'" in (
        window.log.text()
    )
    assert not window.controls.findChild(QWidget, "loss.label_smoothing").isEnabled()


def test_switching_to_wgan_clip_warns_about_the_critics_momentum(qtbot, window):
    window.controls.setting_changed.emit("loss.name", "wgan_clip")  # ring8: Adam, beta1 0.5
    assert window.controller.session.config.loss.name == "wgan_clip"
    assert "optimizer_d.beta1 = 0.5 gives the critic" in window.log.text()


def test_batch_one_with_batch_norm_is_refused_in_the_window(qtbot, window):
    c = window.controller
    c.change_setting("data.source", "shapes")  # follows to an image family with BatchNorm
    assert c.session.config.model.family in ("dcgan", "cgan", "acgan")
    assert not c.change_setting("loop.batch_size", 1)
    assert "loop.batch_size" in window.log.text()
    assert "BatchNorm" in window.log.text()
    assert c.session.config.loop.batch_size != 1


def test_the_speed_control_sets_the_pace_of_play(window):
    from ganlab.app.main_window import SPEEDS

    combo = window.speed_combo
    assert [combo.itemData(i) for i in range(combo.count())] == list(SPEEDS)
    assert combo.currentData() == 0  # full speed at first start
    combo.setCurrentIndex(combo.findData(10))
    combo.activated.emit(combo.currentIndex())  # what a click or the keyboard does
    assert window.controller.speed == 10
    window.set_speed(0)
    assert combo.currentData() == 0
    assert window.controller.speed == 0


def test_a_new_trainer_keeps_the_pace(qtbot):
    import time

    from ganlab.app.controller import Controller

    controller = Controller(small(load_preset("ring8")))
    controller.set_speed(20)  # before any trainer: given to the one that starts
    with qtbot.waitSignal(controller.segment_started, timeout=WAIT_MS):
        controller.start()
    started = time.monotonic()
    controller.play()
    try:
        qtbot.waitUntil(lambda: controller.session.step >= 8, timeout=WAIT_MS)
        elapsed = time.monotonic() - started
        assert controller.session.step <= 20 * elapsed + 3  # never faster than the limit
    finally:
        assert controller.stop(timeout_ms=10_000)


def test_garbage_is_collected_by_the_gui_thread_while_the_window_is_open(window):
    """The automatic collector (which runs in any allocating thread, the trainer's too)
    is off; the window's timer collects a cycle in the GUI thread; closing turns it on."""
    import gc
    import weakref

    class Node:
        pass

    assert not gc.isenabled()
    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    kept = [Node() for _ in range(gc.get_threshold()[0] + 1)]  # a collection is due
    assert gone() is not None  # nothing collected it behind the GUI thread's back
    window.gc_timer.timeout.emit()
    assert gone() is None
    assert len(kept) > 0
    window.close()
    assert gc.isenabled()
