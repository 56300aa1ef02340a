"""Translations of the engine's and the CLI's words (gettext, standard library). No Qt.

Everything a person reads that comes from the engine (registry titles, diagnosis titles and
explanations, error messages, data summaries, lesson texts shown by the CLI) and the CLI's
help and messages goes through this module, so the headless engine and the Qt shell read
the same catalogue. The window's own widget strings stay in Qt's ``tr()`` catalogue
(``resources/translations/ganlab_<lang>.ts``); both are refreshed by
``resources/translations/update.sh`` (Babel extracts ``_``, ``N_`` and ``ngettext`` calls
into ``ganlab.pot`` and updates ``ganlab_<lang>.po``; the compiled ``ganlab_<lang>.mo`` is
what is loaded here).

Use::

    from ganlab.kernel.i18n import _, N_, ngettext

    raise ConfigError(_("unknown loss '{name}'").format(name=name))   # translated now
    TITLE = N_("Mode collapse")   # marked for the catalogue, translated where shown: _(TITLE)

Placeholders are ``str.format`` names (``{name}``), never ``%`` or f-strings: an f-string
would be formatted before the lookup and never match the catalogue.

The language is process-wide: :func:`set_language` (the CLI's ``--lang``, the window's
language) or, when never set, the ``LANGUAGE`` / ``LC_ALL`` / ``LC_MESSAGES`` / ``LANG``
environment variables, as gettext does. An unknown language falls back to English.
"""

from __future__ import annotations

import gettext
import os
from importlib import resources

DOMAIN = "ganlab"
# The languages a catalogue ships for, besides English (the source language).
LANGUAGES: tuple[str, ...] = ("es",)

_translation: gettext.NullTranslations | None = None
_language: str = "en"


def _normalise(code: str | None) -> str:
    """'es_ES.UTF-8' -> 'es'; '' / 'C' / 'POSIX' / None -> 'en'."""
    if not code:
        return "en"
    code = code.split(":")[0].split(".")[0].split("@")[0].replace("-", "_")
    base = code.split("_")[0].lower()
    return "en" if base in ("", "c", "posix") else base


def _from_environment() -> str:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return _normalise(value)
    return "en"


def _load(language: str) -> gettext.NullTranslations:
    if language not in LANGUAGES:
        return gettext.NullTranslations()
    mo = resources.files("ganlab.resources") / "translations" / f"{DOMAIN}_{language}.mo"
    try:
        with mo.open("rb") as fp:
            return gettext.GNUTranslations(fp)
    except (FileNotFoundError, OSError):
        return gettext.NullTranslations()


def set_language(code: str | None) -> str:
    """Use the catalogue for ``code`` ('es', 'es_ES', 'en', None = from the environment).

    Returns the two-letter language now in use ('en' when no catalogue exists for it).
    """
    global _translation, _language
    language = _normalise(code) if code else _from_environment()
    _translation = _load(language)
    _language = language if isinstance(_translation, gettext.GNUTranslations) else "en"
    return _language


def language() -> str:
    """The two-letter code of the language in use ('en' for English)."""
    if _translation is None:
        set_language(None)
    return _language


def _(message: str) -> str:
    """``message`` (English) in the language in use."""
    if _translation is None:
        set_language(None)
    assert _translation is not None
    return _translation.gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the language in use."""
    if _translation is None:
        set_language(None)
    assert _translation is not None
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    """Mark ``message`` for the catalogue without translating it now (module-level text)."""
    return message
