"""The demo stream a newcomer sees: big enough, realistic in shape, labelled, reproducible."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from veille.demo.business import DEMO_BUSINESS, DEMO_WATCHES
from veille.demo.clock import PARIS, local_dates, next_local_midnight
from veille.demo.generator import DemoStream, generate_demo, write_demo
from veille.posts import Post, parse_post
from veille.rules import evaluate, parse_rule

# 2025-03-17 00:00 in Paris (CET, UTC+1).
END = datetime(2025, 3, 16, 23, 0, tzinfo=UTC)
KINDS = {
    "praise", "complaint", "question", "lead", "non_lead_request", "job", "competitor_news",
    "sector_news", "local_news", "noise", "crisis", "business_reply", "spam",
}  # fmt: skip
ID_STYLES = {
    "x": re.compile(r"^\d{19}$"),
    "mastodon": re.compile(r"^\d{17,19}$"),
    "bluesky": re.compile(r"^at://did:plc:[a-z2-7]{24}/app\.bsky\.feed\.post/[2-7a-z]{13}$"),
    "news": re.compile(r"^https://www\.[a-z.-]+/[a-z-]+/\d{4}/\d{2}/\d{2}/[a-z0-9-]+-\d+$"),
}


@pytest.fixture(scope="module")
def stream() -> DemoStream:
    return generate_demo(seed=7, days=14, end=END)


def test_same_seed_and_end_give_identical_files_and_another_seed_differs(
    stream: DemoStream, tmp_path: Path
) -> None:
    first = write_demo(stream, tmp_path / "a")
    second = write_demo(generate_demo(seed=7, days=14, end=END), tmp_path / "b")
    other = write_demo(generate_demo(seed=8, days=14, end=END), tmp_path / "c")
    assert [p.name for p in first] == ["posts.jsonl", "labels.jsonl"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert first[0].read_bytes() != other[0].read_bytes()
    lines = first[0].read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(stream.posts)


def test_default_end_is_the_next_paris_midnight() -> None:
    demo = generate_demo(days=2)
    assert demo.end == next_local_midnight()
    assert demo.end.astimezone(PARIS).hour == 0


def test_at_least_3000_valid_posts_sorted_over_14_days(stream: DemoStream) -> None:
    assert len(stream.posts) >= 3000
    posts = [parse_post(p) for p in stream.posts]
    times = [p.created_at for p in posts]
    assert times == sorted(times)
    assert stream.start <= times[0] and times[-1] < stream.end
    days = {t.astimezone(PARIS).date() for t in times}
    assert sorted(days) == local_dates(END, 14)
    assert [label.post_id for label in stream.labels] == [p.id for p in posts]


def test_networks_languages_and_kinds(stream: DemoStream) -> None:
    networks = Counter(p["network"] for p in stream.posts)
    assert set(networks) == {"x", "bluesky", "mastodon", "news"}
    assert networks.most_common(1)[0][0] == "x"
    langs = Counter(label.lang for label in stream.labels)
    english = langs["en"] / len(stream.labels)
    assert langs["fr"] > len(stream.labels) * 0.8
    assert 0.08 <= english <= 0.16
    kinds = Counter(label.kind for label in stream.labels)
    assert set(kinds) == KINDS
    assert all(count >= 20 for count in kinds.values()), kinds


def test_ids_are_unique_and_in_each_networks_style(stream: DemoStream) -> None:
    ids = [(p["network"], p["id"]) for p in stream.posts]
    assert len(set(ids)) == len(ids)
    for network, post_id in ids:
        assert ID_STYLES[network].match(post_id), (network, post_id)


def test_replies_point_to_earlier_posts_of_the_same_conversation(stream: DemoStream) -> None:
    by_id = {p["id"]: p for p in stream.posts}
    replies = [p for p in stream.posts if p["is_reply"]]
    assert len(replies) > 300
    for reply in replies:
        parent = by_id[reply["in_reply_to_id"]]
        assert parent["network"] == reply["network"]
        assert parent["created_at"] <= reply["created_at"]
        assert reply["in_reply_to"] == parent["author"]["username"]
        assert reply["conversation_id"] == parent["conversation_id"]
        assert by_id[reply["conversation_id"]]["is_reply"] is False
    threads = Counter(p["conversation_id"] for p in replies)
    assert max(threads.values()) >= 20  # the crisis thread
    reposts = [p for p in stream.posts if p["is_retweet"]]
    assert reposts and all(p["text"].startswith("RT @") for p in reposts)
    quotes = [p for p in stream.posts if p["is_quote"]]
    assert quotes and all(q["quote_of"] in by_id for q in quotes)


def test_posts_read_like_social_posts(stream: DemoStream) -> None:
    texts = [p["text"] for p in stream.posts if p["network"] != "news"]
    joined = "\n".join(texts)
    for marker in ("#", "@", "https://", "qqn", "mdr", "stp", "😂"):
        assert marker in joined, marker
    assert len(set(texts)) > 0.7 * len(texts)
    followers = sorted(p["author"]["followers_count"] for p in stream.posts)
    median = followers[len(followers) // 2]
    assert median < 1000 and followers[-1] > 20_000
    assert any("place" in p for p in stream.posts) and any("geo" in p for p in stream.posts)
    locations = {p["author"]["location"] for p in stream.posts}
    assert {"Angers", "Trélazé", "Nantes", "Paris"} <= locations


def test_news_posts_are_articles_by_outlets(stream: DemoStream) -> None:
    news = [p for p in stream.posts if p["network"] == "news"]
    assert len(news) >= 100
    for article in news:
        assert article["urls"] == [article["id"]]
        title, summary = article["text"].split("\n\n")
        assert title and summary
        assert "." in article["author"]["username"]  # the outlet's domain


def test_posting_follows_the_paris_day(stream: DemoStream) -> None:
    hours = Counter(parse_post(p).created_at.astimezone(PARIS).hour for p in stream.posts)
    night = sum(hours[h] for h in range(1, 6))
    assert night < 0.04 * len(stream.posts)
    assert hours[12] + hours[13] > 3 * (hours[3] + hours[4] + 1)
    assert hours[20] + hours[21] > hours[15] + hours[16] * 0.8


def test_crisis_on_day_11_over_about_six_hours_mostly_negative(stream: DemoStream) -> None:
    crisis = [
        (parse_post(p).created_at, label)
        for p, label in zip(stream.posts, stream.labels, strict=True)
        if label.kind == "crisis"
    ]
    assert len(crisis) >= 150
    assert stream.crisis_day == 11
    day_11 = local_dates(END, 14)[10]
    first = crisis[0][0]
    assert first.astimezone(PARIS).date() == day_11
    within = [label for t, label in crisis if t - first <= timedelta(hours=6)]
    assert len(within) >= 0.85 * len(crisis)
    negative = sum(label.sentiment == "negative" for label in within)
    assert negative >= 0.7 * len(within)
    # Volume rises before it falls: the third hour beats the first.
    hourly = Counter(int((t - first).total_seconds() // 3600) for t, _ in crisis)
    assert hourly[2] > 2 * hourly[0]
    answers = [
        (t, label)
        for t, label in zip(
            (parse_post(p).created_at for p in stream.posts), stream.labels, strict=True
        )
        if label.kind == "business_reply" and "crisis" in label.intents
    ]
    assert answers and all(first < t < first + timedelta(hours=6) for t, _ in answers)


def test_labels_are_consistent(stream: DemoStream) -> None:
    watch_names = {w.name for w in DEMO_WATCHES}
    post_ids = {label.post_id for label in stream.labels}
    competitors = {c.name for c in DEMO_BUSINESS.competitors}
    for label in stream.labels:
        assert set(label.watches) <= watch_names
        assert label.intents and set(label.intents) <= {
            "question", "complaint", "praise", "lead", "job", "crisis", "other",
        }  # fmt: skip
        assert label.duplicate_of is None or label.duplicate_of in post_ids
        assert label.competitor is None or label.competitor in competitors
    matched = Counter(w for label in stream.labels for w in label.watches)
    assert set(matched) == watch_names and min(matched.values()) >= 10, matched
    spam = [label for label in stream.labels if label.kind == "spam"]
    assert sum(label.duplicate_of is not None for label in spam) >= 10
    leads = [label for label in stream.labels if label.kind == "lead"]
    assert all("lead" in label.intents for label in leads)
    assert sum(label.about_business for label in stream.labels) >= 300


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="days"):
        generate_demo(days=0)
    with pytest.raises(ValueError, match="time zone"):
        generate_demo(end=datetime(2025, 3, 17))


# Keyword rules can only approximate the labels: leads are where they fail most (job seekers,
# art lessons, spam all say "peintre" and "Angers"), which later stages must fix.
AGREEMENT = {  # watch kind: (least precision, least recall)
    "brand": (0.9, 0.9),
    "owner": (0.6, 0.8),
    "competitor": (0.9, 0.85),
    "leads": (0.25, 0.8),
    "sector": (0.7, 0.8),
    "local": (0.7, 0.8),
}


def compile_rule(rule: str) -> Callable[[Post], bool]:
    """The real rule language (issue 3): parse, then the reference evaluator."""
    parsed = parse_rule(rule)
    return lambda post: evaluate(parsed, post)


def test_watch_rules_find_what_the_labels_say(stream: DemoStream) -> None:
    posts = [parse_post(p) for p in stream.posts]
    for watch in DEMO_WATCHES:
        rules = [compile_rule(rule) for rule in watch.rules]
        hits = [any(rule(post) for rule in rules) for post in posts]
        truth = [watch.name in label.watches for label in stream.labels]
        both = sum(h and t for h, t in zip(hits, truth, strict=True))
        precision, recall = both / max(1, sum(hits)), both / max(1, sum(truth))
        least_precision, least_recall = AGREEMENT[watch.kind]
        assert precision >= least_precision, (watch.name, precision)
        assert recall >= least_recall, (watch.name, recall)
        assert sum(hits) < len(posts) / 4, watch.name  # no watch swallows the stream


def test_demo_watches_cover_every_kind_and_read_as_rules() -> None:
    assert {w.kind for w in DEMO_WATCHES} == {
        "brand", "competitor", "leads", "sector", "local", "owner",
    }  # fmt: skip
    assert len({w.name for w in DEMO_WATCHES}) == len(DEMO_WATCHES)
    for watch in DEMO_WATCHES:
        for rule in watch.rules:
            assert rule.count("(") == rule.count(")") and rule.count('"') % 2 == 0, rule
            assert len(rule) <= 1024
            compile_rule(rule)
    assert DEMO_BUSINESS.name == "Peintures Martin" and len(DEMO_BUSINESS.competitors) == 2
