"""The guard's labelled drafts (data/guard/), shared by train_guard.py and eval_guard.py.

The pool (choices by grouped cross-validation, then training on all of it):
drafts.jsonl, 429 hand-written drafts labelled with the rule kinds they should raise (each its
own family); families.jsonl, drafts written out from the families of guard_templates.py;
written.jsonl to written5.jsonl, drafts written one by one for many trades and registers
(family: the author block they were written in), the later ones aimed at what the model
missed; heldout.jsonl to heldout6.jsonl, the held-out sets of earlier rounds, each read at the
end of its round. The held-out set, heldout7.jsonl, is written for other trades by another
writer, with the networks each draft is for, and read once, by eval_guard.py. All come back
as Rows with categories and a family.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from veille.business import BusinessProfile
from veille.publish.guard import GuardContext
from veille.publish.guard_learned import CATEGORIES

DATA = Path(__file__).resolve().parent.parent / "data" / "guard"
# The rule kinds of drafts.jsonl read as the learned model's categories; form kinds (length,
# links, hashtags, late night, tone, control characters) are left to the rules.
KIND_CATEGORY = {
    "politics": "politics",
    "religion": "religion",
    "insult": "insult",
    "aggression": "insult",
    "sarcasm": "irony",
    "negative_mention": "denigration",
    "personal_data": "confidential",
    "client_name": "confidential",
    "confidential": "confidential",
    "price": "confidential",
    "accusation": "legal",
    "health_claim": "legal",
    "guarantee": "legal",
    "crisis_promo": "crisis_promo",
}
# Families of promotional drafts published outside a crisis: safe, yet what the crisis_promo
# head must recognise as promotion (it only raises a flag while a crisis is open).
PROMOTIONAL = {"ok-promo-no-crisis", "ok-contest-no-crisis", "ok-killer-price"}
# A category counts as caught when one of these flag kinds is at medium or above.
CAUGHT_BY = {
    "politics": {"politics", "groups"},
    "groups": {"groups", "politics", "insult"},
    "religion": {"religion"},
    "insult": {"insult", "aggression"},
    "irony": {"sarcasm"},
    "mockery": {"mockery", "sarcasm", "insult", "groups"},
    "denigration": {"negative_mention", "accusation"},
    "confidential": {"confidential", "personal_data", "client_name", "price"},
    "legal": {"legal", "accusation", "health_claim", "guarantee"},
    "crisis_promo": {"crisis_promo"},
}


@dataclass(frozen=True)
class Row:
    id: str
    family: str
    business: str
    split: str
    risky: bool
    tricky: bool
    categories: tuple[str, ...]
    kinds: tuple[str, ...]  # rule kinds (drafts.jsonl only)
    text: str
    context: dict[str, Any] = field(default_factory=dict)

    marked_promotional: bool = False  # a safe advert outside a crisis (written.jsonl)

    @property
    def promotional(self) -> bool:
        return (
            "crisis_promo" in self.categories
            or self.family in PROMOTIONAL
            or self.marked_promotional
        )


def _read(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("label") not in ("risky", "safe"):
            raise SystemExit(f"{path.name} line {number}: label must be risky or safe")
        if "split" in row and row["split"] not in ("train", "validation"):
            raise SystemExit(f"{path.name} line {number}: split must be train or validation")
        unknown = set(row.get("categories", [])) - set(CATEGORIES)
        if unknown:
            raise SystemExit(f"{path.name} line {number}: unknown categories {sorted(unknown)}")
        rows.append(row)
    return rows


SPLITS = ("pool", "heldout7")
# What each split reads. The old files' train/validation fields are history: their validation
# split was read in an earlier round and now belongs to the pool like the rest; so do the
# held-out sets heldout.jsonl to heldout6.jsonl, each read at the end of its round (heldout6
# for the guard's branch, then used to mend the word lists). heldout7.jsonl, by another
# writer, was committed before any model read it, and is read once, at the end.
FILES = {
    "pool": (
        "drafts.jsonl",
        "families.jsonl",
        "written.jsonl",
        "heldout.jsonl",
        "written2.jsonl",
        "heldout2.jsonl",
        "written3.jsonl",
        "heldout3.jsonl",
        "written4.jsonl",
        "heldout4.jsonl",
        "heldout5.jsonl",
        "heldout6.jsonl",
        "written5.jsonl",
    ),
    "heldout7": ("heldout7.jsonl",),
}


def load(split: str) -> list[Row]:
    """The drafts of `split`: the pool (cross-validation and training) or the held-out set."""
    if split not in SPLITS:
        raise SystemExit(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    out: list[Row] = []
    for name in FILES[split]:
        for raw in _read(DATA / name):
            out.append(_row(raw, split))
    return out


def _row(raw: dict[str, Any], split: str) -> Row:
    if "kinds" in raw:  # drafts.jsonl: rule kinds read as categories, each its own family
        kinds = tuple(raw["kinds"])
        categories = tuple(sorted({KIND_CATEGORY[k] for k in kinds if k in KIND_CATEGORY}))
        family, tricky = raw["id"], False
    else:
        kinds, categories = (), tuple(raw["categories"])
        family, tricky = raw.get("family") or raw["author"], bool(raw["tricky"])
    return Row(
        raw["id"],
        family,
        raw["business"],
        split,
        raw["label"] == "risky",
        tricky,
        categories,
        kinds,
        raw["text"],
        raw.get("context", {}),
        bool(raw.get("promotional", False)),
    )


def profiles() -> dict[str, BusinessProfile]:
    raw = json.loads((DATA / "profiles.json").read_text(encoding="utf-8"))
    return {key: BusinessProfile(**value) for key, value in raw.items()}


def context_for(
    row: Row, known: dict[str, BusinessProfile], *, learned: bool = True
) -> GuardContext:
    when = row.context.get("scheduled_at")
    return GuardContext(
        networks=row.context.get("networks", []),
        scheduled_at=datetime.fromisoformat(when) if when else None,
        open_crisis=row.context.get("open_crisis", False),
        client_names=row.context.get("client_names", []),
        profile=known.get(row.business),
        learned=learned,
    )
