"""`veille listen` from the database: one set of listeners per connected account.

Credentials are decrypted here, handed to the connectors and nowhere else. Every listener
reports how its last connection or poll went; an account's state is the worst of its
listeners' (error, then rate-limited, then connected) and is written only when it changes.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import select

from veille.accounts import account_credentials, record_account_state
from veille.posts import Post
from veille.rules.errors import RuleError
from veille.rules.language import And, Hashtag, Node, Or, Words, leaf_text
from veille.rules.parser import parse_rule
from veille.sources.base import (
    ConnectorError,
    CursorStore,
    Listener,
    OnHealth,
    OnPost,
    RateLimited,
)
from veille.sources.bluesky.client import JETSTREAM_URL, PDS_URL, BlueskyClient, JetstreamListener
from veille.sources.crypto import SecretBox
from veille.sources.db_stores import AccountTokenStore
from veille.sources.mastodon.client import MastodonClient, MastodonStream
from veille.sources.polling import CursorPoll, IntervalPoller
from veille.sources.rss.client import Feed, FeedPoller
from veille.sources.x.client import API_URL, XClient, XFilteredStream
from veille.sources.x.rules import translate_rule
from veille.store import tables
from veille.store.db import Database

log = logging.getLogger("veille.listening")

_SEVERITY = {"connected": 0, "rate_limited": 1, "error": 2}


@dataclass(frozen=True)
class ListenOptions:
    """Polling intervals (seconds) and endpoints. The defaults stay well inside the free and
    basic limits: X allows 10 to 450 mention reads per 15 min depending on the plan, Mastodon
    300 requests per 5 min, and a press feed changes a few times an hour."""

    mentions_interval: float = 300.0  # X mentions timeline, Mastodon notifications
    search_interval: float = 900.0  # X recent search, Bluesky searchPosts
    feed_interval: float = 900.0  # news feeds
    x_api_url: str = API_URL
    jetstream_url: str = JETSTREAM_URL
    bluesky_pds_url: str = PDS_URL


# ---------------------------------------------------------------- account state


def _secret_free(message: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        message = message.replace(secret, "***")
    return message


class AccountHealth:
    """One account's state, from the reports of each of its listeners (``part``)."""

    def __init__(self, db: Database, account_id: int, secrets: Iterable[str] = ()) -> None:
        self.db = db
        self.account_id = account_id
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)
        self._parts: dict[str, tuple[str, float | None, str | None]] = {}
        self._written: tuple[str, float | None, str | None] | None = None
        self._lock = threading.Lock()

    def reporter(self, part: str) -> OnHealth:
        def report(error: ConnectorError | None) -> None:
            self.report(part, error)

        return report

    def report(self, part: str, error: ConnectorError | None) -> None:
        if error is None:
            outcome: tuple[str, float | None, str | None] = ("connected", None, None)
        elif isinstance(error, RateLimited):
            outcome = ("rate_limited", error.until, _secret_free(str(error), self._secrets))
        else:
            outcome = ("error", None, _secret_free(str(error), self._secrets))
        with self._lock:
            self._parts[part] = outcome
            worst = max(self._parts.values(), key=lambda o: (_SEVERITY[o[0]], o[1] or 0.0))
            if worst == self._written:
                return
            state, until, message = worst
            with self.db.session() as session:
                record_account_state(
                    session,
                    self.account_id,
                    state=state,
                    rate_limited_until=datetime.fromtimestamp(until, UTC) if until else None,
                    last_error=message,
                )
            self._written = worst


# ---------------------------------------------------------------- watches' rules


def watch_rules(db: Database) -> dict[str, str]:
    """Every rule of the active watches: tag (``w<watch>-r<rule>``) → rule text."""
    with db.session() as session:
        rows = session.execute(
            select(tables.WatchRule.id, tables.WatchRule.watch_id, tables.WatchRule.query)
            .join(tables.Watch, tables.Watch.id == tables.WatchRule.watch_id)
            .where(tables.Watch.active.is_(True))
            .order_by(tables.WatchRule.id)
        ).all()
    return {f"w{watch_id}-r{rule_id}": query for rule_id, watch_id, query in rows}


