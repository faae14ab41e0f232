"""The labelled French set the intent and in-domain sentiment figures are measured on."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from veille.understand.labelled import (
    DATA,
    INFORMAL,
    load_posts,
    load_profiles,
    sentiment_labels,
)
from veille.understand.types import SENTIMENT_LABELS


def test_set_is_large_split_without_overlap_and_covers_every_business() -> None:
    train, validation = load_posts(DATA / "train.jsonl"), load_posts(DATA / "validation.jsonl")
    assert len(train) + len(validation) >= 600
    assert not {p.text for p in train} & {p.text for p in validation}
    businesses = set(load_profiles())
    assert {p.business for p in train} == {p.business for p in validation} == businesses
    for posts in (train, validation):
        feelings = Counter(p.sentiment for p in posts)
        assert set(feelings) == set(SENTIMENT_LABELS)
        assert min(feelings.values()) >= len(posts) // 10  # no class is a token few
    assert sentiment_labels(validation).max() == len(SENTIMENT_LABELS) - 1


def test_informal_posts_train_only_and_read_for_a_known_business() -> None:
    informal = load_posts(DATA / INFORMAL)
    assert len(informal) >= 80
    assert {p.business for p in informal} == set(load_profiles())
    others = load_posts(DATA / "train.jsonl") + load_posts(DATA / "validation.jsonl")
    assert not {p.text for p in informal} & {p.text for p in others}
    # The register it exists for: reposts and SMS spelling are there.
    assert sum(p.text.startswith("RT @") for p in informal) >= 5
    assert sum(" qqn " in f" {p.text.lower()} " for p in informal) >= 5


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"intents": ["question"], "sentiment": "angry"}, "line 2: sentiment must be one of"),
        ({"intents": ["rant"], "sentiment": "neutral"}, "line 2: unknown intents"),
    ],
)
def test_a_bad_label_names_its_line(
    tmp_path: Path, record: dict[str, object], message: str
) -> None:
    good = {"text": "Merci !", "business": "bakery", "intents": ["praise"], "seeks": False}
    bad = {"text": "Bof", "business": "bakery", "seeks": False, **record}
    path = tmp_path / "posts.jsonl"
    path.write_text(
        json.dumps({**good, "sentiment": "positive"}) + "\n" + json.dumps(bad) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=message):
        load_posts(path)
