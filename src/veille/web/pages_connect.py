"""Connecting accounts in the browser: the networks' own flows (``veille.sources.connect``:
OAuth 2.0 with PKCE, a Mastodon-style app registration, an app password, a feed check) behind
two routes per network. The routes parse, call and render; the callback checks its state."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.accounts import ACCOUNT_KINDS, CREDENTIAL_FIELDS, AccountError
from veille.crypto import SecretBox
from veille.permissions import Permission, can
from veille.sources import connect
from veille.sources.db_stores import AccountTokenStore
from veille.store import tables
from veille.translations import N_, said
from veille.web.deps import (
    DbSession,
    User,
    get_db,
    get_settings,
    language_of,
    render,
    requires,
)
from veille.web.forms import FormRoute

router = APIRouter(route_class=FormRoute)
MANAGE = [Depends(requires(Permission.MANAGE_ACCOUNTS))]
FORM_FIELDS = ("kind", "label")


def _box(request: Request) -> SecretBox:
    return SecretBox(get_settings(request).resolved_secret_key())


def _context(request: Request, user: Any, network: str) -> connect.Context:
    settings = get_settings(request)
    endpoints: connect.Endpoints | None = getattr(request.app.state, "connect_endpoints", None)
    return connect.Context(
        user_id=user.id,
        redirect_uri=f"{settings.public_url}/accounts/connect/{network}/callback",
        website=settings.public_url,
        endpoints=endpoints or connect.Endpoints(),
        allow_private=settings.allow_private_urls,
    )


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
        flows=connect.FLOWS,
        can_edit=can(user.role, Permission.MANAGE_ACCOUNTS),
        error=error,
        zone=get_settings(request).zone,
    )


def _flow(network: str) -> connect.Flow:
    found = connect.FLOWS.get(network)
    if found is None:
        raise HTTPException(status_code=404)
    return found


def _save(request: Request, session: Session, finished: connect.Finished) -> Response:
    box = _box(request)
    account = connect.save_connected(session, box, finished)
    account.state = "connected"
    session.commit()  # the token store writes the row in a transaction of its own
    if finished.token is not None:
        AccountTokenStore(get_db(request), box, account.id).save(finished.token_key, finished.token)
    return RedirectResponse("/accounts", status_code=303)


@router.post("/accounts/connect/{network}", dependencies=MANAGE)
async def connect_account_route(
    request: Request, session: DbSession, user: User, network: str
) -> Response:
    """Leave for the network's authorization page, or check the credentials in place."""
    flow = _flow(network)
    form = await request.form()
    values = {name: str(form.get(name, ""))[:4096] for name in (*flow.fields, *FORM_FIELDS)}
    context = _context(request, user, network)
    try:
        if flow.leaves:
            url = connect.start(network, session, _box(request), values, context)
            return render(request, "connect_leave.html", user, url=url, host=urlsplit(url).hostname)
        return _save(request, session, connect.check(network, values, context))
    except AccountError as exc:
        return accounts_page(
            request, session, user, error=said(exc, language_of(request, user)), status=400
        )


@router.get("/accounts/connect/{network}/callback")
def callback(
    request: Request,
    session: DbSession,
    user: User,
    network: str,
    state: str = "",
    code: str = "",
    error: str = "",
) -> Response:
    """Where the network sends the user back. A GET that changes state: it checks the role
    itself, and the state ties it to the user and the flow that began it."""
    if not can(user.role, Permission.MANAGE_ACCOUNTS):
        raise HTTPException(status_code=403)
    flow = _flow(network)
    try:
        if error or not code:
            raise AccountError(
                N_("%(network)s: the authorization was not given (%(detail)s)"),
                network=flow.title,
                detail=error or "no code",
            )
        finished = connect.finish(
            network,
            session,
            _box(request),
            state=state,
            code=code,
            context=_context(request, user, network),
        )
        return _save(request, session, finished)
    except AccountError as exc:
        return accounts_page(
            request, session, user, error=said(exc, language_of(request, user)), status=400
        )
