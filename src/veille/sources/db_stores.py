"""The connectors' stores backed by the database: cursors in ``cursors``, sessions and token
sets in the accounts' encrypted credentials (one store for listeners and publishers).

A restart of `veille listen` resumes from here, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Executable
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from veille.accounts import account_credentials
from veille.crypto import SecretBox
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
    """The one TokenStore: an account's sessions and OAuth token sets, kept in its encrypted
    credentials as JSON under ``token <key>``, shared by its listeners and its publisher.

    Tokens rotate (a refresh revokes the refresh token it used), so a save must never write
    back a stale copy of the credentials: each save reads and rewrites the account row in one
    transaction holding the row's lock, ``SELECT ... FOR UPDATE`` on PostgreSQL and a write
    transaction taken up front (``BEGIN IMMEDIATE``) on SQLite. Token sets an older version
    wrote flat (``<key>.<field>``) are read too, and replaced at the next save.

    The account is found by its id in whichever workspace holds it: listeners, the scheduler
    and the connect pages of every workspace share this store, and the id names one row.
    """

    PREFIX = "token "

    def __init__(self, db: Database, box: SecretBox, account_id: int) -> None:
        self.db = db
        self.box = box
        self.account_id = account_id

    def __repr__(self) -> str:
        return f"AccountTokenStore(account_id={self.account_id})"

    def load(self, key: str) -> dict[str, str] | None:
        with self.db.session(workspace_id=None) as session:
            account = session.get(tables.Account, self.account_id)
            if account is None:
                return None
            credentials = account_credentials(self.box, account)
        return stored_token(credentials, key)

    def save(self, key: str, token: dict[str, str]) -> None:
        with self.db.session(workspace_id=None) as session:
            account = _locked_account(session, self.db.dialect, self.account_id)
            credentials = {
                k: v
                for k, v in account_credentials(self.box, account).items()
                if not k.startswith(key + ".")
            }
            credentials[self.PREFIX + key] = json.dumps(token, sort_keys=True)
            account.credentials_encrypted = self.box.encrypt(json.dumps(credentials))


def stored_token(credentials: Mapping[str, str], key: str) -> dict[str, str] | None:
    """The token set saved under ``key`` in decrypted credentials, in either format."""
    raw = credentials.get(AccountTokenStore.PREFIX + key)
    if raw:
        token = json.loads(raw)
        return {str(k): str(v) for k, v in token.items()}
    flat = {k[len(key) + 1 :]: v for k, v in credentials.items() if k.startswith(key + ".")}
    return flat or None


def _locked_account(session: Session, dialect: str, account_id: int) -> tables.Account:
    """The account row, locked until the transaction ends."""
    if dialect == "sqlite":
        # pysqlite opens a deferred transaction only at the first write, after our read:
        # take the write lock before reading instead (it waits for busy_timeout).
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")
    account = session.get(tables.Account, account_id, with_for_update=True)
    if account is None:
        raise LookupError(f"account {account_id} not found")
    return account
