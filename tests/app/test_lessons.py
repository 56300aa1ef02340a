"""A lesson running in the window: steps, conditions, panels, the lock (real engine)."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMessageBox, QToolBar, QWidget

from ganlab.kernel import config as cfg
from ganlab.kernel import i18n
from tests.conftest import tiny_config

WAIT_MS = 20_000  # generous for a shared 2-core machine; tests end as soon as it holds


def lesson_file(tmp_path: Path, steps: str, *, lock: bool = False, name: str = "l.toml") -> Path:
    """A lesson on a tiny experiment (tiny.toml next to it) with the given steps."""
    cfg.save(tiny_config(), str(tmp_path / "tiny.toml"))
    head = f"""
        [lesson]
        number = 42
        title = {{ en = "Test lesson", es = "Lección de prueba" }}
        summary = {{ en = "A short lesson.", es = "Una lección corta." }}
        papers = ["Goodfellow et al. 2014, Generative Adversarial Nets"]
        experiment = "tiny.toml"
        lock = {str(lock).lower()}
        """
    path = tmp_path / name
    path.write_text(textwrap.dedent(head) + textwrap.dedent(steps), encoding="utf-8")
    return path


TWO_STEPS = """
[[step]]
title = { en = "Watch the losses", es = "Mira las pérdidas" }
text = { en = "Press **Play** and watch.", es = "Pulsa **Play** y mira." }
panels = ["view", "curves"]
point = "curves"
run = "play"
until = "step >= 40"
budget = 2000

