"""Starting the lab's window: QApplication, translations, the main window. GUI thread."""

from __future__ import annotations

import ctypes
import os
import sys
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from ganlab import __version__
from ganlab.kernel import config as cfg
from ganlab.kernel import i18n
from ganlab.kernel.errors import GanlabError
from ganlab.kernel.rundir import RunHistory, history_for_checkpoint


def _install_translators(app: QApplication, language: str | None = None) -> None:
    """Load ganlab's translation for ``language`` (default: the user's), and Qt's own.

    The engine's gettext catalogue (diagnoses, registry titles, error messages, log lines)
    follows the same language, chosen here once for the whole process.
    """
    locale = QLocale(language) if language else QLocale()
    i18n.set_language(language or locale.name())

    folder = resources.files("ganlab.resources") / "translations"
    ours = QTranslator(app)
    if folder.is_dir():
        with resources.as_file(folder) as path:
            if ours.load(locale, "ganlab", "_", str(path)):
                app.installTranslator(ours)
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)


# The GIL is shared by the GUI thread (pyqtgraph paints in Python) and the trainer thread
# (which releases it on every torch op and must get it back to continue). With Python's
# default 5 ms switch interval a busy GUI thread keeps the trainer waiting up to 5 ms per
# op (the "convoy effect"); 1 ms keeps training measurably closer to its headless speed.
GIL_SWITCH_INTERVAL_S = 0.001


# Libraries Qt's xcb platform plugin loads that a minimal Linux system may lack, with the
# Debian/Ubuntu package of each. Without them Qt aborts with a cryptic message, so we
# check first and say what to install.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
}


def check_display() -> None:
    """Raise GanlabError with a clear fix if Qt cannot open a window here (Linux/X11)."""
    if not sys.platform.startswith("linux"):
        return
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return  # offscreen, wayland, vnc...: Qt's own plugin, no X11 libraries needed
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return
    if not os.environ.get("DISPLAY"):
        raise GanlabError(
            "there is no display to open the window on (DISPLAY is not set). Run ganlab "
            "from a desktop session, or train without a window: 'ganlab train --preset ring8'"
        )
    missing = [package for library, package in XCB_LIBRARIES.items() if not _loads(library)]
    if missing:
        raise GanlabError(
            f"the window needs system libraries that are not installed. On Debian/Ubuntu: "
            f"'sudo apt-get install {' '.join(missing)}'. Training without a window works "
            f"already: 'ganlab train --preset ring8'"
        )


def _loads(library: str) -> bool:
    """Whether ``library`` can be loaded: from the bundle (a frozen lab ships its own
    copies next to Qt's plugins), else from the system."""
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [os.path.join(bundle, library)] if bundle else []
    for candidate in [*candidates, library]:
        if candidate != library and not os.path.exists(candidate):
            continue
        try:
            ctypes.CDLL(candidate)
        except OSError:
            continue
        return True
    return False


def application(argv: list[str] | None = None, language: str | None = None) -> QApplication:
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("ganlab")
    app.setOrganizationName("ganlab")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    # Wayland and X11 desktops match windows to ganlab.desktop (and its icon) by this name.
    app.setDesktopFileName("ganlab")
    _install_translators(app, language)
    return app


def app_icon() -> QIcon:
    """The lab's icon from resources/icons: every rendered PNG size, plus the SVG source."""
    icon = QIcon()
    folder = resources.files("ganlab.resources") / "icons"
    if not folder.is_dir():
        return icon
    with resources.as_file(folder) as path:
        for png in sorted(path.glob("ganlab-*.png")):
            icon.addFile(str(png))
        svg = path / "ganlab.svg"
        if svg.is_file():
            icon.addFile(str(svg))
    return icon


def run_history(run_dir: str | None, checkpoint: str | None) -> RunHistory | None:
    """The history a window opened on ``run_dir`` at ``checkpoint`` should show.

    None without a run directory, or without a checkpoint (the run then starts over at
    step 0 and has no past to show), or when the checkpoint is not one of the run's own.
    """
    if run_dir is None or checkpoint is None:
        return None
    history = history_for_checkpoint(checkpoint)
    if history is None or history.path.parent.resolve() != Path(run_dir).resolve():
        return None
    return history


def run_app(
    config: cfg.ExperimentConfig,
    *,
    resume_from: str | None = None,
    history_from: str | None = None,
    experiment_path: str | None = None,
    language: str | None = None,
    lesson: str | None = None,
    start_page: bool = False,
    attach_to: str | None = None,
) -> int:
    """Open the window on ``config`` and run the event loop until it closes.

    Parameters
    ----------
    config
        The experiment to open.
    resume_from
        A checkpoint to continue from.
    history_from
        The run directory ``resume_from`` belongs to (``ganlab --run DIR``): the window
        then shows the run's curves, setting markers, metrics and diagnoses up to the
        checkpoint's step.
    experiment_path
        The experiment file ``config`` came from, for the recent-files list.
    language
        Interface language code (default: the system's).
    lesson
        A lesson file to open at its first step (``ganlab --lesson FILE``).
    start_page
        Show the start page (lessons, presets, recent files): when nothing was given.
    attach_to
        A run directory whose trainer is running now (``ganlab --attach``): the window
        shows that run instead of starting a trainer of its own.

    Raises
    ------
    GanlabError
        The run's metrics.jsonl cannot be read (before any window opens). Damaged lines
        in it are not an error: the window's log names them.
    """
    history = run_history(history_from, resume_from)
    app = application(language=language)
    from ganlab.app.main_window import MainWindow
    from ganlab.app.point_columns import with_point_columns

    if resume_from is None and attach_to is None:  # a wide point file: ask which columns
        asked = with_point_columns(config)
        if asked is None:
            return 0
        config = asked
    if attach_to is not None:
        window = MainWindow(config, attach_to=attach_to)
    elif history is None:
        window = MainWindow(config, resume_from=resume_from)
    else:
        window = MainWindow(config, resume_from=resume_from, history=history)
    if history_from is not None:
        window.timeline.add_past_run(history_from)  # its kept views, on the timeline
    if experiment_path:
        window.remember_file(experiment_path)
    label = experiment_path or history_from or config.name
    for message in cfg.config_warnings(config, label):
        window.log.append(message, "warning")  # settings that have no effect, or unwise
    window.show()
    if lesson:
        window.lessons.open(lesson)
    elif start_page:
        window.lessons.show_start_page()
    # Ask for keyboard focus: with no window manager (a bare X server, a kiosk) nobody else
    # gives it, and the Space / arrow shortcuts would go nowhere.
    window.raise_()
    window.activateWindow()
    return app.exec()
