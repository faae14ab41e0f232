"""The team inbox: triage list by conversation, one item with notes and replies, the settings
(saved replies, routing, approvals) and the figures page."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from veille.crypto import SecretBox
from veille.inbox import actions, assistant, figures, queries, queue, replies, routing, sending
from veille.inbox.clock import business_seconds, describe
from veille.labels import words
from veille.permissions import Permission, can
from veille.publish.publisher import ConnectorPublisher, Publisher
from veille.report import figures as report_figures
from veille.store.tables_inbox import InboxReply
from veille.timeutil import utcnow
from veille.translations import N_, said
from veille.web.auth import CurrentUser
from veille.web.deps import (
    DbSession,
    RowId,
    User,
    get_db,
    get_settings,
    language_of,
    render,
    requires,
)
from veille.web.forms import FormRoute

router = APIRouter(route_class=FormRoute)
TRIAGE = [Depends(requires(Permission.TRIAGE))]
SETTINGS = [Depends(requires(Permission.EDIT_INBOX_SETTINGS))]
VIEWS = {
    "open": actions.OPEN_STATUSES,
    "mine": actions.OPEN_STATUSES,
    "snoozed": actions.OPEN_STATUSES,
    "closed": ("done", "ignored"),
}
SNOOZE_HOURS = (1, 4, 24, 72)
PAGE_SIZE = 25  # conversations per page: one screen's worth, never one endless page


def _back(target: str, *, session: Session, fallback: str = "/inbox") -> RedirectResponse:
    """Redirect after a change. The change is committed first: the session dependency would
    commit only after the response is sent, and the browser's next page could read too early."""
    session.commit()
    safe = target if target.startswith("/inbox") and not target.startswith("//") else fallback
    return RedirectResponse(safe, status_code=303)


def _zone(request: Request) -> str:
    return get_settings(request).time_zone


