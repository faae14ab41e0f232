"""Saved raw payloads of any network, read back for ``veille ingest --format ...``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from veille.posts import Post
from veille.sources.base import ParseProblem
from veille.sources.bluesky.client import iter_jetstream_lines
from veille.sources.mastodon.client import iter_mastodon_statuses
from veille.sources.rss.client import iter_feed
from veille.sources.x.client import iter_x_response

PayloadFormat = Literal["x", "bluesky", "mastodon", "rss"]
FORMATS: tuple[str, ...] = ("x", "bluesky", "mastodon", "rss")


def load_payload_file(path: Path, fmt: PayloadFormat) -> Iterator[Post | ParseProblem]:
    """Posts of a saved payload, in order, with a ParseProblem for each item that is not valid.

    - ``x``: an X API v2 response body (``data`` with ``includes``), or one such body per line
      as saved from the filtered stream;
    - ``bluesky``: Jetstream events, one JSON object per line;
    - ``mastodon``: a JSON list of Status entities (or a v2 search result);
    - ``rss``: an RSS or Atom document (the file's URI stands for the feed's address).
    """
    if fmt == "rss":
        yield from iter_feed(path.read_bytes(), feed_url=path.resolve().as_uri())
        return
    text = path.read_text(encoding="utf-8")
    if fmt == "bluesky":
        yield from iter_jetstream_lines(iter(text.splitlines()))
        return
    if fmt not in ("x", "mastodon"):
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    bodies: list[tuple[str, object]]  # (where the body starts, body)
    try:
        bodies = [("", json.loads(text))]
    except json.JSONDecodeError as exc:
        if fmt != "x":
            yield ParseProblem(f"line {exc.lineno}", f"not JSON ({exc.msg})")
            return
        bodies = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                bodies.append((f"line {number} ", json.loads(line)))
            except json.JSONDecodeError as line_exc:
                yield ParseProblem(f"line {number}", f"not JSON ({line_exc.msg})")
    for where, body in bodies:
        items = iter_x_response(body) if fmt == "x" else iter_mastodon_statuses(body)
        for item in items:
            if isinstance(item, ParseProblem) and where:
                item = ParseProblem(f"{where}{item.where}", item.reason)
            yield item
