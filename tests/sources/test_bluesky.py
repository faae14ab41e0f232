"""Bluesky: Jetstream over a real websocket server, XRPC over a real HTTP server."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from websockets.sync.server import ServerConnection

from tests.helpers.bluesky import Pds, post_event
from veille.posts import Post
from veille.sources.base import Backoff, JsonFileCursorStore, MemoryTokenStore, ParseProblem
from veille.sources.bluesky.client import BlueskyClient, JetstreamListener, build_facets, make_tid

from .servers import http_server, wait_until, ws_server

FIXTURES = Path(__file__).parent / "fixtures"


class Jetstream:
    """Replays its events from the client's cursor; can cut the first connection short."""

    def __init__(self, events: list[dict[str, Any]], cut_after: int | None = None) -> None:
        self.events = events
        self.cut_after = cut_after
        self.paths: list[str] = []
        self.release = threading.Event()
        self.extra: list[str] = []

    def __call__(self, connection: ServerConnection) -> None:
        path = connection.request.path if connection.request else ""
        self.paths.append(path)
        query = parse_qs(urlsplit(path).query)
        cursor = int(query.get("cursor", ["0"])[0])
        sent = 0
        for event in self.events:
            if event["time_us"] < cursor:
                continue
            if len(self.paths) == 1 and self.cut_after is not None and sent == self.cut_after:
                connection.close()  # the server goes away mid-stream
                return
            connection.send(json.dumps(event))
            sent += 1
            if len(self.paths) > 1 and sent == 1:
                for message in self.extra:
                    connection.send(message)
        self.release.wait(5)


def run(listener: JetstreamListener, on_post: Any) -> tuple[threading.Event, threading.Thread]:
    stop = threading.Event()
    thread = threading.Thread(target=listener.listen, args=(on_post, stop))
    thread.start()
    return stop, thread


def test_jetstream_cut_then_resume_loses_nothing_and_stores_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    events = [post_event(n) for n in range(1, 7)]
    server = Jetstream(events, cut_after=3)
    server.extra = [
        "{not json",
        json.dumps({"did": "did:plc:x", "kind": "commit", "time_us": 1, "commit": "oops"}),
    ]
    store: set[tuple[str, str]] = set()
    deliveries: list[Post] = []
    problems: list[ParseProblem] = []

    def on_post(post: Post) -> None:
        deliveries.append(post)
        store.add(post.key)

    with ws_server(server) as url:
        cursors = JsonFileCursorStore(tmp_path / "cursors.json")
        listener = JetstreamListener(
            cursors=cursors,
            url=f"{url}/subscribe",
            rewind_seconds=2.0,
            backoff=Backoff(0.01, 0.05),
            on_problem=problems.append,
            wanted_dids=("did:plc:claireangers4k2x",),
        )
        stop, thread = run(listener, on_post)
        wait_until(lambda: len(store) == 6)
        stop.set()
        server.release.set()
        thread.join(5)
    assert len(store) == 6 and len(deliveries) > 6  # the rewind replayed a few, stored once
    second = parse_qs(urlsplit(server.paths[1]).query)
    assert second["wantedCollections"] == ["app.bsky.feed.post"]
    assert second["wantedDids"] == ["did:plc:claireangers4k2x"]
    assert int(second["cursor"][0]) == events[2]["time_us"] - 2_000_000
    assert problems[0].reason.startswith("not JSON")
    assert len(problems) == 2 and "skipped a malformed message" in caplog.text
    saved = json.loads((tmp_path / "cursors.json").read_text())
    assert saved == {"bluesky:jetstream": str(events[-1]["time_us"])}


