"""Measures the guard on the labelled drafts of data/guard/ and prints JSON.

recall: share of risky drafts whose risk is medium or high; per_kind: share of the drafts
labelled with a kind that get a flag of that kind at medium or above; false_alarms: share of
safe drafts whose risk is medium or high. Reports the validation split unless told otherwise;
`--errors` lists the misses (tune lexicons on the train split only).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from veille.business import BusinessProfile
from veille.publish.guard import GuardContext, GuardReport, check

DATA = Path(__file__).resolve().parent.parent / "data" / "guard"
AT_LEAST_MEDIUM = {"medium", "high"}


def load(split: str) -> list[dict[str, Any]]:
    rows = []
    with (DATA / "drafts.jsonl").open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            row = json.loads(line)
            if row.get("label") not in ("risky", "safe"):
                raise SystemExit(f"drafts.jsonl line {number}: label must be risky or safe")
            if split == "all" or row["split"] == split:
                rows.append(row)
    return rows


def context_for(row: dict[str, Any], profiles: dict[str, BusinessProfile]) -> GuardContext:
    extra = row.get("context", {})
    when = extra.get("scheduled_at")
    return GuardContext(
        networks=extra.get("networks", []),
        scheduled_at=datetime.fromisoformat(when) if when else None,
        open_crisis=extra.get("open_crisis", False),
        client_names=extra.get("client_names", []),
        profile=profiles.get(row["business"]),
    )


def serious_kinds(report: GuardReport) -> set[str]:
    return {flag.kind for flag in report.flags if flag.severity in AT_LEAST_MEDIUM}


def evaluate(split: str, show_errors: bool) -> dict[str, Any]:
    raw_profiles = json.loads((DATA / "profiles.json").read_text(encoding="utf-8"))
    profiles = {key: BusinessProfile(**value) for key, value in raw_profiles.items()}
    rows = load(split)
    risky = caught = safe = false_alarms = 0
    per_kind_total: dict[str, int] = defaultdict(int)
    per_kind_caught: dict[str, int] = defaultdict(int)
    errors: list[dict[str, Any]] = []
    for row in rows:
        report = check(row["text"], context=context_for(row, profiles))
        seen = serious_kinds(report)
        flagged = report.risk in AT_LEAST_MEDIUM
        if row["label"] == "risky":
            risky += 1
            caught += flagged
            missing = [kind for kind in row["kinds"] if kind not in seen]
            for kind in row["kinds"]:
                per_kind_total[kind] += 1
                per_kind_caught[kind] += kind not in missing
            if show_errors and (missing or not flagged):
                errors.append({"id": row["id"], "missing": missing, "got": sorted(seen)})
        else:
            safe += 1
            false_alarms += flagged
            if show_errors and flagged:
                errors.append({"id": row["id"], "false_alarm": sorted(seen), "text": row["text"]})
    result: dict[str, Any] = {
        "split": split,
        "drafts": len(rows),
        "risky": risky,
        "safe": safe,
        "recall": round(caught / risky, 3) if risky else None,
        "false_alarms": round(false_alarms / safe, 3) if safe else None,
        "per_kind": {
            kind: {
                "drafts": per_kind_total[kind],
                "recall": round(per_kind_caught[kind] / total, 3),
            }
            for kind, total in sorted(per_kind_total.items())
        },
    }
    if show_errors:
        result["errors"] = errors
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--split", choices=("validation", "train", "all"), default="validation")
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms")
    args = parser.parse_args(argv)
    json.dump(evaluate(args.split, args.errors), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
