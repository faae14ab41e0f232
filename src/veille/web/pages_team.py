"""Team access: invitation links (managers create them) and password reset by e-mail.

The pages opened from a link have no session yet, so their forms use the same double-submit
CSRF cookie as the login form.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from veille.crypto import SecretBox
from veille.inbox import queries, team
from veille.permissions import Permission, can
from veille.translations import said
from veille.web import auth, throttle
from veille.web.deps import (
    DbSession,
    User,
    get_db,
    get_settings,
    render,
    request_language,
    requires,
)
from veille.web.forms import FormRoute

router = APIRouter(route_class=FormRoute)
Field = Annotated[str, Form(max_length=1024)]


def _public_form(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, template, None, status_code=status, form_csrf=token, **context)
    response.set_cookie(
        auth.LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600
    )
    return response


@router.get("/team")
def team_page(request: Request, session: DbSession, user: User) -> Response:
    users = queries.members(session)
    return render(
        request,
        "team.html",
        user,
        users=users,
        can_invite=can(user.role, Permission.INVITE),
        link=None,
    )


@router.post("/team/invitations", dependencies=[Depends(requires(Permission.INVITE))])
def create_invitation(
    request: Request,
    session: DbSession,
    user: User,
    role: Annotated[str, Form(max_length=16)],
) -> Response:
    try:
        token = team.invite(session, role=role, created_by=user.id)
    except team.TeamError as exc:
        raise HTTPException(status_code=400, detail=said(exc, request_language(request))) from None
    link = f"{get_settings(request).public_url}/invite/{token}"
    users = queries.members(session)
    return render(request, "team.html", user, users=users, can_invite=True, link=link)


@router.get("/invite/{token}")
def invitation_form(request: Request, session: DbSession, token: str) -> Response:
    try:
        role = team.check_invitation(session, token)
    except team.TeamError as exc:
        message = said(exc, request_language(request))
        return render(request, "error.html", None, status_code=404, message=message, status=404)
    return _public_form(request, "team_join.html", role=role, token=token, error=None)


@router.post("/invite/{token}", dependencies=[Depends(requires(Permission.SIGN_IN))])
def accept_invitation(
    request: Request,
    session: DbSession,
    token: str,
    username: Annotated[str, Form(max_length=64)],
    password: Field,
    email: Annotated[str, Form(max_length=255)] = "",
) -> Response:
    try:
        team.accept_invitation(
            session, token=token, username=username, password=password, email=email
        )
    except team.TeamError as exc:
        return _public_form(
            request,
            "team_join.html",
            status=400,
            role="",
            token=token,
            error=said(exc, request_language(request)),
        )
    session.commit()
    return RedirectResponse("/login", status_code=303)


@router.get("/password/forgot")
def forgot_form(request: Request) -> Response:
    return _public_form(request, "team_forgot.html", sent=False, error=None)


@router.post("/password/forgot", dependencies=[Depends(requires(Permission.SIGN_IN))])
def forgot(
    request: Request,
    background: BackgroundTasks,
    email: Annotated[str, Form(max_length=255)],
) -> Response:
    """The same answer, in the same time, whether the address is known and SMTP up or not:
    the e-mail is looked up and sent after the response has gone."""
    client = request.client.host if request.client else "unknown"
    db = get_db(request)
    if not throttle.count_attempt(db, throttle.reset_keys(email, client)).allowed:
        return _public_form(request, "team_forgot.html", status=429, sent=False, error="429")
    settings = get_settings(request)
    background.add_task(
        team.send_reset_link,
        db,
        email=email,
        base_url=settings.public_url,
        box=SecretBox(settings.resolved_secret_key()),
    )
    return _public_form(request, "team_forgot.html", sent=True, error=None)


@router.get("/password/reset/{token}")
def reset_form(request: Request, token: str) -> Response:
    return _public_form(request, "team_reset.html", token=token, error=None)


@router.post("/password/reset/{token}", dependencies=[Depends(requires(Permission.SIGN_IN))])
def reset(
    request: Request,
    session: DbSession,
    token: str,
    password: Field,
) -> Response:
    try:
        team.reset_password(session, token=token, password=password)
    except team.TeamError as exc:
        error = said(exc, request_language(request))
        return _public_form(request, "team_reset.html", status=400, token=token, error=error)
    session.commit()
    return RedirectResponse("/login", status_code=303)
