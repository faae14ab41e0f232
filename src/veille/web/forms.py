"""Forgiving forms: a post that cannot be taken comes back as its form, filled in as typed,
with each error beside its field in the person's language, never as a bare error page.

Every router is built with ``FormRoute``. When a posted form fails FastAPI's validation (a
missing field, a number that is not one, a text too long) or its route refuses it with a 400,
the page the form came from (the Referer, else the nearest page above the form's address) is
rendered again through the app and refilled (``refill``); a route that answers its own form
with a 4xx page gets the typed values put back the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Match
from starlette.types import Message

from veille.labels import label
from veille.translations import LANGUAGES, Language, translator
from veille.web.deps import error_page, request_language
from veille.web.refill import Posted, field_names, refill

# What a form gets back refilled: its own refusals (400, 409, 422) and a throttled login (429).
REFILLED = {400, 409, 422, 429}
# The word a refusal starts with ("accounts: ...") when it is not the form field's own name.
ALIASES = {
    "accounts": "account",
    "images": "image",
    "image": "image",
    "time": "wall_clock",
    "evergreen": "gap_days",
    "radius": "radius_km",
}
Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class FormRoute(APIRoute):
    """An APIRoute whose POST forms are answered as described above."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        if "POST" not in (self.methods or set()):
            return handler

        async def answer(request: Request) -> Response:
            try:
                response = await handler(request)
            except RequestValidationError as exc:
                errors = [e for e in exc.errors() if e["loc"][:1] != ("path",)]
                if not errors:
                    raise  # nothing at that address: the app answers "not found"
                return await form_again(
                    request, errors=field_errors(errors, request_language(request))
                )
            except HTTPException as exc:
                if exc.status_code not in REFILLED:
                    raise
                return await form_again(request, message=str(exc.detail), status=exc.status_code)
            if response.status_code in REFILLED and isinstance(response, HTMLResponse):
                return _refilled_page(request, response, await request.form())
            return response

        return answer


def field_errors(errors: list[Any], lang: Language) -> dict[str, str]:
    """FastAPI's validation errors as one message per form field, in words."""
    found: dict[str, str] = {}
    for error in errors:
        loc = [str(p) for p in error["loc"]]
        name = loc[1] if len(loc) > 1 else loc[0]  # ("body", "rules"), ("query", "days")
        context = error.get("ctx") or {}
        key = {
            "missing": "form.missing",
            "string_too_short": "form.too_short",
            "string_too_long": "form.too_long",
            "int_parsing": "form.not_a_number",
            "int_type": "form.not_a_number",
            "float_parsing": "form.not_a_number",
            "greater_than_equal": "form.too_small",
            "less_than_equal": "form.too_large",
        }.get(error["type"], "form.invalid")
        limits = {k: context.get(k, "") for k in ("min_length", "max_length", "ge", "le")}
        found.setdefault(name, label(key, lang).format(**limits))
    return found


def _values(form: FormData) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if not isinstance(value, UploadFile):
            values.setdefault(key, []).append(value)
    return values


def _refilled(
    response: HTMLResponse,
    action: str,
    page_path: str,
    form: FormData,
    errors: Mapping[str, str] | None = None,
    message: str | None = None,
    status: int | None = None,
) -> Response:
    page = bytes(response.body).decode("utf-8")
    posted = Posted(action, page_path, _values(form), errors or {}, message)
    answer = HTMLResponse(refill(page, posted), status_code=status or response.status_code)
    for key, value in response.headers.items():
        if key == "set-cookie":
            answer.headers.append(key, value)
    return answer


def _field_of(message: str, fields: set[str]) -> str | None:
    """The form field a refusal names ("time: '9h30' is not a time" names wall_clock), in
    either language ("texte : le brouillon est vide" names text)."""
    where, sep, _ = message.replace(" : ", ": ", 1).partition(": ")
    if not sep:
        return None
    where = where.split(" ")[0].strip("'")
    for english in (where, *sorted(_field_words().get(where, ()))):
        name = ALIASES.get(english, english)
        if name in fields:
            return name
    return None


