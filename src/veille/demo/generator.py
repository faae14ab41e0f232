"""The demo stream: 14 days of posts around Peintures Martin, with ground-truth labels.

Everything is drawn from one seeded `random.Random`, and the window ends at `end`, so the same
seed and end give byte-identical files.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel, Field

from veille.demo.clock import local_dates, next_local_midnight
from veille.demo.content import DayWriter
from veille.demo.crisis import CrisisWriter
from veille.demo.drafts import WATCH_ORDER, Builder, Draft
from veille.demo.ids import bluesky_post_uri, bluesky_rkey, mastodon_post_id, x_post_id
from veille.demo.people import build_cast

Sentiment = Literal["negative", "neutral", "positive"]

# Where posters say they are, and roughly where that is (lat, lon).
_COORDS = {
    "Angers": (47.4784, -0.5632),
    "Trélazé": (47.4469, -0.4656),
    "Avrillé": (47.5069, -0.5894),
    "Les Ponts-de-Cé": (47.4239, -0.5253),
    "Saint-Barthélemy-d'Anjou": (47.4675, -0.4950),
    "Beaucouzé": (47.4744, -0.6356),
    "Bouchemaine": (47.4222, -0.6089),
    "Écouflant": (47.5303, -0.5275),
    "Saumur": (47.2600, -0.0769),
    "Cholet": (47.0600, -0.8789),
    "Nantes": (47.2184, -1.5536),
    "Paris": (48.8566, 2.3522),
}
_CAST_SIZES = {"x": 720, "bluesky": 260, "mastodon": 190}


class DemoLabel(BaseModel):
    """What a post really is, by construction: the yardstick for later stages."""

    post_id: str
    network: str
    kind: str
    sentiment: Sentiment
    intents: list[str]
    lang: str
    about_business: bool
    competitor: str | None = None
    duplicate_of: str | None = None
    watches: list[str] = Field(default_factory=list)


class DemoStream(BaseModel):
    """Posts as Post JSON dicts sorted by created_at, and their labels in the same order."""

    posts: list[dict[str, Any]]
    labels: list[DemoLabel]
    start: datetime
    end: datetime
    crisis_day: int | None = None  # 1-based day of the window holding the crisis


def generate_demo(*, seed: int = 7, days: int = 14, end: datetime | None = None) -> DemoStream:
    """Generate the demo; `end` (aware) defaults to the next Europe/Paris midnight."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    if end is None:
        end = next_local_midnight()
    elif end.tzinfo is None:
        raise ValueError("end must carry a time zone (e.g. datetime(..., tzinfo=UTC))")
    end = end.astimezone(UTC)
    start = end - timedelta(days=days)
    rng = random.Random(seed)
    people = build_cast(rng, per_network=_CAST_SIZES, english_share=0.1)
    builder = Builder(rng, people, end)
    crisis_index = days - 4 if days >= 4 else None
    for index, day in enumerate(local_dates(end, days)):
        writer = DayWriter(builder, day)
        writer.run()
        if index == crisis_index:
            CrisisWriter(writer, day).run()
    drafts = _kept(builder.drafts, start, end)
    _assign_ids(drafts, rng)
    _mark_repeated_texts(drafts)
    for draft in drafts:  # metrics agree with the stream itself
        if draft.parent is not None:
            draft.parent.replies += 1
        for source in (draft.reposted, draft.quoted):
            if source is not None:
                source.reposts += 1
    posts = [_post_json(d, rng) for d in drafts]
    labels = [_label(d) for d in drafts]
    crisis_day = None if crisis_index is None else crisis_index + 1
    return DemoStream(posts=posts, labels=labels, start=start, end=end, crisis_day=crisis_day)


