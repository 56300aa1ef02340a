"""The engine's and the CLI's gettext catalogue: complete, compiled, in step with the code."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from ganlab.kernel import i18n

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
# Where update.sh extracts from: keep the two lists the same.
SOURCES = [
    "ganlab/kernel",
    "ganlab/engine",
    "ganlab/data",
    "ganlab/models",
    "ganlab/metrics",
    "ganlab/cli.py",
    "ganlab/app/export.py",  # the window's and the CLI's exports: gettext, not tr()
]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _code_messages() -> set[str]:
    found: set[str] = set()
    for source in SOURCES:
        path = ROOT / source
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            for _line, message, _comments, _context in extract_from_file(
                "python", str(file), keywords=KEYWORDS, comment_tags=()
            ):
                found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalog(language: str):
    with open(TRANSLATIONS / f"ganlab_{language}.po", "rb") as fp:
        return read_po(fp, locale=language)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_string_of_the_code_is_in_the_catalogue(language: str) -> None:
    catalog = _catalog(language)
    in_catalog = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}
    missing = sorted(_code_messages() - in_catalog)
    assert not missing, (
        f"{len(missing)} strings are not in ganlab_{language}.po; run "
        f"resources/translations/update.sh and translate them: {missing[:10]}"
    )


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_no_catalogue_entry_is_left_untranslated(language: str) -> None:
    untranslated = []
    for message in _catalog(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(s.strip() for s in strings):
            untranslated.append(message.id)
    assert not untranslated, f"untranslated in ganlab_{language}.po: {untranslated[:10]}"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_translations_keep_every_placeholder(language: str) -> None:
    wrong = []
    for message in _catalog(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for s in strings:
            if s and set(PLACEHOLDER.findall(s)) != wanted:
                wrong.append((ids[0], s))
    assert not wrong, f"placeholders differ in ganlab_{language}.po: {wrong[:5]}"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language: str) -> None:
    with open(TRANSLATIONS / f"ganlab_{language}.mo", "rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    stale = []
    for message in _catalog(language):
        if not message.id or isinstance(message.id, tuple):
            continue
        if compiled.gettext(message.id) != message.string:
            stale.append(message.id)
    assert not stale, f"ganlab_{language}.mo is stale; run update.sh: {stale[:5]}"


def test_language_comes_from_the_code_or_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        assert i18n.set_language("es_ES.UTF-8") == "es"
        assert i18n.language() == "es"
        assert i18n.set_language("xx") == "en"  # no catalogue: English
        assert i18n._("Untranslatable words") == "Untranslatable words"
        for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
            monkeypatch.delenv(var, raising=False)
        monkeypatch.setenv("LANG", "es_MX.UTF-8")
        assert i18n.set_language(None) == "es"
        monkeypatch.setenv("LANGUAGE", "en")
        assert i18n.set_language(None) == "en"
        monkeypatch.setenv("LANGUAGE", "C")
        assert i18n.set_language(None) == "en"
    finally:
        i18n.set_language("en")


def test_the_shipped_spanish_catalogue_is_used() -> None:
    try:
        i18n.set_language("es")
        assert i18n._("Learning rate") == "Tasa de aprendizaje"
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_preset_name_and_description_is_in_the_catalogue(language: str) -> None:
    """Presets are TOML, which Babel does not read: their words are checked here
    (``ganlab.kernel.presets.preset_msgids`` lists them for update.sh)."""
    from ganlab.kernel.presets import preset_msgids

    in_catalog = {m.id for m in _catalog(language) if m.id and m.string}
    missing = [text for text in preset_msgids() if text not in in_catalog]
    assert not missing, f"preset words not translated in ganlab_{language}.po: {missing[:5]}"
