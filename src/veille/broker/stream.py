"""The JetStream stream posts travel on, the one durable consumer every worker shares, and the
connection to the server (nats-py, imported here only: the extra ``veille[broker]``)."""

from __future__ import annotations

import asyncio
import logging

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from veille.translations import N_, Language, Refusal, Words

log = logging.getLogger("veille.broker")

STREAM = "VEILLE_POSTS"
SUBJECT = "veille.posts"
# One durable pull consumer for every worker: each message goes to one of them.
CONSUMER = "veille-workers"
# A post published twice within this window (a retried publish, a re-run) is stored once by
# the stream; later copies reach a worker and the store skips them.
DUPLICATE_WINDOW = 120.0
# Messages a worker may hold unacknowledged, all workers together.
MAX_ACK_PENDING = 20_000
CONNECT_WAIT = 2.0  # seconds for one attempt at a first connection


class BrokerError(RuntimeError):
    """The broker cannot be reached or refused the stream; the message names the address.
    Not a ValueError (a Refusal) on purpose: code reading posts catches those, and a broker
    out of reach must never pass for a bad post."""

    def __init__(self, message: str, **fields: object) -> None:
        self.words = Words(message, **fields)
        super().__init__(str(self.words))

    def in_language(self, lang: Language) -> str:
        return self.words.in_language(lang)


class BrokerAddressError(Refusal):
    """An address that is not nats://HOST:PORT (tls://, or several separated by commas)."""


def check_address(address: str) -> str:
    """``nats://HOST:PORT`` (or tls://, several separated by commas), else ValueError."""
    for server in address.split(","):
        scheme, _, rest = server.strip().partition("://")
        if scheme not in ("nats", "tls") or not rest:
            raise BrokerAddressError(
                N_("invalid broker address: %(server)r (expected nats://HOST:PORT)"),
                server=server,
            )
    return address


async def connect(address: str, *, attempts: int = 2) -> Client:
    """A connection that reconnects on its own for ever once made; ``attempts`` bounds the
    first connection only (-1: keep trying, for a worker started before its server)."""
    servers = [s.strip() for s in address.split(",")]
    tried = 0
    while True:
        tried += 1
        try:
            # nats-py retries a first connection for ever when reconnecting is allowed: the
            # attempt is bounded here, and reconnecting stays on once connected.
            return await asyncio.wait_for(_connect(servers), timeout=CONNECT_WAIT)
        except Exception as exc:  # nats raises several unrelated types on a refused connection
            if attempts != -1 and tried >= attempts:
                raise BrokerError(
                    N_("broker out of reach: %(address)s (%(why)r)"), address=address, why=exc
                ) from None
            log.warning("broker %s out of reach (%r), trying again", address, exc)
            await asyncio.sleep(1.0)


async def _connect(servers: list[str]) -> Client:
    return await nats.connect(
        servers=servers,
        connect_timeout=2,
        allow_reconnect=True,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.5,
        error_cb=_log_error,
        disconnected_cb=_log_disconnected,
        reconnected_cb=_log_reconnected,
    )


async def ensure_stream(js: JetStreamContext) -> None:
    """Create the stream when missing (a work queue on disk: a message leaves once a worker
    acknowledged it, since the store, not the log, is the source of truth)."""
    try:
        await js.stream_info(STREAM)
    except NotFoundError:
        await js.add_stream(
            StreamConfig(
                name=STREAM,
                subjects=[SUBJECT],
                retention=RetentionPolicy.WORK_QUEUE,
                storage=StorageType.FILE,
                duplicate_window=DUPLICATE_WINDOW,
            )
        )


async def ensure_consumer(js: JetStreamContext, *, ack_wait: float) -> None:
    """Create the shared durable consumer when missing; ``ack_wait`` is how long a message
    stays with a worker that went silent before another worker gets it."""
    try:
        await js.consumer_info(STREAM, CONSUMER)
    except NotFoundError:
        await js.add_consumer(
            STREAM,
            ConsumerConfig(
                durable_name=CONSUMER,
                ack_policy=AckPolicy.EXPLICIT,
                ack_wait=ack_wait,
                max_ack_pending=MAX_ACK_PENDING,
                filter_subject=SUBJECT,
            ),
        )


async def _log_error(exc: Exception) -> None:
    log.warning("broker: %s", exc)


async def _log_disconnected() -> None:
    log.info("broker: disconnected")


async def _log_reconnected() -> None:
    log.info("broker: reconnected")
