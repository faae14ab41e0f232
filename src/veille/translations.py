"""The interface's words in the user's language: gettext catalogs read with Babel.

The catalogs are src/veille/locale/<lang>/LC_MESSAGES/veille.po, English msgids (the gettext
convention) and French first. They are compiled in memory on first use, so the .po files are
the only copy: nothing to build, nothing to keep in step. `pybabel extract -F babel.cfg`
lists what the code and the templates mark (tests/test_translations.py checks the French
catalog covers it)."""

from __future__ import annotations

from functools import cache
from gettext import GNUTranslations
from io import BytesIO
from pathlib import Path
from typing import Literal

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")
DOMAIN = "veille"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def catalog_path(lang: Language) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translator(lang: Language) -> GNUTranslations:
    """The translations of `lang`, compiled from its .po once per process."""
    with catalog_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return GNUTranslations(compiled)


def N_(message: str) -> str:  # noqa: N802 - the gettext name for "mark, translate later"
    """Marks a msgid for extraction where it is defined; translated where it is shown."""
    return message


def NP_(context: str, message: str) -> str:  # noqa: N802 - see N_
    """N_ with a msgctxt (gettext's own context separator, split again by labels.label)."""
    return f"{context}\x04{message}"


def _filled(message: str, fields: dict[str, object], lang: Language | None) -> str:
    """`message` (translated unless lang is None) with its fields; a field that is itself a
    Phrase or a Refusal is said in the same language."""
    text = translator(lang).gettext(message) if lang else message
    if not fields:
        return text
    return text % {key: _said_in(value, lang) for key, value in fields.items()}


def _said_in(value: object, lang: Language | None) -> object:
    if isinstance(value, Phrase | Refusal):
        return value.in_language(lang) if lang else str(value)
    return value


class Phrase:
    """Words said later, in the reader's language: an English msgid and its named fields
    ("line %(number)s" naming where a refusal was found)."""

    def __init__(self, message: str, **fields: object) -> None:
        self.message = message
        self.fields = fields

    def __str__(self) -> str:
        return _filled(self.message, self.fields, None)

    def in_language(self, lang: Language) -> str:
        return _filled(self.message, self.fields, lang)


class Refusal(ValueError):
    """An error a person reads: an English msgid (marked with N_ where it is raised) and its
    named fields, which may be Phrases or other Refusals (a refusal naming where another was
    found). str() is the English text, for logs; `in_language` is what a page shows."""

    def __init__(self, message: str, **fields: object) -> None:
        self.message = message
        self.fields = fields
        super().__init__(_filled(message, fields, None))

    def in_language(self, lang: Language) -> str:
        return _filled(self.message, self.fields, lang)


def said(error: Exception, lang: Language) -> str:
    """An error's message in `lang` (a Refusal), or as it was raised."""
    return error.in_language(lang) if isinstance(error, Refusal) else str(error)
