"""Polling listeners: REST timelines and searches read at an interval, resuming from a cursor.

Streams miss things (X's stream only carries what the rules catch, a Mastodon instance may
have no reachable streaming host), so mentions and searches are also polled. Each poll
reads everything newer than its cursor and moves the cursor only after handing the posts over.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from veille.posts import Post
from veille.sources.base import (
    AuthExpired,
    Clock,
    ConnectorError,
    CursorStore,
    OnHealth,
    OnPost,
    RateLimited,
    SystemClock,
    report_health,
)

log = logging.getLogger("veille.sources.polling")

# One page: the posts newer than the cursor given, and the cursor to keep (None: unchanged).
Fetch = Callable[[str | None], tuple[list[Post], str | None]]


@dataclass
class CursorPoll:
    """One poll of a cursor-paged endpoint (since_id, min_id, since): read, hand over, advance.

    A full page (``page_size`` posts) is followed by the next one, up to ``max_pages`` (the
    rest comes at the next poll); ``page_size`` None means ``fetch`` pages by itself. A first
    poll, without a cursor, reads one page: reading history costs money on X and is not what
    listening is for.
    """

    cursors: CursorStore
    key: str
    fetch: Fetch
    page_size: int | None = None
    max_pages: int = 10

    def __call__(self, on_post: OnPost) -> int:
        cursor = self.cursors.get(self.key)
        pages = self.max_pages if cursor else 1
        count = 0
        for _ in range(pages):
            posts, newest = self.fetch(cursor)
            for post in posts:
                on_post(post)
            count += len(posts)
            if not newest or newest == cursor:
                break
            cursor = newest
            self.cursors.set(self.key, newest)
            if self.page_size is None or len(posts) < self.page_size:
                break
        return count


class IntervalPoller:
    """Runs ``polls`` every ``interval`` seconds; reports each outcome through ``on_health``.

    A rate limit waits for its reset, refused credentials slow down to ``auth_interval`` (they
    will not heal before the account is reconnected), other errors retry at the interval.
    """

    def __init__(
        self,
        name: str,
        polls: list[Callable[[OnPost], int]],
        *,
        interval: float,
        on_health: OnHealth | None = None,
        auth_interval: float = 900.0,
        clock: Clock | None = None,
    ) -> None:
        if interval <= 0:
            raise ValueError(f"{name}: the polling interval must be positive, got {interval}")
        self.name = name
        self.polls = polls
        self.interval = interval
        self.on_health = on_health
        self.auth_interval = max(interval, auth_interval)
        self.clock = clock or SystemClock()
        self.rounds = 0

    def poll_once(self, on_post: OnPost) -> float:
        """Every poll once; returns the delay before the next round."""
        self.rounds += 1
        try:
            for poll in self.polls:
                poll(on_post)
        except RateLimited as exc:
            log.warning("%s: %s", self.name, exc)
            report_health(self.on_health, exc)
            return max(self.interval, exc.until - self.clock.now())
        except AuthExpired as exc:
            log.warning("%s: %s", self.name, exc)
            report_health(self.on_health, exc)
            return self.auth_interval
        except ConnectorError as exc:
            log.warning("%s: %s", self.name, exc)
            report_health(self.on_health, exc)
            return self.interval
        report_health(self.on_health)
        return self.interval

    def listen(self, on_post: OnPost, stop: threading.Event) -> None:
        while not stop.is_set():
            delay = self.poll_once(on_post)
            stop.wait(delay)
