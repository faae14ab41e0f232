"""Connecting accounts in the browser: X (OAuth 2.0 with PKCE), Mastodon (the instance's
OAuth), Bluesky (app password), news feeds (checked to be a feed). The routes parse, call
``veille.connect`` and render; the callbacks check the state they were sent with."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from veille import connect
from veille.accounts import ACCOUNT_KINDS, CREDENTIAL_FIELDS, AccountError, connect_account
from veille.crypto import SecretBox
from veille.permissions import Permission, can
from veille.sources.db_stores import AccountTokenStore
from veille.store import tables
from veille.web.deps import DbSession, User, get_db, get_settings, render, requires

router = APIRouter()
MANAGE = [Depends(requires(Permission.MANAGE_ACCOUNTS))]


def _box(request: Request) -> SecretBox:
    return SecretBox(get_settings(request).resolved_secret_key())


def _endpoints(request: Request) -> connect.Endpoints:
    found: connect.Endpoints | None = getattr(request.app.state, "connect_endpoints", None)
    return found or connect.Endpoints()


def _callback(request: Request, network: str) -> str:
    return f"{get_settings(request).public_url}/accounts/connect/{network}/callback"


def accounts_page(
    request: Request, session: Session, user: Any, *, error: str | None = None, status: int = 200
) -> Response:
    accounts = session.scalars(select(tables.Account).order_by(tables.Account.id)).all()
    return render(
        request,
        "accounts.html",
        user,
        status_code=status,
        accounts=accounts,
        fields=CREDENTIAL_FIELDS,
        kinds=ACCOUNT_KINDS,
        can_edit=can(user.role, Permission.MANAGE_ACCOUNTS),
        error=error,
        zone=get_settings(request).zone,
    )


def _leave_for(request: Request, user: Any, url: str) -> Response:
    """A page that sends the browser on to the network (a form may not redirect off-site
    under the app's Content-Security-Policy; a link and a refresh may)."""
    return render(request, "connect_leave.html", user, url=url, host=urlsplit(url).hostname)


@router.post("/accounts/connect/x", dependencies=MANAGE)
def start_x(
    request: Request,
    session: DbSession,
    user: User,
    handle: Annotated[str, Form(max_length=255)],
    client_id: Annotated[str, Form(max_length=255)],
    bearer_token: Annotated[str, Form(max_length=4096)] = "",
    kind: Annotated[str, Form(max_length=16)] = "company",
    label: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    try:
        url = connect.start_x(
            session,
            _box(request),
            user_id=user.id,
            handle=handle,
            kind=kind,
            label=label,
            client_id=client_id,
            bearer_token=bearer_token,
            redirect_uri=_callback(request, "x"),
            endpoints=_endpoints(request),
        )
    except AccountError as exc:
        return accounts_page(request, session, user, error=str(exc), status=400)
    return _leave_for(request, user, url)


def _finish(request: Request, session: Session, user: Any, finished: connect.Finished) -> Response:
    box = _box(request)
    account = connect.save_connected(session, box, finished)
    account.state = "connected"
    session.commit()  # the token store writes the row in a transaction of its own
    if finished.token is not None:
        AccountTokenStore(get_db(request), box, account.id).save(finished.token_key, finished.token)
    return RedirectResponse("/accounts", status_code=303)


def _may_manage(user: Any) -> None:
    # A GET callback changes state: it checks the role itself (the state checks the user).
    if not can(user.role, Permission.MANAGE_ACCOUNTS):
        raise HTTPException(status_code=403)


@router.get("/accounts/connect/x/callback")
def finish_x(
    request: Request,
    session: DbSession,
    user: User,
    state: str = "",
    code: str = "",
    error: str = "",
) -> Response:
    _may_manage(user)
    try:
        if error or not code:
            raise AccountError(f"x: authorization not given ({error or 'no code'})")
        finished = connect.finish_x(
            session,
            _box(request),
            user_id=user.id,
            state=state,
            code=code,
            endpoints=_endpoints(request),
        )
    except AccountError as exc:
        return accounts_page(request, session, user, error=str(exc), status=400)
    return _finish(request, session, user, finished)


@router.post("/accounts/connect/mastodon", dependencies=MANAGE)
def start_mastodon(
    request: Request,
    session: DbSession,
    user: User,
    instance_url: Annotated[str, Form(max_length=500)],
    kind: Annotated[str, Form(max_length=16)] = "company",
    label: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    settings = get_settings(request)
    try:
        url = connect.start_mastodon(
            session,
            _box(request),
            user_id=user.id,
            instance_url=instance_url,
            kind=kind,
            label=label,
            redirect_uri=_callback(request, "mastodon"),
            website=settings.public_url,
            allow_private=settings.allow_private_urls,
        )
    except AccountError as exc:
        return accounts_page(request, session, user, error=str(exc), status=400)
    return _leave_for(request, user, url)


@router.get("/accounts/connect/mastodon/callback")
def finish_mastodon(
    request: Request,
    session: DbSession,
    user: User,
    state: str = "",
    code: str = "",
    error: str = "",
) -> Response:
    _may_manage(user)
    try:
        if error or not code:
            raise AccountError(f"mastodon: authorization not given ({error or 'no code'})")
        finished = connect.finish_mastodon(
            session,
            _box(request),
            user_id=user.id,
            state=state,
            code=code,
            allow_private=get_settings(request).allow_private_urls,
        )
    except AccountError as exc:
        return accounts_page(request, session, user, error=str(exc), status=400)
    return _finish(request, session, user, finished)


@router.post("/accounts/connect/bluesky", dependencies=MANAGE)
def connect_bluesky(
    request: Request,
    session: DbSession,
    user: User,
    handle: Annotated[str, Form(max_length=255)],
    app_password: Annotated[str, Form(max_length=255)],
    kind: Annotated[str, Form(max_length=16)] = "company",
    label: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    try:
        checked = connect.check_bluesky(
            handle=handle, app_password=app_password, endpoints=_endpoints(request)
        )
        account = connect_account(
            session,
            _box(request),
            network="bluesky",
            handle=checked,
            label=label,
            kind=kind,
            credentials={"app_password": app_password},
        )
    except AccountError as exc:
        return accounts_page(request, session, user, error=str(exc), status=400)
    account.state = "connected"
    return RedirectResponse("/accounts", status_code=303)


@router.post("/accounts/connect/feed", dependencies=MANAGE)
def connect_feed(
    request: Request,
    session: DbSession,
    user: User,
    feed_url: Annotated[str, Form(max_length=2000)],
    label: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    try:
        url = connect.check_feed(feed_url, allow_private=get_settings(request).allow_private_urls)
        account = connect_account(
            session,
            _box(request),
            network="news",
            handle=urlsplit(url).hostname or url,
            label=label or url,
            kind="company",
            credentials={"feed_url": url},
        )
    except AccountError as exc:
        return accounts_page(request, session, user, error=str(exc), status=400)
    account.state = "connected"
    return RedirectResponse("/accounts", status_code=303)
