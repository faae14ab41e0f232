"""News: every RSS version (0.9x, 1.0/RDF, 2.0), Atom 0.3 and 1.0 and CDF, read by feedparser
(encodings, entities, dates, namespaces), polled politely, parsed into posts of network "news".

Feeds are untrusted input from the web: before feedparser reads a document, defusedxml reads
it once and any entity declaration (expansion bombs, external entities) refuses it whole.
"""

from __future__ import annotations

import calendar
import contextlib
import hashlib
import io
import json
import logging
import re
import threading
import xml.etree.ElementTree as ET  # ParseError only; the safety read uses defusedxml
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import feedparser
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

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_ENTITY_DECLARATION = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
# A general entity with a short literal value that refers to nothing else.
_PLAIN_ENTITY = re.compile(rb"<!ENTITY\s+[\w.:-]+\s+(?:\"[^\"&%<]{0,64}\"|'[^'&%<]{0,64}')\s*>")
_MAX_ENTITIES = 20
_FEED_ROOTS = {"rss", "feed", "rdf:rdf", "rdf", "channel"}  # channel: CDF
_MEDIA_KINDS = {"image": "photo", "video": "video", "audio": "audio"}


def _post_id(guid: str) -> str:
    # Post ids are at most 128 characters; long guids become a stable digest.
    return guid if len(guid) <= 128 else "sha256:" + hashlib.sha256(guid.encode()).hexdigest()


def _unsafe(document: bytes) -> str | None:
    """Why the document must not be parsed (None when it may). Entity declarations are read
    in every encoding the document may be in: a parameter or external entity, or one whose
    value refers to other entities (how expansion bombs grow) or is long, refuses it whole;
    a few short plain ones (``<!ENTITY id "tag:example.com,">``) are harmless. defusedxml
    then reads the document, refusing anything external that is left."""
    variants = [document]
    for codec in ("utf-16", "utf-32"):
        with contextlib.suppress(UnicodeDecodeError, LookupError):
            variants.append(document.decode(codec).encode("utf-8"))
    for variant in variants:
        declared = _ENTITY_DECLARATION.findall(variant)
        checked = _PLAIN_ENTITY.findall(variant)
        if len(declared) > len(checked) or len(checked) > _MAX_ENTITIES:
            return "refused unsafe XML (a parameter, external or expanding entity declaration)"
    try:
        fromstring(document, forbid_entities=False)
    except DefusedXmlException as exc:
        return f"refused unsafe XML ({type(exc).__name__})"
    except (ET.ParseError, ValueError, LookupError):
        pass  # not well-formed: feedparser's lenient reading copes, and no entity is unsafe
    return None


def _root_element(document: bytes) -> str:
    """The first element's name, lower case (after the XML declaration, comments, DOCTYPE)."""
    text = document[:65536]
    with contextlib.suppress(UnicodeDecodeError):
        if text.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = text.decode("utf-16").encode("utf-8")
    text = re.sub(rb"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", b"", text, flags=re.S)
    found = re.search(rb"<([A-Za-z_][\w.:-]*)", text)
    return found.group(1).decode("ascii", "replace").lower() if found else "?"


def _text(detail: Mapping[str, Any] | None, value: str) -> str:
    """A feed text construct as plain text: HTML ones are read as HTML, others kept as is
    (feedparser already decoded their entities)."""
    kind = str((detail or {}).get("type", "text/plain"))
    if kind in _HTML_TYPES:
        return html_to_text(value)[0]
    return value.strip()


def _when(parsed: object) -> datetime | None:
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None


@dataclass
class _Channel:
    title: str
    lang: str | None
    feed_url: str
    date: datetime | None
    author: str


