"""Workspaces: the businesses one instance serves. Creating one, listing them, and giving a
user a role in one are the named actions here; what each workspace holds is scoped by the
store (store/scope.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veille.permissions import ROLES
from veille.store import tables
from veille.store.db import UNKNOWN
from veille.translations import N_, Refusal
from veille.users import join

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


class WorkspaceError(Refusal):
    """A workspace that cannot be created or found, said in the reader's language."""


@dataclass(frozen=True)
class WorkspaceView:
    id: int
    slug: str
    name: str
    members: int


def find(session: Session, slug: str) -> tables.Workspace:
    workspace = session.scalar(select(tables.Workspace).where(tables.Workspace.slug == slug))
    if workspace is None:
        raise WorkspaceError(UNKNOWN, slug=slug)
    return workspace


def create(session: Session, *, slug: str, name: str = "") -> tables.Workspace:
    """A new, empty workspace: its owner sets it up from the web app's set-up pages."""
    if not SLUG.fullmatch(slug):
        raise WorkspaceError(
            N_("workspace %(slug)s: use lowercase letters, digits and dashes (at most 64)"),
            slug=slug,
        )
    if session.scalar(select(tables.Workspace.id).where(tables.Workspace.slug == slug)):
        raise WorkspaceError(N_("workspace %(slug)s: already exists"), slug=slug)
    workspace = tables.Workspace(slug=slug, name=name.strip()[:128] or slug)
    session.add(workspace)
    session.flush()
    return workspace


def add_member(session: Session, *, slug: str, username: str, role: str) -> None:
    """Give an existing user ``role`` in the workspace (they keep their other workspaces)."""
    if role not in ROLES:
        raise Refusal(N_("role: choose owner, manager, member or viewer"))
    workspace = find(session, slug)
    user = session.scalar(select(tables.User).where(tables.User.username == username))
    if user is None:
        raise WorkspaceError(N_("user %(name)s: unknown"), name=username)
    join(session, user_id=user.id, role=role, workspace_id=workspace.id)


def listed(session: Session) -> list[WorkspaceView]:
    members = (
        select(tables.Membership.workspace_id, func.count().label("n"))
        .group_by(tables.Membership.workspace_id)
        .subquery()
    )
    rows = session.execute(
        select(tables.Workspace, func.coalesce(members.c.n, 0))
        .outerjoin(members, members.c.workspace_id == tables.Workspace.id)
        .order_by(tables.Workspace.id)
    )
    return [WorkspaceView(w.id, w.slug, w.name, int(n)) for w, n in rows]
