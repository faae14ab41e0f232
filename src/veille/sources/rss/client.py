"""News: RSS 2.0, RSS 1.0 and Atom feeds, polled politely, parsed into posts of network "news".

Parsing uses the standard library's ElementTree through defusedxml, which refuses entity
expansion bombs and external entities: feeds are untrusted input from the web.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import xml.etree.ElementTree as ET  # types and ParseError only; parsing uses defusedxml
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from veille.posts import Post, PostError, parse_post
from veille.sources.base import (
    Clock,
    ConnectorError,
    CursorStore,
    HttpGateway,
    MalformedPayload,
    OnHealth,
    OnPost,
    OnProblem,
    ParseProblem,
    SystemClock,
    log_problem,
    report_health,
)
from veille.sources.text import html_to_text

log = logging.getLogger("veille.sources.rss.client")

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _text(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _date(raw: str) -> datetime | None:
    if not raw:
        return None
    try:
        when = parsedate_to_datetime(raw)  # RSS: RFC 822
    except (TypeError, ValueError):
        try:
            when = datetime.fromisoformat(raw.replace("Z", "+00:00"))  # Atom: RFC 3339
        except ValueError:
            return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _post_id(guid: str) -> str:
    # Post ids are at most 128 characters; long guids become a stable digest.
    return guid if len(guid) <= 128 else "sha256:" + hashlib.sha256(guid.encode()).hexdigest()


@dataclass
class _Channel:
    title: str
    lang: str | None
    feed_url: str


def _news_post(
    channel: _Channel,
    *,
    guid: str,
    title: str,
    summary_html: str,
    link: str,
    date: datetime | None,
    author: str,
    categories: list[str],
) -> Post:
    if date is None:
        raise MalformedPayload("news", "entry has no readable date")
    if not (guid or link):
        raise MalformedPayload("news", "entry has neither an id nor a link")
    summary, links = html_to_text(summary_html)
    text = title if not summary else f"{title}\n\n{summary}" if title else summary
    host = urlsplit(channel.feed_url).netloc.removeprefix("www.")
    data: dict[str, Any] = {
        "id": _post_id(guid or link),
        "network": "news",
        "created_at": date,
        "text": text,
        "lang": (channel.lang or "").split("-")[0].lower() or None,
        "author": {
            "id": channel.feed_url,
            "username": host or channel.feed_url,
            "name": author or channel.title,
        },
        "urls": list(dict.fromkeys([u for u in [link, *links] if u])),
        "title": title,
        "url": link or None,
        "feed_url": channel.feed_url,
        "feed_title": channel.title,
        "categories": categories,
    }
    try:
        return parse_post(data)
    except PostError as exc:
        raise MalformedPayload("news", str(exc)) from None


def iter_feed(document: bytes, *, feed_url: str) -> Iterator[Post | ParseProblem]:
    """Every entry of an RSS or Atom document; a problem names the entry and the reason."""
    try:
        root = fromstring(document)
    except DefusedXmlException as exc:
        yield ParseProblem("(document)", f"refused unsafe XML ({type(exc).__name__})")
        return
    except ET.ParseError as exc:
        yield ParseProblem("(document)", f"not well-formed XML ({exc})")
        return
    if root.tag == f"{ATOM}feed":
        yield from _atom(root, feed_url)
    elif root.tag == "rss" or root.tag.endswith("RDF"):
        yield from _rss(root, feed_url)
    else:
        yield ParseProblem("(document)", f"not an RSS or Atom feed (root element {root.tag!r})")


def parse_feed(document: bytes, *, feed_url: str) -> list[Post]:
    """Posts of an RSS or Atom document; entries that cannot be read are logged and skipped,
    a document that is not a feed raises MalformedPayload."""
    posts: list[Post] = []
    for item in iter_feed(document, feed_url=feed_url):
        if isinstance(item, ParseProblem):
            if item.where == "(document)":
                raise MalformedPayload("news", f"{feed_url}: {item.reason}")
            log_problem("news", ParseProblem(f"{feed_url} {item.where}", item.reason), None)
        else:
            posts.append(item)
    return posts


def _rss(root: ET.Element, feed_url: str) -> Iterator[Post | ParseProblem]:
    channel_el = root.find("channel")
    if channel_el is None:
        channel_el = root.find(f"{RSS1}channel")
    channel = _Channel(
        title=_text(channel_el.find("title") if channel_el is not None else None)
        or _text(channel_el.find(f"{RSS1}title") if channel_el is not None else None),
        lang=_text(channel_el.find("language") if channel_el is not None else None)
        or _text(channel_el.find(f"{DC}language") if channel_el is not None else None)
        or None,
        feed_url=feed_url,
    )
    items = root.findall("channel/item") or root.findall(f"{RSS1}item")
    for i, item in enumerate(items):

        def get(name: str, item: ET.Element = item) -> str:
            return _text(item.find(name)) or _text(item.find(f"{RSS1}{name}"))

        where = f"item {i + 1}"
        try:
            yield _news_post(
                channel,
                guid=get("guid")
                or item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about", ""),
                title=get("title"),
                summary_html=_text(item.find(f"{CONTENT}encoded")) or get("description"),
                link=get("link"),
                date=_date(get("pubDate") or _text(item.find(f"{DC}date"))),
                author=_text(item.find(f"{DC}creator")) or get("author"),
                categories=[_text(c) for c in item.findall("category") if _text(c)],
            )
        except MalformedPayload as exc:
            yield ParseProblem(f"{where} ({get('title')[:60]!r})", str(exc).removeprefix("news: "))


def _atom(root: ET.Element, feed_url: str) -> Iterator[Post | ParseProblem]:
    channel = _Channel(
        title=_text(root.find(f"{ATOM}title")), lang=root.get(XML_LANG), feed_url=feed_url
    )
    for i, entry in enumerate(root.findall(f"{ATOM}entry")):
        link = ""
        for candidate in entry.findall(f"{ATOM}link"):
            if candidate.get("rel", "alternate") == "alternate":
                link = candidate.get("href", "")
                break
        content = entry.find(f"{ATOM}summary")
        if content is None:
            content = entry.find(f"{ATOM}content")
        title = _text(entry.find(f"{ATOM}title"))
        try:
            yield _news_post(
                _Channel(channel.title, entry.get(XML_LANG) or channel.lang, feed_url),
                guid=_text(entry.find(f"{ATOM}id")),
                title=title,
                summary_html=_text(content),
                link=link,
                date=_date(
                    _text(entry.find(f"{ATOM}published")) or _text(entry.find(f"{ATOM}updated"))
                ),
                author=_text(entry.find(f"{ATOM}author/{ATOM}name")),
                categories=[c.get("term", "") for c in entry.findall(f"{ATOM}category")],
            )
        except MalformedPayload as exc:
            yield ParseProblem(f"entry {i + 1} ({title[:60]!r})", str(exc).removeprefix("news: "))


# ---------------------------------------------------------------- polling


@dataclass(frozen=True)
class Feed:
    url: str
    interval: float = 900.0  # seconds between polls; most press feeds change a few times an hour


class FeedPoller:
    """Polls each feed at its interval with ETag / If-Modified-Since, so an unchanged feed
    costs the publisher a 304 and us nothing. Validators and the next poll time are kept in
    the CursorStore, so a restart neither hammers feeds nor forgets what it had."""

    name = "news"

    def __init__(
        self,
        feeds: list[Feed],
        *,
        cursors: CursorStore,
        gateway: HttpGateway | None = None,
        clock: Clock | None = None,
        tick: float = 1.0,
        on_problem: OnProblem | None = None,
        on_health: OnHealth | None = None,
    ) -> None:
        self.feeds = feeds
        self.on_health = on_health
        self.cursors = cursors
        self.clock = clock or SystemClock()
        self.gateway = gateway or HttpGateway("news", clock=self.clock)
        self.tick = tick
        self.on_problem = on_problem
        self.not_modified = 0

    def _state(self, feed: Feed) -> dict[str, Any]:
        raw = self.cursors.get(f"news:{feed.url}")
        try:
            state = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            state = {}
        return state if isinstance(state, dict) else {}

    def poll(self, feed: Feed, on_post: OnPost) -> int:
        """Fetch one feed now; returns the number of posts handed over."""
        state = self._state(feed)
        headers = {"User-Agent": "Veille (news reader; +https://github.com/)"}
        if state.get("etag"):
            headers["If-None-Match"] = str(state["etag"])
        if state.get("last_modified"):
            headers["If-Modified-Since"] = str(state["last_modified"])
        state["next_poll"] = self.clock.now() + feed.interval
        count = 0
        try:
            response = self.gateway.request(
                "GET", feed.url, headers=headers, allow=frozenset({304})
            )
            if response.status_code == 304:
                self.not_modified += 1
            else:
                state["etag"] = response.headers.get("etag", "")
                state["last_modified"] = response.headers.get("last-modified", "")
                for item in iter_feed(response.content, feed_url=feed.url):
                    if isinstance(item, ParseProblem):
                        log_problem(
                            "news",
                            ParseProblem(f"{feed.url} {item.where}", item.reason),
                            self.on_problem,
                        )
                    else:
                        on_post(item)
                        count += 1
        finally:
            self.cursors.set(f"news:{feed.url}", json.dumps(state, sort_keys=True))
        return count

    def listen(self, on_post: OnPost, stop: threading.Event) -> None:
        while not stop.is_set():
            for feed in self.feeds:
                if stop.is_set():
                    break
                if float(self._state(feed).get("next_poll", 0)) > self.clock.now():
                    continue
                try:
                    self.poll(feed, on_post)
                except ConnectorError as exc:
                    log.warning("news: %s", exc)
                    report_health(self.on_health, exc)
                else:
                    report_health(self.on_health)
            stop.wait(self.tick)
