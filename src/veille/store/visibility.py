"""Which shared posts a workspace sees: those its own watches matched and those it heard from
its own sources. Posts, matches and enrichments are shared by the workspaces, so the scoped
session (store/scope.py) cannot filter them by themselves: every read of posts for a
workspace goes through these conditions.

An instance holding one workspace (the self-hosted default) sees every post, as before
workspaces existed: there the conditions are left out, and the queries keep their plans.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from veille.store import scope, tables

_ALONE = "veille_workspace_alone"  # the key in Session.info: the answer of `sees_everything`


def sees_everything(session: Session) -> bool:
    """True when nothing is hidden from this session: it is bound to no workspace (the
    pipeline, jobs), or the instance holds a single workspace. Read once per session."""
    if scope.workspace_of(session) is None:
        return True
    alone = session.info.get(_ALONE)
    if alone is None:
        workspaces = session.scalar(select(func.count()).select_from(tables.Workspace)) or 0
        alone = session.info[_ALONE] = workspaces <= 1
    return bool(alone)


def own_watch(session: Session, watch_id: int) -> bool:
    """The watch belongs to the session's workspace (the scoped session finds no other)."""
    return session.scalar(select(tables.Watch.id).where(tables.Watch.id == watch_id)) is not None


def own_watches(session: Session) -> list[Any]:
    """The condition keeping the matches of the workspace's watches alone (none to add when it
    sees everything)."""
    if sees_everything(session):
        return []
    return [tables.Match.watch_id.in_(select(tables.Watch.id))]


def own_matches(session: Session) -> Select[int]:
    """The ids of posts the workspace's watches matched (a post once per matching watch)."""
    return select(tables.Match.post_id).where(*own_watches(session))


def matched(session: Session, post: Any = tables.Post) -> Any:
    """``post`` is matched by one of the workspace's watches (a look-up by the matches' key)."""
    return own_matches(session).where(tables.Match.post_id == post.id).exists()


def visible_posts(session: Session, post: Any = tables.Post) -> list[Any]:
    """The conditions a post row must meet to be shown to the session's workspace (none when
    it sees everything): matched by its watches, or heard from its sources."""
    if sees_everything(session):
        return []
    heard = select(tables.Heard.post_id).where(tables.Heard.post_id == post.id).exists()
    return [or_(matched(session, post), heard)]
