"""Mastodon, declared once: Status entities, the user stream and notifications, publishing
with an access token and the job's Idempotency-Key, statuses counted with links as 23."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from veille.posts import Post
from veille.sources.base import AuthExpired, Listener, PublishedPost
from veille.sources.mastodon.client import MastodonClient, MastodonStream, iter_mastodon_statuses
from veille.sources.mastodon.text import MAX_LENGTH, URL_WEIGHT, mastodon_length
from veille.sources.media import MASTODON_MAX_BYTES, MAX_IMAGES
from veille.sources.network import (
    AccountListening,
    AccountPublishing,
    BrowserCount,
    Listening,
    Network,
    Publishing,
    PublishJob,
    SourcesFile,
)
from veille.sources.payloads import Item, json_payloads
from veille.sources.polling import CursorPoll, IntervalPoller
from veille.translations import N_

NAME = "mastodon"


def load_payload(path: Path) -> Iterator[Item]:
    """A JSON list of Status entities (or a v2 search result)."""
    return json_payloads(path.read_bytes(), iter_mastodon_statuses, one_per_line=True)


def listeners(account: AccountListening) -> list[Listener]:
    """The user stream (mentions as they come) and notifications polled with min_id, which
    also covers instances whose streaming host cannot be reached."""
    credentials = account.credentials
    client = MastodonClient(
        instance_url=credentials["instance_url"], access_token=credentials["access_token"]
    )
    host = urlsplit(client.instance_url).netloc
    who = f"{account.handle}@{host}"
    stream = MastodonStream(
        client,
        cursors=account.cursors,
        stream="user",
        cursor_key=f"mastodon:{who}:stream",
        on_health=account.reporter("stream"),
        discover_streaming=True,
        revise=account.revise,
    )
    stream.name = f"mastodon:stream:{who}"

    def notifications(since: str | None) -> tuple[list[Post], str | None]:
        return client.mentions(min_id=since, limit=40)

    poller = IntervalPoller(
        f"mastodon:notifications:{who}",
        [
            CursorPoll(
                account.cursors,
                f"mastodon:{who}:notifications",
                notifications,
                page_size=40,
                max_pages=25,
            )
        ],
        interval=account.options.mentions_interval,
        on_health=account.reporter("notifications"),
    )
    return [stream, poller]


def publish(account: AccountPublishing, job: PublishJob) -> PublishedPost:
    """Post with the job's Idempotency-Key: the instance answers a retry with the same status."""
    instance = account.endpoint or account.credentials.get("instance_url", "")
    if not instance or not account.credentials.get("access_token"):
        raise AuthExpired(NAME, "instance URL or access token missing; reconnect")
    return MastodonClient(
        instance_url=instance,
        access_token=account.credentials["access_token"],
        gateway=account.gateway,
    ).publish(
        job.text,
        idempotency_key=job.idempotency_key,
        in_reply_to_id=job.in_reply_to,
        media=account.media(),
    )


def from_sources_file(sections: Sequence[dict[str, Any]], file: SourcesFile) -> list[Listener]:
    found: list[Listener] = []
    for i, section in enumerate(sections):
        where = f"{file.path} [[mastodon]] #{i + 1}"
        if "instance" not in section:
            raise file.error(f"{where}: 'instance' is required")
        client = MastodonClient(
            instance_url=str(section["instance"]),
            access_token=file.secret_from_env(section, "token_env", where),
            streaming_url=section.get("streaming_url"),
        )
        try:
            stream = MastodonStream(
                client,
                cursors=file.cursors,
                stream=str(section.get("stream", "hashtag")),
                tag=section.get("tag"),
            )
        except ValueError as exc:
            raise file.error(f"{where}: {exc}") from None
        found.append(stream)
    return found


NETWORK = Network(
    name=NAME,
    display_name="Mastodon",
    network=NAME,
    credential_fields=("instance_url", "access_token"),
    connect_flow="form",
    ingest_help=N_("mastodon (list of statuses)"),
    load_payload=load_payload,
    sources_section="mastodon",
    from_sources_file=from_sources_file,
    listening=Listening(
        requires=("instance_url", "access_token"),
        missing="instance URL and access token",
        build=listeners,
    ),
    publishing=Publishing(
        publish=publish,
        text_length=mastodon_length,
        max_length=MAX_LENGTH,
        max_hashtags=5,
        max_images=MAX_IMAGES,
        max_image_bytes=MASTODON_MAX_BYTES,
        check_reply_target=lambda target: None,  # any status id
        browser_count=BrowserCount(url_weight=URL_WEIGHT),
    ),
)