def _simple_query(node: Node) -> str | None:
    if isinstance(node, Words):
        return f'"{node.raw.strip(chr(34))}"' if node.quoted else node.raw
    if isinstance(node, Hashtag):
        return leaf_text(node)
    if isinstance(node, And):
        parts = [_simple_query(child) for child in node.children]
        return " ".join(p for p in parts if p) if all(parts) else None
    return None


def simple_terms(rule: str) -> list[str]:
    """The searches a plain-text search engine can run for a rule: words, "phrases",
    #hashtags, all of them (AND) or any of them (OR). Anything richer gives nothing."""
    try:
        root = parse_rule(rule).root
    except RuleError:
        return []
    children = root.children if isinstance(root, Or) else (root,)
    terms = [_simple_query(child) for child in children]
    return [t for t in terms if t] if all(terms) else []


# ---------------------------------------------------------------- building listeners


def deduplicate(on_post: OnPost, *, size: int = 50_000) -> OnPost:
    """Hand each (network, id) over once per run: a stream and a poll often see the same post."""
    seen: OrderedDict[tuple[str, str], None] = OrderedDict()

    def deliver(post: Post) -> None:
        key = (post.network, post.id)
        if key in seen:
            return
        seen[key] = None
        if len(seen) > size:
            seen.popitem(last=False)
        on_post(post)

    return deliver


@dataclass
class _Account:
    row: tables.Account
    credentials: dict[str, str]
    health: AccountHealth


def _accounts(db: Database, box: SecretBox) -> list[_Account]:
    with db.session() as session:
        rows = session.scalars(
            select(tables.Account)
            .where(tables.Account.credentials_encrypted.is_not(None))
            .order_by(tables.Account.id)
        ).all()
    accounts = []
    for row in rows:
        try:
            credentials = account_credentials(box, row)
        except ValueError as exc:  # the secret key changed: say so on the accounts page
            AccountHealth(db, row.id).report("credentials", ConnectorError(row.network, str(exc)))
            continue
        accounts.append(_Account(row, credentials, AccountHealth(db, row.id, credentials.values())))
    return accounts


def _missing(account: _Account, what: str) -> None:
    account.health.report(
        "credentials", ConnectorError(account.row.network, f"{account.row.handle}: no {what}")
    )


def build_account_listeners(
    db: Database,
    box: SecretBox,
    *,
    cursors: CursorStore,
    options: ListenOptions | None = None,
) -> list[Listener]:
    """The listeners of every connected account, each reporting its account's state."""
    options = options or ListenOptions()
    rules = watch_rules(db)
    listeners: list[Listener] = []
    x_app_done = jetstream_done = False
    for account in _accounts(db, box):
        network = account.row.network
        if network == "x":
            if not account.credentials.get("bearer_token"):
                _missing(account, "bearer token")
                continue
            listeners += _x_listeners(db, account, rules, cursors, options, app=not x_app_done)
            x_app_done = True
        elif network == "bluesky":
            if not account.credentials.get("app_password"):
                _missing(account, "app password")
                continue
            if not jetstream_done:  # one firehose for everyone: it is public
                jetstream = JetstreamListener(
                    cursors=cursors,
                    url=options.jetstream_url,
                    on_health=account.health.reporter("jetstream"),
                )
                listeners.append(jetstream)
                jetstream_done = True
            listeners += _bluesky_search(db, box, account, rules, cursors, options)
        elif network == "mastodon":
            if not (
                account.credentials.get("instance_url") and account.credentials.get("access_token")
            ):
                _missing(account, "instance URL and access token")
                continue
            listeners += _mastodon_listeners(account, cursors, options)
        elif network == "news":
            if not account.credentials.get("feed_url"):
                _missing(account, "feed URL")
                continue
            poller = FeedPoller(
                [Feed(url=account.credentials["feed_url"], interval=options.feed_interval)],
                cursors=cursors,
                on_health=account.health.reporter("feed"),
            )
            poller.name = f"news:{account.row.handle}"
            listeners.append(poller)
    return listeners


