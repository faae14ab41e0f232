"""News feeds (RSS 2.0 and Atom), declared once: a feed per account, polled with ETag and
If-Modified-Since; their posts carry the network ``news``. They cannot publish."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from veille.posts import Post
from veille.sources.base import Listener, ParseProblem
from veille.sources.network import AccountListening, Listening, Network, SourcesFile
from veille.sources.rss.client import Feed, FeedPoller, iter_feed
from veille.translations import N_

NAME = "rss"
NEWS = "news"


def load_payload(path: Path) -> Iterator[Post | ParseProblem]:
    """An RSS or Atom document; the file's URI stands for the feed's address."""
    return iter_feed(path.read_bytes(), feed_url=path.resolve().as_uri(), fetched=False)


def listeners(account: AccountListening) -> list[Listener]:
    poller = FeedPoller(
        [Feed(url=account.credentials["feed_url"], interval=account.options.feed_interval)],
        cursors=account.cursors,
        on_health=account.reporter("feed"),
    )
    poller.name = f"news:{account.handle}"
    return [poller]


def from_sources_file(sections: Sequence[dict[str, Any]], file: SourcesFile) -> list[Listener]:
    found: list[Listener] = []
    for section in sections:
        feeds = []
        for j, feed in enumerate(section.get("feeds", [])):
            if not isinstance(feed, dict) or "url" not in feed:
                raise file.error(f"{file.path} [news] feeds[{j}]: needs a 'url'")
            feeds.append(Feed(url=str(feed["url"]), interval=float(feed.get("interval", 900))))
        found.append(FeedPoller(feeds, cursors=file.cursors))
    return found


def post_link(username: str, post_id: str, payload: Mapping[str, Any]) -> str | None:
    urls = payload.get("urls") or []
    return str(urls[0]) if urls else None


NETWORK = Network(
    name=NAME,
    display_name=N_("News (RSS/Atom)"),
    network=NEWS,
    credential_fields=("feed_url",),
    connect_flow="form",
    ingest_help=N_("rss (RSS or Atom)"),
    load_payload=load_payload,
    sources_section=NEWS,
    from_sources_file=from_sources_file,
    listening=Listening(requires=("feed_url",), missing="feed URL", build=listeners),
    post_link=post_link,
    press=True,
)
