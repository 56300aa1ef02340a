"""The Spanish interface: resources/translations/ganlab_es.ts is complete and keeps every
placeholder, ganlab_es.qm is compiled from it, loads, and turns the panels Spanish.

A new or changed tr() string makes these tests fail until it is translated: run
resources/translations/update.sh, translate what it marks unfinished, run it again
(see resources/translations/README.md).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QLabel, QPushButton, QToolButton

from ganlab.app import main as app_main
from ganlab.kernel.config import settings_schema
from ganlab.widgets.controls import ControlsPanel
from ganlab.widgets.slow_motion import SlowMotionPanel

REPO = Path(__file__).resolve().parents[2]
# Where the app itself looks (ganlab.resources is the repository's resources/ folder).
FOLDER = Path(str(resources.files("ganlab.resources") / "translations"))
TS = FOLDER / "ganlab_es.ts"
QM = FOLDER / "ganlab_es.qm"
SOURCES = sorted([*REPO.glob("ganlab/app/*.py"), *REPO.glob("ganlab/widgets/*.py")])

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
DONE_WITH = ("obsolete", "vanished")  # kept by lupdate for history, never compiled


def _messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    """(context, source, translation element) for every live message of a .ts file."""
    found = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, (name, message.findtext("source"))
            if translation.get("type") in DONE_WITH:
                continue
            found.append((name, message.findtext("source") or "", translation))
    return found


def _text(translation: ET.Element) -> str:
    return "".join(translation.itertext())  # numerus forms too


MESSAGES = _messages(TS)


@pytest.fixture
def spanish(qapp) -> Iterator[QTranslator]:
    """The Spanish translator installed for the test only: other tests stay English."""
    translator = QTranslator()
    assert translator.load(str(QM))
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)
    assert QCoreApplication.translate("MainWindow", "Play") == "Play"


# --------------------------------------------------------------------------- the .ts file


def test_the_ts_file_covers_every_panel_and_the_app_shell():
    contexts = {context for context, _source, _tr in MESSAGES}
    assert contexts >= {
        "Controller",
        "MainWindow",
        "ControlsPanel",
        "CurvesPanel",
        "DensityPanel",
        "ImagePanel",
        "LatentExplorerPanel",
        "LogPanel",
        "SlowMotionPanel",
        "ToyViewPanel",
    }


def test_every_message_is_translated():
    unfinished = [
        (context, source)
        for context, source, translation in MESSAGES
        if translation.get("type") == "unfinished" or not _text(translation).strip()
    ]
    assert not unfinished, (
        f"{len(unfinished)} message(s) not translated in {TS.name}; translate them and run "
        f"resources/translations/update.sh: {unfinished}"
    )


@pytest.mark.parametrize(
    ("context", "source", "translation"),
    [(c, s, _text(t)) for c, s, t in MESSAGES],
    ids=[f"{c or '<none>'}:{s[:40]}" for c, s, _t in MESSAGES],
)
def test_translation_keeps_placeholders_and_mnemonics(context, source, translation):
    assert set(PLACEHOLDER.findall(translation)) == set(PLACEHOLDER.findall(source))
    assert translation.count("&") == source.count("&")  # one keyboard mnemonic, if any


@pytest.mark.skipif(
    not (Path(sys.executable).parent / "pyside6-lupdate").exists()
    and shutil.which("pyside6-lupdate") is None,
    reason="pyside6-lupdate is not installed",
)
def test_the_ts_file_has_every_string_of_the_code(tmp_path):
    """A tr() string added to the code fails here until update.sh is run and it is translated."""
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    command = str(lupdate) if lupdate.exists() else "pyside6-lupdate"
    fresh = tmp_path / "ganlab_es.ts"
    subprocess.run(
        [command, *map(str, SOURCES), "-target-language", "es", "-silent", "-ts", str(fresh)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    in_code = {(context, source) for context, source, _tr in _messages(fresh)}
    in_ts = {(context, source) for context, source, _tr in MESSAGES}
    assert not in_code - in_ts, (
        "strings in the code but not in ganlab_es.ts: run resources/translations/update.sh "
        f"and translate them: {sorted(in_code - in_ts)}"
    )
    assert not in_ts - in_code, f"stale messages: run update.sh: {sorted(in_ts - in_code)}"


# --------------------------------------------------------------------------- the .qm file


def test_the_qm_loads():
    translator = QTranslator()
    assert translator.load(str(QM))
    assert translator.language() == "es"
    assert not translator.isEmpty()


def test_the_qm_is_compiled_from_the_current_ts():
    translator = QTranslator()
    assert translator.load(str(QM))
    stale = [
        (context, source)
        for context, source, translation in MESSAGES
        if translator.translate(context, source) != _text(translation)
    ]
    assert not stale, f"ganlab_es.qm is out of date: run resources/translations/update.sh: {stale}"


def test_translate_gives_spanish_while_installed(spanish):
    assert QCoreApplication.translate("MainWindow", "Play") == "Reproducir"
    assert QCoreApplication.translate("ControlsPanel", "Load points from CSV…") == (
        "Cargar puntos desde CSV…"
    )
    assert (
        QCoreApplication.translate("MainWindow", "Checkpoint saved: {path}").format(path="a.pt")
        == "Punto de control guardado: a.pt"
    )


def test_the_app_loader_picks_the_spanish_file_for_a_spanish_locale(qapp):
    """main._install_translators finds ganlab_es.qm for es_MX via QLocale's fallbacks."""
    before = set(qapp.findChildren(QTranslator))
    default = QLocale()
    QLocale.setDefault(QLocale("es_MX"))
    try:
        app_main._install_translators(qapp)
        assert QCoreApplication.translate("MainWindow", "&File") == "&Archivo"
    finally:
        QLocale.setDefault(default)
        for translator in set(qapp.findChildren(QTranslator)) - before:
            qapp.removeTranslator(translator)
            translator.deleteLater()
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


