"""What every page needs: the database, the signed-in user, the language, rendering."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from veille.config import Settings
from veille.i18n import LANGUAGES, Language, translate
from veille.store.db import Database
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
    with get_db(request).session() as session:
        yield session


# scope="function": commit before the response leaves, so a redirect never outruns its write.
DbSession = Annotated[Session, Depends(db_session, scope="function")]


def optional_user(request: Request, session: DbSession) -> auth.CurrentUser | None:
    return auth.current_user(session, request.cookies.get(auth.SESSION_COOKIE))


def require_user(
    user: Annotated[auth.CurrentUser | None, Depends(optional_user)],
) -> auth.CurrentUser:
    if user is None:
        raise LoginRequired()
    return user


User = Annotated[auth.CurrentUser, Depends(require_user)]


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
            "lang": lang,
            "t": lambda key: translate(key, lang),
            "csrf_token": user.csrf_token if user else "",
        }
    )
    return templates.TemplateResponse(request, template, context, status_code=status_code)
