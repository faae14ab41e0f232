"""News polling, the listening runner, `veille listen`, and credentials at rest."""

from __future__ import annotations

import _thread
import json
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner
from websockets.sync.server import ServerConnection

from tests.helpers.replay import write_post_lines
from veille.crypto import SecretBox
from veille.posts import Post
from veille.sources.base import JsonFileCursorStore, MemoryCursorStore
from veille.sources.bluesky.client import JetstreamListener
from veille.sources.commands import build_listeners, register, run_listeners
from veille.sources.replay.client import ReplayListener, read_post_lines
from veille.sources.rss.client import Feed, FeedPoller

from .servers import FakeClock, Request, Response, http_server, ws_server

FIXTURES = Path(__file__).parent / "fixtures"
RSS = (FIXTURES / "rss/feed_rss.xml").read_bytes()


def feed_server(requests: list[Request]) -> object:
    def app(req: Request) -> Response:
        requests.append(req)
        if req.headers.get("if-none-match") == '"v1"':
            return Response(304, b"")
        return Response(
            body=RSS,
            headers={
                "ETag": '"v1"',
                "Last-Modified": "Mon, 02 Mar 2026 07:00:00 GMT",
                "Content-Type": "application/rss+xml",
            },
        )

    return app


def test_feed_poll_is_conditional_and_respects_the_interval() -> None:
    seen: list[Request] = []
    clock = FakeClock()
    cursors = MemoryCursorStore()
    posts: list[Post] = []
    with http_server(feed_server(seen)) as server:  # type: ignore[arg-type]
        feed = Feed(url=f"{server.url}/rss", interval=600)
        poller = FeedPoller([feed], cursors=cursors, clock=clock)
        assert poller.poll(feed, posts.append) == 3  # the undated item too, dated when first seen
        assert poller.poll(feed, posts.append) == 0  # 304: nothing downloaded again
        # a restarted poller remembers the validators and the next poll time
        again = FeedPoller([feed], cursors=cursors, clock=clock, tick=0.01)
        stop = threading.Event()
        threading.Timer(0.2, stop.set).start()
        again.listen(posts.append, stop)
    assert len(posts) == 3 and poller.not_modified == 1
    assert len(seen) == 2  # the interval had not elapsed for the restarted poller
    assert seen[1].headers["if-none-match"] == '"v1"'
    assert seen[1].headers["if-modified-since"] == "Mon, 02 Mar 2026 07:00:00 GMT"


@pytest.fixture
def ctrl_c_handled() -> Iterator[None]:
    """Python's own Ctrl-C handler, whatever the suite was started from: a shell's background
    job starts with SIGINT ignored, and interrupt_main() then does nothing."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("ctrl_c_handled")
def test_ctrl_c_stops_every_listener_and_saves_the_cursor(tmp_path: Path) -> None:
    events = [
        {
            "did": "did:plc:a",
            "time_us": 1772442000000000 + n,
            "kind": "commit",
            "commit": {
                "rev": "r",
                "operation": "create",
                "collection": "app.bsky.feed.post",
                "rkey": f"3lhx00000000{n}",
                "record": {"text": f"peintre {n}", "createdAt": "2026-03-02T09:00:00Z"},
            },
        }
        for n in range(3)
    ]
    release = threading.Event()

    def jetstream(connection: ServerConnection) -> None:
        for event in events:
            connection.send(json.dumps(event))
        release.wait(5)

    replay = tmp_path / "posts.jsonl"
    write_post_lines(
        replay,
        [
            Post.model_validate(
                {
                    "id": "r1",
                    "network": "news",
                    "created_at": "2026-03-01T00:00:00Z",
                    "text": "t",
                    "author": {"id": "a", "username": "a"},
                }
            )
        ],
    )
    got: list[Post] = []
    cursors = JsonFileCursorStore(tmp_path / "cursors.json")

    def on_post(post: Post) -> None:
        got.append(post)
        if len(got) == 4:
            _thread.interrupt_main()  # what Ctrl-C does

    with ws_server(jetstream) as url:
        listeners = [JetstreamListener(cursors=cursors, url=url), ReplayListener(replay)]
        # duration: a lost Ctrl-C fails the test instead of hanging the suite.
        report = run_listeners(listeners, on_post, join_timeout=5, duration=60)
        release.set()
    assert report.interrupted and report.posts == 4 and not report.failed
    assert json.loads((tmp_path / "cursors.json").read_text()) == {
        "bluesky:jetstream": str(events[-1]["time_us"])
    }


def test_listen_command_runs_the_sources_file(tmp_path: Path) -> None:
    requests: list[Request] = []
    replay = tmp_path / "saved.jsonl"
    write_post_lines(
        replay,
        [
            Post.model_validate(
                {
                    "id": "r1",
                    "network": "news",
                    "created_at": "2026-03-01T00:00:00Z",
                    "text": "t",
                    "author": {"id": "a", "username": "a"},
                }
            )
        ],
    )
    app = typer.Typer()
    received: list[Post] = []
    register(app, on_post_factory=lambda: lambda post, _heard_by: received.append(post))
    app.command("noop")(lambda: None)  # a second command keeps `listen` a subcommand
    with http_server(feed_server(requests)) as server:  # type: ignore[arg-type]
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[news]\nfeeds = [{{ url = "{server.url}/rss", interval = 600 }}]\n'
            '[replay]\nfiles = ["saved.jsonl"]\n'
        )
        result = CliRunner().invoke(
            app,
            [
                "listen",
                "--sources",
                str(sources),
                "--cursors",
                str(tmp_path / "c.json"),
                "--duration",
                "0.5",
            ],
        )
    assert result.exit_code == 0, result.output
    assert sorted(p.id for p in received) == [
        "actu-anjou-2026-0301-17",
        "https://actu-anjou.example.fr/agenda/salon-habitat",
        "https://actu-anjou.example.fr/sans-date",
        "r1",
    ]
    assert "news:" in (tmp_path / "c.json").read_text()


def test_bad_sources_file_names_the_problem(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[mastodon]]\nstream = "hashtag"\n')
    with pytest.raises(ValueError, match=r"\[\[mastodon\]\] #1: 'instance' is required"):
        build_listeners(sources, cursors=MemoryCursorStore())
    sources.write_text('[x]\nbearer_token_env = "VEILLE_TEST_UNSET_TOKEN"\n')
    with pytest.raises(ValueError, match="VEILLE_TEST_UNSET_TOKEN is not set"):
        build_listeners(sources, cursors=MemoryCursorStore())


def test_replay_names_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"id": "1", "network": "x", "created_at": "2026-03-01T00:00:00Z", "text": "a", '
        '"author": {"id": "1", "username": "u"}}\n\n{"id": "2"}\nnope\n'
    )
    items = [str(i) for i in read_post_lines(path)]
    assert items[1].startswith("line 3: network: Field required") and items[2].startswith(
        "line 4: not JSON"
    )


def test_secrets_are_encrypted_and_need_the_same_key() -> None:
    box = SecretBox("a-long-secret-key-from-settings")
    sealed = box.encrypt("abcd-efgh-ijkl-mnop")
    assert "abcd-efgh" not in sealed and box.decrypt(sealed) == "abcd-efgh-ijkl-mnop"
    other = SecretBox("another-secret-key-entirely")
    with pytest.raises(ValueError, match="secret key changed") as caught:
        other.decrypt(sealed)
    assert "abcd" not in str(caught.value) and repr(box) == "SecretBox(***)"
