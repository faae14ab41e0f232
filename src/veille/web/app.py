"""The application: settings, database, templates, security headers and the page routers."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from veille import localise
from veille.config import Settings
from veille.labels import label
from veille.links import external_url, view_link
from veille.store.db import Database
from veille.translations import translator
from veille.web import (
    pages_accounts,
    pages_alerts,
    pages_auth,
    pages_calendar,
    pages_connect,
    pages_drafts,
    pages_home,
    pages_inbox,
    pages_posts,
    pages_reports,
    pages_settings,
    pages_setup,
    pages_slots,
    pages_team,
    pages_watches,
)
from veille.web.deps import LoginRequired, Refused, error_page, request_language
from veille.web.forms import field_errors

HERE = Path(__file__).parent
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.url.path != "/static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def create_app(settings: Settings, db: Database | None = None) -> FastAPI:
    """Build the web app around an open (migrated) database."""
    app = FastAPI(title="Veille", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.db = db or Database.from_settings(settings)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.autoescape = True
    localise.install(templates.env)
    templates.env.filters["external_url"] = external_url
    templates.env.filters["post_link"] = view_link
    app.state.templates = templates
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(pages_auth.router)
    app.include_router(pages_home.router)
    app.include_router(pages_posts.router)
    app.include_router(pages_watches.router)
    app.include_router(pages_accounts.router)
    app.include_router(pages_connect.router)
    app.include_router(pages_drafts.router)
    app.include_router(pages_slots.router)
    app.include_router(pages_calendar.router)
    app.include_router(pages_inbox.router)
    app.include_router(pages_team.router)
    app.include_router(pages_alerts.router)
    app.include_router(pages_reports.router)
    app.include_router(pages_setup.router)
    app.include_router(pages_settings.router)

    @app.exception_handler(LoginRequired)
    async def _to_login(request: Request, _exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> Response:
        if exc.response is not None:
            return exc.response
        return error_page(
            request, translator(request_language(request)).gettext("Action refused."), 403
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        key = {404: "error.not_found", 403: "error.forbidden"}.get(exc.status_code)
        message = label(key, request_language(request)) if key else str(exc.detail)
        return error_page(request, message, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
        if all(e["loc"][:1] == ("path",) for e in exc.errors()):
            # An id no row can have (over 2^63, not a number): there is nothing at that address.
            return error_page(
                request, translator(request_language(request)).gettext("Page not found."), 404
            )
        lang = request_language(request)
        errors = field_errors(list(exc.errors()), lang)
        where = " ; ".join(f"{name} : {text}" for name, text in errors.items())
        return error_page(
            request,
            translator(lang).gettext("This address holds an invalid value:") + " " + where,
            400,
        )

    return app
