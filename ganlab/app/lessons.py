"""Running a lesson in the window, the teacher's lock and the start page. GUI thread.

:class:`LessonRunner` belongs to the main window. Opening a lesson loads its experiment;
each step then applies its experiment / ``set`` / ``reset`` through the controller, shows
only the step's panels, frames the panel it points at, runs or pauses training, and feeds
every report the controller receives to the step's ``ConditionWatcher``. When the
condition holds, the step is done: training pauses and Next is enabled. Leaving the
lesson puts the window's panels back as they were.

The teacher's lock (a lesson with ``lock = true``, or Lesson › Lock the lab) leaves only
the step's ``controls`` changeable: settings through ``ControlsPanel.set_lock``, window
actions by name, docks fixed in place. Lesson › Unlock… (with a confirmation) is the one
way out.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QByteArray,
    QCoreApplication,
    QEvent,
    QObject,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMessageBox, QToolBar, QWidget

from ganlab.engine.channel import served_runs
from ganlab.engine.lesson import (
    ConditionWatcher,
    Lesson,
    LessonStep,
    load_lesson,
    localized,
    shipped_lessons,
)
from ganlab.kernel import config as cfg
from ganlab.kernel import i18n
from ganlab.kernel import reports as rep
from ganlab.kernel.errors import GanlabError
from ganlab.kernel.presets import description as preset_description
from ganlab.kernel.presets import load_preset, preset_names
from ganlab.kernel.presets import title as preset_title
from ganlab.kernel.rundir import RunDir, recent_runs, window_runs_folder
from ganlab.widgets.lesson_panel import FrameHighlight, LessonPanel
from ganlab.widgets.start_page import StartPage

if TYPE_CHECKING:
    from ganlab.app.main_window import MainWindow

# Window actions a locked step allows when it names no ``controls``: watching the
# experiment train, not changing it.
# Runs made in the window listed on the start page, newest first.
RECENT_RUNS = 5

WATCHING = ("play", "step", "step_d", "step_g", "speed", "slow_motion")
# Condition operators as a reader writes them.
_PRETTY_OPS = (("<=", "≤"), (">=", "≥"), ("!=", "≠"), ("==", "="))


def is_lesson_file(path: str | Path) -> bool:
    """Whether ``path`` is a TOML file with a ``[lesson]`` table (not an experiment)."""
    if not str(path).endswith(".toml"):
        return False
    try:
        with open(path, "rb") as fh:
            return isinstance(tomllib.load(fh).get("lesson"), dict)
    except (OSError, tomllib.TOMLDecodeError):
        return False


# What a condition's names and words read as in the window (translated where shown).
_CONDITION_WORDS: dict[str, str] = {
    "step": QT_TRANSLATE_NOOP("LessonRunner", "step"),
    "paused": QT_TRANSLATE_NOOP("LessonRunner", "paused"),
    "d_loss": QT_TRANSLATE_NOOP("LessonRunner", "D loss"),
    "g_loss": QT_TRANSLATE_NOOP("LessonRunner", "G loss"),
    "d_real": QT_TRANSLATE_NOOP("LessonRunner", "mean D(x), real"),
    "d_fake": QT_TRANSLATE_NOOP("LessonRunner", "mean D(G(z)), fake"),
    "grad_norm_d": QT_TRANSLATE_NOOP("LessonRunner", "D's gradient norm"),
    "grad_norm_g": QT_TRANSLATE_NOOP("LessonRunner", "G's gradient norm"),
    "lr_d": QT_TRANSLATE_NOOP("LessonRunner", "D's learning rate"),
    "lr_g": QT_TRANSLATE_NOOP("LessonRunner", "G's learning rate"),
    "jsd": QT_TRANSLATE_NOOP("LessonRunner", "JSD"),
    "kl_real_fake": QT_TRANSLATE_NOOP("LessonRunner", "KL(data ‖ G)"),
    "kl_fake_real": QT_TRANSLATE_NOOP("LessonRunner", "KL(G ‖ data)"),
    "tv": QT_TRANSLATE_NOOP("LessonRunner", "total variation"),
    "fake_outside": QT_TRANSLATE_NOOP("LessonRunner", "generated mass outside the grid"),
    "jsd_floor": QT_TRANSLATE_NOOP("LessonRunner", "JSD floor"),
    "kl_real_fake_floor": QT_TRANSLATE_NOOP("LessonRunner", "KL(data ‖ G) floor"),
    "kl_fake_real_floor": QT_TRANSLATE_NOOP("LessonRunner", "KL(G ‖ data) floor"),
    "tv_floor": QT_TRANSLATE_NOOP("LessonRunner", "total variation floor"),
    "d_bound": QT_TRANSLATE_NOOP("LessonRunner", "lower bound from D"),
    "modes_captured": QT_TRANSLATE_NOOP("LessonRunner", "modes captured"),
    "num_modes": QT_TRANSLATE_NOOP("LessonRunner", "modes"),
    "high_quality": QT_TRANSLATE_NOOP("LessonRunner", "high-quality share"),
    "reverse_kl": QT_TRANSLATE_NOOP("LessonRunner", "reverse KL of the modes"),
    "w1": QT_TRANSLATE_NOOP("LessonRunner", "W1"),
    # the loss terms some families add, and their held-out measures
    "g_adv": QT_TRANSLATE_NOOP("LessonRunner", "G's adversarial loss"),
    "l1": QT_TRANSLATE_NOOP("LessonRunner", "L1 loss"),
    "cycle": QT_TRANSLATE_NOOP("LessonRunner", "cycle loss"),
    "identity": QT_TRANSLATE_NOOP("LessonRunner", "identity loss"),
    "l1_held_out": QT_TRANSLATE_NOOP("LessonRunner", "held-out L1"),
    "psnr": QT_TRANSLATE_NOOP("LessonRunner", "held-out PSNR"),
    "l1_identity": QT_TRANSLATE_NOOP("LessonRunner", "L1 of the input itself"),
    "psnr_identity": QT_TRANSLATE_NOOP("LessonRunner", "PSNR of the input itself"),
    "l1_mean": QT_TRANSLATE_NOOP("LessonRunner", "L1 of the mean image"),
    "psnr_mean": QT_TRANSLATE_NOOP("LessonRunner", "PSNR of the mean image"),
    "cycle_error": QT_TRANSLATE_NOOP("LessonRunner", "cycle error"),
    "cycle_error_a": QT_TRANSLATE_NOOP("LessonRunner", "cycle error A→B→A"),
    "cycle_error_b": QT_TRANSLATE_NOOP("LessonRunner", "cycle error B→A→B"),
    "target_share": QT_TRANSLATE_NOOP("LessonRunner", "share judged in the target domain"),
    "target_share_ab": QT_TRANSLATE_NOOP("LessonRunner", "share of G(A) judged B"),
    "target_share_ba": QT_TRANSLATE_NOOP("LessonRunner", "share of F(B) judged A"),
    "real_share": QT_TRANSLATE_NOOP("LessonRunner", "share of real images judged right"),
    "ppl_z": QT_TRANSLATE_NOOP("LessonRunner", "path length in z"),
    "ppl_w": QT_TRANSLATE_NOOP("LessonRunner", "path length in w"),
    "and": QT_TRANSLATE_NOOP("LessonRunner", "and"),
    "or": QT_TRANSLATE_NOOP("LessonRunner", "or"),
    "not": QT_TRANSLATE_NOOP("LessonRunner", "not"),
}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def condition_word(name: str) -> str:
    """A condition's name as the window shows it, in the language in use:
    ``modes_captured`` -> "modes captured"; ``diagnosed_mode_collapse`` -> "diagnosis:
    Mode collapse"; an unknown name with its underscores as spaces."""
    if name in _CONDITION_WORDS:
        return QCoreApplication.translate("LessonRunner", _CONDITION_WORDS[name])
    if name.startswith("diagnosed_"):
        from ganlab.metrics.diagnostics import title

        kind = name.removeprefix("diagnosed_")
        return QCoreApplication.translate("LessonRunner", "diagnosis: {title}").format(
            title=title(kind)
        )
    return name.replace("_", " ")


