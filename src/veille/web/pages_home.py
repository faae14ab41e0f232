"""The home page: today's figures for the business."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from veille.store import queries, repository
from veille.timeutil import utcnow
from veille.web.charts_inline import daily_bars, share_bars
from veille.web.deps import DbSession, User, get_settings, render

router = APIRouter()


@router.get("/")
def home(request: Request, session: DbSession, user: User) -> Response:
    settings = get_settings(request)
    figures = queries.home_figures(session, zone=settings.zone, now=utcnow())
    profile = repository.load_profile(session)
    return render(
        request,
        "home.html",
        user,
        figures=figures,
        profile=profile,
        volume_svg=daily_bars(figures.daily),
        share=share_bars(figures.share_of_voice),
    )