def _x_listeners(
    db: Database,
    account: _Account,
    rules: dict[str, str],
    cursors: CursorStore,
    options: ListenOptions,
    *,
    app: bool,
) -> list[Listener]:
    """Mentions of this account; with ``app``, also the app-wide stream and searches (X allows
    one filtered stream per app, and searches do not depend on the account)."""
    handle = account.row.handle
    client = XClient(bearer_token=account.credentials["bearer_token"], api_url=options.x_api_url)
    user_ids: list[str] = []

    def mentions(since: str | None) -> tuple[list[Post], str | None]:
        if not user_ids:
            user_ids.append(client.user_id(handle))
        return client.mentions(user_ids[0], since_id=since, max_pages=5 if since else 1)

    listeners: list[Listener] = [
        IntervalPoller(
            f"x:mentions:{handle}",
            [CursorPoll(cursors, f"x:mentions:{handle}", mentions)],
            interval=options.mentions_interval,
            on_health=account.health.reporter("mentions"),
        )
    ]
    if not app:
        return listeners
    listeners.append(
        XFilteredStream(
            client, on_health=account.health.reporter("stream"), rules=lambda: watch_rules(db)
        )
    )
    searches = []
    for tag, rule in rules.items():
        translation = translate_rule(rule)
        if translation.x_rule is None:
            continue

        def search(
            since: str | None, query: str = translation.x_rule
        ) -> tuple[list[Post], str | None]:
            return client.recent_search(query, since_id=since, max_pages=5 if since else 1)

        searches.append(CursorPoll(cursors, f"x:search:{tag}", search))
    if searches:
        listeners.append(
            IntervalPoller(
                "x:search",
                list(searches),
                interval=options.search_interval,
                on_health=account.health.reporter("search"),
            )
        )
    return listeners


def _bluesky_search(
    db: Database,
    box: SecretBox,
    account: _Account,
    rules: dict[str, str],
    cursors: CursorStore,
    options: ListenOptions,
) -> list[Listener]:
    """searchPosts for the watches' simple terms, newest first, from the last date seen."""
    client = BlueskyClient(
        identifier=account.row.handle,
        app_password=account.credentials["app_password"],
        tokens=AccountTokenStore(db, box, account.row.id),
        pds_url=options.bluesky_pds_url,
    )
    terms = sorted({term for rule in rules.values() for term in simple_terms(rule)})
    polls: list[Callable[[OnPost], int]] = []
    for term in terms:

        def search(since: str | None, term: str = term) -> tuple[list[Post], str | None]:
            posts, _page = client.search_posts(term, limit=100, since=since)
            newest = max((p.created_at for p in posts), default=None)
            stamp = newest.astimezone(UTC).isoformat().replace("+00:00", "Z") if newest else None
            return posts, max(filter(None, (stamp, since)), default=None)

        polls.append(CursorPoll(cursors, f"bluesky:search:{account.row.handle}:{term}", search))
    if not polls:
        return []
    return [
        IntervalPoller(
            f"bluesky:search:{account.row.handle}",
            polls,
            interval=options.search_interval,
            on_health=account.health.reporter("search"),
        )
    ]


def _mastodon_listeners(
    account: _Account, cursors: CursorStore, options: ListenOptions
) -> list[Listener]:
    """The user stream (mentions as they come) and notifications polled with min_id, which
    also covers instances whose streaming host cannot be reached."""
    credentials = account.credentials
    client = MastodonClient(
        instance_url=credentials["instance_url"], access_token=credentials["access_token"]
    )
    host = urlsplit(client.instance_url).netloc
    who = f"{account.row.handle}@{host}"
    stream = MastodonStream(
        client,
        cursors=cursors,
        stream="user",
        cursor_key=f"mastodon:{who}:stream",
        on_health=account.health.reporter("stream"),
        discover_streaming=True,
    )
    stream.name = f"mastodon:stream:{who}"

    def notifications(since: str | None) -> tuple[list[Post], str | None]:
        return client.mentions(min_id=since, limit=40)

    poller = IntervalPoller(
        f"mastodon:notifications:{who}",
        [
            CursorPoll(
                cursors, f"mastodon:{who}:notifications", notifications, page_size=40, max_pages=25
            )
        ],
        interval=options.mentions_interval,
        on_health=account.health.reporter("notifications"),
    )
    return [stream, poller]