def test_jetstream_restart_resumes_from_the_saved_cursor(tmp_path: Path) -> None:
    events = [post_event(n) for n in range(1, 5)]
    server = Jetstream(events)
    seen: list[str] = []
    with ws_server(server) as url:
        first = JetstreamListener(
            cursors=JsonFileCursorStore(tmp_path / "c.json"), url=url, rewind_seconds=1.0
        )
        stop, thread = run(first, lambda p: seen.append(p.id))
        wait_until(lambda: len(seen) == 4)
        stop.set()
        thread.join(5)
        # a new process: new store object, same file
        events.append(post_event(5))
        again = JetstreamListener(
            cursors=JsonFileCursorStore(tmp_path / "c.json"), url=url, rewind_seconds=1.0
        )
        stop, thread = run(again, lambda p: seen.append(p.id))
        wait_until(lambda: any(i.endswith("3lhx000000005") for i in seen))
        stop.set()
        server.release.set()
        thread.join(5)
    assert "cursor" not in parse_qs(urlsplit(server.paths[0]).query)
    assert parse_qs(urlsplit(server.paths[1]).query)["cursor"] == [
        str(events[3]["time_us"] - 1_000_000)
    ]
    assert len(set(seen)) == 5


def test_search_with_an_expired_session_refreshes_it(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    tokens = MemoryTokenStore()
    with http_server(Pds()) as server:
        client = BlueskyClient(
            identifier="martin.bsky.social",
            app_password="abcd-efgh-ijkl-mnop",
            tokens=tokens,
            pds_url=server.url,
        )
        client.login()
        posts, cursor = client.search_posts("peintre Angers", lang="fr")
    assert [p.author.username for p in posts] == ["claire.bsky.social"] and cursor == "25"
    assert posts[0].metrics.likes == 7
    assert tokens.load("bluesky:martin.bsky.social") == {
        "access_jwt": "acc-2-secret",
        "refresh_jwt": "ref-2-secret",
        "did": "did:plc:martin",
        "handle": "martin.bsky.social",
    }
    for secret in (
        "abcd-efgh-ijkl-mnop",
        "acc-1-secret",
        "acc-2-secret",
        "ref-1-secret",
        "ref-2-secret",
    ):
        assert secret not in caplog.text


def test_facets_use_utf8_byte_offsets() -> None:
    text = "Façade pour @martinpeinture.fr à Angers #rénovation https://martin-peinture-angers.fr/é"
    facets = build_facets(text, {"martinpeinture.fr": "did:plc:m"}.get)
    raw = text.encode()
    spans = {
        f["features"][0]["$type"].split("#")[1]: raw[
            f["index"]["byteStart"] : f["index"]["byteEnd"]
        ].decode()
        for f in facets
    }
    assert spans == {
        "mention": "@martinpeinture.fr",
        "tag": "#rénovation",
        "link": "https://martin-peinture-angers.fr/é",
    }
    assert [f["features"][0].get("tag") for f in facets if "tag" in f["features"][0]] == [
        "rénovation"
    ]


def test_publish_reply_retried_after_timeout_writes_one_record() -> None:
    pds = Pds()
    pds.slow_first_create = True
    parent_uri = "at://did:plc:claire/app.bsky.feed.post/3lhxparent001"
    pds.records["3lhxparent001"] = {
        "uri": parent_uri,
        "cid": "bafyparent",
        "value": {"text": "Qui connaît un peintre ?"},
    }
    with http_server(pds) as server:
        client = BlueskyClient(
            identifier="martin.bsky.social",
            app_password="abcd-efgh-ijkl-mnop",
            tokens=MemoryTokenStore(),
            pds_url=server.url,
        )
        client.refresh()  # start from a live session
        published = client.publish(
            "Bonjour, @martinpeinture.fr peut vous aider ! #Angers",
            reply_to_uri=parent_uri,
            rkey=make_tid(1772442000000000, 7),
            timeout=0.2,
        )
    assert published.already_existed and published.id.endswith("/" + make_tid(1772442000000000, 7))
    assert pds.create_calls == 1 and len(pds.records) == 2
    record = pds.records[make_tid(1772442000000000, 7)]["value"]
    assert record["reply"] == {
        "root": {"uri": parent_uri, "cid": "bafyparent"},
        "parent": {"uri": parent_uri, "cid": "bafyparent"},
    }
    assert record["langs"] == ["fr"] and {f["features"][0]["$type"] for f in record["facets"]} == {
        "app.bsky.richtext.facet#mention",
        "app.bsky.richtext.facet#tag",
    }


def test_make_tid_is_sortable_and_stable() -> None:
    assert make_tid(1772442000000000, 7) == make_tid(1772442000000000, 7)
    assert len(make_tid(1)) == 13 and make_tid(1) < make_tid(2) < make_tid(1772442000000000)
