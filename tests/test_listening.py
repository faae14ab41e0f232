"""`veille listen` from the database: encrypted accounts, cursors in the database, states."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from websockets.sync.server import ServerConnection

from veille.accounts import connect_account
from veille.config import Settings
from veille.crypto import SecretBox
from veille.listening import ListenOptions, build_account_listeners, deduplicate
from veille.posts import Post
from veille.sources.commands import run_listeners
from veille.sources.db_stores import DatabaseCursorStore
from veille.store import tables
from veille.store.db import Database

from .sources.servers import Request, Response, http_server, wait_until, ws_server

FIXTURES = Path(__file__).parent / "sources" / "fixtures"
RSS = (FIXTURES / "rss/feed_rss.xml").read_bytes()
STATUS = json.loads((FIXTURES / "mastodon/statuses.json").read_text())[0]
TOKEN = "mastodon-secret-token-0123456789"


def notification(n: int) -> dict[str, Any]:
    status = {**STATUS, "id": str(100 + n), "in_reply_to_id": None}
    return {"id": str(n), "type": "mention", "created_at": STATUS["created_at"], "status": status}


class Instance:
    """A Mastodon instance (REST + streaming) and a press feed, on 127.0.0.1."""

    def __init__(self) -> None:
        self.notifications = [notification(10), notification(11)]
        self.mode = "ok"  # ok, rate_limited, unauthorized
        self.reset = datetime.now(UTC) + timedelta(hours=2)
        self.streamed = threading.Event()
        self.stream_url = ""

    def rest(self, req: Request) -> Response:
        if req.path == "/rss":
            if req.headers.get("if-none-match") == '"v1"':
                return Response(304, b"")
            return Response(body=RSS, headers={"ETag": '"v1"'})
        if self.mode == "unauthorized" or req.headers.get("authorization") != f"Bearer {TOKEN}":
            return Response(401, {"error": "The access token is invalid"})
        if req.path == "/api/v1/instance":
            return Response(body={"uri": "127.0.0.1", "urls": {"streaming_api": self.stream_url}})
        if req.path == "/api/v1/notifications":
            if self.mode == "rate_limited":
                stamp = self.reset.isoformat(timespec="milliseconds").replace("+00:00", "Z")
                return Response(
                    429,
                    {"error": "Too many requests"},
                    headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": stamp},
                )
            min_id = int(req.arg("min_id") or 0)
            newer = [n for n in self.notifications if int(n["id"]) > min_id]
            return Response(body=list(reversed(newer))[: int(req.arg("limit") or 40)])
        return Response(404, {"error": "Record not found"})

    def streaming(self, connection: ServerConnection) -> None:
        if not self.streamed.is_set():  # one live mention, on the first connection only
            self.streamed.set()
            self.notifications.append(notification(12))
            event = {"stream": ["user"], "event": "notification"}
            connection.send(json.dumps({**event, "payload": json.dumps(notification(12))}))
        try:
            for _ in connection:
                pass
        except Exception:
            pass


@contextmanager
def instance() -> Iterator[tuple[Instance, str]]:
    world = Instance()
    with ws_server(world.streaming) as ws_url, http_server(world.rest) as server:
        world.stream_url = ws_url
        yield world, server.url


def connect(db: Database, box: SecretBox, url: str) -> None:
    with db.session() as session:
        connect_account(
            session,
            box,
            network="mastodon",
            handle="martinpeinture",
            label="",
            kind="company",
            credentials={"instance_url": url, "access_token": TOKEN},
        )
        connect_account(
            session,
            box,
            network="news",
            handle="actu-anjou",
            label="",
            kind="company",
            credentials={"feed_url": f"{url}/rss"},
        )


@contextmanager
def listening(
    db: Database, box: SecretBox, received: list[Post]
) -> Iterator[Callable[[], dict[str, tables.Account]]]:
    """Run `veille listen`'s listeners from the database until the block ends."""
    options = ListenOptions(mentions_interval=0.2, search_interval=0.2, feed_interval=60)
    listeners = build_account_listeners(db, box, cursors=DatabaseCursorStore(db), options=options)
    stop = threading.Event()
    runner = threading.Thread(
        target=run_listeners, args=(listeners, deduplicate(received.append)), kwargs={"stop": stop}
    )
    runner.start()

    def accounts() -> dict[str, tables.Account]:
        with db.session() as session:
            return {a.network: a for a in session.scalars(select(tables.Account))}

    try:
        yield accounts
    finally:
        stop.set()
        runner.join(10)


def client_logs(caplog: pytest.LogCaptureFixture) -> str:
    """Everything logged on Veille's side (the test server logs the headers it receives)."""
    return "\n".join(
        r.getMessage() for r in caplog.records if not r.name.startswith("websockets.server")
    )


def cursors(db: Database) -> dict[str, str]:
    with db.session() as session:
        return {c.source: c.value for c in session.scalars(select(tables.Cursor))}


