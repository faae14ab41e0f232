"""The publishing calendar: a week or a month of jobs and drafts waiting for approval."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from veille.publish.queries import calendar_entries
from veille.publish.schedule import local_to_utc
from veille.timeutil import DayError, parse_day
from veille.translations import said
from veille.web.deps import DbSession, User, get_settings, language_of, render
from veille.web.forms import FormRoute

router = APIRouter(route_class=FormRoute)


@router.get("/calendar")
def calendar(
    request: Request,
    session: DbSession,
    user: User,
    view: str = "week",
    day: str = "",
) -> Response:
    settings = get_settings(request)
    zone = settings.zone
    try:
        anchor = parse_day(day, field="day") if day else datetime.now(zone).date()
    except DayError as error:
        raise HTTPException(
            status_code=400, detail=said(error, language_of(request, user))
        ) from None
    if view == "month":
        first = anchor.replace(day=1)
        start = first - timedelta(days=first.weekday())
        days = [start + timedelta(days=n) for n in range(42)]
        previous, following = (first - timedelta(days=1)).replace(day=1), first + timedelta(32)
        following = following.replace(day=1)
    else:
        view = "week"
        start = anchor - timedelta(days=anchor.weekday())
        days = [start + timedelta(days=n) for n in range(7)]
        previous, following = start - timedelta(days=7), start + timedelta(days=7)
    begin = local_to_utc(days[0], datetime.min.time(), settings.time_zone)
    end = local_to_utc(days[-1] + timedelta(days=1), datetime.min.time(), settings.time_zone)
    return render(
        request,
        "calendar.html",
        user,
        view=view,
        days=days,
        by_day=calendar_entries(session, days, begin=begin, end=end, zone=zone),
        month=anchor.month,
        anchor=anchor,
        previous=previous,
        following=following,
        today=datetime.now(zone).date(),
    )
