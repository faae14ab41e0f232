"""Log in, log out and the language switch."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from veille.labels import label
from veille.permissions import Permission
from veille.translations import LANGUAGES, translator
from veille.web import auth
from veille.web.deps import (
    LANG_COOKIE,
    DbSession,
    User,
    error_page,
    get_db,
    language_of,
    optional_user,
    render,
    requires,
)
from veille.web.forms import FormRoute

router = APIRouter(route_class=FormRoute)
REFUSALS = {"throttled": ("login.throttled", 429), "failed": ("login.failed", 401)}


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


def _expired(request: Request, _user: auth.CurrentUser | None, form: FormData) -> Response:
    """The login form again, with a fresh token, when its token was missing or stale."""
    error = translator(language_of(request, None)).gettext("The form expired, please try again.")
    next_url = _safe_next(str(form.get("next", "/")))
    return _login_page(request, next_url=next_url, error=error, status=403)


@router.post("/login", dependencies=[Depends(requires(Permission.SIGN_IN, on_refusal=_expired))])
def login(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=2048)] = "/",
) -> Response:
    next_url = _safe_next(next)
    client = request.client.host if request.client else "unknown"
    try:
        token = auth.sign_in(
            session, db=get_db(request), username=username, password=password, client=client
        )
    except auth.SignInRefused as refused:
        key, status = REFUSALS[refused.reason]
        error = label(key, language_of(request, None))
        return _login_page(request, next_url=next_url, error=error, status=status)
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


def _csrf_refused(request: Request, user: auth.CurrentUser | None, _form: FormData) -> Response:
    return render(request, "error.html", user, status_code=403, message="CSRF", status=403)


@router.post(
    "/logout", dependencies=[Depends(requires(Permission.SIGN_OUT, on_refusal=_csrf_refused))]
)
def logout(request: Request, session: DbSession, user: User) -> Response:
    auth.close_session(session, request.cookies.get(auth.SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE)
    return response


@router.post("/workspace", dependencies=[Depends(requires(Permission.SIGN_OUT))])
def switch_workspace(
    request: Request, session: DbSession, user: User, workspace: Annotated[str, Form()] = ""
) -> Response:
    """Look at another workspace of one's own; any other is answered "not found"."""
    token = request.cookies.get(auth.SESSION_COOKIE) or ""
    if not workspace.isdigit() or not auth.switch_workspace(session, token, int(workspace)):
        words = translator(language_of(request, user))
        return error_page(request, words.gettext("Page not found."), 404)
    return RedirectResponse("/", status_code=303)


@router.get("/lang/{code}")
def switch_language(code: str, request: Request) -> Response:
    """A display preference only, so a plain link is enough."""
    target = _safe_next(request.query_params.get("next"))
    response = RedirectResponse(target, status_code=303)
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, samesite="lax", max_age=365 * 24 * 3600)
    return response
