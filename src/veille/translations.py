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


def _filled(message: str, fields: dict[str, object], lang: Language) -> str:
    """A msgid (with its NP_ context, if any) in `lang`, its fields put in; a field that is
    itself words (Words, Refusal, a tuple of them) is said in `lang` too."""
    context, separator, msgid = message.partition("\x04")
    words = translator(lang)
    text = words.pgettext(context, msgid) if separator else words.gettext(message)
    if not fields:
        return text
    return text % {name: _field(value, lang) for name, value in fields.items()}


def _field(value: object, lang: Language) -> object:
    """A field as `lang` says it: words translated, a tuple of them listed with commas."""
    if isinstance(value, tuple):
        return ", ".join(str(_field(item, lang)) for item in value)
    return value.in_language(lang) if isinstance(value, Refusal | Words) else value


class Words:
    """Words shown inside a message and translated with it (a role, a status, a reason): an
    English msgid marked with N_ or NP_ where it is made, and its named fields. str() is the
    English text, for logs and stored history."""

    def __init__(self, message: str, **fields: object) -> None:
        self.message = message
        self.fields = fields

    def in_language(self, lang: Language) -> str:
        return _filled(self.message, self.fields, lang)

    def __str__(self) -> str:
        return self.in_language("en")

    def stored(self) -> dict[str, object]:
        """These words as JSON, for a history to say them again in its reader's language."""
        fields = {k: v.stored() if isinstance(v, Words) else v for k, v in self.fields.items()}
        return {"said": self.message, "fields": fields}

    @classmethod
    def restored(cls, value: object) -> object:
        """Words back from `stored`; any other value (an older history's text) as it is."""
        if isinstance(value, dict) and "said" in value:
            fields = {str(k): cls.restored(v) for k, v in dict(value.get("fields") or {}).items()}
            return cls(str(value["said"]), **fields)
        return value


class Refusal(ValueError):
    """An error a person reads: an English msgid (marked with N_ where it is raised) and its
    named fields. str() is the English text, for logs; `in_language` is what a page shows.
    A field may be words to translate too, another Refusal among them: a refusal that wraps
    another (`N_("feed address: %(refused)s"), refused=refused`) is said whole in one language."""

    def __init__(self, message: str, **fields: object) -> None:
        self.message = message
        self.fields = fields
        super().__init__(_filled(message, fields, "en"))

    def in_language(self, lang: Language) -> str:
        return _filled(self.message, self.fields, lang)


def said(error: object, lang: Language) -> str:
    """An error's (or words') message in `lang`: a Refusal or Words translated, anything else
    as it was raised or written."""
    return error.in_language(lang) if isinstance(error, Refusal | Words) else str(error)
