"""Network connectors: one folder per network, declared in its network.py (docs/networks.md)."""

from veille.sources.base import (
    AuthExpired,
    ConnectorError,
    CursorStore,
    JsonFileCursorStore,
    Listener,
    MalformedPayload,
    MemoryCursorStore,
    MemoryTokenStore,
    NetworkError,
    ParseProblem,
    PublishedPost,
    PublishTimeout,
    RateLimited,
    RequestRejected,
    TokenStore,
)
from veille.sources.bluesky.client import parse_jetstream_event
from veille.sources.mastodon.client import parse_mastodon_status
from veille.sources.payloads import load_payload_file
from veille.sources.rss.client import parse_feed
from veille.sources.x.client import parse_x_response

__all__ = [
    "AuthExpired",
    "ConnectorError",
    "CursorStore",
    "JsonFileCursorStore",
    "Listener",
    "MalformedPayload",
    "MemoryCursorStore",
    "MemoryTokenStore",
    "NetworkError",
    "ParseProblem",
    "PublishTimeout",
    "PublishedPost",
    "RateLimited",
    "RequestRejected",
    "TokenStore",
    "load_payload_file",
    "parse_feed",
    "parse_jetstream_event",
    "parse_mastodon_status",
    "parse_x_response",
]
