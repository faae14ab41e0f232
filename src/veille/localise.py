"""What a template needs to speak the user's language: the gettext callables of Jinja2's i18n
extension, keyed labels, and Babel's dates, numbers and percentages as filters."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any, Literal

from babel.dates import format_date, format_datetime, format_time, get_day_names
from babel.numbers import format_decimal, format_percent
from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from veille.labels import history_label, label
from veille.sources import registry
from veille.translations import LANGUAGES, Language, Words, said, translator


def install(env: Environment) -> None:
    """Jinja2's i18n extension (`_()`, `{% trans %}`, plurals) and the Babel filters. The
    gettext functions come with each render (`template_context`), the language being the
    reader's, not the process's."""
    env.add_extension("jinja2.ext.i18n")
    env.filters["date"] = _date
    env.filters["datetime"] = _datetime
    env.filters["time"] = _time
    env.filters["weekday"] = _weekday
    env.filters["number"] = _number
    env.filters["percent"] = _percent


def template_context(lang: Language) -> dict[str, Any]:
    """The names a render needs in `lang`."""
    words = translator(lang)
    return {
        "lang": lang,
        "gettext": words.gettext,
        "ngettext": words.ngettext,
        "pgettext": words.pgettext,
        "npgettext": words.npgettext,
        "label": lambda key: label(key, lang),
        "network_name": lambda network: network_name(network, lang),
        "happened": lambda action: history_label(action, lang),
        "said": lambda words: said(Words.restored(words), lang),
    }


def network_name(network: str, lang: Language) -> str:
    """A network as people call it (X, Bluesky, Presse (RSS/Atom)), declared by its folder."""
    return translator(lang).gettext(registry.display_name(network))


def language(context: Context) -> Language:
    chosen = context.get("lang")
    return chosen if chosen in LANGUAGES else "fr"


def local(value: datetime, zone: tzinfo | None) -> datetime:
    return value.astimezone(zone) if zone is not None else value


@pass_context
def _date(context: Context, value: date, form: str = "medium") -> str:
    """A day in words: "short" 27/11/2026, "medium" 27 nov. 2026, "long", "full", or a CLDR
    pattern ("EEEE d MMMM")."""
    if isinstance(value, datetime):
        value = local(value, context.get("zone"))
    return format_date(value, form, locale=language(context))


@pass_context
def _datetime(context: Context, value: datetime, form: str = "short") -> str:
    """A moment in the page's time zone (the `zone` a page passes), e.g. 27/11 14:05 as
    "dd/MM HH:mm"."""
    return format_datetime(local(value, context.get("zone")), form, locale=language(context))


@pass_context
def _time(context: Context, value: datetime, form: str = "HH:mm") -> str:
    return format_time(local(value, context.get("zone")), form, locale=language(context))


@pass_context
def _weekday(
    context: Context, day: int, form: Literal["abbreviated", "wide"] = "abbreviated"
) -> str:
    """A weekday (0 = Monday) by name: lun. / Mon."""
    return weekday_name(day, language(context), form)


def weekday_name(day: int, lang: Language, form: Literal["abbreviated", "wide"] = "wide") -> str:
    """A weekday (0 = Monday) by name, from Babel's locale data: lundi / Monday."""
    return str(get_day_names(form, locale=lang)[day])


def weekday_names(lang: Language) -> list[str]:
    """The seven weekdays, Monday first, by their full names."""
    return [weekday_name(day, lang) for day in range(7)]


@pass_context
def _number(context: Context, value: float, form: str | None = None) -> str:
    return format_decimal(value, form, locale=language(context))


@pass_context
def _percent(context: Context, value: float, form: str | None = None) -> str:
    """A share (0.58) as a percentage in the page's language (58 %)."""
    return format_percent(value, form, locale=language(context))
