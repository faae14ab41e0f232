"""Users of the web app: creation and password checks (argon2)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.permissions import ROLES, Role
from veille.store import scope, tables
from veille.translations import N_, Refusal

_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps timings alike for both cases.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(
    session: Session, *, username: str, password: str, role: Role = "member", language: str = "fr"
) -> tables.User:
    if role not in ROLES:
        raise Refusal(N_("role: choose owner, manager, member or viewer"))
    user = tables.User(
        username=username, password_hash=hash_password(password), role=role, language=language
    )
    session.add(user)
    session.flush()
    join(session, user_id=user.id, role=role)
    return user


def join(session: Session, *, user_id: int, role: str, workspace_id: int | None = None) -> None:
    """Make the user a member of the workspace (the session's by default) with ``role``, or
    give them that role there if they already are."""
    workspace = workspace_id if workspace_id is not None else scope.required_workspace(session)
    member = session.get(tables.Membership, (workspace, user_id))
    if member is None:
        session.add(tables.Membership(workspace_id=workspace, user_id=user_id, role=role))
    else:
        member.role = role


def authenticate(session: Session, username: str, password: str) -> tables.User | None:
    """The user when the password is right, else None (same work either way)."""
    user = session.scalar(select(tables.User).where(tables.User.username == username))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is not None and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user
