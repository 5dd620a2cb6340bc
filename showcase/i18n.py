"""Translations: the en and ko catalogs, the language of the current request, and negotiation."""

import gettext as gettext_module
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT = "en"
COOKIE = "lang"

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT)


@cache
def translations(language: str) -> gettext_module.NullTranslations:
    """The catalog of one language, compiled in memory from its .po file."""
    po_file = LOCALES / language / "LC_MESSAGES" / "messages.po"
    if language not in LANGUAGES or not po_file.is_file():
        return gettext_module.NullTranslations()
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def gettext(message: str) -> str:
    return translations(current_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language.get()).ngettext(singular, plural, n)


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """The language to answer in: the visitor's choice, else their browser's, else English."""
    if cookie in LANGUAGES:
        return cookie
    preferences = []
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            preferences.append((quality, tag.lower()))
    for quality, tag in sorted(preferences, key=lambda p: -p[0]):
        primary = tag.split("-")[0]
        if quality > 0 and primary in LANGUAGES:
            return primary
    return DEFAULT
