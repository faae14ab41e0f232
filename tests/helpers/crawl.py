"""Walk the interface as a person does: from a page, follow its links; read its forms."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

# Addresses a crawl does not open: files, the language switch and the e-mail links.
NOT_PAGES = re.compile(r"^/(static/|lang/)|\.(csv|pdf|png|jpe?g|gif|webp)(\?|$)|/media/")


def api_routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    """The app's routes, through the routers it includes (as tests/web/test_permissions.py)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from api_routes(included.routes)
        elif isinstance(route, APIRoute):
            yield route


def routes_of(app: FastAPI, method: str) -> list[str]:
    """The path templates of the app's routes answering ``method``."""
    return sorted({r.path for r in api_routes(app.routes) if method in (r.methods or set())})


def template_of(path: str, templates: Sequence[str]) -> str | None:
    """The route template (``/inbox/{item_id}``) a concrete path answers to."""
    for template in templates:
        pattern = re.sub(r"\{[^}]+\}", "[^/]+", template)
        if re.fullmatch(pattern, path):
            return template
    return None


@dataclass
class Field:
    tag: str
    name: str
    kind: str
    value: str
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.links: list[str] = []
        self.nav_links: list[str] = []
        self.forms: list[Form] = []
        self.in_nav = 0
        self.select: Field | None = None
        self.text: Field | None = None
        self.title = ""
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "nav":
            self.in_nav += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "a" and found.get("href", "").startswith("/"):
            self.links.append(found["href"].split("#")[0])
            if self.in_nav:
                self.nav_links.append(found["href"])
        elif tag == "form":
            action = found.get("action") or self.page
            self.forms.append(Form(self.page, action, found.get("method", "get").lower()))
        elif tag in {"input", "textarea", "select"} and self.forms and found.get("name"):
            kind = found.get("type", "text").lower() if tag == "input" else tag
            item = Field(tag, found["name"], kind, found.get("value", ""))
            self.forms[-1].fields.append(item)
            self.select = item if tag == "select" else None
            self.text = item if tag == "textarea" else None
        elif tag == "option" and self.select is not None:
            self.select.options.append(found.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.in_nav -= 1
        elif tag == "title":
            self.in_title = False
        elif tag in {"select", "textarea"}:
            self.select = self.text = None

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        if self.text is not None:
            self.text.value += data


def read(page: str, html: str) -> _Reader:
    reader = _Reader(page)
    reader.feed(html)
    return reader


def crawl(
    client: TestClient, start: str = "/", limit: int = 200, per_shape: int = 4
) -> dict[str, _Reader]:
    """Every page reachable from ``start`` by links (``per_shape`` pages at most of the same
    address but for its numbers: a few drafts, a few inbox items)."""
    seen: dict[str, _Reader] = {}
    shapes: dict[str, int] = {}
    queue = [start]
    while queue and len(seen) < limit:
        page = queue.pop(0)
        shape = re.sub(r"\d+", "N", page)
        if page in seen or shapes.get(shape, 0) >= per_shape or NOT_PAGES.search(page):
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(page, follow_redirects=False)
        if response.status_code in (302, 303, 307):  # a page that sends on to another
            seen[page] = read(page, "")
            queue.append(response.headers["location"])
            continue
        if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
            continue
        seen[page] = read(page, response.text)
        queue += seen[page].links
    return seen
