"""Each network's documented wire format becomes the same Post shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veille.posts import Post
from veille.sources import (
    MalformedPayload,
    ParseProblem,
    load_payload_file,
    parse_feed,
    parse_jetstream_event,
    parse_mastodon_status,
    parse_x_response,
)
from veille.sources.base import PostDeleted

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_json(name: str) -> object:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_x_response_resolves_expansions() -> None:
    posts = {p.id: p for p in parse_x_response(fixture_json("x/search_recent.json"))}  # type: ignore[arg-type]
    reply = posts["1880000000000000003"]
    assert reply.author.username == "claire_b49" and reply.author.followers_count == 95
    assert reply.is_reply and reply.in_reply_to == "MartinPeinture"
    assert reply.in_reply_to_id == "1880000000000000001"
    assert reply.urls == ["https://martin-peinture-angers.fr/realisations"]  # not the t.co link
    assert reply.mentions == ["martinpeinture"] and reply.hashtags == ["angers"]
    assert reply.place is not None and reply.place.name == "Angers, France"
    assert reply.geo is not None and reply.geo.lat == pytest.approx(47.4784)
    assert [m.type for m in reply.media] == ["photo"]
    assert reply.metrics.likes == 4 and reply.metrics.reposts == 1
    quote = posts["1880000000000000004"]
    assert quote.is_quote and quote.quote_of == "1880000000000000003"
    assert quote.author.verified
    assert quote.to_json_dict()["url"] == "https://x.com/yann_angevin/status/1880000000000000004"


def test_x_response_names_the_bad_item() -> None:
    body = fixture_json("x/search_recent.json")
    assert isinstance(body, dict)
    del body["data"][1]["author_id"]
    with pytest.raises(MalformedPayload, match=r"data\[1\].*author_id"):
        parse_x_response(body)


def test_jetstream_post_with_facets_reply_and_quote() -> None:
    lines = (FIXTURES / "bluesky/jetstream_events.jsonl").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    first = parse_jetstream_event(
        events[1], handles={"did:plc:claireangers4k2x": "claire.bsky.social"}
    )
    assert first is not None
    assert first.id == "at://did:plc:claireangers4k2x/app.bsky.feed.post/3lhx2kq2ab22b"
    assert first.author.username == "claire.bsky.social"
    assert first.mentions == ["martinpeinture.fr"]  # read back from the byte offsets
    assert first.hashtags == ["angers"] and first.urls == ["https://martin-peinture-angers.fr"]
    assert first.lang == "fr"
    reply = parse_jetstream_event(events[2])
    assert reply is not None and reply.is_reply
    assert reply.in_reply_to_id == first.id and reply.conversation_id == first.id
    assert [m.type for m in reply.media] == ["photo"]
    quote = parse_jetstream_event(events[4])
    assert quote is not None and quote.is_quote and quote.quote_of == first.id
    # identity and account events are not posts; a delete names the post to remove
    assert parse_jetstream_event(events[0]) is None
    assert parse_jetstream_event(events[3]) == PostDeleted(
        "bluesky", "at://did:plc:yannangevin9p0a/app.bsky.feed.post/3lhx2kq1zz11z"
    )
    assert parse_jetstream_event(events[6]) is None
    with pytest.raises(MalformedPayload, match="no text"):
        parse_jetstream_event(events[5])


def test_mastodon_status_html_mentions_and_boost() -> None:
    statuses = fixture_json("mastodon/statuses.json")
    assert isinstance(statuses, list)
    reply = parse_mastodon_status(statuses[0])
    assert reply.text.startswith("@martinpeinture Travail impeccable sur notre cage d'escalier")
    assert "\n\nPhotos : https://example.org/chantier-angers #Angers" in reply.text
    assert reply.urls == ["https://example.org/chantier-angers"]  # not the mention or tag
    assert reply.mentions == ["martinpeinture"] and reply.hashtags == ["angers"]
    assert reply.in_reply_to == "martinpeinture" and reply.in_reply_to_id == "113900000000000001"
    assert reply.author.description == "Angevine, jardinière du dimanche"
    assert reply.metrics.likes == 5 and [m.type for m in reply.media] == ["photo"]
    boost = parse_mastodon_status(statuses[1])
    assert boost.is_retweet and boost.retweet_of == "martinpeinture@piaille.fr"
    assert boost.text.startswith("Nous recrutons un peintre confirmé") and boost.hashtags == [
        "emploi"
    ]
    with pytest.raises(MalformedPayload, match="created_at"):
        parse_mastodon_status(statuses[2])


def test_rss_and_atom_entries_become_news_posts() -> None:
    rss = parse_feed(
        (FIXTURES / "rss/feed_rss.xml").read_bytes(), feed_url="https://actu-anjou.example.fr/rss"
    )
    assert [p.id for p in rss] == [
        "actu-anjou-2026-0301-17",
        "https://actu-anjou.example.fr/agenda/salon-habitat",
        "https://actu-anjou.example.fr/sans-date",
    ]
    undated = rss[2].model_extra or {}  # dated by the feed, or when first seen, and said so
    assert undated["date_from"] in ("feed", "seen")
    first = rss[0]
    assert first.network == "news" and first.lang == "fr"
    assert first.text == (
        "Angers : les artisans du bâtiment face à la hausse des devis\n\n"
        "Peintres et plaquistes d'Angers constatent une hausse de 12 % des demandes de devis."
    )
    assert first.author.username == "actu-anjou.example.fr" and first.author.name == "Sophie L."
    assert first.created_at.isoformat() == "2026-03-01T17:30:00+00:00"
    atom = parse_feed(
        (FIXTURES / "rss/feed_atom.xml").read_bytes(),
        feed_url="https://batiment-ligerien.example.fr/atom.xml",
    )
    assert len(atom) == 1 and atom[0].urls == [
        "https://batiment-ligerien.example.fr/articles/aides-2026"
    ]
    assert atom[0].created_at.isoformat() == "2026-03-02T06:45:00+00:00"


def test_feed_refuses_entity_bombs_and_non_feeds() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<rss><channel><title>&b;</title></channel></rss>"
    )
    with pytest.raises(MalformedPayload, match="unsafe XML"):
        parse_feed(bomb, feed_url="https://evil.example/rss")
    with pytest.raises(MalformedPayload, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body>404</body></html>", feed_url="https://example.org/rss")


@pytest.mark.parametrize(
    ("fmt", "name", "posts", "problems"),
    [
        ("x", "x/search_recent.json", 3, []),
        ("bluesky", "bluesky/jetstream_events.jsonl", 3, ["line 6: record has no text"]),
        ("mastodon", "mastodon/statuses.json", 2, ["item 2: created_at"]),
        (
            "rss",
            "rss/feed_rss.xml",
            3,
            [],
        ),
        ("rss", "rss/feed_atom.xml", 1, []),
    ],
)
def test_load_payload_file(fmt: str, name: str, posts: int, problems: list[str]) -> None:
    items = list(load_payload_file(FIXTURES / name, fmt))  # type: ignore[arg-type]
    found = [str(i) for i in items if isinstance(i, ParseProblem)]
    assert sum(isinstance(i, Post) for i in items) == posts
    assert len(found) == len(problems)
    for text, expected in zip(found, problems, strict=True):
        assert text.startswith(expected) or expected in text


def test_load_payload_file_x_stream_lines(tmp_path: Path) -> None:
    body = fixture_json("x/search_recent.json")
    assert isinstance(body, dict)
    lines = [
        json.dumps(
            {
                "data": tweet,
                "includes": body["includes"],
                "matching_rules": [{"id": "1", "tag": "marque"}],
            }
        )
        for tweet in body["data"]
    ]
    lines.insert(1, "{truncated")
    path = tmp_path / "stream.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(load_payload_file(path, "x"))
    assert [str(i) for i in items if isinstance(i, ParseProblem)] == [
        "line 2: not JSON (Expecting property name enclosed in double quotes)"
    ]
    assert sum(not isinstance(i, ParseProblem) for i in items) == 3
