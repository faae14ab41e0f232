"""The registered networks, in the order pages and messages list them.

Adding a network is one folder under ``veille/sources/`` whose ``network.py`` declares a
``NETWORK`` (see ``veille.sources.network``), plus its line in ``SOURCES`` below.
"""

from __future__ import annotations

from veille.sources.bluesky.network import NETWORK as BLUESKY
from veille.sources.mastodon.network import NETWORK as MASTODON
from veille.sources.network import Network, Publishing
from veille.sources.replay.network import NETWORK as REPLAY
from veille.sources.rss.network import NETWORK as RSS
from veille.sources.x.network import NETWORK as X

SOURCES: tuple[Network, ...] = (X, BLUESKY, MASTODON, RSS, REPLAY)


def post_networks() -> tuple[str, ...]:
    """Every value Post.network and Account.network may take."""
    return tuple(s.network for s in SOURCES if s.network is not None)


def find(network: str) -> Network | None:
    """The network whose posts and accounts carry ``network`` (None if unknown)."""
    return next((s for s in SOURCES if s.network == network), None)


def by_name(name: str) -> Network | None:
    """The source registered under its folder name (``rss``, ``replay`` ...)."""
    return next((s for s in SOURCES if s.name == name), None)


def ingest_formats() -> tuple[str, ...]:
    """The names `veille ingest --format` accepts besides Post JSON."""
    return tuple(s.name for s in SOURCES if s.load_payload is not None)


def account_networks() -> dict[str, tuple[str, ...]]:
    """Networks an account can be connected to → the credential fields each asks for."""
    return {
        s.network: s.credential_fields
        for s in SOURCES
        if s.network is not None and s.credential_fields
    }


def publishing_networks() -> tuple[str, ...]:
    """Networks a draft or a reply can be published to."""
    return tuple(s.network for s in SOURCES if s.network is not None and s.publishing)


def publishing(network: str) -> Publishing | None:
    """How ``network`` publishes and counts a post; None if it cannot publish."""
    found = find(network)
    return found.publishing if found is not None else None


def press_networks() -> tuple[str, ...]:
    """Networks whose posts are news articles."""
    return tuple(s.network for s in SOURCES if s.network is not None and s.press)


def display_name(network: str) -> str:
    found = find(network)
    return found.display_name if found is not None else network


def listing(names: tuple[str, ...], last: str = "or") -> str:
    """``a, b or c``: how messages list the accepted values."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {last} {names[-1]}"
