"""The main window: views, docks, actions, menus, the refresh timer. GUI thread.

Layout: the data view in the centre (2-D layered view, 1-D density view or image view,
whichever fits the data), docks for the controls, slow motion, curves, latent explorer
and log, a toolbar with the play/step actions and a status bar. The user can rearrange
the docks; the layout is restored on the next start (QSettings).

Drawing happens only in ``_on_refresh_timer_timeout`` (~33 Hz): it reads the session,
updates the panels that are dirty with setData/setImage, and acknowledges the snapshot it
drew so the trainer may publish the next one.
"""

from __future__ import annotations

import gc
import os
import time
from functools import partial
from pathlib import Path

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QEvent,
    QObject,
    QPoint,
    QRect,
    QRectF,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QGuiApplication,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QGraphicsItem,
    QLabel,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from ganlab import __version__
from ganlab.app.controller import Controller
from ganlab.app.evaluation import Evaluation
from ganlab.app.lessons import LessonRunner, is_lesson_file
from ganlab.app.panels import DataPanel, build_panels
from ganlab.app.point_columns import choose_point_columns, with_point_columns
from ganlab.app.runs_compare import RunsCompare
from ganlab.app.timeline import Timeline
from ganlab.engine.channel import read_endpoint
from ganlab.kernel import config as cfg
from ganlab.kernel import i18n
from ganlab.kernel import reports as rep
from ganlab.kernel.contracts import ModelFamily
from ganlab.kernel.errors import GanlabError
from ganlab.kernel.presets import load_preset, preset_names
from ganlab.kernel.presets import title as preset_title
from ganlab.kernel.registry import DATA_SOURCES, LOSSES, MODEL_FAMILIES
from ganlab.kernel.rundir import (
    RunDir,
    RunHistory,
    checkpoint_step,
    history_for_checkpoint,
    read_history,
    window_runs_folder,
)
from ganlab.metrics.diagnostics import TITLES as DIAGNOSIS_TITLES
from ganlab.metrics.diagnostics import title as diagnosis_title
from ganlab.widgets import style
from ganlab.widgets.controls import ControlsPanel
from ganlab.widgets.curves import CurvesPanel
from ganlab.widgets.density_view import DensityPanel
from ganlab.widgets.image_view import ImagePanel
from ganlab.widgets.latent_explorer import LatentExplorerPanel
from ganlab.widgets.lesson_panel import ExperimentAbout, LessonPanel
from ganlab.widgets.log_panel import LogPanel
from ganlab.widgets.metrics_view import MetricsPanel
from ganlab.widgets.runs_view import RunsPanel
from ganlab.widgets.slow_motion import SlowMotionPanel
from ganlab.widgets.timeline import TimelinePanel
from ganlab.widgets.toy_view import ToyViewPanel

REFRESH_MS = 30  # the redraw timer: ~33 frames per second at most
GC_EVERY_MS = 1000  # the GUI thread's garbage collection check (see MainWindow.__init__)
CURVES_EVERY_S = 0.25  # curves move slowly: redrawing them 4 times a second is plenty
STATUS_EVERY_S = 0.5
MAX_RECENT = 8
RUNS_DOCK_SHARE = 0.38  # View › Runs widens its dock to this share of the window
EXPORT_WIDTH_PX = 1600  # "Export plots as PNG": wide enough for a slide or a paper
# A latent-path request unanswered this long (refused, or from a dropped segment) no
# longer holds back the next one.
EXPLORER_ANSWER_S = 2.0
EVALUATION_IMAGES = 1000  # images on each side for "Evaluate now"
# Play's speeds, in steps a second (0: full speed); 30 is one step per frame of the views.
SPEEDS = (0, 300, 100, 30, 10, 3, 1)


# Image metric keys (torch-fidelity's and the offline classifier's) as the log names them.
METRIC_NAMES = {
    "inception_score_mean": QT_TRANSLATE_NOOP("MainWindow", "IS"),
    "inception_score_std": QT_TRANSLATE_NOOP("MainWindow", "IS std"),
    "frechet_inception_distance": QT_TRANSLATE_NOOP("MainWindow", "FID"),
    "kernel_inception_distance_mean": QT_TRANSLATE_NOOP("MainWindow", "KID"),
    "kernel_inception_distance_std": QT_TRANSLATE_NOOP("MainWindow", "KID std"),
    "classifier_fid": QT_TRANSLATE_NOOP("MainWindow", "FID (classifier features)"),
    "classifier_kid_mean": QT_TRANSLATE_NOOP("MainWindow", "KID (classifier features)"),
    "classifier_kid_std": QT_TRANSLATE_NOOP("MainWindow", "KID std (classifier features)"),
    "classifier_score": QT_TRANSLATE_NOOP("MainWindow", "classifier score"),
    "classifier_accuracy": QT_TRANSLATE_NOOP("MainWindow", "classifier accuracy"),
}


def _flatten(config: cfg.ExperimentConfig) -> dict[str, object]:
    """``{"section.key": value}`` for the controls panel."""
    out: dict[str, object] = {}
    for section, values in cfg.to_dict(config).items():
        if isinstance(values, dict):
            for key, value in values.items():
                out[f"{section}.{key}"] = value
    return out


