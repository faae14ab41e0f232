"""Read-only queries behind the web pages, the CLI and exports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, Select, column, func, select, text, union
from sqlalchemy.orm import Session

from veille.store import counts, scope, search, tables, visibility
from veille.timeutil import as_utc


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


def _search_filter(session: Session, query: str, *, drive: bool = True) -> Any:
    """Posts matching the search. ``drive=False`` keeps the database from starting from the
    matching ids (``id + 0`` is not indexed): for a common word it walks the time index
    newest first and stops at the page's end instead of sorting every match."""
    dialect = session.get_bind().dialect.name
    sql = text(search.matching_post_ids_sql(dialect)).bindparams(q=search.query_for(dialect, query))
    return (tables.Post.id if drive else tables.Post.id + 0).in_(sql)


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


# Below this many posts passing a filter, the post list sorts them rather than walk the time index.
COUNT_CAP = 10_000  # the post list counts this far; past it, "more than"
FEW_POSTS = 2000


def list_posts(
    session: Session, flt: PostFilter, *, limit: int = 50, offset: int = 0
) -> tuple[list[PostView], int]:
    """Posts for the list page, newest first, with the total for paging."""
    # Each filter on matches or enrichments comes in two equivalent forms. The page walks the
    # time index newest first and checks each post through the table's key (EXISTS), stopping
    # at the page's end. The total reads the first filter's ids once and looks their posts up
    # (IN), then checks the others by key; a period or a rare search word already narrows the
    # posts. The search index counts a word's posts first, cheaply, to tell rare from common.
    if flt.watch_id is not None and not visibility.own_watch(session, flt.watch_id):
        return [], 0  # another workspace's watch: nothing of it is shown here
    dialect = session.get_bind().dialect.name
    among_matched = bool(flt.query) and (flt.watch_id is not None or flt.matched_only)
    if among_matched and dialect == "sqlite":
        # SQLite's index of matched posts answers any word at the cost of its matched posts.
        found = _matched_search(session, flt, limit=limit, offset=offset)
        if found is not None:
            return found
    counted = _counted_total(session, flt)
    hits: int | None = None
    if flt.query:
        hits = session.scalar(
            text(search.matching_count_sql(dialect)).bindparams(
                q=search.query_for(dialect, flt.query)
            )
        )
        hits = hits or 0
    rare = hits is not None and hits <= FEW_POSTS
    if among_matched and not rare and dialect != "sqlite":
        found = _matched_search(session, flt, limit=limit, offset=offset)
        if found is not None:
            return found
    count_where: list[Any] = []
    page_where: list[Any] = []
    narrow = bool(flt.since) or rare

    def both(ids: Select[Any], key: Any) -> None:
        check = ids.where(key == tables.Post.id).exists()
        page_where.append(check)
        count_where.append(check if narrow or count_where else tables.Post.id.in_(ids))

    if flt.watch_id is not None:
        both(
            select(tables.Match.post_id).where(tables.Match.watch_id == flt.watch_id),
            tables.Match.post_id,
        )
    elif flt.matched_only:
        both(visibility.own_matches(session), tables.Match.post_id)
    if flt.sentiment:
        both(
            select(tables.Enrichment.post_id).where(
                tables.Enrichment.kind == "sentiment", tables.Enrichment.label == flt.sentiment
            ),
            tables.Enrichment.post_id,
        )
    # Every post, not only matched ones: those the workspace sees (matched or heard).
    common = _common(flt)
    if flt.watch_id is None and not flt.matched_only:
        common += visibility.visible_posts(session)
    # A rare word's ids drive; a common word's are only checked against.
    searched = [_search_filter(session, flt.query, drive=rare)] if flt.query else []
    if counted is not None:
        total = counted
    elif hits is not None and not count_where and not common:  # a search alone
        total = hits
    else:
        # Counted up to the cap: past it the list says "more than 10,000" and stops paging,
        # as reading a million rows to print their number costs more than the page itself.
        counting = select(tables.Post.id).where(*count_where, *common, *searched)
        capped = counting.limit(COUNT_CAP + 1).subquery()
        total = session.scalar(select(func.count()).select_from(capped)) or 0
    if offset >= min(total, COUNT_CAP):
        return [], total
    # Few posts pass: sorting them beats walking the time index past everything that fails.
    where = count_where if total <= FEW_POSTS else page_where
    where = where + (
        [_search_filter(session, flt.query, drive=total <= FEW_POSTS)] if flt.query else []
    )
    rows = session.execute(
        _base()
        .where(*where, *common)
        .order_by(tables.Post.created_at.desc(), tables.Post.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return _views(session, list(rows)), total


def _common(flt: PostFilter) -> list[Any]:
    """The filters checked on each post's own row (or by key): network, intent, period."""
    common: list[Any] = []
    if flt.network:
        # `|| ''` keeps SQLite off the indexes that start with the network: one network is
        # most posts, and the time index serves both the period and the newest-first order.
        common.append(tables.Post.network.concat("") == flt.network)
    if flt.intent:
        common.append(_has_intent(flt.intent))
    if flt.since:
        common.append(tables.Post.created_at >= flt.since)
    if flt.until:
        common.append(tables.Post.created_at < flt.until)
    return common


# Above this many matched posts holding a searched word, the list goes the general way.
MANY_IDS = 20_000


def _matched_search(
    session: Session, flt: PostFilter, *, limit: int, offset: int
) -> tuple[list[PostView], int] | None:
    """A word among matched posts (of a watch): the posts both hold are read once from the
    search index (SQLite: the index of matched posts), checked against the matches' key, and
    give the page and its total (walking the time index would check every post against a
    common word's many ids, twice). None when they are too many."""
    assert flt.query is not None
    dialect = session.get_bind().dialect.name
    # A watch is the workspace's own (list_posts checked); matched posts are those of its watches.
    workspace = None if visibility.sees_everything(session) else scope.workspace_of(session)
    sql = text(
        search.matched_matching_ids_sql(
            dialect, watch=flt.watch_id is not None, workspace=workspace is not None
        )
    )
    params: dict[str, Any] = {"q": search.query_for(dialect, flt.query), "cap": MANY_IDS + 1}
    if flt.watch_id is not None:
        params["watch"] = flt.watch_id
    elif workspace is not None:
        params["workspace"] = workspace
    ids = sql.bindparams(**params).columns(column("id", Integer)).subquery()
    found = session.scalar(select(func.count()).select_from(ids)) or 0
    if found > MANY_IDS:
        return None
    # The ids stay in the database: handed back as thousands of parameters, they cost more
    # to bind than the whole query (26 ms for 3,134 ids, against 6).
    where = [tables.Post.id.in_(select(ids.c.id)), *_common(flt)]
    if flt.sentiment:
        where.append(
            select(tables.Enrichment.post_id)
            .where(
                tables.Enrichment.post_id == tables.Post.id,
                tables.Enrichment.kind == "sentiment",
                tables.Enrichment.label == flt.sentiment,
            )
            .exists()
        )
    total = found
    if len(where) > 1:
        total = session.scalar(select(func.count(tables.Post.id)).where(*where)) or 0
    if offset >= total:
        return [], total
    newest = (tables.Post.created_at.desc(), tables.Post.id.desc())
    # The page's ids first, sorted on the posts' times alone; then only their rows and authors.
    page = list(
        session.scalars(
            select(tables.Post.id).where(*where).order_by(*newest).limit(limit).offset(offset)
        )
    )
    rows = session.execute(_base().where(tables.Post.id.in_(page)).order_by(*newest)).all()
    return _views(session, list(rows)), total


def _counted_total(session: Session, flt: PostFilter) -> int | None:
    """The list's total read from the counts per hour, when they answer it: matched posts (of
    a watch), by sentiment and intent, over whole hours; None otherwise."""
    if flt.query or flt.network or (not flt.matched_only and flt.watch_id is None):
        return None
    if any(moment is not None and not counts.on_hour(moment) for moment in (flt.since, flt.until)):
        return None
    return counts.matched(
        session,
        since=flt.since,
        until=flt.until,
        watch_id=counts.ANY_WATCH if flt.watch_id is None else flt.watch_id,
        sentiment=flt.sentiment,
        intent=flt.intent,
    )


def _has_intent(intent: str) -> Any:
    """The post carries the intent (the row's label is only the likeliest one); checked on each
    candidate post through the enrichments' key, not over every post's intents."""
    present = tables.Enrichment.data["present"].as_string()
    return (
        select(tables.Enrichment.post_id)
        .where(
            tables.Enrichment.post_id == tables.Post.id,
            tables.Enrichment.kind == "intents",
            present.like(f'%"{intent}"%'),
        )
        .exists()
    )


def search_posts(session: Session, query: str, *, limit: int = 20) -> list[PostView]:
    views, _ = list_posts(session, PostFilter(query=query, matched_only=False), limit=limit)
    return views


def post_with_thread(session: Session, post_id: int) -> tuple[PostView, list[PostView]] | None:
    """A post and every stored post of its conversation, oldest first."""
    seen = visibility.visible_posts(session)
    row = session.execute(_base().where(tables.Post.id == post_id, *seen)).first()
    if row is None:
        return None
    (post,) = _views(session, [row])
    conversation = post.conversation_id or post.network_post_id
    # Two indexed look-ups (the conversation's posts, its first post) rather than one OR that
    # SQLite answers by reading every post of the network.
    in_thread = union(
        select(tables.Post.id).where(
            tables.Post.network == post.network, tables.Post.conversation_id == conversation
        ),
        select(tables.Post.id).where(
            tables.Post.network == post.network, tables.Post.network_post_id == conversation
        ),
    )
    rows = session.execute(
        _base().where(tables.Post.id.in_(in_thread), *seen).order_by(tables.Post.created_at)
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


def top_posts(
    session: Session, *, since: datetime, until: datetime, limit: int = 5
) -> list[PostView]:
    """The most engaging matched posts of [since, until) (likes, reposts twice, replies)."""
    rows = session.execute(
        _base()
        .where(
            tables.Post.created_at >= since,
            tables.Post.created_at < until,
            is_matched(session),
            tables.Post.is_retweet.is_(False),
        )
        .order_by((tables.Post.likes + 2 * tables.Post.reposts + tables.Post.replies).desc())
        .limit(limit)
    ).all()
    return _views(session, list(rows))


def is_matched(session: Session, post: Any = tables.Post) -> Any:
    """The post is matched by some watch of the workspace (an indexed look-up per post, not a
    set of them all)."""
    return visibility.matched(session, post)


def _hours_align(zone: ZoneInfo, since: datetime, until: datetime) -> bool:
    """Every local midnight in the period falls on a UTC hour (true of most zones, at any date),
    so counts per UTC hour add up to exact local days."""
    day = since.astimezone(zone).date()
    while datetime.combine(day, time(0), zone) < until:
        offset = zone.utcoffset(datetime.combine(day, time(0)))
        if offset is None or offset.total_seconds() % 3600:
            return False
        day += timedelta(days=1)
    return True


def per_watch(session: Session, *, since: datetime, until: datetime) -> dict[int, int]:
    """Posts of each watch in [since, until): whole hours from the counts, the rest from posts
    (a period that ends now)."""
    if not counts.on_hour(since):
        return _per_watch_posts(session, since=since, until=until)
    cut = max(since, counts.hour_of(until))
    found = Counter(counts.per_watch(session, since=since, until=cut)) if cut > since else Counter()
    if cut < until:
        found.update(_per_watch_posts(session, since=cut, until=until))
    return dict(found)


def _per_watch_posts(session: Session, *, since: datetime, until: datetime) -> dict[int, int]:
    rows = session.execute(
        select(tables.Match.watch_id, func.count())
        .join(tables.Post, tables.Post.id == tables.Match.post_id)
        .where(
            tables.Post.created_at >= since,
            tables.Post.created_at < until,
            *visibility.own_watches(session),
        )
        .group_by(tables.Match.watch_id)
    )
    return {int(watch): int(n) for watch, n in rows}


def _bucket(session: Session, zone: ZoneInfo, since: datetime, until: datetime) -> Any:
    """The UTC hour of a post's time, as the database writes it; the time itself when hours do
    not align with the zone's days (posts are then counted one instant at a time)."""
    if not _hours_align(zone, since, until):
        return tables.Post.created_at
    if session.get_bind().dialect.name == "sqlite":
        return func.substr(tables.Post.created_at, 1, 13)  # "YYYY-MM-DD HH" of the stored text
    return func.date_trunc("hour", func.timezone("UTC", tables.Post.created_at))


def _moment(value: Any) -> datetime:
    """A bucket read back as an aware UTC datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value + ":00" if len(value) == 13 else value)
    return as_utc(value)


def matched_by_hour(
    session: Session,
    *,
    since: datetime,
    until: datetime,
    zone: ZoneInfo,
    watch_ids: list[int] | None = None,
) -> list[tuple[datetime, str | None, int]]:
    """Matched posts in [since, until) per UTC hour and sentiment label (None: not analysed);
    only posts of ``watch_ids`` when given. Whole hours come from the counts table; a period
    that ends now reads its last, unfinished hour from the posts."""
    if watch_ids is None and counts.on_hour(since) and _hours_align(zone, since, until):
        cut = max(since, counts.hour_of(until))
        rows = counts.matched_by_hour(session, since=since, until=cut) if cut > since else []
        if cut < until:
            rows += _matched_by_hour_posts(session, since=cut, until=until, zone=zone)
        return rows
    return _matched_by_hour_posts(session, since=since, until=until, zone=zone, watch_ids=watch_ids)


def _matched_by_hour_posts(
    session: Session,
    *,
    since: datetime,
    until: datetime,
    zone: ZoneInfo,
    watch_ids: list[int] | None = None,
) -> list[tuple[datetime, str | None, int]]:
    bucket = _bucket(session, zone, since, until)
    matched = (
        is_matched(session)
        if watch_ids is None
        else tables.Post.id.in_(
            select(tables.Match.post_id).where(
                tables.Match.watch_id.in_(watch_ids), *visibility.own_watches(session)
            )
        )
    )
    rows = session.execute(
        select(bucket, tables.Enrichment.label, func.count())
        .select_from(tables.Post)
        .outerjoin(
            tables.Enrichment,
            (tables.Enrichment.post_id == tables.Post.id) & (tables.Enrichment.kind == "sentiment"),
        )
        .where(tables.Post.created_at >= since, tables.Post.created_at < until, matched)
        .group_by(bucket, tables.Enrichment.label)
    ).all()
    moments: dict[Any, datetime] = {}  # an hour comes once per label: read it once
    return [
        (moments.get(at) or moments.setdefault(at, _moment(at)), label, int(n))
        for at, label, n in rows
    ]


def posts_by_ids(session: Session, ids: list[int]) -> list[PostView]:
    """Posts in the given order."""
    rows = session.execute(
        _base().where(tables.Post.id.in_(ids), *visibility.visible_posts(session))
    ).all()
    views = {v.id: v for v in _views(session, list(rows))}
    return [views[i] for i in ids if i in views]
