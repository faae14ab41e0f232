"""`veille worker`: take batches of posts from the shared consumer, run them through the same
pipeline as in-process ingest, and acknowledge them only once the store has committed.

A worker that dies before acknowledging leaves its messages to the others after the consumer's
``ack_wait``; the store skips what was already stored, keyed on (network, post id), so a
post delivered twice is stored once. A message that is not a post is terminated (never
redelivered) with a logged rejection naming it; a store out of reach gives the batch back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from sqlalchemy.exc import InterfaceError, OperationalError

from veille.broker.publisher import WORKSPACE
from veille.broker.stream import CONSUMER, STREAM, connect, ensure_consumer, ensure_stream
from veille.ingest import IngestSummary, Rejection, ingest_posts, parse_post_lines
from veille.pipeline import Pipeline
from veille.posts import Post
from veille.store.db import DEFAULT_WORKSPACE
from veille.translations import N_, Words

log = logging.getLogger("veille.broker.worker")
MESSAGE = N_("message %(number)s")  # how a rejection names a message of the stream
BAD_WORKSPACE = N_("the workspace header is not a workspace number (%(value)s)")

# The store out of reach, a lock or a deadlock: the batch is given back, not rejected.
PASSING = (OperationalError, InterfaceError)
FETCH_WAIT = 1.0  # seconds a fetch waits for messages before checking for a stop
RULES_EVERY = 60.0  # seconds between reloads of the watches' rules (edited in the web app)
REDELIVER_AFTER = 2.0  # seconds before a batch given back is offered again


@dataclass(frozen=True)
class WorkerOptions:
    batch: int = 500
    ack_wait: float = 30.0
    pause: float = 0.0  # seconds slept per batch before acknowledging: a slow worker, for tests


@dataclass
class WorkerReport:
    batches: int = 0
    messages: int = 0
    new: int = 0
    duplicate: int = 0
    matched: int = 0
    rejected: int = 0
    given_back: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))


def message(sequence: int) -> Words:
    """A message of the stream named by its sequence, as rejections name it."""
    return Words(MESSAGE, number=sequence)


def decode(messages: Sequence[Msg]) -> list[tuple[int, Post | Rejection]]:
    """(stream sequence, Post or Rejection naming the message) for each message."""
    items: list[tuple[int, Post | Rejection]] = []
    for msg in messages:
        sequence = msg.metadata.sequence.stream
        parsed = list(parse_post_lines([msg.data]))
        if len(parsed) != 1:
            reason = N_("empty message") if not parsed else N_("several lines in one message")
            items.append((sequence, Rejection(message(sequence), Words(reason))))
            continue
        item = parsed[0][1]
        if isinstance(item, Rejection):
            item = Rejection(message(sequence), item.reason)
        elif heard_by(msg) is None:
            item = Rejection(message(sequence), Words(BAD_WORKSPACE, value=_header(msg)))
        items.append((sequence, item))
    return items


def _header(msg: Msg) -> str:
    return (msg.headers or {}).get(WORKSPACE, "")


def heard_by(msg: Msg) -> int | None:
    """The workspace that heard the message's post; the first for a message published before
    workspaces (no header); None when the header is not a workspace's id."""
    value = _header(msg)
    if not value:
        return DEFAULT_WORKSPACE
    return int(value) if value.isdigit() and int(value) > 0 else None


def _ingest_by_workspace(
    pipeline: Pipeline, items: list[tuple[int, Post | Rejection]], messages: Sequence[Msg]
) -> IngestSummary:
    """The batch's posts through the pipeline, each group heard by its own workspace."""
    groups: dict[int, list[tuple[int, Post | Rejection]]] = {}
    for item, msg in zip(items, messages, strict=True):
        groups.setdefault(heard_by(msg) or DEFAULT_WORKSPACE, []).append(item)
    total = IngestSummary()
    for workspace, group in sorted(groups.items()):
        summary = ingest_posts(
            pipeline,
            group,
            batch_size=len(group) + 1,
            where=MESSAGE,
            retry_on=PASSING,
            heard_by=workspace,
        )
        for name in ("read", "new", "duplicate", "matched", "deleted", "edited"):
            setattr(total, name, getattr(total, name) + getattr(summary, name))
        total.rejected += summary.rejected
    return total


async def run_worker(
    pipeline: Pipeline, address: str, *, options: WorkerOptions, stop: asyncio.Event
) -> WorkerReport:
    """Consume until ``stop`` is set; the batch in hand is finished first."""
    client = await connect(address, attempts=-1)
    report = WorkerReport()
    try:
        js = client.jetstream()
        await ensure_stream(js)
        await ensure_consumer(js, ack_wait=options.ack_wait)
        subscription = await js.pull_subscribe_bind(durable=CONSUMER, stream=STREAM)
        rules_loaded = time.monotonic()
        while not stop.is_set():
            try:
                messages = await subscription.fetch(options.batch, timeout=FETCH_WAIT)
            except NatsTimeoutError:
                continue
            except Exception as exc:  # the server restarting: fetch again once reconnected
                log.warning("fetch failed (%r), trying again", exc)
                await asyncio.sleep(FETCH_WAIT)
                continue
            if not messages:
                continue
            if time.monotonic() - rules_loaded > RULES_EVERY:
                await asyncio.to_thread(pipeline.reload_rules)
                rules_loaded = time.monotonic()
            await _handle(pipeline, messages, options, report)
            with contextlib.suppress(Exception):  # acks wait in the buffer while reconnecting
                await client.flush()
    finally:
        with contextlib.suppress(Exception):
            await client.flush(timeout=5)
        await client.close()
    return report


async def _handle(
    pipeline: Pipeline, messages: list[Msg], options: WorkerOptions, report: WorkerReport
) -> None:
    items = decode(messages)
    keep_alive = asyncio.create_task(_in_progress(messages, options.ack_wait))
    try:
        summary = await asyncio.to_thread(_ingest_by_workspace, pipeline, items, messages)
        if options.pause:
            await asyncio.sleep(options.pause)
    except Exception as exc:  # PASSING, or a failure outside the posts (an edit, say)
        what = "store unavailable" if isinstance(exc, PASSING) else "batch failed"
        log.warning("%s, %d messages given back: %r", what, len(messages), exc)
        report.given_back += len(messages)
        for msg in messages:
            await msg.nak(delay=REDELIVER_AFTER)
        return
    finally:
        keep_alive.cancel()
    rejected = {str(r.where) for r in summary.rejected}
    for rejection in summary.rejected:
        log.warning("%s", rejection)
    for (sequence, _), msg in zip(items, messages, strict=True):
        if str(message(sequence)) in rejected:
            await msg.term()
        else:
            await msg.ack()
    report.batches += 1
    report.messages += len(messages)
    report.new += summary.new
    report.duplicate += summary.duplicate
    report.matched += summary.matched
    report.rejected += len(summary.rejected)
    log.info("batch of %d: %s", len(messages), summary.as_dict())


async def _in_progress(messages: Sequence[Msg], ack_wait: float) -> None:
    """Tell the server the batch is still being worked on, so a long batch is not handed to
    another worker while this one is alive."""
    while True:
        await asyncio.sleep(ack_wait / 3)
        for msg in messages:
            with contextlib.suppress(Exception):
                await msg.in_progress()
