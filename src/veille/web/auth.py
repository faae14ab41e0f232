"""Sessions, CSRF tokens and login throttling.

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

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from veille.store import tables
from veille.timeutil import utcnow
from veille.users import authenticate

SESSION_COOKIE = "veille_session"
LOGIN_CSRF_COOKIE = "veille_login_csrf"
SESSION_LIFETIME = timedelta(days=14)
THROTTLE_WINDOW = timedelta(minutes=15)
THROTTLE_MAX_FAILURES = 5


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


def sign_in(session: Session, *, username: str, password: str, client: str) -> str:
    """Check the password under the throttle and open a session; returns the cookie value.
    A failure is counted against both the username and the client address."""
    keys = [f"user:{username.lower()}", f"ip:{client}"]
    if throttled(session, keys):
        raise SignInRefused("throttled")
    user = authenticate(session, username, password)
    if user is None:
        record_failure(session, keys)
        raise SignInRefused("failed")
    clear_failures(session, keys)
    return open_session(session, user)


def close_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(
            delete(tables.WebSession).where(tables.WebSession.token_hash == _digest(token))
        )


def tokens_match(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def throttled(session: Session, keys: list[str]) -> bool:
    """True when any key (username, client address) failed too often recently."""
    since = utcnow() - THROTTLE_WINDOW
    worst = session.scalar(
        select(func.count(tables.LoginAttempt.id))
        .where(tables.LoginAttempt.key.in_(keys), tables.LoginAttempt.at >= since)
        .group_by(tables.LoginAttempt.key)
        .order_by(func.count(tables.LoginAttempt.id).desc())
        .limit(1)
    )
    return (worst or 0) >= THROTTLE_MAX_FAILURES


def record_failure(session: Session, keys: list[str]) -> None:
    for key in keys:
        session.add(tables.LoginAttempt(key=key[:128]))


def clear_failures(session: Session, keys: list[str]) -> None:
    session.execute(delete(tables.LoginAttempt).where(tables.LoginAttempt.key.in_(keys)))
