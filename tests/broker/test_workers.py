"""The distributed mode end to end: `veille ingest --broker` into a real nats-server (JetStream
on disk), `veille worker` subprocesses into a real store, and the failures it must survive.

Each post is stored exactly once: a worker killed with SIGKILL mid-stream leaves its batch to
the others, the broker restarted mid-stream loses nothing, a slow worker holds only its own
batch, and a message that is not a post is refused by name without blocking the stream. A
message carries the workspace that heard its post, and the worker stores it as heard by it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from tests.factories import post_json
from tests.helpers.environment import clean_env
from tests.helpers.nats import NatsServer
from veille.cli import app
from veille.config import Settings, get_settings
from veille.posts import parse_post
from veille.store import counts, tables
from veille.store.db import Database
from veille.watches import save_watch
from veille.workspaces import create

PG_URL = os.environ.get("VEILLE_TEST_DATABASE_URL", "")
needs_postgres = pytest.mark.skipif(
    not PG_URL.startswith("postgresql"), reason="VEILLE_TEST_DATABASE_URL names no PostgreSQL"
)
SRC = Path(__file__).resolve().parents[2] / "src"
ACK_WAIT = "3"  # seconds before a dead worker's batch goes to another


def post_lines(start: int, count: int) -> list[str]:
    """Distinct posts by 97 authors; one in seven asks for a painter (the watch matches it)."""
    lines = []
    for i in range(start, start + count):
        words = "Qui connaît un bon peintre à Angers" if i % 7 == 0 else "Belle journée au marché"
        body = f"{words}, message numéro {i} ?"
        lines.append(json.dumps(post_json(str(i), body, username=f"auteur_{i % 97}")))
    return lines


class Store:
    """The database the workers write to, seen from the test."""

    def __init__(self, db: Database, env: dict[str, str]) -> None:
        self.db, self.env = db, env
        with db.session() as session:
            save_watch(
                session,
                watch_id=None,
                name="Peintres",
                kind="leads",
                description="",
                rules=["peintre"],
                max_length=512,
            )

    def posts(self) -> int:
        with self.db.session() as session:
            return int(session.scalar(select(func.count(tables.Post.id))) or 0)

    def check_exactly_once(self, expected: int) -> None:
        """Every post once, each with one sentiment, its match and counts added once."""
        with self.db.session() as session:
            ids = session.scalars(select(tables.Post.network_post_id)).all()
            assert sorted(ids, key=int) == [str(i) for i in range(expected)]
            sentiments = session.scalar(
                select(func.count()).where(tables.Enrichment.kind == "sentiment")
            )
            assert sentiments == expected
            matched = session.scalar(select(func.count()).select_from(tables.Match))
            assert matched == len(range(0, expected, 7))
            assert counts.stored(session) == counts.from_posts(session)


@pytest.fixture
def postgres_store(tmp_path: Path) -> Iterator[Store]:
    if not PG_URL.startswith("postgresql"):
        pytest.skip("VEILLE_TEST_DATABASE_URL names no PostgreSQL database")
    db = Database(PG_URL)
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.migrate()
    env = {"VEILLE_DATABASE_URL": PG_URL, "VEILLE_DATA_DIR": str(tmp_path / "data")}
    yield Store(db, env)
    db.engine.dispose()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    db = Database.from_settings(settings)
    yield Store(db, {"VEILLE_DATA_DIR": str(tmp_path / "data")})
    db.engine.dispose()


class Workers:
    """`veille worker` subprocesses; each one's log in its own file."""

    def __init__(self, server: NatsServer, store: Store, logs: Path) -> None:
        self.server, self.store, self.logs = server, store, logs
        self.started: list[subprocess.Popen[str]] = []

    def start(self, name: str, *options: str) -> subprocess.Popen[str]:
        command = [sys.executable, "-m", "veille.cli", "worker", "--broker", self.server.address]
        env = clean_env({**self.store.env, "PYTHONPATH": str(SRC)})
        with (self.logs / f"{name}.log").open("a") as log:
            process = subprocess.Popen(
                [*command, "--ack-wait", ACK_WAIT, "--batch", "50", *options],
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                env=env,
            )
        self.started.append(process)
        return process

    def report(self, process: subprocess.Popen[str]) -> dict[str, int]:
        """Stop a worker with SIGTERM; what it did, from its last line."""
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=30)
        assert process.returncode == 0, self.log_tail()
        return dict(json.loads(out.strip().splitlines()[-1]))

    def log_tail(self) -> str:
        return "\n".join(p.read_text()[-1500:] for p in sorted(self.logs.glob("*.log")))

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
                process.wait(10)


@pytest.fixture
def workers(
    nats_server: NatsServer, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Workers]:
    store: Store = request.getfixturevalue(request.param)
    running = Workers(nats_server, store, tmp_path)
    yield running
    running.stop_all()


