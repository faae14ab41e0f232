"""The labelled drafts and the lexicons stay usable: shape of the set, folded word lists,
and the validation figures the issue targets."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

from veille.publish import guard_lexicon
from veille.publish.guard_text import fold_term

ROOT = Path(__file__).resolve().parents[2]


def eval_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_guard", ROOT / "scripts" / "eval_guard.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_labelled_set_has_risky_and_safe_drafts_in_both_splits() -> None:
    rows = [json.loads(line) for line in (ROOT / "data/guard/drafts.jsonl").open(encoding="utf-8")]
    assert len(rows) >= 300
    assert len({row["id"] for row in rows}) == len(rows)
    assert {row["business"] for row in rows} >= {"peintre", "boulangerie", "garage", "logiciel"}
    for split in ("train", "validation"):
        labels = [row["label"] for row in rows if row["split"] == split]
        assert labels.count("risky") >= 50 and labels.count("safe") >= 40
    for row in rows:
        assert (row["label"] == "risky") == bool(row["kinds"]), row["id"]


def test_every_lexicon_entry_is_written_folded_and_compiles() -> None:
    lists = {
        name: value
        for name, value in vars(guard_lexicon).items()
        if name.isupper() and isinstance(value, tuple) and not name.endswith("EMOJI")
    }
    assert len(lists) >= 15
    for name, entries in lists.items():
        for entry in entries:
            assert entry == fold_term(entry), f"{name}: {entry!r} is not folded"
            re.compile(entry)


def read(name: str) -> list[dict[str, object]]:
    path = ROOT / "data/guard" / name
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def test_pool_is_large_varied_and_a_third_of_it_looks_risky_but_is_safe() -> None:
    drafts, families, written = read("drafts.jsonl"), read("families.jsonl"), read("written.jsonl")
    assert len(drafts) + len(families) + len(written) >= 1500
    # Written one by one, not from templates: many trades, many author blocks, no repeats.
    assert len(written) >= 900
    assert len({row["business"] for row in written}) >= 30
    assert len({row["author"] for row in written}) >= 60
    assert len({row["text"] for row in written}) == len(written)
    tricky = sum(bool(row["tricky"]) for row in families + written)
    assert tricky * 3 >= len(drafts) + len(families) + len(written)
    for row in families + written:
        assert (row["label"] == "risky") == bool(row["categories"]), row["id"]
    splits: dict[object, set[object]] = {}
    for row in families:
        splits.setdefault(row["family"], set()).add(row["split"])
    assert all(len(seen) == 1 for seen in splits.values())


def test_second_written_set_is_many_blocks_of_new_drafts() -> None:
    earlier = read("drafts.jsonl") + read("families.jsonl") + read("written.jsonl")
    written2 = read("written2.jsonl")
    assert len(written2) >= 400
    assert len({row["author"] for row in written2}) >= 40
    assert len({row["business"] for row in written2}) >= 30
    assert len({row["text"] for row in written2}) == len(written2)
    assert not {row["text"] for row in written2} & {row["text"] for row in earlier}
    assert sum(bool(row["tricky"]) for row in written2) * 3 >= len(written2)
    for row in written2:
        assert (row["label"] == "risky") == bool(row["categories"]), row["id"]


def test_fifth_written_set_is_new_trades_with_their_look_alikes() -> None:
    earlier = [
        *read("drafts.jsonl"),
        *read("families.jsonl"),
        *read("written.jsonl"),
        *read("written2.jsonl"),
        *read("written3.jsonl"),
        *read("written4.jsonl"),
        *(row for n in range(1, 7) for row in read(f"heldout{n if n > 1 else ''}.jsonl")),
    ]
    written5 = read("written5.jsonl")
    assert len(written5) >= 900
    assert len({row["author"] for row in written5}) >= 70
    assert not {row["business"] for row in written5} & {row["business"] for row in earlier}
    assert len({row["text"] for row in written5}) == len(written5)
    assert not {row["text"] for row in written5} & {row["text"] for row in earlier}
    safe = [row for row in written5 if row["label"] == "safe"]
    assert sum(bool(row["tricky"]) for row in safe) >= 0.8 * len(safe)
    for row in written5:
        assert (row["label"] == "risky") == bool(row["categories"]), row["id"]
        if "crisis_promo" in row["categories"]:  # type: ignore[operator]
            assert row["context"]["open_crisis"], row["id"]  # type: ignore[index]


def test_third_written_set_pairs_each_joke_or_jab_with_a_safe_twin() -> None:
    earlier = [
        *read("drafts.jsonl"),
        *read("families.jsonl"),
        *read("written.jsonl"),
        *read("heldout.jsonl"),
        *read("written2.jsonl"),
        *read("heldout2.jsonl"),
    ]
    written3 = read("written3.jsonl")
    assert len({row["text"] for row in written3}) == len(written3)
    assert not {row["text"] for row in written3} & {row["text"] for row in earlier}
    assert not {row["author"] for row in written3} & {row.get("author") for row in earlier}
    labels = [row["label"] for row in written3]
    assert labels.count("risky") == labels.count("safe")
    assert sum("mockery" in row["categories"] for row in written3) >= 10  # type: ignore[operator]
    for row in written3:
        assert (row["label"] == "risky") == bool(row["categories"]), row["id"]


# heldout7 is this round's: written by another session, committed before any reading; the
# sets before it are in the pool now.
@pytest.mark.parametrize(
    ("name", "earlier"),
    [
        ("heldout5.jsonl", ()),
        ("heldout6.jsonl", ("heldout5.jsonl",)),
        ("heldout7.jsonl", ("heldout5.jsonl", "heldout6.jsonl", "written5.jsonl")),
    ],
)
def test_held_out_set_shares_no_text_author_or_trade_with_the_pool(
    name: str, earlier: tuple[str, ...]
) -> None:
    # The first four held-out sets were each read once in an earlier round: they belong to the
    # pool now.
    pool = [
        *(row for other in earlier for row in read(other)),
        *read("drafts.jsonl"),
        *read("families.jsonl"),
        *read("written.jsonl"),
        *read("heldout.jsonl"),
        *read("written2.jsonl"),
        *read("heldout2.jsonl"),
        *read("written3.jsonl"),
        *read("heldout3.jsonl"),
        *read("written4.jsonl"),
        *read("heldout4.jsonl"),
    ]
    held_out = read(name)
    assert len(held_out) >= 200
    labels = [row["label"] for row in held_out]
    assert labels.count("risky") >= 100 and labels.count("safe") >= 100
    assert not {row["text"] for row in held_out} & {row["text"] for row in pool}
    assert not {row["author"] for row in held_out} & {row.get("author") for row in pool}
    assert not {row["business"] for row in held_out} & {row["business"] for row in pool}
    categories = {c for row in held_out for c in row["categories"]}  # type: ignore[attr-defined]
    assert len(categories) == 10
    # Each draft names the networks it is written for, and fits them.
    limits = {"x": 280, "bluesky": 300, "mastodon": 500}
    for row in held_out:
        networks = row["context"]["networks"]  # type: ignore[index]
        assert networks and all(len(str(row["text"])) <= limits[n] for n in networks), row["id"]


# The held-out set was read to choose nothing: this floor only catches a guard that got worse
# (measured once with the guard's six fine-tuned layers: heldout7 recall 0.918, false alarms
# 0.110; docs/guard.md).
@pytest.mark.parametrize(("split", "recall", "false_alarms"), [("heldout7", 0.89, 0.12)])
def test_held_out_figures_come_with_intervals_and_hold_what_was_measured(
    split: str, recall: float, false_alarms: float
) -> None:
    result = eval_module().evaluate(split, False, learned=True)
    assert result["drafts"] == len(read(f"{split}.jsonl"))
    assert result["recall"]["value"] >= recall
    assert result["false_alarms"]["value"] <= false_alarms
    for figure in (result["recall"], result["false_alarms"]):
        low, high = figure["ci95"]
        assert low <= figure["value"] <= high
    assert len(result["per_category"]) == 10