[[step]]
title = { en = "Read the metrics", es = "Lee las métricas" }
text = { en = "The metrics say more.", es = "Las métricas dicen más." }
panels = ["metrics", "log"]
"""


def test_the_step_texts_show_in_english(window, tmp_path):
    assert window.lessons.open(lesson_file(tmp_path, TWO_STEPS))
    panel = window.lesson_panel
    assert panel.lesson_title.text() == "42. Test lesson"
    assert panel.step_title.text() == "Watch the losses"
    assert "<b>Play</b>" in panel.text.text()
    assert "Goodfellow et al. 2014" in panel.papers.text()
    assert panel.progress.text() == "Step 1 of 2"


def test_the_step_texts_show_in_spanish(window, tmp_path):
    i18n.set_language("es")
    assert window.lessons.open(lesson_file(tmp_path, TWO_STEPS))
    panel = window.lesson_panel
    assert panel.lesson_title.text() == "42. Lección de prueba"
    assert panel.step_title.text() == "Mira las pérdidas"
    assert "Pulsa <b>Play</b> y mira." in panel.text.text()


def test_next_is_disabled_until_the_condition_holds(qtbot, window, tmp_path):
    runner = window.lessons
    with qtbot.waitSignal(runner.condition_reached, timeout=WAIT_MS) as reached:
        runner.open(lesson_file(tmp_path, TWO_STEPS))
        assert not window.lesson_panel.next_button.isEnabled()
        assert window.lesson_panel.condition_state() == "waiting"
        runner.next()  # refused: the goal is not reached yet
        assert runner.index == 0
    assert reached.args == [0]
    assert window.lesson_panel.next_button.isEnabled()
    assert window.lesson_panel.condition_state() == "done"
    assert "Done" in window.lesson_panel.condition.text()
    qtbot.waitUntil(lambda: window.controller.session.state == "paused", timeout=WAIT_MS)
    assert window.controller.session.step >= 40
    runner.next_action.trigger()  # Page Down
    assert runner.index == 1
    assert window.lesson_panel.step_title.text() == "Read the metrics"
    assert window.lesson_panel.next_button.isEnabled()  # no condition: always


def test_a_step_whose_budget_runs_out_lets_the_class_go_on(qtbot, window, tmp_path):
    path = lesson_file(
        tmp_path,
        """
        [[step]]
        title = { en = "Never", es = "Nunca" }
        text = { en = "Waits for what never comes.", es = "Espera lo que no llega." }
        run = "play"
        until = "d_loss < -1"
        budget = 30

        [[step]]
        title = { en = "After", es = "Después" }
        text = { en = "The class got here.", es = "La clase llegó aquí." }
        """,
    )
    window.lessons.open(path)
    qtbot.waitUntil(lambda: window.lessons.missed, timeout=WAIT_MS)
    assert not window.lessons.done
    assert window.lesson_panel.condition_state() == "missed"
    assert window.lesson_panel.next_button.isEnabled()
    assert "30 steps" in window.lesson_panel.condition.text()
    with qtbot.waitSignal(window.lessons.step_changed, timeout=WAIT_MS) as opened:
        window.lesson_panel.next_button.click()
    assert opened.args == [1]


def test_a_condition_reads_in_the_window_s_language(spanish):
    from ganlab.app.lessons import pretty_condition

    text = pretty_condition("modes_captured <= 2 and step >= 400 or diagnosed_mode_collapse")
    assert text == ("modos capturados ≤ 2 y paso ≥ 400 o diagnóstico: Colapso de modos"), text


def test_each_step_shows_only_its_panels_and_leaving_restores_them(qtbot, window, tmp_path):
    docks = window.lessons.docks()
    before = {name: w.isVisible() for name, w in docks.items() if name != "lesson"}
    runner = window.lessons
    with qtbot.waitSignal(runner.condition_reached, timeout=WAIT_MS):
        runner.open(lesson_file(tmp_path, TWO_STEPS))
        shown = {name for name, w in docks.items() if w.isVisible()}
        assert shown == {"view", "curves", "lesson"}
        assert runner.highlighted() is window.curves
    runner.next()
    shown = {name for name, w in docks.items() if w.isVisible()}
    assert shown == {"metrics", "log", "lesson"}
    assert runner.highlighted() is None
    assert runner.close_lesson()
    assert {name: w.isVisible() for name, w in docks.items() if name != "lesson"} == before
    assert window.lesson_dock.isHidden()


def test_closing_the_window_mid_lesson_keeps_the_layout_from_before_it(qtbot, window, tmp_path):
    window.lessons.open(lesson_file(tmp_path, TWO_STEPS))
    assert window.controls_dock.isHidden()  # the step shows the view and the curves only
    window.close()
    assert not window.controls_dock.isHidden()  # what the window saves for the next start
    assert window.lesson_dock.isHidden()


LOCKED = """
[[step]]
title = { en = "Only the generator's rate", es = "Solo la tasa del generador" }
text = { en = "Change G's learning rate.", es = "Cambia la tasa de aprendizaje de G." }
controls = ["play", "step", "optimizer_g.lr"]
"""


def test_the_lock_blocks_actions_and_settings_the_step_does_not_allow(qtbot, window, tmp_path):
    window.lessons.open(lesson_file(tmp_path, LOCKED, lock=True))
    assert window.lessons.is_locked()
    c = window.controller
    segment, lr_d = c.session.segment, c.session.config.optimizer_d.lr
    window.reset_action.trigger()  # not allowed: nothing is sent
    window.open_action.trigger()  # would open a file dialog if it were allowed
    window.controls.setting_changed.emit("optimizer_d.lr", 0.05)  # not allowed
    assert not window.speed_combo.isEnabled()
    assert not window.save_action.isEnabled()
    assert not window.presets_menu.menuAction().isEnabled()
    assert not window.lessons.close_action.isEnabled()
    assert not any(t.isMovable() for t in window.findChildren(QToolBar))
    assert all(
        d.features() == QDockWidget.DockWidgetFeature.NoDockWidgetFeatures
        for d in window.findChildren(QDockWidget)
    )
    # Allowed: one step (what it sends is processed after the refused reset would be).
    window.step_action.trigger()
    qtbot.waitUntil(lambda: c.session.step >= 1, timeout=WAIT_MS)
    assert c.session.segment == segment
    assert c.session.config.optimizer_d.lr == lr_d
    window.controls.setting_changed.emit("optimizer_g.lr", 0.0005)  # allowed
    assert c.session.config.optimizer_g.lr == 0.0005


def test_the_lock_leaves_only_the_allowed_settings_editable(qtbot, window, tmp_path):
    window.lessons.open(lesson_file(tmp_path, LOCKED, lock=True))
    controls = window.controls
    d_lr = controls.findChild(QWidget, "optimizer_d.lr")
    g_lr = controls.findChild(QWidget, "optimizer_g.lr")
    batch = controls.findChild(QWidget, "loop.batch_size")
    assert not d_lr.isEnabled()
    assert not batch.isEnabled()
    assert g_lr.isEnabled()
    assert "locked" in batch.toolTip()
    with qtbot.assertNotEmitted(controls.setting_changed):
        batch.setValue(batch.value() * 2)  # a locked editor emits nothing
    assert window.controller.session.config.loop.batch_size == tiny_config().loop.batch_size
    window.lessons.unlock()
    assert batch.isEnabled()
    with qtbot.waitSignal(controls.setting_changed, timeout=1000):
        batch.setValue(batch.value() * 2)  # the same edit goes through once unlocked


def test_the_window_cannot_reenable_a_locked_action(window, tmp_path):
    window.lessons.open(lesson_file(tmp_path, LOCKED, lock=True))
    window.reset_action.setEnabled(True)  # what the window does after an evaluation, say
    assert not window.reset_action.isEnabled()


def test_unlock_asks_and_then_restores_every_control(qtbot, window, tmp_path, monkeypatch):
    features = {d: d.features() for d in window.findChildren(QDockWidget)}
    window.lessons.open(lesson_file(tmp_path, LOCKED, lock=True))
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No
    )
    window.lessons.unlock_action.trigger()
    assert asked
    assert window.lessons.is_locked()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.lessons.lock_changed) as changed:
        window.lessons.unlock_action.trigger()
    assert changed.args == [False]
    assert not window.lessons.is_locked()
    assert window.reset_action.isEnabled()
    assert window.speed_combo.isEnabled()
    assert window.open_action.isEnabled()
    assert window.save_action.isEnabled()
    assert {d: d.features() for d in window.findChildren(QDockWidget)} == features
    segment = window.controller.session.segment
    with qtbot.waitSignal(window.controller.segment_started, timeout=WAIT_MS):
        window.reset_action.trigger()
    assert window.controller.session.segment > segment
    assert window.lessons.close_lesson()


def test_the_teacher_locks_the_lab_from_the_menu(window):
    window.lessons.lock_action.trigger()
    assert window.lessons.is_locked()
    assert window.play_action.isEnabled()  # watching is allowed
    assert not window.reset_action.isEnabled()
    assert not window.lessons.may("optimizer_d.lr")
    window.lessons.unlock()
    assert window.reset_action.isEnabled()


def test_a_broken_lesson_names_file_step_and_key_and_the_window_goes_on(
    qtbot, window, tmp_path, monkeypatch
):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    path = lesson_file(
        tmp_path,
        """
        [[step]]
        title = { en = "One", es = "Uno" }
        text = { en = "x", es = "x" }

        [[step]]
        title = { en = "Two", es = "Dos" }
        text = { en = "x", es = "x" }
        until = "no_such_value > 1"
        budget = 10
        """,
    )
    assert not window.lessons.open(path)
    assert shown
    assert str(path) in shown[0]
    assert "step 2" in shown[0]
    assert "until" in shown[0]
    assert window.lessons.lesson is None
    window.step_action.trigger()  # still usable
    qtbot.waitUntil(lambda: window.controller.session.step >= 1, timeout=WAIT_MS)


def test_a_lesson_opens_from_the_recent_files(window, tmp_path):
    path = lesson_file(tmp_path, TWO_STEPS)
    window.remember_file(str(path))
    action = window.recent_menu.actions()[0]
    action.trigger()
    assert window.lessons.lesson is not None
    assert window.lessons.lesson.path.name == path.name


def test_the_experiment_description_is_shown_above_the_view(window):
    about = window.experiment_about
    config = dataclasses.replace(tiny_config(), name="Ring", description="Eight modes.")
    window._open_config(config, None)
    assert "Eight modes." in about.text()
    assert about.isVisibleTo(window)


def test_a_lesson_runs_with_the_keyboard_only(qtbot, window, tmp_path):
    window.activateWindow()
    qtbot.waitActive(window)
    runner = window.lessons
    with qtbot.waitSignal(runner.condition_reached, timeout=WAIT_MS):
        runner.open(lesson_file(tmp_path, TWO_STEPS))
    target = window.focusWidget() or window
    qtbot.keyClick(target, Qt.Key.Key_PageDown)
    assert runner.index == 1
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_PageUp)
    assert runner.index == 0


def test_presentation_mode_enlarges_the_lesson_text(qtbot, window, tmp_path):
    window.lessons.open(lesson_file(tmp_path, TWO_STEPS))
    normal = window.lesson_panel.text.font().pointSizeF()
    text = window.lesson_panel.text
    window.presentation_action.setChecked(True)
    try:
        qtbot.waitUntil(lambda: text.font().pointSizeF() > 1.4 * normal, timeout=2000)
    finally:
        window.presentation_action.setChecked(False)
    qtbot.waitUntil(lambda: text.font().pointSizeF() == normal, timeout=2000)


def test_the_preset_description_gives_way_to_the_lesson_and_comes_back(qtbot, window, tmp_path):
    assert window.experiment_about.isVisible()
    runner = window.lessons
    with qtbot.waitSignal(runner.condition_reached, timeout=WAIT_MS):
        runner.open(lesson_file(tmp_path, TWO_STEPS))
    assert not window.experiment_about.isVisible()
    assert runner.close_lesson()
    assert window.experiment_about.isVisible()


ONE_STEP = """
[[step]]
title = { en = "Only", es = "Único" }
text = { en = "Nothing to wait for.", es = "Nada que esperar." }
panels = ["view", "metrics", "curves"]
"""


def test_finishing_a_locked_lesson_lifts_its_lock_and_close_is_one_action(qtbot, window, tmp_path):
    runner = window.lessons
    assert runner.open(lesson_file(tmp_path, ONE_STEP, lock=True))
    assert runner.is_locked()
    assert not runner.close_action.isEnabled()
    runner.next_action.trigger()  # Finish
    assert not runner.is_locked()
    assert not runner.next_action.isEnabled()  # nothing after the end
    assert runner.close_action.isEnabled()
    runner.close_action.trigger()
    assert runner.lesson is None


def _front_tab(window, title: str) -> str | None:
    """The title of the tab in front, in the visible tab bar that holds ``title``."""
    from PySide6.QtWidgets import QTabBar

    for bar in window.findChildren(QTabBar):
        titles = [bar.tabText(i) for i in range(bar.count())]
        if bar.isVisible() and title in titles:
            return bar.tabText(bar.currentIndex())
    return None


def test_ctrl_number_brings_a_tabbed_panel_to_the_front_even_under_the_lock(
    qtbot, window, tmp_path
):
    runner = window.lessons
    assert runner.open(lesson_file(tmp_path, ONE_STEP, lock=True))
    window.curves_dock.raise_()
    qtbot.waitUntil(lambda: _front_tab(window, "Metrics") == "Curves", timeout=WAIT_MS)
    metrics_action = window.go_to_panel_actions[3]
    assert metrics_action.shortcut().toString() == "Ctrl+4"
    assert metrics_action.isEnabled()
    metrics_action.trigger()
    qtbot.waitUntil(lambda: _front_tab(window, "Metrics") == "Metrics", timeout=WAIT_MS)
    # A panel the locked step hid stays hidden.
    assert not window.go_to_panel(window.log_dock)
    assert window.log_dock.isHidden()


def test_every_name_a_condition_can_use_reads_as_words_in_the_window():
    """A lesson's "Waiting for" line shows each name it may use (scalars, learning
    rates, every family's metrics) in words the catalogue translates, not as a key."""
    from ganlab.app.lessons import _CONDITION_WORDS
    from ganlab.engine.lesson import LR_NAMES, METRIC_NAMES
    from ganlab.kernel import reports as rep

    names = {"step", "paused", *rep.SCALAR_COLUMNS, *LR_NAMES, *METRIC_NAMES}
    assert names <= set(_CONDITION_WORDS), sorted(names - set(_CONDITION_WORDS))
