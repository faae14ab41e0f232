"""The contract a network folder fills in once: how to read its payloads, listen and publish
for an account, which credentials it asks for and how it is connected, how it counts a post.

Everything outside ``veille.sources`` reads networks through ``veille.sources.registry`` and
these objects, never by name: adding a network is one folder plus its registration line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Protocol

from veille.posts import Post
from veille.sources.base import (
    CursorStore,
    HttpGateway,
    Listener,
    OnHealth,
    ParseProblem,
    PostDeleted,
    PublishedPost,
    TokenStore,
)
from veille.sources.media import MediaFile

ConnectFlow = Literal["form", "oauth2_pkce"]


@dataclass(frozen=True)
class ListenOptions:
    """Polling intervals (seconds) and endpoint overrides (network → base URL; tests point
    them at local servers). The defaults stay well inside the free and basic API limits: a
    few mention reads per 15 min, and a press feed changes a few times an hour."""

    mentions_interval: float = 300.0  # mentions timelines and notifications
    search_interval: float = 900.0  # searches
    feed_interval: float = 900.0  # news feeds
    endpoints: Mapping[str, str] = field(default_factory=dict)

    def endpoint(self, network: str, default: str) -> str:
        return self.endpoints.get(network, default)


@dataclass(frozen=True)
class AccountListening:
    """What a network needs to listen for one connected account."""

    handle: str
    credentials: Mapping[str, str]
    tokens: TokenStore  # the account's sessions, shared with its publisher
    cursors: CursorStore
    rules: Mapping[str, str]  # the active watches' rules now: tag (w<watch>-r<rule>) → rule
    current_rules: Callable[[], dict[str, str]]  # the same, read again (a stream's rules move)
    options: ListenOptions
    reporter: Callable[[str], OnHealth]  # the account's state, per listener part
    first: bool  # the first account of this network: app-wide listeners go with it
    # Applies to the store what the network said happened to a post (deleted, edited).
    revise: Callable[[Post | PostDeleted], None] | None = None


class PublishJob(Protocol):
    """One attempt of a publish job (``veille.publish.publisher.JobRequest`` is one)."""

    @property
    def text(self) -> str: ...
    @property
    def in_reply_to(self) -> str | None: ...
    @property
    def idempotency_key(self) -> str: ...
    @property
    def due_at(self) -> datetime: ...
    @property
    def unknown_since(self) -> datetime | None: ...


@dataclass(frozen=True)
class AccountPublishing:
    """What a network needs to publish from one connected account."""

    handle: str
    credentials: Mapping[str, str]
    tokens: TokenStore  # the account's sessions, shared with its listeners
    endpoint: str | None  # base URL override (tests), else the network's own
    gateway: HttpGateway
    media: Callable[[], list[MediaFile]]  # the job's images, read only when needed


@dataclass(frozen=True)
class PostCost:
    """What one post costs on a pay-per-use API."""

    usd: Decimal
    has_link: bool
    explanation: str


@dataclass(frozen=True)
class Listening:
    """How a network listens for an account: the credentials it cannot do without."""

    requires: tuple[str, ...]
    missing: str  # what the account page says is missing ("app password")
    build: Callable[[AccountListening], list[Listener]]


@dataclass(frozen=True)
class BrowserCount:
    """How the composer's live counter (web/static/composer.js) counts as the network does;
    the saved draft is measured with ``Publishing.text_length`` itself."""

    url_weight: int | None = None  # a link counts this much; None: its full length
    light_ranges: tuple[tuple[int, int], ...] = ()  # when given, other characters count 2


@dataclass(frozen=True)
class Publishing:
    """How a network publishes, and how it measures a post (read by the composer and guard)."""

    publish: Callable[[AccountPublishing, PublishJob], PublishedPost]
    text_length: Callable[[str], int]
    max_length: int
    max_hashtags: int  # beyond these, a post reads as spam on that network
    max_images: int
    max_image_bytes: int
    check_reply_target: Callable[[str], str | None]  # why this post id cannot be replied to
    post_cost: Callable[[str], PostCost] | None = None  # pay-per-use networks only
    links_cost_more: bool = False  # the guard warns that a link makes the post dearer
    browser_count: BrowserCount = BrowserCount()


@dataclass(frozen=True)
class Network:
    """One network (or source of posts), declared once in its folder's ``network.py``."""

    name: str  # the folder; `veille ingest --format NAME`; its docs/networks.md section
    display_name: str
    # The value of Post.network and Account.network it stands for; None for a source that
    # carries posts of other networks (replay).
    network: str | None
    credential_fields: tuple[str, ...] = ()  # asked on the accounts page; nothing else stored
    connect_flow: ConnectFlow = "form"
    ingest_help: str = ""  # what `veille ingest --format NAME` reads (an N_ msgid)
    # Posts, deletions and named problems of a saved payload (`veille ingest --format NAME`).
    load_payload: Callable[[Path], Iterator[Post | PostDeleted | ParseProblem]] | None = None
    sources_section: str | None = None  # its section in a `veille listen --sources` file
    from_sources_file: Callable[[Sequence[dict[str, Any]], SourcesFile], list[Listener]] | None = (
        None
    )
    listening: Listening | None = None
    publishing: Publishing | None = None
    post_link: Callable[[str, str, Mapping[str, Any]], str | None] | None = None
    press: bool = False  # its posts are news articles (the brief's news digest)


@dataclass(frozen=True)
class SourcesFile:
    """A `veille listen --sources` file being read: where, and what its sections share."""

    path: Path
    cursors: CursorStore
    secret_from_env: Callable[[Mapping[str, Any], str, str], str | None]
    error: Callable[[str], Exception]  # builds the error naming file, section and key
