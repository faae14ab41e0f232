"""Bluesky, declared once: Jetstream events, the public firehose and searchPosts, publishing
with an app password (the session shared with the listeners), posts counted in graphemes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC
from pathlib import Path
from typing import Any

from veille.posts import Post
from veille.rules.search_terms import simple_terms
from veille.sources.base import AuthExpired, Listener, OnPost, ParseProblem, PublishedPost
from veille.sources.bluesky.client import (
    JETSTREAM_URL,
    PDS_URL,
    BlueskyClient,
    JetstreamListener,
    iter_jetstream_events,
    make_tid,
)
from veille.sources.bluesky.handles import APPVIEW_URL, HandleCache, appview_lookup
from veille.sources.bluesky.text import MAX_LENGTH, bluesky_length
from veille.sources.media import BLUESKY_MAX_BYTES, MAX_IMAGES
from veille.sources.network import (
    AccountListening,
    AccountPublishing,
    Listening,
    Network,
    Publishing,
    PublishJob,
    SourcesFile,
)
from veille.sources.payloads import Item, json_bodies
from veille.sources.polling import CursorPoll, IntervalPoller
from veille.translations import N_

NAME = "bluesky"
JETSTREAM = "bluesky:jetstream"  # the endpoint override key of the firehose
APPVIEW = "bluesky:appview"  # ... and of the AppView that names DIDs


def load_payload(path: Path) -> Iterator[Item]:
    """Jetstream events, one JSON object per line (or one event or a list, pretty-printed)."""
    events: list[tuple[str, object]] = []
    for body in json_bodies(path.read_bytes(), one_per_line=True):
        if isinstance(body, ParseProblem):
            yield body
            continue
        where, value = body
        if isinstance(value, list):
            events += [(f"{where}event {i + 1}", event) for i, event in enumerate(value)]
        else:
            events.append((where.strip() or "event", value))
    yield from iter_jetstream_events(events)


def listeners(account: AccountListening) -> list[Listener]:
    """The firehose (once for everyone: it is public) and searchPosts for the watches'
    simple terms, newest first, from the last date seen."""
    options = account.options
    built: list[Listener] = []
    if account.first:
        built.append(
            JetstreamListener(
                cursors=account.cursors,
                url=options.endpoint(JETSTREAM, JETSTREAM_URL),
                on_health=account.reporter("jetstream"),
                handles=HandleCache(appview_lookup(options.endpoint(APPVIEW, APPVIEW_URL))),
                revise=account.revise,
            )
        )
    handle = account.handle
    client = BlueskyClient(
        identifier=handle,
        app_password=account.credentials["app_password"],
        tokens=account.tokens,
        pds_url=options.endpoint(NAME, PDS_URL),
    )
    terms = sorted({term for rule in account.rules.values() for term in simple_terms(rule)})
    polls: list[Callable[[OnPost], int]] = []
    for term in terms:

        def search(since: str | None, term: str = term) -> tuple[list[Post], str | None]:
            posts, _page = client.search_posts(term, limit=100, since=since)
            newest = max((p.created_at for p in posts), default=None)
            stamp = newest.astimezone(UTC).isoformat().replace("+00:00", "Z") if newest else None
            return posts, max(filter(None, (stamp, since)), default=None)

        polls.append(CursorPoll(account.cursors, f"bluesky:search:{handle}:{term}", search))
    if polls:
        built.append(
            IntervalPoller(
                f"bluesky:search:{handle}",
                polls,
                interval=options.search_interval,
                on_health=account.reporter("search"),
            )
        )
    return built


def record_key(job: PublishJob) -> str:
    """A record key fixed by the job: the same on every retry, distinct per job."""
    digest = int(hashlib.sha256(job.idempotency_key.encode()).hexdigest()[:3], 16)
    return make_tid(int(job.due_at.timestamp() * 1_000_000), clock_id=digest & 0x3FF)


def publish(account: AccountPublishing, job: PublishJob) -> PublishedPost:
    """Write the post under a record key derived from the job, so a retry finds it."""
    if not account.credentials.get("app_password"):
        raise AuthExpired(NAME, "app password missing; reconnect the account")
    return BlueskyClient(
        identifier=account.handle,
        app_password=account.credentials["app_password"],
        tokens=account.tokens,
        pds_url=account.endpoint or PDS_URL,
        gateway=account.gateway,
    ).publish(
        job.text,
        reply_to_uri=job.in_reply_to,
        rkey=record_key(job),
        created_at=job.due_at,
        media=account.media(),
    )


def check_reply_target(target: str) -> str | None:
    if not target.startswith("at://"):
        return f"post: {target!r} is not a Bluesky at:// URI; cannot reply to it"
    return None


def from_sources_file(sections: Sequence[dict[str, Any]], file: SourcesFile) -> list[Listener]:
    return [
        JetstreamListener(
            cursors=file.cursors,
            url=str(section.get("jetstream_url", JETSTREAM_URL)),
            wanted_dids=tuple(str(d) for d in section.get("wanted_dids", [])),
        )
        for section in sections
    ]


def post_link(username: str, post_id: str, payload: Mapping[str, Any]) -> str | None:
    rkey = post_id.rsplit("/", 1)[-1]
    return f"https://bsky.app/profile/{username}/post/{rkey}"


NETWORK = Network(
    name=NAME,
    display_name="Bluesky",
    network=NAME,
    credential_fields=("app_password",),
    connect_flow="form",
    ingest_help=N_("bluesky (Jetstream events)"),
    load_payload=load_payload,
    sources_section="bluesky",
    from_sources_file=from_sources_file,
    listening=Listening(requires=("app_password",), missing="app password", build=listeners),
    publishing=Publishing(
        publish=publish,
        text_length=bluesky_length,
        max_length=MAX_LENGTH,
        max_hashtags=3,
        max_images=MAX_IMAGES,
        max_image_bytes=BLUESKY_MAX_BYTES,
        check_reply_target=check_reply_target,
    ),
    post_link=post_link,
)
