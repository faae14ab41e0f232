"""What every page needs: the database, the signed-in user, the permission check, the
language, rendering."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from veille.config import Settings
from veille.localise import template_context
from veille.permissions import PUBLIC, Permission, can
from veille.store import scope
from veille.store.db import Database
from veille.translations import LANGUAGES, Language
from veille.web import auth

LANG_COOKIE = "veille_lang"


class LoginRequired(Exception):
    """Raised by pages when nobody is signed in; answered with a redirect to /login."""


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def db_session(request: Request) -> Iterator[Session]:
    """A session bound to the workspace the signed-in user is looking at (the instance's
    default workspace for someone not signed in)."""
    db = get_db(request)
    with db.session(workspace_id=None) as session:
        workspace = auth.workspace_of_token(session, request.cookies.get(auth.SESSION_COOKIE))
        scope.bind(session, workspace or db.workspace_id)
        yield session


# scope="function": commit before the response leaves, so a redirect never outruns its write.
DbSession = Annotated[Session, Depends(db_session, scope="function")]

# A row id in a URL: what the databases' 64-bit integers hold. Anything else cannot name a row,
# so it is answered "not found" (see the app's RequestValidationError handler), never a 500.
RowId = Annotated[int, Path(ge=-(2**63), le=2**63 - 1)]


def optional_user(request: Request, session: DbSession) -> auth.CurrentUser | None:
    return auth.current_user(session, request.cookies.get(auth.SESSION_COOKIE))


def require_user(
    user: Annotated[auth.CurrentUser | None, Depends(optional_user)],
) -> auth.CurrentUser:
    if user is None:
        raise LoginRequired()
    return user


User = Annotated[auth.CurrentUser, Depends(require_user)]

# How a route answers a refusal when the plain 403 page is not what its users expect.
RefusalPage = Callable[[Request, auth.CurrentUser | None, FormData], Response]


class Refused(Exception):
    """A state-changing request refused (CSRF token missing or wrong, or a role without the
    permission); the app answers with ``response``, or the 403 page when it is None."""

    def __init__(self, response: Response | None = None) -> None:
        super().__init__("refused")
        self.response = response


class PermissionCheck:
    """The one dependency every state-changing route declares: the CSRF token of the form
    and the signed-in user's permission. Public forms (``Permission.SIGN_IN``) need no
    session and check the token against the login form's cookie instead."""

    def __init__(self, permission: Permission, on_refusal: RefusalPage | None = None) -> None:
        self.permission = permission
        self.on_refusal = on_refusal

    async def __call__(
        self,
        request: Request,
        user: Annotated[auth.CurrentUser | None, Depends(optional_user)],
        csrf: Annotated[str, Form(max_length=128)] = "",
    ) -> None:
        if self.permission in PUBLIC:
            expected = request.cookies.get(auth.LOGIN_CSRF_COOKIE)
        elif user is None:
            raise LoginRequired()
        else:
            expected = user.csrf_token
        role = user.role if user else None
        if auth.tokens_match(expected, csrf) and can(role, self.permission):
            return
        if self.on_refusal is None:
            raise Refused()
        raise Refused(self.on_refusal(request, user, await request.form()))


def requires(permission: Permission, *, on_refusal: RefusalPage | None = None) -> PermissionCheck:
    """``dependencies=[Depends(requires(Permission.X))]`` on a route: who may call it."""
    return PermissionCheck(permission, on_refusal)


def language_of(request: Request, user: auth.CurrentUser | None) -> Language:
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    if user is not None and user.language in LANGUAGES:
        return user.language
    default = get_settings(request).language
    return default


def render(
    request: Request,
    template: str,
    user: auth.CurrentUser | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    lang = language_of(request, user)
    context.update(
        {
            "user": user,
            "csrf_token": user.csrf_token if user else "",
            **template_context(lang),
        }
    )
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def _signed_in(request: Request) -> auth.CurrentUser | None:
    """Who sends the request, for answers given before the route's dependencies ran."""
    with get_db(request).session(workspace_id=None) as session:
        return auth.current_user(session, request.cookies.get(auth.SESSION_COOKIE))


def request_language(request: Request) -> Language:
    """The language of whoever sends the request (their choice, kept with their account)."""
    return language_of(request, _signed_in(request))


def error_page(request: Request, message: str, status: int) -> HTMLResponse:
    """An error inside the normal layout: the signed-in person keeps the navigation."""
    user = _signed_in(request)
    return render(request, "error.html", user, status_code=status, message=message, status=status)
