"""The flow, in one process: parse -> cheap enrichment -> rule matching -> deep enrichment -> store.

Stages are plain functions of a batch so a worker on a message log can call the same ones.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from veille.business import BusinessProfile
from veille.inbox.admission import Admission
from veille.inbox.clock import BusinessHours
from veille.inbox.triage import INTENT_WEIGHTS, Signals, score
from veille.posts import Post
from veille.prepare import Matcher, Prepared, Preparer, Understander
from veille.store import counts, repository
from veille.store.db import Database
from veille.understand import near_duplicates
from veille.understand.types import Understanding

__all__ = ["BatchResult", "Matcher", "Pipeline", "Understander"]

# Recent matched posts kept to spot copies across batches (reposts, templated spam).
DUPLICATE_WINDOW = 1000


@dataclass
class BatchResult:
    new: int = 0
    duplicate: int = 0
    matched: int = 0
    stored_keys: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Business:
    """What the pipeline needs of one workspace's profile: who "we" are, what to admit."""

    admission: Admission
    own_handles: frozenset[str]

    @classmethod
    def of(cls, profile: BusinessProfile | None) -> _Business:
        handles = (profile.handles + profile.owner_handles) if profile else []
        return cls(Admission(profile), frozenset(h.lower() for h in handles))


class Pipeline:
    """Runs batches of parsed posts through every stage and stores them.

    Posts are stored once and matched against the active watches of every workspace; each
    workspace whose watches match a post gets its own matches, inbox item and counts.
    """

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
        self._preparer: Preparer | None = None
        self._recent: deque[tuple[tuple[str, str], str]] = deque(maxlen=DUPLICATE_WINDOW)
        # Each workspace's business, read when its watches first match (``profile`` is the
        # database's own workspace's, as given).
        self._businesses: dict[int, _Business] = {db.workspace_id: _Business.of(profile)}
        self._watch_workspace: dict[int, int] = {}
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
        """Recompile every active watch's rules, of every workspace (after a watch is edited)."""
        with self.db.session(workspace_id=None) as session:
            rules = repository.active_rules(session)
        self._watch_workspace = {r.watch_id: r.workspace_id for r in rules}
        for workspace in {r.workspace_id for r in rules} - set(self._businesses):
            with self.db.session(workspace_id=workspace) as session:
                self._businesses[workspace] = _Business.of(repository.load_profile(session))
        self._preparer = Preparer(
            self.understander,
            self._matcher_factory([(str(r.rule_id), r.query) for r in rules]),
            {str(r.rule_id): r.watch_id for r in rules},
            self.stage_seconds,
        )

    @property
    def preparer(self) -> Preparer:
        """The fast tier and the compiled rules of the active watches."""
        if self._preparer is None:
            self.reload_rules()
        assert self._preparer is not None
        return self._preparer

    def process(self, posts: Sequence[Post], *, heard_by: int | None = None) -> BatchResult:
        """Enrich, match and store one batch; posts already stored are counted, not redone.
        ``heard_by``: the workspace whose source the posts come from (default: the database's)."""
        unique: dict[tuple[str, str], Post] = {}
        for post in posts:
            unique.setdefault(post.key, post)
        known = self._known(unique)
        fresh = [p for k, p in unique.items() if k not in known]
        result = BatchResult(duplicate=len(posts) - len(fresh))
        prepared = self.preparer.prepare(fresh, keep_posts=True) if fresh else []
        self._store(prepared, result, heard_by, list(known.values()))
        return result

    def process_prepared(
        self, prepared: Sequence[Prepared], *, heard_by: int | None = None
    ) -> BatchResult:
        """Store one batch prepared elsewhere (a worker process): its fast tier and matching
        are done; the deep stages and the store are this process's, the single writer."""
        unique: dict[tuple[str, str], Prepared] = {}
        for item in prepared:
            unique.setdefault(item.key, item)
        known = self._known(unique)
        fresh = [p for k, p in unique.items() if k not in known]
        result = BatchResult(duplicate=len(prepared) - len(fresh))
        self._store(fresh, result, heard_by, list(known.values()))
        return result

    def hear(self, keys: Iterable[tuple[str, str]], *, heard_by: int | None = None) -> None:
        """Posts a worker process found stored already: heard by ``heard_by`` too (default:
        the database's workspace), as `process` marks the known posts of its batch."""
        known = self._known(keys)
        if known:
            hearer = self.db.workspace_id if heard_by is None else heard_by
            with self._stage("store"), self.db.session(workspace_id=None) as session:
                repository.insert_heard(session, hearer, known.values())

    def _known(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        with self._stage("known"), self.db.session(workspace_id=None) as session:
            return repository.existing_posts(session, keys)

    def _store(
        self,
        fresh: Sequence[Prepared],
        result: BatchResult,
        heard_by: int | None,
        known_ids: list[int],
    ) -> None:
        """The deep stages for matched posts, then every table written in one transaction.
        Posts already stored are only marked heard by ``heard_by`` too."""
        hearer = self.db.workspace_id if heard_by is None else heard_by
        if not fresh:
            if known_ids:
                with self._stage("store"), self.db.session(workspace_id=None) as session:
                    repository.insert_heard(session, hearer, known_ids)
            return
        matched_idx = [i for i, p in enumerate(fresh) if p.matches]
        matched = [_kept(fresh[i]) for i in matched_idx]
        with self._stage("accurate"):
            deep = self.understander.analyze([p.text for p in matched], tier="accurate")
        # What the models said, read in each matching workspace's context; the stored reading
        # (shared by the workspaces) is the first workspace's.
        readings: dict[int, dict[int, Understanding]] = {
            i: {
                workspace: self._businesses[workspace].admission.in_context(post, understood)
                for workspace in self._workspaces_of(fresh[i])
            }
            for i, post, understood in zip(matched_idx, matched, deep, strict=True)
        }
        with self._stage("copies"):
            copies = self._copies(matched)

        keep = [p for p in fresh if self.store_unmatched or p.matches]
        with self._stage("store"), self.db.session(workspace_id=None) as session:
            ids = repository.insert_post_rows(session, [p.row for p in keep])
            match_rows: list[dict[str, Any]] = []
            enrich_rows: list[dict[str, Any]] = []
            fast_rows: list[tuple[int, str, float]] = []
            inbox_rows: list[dict[str, Any]] = []
            counted: Counter[counts.Key] = Counter()
            for i, item in enumerate(fresh):
                if not (self.store_unmatched or item.matches):
                    continue
                post_id = ids.get(item.key)
                if post_id is None:  # stored meanwhile by another writer
                    result.duplicate += 1
                    continue
                result.new += 1
                result.stored_keys.append(item.key)
                if not item.matches:
                    fast_rows.append((post_id, item.sentiment.label, item.sentiment.score))
                    continue
                post, read = _kept(item), readings[i]
                understood = next(iter(read.values()))
                enrich_rows.extend(_deep_rows(post_id, understood))
                result.matched += 1
                match_rows.extend(
                    {"post_id": post_id, "watch_id": m.watch_id, "rule_id": m.rule_id}
                    for m in item.matches
                )
                counted.update(
                    counts.keys_of(
                        post.created_at,
                        ((self._watch_workspace[m.watch_id], m.watch_id) for m in item.matches),
                        understood.sentiment.label,
                        understood.present_intents(),
                    )
                )
                original = copies.get(post.key)
                if original is not None:
                    enrich_rows.append(_duplicate_row(post_id, original))
                    continue
                for workspace, in_context in read.items():
                    row = self._inbox_row(workspace, post_id, post, in_context)
                    if row:
                        inbox_rows.append(row)
            repository.insert_matches(session, match_rows)
            repository.insert_enrichments(session, enrich_rows)
            repository.insert_fast_sentiments(session, fast_rows)
            repository.insert_inbox_items(session, inbox_rows)
            counts.add(session, counted)
            repository.insert_heard(session, hearer, [*ids.values(), *known_ids])

    def _workspaces_of(self, item: Prepared) -> list[int]:
        return sorted({self._watch_workspace[m.watch_id] for m in item.matches})

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

    def _inbox_row(
        self, workspace: int, post_id: int, post: Post, understood: Understanding
    ) -> dict[str, Any] | None:
        """A post needs an answer when it addresses us or carries an actionable intent.

        Its stored priority is the inbox's score at arrival (nothing waited yet); the inbox and
        the brief recompute the same score as time passes.
        """
        business = self._businesses[workspace]
        if post.is_retweet or not business.admission.admits(post, understood):
            return None
        present = understood.present_intents()
        addressed = bool(business.own_handles & {m.lower() for m in post.mentions}) or (
            (post.in_reply_to or "").lower() in business.own_handles
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
        return {
            "workspace_id": workspace,
            "post_id": post_id,
            "priority": triage.score,
            "reason": triage.explanation,
        }


def _duplicate_row(post_id: int, original: tuple[str, str]) -> dict[str, Any]:
    return {
        "post_id": post_id,
        "kind": "duplicate",
        "label": "copy",
        "score": None,
        "data": {"network": original[0], "id": original[1]},
        "model": "near_duplicates",
    }


def _kept(item: Prepared) -> Post:
    if item.post is None:  # Preparer.prepare keeps the Post of every matched post
        raise ValueError(f"post {item.key} matched but its Post was not kept")
    return item.post


def _deep_rows(post_id: int, understood: Understanding) -> list[dict[str, Any]]:
    present = understood.present_intents()
    return [
        {
            "post_id": post_id,
            "kind": "sentiment",
            "label": understood.sentiment.label,
            "score": understood.sentiment.score,
            "data": {},
            "model": "accurate",
        },
        {
            "post_id": post_id,
            "kind": "intents",
            "label": present[0] if present else "other",
            "score": understood.intents.get(present[0], 0.0) if present else None,
            "data": {"scores": understood.intents, "present": present},
            "model": "accurate",
        },
        {
            "post_id": post_id,
            "kind": "entities",
            "label": None,
            "score": None,
            "data": understood.to_json()["entities"],
            "model": "accurate",
        },
    ]