def write_demo(stream: DemoStream, directory: Path) -> tuple[Path, Path]:
    """Write `posts.jsonl` and `labels.jsonl` (one JSON object a line) into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    posts_path, labels_path = directory / "posts.jsonl", directory / "labels.jsonl"
    with posts_path.open("w", encoding="utf-8", newline="\n") as out:
        for post in stream.posts:
            out.write(json.dumps(post, ensure_ascii=False) + "\n")
    with labels_path.open("w", encoding="utf-8", newline="\n") as out:
        for label in stream.labels:
            out.write(json.dumps(label.model_dump(mode="json"), ensure_ascii=False) + "\n")
    return posts_path, labels_path


def _kept(drafts: list[Draft], start: datetime, end: datetime) -> list[Draft]:
    """Drafts inside the window whose parents, quotes and originals are kept too, by time."""
    kept: list[Draft] = []
    keep: set[int] = set()
    for draft in sorted(drafts, key=lambda d: (d.created_at, d.order)):
        links = (draft.parent, draft.quoted, draft.reposted, draft.duplicate_of)
        if not start <= draft.created_at < end:
            continue
        if any(link is not None and link.order not in keep for link in links):
            continue
        keep.add(draft.order)
        kept.append(draft)
    return kept


def _assign_ids(drafts: list[Draft], rng: random.Random) -> None:
    """Network-style ids that follow time; collisions are impossible by the sequence counter."""
    sequence: Counter[str] = Counter()
    worker = rng.randrange(1024)
    for draft in drafts:
        network = draft.network
        sequence[network] += 1
        if network == "x":
            draft.id = x_post_id(draft.created_at, sequence[network], worker)
        elif network == "mastodon":
            draft.id = mastodon_post_id(draft.created_at, sequence[network])
        elif network == "bluesky":
            rkey = bluesky_rkey(draft.created_at, sequence[network])
            draft.id = bluesky_post_uri(draft.author.id, rkey)
        else:
            draft.id = draft.urls[0]


def _mark_repeated_texts(drafts: list[Draft]) -> None:
    """Two people typing the very same words is a duplicate too: label it against the first."""
    first: dict[tuple[str, str], Draft] = {}
    for draft in drafts:
        key = (draft.network, draft.text)
        if key in first and draft.duplicate_of is None:
            draft.duplicate_of = first[key]
        first.setdefault(key, draft)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _post_json(draft: Draft, rng: random.Random) -> dict[str, Any]:
    post: dict[str, Any] = {
        "id": draft.id,
        "network": draft.network,
        "created_at": _iso(draft.created_at),
        "text": draft.text,
        "author": draft.author.author_json(),
        "is_retweet": draft.reposted is not None,
        "is_reply": draft.parent is not None,
        "is_quote": draft.quoted is not None,
    }
    if draft.show_lang:
        post["lang"] = draft.lang
    if draft.network != "news":
        post["conversation_id"] = draft.root.id
    if draft.parent is not None:
        post["in_reply_to"] = draft.parent.author.username
        post["in_reply_to_id"] = draft.parent.id
    if draft.reposted is not None:
        post["retweet_of"] = draft.reposted.author.username
    if draft.quoted is not None:
        post["quote_of"] = draft.quoted.id
    if draft.urls:
        post["urls"] = list(draft.urls)
    if draft.media:
        post["media"] = [{"type": kind} for kind in draft.media]
    location = draft.author.location.split(",")[0]
    if draft.network == "x" and location in _COORDS and draft.reposted is None:
        roll = rng.random()
        if roll < 0.09:
            post["place"] = {"name": location, "country_code": "FR"}
        if roll < 0.025:
            lat, lon = _COORDS[location]
            post["geo"] = {
                "lat": round(lat + rng.uniform(-0.02, 0.02), 5),
                "lon": round(lon + rng.uniform(-0.03, 0.03), 5),
            }
    post["metrics"] = {
        "likes": draft.likes,
        "reposts": draft.reposts,
        "replies": draft.replies,
    }
    return post


def _label(draft: Draft) -> DemoLabel:
    sentiment = cast(Sentiment, draft.sentiment)
    return DemoLabel(
        post_id=draft.id,
        network=draft.network,
        kind=draft.kind,
        sentiment=sentiment,
        intents=list(draft.intents),
        lang=draft.lang,
        about_business=draft.about_business,
        competitor=draft.competitor,
        duplicate_of=draft.duplicate_of.id if draft.duplicate_of else None,
        watches=[w for w in WATCH_ORDER if w in draft.watches],
    )
