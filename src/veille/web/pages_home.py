"""The home page: the daily brief."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from veille.labels import label
from veille.permissions import Permission, can
from veille.report import charts
from veille.report.brief import Brief, build_brief
from veille.report.colours import SENTIMENT
from veille.report.figures import LABELS
from veille.timeutil import utcnow
from veille.translations import Language, translator
from veille.web.deps import DbSession, User, get_settings, language_of, render
from veille.web.forms import FormRoute
from veille.web.pages_setup import should_set_up

router = APIRouter(route_class=FormRoute)


def reputation_chart(brief: Brief, lang: Language) -> Markup:
    """Positive, neutral and negative posts per day, stacked (labels escaped by charts)."""
    days = [day for day, _, _, _ in brief.reputation]
    series: list[charts.Series] = [
        (label(f"sentiment.{name}", lang), [float(row[i]) for row in brief.reputation])
        for i, name in enumerate(LABELS, start=1)
    ]
    svg = charts.stacked_bars(
        days,
        series,
        title=translator(lang).gettext("Sentiment by day"),
        colours=[SENTIMENT[name] for name in LABELS],
    )
    return Markup(svg)  # noqa: S704 (charts escapes every label)


@router.get("/")
def home(request: Request, session: DbSession, user: User, welcome: str = "") -> Response:
    if can(user.role, Permission.EDIT_SETTINGS) and should_set_up(session):
        return RedirectResponse("/setup", status_code=303)
    brief = build_brief(session, zone=get_settings(request).zone, now=utcnow())
    lang = language_of(request, user)
    return render(
        request,
        "home.html",
        user,
        brief=brief,
        reputation_svg=reputation_chart(brief, lang),
        welcome=bool(welcome),
    )
