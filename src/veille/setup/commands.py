"""`veille init` (describe the business, save it and its proposed watches) and
`veille profile show` (the profile as JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console

from veille.business import BusinessProfile
from veille.config import get_settings
from veille.labels import label
from veille.runtime import open_database
from veille.setup.actions import do_save_profile, do_save_watches
from veille.setup.profile import ProfileError, ProfileInput, build_profile
from veille.setup.proposals import ProposedWatch, propose_watches
from veille.store.repository import load_profile
from veille.terminal import _
from veille.terminal import language as instance_language
from veille.translations import LANGUAGES, Language, said, translator

profile_app = typer.Typer(help=_("The business profile."), no_args_is_help=True)
err = Console(stderr=True)
out = Console()


def register(app: typer.Typer) -> None:
    """Add `veille init` and the `veille profile` group to the given app."""
    app.command(
        "init",
        help=_("Describe the business; save its profile and the watches proposed from it."),
    )(init)
    app.add_typer(profile_app, name="profile")


def _ask(lang: Language, key: str, default: str | None = None) -> str:
    value: str = typer.prompt(label(key, lang), default=default)
    return value.strip()


def _ask_list(lang: Language, key: str) -> list[str]:
    value = _ask(lang, key, default="")
    return [v.strip() for v in value.split(";") if v.strip()]


def init(
    name: Annotated[str, typer.Option(help=_("Name of the business."))] = "",
    trade: Annotated[str, typer.Option(help=_("Trade (e.g. florist, plumber)."))] = "",
    city: Annotated[str, typer.Option(help=_("Town (e.g. Bordeaux, « Mérignac (33) »)."))] = "",
    radius_km: Annotated[int, typer.Option(help=_("Radius served around the town, in km."))] = 10,
    handle: Annotated[
        list[str] | None,
        typer.Option(help=_("Account of the business, NETWORK:ACCOUNT (repeatable).")),
    ] = None,
    owner: Annotated[str, typer.Option(help=_("Name of the boss."))] = "",
    owner_handle: Annotated[
        list[str] | None,
        typer.Option(help=_("Account of the boss, NETWORK:ACCOUNT (repeatable).")),
    ] = None,
    competitor: Annotated[
        list[str] | None,
        typer.Option(help=_('Competitor, "NAME[=NETWORK:ACCOUNT,...]" (repeatable).')),
    ] = None,
    website: Annotated[str, typer.Option(help=_("Website."))] = "",
    area: Annotated[
        list[str] | None,
        typer.Option(help=_("Another town served, outside the radius (repeatable).")),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(help=_("Language of the questions: fr or en (default: the instance's).")),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help=_("No questions: save what is given."))
    ] = False,
) -> None:
    """Describe the business; save its profile and the watches proposed from it."""
    lang = lang or instance_language()
    if lang not in LANGUAGES:
        err.print(_("--lang: %(lang)r is not supported; use fr or en", lang=lang), markup=False)
        raise typer.Exit(2)
    language: Language = "en" if lang == "en" else "fr"
    answers = ProfileInput(
        name=name,
        trade=trade,
        city=city,
        radius_km=radius_km,
        handles=list(handle or []),
        owner=owner,
        owner_handles=list(owner_handle or []),
        competitors=list(competitor or []),
        website=website,
        extra_area=list(area or []),
    )
    if yes:
        missing = [f"--{o}" for o, v in (("name", name), ("trade", trade), ("city", city)) if not v]
        if missing:
            err.print(
                _("to give with --yes: %(options)s", options=", ".join(missing)), markup=False
            )
            raise typer.Exit(2)
    else:
        _interview(answers, language)
    settings = get_settings()
    while True:
        try:
            profile = build_profile(answers)
            break
        except ProfileError as exc:
            err.print(said(exc, language), markup=False)
            if yes or exc.field not in _REASK:
                raise typer.Exit(2) from None
            _REASK[exc.field](answers, language)  # asked: ask that answer again
    watches = propose_watches(profile, max_length=settings.rule_max_length)
    if not yes:
        _print_watches(watches, language)
        if not typer.confirm(
            translator(language).gettext("Save this profile and these watches?"), default=True
        ):
            raise typer.Exit(1)
    db = open_database(settings)
    with db.session() as session:
        do_save_profile(session, profile)
        do_save_watches(session, watches, max_length=settings.rule_max_length)
    out.print_json(profile.model_dump_json())
    _print_watches(watches, language)


def _ask_radius(lang: Language, default: int) -> int:
    while True:
        typed = _ask(lang, "init.radius", default=str(default))
        if typed.isdigit():
            return int(typed)
        err.print(
            translator(lang).gettext("A whole number of kilometres, for example 10."), markup=False
        )


def _interview(answers: ProfileInput, lang: Language) -> None:
    """Ask for what the options did not give, in ``lang``."""
    answers.name = answers.name or _ask(lang, "init.name")
    answers.trade = answers.trade or _ask(lang, "init.trade")
    answers.city = answers.city or _ask(lang, "init.city")
    answers.radius_km = _ask_radius(lang, answers.radius_km)
    answers.handles = answers.handles or _ask_list(lang, "init.handles")
    answers.owner = answers.owner or _ask(lang, "init.owner", default="")
    if answers.owner and not answers.owner_handles:
        answers.owner_handles = _ask_list(lang, "init.owner_handles")
    answers.competitors = answers.competitors or _ask_list(lang, "init.competitors")
    answers.website = answers.website or _ask(lang, "init.website", default="")


def _set(field: str, key: str) -> Callable[[ProfileInput, Language], None]:
    def ask_again(answers: ProfileInput, lang: Language) -> None:
        setattr(answers, field, _ask(lang, key))

    return ask_again


def _set_list(field: str, key: str) -> Callable[[ProfileInput, Language], None]:
    def ask_again(answers: ProfileInput, lang: Language) -> None:
        setattr(answers, field, _ask_list(lang, key))

    return ask_again


def _set_radius(answers: ProfileInput, lang: Language) -> None:
    answers.radius_km = _ask_radius(lang, 10)


# A refused answer, by the field ProfileError names, and how to ask for it again.
_REASK: dict[str, Callable[[ProfileInput, Language], None]] = {
    "nom": _set("name", "init.name"),
    "métier": _set("trade", "init.trade"),
    "commune": _set("city", "init.city"),
    "rayon": _set_radius,
    "compte": _set_list("handles", "init.handles"),
    "compte du gérant": _set_list("owner_handles", "init.owner_handles"),
    "concurrent": _set_list("competitors", "init.competitors"),
    "site web": _set("website", "init.website"),
}


def _print_watches(watches: list[ProposedWatch], lang: Language) -> None:
    out.print(translator(lang).gettext("Proposed watches:"), markup=False)
    for watch in watches:
        kind = label(f"kind.{watch.kind}", lang)
        out.print(f"- {watch.name} ({kind})", markup=False, highlight=False)
        for rule in watch.rules:
            out.print(f"    {rule}", markup=False, highlight=False, soft_wrap=True)


@profile_app.command("show", help=_("Print the business profile as JSON."))
def show() -> None:
    """Print the business profile as JSON."""
    db = open_database(get_settings())
    with db.session() as session:
        profile: BusinessProfile | None = load_profile(session)
    if profile is None:
        err.print(
            _("no profile yet: run « veille init » or the set-up in the web app"), markup=False
        )
        raise typer.Exit(1)
    out.print_json(json.dumps(profile.model_dump(mode="json"), ensure_ascii=False))
