"""Sending posts to the stream from synchronous code (`veille ingest`, `veille listen`).

Every post is published with its key as ``Nats-Msg-Id``, so a publish retried after a lost
acknowledgement is stored once by the stream. A batch returns only when the stream has
acknowledged every post of it (written to its disk): what `ingest --broker` reports as
published is in the log. While the server is away the batch is retried, not dropped.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from nats.aio.client import Client
from nats.js import JetStreamContext

from veille.broker.stream import SUBJECT, BrokerError, connect, ensure_stream
from veille.ingest import Rejection
from veille.posts import Post
from veille.sources.base import PostDeleted
from veille.store.db import DEFAULT_WORKSPACE
from veille.translations import N_

T = TypeVar("T")

# Seconds a batch keeps being retried while the server is away before the command gives up.
RETRY_FOR = 120.0
ACK_TIMEOUT = 5.0  # seconds to wait for the stream's acknowledgements of one attempt


WORKSPACE = "Veille-Workspace"  # the header naming the workspace that heard the post


def message(post: Post, heard_by: int = DEFAULT_WORKSPACE) -> tuple[bytes, dict[str, str]]:
    """A post as a message: its Post JSON line, the workspace that heard it, and its key as
    the de-duplication id (with the workspace beyond the first: the same post heard by two
    workspaces is two messages, one hearing each)."""
    data = json.dumps(post.to_json_dict(), ensure_ascii=False).encode("utf-8")
    key = f"{post.network}:{post.id}"
    if heard_by != DEFAULT_WORKSPACE:
        key = f"w{heard_by}:{key}"
    return data, {"Nats-Msg-Id": key, WORKSPACE: str(heard_by)}


class Publisher:
    """A connection to the broker usable from plain threads: it runs on its own event loop."""

    def __init__(
        self,
        address: str,
        *,
        retry_for: float = RETRY_FOR,
        workspace_id: int = DEFAULT_WORKSPACE,
    ) -> None:
        self.address = address
        self.retry_for = retry_for
        self.workspace_id = workspace_id  # who hears the posts published without saying
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="veille-broker", daemon=True
        )
        self._thread.start()
        try:
            self._client, self._js = self._run(self._open())
        except BaseException:
            self._stop_loop()
            raise

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    async def _open(self) -> tuple[Client, JetStreamContext]:
        client = await connect(self.address)
        js = client.jetstream()
        await ensure_stream(js)
        return client, js

    def publish(self, posts: Sequence[Post], *, heard_by: int | None = None) -> None:
        """Every post of ``posts`` in the stream, heard by ``heard_by`` (default: the
        publisher's workspace), or BrokerError after ``retry_for`` seconds."""
        hearer = self.workspace_id if heard_by is None else heard_by
        if posts:
            self._run(self._publish([message(p, hearer) for p in posts]))

    async def _publish(self, messages: list[tuple[bytes, dict[str, str]]]) -> None:
        waiting = dict(enumerate(messages))
        deadline = time.monotonic() + self.retry_for
        last: object = "pas d'accusé de réception"
        while True:
            futures: dict[int, asyncio.Future[Any]] = {}
            try:
                for number, (data, headers) in waiting.items():
                    futures[number] = await self._js.publish_async(
                        SUBJECT, data, headers=dict(headers), wait_stall=ACK_TIMEOUT
                    )
            except Exception as exc:  # closed or stalled connection: retry what is left
                last = exc
            if futures:
                await asyncio.wait(futures.values(), timeout=ACK_TIMEOUT)
            for number, future in futures.items():
                if future.done() and not future.cancelled() and future.exception() is None:
                    del waiting[number]
                elif not future.done():
                    future.cancel()  # frees its place among the pending publishes
                else:
                    last = future.exception() or "cancelled"
            if not waiting:
                return
            if time.monotonic() > deadline:
                raise BrokerError(
                    N_(
                        "broker %(address)s: %(count)s posts not accepted "
                        "in %(seconds)s s (%(why)s)"
                    ),
                    address=self.address,
                    count=len(waiting),
                    seconds=f"{self.retry_for:.0f}",
                    why=last,
                )
            await asyncio.sleep(0.5)

    def close(self) -> None:
        """Disconnect (every batch published was acknowledged already)."""
        try:
            self._run(self._client.close())
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()


@dataclass
class PublishSummary:
    read: int = 0
    published: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    deletions_skipped: int = 0  # deletions in a network payload: applied in-process only

    @property
    def partial(self) -> bool:
        return bool(self.rejected)

    @property
    def stored_nothing(self) -> bool:
        return self.read == len(self.rejected)

    def as_dict(self) -> dict[str, int]:
        counts = {"read": self.read, "published": self.published, "rejected": len(self.rejected)}
        if self.deletions_skipped:
            counts["deletions_skipped"] = self.deletions_skipped
        return counts


def publish_items(
    publisher: Publisher,
    items: Iterable[tuple[int, Post | PostDeleted | Rejection]],
    *,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> PublishSummary:
    """`veille ingest --broker`: parsed items to the stream in batches, rejections kept (the
    same parsing as in-process ingest, so a bad line is refused here, with its number)."""
    summary = PublishSummary()
    batch: list[Post] = []

    def flush() -> None:
        publisher.publish(batch)
        summary.published += len(batch)
        if progress:
            progress(len(batch))
        batch.clear()

    for _, item in items:
        if isinstance(item, PostDeleted):
            summary.deletions_skipped += 1
            continue
        summary.read += 1
        if isinstance(item, Rejection):
            summary.rejected.append(item)
            if progress:
                progress(1)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return summary
