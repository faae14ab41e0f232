"""The list of matched posts (filters, full-text search) and a post's page with its thread."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from veille.inbox import actions as inbox_actions
from veille.permissions import Permission, can
from veille.sources import registry
from veille.store import queries
from veille.store.search import SearchQueryError
from veille.timeutil import DayError, parse_day
from veille.translations import said
from veille.web.deps import DbSession, RowId, User, get_settings, language_of, render, requires
from veille.web.forms import FormRoute

router = APIRouter(route_class=FormRoute)
PAGE_SIZE = 50
SENTIMENTS = ("negative", "neutral", "positive")
INTENTS = ("question", "complaint", "praise", "lead", "job", "crisis")


def _day(value: str | None) -> date | None:
    """A filter's day; one that is not a day, or out of range, filters nothing (as before)."""
    if not value:
        return None
    try:
        return parse_day(value, field="day")
    except DayError:
        return None


@router.get("/posts")
def list_posts(
    request: Request,
    session: DbSession,
    user: User,
    q: str = "",
    watch: str = "",
    sentiment: str = "",
    network: str = "",
    intent: str = "",
    since: str = "",
    until: str = "",
    all: bool = False,
    page: str = "1",
) -> Response:
    zone = get_settings(request).zone
    since_day, until_day = _day(since), _day(until)
    watch_id = int(watch) if watch.isdigit() and len(watch) <= 18 else None
    flt = queries.PostFilter(
        watch_id=watch_id,
        sentiment=sentiment if sentiment in SENTIMENTS else None,
        network=network if network in registry.post_networks() else None,
        since=datetime.combine(since_day, time(0), zone) if since_day else None,
        until=datetime.combine(until_day + timedelta(days=1), time(0), zone) if until_day else None,
        query=q.strip()[:500] or None,
        intent=intent if intent in INTENTS else None,
        matched_only=not all,
    )
    page_number = max(1, min(int(page) if page.isdigit() else 1, 10_000))
    error = None
    try:
        posts, total = queries.list_posts(
            session, flt, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE
        )
    except SearchQueryError as exc:
        posts, total = [], 0
        error = said(exc, language_of(request, user))
    return render(
        request,
        "posts.html",
        user,
        posts=posts,
        total=total,
        page=page_number,
        pages=max(1, -(-min(total, queries.COUNT_CAP) // PAGE_SIZE)),
        more=total > queries.COUNT_CAP,
        cap=queries.COUNT_CAP,
        watches=queries.watches(session),
        networks=registry.post_networks(),
        sentiments=SENTIMENTS,
        intents=INTENTS,
        params={
            "q": q,
            "watch": watch_id,
            "sentiment": sentiment,
            "network": network,
            "intent": intent,
            "since": since,
            "until": until,
            "all": all,
        },
        error=error,
        zone=zone,
    )


@router.get("/posts/{post_id}")
def show_post(request: Request, session: DbSession, user: User, post_id: RowId) -> Response:
    found = queries.post_with_thread(session, post_id)
    if found is None:
        raise HTTPException(status_code=404)
    post, thread = found
    return render(
        request,
        "post.html",
        user,
        post=post,
        thread=thread,
        zone=get_settings(request).zone,
        can_answer=can(user.role, Permission.TRIAGE),
    )


@router.post("/posts/{post_id}/answer", dependencies=[Depends(requires(Permission.TRIAGE))])
def answer(session: DbSession, user: User, post_id: RowId) -> Response:
    """Answer a post from the inbox: its item (made if needed) with the suggested reply."""
    try:
        item_id = inbox_actions.open_to_answer(session, post_id=post_id, actor_id=user.id)
    except LookupError:
        raise HTTPException(status_code=404) from None
    session.commit()  # before the redirect: the item page must find the item
    return RedirectResponse(f"/inbox/{item_id}#reply", status_code=303)
