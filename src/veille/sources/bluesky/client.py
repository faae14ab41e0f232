"""Bluesky: Jetstream listening with a persisted cursor, searchPosts, posting with facets.

Plain httpx and websockets against the documented XRPC endpoints: the three calls we need do
not justify the atproto SDK's weight, and a plain client is easier to test on a local server.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
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
    RequestRejected,
    SystemClock,
    TokenStore,
    json_object,
    log_problem,
    quiet_logger,
    report_health,
)
from veille.sources.bluesky.handles import HandleCache
from veille.sources.media import (
    BLUESKY_MAX_BYTES,
    MediaFile,
    about,
    check_media,
    image_size,
    send_body,
)

log = logging.getLogger("veille.sources.bluesky.client")

POST_COLLECTION = "app.bsky.feed.post"
JETSTREAM_URL = "wss://jetstream2.us-east.bsky.network/subscribe"
PDS_URL = "https://bsky.social"

# ---------------------------------------------------------------- parsing


def _did_of(uri: str) -> str:
    # at://did:plc:abc/app.bsky.feed.post/rkey → did:plc:abc
    return uri.removeprefix("at://").split("/", 1)[0]


def post_url(did_or_handle: str, rkey: str) -> str:
    return f"https://bsky.app/profile/{did_or_handle}/post/{rkey}"


def _facet_entities(text: str, facets: object) -> tuple[list[str], list[str], list[str]]:
    """Links, mentioned handles and hashtags from facets (byte offsets into UTF-8 text)."""
    urls: list[str] = []
    mentions: list[str] = []
    tags: list[str] = []
    if not isinstance(facets, list):
        return urls, mentions, tags
    raw = text.encode("utf-8")
    for facet in facets:
        if not isinstance(facet, dict):
            continue
        index = facet.get("index") or {}
        start, end = index.get("byteStart"), index.get("byteEnd")
        for feature in facet.get("features") or []:
            kind = str(feature.get("$type", ""))
            if kind.endswith("#link") and feature.get("uri"):
                urls.append(str(feature["uri"]))
            elif kind.endswith("#tag") and feature.get("tag"):
                tags.append(str(feature["tag"]).lower())
            elif kind.endswith("#mention"):
                if isinstance(start, int) and isinstance(end, int):
                    handle = raw[start:end].decode("utf-8", "replace").lstrip("@")
                    mentions.append(handle.lower() or str(feature.get("did", "")))
                elif feature.get("did"):
                    mentions.append(str(feature["did"]))
    return urls, mentions, tags


def post_from_record(
    *,
    uri: str,
    record: Mapping[str, Any],
    author: Mapping[str, Any],
    fallback_time: str | None = None,
    metrics: Mapping[str, int] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Post:
    """An ``app.bsky.feed.post`` record (as Jetstream or a PostView carries it) to a Post."""
    if not isinstance(record.get("text"), str):
        raise MalformedPayload("bluesky", "record has no text")
    did = str(author.get("did") or _did_of(uri))
    handle = author.get("handle")
    rkey = uri.rsplit("/", 1)[-1]
    text = record["text"]
    urls, mentions, tags = _facet_entities(text, record.get("facets"))
    langs = record.get("langs") or []
    # The username is the handle; the DID stands in, said so, until a handle is known.
    author_data: dict[str, Any] = {
        "id": did,
        "username": str(handle or did),
        "name": author.get("displayName") or "",
        "did": did,
    }
    if not handle:
        author_data["handle_unknown"] = True
    data: dict[str, Any] = {
        "id": uri,
        "network": "bluesky",
        "created_at": record.get("createdAt") or fallback_time,
        "text": text,
        "lang": str(langs[0]).split("-")[0].lower()[:8] if langs else None,
        "author": author_data,
        "urls": urls,
        "mentions": mentions,
        "hashtags": tags + [str(t).lower() for t in record.get("tags") or []],
        "url": post_url(str(handle or did), rkey),
        "metrics": dict(metrics or {}),
    }
    reply = record.get("reply")
    if isinstance(reply, dict):
        parent = str((reply.get("parent") or {}).get("uri", ""))
        root = str((reply.get("root") or {}).get("uri", ""))
        data.update(is_reply=True, in_reply_to_id=parent or None, conversation_id=root or None)
        data["in_reply_to"] = _did_of(parent) if parent else None
    media: list[dict[str, str]] = []
    embed = record.get("embed")
    if isinstance(embed, dict):
        _read_embed(embed, data, media)
    data["media"] = media
    data.update(extra or {})
    try:
        return parse_post(data)
    except PostError as exc:
        raise MalformedPayload("bluesky", str(exc)) from None


def _read_embed(
    embed: Mapping[str, Any], data: dict[str, Any], media: list[dict[str, str]]
) -> None:
    """Every embed of the post lexicon: images, video, external, record (a quote), record
    with media, gallery; the ``#view`` forms of post views too."""
    kind = str(embed.get("$type", "")).removesuffix("#view").removesuffix("#main")
    if kind == "app.bsky.embed.record":
        inner = embed.get("record") or {}
        quoted = inner.get("uri") if isinstance(inner, dict) else None
        if quoted:
            data.update(is_quote=True, quote_of=str(quoted))
    elif kind == "app.bsky.embed.recordWithMedia":
        record = embed.get("record")
        if isinstance(record, dict):
            _read_embed({**record, "$type": "app.bsky.embed.record"}, data, media)
        inner = embed.get("media")
        if isinstance(inner, dict):
            _read_embed(inner, data, media)
    elif kind == "app.bsky.embed.images":
        media.extend(_image(i) for i in embed.get("images") or [] if isinstance(i, dict))
    elif kind == "app.bsky.embed.gallery":
        media.extend(_image(i) for i in embed.get("media") or [] if isinstance(i, dict))
    elif kind == "app.bsky.embed.video":
        video = {"type": "video"}
        if embed.get("alt"):
            video["alt"] = str(embed["alt"])
        media.append(video)
    elif kind == "app.bsky.embed.external":
        external = embed.get("external") or {}
        if external.get("uri") and external["uri"] not in data["urls"]:
            data["urls"].append(str(external["uri"]))
        card = {"type": "link_card", "url": str(external.get("uri") or "")}
        if external.get("title"):
            card["title"] = str(external["title"])
        media.append(card)