@lru_cache(maxsize=1)
def _field_words() -> dict[str, set[str]]:
    """A refusal's field word as each catalog translates it -> the English ones ("texte" ->
    {"text", "body"}; "heure" -> {"hour", "time"}: the form's own fields choose), read from
    the refusals "field: …" of the catalogs."""
    found: dict[str, set[str]] = {}
    for lang in LANGUAGES:
        catalog: dict[object, object] = getattr(translator(lang), "_catalog", {})
        for msgid, msgstr in catalog.items():
            if not (isinstance(msgid, str) and isinstance(msgstr, str)):
                continue
            english, sep, _ = msgid.partition(": ")
            local, found_sep, _ = msgstr.replace(" : ", ": ", 1).partition(": ")
            if sep and found_sep and " " not in english and " " not in local:
                found.setdefault(local, set()).add(english)
    return found


def _refilled_page(request: Request, response: HTMLResponse, form: FormData) -> Response:
    """A page the route rendered for its refused form: refilled, and its ``error`` (a refusal
    naming a field of the form) moved from the top of the page to beside that field."""
    path = request.url.path
    context: dict[str, Any] = getattr(response, "context", None) or {}
    message = context.get("error")
    template = getattr(response, "template", None)
    if not isinstance(message, str) or template is None:
        return _refilled(response, path, path, form)
    names = field_names(bytes(response.body).decode("utf-8"), Posted(path, path, {}))
    field = _field_of(message, names)
    if field is None:
        return _refilled(response, path, path, form)
    templates: Jinja2Templates = request.app.state.templates
    again = templates.TemplateResponse(
        request, template.name, {**context, "error": None}, status_code=response.status_code
    )
    for key, value in response.headers.items():
        if key == "set-cookie":  # a signed-out form's fresh CSRF token
            again.headers.append(key, value)
    return _refilled(again, path, path, form, errors={field: message})


def form_page(request: Request) -> str | None:
    """The address of the page holding the form just posted: the Referer when it is one of
    the app's pages, else the nearest page above the form's own address."""
    referer = urlsplit(request.headers.get("referer", ""))
    candidates = []
    if referer.path and referer.netloc in ("", request.url.netloc):
        candidates.append((referer.path, referer.query))
    parts = request.url.path.rstrip("/").split("/")
    candidates += [("/".join(parts[:n]) or "/", "") for n in range(len(parts), 0, -1)]
    for path, query in candidates:
        scope = {"type": "http", "method": "GET", "path": path}
        if any(r.matches(scope)[0] == Match.FULL for r in request.app.router.routes):
            return path + (f"?{query}" if query else "")
    return None


async def _get(request: Request, target: str) -> HTMLResponse | None:
    """The page at ``target`` as the app renders it for this person (same cookies)."""
    path, _, query = target.partition("?")
    drop = {b"content-type", b"content-length"}
    scope = {
        key: value
        for key, value in request.scope.items()
        if key not in {"route", "endpoint", "path_params"}
    }
    scope.update(
        method="GET",
        path=path,
        raw_path=path.encode(),
        query_string=query.encode(),
        headers=[(k, v) for k, v in request.scope["headers"] if k not in drop],
    )
    started: dict[str, Any] = {}
    body: list[bytes] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            started.update(message)
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    await request.app.router(scope, receive, send)
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in started.get("headers", [])}
    if started.get("status") != 200 or not headers.get("content-type", "").startswith("text/html"):
        return None
    page = HTMLResponse(b"".join(body))
    for key, value in started["headers"]:
        if key == b"set-cookie":
            page.headers.append("set-cookie", value.decode("latin-1"))
    return page


async def form_again(
    request: Request,
    *,
    errors: Mapping[str, str] | None = None,
    message: str | None = None,
    status: int = 400,
) -> Response:
    """The form's page again, refilled, with the errors; the error page when it has none."""
    target = form_page(request)
    page = await _get(request, target) if target else None
    if target is None or page is None:
        text = message or " ; ".join(f"{k} : {v}" for k, v in (errors or {}).items())
        return error_page(request, text, status)
    form = await request.form()
    path = target.partition("?")[0]
    return _refilled(page, request.url.path, path, form, errors, message, status)