@router.get("/inbox")
def inbox(
    request: Request, session: DbSession, user: User, view: str = "open", page: str = "1"
) -> Response:
    view = view if view in VIEWS else "open"
    lang = language_of(request, user)
    views = queue.load_views(
        session,
        zone=_zone(request),
        lang=lang,
        statuses=VIEWS[view],
        include_snoozed=view == "snoozed",
        assignee_id=user.id if view == "mine" else None,
    )
    if view == "snoozed":
        now = utcnow()
        views = [v for v in views if v.item.snoozed_until and v.item.snoozed_until > now]
    conversations = queue.group(views)
    pages = max(1, -(-len(conversations) // PAGE_SIZE))
    number = min(int(page), pages) if page.isdigit() and int(page) > 0 else 1
    shown = conversations[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    return render(
        request,
        "inbox.html",
        user,
        view=view,
        views_names=list(VIEWS),
        conversations=shown,
        page=number,
        pages=pages,
        here=f"/inbox?view={view}&page={number}",
        count=len(views),
        can_triage=can(user.role, Permission.TRIAGE),
        zone=get_settings(request).zone,
        bulk_actions=actions.BULK_ACTIONS,
    )


def _item_context(
    request: Request, session: Any, user: CurrentUser, item_id: RowId, **extra: Any
) -> dict[str, Any]:
    lang = language_of(request, user)
    found = queue.load_views(
        session,
        zone=_zone(request),
        lang=lang,
        statuses=actions.STATUSES,
        include_snoozed=True,
        item_ids=[item_id],
    )
    if not found:
        raise HTTPException(status_code=404)
    view = found[0]
    key = queue.conversation_key(view.post)
    thread = [
        v
        for v in queue.load_views(
            session,
            zone=_zone(request),
            lang=lang,
            statuses=actions.STATUSES,
            include_snoozed=True,
        )
        if queue.conversation_key(v.post) == key and v.item.id != item_id
    ]
    team = queries.members(session)
    accounts = routing.candidate_accounts(session, network=view.post.network)
    routed = routing.choose_account(session, intent=view.primary_intent, network=view.post.network)
    hours = queue.business_hours(session, zone=_zone(request))
    end = view.item.first_response_at or utcnow()
    context: dict[str, Any] = {
        "v": view,
        "thread": thread,
        "notes": queries.notes_of(session, item_id),
        "events": queries.events_of(session, item_id),
        "names": {u.id: u.username for u in team},
        "users": team,
        "accounts": accounts,
        "routed_id": routed.id if routed else None,
        "approval": {a.id: routing.needs_approval(session, a.id) for a in accounts},
        "saved": [
            (s.name, replies.fill(s.body, replies.variables_for(session, view.author)))
            for s in replies.saved(session)
        ],
        "suggestion": replies.suggest(
            session,
            intent=view.primary_intent,
            author=view.author,
            lang=lang,
            text=view.post.text,
            box=_box(request),
            allow_private=get_settings(request).allow_private_urls,
        ),
        "replies": queries.replies_of(session, item_id),
        "waited": describe(business_seconds(view.post.created_at, end, hours), lang),
        "answered": view.item.first_response_at is not None,
        "statuses": actions.STATUSES,
        "snooze_hours": SNOOZE_HOURS,
        "can_triage": can(user.role, Permission.TRIAGE),
        "can_approve": can(user.role, Permission.APPROVE_REPLIES),
        "zone": get_settings(request).zone,
        "blocked": None,
        "draft_text": None,
        "error": None,
    }
    context.update(extra)
    return context


@router.get("/inbox/figures")
def figures_page(request: Request, session: DbSession, user: User, days: int = 30) -> Response:
    days = max(1, min(days, 365))
    lang = language_of(request, user)
    hours = queue.business_hours(session, zone=_zone(request))
    now = utcnow()
    zone = get_settings(request).zone
    period = report_figures.Period.ending_today(days=days, zone=zone, now=now)
    work = figures.workload(session, hours=hours, since=period.since, now=now)

    def fmt(seconds: float | None) -> str:
        return "—" if seconds is None else describe(seconds, lang)

    return render(
        request,
        "inbox_figures.html",
        user,
        days=days,
        responses=report_figures.responses(session, period, hours),
        backlog=report_figures.backlog(session),
        work=work,
        fmt=fmt,
        hours=hours,
    )


@router.get("/inbox/settings")
def settings_page(request: Request, session: DbSession, user: User) -> Response:
    return _settings(request, session, user, error=None, status=200)


def _settings(
    request: Request, session: Any, user: CurrentUser, *, error: str | None, status: int
) -> Response:
    accounts = queries.accounts(session)
    return render(
        request,
        "inbox_settings.html",
        user,
        status_code=status,
        saved=replies.saved(session),
        rules=routing.rules(session),
        intents=routing.ROUTABLE_INTENTS,
        accounts=accounts,
        approval={a.id: routing.needs_approval(session, a.id) for a in accounts},
        variables=replies.VARIABLES,
        assistant=assistant.configured(session),
        can_edit=can(user.role, Permission.EDIT_INBOX_SETTINGS),
        error=error,
    )


@router.post("/inbox/settings/saved-replies", dependencies=SETTINGS)
def save_reply(
    request: Request,
    session: DbSession,
    user: User,
    name: Annotated[str, Form(max_length=128)],
    body: Annotated[str, Form(max_length=4000)],
    intent: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    try:
        replies.save(session, name=name, body=body, intent=intent or None)
    except replies.ReplyTemplateError as exc:
        return _settings(
            request, session, user, error=said(exc, language_of(request, user)), status=400
        )
    return _back("/inbox/settings", session=session)


@router.post("/inbox/settings/assistant", dependencies=SETTINGS)
def save_assistant(
    request: Request,
    session: DbSession,
    user: User,
    base_url: Annotated[str, Form(max_length=500)] = "",
    model: Annotated[str, Form(max_length=200)] = "",
    api_key: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    try:
        assistant.save(
            session,
            _box(request),
            base_url=base_url,
            model=model,
            api_key=api_key,
            role=user.role,
            allow_private=get_settings(request).allow_private_urls,
        )
    except assistant.AssistantError as exc:
        return _settings(
            request, session, user, error=said(exc, language_of(request, user)), status=400
        )
    return _back("/inbox/settings#assistant", session=session)


@router.post("/inbox/settings/routing", dependencies=SETTINGS)
async def save_routing(request: Request, session: DbSession, user: User) -> Response:
    form = await request.form()
    try:
        routes: dict[str, int | None] = {}
        for intent in routing.ROUTABLE_INTENTS:
            raw = str(form.get(f"route_{intent}", "") or "")
            if raw and not raw.isdigit():
                raise routing.RoutingError(
                    N_("account: choose an account from the list for %(intent)s"),
                    intent=words(f"intent.{intent}"),
                )
            routes[intent] = int(raw) if raw else None
        approvals = {
            int(key.removeprefix("approval_"))
            for key in form
            if key.startswith("approval_")
            and key.removeprefix("approval_").isdigit()
            and form.get(key) == "on"
        }
        routing.save_settings(session, routes=routes, approvals=approvals)
    except routing.RoutingError as exc:
        return _settings(
            request, session, user, error=said(exc, language_of(request, user)), status=400
        )
    return _back("/inbox/settings", session=session)


@router.post("/inbox/bulk", dependencies=TRIAGE)
async def bulk(request: Request, session: DbSession, user: User) -> Response:
    form = await request.form()
    ticked = [str(v) for v in form.getlist("ids")][:500]
    try:
        if not all(v.isdigit() for v in ticked):
            raise actions.ActionError(N_("items: tick the items to change in the list"))
        ids = [int(v) for v in ticked]
        actions.bulk(session, item_ids=ids, action=str(form.get("action", "")), actor_id=user.id)
    except actions.ActionError as exc:
        raise HTTPException(status_code=400, detail=said(exc, language_of(request, user))) from None
    return _back(str(form.get("next", "/inbox")), session=session)


@router.get("/inbox/{item_id}")
def item_page(request: Request, session: DbSession, user: User, item_id: RowId) -> Response:
    return render(
        request, "inbox_item.html", user, **_item_context(request, session, user, item_id)
    )


@router.post("/inbox/{item_id}/status", dependencies=TRIAGE)
def set_status(
    request: Request,
    session: DbSession,
    user: User,
    item_id: RowId,
    status: Annotated[str, Form(max_length=16)],
    next: Annotated[str, Form(max_length=512)] = "",
) -> Response:
    try:
        actions.set_status(session, item_id=item_id, status=status, actor_id=user.id)
    except LookupError:
        raise HTTPException(status_code=404) from None
    except actions.ActionError as exc:
        raise HTTPException(status_code=400, detail=said(exc, language_of(request, user))) from None
    return _back(next or f"/inbox/{item_id}", session=session)


@router.post("/inbox/{item_id}/assign", dependencies=TRIAGE)
def assign(
    request: Request,
    session: DbSession,
    user: User,
    item_id: RowId,
    assignee: Annotated[str, Form(max_length=16)] = "me",
    next: Annotated[str, Form(max_length=512)] = "",
) -> Response:
    target = user.id if assignee == "me" else (int(assignee) if assignee.isdigit() else None)
    try:
        actions.assign(session, item_id=item_id, assignee_id=target, actor_id=user.id)
    except LookupError:
        raise HTTPException(status_code=404) from None
    except actions.ActionError as exc:
        raise HTTPException(status_code=400, detail=said(exc, language_of(request, user))) from None
    return _back(next or f"/inbox/{item_id}", session=session)


@router.post("/inbox/{item_id}/snooze", dependencies=TRIAGE)
def snooze(
    session: DbSession,
    user: User,
    item_id: RowId,
    hours: Annotated[int, Form(ge=0, le=24 * 30)],
    next: Annotated[str, Form(max_length=512)] = "",
) -> Response:
    until = utcnow() + timedelta(hours=hours) if hours else None
    try:
        actions.snooze(session, item_id=item_id, until=until, actor_id=user.id)
    except LookupError:
        raise HTTPException(status_code=404) from None
    return _back(next or f"/inbox/{item_id}", session=session)


@router.post("/inbox/{item_id}/notes", dependencies=TRIAGE)
def add_note(
    request: Request,
    session: DbSession,
    user: User,
    item_id: RowId,
    text: Annotated[str, Form(max_length=actions.MAX_NOTE + 100)],
) -> Response:
    try:
        actions.add_note(session, item_id=item_id, author_id=user.id, text=text)
    except LookupError:
        raise HTTPException(status_code=404) from None
    except actions.ActionError as exc:
        context = _item_context(
            request, session, user, item_id, error=said(exc, language_of(request, user))
        )
        return render(request, "inbox_item.html", user, status_code=400, **context)
    return _back(f"/inbox/{item_id}#notes", session=session)


def _box(request: Request) -> SecretBox:
    return SecretBox(get_settings(request).resolved_secret_key())


@router.post("/inbox/{item_id}/reply", dependencies=TRIAGE)
def reply(
    request: Request,
    session: DbSession,
    user: User,
    item_id: RowId,
    account_id: Annotated[int, Form()],
    text: Annotated[str, Form(max_length=sending.MAX_REPLY + 100)],
    confirm_risk: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    lang = language_of(request, user)
    try:
        written = sending.write_reply(
            session,
            item_id=item_id,
            account_id=account_id,
            text=text,
            author_id=user.id,
            author_role=user.role,
            zone=_zone(request),
            confirm_risk=confirm_risk == "yes",
            lang=lang,
        )
    except LookupError:
        raise HTTPException(status_code=404) from None
    except sending.ReplyBlocked as blocked:
        context = _item_context(
            request, session, user, item_id, blocked=blocked.report, draft_text=text
        )
        return render(request, "inbox_item.html", user, status_code=409, **context)
    except sending.ReplyError as exc:
        context = _item_context(
            request,
            session,
            user,
            item_id,
            error=said(exc, language_of(request, user)),
            draft_text=text,
        )
        return render(request, "inbox_item.html", user, status_code=400, **context)
    if written.status == "approved":
        reply_id = written.id
        session.commit()
        _send(request, user, reply_id)
        return RedirectResponse(f"/inbox/{item_id}#replies", status_code=303)
    return _back(f"/inbox/{item_id}#replies", session=session)


def _publisher(request: Request) -> Publisher:
    """The connectors, unless the app was given another publisher (tests point one at local
    servers through ``app.state.inbox_publisher``)."""
    given: Publisher | None = getattr(request.app.state, "inbox_publisher", None)
    return given or ConnectorPublisher(get_db(request), _box(request))


def _send(request: Request, user: CurrentUser, reply_id: RowId) -> None:
    """Send after the caller committed the reply (the send uses transactions of its own)."""
    db, publisher = get_db(request), _publisher(request)
    sending.send_now(db, reply_id=reply_id, publisher=publisher, actor_id=user.id)


def _reply_target(session: Session, reply_id: RowId) -> str:
    """Where to go back after deciding on a reply: its item's replies."""
    found = session.get(InboxReply, reply_id)
    if found is None:
        raise HTTPException(status_code=404)
    return f"/inbox/{found.item_id}#replies"


@router.post(
    "/inbox/replies/{reply_id}/approve",
    dependencies=[Depends(requires(Permission.APPROVE_REPLIES))],
)
def approve_reply(request: Request, session: DbSession, user: User, reply_id: RowId) -> Response:
    """Approve a waiting reply, then send it."""
    target = _reply_target(session, reply_id)
    try:
        sending.approve(session, reply_id=reply_id, approver_id=user.id, approver_role=user.role)
    except sending.ReplyError as exc:
        raise HTTPException(status_code=400, detail=said(exc, language_of(request, user))) from None
    session.commit()
    _send(request, user, reply_id)
    return RedirectResponse(target, status_code=303)


@router.post(
    "/inbox/replies/{reply_id}/reject",
    dependencies=[Depends(requires(Permission.APPROVE_REPLIES))],
)
def reject_reply(request: Request, session: DbSession, user: User, reply_id: RowId) -> Response:
    target = _reply_target(session, reply_id)
    try:
        sending.reject(session, reply_id=reply_id, approver_id=user.id, approver_role=user.role)
    except sending.ReplyError as exc:
        raise HTTPException(status_code=400, detail=said(exc, language_of(request, user))) from None
    return _back(target, session=session)


@router.post("/inbox/replies/{reply_id}/retry", dependencies=TRIAGE)
def retry_reply(request: Request, session: DbSession, user: User, reply_id: RowId) -> Response:
    """Send again after a failure (any other reply is left as it is)."""
    target = _reply_target(session, reply_id)
    session.commit()
    db, publisher = get_db(request), _publisher(request)
    sending.retry(db, reply_id=reply_id, publisher=publisher, actor_id=user.id)
    return RedirectResponse(target, status_code=303)
