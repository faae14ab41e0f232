"""Mastodon on any instance: Status parsing, streaming with REST catch-up, search, posting.

Post ids are the instance's own status ids (what replies and threads refer to); the global
ActivityPub ``uri`` is kept on the post as ``uri``.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI
from websockets.sync.client import connect

from veille.posts import Post, PostError, parse_post
from veille.sources.base import (
    AuthExpired,
    Backoff,
    Clock,
    ConnectorError,
    CursorStore,
    HttpGateway,
    MalformedPayload,
    NetworkError,
    OnHealth,
    OnPost,
    OnProblem,
    ParseProblem,
    PostDeleted,
    PublishedPost,
    RateLimited,
    SystemClock,
    json_object,
    log_problem,
    quiet_logger,
    report_health,
    reset_time,
)
from veille.sources.media import (
    MASTODON_MAX_BYTES,
    MediaFile,
    about,
    check_media,
    send_body,
)
from veille.sources.text import html_to_text

log = logging.getLogger("veille.sources.mastodon.client")

_MEDIA_TYPES = {"image": "photo", "gifv": "animated_gif", "video": "video", "audio": "audio"}

# ---------------------------------------------------------------- parsing


def _id(value: object) -> str | None:
    # Servers before 2.0 sent integer ids; they are strings since.
    return None if value is None else str(value)


def parse_mastodon_status(status: dict[str, Any], *, edited: bool = False) -> Post:
    """A Mastodon Status entity to a Post; a boost becomes a repost of the boosted status;
    ``edited``: the status as its author edited it (streaming's ``status.update``)."""
    if not isinstance(status, dict):
        raise MalformedPayload("mastodon", "a status must be a JSON object")
    missing = [f for f in ("id", "created_at", "account", "content") if f not in status]
    if missing:
        raise MalformedPayload(
            "mastodon",
            f"not a whole status (id {status.get('id', '?')}): it has no "
            + ", ".join(repr(f) for f in missing),
        )
    account = status["account"]
    if not isinstance(account, dict) or "id" not in account:
        raise MalformedPayload("mastodon", "status.account has no 'id'")
    boosted = status.get("reblog")
    shown = boosted if isinstance(boosted, dict) else status
    text, links = html_to_text(str(shown.get("content") or ""))
    card = shown.get("card") or {}
    if card.get("url") and card["url"] not in links:
        links.append(str(card["url"]))
    # Only the status's own mention list: a quoted post's link is not a mention.
    mentions = [str(m.get("acct", "")).lower() for m in shown.get("mentions") or []]
    reply_account = _id(status.get("in_reply_to_account_id"))
    username = str(account.get("acct") or account.get("username") or account["id"])
    in_reply_to = next(
        (
            str(m["acct"])
            for m in status.get("mentions") or []
            if _id(m.get("id")) == reply_account and m.get("acct")
        ),
        username if reply_account is not None and reply_account == _id(account["id"]) else None,
    )
    data: dict[str, Any] = {
        "id": str(status["id"]),
        "network": "mastodon",
        "created_at": status["created_at"],
        "text": text,
        "lang": shown.get("language"),
        "author": {
            "id": str(account["id"]),
            "username": username,
            "name": account.get("display_name") or "",
            "followers_count": account.get("followers_count") or 0,
            "description": html_to_text(str(account.get("note") or ""))[0],
            "bot": bool(account.get("bot", False)),
        },
        "is_reply": status.get("in_reply_to_id") is not None,
        "in_reply_to_id": _id(status.get("in_reply_to_id")),
        "in_reply_to": in_reply_to,
        "urls": links,
        "mentions": mentions,
        "hashtags": [str(t.get("name", "")).lower() for t in shown.get("tags") or []],
        "media": [
            {"type": _MEDIA_TYPES.get(str(m.get("type")), str(m.get("type", "unknown")))}
            for m in shown.get("media_attachments") or []
        ],
        "metrics": {
            "likes": shown.get("favourites_count") or 0,
            "reposts": shown.get("reblogs_count") or 0,
            "replies": shown.get("replies_count") or 0,
        },
        "url": status.get("url") or shown.get("url"),
        "uri": status.get("uri"),
    }
    if status.get("spoiler_text"):
        data["spoiler_text"] = status["spoiler_text"]
    if edited:
        data["edited"] = True
    poll = shown.get("poll")
    if isinstance(poll, dict):
        data["poll"] = {
            "options": [
                {"title": str(o.get("title", "")), "votes": o.get("votes_count")}
                for o in poll.get("options") or []
                if isinstance(o, dict)
            ],
            "expires_at": poll.get("expires_at"),
            "expired": bool(poll.get("expired", False)),
            "votes": poll.get("votes_count"),
        }
    if isinstance(boosted, dict):
        data["is_retweet"] = True
        data["retweet_of"] = str((boosted.get("account") or {}).get("acct", ""))
        data["reposted_id"] = str(boosted.get("id"))
    quoted = (shown.get("quote") or {}).get("quoted_status")  # Mastodon 4.5 quotes
    if isinstance(quoted, dict) and quoted.get("id"):
        data.update(is_quote=True, quote_of=str(quoted["id"]))
    try:
        return parse_post(data)
    except PostError as exc:
        raise MalformedPayload("mastodon", str(exc)) from None


def _statuses_in(body: object) -> tuple[list[tuple[str, object]], str | None]:
    """The statuses a saved response holds, each with where it is, or why it holds none:
    a status list (timelines, bookmarks), one Status, a context (ancestors, descendants), a
    search result, notifications or conversations (their status), grouped notifications."""
    if isinstance(body, dict):
        if "content" in body or ("id" in body and "created_at" in body and "type" not in body):
            return [("status", body)], None
        found: list[tuple[str, object]] = []
        for key in ("ancestors", "descendants", "statuses"):  # context, search, grouped
            if isinstance(body.get(key), list):
                found += [(f"{key}[{i}]", s) for i, s in enumerate(body[key])]
        if any(isinstance(body.get(k), list) for k in ("ancestors", "descendants", "statuses")):
            return found, None if found else "not posts: a response with no status in it"
        if isinstance(body.get("status"), dict) or isinstance(body.get("last_status"), dict):
            return _statuses_in([body])
        keys = ", ".join(sorted(body)[:6]) or "none"
        return [], f"not posts: a JSON object that holds no status (keys: {keys})"
    if not isinstance(body, list):
        return [], "expected a JSON list of statuses"
    found = []
    for i, item in enumerate(body):
        if isinstance(item, dict) and "type" in item and "content" not in item:  # notification
            if isinstance(item.get("status"), dict):
                found.append((f"item {i} (notification {item.get('type')})", item["status"]))
        elif isinstance(item, dict) and "last_status" in item and "content" not in item:
            if isinstance(item.get("last_status"), dict):  # a conversation
                found.append((f"item {i} (conversation)", item["last_status"]))
        else:
            found.append((f"item {i}", item))
    if body and not found:
        return [], f"not posts: {len(body)} notifications or conversations without a status"
    return found, None


def iter_mastodon_statuses(body: object) -> Iterator[Post | ParseProblem]:
    """The statuses of a saved response (see ``_statuses_in``), a problem per bad one."""
    statuses, why_none = _statuses_in(body)
    if why_none is not None:
        yield ParseProblem("(root)", why_none)
        return
    for where, status in statuses:
        try:
            yield parse_mastodon_status(status)  # type: ignore[arg-type]
        except MalformedPayload as exc:
            yield ParseProblem(where, str(exc).removeprefix("mastodon: "))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            yield ParseProblem(where, f"unreadable status ({type(exc).__name__}: {exc})")


def _newer(a: str, b: str | None) -> bool:
    """Mastodon ids are numeric strings that sort by time."""
    if b is None:
        return True
    if a.isdigit() and b.isdigit():
        return int(a) > int(b)
    return (len(a), a) > (len(b), b)


# ---------------------------------------------------------------- REST client


class MastodonClient:
    """One account on one instance (``instance_url`` like https://piaille.fr)."""

    def __init__(
        self,
        *,
        instance_url: str,
        access_token: str | None,
        streaming_url: str | None = None,
        gateway: HttpGateway | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.instance_url = instance_url.rstrip("/")
        self.streaming_url = (streaming_url or self._default_streaming()).rstrip("/")
        self.gateway = gateway or HttpGateway("mastodon", clock=clock or SystemClock())
        self.gateway.hide(access_token)
        self._token = access_token

    def __repr__(self) -> str:
        return f"MastodonClient(instance_url={self.instance_url!r})"

    def _default_streaming(self) -> str:
        parts = urlsplit(self.instance_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        return f"{scheme}://{parts.netloc}"

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    def _get(self, path: str, params: Any = None) -> Any:
        response = self.gateway.request(
            "GET", f"{self.instance_url}{path}", headers=self.headers(), params=params
        )
        try:
            return response.json()
        except ValueError:
            raise MalformedPayload("mastodon", f"GET {path}: response is not JSON") from None

    def _statuses(self, body: object, on_problem: OnProblem | None) -> list[Post]:
        posts: list[Post] = []
        for item in iter_mastodon_statuses(body):
            if isinstance(item, ParseProblem):
                log_problem("mastodon", item, on_problem)
            else:
                posts.append(item)
        return posts

    def timeline(
        self,
        stream: str,
        *,
        tag: str | None = None,
        min_id: str | None = None,
        limit: int = 40,
        on_problem: OnProblem | None = None,
    ) -> list[Post]:
        """Statuses right after ``min_id`` (oldest first) on a hashtag or public timeline."""
        if stream == "hashtag":
            if not tag:
                raise ValueError("a hashtag stream needs a tag")
            path = f"/api/v1/timelines/tag/{quote(tag, safe='')}"
        else:
            path = "/api/v1/timelines/public"
        params: dict[str, Any] = {"limit": limit}
        if stream == "public:local":
            params["local"] = "true"
        if min_id:
            params["min_id"] = min_id
        posts = self._statuses(self._get(path, params), on_problem)
        return sorted(posts, key=lambda p: (len(p.id), p.id))

    def mentions(
        self, *, min_id: str | None = None, limit: int = 40, on_problem: OnProblem | None = None
    ) -> tuple[list[Post], str | None]:
        """Statuses mentioning the account after notification ``min_id``, and the newest
        notification id to resume from."""
        params: list[tuple[str, str]] = [("types[]", "mention"), ("limit", str(limit))]
        if min_id:
            params.append(("min_id", min_id))
        body = self._get("/api/v1/notifications", params)
        if not isinstance(body, list):
            raise MalformedPayload("mastodon", "notifications: expected a list")
        newest = min_id
        statuses = []
        for note in body:
            if isinstance(note, dict) and note.get("id") and _newer(str(note["id"]), newest):
                newest = str(note["id"])
            if isinstance(note, dict) and isinstance(note.get("status"), dict):
                statuses.append(note["status"])
        return self._statuses(statuses, on_problem), newest

    def discover_streaming_url(self) -> str:
        """The streaming host the instance announces (often not the web host), kept."""
        body = self._get("/api/v1/instance")
        urls = body.get("urls") if isinstance(body, dict) else None
        announced = urls.get("streaming_api") if isinstance(urls, dict) else None
        if isinstance(announced, str) and announced.startswith(("ws://", "wss://")):
            self.streaming_url = announced.rstrip("/")
        return self.streaming_url

    def search(
        self, query: str, *, limit: int = 40, on_problem: OnProblem | None = None
    ) -> list[Post]:
        """Full-text status search (the instance decides how much it indexes)."""
        body = self._get(
            "/api/v2/search",
            {"q": query, "type": "statuses", "limit": limit, "resolve": "false"},
        )
        return self._statuses(body, on_problem)

    def publish(
        self,
        text: str,
        *,
        idempotency_key: str | None = None,
        in_reply_to_id: str | None = None,
        language: str | None = "fr",
        visibility: str = "public",
        timeout: float = 20.0,
        media: Sequence[MediaFile] = (),
        media_wait: float = 120.0,
    ) -> PublishedPost:
        """POST /api/v1/statuses. The Idempotency-Key (one per draft) makes the retry after a
        timeout return the status already created instead of a second one. Images are
        uploaded first; any failure stops before the status, so it never goes out without
        them (a retry uploads them again, which only leaves unused attachments)."""
        check_media("mastodon", media, max_bytes=MASTODON_MAX_BYTES)
        media_ids = []
        for item in media:
            try:
                media_ids.append(self.upload_media(item, wait=media_wait))
            except ConnectorError as exc:
                raise about(item, exc) from None
        key = idempotency_key or uuid.uuid4().hex
        form: dict[str, Any] = {"status": text, "visibility": visibility}
        if media_ids:
            form["media_ids"] = media_ids
        if in_reply_to_id:
            form["in_reply_to_id"] = in_reply_to_id
        if language:
            form["language"] = language
        headers = {**self.headers(), "Idempotency-Key": key}
        url = f"{self.instance_url}/api/v1/statuses"
        for attempt in (1, 2, 3):
            try:
                response = self.gateway.request(
                    "POST", url, headers=headers, json_body=form, timeout=timeout
                )
            except NetworkError:
                if attempt == 3:
                    raise
                log.info("mastodon: publish did not complete; retrying with the same key")
                continue
            body = json_object(response, "mastodon", "POST /api/v1/statuses")
            return PublishedPost("mastodon", str(body["id"]), str(body.get("url") or ""))
        raise AssertionError("unreachable")  # pragma: no cover

    def upload_media(self, item: MediaFile, *, wait: float = 120.0, timeout: float = 60.0) -> str:
        """POST /api/v2/media (the file and its alt text as ``description``); the id once
        the instance has processed it. A 202 means still processing: GET /api/v1/media/:id
        answers 206 until the attachment's ``url`` is set."""
        filename = "image." + item.mime.rsplit("/", 1)[-1].replace("jpeg", "jpg")
        response = send_body(
            self.gateway,
            "POST",
            f"{self.instance_url}/api/v2/media",
            headers=self.headers(),
            files={"file": (filename, item.data, item.mime)},
            data={"description": item.alt} if item.alt else None,
            timeout=timeout,
        )
        body = json_object(response, "mastodon", "POST /api/v2/media")
        media_id = str(body.get("id") or "")
        if not media_id:
            raise MalformedPayload("mastodon", "POST /api/v2/media answered without an id")
        waited = 0.0
        while response.status_code == 202 or not body.get("url"):
            if waited >= wait:
                raise NetworkError("mastodon", f"still processing after {wait:.0f} s")
            self.gateway.clock.sleep(1.0)
            waited += 1.0
            response = self.gateway.request(
                "GET",
                f"{self.instance_url}/api/v1/media/{quote(media_id, safe='')}",
                headers=self.headers(),
                allow=frozenset({206}),
            )
            body = json_object(response, "mastodon", "GET /api/v1/media/:id")
            if response.status_code == 206:
                body = {}
        return media_id


# ---------------------------------------------------------------- streaming


class MastodonStream:
    """A streaming timeline (``hashtag``, ``public``, ``public:local`` or ``user``).

    The streaming API has no replay, so after each (re)connection the gap is filled over REST
    from the last id seen, which the CursorStore keeps across restarts.
    """

    name = "mastodon"

    def __init__(
        self,
        client: MastodonClient,
        *,
        cursors: CursorStore,
        stream: str = "hashtag",
        tag: str | None = None,
        stall_timeout: float = 120.0,
        backoff: Backoff | None = None,
        on_problem: OnProblem | None = None,
        on_health: OnHealth | None = None,
        discover_streaming: bool = False,
        cursor_key: str | None = None,
        revise: Callable[[Post | PostDeleted], None] | None = None,
    ) -> None:
        if stream not in {"hashtag", "public", "public:local", "user"}:
            raise ValueError(f"unknown Mastodon stream {stream!r}")
        if stream == "hashtag" and not tag:
            raise ValueError("a hashtag stream needs a tag")
        self.client = client
        self.cursors = cursors
        self.stream = stream
        self.tag = tag.lstrip("#") if tag else None
        host = urlsplit(client.instance_url).netloc
        self.cursor_key = cursor_key or f"mastodon:{host}:{stream}:{self.tag or ''}"
        self.stall_timeout = stall_timeout
        self.backoff = backoff or Backoff(initial=1.0, maximum=60.0)
        self.on_problem = on_problem
        self.on_health = on_health
        self.discover_streaming = discover_streaming
        self.revise = revise  # deletions and edits, applied to the store
        self.last_id: str | None = cursors.get(self.cursor_key)
        self.connections = 0

    def streaming_url(self) -> str:
        params = {"stream": self.stream}
        if self.tag:
            params["tag"] = self.tag
        return f"{self.client.streaming_url}/api/v1/streaming?{urlencode(params)}"

    def _emit(self, post: Post, on_post: OnPost, cursor_id: str | None = None) -> None:
        on_post(post)
        mark = cursor_id or post.id
        if _newer(mark, self.last_id):
            self.last_id = mark
            self.cursors.set(self.cursor_key, mark)

    def catch_up(self, on_post: OnPost) -> int:
        """Fetch what was posted since the last id seen; returns how many posts came."""
        if self.last_id is None:
            return 0  # first run: start from now, there is no gap to fill
        count = 0
        for _ in range(25):  # at most 1,000 statuses per reconnection
            if self.stream == "user":
                posts, newest = self.client.mentions(
                    min_id=self.last_id, on_problem=self.on_problem
                )
                for post in posts:
                    on_post(post)
                if newest and newest != self.last_id:
                    self.last_id = newest
                    self.cursors.set(self.cursor_key, newest)
            else:
                posts = self.client.timeline(
                    self.stream, tag=self.tag, min_id=self.last_id, on_problem=self.on_problem
                )
                for post in posts:
                    self._emit(post, on_post)
            count += len(posts)
            if not posts:
                break
        return count

    def listen(self, on_post: OnPost, stop: threading.Event) -> None:
        if self.discover_streaming:
            try:
                self.client.discover_streaming_url()
            except ConnectorError as exc:
                log.info("mastodon: no streaming host announced (%s); using the default", exc)
        while not stop.is_set():
            if self._connect_once(on_post, stop):
                self.backoff.reset()
            if not stop.is_set():
                stop.wait(self.backoff.next())

    def _connect_once(self, on_post: OnPost, stop: threading.Event) -> bool:
        healthy = False
        self.connections += 1
        try:
            with connect(
                self.streaming_url(),
                additional_headers=self.client.headers(),
                open_timeout=10,
                close_timeout=2,
                proxy=None,
                logger=quiet_logger("veille.sources.mastodon.websocket"),
            ) as socket:
                # Subscribe first, then fill the gap: a post in between arrives twice at worst.
                self.catch_up(on_post)
                healthy = True
                report_health(self.on_health)
                idle = 0.0
                while not stop.is_set():
                    try:
                        message = socket.recv(timeout=0.5)
                    except TimeoutError:
                        idle += 0.5
                        if idle >= self.stall_timeout:
                            log.warning("mastodon: stream stalled, reconnecting")
                            return healthy
                        continue
                    idle = 0.0
                    self._handle(message, on_post)
        except ConnectionClosed:
            log.warning("mastodon: stream closed, reconnecting and catching up")
        except InvalidStatus as exc:
            refused = self._refusal(exc)
            log.warning("%s", refused)
            report_health(self.on_health, refused)
        except (OSError, InvalidHandshake, InvalidURI) as exc:
            log.warning("mastodon: streaming unreachable (%s)", type(exc).__name__)
        except ConnectorError as exc:
            log.warning("mastodon: catch-up failed (%s)", exc)
            report_health(self.on_health, exc)
        return healthy

    def _refusal(self, exc: InvalidStatus) -> ConnectorError:
        """What a refused websocket handshake means for the account."""
        status = exc.response.status_code
        where = "GET /api/v1/streaming"
        if status in (401, 403):
            return AuthExpired("mastodon", f"{where} answered {status}: reconnect the account")
        if status == 429:
            headers = {k: v for k, v in exc.response.headers.raw_items()}
            until = reset_time(headers, self.client.gateway.clock.now())
            return RateLimited(
                "mastodon",
                f"{where} answered 429",
                until=until or self.client.gateway.clock.now() + 60,
            )
        return NetworkError("mastodon", f"{where} answered {status}")

    def _handle(self, message: str | bytes, on_post: OnPost) -> None:
        try:
            envelope = json.loads(message)
            if not isinstance(envelope, dict) or "event" not in envelope:
                raise MalformedPayload("mastodon", "message has no 'event'")
            event = envelope["event"]
            if event in {"delete", "status.update"}:
                self._revise(event, envelope.get("payload"))
                return
            if event not in {"update", "notification"}:
                return  # filters_changed, announcements ...: nothing to read
            if (event == "update") == (self.stream == "user"):
                return  # the user stream is read for its mentions, not the home timeline
            # The payload is itself a JSON document inside a string.
            payload = json.loads(envelope.get("payload") or "")
            if event == "notification":
                if not isinstance(payload, Mapping) or payload.get("type") != "mention":
                    return
                self._emit(
                    parse_mastodon_status(payload["status"]), on_post, str(payload.get("id"))
                )
            else:
                self._emit(parse_mastodon_status(payload), on_post)
        except json.JSONDecodeError as exc:
            log_problem(
                "mastodon", ParseProblem("stream event", f"not JSON ({exc.msg})"), self.on_problem
            )
        except (MalformedPayload, KeyError, TypeError, AttributeError, ValueError) as exc:
            log_problem("mastodon", ParseProblem("stream event", str(exc)), self.on_problem)

    def _revise(self, event: str, payload: object) -> None:
        """A deleted status (its id is the payload) or an edited one, for the store."""
        if self.revise is None or not isinstance(payload, str):
            return
        if event == "delete":
            self.revise(PostDeleted("mastodon", payload))
            return
        self.revise(parse_mastodon_status(json.loads(payload), edited=True))
