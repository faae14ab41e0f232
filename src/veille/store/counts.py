"""Matched posts counted per UTC hour, watch, sentiment and intent (the post_counts table).

The pipeline adds each stored batch's counts; deleting posts or re-matching a watch recounts
what it touched; `veille counts rebuild` recounts everything from posts. Pages and reports read
the hours they need here instead of grouping a year of posts on every request.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from veille.store import tables
from veille.timeutil import as_utc

ANY_WATCH = 0  # the row counts each matched post once, whatever its watches
EVERY_INTENT = ""  # the row counts every post, not only the posts carrying one intent
NOT_ANALYSED = ""  # sentiment of a post without a sentiment enrichment

# (workspace id, hour, watch id, sentiment, intent)
Key = tuple[int, datetime, int, str, str]

_HOUR = timedelta(hours=1)


def hour_of(moment: datetime) -> datetime:
    return as_utc(moment).replace(minute=0, second=0, microsecond=0)


def on_hour(moment: datetime) -> bool:
    """The instant starts a UTC hour: counts per hour add up exactly to a period between two."""
    return hour_of(moment) == as_utc(moment)


def keys_of(
    created_at: datetime,
    watches: Iterable[tuple[int, int]],
    sentiment: str | None,
    intents: Iterable[str],
) -> list[Key]:
    """The rows one matched post adds to; ``watches`` are its (workspace, watch) pairs: each
    workspace counts the post once, and once per watch of its own."""
    hour, label = hour_of(created_at), sentiment or NOT_ANALYSED
    carried = list(dict.fromkeys(intents))
    pairs = sorted(set(watches))
    keys: list[Key] = []
    for workspace, watch in [*sorted({(w, ANY_WATCH) for w, _ in pairs}), *pairs]:
        keys.append((workspace, hour, watch, label, EVERY_INTENT))
        keys.extend((workspace, hour, watch, label, intent) for intent in carried)
    return keys


def add(session: Session, counts: Counter[Key]) -> None:
    """Add to the stored counts, one statement per batch (a row another writer added
    meanwhile is added to, not duplicated)."""
    if not counts:
        return
    core = cast(Table, tables.PostCount.__table__)
    dialect = session.get_bind().dialect.name
    stmt: Any = (postgresql if dialect == "postgresql" else sqlite).insert(core)
    stmt = stmt.on_conflict_do_update(
        index_elements=["workspace_id", "watch_id", "intent", "hour", "sentiment"],
        set_={"posts": core.c.posts + stmt.excluded.posts},
    )
    # In key order, so two writers never wait on each other's rows in opposite orders.
    rows = [
        {"workspace_id": workspace, "hour": hour, "watch_id": watch}
        | {"sentiment": label, "intent": intent, "posts": n}
        for (workspace, hour, watch, label, intent), n in sorted(counts.items())
        if n
    ]
    session.connection().execute(stmt, rows)


def from_posts(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> Counter[Key]:
    """The counts recomputed from posts, matches and enrichments (all time, or [since, until)),
    of the session's workspace (of every workspace for an unbound session)."""
    period: list[Any] = []
    if since is not None:
        period.append(tables.Post.created_at >= since)
    if until is not None:
        period.append(tables.Post.created_at < until)
    watches: dict[int, list[tuple[int, int]]] = {}
    created: dict[int, datetime] = {}
    for post_id, workspace, watch, at in session.execute(
        select(
            tables.Match.post_id,
            tables.Watch.workspace_id,
            tables.Match.watch_id,
            tables.Post.created_at,
        )
        .join(tables.Watch, tables.Watch.id == tables.Match.watch_id)
        .join(tables.Post, tables.Post.id == tables.Match.post_id)
        .where(*period)
    ):
        watches.setdefault(post_id, []).append((workspace, watch))
        created[post_id] = at
    in_period = (
        select(tables.Match.post_id)
        .join(tables.Watch, tables.Watch.id == tables.Match.watch_id)
        .join(tables.Post, tables.Post.id == tables.Match.post_id)
    )
    sentiment: dict[int, str | None] = {}
    intents: dict[int, list[str]] = {}
    for post_id, kind, label, data in session.execute(
        select(
            tables.Enrichment.post_id,
            tables.Enrichment.kind,
            tables.Enrichment.label,
            tables.Enrichment.data,
        ).where(
            tables.Enrichment.kind.in_(("sentiment", "intents")),
            tables.Enrichment.post_id.in_(in_period.where(*period)),
        )
    ):
        if kind == "sentiment":
            sentiment[post_id] = label
        else:
            intents[post_id] = [str(i) for i in (data or {}).get("present", [])]
    counts: Counter[Key] = Counter()
    for post_id, watch_ids in watches.items():
        counts.update(
            keys_of(created[post_id], watch_ids, sentiment.get(post_id), intents.get(post_id, []))
        )
    return counts


