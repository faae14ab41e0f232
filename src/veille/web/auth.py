"""Sessions and CSRF tokens (login throttling lives in `throttle`).

The session cookie holds a random token; the database keeps only its SHA-256, so a leaked
database does not leak live sessions. Every state-changing form carries the session's CSRF token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from veille.store import tables
from veille.store.db import Database
from veille.timeutil import utcnow
from veille.users import authenticate
from veille.web import throttle

SESSION_COOKIE = "veille_session"
LOGIN_CSRF_COOKIE = "veille_login_csrf"
SESSION_LIFETIME = timedelta(days=14)


@dataclass(frozen=True)
class CurrentUser:
    id: int
    username: str
    role: str  # in the workspace the user is looking at
    language: str
    csrf_token: str
    workspace_id: int = 1
    # Every workspace of the user, (id, name; "" for the first, unnamed one), for the switcher.
    workspaces: tuple[tuple[int, str], ...] = ()


def memberships(session: Session, user_id: int) -> list[tuple[tables.Workspace, str]]:
    """The workspaces the user belongs to, with their role in each, in the order created."""
    rows = session.execute(
        select(tables.Workspace, tables.Membership.role)
        .join(tables.Membership, tables.Membership.workspace_id == tables.Workspace.id)
        .where(tables.Membership.user_id == user_id)
        .order_by(tables.Workspace.id)
    )
    return [(workspace, role) for workspace, role in rows]


def switch_workspace(session: Session, token: str, workspace_id: int) -> bool:
    """Show the signed-in user another workspace of theirs; False when they are not a member."""
    web_session = session.get(tables.WebSession, _digest(token))
    if (
        web_session is None
        or session.get(tables.Membership, (workspace_id, web_session.user_id)) is None
    ):
        return False
    web_session.current_workspace_id = workspace_id
    return True


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: tables.User) -> str:
    """Create a session for the user; returns the cookie value."""
    token = secrets.token_urlsafe(32)
    session.add(
        tables.WebSession(
            token_hash=_digest(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            expires_at=utcnow() + SESSION_LIFETIME,
        )
    )
    return token


def current_user(session: Session, token: str | None) -> CurrentUser | None:
    if not token:
        return None
    row = session.execute(
        select(tables.WebSession, tables.User)
        .join(tables.User, tables.User.id == tables.WebSession.user_id)
        .where(tables.WebSession.token_hash == _digest(token))
    ).first()
    if row is None:
        return None
    web_session, user = row
    if web_session.expires_at <= utcnow():
        session.delete(web_session)
        return None
    member = _membership(session, user.id, web_session.current_workspace_id)
    if member is None:  # a member of no workspace any more
        return None
    return CurrentUser(
        user.id,
        user.username,
        member.role,
        user.language,
        web_session.csrf_token,
        member.workspace_id,
        tuple((w.id, w.name) for w, _ in memberships(session, user.id)),
    )


def _membership(session: Session, user_id: int, wanted: int | None) -> tables.Membership | None:
    """The user's membership of the workspace they chose, else of their first workspace."""
    if wanted is not None:
        member = session.get(tables.Membership, (wanted, user_id))
        if member is not None:
            return member
    return session.scalars(
        select(tables.Membership)
        .where(tables.Membership.user_id == user_id)
        .order_by(tables.Membership.workspace_id)
        .limit(1)
    ).first()


def workspace_of_token(session: Session, token: str | None) -> int | None:
    """The workspace a request's session cookie is looking at (None: not signed in)."""
    if not token:
        return None
    row = session.execute(
        select(tables.WebSession.user_id, tables.WebSession.current_workspace_id).where(
            tables.WebSession.token_hash == _digest(token)
        )
    ).first()
    if row is None:
        return None
    member = _membership(session, row.user_id, row.current_workspace_id)
    return None if member is None else member.workspace_id


class SignInRefused(Exception):
    """A sign-in refused: too many recent failures, or a wrong username or password."""

    def __init__(self, reason: Literal["throttled", "failed"]) -> None:
        super().__init__(reason)
        self.reason = reason


def sign_in(session: Session, *, db: Database, username: str, password: str, client: str) -> str:
    """Check the password under the throttle and open a session; returns the cookie value.
    The attempt is counted (in its own transaction, see `throttle`) before the password is
    checked; a success takes its marks back and forgives that account from that address."""
    attempt = throttle.count_attempt(db, throttle.login_keys(username, client))
    if not attempt.allowed:
        raise SignInRefused("throttled")
    user = authenticate(session, username, password)
    if user is None:
        raise SignInRefused("failed")
    throttle.forgive_login(session, attempt, username=username, client=client)
    return open_session(session, user)


def close_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(
            delete(tables.WebSession).where(tables.WebSession.token_hash == _digest(token))
        )


def tokens_match(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))