def pretty_condition(condition: str) -> str:
    """``"modes_captured <= 2 and step >= 400"`` -> "modes captured ≤ 2 and step ≥ 400",
    every name and word in the language in use."""
    text = condition
    for op, sign in _PRETTY_OPS:
        text = text.replace(op, sign)
    return _NAME.sub(lambda m: condition_word(m.group(0)), text)


def _number(value: float) -> str:
    if math.isnan(value):
        return "—"
    if value == int(value) and abs(value) < 1e12:
        return str(int(value))
    return f"{value:.3g}"


class LessonRunner(QObject):
    """The open lesson, its current step, and the teacher's lock of ``window``.

    Signals
    -------
    step_changed(int)
        A step (0-based) opened.
    condition_reached(int)
        The step's ``until`` holds (or it had none to wait for).
    lesson_closed()
        The lesson was closed; the panels are back as before it.
    lock_changed(bool)
        The lab was locked (True) or unlocked.
    """

    step_changed = Signal(int)
    condition_reached = Signal(int)
    lesson_closed = Signal()
    lock_changed = Signal(bool)

    def __init__(self, window: MainWindow, panel: LessonPanel, dock: QDockWidget):
        super().__init__(window)
        self.window = window
        self.panel = panel
        self.dock = dock
        self.lesson: Lesson | None = None
        self.index = -1
        self.watcher: ConditionWatcher | None = None
        self.done = False  # the current step's condition was reached (or it has none)
        self.missed = False  # its budget ran out first
        self.complete = False  # Next on the last step: the lesson (and its lock) is over
        self._first_step: int | None = None  # the trainer's step when the step began
        self._last_step = 0
        self._waiting_for_segment: int | None = None  # ignore reports until gen > this
        self._saved_state: QByteArray | None = None  # the window's layout before the lesson
        self._highlight: FrameHighlight | None = None
        self._teacher_lock = False  # Lesson › Lock the lab
        self._unlocked = False  # Lesson › Unlock… during this lesson: its lock is off
        self._locked_actions = QActionGroup(self)
        self._locked_actions.setExclusionPolicy(QActionGroup.ExclusionPolicy.None_)
        self._locked_actions.setEnabled(False)
        self._dock_features: dict[QDockWidget, QDockWidget.DockWidgetFeature] = {}
        self.allowed: frozenset[str] | None = None  # None: not locked
        self.start_page: StartPage | None = None
        panel.back_requested.connect(self.back)
        panel.next_requested.connect(self.next)
        window.controller.report_received.connect(self._on_controller_report_received)
        window.controller.config_changed.connect(self.describe_experiment)
        window.installEventFilter(self)

    # ------------------------------------------------------------------ opening

    def open(self, path: str | Path) -> bool:
        """Open the lesson file ``path`` at its first step.

        A file that cannot be read or checked is refused with a message naming the file,
        the step and the key (in the log and a dialog); the window stays as it was.
        """
        try:
            lesson = load_lesson(path)
        except (GanlabError, OSError) as exc:
            self.window.log.append(str(exc), "error")
            QMessageBox.warning(self.window, self.tr("Lesson refused"), str(exc))
            return False
        if self.is_locked() and "open" not in (self.allowed or ()):
            return False
        self.start(lesson)
        self.window.remember_file(str(path))
        return True

    def start(self, lesson: Lesson) -> None:
        """Open ``lesson`` (already loaded) at its first step."""
        if self.lesson is not None:
            self._leave_lesson()
        self._saved_state = self.window.saveState()
        self.lesson = lesson
        self._unlocked = False
        lang = i18n.language()
        self.panel.set_lesson(
            f"{lesson.number}. {localized(lesson.title, lang)}", len(lesson.steps), lesson.papers
        )
        self.dock.show()
        self.dock.raise_()
        # The Lesson panel says what the experiment is for; the preset's own description
        # (written for the preset, not for this step) would contradict it.
        self.window.experiment_about.hide()
        # The step's text is the lesson: half the height of the window's side, at least.
        self.window.resizeDocks(
            [self.dock], [max(320, self.window.height() // 2)], Qt.Orientation.Vertical
        )
        self.window.log.append(
            self.tr("Lesson {title} opened ({n} steps)").format(
                title=localized(lesson.title, lang), n=len(lesson.steps)
            ),
            "info",
        )
        self.go_to(0)

    def close_lesson(self) -> bool:
        """Leave the lesson (refused while the lab is locked: unlock first)."""
        if self.lesson is None or self.is_locked():
            return False
        self._leave_lesson()
        return True

    def _leave_lesson(self) -> None:
        self._clear_highlight()
        if self._saved_state is not None:
            self.window.restoreState(self._saved_state)
            self._saved_state = None
        self.window.centralWidget().setVisible(True)
        self.window.experiment_about.show()
        self.lesson = None
        self.index = -1
        self.watcher = None
        self.panel.clear()
        self._set_navigation(False, False)
        self._unlocked = False
        self._apply_lock()
        self.lesson_closed.emit()

    # ------------------------------------------------------------------ steps

    @property
    def step(self) -> LessonStep | None:
        if self.lesson is None or not 0 <= self.index < len(self.lesson.steps):
            return None
        return self.lesson.steps[self.index]

    @Slot()
    def next(self) -> None:
        """The next step, if the current one is done; after the last, the lesson is
        complete (it stays open: Lesson › Close lesson leaves it). A step whose budget ran
        out without its condition can be left as well."""
        if self.lesson is None or not (self.done or self.missed):
            return  # a missed step may be left too: the class is never stuck
        if self.index + 1 < len(self.lesson.steps):
            self.go_to(self.index + 1)
        else:
            # The lesson is over, and so is its lock: Close lesson is one step away.
            self.complete = True
            self._apply_lock()
            self.panel.set_condition(self.tr("Lesson complete ✓"), "done")
            self._set_navigation(self.index > 0, False)

    @Slot()
    def back(self) -> None:
        """The previous step (its experiment and settings again)."""
        if self.lesson is not None and self.index > 0:
            self.go_to(self.index - 1)

    def go_to(self, index: int) -> None:
        """Open step ``index`` (0-based): experiment, settings, panels, lock, run."""
        assert self.lesson is not None
        self.index = index
        self.complete = False
        step = self.lesson.steps[index]
        lang = i18n.language()
        self.panel.set_step(index, localized(step.title, lang), localized(step.text, lang))
        self._apply_experiment(index, step)
        self._show_panels(step.panels)
        self._point_at(step.point)
        self._apply_lock()
        self.watcher = ConditionWatcher(step.until) if step.until else None
        self.done = self.watcher is None
        self.missed = False
        self._first_step = None
        self._show_condition()
        if step.run == "play":
            self.window.controller.play()
        self.step_changed.emit(index)
        if self.done:
            self.condition_reached.emit(index)

    def _apply_experiment(self, index: int, step: LessonStep) -> None:
        """The experiment in effect at step ``index``; fresh networks (seeded as the file
        says, so the class sees what ``ganlab lessons --check`` saw) at the lesson's
        start, on a new experiment and on ``reset``."""
        assert self.lesson is not None
        controller = self.window.controller
        target = self.lesson.config_for_step(index)
        session = controller.session
        fresh = index == 0 or step.experiment is not None or step.reset
        controller.pause()
        if fresh and session.config == target and session.step == 0 and index == 0:
            fresh = False  # the window already opened on it: nothing has trained yet
        if target != session.config:
            self.window.toy_view.stop_drawing()
        if fresh:
            self._waiting_for_segment = session.segment
            controller.reset(target.loop.seed, config=target)
        else:
            if target != session.config:
                controller.apply_config(target)
            self._waiting_for_segment = None

    def _set_navigation(self, can_back: bool, can_next: bool) -> None:
        """The panel's Back / Next and the Lesson menu's actions, alike."""
        self.panel.set_navigation(can_back, can_next)
        self.back_action.setEnabled(can_back)
        self.next_action.setEnabled(can_next)

    def _show_condition(self) -> None:
        step = self.step
        if step is None:
            return
        if step.until is None or self.watcher is None:
            self.panel.set_condition("", "none")
        elif self.done:
            self.panel.set_condition(
                self.tr("Done ✓ — {condition}").format(condition=pretty_condition(step.until)),
                "done",
            )
        elif self.missed:
            self.panel.set_condition(
                self.tr(
                    "Not reached within {budget} steps ({now}). Reset and try again, or go on."
                ).format(budget=step.budget, now=self._now_text()),
                "missed",
            )
        else:
            self.panel.set_condition(
                self.tr("Waiting for: {condition} — now {now}").format(
                    condition=pretty_condition(step.until), now=self._now_text()
                ),
                "waiting",
            )
        self._set_navigation(self.index > 0, self.done or self.missed)

    def _now_text(self) -> str:
        if self.watcher is None:
            return ""
        values = self.watcher.values()
        if len(values) == 1:
            return _number(next(iter(values.values())))
        return ", ".join(f"{condition_word(k)} {_number(v)}" for k, v in values.items())

    @Slot(object)
    def _on_controller_report_received(self, report: rep.Report) -> None:
        """Every current report: to the step's watcher; the step completes when its
        condition holds, or gives up when its budget of training steps is spent."""
        self.observe(report)

    def observe(self, report: rep.Report) -> None:
        """Feed one loop report to the current step (what the controller's
        ``report_received`` does; tests may call it with synthetic reports)."""
        watcher = self.watcher
        if watcher is None or self.done or self.missed:
            return
        waiting = self._waiting_for_segment
        if waiting is not None:
            if not isinstance(report, rep.SegmentStarted) or report.segment <= waiting:
                return  # the networks before the step's reset: they say nothing
            self._waiting_for_segment = None
        watcher.observe(report)
        if isinstance(report, rep.ScalarBatch) and len(report.steps):
            last = int(report.steps[-1])
            if self._first_step is None:
                self._first_step = int(report.steps[0]) - 1
            self._last_step = last
        elif isinstance(report, rep.SegmentStarted):
            self._first_step = report.step
        if watcher.holds():
            self.done = True
            self.window.controller.pause()
            self._show_condition()
            self.condition_reached.emit(self.index)
            return
        step = self.step
        budget = step.budget if step is not None else None
        if budget and self._first_step is not None and self._last_step - self._first_step >= budget:
            self.missed = True
            self.window.controller.pause()
        self._show_condition()

    # ------------------------------------------------------------------ panels

    def docks(self) -> dict[str, QWidget]:
        """The window's panels by lesson name (``view`` is the central widget)."""
        w = self.window
        return {
            "view": w.centralWidget(),
            "controls": w.controls_dock,
            "curves": w.curves_dock,
            "metrics": w.metrics_dock,
            "explorer": w.explorer_dock,
            "log": w.log_dock,
            "slow_motion": w.slow_dock,
            "lesson": self.dock,
        }

    def _show_panels(self, panels: Iterable[str] | None) -> None:
        """Only ``panels`` (and this lesson's own) are shown; None: all as before the
        lesson."""
        if panels is None:
            if self._saved_state is not None:
                self.window.restoreState(self._saved_state)
            self.window.centralWidget().setVisible(True)
        else:
            wanted = {*panels, "lesson"}
            for name, widget in self.docks().items():
                widget.setVisible(name in wanted)
        self.dock.show()

    def _point_at(self, name: str | None) -> None:
        self._clear_highlight()
        if name is None:
            return
        widget = self.docks().get(name)
        if widget is None:
            return
        widget.setVisible(True)
        if isinstance(widget, QDockWidget):
            widget.raise_()
            widget = widget.widget()
        self._highlight = FrameHighlight(widget)

    def _clear_highlight(self) -> None:
        if self._highlight is not None:
            self._highlight.hide()
            self._highlight.deleteLater()
            self._highlight = None

    def highlighted(self) -> QWidget | None:
        """The widget the current step's frame is drawn on (None: no frame)."""
        h = self._highlight
        return h.parentWidget() if h is not None and not h.isHidden() else None

    # ------------------------------------------------------------------ the lock

    def is_locked(self) -> bool:
        return self.allowed is not None

    def lock_lab(self) -> None:
        """The teacher locks the lab (Lesson › Lock the lab): the current step's controls,
        or only watching (play, step, speed) outside a lesson."""
        self._teacher_lock = True
        self._unlocked = False
        self._apply_lock()

    def unlock(self) -> None:
        """Leave the lock: everything can be changed again (until the lesson reopens)."""
        self._teacher_lock = False
        self._unlocked = True
        self._apply_lock()

    def may(self, control: str) -> bool:
        """Whether ``control`` (a dotted setting or an action name) may be changed now."""
        return self.allowed is None or control in self.allowed

    def _wanted_lock(self) -> frozenset[str] | None:
        lesson_lock = (
            self.lesson is not None
            and self.lesson.lock
            and not self._unlocked
            and not self.complete
        )
        if not (lesson_lock or self._teacher_lock):
            return None
        step = self.step
        if step is not None and step.controls is not None:
            return frozenset(step.controls)
        return frozenset(WATCHING)

    def _apply_lock(self) -> None:
        allowed = self._wanted_lock()
        was_locked = self.allowed is not None
        self.allowed = allowed
        w = self.window
        # Actions in the (disabled) group stay disabled whatever the window sets later.
        self._locked_actions.setEnabled(True)  # back to each action's own enabled state
        for action in list(self._locked_actions.actions()):
            action.setActionGroup(None)
        if allowed is not None:
            for name, actions in self._actions_by_name().items():
                if name not in allowed:
                    for action in actions:
                        action.setActionGroup(self._locked_actions)
            for dock in w.findChildren(QDockWidget):
                dock.toggleViewAction().setActionGroup(self._locked_actions)
            self._locked_actions.setEnabled(False)
        w.speed_combo.setEnabled(self.may("speed"))
        w.slow_motion.setEnabled(self.may("slow_motion"))
        w.toy_view.draw_button.setEnabled(self.may("open"))
        if not self.may("open"):
            w.toy_view.stop_drawing()
        for toolbar in w.findChildren(QToolBar):
            toolbar.setMovable(allowed is None)
        for dock in w.findChildren(QDockWidget):
            if allowed is not None:
                self._dock_features.setdefault(dock, dock.features())
                dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
            elif dock in self._dock_features:
                dock.setFeatures(self._dock_features.pop(dock))
        self._apply_lock_to_settings(None if allowed is None else [c for c in allowed if "." in c])
        self.lock_action.setChecked(allowed is not None)
        self.lock_action.setEnabled(allowed is None)
        self.unlock_action.setEnabled(allowed is not None)
        self.close_action.setEnabled(self.lesson is not None and allowed is None)
        if was_locked != (allowed is not None):
            self.lock_changed.emit(allowed is not None)

    def _apply_lock_to_settings(self, allowed: Collection[str] | None) -> None:
        """Settings under the lock: only ``allowed`` dotted keys stay editable (None:
        all). ``ControlsPanel.set_lock`` shows the rest read-only; the window also
        refuses any other key it would receive (see :meth:`may`)."""
        self.window.controls.set_lock(allowed)

    def _actions_by_name(self) -> dict[str, list[QAction]]:
        w = self.window
        return {
            "play": [w.play_action],
            "step": [w.step_action],
            "step_d": [w.step_d_action],
            "step_g": [w.step_g_action],
            "reset": [w.reset_action],
            "slow_motion": [w.slow_action],
            "evaluate": [w.evaluate_action],
            "open": [
                w.open_action,
                w.load_ckpt_action,
                w.load_points_action,
                w.presets_menu.menuAction(),
                w.recent_menu.menuAction(),
                self.open_lesson_action,
                self.start_page_action,
            ],
            "save": [w.save_action, w.save_ckpt_action],
        }

    # ------------------------------------------------------------------ actions

    def build_actions(self) -> list[QAction]:
        """The Lesson menu's actions (also File's Open lesson… and Start page)."""
        w = self.window
        self.open_lesson_action = QAction(self.tr("Open &lesson…"), w)
        self.open_lesson_action.setStatusTip(self.tr("Open a lesson file (TOML)"))
        self.start_page_action = QAction(self.tr("Start page…"), w)
        self.start_page_action.setStatusTip(
            self.tr("The lessons, presets and recent files, to start from one")
        )
        self.next_action = QAction(self.tr("Next step"), w)
        self.next_action.setShortcuts([QKeySequence("PgDown"), QKeySequence("Alt+Right")])
        self.next_action.setStatusTip(self.tr("The lesson's next step (Page Down)"))
        self.back_action = QAction(self.tr("Previous step"), w)
        self.back_action.setShortcuts([QKeySequence("PgUp"), QKeySequence("Alt+Left")])
        self.back_action.setStatusTip(self.tr("The lesson's previous step (Page Up)"))
        self.close_action = QAction(self.tr("Close lesson"), w)
        self.close_action.setStatusTip(
            self.tr("Leave the lesson; the panels come back as before it")
        )
        self.lock_action = QAction(self.tr("Lock the lab"), w)
        self.lock_action.setCheckable(True)
        self.lock_action.setStatusTip(
            self.tr("Only the controls the lesson step allows can be changed")
        )
        self.unlock_action = QAction(self.tr("Unlock…"), w)
        self.unlock_action.setStatusTip(self.tr("Leave the teacher's lock (asks first)"))
        actions = [
            self.open_lesson_action,
            self.start_page_action,
            self.next_action,
            self.back_action,
            self.close_action,
            self.lock_action,
            self.unlock_action,
        ]
        for action in actions:
            w.addAction(action)  # shortcuts work wherever the focus is in the window
        self.open_lesson_action.triggered.connect(self._on_open_lesson_action_triggered)
        self.start_page_action.triggered.connect(self.show_start_page)
        self.next_action.triggered.connect(self.next)
        self.back_action.triggered.connect(self.back)
        self.close_action.triggered.connect(self.close_lesson)
        self.lock_action.triggered.connect(self._on_lock_action_triggered)
        self.unlock_action.triggered.connect(self._on_unlock_action_triggered)
        self.close_action.setEnabled(False)
        self.unlock_action.setEnabled(False)
        self.next_action.setEnabled(False)  # until a lesson step allows it
        self.back_action.setEnabled(False)
        return actions

    @Slot()
    def _on_open_lesson_action_triggered(self) -> None:
        shipped = shipped_lessons()
        folder = str(shipped[0].parent) if shipped else ""
        path, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Open lesson"), folder, self.tr("Lessons (*.toml)")
        )
        if path:
            self.open(path)

    @Slot()
    def _on_lock_action_triggered(self) -> None:
        self.lock_lab()

    @Slot()
    def _on_unlock_action_triggered(self) -> None:
        answer = QMessageBox.question(
            self.window,
            self.tr("Unlock the lab"),
            self.tr(
                "Unlock the lab? Every setting and action can then be changed, for the rest "
                "of this lesson."
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.unlock()

    # ------------------------------------------------------------------ start page

    @Slot()
    def show_start_page(self) -> StartPage:
        """Show the start page (lessons, presets, recent files); returns it."""
        if self.start_page is None:
            page = StartPage(self.window)
            page.lesson_chosen.connect(self._on_start_page_lesson_chosen)
            page.preset_chosen.connect(self._on_start_page_preset_chosen)
            page.recent_chosen.connect(self._on_start_page_recent_chosen)
            self.start_page = page
        page = self.start_page
        page.set_lessons(self._lesson_entries())
        presets = []
        for name in preset_names():
            config = load_preset(name)
            presets.append((name, preset_title(config), preset_description(config)))
        page.set_presets(presets)
        recent = [(p, self._kind_of(p)) for p in self.window._recent_files()]
        for run in recent_runs(window_runs_folder(), limit=RECENT_RUNS):
            recent.append(
                (
                    str(run.path),
                    self.tr("a run made in the window, {family}, step {step}").format(
                        family=run.family, step=run.steps
                    ),
                )
            )
        page.set_recent(recent)
        page.show()
        page.raise_()
        page.activateWindow()
        return page

    def _lesson_entries(self) -> list[tuple[str, int, str, str]]:
        lang = i18n.language()
        entries = []
        for path in shipped_lessons():
            try:
                lesson = load_lesson(path)
            except GanlabError as exc:  # a broken shipped lesson: named, not fatal
                self.window.log.append(str(exc), "error")
                continue
            entries.append(
                (
                    str(path),
                    lesson.number,
                    localized(lesson.title, lang),
                    localized(lesson.summary, lang),
                )
            )
        return entries

    def _kind_of(self, path: str) -> str:
        if path.endswith(".pt"):
            return self.tr("checkpoint")
        return self.tr("lesson") if is_lesson_file(path) else self.tr("experiment")

    @Slot(str)
    def _on_start_page_lesson_chosen(self, path: str) -> None:
        self.open(path)

    @Slot(str)
    def _on_start_page_preset_chosen(self, name: str) -> None:
        self.window._open_config(load_preset(name), None)

    @Slot(str)
    def _on_start_page_recent_chosen(self, path: str) -> None:
        self.open_recent(path)

    def open_recent(self, path: str) -> None:
        """Open a recent file (a lesson, a checkpoint or an experiment) or run: a run that
        trains now is attached to in a new window, another continues from its newest
        checkpoint here."""
        if Path(path).is_dir():
            if Path(path).resolve() in {r.resolve() for r in served_runs(Path(path).parent)}:
                self.window.attach(path)
                return
            newest = RunDir(path).latest_checkpoint()
            if newest is None:
                self.window.log.append(
                    self.tr("{path}: this run has no checkpoint to continue from.").format(
                        path=path
                    ),
                    "warning",
                )
                return
            self.window.load_checkpoint(str(newest))
        elif is_lesson_file(path):
            self.open(path)
        elif path.endswith(".pt"):
            self.window.load_checkpoint(path)
        else:
            self.window.open_experiment(path)

    # ------------------------------------------------------------------ the window

    @Slot(object)
    def describe_experiment(self, config: cfg.ExperimentConfig) -> None:
        """Show ``config``'s name and description above the view."""
        self.window.experiment_about.set_config(preset_title(config), preset_description(config))
        if self.lesson is not None:
            self.window.experiment_about.hide()  # the Lesson panel speaks for the experiment

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # Before the window saves its layout: the panels a lesson hid come back.
        window = getattr(self, "window", None)  # None while Python tears the object down
        if window is None or watched is not window or event.type() != QEvent.Type.Close:
            return False
        self._clear_highlight()
        if self._saved_state is not None:
            window.restoreState(self._saved_state)
            window.centralWidget().setVisible(True)
        if self.start_page is not None:
            self.start_page.close()
        return False