def stored(session: Session) -> Counter[Key]:
    """Every stored count (rows at zero left out)."""
    found: Counter[Key] = Counter()
    for workspace, hour, watch, label, intent, n in session.execute(
        select(
            tables.PostCount.workspace_id,
            tables.PostCount.hour,
            tables.PostCount.watch_id,
            tables.PostCount.sentiment,
            tables.PostCount.intent,
            tables.PostCount.posts,
        ).where(tables.PostCount.posts != 0)
    ):
        found[(workspace, as_utc(hour), watch, label, intent)] = n
    return found


def rebuild(session: Session) -> int:
    """Recount everything from posts; returns how many rows the table holds."""
    session.execute(delete(tables.PostCount))
    counts = from_posts(session)
    add(session, counts)
    return len(counts)


def recount(session: Session, moments: Iterable[datetime]) -> None:
    """Recount from posts the hours from the first to the last of the moments given (after
    posts in them were deleted or matched anew)."""
    hours = sorted({hour_of(m) for m in moments})
    if not hours:
        return
    since, until = hours[0], hours[-1] + _HOUR
    session.execute(delete(tables.PostCount).where(*_in(since, until)))
    add(session, from_posts(session, since=since, until=until))


# Reads behind the pages. Each takes a period [since, until) whose ends start UTC hours.


def _in(since: datetime, until: datetime) -> tuple[Any, Any]:
    return tables.PostCount.hour >= since, tables.PostCount.hour < until


def matched_by_hour(
    session: Session, *, since: datetime, until: datetime
) -> list[tuple[datetime, str | None, int]]:
    """Matched posts per UTC hour and sentiment label (None: not analysed)."""
    rows = session.execute(
        select(tables.PostCount.hour, tables.PostCount.sentiment, tables.PostCount.posts).where(
            tables.PostCount.watch_id == ANY_WATCH,
            tables.PostCount.intent == EVERY_INTENT,
            *_in(since, until),
        )
    )
    return [(as_utc(hour), label or None, n) for hour, label, n in rows if n]


def per_watch(session: Session, *, since: datetime, until: datetime) -> dict[int, int]:
    """Posts of each watch over the period."""
    n = func.sum(tables.PostCount.posts)
    rows = session.execute(
        select(tables.PostCount.watch_id, n)
        .where(
            tables.PostCount.watch_id > ANY_WATCH,
            tables.PostCount.intent == EVERY_INTENT,
            *_in(since, until),
        )
        .group_by(tables.PostCount.watch_id)
    )
    return {watch: int(total) for watch, total in rows if total}


def matched(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    watch_id: int = ANY_WATCH,
    sentiment: str | None = None,
    intent: str | None = None,
) -> int:
    """Matched posts (of one watch if given) over the period (all time when not given), of
    one sentiment label and carrying one intent if given."""
    where = [
        tables.PostCount.watch_id == watch_id,
        tables.PostCount.intent == (intent or EVERY_INTENT),
    ]
    if since is not None:
        where.append(tables.PostCount.hour >= since)
    if until is not None:
        where.append(tables.PostCount.hour < until)
    if sentiment is not None:
        where.append(tables.PostCount.sentiment == sentiment)
    return int(session.scalar(select(func.sum(tables.PostCount.posts)).where(*where)) or 0)