def publish(server: NatsServer, path: Path, lines: list[str]) -> dict[str, Any]:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(path), "--broker", server.address])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout[result.stdout.index("{") :]))


def wait_for(
    condition: Callable[[], bool], what: str, workers: Workers, timeout: float = 90
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            state = f"{workers.store.posts()} posts; {workers.server.consumer_state()}"
            pytest.fail(f"waited {timeout} s for {what}: {state}\n{workers.log_tail()}")
        time.sleep(0.2)


def drained(workers: Workers, expected: int) -> Callable[[], bool]:
    return lambda: workers.store.posts() == expected and workers.server.stream_messages() == 0


@pytest.mark.parametrize("workers", ["postgres_store"], indirect=True)
def test_a_worker_killed_mid_stream_loses_and_doubles_nothing(
    workers: Workers, tmp_path: Path
) -> None:
    total = 3000
    assert (
        publish(workers.server, tmp_path / "in.jsonl", post_lines(0, total))["published"] == total
    )
    first = workers.start("a")
    other = workers.start("b")
    wait_for(lambda: workers.store.posts() >= 400, "the first batches", workers)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert workers.store.posts() < total  # killed mid-stream, not after it
    again = workers.start("a-again")
    wait_for(drained(workers, total), "every post stored", workers)
    done = [workers.report(again), workers.report(other)]
    workers.store.check_exactly_once(total)
    assert all(report["rejected"] == 0 for report in done)


@pytest.mark.parametrize("workers", ["sqlite_store", "postgres_store"], indirect=True)
def test_the_broker_restarted_mid_stream_loses_nothing(workers: Workers, tmp_path: Path) -> None:
    from veille.broker.publisher import Publisher

    publisher = Publisher(workers.server.address)
    try:
        publisher.publish([parse_post(json.loads(line)) for line in post_lines(0, 1500)])
        worker = workers.start("a")
        wait_for(lambda: workers.store.posts() >= 200, "the first batches", workers)
        workers.server.stop(signal.SIGKILL)
        assert workers.store.posts() < 1500
        workers.server.start()  # same port, same store directory
        # The same connection publishes after the restart: it reconnected on its own.
        publisher.publish([parse_post(json.loads(line)) for line in post_lines(1500, 500)])
    finally:
        publisher.close()
    wait_for(drained(workers, 2000), "every post stored", workers)
    assert workers.report(worker)["rejected"] == 0
    workers.store.check_exactly_once(2000)


@pytest.mark.parametrize("workers", ["postgres_store"], indirect=True)
def test_a_slow_worker_does_not_hold_the_others_back(workers: Workers, tmp_path: Path) -> None:
    total = 1200
    slow = workers.start("slow", "--pause", "4", "--batch", "20")
    fast = workers.start("fast", "--batch", "20")
    time.sleep(1.5)  # both connected and fetching
    started = time.monotonic()
    publish(workers.server, tmp_path / "in.jsonl", post_lines(0, total))
    wait_for(drained(workers, total), "every post stored", workers)
    elapsed = time.monotonic() - started
    slow_report, fast_report = workers.report(slow), workers.report(fast)
    # The slow one took at most one batch of 20 per 4 s; the fast one took the rest.
    assert slow_report["messages"] <= 20 * (elapsed / 4 + 1)
    assert slow_report["messages"] + fast_report["messages"] >= total
    assert fast_report["messages"] > 3 * slow_report["messages"]
    workers.store.check_exactly_once(total)


@pytest.mark.parametrize("workers", ["sqlite_store"], indirect=True)
def test_a_bad_message_is_refused_by_name_and_the_stream_goes_on(
    workers: Workers, tmp_path: Path
) -> None:
    import asyncio

    import nats

    async def send_garbage() -> None:
        client = await nats.connect(workers.server.address)
        js = client.jetstream()
        await js.publish("veille.posts", b"pas du json")
        await js.publish("veille.posts", json.dumps({"id": "9"}).encode())
        await client.close()

    publish(workers.server, tmp_path / "a.jsonl", post_lines(0, 100))
    asyncio.run(send_garbage())
    publish(workers.server, tmp_path / "b.jsonl", post_lines(100, 100))
    worker = workers.start("a")
    wait_for(drained(workers, 200), "every post stored", workers)
    assert workers.report(worker)["rejected"] == 2
    log = (tmp_path / "a.log").read_text()
    assert "message 101 rejetée : JSON invalide" in log
    assert "message 102 rejetée : network: Field required" in log
    workers.store.check_exactly_once(200)


def test_ingest_names_a_broker_it_cannot_reach(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(post_lines(0, 1)[0] + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(path), "--broker", "nats://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "courtier injoignable : nats://127.0.0.1:9" in result.stderr
    result = CliRunner().invoke(app, ["ingest", str(path), "--broker", "http://x"])
    assert result.exit_code == 2
    assert "adresse du courtier invalide : 'http://x' (attendu nats://HÔTE:PORT)" in result.stderr


@pytest.mark.parametrize("workers", ["sqlite_store"], indirect=True)
def test_listen_publishes_what_it_hears_for_the_workers(workers: Workers, tmp_path: Path) -> None:
    saved = tmp_path / "saved.jsonl"
    saved.write_text("\n".join(post_lines(0, 300)) + "\n", encoding="utf-8")
    sources = tmp_path / "sources.toml"
    sources.write_text(f"[replay]\nfiles = [{json.dumps(str(saved))}]\n", encoding="utf-8")
    command = ["listen", "--sources", str(sources), "--cursors", str(tmp_path / "c.json")]
    result = CliRunner().invoke(
        app, [*command, "--duration", "20", "--broker", workers.server.address]
    )
    assert result.exit_code == 0, result.output
    assert "arrêt : 300 posts" in result.stderr
    assert workers.store.posts() == 0  # in the stream, not stored by the listener
    worker = workers.start("a")
    wait_for(drained(workers, 300), "every post stored", workers)
    assert workers.report(worker)["new"] == 300
    workers.store.check_exactly_once(300)


@pytest.mark.parametrize("workers", ["postgres_store"], indirect=True)
def test_a_store_connection_lost_mid_batch_gives_the_batch_back(
    workers: Workers, tmp_path: Path
) -> None:
    publish(workers.server, tmp_path / "in.jsonl", post_lines(0, 2000))
    worker = workers.start("a")
    wait_for(lambda: workers.store.posts() >= 200, "the first batches", workers)
    cut = text(
        "select pg_terminate_backend(pid) from pg_stat_activity "
        "where datname = current_database() and pid <> pg_backend_pid()"
    )
    until = time.monotonic() + 3
    while time.monotonic() < until:  # the worker's connections, cut again and again
        with workers.store.db.engine.begin() as conn:
            conn.execute(cut)
        time.sleep(0.05)
    wait_for(drained(workers, 2000), "every post stored", workers)
    report = workers.report(worker)
    assert report["rejected"] == 0
    assert report["given_back"] > 0
    workers.store.check_exactly_once(2000)


# ---------------------------------------------------------------- workspaces


@pytest.mark.parametrize("workers", ["sqlite_store", "postgres_store"], indirect=True)
def test_each_message_is_heard_by_the_workspace_that_sent_it(
    workers: Workers, tmp_path: Path
) -> None:
    from veille.broker.publisher import Publisher

    db = workers.store.db
    with db.session(workspace_id=None) as session:
        other = create(session, slug="fleurs").id
    publisher = Publisher(workers.server.address)  # the first workspace's, as by default
    try:
        publisher.publish([parse_post(json.loads(line)) for line in post_lines(0, 10)])
    finally:
        publisher.close()
    path = tmp_path / "fleurs.jsonl"
    path.write_text("\n".join(post_lines(5, 10)) + "\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:  # the command line of the "fleurs" workspace
        for name, value in {**workers.store.env, "VEILLE_WORKSPACE": "fleurs"}.items():
            env.setenv(name, value)
        get_settings.cache_clear()
        result = CliRunner().invoke(app, ["ingest", str(path), "--broker", workers.server.address])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert workers.server.stream_messages() == 20  # the five shared posts: once per workspace

    worker = workers.start("a")
    wait_for(drained(workers, 15), "every post stored", workers)
    report = workers.report(worker)
    assert report["new"] == 15 and report["duplicate"] == 5 and report["rejected"] == 0
    with db.session(workspace_id=None) as session:
        heard: dict[int, set[int]] = {}
        for workspace, post_id in session.execute(
            select(tables.Heard.workspace_id, tables.Post.network_post_id).join(
                tables.Post, tables.Post.id == tables.Heard.post_id
            )
        ):
            heard.setdefault(workspace, set()).add(int(post_id))
    assert heard == {1: set(range(10)), other: set(range(5, 15))}


def test_a_message_without_workspace_is_the_first_workspaces() -> None:
    from nats.aio.msg import Msg

    from veille.broker.publisher import WORKSPACE
    from veille.broker.worker import heard_by

    assert heard_by(Msg(None, headers=None)) == 1  # type: ignore[arg-type]
    assert heard_by(Msg(None, headers={WORKSPACE: "7"})) == 7  # type: ignore[arg-type]
    assert heard_by(Msg(None, headers={WORKSPACE: "sept"})) is None  # type: ignore[arg-type]
