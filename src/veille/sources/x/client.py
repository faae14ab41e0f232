"""X API v2: parse tweets with their expansions, read (search, mentions, filtered stream), post.

Reading uses the app's bearer token; posting uses an OAuth 2.0 user-context token obtained
with PKCE and refreshed through a TokenStore. Prices of X's pay-per-use plan are here too,
because a post with a link costs about thirteen times one without.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import secrets
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import httpx

from veille.posts import Post, PostError, parse_post
from veille.sources.base import (
    AuthExpired,
    Backoff,
    Clock,
    ConnectorError,
    HttpGateway,
    MalformedPayload,
    NetworkError,
    OnHealth,
    OnPost,
    OnProblem,
    ParseProblem,
    PublishedPost,
    PublishTimeout,
    RateLimited,
    RequestRejected,
    SystemClock,
    TokenStore,
    json_object,
    log_problem,
    report_health,
    reset_time,
)
from veille.sources.media import X_MAX_BYTES, MediaFile, about, check_media
from veille.sources.network import PostCost
from veille.sources.x.rules import RuleTranslation, translate_rule

log = logging.getLogger("veille.sources.x.client")

API_URL = "https://api.x.com"
AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
DEFAULT_SCOPES = ("tweet.read", "tweet.write", "users.read", "offline.access")

# Ask for everything Post needs in one request (fields and expansions of the v2 API).
READ_PARAMS: dict[str, str] = {
    "tweet.fields": "created_at,author_id,lang,conversation_id,in_reply_to_user_id,"
    "referenced_tweets,entities,public_metrics,geo,attachments",
    "expansions": "author_id,referenced_tweets.id,referenced_tweets.id.author_id,"
    "in_reply_to_user_id,geo.place_id,attachments.media_keys",
    "user.fields": "username,name,public_metrics,verified,description,location",
    "place.fields": "full_name,name,country_code,geo",
    "media.fields": "type,url",
}

# ---------------------------------------------------------------- costs

# X pay-per-use prices (docs.x.com "Pricing", 2026), in US dollars.
PRICE_POST_USD = Decimal("0.015")
PRICE_POST_WITH_URL_USD = Decimal("0.200")
_LINK = re.compile(
    r"https?://\S+|\b(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|fr|net|org|io|eu|info|biz|co|"
    r"be|ch|ca|de|uk|app|dev|shop|bzh|paris)\b(?:/\S*)?",
    re.IGNORECASE,
)


def estimate_post_cost(text: str) -> PostCost:
    """What publishing ``text`` on X costs; X turns bare domains into links too."""
    if _LINK.search(text):
        return PostCost(
            PRICE_POST_WITH_URL_USD,
            True,
            f"post with a link: ${PRICE_POST_WITH_URL_USD} instead of ${PRICE_POST_USD} without",
        )
    return PostCost(PRICE_POST_USD, False, f"post without a link: ${PRICE_POST_USD}")


# ---------------------------------------------------------------- parsing


def _index(items: object, key: str) -> dict[str, dict[str, Any]]:
    if not isinstance(items, list):
        return {}
    return {str(i[key]): i for i in items if isinstance(i, dict) and key in i}


@dataclass
class _Includes:
    users: dict[str, dict[str, Any]]
    tweets: dict[str, dict[str, Any]]
    places: dict[str, dict[str, Any]]
    media: dict[str, dict[str, Any]]
    polls: dict[str, dict[str, Any]]

    @classmethod
    def of(cls, body: Mapping[str, Any]) -> _Includes:
        inc = body.get("includes") or {}
        if not isinstance(inc, dict):
            inc = {}
        return cls(
            users=_index(inc.get("users"), "id"),
            tweets=_index(inc.get("tweets"), "id"),
            places=_index(inc.get("places"), "id"),
            media=_index(inc.get("media"), "media_key"),
            polls=_index(inc.get("polls"), "id"),
        )

    @classmethod
    def inline(cls, tweet: Mapping[str, Any]) -> _Includes:
        """The expansions a flattened tweet (twarc's ``flatten``) carries inline."""
        refs = [r for r in tweet.get("referenced_tweets") or [] if isinstance(r, dict)]
        users = [tweet.get("author"), tweet.get("in_reply_to_user")]
        users += [r.get("author") for r in refs]
        users += list((tweet.get("entities") or {}).get("mentions") or [])
        attachments = tweet.get("attachments") or {}
        geo = tweet.get("geo") or {}
        place = {**geo, "id": geo["place_id"]} if "place_id" in geo else None
        poll = attachments.get("poll")
        return cls(
            users=_index(users, "id"),
            tweets=_index(refs, "id"),
            places=_index([place], "id"),
            media=_index(attachments.get("media"), "media_key"),
            polls=_index([poll], "id"),
        )

    def username(self, user_id: object) -> str | None:
        user = self.users.get(str(user_id)) if user_id is not None else None
        return str(user["username"]) if user and "username" in user else None


# X's own ids carry their creation time (milliseconds since the Twitter epoch, shifted 22 bits).
_TWITTER_EPOCH_MS = 1288834974657
_RETWEET_PREFIX = re.compile(r"^RT @(\w{1,15}): ")
# Media permalinks X puts among the URLs (the t.co link at the end of a post with a photo).
_MEDIA_PERMALINK = re.compile(
    r"^https?://(?:www\.)?(?:twitter|x)\.com/[^/]+/status/\d+/(?:photo|video)/"
)


def _unescape(text: str) -> str:
    # X escapes exactly these three in post texts; "&eacute;" typed by a user stays as typed.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _time_of_id(post_id: str) -> str | None:
    if not post_id.isdigit() or int(post_id) < 1 << 22:
        return None
    millis = (int(post_id) >> 22) + _TWITTER_EPOCH_MS
    return datetime.fromtimestamp(millis / 1000, UTC).isoformat()


def _full_text(tweet: Mapping[str, Any]) -> tuple[str, Mapping[str, Any] | None]:
    """A post's whole text and its entities: long posts carry them in ``note_tweet``."""
    note = tweet.get("note_tweet")
    if isinstance(note, dict) and isinstance(note.get("text"), str):
        return note["text"], note.get("entities")
    if not isinstance(tweet.get("text"), str):
        raise MalformedPayload("x", "tweet 'text' is not a string")
    return tweet["text"], tweet.get("entities")


def _entities(data: dict[str, Any], entities: object) -> None:
    """Links, mentions and hashtags from the entities; media permalinks are not links."""
    if not isinstance(entities, dict):
        return
    urls = []
    for u in entities.get("urls") or []:
        link = u.get("unwound_url") or u.get("expanded_url") or u.get("url")
        if link and "media_key" not in u and not _MEDIA_PERMALINK.match(str(link)):
            urls.append(str(link))
    data["urls"] = urls
    data["mentions"] = [str(m["username"]).lower() for m in entities.get("mentions") or []]
    data["hashtags"] = [str(h["tag"]).lower() for h in entities.get("hashtags") or []]


def parse_x_tweet(tweet: Mapping[str, Any], includes: _Includes) -> Post:
    """One v2 tweet object, resolved against the response's ``includes``."""
    for required in ("id", "text"):
        if required not in tweet:
            raise MalformedPayload("x", f"tweet has no {required!r}")
    post_id = str(tweet["id"])
    if "author_id" not in tweet:
        raise MalformedPayload(
            "x", "tweet has no 'author_id' (asked without tweet.fields=author_id)"
        )
    author_id = str(tweet["author_id"])
    user = includes.users.get(author_id)
    if user is None or not user.get("username"):
        raise MalformedPayload(
            "x",
            f"author {author_id} is not in includes.users: its username is unknown "
            "(asked without expansions=author_id)",
        )
    metrics_of_user = user.get("public_metrics") or {}
    username = str(user["username"])
    created_at = tweet.get("created_at") or _time_of_id(post_id)
    if created_at is None:
        raise MalformedPayload("x", "tweet has no 'created_at' and its id carries no time")
    text, entities = _full_text(tweet)
    data: dict[str, Any] = {
        "id": post_id,
        "network": "x",
        "created_at": created_at,
        "text": _unescape(text),
        "lang": tweet.get("lang") if tweet.get("lang") not in (None, "und", "zxx") else None,
        "author": {
            "id": author_id,
            "username": username,
            "name": user.get("name", ""),
            "followers_count": metrics_of_user.get("followers_count", 0),
            "verified": bool(user.get("verified", False)),
            "description": user.get("description", ""),
            "location": user.get("location", ""),
        },
        "conversation_id": tweet.get("conversation_id"),
        "url": f"https://x.com/{username}/status/{post_id}",
    }
    if "created_at" not in tweet:
        data["created_at_from_id"] = True  # asked without tweet.fields=created_at
    _entities(data, entities)
    for ref in tweet.get("referenced_tweets") or []:
        kind, ref_id = ref.get("type"), str(ref.get("id"))
        referenced = includes.tweets.get(ref_id)
        ref_author = (referenced or {}).get("author_id")
        if kind == "retweeted":
            data["is_retweet"] = True
            shown = _RETWEET_PREFIX.match(data["text"])
            data["retweet_of"] = includes.username(ref_author) or (
                shown.group(1) if shown else None
            )
            if referenced is not None and "text" in referenced:
                # The retweet's own text is cut at 140 characters; the original is whole.
                original, original_entities = _full_text(referenced)
                data["text"] = f"RT @{data['retweet_of']}: {_unescape(original)}"
                _entities(data, original_entities)
                if data["retweet_of"] and data["retweet_of"].lower() not in data["mentions"]:
                    data.setdefault("mentions", []).insert(0, data["retweet_of"].lower())
            elif "entities" not in tweet and data["text"].endswith("…"):
                # A cut text: reading entities off it would make "#le" of "#lecture".
                data.update(urls=[], mentions=[], hashtags=[])
        elif kind == "replied_to":
            data["is_reply"] = True
            data["in_reply_to_id"] = ref_id
        elif kind == "quoted":
            data["is_quote"] = True
            data["quote_of"] = ref_id
            if referenced is not None and "text" in referenced:
                data["quoted_text"] = _unescape(_full_text(referenced)[0])
    if tweet.get("in_reply_to_user_id") is not None:
        data["is_reply"] = True
        data["in_reply_to"] = includes.username(tweet["in_reply_to_user_id"])
        data["in_reply_to_user_id"] = str(tweet["in_reply_to_user_id"])
    attachments = tweet.get("attachments") or {}
    data["media"] = [
        {k: v for k, v in includes.media[key].items() if k in ("type", "url", "alt_text")}
        | {"type": includes.media[key].get("type", "photo")}
        for key in attachments.get("media_keys") or []
        if key in includes.media
    ]
    polls = [includes.polls[p] for p in attachments.get("poll_ids") or [] if p in includes.polls]
    if polls:
        data["poll"] = {
            "options": [
                {"label": str(o.get("label", "")), "votes": o.get("votes", 0)}
                for o in polls[0].get("options") or []
            ],
            "voting_status": polls[0].get("voting_status"),
            "end_datetime": polls[0].get("end_datetime"),
        }
    geo = tweet.get("geo") or {}
    place = includes.places.get(str(geo.get("place_id"))) if geo.get("place_id") else None
    if place:
        data["place"] = {
            "name": place.get("full_name") or place.get("name", ""),
            "country_code": place.get("country_code", ""),
        }
    coordinates = (geo.get("coordinates") or {}).get("coordinates")
    if isinstance(coordinates, list) and len(coordinates) == 2:
        data["geo"] = {"lon": coordinates[0], "lat": coordinates[1]}
    metrics = tweet.get("public_metrics") or {}
    data["metrics"] = {
        "likes": metrics.get("like_count", 0),
        "reposts": metrics.get("retweet_count", 0),
        "replies": metrics.get("reply_count", 0),
        "quotes": metrics.get("quote_count", 0),
    }
    try:
        return parse_post(data)
    except PostError as exc:
        raise MalformedPayload("x", str(exc)) from None


# What a response holds when its items are not posts, by a key only that kind of item has.
_NOT_POSTS: tuple[tuple[str, str], ...] = (
    ("event_type", "direct-message events"),
    ("tweet_count", "post counts"),
    ("username", "X users"),
    ("value", "filtered-stream rules"),
    ("state", "Spaces"),
    ("creator_id", "Spaces"),
    ("name", "lists"),
)


def _what_items_are(items: list[Any]) -> str | None:
    """Names the items of ``data`` when they are not posts (None when they are)."""
    dicts = [i for i in items if isinstance(i, dict)]
    if not dicts or any("text" in i and "event_type" not in i for i in dicts):
        return None
    for key, what in _NOT_POSTS:
        if any(key in i for i in dicts):
            return f"{len(dicts)} {what}"
    first = dicts[0]
    if all(isinstance(v, bool) for v in first.values()):
        done = ", ".join(f"{key}: {str(value).lower()}" for key, value in first.items())
        return f"the answer to an action ({done})"
    return f"{len(dicts)} objects with keys {', '.join(sorted(first)[:6])}"


def _not_data(body: Mapping[str, Any]) -> ParseProblem:
    """The problem naming a response without ``data``."""
    if "errors" in body:
        return ParseProblem(
            "errors", f"not posts: an error response ({_errors_text(body['errors'])})"
        )
    if "screen_name" in body or "id_str" in body:
        return ParseProblem("(root)", "not posts: an X API v1.1 user object (v1.1 is not read)")
    if "sizes" in body:
        return ParseProblem("(root)", "not posts: a profile banner")
    if set(body) == {"meta"} and isinstance(body["meta"], dict):
        keys = ", ".join(sorted(body["meta"])[:6])
        return ParseProblem("meta", f"not posts: a response with only its 'meta' ({keys})")
    if not body:
        return ParseProblem("(root)", "not posts: an empty JSON object")
    keys = ", ".join(sorted(body)[:6])
    return ParseProblem("(root)", f"not posts: a JSON object without 'data' (keys: {keys})")


def iter_x_response(body: object) -> Iterator[Post | ParseProblem]:
    """Posts of an X response (list or single ``data``), of a stream message, of a list of
    them, or of a tweet flattened by twarc; a problem per bad item, and one naming a response
    that holds no posts (users, counts, rules, errors ...)."""
    if isinstance(body, list):
        if body and all(isinstance(b, dict) and ("data" in b or "errors" in b) for b in body):
            for i, message in enumerate(body):  # stream messages saved as one JSON list
                for item in iter_x_response(message):
                    yield (
                        ParseProblem(f"[{i}] {item.where}", item.reason)
                        if isinstance(item, ParseProblem)
                        else item
                    )
            return
        if body and all(isinstance(b, dict) and "text" in b for b in body):
            for i, tweet in enumerate(body):  # flattened tweets in one JSON list
                yield from _flattened(tweet, f"[{i}]")
            return
        yield ParseProblem("(root)", f"not posts: a JSON list of {len(body)} items")
        return
    if not isinstance(body, dict):
        yield ParseProblem("(root)", "expected a JSON object with 'data'")
        return
    if "data" not in body:
        if "id" in body and "text" in body:
            yield from _flattened(body, "tweet")
        else:
            yield _not_data(body)
        return
    data = body["data"]
    includes = _Includes.of(body)
    items = [data] if isinstance(data, dict) else data
    if not isinstance(items, list):
        yield ParseProblem("data", "expected a tweet object or a list of them")
        return
    what = _what_items_are(items)
    if what is not None:
        yield ParseProblem("data", f"not posts: {what}")
        return
    tweets = [t for t in items if isinstance(t, dict)]
    if tweets and not includes.users and all("author_id" not in t for t in tweets):
        yield ParseProblem(
            "data",
            f"not posts Veille can store: {len(tweets)} X posts with the default fields only "
            "(no author); ask with tweet.fields=created_at,author_id&expansions=author_id",
        )
        return
    for i, tweet in enumerate(items):
        where = "data" if isinstance(data, dict) else f"data[{i}]"
        if not isinstance(tweet, dict):
            yield ParseProblem(where, "expected a tweet object")
            continue
        try:
            yield parse_x_tweet(tweet, includes)
        except (MalformedPayload, KeyError, TypeError, AttributeError, ValueError) as exc:
            reason = str(exc).removeprefix("x: ")
            yield ParseProblem(f"{where} (id {tweet.get('id', '?')})", reason)


def _flattened(tweet: object, where: str) -> Iterator[Post | ParseProblem]:
    if not isinstance(tweet, dict):
        yield ParseProblem(where, "expected a tweet object")
        return
    try:
        yield parse_x_tweet(tweet, _Includes.inline(tweet))
    except (MalformedPayload, KeyError, TypeError, AttributeError, ValueError) as exc:
        reason = str(exc).removeprefix("x: ")
        yield ParseProblem(f"{where} (id {tweet.get('id', '?')})", reason)


def parse_x_response(body: dict[str, Any]) -> list[Post]:
    """Every post of an X API v2 response body; raises MalformedPayload naming a bad item."""
    posts: list[Post] = []
    for item in iter_x_response(body):
        if isinstance(item, ParseProblem):
            raise MalformedPayload("x", str(item))
        posts.append(item)
    return posts


def _errors_text(errors: object) -> str:
    if not isinstance(errors, list):
        return "error response"
    return (
        "; ".join(
            str(e.get("detail") or e.get("message") or e.get("title"))
            for e in errors[:3]
            if isinstance(e, dict)
        )
        or "no detail given"
    )


# ---------------------------------------------------------------- OAuth 2.0 with PKCE


@dataclass(frozen=True)
class PkceStart:
    """Send the user to ``url``; keep ``state`` and ``code_verifier`` for the callback."""

    url: str
    state: str
    code_verifier: str


def authorization_url(
    *,
    client_id: str,
    redirect_uri: str,
    scopes: tuple[str, ...] = DEFAULT_SCOPES,
    authorize_url: str = AUTHORIZE_URL,
) -> PkceStart:
    verifier = secrets.token_urlsafe(64)[:96]
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    state = secrets.token_urlsafe(24)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(scopes),
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    return PkceStart(url=f"{authorize_url}?{query}", state=state, code_verifier=verifier)


class XUserAuth:
    """An account's user-context token: exchanged once, refreshed when it expires or is refused.

    Every new token set is saved through ``tokens`` under ``key`` (the refresh token rotates).
    """

    def __init__(
        self,
        *,
        client_id: str,
        tokens: TokenStore,
        key: str,
        client_secret: str | None = None,
        gateway: HttpGateway | None = None,
        api_url: str = API_URL,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.tokens = tokens
        self.key = key
        self.gateway = gateway or HttpGateway("x")
        self.gateway.hide(client_secret)
        self.token_url = f"{api_url}/2/oauth2/token"
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"XUserAuth(key={self.key!r})"

    def exchange_code(self, *, code: str, code_verifier: str, redirect_uri: str) -> None:
        self._token_request(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
                "client_id": self.client_id,
            }
        )

    def access_token(self) -> str:
        with self._lock:
            token = self.tokens.load(self.key)
            if token is None:
                raise AuthExpired("x", f"account {self.key} is not connected")
            if float(token.get("expires_at", "0")) <= self.gateway.clock.now() + 60:
                token = self._refresh(token)
            self.gateway.hide(token["access_token"], token.get("refresh_token"))
            return token["access_token"]

    def refresh(self) -> None:
        with self._lock:
            token = self.tokens.load(self.key)
            if token is None:
                raise AuthExpired("x", f"account {self.key} is not connected")
            self._refresh(token)

    def _refresh(self, token: dict[str, str]) -> dict[str, str]:
        if not token.get("refresh_token"):
            raise AuthExpired("x", "the token expired and has no refresh token; reconnect")
        return self._token_request(
            {
                "grant_type": "refresh_token",
                "refresh_token": token["refresh_token"],
                "client_id": self.client_id,
            }
        )

    def _token_request(self, form: dict[str, str]) -> dict[str, str]:
        self.gateway.hide(form.get("code"), form.get("refresh_token"), form.get("code_verifier"))
        auth = {}
        if self.client_secret:
            pair = f"{self.client_id}:{self.client_secret}".encode()
            auth["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        try:
            response = self.gateway.request("POST", self.token_url, data=form, headers=auth)
        except RequestRejected as exc:
            raise AuthExpired("x", f"token request refused ({exc.status}); reconnect") from None
        body = json_object(response, "x", "POST /2/oauth2/token")
        if "access_token" not in body:
            raise MalformedPayload("x", "token response has no access_token")
        token = {
            "access_token": str(body["access_token"]),
            "expires_at": str(self.gateway.clock.now() + float(body.get("expires_in", 7200))),
            "scope": str(body.get("scope", "")),
        }
        if body.get("refresh_token"):
            token["refresh_token"] = str(body["refresh_token"])
        self.gateway.hide(token["access_token"], token.get("refresh_token"))
        self.tokens.save(self.key, token)
        return token


# ---------------------------------------------------------------- REST client


@dataclass(frozen=True)
class RuleSync:
    added: list[str]
    deleted: list[str]
    refused: list[RuleTranslation]


class XClient:
    """Reads with the bearer token, writes with the user token (``user``)."""

    def __init__(
        self,
        *,
        bearer_token: str | None = None,
        user: XUserAuth | None = None,
        api_url: str = API_URL,
        gateway: HttpGateway | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.gateway = gateway or HttpGateway("x", clock=clock or SystemClock())
        self.gateway.hide(bearer_token)
        self._bearer = bearer_token
        self.user = user
        self._me: str | None = None

    def __repr__(self) -> str:
        return f"XClient(api_url={self.api_url!r})"

    # -- reading

    def _app_headers(self) -> dict[str, str]:
        if not self._bearer:
            raise AuthExpired("x", "no bearer token configured for reading")
        return {"Authorization": f"Bearer {self._bearer}"}

    def _read(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        url = f"{self.api_url}{path}"
        response = self.gateway.request("GET", url, headers=self._app_headers(), params=params)
        return json_object(response, "x", f"GET {path}")

    def _paged(
        self,
        path: str,
        params: dict[str, str],
        *,
        max_pages: int,
        on_problem: OnProblem | None,
        token_param: str,
    ) -> tuple[list[Post], str | None]:
        posts: list[Post] = []
        newest: str | None = None
        page: dict[str, str] = {**READ_PARAMS, **params}
        for _ in range(max_pages):
            body = self._read(path, page)
            meta = body.get("meta") or {}
            if newest is None and meta.get("newest_id"):
                newest = str(meta["newest_id"])
            for item in iter_x_response(body):
                if isinstance(item, ParseProblem):
                    log_problem("x", item, on_problem)
                else:
                    posts.append(item)
            if not meta.get("next_token"):
                break
            page = {**page, token_param: str(meta["next_token"])}
        return posts, newest

    def user_id(self, username: str) -> str:
        """An account's numeric id from its @username (app token; mentions need the id)."""
        path = f"/2/users/by/username/{username.lstrip('@')}"
        data = self._read(path, {}).get("data")
        if not isinstance(data, dict) or not data.get("id"):
            raise MalformedPayload("x", f"GET {path}: no data.id")
        return str(data["id"])

    def recent_search(
        self,
        query: str,
        *,
        since_id: str | None = None,
        max_pages: int = 5,
        on_problem: OnProblem | None = None,
    ) -> tuple[list[Post], str | None]:
        """Posts of the last 7 days matching ``query``, and the newest id to resume from."""
        params = {"query": query, "max_results": "100"}
        if since_id:
            params["since_id"] = since_id
        return self._paged(
            "/2/tweets/search/recent",
            params,
            max_pages=max_pages,
            on_problem=on_problem,
            token_param="next_token",
        )

    def mentions(
        self,
        user_id: str,
        *,
        since_id: str | None = None,
        max_pages: int = 5,
        on_problem: OnProblem | None = None,
    ) -> tuple[list[Post], str | None]:
        """The account's mentions newer than ``since_id`` (all pages), and the newest id."""
        params = {"max_results": "100"}
        if since_id:
            params["since_id"] = since_id
        return self._paged(
            f"/2/users/{user_id}/mentions",
            params,
            max_pages=max_pages,
            on_problem=on_problem,
            token_param="pagination_token",
        )

    # -- filtered stream rules

    def stream_rules(self) -> dict[str, str]:
        """The rules X holds now: id → value."""
        body = self._read("/2/tweets/search/stream/rules", {})
        return {str(r["id"]): str(r["value"]) for r in body.get("data") or []}

    def sync_rules(self, rules: Mapping[str, str], *, max_length: int = 512) -> RuleSync:
        """Make X's rule set equal the translatable ``rules`` (tag → Veille rule text)."""
        translations = {
            tag: translate_rule(text, max_length=max_length) for tag, text in rules.items()
        }
        wanted = {t.x_rule: tag for tag, t in translations.items() if t.x_rule is not None}
        current = self.stream_rules()
        stale = [rule_id for rule_id, value in current.items() if value not in wanted]
        present = set(current.values())
        to_add = [{"value": v, "tag": tag} for v, tag in wanted.items() if v not in present]
        url = f"{self.api_url}/2/tweets/search/stream/rules"
        if stale:
            self.gateway.request(
                "POST", url, headers=self._app_headers(), json_body={"delete": {"ids": stale}}
            )
        if to_add:
            response = self.gateway.request(
                "POST", url, headers=self._app_headers(), json_body={"add": to_add}
            )
            body = json_object(response, "x", "POST /2/tweets/search/stream/rules")
            if body.get("errors"):
                log.warning("x: some rules were refused by X: %s", _errors_text(body["errors"]))
        return RuleSync(
            added=[r["tag"] for r in to_add],
            deleted=stale,
            refused=[t for t in translations.values() if t.x_rule is None],
        )

    # -- writing

    def _user_request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if self.user is None:
            raise AuthExpired("x", "no account connected for posting")
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.user.access_token()}"}
            try:
                return self.gateway.request(
                    method, f"{self.api_url}{path}", headers=headers, **kwargs
                )
            except AuthExpired:
                if attempt == 2:
                    raise
                log.info("x: access token refused, refreshing it")
                self.user.refresh()
        raise AssertionError("unreachable")  # pragma: no cover

    def me(self) -> str:
        if self._me is None:
            body = json_object(self._user_request("GET", "/2/users/me"), "x", "GET /2/users/me")
            self._me = str((body.get("data") or {})["id"])
        return self._me

    def create_post(
        self,
        text: str,
        *,
        reply_to_id: str | None = None,
        quote_of: str | None = None,
        timeout: float = 20.0,
        media: Sequence[MediaFile] = (),
    ) -> PublishedPost:
        """Post, reply or quote. After a timeout, looks for the post before trying again.
        Images are uploaded (with their alt text) before the post; a failed upload stops
        before anything is posted."""
        check_media("x", media, max_bytes=X_MAX_BYTES)
        media_ids = []
        for item in media:
            try:
                media_ids.append(self.upload_media(item))
            except ConnectorError as exc:
                raise about(item, exc) from None
        payload: dict[str, Any] = {"text": text}
        if media_ids:
            payload["media"] = {"media_ids": media_ids}
        if reply_to_id:
            payload["reply"] = {"in_reply_to_tweet_id": reply_to_id}
        if quote_of:
            payload["quote_tweet_id"] = quote_of
        started = self.gateway.clock.now()
        for attempt in (1, 2):
            try:
                response = self._user_request(
                    "POST", "/2/tweets", json_body=payload, timeout=timeout
                )
            except (PublishTimeout, NetworkError) as exc:
                found = self.find_own_post(text, reply_to_id=reply_to_id, since=started - 120)
                if found is not None:
                    return found
                if attempt == 2:
                    raise exc from None
                log.info("x: publish did not complete and is not online; retrying once")
                continue
            body = json_object(response, "x", "POST /2/tweets")
            post_id = str((body.get("data") or {}).get("id", ""))
            if not post_id:
                raise MalformedPayload("x", "POST /2/tweets answered without data.id")
            return PublishedPost("x", post_id, f"https://x.com/i/web/status/{post_id}")
        raise AssertionError("unreachable")  # pragma: no cover

    def upload_media(self, item: MediaFile, *, timeout: float = 60.0) -> str:
        """POST /2/media/upload (one request, the file base64-encoded in JSON), then its alt
        text through POST /2/media/metadata; the media id to attach."""
        category = "tweet_gif" if item.mime == "image/gif" else "tweet_image"
        body = json_object(
            self._user_request(
                "POST",
                "/2/media/upload",
                json_body={
                    "media": base64.b64encode(item.data).decode("ascii"),
                    "media_category": category,
                },
                timeout=timeout,
            ),
            "x",
            "POST /2/media/upload",
        )
        media_id = str((body.get("data") or {}).get("id") or "")
        if not media_id:
            raise MalformedPayload("x", "POST /2/media/upload answered without data.id")
        if item.alt:
            self._user_request(
                "POST",
                "/2/media/metadata",
                json_body={"id": media_id, "metadata": {"alt_text": {"text": item.alt}}},
            )
        return media_id

    def find_own_post(
        self, text: str, *, reply_to_id: str | None, since: float
    ) -> PublishedPost | None:
        """The account's recent post with this text (X shortens links, so compare without them)."""
        params = {
            "max_results": "5",
            "tweet.fields": "created_at,referenced_tweets",
            "start_time": datetime.fromtimestamp(since, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        try:
            body = json_object(
                self._user_request("GET", f"/2/users/{self.me()}/tweets", params=params),
                "x",
                "GET /2/users/:id/tweets",
            )
        except ConnectorError as exc:
            if isinstance(exc, RateLimited | AuthExpired):
                raise
            raise NetworkError("x", "could not check whether the post went out") from None
        wanted = _without_links(text)
        for tweet in body.get("data") or []:
            replied = [
                str(r.get("id"))
                for r in tweet.get("referenced_tweets") or []
                if r.get("type") == "replied_to"
            ]
            if _without_links(str(tweet.get("text", ""))) != wanted:
                continue
            if reply_to_id and reply_to_id not in replied:
                continue
            post_id = str(tweet["id"])
            return PublishedPost(
                "x", post_id, f"https://x.com/i/web/status/{post_id}", already_existed=True
            )
        return None


def _without_links(text: str) -> str:
    return " ".join(re.sub(r"https?://\S+", "", text).split())


# ---------------------------------------------------------------- filtered stream


class XFilteredStream:
    """The filtered stream: one JSON object per line, ``\\r\\n`` keep-alives every 20 s.

    A connection with no byte for ``stall_timeout`` seconds is stalled and replaced. Reconnects
    back off (short after a dropped connection, long after a 429 as X asks).
    ``backfill_minutes`` (Pro and up) asks X to resend what was missed while disconnected.
    """

    name = "x"

    def __init__(
        self,
        client: XClient,
        *,
        stall_timeout: float = 20.0,
        backoff: Backoff | None = None,
        rate_limit_backoff: Backoff | None = None,
        backfill_minutes: int | None = None,
        on_problem: OnProblem | None = None,
        on_health: OnHealth | None = None,
        rules: Callable[[], Mapping[str, str]] | None = None,
    ) -> None:
        self.client = client
        self.on_health = on_health
        self.rules = rules
        self.refused_rules: list[RuleTranslation] = []
        self.stall_timeout = stall_timeout
        self.backoff = backoff or Backoff(initial=0.25, maximum=16.0)
        self.rate_limit_backoff = rate_limit_backoff or Backoff(initial=60.0, maximum=960.0)
        self.backfill_minutes = backfill_minutes
        self.on_problem = on_problem
        self.connections = 0
        self.stalls = 0

    def sync(self) -> None:
        """Make X's stream rules equal the watches' (``rules`` gives tag → Veille rule)."""
        if self.rules is None:
            return
        result = self.client.sync_rules(self.rules())
        self.refused_rules = result.refused
        for refused in result.refused:
            log.info("x: rule not sent to the stream (%s): %s", refused.reason, refused.rule)

    def _sync_or_report(self) -> None:
        try:
            self.sync()
        except (NetworkError, MalformedPayload, RequestRejected) as exc:
            # The rules X already holds still apply: listen anyway, say what went wrong.
            log.warning("x: stream rules not synced (%s)", exc)
            report_health(self.on_health, exc)

    def listen(self, on_post: OnPost, stop: threading.Event) -> None:
        synced = False
        while not stop.is_set():
            try:
                if not synced:
                    self._sync_or_report()
                    synced = True
                delivered = self._connect_once(on_post, stop)
            except AuthExpired as exc:
                report_health(self.on_health, exc)
                raise
            except RateLimited as exc:
                report_health(self.on_health, exc)
                delay = self.rate_limit_backoff.next()
                log.warning("x: stream refused (too many connections), retrying in %.0f s", delay)
                stop.wait(delay)
                continue
            if delivered:
                self.backoff.reset()
                self.rate_limit_backoff.reset()
            if not stop.is_set():
                stop.wait(self.backoff.next())

    def _connect_once(self, on_post: OnPost, stop: threading.Event) -> bool:
        params = dict(READ_PARAMS)
        if self.backfill_minutes and self.connections:
            params["backfill_minutes"] = str(self.backfill_minutes)
        self.connections += 1
        timeout = httpx.Timeout(10.0, read=self.stall_timeout)
        url = f"{self.client.api_url}/2/tweets/search/stream"
        delivered = False
        try:
            with self.client.gateway.http.stream(
                "GET", url, params=params, headers=self.client._app_headers(), timeout=timeout
            ) as response:
                if response.status_code == 429:
                    now = self.client.gateway.clock.now()
                    raise RateLimited(
                        "x",
                        "GET /2/tweets/search/stream answered 429",
                        until=reset_time(response.headers, now) or now + 60,
                    )
                if response.status_code in (401, 403):
                    raise AuthExpired(
                        "x", f"stream refused the bearer token ({response.status_code})"
                    )
                if not response.is_success:
                    log.warning("x: stream answered %s, reconnecting", response.status_code)
                    return False
                log.info("x: stream connected")
                report_health(self.on_health)
                for line in response.iter_lines():
                    if stop.is_set():
                        return delivered
                    if not line.strip():
                        continue  # keep-alive
                    for post in self._posts_of(line):
                        on_post(post)
                        delivered = True
        except httpx.ReadTimeout:
            self.stalls += 1
            log.warning("x: stream stalled (nothing for %.0f s), reconnecting", self.stall_timeout)
        except httpx.HTTPError as exc:
            log.warning("x: stream dropped (%s), reconnecting", type(exc).__name__)
        return delivered

    def _posts_of(self, line: str) -> list[Post]:
        try:
            message = json.loads(line)
        except json.JSONDecodeError as exc:
            log_problem(
                "x", ParseProblem("stream message", f"not JSON ({exc.msg})"), self.on_problem
            )
            return []
        posts: list[Post] = []
        for item in iter_x_response(message):
            if isinstance(item, ParseProblem):
                log_problem("x", item, self.on_problem)
            else:
                posts.append(item)
        return posts
