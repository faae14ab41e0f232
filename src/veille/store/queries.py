"""Read-only queries behind the web pages, the CLI and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import Session

from veille.store import search, tables


@dataclass
class PostView:
    id: int
    network: str
    network_post_id: str
    created_at: datetime
    text: str
    username: str
    name: str
    followers: int
    lang: str | None
    likes: int
    reposts: int
    replies: int
    is_reply: bool
    is_retweet: bool
    in_reply_to: str | None
    conversation_id: str | None
    payload: dict[str, Any]
    sentiment: str | None = None
    sentiment_score: float | None = None
    intents: list[str] = field(default_factory=list)
    watches: list[str] = field(default_factory=list)


def _base() -> Select[tables.Post, tables.Author]:
    return select(tables.Post, tables.Author).join(
        tables.Author, tables.Author.id == tables.Post.author_id
    )


def _views(session: Session, rows: list[Any]) -> list[PostView]:
    views = [
        PostView(
            id=p.id,
            network=p.network,
            network_post_id=p.network_post_id,
            created_at=p.created_at,
            text=p.text,
            username=a.username,
            name=a.name,
            followers=a.followers_count,
            lang=p.lang,
            likes=p.likes,
            reposts=p.reposts,
            replies=p.replies,
            is_reply=p.is_reply,
            is_retweet=p.is_retweet,
            in_reply_to=p.in_reply_to,
            conversation_id=p.conversation_id,
            payload=p.payload,
        )
        for p, a in rows
    ]
    by_id = {v.id: v for v in views}
    if not by_id:
        return views
    ids = list(by_id)
    for post_id, kind, label, score, data in session.execute(
        select(
            tables.Enrichment.post_id,
            tables.Enrichment.kind,
            tables.Enrichment.label,
            tables.Enrichment.score,
            tables.Enrichment.data,
        ).where(
            tables.Enrichment.post_id.in_(ids), tables.Enrichment.kind.in_(("sentiment", "intents"))
        )
    ):
        if kind == "sentiment":
            by_id[post_id].sentiment, by_id[post_id].sentiment_score = label, score
        else:
            by_id[post_id].intents = list(data.get("present", []))
    for post_id, name in session.execute(
        select(tables.Match.post_id, tables.Watch.name)
        .join(tables.Watch, tables.Watch.id == tables.Match.watch_id)
        .where(tables.Match.post_id.in_(ids))
        .order_by(tables.Watch.id)
    ):
        by_id[post_id].watches.append(name)
    return views


def watch_id(session: Session, name: str) -> int | None:
    return session.scalar(select(tables.Watch.id).where(tables.Watch.name == name))


def watches(session: Session) -> list[tables.Watch]:
    return list(session.scalars(select(tables.Watch).order_by(tables.Watch.id)))


def _search_filter(session: Session, query: str) -> Any:
    dialect = session.get_bind().dialect.name
    sql = text(search.matching_post_ids_sql(dialect)).bindparams(q=search.query_for(dialect, query))
    return tables.Post.id.in_(sql)


@dataclass(frozen=True)
class PostFilter:
    watch_id: int | None = None
    sentiment: str | None = None
    network: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    query: str | None = None
    intent: str | None = None
    matched_only: bool = True


def list_posts(
    session: Session, flt: PostFilter, *, limit: int = 50, offset: int = 0
) -> tuple[list[PostView], int]:
    """Posts for the list page, newest first, with the total for paging."""
    stmt = _base()
    if flt.watch_id is not None:
        stmt = stmt.where(
            tables.Post.id.in_(
                select(tables.Match.post_id).where(tables.Match.watch_id == flt.watch_id)
            )
        )
    elif flt.matched_only:
        stmt = stmt.where(tables.Post.id.in_(select(tables.Match.post_id)))
    if flt.sentiment:
        stmt = stmt.where(
            tables.Post.id.in_(
                select(tables.Enrichment.post_id).where(
                    tables.Enrichment.kind == "sentiment", tables.Enrichment.label == flt.sentiment
                )
            )
        )
    if flt.network:
        stmt = stmt.where(tables.Post.network == flt.network)
    if flt.intent:
        stmt = stmt.where(tables.Post.id.in_(_with_intent(flt.intent)))
    if flt.since:
        stmt = stmt.where(tables.Post.created_at >= flt.since)
    if flt.until:
        stmt = stmt.where(tables.Post.created_at < flt.until)
    if flt.query:
        stmt = stmt.where(_search_filter(session, flt.query))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(
        stmt.order_by(tables.Post.created_at.desc(), tables.Post.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return _views(session, list(rows)), total


def _with_intent(intent: str) -> Select[int]:
    """Ids of posts where the intent is present (the row's label is only the likeliest one)."""
    present = tables.Enrichment.data["present"].as_string()
    return select(tables.Enrichment.post_id).where(
        tables.Enrichment.kind == "intents", present.like(f'%"{intent}"%')
    )


def search_posts(session: Session, query: str, *, limit: int = 20) -> list[PostView]:
    views, _ = list_posts(session, PostFilter(query=query, matched_only=False), limit=limit)
    return views


def post_with_thread(session: Session, post_id: int) -> tuple[PostView, list[PostView]] | None:
    """A post and every stored post of its conversation, oldest first."""
    row = session.execute(_base().where(tables.Post.id == post_id)).first()
    if row is None:
        return None
    (post,) = _views(session, [row])
    conversation = post.conversation_id or post.network_post_id
    rows = session.execute(
        _base()
        .where(
            tables.Post.network == post.network,
            (tables.Post.conversation_id == conversation)
            | (tables.Post.network_post_id == conversation),
        )
        .order_by(tables.Post.created_at)
    ).all()
    return post, _views(session, list(rows))


CSV_COLUMNS = (
    "network",
    "id",
    "created_at",
    "author",
    "followers",
    "lang",
    "sentiment",
    "watches",
    "text",
    "link",
)


def export_rows(
    session: Session, *, watch: str | None = None, since: datetime | None = None
) -> list[dict[str, Any]]:
    """Post JSON of stored posts, oldest first, with what Veille learned under "veille"
    (the caller adds the post's address on its network, `veille.links.post_link`)."""
    flt = PostFilter(
        watch_id=watch_id(session, watch) if watch else None, since=since, matched_only=False
    )
    views, _ = list_posts(session, flt, limit=1_000_000)
    rows = []
    for view in reversed(views):
        row = dict(view.payload)
        row["lang"] = view.lang
        row["veille"] = {
            "sentiment": view.sentiment,
            "intents": view.intents,
            "watches": view.watches,
        }
        rows.append(row)
    return rows


def csv_row(row: dict[str, Any]) -> list[Any]:
    extra = row.get("veille", {})
    return [
        row["network"],
        row["id"],
        row["created_at"],
        row["author"]["username"],
        row["author"].get("followers_count", 0),
        row.get("lang") or "",
        extra.get("sentiment") or "",
        "|".join(extra.get("watches", [])),
        row["text"],
        extra.get("link") or "",
    ]


@dataclass
class HomeFigures:
    day: datetime
    mentions_today: int
    mentions_yesterday: int
    negative_today: int
    positive_today: int
    inbox_new: int
    leads_today: int
    per_watch: list[tuple[str, str, int, int]]  # name, kind, today, 7 days
    share_of_voice: list[tuple[str, int]]  # brand and competitors over 7 days
    daily: list[tuple[str, int, int]]  # day label, matched, negative
    top_posts: list[PostView]


def home_figures(session: Session, *, zone: ZoneInfo, now: datetime) -> HomeFigures:
    """Today's figures for the business, in its time zone."""
    local = now.astimezone(zone)
    today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    yesterday = today - timedelta(days=1)
    week = today - timedelta(days=6)
    matched = select(tables.Match.post_id)

    def count(start: datetime, end: datetime, *extra: Any) -> int:
        stmt = select(func.count(tables.Post.id)).where(
            tables.Post.created_at >= start, tables.Post.created_at < end, *extra
        )
        return session.scalar(stmt.where(tables.Post.id.in_(matched))) or 0

    def with_label(kind: str, label: str) -> Any:
        return tables.Post.id.in_(
            select(tables.Enrichment.post_id).where(
                tables.Enrichment.kind == kind, tables.Enrichment.label == label
            )
        )

    tomorrow = today + timedelta(days=1)
    leads_today = count(today, tomorrow, tables.Post.id.in_(_with_intent("lead")))
    per_watch = []
    share: list[tuple[str, int]] = []
    for watch in watches(session):
        in_watch = tables.Post.id.in_(
            select(tables.Match.post_id).where(tables.Match.watch_id == watch.id)
        )
        today_n = count(today, tomorrow, in_watch)
        week_n = count(week, tomorrow, in_watch)
        per_watch.append((watch.name, watch.kind, today_n, week_n))
        if watch.kind in ("brand", "competitor"):
            share.append((watch.name, week_n))
    daily = []
    for offset in range(13, -1, -1):
        start = today - timedelta(days=offset)
        end = start + timedelta(days=1)
        daily.append(
            (
                f"{start:%d/%m}",
                count(start, end),
                count(start, end, with_label("sentiment", "negative")),
            )
        )
    top_rows = session.execute(
        _base()
        .where(
            tables.Post.created_at >= yesterday,
            tables.Post.id.in_(matched),
            tables.Post.is_retweet.is_(False),
        )
        .order_by((tables.Post.likes + 2 * tables.Post.reposts + tables.Post.replies).desc())
        .limit(5)
    ).all()
    inbox_new = (
        session.scalar(
            select(func.count(tables.InboxItem.id)).where(tables.InboxItem.status == "new")
        )
        or 0
    )
    return HomeFigures(
        day=today,
        mentions_today=count(today, tomorrow),
        mentions_yesterday=count(yesterday, today),
        negative_today=count(today, tomorrow, with_label("sentiment", "negative")),
        positive_today=count(today, tomorrow, with_label("sentiment", "positive")),
        inbox_new=inbox_new,
        leads_today=leads_today or 0,
        per_watch=per_watch,
        share_of_voice=share,
        daily=daily,
        top_posts=_views(session, list(top_rows)),
    )


def posts_by_ids(session: Session, ids: list[int]) -> list[PostView]:
    """Posts in the given order."""
    rows = session.execute(_base().where(tables.Post.id.in_(ids))).all()
    views = {v.id: v for v in _views(session, list(rows))}
    return [views[i] for i in ids if i in views]