# --------------------------------------------------------------------------- panels


def test_a_panel_built_in_spanish_shows_spanish(qtbot, spanish):
    panel = SlowMotionPanel()
    qtbot.addWidget(panel)
    start = panel.findChild(QPushButton, "start")
    assert start is not None
    assert start.text() == "Reproducir una iteración despacio"
    assert panel.findChild(QLabel, "badge_d").text() == "Discriminador"
    assert panel.findChild(QLabel, "badge_g").text() == "Generador"
    panel.close()


def test_the_settings_panel_built_in_spanish_shows_spanish(qtbot, spanish):
    # The rows' labels come from the engine's gettext catalogue (the settings schema):
    # tests/widgets/test_controls_schema.py checks them; here, the panel's own tr() words.
    panel = ControlsPanel(settings_schema())
    qtbot.addWidget(panel)
    load = panel.findChild(QPushButton, "load_points")
    assert load is not None
    assert load.text() == "Cargar puntos desde CSV…"
    titles = {button.text() for button in panel.findChildren(QToolButton)}
    assert {"Discriminador (D)", "Generador (G)", "Entrenamiento"} <= titles, titles
    assert not titles & {"Discriminator (D)", "Generator (G)", "Training"}
    panel.close()


def test_the_slow_motion_stage_names_are_translated(qtbot, spanish):
    panel = SlowMotionPanel()
    qtbot.addWidget(panel)
    stage = panel.findChild(QLabel, "stage_0")
    assert stage is not None
    assert stage.text().endswith("Muestrear el ruido z")
    panel.close()


def test_the_runs_panel_names_curves_in_spanish(spanish):
    """Titles looked up at run time (a curve's key) are in the catalogue too."""
    from ganlab.widgets.runs_view import curve_title

    assert curve_title("metric:jsd") == "métrica: divergencia de Jensen-Shannon"
    assert curve_title("metric:tv") == "métrica: distancia de variación total"
    assert curve_title("d_loss") == "Pérdida de D"
