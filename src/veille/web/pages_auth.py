"""Log in, log out and the language switch."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from veille.i18n import LANGUAGES, translate
from veille.users import authenticate
from veille.web import auth, throttle
from veille.web.deps import LANG_COOKIE, DbSession, User, get_db, optional_user, render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect a freshly signed-in user to another site."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _login_page(request: Request, *, next_url: str, error: str | None, status: int) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        None,
        status_code=status,
        next_url=next_url,
        error=error,
        login_csrf=token,
    )
    response.set_cookie(
        auth.LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600
    )
    return response


@router.get("/login")
def login_form(request: Request, session: DbSession, next: str | None = None) -> Response:
    if optional_user(request, session) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, next_url=_safe_next(next), error=None, status=200)


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf: Annotated[str, Form(max_length=128)] = "",
    next: Annotated[str, Form(max_length=2048)] = "/",
) -> Response:
    from veille.web.deps import language_of

    lang = language_of(request, None)
    next_url = _safe_next(next)
    if not auth.tokens_match(request.cookies.get(auth.LOGIN_CSRF_COOKIE), csrf):
        return _login_page(
            request, next_url=next_url, error=translate("login.expired", lang), status=403
        )
    client = request.client.host if request.client else "unknown"
    attempt = throttle.count_attempt(get_db(request), throttle.login_keys(username, client))
    if not attempt.allowed:
        return _login_page(
            request, next_url=next_url, error=translate("login.throttled", lang), status=429
        )
    user = authenticate(session, username, password)
    if user is None:
        return _login_page(
            request, next_url=next_url, error=translate("login.failed", lang), status=401
        )
    throttle.forgive_login(session, attempt, username=username, client=client)
    token = auth.open_session(session, user)
    response = RedirectResponse(next_url, status_code=303)
    response.set_cookie(
        auth.SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        max_age=int(auth.SESSION_LIFETIME.total_seconds()),
    )
    response.delete_cookie(auth.LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(
    request: Request,
    session: DbSession,
    user: User,
    csrf: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    if not auth.tokens_match(user.csrf_token, csrf):
        return render(request, "error.html", user, status_code=403, message="CSRF", status=403)
    auth.close_session(session, request.cookies.get(auth.SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE)
    return response


@router.get("/lang/{code}")
def switch_language(code: str, request: Request) -> Response:
    """A display preference only, so a plain link is enough."""
    target = _safe_next(request.query_params.get("next"))
    response = RedirectResponse(target, status_code=303)
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, samesite="lax", max_age=365 * 24 * 3600)
    return response
