"""Mastodon: REST on a real HTTP server, the streaming API on a real websocket server."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from websockets.sync.server import ServerConnection

from veille.posts import Post
from veille.sources.base import Backoff, HttpGateway, MemoryCursorStore, ParseProblem
from veille.sources.mastodon.client import MastodonClient, MastodonStream

from .servers import FakeClock, Request, Response, http_server, wait_until, ws_server

TEMPLATE = json.loads((Path(__file__).parent / "fixtures" / "mastodon/statuses.json").read_text())[
    0
]
TOKEN = "mastodon-user-token-secret"


def status(n: int) -> dict[str, Any]:
    return {
        **TEMPLATE,
        "id": str(n),
        "in_reply_to_id": None,
        "content": f"<p>Peintre à Angers, avis n°{n} "
        '<a href="https://piaille.fr/tags/angers" class="mention hashtag">#angers</a></p>',
    }


def test_stream_parses_string_payloads_and_fills_the_gap_after_a_cut() -> None:
    published: list[dict[str, Any]] = [status(101)]
    handshakes: list[tuple[str, str]] = []
    release = threading.Event()

    def rest(req: Request) -> Response:
        assert req.path == "/api/v1/timelines/tag/angers"
        min_id = int(req.arg("min_id") or 0)
        newer = [s for s in published if int(s["id"]) > min_id]
        return Response(body=list(reversed(newer))[:40])  # newest first, as Mastodon answers

    def streaming(connection: ServerConnection) -> None:
        assert connection.request is not None
        handshakes.append(
            (connection.request.path, connection.request.headers.get("Authorization", ""))
        )
        if len(handshakes) == 1:
            published.append(status(102))
            connection.send(
                json.dumps(
                    {
                        "stream": ["hashtag", "angers"],
                        "event": "update",
                        "payload": json.dumps(status(102)),
                    }
                )
            )
            connection.send(
                json.dumps({"stream": ["hashtag", "angers"], "event": "update", "payload": "{oops"})
            )
            connection.send(
                json.dumps({"stream": ["hashtag", "angers"], "event": "delete", "payload": "99"})
            )
            published.append(status(103))  # posted while we are disconnected
            connection.close()
            return
        published.append(status(104))
        connection.send(
            json.dumps(
                {
                    "stream": ["hashtag", "angers"],
                    "event": "update",
                    "payload": json.dumps(status(104)),
                }
            )
        )
        release.wait(5)

    cursors = MemoryCursorStore()
    store: set[tuple[str, str]] = set()
    problems: list[ParseProblem] = []
    with http_server(rest) as server, ws_server(streaming) as ws_url:
        client = MastodonClient(instance_url=server.url, access_token=TOKEN, streaming_url=ws_url)
        stream = MastodonStream(
            client,
            cursors=cursors,
            stream="hashtag",
            tag="#angers",
            backoff=Backoff(0.01, 0.05),
            on_problem=problems.append,
        )
        cursors.set(stream.cursor_key, "100")  # where the previous run stopped
        stream.last_id = "100"
        stop = threading.Event()
        thread = threading.Thread(target=stream.listen, args=(lambda p: store.add(p.key), stop))
        thread.start()
        wait_until(lambda: len(store) == 4)
        stop.set()
        release.set()
        thread.join(5)
    assert store == {("mastodon", str(n)) for n in (101, 102, 103, 104)}
    assert cursors.get(stream.cursor_key) == "104"
    assert all(path == "/api/v1/streaming?stream=hashtag&tag=angers" for path, _ in handshakes)
    assert all(auth == f"Bearer {TOKEN}" for _, auth in handshakes)  # header, never the URL
    assert [p.where for p in problems] == ["stream event"] and problems[0].reason.startswith(
        "not JSON"
    )


def test_publish_retry_after_timeout_uses_the_same_idempotency_key() -> None:
    created: dict[str, dict[str, Any]] = {}
    keys: list[str] = []

    def app(req: Request) -> Response:
        key = req.headers["idempotency-key"]
        keys.append(key)
        if key in created:
            return Response(body=created[key])
        body = req.json()
        created[key] = {
            **status(200 + len(created)),
            "content": f"<p>{body['status']}</p>",
            "language": body["language"],
            "in_reply_to_id": body.get("in_reply_to_id"),
        }
        return Response(body=created[key], delay=0.6)  # created, answered too late

    with http_server(app) as server:
        client = MastodonClient(instance_url=server.url, access_token=TOKEN)
        published = client.publish(
            "Merci Claire ! À bientôt sur un prochain chantier.",
            idempotency_key="draft-42",
            in_reply_to_id="113900000000000003",
            timeout=0.2,
        )
    assert len(created) == 1 and keys[0] == keys[-1] == "draft-42" and len(keys) >= 2
    assert published.id == created["draft-42"]["id"]
    assert (
        created["draft-42"]["in_reply_to_id"] == "113900000000000003"
        and created["draft-42"]["language"] == "fr"
    )


def test_mentions_come_from_notifications_and_resume_by_id() -> None:
    def app(req: Request) -> Response:
        assert req.query["types[]"] == ["mention"] and req.arg("min_id") == "500"
        return Response(
            body=[
                {
                    "id": "502",
                    "type": "mention",
                    "created_at": "2026-03-02T10:00:00Z",
                    "account": TEMPLATE["account"],
                    "status": status(302),
                },
                {
                    "id": "501",
                    "type": "mention",
                    "created_at": "2026-03-02T09:00:00Z",
                    "account": TEMPLATE["account"],
                    "status": status(301),
                },
            ]
        )

    with http_server(app) as server:
        posts, newest = MastodonClient(instance_url=server.url, access_token=TOKEN).mentions(
            min_id="500"
        )
    assert sorted(p.id for p in posts) == ["301", "302"] and newest == "502"


def test_rate_limit_reset_in_iso_format_is_waited_out() -> None:
    clock = FakeClock()
    calls = 0

    def app(req: Request) -> Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            reset = datetime.fromtimestamp(clock.now() + 12, UTC).isoformat().replace("+00:00", "Z")
            return Response(
                429,
                {"error": "Too many requests"},
                {
                    "X-RateLimit-Limit": "300",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": reset,
                },
            )
        return Response(body={"accounts": [], "statuses": [status(7)], "hashtags": []})

    with http_server(app) as server:
        client = MastodonClient(
            instance_url=server.url,
            access_token=TOKEN,
            gateway=HttpGateway("mastodon", clock=clock),
        )
        posts = client.search("peintre angers")
    assert [p.id for p in posts] == ["7"] and clock.sleeps == [13.0]


def test_user_stream_reads_mentions_only() -> None:
    # the user stream is read for mentions: notifications whose payload is a JSON string
    cursors = MemoryCursorStore()
    client = MastodonClient(instance_url="https://piaille.fr", access_token=None)
    stream = MastodonStream(client, cursors=cursors, stream="user")
    got: list[Post] = []
    note = {"id": "900", "type": "mention", "status": status(77)}
    stream._handle(json.dumps({"event": "notification", "payload": json.dumps(note)}), got.append)
    stream._handle(
        json.dumps(
            {"event": "notification", "payload": json.dumps({"id": "901", "type": "favourite"})}
        ),
        got.append,
    )
    stream._handle(json.dumps({"event": "update", "payload": json.dumps(status(78))}), got.append)
    assert [p.id for p in got] == ["77"] and cursors.get(stream.cursor_key) == "900"