def _image(item: Mapping[str, Any]) -> dict[str, str]:
    image = {"type": "photo"}
    if item.get("alt"):
        image["alt"] = str(item["alt"])
    return image


def _v1_event(event: dict[str, Any]) -> dict[str, Any]:
    """A Jetstream v2 message (``{"$type": "message", "payload": {...}}``, the commit's fields
    flat in the payload) in the v1 shape the rest reads."""
    payload = event.get("payload")
    if event.get("$type") != "message" or not isinstance(payload, dict):
        return event
    kind = str(payload.get("$type", "")).rsplit("#", 1)[-1]
    v1: dict[str, Any] = {"did": payload.get("did"), "kind": kind}
    if isinstance(payload.get("time_us"), int):
        v1["time_us"] = payload["time_us"]
    elif isinstance(payload.get("time"), str):
        v1["time"] = payload["time"]
    if kind == "commit":
        v1["commit"] = payload
    else:
        v1[kind] = payload
    return v1


def parse_jetstream_event(
    event: dict[str, Any], *, handles: Mapping[str, str] | None = None
) -> Post | PostDeleted | None:
    """A Jetstream event (v1, or a v2 message): a Post for a created or updated (edited)
    ``app.bsky.feed.post``, PostDeleted for a deleted one, None for anything else.

    Jetstream carries DIDs, not handles; ``handles`` (did → handle, fed by identity events
    and profile look-ups) names authors when known.
    """
    if isinstance(event, dict):
        event = _v1_event(event)
    if not isinstance(event, dict) or "did" not in event or "kind" not in event:
        raise MalformedPayload("bluesky", "event has no 'did' or 'kind'")
    if event["kind"] != "commit":
        return None
    commit = event.get("commit")
    if not isinstance(commit, dict):
        raise MalformedPayload("bluesky", "commit event has no 'commit' object")
    operation = commit.get("operation")
    if commit.get("collection") != POST_COLLECTION or operation not in (
        "create",
        "update",
        "delete",
    ):
        return None
    if "rkey" not in commit:
        raise MalformedPayload("bluesky", f"{operation} commit has no rkey")
    did = str(event["did"])
    uri = f"at://{did}/{POST_COLLECTION}/{commit['rkey']}"
    if operation == "delete":
        return PostDeleted("bluesky", uri)
    record = commit.get("record")
    if not isinstance(record, dict):
        raise MalformedPayload("bluesky", f"{operation} commit has no record")
    fallback = None
    if isinstance(event.get("time_us"), int):
        fallback = datetime.fromtimestamp(event["time_us"] / 1e6, UTC).isoformat()
    handle = (handles or {}).get(did)
    return post_from_record(
        uri=uri,
        record=record,
        author={"did": did, **({"handle": handle} if handle else {})},
        fallback_time=fallback,
        extra={"edited": True} if operation == "update" else None,
    )


