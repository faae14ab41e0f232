"""What the pipeline does to each post before the store: the fast tier, rule matching and the
post's row. No database here, so a worker process runs the same code as the pipeline and hands
back plain values that cost little to send (a parsed Post costs as much to send as to parse).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from veille.posts import Post
from veille.store.repository import PostRow, post_row
from veille.understand.types import Sentiment, Understanding


class Matcher(Protocol):
    def match(self, post: Post) -> list[str]: ...


class Understander(Protocol):
    def analyze(
        self, texts: Sequence[str], *, tier: Any = "accurate", extras: bool = True
    ) -> list[Understanding]: ...


@dataclass(frozen=True)
class MatchedWatch:
    watch_id: int
    rule_id: int


class Prepared(NamedTuple):
    """One post ready for the store. ``post`` is kept only when a later stage needs it
    (matched posts go through the accurate tier; edited posts replace their stored version),
    or when nothing has to be sent."""

    row: PostRow
    sentiment: Sentiment  # the fast tier's
    matches: tuple[MatchedWatch, ...]
    post: Post | None

    @property
    def key(self) -> tuple[str, str]:
        return self.row.key


def is_edit(post: Post) -> bool:
    """The network says this post is an edited version of one it sent before."""
    return bool((post.model_extra or {}).get("edited"))


class Preparer:
    """The fast tier and the compiled rules, applied to batches of posts."""

    def __init__(
        self,
        understander: Understander,
        matcher: Matcher,
        rule_watch: dict[str, int],
        seconds: MutableMapping[str, float],
    ) -> None:
        self.understander = understander
        self.matcher = matcher
        self.rule_watch = rule_watch
        self.seconds = seconds  # seconds per stage, added up

    @contextmanager
    def _stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def prepare(self, posts: Sequence[Post], *, keep_posts: bool) -> list[Prepared]:
        """Language and sentiment of every post, its matches and its row. ``keep_posts``:
        keep every Post (in process); otherwise only those a later stage needs."""
        with self._stage("fast"):
            cheap = self.understander.analyze([p.text for p in posts], tier="fast", extras=False)
        for post, understood in zip(posts, cheap, strict=True):
            if not post.lang:
                post.lang = understood.lang
        with self._stage("match"):
            matches = [self.match(post) for post in posts]
        with self._stage("rows"):
            return [
                Prepared(
                    post_row(post),
                    understood.sentiment,
                    found,
                    post if keep_posts or found or is_edit(post) else None,
                )
                for post, understood, found in zip(posts, cheap, matches, strict=True)
            ]

    def match(self, post: Post) -> tuple[MatchedWatch, ...]:
        """The watches a post matches, one rule each."""
        by_watch: dict[int, MatchedWatch] = {}
        for rule_id in self.matcher.match(post):
            watch_id = self.rule_watch[rule_id]
            by_watch.setdefault(watch_id, MatchedWatch(watch_id, int(rule_id)))
        return tuple(by_watch.values())
