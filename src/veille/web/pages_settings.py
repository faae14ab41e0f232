"""Réglages: every set-up step again, e-mail (with a test message), the brief, webhooks (with a
test delivery), business hours, and links to approval rules and the reply assistant.

Managers and owners only. A stored secret (SMTP password, webhook secret) is never shown
again: the form says one is stored, and an empty field keeps it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from veille import notify
from veille.channels import (
    ChannelSettingsError,
    load_brief,
    load_smtp,
    load_webhooks,
    save_smtp,
    save_webhooks,
    split_addresses,
)
from veille.crypto import SecretBox
from veille.inbox.clock import HoursError
from veille.inbox.queue import business_hours
from veille.permissions import Permission, can
from veille.setup import actions
from veille.translations import N_, said, translator
from veille.web.deps import DbSession, User, get_settings, render, request_language, requires
from veille.web.forms import FormRoute

router = APIRouter(route_class=FormRoute)
SETTINGS = [Depends(requires(Permission.EDIT_SETTINGS))]
DAYS = range(7)


def _box(request: Request) -> SecretBox:
    return SecretBox(get_settings(request).resolved_secret_key())


def _page(
    request: Request, session: Session, user: Any, *, status: int = 200, **extra: Any
) -> Response:
    settings = get_settings(request)
    box = _box(request)
    context: dict[str, Any] = {"error": None, "done": None}
    try:
        context["smtp"] = load_smtp(session, box)
        context["hooks"] = load_webhooks(session, box)
        context["brief"] = load_brief(session)
        context["hours"] = business_hours(session, zone=settings.time_zone)
    except (ChannelSettingsError, HoursError) as exc:
        error = said(exc, request_language(request))
        context.update(smtp=None, hooks=[], brief=None, hours=None, error=error)
    context.update(extra)
    return render(
        request,
        "settings.html",
        user,
        status_code=status,
        days=DAYS,
        **context,
    )


@router.get("/settings")
def settings_page(request: Request, session: DbSession, user: User) -> Response:
    if not can(user.role, Permission.EDIT_SETTINGS):
        raise HTTPException(status_code=403)
    return _page(request, session, user, done=request.query_params.get("done"))


def _saved(anchor: str) -> RedirectResponse:
    return RedirectResponse(f"/settings?done={anchor}#{anchor}", status_code=303)


@router.post("/settings/email", dependencies=SETTINGS)
def save_email(
    request: Request,
    session: DbSession,
    user: User,
    host: Annotated[str, Form(max_length=255)] = "",
    port: Annotated[int, Form(ge=1, le=65535)] = 587,
    username: Annotated[str, Form(max_length=255)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    use_tls: Annotated[str, Form(max_length=8)] = "",
    sender: Annotated[str, Form(max_length=255)] = "",
    to: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        save_smtp(
            session,
            _box(request),
            host=host,
            port=port,
            username=username,
            password=password,
            use_tls=use_tls == "on",
            sender=sender,
            to=split_addresses(to),
        )
    except ChannelSettingsError as exc:
        return _page(request, session, user, status=400, error=said(exc, request_language(request)))
    return _saved("email")


@router.post("/settings/email/test", dependencies=SETTINGS)
def test_email(request: Request, session: DbSession, user: User) -> Response:
    """Send a short message to the alert recipients, and say what the server answered."""
    try:
        smtp = load_smtp(session, _box(request))
        if smtp is None or not smtp.to:
            raise ChannelSettingsError(
                N_("e-mail: give a server and at least one recipient first, then save")
            )
        words = translator(request_language(request))
        shown = words.gettext("This test message shows that Veille can write to you.")
        smtp.send(
            to=list(smtp.to),
            subject=words.gettext("Veille: test message"),
            html=f"<p>{shown}</p>",
            text=f"{shown}\n",
        )
    except notify.NotifyError as exc:  # the server's own words, for whoever set it up
        failed = ChannelSettingsError(
            N_("e-mail: the test message was not sent (technical detail: %(detail)s)"),
            detail=exc,
        )
        return _page(
            request, session, user, status=400, error=said(failed, request_language(request))
        )
    except ChannelSettingsError as exc:
        return _page(request, session, user, status=400, error=said(exc, request_language(request)))
    return _saved("email-sent")


@router.post("/settings/brief", dependencies=SETTINGS)
def save_brief(
    request: Request,
    session: DbSession,
    user: User,
    hour: Annotated[int, Form(ge=0, le=23)] = 7,
    to: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        actions.do_save_brief(session, hour=hour, to=split_addresses(to))
    except ChannelSettingsError as exc:
        return _page(request, session, user, status=400, error=said(exc, request_language(request)))
    return _saved("brief")


@router.post("/settings/webhooks", dependencies=SETTINGS)
async def save_hooks(request: Request, session: DbSession, user: User) -> Response:
    """Rows url_N / secret_N; an empty URL drops the row, an empty secret keeps the stored."""
    form = await request.form()
    rows = []
    for index in range(20):
        url = str(form.get(f"url_{index}", ""))[:2000].strip()
        if url:
            rows.append((url, str(form.get(f"secret_{index}", ""))[:500].strip()))
    try:
        save_webhooks(
            session,
            _box(request),
            rows,
            allow_private=get_settings(request).allow_private_urls,
        )
    except ChannelSettingsError as exc:
        return _page(request, session, user, status=400, error=said(exc, request_language(request)))
    return _saved("webhooks")


@router.post("/settings/webhooks/test", dependencies=SETTINGS)
def test_hooks(request: Request, session: DbSession, user: User) -> Response:
    """Deliver a signed test event to every webhook; the first failure is shown."""
    allow = get_settings(request).allow_private_urls
    try:
        for hook in load_webhooks(session, _box(request)):
            payload = {"event": "test", "text": "Veille : livraison d'essai"}
            notify.send_webhook(hook.url, payload, secret=hook.secret, allow_private=allow)
    except notify.NotifyError as exc:
        failed = ChannelSettingsError(
            N_("webhook: the test delivery failed (technical detail: %(detail)s)"),
            detail=exc,
        )
        return _page(
            request, session, user, status=400, error=said(failed, request_language(request))
        )
    except ChannelSettingsError as exc:
        return _page(request, session, user, status=400, error=said(exc, request_language(request)))
    return _saved("webhooks-sent")


@router.post("/settings/hours", dependencies=SETTINGS)
async def save_hours(
    request: Request,
    session: DbSession,
    user: User,
    start: Annotated[str, Form(max_length=5)] = "09:00",
    end: Annotated[str, Form(max_length=5)] = "18:00",
    zone: Annotated[str, Form(max_length=64)] = "Europe/Paris",
) -> Response:
    form = await request.form()
    days = [d for d in DAYS if form.get(f"day_{d}")]
    try:
        actions.do_save_business_hours(session, days=days, start=start, end=end, zone=zone)
    except HoursError as exc:
        return _page(request, session, user, status=400, error=said(exc, request_language(request)))
    return _saved("hours")
