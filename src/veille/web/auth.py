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
    role: str
    language: str
    csrf_token: str


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
    return CurrentUser(user.id, user.username, user.role, user.language, web_session.csrf_token)


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
