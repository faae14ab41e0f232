"""Alerts in the web app: the list, and one alert with its cause and links to its posts."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import select

from veille.store import queries, tables
from veille.web.deps import DbSession, RowId, User, get_settings, render
from veille.web.forms import FormRoute

router = APIRouter(route_class=FormRoute)


@router.get("/alerts")
def list_alerts(request: Request, session: DbSession, user: User) -> Response:
    rows = session.scalars(
        select(tables.Alert).order_by(
            (tables.Alert.status == "open").desc(), tables.Alert.updated_at.desc()
        )
    ).all()
    return render(request, "alerts.html", user, alerts=rows, zone=get_settings(request).zone)


@router.get("/alerts/{alert_id}")
def show_alert(request: Request, alert_id: RowId, session: DbSession, user: User) -> Response:
    row = session.get(tables.Alert, alert_id)
    if row is None:
        raise HTTPException(status_code=404)
    zone = get_settings(request).zone
    data = row.data
    start, end = datetime.fromisoformat(data["start"]), datetime.fromisoformat(data["end"])
    posts = queries.posts_by_ids(session, [int(i) for i in data.get("post_ids", [])])
    # The list page filters by whole days in the business's zone.
    days = f"since={start.astimezone(zone):%Y-%m-%d}&until={end.astimezone(zone):%Y-%m-%d}"
    filters = days + (f"&watch={row.watch_id}" if row.watch_id else "&sentiment=negative")
    return render(
        request,
        "alerts_detail.html",
        user,
        alert=row,
        start=start,
        end=end,
        posts=posts,
        posts_link=f"/posts?{filters}",
        zone=zone,
    )
