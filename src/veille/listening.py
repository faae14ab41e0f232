"""`veille listen` from the database: one set of listeners per connected account, of every
workspace; what an account's listeners hear is heard by the account's workspace.

Credentials are decrypted here, handed to the connectors and nowhere else. Every listener
reports how its last connection or poll went; an account's state is the worst of its
listeners' (error, then rate-limited, then connected) and is written only when it changes.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import select

from veille.accounts import account_credentials, record_account_state
from veille.crypto import SecretBox
from veille.posts import Post
from veille.sources import registry
from veille.sources.base import (
    ConnectorError,
    CursorStore,
    Listener,
    OnHealth,
    OnPost,
    RateLimited,
)
from veille.sources.db_stores import AccountTokenStore
from veille.sources.network import AccountListening, ListenOptions
from veille.sources.revisions import apply_revision
from veille.store import tables
from veille.store.db import DEFAULT_WORKSPACE, Database

log = logging.getLogger("veille.listening")

_SEVERITY = {"connected": 0, "rate_limited": 1, "error": 2}


# ---------------------------------------------------------------- account state


def _secret_free(message: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        message = message.replace(secret, "***")
    return message


class AccountHealth:
    """One account's state, from the reports of each of its listeners (``part``)."""

    def __init__(
        self, db: Database, account_id: int, workspace_id: int, secrets: Iterable[str] = ()
    ) -> None:
        self.db = db
        self.account_id = account_id
        self.workspace_id = workspace_id
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)
        self._parts: dict[str, tuple[str, float | None, str | None]] = {}
        self._written: tuple[str, float | None, str | None] | None = None
        self._lock = threading.Lock()

    def reporter(self, part: str) -> OnHealth:
        def report(error: ConnectorError | None) -> None:
            self.report(part, error)

        return report

    def report(self, part: str, error: ConnectorError | None) -> None:
        if error is None:
            outcome: tuple[str, float | None, str | None] = ("connected", None, None)
        elif isinstance(error, RateLimited):
            outcome = ("rate_limited", error.until, _secret_free(str(error), self._secrets))
        else:
            outcome = ("error", None, _secret_free(str(error), self._secrets))
        with self._lock:
            self._parts[part] = outcome
            worst = max(self._parts.values(), key=lambda o: (_SEVERITY[o[0]], o[1] or 0.0))
            if worst == self._written:
                return
            state, until, message = worst
            with self.db.session(workspace_id=self.workspace_id) as session:
                record_account_state(
                    session,
                    self.account_id,
                    state=state,
                    rate_limited_until=datetime.fromtimestamp(until, UTC) if until else None,
                    last_error=message,
                )
            self._written = worst


# ---------------------------------------------------------------- watches' rules


def watch_rules(db: Database, workspace_id: int) -> dict[str, str]:
    """Every rule of the workspace's active watches: tag (``w<watch>-r<rule>``) → rule text."""
    with db.session(workspace_id=workspace_id) as session:
        rows = session.execute(
            select(tables.WatchRule.id, tables.WatchRule.watch_id, tables.WatchRule.query)
            .join(tables.Watch, tables.Watch.id == tables.WatchRule.watch_id)
            .where(tables.Watch.active.is_(True))
            .order_by(tables.WatchRule.id)
        ).all()
    return {f"w{watch_id}-r{rule_id}": query for rule_id, watch_id, query in rows}


# ---------------------------------------------------------------- building listeners


def deduplicate(on_post: OnPost, *, size: int = 50_000) -> OnPost:
    """Hand each (network, id) over once per run: a stream and a poll often see the same post."""
    seen: OrderedDict[tuple[str, str], None] = OrderedDict()

    def deliver(post: Post) -> None:
        key = (post.network, post.id)
        if key in seen:
            return
        seen[key] = None
        if len(seen) > size:
            seen.popitem(last=False)
        on_post(post)

    return deliver


@dataclass
class _Account:
    row: tables.Account
    credentials: dict[str, str]
    health: AccountHealth


def _accounts(db: Database, box: SecretBox) -> list[_Account]:
    """The connected accounts of every workspace, workspace by workspace."""
    with db.session(workspace_id=None) as session:
        rows = session.scalars(
            select(tables.Account)
            .where(tables.Account.credentials_encrypted.is_not(None))
            .order_by(tables.Account.workspace_id, tables.Account.id)
        ).all()
    accounts = []
    for row in rows:
        try:
            credentials = account_credentials(box, row)
        except ValueError as exc:  # the secret key changed: say so on the accounts page
            health = AccountHealth(db, row.id, row.workspace_id)
            health.report("credentials", ConnectorError(row.network, str(exc)))
            continue
        health = AccountHealth(db, row.id, row.workspace_id, credentials.values())
        accounts.append(_Account(row, credentials, health))
    return accounts


class WorkspaceCursors:
    """One workspace's resume points in the shared cursor store. Its keys carry the workspace,
    so two workspaces connecting the same handle each resume from their own; the default
    workspace's keys stay as they were before workspaces, so its cursors still resume."""

    def __init__(self, cursors: CursorStore, workspace_id: int) -> None:
        self.cursors, self.workspace_id = cursors, workspace_id

    def _key(self, key: str) -> str:
        return key if self.workspace_id == DEFAULT_WORKSPACE else f"w{self.workspace_id}:{key}"

    def get(self, key: str) -> str | None:
        return self.cursors.get(self._key(key))

    def set(self, key: str, value: str) -> None:
        self.cursors.set(self._key(key), value)


class HeardBy:
    """A listener of one workspace's account: what it hears is heard by that workspace
    (`run_listeners` hands its posts to the workspace's sink)."""

    def __init__(self, listener: Listener, workspace_id: int) -> None:
        self.listener, self.workspace_id = listener, workspace_id
        self.name = listener.name

    def listen(self, on_post: OnPost, stop: threading.Event) -> None:
        self.listener.listen(on_post, stop)


def _missing(account: _Account, what: str) -> None:
    account.health.report(
        "credentials", ConnectorError(account.row.network, f"{account.row.handle}: no {what}")
    )


def build_account_listeners(
    db: Database,
    box: SecretBox,
    *,
    cursors: CursorStore,
    options: ListenOptions | None = None,
) -> list[HeardBy]:
    """The listeners of every connected account of every workspace, each reporting its
    account's state and searching its workspace's watches; in each workspace, the first
    account of a network also carries that network's app-wide listeners (on that workspace's
    own credentials and rules)."""
    options = options or ListenOptions()
    rules: dict[int, dict[str, str]] = {}
    listeners: list[HeardBy] = []
    started: set[tuple[int, str]] = set()
    for account in _accounts(db, box):
        network, workspace = account.row.network, account.row.workspace_id
        found = registry.find(network)
        listening = found.listening if found is not None else None
        if listening is None:
            continue
        if not all(account.credentials.get(name) for name in listening.requires):
            _missing(account, listening.missing)
            continue
        if workspace not in rules:
            rules[workspace] = watch_rules(db, workspace)
        built = listening.build(
            AccountListening(
                handle=account.row.handle,
                credentials=account.credentials,
                tokens=AccountTokenStore(db, box, account.row.id),
                cursors=WorkspaceCursors(cursors, workspace),
                rules=rules[workspace],
                current_rules=partial(watch_rules, db, workspace),
                options=options,
                reporter=account.health.reporter,
                first=(workspace, network) not in started,
                revise=lambda change: apply_revision(db, change),
            )
        )
        listeners += [HeardBy(listener, workspace) for listener in built]
        started.add((workspace, network))
    return listeners
