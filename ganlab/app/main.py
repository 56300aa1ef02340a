"""Starting the lab's window: QApplication, translations, the main window. GUI thread."""

from __future__ import annotations

import sys
from importlib import resources

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from ganlab import __version__
from ganlab.core import config as cfg


def _install_translators(app: QApplication) -> None:
    """Load ganlab's translation for the user's language (and Qt's own), if shipped."""
    locale = QLocale()
    folder = resources.files("ganlab.resources") / "translations"
    ours = QTranslator(app)
    if folder.is_dir():
        with resources.as_file(folder) as path:
            if ours.load(locale, "ganlab", "_", str(path)):
                app.installTranslator(ours)
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("ganlab")
    app.setOrganizationName("ganlab")
    app.setApplicationVersion(__version__)
    icon = resources.files("ganlab.resources") / "icons" / "ganlab.svg"
    if icon.is_file():
        with resources.as_file(icon) as path:
            app.setWindowIcon(QIcon(str(path)))
    _install_translators(app)
    return app


def run_app(
    config: cfg.ExperimentConfig,
    *,
    resume_from: str | None = None,
    experiment_path: str | None = None,
) -> int:
    """Open the window on ``config`` and run the event loop until it closes."""
    app = application()
    from ganlab.app.main_window import MainWindow

    window = MainWindow(config, resume_from=resume_from)
    if experiment_path:
        window._remember(experiment_path)
    window.show()
    return app.exec()
