"""Post JSON lines files: one Post per line, written by ``write_post_lines``, replayed as a source.

Replaying a file into the pipeline must give the same store as the live stream did, which the
store's idempotent writes guarantee even when the file holds duplicates.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

from veille.posts import Post, PostError, parse_post
from veille.sources.base import OnPost, OnProblem, ParseProblem, log_problem

log = logging.getLogger("veille.sources.replay.client")


def read_post_lines(path: Path) -> Iterator[Post | ParseProblem]:
    """Each line of a Post JSON lines file, or a problem naming the line."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield parse_post(json.loads(line))
            except json.JSONDecodeError as exc:
                yield ParseProblem(f"line {number}", f"not JSON ({exc.msg})")
            except PostError as exc:
                yield ParseProblem(f"line {number}", str(exc))


class ReplayListener:
    """Feeds a Post JSON lines file to the pipeline once, as if it were a live source."""

    name = "replay"

    def __init__(self, path: Path, *, on_problem: OnProblem | None = None) -> None:
        self.path = path
        self.on_problem = on_problem
        self.replayed = 0

    def listen(self, on_post: OnPost, stop: threading.Event) -> None:
        for item in read_post_lines(self.path):
            if stop.is_set():
                return
            if isinstance(item, ParseProblem):
                log_problem(
                    "replay",
                    ParseProblem(f"{self.path} {item.where}", item.reason),
                    self.on_problem,
                )
            else:
                on_post(item)
                self.replayed += 1
