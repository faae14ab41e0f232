"""The flow, in one process: parse -> cheap enrichment -> rule matching -> deep enrichment -> store.

Stages are plain functions of a batch so a worker on a message log can call the same ones.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from veille.business import BusinessProfile
from veille.inbox.admission import Admission
from veille.inbox.clock import BusinessHours
from veille.inbox.triage import INTENT_WEIGHTS, Signals, score
from veille.posts import Post
from veille.store import counts, repository
from veille.store.db import Database
from veille.understand import near_duplicates
from veille.understand.types import Understanding


class Matcher(Protocol):
    def match(self, post: Post) -> list[str]: ...


class Understander(Protocol):
    def analyze(
        self, texts: Sequence[str], *, tier: Any = "accurate", extras: bool = True
    ) -> list[Understanding]: ...


# Recent matched posts kept to spot copies across batches (reposts, templated spam).
DUPLICATE_WINDOW = 1000


@dataclass
class BatchResult:
    new: int = 0
    duplicate: int = 0
    matched: int = 0
    stored_keys: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class MatchedWatch:
    watch_id: int
    rule_id: int


class Pipeline:
    """Runs batches of parsed posts through every stage and stores them."""

    def __init__(
        self,
        db: Database,
        *,
        profile: BusinessProfile | None,
        understander: Understander,
        matcher_factory: Callable[[list[tuple[str, str]]], Matcher],
        store_unmatched: bool = True,
    ) -> None:
        self.db = db
        self.profile = profile
        self.understander = understander
        self._matcher_factory = matcher_factory
        self.store_unmatched = store_unmatched
        self._rule_watch: dict[str, int] = {}
        self._matcher: Matcher | None = None
        self._recent: deque[tuple[tuple[str, str], str]] = deque(maxlen=DUPLICATE_WINDOW)
        self._own_handles = {
            h.lower() for h in ((profile.handles + profile.owner_handles) if profile else [])
        }
        self._admission = Admission(profile)
        # Seconds spent in each stage since the pipeline was built (read by the benchmarks).
        self.stage_seconds: defaultdict[str, float] = defaultdict(float)

    @contextmanager
    def _stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stage_seconds[name] += time.perf_counter() - started

    def reload_rules(self) -> None:
        """Recompile every active watch's rules (after a watch is edited)."""
        with self.db.session() as session:
            rules = repository.active_rules(session)
        self._rule_watch = {str(r.rule_id): r.watch_id for r in rules}
        self._matcher = self._matcher_factory([(str(r.rule_id), r.query) for r in rules])

    def process(self, posts: Sequence[Post]) -> BatchResult:
        """Enrich, match and store one batch; posts already stored are counted, not redone."""
        if self._matcher is None:
            self.reload_rules()
        assert self._matcher is not None
        result = BatchResult()
        unique: dict[tuple[str, str], Post] = {}
        for post in posts:
            unique.setdefault(post.key, post)
        with self._stage("known"), self.db.session() as session:
            known = repository.existing_post_keys(session, unique)
        fresh = [p for k, p in unique.items() if k not in known]
        result.duplicate = len(posts) - len(fresh)
        if not fresh:
            return result

        with self._stage("fast"):
            cheap = self.understander.analyze([p.text for p in fresh], tier="fast", extras=False)
        for post, understood in zip(fresh, cheap, strict=True):
            if not post.lang:
                post.lang = understood.lang
        with self._stage("match"):
            matches = [self._match(post) for post in fresh]
        matched_idx = [i for i, m in enumerate(matches) if m]
        with self._stage("accurate"):
            deep = self.understander.analyze([fresh[i].text for i in matched_idx], tier="accurate")
        understanding: list[Understanding] = list(cheap)
        for i, understood in zip(matched_idx, deep, strict=True):
            understanding[i] = self._admission.in_context(fresh[i], understood)
        with self._stage("copies"):
            copies = self._copies([fresh[i] for i in matched_idx])

        keep = [i for i in range(len(fresh)) if self.store_unmatched or matches[i]]
        with self._stage("store"), self.db.session() as session:
            ids = repository.insert_posts(session, [fresh[i] for i in keep])
            match_rows: list[dict[str, Any]] = []
            enrich_rows: list[dict[str, Any]] = []
            inbox_rows: list[dict[str, Any]] = []
            counted: Counter[counts.Key] = Counter()
            for i in keep:
                post, understood = fresh[i], understanding[i]
                post_id = ids.get(post.key)
                if post_id is None:  # stored meanwhile by another writer
                    result.duplicate += 1
                    continue
                result.new += 1
                result.stored_keys.append(post.key)
                deep_done = bool(matches[i])
                enrich_rows.extend(_enrichment_rows(post_id, understood, deep=deep_done))
                if matches[i]:
                    result.matched += 1
                    match_rows.extend(
                        {"post_id": post_id, "watch_id": m.watch_id, "rule_id": m.rule_id}
                        for m in matches[i]
                    )
                    counted.update(
                        counts.keys_of(
                            post.created_at,
                            (m.watch_id for m in matches[i]),
                            understood.sentiment.label,
                            understood.present_intents(),
                        )
                    )
                    original = copies.get(post.key)
                    if original is not None:
                        enrich_rows.append(_duplicate_row(post_id, original))
                    item = None if original else self._inbox_row(post_id, post, understood)
                    if item:
                        inbox_rows.append(item)
            repository.insert_matches(session, match_rows)
            repository.insert_enrichments(session, enrich_rows)
            repository.insert_inbox_items(session, inbox_rows)
            counts.add(session, counted)
        return result

    def _copies(self, posts: Sequence[Post]) -> dict[tuple[str, str], tuple[str, str]]:
        """Key of each post that copies an earlier matched post -> the original's key."""
        if not posts:
            return {}
        window = list(self._recent)
        keys = [k for k, _ in window] + [p.key for p in posts]
        groups = near_duplicates([t for _, t in window] + [p.text for p in posts])
        self._recent.extend((p.key, p.text) for p in posts)
        return {
            keys[i]: keys[leader]
            for i, leader in enumerate(groups)
            if i >= len(window) and leader != i
        }

    def _match(self, post: Post) -> list[MatchedWatch]:
        assert self._matcher is not None
        by_watch: dict[int, MatchedWatch] = {}
        for rule_id in self._matcher.match(post):
            watch_id = self._rule_watch[rule_id]
            by_watch.setdefault(watch_id, MatchedWatch(watch_id, int(rule_id)))
        return list(by_watch.values())

    def _inbox_row(
        self, post_id: int, post: Post, understood: Understanding
    ) -> dict[str, Any] | None:
        """A post needs an answer when it addresses us or carries an actionable intent.

        Its stored priority is the inbox's score at arrival (nothing waited yet); the inbox and
        the brief recompute the same score as time passes.
        """
        if post.is_retweet or not self._admission.admits(post, understood):
            return None
        present = understood.present_intents()
        addressed = bool(self._own_handles & {m.lower() for m in post.mentions}) or (
            (post.in_reply_to or "").lower() in self._own_handles
        )
        if not addressed and not any(i in INTENT_WEIGHTS for i in present):
            return None
        signals = Signals(
            intents={i: understood.intents.get(i, 1.0) for i in present},
            sentiment=understood.sentiment.label,
            sentiment_score=understood.sentiment.score,
            followers=post.author.followers_count,
            posted_at=post.created_at,
            addressed=addressed,
            known_customer=False,
        )
        triage = score(signals, now=post.created_at, hours=BusinessHours())
        return {"post_id": post_id, "priority": triage.score, "reason": triage.explanation}


def _duplicate_row(post_id: int, original: tuple[str, str]) -> dict[str, Any]:
    return {
        "post_id": post_id,
        "kind": "duplicate",
        "label": "copy",
        "score": None,
        "data": {"network": original[0], "id": original[1]},
        "model": "near_duplicates",
    }


def _enrichment_rows(
    post_id: int, understood: Understanding, *, deep: bool
) -> list[dict[str, Any]]:
    tier = "accurate" if deep else "fast"
    rows: list[dict[str, Any]] = [
        {
            "post_id": post_id,
            "kind": "sentiment",
            "label": understood.sentiment.label,
            "score": understood.sentiment.score,
            "data": {},
            "model": tier,
        }
    ]
    if deep:
        present = understood.present_intents()
        rows.append(
            {
                "post_id": post_id,
                "kind": "intents",
                "label": present[0] if present else "other",
                "score": understood.intents.get(present[0], 0.0) if present else None,
                "data": {"scores": understood.intents, "present": present},
                "model": tier,
            }
        )
        rows.append(
            {
                "post_id": post_id,
                "kind": "entities",
                "label": None,
                "score": None,
                "data": understood.to_json()["entities"],
                "model": tier,
            }
        )
    return rows
