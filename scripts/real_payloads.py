"""How Veille reads the real payloads of ../shared/data/real-payloads, per network: files tried,
read (at least one post), refused (no post, and every problem names what the file is), and
any file whose problems name nothing (should be none). Prints JSON.

    PYTHONPATH=src python scripts/real_payloads.py [--list]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from veille.posts import Post
from veille.sources import ParseProblem, load_payload_file
from veille.sources.base import PostDeleted

ROOT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "real-payloads"
FOLDERS = {
    "x": ["x/tweepy", "x/twitter-dart"],
    "mastodon": ["mastodon", "mastodon/mastodon4j"],
    "bluesky": ["bluesky"],
    "rss": ["rss/feedparser-wellformed", "rss/feedparser-entities"],
}
INDEXES = {"index.json", "docs-index.json", "README.md"}
NAMED = re.compile(r"^(not posts|not a whole status|refused unsafe XML|not an RSS or Atom feed)")


def measure(fmt: str, listing: bool) -> dict[str, object]:
    counts: Counter[str] = Counter()
    posts = 0
    reasons: Counter[str] = Counter()
    for folder in FOLDERS[fmt]:
        pattern = "**/*" if fmt == "rss" else "*"
        for path in sorted((ROOT / folder).glob(pattern)):
            if not path.is_file() or path.name in INDEXES:
                continue
            items = list(load_payload_file(path, fmt))
            found = [i for i in items if isinstance(i, Post | PostDeleted)]
            problems = [i for i in items if isinstance(i, ParseProblem)]
            counts["tried"] += 1
            posts += sum(isinstance(i, Post) for i in found)
            named = bool(items) and all(NAMED.match(p.reason) for p in problems)
            verdict = "read" if found else "refused" if named else "unnamed"
            counts[verdict] += 1
            for problem in problems:
                reasons[re.sub(r"\d+", "N", problem.reason)[:70]] += 1
            if listing:
                first = problems[0].reason[:100] if problems else ""
                print(f"{verdict:8} {path.relative_to(ROOT)}  {len(found)} {first}")
    return {
        "tried": counts["tried"],
        "read": counts["read"],
        "refused": counts["refused"],
        "unnamed": counts["unnamed"],
        "posts": posts,
        "refusals": dict(reasons.most_common(8)),
    }


def main() -> int:
    if not ROOT.is_dir():
        print(f"{ROOT.resolve()} is absent", file=sys.stderr)
        return 2
    listing = "--list" in sys.argv
    report = {fmt: measure(fmt, listing) for fmt in FOLDERS}
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
