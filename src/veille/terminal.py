"""What the command line says, in the instance's language (VEILLE_LANGUAGE), from the same
gettext catalogs as the web interface and the e-mails.

Help texts are read when the command is built, messages when they are printed; both follow
the settings of the process. Settings that do not load (a typo in .env) must not silence the
command that would say so: the words then fall back to French, the default."""

from __future__ import annotations

from pydantic import ValidationError

from veille.config import get_settings
from veille.translations import N_, Language, Words, translator


def language() -> Language:
    try:
        return get_settings().language
    except ValidationError:
        return "fr"


def _(message: str, **fields: object) -> str:
    """`message` (an English msgid) in the instance's language, its %(fields)s filled in."""
    text = translator(language()).gettext(message)
    return text % fields if fields else text


def ngettext(singular: str, plural: str, count: int, **fields: object) -> str:
    text = translator(language()).ngettext(singular, plural, count)
    return text % {"count": count, **fields}


def said(what: object) -> str:
    """An error or words in the instance's language (anything that can say itself in a
    language: a Refusal, Words, a BrokerError), else as it is."""
    in_language = getattr(what, "in_language", None)
    return str(in_language(language())) if callable(in_language) else str(what)


def file_problem(error: OSError) -> Words | str:
    """Why a file could not be read, in the reader's words for the usual causes."""
    if isinstance(error, FileNotFoundError):
        return Words(N_("no such file"))
    if isinstance(error, IsADirectoryError):
        return Words(N_("this is a folder, not a file"))
    if isinstance(error, PermissionError):
        return Words(N_("permission denied"))
    return error.strerror or type(error).__name__