def _news_post(channel: _Channel, entry: dict[str, Any], seen: datetime) -> Post:
    title = _text(entry.get("title_detail"), str(entry.get("title") or ""))
    contents = entry.get("content") or []
    summary_detail = entry.get("summary_detail") or (contents[0] if contents else None)
    raw_summary = str(entry.get("summary") or (contents[0].get("value") if contents else "") or "")
    kind = str((summary_detail or {}).get("type", "text/html"))
    links: list[str] = []
    if kind == "text/plain":
        summary = raw_summary.strip()
    else:
        summary, links = html_to_text(raw_summary)
    link = str(entry.get("link") or "")
    if not (title or summary or link):
        kept = ", ".join(sorted(k for k in entry if not k.endswith(("_detail", "_parsed")))[:5])
        raise MalformedPayload(
            "news", f"not posts: an entry with no text and no link (it has only: {kept or '-'})"
        )
    guid = str(entry.get("id") or link or "")
    if not guid:  # neither an id nor a link: the entry's own words make it stable
        guid = "sha256:" + hashlib.sha256(f"{title}\n{summary}".encode()).hexdigest()
    date = next(
        (
            d
            for d in (
                _when(dict.get(entry, k))  # dict's: feedparser's own maps keys, with a warning
                for k in ("published_parsed", "updated_parsed", "created_parsed")
            )
            if d is not None
        ),
        None,
    )
    date_from = "entry"
    if date is None:
        date, date_from = (channel.date, "feed") if channel.date else (seen, "seen")
    text = title if not summary else f"{title}\n\n{summary}" if title else summary
    host = urlsplit(channel.feed_url).netloc.removeprefix("www.")
    lang = ((entry.get("title_detail") or {}).get("language") or channel.lang or "").split("-")[
        0
    ].lower()[:8] or None
    media = [
        {
            "type": _MEDIA_KINDS.get(str(e.get("type", "")).split("/")[0], "file"),
            "url": str(e.get("href", "")),
        }
        for e in entry.get("enclosures") or []
        if isinstance(e, Mapping)
    ]
    data: dict[str, Any] = {
        "id": _post_id(guid),
        "network": "news",
        "created_at": date,
        "text": text,
        "lang": lang,
        "author": {
            "id": channel.feed_url[:128],
            "username": (host or channel.feed_url)[:255],
            "name": (str(entry.get("author") or "") or channel.author or channel.title)[:255],
        },
        "urls": list(dict.fromkeys([u for u in [link, *links] if u])),
        "media": media,
        "title": title,
        "url": link or None,
        "feed_url": channel.feed_url,
        "feed_title": channel.title,
        "categories": [str(t.get("term")) for t in entry.get("tags") or [] if t.get("term")],
    }
    if date_from != "entry":
        data["date_from"] = date_from  # the entry has no date of its own
    try:
        return parse_post(data)
    except PostError as exc:
        raise MalformedPayload("news", str(exc)) from None


def iter_feed(
    document: bytes, *, feed_url: str, content_type: str | None = None, fetched: bool = True
) -> Iterator[Post | ParseProblem]:
    """Every entry of a feed; a problem names the entry and the reason, or the document when
    it is unsafe, not a feed, or a feed without entries. Relative links of a ``fetched`` feed
    are resolved against its address (a file's path is no base for them)."""
    unsafe = _unsafe(document)
    if unsafe is not None:
        yield ParseProblem("(document)", unsafe)
        return
    headers = {"content-location": feed_url} if fetched else {}
    if content_type:
        headers["content-type"] = content_type
    try:  # a stream: feedparser never fetches or opens anything itself
        parsed = feedparser.parse(io.BytesIO(document), response_headers=headers)
    except Exception as exc:  # feedparser's own failure must not cost the other feeds
        yield ParseProblem("(document)", f"unreadable feed ({type(exc).__name__}: {exc})")
        return
    feed = parsed.get("feed") or {}
    entries = parsed.get("entries") or []
    root = _root_element(document)
    if not parsed.get("version") and not entries and root not in _FEED_ROOTS:
        yield ParseProblem("(document)", f"not an RSS or Atom feed (root element <{root}>)")
        return
    channel = _Channel(
        title=_text(feed.get("title_detail"), str(feed.get("title") or "")),
        lang=feed.get("language") or (feed.get("title_detail") or {}).get("language"),
        feed_url=feed_url,
        date=_when(dict.get(feed, "updated_parsed") or dict.get(feed, "published_parsed")),
        author=str(feed.get("author") or ""),
    )
    if not entries:
        yield ParseProblem(
            "(document)",
            f"not posts: a feed ({parsed.get('version') or 'unknown version'}) with no "
            f"entries, titled {channel.title!r}",
        )
        return
    seen = datetime.now(UTC)
    for i, entry in enumerate(entries):
        try:
            yield _news_post(channel, entry, seen)
        except MalformedPayload as exc:
            title = str(entry.get("title") or "")[:60]
            yield ParseProblem(f"entry {i + 1} ({title!r})", str(exc).removeprefix("news: "))


def parse_feed(document: bytes, *, feed_url: str) -> list[Post]:
    """Posts of a feed; entries that cannot be read are logged and skipped, a document that
    is not a feed raises MalformedPayload."""
    posts: list[Post] = []
    for item in iter_feed(document, feed_url=feed_url):
        if isinstance(item, ParseProblem):
            if item.where == "(document)":
                if item.reason.startswith("not posts:"):
                    continue  # an empty feed is a feed
                raise MalformedPayload("news", f"{feed_url}: {item.reason}")
            log_problem("news", ParseProblem(f"{feed_url} {item.where}", item.reason), None)
        else:
            posts.append(item)
    return posts


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
                content_type = response.headers.get("content-type")
                for item in iter_feed(
                    response.content, feed_url=feed.url, content_type=content_type
                ):
                    if isinstance(item, ParseProblem):
                        if item.reason.startswith("not posts:"):
                            continue  # a feed with no entries yet
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
