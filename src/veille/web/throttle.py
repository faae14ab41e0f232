"""Login and password-reset throttling with counters that concurrent requests cannot race.

Every attempt is counted *before* the password is checked, in its own committed transaction,
then the counts are read back: of thirty simultaneous guesses, only those counted within the
limit go on to a password check. Three counters per login, each with its own limit:

- the account from one address (a typo streak): 5 in 15 minutes;
- the account from anywhere (guessing spread over many addresses): 20;
- the address over every account (one address spraying names): 50, so that colleagues behind
  one office router are not all locked out by one person's typos.

A successful login is not a failure: its own marks are taken back, and the account's typo
streak from that address is forgiven; the address's and the account's other failures keep
counting, so knowing one password never resets a spray.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from veille.store import tables
from veille.store.db import Database
from veille.timeutil import utcnow

WINDOW = timedelta(minutes=15)
PAIR_LIMIT = 5
ACCOUNT_LIMIT = 20
ADDRESS_LIMIT = 50
RESET_LIMIT = 5  # reset e-mails asked for one address, and from one client address


def login_keys(username: str, client: str) -> dict[str, int]:
    """The counters one login attempt counts against, with their limits."""
    name = username.strip().lower()
    return {
        f"pair:{name}|{client}"[:128]: PAIR_LIMIT,
        f"user:{name}"[:128]: ACCOUNT_LIMIT,
        f"ip:{client}"[:128]: ADDRESS_LIMIT,
    }


def reset_keys(email: str, client: str) -> dict[str, int]:
    """The counters one password-reset request counts against."""
    return {
        f"reset:{email.strip().lower()}"[:128]: RESET_LIMIT,
        f"reset-ip:{client}"[:128]: RESET_LIMIT,
    }


@dataclass(frozen=True)
class Attempt:
    allowed: bool
    marks: tuple[int, ...]  # the rows that counted this attempt


def count_attempt(db: Database, limits: Mapping[str, int]) -> Attempt:
    """Count one attempt under every key; not allowed when any key is now over its limit.

    Two short transactions of their own, committed at once, so that a concurrent request
    sees this attempt before it checks a password.
    """
    now = utcnow()
    with db.session() as session:
        session.execute(delete(tables.LoginAttempt).where(tables.LoginAttempt.at < now - WINDOW))
        rows = [tables.LoginAttempt(key=key, at=now) for key in limits]
        session.add_all(rows)
        session.flush()
        marks = tuple(row.id for row in rows)
    with db.session() as session:
        counted = session.execute(
            select(tables.LoginAttempt.key, func.count(tables.LoginAttempt.id))
            .where(
                tables.LoginAttempt.key.in_(list(limits)),
                tables.LoginAttempt.at >= now - WINDOW,
            )
            .group_by(tables.LoginAttempt.key)
        ).all()
    counts = {key: count for key, count in counted}
    allowed = all(counts.get(key, 0) <= limit for key, limit in limits.items())
    return Attempt(allowed, marks)


def forgive_login(session: Session, attempt: Attempt, *, username: str, client: str) -> None:
    """After a successful login: take back its marks and forgive that account's typo streak
    from that address (in the request's own transaction)."""
    pair = f"pair:{username.strip().lower()}|{client}"[:128]
    session.execute(
        delete(tables.LoginAttempt).where(
            or_(tables.LoginAttempt.id.in_(attempt.marks), tables.LoginAttempt.key == pair)
        )
    )