def event_kind(event: object) -> str:
    """What a Jetstream event is about, to name a file that holds no post."""
    if not isinstance(event, dict):
        return "not an event"
    event = _v1_event(event)
    commit = event.get("commit")
    if isinstance(commit, dict):
        collection = str(commit.get("collection", "?")).rsplit(".", 1)[-1]
        return f"{collection} {commit.get('operation', '?')}"
    return str(event.get("kind", "?"))


def parse_post_view(view: Mapping[str, Any]) -> Post:
    """An ``app.bsky.feed.defs#postView`` (searchPosts, getPosts) to a Post."""
    if "uri" not in view or not isinstance(view.get("record"), dict):
        raise MalformedPayload("bluesky", "post view has no uri or record")
    return post_from_record(
        uri=str(view["uri"]),
        record=view["record"],
        author=view.get("author") or {},
        fallback_time=view.get("indexedAt"),
        metrics={
            "likes": int(view.get("likeCount") or 0),
            "reposts": int(view.get("repostCount") or 0),
            "replies": int(view.get("replyCount") or 0),
        },
    )


def iter_jetstream_events(
    events: Sequence[tuple[str, object]],
) -> Iterator[Post | PostDeleted | ParseProblem]:
    """Posts, deletions and edits of saved Jetstream events, each with where it comes from.

    Handles from the identity events anywhere in the file name the authors of every post;
    a file whose events hold no post is named by what they are (likes, follows ...).
    """
    handles: dict[str, str] = {}
    for _, event in events:
        if isinstance(event, dict):
            event = _v1_event(event)
            identity = event.get("identity")
            if isinstance(identity, dict) and identity.get("handle") and event.get("did"):
                handles[str(event["did"])] = str(identity["handle"])
    found = 0
    for where, event in events:
        try:
            item = parse_jetstream_event(event, handles=handles)  # type: ignore[arg-type]
        except MalformedPayload as exc:
            found += 1
            yield ParseProblem(where, str(exc).removeprefix("bluesky: "))
            continue
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            found += 1
            yield ParseProblem(where, f"unreadable event ({type(exc).__name__}: {exc})")
            continue
        if item is not None:
            found += 1
            yield item
    if not found and events:
        kinds = Counter(event_kind(e) for _, e in events)
        listed = ", ".join(f"{kind}: {n}" for kind, n in kinds.most_common(6))
        yield ParseProblem(
            "(document)", f"not posts: {len(events)} Jetstream events, none a post ({listed})"
        )


# ---------------------------------------------------------------- facets and record keys

_FACET_MENTION = re.compile(rb"(?:^|[\s(])(@([a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+))")
_FACET_LINK = re.compile(rb"https?://[^\s<>\"')\]]+[^\s<>\"')\].,;:!?]")
_FACET_TAG = re.compile(rb"(?:^|\s)(#([^\s#.,;:!?()\[\]]*[^\d\s#.,;:!?()\[\]][^\s#.,;:!?()\[\]]*))")


