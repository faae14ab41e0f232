"""Bluesky as Jetstream and the lexicons carry it: handles named from DIDs (identity events,
a cached profile look-up when listening), every embed, deletes and edits applied."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from websockets.sync.server import ServerConnection

from tests.helpers.bluesky import post_event
from tests.helpers.real_payloads import real_payloads
from veille.cli import app
from veille.config import get_settings
from veille.posts import Post
from veille.sources import ParseProblem, load_payload_file
from veille.sources.base import MemoryCursorStore, PostDeleted
from veille.sources.bluesky.client import JetstreamListener, parse_jetstream_event
from veille.sources.bluesky.handles import HandleCache, appview_lookup
from veille.store import queries
from veille.store.db import Database

from .servers import Request, Response, http_server, wait_until, ws_server

DID = "did:plc:claireangers4k2x"
BLOB = {"$type": "blob", "ref": {"$link": "bafkrei"}, "mimeType": "image/jpeg", "size": 9}


def _with_embed(embed: dict[str, Any]) -> Post:
    event = post_event(1)
    event["commit"]["record"]["embed"] = embed
    post = parse_jetstream_event(event)
    assert isinstance(post, Post)
    return post


def test_every_embed_of_the_post_lexicon() -> None:
    ratio = {"width": 4, "height": 3}
    gallery = _with_embed(
        {
            "$type": "app.bsky.embed.gallery",
            "media": [
                {
                    "$type": "app.bsky.embed.gallery#image",
                    "image": BLOB,
                    "alt": "avant",
                    "aspectRatio": ratio,
                },
                {
                    "$type": "app.bsky.embed.gallery#image",
                    "image": BLOB,
                    "alt": "après",
                    "aspectRatio": ratio,
                },
            ],
        }
    )
    assert [(m.type, (m.model_extra or {}).get("alt")) for m in gallery.media] == [
        ("photo", "avant"),
        ("photo", "après"),
    ]
    video = _with_embed({"$type": "app.bsky.embed.video", "video": BLOB, "alt": "chantier"})
    assert [m.type for m in video.media] == ["video"]
    external = _with_embed(
        {
            "$type": "app.bsky.embed.external",
            "external": {"uri": "https://ouest-france.fr/a", "title": "Article", "description": ""},
        }
    )
    assert external.urls == ["https://ouest-france.fr/a"]
    assert [m.type for m in external.media] == ["link_card"]
    quoted = "at://did:plc:other/app.bsky.feed.post/3abc"
    with_media = _with_embed(
        {
            "$type": "app.bsky.embed.recordWithMedia",
            "record": {"$type": "app.bsky.embed.record", "record": {"uri": quoted, "cid": "bafy"}},
            "media": {"$type": "app.bsky.embed.images", "images": [{"image": BLOB, "alt": ""}]},
        }
    )
    assert with_media.is_quote and with_media.quote_of == quoted
    assert [m.type for m in with_media.media] == ["photo"]


def _lines(events: list[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(e) for e in events) + "\n"


def test_handles_from_identity_events_and_the_did_kept_beside(tmp_path: Path) -> None:
    identity = {
        "did": DID,
        "time_us": 1772442009000000,
        "kind": "identity",
        "identity": {"did": DID, "handle": "claire.bsky.social", "seq": 1, "time": "x"},
    }
    unknown = post_event(2)
    unknown["did"] = "did:plc:nobodyknows"
    path = tmp_path / "events.jsonl"
    path.write_text(_lines([post_event(1), identity, unknown]))  # identity after the post
    posts = [p for p in load_payload_file(path, "bluesky") if isinstance(p, Post)]
    assert posts[0].author.username == "claire.bsky.social"
    assert (posts[0].author.model_extra or {})["did"] == DID
    assert posts[0].to_json_dict()["url"].startswith("https://bsky.app/profile/claire.bsky")
    assert posts[1].author.username == "did:plc:nobodyknows"  # no handle known: said so
    assert (posts[1].author.model_extra or {})["handle_unknown"] is True


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("VEILLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VEILLE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def test_deletes_and_edits_are_applied_to_what_is_stored(env: Any, tmp_path: Path) -> None:
    kept, gone = post_event(1), post_event(2)
    edited = post_event(1)
    edited["commit"]["operation"] = "update"
    edited["commit"]["record"]["text"] = "Avis peintre Angers 1 (corrigé)"
    delete = {
        "did": DID,
        "time_us": gone["time_us"] + 5,
        "kind": "commit",
        "commit": {
            "operation": "delete",
            "collection": "app.bsky.feed.post",
            "rkey": gone["commit"]["rkey"],
        },
    }
    path = tmp_path / "events.jsonl"
    path.write_text(_lines([kept, gone, edited, delete]))
    result = CliRunner().invoke(app, ["ingest", str(path), "--format", "bluesky"])
    assert result.exit_code == 0, result.output
    assert '"deleted": 1' in result.stdout and '"edited": 1' in result.stdout
    db = Database.from_settings(env)
    with db.session() as session:
        rows = queries.export_rows(session, watch=None, since=None)
    db.engine.dispose()
    assert [(r["id"].rsplit("/", 1)[-1], r["text"]) for r in rows] == [
        (kept["commit"]["rkey"], "Avis peintre Angers 1 (corrigé)")
    ]


def test_listening_looks_a_handle_up_once_and_keeps_it() -> None:
    lookups: list[str] = []

    def appview(req: Request) -> Response:
        lookups.append(f"{req.path}?actor={req.arg('actor')}")
        return Response(body={"did": DID, "handle": "claire.bsky.social"})

    events = [post_event(n) for n in (1, 2, 3)]
    release = threading.Event()

    def jetstream(connection: ServerConnection) -> None:
        for event in events:
            connection.send(json.dumps(event))
        release.wait(5)

    delivered: list[Post] = []
    with http_server(appview) as server, ws_server(jetstream) as url:
        listener = JetstreamListener(
            cursors=MemoryCursorStore(),
            url=f"{url}/subscribe",
            handles=HandleCache(appview_lookup(server.url)),
        )
        stop = threading.Event()
        thread = threading.Thread(target=listener.listen, args=(delivered.append, stop))
        thread.start()
        wait_until(lambda: len(delivered) == 3)
        stop.set()
        release.set()
        thread.join(5)
    assert [p.author.username for p in delivered] == ["claire.bsky.social"] * 3
    assert all((p.author.model_extra or {})["did"] == DID for p in delivered)
    assert lookups == [f"/xrpc/app.bsky.actor.getProfile?actor={DID}"]  # once: cached


def test_recorded_jetstream_events() -> None:
    folder = real_payloads() / "bluesky"
    items = list(load_payload_file(folder / "jetstream_golden_v1.jsonl", "bluesky"))
    (post,) = items  # nine events are likes, follows, identity ...: not posts, not problems
    assert isinstance(post, Post)
    assert post.text == "Try RSV for a good time !!" and post.lang == "en"
    assert post.is_reply and post.in_reply_to_id == (
        "at://did:plc:j76trmiofvaxxpvx2vnb2vwf/app.bsky.feed.post/3mmojbrjwbs26"
    )
    assert post.created_at.isoformat() == "2026-05-25T14:23:28.757000+00:00"
    for name in (
        "jetstream_docs_v1_example_prettyprinted.json",
        "jetstream_docs_v2_wire_example.jsonl",
    ):
        (problem,) = list(load_payload_file(folder / name, "bluesky"))
        assert isinstance(problem, ParseProblem)
        assert problem.reason == "not posts: 1 Jetstream events, none a post (like create: 1)"


def test_listening_hands_deletes_and_edits_to_the_store() -> None:
    created = post_event(1)
    edited = post_event(1)
    edited["commit"]["operation"] = "update"
    edited["time_us"] += 1
    deleted = {
        "did": DID,
        "time_us": created["time_us"] + 2,
        "kind": "commit",
        "commit": {"operation": "delete", "collection": "app.bsky.feed.post", "rkey": "3lhx1"},
    }
    release = threading.Event()

    def jetstream(connection: ServerConnection) -> None:
        for event in (created, edited, deleted):
            connection.send(json.dumps(event))
        release.wait(5)

    delivered: list[Post] = []
    revised: list[Post | PostDeleted] = []
    with ws_server(jetstream) as url:
        listener = JetstreamListener(
            cursors=MemoryCursorStore(), url=f"{url}/subscribe", revise=revised.append
        )
        stop = threading.Event()
        thread = threading.Thread(target=listener.listen, args=(delivered.append, stop))
        thread.start()
        wait_until(lambda: len(revised) == 2)
        stop.set()
        release.set()
        thread.join(5)
    assert len(delivered) == 2  # the edited version too: stored if it was not yet
    assert isinstance(revised[0], Post) and (revised[0].model_extra or {})["edited"] is True
    assert revised[1] == PostDeleted("bluesky", f"at://{DID}/app.bsky.feed.post/3lhx1")