class MainWindow(QMainWindow):
    """The lab's window on one experiment.

    Parameters
    ----------
    config
        The experiment to open.
    settings
        Where the layout and recent files live (a temporary file in tests).
    resume_from
        A checkpoint to continue from.
    history
        The curves, metrics and setting markers of the run that ``resume_from`` belongs
        to (``ganlab --run``), shown once the trainer reports the checkpoint's step.
    """

    def __init__(
        self,
        config: cfg.ExperimentConfig,
        *,
        settings: QSettings | None = None,
        resume_from: str | None = None,
        history: RunHistory | None = None,
        attach_to: str | Path | None = None,
        link: str | None = None,
    ):
        super().__init__()
        # A run's history waiting for the segment that continues it (matched by step).
        self._pending_history: RunHistory | None = history
        style.configure_pyqtgraph()
        self.setObjectName("ganlab-main-window")
        self.settings = settings if settings is not None else QSettings("ganlab", "ganlab")
        self.controller = Controller(config, self, link=link, attach_to=attach_to)
        self._lost_box: QMessageBox | None = None  # the offer to restart a lost trainer
        self._experiment_path: str | None = None
        self._frames = 0
        self.frames_total = 0  # refresh cycles since the window opened (for benchmarks)
        self._fps = 0.0
        self._fps_t0 = time.monotonic()
        self._last_status = 0.0
        self._last_curves = 0.0
        self._curves_pending = False  # curve data arrived but was not drawn yet
        self._explorer_path: np.ndarray | None = None
        # When the explorer last asked G for its path (monotonic s); None: answered.
        self._explorer_asked_at: float | None = None
        self._closing = False
        self._loading_text = ""  # the status message shown while the trainer starts
        self._attached_windows: list[MainWindow] = []  # opened by File › Attach to run
        self._evaluation: Evaluation | None = None
        self.image_results: list[dict] = []  # 'Evaluate now' results of this segment
        self._slow_stage: int | None = None
        # Geometry, dock state and window state to restore when presentation mode ends.
        self._before_presentation: tuple[object, object, Qt.WindowState] | None = None
        self._explorer_hidden_for_family = False  # hidden by _show_explorer_for, not by hand
        self._announced_run_dir: Path | None = None  # the run folder the log named last
        self._build_views()
        self._build_docks()
        self._build_timeline()
        self._build_lesson_dock()
        self._build_runs_dock()
        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self._connect()
        self._restore_layout()
        self._sync_controls(config)
        self._set_title(config)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self._on_refresh_timer_timeout)
        self.slow_timer = QTimer(self)
        self.slow_timer.setSingleShot(True)
        self.slow_timer.timeout.connect(self._on_slow_timer_timeout)
        # Python's cyclic garbage collector runs in whichever thread happens to allocate:
        # in the trainer thread it can destroy a Qt object (a panel's cycle) there, and
        # Qt objects must die in the GUI thread (a deadlock on the GIL was seen). So the
        # automatic collector is off while a window is open and the GUI thread collects on
        # a timer, by the same thresholds (as pyqtgraph's util.garbage_collector does).
        self.gc_timer = QTimer(self)
        self.gc_timer.setInterval(GC_EVERY_MS)
        self.gc_timer.timeout.connect(self._on_gc_timer_timeout)
        gc.disable()
        self.controller.start(resume_from)
        self._show_loading()
        self.refresh_timer.start()
        self.gc_timer.start()

    # ------------------------------------------------------------------ building

    def _build_views(self) -> None:
        # One panel per entry of the routing table (ganlab.app.panels.PANELS); a run is
        # shown by the one its SegmentStarted.panel names.
        self.panels: dict[str, DataPanel] = build_panels()
        self.toy_view: ToyViewPanel = self.panels["toy2d"]
        self.density_view: DensityPanel = self.panels["toy1d"]
        self.image_view: ImagePanel = self.panels["image"]
        self.views = QStackedWidget()
        for view in self.panels.values():
            self.views.addWidget(view)
            requested = getattr(view, "panel_requested", None)
            if requested is not None:
                requested.connect(self._on_panel_requested)
        # Diagnoses (vanishing gradients, D winning, NaN...) appear above the view.
        self.banner = _Banner()
        self._banner_kind: str | None = None  # the diagnosis kind the banner shows
        self.banner.setToolTip(self.tr("What the live diagnostics noticed. Click to hide."))
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.banner)
        column.addWidget(self.views, 1)
        # Under the view, one compact row: scrub every view back through the run's history.
        self.timeline_panel = TimelinePanel()
        column.addWidget(self.timeline_panel)
        self.setCentralWidget(central)

    def _dock(self, widget: QWidget, title: str, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState/restoreState key
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_timeline(self) -> None:
        """The timeline's replay (``self.timeline``) over the panels, curves and metrics;
        its "Back to live" action (End) works wherever the focus is. A run opened with
        ``ganlab --run`` lists its kept views first: ``self.timeline.add_past_run``."""
        self.timeline = Timeline(
            self.timeline_panel,
            self.controller,
            self.panels,
            self.views,
            (self.curves, self.metrics),
            self,
        )
        self.timeline.frame_shown.connect(self._on_timeline_frame_shown)
        self.addAction(self.timeline_panel.live_action)

    def _build_docks(self) -> None:
        self.controls = ControlsPanel(cfg.settings_schema())
        self.controls.set_choices(
            # Registry titles are gettext msgids of the engine's catalogue.
            [(n, i18n._(e.title), e.kind) for n, e in DATA_SOURCES.items()],
            [(n, i18n._(f.title), tuple(sorted(f.data_kinds))) for n, f in MODEL_FAMILIES.items()],
            [(n, i18n._(loss.title)) for n, loss in LOSSES.items()],
            self._device_choices(),
            loss_options={n: sorted(loss.options) for n, loss in LOSSES.items()},
            family_settings=cfg.family_settings(),
            paper_settings={
                n: (loss.paper, list(loss.paper_settings))
                for n, loss in LOSSES.items()
                if loss.paper_settings
            },
        )
        self.slow_motion = SlowMotionPanel()
        self.curves = CurvesPanel()
        self.explorer = LatentExplorerPanel()
        self.log = LogPanel()
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.controls_dock = self._dock(self.controls, self.tr("Settings"), "dock-controls", left)
        self.slow_dock = self._dock(self.slow_motion, self.tr("Slow motion"), "dock-slow", left)
        self.curves_dock = self._dock(self.curves, self.tr("Curves"), "dock-curves", right)
        self.metrics = MetricsPanel()
        self.metrics_dock = self._dock(self.metrics, self.tr("Metrics"), "dock-metrics", right)
        self.explorer_dock = self._dock(
            self.explorer, self.tr("Latent explorer"), "dock-explorer", right
        )
        self.log_dock = self._dock(self.log, self.tr("Log"), "dock-log", right)
        # The settings scroll only vertically: the dock must be as wide as their rows.
        self._settings_width_guard = _ScrollWidthGuard(self.controls, self)
        # The settings run the full height; a bottom strip (the explorer on a wide screen)
        # runs under the view and the curves, wide enough for its controls in one row.
        self.setCorner(Qt.Corner.BottomLeftCorner, left)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.BottomDockWidgetArea)
        self._compact = compact_layout(available_geometry(self))
        self._arrange_docks(self._compact)

    def _arrange_docks(self, compact: bool, presentation: bool = False) -> None:
        """Place the docks for a screen: ``compact`` below COMPACT_SIZE.

        Left: settings and slow motion (tabs). Wide screens: curves and metrics (tabs) on
        the right, the latent explorer and the log (tabs) in a strip under the view.
        Compact screens: curves, metrics, explorer and log share one tab group on the
        right, so the view keeps the whole height. A dock added later joins the tab
        group named in DOCK_GROUPS for its object name (the right group if unnamed).
        """
        groups = dock_groups(compact, presentation)
        areas = {
            "left": Qt.DockWidgetArea.LeftDockWidgetArea,
            "right": Qt.DockWidgetArea.RightDockWidgetArea,
            "bottom": Qt.DockWidgetArea.BottomDockWidgetArea,
        }
        docks = {d.objectName(): d for d in self.findChildren(QDockWidget)}
        placed: set[str] = set()
        # Docks with a place of their own above an area's tabs (the Lesson panel above the
        # settings: a step that lets the class change a setting shows both at once).
        for name, area in DOCK_ABOVE.items():
            if name in docks:
                self.addDockWidget(areas[area], docks[name])
                placed.add(name)
        for area, names in groups.items():
            members = [docks[n] for n in names if n in docks]
            if not members:
                continue
            # Straight into the first one's tabs: added one by one, the docks would first
            # stand one above the other, and the window grow to hold them all.
            self.addDockWidget(areas[area], members[0])
            for dock in members[1:]:
                self.tabifyDockWidget(members[0], dock)
            placed.update(dock.objectName() for dock in members)
            members[0].raise_()
        # Docks the table does not name (another panel added later): a tab on the right.
        first_right = next((docks[n] for n in groups["right"] if n in docks), None)
        for name, dock in docks.items():
            if name in placed:
                continue
            if first_right is not None:
                self.tabifyDockWidget(first_right, dock)
            else:
                self.addDockWidget(areas["right"], dock)
        if first_right is not None:
            first_right.raise_()
        self.layout().activate()  # the window's minimum size of this arrangement, now
        # Whole tab titles, scrolled when they do not fit, rather than "C…", "M…".
        for bar in self.findChildren(QTabBar):
            bar.setElideMode(Qt.TextElideMode.ElideNone)
            bar.setUsesScrollButtons(True)

    def _size_docks(self) -> None:
        """First-start proportions: settings as wide as their rows, the curves about a
        third of the window, the explorer strip (wide screens) about a quarter."""
        width = self.width()
        left = max(self.controls_dock.minimumSizeHint().width(), round(0.22 * width))
        right = max(self.curves_dock.minimumSizeHint().width(), round(0.3 * width))
        self.resizeDocks(
            [self.controls_dock, self.curves_dock], [left, right], Qt.Orientation.Horizontal
        )
        if self.dockWidgetArea(self.explorer_dock) == Qt.DockWidgetArea.BottomDockWidgetArea:
            strip = max(self.explorer_dock.minimumSizeHint().height(), round(0.27 * self.height()))
            self.resizeDocks([self.explorer_dock], [strip], Qt.Orientation.Vertical)

    def _build_lesson_dock(self) -> None:
        """The Lesson dock, its runner (``self.lessons``) and the experiment's description
        above the view."""
        self.lesson_panel = LessonPanel()
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.lesson_dock = self._dock(self.lesson_panel, self.tr("Lesson"), "dock-lesson", right)
        self.lesson_dock.hide()  # until a lesson opens
        self._arrange_docks(self._compact)  # where DOCK_ABOVE puts it
        self.lessons = LessonRunner(self, self.lesson_panel, self.lesson_dock)
        self.experiment_about = ExperimentAbout()
        column = self.centralWidget().layout()
        if isinstance(column, QVBoxLayout):
            column.insertWidget(0, self.experiment_about)
        self.lessons.describe_experiment(self.controller.session.config)

    def _build_runs_dock(self) -> None:
        """The Runs dock (hidden until View › Runs): the runs of the window's runs folder
        and ./runs, the ticked ones' curves overlaid. A tab of the curves' group, widened
        to RUNS_DOCK_SHARE of the window when opened from the menu."""
        self.runs_panel = RunsPanel()
        self.runs_compare = RunsCompare(self.runs_panel, parent=self)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.runs_dock = self._dock(self.runs_panel, self.tr("Runs"), "dock-runs", right)
        self.tabifyDockWidget(self.curves_dock, self.runs_dock)
        self.runs_dock.hide()
        self.runs_dock.visibilityChanged.connect(self._on_runs_dock_visibility_changed)
        self.runs_dock.toggleViewAction().triggered.connect(self._on_runs_action_triggered)

    @Slot(bool)
    def _on_runs_dock_visibility_changed(self, visible: bool) -> None:
        if visible:  # in front again: runs still training have grown
            self.runs_compare.refresh()

    @Slot(bool)
    def _on_runs_action_triggered(self, checked: bool) -> None:
        if checked and not self.runs_dock.isFloating():
            self.runs_dock.raise_()
            width = max(
                self.runs_dock.minimumSizeHint().width(), round(RUNS_DOCK_SHARE * self.width())
            )
            self.resizeDocks([self.runs_dock], [width], Qt.Orientation.Horizontal)

    def _build_lesson_menus(self, bar: QMenuBar, file_menu: QMenu) -> None:
        """File › Open lesson… and Start page…, and the Lesson menu (steps and the lock)."""
        lessons = self.lessons
        lessons.build_actions()
        file_menu.insertAction(self.open_action, lessons.start_page_action)
        file_menu.insertAction(self.open_action, lessons.open_lesson_action)
        menu = bar.addMenu(self.tr("&Lesson"))
        for action in (lessons.next_action, lessons.back_action, lessons.close_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(lessons.lock_action)
        menu.addAction(lessons.unlock_action)
        # Queued: after the window's own handler has set the presentation factor.
        queued = Qt.ConnectionType.QueuedConnection
        for widget in (self.lesson_panel, self.experiment_about):
            self.presentation_action.toggled.connect(widget.restyle, queued)

    def _device_choices(self) -> list[tuple[str, str]]:
        # Found without torch (core.devices): the window imports none, its trainer does.
        from ganlab.kernel import devices

        choices = [("auto", self.tr("Automatic")), ("cpu", self.tr("CPU"))]
        choices += [(f"cuda:{i}", name) for i, name in enumerate(devices.gpu_names())]
        if devices.mps_available():
            choices.append(("mps", self.tr("Apple GPU (MPS)")))
        return choices

    def _action(
        self,
        text: str,
        tip: str,
        shortcut: str | QKeySequence | None = None,
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setCheckable(checkable)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.play_action = a(
            self.tr("Play"), self.tr("Train continuously / pause (Space)"), "Space", checkable=True
        )
        self.step_action = a(
            self.tr("Step"),
            self.tr("One iteration: k_D updates of D, then k_G updates of G (Right arrow)"),
            "Right",
        )
        self.step_d_action = a(
            self.tr("Step D"),
            self.tr("One update of the discriminator only (Ctrl+Right)"),
            "Ctrl+Right",
        )
        self.step_g_action = a(
            self.tr("Step G"),
            self.tr("One update of the generator only (Ctrl+Shift+Right)"),
            "Ctrl+Shift+Right",
        )
        self.reset_action = a(
            self.tr("Reset"),
            self.tr("New random weights from a new seed, step 0 (Ctrl+R)"),
            QKeySequence("Ctrl+R"),
        )
        self.slow_action = a(
            self.tr("Slow motion"),
            self.tr("Play one iteration as named sub-steps, highlighting the network that learns"),
        )
        self.evaluate_action = a(
            self.tr("Evaluate now"),
            self.tr(
                "Compute image metrics (IS, FID, KID) on 1,000 generated and real images "
                "without stopping training"
            ),
        )
        self.evaluate_action.setEnabled(False)  # until the trainer says the data are images
        self.stop_run_action = a(
            self.tr("Stop the run"),
            self.tr(
                "Stop the attached run for good: it writes its last checkpoint and ends "
                "(continue it later with 'ganlab train --resume')"
            ),
        )
        self.stop_run_action.setVisible(False)  # only in a window attached to a run
        toolbar = self.addToolBar(self.tr("Training"))
        toolbar.setObjectName("toolbar-training")
        for action in (
            self.play_action,
            self.step_action,
            self.step_d_action,
            self.step_g_action,
            self.reset_action,
            self.slow_action,
            self.evaluate_action,
        ):
            toolbar.addAction(action)
        toolbar.addSeparator()
        self.speed_combo = QComboBox()
        self.speed_combo.setObjectName("speed")
        self.speed_combo.setToolTip(
            self.tr(
                "How fast Play trains: full speed, or at most so many steps a second, so "
                "that a class can watch every change happen. Step is not affected."
            )
        )
        for speed in SPEEDS:
            text = (
                self.tr("Full speed")
                if speed == 0
                else self.tr("{n} steps/s").format(n=speed)
                if speed != 1
                else self.tr("1 step/s")
            )
            self.speed_combo.addItem(text, speed)
        self.speed_combo.activated.connect(self._on_speed_combo_activated)
        toolbar.addWidget(QLabel(self.tr("Speed:")))
        toolbar.addWidget(self.speed_combo)
        toolbar.setFont(style.font(1.0))

    @Slot(int)
    def _on_speed_combo_activated(self, index: int) -> None:
        self.set_speed(float(self.speed_combo.itemData(index)))

    def set_speed(self, steps_per_second: float) -> None:
        """Train at most ``steps_per_second`` iterations a second on Play (0: full speed)."""
        self.controller.set_speed(steps_per_second)
        index = self.speed_combo.findData(steps_per_second)
        if index >= 0 and index != self.speed_combo.currentIndex():
            self.speed_combo.setCurrentIndex(index)

    def _build_menus(self) -> None:
        a = self._action
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.open_action = a(
            self.tr("&Open experiment…"),
            self.tr("Open an experiment file (TOML)"),
            QKeySequence.StandardKey.Open,
        )
        self.save_action = a(
            self.tr("&Save experiment as…"),
            self.tr("Save the current settings as an experiment file (TOML)"),
            QKeySequence.StandardKey.Save,
        )
        self.presets_menu = file_menu.addMenu(self.tr("Presets"))
        self.recent_menu = file_menu.addMenu(self.tr("Recent files"))
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.save_action)
        file_menu.addSeparator()
        self.save_ckpt_action = a(
            self.tr("Save checkpoint…"), self.tr("Save the networks, optimizers and step to a file")
        )
        self.load_ckpt_action = a(
            self.tr("Load checkpoint…"), self.tr("Continue from a saved checkpoint")
        )
        self.load_points_action = a(
            self.tr("Load points from CSV…"),
            self.tr("Train on 2-D points from a CSV file (x, y columns)"),
        )
        for action in (self.save_ckpt_action, self.load_ckpt_action, self.load_points_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        self.export_grid_action = a(
            self.tr("Export view as PNG…"),
            self.tr("Save the central view (samples, heatmap or image grid) as a PNG image"),
        )
        self.export_plots_action = a(
            self.tr("Export plots as PNG…"),
            self.tr("Save each curve plot as a PNG image in a folder"),
        )
        self.export_csv_action = a(
            self.tr("Export curves as CSV…"),
            self.tr("Save the training curves (one row per step) as CSV"),
        )
        self.export_evolution_action = a(
            self.tr("Export evolution…"),
            self.tr(
                "Save how this run's views evolved as an animated GIF or MP4, one step as "
                "PNG or SVG, or its curves as CSV"
            ),
        )
        for action in (
            self.export_grid_action,
            self.export_plots_action,
            self.export_csv_action,
            self.export_evolution_action,
        ):
            file_menu.addAction(action)
        file_menu.addSeparator()
        self.attach_action = a(
            self.tr("&Attach to run…"),
            self.tr(
                "Watch a run that is training now (a 'ganlab train' on this machine, or "
                "rank 0 of a torchrun job) in a new window"
            ),
        )
        self.keep_training_action = a(
            self.tr("Close, keep training"),
            self.tr(
                "Close the window and leave this run training in the background; attach "
                "to it again with File › Attach to run"
            ),
        )
        file_menu.addAction(self.attach_action)
        file_menu.addAction(self.keep_training_action)
        file_menu.addSeparator()
        self.quit_action = a(
            self.tr("&Quit"), self.tr("Stop training and close (Ctrl+Q)"), QKeySequence("Ctrl+Q")
        )
        file_menu.addAction(self.quit_action)
        for name in preset_names():
            action = self.presets_menu.addAction(preset_title(name))

            action.setData(name)
            action.triggered.connect(self._on_preset_action_triggered)
        train_menu = bar.addMenu(self.tr("&Training"))
        for action in (
            self.play_action,
            self.step_action,
            self.step_d_action,
            self.step_g_action,
            self.reset_action,
            self.slow_action,
            self.evaluate_action,
            self.stop_run_action,
        ):
            train_menu.addAction(action)
        view_menu = bar.addMenu(self.tr("&View"))
        for dock in (
            self.controls_dock,
            self.slow_dock,
            self.curves_dock,
            self.metrics_dock,
            self.explorer_dock,
            self.log_dock,
        ):
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addAction(self.runs_dock.toggleViewAction())
        self._build_go_to_panel_menu(view_menu)
        view_menu.addAction(self.timeline_panel.live_action)
        view_menu.addSeparator()
        self.presentation_action = a(
            self.tr("Presentation mode"),
            self.tr("Full screen, with large text, lines and markers for a projector (F11)"),
            "F11",
            checkable=True,
        )
        view_menu.addAction(self.presentation_action)
        self._build_lesson_menus(bar, file_menu)
        help_menu = bar.addMenu(self.tr("&Help"))
        self.about_action = a(self.tr("About ganlab"), self.tr("Version and licence"))
        help_menu.addAction(self.about_action)
        self._rebuild_recent_menu()

    def _build_go_to_panel_menu(self, view_menu: QMenu) -> None:
        """View › Go to panel: Ctrl+1 … Ctrl+7 bring a panel to the front and give it the
        keyboard focus, so that tabbed panels are reachable without a mouse. It changes
        nothing, so the teacher's lock leaves it on; a panel a lesson step hid stays hidden."""
        menu = view_menu.addMenu(self.tr("&Go to panel"))
        self.go_to_panel_actions: list[QAction] = []
        for number, dock in enumerate(
            (
                self.lesson_dock,
                self.controls_dock,
                self.curves_dock,
                self.metrics_dock,
                self.explorer_dock,
                self.log_dock,
                self.slow_dock,
            ),
            start=1,
        ):
            action = QAction(dock.windowTitle(), self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(partial(self.go_to_panel, dock))
            menu.addAction(action)
            self.addAction(action)  # the shortcut works wherever the focus is
            self.go_to_panel_actions.append(action)

    def go_to_panel(self, dock: QDockWidget) -> bool:
        """Raise ``dock`` among its tabs and focus it; show it first unless the lab is
        locked (a locked lesson step chose its panels). Returns whether it is in front."""
        if dock.isHidden():
            if self.lessons.is_locked() or dock is self.lesson_dock:
                return False
            dock.show()
        dock.raise_()
        # The keyboard goes to the panel's first control that takes Tab focus.
        for child in [dock.widget(), *dock.widget().findChildren(QWidget)]:
            takes_tab = child.focusPolicy() & Qt.FocusPolicy.TabFocus
            if takes_tab and child.isVisible() and child.isEnabled():
                child.setFocus(Qt.FocusReason.ShortcutFocusReason)
                break
        return True

    def _build_status_bar(self) -> None:
        self.rate_label = QLabel()
        self.fps_label = QLabel()
        self.device_label = QLabel()
        self.memory_label = QLabel()
        self.segment_label = QLabel()
        self.state_label = QLabel()
        for label, tip in (
            (self.state_label, self.tr("Training state and current step")),
            (self.rate_label, self.tr("Training speed: updates per second")),
            (self.fps_label, self.tr("Window redraws per second")),
            (self.device_label, self.tr("Where the networks train")),
            (
                self.memory_label,
                self.tr(
                    "Memory used by the window, and by its trainer when it has its own process"
                ),
            ),
            (
                self.segment_label,
                self.tr(
                    "Segment of the run: a new one starts with new networks, at every reset, "
                    "architecture change or loaded checkpoint; the curves show the current one"
                ),
            ),
        ):
            label.setToolTip(tip)
            self.statusBar().addPermanentWidget(label)

    def _connect(self) -> None:
        c = self.controller
        c.segment_started.connect(self._on_controller_segment_started)
        c.state_changed.connect(self._on_controller_state_changed)
        c.error_reported.connect(self._on_controller_error_reported)
        c.message_logged.connect(self._on_controller_message_logged)
        c.samples_ready.connect(self._on_controller_samples_ready)
        c.panel_answer_ready.connect(self._on_controller_panel_answer_ready)
        c.checkpoint_saved.connect(self._on_controller_checkpoint_saved)
        c.config_changed.connect(self._on_controller_config_changed)
        c.setting_recorded.connect(self._on_controller_setting_recorded)
        c.diagnosis_reported.connect(self._on_controller_diagnosis_reported)
        c.diagnosis_cleared.connect(self._on_controller_diagnosis_cleared)
        c.evaluation_samples_ready.connect(self._on_controller_evaluation_samples_ready)
        c.config_in_effect.connect(self._on_controller_config_in_effect)
        c.thread_finished.connect(self._on_controller_thread_finished)
        c.trainer_lost.connect(self._on_controller_trainer_lost)
        self.attach_action.triggered.connect(self._on_attach_action_triggered)
        self.keep_training_action.triggered.connect(self._on_keep_training_action_triggered)
        self.stop_run_action.triggered.connect(self._on_stop_run_action_triggered)
        c.checkpoint_loaded.connect(self._on_controller_checkpoint_loaded)
        self.evaluate_action.triggered.connect(self._on_evaluate_action_triggered)
        self.play_action.triggered.connect(self._on_play_action_triggered)
        self.step_action.triggered.connect(lambda: c.step("both"))
        self.step_d_action.triggered.connect(lambda: c.step("d"))
        self.step_g_action.triggered.connect(lambda: c.step("g"))
        self.reset_action.triggered.connect(lambda: c.reset())
        self.slow_action.triggered.connect(self._on_slow_motion_start_requested)
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.save_action.triggered.connect(self._on_save_action_triggered)
        self.save_ckpt_action.triggered.connect(self._on_save_ckpt_action_triggered)
        self.load_ckpt_action.triggered.connect(self._on_load_ckpt_action_triggered)
        self.load_points_action.triggered.connect(self._on_load_points_requested)
        self.export_grid_action.triggered.connect(self._on_export_view_action_triggered)
        self.export_plots_action.triggered.connect(self._on_export_plots_action_triggered)
        self.export_csv_action.triggered.connect(self._on_export_csv_action_triggered)
        self.export_evolution_action.triggered.connect(self._on_export_evolution_action_triggered)
        self.quit_action.triggered.connect(self.close)
        self.presentation_action.toggled.connect(self._on_presentation_action_toggled)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        self.controls.setting_changed.connect(self._on_controls_setting_changed)
        self.controls.load_points_requested.connect(self._on_load_points_requested)
        self.slow_motion.start_requested.connect(self._on_slow_motion_start_requested)
        self.toy_view.sample_clicked.connect(self._on_view_sample_clicked)
        self.toy_view.drawn_points_applied.connect(self._on_toy_view_drawn_points_applied)
        self.image_view.sample_clicked.connect(self._on_view_sample_clicked)
        self.explorer.samples_requested.connect(self._on_explorer_samples_requested)
        self.explorer.position_changed.connect(self._on_explorer_position_changed)

    # ------------------------------------------------------------------ settings/layout

    def _restore_layout(self) -> None:
        """The saved geometry and dock state, or a first start sized to the screen.

        Either way the window ends no larger than the screen's available area (a layout
        saved on a large monitor, reopened on a projector, shrinks to fit).
        """
        available = available_geometry(self)
        # The window's minimum size is set when its layout activates: now, with the docks
        # in their final places, not the larger one of an earlier arrangement.
        self.layout().activate()
        geometry = self.settings.value("window/geometry")
        # A dock state belongs to its layout kind: a wide layout's strip under the view
        # would not fit a compact screen, so each kind keeps its own.
        state = self.settings.value(self._state_key())
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        if geometry is None:
            self._first_start_geometry(available)
        else:
            rect = QRect(self.geometry().topLeft(), self.size().boundedTo(available.size()))
            rect.moveLeft(max(available.left(), min(rect.left(), available.right() - rect.width())))
            rect.moveTop(max(available.top(), min(rect.top(), available.bottom() - rect.height())))
            self.setGeometry(rect)
        if state is None:
            self._size_docks()

    def _state_key(self) -> str:
        return "window/state-compact" if self._compact else "window/state-wide"

    def _first_start_geometry(self, available: QRect) -> None:
        """Maximised on a compact screen; else 90 % of it, centred."""
        if compact_layout(available):
            self.setGeometry(available)
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
            return
        size = QSize(round(available.width() * 0.9), round(available.height() * 0.9))
        rect = QRect(QPoint(0, 0), size)
        rect.moveCenter(available.center())
        self.setGeometry(rect)

    def _save_layout(self) -> None:
        # In presentation mode, what the window will be again after it.
        geometry, state = self.saveGeometry(), self.saveState()
        if self._before_presentation is not None:
            geometry, state, _ = self._before_presentation
        self.settings.setValue("window/geometry", geometry)
        self.settings.setValue(self._state_key(), state)
        self.settings.sync()

    def _recent_files(self) -> list[str]:
        value = self.settings.value("recent/files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def remember_file(self, path: str) -> None:
        """Put ``path`` first in File > Recent files, as an absolute path (a file opened
        once as ``resources/x.toml`` and once by its full path is one entry)."""
        path = os.path.abspath(path)
        files = [path] + [p for p in self._recent_files() if os.path.abspath(p) != path]
        self.settings.setValue("recent/files", files[:MAX_RECENT])
        self._rebuild_recent_menu()

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self._recent_files()
        for path in files:
            action = self.recent_menu.addAction(path)
            action.setData(path)
            action.triggered.connect(self._on_recent_action_triggered)
        self.recent_menu.setEnabled(bool(files))

    def _sync_controls(self, config: cfg.ExperimentConfig) -> None:
        self.controls.set_values(_flatten(config))

    def _show_loading(self) -> None:
        """Until the trainer announces its networks, say what is still loading."""
        if self.controller.link_kind == "attach":
            text = self.tr("Attaching to {path}…").format(path=self.controller.attach_to)
        else:
            text = self.tr("Starting the trainer: loading PyTorch, then building the networks…")
        self._loading_text = text
        self.statusBar().showMessage(text)

    def _set_title(self, config: cfg.ExperimentConfig) -> None:
        # A preset's name in the language in use; a user's own name comes back unchanged.
        title = self.tr("ganlab — {name}").format(name=i18n._(config.name))
        if self.controller.attach_to is not None:
            title = self.tr("{title} — attached to {path}").format(
                title=title, path=self.controller.attach_to
            )
        self.setWindowTitle(title)

    # ------------------------------------------------------------------ controller events

    @Slot(object)
    def _on_controller_segment_started(self, info: rep.SegmentStarted) -> None:
        """Set the views up for the new segment (cheap: configure, no drawing)."""
        config = self.controller.session.config
        family = MODEL_FAMILIES.get(config.model.family)
        panel = self._panel_for(info)
        panel.show_segment(info, family)
        self.views.setCurrentWidget(panel)
        self.curves.set_loss_terms(family.loss_terms)
        self.curves.clear()
        self.curves.set_output_kind(info.output_kind)
        self.metrics.clear()
        self.image_results = []
        self.evaluate_action.setEnabled(info.data_kind == "image")
        self.banner.hide()
        self._explorer_path = None
        latent_dim = config.loop.latent_dim
        self.explorer.configure(
            latent_dim,
            info.latent_dist,
            info.data_kind == "image",
            _shown_names(info.class_names) if family.conditional else (),
        )
        self._show_explorer_for(family)
        self.slow_motion.set_unavailable(
            None
            if family.latent
            else self.tr(
                "Slow motion narrates the game of G(z) against D(x). {family} has no z: its "
                "G translates an input image, and its own losses are in the Curves. Use "
                "Step D and Step G to advance it one update at a time."
            ).format(family=i18n._(family.title))
        )
        self._sync_controls(config)
        self._set_title(config)
        self.timeline.segment_started(info)
        self.device_label.setText(info.device)
        self.segment_label.setText(self.tr("segment {n}").format(n=info.segment))
        if self.statusBar().currentMessage() == self._loading_text:
            self.statusBar().clearMessage()
        run_dir = self.controller.last_run_dir
        if run_dir is not None and run_dir != self._announced_run_dir:
            self._announced_run_dir = run_dir
            self.log.append(
                self.tr(
                    "This run is recorded in {path}: its curves, checkpoints and the "
                    "history of its views (File › Export evolution…, View › Runs)."
                ).format(path=run_dir),
                "info",
            )
        if info.reason == "attach" and self.controller.attach_to is not None:
            self._show_attached_history(info)
            if self.controller.controllable:
                self._attached_controls()
            else:
                self._watch_only()
        self._restore_history(info)

    def _show_explorer_for(self, family: ModelFamily) -> None:
        """pix2pix and CycleGAN translate images: there is no latent z to explore, so the
        latent explorer's dock goes away while such a family trains (and comes back, where
        it was, with the next family that has a z). The log says why once."""
        self.explorer.setEnabled(family.latent)
        if not family.latent:
            if self.explorer_dock.toggleViewAction().isChecked():  # open, maybe tabbed behind
                self._explorer_hidden_for_family = True
                self.explorer_dock.hide()
                self.log.append(
                    self.tr(
                        "{family} has no latent vector z: its generator translates images, "
                        "so the latent explorer is hidden."
                    ).format(family=i18n._(family.title)),
                    "info",
                )
        elif self._explorer_hidden_for_family:
            self._explorer_hidden_for_family = False
            self.explorer_dock.show()

    @Slot(str)
    def _on_controller_state_changed(self, state: str) -> None:
        self.play_action.setChecked(state == "playing")
        self.play_action.setText(self.tr("Pause") if state == "playing" else self.tr("Play"))
        if state == "finished":
            s = self.controller.session
            message = self.tr(
                "Reached the step limit ({limit}): training paused. Play goes on past it; "
                "Reset starts again from step 0."
            ).format(limit=s.config.loop.steps)
            self.log.append(message, "info")
            self.statusBar().showMessage(message, 15000)
            self._update_status(time.monotonic())

    @Slot()
    def _on_controller_thread_finished(self) -> None:
        if self._closing:
            return
        if self.controller.link_kind == "attach":
            # Not ours to restart: trainer_lost said what happened; nothing here acts on
            # the run any more.
            self._disable_training_controls()
            self.play_action.setChecked(False)
            self.play_action.setText(self.tr("Play"))
            self._update_status(time.monotonic())
            return
        message = self.tr(
            "The trainer has stopped. Play, Step, Reset or any setting starts a new one."
        )
        self.log.append(message, "warning")
        self.statusBar().showMessage(message, 15000)
        self.play_action.setChecked(False)
        self.play_action.setText(self.tr("Play"))
        self._update_status(time.monotonic())

    @Slot(str)
    def _on_controller_trainer_lost(self, why: str) -> None:
        """The trainer went away unasked: say so, keep every curve, offer a restart."""
        if self._closing:
            return
        self.log.append(why, "error")
        first = why.splitlines()[0]
        self.statusBar().showMessage(first, 30000)
        self._show_error_banner(first)
        if self.controller.link_kind == "attach":
            return  # not ours to restart
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("The trainer stopped"))
        box.setText(why)
        run_dir = self.controller.last_run_dir
        checkpoint = RunDir(run_dir).latest_checkpoint() if run_dir is not None else None
        resume = None
        if checkpoint is not None:
            resume = box.addButton(
                self.tr("Restart from the last checkpoint (step {step})").format(
                    step=checkpoint_step(checkpoint)
                ),
                QMessageBox.ButtonRole.AcceptRole,
            )
            resume.setToolTip(str(checkpoint))
        fresh = box.addButton(self.tr("Restart from step 0"), QMessageBox.ButtonRole.ResetRole)
        box.addButton(self.tr("Not now"), QMessageBox.ButtonRole.RejectRole)
        box.setInformativeText(
            self.tr(
                "The curves stay as they were. Play, Step or any setting also starts a new "
                "trainer from step 0."
            )
        )

        def answered(button: object) -> None:
            self._lost_box = None
            if button is resume and checkpoint is not None:
                # The curves up to the checkpoint come back from the run's metrics.jsonl
                # once the new trainer reports that step.
                self._pending_history = history_for_checkpoint(checkpoint)
                self.controller.restart_from(str(checkpoint))
            elif button is fresh:
                self.controller.restart_from(None)

        box.buttonClicked.connect(answered)
        self._lost_box = box
        box.open()  # not modal to the app: the window stays usable

    def _show_attached_history(self, info: rep.SegmentStarted) -> None:
        """An attached run: its recorded past up to the step it is at now."""
        assert self.controller.attach_to is not None
        try:
            history = read_history(self.controller.attach_to, up_to_step=info.step)
        except GanlabError as exc:
            self.log.append(str(exc), "warning")
            return
        if len(history):
            self._show_history(history, info.step)

    def _attached_controls(self) -> None:
        """A run this window attached to: pause, step and live settings, but nothing that
        would throw its networks away (the run belongs to whoever started it)."""
        for action in (self.reset_action, self.load_ckpt_action, self.load_points_action):
            action.setEnabled(False)
        self.stop_run_action.setVisible(True)
        self.stop_run_action.setEnabled(True)
        rebuilds = cfg.rebuild_keys()
        shown = self.controls.keys()
        self.controls.set_lock([k for k in shown if k not in rebuilds])

    def _disable_training_controls(self) -> None:
        for action in (
            self.play_action,
            self.step_action,
            self.step_d_action,
            self.step_g_action,
            self.reset_action,
            self.slow_action,
            self.load_ckpt_action,
            self.load_points_action,
            self.stop_run_action,
        ):
            action.setEnabled(False)
        self.controls.set_lock(())

    def _watch_only(self) -> None:
        """A read-only run ('ganlab train --read-only'): nothing here may change it."""
        self._disable_training_controls()
        text = self.tr("This run is read-only: the window shows it but cannot change it.")
        self.log.append(text, "info")
        self.statusBar().showMessage(text)
        self._show_error_banner(text)

    @Slot()
    def _on_attach_action_triggered(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Attach to run"), str(window_runs_folder())
        )
        if folder:
            self.attach(folder)

    def attach(self, run_dir: str | Path) -> MainWindow | None:
        """Open a new window on the run training in ``run_dir``; None (and a message)
        if no trainer serves it."""
        try:
            read_endpoint(Path(run_dir))
            config = RunDir.open_existing(run_dir).experiment()
        except GanlabError as exc:
            QMessageBox.warning(self, self.tr("Attach to run"), str(exc))
            return None
        window = MainWindow(config, attach_to=run_dir, settings=self.settings)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()
        self._attached_windows.append(window)
        return window

    @Slot()
    def _on_keep_training_action_triggered(self) -> None:
        run_dir = self.controller.last_run_dir
        if self.controller.keep_training():
            text = self.tr(
                "{path} goes on training without a window. Watch it again with "
                "'ganlab --attach {path}' or File › Attach to run; stop it from there "
                "(Training › Stop the run)."
            ).format(path=run_dir)
            self.log.append(text, "info")
            box = QMessageBox(QMessageBox.Icon.Information, self.tr("Close, keep training"), text)
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.kept_training_box = box  # a top-level box: it outlives this window
            box.show()
        self.close()

    @Slot()
    def _on_stop_run_action_triggered(self) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Stop the run"),
            self.tr(
                "Stop {path} for good? It writes its last checkpoint and ends; continue it "
                "later with 'ganlab train --resume {path} --steps N'."
            ).format(path=self.controller.attach_to or self.controller.last_run_dir),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.stop_run()

    @Slot(object)
    def _on_controller_config_in_effect(self, report: rep.ConfigInEffect) -> None:
        """What the trainer runs now: labels, units and reference lines follow it."""
        self.curves.set_output_kind(report.output_kind, from_step=report.step)
        for panel in self.panels.values():
            panel.set_output_kind(report.output_kind)
        self.timeline.set_output_kind(report.output_kind)

    @Slot(object)
    def _on_controller_error_reported(self, error: rep.TrainingError) -> None:
        self.log.append(error.message, "error", error.details)
        self.statusBar().showMessage(error.message, 15000)
        self._show_error_banner(error.message)
        self.log_dock.raise_()

    @Slot(str, str)
    def _on_controller_message_logged(self, message: str, level: str) -> None:
        self.log.append(message, level)
        if level == "error":
            self.statusBar().showMessage(message, 10000)

    @Slot(object)
    def _on_controller_samples_ready(self, answer: rep.SamplesReady) -> None:
        self._explorer_asked_at = None
        self.explorer.set_frames(answer.samples)
        info = self.controller.session.info
        if info is not None and info.data_kind == "toy2d":
            self._explorer_path = answer.samples
            if self.timeline.is_live():  # not over a kept frame: G is today's
                self.toy_view.set_latent_path(answer.samples, self.explorer.position())

    @Slot(object)
    def _on_timeline_frame_shown(self, key: object) -> None:
        """Back to live: the latent path the live view had comes back with it."""
        info = self.controller.session.info
        path = self._explorer_path
        if key is None and path is not None and info is not None and info.data_kind == "toy2d":
            self.toy_view.set_latent_path(path, self.explorer.position())

    @Slot(str)
    def _on_controller_checkpoint_saved(self, path: str) -> None:
        self.log.append(self.tr("Checkpoint saved: {path}").format(path=path), "info")
        self.remember_file(path)

    @Slot(object)
    def _on_controller_config_changed(self, config: cfg.ExperimentConfig) -> None:
        self._sync_controls(config)
        self._set_title(config)

    @Slot()
    def _on_evaluate_action_triggered(self) -> None:
        if self._evaluation is not None and self._evaluation.is_running():
            self.log.append(self.tr("An evaluation is already running."), "info")
            return
        self.evaluate_action.setEnabled(False)
        self.log.append(
            self.tr("Evaluating: generating {n} images…").format(n=EVALUATION_IMAGES), "info"
        )
        self.controller.request_evaluation(EVALUATION_IMAGES)

    @Slot(object)
    def _on_controller_evaluation_samples_ready(self, samples: rep.EvaluationSamples) -> None:
        self._evaluation = Evaluation(samples)
        self._evaluation.progress.connect(self._on_evaluation_progress)
        self._evaluation.finished.connect(self._on_evaluation_finished)
        self._evaluation.failed.connect(self._on_evaluation_failed)
        self._evaluation.start()

    @Slot(str)
    def _on_evaluation_progress(self, message: str) -> None:
        self.log.append(message, "info")
        self.statusBar().showMessage(message, 10000)

    @Slot(object)
    def _on_evaluation_finished(self, result: dict) -> None:
        self.image_results.append(result)
        self.metrics.set_image_metrics(self.image_results)
        values = ", ".join(
            f"{self.tr(METRIC_NAMES.get(k, k))} = {v:.4g}"
            for k, v in result.items()
            if isinstance(v, float)
        )
        self.log.append(
            self.tr("Image metrics at step {step} ({space}): {values}").format(
                step=result["step"], space=result.get("feature_space", "?"), values=values
            ),
            "info",
        )
        if sample := self.metrics.sample_text(result):
            self.log.append(sample, "info")
        for note in result.get("notes", ()):
            self.log.append(self.tr("Note: {note}").format(note=note), "warning")
        self.evaluate_action.setEnabled(
            self.controller.session.info is not None
            and self.controller.session.info.data_kind == "image"
        )
        self.metrics_dock.raise_()

    @Slot(str)
    def _on_evaluation_failed(self, message: str) -> None:
        first, _, details = message.partition("\n")
        self.log.append(self.tr("Evaluation failed: {error}").format(error=first), "error", details)
        self.evaluate_action.setEnabled(True)

    @Slot(object)
    def _diagnosis_title(self, kind: str, fallback: str) -> str:
        """The engine's title of a diagnosis kind, in the language in use (gettext)."""
        return diagnosis_title(kind) if kind in DIAGNOSIS_TITLES else (fallback or kind)

    def _on_controller_diagnosis_reported(self, diagnosis: rep.Diagnosis) -> None:
        title = self._diagnosis_title(diagnosis.kind, diagnosis.title)
        text = self.tr("step {step} — {title}: {message}").format(
            step=diagnosis.step, title=title, message=diagnosis.message
        )
        self._banner_kind = diagnosis.kind
        self.log.append(text, "error" if diagnosis.severity == "error" else "warning")
        color = "#fde0dd" if diagnosis.severity == "error" else "#fff3cd"
        self.banner.setStyleSheet(f"background: {color}; color: #222; padding: 6px;")
        self.banner.setText(text)
        self.banner.show()

    @Slot(object)
    def _on_controller_diagnosis_cleared(self, cleared: rep.DiagnosisCleared) -> None:
        title = self._diagnosis_title(cleared.kind, cleared.title)
        self.log.append(
            self.tr("step {step} — {title}: cleared").format(step=cleared.step, title=title),
            "info",
        )
        if self._banner_kind == cleared.kind:  # the banner no longer describes the run
            self.banner.hide()
            self._banner_kind = None

    def _show_error_banner(self, message: str) -> None:
        self._banner_kind = None
        self.banner.setStyleSheet("background: #fde0dd; color: #222; padding: 6px;")
        self.banner.setText(message)
        self.banner.show()

    @Slot(object)
    def _on_controller_setting_recorded(self, change: rep.SettingChanged) -> None:
        self.log.append(
            self.tr("step {step}: {key} {old} → {new}").format(
                step=change.step,
                key=self.controls.label_for(change.key),
                old=_plain(change.key, change.old),
                new=_plain(change.key, change.new),
            ),
            "info",
        )

    # ------------------------------------------------------------------ user events

    @Slot(bool)
    def _on_play_action_triggered(self, checked: bool) -> None:
        self.controller.play() if checked else self.controller.pause()

    @Slot(str, object)
    def _on_controls_setting_changed(self, key: str, value: object) -> None:
        if not self.lessons.may(key):  # the teacher's lock: the panel goes back
            self._sync_controls(self.controller.session.config)
            return
        self.controller.change_setting(key, value)

    @Slot(int)
    def _on_view_sample_clicked(self, index: int) -> None:
        info = self.controller.session.info
        if info is None or info.fixed_z is None or not 0 <= index < len(info.fixed_z):
            return
        self.explorer.add_anchor(info.fixed_z[index], self.tr("sample {i}").format(i=index))
        if info.data_kind == "toy2d":
            self.toy_view.set_selected(index)
        self.explorer_dock.raise_()

    @Slot(object)
    def _on_toy_view_drawn_points_applied(self, points: np.ndarray) -> None:
        self.controller.apply_drawn_points(points)
        self.log.append(self.tr("Training on {n} drawn points").format(n=len(points)), "info")

    @Slot(object, object)
    def _on_explorer_samples_requested(self, z: np.ndarray, labels: np.ndarray | None) -> None:
        family = MODEL_FAMILIES.get(self.controller.session.config.model.family)
        if not family.latent:  # an image translator has no z (configure still asks once)
            return
        self._explorer_asked_at = time.monotonic()
        self.controller.request_samples(z, labels)

    @Slot(int)
    def _on_explorer_position_changed(self, index: int) -> None:
        if self._explorer_path is not None and self.timeline.is_live():
            self.toy_view.set_latent_path(self._explorer_path, index)

    @Slot()
    def _on_preset_action_triggered(self) -> None:
        action = self.sender()
        name = action.data() if isinstance(action, QAction) else None
        if name:
            self._open_config(load_preset(name), None)

    @Slot()
    def _on_recent_action_triggered(self) -> None:
        action = self.sender()
        path = action.data() if isinstance(action, QAction) else None
        if not path:
            return
        if str(path).endswith(".pt"):
            self.load_checkpoint(str(path))
        elif is_lesson_file(str(path)):
            self.lessons.open(str(path))
        else:
            self.open_experiment(str(path))

    @Slot()
    def _on_open_action_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open experiment"), "", self.tr("Experiments (*.toml)")
        )
        if path:
            self.open_experiment(path)

    def open_experiment(self, path: str) -> bool:
        """Load an experiment file; a bad one is refused with a message naming the key."""
        try:
            config = cfg.load(path)
            cfg.check_names(config, path)
        except cfg.ConfigError as exc:
            self.log.append(str(exc), "error")
            QMessageBox.warning(self, self.tr("Experiment refused"), str(exc))
            return False
        asked = with_point_columns(config, self)  # a wide point file: which columns?
        if asked is None:
            return False
        self._open_config(asked, path)
        return True

    def _open_config(self, config: cfg.ExperimentConfig, path: str | None) -> None:
        self.toy_view.stop_drawing()  # a new experiment: no half-drawn data set stays armed
        self._experiment_path = path
        self.controller.apply_config(config)
        if path:
            self.remember_file(path)
        self.log.append(self.tr("Opened {name}").format(name=i18n._(config.name)), "info")
        for message in cfg.config_warnings(config, path or config.name):
            self.log.append(message, "warning")  # settings that have no effect, or unwise

    @Slot()
    def _on_save_action_triggered(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save experiment"),
            self._experiment_path or "experiment.toml",
            self.tr("Experiments (*.toml)"),
        )
        if path:
            self.save_experiment(path)

    def save_experiment(self, path: str) -> None:
        try:
            cfg.save(self.controller.session.config, path)
        except OSError as exc:
            self.log.append(
                self.tr("Could not save {path}: {error}").format(path=path, error=exc), "error"
            )
            return
        self._experiment_path = path
        self.remember_file(path)
        self.log.append(self.tr("Saved {path}").format(path=path), "info")

    @Slot()
    def _on_save_ckpt_action_triggered(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save checkpoint"), "checkpoint.pt", self.tr("Checkpoints (*.pt)")
        )
        if path:
            self.controller.save_checkpoint(path)

    @Slot()
    def _on_load_ckpt_action_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Load checkpoint"), "", self.tr("Checkpoints (*.pt)")
        )
        if path:
            self.load_checkpoint(path)

    def load_checkpoint(self, path: str) -> None:
        """Continue from a checkpoint. The trainer answers with its run's history, if the
        checkpoint lies in a run directory (read in the trainer thread, not here)."""
        self.controller.load_checkpoint(path)

    def _restore_history(self, info: rep.SegmentStarted) -> None:
        """Show the history ``ganlab --run`` read, once the trainer reached its step."""
        pending = self._pending_history
        if pending is None or info.step != pending.step:
            return
        self._pending_history = None
        self._show_history(pending, info.step)

    def _show_history(self, history: RunHistory, step: int) -> None:
        self.controller.session.load_history(history)
        self.log.append(
            self.tr(
                "Restored the curves, metrics and setting changes of {path} up to step {step}."
            ).format(path=history.path, step=step),
            "info",
        )
        skipped = history.skipped_summary()
        if skipped:
            self.log.append(skipped, "warning")
        new_dir = self.controller.last_run_dir
        if new_dir is not None and not _same_folder(new_dir, history.path):
            self.log.append(
                self.tr(
                    "Training goes on from step {step} in a new run folder, {new}; {old} "
                    "stays as it was (its history shows first in the timeline)."
                ).format(step=step, new=new_dir, old=history.path),
                "info",
            )

    @Slot(object)
    def _on_controller_checkpoint_loaded(self, loaded: rep.CheckpointLoaded) -> None:
        if loaded.segment != self.controller.session.segment:
            return
        if loaded.problem:
            self.log.append(loaded.problem, "warning")
        if isinstance(loaded.history, RunHistory):
            self._show_history(loaded.history, loaded.step)
        else:
            self.log.append(
                self.tr(
                    "Loaded {path} at step {step}. It is not inside a run directory, so "
                    "the curves start again at step {step}."
                ).format(path=loaded.path, step=loaded.step),
                "info",
            )

    @Slot()
    def _on_load_points_requested(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Load points"),
            "",
            self.tr("Point files (*.csv *.tsv *.txt *.dat);;All files (*)"),
        )
        if not path:
            return
        columns = self._choose_point_columns(path)
        if columns is not None:
            self.controller.load_points(path, columns)

    def _choose_point_columns(self, path: str) -> list[int] | None:
        """[] for a 1- or 2-column file, the columns asked for otherwise, None if cancelled."""
        return choose_point_columns(path, self)

    @Slot()
    def _on_export_view_action_triggered(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export view"), "view.png", self.tr("PNG images (*.png)")
        )
        if path:
            self.export_view(path)

    def export_view(self, path: str) -> bool:
        ok = self.views.currentWidget().grab().save(path)
        self.log.append(
            (self.tr("Exported {path}") if ok else self.tr("Could not write {path}")).format(
                path=path
            ),
            "info" if ok else "error",
        )
        return ok

    @Slot()
    def _on_export_plots_action_triggered(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export plots to folder"))
        if folder:
            self.export_plots(folder)

    def export_plots(self, folder: str, width: int = EXPORT_WIDTH_PX) -> list[str]:
        """Save each curve plot as ``<folder>/<name>.png``, ``width`` pixels wide.

        The plot is painted as it looks in the window, scaled as a whole: titles,
        legends, ticks and curves keep their proportions (pyqtgraph's exporter enlarged
        the title and ticks but left the legends at screen size). Returns the paths
        written; a file that cannot be written is named in the log.
        """
        written = []
        for name, widget in self.curves.plot_widgets().items():
            path = str(Path(folder) / f"{name}.png")
            scale = width / max(1, widget.width())
            image = QImage(
                round(widget.width() * scale),
                round(widget.height() * scale),
                QImage.Format.Format_ARGB32,
            )
            image.fill(QColor("white"))
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            # The scene itself, uniformly scaled: every item keeps its proportions. The
            # legend ignores transformations (so it never zooms with the view): for the
            # export it must follow the scale like everything else.
            legend = widget.getPlotItem().legend
            flag = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
            legend.setFlag(flag, False)
            try:
                source = widget.mapToScene(widget.viewport().rect()).boundingRect()
                widget.scene().render(painter, QRectF(image.rect()), source)
            finally:
                legend.setFlag(flag, True)
                painter.end()
            if image.save(path):
                written.append(path)
            else:
                self.log.append(self.tr("Could not write {path}").format(path=path), "error")
        self.log.append(
            self.tr("Exported {n} plots to {folder}").format(n=len(written), folder=folder), "info"
        )
        return written

    @Slot()
    def _on_export_csv_action_triggered(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export curves"), "curves.csv", self.tr("CSV files (*.csv)")
        )
        if path:
            self.export_csv(path)

    def export_csv(self, path: str) -> bool:
        try:
            Path(path).write_text(self.controller.session.curves_csv(), encoding="utf-8")
        except OSError as exc:
            self.log.append(
                self.tr("Could not write {path}: {error}").format(path=path, error=exc), "error"
            )
            return False
        self.log.append(self.tr("Exported {path}").format(path=path), "info")
        return True

    @Slot()
    def _on_export_evolution_action_triggered(self) -> None:
        """The run this window shows, exported from its recorded history (app.export)."""
        from ganlab.app.export import ExportFlow

        run_dir = (
            self.controller.attach_to
            or self.timeline.run_to_export()
            or self.controller.last_run_dir
        )
        if run_dir is None:
            self.log.append(
                self.tr("No run to export yet: train a step first, or open a run."), "warning"
            )
            return
        self.export_flow = ExportFlow(Path(run_dir), self.log.append, self)
        self.export_flow.open()

    @Slot(bool)
    def _on_presentation_action_toggled(self, on: bool) -> None:
        self.set_presentation(on)

    def set_presentation(self, on: bool) -> None:
        """Presentation mode: full screen, and every font, plot text, line and marker
        ``style.PRESENTATION_FACTOR`` times larger; off restores the sizes exactly and
        the geometry and dock layout the window had before."""
        if on == (self._before_presentation is not None):
            return
        if on:
            self._before_presentation = (
                self.saveGeometry(),
                self.saveState(),
                self.windowState() & ~Qt.WindowState.WindowFullScreen,
            )
            style.apply_presentation(self, style.PRESENTATION_FACTOR)
            full_screen = (self.screen() or QGuiApplication.primaryScreen()).geometry()
            if compact_layout(full_screen):
                self._arrange_docks(compact=True, presentation=True)
            self.showFullScreen()
        else:
            geometry, state, window_state = self._before_presentation
            self._before_presentation = None
            style.apply_presentation(self, 1.0)
            self.setWindowState(window_state)
            # The docks first: the window's minimum size is then the restored layout's.
            self.restoreState(state)
            self.layout().activate()
            self.restoreGeometry(geometry)
        if self.presentation_action.isChecked() != on:
            self.presentation_action.setChecked(on)

    @Slot()
    def _on_about_action_triggered(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About ganlab"),
            self.tr(
                "ganlab {version}\nA desktop laboratory for generative adversarial networks."
            ).format(version=__version__),
        )

    # ------------------------------------------------------------------ slow motion

    @Slot()
    def _on_slow_motion_start_requested(self) -> None:
        if self.slow_timer.isActive():
            return
        if not self.slow_motion.is_available():  # the menu's action, for a translator
            self.log.append(self.slow_motion.explanation(), "info")
            self.slow_dock.raise_()
            return
        self.controller.pause()
        self._slow_stage = 0
        self.slow_motion.set_running(True)
        self.slow_dock.raise_()
        self._show_slow_stage()

    def _show_slow_stage(self) -> None:
        n = len(SlowMotionPanel.STAGES)
        assert self._slow_stage is not None
        network = "d" if self._slow_stage < n else "g"
        self.slow_motion.set_stage(self._slow_stage % n, network)
        self.slow_timer.start(int(self.slow_motion.speed() * 1000))

    @Slot()
    def _on_slow_timer_timeout(self) -> None:
        n = len(SlowMotionPanel.STAGES)
        stage = self._slow_stage
        if stage is None:
            return
        if stage == n - 1:
            self.controller.step("d")  # D's update happens as its "update" stage ends
        elif stage == 2 * n - 1:
            self.controller.step("g")
            self._slow_stage = None
            self.slow_motion.set_stage(None, None)
            self.slow_motion.set_running(False)
            return
        self._slow_stage = stage + 1
        self._show_slow_stage()

    # ------------------------------------------------------------------ drawing

    @Slot()
    def _on_refresh_timer_timeout(self) -> None:
        """Redraw what changed since the last frame: the only place that draws."""
        s = self.controller.session
        self._frames += 1
        self.frames_total += 1
        now = time.monotonic()
        if "real" in s.dirty and s.info is not None:
            self._draw_real(s.info)
        self._curves_pending |= "curves" in s.dirty
        if self._curves_pending and now - self._last_curves >= CURVES_EVERY_S:
            self._curves_pending = False
            self._last_curves = now
            steps, series = s.series()
            self.curves.set_data(steps, series)
            if s.info is not None:
                for net in ("d", "g"):
                    names = s.info.layer_names[net]
                    if names:
                        self.curves.set_layer_norms(net, names, s.layer_norms[net].view())
            self.curves.set_markers(s.markers)
        if "metrics" in s.dirty:
            self.metrics.set_metrics(*s.metric_series())
        if "snapshot" in s.dirty and s.snapshot is not None:
            snap, s.snapshot = s.snapshot, None
            if snap.segment == s.segment:
                # Scrubbed back on the timeline, the newest is held (drawn on "live").
                if self.timeline.take_live(snap):
                    self._draw_snapshot(snap)
                # G has changed: the latent path shows the G of now, not of its request.
                asked = self._explorer_asked_at
                if asked is None or now - asked > EXPLORER_ANSWER_S:
                    self.explorer.refresh_samples()
            self.controller.snapshot_taken()
        s.dirty.clear()
        self.timeline.tick(now)
        if now - self._last_status >= STATUS_EVERY_S:
            self._update_status(now)

    def _panel_for(self, info: rep.SegmentStarted) -> DataPanel:
        """The panel of the routing table that shows ``info``'s run (its family's own,
        else its data kind's)."""
        return self.panels[info.panel or info.data_kind]

    def _draw_real(self, info: rep.SegmentStarted) -> None:
        self._panel_for(info).show_real(info)

    def _draw_snapshot(self, snap: rep.Report) -> None:
        info = self.controller.session.info
        if info is not None:
            self._panel_for(info).show_snapshot(snap)

    @Slot(str, object)
    def _on_panel_requested(self, what: str, params: object) -> None:
        """A panel asks the trainer for something to show (a sketch's translation, a
        style mixing, ...). The answer comes from the generator as it is now, so a
        timeline scrubbed back returns to live first."""
        self.timeline.go_live()
        self.controller.request_panel(what, dict(params) if isinstance(params, dict) else {})

    @Slot(object)
    def _on_controller_panel_answer_ready(self, answer: rep.PanelAnswer) -> None:
        panel = self.panels.get(answer.panel)
        if panel is not None:
            panel.show_answer(answer)

    def _update_status(self, now: float) -> None:
        elapsed = now - self._fps_t0
        self._fps = self._frames / elapsed if elapsed > 0 else 0.0
        self._frames, self._fps_t0, self._last_status = 0, now, now
        s = self.controller.session
        state = {
            "playing": self.tr("playing"),
            "paused": self.tr("paused"),
            "finished": self.tr("finished"),
            "stopped": self.tr("stopped"),
            "starting": self.tr("starting"),
        }.get(s.state, s.state)
        self.state_label.setText(self.tr("{state} · step {step}").format(state=state, step=s.step))
        self.rate_label.setText(
            self.tr("{rate:.0f} steps/s").format(rate=self.controller.steps_per_second())
        )
        self.fps_label.setText(self.tr("{fps:.0f} frames/s").format(fps=self._fps))
        trainer = self.controller.trainer_pid()
        if trainer is None:
            self.memory_label.setText(self.tr("{mb:.0f} MB").format(mb=_resident_mb()))
        else:
            self.memory_label.setText(
                self.tr("window {gui:.0f} MB · trainer {trainer:.0f} MB").format(
                    gui=_resident_mb(), trainer=_resident_mb(trainer)
                )
            )

    def gui_fps(self) -> float:
        return self._fps

    # ------------------------------------------------------------------ closing

    @Slot()
    def _on_gc_timer_timeout(self) -> None:
        """Collect garbage in the GUI thread, each segment when its count is due."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        for segment in (2, 1, 0):
            if counts[segment] > thresholds[segment]:
                gc.collect(segment)  # collects the younger segments too
                return

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self._closing = True
        self.refresh_timer.stop()
        self.slow_timer.stop()
        self.gc_timer.stop()
        self._save_layout()
        if self._before_presentation is not None:
            # The factor and the application font are shared: the next window starts at 1.
            style.apply_presentation(self, 1.0)
        if not self.controller.stop(2000):
            self.log.append(
                self.tr(
                    "The trainer did not stop within 2 s; it will stop after its current step."
                ),
                "warning",
            )
        gc.enable()  # the window's collector ends with it
        event.accept()


# Below this available screen size (either side, in device-independent pixels) the docks
# share fewer, larger places: see MainWindow._arrange_docks.
COMPACT_SIZE = QSize(1500, 900)

# Where each dock goes (by object name), first of each list raised. A new dock is placed
# by adding its name here; a name not listed joins the right-hand tab group.
DOCK_GROUPS = {
    "wide": {
        "left": ["dock-controls", "dock-slow"],
        "right": ["dock-curves", "dock-metrics"],
        "bottom": ["dock-explorer", "dock-log"],
    },
    "compact": {
        "left": ["dock-controls", "dock-slow"],
        "right": ["dock-curves", "dock-metrics", "dock-explorer", "dock-log"],
        "bottom": [],
    },
    # Presentation mode on a compact screen: the larger text leaves the view too little
    # width between two side docks, so every dock is a tab on the right.
    "presentation": {
        "left": [],
        "right": [
            "dock-curves",
            "dock-metrics",
            "dock-explorer",
            "dock-log",
            "dock-controls",
            "dock-slow",
        ],
        "bottom": [],
    },
}


# Docks that stand above an area's tab group instead of joining it.
DOCK_ABOVE = {"dock-lesson": "left"}


def dock_groups(compact: bool, presentation: bool = False) -> dict[str, list[str]]:
    """The tab groups of DOCK_GROUPS for a compact or a wide screen."""
    if presentation and compact:
        return DOCK_GROUPS["presentation"]
    return DOCK_GROUPS["compact" if compact else "wide"]


def compact_layout(available: QRect) -> bool:
    """Whether a screen area this size gets the compact dock layout."""
    return available.width() < COMPACT_SIZE.width() or available.height() < COMPACT_SIZE.height()


def available_geometry(widget: QWidget) -> QRect:
    """The usable area (without task bars) of the screen ``widget`` is on, else of the
    primary screen; logical pixels, so a 4K screen at 200 % reads as 1920 x 1080."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


class _ScrollWidthGuard(QObject):
    """Keeps a panel's vertical-only scroll area as wide as its content's rows.

    A QScrollArea with the horizontal scroll bar off reports a tiny minimum width, so a
    dock could be made narrower than the rows inside it and cut them off at the right.
    This sets the area's minimum width to its content's, plus the vertical scroll bar,
    whenever the content's layout changes (rows shown, hidden, translated, restyled).
    """

    def __init__(self, panel: QWidget, parent: QObject) -> None:
        super().__init__(parent)
        self._areas = [
            area
            for area in panel.findChildren(QScrollArea)
            if area.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            and area.widget() is not None
        ]
        for area in self._areas:
            area.widget().installEventFilter(self)
            self._fit(area)

    def _fit(self, area: QScrollArea) -> None:
        content = area.widget().minimumSizeHint().width()
        bar = area.verticalScrollBar().sizeHint().width()
        frame = 2 * area.frameWidth()
        area.setMinimumWidth(content + bar + frame)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LayoutRequest:
            for area in self._areas:
                if area.widget() is watched:
                    self._fit(area)
        return False


class _Banner(QLabel):
    """A message strip above the view; a click hides it."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setFont(style.font(1.05))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.hide()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self.hide()
        event.accept()


# Settings whose values are registry names: the log shows the entry's title instead.
_REGISTRY_KEYS = {"data.source": DATA_SOURCES, "model.family": MODEL_FAMILIES, "loss.name": LOSSES}


def _same_folder(a: str | Path, b: str | Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def _shown_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """Class names as the views show them: translated where the catalogue knows them (the
    bundled shapes), as stored otherwise (folder names, data-set classes)."""
    return tuple(i18n._(n) for n in names)


def _plain(key: str, value: object) -> str:
    """A setting's value for the log: a registered entry's title ("Non-saturating" for
    ``non_saturating``), 3 significant digits for floats, else as is."""
    registry = _REGISTRY_KEYS.get(key)
    if registry is not None and isinstance(value, str):
        try:
            return i18n._(registry.get(value).title)
        except cfg.ConfigError:  # an unknown name: show it as it is
            return value
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _resident_mb(pid: int | None = None) -> float:
    """Resident memory of a process (default: this one) in MB; 0 if it is gone."""
    import psutil

    try:
        return psutil.Process(pid).memory_info().rss / 2**20
    except (psutil.Error, OSError):
        return 0.0
