"""The labelled drafts and the lexicons stay usable: shape of the set, folded word lists,
and the validation figures the issue targets."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

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


def test_train_split_figures_hold_and_come_with_intervals() -> None:
    # The train split: validation is read once, by hand, when the guard is final.
    result = eval_module().evaluate("train", False, learned=True)
    assert result["recall"]["value"] >= 0.9
    assert result["false_alarms"]["value"] <= 0.10
    low, high = result["recall"]["ci95"]
    assert low <= result["recall"]["value"] <= high
    assert set(result["per_category"]) >= {"politics", "groups", "irony", "denigration"}


def test_families_set_is_large_varied_and_split_by_family() -> None:
    rows = [
        json.loads(line) for line in (ROOT / "data/guard/families.jsonl").open(encoding="utf-8")
    ]
    hand_written = sum(1 for _ in (ROOT / "data/guard/drafts.jsonl").open(encoding="utf-8"))
    assert len(rows) + hand_written >= 1500
    assert len({row["business"] for row in rows}) >= 12
    tricky = sum(row["tricky"] for row in rows)
    assert tricky * 3 >= len(rows) + hand_written
    splits: dict[str, set[str]] = {}
    for row in rows:
        splits.setdefault(row["family"], set()).add(row["split"])
        assert (row["label"] == "risky") == bool(row["categories"]), row["id"]
    assert all(len(seen) == 1 for seen in splits.values())
