"""Property-based: each network's reader, given a saved file where one line (or one part of a
feed) is hostile, raises nothing and still reads every good line around it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.bluesky import post_event
from veille.posts import Post
from veille.sources import ParseProblem, load_payload_file
from veille.sources.base import PostDeleted

HOSTILE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=2)
    | st.just("\x00")
    | st.just(json.loads("[" * 80 + "]" * 80)),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += _paths(child, (*prefix, i))
    return found


@st.composite
def mutated(draw: st.DrawFn, body: Any) -> bytes:
    kind = draw(st.sampled_from(["value", "value", "bytes", "deep"]))
    if kind == "bytes":
        return draw(st.binary(max_size=80)).replace(b"\n", b" ").replace(b"\r", b" ")
    if kind == "deep":
        return b'{"data": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    copied = copy.deepcopy(body)
    path = draw(st.sampled_from(_paths(copied)))
    holder = copied
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = draw(HOSTILE)
    return json.dumps(copied).encode()


def _x_body(n: int) -> dict[str, Any]:
    return {
        "data": {
            "id": f"18800000000000000{n:02d}",
            "text": f"Avis peintre Angers {n} #angers",
            "author_id": "4001",
            "created_at": "2026-03-02T09:15:00.000Z",
            "entities": {"hashtags": [{"tag": "angers"}], "mentions": [{"username": "martin"}]},
            "referenced_tweets": [{"type": "replied_to", "id": "1"}],
            "attachments": {"media_keys": ["3_1"]},
            "public_metrics": {"like_count": 1, "retweet_count": 0, "reply_count": 0},
        },
        "includes": {
            "users": [
                {"id": "4001", "username": "claire", "public_metrics": {"followers_count": 3}}
            ],
            "media": [{"media_key": "3_1", "type": "photo"}],
        },
    }


def _mastodon_status(n: int) -> dict[str, Any]:
    return {
        "id": str(100 + n),
        "created_at": "2026-03-02T09:15:00.000Z",
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "content": f"<p>Avis peintre {n} <a href='https://x.fr'>lien</a></p>",
        "account": {"id": "7", "acct": "claire@piaille.fr", "followers_count": 4},
        "mentions": [{"id": "8", "acct": "martin"}],
        "tags": [{"name": "angers"}],
        "media_attachments": [{"type": "image"}],
        "poll": {"options": [{"title": "oui", "votes_count": 1}]},
    }


def _bluesky_event(n: int) -> dict[str, Any]:
    event = post_event(n)
    event["commit"]["record"]["embed"] = {
        "$type": "app.bsky.embed.images",
        "images": [{"alt": "x", "image": {}}],
    }
    event["commit"]["record"]["facets"] = [
        {"index": {"byteStart": 0, "byteEnd": 4}, "features": [{"$type": "x#tag", "tag": "a"}]}
    ]
    return event


BODIES = {"x": _x_body, "mastodon": _mastodon_status, "bluesky": _bluesky_event}


def _check(fmt: str, lines: list[bytes], tmp: Path) -> None:
    path = tmp / f"{fmt}.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    items = list(load_payload_file(path, fmt))  # nothing may escape
    assert all(isinstance(i, Post | PostDeleted | ParseProblem) for i in items)
    read = {i.id for i in items if isinstance(i, Post)}
    wanted = {
        "x": {"1880000000000000001", "1880000000000000003"},
        "mastodon": {"101", "103"},
        "bluesky": {
            f"at://did:plc:claireangers4k2x/app.bsky.feed.post/3lhx{n:09d}" for n in (1, 3)
        },
    }[fmt]
    assert wanted <= read, items
    for post in (i for i in items if isinstance(i, Post)):
        json.dumps(post.to_json_dict(), allow_nan=False).encode("utf-8")  # storable


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_x_mastodon_and_bluesky_readers_survive_a_hostile_line(
    data: st.DataObject, tmp_path_factory: Any
) -> None:
    fmt = data.draw(st.sampled_from(sorted(BODIES)))
    body = BODIES[fmt]
    hostile = data.draw(mutated(body(2)))
    lines = [json.dumps(body(1)).encode(), hostile, json.dumps(body(3)).encode()]
    _check(fmt, lines, tmp_path_factory.mktemp(fmt))


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Actu</title>
<item><title>Un</title><link>https://example.org/1</link><guid>1</guid>
<pubDate>Mon, 02 Mar 2026 07:00:00 GMT</pubDate></item>
<item><title>{hostile}</title><link>https://example.org/2</link><guid>2</guid>
<description>{hostile}</description><pubDate>{hostile}</pubDate></item>
<item><title>Trois</title><link>https://example.org/3</link><guid>3</guid>
<pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate></item>
</channel></rss>"""


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    text=st.text(max_size=200).map(_escaped),
    garbage=st.binary(max_size=60),
    at=st.integers(min_value=0, max_value=len(FEED)),
)
def test_the_feed_reader_survives_hostile_entries_and_bytes(
    text: str, garbage: bytes, at: int, tmp_path_factory: Any
) -> None:
    folder = tmp_path_factory.mktemp("rss")
    good = folder / "good.xml"
    good.write_bytes(FEED.format(hostile=text).encode("utf-8", "surrogatepass"))
    items = list(load_payload_file(good, "rss"))
    assert {i.id for i in items if isinstance(i, Post)} >= {"1", "3"}, items
    broken = folder / "broken.xml"
    document = FEED.format(hostile="x").encode()
    broken.write_bytes(document[:at] + garbage + document[at:])
    assert all(isinstance(i, Post | ParseProblem) for i in load_payload_file(broken, "rss"))
