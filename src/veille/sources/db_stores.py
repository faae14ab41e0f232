"""The connectors' stores backed by the database: cursors in ``cursors``, sessions in accounts.

A restart of `veille listen` resumes from here, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import datetime

from sqlalchemy import Executable
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from veille.accounts import account_credentials
from veille.sources.crypto import SecretBox
from veille.store import tables
from veille.store.db import Database
from veille.timeutil import utcnow

_KEY_LIMIT = 255  # cursors.source is a String(255)


def cursor_column_key(key: str) -> str:
    """The key as stored: long ones (a feed URL can be long) end in a digest of the whole key."""
    if len(key) <= _KEY_LIMIT:
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]
    return f"{key[: _KEY_LIMIT - len(digest) - 1]}#{digest}"


class DatabaseCursorStore:
    """CursorStore on the ``cursors`` table; ``set`` is one idempotent upsert.

    Values are cached, so an unchanged cursor costs no write and ``get`` no read.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._cache: dict[str, str | None] = {}

    def get(self, key: str) -> str | None:
        column_key = cursor_column_key(key)
        with self._lock:
            if column_key in self._cache:
                return self._cache[column_key]
            with self.db.session() as session:
                row = session.get(tables.Cursor, column_key)
                value = row.value if row is not None else None
            self._cache[column_key] = value
            return value

    def set(self, key: str, value: str) -> None:
        column_key = cursor_column_key(key)
        with self._lock:
            if self._cache.get(column_key) == value:
                return
            now = utcnow()
            statement = _upsert(self.db.dialect, column_key, value, now)
            if statement is None:  # another database: read-then-write in one transaction
                with self.db.session() as session:
                    session.merge(tables.Cursor(source=column_key, value=value, updated_at=now))
                self._cache[column_key] = value
                return
            with self.db.session() as session:
                session.execute(statement)
            self._cache[column_key] = value


def _upsert(dialect: str, key: str, value: str, now: datetime) -> Executable | None:
    """INSERT ... ON CONFLICT (source) DO UPDATE, in the dialect's own words."""
    if dialect == "postgresql":
        pg = postgresql_insert(tables.Cursor).values(source=key, value=value, updated_at=now)
        return pg.on_conflict_do_update(
            index_elements=["source"], set_={"value": pg.excluded.value, "updated_at": now}
        )
    if dialect == "sqlite":
        lite = sqlite_insert(tables.Cursor).values(source=key, value=value, updated_at=now)
        return lite.on_conflict_do_update(
            index_elements=["source"], set_={"value": lite.excluded.value, "updated_at": now}
        )
    return None


class AccountTokenStore:
    """TokenStore in an account's encrypted credentials (a Bluesky session, an X token set).

    Sessions rotate their refresh tokens, so each save re-encrypts the account's credentials.
    """

    _PREFIX = "token "

    def __init__(self, db: Database, box: SecretBox, account_id: int) -> None:
        self.db = db
        self.box = box
        self.account_id = account_id
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"AccountTokenStore(account_id={self.account_id})"

    def load(self, key: str) -> dict[str, str] | None:
        with self._lock, self.db.session() as session:
            account = session.get(tables.Account, self.account_id)
            if account is None:
                return None
            raw = account_credentials(self.box, account).get(self._PREFIX + key)
        if not raw:
            return None
        token = json.loads(raw)
        return {str(k): str(v) for k, v in token.items()}

    def save(self, key: str, token: dict[str, str]) -> None:
        with self._lock, self.db.session() as session:
            account = session.get(tables.Account, self.account_id)
            if account is None:
                raise LookupError(f"account {self.account_id} not found")
            credentials = account_credentials(self.box, account)
            credentials[self._PREFIX + key] = json.dumps(token, sort_keys=True)
            account.credentials_encrypted = self.box.encrypt(json.dumps(credentials))
