"""The engine's words reach a person through gettext: diagnoses, errors, registry titles.

A fake catalogue that marks every message it translates (⟦...⟧) stands in for Spanish, so
these tests check that ``_()`` is applied where the text is made or shown, whatever the
shipped catalogue holds. The window picks the engine's language where it installs its
Qt translators.
"""

from __future__ import annotations

import gettext

import pytest
from PySide6.QtCore import QLocale, QTranslator

from ganlab.app import main as app_main
from ganlab.kernel import config as cfg
from ganlab.kernel import i18n, presets
from ganlab.kernel.errors import ConfigError
from ganlab.metrics.diagnostics import Diagnostics


class MarkingTranslations(gettext.NullTranslations):
    """A catalogue that 'translates' every message by wrapping it in ⟦ ⟧."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"⟦{msgid1 if n == 1 else msgid2}⟧"


@pytest.fixture
def marked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_translation", MarkingTranslations())


def test_a_diagnosis_title_and_its_explanation_are_translated(marked):
    (diagnosis,) = Diagnostics().update_modes(step=5000, modes_captured=1, total_modes=8)
    assert diagnosis.kind == "mode_collapse"
    assert diagnosis.title == "⟦Mode collapse⟧"
    text = diagnosis.message
    assert text.startswith("⟦⟦After 5000 steps G still covers only 1 of the 8 modes.⟧ It puts")
    assert "⟦Try ⟦" in text  # the advice, and the options inside it
    assert "⟦spectral normalisation of D⟧" in text


def test_a_config_error_is_translated_with_its_key(marked):
    with pytest.raises(ConfigError) as caught:
        cfg.loads('[loop]\nbatch_size = "many"\n', "exp.toml")
    text = str(caught.value)
    assert text.startswith("exp.toml, ⟦key 'loop.batch_size'⟧: ⟦must be ⟦an integer⟧, got str")
    assert "'many'" in text  # the value stays as written


def test_an_unknown_registry_name_is_translated(marked):
    with pytest.raises(ConfigError, match=r"⟦unknown ⟦loss⟧ 'nope'; known: .*hinge"):
        cfg.check_names(cfg.with_value(cfg.ExperimentConfig(), "loss.name", "nope"))


def test_the_window_shows_registry_titles_translated(marked):
    from ganlab.app.main_window import _plain

    assert _plain("data.source", "ring8") == "⟦Ring of 8 gaussians⟧"
    assert _plain("model.family", "mlp") == "⟦MLP GAN⟧"
    assert _plain("loss.name", "minimax") == "⟦Minimax (saturating)⟧"
    assert _plain("loss.name", "no_such_loss") == "no_such_loss"  # unknown: as it is


def test_preset_names_and_descriptions_are_shown_translated(marked):
    assert presets.title("ring8") == "⟦Ring of 8⟧"
    assert presets.description("ring8").startswith("⟦The built-in default")
    assert presets.load_preset("ring8").name == "Ring of 8"  # the config keeps English


def test_the_window_sets_the_engines_language_with_its_own(qapp):
    before = set(qapp.findChildren(QTranslator))
    default = QLocale()
    try:
        app_main._install_translators(qapp, "es")
        assert i18n.language() == "es"
        app_main._install_translators(qapp, "en")
        assert i18n.language() == "en"
        QLocale.setDefault(QLocale("es_MX"))
        app_main._install_translators(qapp)  # no --lang: the system's locale
        assert i18n.language() == "es"
    finally:
        QLocale.setDefault(default)
        for translator in set(qapp.findChildren(QTranslator)) - before:
            qapp.removeTranslator(translator)
            translator.deleteLater()


def test_the_image_views_show_class_names_translated_but_store_them_as_they_are(marked):
    from ganlab.app.main_window import _shown_names
    from ganlab.data.shapes import SHAPE_CLASSES

    assert SHAPE_CLASSES[0] == "circle"  # checkpoints and caches compare these words
    assert _shown_names(SHAPE_CLASSES[:2]) == ("⟦circle⟧", "⟦square⟧")