def build_facets(text: str, resolve_handle: Callable[[str], str | None]) -> list[dict[str, Any]]:
    """Rich-text facets for links, mentions (resolved to DIDs) and hashtags, in byte offsets."""
    raw = text.encode("utf-8")
    facets: list[dict[str, Any]] = []

    def add(start: int, end: int, feature: dict[str, str]) -> None:
        facets.append({"index": {"byteStart": start, "byteEnd": end}, "features": [feature]})

    for m in _FACET_LINK.finditer(raw):
        add(
            m.start(), m.end(), {"$type": "app.bsky.richtext.facet#link", "uri": m.group().decode()}
        )
    for m in _FACET_MENTION.finditer(raw):
        did = resolve_handle(m.group(2).decode())
        if did:
            add(m.start(1), m.end(1), {"$type": "app.bsky.richtext.facet#mention", "did": did})
    for m in _FACET_TAG.finditer(raw):
        tag = m.group(2).decode("utf-8")
        if tag and len(tag) <= 64:
            add(m.start(1), m.end(1), {"$type": "app.bsky.richtext.facet#tag", "tag": tag})
    return sorted(facets, key=lambda f: int(f["index"]["byteStart"]))


_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def make_tid(micros: int, clock_id: int = 0) -> str:
    """A record key in the TID format (13 sortable base32 characters).

    Derive it from the draft (its creation time and id) so that a retried publish writes the
    same record instead of a second post.
    """
    value = ((micros & ((1 << 53) - 1)) << 10) | (clock_id & 0x3FF)
    return "".join(_TID_ALPHABET[(value >> (5 * i)) & 31] for i in range(12, -1, -1))


# ---------------------------------------------------------------- XRPC client


