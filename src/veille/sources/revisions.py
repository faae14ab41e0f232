"""What networks say happened to posts after they were written: deleted, or edited. Applied
to what is stored, so a removed post leaves the inbox and reports and an edit is read anew."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from veille.posts import Post
from veille.sources.base import PostDeleted
from veille.store import counts, tables
from veille.store.db import Database
from veille.store.search import search_text


def apply_revision(db: Database, change: Post | PostDeleted) -> None:
    """What a listener heard: a deletion removes the stored post, an edit replaces it, for
    every workspace (posts are shared: each workspace's inbox items and counts follow)."""
    with db.session(workspace_id=None) as session:
        if isinstance(change, PostDeleted):
            delete_posts(session, [(change.network, change.post_id)])
        else:
            apply_edits(session, [change])


def delete_posts(session: Session, keys: Sequence[tuple[str, str]]) -> int:
    """Remove the stored posts (network, post id) with their matches, enrichments and inbox
    items (cascaded); a draft answering one keeps its text and loses the link. Returns how
    many were stored."""
    removed = 0
    hours: set[datetime] = set()  # of the posts removed: their counts are redone
    for network, post_id in keys:
        found = session.execute(
            select(tables.Post.id, tables.Post.created_at).where(
                tables.Post.network == network, tables.Post.network_post_id == post_id
            )
        ).first()
        if found is None:
            continue
        row, created_at = found
        hours.add(counts.hour_of(created_at))
        session.execute(
            update(tables.Draft)
            .where(tables.Draft.in_reply_to_post_id == row)
            .values(in_reply_to_post_id=None)
        )
        for child in (tables.Match, tables.Enrichment, tables.InboxItem):
            session.execute(delete(child).where(child.post_id == row))
        session.execute(delete(tables.Post).where(tables.Post.id == row))
        removed += 1
    for hour in sorted(hours):
        counts.recount(session, [hour])
    return removed


def apply_edits(session: Session, posts: Sequence[Post]) -> int:
    """Replace the stored text and payload of edited posts; returns how many were stored."""
    changed = 0
    for post in posts:
        result = session.execute(
            update(tables.Post)
            .where(tables.Post.network == post.network, tables.Post.network_post_id == post.id)
            .values(
                text=post.text,
                search_text=search_text(post.text),
                payload=post.to_json_dict(),
            )
        )
        changed += int(getattr(result, "rowcount", 0) or 0)
    return changed
