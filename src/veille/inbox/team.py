"""Team access by one-time links: invitations (join with a role) and password resets by e-mail.

Links carry a random token; only its SHA-256 is stored, each link works once and expires.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from veille.channels import ChannelSettingsError, load_smtp
from veille.crypto import SecretBox
from veille.notify import NotifyError
from veille.permissions import ROLES
from veille.store import scope, tables
from veille.store.db import Database
from veille.store.tables_inbox import TeamToken
from veille.timeutil import utcnow
from veille.translations import N_, Refusal, translator
from veille.users import hash_password, join

log = logging.getLogger(__name__)

INVITE_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)
MIN_PASSWORD = 10


class TeamError(Refusal):
    """A refused link or form; the message names the field."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(session: Session, **values: object) -> str:
    token = secrets.token_urlsafe(32)
    session.add(TeamToken(token_hash=_digest(token), **values))
    session.flush()
    return token


def _live(session: Session, token: str, purpose: str) -> TeamToken:
    # Opened by someone not signed in yet: the link names its workspace.
    row = session.get(TeamToken, _digest(token), execution_options={scope.ANY_WORKSPACE: True})
    if row is None or row.purpose != purpose or row.used_at is not None:
        raise TeamError(N_("link: unknown or already used"))
    if row.expires_at <= utcnow():
        raise TeamError(N_("link: expired, ask for a new one"))
    return row


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise TeamError(N_("password: at least %(least)s characters"), least=MIN_PASSWORD)


def invite(session: Session, *, role: str, created_by: int) -> str:
    """A link token to join the team with a role."""
    if role not in ROLES or role == "owner":
        raise TeamError(N_("role: expected manager, member or viewer"))
    return _new_token(
        session,
        purpose="invite",
        role=role,
        created_by=created_by,
        expires_at=utcnow() + INVITE_LIFETIME,
    )


def check_invitation(session: Session, token: str) -> str:
    """The role the invitation grants; raises TeamError for a dead link."""
    return str(_live(session, token, "invite").role)


def accept_invitation(
    session: Session, *, token: str, username: str, password: str, email: str = ""
) -> tables.User:
    row = _live(session, token, "invite")
    username = username.strip()
    if not username or len(username) > 64:
        raise TeamError(N_("username: 1 to 64 characters"))
    if session.scalar(select(tables.User.id).where(tables.User.username == username)):
        raise TeamError(N_("username: already taken"))
    _check_password(password)
    user = tables.User(
        username=username,
        password_hash=hash_password(password),
        role=row.role or "viewer",
        email=email.strip()[:255],
    )
    session.add(user)
    row.used_at = utcnow()
    session.flush()
    join(session, user_id=user.id, role=user.role, workspace_id=row.workspace_id)
    return user


def request_reset(session: Session, *, email: str, base_url: str, box: SecretBox) -> bool:
    """E-mail a reset link when the address belongs to a user (True when a mail went out).

    The page says the same thing either way, so nobody can probe which addresses exist.
    """
    email = email.strip()
    user = session.scalar(select(tables.User).where(tables.User.email == email)) if email else None
    smtp = load_smtp(session, box)
    if user is None or smtp is None:
        return False
    token = _new_token(
        session, purpose="reset", user_id=user.id, expires_at=utcnow() + RESET_LIFETIME
    )
    link = f"{base_url.rstrip('/')}/password/reset/{token}"
    words = translator("en" if user.language == "en" else "fr")  # the person's own language
    hello = words.gettext("Hello %(name)s,") % {"name": user.username}
    why = words.gettext("To choose a new password, open this link (valid for one hour, once):")
    ignore = words.gettext("If you asked for nothing, ignore this message.")
    smtp.send(
        to=email,
        subject=words.gettext("Veille: reset your password"),
        text=f"{hello}\n\n{why}\n{link}\n\n{ignore}",
        html=f"<p>{_escape(hello)}</p><p>{_escape(why)}<br>"
        f'<a href="{_escape(link)}">{_escape(link)}</a></p><p>{_escape(ignore)}</p>',
    )
    return True


def send_reset_link(db: Database, *, email: str, base_url: str, box: SecretBox) -> None:
    """`request_reset` in a transaction of its own, for a background task: the page has
    answered already, so a failure is logged (never with a secret), not shown."""
    try:
        with db.session() as session:
            request_reset(session, email=email, base_url=base_url, box=box)
    except (NotifyError, ChannelSettingsError) as error:
        log.warning("password reset e-mail not sent: %s", error)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def reset_password(session: Session, *, token: str, password: str) -> tables.User:
    """Set the new password, spend the link and close the user's open sessions."""
    row = _live(session, token, "reset")
    _check_password(password)
    user = session.get(tables.User, row.user_id)
    if user is None:
        raise TeamError(N_("link: the user no longer exists"))
    user.password_hash = hash_password(password)
    row.used_at = utcnow()
    session.execute(delete(tables.WebSession).where(tables.WebSession.user_id == user.id))
    return user
