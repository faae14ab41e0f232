"""X API v2 payloads as the API sends them (docs.x.com shapes): escaped texts, retweets cut at
140 characters, media links, missing expansions, twarc's flattened lines, default fields."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from veille.posts import Post
from veille.sources import ParseProblem, load_payload_file
from veille.sources.x.client import iter_x_response

USERS = [
    {"id": "4001", "name": "Claire B.", "username": "claire_b49"},
    {"id": "4000", "name": "Martin Peinture", "username": "MartinPeinture"},
]
ORIGINAL = (
    "Ravalement terminé rue Saint-Aubin & quartier Doutre : merci à toute l'équipe "
    "#lecture #Angers #peinture https://t.co/site1"
)


def _read(body: object) -> tuple[list[Post], list[ParseProblem]]:
    items = list(iter_x_response(body))
    return (
        [i for i in items if isinstance(i, Post)],
        [i for i in items if isinstance(i, ParseProblem)],
    )


def _tweet(**fields: Any) -> dict[str, Any]:
    return {"id": "1880000000000000010", "author_id": "4001", "text": "Bonjour", **fields}


def test_retweet_takes_the_whole_text_and_entities_of_the_original() -> None:
    retweet = _tweet(
        id="1524796546306478083",  # X said created_at 2022-05-12T17:00:00.000Z
        text="RT @MartinPeinture: Ravalement terminé rue Saint-Aubin &amp; quartier Doutre : "
        "merci à toute l'équipe #le…",
        referenced_tweets=[{"type": "retweeted", "id": "1880000000000000001"}],
        entities={"mentions": [{"start": 3, "end": 18, "username": "MartinPeinture"}]},
    )
    original = {
        "id": "1880000000000000001",
        "author_id": "4000",
        "text": ORIGINAL.replace("&", "&amp;"),
        "entities": {
            "hashtags": [{"tag": "lecture"}, {"tag": "Angers"}, {"tag": "peinture"}],
            "urls": [
                {
                    "url": "https://t.co/site1",
                    "expanded_url": "https://martin-peinture-angers.fr",
                }
            ],
        },
    }
    posts, problems = _read({"data": [retweet], "includes": {"users": USERS, "tweets": [original]}})
    assert problems == []
    (post,) = posts
    assert post.is_retweet and post.retweet_of == "MartinPeinture"
    assert post.text == f"RT @MartinPeinture: {ORIGINAL}"  # whole, and "&" unescaped
    assert post.hashtags == ["lecture", "angers", "peinture"]  # never "#le"
    assert post.urls == ["https://martin-peinture-angers.fr"]  # never "https://t.c…"
    assert post.mentions == ["martinpeinture"]
    # The creation time comes from the id when the response was asked without created_at.
    said = datetime(2022, 5, 12, 17, 0, tzinfo=UTC)
    assert timedelta(0) <= post.created_at - said < timedelta(seconds=1)
    assert (post.model_extra or {})["created_at_from_id"] is True


def test_a_cut_retweet_without_its_original_reads_no_entity_off_the_cut_text() -> None:
    retweet = _tweet(
        text="RT @MartinPeinture: merci à toute l'équipe #le…",
        referenced_tweets=[{"type": "retweeted", "id": "1880000000000000001"}],
    )
    posts, _ = _read({"data": [retweet], "includes": {"users": USERS}})
    assert posts[0].hashtags == [] and posts[0].urls == [] and posts[0].mentions == []
    assert posts[0].retweet_of == "MartinPeinture"  # read from "RT @name:", not an id


def test_media_apart_from_links_and_polls_kept() -> None:
    tweet = _tweet(
        text="Avant / après &lt;3 https://t.co/ph0to",
        entities={
            "urls": [
                {
                    "url": "https://t.co/ph0to",
                    "expanded_url": "https://x.com/claire_b49/status/1880000000000000010/photo/1",
                    "media_key": "3_1",
                }
            ]
        },
        attachments={"media_keys": ["3_1"], "poll_ids": ["99"]},
    )
    includes = {
        "users": USERS,
        "media": [{"media_key": "3_1", "type": "photo", "url": "https://pbs.twimg.com/a.jpg"}],
        "polls": [
            {
                "id": "99",
                "options": [{"position": 1, "label": "Oui", "votes": 3}],
                "voting_status": "closed",
            }
        ],
    }
    post = _read({"data": tweet, "includes": includes})[0][0]
    assert post.text == "Avant / après <3 https://t.co/ph0to"
    assert post.urls == []
    assert [m.type for m in post.media] == ["photo"]
    assert (post.model_extra or {})["poll"]["options"] == [{"label": "Oui", "votes": 3}]


def test_long_posts_read_from_note_tweet() -> None:
    long_text = "Très long avis " * 30 + "#fin"
    tweet = _tweet(
        text=long_text[:270] + "…",
        note_tweet={"text": long_text, "entities": {"hashtags": [{"tag": "fin"}]}},
    )
    post = _read({"data": tweet, "includes": {"users": USERS}})[0][0]
    assert post.text == long_text and post.hashtags == ["fin"]


def test_a_missing_author_is_said_not_replaced_by_an_id() -> None:
    tweet = _tweet(author_id="777", in_reply_to_user_id="888")
    posts, problems = _read({"data": [tweet], "includes": {"users": USERS}})
    assert posts == []
    assert "author 777 is not in includes.users" in problems[0].reason
    reply = _tweet(in_reply_to_user_id="888")
    post = _read({"data": [reply], "includes": {"users": USERS}})[0][0]
    assert post.in_reply_to is None and (post.model_extra or {})["in_reply_to_user_id"] == "888"


def test_twarc_flattened_lines(tmp_path: Path) -> None:
    flat = _tweet(
        created_at="2026-03-02T09:15:00.000Z",
        author={"id": "4001", "username": "claire_b49", "name": "Claire B."},
        referenced_tweets=[
            {
                "type": "quoted",
                "id": "1880000000000000001",
                "text": "Chantier fini",
                "author_id": "4000",
                "author": {"id": "4000", "username": "MartinPeinture"},
            }
        ],
        in_reply_to_user_id="4000",
        in_reply_to_user={"id": "4000", "username": "MartinPeinture"},
        __twarc={"url": "https://api.twitter.com/2/tweets/search/recent", "version": "2.14.0"},
    )
    path = tmp_path / "flat.jsonl"
    path.write_text(json.dumps(flat) + "\n" + json.dumps({**flat, "id": "2"}) + "\n")
    posts = [i for i in load_payload_file(path, "x") if isinstance(i, Post)]
    assert len(posts) == 2
    assert posts[0].author.username == "claire_b49" and posts[0].in_reply_to == "MartinPeinture"
    assert posts[0].is_quote and (posts[0].model_extra or {})["quoted_text"] == "Chantier fini"


def test_responses_without_posts_are_named() -> None:
    cases: list[tuple[object, str]] = [
        ({"data": [{"id": "1", "text": "a", "edit_history_tweet_ids": ["1"]}]}, "default fields"),
        ({"data": [{"id": "2244994945", "name": "X Dev", "username": "XDevelopers"}]}, "X users"),
        ({"data": {"liked": True}}, "the answer to an action (liked: true)"),
        ({"errors": [{"message": "Rate limit exceeded"}]}, "error response (Rate limit"),
        ({"data": [{"end": "a", "start": "b", "tweet_count": 3}]}, "post counts"),
        ([{"data": {"id": "1", "text": "a"}}], "default fields"),
    ]
    for body, named in cases:
        posts, problems = _read(body)
        assert posts == [] and len(problems) == 1, body
        assert problems[0].reason.startswith("not posts") and named in problems[0].reason
