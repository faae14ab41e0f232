"""Replay files for tests: posts written as Post JSON lines, the format `veille ingest` reads."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from veille.posts import Post


def write_post_lines(path: Path, posts: Iterable[Post]) -> int:
    """Append posts as Post JSON lines; returns how many were written."""
    count = 0
    with path.open("a", encoding="utf-8") as handle:
        for post in posts:
            handle.write(json.dumps(post.to_json_dict(), ensure_ascii=False) + "\n")
            count += 1
    return count
