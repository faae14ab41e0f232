"""The labelled French set the intent and in-domain sentiment figures are measured on."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from veille.understand.labelled import (
    DATA,
    EARLIER_HELD_OUT,
    HELD_OUT,
    INFORMAL,
    READ_HELD_OUT,
    TRADES,
    TRADES2,
    load_posts,
    load_profiles,
    sentiment_labels,
)
from veille.understand.types import SENTIMENT_LABELS


def test_set_is_large_split_without_overlap_and_covers_every_business() -> None:
    train, validation = load_posts(DATA / "train.jsonl"), load_posts(DATA / "validation.jsonl")
    assert len(train) + len(validation) >= 600
    assert not {p.text for p in train} & {p.text for p in validation}
    businesses = {p.business for p in train}
    assert {p.business for p in validation} == businesses
    assert len(businesses) == 5 and businesses <= set(load_profiles())
    for posts in (train, validation):
        feelings = Counter(p.sentiment for p in posts)
        assert set(feelings) == set(SENTIMENT_LABELS)
        assert min(feelings.values()) >= len(posts) // 10  # no class is a token few
    assert sentiment_labels(validation).max() == len(SENTIMENT_LABELS) - 1


def test_informal_posts_train_only_and_read_for_a_known_business() -> None:
    informal = load_posts(DATA / INFORMAL)
    assert len(informal) >= 80
    assert {p.business for p in informal} == {p.business for p in load_posts(DATA / "train.jsonl")}
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


@pytest.mark.parametrize("held_out_file", [HELD_OUT, *READ_HELD_OUT])
def test_other_trades_train_and_unseen_trades_are_held_out(held_out_file: str) -> None:
    first = [load_posts(DATA / n) for n in ("train.jsonl", "validation.jsonl", INFORMAL)]
    trades = load_posts(DATA / TRADES) + load_posts(DATA / TRADES2)
    # The earlier rounds' held-out sets, each read once then, train now.
    for name in EARLIER_HELD_OUT:
        trades += load_posts(DATA / name)
    held_out = load_posts(DATA / held_out_file)
    seen = {p.business for posts in first for p in posts}
    assert len(trades) >= 1200 and len({p.business for p in trades} - seen) >= 42
    assert len(held_out) >= 180
    # The held-out set is read for trades that no training post is read for, in towns that no
    # training profile works in.
    training_trades = seen | {p.business for p in trades}
    assert not {p.business for p in held_out} & training_trades
    profiles = load_profiles()
    assert {p.business for p in trades} | {p.business for p in held_out} <= set(profiles)
    held_out_towns = {profiles[p.business].city for p in held_out}
    assert not held_out_towns & {profiles[b].city for b in training_trades}
    texts = [p.text for posts in first for p in posts] + [p.text for p in trades]
    assert not set(texts) & {p.text for p in held_out}
    # Written in author blocks, which cross-validation and intervals keep together.
    assert all(p.author for p in trades + held_out)
    assert not {p.author for p in trades} & {p.author for p in held_out}
    for posts in (trades, held_out):
        assert set(Counter(i for p in posts for i in p.intents)) == {
            "question",
            "complaint",
            "praise",
            "lead",
            "job",
            "crisis",
            "other",
        }