class BlueskyClient:
    """An account on a PDS, logged in with an app password; the session is kept in ``tokens``."""

    def __init__(
        self,
        *,
        identifier: str,
        app_password: str | None,
        tokens: TokenStore,
        pds_url: str = PDS_URL,
        gateway: HttpGateway | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.identifier = identifier
        self._password = app_password
        self.tokens = tokens
        self.key = f"bluesky:{identifier}"
        self.pds_url = pds_url.rstrip("/")
        self.gateway = gateway or HttpGateway("bluesky", clock=clock or SystemClock())
        self.gateway.hide(app_password)

    def __repr__(self) -> str:
        return f"BlueskyClient(identifier={self.identifier!r})"

    def _url(self, nsid: str) -> str:
        return f"{self.pds_url}/xrpc/{nsid}"

    def login(self) -> dict[str, str]:
        if not self._password:
            raise AuthExpired("bluesky", f"{self.identifier}: no app password to log in with")
        try:
            response = self.gateway.request(
                "POST",
                self._url("com.atproto.server.createSession"),
                json_body={"identifier": self.identifier, "password": self._password},
            )
        except RequestRejected as exc:
            raise AuthExpired(
                "bluesky", f"{self.identifier}: login refused ({exc.status})"
            ) from None
        return self._save(json_object(response, "bluesky", "createSession"))

    def _save(self, body: Mapping[str, Any]) -> dict[str, str]:
        try:
            session = {
                "access_jwt": str(body["accessJwt"]),
                "refresh_jwt": str(body["refreshJwt"]),
                "did": str(body["did"]),
                "handle": str(body.get("handle", self.identifier)),
            }
        except KeyError as exc:
            raise MalformedPayload("bluesky", f"session has no {exc.args[0]}") from None
        self.gateway.hide(session["access_jwt"], session["refresh_jwt"])
        self.tokens.save(self.key, session)
        return session

    def session(self) -> dict[str, str]:
        session = self.tokens.load(self.key)
        if session is None:
            return self.login()
        self.gateway.hide(session.get("access_jwt"), session.get("refresh_jwt"))
        return session

    def refresh(self) -> dict[str, str]:
        """refreshSession with the refresh token; a fresh login if that one is refused too."""
        session = self.session()
        try:
            response = self.gateway.request(
                "POST",
                self._url("com.atproto.server.refreshSession"),
                headers={"Authorization": f"Bearer {session['refresh_jwt']}"},
            )
        except (AuthExpired, RequestRejected):
            log.info("bluesky: refresh token refused, logging in again")
            return self.login()
        return self._save(json_object(response, "bluesky", "refreshSession"))

    def call(
        self,
        method: str,
        nsid: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """An authenticated XRPC call; an expired access token is refreshed once."""
        for attempt in (1, 2):
            session = self.session() if attempt == 1 else self.refresh()
            try:
                response = self.gateway.request(
                    method,
                    self._url(nsid),
                    headers={"Authorization": f"Bearer {session['access_jwt']}"},
                    params=params,
                    json_body=json_body,
                    timeout=timeout,
                )
            except AuthExpired:
                if attempt == 2:
                    raise
                log.info("bluesky: access token expired, refreshing the session")
                continue
            return json_object(response, "bluesky", nsid)
        raise AssertionError("unreachable")  # pragma: no cover

    def search_posts(
        self,
        query: str,
        *,
        limit: int = 25,
        cursor: str | None = None,
        since: str | None = None,
        lang: str | None = None,
        on_problem: OnProblem | None = None,
    ) -> tuple[list[Post], str | None]:
        """One page of app.bsky.feed.searchPosts, and the cursor of the next page."""
        params: dict[str, Any] = {"q": query, "limit": limit, "sort": "latest"}
        for name, value in (("cursor", cursor), ("since", since), ("lang", lang)):
            if value:
                params[name] = value
        body = self.call("GET", "app.bsky.feed.searchPosts", params=params)
        posts: list[Post] = []
        for i, view in enumerate(body.get("posts") or []):
            try:
                posts.append(parse_post_view(view))
            except MalformedPayload as exc:
                log_problem("bluesky", ParseProblem(f"posts[{i}]", str(exc)), on_problem)
        next_cursor = body.get("cursor")
        return posts, str(next_cursor) if next_cursor else None

    def resolve_handle(self, handle: str) -> str | None:
        try:
            body = self.call("GET", "com.atproto.identity.resolveHandle", params={"handle": handle})
        except RequestRejected:
            return None
        did = body.get("did")
        return str(did) if did else None

    def get_record(self, uri: str) -> dict[str, Any] | None:
        """A record by at-uri ({uri, cid, value}), or None when it does not exist."""
        repo, collection, rkey = uri.removeprefix("at://").split("/", 2)
        try:
            return self.call(
                "GET",
                "com.atproto.repo.getRecord",
                params={"repo": repo, "collection": collection, "rkey": rkey},
            )
        except RequestRejected as exc:
            if exc.status in (400, 404):  # RecordNotFound
                return None
            raise

    def upload_blob(self, data: bytes, mime: str, *, timeout: float = 60.0) -> dict[str, Any]:
        """com.atproto.repo.uploadBlob: the raw bytes with their type; the blob reference
        to embed. An expired access token is refreshed once, as in ``call``."""
        for attempt in (1, 2):
            session = self.session() if attempt == 1 else self.refresh()
            headers = {"Authorization": f"Bearer {session['access_jwt']}", "Content-Type": mime}
            try:
                response = send_body(
                    self.gateway,
                    "POST",
                    self._url("com.atproto.repo.uploadBlob"),
                    headers=headers,
                    content=data,
                    timeout=timeout,
                )
            except AuthExpired:
                if attempt == 2:
                    raise
                continue
            blob = json_object(response, "bluesky", "uploadBlob").get("blob")
            if not isinstance(blob, dict):
                raise MalformedPayload("bluesky", "uploadBlob answered without a blob")
            return blob
        raise AssertionError("unreachable")  # pragma: no cover

    def publish(
        self,
        text: str,
        *,
        reply_to_uri: str | None = None,
        langs: tuple[str, ...] = ("fr",),
        rkey: str | None = None,
        created_at: datetime | None = None,
        timeout: float = 20.0,
        media: Sequence[MediaFile] = (),
    ) -> PublishedPost:
        """Post or reply. The record key is fixed before the first try, so a retry after a
        timeout finds the record instead of writing it twice. Images are uploaded as blobs
        first and embedded (app.bsky.embed.images); a failed upload stops before the record."""
        check_media("bluesky", media, max_bytes=BLUESKY_MAX_BYTES)
        images = []
        for item in media:
            try:
                blob = self.upload_blob(item.data, item.mime)
            except ConnectorError as exc:
                raise about(item, exc) from None
            image: dict[str, Any] = {"alt": item.alt, "image": blob}
            size = image_size(item.data)
            if size is not None:
                image["aspectRatio"] = {"width": size[0], "height": size[1]}
            images.append(image)
        session = self.session()
        now = created_at or datetime.now(UTC)
        rkey = rkey or make_tid(int(now.timestamp() * 1e6))
        record: dict[str, Any] = {
            "$type": POST_COLLECTION,
            "text": text,
            "createdAt": now.isoformat().replace("+00:00", "Z"),
            "langs": list(langs),
        }
        facets = build_facets(text, self.resolve_handle)
        if facets:
            record["facets"] = facets
        if reply_to_uri:
            parent = self.get_record(reply_to_uri)
            if parent is None:
                raise RequestRejected("bluesky", "the post replied to no longer exists", status=404)
            parent_ref = {"uri": parent["uri"], "cid": parent["cid"]}
            root = ((parent.get("value") or {}).get("reply") or {}).get("root") or parent_ref
            record["reply"] = {"root": root, "parent": parent_ref}
        if images:
            record["embed"] = {"$type": "app.bsky.embed.images", "images": images}
        uri = f"at://{session['did']}/{POST_COLLECTION}/{rkey}"
        body = {
            "repo": session["did"],
            "collection": POST_COLLECTION,
            "rkey": rkey,
            "record": record,
        }
        for attempt in (1, 2):
            try:
                self.call("POST", "com.atproto.repo.createRecord", json_body=body, timeout=timeout)
                return PublishedPost("bluesky", uri, post_url(session["handle"], rkey))
            except (NetworkError, RequestRejected) as exc:
                if self.get_record(uri) is not None:
                    return PublishedPost(
                        "bluesky", uri, post_url(session["handle"], rkey), already_existed=True
                    )
                if attempt == 2 or isinstance(exc, RequestRejected):
                    raise
                log.info("bluesky: publish did not complete and the record is absent; retrying")
        raise AssertionError("unreachable")  # pragma: no cover


# ---------------------------------------------------------------- Jetstream


class JetstreamListener:
    """Jetstream over websocket, resuming from the last ``time_us`` seen (rewound a little).

    The cursor is saved every ``save_every`` seconds, on every disconnect and when stopping;
    after a restart a few seconds are replayed, which the idempotent store absorbs.
    """

    name = "bluesky"

    def __init__(
        self,
        *,
        cursors: CursorStore,
        url: str = JETSTREAM_URL,
        wanted_dids: tuple[str, ...] = (),
        cursor_key: str = "bluesky:jetstream",
        rewind_seconds: float = 5.0,
        stall_timeout: float = 60.0,
        save_every: float = 5.0,
        backoff: Backoff | None = None,
        on_problem: OnProblem | None = None,
        on_health: OnHealth | None = None,
        handles: HandleCache | None = None,
        revise: Callable[[Post | PostDeleted], None] | None = None,
    ) -> None:
        self.cursors = cursors
        self.on_health = on_health
        self.url = url
        self.wanted_dids = wanted_dids
        self.revise = revise  # deletions and edits, applied to the store
        self.cursor_key = cursor_key
        self.rewind_us = int(rewind_seconds * 1e6)
        self.stall_timeout = stall_timeout
        self.save_every = save_every
        self.backoff = backoff or Backoff(initial=1.0, maximum=60.0)
        self.on_problem = on_problem
        self.handles = handles or HandleCache()
        self.cursor: int | None = None
        self.connections = 0

    def subscribe_url(self) -> str:
        params: list[tuple[str, str]] = [("wantedCollections", POST_COLLECTION)]
        params += [("wantedDids", did) for did in self.wanted_dids]
        saved = self.cursor if self.cursor is not None else self._saved_cursor()
        if saved is not None:
            params.append(("cursor", str(max(0, saved - self.rewind_us))))
        return f"{self.url}?{urlencode(params)}"

    def _saved_cursor(self) -> int | None:
        raw = self.cursors.get(self.cursor_key)
        try:
            return int(raw) if raw else None
        except ValueError:
            log.warning("bluesky: ignoring an unreadable saved cursor")
            return None

    def save(self) -> None:
        if self.cursor is not None:
            self.cursors.set(self.cursor_key, str(self.cursor))

    def listen(self, on_post: OnPost, stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                if self._connect_once(on_post, stop):
                    self.backoff.reset()
                if not stop.is_set():
                    stop.wait(self.backoff.next())
        finally:
            self.save()

    def _connect_once(self, on_post: OnPost, stop: threading.Event) -> bool:
        received = False
        self.connections += 1
        last_save = time.monotonic()
        try:
            with connect(
                self.subscribe_url(),
                open_timeout=10,
                close_timeout=2,
                proxy=None,
                max_size=2**22,
                logger=quiet_logger("veille.sources.bluesky.websocket"),
            ) as socket:
                log.info("bluesky: jetstream connected")
                report_health(self.on_health)
                idle = 0.0
                while not stop.is_set():
                    try:
                        message = socket.recv(timeout=0.5)
                    except TimeoutError:
                        idle += 0.5
                        if idle >= self.stall_timeout:
                            log.warning("bluesky: jetstream stalled, reconnecting")
                            return received
                        continue
                    idle = 0.0
                    received = True
                    self._handle(message, on_post)
                    if time.monotonic() - last_save >= self.save_every:
                        self.save()
                        last_save = time.monotonic()
        except ConnectionClosed:
            log.warning("bluesky: jetstream connection closed, resuming from the cursor")
        except (OSError, InvalidHandshake, InvalidURI) as exc:
            log.warning("bluesky: jetstream unreachable (%s)", type(exc).__name__)
        finally:
            self.save()
        return received

    def _handle(self, message: str | bytes, on_post: OnPost) -> None:
        event: object = None
        try:
            event = json.loads(message)
            if not isinstance(event, dict):
                raise MalformedPayload("bluesky", "event is not a JSON object")
            identity = event.get("identity")
            if isinstance(identity, dict) and identity.get("handle") and event.get("did"):
                self.handles.learn(str(event["did"]), str(identity["handle"]))
            item = self._parse(event)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
            reason = f"not JSON ({exc.msg})" if isinstance(exc, json.JSONDecodeError) else str(exc)
            log_problem("bluesky", ParseProblem("jetstream event", reason), self.on_problem)
            return
        except (MalformedPayload, TypeError, KeyError, AttributeError) as exc:
            where = (
                f"jetstream event {event.get('time_us', '?')}"
                if isinstance(event, dict)
                else "jetstream event"
            )
            log_problem("bluesky", ParseProblem(where, str(exc)), self.on_problem)
            self._advance(event)
            return
        if isinstance(item, PostDeleted):
            if self.revise is not None:
                self.revise(item)
        elif item is not None:
            on_post(item)  # stored if new, then the edit replaces what was stored
            if self.revise is not None and (item.model_extra or {}).get("edited"):
                self.revise(item)
        self._advance(event)

    def _parse(self, event: dict[str, Any]) -> Post | PostDeleted | None:
        item = parse_jetstream_event(event)
        if isinstance(item, Post) and (item.author.model_extra or {}).get("handle_unknown"):
            handle = self.handles.get(item.author.id)
            if handle is not None:
                item = parse_jetstream_event(event, handles={item.author.id: handle})
        return item

    def _advance(self, event: object) -> None:
        # The cursor moves only after the post was handed over: a crash replays, never skips.
        if isinstance(event, dict) and isinstance(event.get("time_us"), int):
            self.cursor = max(self.cursor or 0, event["time_us"])
