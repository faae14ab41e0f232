"""One token store for an account's listeners and its publisher, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
import json
import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text

from veille.accounts import account_credentials, connect_account
from veille.config import Settings
from veille.crypto import SecretBox
from veille.listening import build_account_listeners
from veille.posts import Post
from veille.publish.publisher import ConnectorPublisher, JobRequest
from veille.sources.base import MemoryCursorStore
from veille.sources.db_stores import AccountTokenStore
from veille.sources.network import ListenOptions
from veille.sources.polling import IntervalPoller
from veille.store import tables
from veille.store.db import Database, alembic_config
from veille.watches import save_watch

from .servers import Request, Response, http_server

# The migration module's name starts with its number, so it is imported by name.
one_format = importlib.import_module(
    "veille.store.migrations.versions.0004_one_token_format"
).one_format

PG_URL = os.environ.get("VEILLE_TEST_DATABASE_URL", "")
BOX = SecretBox("a-long-secret-key-for-the-tokens")
HANDLE = "martin.bsky.social"
PASSWORD = "abcd-efgh-ijkl-mnop"
KEY = f"bluesky:{HANDLE}"
OTHER_KEY = "another-secret-key-0123456789"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        db = Database.from_settings(Settings(data_dir=tmp_path, _env_file=None))  # type: ignore[call-arg]
    else:
        if not PG_URL.startswith("postgresql"):
            pytest.skip("VEILLE_TEST_DATABASE_URL names no PostgreSQL database")
        db = Database(PG_URL)
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        db.migrate()
    yield db
    db.engine.dispose()


class StrictPds:
    """A PDS keeping one session per account: a refresh rotates both tokens and revokes the
    ones it replaced, and ``expire()`` makes the current access token expire."""

    def __init__(self) -> None:
        self.generation = 0
        self.expired = False
        self.logins = self.refreshes = self.searches = 0
        self.records: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def expire(self) -> None:
        with self.lock:
            self.expired = True

    def _session(self) -> Response:
        self.generation += 1
        self.expired = False
        n = self.generation
        return Response(
            body={
                "did": "did:plc:martin",
                "handle": HANDLE,
                "accessJwt": f"acc-{n}-secret",
                "refreshJwt": f"ref-{n}-secret",
            }
        )

    def __call__(self, req: Request) -> Response:
        nsid = req.path.removeprefix("/xrpc/")
        auth = req.headers.get("authorization", "")
        expired = Response(400, {"error": "ExpiredToken", "message": "Token has expired"})
        with self.lock:
            if nsid == "com.atproto.server.createSession":
                if req.json() != {"identifier": HANDLE, "password": PASSWORD}:
                    return Response(401, {"error": "AuthenticationRequired"})
                self.logins += 1
                return self._session()
            if nsid == "com.atproto.server.refreshSession":
                if auth != f"Bearer ref-{self.generation}-secret":
                    return expired  # a revoked refresh token
                self.refreshes += 1
                return self._session()
            if self.expired or auth != f"Bearer acc-{self.generation}-secret":
                return expired
            if nsid == "app.bsky.feed.searchPosts":
                self.searches += 1
                return Response(body={"posts": []})
            if nsid == "com.atproto.repo.createRecord":
                body = req.json()
                uri = f"at://{body['repo']}/{body['collection']}/{body['rkey']}"
                self.records[body["rkey"]] = {"uri": uri, "cid": "bafyreinew"}
                return Response(body={"uri": uri, "cid": "bafyreinew"})
        return Response(404, {"error": "MethodNotImplemented"})


def _account(db: Database, credentials: dict[str, str] | None = None) -> int:
    with db.session() as session:
        account = connect_account(
            session,
            BOX,
            network="bluesky",
            handle=HANDLE,
            label="",
            kind="company",
            credentials={"app_password": PASSWORD},
        )
        if credentials is not None:
            account.credentials_encrypted = BOX.encrypt(json.dumps(credentials))
        return account.id


def _credentials(db: Database, account_id: int) -> dict[str, str]:
    with db.session() as session:
        account = session.get(tables.Account, account_id)
        assert account is not None
        return account_credentials(BOX, account)


def test_listener_and_publisher_of_one_account_refresh_in_turn_and_both_keep_working(
    database: Database,
) -> None:
    account_id = _account(database)
    with database.session() as session:
        save_watch(
            session,
            watch_id=None,
            name="ma marque",
            kind="brand",
            description="",
            rules=["peintre angers"],
            max_length=1024,
        )
    pds = StrictPds()
    with http_server(pds) as server:
        options = ListenOptions(endpoints={"bluesky": server.url})
        listeners = build_account_listeners(
            database, BOX, cursors=MemoryCursorStore(), options=options
        )
        # Each account's listener comes wrapped with its workspace (listening.HeardBy).
        [search] = [x.listener for x in listeners if isinstance(x.listener, IntervalPoller)]
        publisher = ConnectorPublisher(database, BOX, endpoints={"bluesky": server.url})
        received: list[Post] = []

        def publish(n: int) -> None:
            request = JobRequest(
                job_id=n,
                account_id=account_id,
                network="bluesky",
                text=f"Chantier n°{n} terminé à Angers.",
                in_reply_to=None,
                idempotency_key=f"job-{n}",
                due_at=datetime(2026, 3, 2, 9, n, tzinfo=UTC),
            )
            assert publisher.publish(request).id.startswith("at://did:plc:martin/")

        search.poll_once(received.append)  # logs in
        for turn in range(1, 7):
            pds.expire()
            if turn % 2:
                publish(turn)
            else:
                search.poll_once(received.append)
        searches_before = pds.searches
        search.poll_once(received.append)  # the publisher's last session serves the listener

    assert pds.searches == searches_before + 1 == 5
    assert len(pds.records) == 3
    assert (pds.logins, pds.refreshes) == (1, 6)
    with database.session() as session:
        account = session.get(tables.Account, account_id)
        assert account is not None and account.state == "connected"
    credentials = _credentials(database, account_id)
    assert sorted(credentials) == ["app_password", f"token {KEY}"]
    assert json.loads(credentials[f"token {KEY}"])["refresh_jwt"] == "ref-7-secret"


def test_concurrent_saves_of_two_token_sets_lose_neither(database: Database) -> None:
    account_id = _account(database)

    def writer(key: str) -> None:
        store = AccountTokenStore(database, BOX, account_id)
        for n in range(15):
            store.save(key, {"access_token": f"{key}-{n}"})

    threads = [threading.Thread(target=writer, args=(k,)) for k in ("x:a", "x:b", "bluesky:c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    store = AccountTokenStore(database, BOX, account_id)
    for key in ("x:a", "x:b", "bluesky:c"):
        assert store.load(key) == {"access_token": f"{key}-14"}
    assert _credentials(database, account_id)["app_password"] == PASSWORD


FLAT = {
    "app_password": PASSWORD,
    f"{KEY}.access_jwt": "acc-1-secret",
    f"{KEY}.refresh_jwt": "ref-1-secret",
    f"{KEY}.did": "did:plc:martin",
    f"{KEY}.handle": HANDLE,
}
SESSION = {"access_jwt": "acc-1-secret", "refresh_jwt": "ref-1-secret"}
SESSION |= {"did": "did:plc:martin", "handle": HANDLE}


def test_token_sets_saved_flat_by_an_older_version_are_read_then_rewritten(
    database: Database,
) -> None:
    account_id = _account(database, FLAT)
    store = AccountTokenStore(database, BOX, account_id)
    assert store.load(KEY) == SESSION
    store.save(KEY, {**SESSION, "access_jwt": "acc-2-secret"})
    assert sorted(_credentials(database, account_id)) == ["app_password", f"token {KEY}"]
    assert store.load(KEY) == {**SESSION, "access_jwt": "acc-2-secret"}


def test_the_migration_gathers_flat_token_sets_under_one_key(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    config = alembic_config(db.engine)
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    account_id = _account_on(db, "bluesky", HANDLE, FLAT)
    other = _account_on(db, "x", "peintures", {"bearer_token": "b", "x:peintures.scope": "s"})
    unreadable = _account_on(db, "mastodon", "martin", {"access_token": "t"}, box=OTHER_KEY)
    db.migrate(secret_key="a-long-secret-key-for-the-tokens")
    assert _credentials(db, account_id) == {
        "app_password": PASSWORD,
        f"token {KEY}": json.dumps(SESSION, sort_keys=True),
    }
    assert _credentials(db, other) == {"bearer_token": "b", "token x:peintures": '{"scope": "s"}'}
    with db.session() as session:
        row = session.get(tables.Account, unreadable)
        assert row is not None and SecretBox(OTHER_KEY).decrypt(
            row.credentials_encrypted or ""
        ) == json.dumps({"access_token": "t"})
    db.engine.dispose()


def _account_on(
    db: Database, network: str, handle: str, credentials: dict[str, str], box: str = ""
) -> int:
    """An account row as the schema of revision 0002 holds it (written in SQL, not with
    today's model, which has later columns)."""
    sealer = SecretBox(box) if box else BOX
    with db.engine.begin() as connection:
        return int(
            connection.execute(
                text(
                    "INSERT INTO accounts (network, handle, label, kind, credentials_encrypted, "
                    "state, created_at) VALUES (:network, :handle, '', 'company', :sealed, "
                    "'pending', '2026-03-01 00:00:00') RETURNING id"
                ),
                {
                    "network": network,
                    "handle": handle,
                    "sealed": sealer.encrypt(json.dumps(credentials)),
                },
            ).scalar_one()
        )


def test_one_format_leaves_typed_fields_and_stored_sets_alone() -> None:
    typed = {"instance_url": "https://piaille.fr", "access_token": "t", f"token {KEY}": "{}"}
    assert one_format(typed) is None
