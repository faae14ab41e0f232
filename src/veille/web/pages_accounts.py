"""Accounts: connect one (credentials entered once, encrypted) and see each one's state."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from veille.accounts import ACCOUNT_KINDS, CREDENTIAL_FIELDS, AccountError, connect_account
from veille.crypto import SecretBox
from veille.permissions import Permission, can
from veille.store import tables
from veille.translations import said
from veille.web.deps import DbSession, User, get_settings, language_of, render, requires
from veille.web.forms import FormRoute

router = APIRouter(route_class=FormRoute)


@router.get("/accounts")
def list_accounts(request: Request, session: DbSession, user: User) -> Response:
    accounts = session.scalars(select(tables.Account).order_by(tables.Account.id)).all()
    return render(
        request,
        "accounts.html",
        user,
        accounts=accounts,
        fields=CREDENTIAL_FIELDS,
        kinds=ACCOUNT_KINDS,
        can_edit=can(user.role, Permission.MANAGE_ACCOUNTS),
        error=None,
        zone=get_settings(request).zone,
    )


@router.post("/accounts", dependencies=[Depends(requires(Permission.MANAGE_ACCOUNTS))])
async def add_account(
    request: Request,
    session: DbSession,
    user: User,
    network: Annotated[str, Form(max_length=16)],
    handle: Annotated[str, Form(max_length=255)],
    kind: Annotated[str, Form(max_length=16)],
    label: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    form = await request.form()
    credentials = {
        name: str(form.get(f"{network}_{name}", ""))[:4096]
        for name in CREDENTIAL_FIELDS.get(network, ())
    }
    box = SecretBox(get_settings(request).resolved_secret_key())
    try:
        connect_account(
            session,
            box,
            network=network,
            handle=handle,
            label=label,
            kind=kind,
            credentials=credentials,
        )
    except AccountError as exc:
        accounts = session.scalars(select(tables.Account).order_by(tables.Account.id)).all()
        return render(
            request,
            "accounts.html",
            user,
            status_code=400,
            accounts=accounts,
            fields=CREDENTIAL_FIELDS,
            kinds=ACCOUNT_KINDS,
            can_edit=True,
            error=said(exc, language_of(request, user)),
            zone=get_settings(request).zone,
        )
    return RedirectResponse("/accounts", status_code=303)