def test_listen_from_the_database_stores_resumes_and_reports_connected(
    db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    box = SecretBox(settings.resolved_secret_key())
    with instance() as (world, url):
        connect(db, box, url)
        first: list[Post] = []
        with listening(db, box, first) as accounts:
            key = "mastodon:martinpeinture@" + url.removeprefix("http://") + ":notifications"
            wait_until(lambda: cursors(db).get(key) == "12", timeout=10)
            wait_until(lambda: {a.state for a in accounts().values()} == {"connected"})
        ids = [p.id for p in first]
        salon = "https://actu-anjou.example.fr/agenda/salon-habitat"
        undated = "https://actu-anjou.example.fr/sans-date"  # dated when first read
        expected = ["110", "111", "112", "actu-anjou-2026-0301-17", salon, undated]
        assert sorted(ids) == sorted(expected)
        assert len(ids) == len(set(ids))  # the streamed mention came once, not twice
        assert any(k.startswith("news:") for k in cursors(db))

        world.notifications.append(notification(13))  # posted while Veille was stopped
        second: list[Post] = []
        with listening(db, box, second):
            wait_until(lambda: any(p.id == "113" for p in second), timeout=10)
        assert [p.id for p in second] == ["113"]  # nothing heard before the restart again
        assert cursors(db)[key] == "13"
    assert TOKEN not in client_logs(caplog)


def test_a_429_marks_the_account_rate_limited_until_the_reset(
    db: Database, settings: Settings
) -> None:
    box = SecretBox(settings.resolved_secret_key())
    with instance() as (world, url):
        world.mode = "rate_limited"
        connect(db, box, url)
        with listening(db, box, []) as accounts:
            wait_until(lambda: accounts()["mastodon"].state == "rate_limited", timeout=10)
            until = accounts()["mastodon"].rate_limited_until
            wait_until(lambda: accounts()["news"].state == "connected")
    assert until is not None and abs((until - world.reset).total_seconds()) < 1


def test_a_refused_token_is_an_error_without_the_secret(
    db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    box = SecretBox(settings.resolved_secret_key())
    with instance() as (world, url):
        world.mode = "unauthorized"
        connect(db, box, url)
        with listening(db, box, []) as accounts:
            wait_until(lambda: accounts()["mastodon"].state == "error", timeout=10)
            account = accounts()["mastodon"]
    # The stream's handshake or the notifications poll, whichever told first.
    assert account.last_error is not None and "answered 401" in account.last_error
    assert TOKEN not in account.last_error and TOKEN not in client_logs(caplog)
    with db.session() as session:
        stored = session.scalars(select(tables.Account.credentials_encrypted)).all()
    assert all(TOKEN not in (value or "") for value in stored)


def test_cursor_upsert_is_idempotent_and_survives_a_new_store(db: Database) -> None:
    store = DatabaseCursorStore(db)
    assert store.get("bluesky:jetstream") is None
    store.set("bluesky:jetstream", "1")
    store.set("bluesky:jetstream", "2")
    store.set("bluesky:jetstream", "2")
    long_key = "news:https://example.org/" + "a" * 400
    store.set(long_key, "{}")
    again = DatabaseCursorStore(db)
    assert again.get("bluesky:jetstream") == "2" and again.get(long_key) == "{}"
    assert len(cursors(db)) == 2 and all(len(k) <= 255 for k in cursors(db))


def test_cursor_upsert_compiles_for_postgresql() -> None:
    from sqlalchemy.dialects import postgresql

    from veille.sources.db_stores import _upsert

    statement = _upsert("postgresql", "k", "v", datetime.now(UTC))
    assert statement is not None
    sql = str(statement.compile(dialect=postgresql.dialect()))  # type: ignore[attr-defined]
    assert "ON CONFLICT (source) DO UPDATE" in sql


def test_listen_command_reads_the_accounts_and_keeps_cursors_in_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import typer
    from typer.testing import CliRunner

    from veille.sources.commands import register

    monkeypatch.setenv("VEILLE_DATA_DIR", str(tmp_path / "data"))
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    db = Database.from_settings(settings)
    app = typer.Typer()
    received: list[Post] = []
    register(app, on_post_factory=lambda: lambda post, _heard_by: received.append(post))
    app.command("noop")(lambda: None)
    try:
        assert CliRunner().invoke(app, ["listen", "--duration", "0.3"]).exit_code == 2  # none yet
        with instance() as (_world, url):
            with db.session() as session:
                connect_account(
                    session,
                    SecretBox(settings.resolved_secret_key()),
                    network="news",
                    handle="actu-anjou",
                    label="",
                    kind="company",
                    credentials={"feed_url": f"{url}/rss"},
                )
            result = CliRunner().invoke(app, ["listen", "--duration", "1"])
        assert result.exit_code == 0, result.output
        assert len(received) == 3 and list(cursors(db)) == [f"news:{url}/rss"]
    finally:
        db.engine.dispose()
